"""How numbers, intervals and severities are written for people (shared by the table, markdown and github views)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from claimtrack.conflicts import value_order
from claimtrack.dataset import Claim, Topic
from claimtrack.values import Interval, format_day

if TYPE_CHECKING:
    from rich.console import Console

    from claimtrack.consensus import Scope, Verdict


def json_text(data: object) -> str:
    """Indented JSON (two spaces, non-ASCII kept) for every machine format; orjson writes it in C, where
    the standard library's indenting encoder is pure Python."""
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


STREAMED = "\x00streamed\x00"  # stands, in write_json's `data`, for the list written item by item


class Streamed:
    """A list, in a dict given to write_json or write_streamed, that is written item by item as it is iterated
    (a topic's conflicting pairs: millions of them are never one Python list)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def write_json(console: Console, data: dict[str, Any], items: Iterable[Any]) -> None:
    """Write `data` as json_text would, with `items` as the list where `data` holds STREAMED, each item built
    and encoded in turn (and a Streamed list inside an item written in turn too): a 170,000-pair conflicts
    document never exists as one Python structure."""
    import orjson

    head, tail = orjson.dumps(data, option=orjson.OPT_INDENT_2).split(orjson.dumps(STREAMED))
    write_raw(console, head)
    for chunk in _list_chunks(head, items):
        write_raw(console, chunk)
    write_raw(console, tail + b"\n")
    console.file.flush()


def write_streamed(console: Console, data: dict[str, Any]) -> None:
    """Write `data` (which may hold Streamed lists) as json_text would."""
    for chunk in _chunks(data):
        write_raw(console, chunk)
    write_raw(console, b"\n")
    console.file.flush()


def _chunks(value: Any) -> Iterator[bytes]:
    """`value` encoded as orjson's OPT_INDENT_2 encodes it, in pieces: each Streamed list of a dict item by item."""
    import uuid

    import orjson

    streams = {key: item for key, item in value.items() if isinstance(item, Streamed)} if isinstance(
        value, dict) else {}
    if not streams:
        yield orjson.dumps(value, option=orjson.OPT_INDENT_2)
        return
    mark = f"\x00streamed-{uuid.uuid4().hex}\x00"
    rest = orjson.dumps({key: mark if key in streams else item for key, item in value.items()},
                        option=orjson.OPT_INDENT_2)
    for stream in streams.values():
        head, rest = rest.split(orjson.dumps(mark), 1)
        yield head
        yield from _list_chunks(head, stream.items)
    yield rest


_BATCH = 4096  # plain items of a streamed list encoded by one orjson call


def _list_chunks(head: bytes, items: Iterable[Any]) -> Iterator[bytes]:
    """A JSON list that follows `head` (the document up to it), as orjson would indent it: plain items a batch
    at a time (4.5 million pairs one by one took 25 s), an item holding a Streamed list on its own."""
    import orjson

    line = head[head.rfind(b"\n") + 1:]
    pad = b" " * (len(line) - len(line.lstrip(b" ")))  # the list's key's indentation; its items are two deeper
    opened = False
    batch: list[Any] = []

    def flush() -> bytes:
        body = orjson.dumps(batch, option=orjson.OPT_INDENT_2)[2:-2]  # without "[\n" and "\n]"
        batch.clear()
        return (b"," if opened else b"[") + b"\n" + pad + body.replace(b"\n", b"\n" + pad)

    for item in items:
        if isinstance(item, dict) and any(isinstance(value, Streamed) for value in item.values()):
            if batch:
                yield flush()
                opened = True
            indent = b"\n" + pad + b"  "
            for number, piece in enumerate(_chunks(item)):
                indented = piece.replace(b"\n", indent)
                yield ((b"," if opened else b"[") + indent + indented) if number == 0 else indented
            opened = True
            continue
        batch.append(item)
        if len(batch) >= _BATCH:
            yield flush()
            opened = True
    if batch:
        yield flush()
        opened = True
    yield b"\n" + pad + b"]" if opened else b"[]"


def write_raw(console: Console, chunk: bytes) -> None:
    """UTF-8 bytes to the console's file: as they are to a ByteSink, decoded to anything else."""
    file = console.file
    if isinstance(file, ByteSink):
        file.write_bytes(chunk)
    else:
        file.write(chunk.decode())


