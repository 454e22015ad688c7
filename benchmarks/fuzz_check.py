"""Fuzz campaign: mutated claim files through the whole `check` path, in-process, counting crashes.

    python benchmarks/fuzz_check.py --iterations 100000 --jobs 2 [--seed 1] [--out fuzz-crashes] [--views all]

Each iteration starts from a small valid claims folder (topics of every kind, sources with text copies,
structured values, ranges, qualifiers, anchors), picks one of its files, applies one to four random mutations
(byte flips, line deletions and duplications, key typos, value swaps, random unicode, truncation,
indentation changes, inserted tags and anchors, re-encoding) and runs the library path a `claimtrack check`
runs: `claimtrack.report.analyze(folder, check=True)` and every renderer of `check_renderers()` into a
`rich.console.Console(file=io.StringIO())`. With `--views all` the conflicts, show, topics and sources
renderers run too. Any exception is a crash; so is an iteration that takes longer than `--timeout`
seconds. Each crashing input is saved under OUT/SIGNATURE/ (the whole folder, the mutated file and the
traceback), at most `--keep` per signature. The loader's cache (when claimtrack has one) is kept in each
worker's temporary folder unless CLAIMTRACK_CACHE_DIR is set, so it is exercised without touching the user's.

Iteration i is fully determined by (seed, i): `--replay I` re-runs one iteration and prints what happened, so
a crash is reproduced without the campaign. The summary (iterations, time, crashes by signature) is printed
and written to OUT/summary.json.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import multiprocessing
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, cast

# --------------------------------------------------------------------------- the valid base folder

TOPICS = """\
# The registry of the fuzz corpus: every kind of topic, units, widenings and resolutions.
topics:
  border-length:
    title: Length of the Tajikistan–Afghanistan border
    kind: quantity
    unit: km
    aliases: [tajik-afghan border length, border with afghanistan]
    tolerance: 0
    resolution:
      status: explained
      preferred: "1,344 km"
      note: Official Tajik figure; 1,374 km appears in press reports.
      covers: [alpha/border-length, beta/border-length, beta/border-loose, delta/border-length]
  tajik-share:
    title: Tajik share of Afghanistan's population
    unit: "%"
    approx: 5%
    resolution:
      status: disputed
      note: No census; the figures are estimates.
      covers: [alpha/tajik-share, beta/tajik-share, delta/share-words, gamma-2024/tajik-share]
  trade:
    title: Trade turnover
    unit: USD
    tolerance: "1%"
  refugees:
    title: Refugees received
    approx: 500
  area:
    title: Area of the province
    unit: km2
  flight-time:
    title: Flight time Dushanbe–Kabul
    unit: h
  grain:
    title: Grain delivered
    unit: t
  handover:
    title: When the Khorog consulate passed to the Taliban
    kind: date
    tolerance: 3 days
  capital:
    title: Capital city
    kind: text
    similarity: 85
  recognised:
    title: Recognised the government
    kind: boolean
    note: Official recognition only.
    resolution:
      status: accepted
      note: De facto and official recognition differ.
      covers: [beta/recognised, delta/recognised-delta]
"""

ALPHA = """\
# A source with comments, as people write them.
source:
  id: alpha
  title: Alpha brief
  publisher: Alpha Institute
  author: [Jane Doe, John Roe]
  published: 2023-04
  type: policy-brief
  url: https://example.org/alpha
  text: ../texts/alpha.txt
claims:
  - topic: border-length
    value: "1,344 km"
    quote: "the 1,344-kilometre border"
  - topic: tajik-share
    value: "about a quarter"
    quote: "about a quarter of Afghans are Tajiks"
  - topic: handover
    value: late March 2023
    quote: "In late March of this year"
  - topic: trade
    value: "$111 million"
    quote: "trade of $111 million"
    as_of: 2022
  - id: trade-h1
    topic: trade
    value: "$62 million"
    quote: "$62 million in the first half"
    as_of: H1 2024
    qualifiers: {measure: official}
"""

BETA = """\
source:
  id: beta
  title: "Beta news: borders, trade and refugees"
  publisher: Beta
  author: Ann Author
  published: 2025-05-14
  type: news
