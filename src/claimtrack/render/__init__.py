"""Renderers: one module per output format; each module renders every view it supports.

A view is what a command shows (conflicts, one topic, the registries, check results). The enums are the
CLI's choices and the keys of the lookup tables, so a format without a renderer cannot be offered.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from claimtrack.conflicts import Conflict
    from claimtrack.dataset import Claim, Source, Topic
    from claimtrack.render.safe import Guard
    from claimtrack.report import Report


class ConflictsFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    github = "github"


class ShowFormat(str, Enum):
    table = "table"
    json = "json"


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class ClaimsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ConsensusFormat(str, Enum):
    table = "table"
    json = "json"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def guard_of(fmt: Enum) -> Guard | None:
    """How a format's standard output is kept from holding CI workflow commands (render/safe.py): JSON as
    JSON, the github format not at all (its lines are commands by design), everything else as text for people."""
    if fmt.value == "github":
        return None
    return "json" if fmt.value in ("json", "sarif", "jsonl", "claimreview") else "text"


ConflictsRenderer = Callable[["Report", "list[Conflict]", "Console"], None]
ShowRenderer = Callable[["Report", "Topic", "Console"], None]
ReportRenderer = Callable[["Report", "Console"], None]
ConsensusRenderer = Callable[["Report", "list[Topic]", "Console"], None]
ClaimsRenderer = Callable[["Report", "Sequence[Claim]", "Console"], None]
SourceRenderer = Callable[["Report", "Source", "Console"], None]


def conflicts_renderers() -> dict[ConflictsFormat, ConflictsRenderer]:
    from claimtrack.render import github, json, markdown, table

    return {ConflictsFormat.table: table.conflicts, ConflictsFormat.json: json.conflicts,
            ConflictsFormat.markdown: markdown.conflicts, ConflictsFormat.github: github.conflicts}


def show_renderers() -> dict[ShowFormat, ShowRenderer]:
    from claimtrack.render import json, table

    return {ShowFormat.table: table.show, ShowFormat.json: json.show}


def source_renderers() -> dict[ShowFormat, SourceRenderer]:
    """`show SOURCE-ID`."""
    from claimtrack.render import json, table

    return {ShowFormat.table: table.source, ShowFormat.json: json.source}


def claims_renderers() -> dict[ClaimsFormat, ClaimsRenderer]:
    from claimtrack.render import csv, json, table

    return {ClaimsFormat.table: table.claims, ClaimsFormat.json: json.claims, ClaimsFormat.csv: csv.claims}


def topics_renderers() -> dict[ListFormat, ReportRenderer]:
    from claimtrack.render import json, table

    return {ListFormat.table: table.topics, ListFormat.json: json.topics}


def sources_renderers() -> dict[ListFormat, ReportRenderer]:
    from claimtrack.render import json, table

    return {ListFormat.table: table.sources, ListFormat.json: json.sources}


def consensus_renderers() -> dict[ConsensusFormat, ConsensusRenderer]:
    from claimtrack.render import json, table

    return {ConsensusFormat.table: table.consensus, ConsensusFormat.json: json.consensus}


def check_renderers() -> dict[CheckFormat, ReportRenderer]:
    from claimtrack.render import github, json, sarif, table

    return {CheckFormat.text: table.check, CheckFormat.json: json.check, CheckFormat.github: github.check,
            CheckFormat.sarif: sarif.check}
