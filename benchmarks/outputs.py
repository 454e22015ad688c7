"""Time `claimtrack export` and `claimtrack report` against a cold `claimtrack check` of the same corpus, in the
same run; print a table.

    python benchmarks/outputs.py [--sizes 1000,10000,100000] [--work /tmp/claimtrack-bench] [--repeat 3]

For each corpus size (benchmarks/generate.py, seeded; shared with run.py under --work) it times, as separate
processes, `check --format json`, `export --format sqlite|csv|jsonl` and `report`, each cold (an empty cache)
and each the best of --repeat runs, taken in turn so that the machine's drift touches them alike; then each export again
with the file cache warm (what a second export after `check` costs). The target: a cold SQLite export within
1.5x the cold check. Results go to stdout and to WORK/outputs.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

EXPORTS = {"sqlite": "claims.db", "csv": "claims-csv", "jsonl": "claims.jsonl"}
TARGET = 1.5


def bench_size(size: int, work: Path, repeat: int, profile: str) -> dict[str, object]:
    from generate import generate
    from run import claimtrack, run

    corpus = work / f"corpus-{profile}-{size}"
    if not (corpus / "claims" / "topics.yaml").exists():
        generate(corpus, size, profile=profile)
    out = work / f"exports-{size}"
    out.mkdir(exist_ok=True)
    cache = work / f"cache-outputs-{size}"
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(cache), "CLAIMTRACK_DIR": str(corpus / "claims")}
    commands = {"check": claimtrack("check", "--format", "json"),
                **{fmt: claimtrack("export", "--format", fmt, "-o", str(out / name)) for fmt, name in EXPORTS.items()},
                "report": claimtrack("report", "-o", str(out / "report.html"))}
    cold: dict[str, list[tuple[float, int, int]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            shutil.rmtree(cache, ignore_errors=True)
            cold[name].append(run(command, env, corpus))
    run(commands["check"], env, corpus)  # fills the file cache
    warm = {fmt: min(run(commands[fmt], env, corpus) for _ in range(repeat)) for fmt in EXPORTS}
    result: dict[str, object] = {"claims": size}
    for name, runs in cold.items():
        assert all(code in (0, 1) for _, _, code in runs), f"{name} failed at {size:,} claims"
        best = min(runs)
        result[name] = {"cold": best[0], "peak_mb": max(r[1] for r in runs),
                        **({"warm": warm[name][0]} if name in warm else {})}
    result["sqlite_bytes"] = (out / EXPORTS["sqlite"]).stat().st_size
    result["report_bytes"] = (out / "report.html").stat().st_size
    return result


def table(results: list[dict[str, object]]) -> str:
    lines = [("| claims | check cold s | export sqlite cold s | sqlite / check | csv cold s | jsonl cold s | "
              "sqlite warm s | csv warm s | jsonl warm s | sqlite peak MiB | db MB | report cold s | report MB |"),
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        check, sqlite, csv, jsonl, report = (r[name] for name in ("check", "sqlite", "csv", "jsonl", "report"))
        ratio = sqlite["cold"] / check["cold"]  # type: ignore[index]
        lines.append(
            f"| {r['claims']:,} | {check['cold']:.2f} | {sqlite['cold']:.2f} | {ratio:.2f}"  # type: ignore[index]
            f"{'' if ratio <= TARGET else ' (over ' + str(TARGET) + ')'} | {csv['cold']:.2f} | "  # type: ignore[index]
            f"{jsonl['cold']:.2f} | {sqlite['warm']:.2f} | {csv['warm']:.2f} | {jsonl['warm']:.2f} | "  # type: ignore[index]
            f"{sqlite['peak_mb']} | {r['sqlite_bytes'] / 1e6:.1f} | {report['cold']:.2f} | "  # type: ignore[index, operator]
            f"{r['report_bytes'] / 1e6:.1f} |")  # type: ignore[operator]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    # run.py's folder, so that both reuse the generated corpora; --work moves it.
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimtrack-bench"))  # noqa: S108 — see above
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=["realistic", "terse"], default="realistic")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"timing exports of {size:,} claims …", file=sys.stderr, flush=True)
        results.append(bench_size(size, args.work, args.repeat, args.profile))
    (args.work / "outputs.json").write_text(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