claims:
  - topic: border-length
    value: "1,374 km"
    quote: "a rugged 1,374-kilometer-long border"
  - topic: tajik-share
    value: 46%
    quote: "Tajiks are 46%"
    attributed_to: a survey
  - topic: handover
    value: April 2023
    quote: "in April 2023"
  - topic: refugees
    value: "14 thousand refugees"
    quote: "some 14,000 refugees"
  - id: border-loose
    topic: border-length
    value: more than 1,400 km
    quote: "more than 1,400 km"
    note: A loose round figure.
  - topic: capital
    value: Kabul
    quote: "the capital, Kabul"
  - topic: recognised
    value: "no"
    quote: "has not recognised"
"""

GAMMA = """\
source:
  id: gamma-2024
  title: Gamma review
  publisher: Gamma
  published: mid 2024
  type: analysis
  note: Date estimated from the text.
claims:
  - topic: area
    value: {min: 60000, max: null, unit: km2}
    quote: "over 60,000 square kilometres"
  - topic: flight-time
    value: "between 1 and 2 hours"
    quote: "between one and two hours"
  - topic: grain
    value: "2–3 thousand tonnes"
    quote: "2-3 thousand tonnes of grain"
    as_of: Q3 2023
  - topic: trade
    value: "approximately $100 million"
    quote: "approximately $100 million"
    as_of: 2022
    qualifiers: {measure: official, direction: both}
  - topic: refugees
    value: "at least 10,000"
    quote: "at least 10,000 people"
  - topic: handover
    value: "between March and May 2023"
    quote: "in spring 2023"
  - topic: capital
    value: "KABUL"
    quote: "Kabul"
  - topic: tajik-share
    value: "27 ± 2 %"
    quote: "27 percent, plus or minus two"
"""

DELTA = """\
# Flow style, anchors and aliases that are valid.
source: {id: delta, title: Delta dataset, type: dataset, published: "2021"}
claims:
  - &base {topic: border-length, value: "4,130 miles", quote: "4,130 miles of frontier"}
  - {id: share-words, topic: tajik-share, value: one in four, quote: "one in four"}
  - id: recognised-delta
    topic: recognised
    value: "yes"
    quote: "recognised"
    qualifiers: &q {scope: de facto}
  - id: grain-late
    topic: grain
    value: "2,500.5 t"
    quote: "2,500.5 t"
    qualifiers: *q
