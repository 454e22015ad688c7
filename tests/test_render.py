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
from tests.conftest import ClaimsFactory, source

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


@pytest.mark.parametrize(("first", "second", "said"), [
    ("2021", "2022", "1 year apart"),  # their spans are a day apart (31 December, 1 January): the years are one
    ("2021", "2024", "3 years apart"),
    ("March 2023", "April 2023", "1 month apart"),
    ("March 2023", "May 2023", "2 months apart"),
    ("2023-03-02", "May 2023", "60 days apart"),  # a day against a month: days
    ("2023-03-02", "2023-03-05", "3 days apart"),
])
def test_dates_are_apart_in_the_unit_they_are_written_in(make_claims: ClaimsFactory, first: str, second: str,
                                                         said: str) -> None:
    import subprocess
    import sys

    folder = make_claims(files={"a.yaml": source("a", f'topic: event-date\nvalue: "{first}"\nquote: "{first}"'),
                                "b.yaml": source("b", f'topic: event-date\nvalue: "{second}"\nquote: "{second}"')})
    for command in (["conflicts"], ["show", "event-date"], ["conflicts", "--format", "markdown"]):
        done = subprocess.run([sys.executable, "-m", "claimtrack", *command, "--dir", str(folder)], capture_output=True,
                              text=True, timeout=60, check=False)
        assert said in done.stdout, (command, done.stdout)
