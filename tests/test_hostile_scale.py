"""Hostile shapes at scale (issue 19, class 6): output and work grow at most n log n in the input.

No assertion here is on wall-clock time: each bounds the output (bytes or lines for n items, at most c·n), or
counts the work (pairs built, characters scanned, look-ups), or, for a runaway, gives a subprocess a generous
timeout. benchmarks/hostile_shapes.py measures the same shapes at n and 4n.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import claimtrack
from claimtrack import conflicts as conflicts_module
from claimtrack import dataset as dataset_module
from claimtrack import extract as extract_module
from claimtrack.cli import app
from claimtrack.conflicts import find_conflicts, in_scope, value_order
from claimtrack.dataset import load_folder
from claimtrack.report import analyze

runner = CliRunner()
SRC = Path(claimtrack.__file__).resolve().parent.parent  # the code under test, for the commands started here
TOPICS = ("topics:\n  border-length:\n    title: Length of the border\n    unit: km\n"
          "  capital:\n    title: Capital city\n    kind: text\n")


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def many_claims(folder: Path, n: int, *, topic: str = "border-length", per_file: int = 50,
                value: Any = lambda i: f"{i + 1}.0 km", extra: Any = lambda i: "", topics: str = TOPICS) -> Path:
    """n claims on one topic, each with its own value (so that every two of them conflict)."""
    files = {"topics.yaml": topics}
    for start in range(0, n, per_file):
        claims = "".join(f"  - id: c{i}\n    topic: {topic}\n    value: \"{value(i)}\"\n    quote: \"q {i}\"\n"
                         f"{extra(i)}" for i in range(start, min(n, start + per_file)))
        files[f"s{start // per_file}.yaml"] = f"source:\n  id: s{start // per_file}\n  title: S\nclaims:\n{claims}"
    return write(folder, files)


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    result = runner.invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# --------------------------------------------------------------------------- near-duplicate topics

def test_similar_topics_are_one_warning_each(tmp_path: Path) -> None:
    """300 topics under one title were 44,850 warnings (every pair; 3,000 topics: 222 MB). Now one per topic,
    naming the closest and a few more, with a count."""
    n = 300
    entries = "".join(f"  border-length-{i:03d}x:\n    title: Length of the border\n    unit: km\n" for i in range(n))
    folder = write(tmp_path / "claims", {"topics.yaml": "topics:\n" + entries})
    result = invoke("check", "--dir", str(folder), "--format", "json")
    warnings = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "near-duplicate-topic"]
    assert len(warnings) == n - 1  # every topic but the first looks like the ones before it
    assert len(result.stdout) < 1000 * n  # a JSON problem with its path, about 500 bytes
    last = warnings[-1]["message"]
    assert last.startswith("topic 'border-length-299x' looks like topic 'border-length-000x' (line 2): their titles "
                           "are 100% alike, and like 298 more topics ('border-length-001x' (line 5), ")
    assert last.endswith(", …); merge them or make them distinct")


# --------------------------------------------------------------------------- conflicts

SHAPES = {
    "figures": {},
    "scoped": {"extra": lambda i: f"    as_of: {2000 + i % 3}\n    qualifiers: {{measure: m{i % 2}}}\n"},
    "text": {"topic": "capital", "value": lambda i: "".join(random.Random(i).choices("bcdfghklmnprstvz", k=10))},
}


@pytest.mark.parametrize("shape", SHAPES)
def test_conflicts_are_counted_not_listed(shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """n claims that all disagree make n²/2 conflicting pairs (3,000 claims: 4.5 million, 1 GB as objects). The
    analysis and `check` build none of them; each message names at most ten claims and counts the rest."""
    n = 300
    folder = many_claims(tmp_path / "claims", n, **SHAPES[shape])
    built: list[int] = []
    real = conflicts_module.Pair

    def counting(*args: Any) -> Any:
        built.append(1)
        return real(*args)

    monkeypatch.setattr(conflicts_module, "Pair", counting)
    result = invoke("check", "--dir", str(folder))
    assert result.exit_code == 1
    assert built == []
    lines = [line for line in result.stdout.splitlines() if "[unresolved-conflict]" in line]
    assert 0.6 * n < len(lines) <= n
    assert max(len(line) for line in lines) < 1_000
    assert sum(bool(re.search(r"\) and \d+ more[ ;]", line)) for line in lines) > 0.5 * n  # "… and 289 more; …"
    monkeypatch.undo()
    conflict = find_conflicts(load_folder(folder))["capital" if shape == "text" else "border-length"]
    assert len(conflict.pairs) == sum(1 for _ in conflict.pairs)  # counted as listed


def test_github_annotations_grow_with_the_claims(tmp_path: Path) -> None:
    """`conflicts --format github` named every opponent of every claim (n² names): now ten, and a count."""
    n = 300
    folder = many_claims(tmp_path / "claims", n)
    result = invoke("conflicts", "--dir", str(folder), "--format", "github")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == n and max(len(line) for line in lines) < 1_000
    assert ("conflicts with s0/c1, s0/c10, s0/c2, s0/c3, s0/c4, s0/c5, s0/c6, s0/c7, s0/c8, s0/c9 and 289 more "
            in lines[0])


def test_show_of_many_conflicting_claims_is_one_line_per_value(tmp_path: Path) -> None:
    """`show TOPIC` printed every conflicting pair: 1,000 claims took 31 s. Past 50 pairs it prints one line per
    value (its claims, how many they conflict with, the most severe); `--format json` still lists the pairs."""
    n = 300
    folder = many_claims(tmp_path / "claims", n, extra=lambda i: "" if i % 3 else "    as_of: 2020\n")
    result = invoke("show", "border-length", "--dir", str(folder), env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) < 10 * n
    assert f"Conflicting pairs: {n * (n - 1) // 2:,}, too many to list" in result.stdout
    assert ("  1.0 km — s0/c0 ✗ 299 claims (s0/c1, s0/c2, s0/c3 …); most severe 99.6% (internal inconsistency)"
            in result.stdout)
    data = json.loads(invoke("show", "border-length", "--dir", str(folder), "--format", "json").stdout)
    assert len(data["pairs"]) == n * (n - 1) // 2  # the contract lists every pair
    assert data["pairs"][0] == ["s0/c0", "s0/c1"]


def test_json_pairs_are_written_as_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The contract's `pairs` are written one at a time: at no point are they all alive."""
    n = 200
    folder = many_claims(tmp_path / "claims", n)
    alive: list[int] = [0, 0]  # now, most
    real = conflicts_module.Pair

    class Counted(real):  # type: ignore[valid-type, misc]
        __slots__ = ()

        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            alive[0] += 1
            alive[1] = max(alive[1], alive[0])

        def __del__(self) -> None:
            alive[0] -= 1

    monkeypatch.setattr(conflicts_module, "Pair", Counted)
    result = invoke("conflicts", "--dir", str(folder), "--format", "json")
    assert len(json.loads(result.stdout)["conflicts"][0]["pairs"]) == n * (n - 1) // 2
    assert alive[1] < 10


