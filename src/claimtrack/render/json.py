"""JSON renderer: the public, stable keys of DESIGN.md §3 (built by hand; more keys may be added)."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console

from claimtrack.conflicts import Conflict, value_order
from claimtrack.dataset import Claim, Topic
from claimtrack.render.text import STREAMED, json_text, write_json, write_text
from claimtrack.report import Report
from claimtrack.values import format_day

SCHEMA_VERSION = 1


def _emit(data: dict[str, Any], console: Console) -> None:
    write_text(console, json_text({**data, "schema_version": SCHEMA_VERSION}))


def _end(value: float, topic: Topic) -> float | str | None:
    if math.isinf(value):
        return None
    if topic.kind == "date":
        return format_day(value)
    return value


def claim_object(claim: Claim, topic: Topic, internal: bool = False) -> dict[str, Any]:
    span = claim.interval
    return {
        "id": claim.id,
        "source": claim.source,
        "value": claim.value,
        "low": _end(span.low, topic) if span else None,
        "high": _end(span.high, topic) if span else None,
        "low_open": span.low_open if span else False,
        "high_open": span.high_open if span else False,
        "as_of": claim.as_of,
        "quote": claim.quote,
        "attributed_to": claim.attributed_to,
        "qualifiers": dict(claim.qualifiers),
        "note": claim.note,
        "internal_inconsistency": internal,
        "path": str(claim.location.path),
        "line": claim.location.line,
    }


def topic_object(report: Report, topic: Topic, claims: tuple[Claim, ...] | None = None) -> dict[str, Any]:
    """One topic: its claims (all of them, or those in conflict), pairs, status and severity."""
    conflict: Conflict | None = report.conflicts.get(topic.key)
    shown = claims if claims is not None else tuple(sorted(report.dataset.by_topic.get(topic.key, ()),
                                                           key=value_order))
    internal_ids = {cid for pair in conflict.pairs if pair.internal for cid in pair.ids} if conflict else set()
    resolution = topic.resolution
    return {
        "topic": topic.key,
        "title": topic.title,
        "kind": topic.kind,
        "unit": topic.unit,
        "status": report.status(topic.key),
        "severity": round(conflict.severity, 4) if conflict else 0.0,
        "claims": [claim_object(claim, topic, claim.id in internal_ids) for claim in shown],
        "pairs": [list(pair.ids) for pair in conflict.pairs] if conflict else [],
        "internal_pairs": [list(pair.ids) for pair in conflict.pairs if pair.internal] if conflict else [],
        "resolution": None if resolution is None else {
            "status": resolution.status, "preferred": resolution.preferred, "note": resolution.note,
            "covers": list(resolution.covers)},
        "uncovered": list(conflict.uncovered) if conflict else [],
    }


def conflicts(report: Report, chosen: list[Conflict], console: Console) -> None:
    write_json(console, {"conflicts": STREAMED, "schema_version": SCHEMA_VERSION},
               (topic_object(report, c.topic, c.claims) for c in chosen))


def show(report: Report, topic: Topic, console: Console) -> None:
    _emit(topic_object(report, topic), console)


def topics(report: Report, console: Console) -> None:
    rows = [{"key": t.key, "title": t.title, "kind": t.kind, "unit": t.unit,
             "claims": len(report.dataset.by_topic.get(t.key, ())), "status": report.status(t.key),
             "aliases": list(t.aliases)} for t in report.dataset.topics.values()]
    _emit({"topics": rows}, console)


def sources(report: Report, console: Console) -> None:
    counts: dict[str, int] = {}
    for claim in report.dataset.claims:
        counts[claim.source] = counts.get(claim.source, 0) + 1
    rows = [{"id": s.id, "title": s.title, "publisher": s.publisher, "published": s.published, "url": s.url,
             "claims": counts.get(s.id, 0), "type": s.type, "author": list(s.author), "path": str(s.path)}
            for s in report.dataset.sources.values()]
    _emit({"sources": rows}, console)


def check(report: Report, console: Console) -> None:
    problems = ({"path": str(p.location.path), "line": p.location.line, "column": p.location.column,
                 "severity": p.severity, "code": p.code, "message": p.message} for p in report.problems)
    write_json(console, {"ok": not report.errors, "problems": STREAMED, "schema_version": SCHEMA_VERSION}, problems)
