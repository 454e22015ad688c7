"""`claimtrack extract` on small documents written for the tests."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.dataset import load_folder
from claimtrack.extract import extract_candidates
from claimtrack.loader import parse_yaml
from tests.conftest import ClaimsFactory

runner = CliRunner()

ARTICLE = textwrap.dedent("""\
    Borders and numbers

    The two countries share a border of more than 1,400 km. Trade reached $111 million in 2022,
    up from about $60 million a year earlier.
    Roughly a quarter of the population is Tajik, although one survey put it at 46%.

    In late March 2023 the consulate changed hands. On Nov. 19, the embassy handed over 18 jeeps.
    Up to 5,000 refugees crossed; almost 40% of them were children. Last summer a delegation came.
""")


def _values(text: str) -> list[tuple[str, int]]:
    return [(c.value, c.line) for c in extract_candidates(text, {})]


def test_plain_text_figures_dates_and_lines() -> None:
    found = _values(ARTICLE)
    for expected in [("more than 1,400 km", 3), ("$111 million", 3), ("2022", 3), ("about $60 million", 4),
                     ("Roughly a quarter", 5), ("46%", 5), ("late March 2023", 7), ("Nov. 19", 7), ("18 jeeps", 7),
                     ("Up to 5,000 refugees", 8), ("almost 40%", 8), ("Last summer", 8)]:
        assert expected in found, expected
    assert not any(value.lower() in ("one", "two") for value, _ in found)


def test_quote_is_the_whole_sentence() -> None:
    candidates = extract_candidates(ARTICLE, {})
    trade = next(c for c in candidates if c.value == "$111 million")
    assert trade.quote == "Trade reached $111 million in 2022, up from about $60 million a year earlier."
    jeeps = next(c for c in candidates if c.value == "18 jeeps")
    assert jeeps.quote.startswith("On Nov. 19, the embassy")  # "Nov." does not end the sentence


def test_html_lines_point_into_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>x</title><script>var n = 99;</script></head>\n<body>\n"
                    "<p>The border is <b>1,344 km</b> long.</p>\n<p>About 140 pilots left\nin August 2021.</p>\n"
                    "</body></html>\n")
    result = runner.invoke(app, ["extract", str(page), "--format", "json", "--dir", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    rows = {c["value"]: c for c in json.loads(result.stdout)["candidates"]}
    assert "99" not in rows  # scripts are not text
    assert rows["1,344 km"]["line"] == 3
    assert rows["1,344 km"]["quote"] == "The border is 1,344 km long."
    assert rows["August 2021"]["line"] == 5 and rows["About 140 pilots"]["line"] == 4


def test_topic_suggestions_and_yaml_ready_to_paste(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims()
    doc = tmp_path / "article.md"
    doc.write_text("# Notes\n\nThe length of the border is 1,344 km. Refugees received: up to 5,000.\n"
                   "Tajiks are 46% of the population.\n")
    result = runner.invoke(app, ["extract", str(doc), "--dir", str(folder), "--format", "json"])
    rows = {c["value"]: c for c in json.loads(result.stdout)["candidates"]}
    assert rows["1,344 km"]["topic"] == "border-length" and rows["1,344 km"]["score"] > 0
    assert rows["46%"]["topic"] == "tajik-share"  # a percentage only fits a % topic
    result = runner.invoke(app, ["extract", str(doc), "--dir", str(folder), "--source", "notes"])
    assert result.exit_code == 0
    parsed, problems = parse_yaml(result.stdout, Path("out.yaml"))
    assert not problems and parsed is not None
    assert parsed.data["source"]["id"] == "notes"
    claims = parsed.data["claims"]
    assert {"topic", "value", "quote"} <= set(claims[0])
    pasted = folder / "notes.yaml"
    pasted.write_text(result.stdout.replace(f'text: "{doc}"', f'text: "{doc}"'))
    dataset = load_folder(folder)
    assert {c.value for c in dataset.claims if c.source == "notes"} >= {"1,344 km", "46%"}


def test_unreadable_document_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert runner.invoke(app, ["extract", str(binary)]).exit_code == 2


@pytest.mark.parametrize(("text", "value"), [
    ("Between 1,150 and 1,250 km of road.", "Between 1,150 and 1,250 km"),
    ("Some 2–3 million people moved.", "Some 2–3 million people"),
    ("Fewer than ten tanks arrived.", "Fewer than ten tanks"),
    ("It happened in Q3 2023.", "Q3 2023"),
    ("By the first half of 2024 it was over.", "first half of 2024"),
])
def test_forms(text: str, value: str) -> None:
    assert value in [v for v, _ in _values(text)]
