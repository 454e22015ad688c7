"""Hostile shapes: claims folders and documents built to find work or output that grows faster than n log n.

    python benchmarks/hostile_shapes.py [--scale 1] [--shapes NAME,…] [--commands CMD,…] [--timeout 120]
                                        [--src DIR] [--work DIR]

Each shape is written at two sizes, n and 4n, and every command that reads it is run as its own process
(`python -m claimtrack …`, cache off, so each run is cold). The table gives, per shape and command, the wall
time and the bytes written to standard output at n and at 4n, their ratios, and the peak memory at 4n. At 4×
the input a linear command takes about 4× (n log n: a little more); 16× is quadratic. A run that takes longer
than --timeout is shown as `>T s`. `--src` runs another checkout's code (`git worktree add /tmp/old REV`, then
`--src /tmp/old/src`), for before-and-after figures; `--commands check,show` keeps the commands that start so.

Shapes (n at --scale 1):

- similar-topics (n = 750): topics whose keys are a typo apart and whose titles are one title;
- one-topic-conflicts (n = 750): one topic, each claim a different figure, so every pair conflicts;
- scoped-conflicts (n = 750): the same with an `as_of` (one of 20 years) and a qualifier (one of 8) each;
- distinct-scopes (n = 750): one topic, two figures, every claim in a scope of its own (its own day, or its own
  `measure:`);
- text-conflicts (n = 750): one text topic, every claim a different name;
- id-less (n = 3,000): one source file whose claims on one topic have no `id:`;
- covers (n = 750): a resolution that covers n conflicting claims and names n claims that do not exist;
- unknown-topics (n = 750): n registered topics and n claims naming misspelt ones;
- aliases (n = 750): n topics with 20 aliases each; `show` by an alias;
- based-on (n = 750): n sources, each `based_on` the one before (a chain) and ten others (a web);
- quotes (n = 250): n claims whose quotes are not in a text copy of n × 2 kB, and n quotes of 4 kB;
- extract-lines (n = 1 MB): prose with figures on every line;
- extract-initials (n = 15 kB): "A. B. C. …";
- extract-one-sentence (n = 250 kB): one sentence of figures, no full stop.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

# Runs one command and reports, on its last line of stderr, the peak resident memory of the command (kB).
_WRAPPER = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    code = subprocess.call(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
sys.stderr.write(f"{code} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n")
"""


@dataclass
class Shape:
    name: str
    base: int  # n at --scale 1
    build: Callable[[Path, int], None]  # writes WORK/claims (and documents) for size n
    commands: list[list[str]]  # claimtrack arguments; {doc} is the shape's document


def _topics(entries: list[str]) -> str:
    return "topics:\n" + "".join(entries)


def _source(source_id: str, claims: list[str], extra: str = "") -> str:
    return (f"source:\n  id: {source_id}\n  title: Document {source_id}\n{extra}claims:\n"
            + "".join(claims))


def _claim(topic: str, value: str, quote: str, claim_id: str | None = None, more: str = "") -> str:
    head = f"  - id: {claim_id}\n    topic: {topic}\n" if claim_id else f"  - topic: {topic}\n"
    return f"{head}    value: \"{value}\"\n    quote: \"{quote}\"\n{more}"


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _letters(i: int, width: int = 4) -> str:
    word = ""
    for _ in range(width):
        i, r = divmod(i, 26)
        word = string.ascii_lowercase[r] + word
    return word


def similar_topics(folder: Path, n: int) -> None:
    entries = [f"  border-length-{_letters(i)}:\n    title: Length of the border\n    unit: km\n" for i in range(n)]
    _write(folder, {"topics.yaml": _topics(entries)})


def _many_claims(folder: Path, n: int, per_file: int = 50, more: Callable[[int], str] = lambda i: "",
                 value: Callable[[int], str] = lambda i: f"{i + 1} km", kind: str = "unit: km",
                 resolution: str = "") -> None:
    topic = f"  border-length:\n    title: Length of the border\n    {kind}\n{resolution}"
    files = {"topics.yaml": _topics([topic])}
    for start in range(0, n, per_file):
        claims = [_claim("border-length", value(i), f"the border is {value(i)} long", f"c{i}", more(i))
                  for i in range(start, min(n, start + per_file))]
        files[f"sources/s{start // per_file}.yaml"] = _source(f"s{start // per_file}", claims)
    _write(folder, files)


def one_topic_conflicts(folder: Path, n: int) -> None:
    _many_claims(folder, n)


def scoped_conflicts(folder: Path, n: int) -> None:
    _many_claims(folder, n, more=lambda i: f"    as_of: {2000 + i % 20}\n    qualifiers: {{measure: m{i % 8}}}\n")


