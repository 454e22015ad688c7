"""Renderers against golden files (CLAIMTRACK_UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from claimtrack.dataset import find_topic
from claimtrack.render import table
from claimtrack.report import Report, analyze

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


def _capture(render: Callable[[Console], None]) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None, force_terminal=False)
    render(console)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _compare(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("CLAIMTRACK_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report() -> Report:
    return analyze(FIXTURES / "basic" / "claims", check=True)


def test_conflicts_table(report: Report) -> None:
    _compare("basic.conflicts.table", _capture(lambda c: table.conflicts(report, report.ordered_conflicts(True), c)))


@pytest.mark.parametrize("topic", ["border-length", "consulate-handover", "tajik-share"])
def test_show_table(report: Report, topic: str) -> None:
    found = find_topic(topic, report.dataset.topics)
    _compare(f"basic.show-{topic}.table", _capture(lambda c: table.show(report, found, c)))


def test_topics_sources_and_check_tables(report: Report) -> None:
    _compare("basic.topics.table", _capture(lambda c: table.topics(report, c)))
    _compare("basic.sources.table", _capture(lambda c: table.sources(report, c)))
