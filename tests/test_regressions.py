"""Regression tests for the crashes and gaps found by the fuzz campaign (benchmarks/fuzz_check.py), the
property tests (tests/test_properties.py) and the adversarial corpus. docs/reliability.md lists each finding.

Each test states what the contract wants and says what found the bug. Every bug here is fixed (most in 580bbae);
a new one gets its test first, marked xfail(strict=True) while the bug is in src/, so that the fix turns it
into an XPASS error and the mark is removed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
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


@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Whatever the loader caches goes to a folder of this module's own, not the user's cache directory."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield

# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("written", ["1" + "0" * 400, "9" * 400, "more than " + "9" * 400])
def test_huge_number_is_an_invalid_value(written: str) -> None:
    # found by: fuzz_check.py seed 1 (OverflowError@values.py:142) and test_properties.py.
    # The contract: a value that cannot be read is an `invalid-value` problem; a number beyond the float range
    # cannot be represented, and (inf, inf) is an empty interval that JSON then shows as low=null, high=null
    # (which means "unbounded", the opposite).
    with pytest.raises(ValueSyntaxError):
        parse_quantity(written, KM)


def test_huge_number_in_a_claim_is_a_located_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "topics:\n  t: {title: T, unit: km}\n",
                     {"s.yaml": f"source: {{title: S}}\nclaims:\n  - topic: t\n    value: \"1{'0' * 400} km\"\n"
                                "    quote: q\n"})
    report = analyze(folder, check=True)
    assert [(p.code, p.location.line) for p in report.problems] == [("invalid-value", 4)]


@pytest.mark.parametrize("written", ["winter 0001", "winter 0000", "spring 0000", "summer 0000", "0000s", "mid 0000s"])
def test_season_or_decade_at_the_calendar_edge_is_an_invalid_date(written: str) -> None:
    # found by: fuzz_check.py seed 1 (ValueError@values.py:594, `published: "mid 0000s"`).
    # The contract: `check` reports every problem with file and line; a date that cannot be read is
    # `invalid-date` (like `0000` and `Q1 0000`, which are reported correctly today).
    with pytest.raises(ValueSyntaxError):
        parse_date(written)


@pytest.mark.parametrize("key", ["tolerance", "approx"])
@pytest.mark.parametrize("written", ['""', "' '"])
def test_empty_tolerance_or_approx_is_an_invalid_value(tmp_path: Path, key: str, written: str) -> None:
    # found by: fuzz_check.py seed 1 (UnboundLocalError@values.py:329, `approx: !!null ''`).
    folder = _folder(tmp_path, f"topics:\n  t:\n    title: T\n    {key}: {written}\n", {})
    report = analyze(folder, check=True)
    assert [(p.code, p.location.line) for p in report.problems] == [("invalid-value", 4)]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_date_tolerance_past_the_calendar_edge_renders(tmp_path: Path, day: str) -> None:
    # found by: reading values.format_day while writing the fuzz corpus; confirmed with the CLI
    # (`claimtrack show d` -> "internal error: ValueError: ordinal must be >= 1", exit 2).
    folder = _folder(tmp_path, "topics:\n  d: {title: D, kind: date, tolerance: 3 days}\n",
                     {"s.yaml": f"source: {{title: S}}\nclaims:\n  - {{topic: d, value: '{day}', quote: a}}\n"
                                "  - {topic: d, value: '2000', quote: b}\n"})
    _render_everything(folder)


def test_parse_yaml_of_a_lone_surrogate_is_a_problem() -> None:
    doc, problems = parse_yaml("a: \ud800\n", Path("x.yaml"))
    assert doc is None and [p.code for p in problems] == ["yaml-syntax"]


# --------------------------------------------------------------------------- the loader's fast (yaml-rs) path


@pytest.mark.parametrize(("written", "kept"), [("0x10", "0x10"), ("0o17", "0o17"), ("0b11", "0b11"),
                                               ("1_000", "1_000"), ("007", "007"), ("+7", "+7"), ("-0", "-0")])
def test_fast_path_reads_the_data_as_written(written: str, kept: str) -> None:
    # found by: tests/test_properties.py::test_fast_and_positional_paths_read_the_same_data.
    # decisions.md: "every scalar is read as text: `1.50` keeps its precision". Before 580bbae `value: 0x10` in
    # a km topic passed as 16 km, while the same line in a file with a `!` in a comment was an invalid-value.
    doc, problems = parse_yaml(f"value: {written}\n", Path("x.yaml"))
    assert doc is not None and problems == []
    assert doc.data == {"value": kept}


def test_integer_of_five_thousand_digits_is_read_as_text() -> None:
    # found by: fuzz_check.py seed 1 (ValueError@loader.py:229, mutation `amplify`: `long: 999…` 5,000 digits).
    doc, problems = parse_yaml("a: " + "9" * 5000 + "\n", Path("x.yaml"))
    assert doc is not None and problems == []
    assert doc.data == {"a": "9" * 5000}


def test_fast_path_reads_a_next_line_character_like_the_builder() -> None:
    # found by: test_properties.py::test_fast_and_positional_paths_read_the_same_data (yaml-rs kept a NEL inside
    # a single-quoted scalar where libyaml folds it to a space); fixed in a581f65 ("fast-path parser declines
    # what libyaml reads differently").
    text = "q: 'a\x85b'\n"
    fast, _ = parse_yaml(text, Path("x.yaml"))
    precise, _ = parse_yaml("# !\n" + text, Path("x.yaml"))
    assert fast is not None and precise is not None and fast.data == precise.data


def test_compact_nesting_does_not_kill_the_process() -> None:
    # found by: fuzz_check.py (mutation `amplify`, compact nested sequences; the worker died of signal 11).
    # Run in a child process: a segfault here would take pytest down with it.
    script = ("from pathlib import Path; from claimtrack.loader import parse_yaml; "
              "doc, problems = parse_yaml('a:\\n  ' + '- ' * 30000 + 'x\\n', Path('x.yaml')); "
              "print([p.code for p in problems])")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-300:]}"
    assert done.stdout.strip() == "['too-deep']"


# --------------------------------------------------------------------------- text: copies (security gaps)


def test_text_outside_the_claims_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n",
                     {"s.yaml": "source: {title: S, text: ../secret.txt}\nclaims:\n"
                                "  - {topic: t, value: '5', quote: 'password: hunter3'}\n"})
    report = analyze(folder, check=True)
    assert "hunter2" not in " ".join(p.message for p in report.problems)
    assert [p.code for p in report.problems if p.code != "figure-not-in-quote"] == ["outside-folder"]


@pytest.mark.skipif(not os.path.exists("/dev/zero") or sys.platform == "darwin", reason="needs /dev/zero, RLIMIT_AS")
def test_text_that_is_a_device_is_a_located_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n",
                     {"s.yaml": "source: {title: S, text: /dev/zero}\nclaims:\n  - {topic: t, value: '5', quote: q}\n"})
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
    done = subprocess.run([sys.executable, "-c", limit + "from claimtrack.cli import main; main()", "check", "--dir",
                           str(folder), "--format", "json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert '"outside-folder"' in done.stdout  # refused before it is opened


# --------------------------------------------------------------------------- the loader's cache


def test_two_names_of_one_file_keep_their_own_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # found while verifying docs/security.md: the cache (then uncommitted) keyed entries on the resolved path,
    # so a symlink and its target shared one entry and the duplicate was shown at the first name; fixed before
    # a581f65 landed (entries now keyed on the path as found).
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path / "cache"))
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n",
                     {"a.yaml": "source: {id: same, title: S}\nclaims: []\n"})
    (folder / "sub").mkdir()
    (folder / "sub" / "b.yaml").symlink_to(folder / "a.yaml")
    for _ in range(2):  # the second run reads through the cache
        problems = analyze(folder, check=True).problems
        assert [(p.code, p.location.path.name) for p in problems] == [("duplicate-source-id", "b.yaml")]


@pytest.mark.skipif(sys.platform == "darwin", reason="needs RLIMIT_AS and sparse files")
def test_file_above_the_size_limit_is_not_read_by_the_cache(tmp_path: Path) -> None:
    # found while timing the adversarial corpus: the 50 MB case took 0.63 s with the cache, 0.3 s without.
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n", {})
    with open(folder / "huge.yaml", "wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: costs no disk
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CLAIMTRACK_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", limit + "from claimtrack.cli import main; main()", "check", "--dir",
                           str(folder)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    assert "[file-too-large]" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_the_claims_folder_is_not_opened(tmp_path: Path) -> None:
    # found while re-verifying docs/security.md after 580bbae. Low risk (git cannot carry a FIFO), but a
    # command must never hang: the contract wants a located problem (unreadable-file) and exit 1.
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n", {})
    os.mkfifo(folder / "pipe.yaml")
    try:
        done = subprocess.run([sys.executable, "-m", "claimtrack", "check", "--dir", str(folder)],
                              capture_output=True, text=True, timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("check hangs on a FIFO named pipe.yaml")
    assert done.returncode == 1 and "pipe.yaml" in done.stdout and "[unreadable-file]" in done.stdout


_ZEROS = "1" + "0" * 400
_NINES = "9" * 400


@pytest.mark.parametrize(("topics", "source", "line"), [
    (f"topics:\n  t:\n    title: T\n    unit: km\n    approx: '{_ZEROS}'\n", None, 5),
    (f"topics:\n  t:\n    title: T\n    unit: km\n    tolerance: '{_ZEROS} km'\n", None, 5),
    (f"topics:\n  d:\n    title: D\n    kind: date\n    tolerance: '{_ZEROS} days'\n", None, 5),
    ("topics:\n  t: {title: T, unit: km}\n",
     (f"source: {{title: S}}\nclaims:\n  - topic: t\n    value: {{min: '{_ZEROS}'}}\n"
      "    quote: q\n"), 4),
], ids=["approx", "tolerance", "date-tolerance", "structured-min"])
def test_huge_number_in_a_widening_or_structured_value_is_an_invalid_value(tmp_path: Path, topics: str,
                                                                          source: str | None, line: int) -> None:
    # found by: the confirmation run of fuzz_check.py on 580bbae (seed 3, iteration 64191: `approx: "1000…0"`).
    folder = _folder(tmp_path, topics, {"s.yaml": source} if source else {})
    problems = analyze(folder, check=True).problems
    assert [(p.code, p.location.line) for p in problems] == [("invalid-value", line)]
    assert "too large" in problems[0].message


@pytest.mark.parametrize(("topics", "source", "line"), [
    ("topics:\n  t: {title: T, unit: km}\n",
     (f"source: {{title: S}}\nclaims:\n  - topic: t\n    value: {{max: '{_NINES}'}}\n"
      "    quote: q\n"), 4),
    (f"topics:\n  t:\n    title: T\n    unit: km\n    tolerance: '{_NINES}%'\n", None, 5),
    (f"topics:\n  d:\n    title: D\n    kind: date\n    tolerance: '{_NINES} days'\n", None, 5),
], ids=["structured-max", "tolerance-share", "date-tolerance"])
def test_number_that_overflows_to_infinity_is_too_large(tmp_path: Path, topics: str, source: str | None,
                                                        line: int) -> None:
    # found while minimising the crash above.
    folder = _folder(tmp_path, topics, {"s.yaml": source} if source else {})
    problems = analyze(folder, check=True).problems
    assert [(p.code, p.location.line) for p in problems] == [("invalid-value", line)]
    assert "too large" in problems[0].message


# --------------------------------------------------------------------------- found in review, fixed with their tests


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_like_a_claim_file_is_refused_not_waited_for(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n", {})
    os.mkfifo(folder / "pipe.yaml")
    done = subprocess.run([sys.executable, "-m", "claimtrack", "check", "--dir", str(folder), "--format", "json"],
                          capture_output=True, text=True, timeout=30,
                          env={**os.environ, "CLAIMTRACK_NO_CACHE": "1"})
    assert done.returncode == 1, done.stderr
    assert '"unreadable-file"' in done.stdout and "pipe.yaml" in done.stdout


def test_github_annotations_escape_control_characters() -> None:
    from claimtrack.errors import Location
    from claimtrack.render.github import annotation

    line = annotation("error", Location(Path("a.yaml"), 1, 1), "t", "quote \x1b[31mred\x07 here")
    assert "\x1b" not in line and "\x07" not in line and "\\u001b" in line


def test_add_source_refuses_a_file_outside_the_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimtrack.cli import app

    folder = _folder(tmp_path, "topics:\n  t: {title: T}\n", {})
    result = CliRunner().invoke(app, ["add-source", "--dir", str(folder), "--id", "x", "--title", "X",
                                      "--file", str(tmp_path / "elsewhere.yaml")])
    assert result.exit_code == 2 and not (tmp_path / "elsewhere.yaml").exists()


@pytest.mark.parametrize("command", [["sources"], ["consensus"], ["show", "t"], ["report", "-o", "-"]])
def test_claims_of_a_source_whose_header_is_broken_do_not_crash_the_consensus(tmp_path: Path,
                                                                            command: list[str]) -> None:
    """Found by the fuzz campaign after issue 15 (`--views all`): a source header that fails validation left
    its claims in the data set under the file's name, which the consensus's source table did not know."""
    folder = _folder(tmp_path, "topics:\n  t: {title: T, unit: km}\n", {
        "a.yaml": 'source:\n  titel: A\nclaims:\n  - {topic: t, value: "1,344 km", quote: "1,344 km"}\n',
        "b.yaml": 'source:\n  title: B\nclaims:\n  - {topic: t, value: "1,374 km", quote: "1,374 km"}\n',
    })
    done = subprocess.run([sys.executable, "-m", "claimtrack", *command, "--dir", str(folder)],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "CLAIMTRACK_NO_CACHE": "1"})
    assert "internal error" not in done.stderr and done.returncode == 0, done.stderr
