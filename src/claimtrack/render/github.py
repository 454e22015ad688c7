"""GitHub Actions renderer: workflow annotations (::error file=…,line=…,col=…,title=…::message)."""

from __future__ import annotations

from rich.console import Console

from claimtrack.conflicts import Conflict
from claimtrack.errors import Location, printable, shown_path
from claimtrack.render.text import write_text
from claimtrack.report import Report

NAMED = 10  # opponents named in one annotation; the rest are counted (3,000 claims would make 9 million names)
LEVEL = {"error": "error", "warning": "warning", "disputed": "warning", "resolved": "notice", "unresolved": "error"}


def _escape(value: str, in_property: bool = False) -> str:
    value = printable(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # other control characters (from a document's text) must not reach the CI log as terminal commands
    value = "".join(c if c.isprintable() or c == "%" else f"\\u{ord(c):04x}" for c in value)
    if in_property:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def annotation(level: str, location: Location, title: str, message: str) -> str:
    fields = [f"file={_escape(shown_path(location.path), True)}"]
    if location.line is not None:
        fields += [f"line={location.line}", f"col={location.column or 1}"]
    fields.append(f"title={_escape(title, True)}")
    return f"::{level} {','.join(fields)}::{_escape(message)}"


def conflicts(report: Report, chosen: list[Conflict], console: Console) -> None:
    lines = []
    for conflict in chosen:
        for claim in conflict.claims:
            opponents, total = conflict.opponents(claim, NAMED)
            others = sorted({other.id for other in opponents})
            more = f" and {total - len(opponents):,} more" if total > len(opponents) else ""
            message = (f"{claim.id} says {claim.value!r}; conflicts with {', '.join(others)}{more} "
                       f"(topic {conflict.topic.key}: {conflict.status})")
            lines.append(annotation(LEVEL[conflict.status], claim.location, f"{conflict.status} conflict", message))
    write_text(console, "\n".join(lines))


def check(report: Report, console: Console) -> None:
    lines = [annotation(LEVEL[p.severity], p.location, p.code, p.message) for p in report.problems]
    errors = len(report.errors)
    lines.append(f"{errors} error(s), {len(report.problems) - errors} warning(s)")
    write_text(console, "\n".join(lines))
