"""Markdown renderer: conflicts as sections with a table each, for pull-request comments and reports."""

from __future__ import annotations

from rich.console import Console

from claimtrack.conflicts import Conflict, value_order
from claimtrack.render import text
from claimtrack.render.text import write_text
from claimtrack.report import Report


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def conflicts(report: Report, chosen: list[Conflict], console: Console) -> None:
    lines: list[str] = []
    if not chosen:
        lines.append("No conflicts.")
    for conflict in chosen:
        topic = conflict.topic
        internal = conflict.internal_ids
        lines += [f"## {topic.title} (`{topic.key}`)", "",
                  f"**Status:** {conflict.status} · **Severity:** {text.severity(conflict.severity, topic)}", "",
                  "| Value | Means | Claim | Quote |", "| --- | --- | --- | --- |"]
        for claim in sorted(conflict.claims, key=value_order):
            who = f"`{claim.id}`"
            if claim.attributed_to:
                who += f" (per {claim.attributed_to})"
            if claim.as_of:
                who += f" as of {claim.as_of}"
            if claim.id in internal:
                who += " ⚠ internal inconsistency"
            lines.append(f"| {_cell(claim.value)} | {_cell(text.interval(claim, topic))} | {_cell(who)} "
                         f"| “{_cell(claim.quote)}” |")
        if topic.resolution is not None:
            note = f" — {topic.resolution.note}" if topic.resolution.note else ""
            lines += ["", f"*Resolution: {topic.resolution.status}{note}*"]
        lines.append("")
    write_text(console, "\n".join(lines))
