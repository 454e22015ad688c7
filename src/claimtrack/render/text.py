"""How numbers, intervals and severities are written for people (shared by the table, markdown and github views)."""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from claimtrack.conflicts import Conflict, value_order
from claimtrack.dataset import Claim, Topic
from claimtrack.errors import ESCAPE, printable
from claimtrack.errors import shown_path as shown_path  # where the renderers and exports import it from
from claimtrack.values import Interval, format_day

if TYPE_CHECKING:
    from rich.console import Console

    from claimtrack.consensus import Scope, Verdict


def json_text(data: object) -> str:
    """Indented JSON (two spaces, non-ASCII kept) for every machine format; orjson writes it in C, where
    the standard library's indenting encoder is pure Python."""
    return _dumps(data).decode()


def _dumps(data: object) -> bytes:
    """orjson's indented JSON; text orjson refuses (a surrogate, from a file name that is not UTF-8) is
    written as every output writes it (errors.printable), worked out only when it happens."""
    import orjson

    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2)
    except TypeError:
        return orjson.dumps(_printable(data), option=orjson.OPT_INDENT_2)


def _printable(data: object) -> object:
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {printable(key) if isinstance(key, str) else key: _printable(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_printable(item) for item in data]
    return data


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

    head, tail = _dumps(data).split(orjson.dumps(STREAMED))
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
        yield _dumps(value)
        return
    mark = f"\x00streamed-{uuid.uuid4().hex}\x00"
    rest = _dumps({key: mark if key in streams else item for key, item in value.items()})
    for stream in streams.values():
        head, rest = rest.split(orjson.dumps(mark), 1)
        yield head
        yield from _list_chunks(head, stream.items)
    yield rest


_BATCH = 4096  # plain items of a streamed list encoded by one orjson call


def _list_chunks(head: bytes, items: Iterable[Any]) -> Iterator[bytes]:
    """A JSON list that follows `head` (the document up to it), as orjson would indent it: plain items a batch
    at a time (4.5 million pairs one by one took 25 s), an item holding a Streamed list on its own."""

    line = head[head.rfind(b"\n") + 1:]
    pad = b" " * (len(line) - len(line.lstrip(b" ")))  # the list's key's indentation; its items are two deeper
    opened = False
    batch: list[Any] = []

    def flush() -> bytes:
        body = _dumps(batch)[2:-2]  # without "[\n" and "\n]"
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
    """UTF-8 bytes to the console's file: as bytes to a file that keeps them (a ByteSink, a GuardedFile),
    decoded to anything else."""
    file = console.file
    write_bytes = getattr(file, "write_bytes", None)
    if write_bytes is not None:
        write_bytes(chunk)
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
        self.write_bytes(text.encode("utf-8", ESCAPE))
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


STATUS_ORDER = ("unresolved", "disputed", "resolved")


def conflict_tally(conflicts: Iterable[Conflict], hidden: Iterable[Conflict] = ()) -> str:
    """'3 topics in conflict: 2 unresolved, 1 disputed': each status with its count, in one order, so that the
    words agree with every row's status word. `hidden`: conflicts counted but not listed (resolved topics
    without --all), said as such: '…, 1 resolved (shown with --all)'."""
    shown = list(conflicts)
    left_out = list(hidden)
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for conflict in shown:
        counts[conflict.status] += 1
    hidden_counts = dict.fromkeys(STATUS_ORDER, 0)
    for conflict in left_out:
        hidden_counts[conflict.status] += 1
    total = len(shown) + len(left_out)
    if not total:
        return "no topic in conflict"
    parts = [f"{counts[status] + hidden_counts[status]:,} {status}"
             + (" (shown with --all)" if hidden_counts[status] and not counts[status] else "")
             for status in STATUS_ORDER if counts[status] or hidden_counts[status]]
    return f"{plural(total, 'topic')} in conflict: {', '.join(parts)}"


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


def severity(value: float, topic: Topic, claims: Iterable[Claim] = ()) -> str:
    """A share as a percent; for a date topic, how far apart the dates are, in the unit the `claims` (those
    the severity is about) are written in: '1 year apart' for 2021 against 2022 (whose spans are a day apart,
    31 December to 1 January), '2 months apart' for March against May, else days."""
    if topic.kind != "date":
        return f"{value * 100:.1f}%"
    days = int(value)
    spans = [claim.interval for claim in claims if claim.interval is not None]
    for unit, whole, length in (("year", _whole_years, 365.2425), ("month", _whole_months, 30.436875)):
        if spans and days >= 1 and all(whole(span) for span in spans):
            count = round((days - 1) / length) + 1  # the facing ends are the last day of one, the first of another
            return f"{plural(count, unit)} apart"
    return f"{plural(days, 'day')} apart"


def _day(ordinal: float) -> date | None:
    return date.fromordinal(int(ordinal)) if not math.isinf(ordinal) and 1 <= ordinal <= 3652059 else None


def _whole_months(span: Interval) -> bool:
    first, last = _day(span.low), _day(span.high)
    return (first is not None and last is not None and not span.low_open and not span.high_open and first.day == 1
            and last.day == calendar.monthrange(last.year, last.month)[1])


def _whole_years(span: Interval) -> bool:
    first, last = _day(span.low), _day(span.high)
    return (_whole_months(span) and first is not None and last is not None and (first.month, last.month) == (1, 12))