"""

TEXT_ALPHA = """\
Tajikistan and Afghanistan share the 1,344-kilometre border. About a quarter
of Afghans are Tajiks. In late March of this year the consulate changed hands;
trade of $111 million was recorded, and $62 million in the first half.
"""

BASE: dict[str, str] = {
    "topics.yaml": TOPICS,
    "sources/alpha.yaml": ALPHA,
    "sources/beta.yaml": BETA,
    "sources/2024/gamma-2024.yaml": GAMMA,
    "delta.yaml": DELTA,
    "texts/alpha.txt": TEXT_ALPHA,
}
MUTABLE = [name for name in BASE if name.endswith(".yaml")]

# --------------------------------------------------------------------------- mutations

INTERESTING_VALUES = [
    "", "~", "null", "[]", "{}", "[a, b]", "{min: 1}", "{min: 5, max: 1}", "{max: x}", "{min: 1, min_open: maybe}",
    "{min: 1, unit: parsecs}", "{min: '2020', max: '2019'}", "0", "-0", "-1", ".5", "1.", "1..2", "1,2", "1e5",
    "1e400", ".nan", ".inf", "-.inf", "nan", "inf", "NaN km", "∞", "9" * 400, "1" + "0" * 400, "0." + "0" * 400 + "1",
    "-" + "9" * 400, "more than " + "9" * 320, "1,000 ± " + "9" * 400, "about " + "1" + "0" * 308, "1 million billion",
    "$5m", "5m", "€3bn", "£2", "¥9", "US$ 4", "12 lakh", "3 crore", "1,344 ± 2 km", "1,344 +/- 2 km", "±",
    "5 km ± 3 mi", "$5 ± 1 €", "between 5 and 3", "5-3", "3–5", "2-3 million", "from 1 to", "to 5", "– 5", "5 –",
    "about 3–5 km", "almost 0", "just over -5", "more than more than 5", "5+ or more", "a quarter", "two thirds",
    "two third", "one in 0", "0 in 0", "10 out of 3", "half", "a dozen", "twenty twenty", "a hundred thousand",
    "ninety-nine", "zero", "46 per cent", "46 percent", "46%%", "%", "km", "4,130 miles", "6,650 km", "18 jeeps",
    "14 thousand refugees", "yes", "no", "true", "maybe", "Kabul", "k", "١٢٣", "１２", "½", "²", "1²", "1 km²",
    "2023", "0000", "0001", "9999", "10000", "2023-02-30", "2023-13", "2023-00-10", "winter 0001", "spring 0000",
    "summer 0000", "0000s", "early 0000s", "mid 0000s", "winter 9999/10000", "winter 0000", "Q5 2023", "H3 2024",
    "before 0001", "after 9999", "after 9999-12-31", "by 9999", "since 0001-01-01", "late December 9999",
    "early March–May 2023", "May–March 2023", "2–5 April 2023", "31 February 2023", "the 1990s", "the 1995s",
    "last year", "winter 2023/24", "first half of 2024", "second half of August 2024", "mid", "early", "late 1990s",
    "between 2020 and", "from 2021 until 2019", "10000000 days", "1 week", "3 days", "-3 days", "100%", "-5%",
    "1000000000%", "0%", "5 km", "5 kg", "x" * 2000, "\u202e2023", "2023\u200b", "ab\u0301c", "\t1", "1\t", "\\x00",
]
TAGS = ["!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!!binary aGVsbG8=",
        "!!timestamp 2023-01-01", "!!set {a}", "!!omap [a: 1]", "!include other.yaml", "!<tag:yaml.org,2002:str> x",
        "!!str 5", "!!int 5", "!!float .nan", "!!bool yes", "!!null ''", "!!map {a: 1}", "!!seq [a]", "! x",
        "!local x", "!!python/object/new:str [x]", "!!merge <<"]
ANCHORS = ["&a", "*a", "&a x", "*undefined", "&a [*a]", "<<: *base", "&b {topic: trade}", "*base", "*q", "&q"]
UNICODE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
           "\u202e", "\u200d", "\u0301", "\U0001f600", "\U0010ffff", "\ud7ff", "\ue000", "\u3000", "\t", "\r", "\n",
           "–", "—", "−", "±", "’", "“", "”", "«", "»", "ß", "ǅ", "İ", "ﬁ", "①", "Ⅻ", "٣", "߀", "𝟗", ":", "-", "#",
           "&", "*", "!", "|", ">", "'", '"', "%", "@", "`", "{", "}", "[", "]", ",", "?"]
KEYS = ["source", "claims", "topics", "id", "title", "kind", "unit", "aliases", "tolerance", "approx", "similarity",
        "resolution", "status", "preferred", "note", "covers", "publisher", "author", "published", "url", "type",
        "text", "topic", "value", "quote", "as_of", "attributed_to", "qualifiers", "min", "max", "min_open",
        "max_open"]
KEY_VALUES = {
    "kind": ["quantity", "date", "text", "boolean", "Quantity", "list", "[date]", ""],
    "unit": ["km", "\"%\"", "USD", "EUR", "t", "h", "days", "km2", "parsecs", "m", "$", "", "[km]", "mi", "pound"],
    "status": ["explained", "accepted", "disputed", "resolved", "[disputed]", ""],
    "type": ["news", "analysis", "policy-brief", "other", "blog", "[news]"],
    "similarity": ["0", "100", "101", "-1", "ninety", "1e3", "90.5", "[90]"],
    "text": ["../texts/alpha.txt", "texts/missing.txt", "../../../../../../../etc/hostname", "/etc/hostname", ".",
             "..", "''", "../texts", "[a]"],
    "covers": ["[]", "[alpha/border-length]", "[nonsense]", "[alpha/border-length, alpha/border-length]", "x", "{}"],
    "id": ["alpha", "beta", "Alpha", "a b", "-x", "x/y", "", "1", "[a]", "border-length"],
    "topic": ["border-length", "trade", "capital", "recognised", "handover", "Border-Length", "border with afghanistan",
              "nonsense", "", "[trade]"],
    "qualifiers": ["{}", "{a: b}", "{a: [b]}", "[a]", "x", "{a: {b: c}}", "{measure: OFFICIAL}"],
    "author": ["[]", "[a, [b]]", "{a: b}", "x"],
    "min_open": ["true", "false", "maybe", "[true]", "yes"],
}


def _line_spans(data: bytes) -> list[tuple[int, int]]:
    spans, start = [], 0
    for index, byte in enumerate(data):
        if byte == 10:
            spans.append((start, index + 1))
            start = index + 1
    if start < len(data):
        spans.append((start, len(data)))
    return spans


def _pick_line(rng: random.Random, data: bytes) -> tuple[int, int] | None:
    spans = _line_spans(data)
    return rng.choice(spans) if spans else None


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buffer = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        position = rng.randrange(len(buffer))
        buffer[position] = buffer[position] ^ (1 << rng.randrange(8)) if rng.random() < 0.6 else rng.randrange(256)
    return bytes(buffer)


def delete_line(rng: random.Random, data: bytes) -> bytes:
    span = _pick_line(rng, data)
    return data if span is None else data[:span[0]] + data[span[1]:]


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    span = _pick_line(rng, data)
    if span is None:
        return data
    line = data[span[0]:span[1]]
    if not line.endswith(b"\n"):
        line += b"\n"
    target = rng.choice([s[0] for s in _line_spans(data)] + [len(data)])
    return data[:target] + line + data[target:]


def key_typo(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    keys = [key for key in KEYS if f"{key}:" in text]
    if not keys:
        return data
    key = rng.choice(keys)
    chars = list(key)
    operation = rng.randrange(5)
    position = rng.randrange(len(chars))
    if operation == 0 and len(chars) > 1:
        del chars[position]
    elif operation == 1:
        chars.insert(position, rng.choice("abcdefghijklmnopqrstuvwxyz_-"))
    elif operation == 2 and position + 1 < len(chars):
        chars[position], chars[position + 1] = chars[position + 1], chars[position]
    elif operation == 3:
        chars = list(key.upper() if rng.random() < 0.5 else key.capitalize())
    else:
        chars = list(rng.choice(KEYS))  # a real key in the wrong place
    occurrences = [i for i in range(len(text)) if text.startswith(f"{key}:", i)]
    at = rng.choice(occurrences)
    return (text[:at] + "".join(chars) + text[at + len(key):]).encode("utf-8", "surrogateescape")


def _value_lines(text: str) -> list[tuple[int, int, str]]:
    """(start of value, end of value, key) for every `key: value` line."""
    found, offset = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" -")
        colon = stripped.find(": ")
        if colon > 0:
            key = stripped[:colon]
            start = offset + len(line) - len(stripped) + colon + 2
            end = offset + len(line.rstrip("\r\n"))
            found.append((start, end, key))
        offset += len(line)
    return found


def swap_value(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    lines = _value_lines(text)
    if not lines:
        return data
    start, end, key = rng.choice(lines)
    roll = rng.random()
    if roll < 0.3 and key in KEY_VALUES:
        new = rng.choice(KEY_VALUES[key])
    elif roll < 0.55:
        other = rng.choice(lines)
        new = text[other[0]:other[1]]
    else:
        value = rng.choice(INTERESTING_VALUES)
        new = value if value[:1] in "[{" or value in ("", "~", "null") or rng.random() < 0.3 else json.dumps(value)
    return (text[:start] + new + text[end:]).encode("utf-8", "surrogateescape")


def random_unicode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        position = rng.randrange(len(text) + 1)
        char = rng.choice(UNICODE) if rng.random() < 0.7 else chr(rng.randrange(0x20, 0x30000))
        if 0xD800 <= ord(char[0]) <= 0xDFFF:
            char = "\ufffd"
        text = text[:position] + char + text[position:]
    return text.encode("utf-8", "surrogateescape")


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def reindent(rng: random.Random, data: bytes) -> bytes:
    spans = _line_spans(data)
    if not spans:
        return data
    out = bytearray()
    chosen = {rng.randrange(len(spans)) for _ in range(rng.choice((1, 1, 2, 5)))}
    everything = rng.random() < 0.1
    for index, (start, end) in enumerate(spans):
        line = data[start:end]
        if everything or index in chosen:
            operation = rng.randrange(4)
            if operation == 0:
                line = b" " * rng.choice((1, 2, 4)) + line
            elif operation == 1:
                line = line[min(len(line) - len(line.lstrip(b" ")), rng.choice((1, 2))):]
            elif operation == 2:
                line = line.replace(b"  ", b"\t", 1)
            else:
                line = line.lstrip(b" ")
        out += line
    return bytes(out)


def insert_tag_or_anchor(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    lines = _value_lines(text)
    token = rng.choice(TAGS + ANCHORS)
    if not lines or rng.random() < 0.2:
        position = rng.randrange(len(text) + 1)
        return (text[:position] + token + text[position:]).encode("utf-8", "surrogateescape")
    start, end, _ = rng.choice(lines)
    if rng.random() < 0.5:  # before the value
        return (text[:start] + token + " " + text[start:]).encode("utf-8", "surrogateescape")
    return (text[:start] + token + text[end:]).encode("utf-8", "surrogateescape")


def reencode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    choice = rng.randrange(6)
    try:
        if choice == 0:
            return "\ufeff".encode() + data
        if choice == 1:
            return text.encode("utf-16")
        if choice == 2:
            return text.encode("utf-16-le")  # no BOM: not UTF-8
        if choice == 3:
            return data.replace(b"\n", b"\r\n")
        if choice == 4:
            return data.replace(b"\n", b"\r")
        return text.encode("latin-1", "replace")
    except UnicodeError:
        return data


def splice(rng: random.Random, data: bytes) -> bytes:
    """A line from another file of the corpus, inserted at a random line."""
    other = BASE[rng.choice(MUTABLE)].encode()
    span = _pick_line(rng, other)
    if span is None:
        return data
    target = rng.choice([s[0] for s in _line_spans(data)] + [len(data)])
    return data[:target] + other[span[0]:span[1]] + data[target:]


def amplify(rng: random.Random, data: bytes) -> bytes:
    """Many copies of one line, or a deep or wide structure: stresses the limits."""
    roll = rng.randrange(5)
    if roll == 4:  # compact nested sequences: "- - - … x", two bytes a level
        return data + b"nested:\n  " + b"- " * rng.choice((10, 65, 1000, 30000)) + b"x\n"
    if roll == 0:
        span = _pick_line(rng, data)
        if span is None:
            return data
        return data[:span[0]] + data[span[0]:span[1]] * rng.choice((10, 100, 1000)) + data[span[1]:]
    if roll == 1:
        depth = rng.choice((10, 63, 64, 65, 200))
        return data + b"deep: " + b"[" * depth + b"]" * depth + b"\n"
    if roll == 2:
        levels = rng.choice((5, 9, 11))
        return data + b"bomb: &x0 [a, a]\n" + b"".join(
            f"b{i}: &x{i} [*x{i - 1}, *x{i - 1}, *x{i - 1}, *x{i - 1}]\n".encode() for i in range(1, levels))
    return data + b"long: " + b"9" * rng.choice((400, 5000)) + b"\n"


MUTATIONS = [flip_bytes, delete_line, duplicate_line, key_typo, swap_value, swap_value, random_unicode, truncate,
             reindent, insert_tag_or_anchor, reencode, splice, amplify]


def mutate(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    names = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        mutation = rng.choice(MUTATIONS)
        data = mutation(rng, data)
        names.append(mutation.__name__)
    return data, names


# --------------------------------------------------------------------------- running one iteration

class Hang(Exception):
    """An iteration ran past the time limit."""


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang("iteration took longer than the time limit")


def plan(seed: int, iteration: int) -> tuple[str, bytes, list[str], str | None, bytes | None]:
    """What iteration `iteration` does: the file, its mutated bytes, the mutations (and sometimes a second file)."""
    rng = random.Random(f"{seed}:{iteration}")
    name = rng.choice(MUTABLE)
    data, names = mutate(rng, BASE[name].encode())
    second, second_data = None, None
    if rng.random() < 0.1:  # sometimes two broken files at once: one must never hide the other
        second = rng.choice([m for m in MUTABLE if m != name])
        second_data, more = mutate(rng, BASE[second].encode())
        names += [f"{second}:{m}" for m in more]
    return name, data, names, second, second_data


def write_base(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    for name, text in BASE.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run_views(folder: Path, views: str) -> None:
    """The `check` path: analyse with every check, render every check format (and with views=all, the rest)."""
    from rich.console import Console

    from claimtrack.render import (
        check_renderers,
        conflicts_renderers,
        show_renderers,
        sources_renderers,
        topics_renderers,
    )
    from claimtrack.report import analyze

    report = analyze(folder, check=True)
    for render in check_renderers().values():
        render(report, Console(file=io.StringIO(), width=100))
    if views == "all":
        chosen = report.ordered_conflicts(include_resolved=True)
        for render_conflicts in conflicts_renderers().values():
            render_conflicts(report, chosen, Console(file=io.StringIO(), width=100))
        for render in (*topics_renderers().values(), *sources_renderers().values()):
            render(report, Console(file=io.StringIO(), width=100))
        for topic in report.dataset.topics.values():
            for render_show in show_renderers().values():
                render_show(report, topic, Console(file=io.StringIO(), width=100))


def signature(error: BaseException) -> str:
    """Exception type and the innermost claimtrack function: one signature per bug, not per input."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "claimtrack" in f.filename and "fuzz_check" not in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].name}" if ours else "?"  # function, not line: src moves
    return f"{type(error).__name__}@{where}"