def brute_force(claims: list[Any], kind: str, similarity: int = 90) -> dict[str, Any]:
    """The conflicts by their definition: every pair compared."""
    from rapidfuzz import fuzz

    ordered = sorted(claims, key=value_order)
    against: dict[int, list[int]] = {i: [] for i in range(len(ordered))}
    for i, a in enumerate(ordered):
        for j, b in enumerate(ordered):
            if i == j or not in_scope(a, b):
                continue
            if kind == "text":
                disagree = fuzz.ratio(a.text_key or "", b.text_key or "") < similarity
            else:
                disagree = not a.interval.intersects(b.interval)
            if disagree:
                against[i].append(j)
    return {"claims": [ordered[i].id for i in against if against[i]],
            "internal": {ordered[i].id for i in against if any(ordered[j].source == ordered[i].source
                                                                 for j in against[i])},
            "pairs": sum(len(v) for v in against.values()) // 2,
            "against": {ordered[i].id: {ordered[j].id for j in v} for i, v in against.items() if v}}


VALUES = ["1,344 km", "1,374 km", "more than 1,400 km", "less than 1,344 km", "1,300-1,400 km", "about 1,350 km",
          "{min: 1344, max: 1374, max_open: true}", "{min: 1374}", "{max: 1344, max_open: true}", "up to 1,344 km",
          "at least 1,374 km", "-5 km", "0 km", "{max: 0, max_open: true}", "{min: 0, min_open: true}"]


