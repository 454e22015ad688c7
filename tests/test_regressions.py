"""Regression tests for the crashes and gaps found by the fuzz campaign (benchmarks/fuzz_check.py), the
property tests (tests/test_properties.py) and the adversarial corpus. docs/reliability.md lists each finding.

Each test states what the contract wants. A test marked xfail(strict=True) pins a bug still in src/: it fails
today, and turns into an error (XPASS) the day the bug is fixed, so that the mark is then removed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rich.console import Console

from claimtrack.loader import parse_yaml
from claimtrack.render import check_renderers, conflicts_renderers, show_renderers
from claimtrack.report import analyze
from claimtrack.units import lookup_unit
from claimtrack.values import QuantityScale, ValueSyntaxError, parse_date, parse_quantity


def _folder(tmp_path: Path, topics: str, files: dict[str, str]) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "topics.yaml").write_text(textwrap.dedent(topics).lstrip(), encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def _render_everything(folder: Path) -> None:
    """What `check`, `conflicts --all` and `show` do for every topic, in-process."""
    report = analyze(folder, check=True)
    for render in check_renderers().values():
        render(report, Console(file=io.StringIO()))
    chosen = report.ordered_conflicts(include_resolved=True)
    for render_conflicts in conflicts_renderers().values():
        render_conflicts(report, chosen, Console(file=io.StringIO()))
    for topic in report.dataset.topics.values():
        for render_show in show_renderers().values():
            render_show(report, topic, Console(file=io.StringIO()))


KM = QuantityScale(unit=lookup_unit("km"))

# --------------------------------------------------------------------------- values


@pytest.mark.xfail(strict=True, reason="bug in values.py: a whole number with 309+ trailing zeros overflows "
                   "(OverflowError from 10.0 ** n in _digits_precision); 309+ digits become an interval (inf, inf)")
@pytest.mark.parametrize("written", ["1" + "0" * 400, "9" * 400, "more than " + "9" * 400])
def test_huge_number_is_an_invalid_value(written: str) -> None:
    # found by: fuzz_check.py seed 1 (OverflowError@values.py:142) and test_properties.py.
    # The contract: a value that cannot be read is an `invalid-value` problem; a number beyond the float range
    # cannot be represented, and (inf, inf) is an empty interval that JSON then shows as low=null, high=null
    # (which means "unbounded", the opposite).
    with pytest.raises(ValueSyntaxError):
        parse_quantity(written, KM)


@pytest.mark.xfail(strict=True, reason="bug in values.py: OverflowError escapes parse_quantity, analyze() raises")
def test_huge_number_in_a_claim_is_a_located_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "topics:\n  t: {title: T, unit: km}\n",
                     {"s.yaml": f"source: {{title: S}}\nclaims:\n  - topic: t\n    value: \"1{'0' * 400} km\"\n"
                                "    quote: q\n"})
    report = analyze(folder, check=True)
    assert [(p.code, p.location.line) for p in report.problems] == [("invalid-value", 4)]


@pytest.mark.xfail(strict=True, reason="bug in values.py: seasons and decades build datetime.date before the "
                   "year is checked, so year 0 (and winter 0001, which starts in December of year 0) raise "
                   "ValueError instead of ValueSyntaxError")
@pytest.mark.parametrize("written", ["winter 0001", "spring 0000", "summer 0000", "0000s", "mid 0000s"])
def test_season_or_decade_at_the_calendar_edge_is_an_invalid_date(written: str) -> None:
    # found by: fuzz_check.py seed 1 (ValueError@values.py:594, `published: "mid 0000s"`).
    # The contract: `check` reports every problem with file and line; a date that cannot be read is
    # `invalid-date` (like `0000` and `Q1 0000`, which are reported correctly today).
    with pytest.raises(ValueSyntaxError):
        parse_date(written)


@pytest.mark.xfail(strict=True, reason="bug in values.py parse_widening: an empty or blank `tolerance:`/`approx:` "
                   "reaches `amount` before assignment (UnboundLocalError); the CLI ends in 'internal error', exit 2")
@pytest.mark.parametrize("key", ["tolerance", "approx"])
@pytest.mark.parametrize("written", ['""', "' '"])
def test_empty_tolerance_or_approx_is_an_invalid_value(tmp_path: Path, key: str, written: str) -> None:
    # found by: fuzz_check.py seed 1 (UnboundLocalError@values.py:329, `approx: !!null ''`).
    folder = _folder(tmp_path, f"topics:\n  t:\n    title: T\n    {key}: {written}\n", {})
    report = analyze(folder, check=True)
    assert [(p.code, p.location.line) for p in report.problems] == [("invalid-value", 3)]


@pytest.mark.xfail(strict=True, reason="bug in render (text.py/table.py/json.py via values.format_day): a date "
                   "topic's tolerance widens an interval past 0001-01-01 or 9999-12-31 and date.fromordinal raises "
                   "ValueError in `show` and `conflicts` (every format); `check` is not affected")
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_date_tolerance_past_the_calendar_edge_renders(tmp_path: Path, day: str) -> None:
    # found by: reading values.format_day while writing the fuzz corpus; confirmed with the CLI
    # (`claimtrack show d` -> "internal error: ValueError: ordinal must be >= 1", exit 2).
    folder = _folder(tmp_path, "topics:\n  d: {title: D, kind: date, tolerance: 3 days}\n",
                     {"s.yaml": f"source: {{title: S}}\nclaims:\n  - {{topic: d, value: '{day}', quote: a}}\n"
                                "  - {topic: d, value: '2000', quote: b}\n"})
    _render_everything(folder)


@pytest.mark.xfail(strict=True, reason="bug in loader.parse_yaml: a lone surrogate in the text raises "
                   "UnicodeEncodeError (libyaml wants UTF-8); not reachable from files, which are decoded strictly")
def test_parse_yaml_of_a_lone_surrogate_is_a_problem() -> None:
    doc, problems = parse_yaml("a: \ud800\n", Path("x.yaml"))
    assert doc is None and [p.code for p in problems] == ["yaml-syntax"]


# --------------------------------------------------------------------------- text: copies (security gaps)


@pytest.mark.xfail(strict=True, reason="not enforced: `text:` may name any file (../../etc/passwd, an absolute "
                   "path); it is read and the closest passage is printed in quote-not-found (docs/security.md)")
def test_text_outside_the_claims_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n",
                     {"s.yaml": "source: {title: S, text: ../secret.txt}\nclaims:\n"
                                "  - {topic: t, value: '5', quote: 'password: hunter3'}\n"})
    report = analyze(folder, check=True)
    assert "hunter2" not in " ".join(p.message for p in report.problems)
    assert [p.code for p in report.problems] == ["outside-folder"]


@pytest.mark.skipif(not os.path.exists("/dev/zero") or sys.platform == "darwin", reason="needs /dev/zero, RLIMIT_AS")
@pytest.mark.xfail(strict=True, reason="not enforced: `text:` has no size limit and no regular-file check; "
                   "/dev/zero is read until memory runs out (a FIFO blocks forever)")
def test_text_that_is_a_device_is_a_located_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n",
                     {"s.yaml": "source: {title: S, text: /dev/zero}\nclaims:\n  - {topic: t, value: '5', quote: q}\n"})
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
    done = subprocess.run([sys.executable, "-c", limit + "from claimtrack.cli import main; main()", "check", "--dir",
                           str(folder), "--format", "json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert '"missing-text"' in done.stdout
