"""JSON renderer: the public, stable keys of docs/format.md, the JSON (built by hand; more keys may be added)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from claimtrack.conflicts import Conflict, value_order
from claimtrack.consensus import Candidate, Verdict
from claimtrack.dataset import Claim, Source, Topic
from claimtrack.render.text import STREAMED, Streamed, json_text, shown_path, write_json, write_streamed, write_text
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
        "path": shown_path(claim.location.path),
        "line": claim.location.line,
    }


def topic_object(report: Report, topic: Topic, claims: tuple[Claim, ...] | None = None) -> dict[str, Any]:
    """One topic: its claims (all of them, or those in conflict), pairs, status and severity."""
    conflict: Conflict | None = report.conflicts.get(topic.key)
    shown = claims if claims is not None else tuple(sorted(report.dataset.by_topic.get(topic.key, ()),
                                                           key=value_order))
    internal_ids = conflict.internal_ids if conflict else frozenset()
    resolution = topic.resolution
    return {
        "topic": topic.key,
        "title": topic.title,
        "kind": topic.kind,
        "unit": topic.unit,
        "status": report.status(topic.key),
        "severity": round(conflict.severity, 4) if conflict else 0.0,
        "claims": [claim_object(claim, topic, claim.id in internal_ids) for claim in shown],
        # every pair, as the contract asks: up to n²/2 of them, so written as they are found, never held
        "pairs": Streamed(conflict.pair_ids()) if conflict else [],
        "internal_pairs": Streamed(conflict.pair_ids(internal_only=True)) if conflict and conflict.internal_ids else [],
        "resolution": None if resolution is None else {
            "status": resolution.status, "preferred": resolution.preferred, "note": resolution.note,
            "covers": list(resolution.covers)},
        "uncovered": list(conflict.uncovered) if conflict else [],
    }


def _candidate(candidate: Candidate, topic: Topic) -> dict[str, Any]:
    span = candidate.interval
    return {"low": _end(span.low, topic) if span else None, "high": _end(span.high, topic) if span else None,
            "low_open": span.low_open if span else False, "high_open": span.high_open if span else False}


def verdict_object(verdict: Verdict) -> dict[str, Any]:
    """One scope's consensus (docs/consensus.md keys first)."""
    scope, topic = verdict.scope, verdict.scope.topic
    ends = _candidate(verdict.best, topic) if verdict.best else {"low": None, "high": None, "low_open": False,
                                                                   "high_open": False}
    return {
        "topic": topic.key, "kind": topic.kind, "unit": topic.unit, "as_of": scope.as_of,
        "value": verdict.representative.value if verdict.representative else None,
        **ends,
        "support": verdict.support,
        "agree": list(verdict.agree), "disagree": list(verdict.disagree),
        "confidence": round(verdict.confidence, 4),
        "title": topic.title, "qualifiers": dict(scope.qualifiers), "claims": len(scope.claims),
        "origins": verdict.origins, "lone": verdict.lone, "tie": verdict.best is None,
        "representative": verdict.representative.id if verdict.representative else None,
        "alternatives": [{**_candidate(c, topic), "claims": [claim.id for claim in c.claims],
                          "value": c.representative.value, "representative": c.representative.id}
                         for c in verdict.tied],
    }


def consensus(report: Report, topics: list[Topic], console: Console) -> None:
    found = report.consensus
    wanted = [verdict for topic in topics for verdict in found.by_topic.get(topic.key, ())] if topics else list(
        found.verdicts)
    sources_rows = [{"id": r.id, "claims": r.claims, "agreeing": r.agreeing, "reliability": r.reliability,
                     "compared": r.compared} for r in found.sources.values()]
    write_json(console, {"consensus": STREAMED, "sources": sources_rows, "iterations": found.iterations,
                         "schema_version": SCHEMA_VERSION}, (verdict_object(v) for v in wanted))


def conflicts(report: Report, chosen: list[Conflict], console: Console) -> None:
    write_json(console, {"conflicts": STREAMED, "schema_version": SCHEMA_VERSION},
               (topic_object(report, c.topic, c.claims) for c in chosen))


def show(report: Report, topic: Topic, console: Console) -> None:
    verdicts = report.consensus.by_topic.get(topic.key, ())
    write_streamed(console, {**topic_object(report, topic), "consensus": [verdict_object(v) for v in verdicts],
                             "schema_version": SCHEMA_VERSION})


def topics(report: Report, console: Console) -> None:
    rows = [{"key": t.key, "title": t.title, "kind": t.kind, "unit": t.unit,
             "claims": len(report.dataset.by_topic.get(t.key, ())), "status": report.status(t.key),
             "aliases": list(t.aliases)} for t in report.dataset.topics.values()]
    _emit({"topics": rows}, console)


def sources(report: Report, console: Console) -> None:
    counts: dict[str, int] = {}
    for claim in report.dataset.claims:
        counts[claim.source] = counts.get(claim.source, 0) + 1
    _emit({"sources": [source_row(report, s, counts.get(s.id, 0)) for s in report.dataset.sources.values()]}, console)


def source_row(report: Report, source: Source, claims: int) -> dict[str, Any]:
    """One source as `sources --format json` lists it."""
    record = report.consensus.sources[source.id]
    return {"id": source.id, "title": source.title, "publisher": source.publisher, "published": source.published,
            "url": source.url, "claims": claims, "type": source.type, "author": list(source.author),
            "path": shown_path(source.path), "based_on": list(source.based_on), "reliability": record.reliability,
            "compared": record.compared, "agreeing": record.agreeing}


def listed_claim(report: Report, claim: Claim) -> dict[str, Any]:
    """A claim as `claims` and `show SOURCE-ID` list it: the claim object with its `topic`, and whether it takes
    part in a conflict of its topic (`in_conflict`) and that conflict's status (`conflict_status`, or null)."""
    conflict = report.conflicts.get(claim.topic)
    involved = conflict is not None and claim.id in conflict.claim_ids
    internal = involved and conflict is not None and claim.id in conflict.internal_ids
    return {"id": claim.id, "topic": claim.topic, **claim_object(claim, report.dataset.topics[claim.topic], internal),
            "in_conflict": involved, "conflict_status": conflict.status if involved and conflict else None}


def claims(report: Report, chosen: Sequence[Claim], console: Console) -> None:
    write_json(console, {"claims": STREAMED, "schema_version": SCHEMA_VERSION},
               (listed_claim(report, claim) for claim in chosen))


def source(report: Report, shown: Source, console: Console) -> None:
    mine = [claim for claim in report.dataset.claims if claim.source == shown.id]
    _emit({"source": source_row(report, shown, len(mine)), "claims": [listed_claim(report, c) for c in mine]},
          console)


def check(report: Report, console: Console) -> None:
    problems = ({"path": shown_path(p.location.path), "line": p.location.line, "column": p.location.column,
                 "severity": p.severity, "code": p.code, "message": p.message} for p in report.problems)
    write_json(console, {"ok": not report.errors, "problems": STREAMED, "schema_version": SCHEMA_VERSION}, problems)