@pytest.mark.parametrize("seed", range(12))
def test_counted_conflicts_match_every_pair_compared(seed: int, tmp_path: Path) -> None:
    """The counts by bisection against the definition (every pair compared), on folders with open and closed
    ends, infinite ends, as_of, qualifiers that agree in another case, text, and claims of one source."""
    rng = random.Random(seed)
    text = seed % 3 == 0
    lines = []
    for s in range(3):
        claims = []
        for i in range(rng.randint(3, 12)):
            value = rng.choice(["Khorog", "Khorugh", "Kulob", "Kulyab", "Dushanbe"]) if text else rng.choice(VALUES)
            claim = (f"  - id: c{i}\n    topic: {'capital' if text else 'border-length'}\n"
                     f"    value: {value if value.startswith('{') else json.dumps(value)}\n    quote: q\n")
            claim += rng.choice(["", "", "    as_of: 2022\n", "    as_of: since 2023\n", "    as_of: 2022 to 2023\n"])
            claim += rng.choice(["", "", "    qualifiers: {measure: official}\n",
                                 "    qualifiers: {measure: Official }\n", "    qualifiers: {measure: estimate}\n",
                                 "    qualifiers: {kind: x}\n"])
            claims.append(claim)
        lines.append((f"s{s}.yaml", f"source:\n  id: s{s}\n  title: S\nclaims:\n" + "".join(claims)))
    folder = write(tmp_path / "claims", {"topics.yaml": TOPICS, **dict(lines)})
    dataset = load_folder(folder)
    key = "capital" if text else "border-length"
    expected = brute_force(list(dataset.by_topic[key]), "text" if text else "quantity")
    conflict = find_conflicts(dataset).get(key)
    if conflict is None:
        assert expected["pairs"] == 0
        return
    assert [c.id for c in conflict.claims] == expected["claims"]
    assert set(conflict.internal_ids) == expected["internal"]
    assert len(conflict.pairs) == expected["pairs"] == len(list(conflict.pairs))
    for claim in conflict.claims:
        named, total = conflict.opponents(claim)
        assert {c.id for c in named} == expected["against"][claim.id] and total == len(named)
        assert conflict.opponents(claim, 2)[0] == named[:2]
    assert conflict.severity == max(pair.severity for pair in conflict.pairs)


def test_scopes_are_compared_only_where_they_can_meet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """n claims each in a scope of its own (its own day, or its own `measure:`) are n scope classes: they are
    compared through an index (qualifiers by shared keys, days sorted), not each with each. (A guard for the
    classes, which the pair-by-pair sweep did not have.)"""
    n = 400

    def scope(i: int) -> str:
        return f"    as_of: 2001-01-{1 + i % 28:02d}\n" if i % 2 else f"    qualifiers: {{measure: m{i}}}\n"

    folder = many_claims(tmp_path / "claims", n, extra=scope, value=lambda i: f"{1000 + 10 * (i % 2)}.0 km")
    compared: list[int] = []
    real = conflicts_module.in_scope
    monkeypatch.setattr(conflicts_module, "in_scope", lambda a, b: compared.append(1) or real(a, b))
    conflict = find_conflicts(load_folder(folder))["border-length"]
    expected = brute_force(list(load_folder(folder).by_topic["border-length"]), "quantity")
    assert len(conflict.pairs) == expected["pairs"] > 0
    assert len(compared) < 20 * n


