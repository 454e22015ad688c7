"""Authoring: edits keep every other byte, are validated like `check`, atomic, and safe with concurrent writers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.dataset import load_folder
from claimtrack.writer import write_atomic

runner = CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "basic" / "claims"

COMMENTED_SOURCE = textwrap.dedent("""\
    # Header comment: kept.
    source:
      id: alpha
      title: 'Alpha brief'        # single quotes kept
      publisher: Alpha Institute
      published: 2023-04
      type: policy-brief

    claims:
      # The border, as the brief gives it.
      - topic: border-length
        value: "1,344 km"   # trailing comment
        quote: "the 1,344-kilometre border"
        qualifiers: {measure: official}

      - topic: tajik-share
        value: about a quarter
        quote: >-
          about a quarter of Afghans
          are Tajiks
    # Closing comment.
""")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "claims"
    shutil.copytree(FIXTURE, target)
    (target / "sources" / "alpha.yaml").write_text(COMMENTED_SOURCE, encoding="utf-8")
    return target


def _add(folder: Path, *args: str) -> object:
    return runner.invoke(app, ["add", "--dir", str(folder), "--source", "alpha", *args])


def test_add_keeps_every_existing_line(folder: Path) -> None:
    result = _add(folder, "--topic", "border-length", "--value", "more than 1,400 km", "--quote", "over 1,400 km",
                  "--id", "border-loose", "--as-of", "2023", "--qualifier", "measure=press")
    assert result.exit_code == 0, result.output
    text = (folder / "sources" / "alpha.yaml").read_text(encoding="utf-8")
    assert text.startswith(COMMENTED_SOURCE.rstrip("\n").removesuffix("# Closing comment.").rstrip("\n"))
    for line in COMMENTED_SOURCE.splitlines():
        assert line in text.splitlines()
    dataset = load_folder(folder)
    added = next(c for c in dataset.claims if c.id == "alpha/border-loose")
    assert (added.value, added.as_of, added.qualifiers) == ("more than 1,400 km", "2023", (("measure", "press"),))
    assert "beta/border-length" in result.stdout  # the conflicts the new claim takes part in are shown


def test_add_refuses_bad_input_and_writes_nothing(folder: Path) -> None:
    before = (folder / "sources" / "alpha.yaml").read_bytes()
    for args, expected in [
        (["--topic", "border-length", "--value", "1,206 kg", "--quote", "q"], "a mass"),
        (["--topic", "bordr-length", "--value", "1 km", "--quote", "q"], "border-length"),
        (["--topic", "border-length", "--value", "lots", "--quote", "q"], "cannot read"),
        (["--topic", "border-length", "--value", "1 km", "--quote", "q", "--id", "Bad Id"], "slug"),
        (["--topic", "border-length", "--value", "1 km", "--quote", "q", "--as-of", "Smarch 2023"], "as_of"),
    ]:
        result = _add(folder, *args)
        assert result.exit_code == 2, args
        assert expected in result.stderr, (args, result.stderr)
    assert (folder / "sources" / "alpha.yaml").read_bytes() == before
    assert runner.invoke(app, ["add", "--dir", str(folder), "--source", "alpah", "--topic", "border-length",
                               "--value", "1 km", "--quote", "q"]).exit_code == 2


def test_add_source_topic_and_resolve(folder: Path) -> None:
    result = runner.invoke(app, ["add-source", "--dir", str(folder), "--id", "gamma", "--title", "Gamma: a report",
                                 "--published", "2024-05", "--type", "news", "--author", "A B"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["add-source", "--dir", str(folder), "--id", "gamma", "--title", "x"]).exit_code == 2
    assert runner.invoke(app, ["add-source", "--dir", str(folder), "--id", "delta", "--title", "x",
                               "--type", "newz"]).exit_code == 2
    assert not (folder / "sources" / "delta.yaml").exists()
    topics_before = (folder / "topics.yaml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["add-topic", "--dir", str(folder), "aid-tons", "--title", "Aid delivered",
                                 "--unit", "t", "--alias", "humanitarian aid"])
    assert result.exit_code == 0, result.output
    assert (folder / "topics.yaml").read_text(encoding="utf-8").startswith(topics_before)
    assert runner.invoke(app, ["add-topic", "--dir", str(folder), "x", "--title", "X", "--unit", "furlongs"]
                         ).exit_code == 2
    result = runner.invoke(app, ["resolve", "--dir", str(folder), "border with afghanistan", "--status", "disputed",
                                 "--note", "Three figures, no source settles it", "--preferred", "1,344 km"])
    assert result.exit_code == 0, result.output
    assert "disputed" in result.stdout
    resolution = load_folder(folder).topics["border-length"].resolution
    assert resolution is not None and (resolution.status, resolution.preferred) == ("disputed", "1,344 km")
    assert set(resolution.covers) == {"alpha/border-length", "beta/border-length", "beta/border-length-again"}
    assert runner.invoke(app, ["resolve", "--dir", str(folder), "trade", "--status", "explained",
                               "--note", "x"]).exit_code == 2  # no conflict to resolve


def test_interrupted_write_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old: true\n")

    def crash(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new: true\n")
    assert path.read_text() == "old: true\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temporary file left behind


def test_concurrent_writers_lose_nothing(folder: Path) -> None:
    writers = [subprocess.Popen([sys.executable, "-m", "claimtrack", "add", "--dir", str(folder), "--source", "beta",
                                 "--topic", "trade", "--value", f"${n} million", "--quote", f"q{n}",
                                 "--id", f"trade-{n}", "--as-of", str(2000 + n)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for n in range(8)]
    errors = [w.communicate()[1] for w in writers]
    assert all(w.returncode == 0 for w in writers), errors
    ids = {c.id for c in load_folder(folder).claims}
    assert {f"beta/trade-{n}" for n in range(8)} <= ids
