"""Markdown renderer: conflicts as sections with a table each, for pull-request comments and reports."""

from __future__ import annotations

import re

from rich.console import Console

from claimtrack.conflicts import Conflict, value_order
from claimtrack.render import text
from claimtrack.render.safe import shown
from claimtrack.render.text import write_text
from claimtrack.report import Report

# Every character that opens or closes something in CommonMark or GitHub's Markdown: an escape, code,
# emphasis, a link or an image, raw HTML or an entity, a heading, a table cell, strikethrough, math.
_ACTIVE = re.compile(r"([\\`*_\[\]<>#|!~&$])")
_PLAIN_ID = re.compile(r"[a-z0-9][a-z0-9._/-]*")


def markdown_text(value: str) -> str:
    """Data as Markdown text that renders as written: hidden characters (line breaks among them) shown as
    escapes by `shown`, then every active character backslash-escaped. It never ends a table row, opens a
    heading or list, or lets HTML through, wherever it stands."""
    return _ACTIVE.sub(r"\\\1", shown(value))


def _code(identifier: str) -> str:
    """An id or key in a code span when it is a slug (as the contract has them), else as escaped text."""
    return f"`{identifier}`" if _PLAIN_ID.fullmatch(identifier) else markdown_text(identifier)


def conflicts(report: Report, chosen: list[Conflict], console: Console) -> None:
    lines: list[str] = []
    if not chosen:
        lines.append("No conflicts.")
    for conflict in chosen:
        topic = conflict.topic
        internal = conflict.internal_ids
        lines += [f"## {markdown_text(topic.title)} ({_code(topic.key)})", "",
                  (f"**Status:** {conflict.status} · "
                   f"**Severity:** {text.severity(conflict.severity, topic, conflict.claims)}"), "",
                  "| Value | Means | Claim | Quote |", "| --- | --- | --- | --- |"]
        for claim in sorted(conflict.claims, key=value_order):
            who = _code(claim.id)
            if claim.attributed_to:
                who += f" (per {markdown_text(claim.attributed_to)})"
            if claim.as_of:
                who += f" as of {markdown_text(claim.as_of)}"
            if claim.id in internal:
                who += " ⚠ internal inconsistency"
            lines.append(f"| {markdown_text(claim.value)} | {text.interval(claim, topic)} | {who} "
                         f"| “{markdown_text(claim.quote)}” |")
        if topic.resolution is not None:
            note = f" — {markdown_text(topic.resolution.note)}" if topic.resolution.note else ""
            lines += ["", f"*Resolution: {topic.resolution.status}{note}*"]
        lines.append("")
    write_text(console, "\n".join(lines))