def distinct_scopes(folder: Path, n: int) -> None:
    from datetime import date, timedelta

    def scope(i: int) -> str:
        if i % 2:
            return f"    as_of: {date(2000, 1, 1) + timedelta(days=i)}\n"
        return f"    qualifiers: {{measure: m{i}}}\n"

    _many_claims(folder, n, more=scope, value=lambda i: f"{1000 + i % 2} km")


def text_conflicts(folder: Path, n: int) -> None:
    rng = random.Random(n)
    names = ["".join(rng.choice(string.ascii_lowercase) for _ in range(12)) for _ in range(n)]
    _many_claims(folder, n, value=lambda i: f"{names[i].title()} {names[(i * 7) % n].title()}", kind="kind: text")


def id_less(folder: Path, n: int) -> None:
    claims = [_claim("border-length", f"{1000 + i % 7} km", "the border is long") for i in range(n)]
    _write(folder, {"topics.yaml": _topics(["  border-length:\n    title: Length of the border\n    unit: km\n"]),
                    "sources/s.yaml": _source("s", claims)})


def covers(folder: Path, n: int) -> None:
    ids = [f"s{i // 50}/c{i}" for i in range(n)] + [f"s{i // 50}/d{i}" for i in range(n)]
    resolution = (f"    resolution:\n      status: disputed\n      note: many figures\n"
                  f"      covers: [{', '.join(ids)}]\n")
    _many_claims(folder, n, resolution=resolution)


def unknown_topics(folder: Path, n: int) -> None:
    entries = [f"  {_letters(i, 6)}-count:\n    title: Count of {_letters(i, 6)}\n" for i in range(n)]
    claims = [_claim(f"{_letters(i, 6)}-cuont", "5", "five of them", f"c{i}") for i in range(n)]
    _write(folder, {"topics.yaml": _topics(entries), "sources/s.yaml": _source("s", claims)})


def aliases(folder: Path, n: int) -> None:
    entries = [f"  topic-{_letters(i)}:\n    title: Topic {_letters(i)}\n    aliases: ["
               + ", ".join(f"alias {_letters(i)} {j}" for j in range(20)) + "]\n" for i in range(n)]
    claims = [_claim(f"topic-{_letters(i)}", f"{i + 1}", "a count", f"c{i}") for i in range(n)]
    _write(folder, {"topics.yaml": _topics(entries), "sources/s.yaml": _source("s", claims)})


def based_on(folder: Path, n: int) -> None:
    rng = random.Random(n)
    files = {"topics.yaml": _topics(["  border-length:\n    title: Length of the border\n    unit: km\n"])}
    for i in range(n):
        others = sorted({f"s{j}" for j in rng.sample(range(n), min(n, 10)) if j != i} | ({f"s{i - 1}"} if i else set()))
        extra = f"  based_on: [{', '.join(others)}]\n"
        files[f"sources/s{i}.yaml"] = _source(f"s{i}", [_claim("border-length", f"{1300 + i % 50} km", "q", "c")],
                                              extra)
    _write(folder, files)


def quotes(folder: Path, n: int) -> None:
    rng = random.Random(n)
    words = ["border", "trade", "river", "bridge", "market", "road", "valley", "customs", "grain", "power"]
    text = "\n".join(" ".join(rng.choice(words) for _ in range(300)) for _ in range(n))
    claims = [_claim("border-length", "1,344 km", f"the border is {i} km long in the {rng.choice(words)} valley",
                     f"c{i}") for i in range(n)]
    long = " ".join(rng.choice(words) for _ in range(600))
    claims += [_claim("border-length", "1,344 km", long, f"long{i}") for i in range(n)]
    _write(folder, {"topics.yaml": _topics(["  border-length:\n    title: Length of the border\n    unit: km\n"]),
                    "sources/s.yaml": _source("s", claims, "  text: ../texts/s.txt\n"), "texts/s.txt": text})