def test_a_resolution_covering_many_claims_is_read_once(tmp_path: Path) -> None:
    """`covers` was a tuple searched once per conflicting claim (n² comparisons for n covered claims)."""
    n = 400
    folder = many_claims(tmp_path / "claims", n)
    dataset = load_folder(folder)
    looked: list[int] = []

    class Covers(tuple):  # type: ignore[type-arg]
        def __contains__(self, item: object) -> bool:
            looked.append(len(self))
            return super().__contains__(item)

    topic = dataset.topics["border-length"]
    resolution = replace(topic.resolution or _resolution(topic), covers=Covers(f"s{i // 50}/c{i}" for i in range(n)))
    dataset.topics["border-length"] = replace(topic, resolution=resolution)
    assert find_conflicts(dataset)["border-length"].status == "resolved"
    assert sum(looked) <= 2 * n


def _resolution(topic: Any) -> Any:
    from claimtrack.dataset import Resolution

    return Resolution("explained", None, None, (), topic.location)


# --------------------------------------------------------------------------- default ids

def test_default_ids_are_found_in_linear_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each id-less claim's id was found by trying KEY-2, KEY-3, … from 2: 12,000 claims of one topic took 72
    million look-ups (over 10 s). The ids are the same; the look-ups are counted."""
    n = 2000
    claims = "".join(f"  - topic: border-length\n    value: \"{1000 + i % 7} km\"\n    quote: q\n" for i in range(n))
    claims += "  - id: border-length-9999\n    topic: border-length\n    value: 1 km\n    quote: q\n"
    claims += "  - topic: border-length\n    value: 1 km\n    quote: q\n" * 2
    folder = write(tmp_path / "claims",
                   {"topics.yaml": TOPICS, "s.yaml": f"source:\n  id: s\n  title: S\nclaims:\n{claims}"})
    looked: list[int] = []
    real = dataset_module._next_id

    class Probe:
        def __init__(self, used: dict[str, Any]) -> None:
            self.used = used

        def __contains__(self, key: object) -> bool:
            looked.append(1)
            return key in self.used

    monkeypatch.setattr(dataset_module, "_next_id", lambda topic, used, *rest: real(topic, Probe(used), *rest))
    ids = [claim.id for claim in load_folder(folder).claims]
    assert ids[:3] == ["s/border-length", "s/border-length-2", "s/border-length-3"]
    assert ids[n - 1] == f"s/border-length-{n}"
    assert ids[-2:] == [f"s/border-length-{n + 1}", f"s/border-length-{n + 2}"]
    assert len(looked) <= 4 * n  # the topic key, the number given last, the next


# --------------------------------------------------------------------------- extract

class CountingText(str):
    """A document that counts the characters its count() scans (the old line numbers counted from the start)."""

    scanned = 0

    def count(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        CountingText.scanned += (len(self) if end is None else end) - (start or 0)
        return super().count(sub, start, end)


def test_extract_line_numbers_are_bisected() -> None:
    line = "The border is 1,344 km long, and trade reached $111 million in 2022.\n"
    text = CountingText(line * 3000)  # 210 kB, 9,000 candidates
    CountingText.scanned = 0
    candidates = extract_module.extract_candidates(text, {})
    assert len(candidates) == 9000
    assert [c.line for c in candidates[-3:]] == [3000, 3000, 3000]
    assert CountingText.scanned <= 2 * len(text)


def test_extract_initials_are_read_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """"A. B. C. …": each full stop searched the whole sentence so far for the word before it (60 kB: over 10 s)."""
    import re

    scanned = [0]

    class Searching:
        def __getattr__(self, name: str) -> Any:
            return getattr(re, name)

        @staticmethod
        def search(pattern: Any, string: str, flags: int = 0) -> Any:
            scanned[0] += len(string)
            return re.search(pattern, string, flags)

    monkeypatch.setattr(extract_module, "re", Searching())
    text = "Signed by " + " ".join(f"{chr(65 + i % 26)}." for i in range(10_000)) + " in 2022, about 140 people.\n"
    candidates = extract_module.extract_candidates(text, {})
    assert [c.value for c in candidates] == ["2022", "about 140 people"]
    assert scanned[0] <= 2 * len(text)


def test_extract_quotes_a_long_sentence_around_each_value() -> None:
    """A document without full stops is one sentence: each candidate quoted it whole (250 kB of figures made
    179 MB of YAML). A sentence over MAX_QUOTE is quoted by the words around the value, as written."""
    part = "handed over 18 jeeps and 1,344 km, "
    text = "The delegation " + part * 2000
    candidates = extract_module.extract_candidates(text, {})
    assert len(candidates) == 4000
    flat = " ".join(text.split())
    for candidate in candidates[::97]:
        assert len(candidate.quote) <= getattr(extract_module, "MAX_QUOTE", 1000)
        assert candidate.value in candidate.quote and candidate.quote in flat
    assert candidates[0].value == "18 jeeps"  # "handed over" is a verb, as before


def test_extract_of_html_keeps_lines_without_a_number_per_character(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>Item {i}: about {i + 10} km\nlong.</p>\n" for i in range(500))
    page = f"<html><body>\n{paragraphs}</body></html>"
    text, lines = extract_module.document_text(tmp_path / "a.html", page)
    assert lines is not None and len(getattr(lines, "offsets", lines)) < len(text) / 3  # (it was a line per character)
    found = extract_module.extract_candidates(text, {}, lines)
    assert [(c.value, c.line) for c in found if c.value.startswith("about")][-1] == ("about 509 km", 1000)


# --------------------------------------------------------------------------- quotes

def test_long_missing_quotes_are_aligned_by_their_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Aligning a 13,000-character quote with its document took 5 s (the cost grows with the quote's square);
    30 missing quotes of one source were 30 whole-document alignments."""
    from rapidfuzz import fuzz

    words = "border trade river bridge market road valley customs grain power".split()
    rng = random.Random(3)
    document = " ".join(rng.choice(words) for _ in range(2000))
    claims = "".join(f"  - id: c{i}\n    topic: border-length\n    value: 1 km\n    quote: "
                     f"\"{' '.join(rng.choice(words) for _ in range(1000))}\"\n" for i in range(30))
    header = "source:\n  id: s\n  title: S\n  text: texts/s.txt\nclaims:\n"
    folder = write(tmp_path / "claims", {"topics.yaml": TOPICS, "texts/s.txt": document, "s.yaml": header + claims})
    needles: list[int] = []
    monkeypatch.setattr(fuzz, "partial_ratio_alignment", lambda quote, *rest, **options: needles.append(len(quote)))
    problems = [p for p in analyze(folder, check=True).problems if p.code == "quote-not-found"]
    assert len(problems) == 30
    assert len(needles) <= 20 and max(needles) <= 256
    assert "the closest passage is shown for the first ones" in problems[-1].message


# --------------------------------------------------------------------------- COLUMNS

def test_columns_zero_still_prints(tmp_path: Path) -> None:
    folder = many_claims(tmp_path / "claims", 3)
    for columns in ("0", "-4", "abc", " 90 "):
        result = invoke("topics", "--dir", str(folder), env={"COLUMNS": columns})
        assert "border-length" in result.stdout, columns


def test_huge_columns_is_clamped(tmp_path: Path) -> None:
    """COLUMNS=100000000 made rich lay a table out 100 million cells wide (it ran away); now at most 1,000."""
    folder = many_claims(tmp_path / "claims", 3)
    env = {**os.environ, "COLUMNS": "100000000", "PYTHONPATH": str(SRC), "CLAIMTRACK_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "claimtrack", "topics", "--dir", str(folder)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "border-length" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 1000