def write_text(console: Console, text: str) -> None:
    """Machine-readable output goes straight to the console's file: exact bytes, and no per-character
    processing by rich (which costs seconds on a 30 MB JSON document)."""
    console.file.write(text)
    console.file.write("\n")
    console.file.flush()


class ByteSink:
    """A text file for rich that keeps what is written as UTF-8 bytes: a 30 MB document is held once, not
    as a two- or four-byte-per-character string. Given a `spill` stream, past `limit` bytes it writes what it
    holds there and everything after straight through (`spilled`): the contract's pairs of 3,000 claims that
    all disagree are 300 MB of JSON, which are not worth holding (nor caching)."""

    encoding = "utf-8"

    def __init__(self, spill: BinaryIO | None = None, limit: int = 0) -> None:
        self._held = bytearray()
        self._spill = spill
        self._limit = limit
        self.spilled = False

    def write(self, text: str) -> int:
        self.write_bytes(text.encode("utf-8", "surrogateescape"))
        return len(text)

    def write_bytes(self, chunk: bytes) -> None:
        if self.spilled:
            self._spill.write(chunk)  # type: ignore[union-attr]
            return
        self._held += chunk
        if self._spill is not None and len(self._held) > self._limit:
            self._spill.write(self._held)
            self._held = bytearray()
            self.spilled = True

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def getvalue(self) -> bytes:
        """What is held: everything written, unless it spilled (then what came after the last spill)."""
        return bytes(self._held)


def shown_path(path: object) -> str:
    """A path as text that any output can hold: a byte of a file name that is not UTF-8 shows as \\xff."""
    import os

    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def value_groups(claims: Iterable[Claim]) -> list[list[Claim]]:
    """Claims with the same meaning (interval, or normalised text) side by side, in value order."""
    groups: dict[object, list[Claim]] = {}
    for claim in sorted(claims, key=value_order):
        groups.setdefault(claim.interval if claim.interval is not None else claim.text_key, []).append(claim)
    return list(groups.values())


def number(value: float) -> str:
    """1343.5 -> '1,343.5'; 1.2e9 -> '1,200,000,000'; 32.833333 -> '32.8333'."""
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def interval(claim: Claim, topic: Topic) -> str:
    """The claim's interval in the topic's unit: '[1,343.5, 1,344.5] km', '(1,400, ∞) km', '[2024-08-01, …)'."""
    if claim.interval is None:
        return "—"
    if topic.kind == "boolean":
        return "yes" if claim.interval.low else "no"
    return interval_text(claim.interval, topic)


def interval_text(span: Interval, topic: Topic) -> str:
    if topic.kind == "date":
        low, high = format_day(span.low) or "…", format_day(span.high) or "…"
        if low == high:
            return low
        body = f"{low}, {high}"
    else:
        body = f"{number(span.low)}, {number(span.high)}"
    text = f"{'(' if span.low_open else '['}{body}{')' if span.high_open else ']'}"
    if topic.kind == "quantity" and topic.unit:
        text += f" {topic.unit}"
    return text


def plural(count: int, noun: str) -> str:
    """1 -> '1 claim', 3 -> '3 claims' (with thousands separators)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def scope_label(scope: Scope) -> str:
    """What sets a consensus scope apart: 'as of 2022, measure=official', or '' for a whole topic."""
    parts = [f"as of {scope.as_of}"] if scope.as_of else []
    parts.extend(f"{key}={value}" for key, value in scope.qualifiers)
    return ", ".join(parts)


def tied_values(verdict: Verdict) -> str:
    """The answers a tie is between: '1,344 km vs 1,374 km'."""
    return " vs ".join(sorted({candidate.representative.value for candidate in verdict.tied}))


def confidence(probability: float) -> str:
    """0.48 -> '48%'; never '100%' for a probability below one (0.998 -> '>99%')."""
    if 0.995 <= probability < 1:
        return ">99%"
    return f"{probability:.0%}"


def severity(value: float, topic: Topic) -> str:
    """A share as a percent; days for date topics."""
    if topic.kind == "date":
        days = int(value)
        return f"{days} day{'s' if days != 1 else ''} apart"
    return f"{value * 100:.1f}%"