def extract_lines(folder: Path, n: int) -> None:
    line = "The border is 1,344 km long, and trade reached $111 million in 2022.\n"
    (folder.parent / "doc.txt").write_text(line * max(1, n // len(line)), encoding="utf-8")
    similar_topics(folder, 20)


def extract_initials(folder: Path, n: int) -> None:
    text = " ".join(f"{string.ascii_uppercase[i % 26]}." for i in range(n // 3))
    (folder.parent / "doc.txt").write_text(f"Signed by {text} in 2022, about 140 people.\n", encoding="utf-8")
    similar_topics(folder, 20)


def extract_one_sentence(folder: Path, n: int) -> None:
    part = "over 18 jeeps and 1,344 km, "
    (folder.parent / "doc.txt").write_text("The delegation handed " + part * max(1, n // len(part)) + "\n",
                                           encoding="utf-8")
    similar_topics(folder, 20)


ANALYSIS = [["check"], ["check", "-f", "json"], ["conflicts"], ["conflicts", "-f", "json"],
            ["show", "border-length"], ["show", "border-length", "-f", "json"], ["topics"], ["sources"],
            ["report", "-o", "-"], ["export", "-f", "jsonl"], ["export", "-f", "sqlite", "-o", "{work}/x.db"]]
EXTRACT = [["extract", "{doc}"], ["extract", "{doc}", "-f", "json"]]
SHAPES = [
    Shape("similar-topics", 750, similar_topics, [["check"], ["check", "-f", "json"], ["topics"]]),
    Shape("one-topic-conflicts", 750, one_topic_conflicts, ANALYSIS),
    Shape("scoped-conflicts", 750, scoped_conflicts, ANALYSIS),
    Shape("distinct-scopes", 750, distinct_scopes, [["check"], ["conflicts"], ["show", "border-length"]]),
    Shape("text-conflicts", 750, text_conflicts, [["check"], ["conflicts"], ["show", "border-length"]]),
    Shape("id-less", 3000, id_less, [["check"], ["show", "border-length"]]),
    Shape("covers", 750, covers, [["check"], ["conflicts"], ["show", "border-length"]]),
    Shape("unknown-topics", 750, unknown_topics, [["check"]]),
    Shape("aliases", 750, aliases, [["check"], ["topics"], ["show", "alias aaaa 7"],
                                    ["conflicts", "-t", "alias aaaa 7"]]),
    Shape("based-on", 750, based_on, [["check"], ["sources"], ["show", "border-length"], ["consensus"],
                                      ["report", "-o", "-"]]),
    Shape("quotes", 250, quotes, [["check"]]),
    Shape("extract-lines", 1_000_000, extract_lines, EXTRACT),
    Shape("extract-initials", 15_000, extract_initials, EXTRACT),
    Shape("extract-one-sentence", 250_000, extract_one_sentence, EXTRACT),
]


def run(work: Path, args: list[str], timeout: float, src: Path = SRC) -> tuple[float | None, int, int]:
    """(seconds or None on timeout, stdout bytes, peak kB) of one cold command."""
    env = {**os.environ, "CLAIMTRACK_NO_CACHE": "1", "PYTHONPATH": str(src), "COLUMNS": "120",
           "CLAIMTRACK_DIR": str(work / "claims")}
    out = work / "stdout"
    command = [sys.executable, "-c", _WRAPPER, str(out), sys.executable, "-m", "claimtrack",
               *[a.format(doc=work / "doc.txt", work=work) for a in args]]
    start = time.perf_counter()
    # a session of its own, so that a timeout ends the command too, not only the wrapper that waits for it
    with subprocess.Popen(command, env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return None, out.stat().st_size if out.exists() else 0, 0
    elapsed = time.perf_counter() - start
    peak = int(stderr.split()[-1]) if stderr.split() else 0
    return elapsed, out.stat().st_size, peak


def _size(count: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000  # type: ignore[assignment]
    return str(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every shape's n")
    parser.add_argument("--shapes", default="", help="comma-separated names (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--commands", default="", help="comma-separated command prefixes (default: all)")
    parser.add_argument("--src", type=Path, default=SRC, help="the claimtrack source folder to run")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    wanted = [s for s in SHAPES if not args.shapes or s.name in args.shapes.split(",")]
    prefixes = [p.strip() for p in args.commands.split(",") if p.strip()]
    for shape in wanted:
        shape.commands = [c for c in shape.commands
                          if not prefixes or any(" ".join(c).replace("{doc}", "doc").startswith(p) for p in prefixes)]
    wanted = [shape for shape in wanted if shape.commands]
    root = args.work or Path(tempfile.mkdtemp(prefix="claimtrack-hostile-"))
    print("| shape | command | n | time n | time 4n | ratio | out n | out 4n | ratio | peak 4n |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for shape in wanted:
        n = max(1, int(shape.base * args.scale))
        results = []
        for size in (n, 4 * n):
            work = root / f"{shape.name}-{size}"
            shutil.rmtree(work, ignore_errors=True)
            (work / "claims").mkdir(parents=True)
            shape.build(work / "claims", size)
            results.append([run(work, command, args.timeout, args.src) for command in shape.commands])
        for command, small, large in zip(shape.commands, *results, strict=True):
            def seconds(t: float | None) -> str:
                return f">{args.timeout:.0f} s" if t is None else f"{t:.2f} s"
            time_ratio = f"{large[0] / small[0]:.1f}" if small[0] and large[0] else "—"
            out_ratio = f"{large[1] / small[1]:.1f}" if small[1] and large[0] is not None else "—"
            print(f"| {shape.name} | `{' '.join(command).replace('{doc}', 'doc').replace('{work}/', '')}` | "
                  f"{n:,} | {seconds(small[0])} | {seconds(large[0])} | {time_ratio} | {_size(small[1])} | "
                  f"{_size(large[1])} | {out_ratio} | {_size(large[2] * 1000)} |", flush=True)
    if args.work is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
