"""Truth discovery on real data: `claimtrack consensus` against majority vote, and the time of a run.

    python benchmarks/truth_discovery.py [--data benchmarks/population] [--work /tmp/claimtrack-truth]

The data (benchmarks/population/README.md) are city populations from Wikipedia's edit history: each editor
is a source, each city-year a topic, each edit a claim. The script writes them as a claims folder once,
times `claimtrack check` and `claimtrack consensus` on it (cold: an empty cache), and prints the accuracy of
the value consensus chooses (it equals the true value) beside majority vote, on the city-years whose truth
is known. Majority vote has no right to break a tie by file order, so a tie counts as a miss; the figure
with ties split at random (expected value) is shown too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def topic_keys(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """Each city-year's topic key: ('cleveland, ohio', 'Population2000') -> 'cleveland-ohio-population-2000'
    (a city whose name makes the same slug as another's gets -2, -3 … in the order of first appearance)."""
    keys: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for row in rows:
        pair = (row["ObjectID"], row["PropertyID"])
        if pair in keys:
            continue
        base = key = slug(f"{pair[0]} {pair[1].replace('Population', 'population ')}")
        n = 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        keys[pair] = key
        taken.add(key)
    return keys


def source_id(editor: str) -> str:
    """'5512121: CapitalBot' -> 'capitalbot-5512121'; '0 (68.162.248.83)' -> 'ip-68-162-248-83'."""
    number, _, name = editor.partition(": ")
    if number == "0" or not name:
        return "ip-" + slug(editor.removeprefix("0 ").strip("()"))
    return slug(f"{name} {number}")


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def write_folder(data: Path, folder: Path) -> int:
    """The data set as a claims folder: topics.yaml and one source file per editor. Returns the claim count."""
    rows = _rows(data / "claims.csv")
    keys = topic_keys(rows)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "sources").mkdir(parents=True)
    topics: dict[str, tuple[str, str]] = {}
    by_editor: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        topics.setdefault(keys[row["ObjectID"], row["PropertyID"]], (row["ObjectID"], row["PropertyID"]))
        by_editor[row["SourceID"]].append(row)
    lines = ["topics:"]
    for key, (city, prop) in topics.items():
        title = f"Population of {city.title()} in {prop.removeprefix('Population')}"
        lines += [f"  {key}:", f"    title: {_quoted(title)}", "    kind: quantity"]
    (folder / "topics.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for editor, edits in by_editor.items():
        sid = source_id(editor)
        body = [(f"source:\n  id: {sid}\n  title: {_quoted('Wikipedia infobox edits by ' + editor)}\n"
                 f"  publisher: Wikipedia\n  type: dataset\nclaims:")]
        for n, row in enumerate(edits):
            key = keys[row["ObjectID"], row["PropertyID"]]
            body.append(f"  - id: c{n}\n    topic: {key}\n    value: \"{row['PropertyValue']}\"\n"
                        f"    quote: {_quoted(row['PropertyID'] + ': ' + row['PropertyValue'])}")
        (folder / "sources" / f"{sid}.yaml").write_text("\n".join(body) + "\n", encoding="utf-8")
    return len(rows)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str, int]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - start, done.stdout, done.returncode


def majority(values: list[str], truth: str) -> tuple[float, float]:
    """(right with ties counted as misses, right with ties split at random)."""
    counts = Counter(values).most_common()
    best = [value for value, count in counts if count == counts[0][1]]
    strict = 1.0 if best == [truth] else 0.0
    return strict, (1.0 / len(best) if truth in best else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE / "population")
    # A fixed folder, so that reruns reuse the claims folder; --work moves it.
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimtrack-truth"))  # noqa: S108 — see above
    parser.add_argument("--truth", default="truth-dev.csv", help="the gold file inside --data")
    args = parser.parse_args()
    folder = args.work / "claims"
    stamp = args.work / "built-from"
    source = (args.data / "claims.csv").stat()
    signature = f"{source.st_size}:{source.st_mtime_ns}:{Path(__file__).stat().st_mtime_ns}"
    if not stamp.exists() or stamp.read_text() != signature:
        print(f"writing the claims folder in {folder} …", file=sys.stderr, flush=True)
        count = write_folder(args.data, folder)
        stamp.write_text(signature)
        print(f"{count:,} claims", file=sys.stderr)
    cache = args.work / "cache"
    env = {**os.environ, "CLAIMTRACK_DIR": str(folder), "CLAIMTRACK_CACHE_DIR": str(cache)}
    claimtrack = [sys.executable, "-m", "claimtrack"]
    shutil.rmtree(cache, ignore_errors=True)
    check_seconds, _, check_code = timed([*claimtrack, "check", "--format", "json"], env)
    shutil.rmtree(cache, ignore_errors=True)
    consensus_seconds, out, code = timed([*claimtrack, "consensus", "--format", "json"], env)
    if code != 0:
        sys.exit(f"claimtrack consensus failed with exit code {code}")
    chosen: dict[str, str | None] = {}
    for item in json.loads(out)["consensus"]:
        chosen[item["topic"]] = item["value"]
    rows = _rows(args.data / "claims.csv")
    keys = topic_keys(rows)
    claims: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        claims[keys[row["ObjectID"], row["PropertyID"]]].append(row["PropertyValue"])
    gold = {keys[row["ObjectID"], row["PropertyID"]]: row["PropertyValue"]
            for row in _rows(args.data / args.truth) if (row["ObjectID"], row["PropertyID"]) in keys}
    judged = [key for key in gold if claims.get(key)]
    ours = sum(1 for key in judged if (chosen.get(key) or "").replace(",", "") == gold[key])
    undecided = sum(1 for key in judged if chosen.get(key) is None)
    strict = sum(majority(claims[key], gold[key])[0] for key in judged)
    split = sum(majority(claims[key], gold[key])[1] for key in judged)
    ceiling = sum(1 for key in judged if gold[key] in claims[key])
    n = len(judged)
    print(f"| city-years with a known truth and claims | {n} |\n| --- | ---: |")
    print(f"| claimtrack consensus | **{ours / n:.3f}** ({ours}; {undecided} left undecided as ties) |")
    print(f"| majority vote, ties counted as misses | {strict / n:.3f} |")
    print(f"| majority vote, ties split at random (expected) | {split / n:.3f} |")
    print(f"| ceiling: the truth is among the claimed values | {ceiling / n:.3f} |")
    print(f"| `claimtrack check` (cold) | {check_seconds:.1f} s (exit {check_code}) |")
    print(f"| `claimtrack consensus` (cold) | {consensus_seconds:.1f} s |")


if __name__ == "__main__":
    main()
