"""How numbers, intervals and severities are written for people (shared by the table, markdown and github views)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from claimtrack.dataset import Claim, Topic
from claimtrack.values import Interval, format_day

if TYPE_CHECKING:
    from rich.console import Console


def json_text(data: object) -> str:
    """Indented JSON (two spaces, non-ASCII kept) for every machine format; orjson writes it in C, where
    the standard library's indenting encoder is pure Python."""
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


def write_text(console: Console, text: str) -> None:
    """Machine-readable output goes straight to the console's file: exact bytes, and no per-character
    processing by rich (which costs seconds on a 30 MB JSON document)."""
    console.file.write(text + "\n")
    console.file.flush()


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


def severity(value: float, topic: Topic) -> str:
    """A share as a percent; days for date topics."""
    if topic.kind == "date":
        days = int(value)
        return f"{days} day{'s' if days != 1 else ''} apart"
    return f"{value * 100:.1f}%"
