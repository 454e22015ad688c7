"""Time claimtrack on synthetic corpora and against two references; print a table.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--work /tmp/claimtrack-bench] [--repeat 3]

For each corpus size (benchmarks/generate.py, seeded) it times, as separate processes like a user's shell:
- `check --format json`, `conflicts --format json` and `show TOPIC`:
  cold (an empty cache: the first run after the content changed), one-file (one source file edited since
  the last run) and warm (nothing changed), each the best of --repeat runs, with the highest peak memory
  of the cold and one-file runs;
- the floor: reading and parsing the same files with PyYAML's C loader and nothing else (best of --repeat);
- check-jsonschema over the same files with the schema from `claimtrack schema source` (if installed:
  pip install check-jsonschema);
- `claimtrack --version` and `--help`.
Peak memory (max RSS) is read from each child process. Results go to stdout and to WORK/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, exit code) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def claimtrack(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimtrack", *args]


def bench_size(size: int, work: Path, repeat: int, profile: str) -> dict[str, object]:
    from generate import generate

    corpus = work / f"corpus-{profile}-{size}"
    if not (corpus / "claims" / "topics.yaml").exists():
        generate(corpus, size, profile=profile)
    folder = corpus / "claims"
    files = sorted(folder.rglob("*.yaml"))
    cache = work / f"cache-{profile}-{size}"
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(cache), "CLAIMTRACK_DIR": str(folder)}
    topic = next(line.split(":")[0].strip() for line in (folder / "topics.yaml").read_text().splitlines()[2:]
                 if line.startswith("  ") and not line.startswith("    "))
    result: dict[str, object] = {"claims": size, "files": len(files)}
    commands = {"check": claimtrack("check", "--format", "json"),
                "conflicts": claimtrack("conflicts", "--format", "json"),
                "show": claimtrack("show", topic)}
    victim = files[len(files) // 2]
    original = victim.read_text(encoding="utf-8")
    edited = original.replace('quote: "', 'quote: "Edited: ', 1)  # a real edit: size and content change
    assert edited != original, f"nothing to edit in {victim}"
    for name, command in commands.items():
        colds, one_files = [], []
        for _ in range(repeat):  # each figure is the best of `repeat`, as the floor's is
            shutil.rmtree(cache, ignore_errors=True)
            colds.append(run(command, env, corpus))
            victim.write_text(edited, encoding="utf-8")
            one_files.append(run(command, env, corpus))
            victim.write_text(original, encoding="utf-8")
            run(command, env, corpus)  # bring the cache up to date with the restored file
        warm = min((run(command, env, corpus) for _ in range(repeat)), key=lambda r: r[0])
        result[name] = {"cold": min(r[0] for r in colds), "one_file": min(r[0] for r in one_files),
                        "warm": warm[0], "peak_mb": max(r[1] for r in colds + one_files),
                        "warm_peak_mb": warm[1]}
    floor = min((run([sys.executable, "-c", FLOOR, str(folder)], env, corpus) for _ in range(repeat)),
                key=lambda r: r[0])
    result["floor"] = {"seconds": floor[0], "peak_mb": floor[1]}
    result["check_jsonschema"] = _check_jsonschema(folder, files, work, env, corpus)
    return result


def _check_jsonschema(folder: Path, files: list[Path], work: Path, env: dict[str, str],
                      corpus: Path) -> dict[str, float] | None:
    binary = shutil.which("check-jsonschema")
    if binary is None:
        return None
    schema = work / "source.schema.json"
    schema.write_text(subprocess.run(claimtrack("schema", "source"), capture_output=True, text=True,
                                     check=True).stdout)
    sources = [str(path) for path in files if path.name != "topics.yaml"]
    seconds, peak, _ = run([binary, "--schemafile", str(schema), *sources], env, corpus)
    return {"seconds": seconds, "peak_mb": peak}


def startup(env: dict[str, str], repeat: int) -> dict[str, float]:
    return {flag: min(run(claimtrack(flag), env, Path.cwd())[0] for _ in range(repeat + 2))
            for flag in ("--version", "--help")}


def table(results: list[dict[str, object]], start: dict[str, float]) -> str:
    lines = [("| claims | files | command | cold s | one file changed s | warm s | peak MB | floor s | "
              "cold / floor | check-jsonschema s | vs check-jsonschema |"),
             "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for result in results:
        floor = result["floor"]["seconds"]  # type: ignore[index]
        reference = result["check_jsonschema"]
        for name in ("check", "conflicts", "show"):
            row = result[name]  # type: ignore[index]
            versus = f"{reference['seconds'] / row['cold']:.1f}× faster" if reference else "—"  # type: ignore[index]
            lines.append(
                f"| {result['claims']:,} | {result['files']:,} | {name} | {row['cold']:.2f} | {row['one_file']:.2f} | "
                f"{row['warm']:.2f} | {row['peak_mb']} | {floor:.2f} | {row['cold'] / floor:.2f} | "
                f"{reference['seconds']:.1f} | {versus} |" if reference else
                f"| {result['claims']:,} | {result['files']:,} | {name} | {row['cold']:.2f} | {row['one_file']:.2f} | "
                f"{row['warm']:.2f} | {row['peak_mb']} | {floor:.2f} | {row['cold'] / floor:.2f} | — | — |")
    lines.append("")
    lines.append(f"`claimtrack --version`: {start['--version']:.3f} s; `claimtrack --help`: {start['--help']:.3f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    # A fixed folder, so that reruns reuse the generated corpora; --work moves it.
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimtrack-bench"))  # noqa: S108 — see above
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=["realistic", "terse"], default="realistic",
                        help="corpus profile (see generate.py): realistic follows the shipped data set")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"benchmarking {size:,} claims …", file=sys.stderr, flush=True)
        results.append(bench_size(size, args.work, args.repeat, args.profile))
    start = startup({**os.environ, "CLAIMTRACK_NO_CACHE": "1"}, args.repeat)
    (args.work / "results.json").write_text(json.dumps({"sizes": results, "startup": start}, indent=2))
    print(table(results, start))


if __name__ == "__main__":
    main()