def run_one(folder: Path, seed: int, iteration: int, views: str, timeout: float) -> tuple[str, str] | None:
    """Run iteration `iteration` in `folder` (holding the base files); None, or (signature, traceback)."""
    name, data, _, second, second_data = plan(seed, iteration)
    (folder / name).write_bytes(data)
    if second is not None and second_data is not None:
        (folder / second).write_bytes(second_data)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        run_views(folder, views)
        return None
    except Exception as error:  # noqa: BLE001 — every exception is a finding
        return signature(error), traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        (folder / name).write_text(BASE[name], encoding="utf-8")
        if second is not None:
            (folder / second).write_text(BASE[second], encoding="utf-8")


def save_crash(out: Path, seed: int, iteration: int, sig: str, trace: str) -> Path:
    name, data, mutations, second, second_data = plan(seed, iteration)
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in sig)
    target = out / slug / f"iteration-{iteration}"
    write_base(target / "claims")
    (target / "claims" / name).write_bytes(data)
    if second is not None and second_data is not None:
        (target / "claims" / second).write_bytes(second_data)
    (target / "README.txt").write_text(
        f"seed {seed}, iteration {iteration}\nmutated: {name}" + (f", {second}" if second else "") +
        f"\nmutations: {', '.join(mutations)}\nreplay: python benchmarks/fuzz_check.py --seed {seed} --replay "
        f"{iteration}\n\n{trace}", encoding="utf-8")
    return target


