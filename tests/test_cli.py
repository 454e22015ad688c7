"""The command line through typer's CliRunner: exit codes, parsed JSON, folder discovery, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimtrack import __version__
from claimtrack.cli import app
from claimtrack.render import (
    CheckFormat,
    ConflictsFormat,
    ListFormat,
    ShowFormat,
    check_renderers,
    conflicts_renderers,
    show_renderers,
    sources_renderers,
    topics_renderers,
)
from tests.conftest import ClaimsFactory, source

runner = CliRunner()

BORDER = {
    "a.yaml": source("asatryan", 'topic: border-length\nvalue: "1,344 km"\nquote: "separated by 1,344 kilometers"'),
    "b.yaml": source("eurasianet", 'topic: border-length\nvalue: "1,374 km"\nquote: "a 1,374-kilometer border"\n'
                                   'as_of: 2025'),
    "sub/c.yaml": source("kaura", 'topic: border-length\nvalue: "more than 1,400 km"\nquote: "more than 1,400 km"',
                         'topic: tajik-share\nvalue: "46%"\nquote: "46%"'),
    "d.yaml": source("other", 'topic: tajik-share\nvalue: "about a quarter"\nquote: "about a quarter"',
                     'topic: event-date\nvalue: "April 2023"\nquote: "in April"'),
}


def run(*args: str, env: dict[str, str | None] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def run_json(*args: str) -> Any:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_conflicts_json_follows_the_contract(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=BORDER)
    data = run_json("conflicts", "--dir", str(folder), "--format", "json")
    assert [c["topic"] for c in data["conflicts"]] == ["tajik-share", "border-length"]  # most severe first
    border = data["conflicts"][1]
    assert {"topic", "title", "kind", "unit", "status", "severity", "claims", "pairs"} <= set(border)
    assert border["status"] == "unresolved" and border["unit"] == "km"
    assert border["severity"] == pytest.approx(55.5 / 1400, abs=1e-4)
    first = border["claims"][0]
    assert first == {**first, "id": "asatryan/border-length", "source": "asatryan", "value": "1,344 km",
                     "low": 1343.5, "high": 1344.5, "low_open": False, "high_open": False, "as_of": None}
    last = border["claims"][-1]
    assert (last["low"], last["high"], last["low_open"], last["high_open"]) == (1400, None, True, True)
    assert border["claims"][1]["as_of"] == "2025"
    assert sorted(map(sorted, border["pairs"])) == [
        ["asatryan/border-length", "eurasianet/border-length"], ["asatryan/border-length", "kaura/border-length"],
        ["eurasianet/border-length", "kaura/border-length"]]


def test_conflicts_topic_filter_accepts_alias(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=BORDER)
    data = run_json("conflicts", "--dir", str(folder), "--format", "json", "--topic", "border with afghanistan")
    assert [c["topic"] for c in data["conflicts"]] == ["border-length"]


def test_show_json_lists_every_claim_with_dates_as_iso(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=BORDER)
    data = run_json("show", "event-date", "--dir", str(folder), "--format", "json")
    assert data["status"] == "ok" and data["pairs"] == []
    assert [(c["low"], c["high"]) for c in data["claims"]] == [("2023-04-01", "2023-04-30")]
    shown = run_json("show", "bordr-length", "--dir", str(folder), "--format", "json")  # a misspelling
    assert shown["topic"] == "border-length" and len(shown["claims"]) == 3


def test_unknown_topic_exits_2_with_suggestions(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=BORDER)
    result = run("show", "border", "--dir", str(folder))
    assert result.exit_code == 0  # an unambiguous prefix of a key
    result = run("show", "refuge-numbers-of-2021", "--dir", str(folder))
    assert result.exit_code == 2
    assert "unknown topic" in result.stderr
    assert result.stdout == ""


def test_topics_and_sources_json(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=BORDER)
    topics = {t["key"]: t for t in run_json("topics", "--dir", str(folder), "--format", "json")["topics"]}
    assert topics["border-length"] | {"claims": 3, "status": "unresolved"} == topics["border-length"]
    assert topics["capital"]["status"] == "ok" and topics["capital"]["claims"] == 0
    assert set(topics["border-length"]) >= {"key", "title", "kind", "unit", "claims", "status"}
    sources = {s["id"]: s for s in run_json("sources", "--dir", str(folder), "--format", "json")["sources"]}
    assert sources["kaura"]["claims"] == 2
    assert set(sources["kaura"]) >= {"id", "title", "publisher", "published", "url", "claims"}


def test_check_exit_codes_and_json(make_claims: ClaimsFactory) -> None:
    clean = make_claims(files={"a.yaml": BORDER["a.yaml"]}, folder="clean")
    result = run("check", "--dir", str(clean), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True
    conflicted = make_claims(files=BORDER)
    result = run("check", "--dir", str(conflicted), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert {p["code"] for p in problems} == {"unresolved-conflict"}
    assert set(problems[0]) >= {"path", "line", "column", "severity", "code", "message"}
    result = run("check", "--dir", str(conflicted), "--format", "bogus")
    assert result.exit_code == 2


def test_check_limited_to_paths(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={**BORDER, "bad.yaml": ("source: {title: x}\n"
                                                       "claims: [{topic: nope, value: 1, quote: q}]\n")})
    result = run("check", str(folder / "bad.yaml"), "--dir", str(folder), "--format", "json")
    assert result.exit_code == 1
    assert {p["code"] for p in json.loads(result.stdout)["problems"]} == {"unknown-topic"}
    assert run("check", str(folder / "missing.yaml"), "--dir", str(folder)).exit_code == 2


def test_folder_from_env_and_from_parents(make_claims: ClaimsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_claims(files=BORDER)
    assert run("topics", env={"CLAIMTRACK_DIR": str(folder)}).exit_code == 0
    nested = folder.parent / "deep" / "er"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.delenv("CLAIMTRACK_DIR", raising=False)
    assert json.loads(run("sources", "--format", "json").stdout)["sources"]


def test_no_claims_folder_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAIMTRACK_DIR", raising=False)
    result = run("conflicts")
    assert result.exit_code == 2
    assert "no claims/ folder" in result.stderr
    assert run("conflicts", "--dir", str(tmp_path / "nowhere")).exit_code == 2


def test_broken_files_do_not_stop_listing(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={**BORDER, "broken.yaml": "source: [\n"})
    result = run("conflicts", "--dir", str(folder), "--format", "json")
    assert result.exit_code == 0
    assert "broken.yaml:2" in result.stderr
    assert len(json.loads(result.stdout)["conflicts"]) == 2


def test_markdown_and_github_formats(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=BORDER)
    markdown = run("conflicts", "--dir", str(folder), "--format", "markdown").stdout
    assert "## Length of the border (`border-length`)" in markdown
    assert "| more than 1,400 km | (1,400, ∞) km |" in markdown
    github = run("conflicts", "--dir", str(folder), "--format", "github").stdout.splitlines()
    assert github[0].startswith("::error file=")
    assert any("line=" in line and "kaura/border-length" in line for line in github)


def test_no_color_leaves_no_escape_codes(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=BORDER)
    result = run("conflicts", "--dir", str(folder), env={"NO_COLOR": "1", "FORCE_COLOR": None})
    assert "\x1b[" not in result.stdout
    assert "UNRESOLVED" in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_every_format_has_a_renderer() -> None:
    assert set(conflicts_renderers()) == set(ConflictsFormat)
    assert set(show_renderers()) == set(ShowFormat)
    assert set(topics_renderers()) == set(ListFormat) == set(sources_renderers())
    assert set(check_renderers()) == set(CheckFormat)


@pytest.mark.parametrize("command", ["conflicts", "show", "topics", "sources", "check", "schema"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_python_dash_m_smoke() -> None:
    done = subprocess.run([sys.executable, "-m", "claimtrack", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "conflicts" in done.stdout


def test_installed_console_script_smoke(make_claims: ClaimsFactory) -> None:
    script = Path(sys.executable).with_name("claimtrack")
    if not script.exists():
        pytest.skip("console script not installed next to this Python")
    folder = make_claims(files=BORDER)
    done = subprocess.run([str(script), "conflicts", "--format", "json"], capture_output=True, text=True,
                          check=False, env={**os.environ, "CLAIMTRACK_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["conflicts"]) == 2
    done = subprocess.run([str(script), "check"], capture_output=True, text=True, check=False,
                          env={**os.environ, "CLAIMTRACK_DIR": str(folder)})
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_a_usage_error_is_one_line_and_never_markup(tmp_path: Path) -> None:
    folder = tmp_path / ("a-long-folder-name-" * 6 + "[/bold]")
    result = run("conflicts", "--dir", str(folder))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line]
    assert lines == [f"error: claims folder not found: {folder}"]