def worker(args: tuple[int, int, int, int, str, float, str, int]) -> dict[str, object]:
    index, jobs, seed, iterations, views, timeout, out, keep = args[:8]
    signal.signal(signal.SIGALRM, _on_alarm)
    folder = Path(tempfile.mkdtemp(prefix=f"claimtrack-fuzz-{index}-")) / "claims"
    os.environ.setdefault("CLAIMTRACK_CACHE_DIR", str(folder.parent / "cache"))  # the loader's cache, if any
    write_base(folder)
    crashes: dict[str, list[int]] = {}
    slowest = (0.0, -1)
    started = time.perf_counter()
    current = Path(out) / f".worker-{index}.current"
    try:
        first = args[8] if len(args) > 8 else index
        for iteration in range(first, iterations, jobs):
            current.write_text(str(iteration), encoding="utf-8")  # read back if the process dies of a signal
            began = time.perf_counter()
            found = run_one(folder, seed, iteration, views, timeout)
            took = time.perf_counter() - began
            if took > slowest[0]:
                slowest = (took, iteration)
            if found is not None:
                sig, trace = found
                crashes.setdefault(sig, []).append(iteration)
                with (Path(out) / f".worker-{index}.crashes").open("a", encoding="utf-8") as log:
                    log.write(f"{sig}\t{iteration}\n")  # survives the process, should a later input kill it
                if len(crashes[sig]) <= keep:
                    save_crash(Path(out), seed, iteration, sig, trace)
            done = (iteration - first) // jobs + 1
            if index == 0 and done % 5000 == 0:
                rate = done / (time.perf_counter() - started)
                total = sum(len(v) for v in crashes.values())
                print(f"  worker 0: {done:,} iterations, {rate:.0f}/s, {total} crashes", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    return {"crashes": crashes, "slowest": slowest, "seconds": time.perf_counter() - started}


def _child(queue: Any, task: tuple[Any, ...]) -> None:
    queue.put((task[0], worker(task)))


def _run_workers(args: argparse.Namespace) -> tuple[list[dict[str, object]], list[tuple[str, int]]]:
    """One process per job. A process killed by a signal (a segfault in a native parser) is a crash of the
    iteration it was running: it is recorded and saved, and that job resumes after it in a new process."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    results: list[dict[str, object]] = []
    hard: list[tuple[str, int]] = []
    pending = {i: i for i in range(args.jobs)}  # job -> first iteration still to run
    while pending:
        processes = {}
        for job, start in pending.items():
            task = (job, args.jobs, args.seed, args.iterations, args.views, args.timeout, str(args.out), args.keep)
            process = context.Process(target=_child, args=(queue, _shifted_task(task, start)))
            process.start()
            processes[job] = process
        finished: dict[int, dict[str, object]] = {}
        while len(finished) < len(processes):
            try:
                job, result = queue.get(timeout=1)
                finished[job] = result
            except Exception:  # noqa: BLE001 — queue.Empty: see whether a process died
                dead = [j for j, p in processes.items() if j not in finished and p.exitcode not in (None, 0)]
                for j in dead:
                    finished[j] = {"died": processes[j].exitcode}
        pending = {}
        for job, result in finished.items():
            processes[job].join()
            if "died" in result:
                current = Path(args.out) / f".worker-{job}.current"
                iteration = int(current.read_text(encoding="utf-8"))
                sig = f"signal{-int(result['died'])}@native"  # type: ignore[call-overload]
                hard.append((sig, iteration))
                save_crash(Path(args.out), args.seed, iteration, sig,
                           f"the process died of signal {-int(result['died'])}")  # type: ignore[call-overload]
                if iteration + args.jobs < args.iterations:
                    pending[job] = iteration + args.jobs
            else:
                results.append(result)
    return results, hard


def _shifted_task(task: tuple[Any, ...], start: int) -> tuple[Any, ...]:
    """A worker task that starts at iteration `start` (same job, same stride)."""
    return (*task, start)


def _revision() -> str:
    """The commit of the code under test, with '+dirty' when src/ has uncommitted changes."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=root, capture_output=True,
                               text=True, timeout=10).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}+dirty" if dirty else head or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"), help="where crashing inputs are saved")
    parser.add_argument("--views", choices=("check", "all"), default="check",
                        help="check: analyze + check renderers (default); all: every renderer too")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before an iteration counts as a hang")
    parser.add_argument("--keep", type=int, default=20, help="crashing inputs saved per signature")
    parser.add_argument("--replay", type=int, metavar="I", help="run iteration I only and print its traceback")
    args = parser.parse_args(argv)

    if args.replay is not None:
        signal.signal(signal.SIGALRM, _on_alarm)
        folder = Path(tempfile.mkdtemp(prefix="claimtrack-replay-")) / "claims"
        os.environ.setdefault("CLAIMTRACK_CACHE_DIR", str(folder.parent / "cache"))
        write_base(folder)
        name, data, mutations, second, _ = plan(args.seed, args.replay)
        print(f"iteration {args.replay}: {name}{', ' + second if second else ''}: {', '.join(mutations)}")
        print(data.decode("utf-8", "backslashreplace")[:3000])
        found = run_one(folder, args.seed, args.replay, args.views, args.timeout)
        print("no crash" if found is None else found[1])
        shutil.rmtree(folder.parent, ignore_errors=True)
        return 0 if found is None else 1

    args.out.mkdir(parents=True, exist_ok=True)
    for stale in args.out.glob(".worker-*"):
        stale.unlink()
    started = time.perf_counter()
    results, hard = _run_workers(args)
    elapsed = time.perf_counter() - started
    crashes: dict[str, list[int]] = {}
    for sig, iteration in hard:
        crashes.setdefault(sig, []).append(iteration)
    for log in sorted(args.out.glob(".worker-*.crashes")):
        for row in log.read_text(encoding="utf-8").splitlines():
            sig, iteration = row.split("\t")
            crashes.setdefault(sig, []).append(int(iteration))
    slowest = max((cast(tuple[float, int], result["slowest"]) for result in results), default=(0.0, -1))
    summary = {
        "seed": args.seed, "iterations": args.iterations, "jobs": args.jobs, "views": args.views,
        "seconds": round(elapsed, 1), "iterations_per_second": round(args.iterations / elapsed, 1),
        "crashing_iterations": sum(len(v) for v in crashes.values()),
        "signatures": {sig: {"count": len(its), "first": sorted(its)[:5]} for sig, its in sorted(crashes.items())},
        "slowest_iteration": {"seconds": round(slowest[0], 3), "iteration": slowest[1]},
        "python": sys.version.split()[0], "cpus": os.cpu_count(), "revision": _revision(),
        "corpus_sha256": hashlib.sha256(json.dumps(BASE, sort_keys=True).encode()).hexdigest()[:16],
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
