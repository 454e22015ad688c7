"""The CI gate, `claimtrack check`: one test per problem code (docs/checks.md), the output formats and
`--changed-since`. Every test writes a small claims folder and runs the real command line."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import string
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.loader import MAX_FILE_BYTES

TOPICS = """\
topics:
  border-length:
    title: Length of the Tajikistan–Afghanistan border
    unit: km
"""
TOPICS_NEAR_DUPLICATE = TOPICS + "  border-lenght:\n    title: Border length\n    unit: km\n"

ASATRYAN = """\
    source:
      title: Tajikistan and the Taliban
    claims:
      - topic: border-length
        value: "1,344 km"
        quote: "the 1,344 km border"
    """

EURASIANET = """\
    source:
      title: Tajik-Taliban Relations Slowly Warm
    claims:
      - topic: border-length
        value: "1,374 km"
        quote: "a rugged 1,374-kilometer-long border"
    """

runner = CliRunner()


# --------------------------------------------------------------------------- helpers

def make_folder(root: Path, files: dict[str, str | bytes], topics: str | None = TOPICS) -> Path:
    """A claims folder `root/claims` with topics.yaml (unless None) and the given files (texts dedented)."""
    folder = root / "claims"
    folder.mkdir(parents=True, exist_ok=True)
    if topics is not None:
        (folder / "topics.yaml").write_text(textwrap.dedent(topics), encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    # an internal error also ends in exit code 1 under CliRunner: make sure the exit was a deliberate one
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def check_json(folder: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = invoke("check", "--dir", str(folder), "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


def find(data: dict[str, Any], code: str, file: str | None = None) -> dict[str, Any]:
    """The first problem with `code` (in `file`, when given); fails listing every problem otherwise."""
    found = [p for p in data["problems"] if p["code"] == code and (file is None or Path(p["path"]).name == file)]
    assert found, f"no {code} problem{f' in {file}' if file else ''}: {json.dumps(data['problems'], indent=1)}"
    return found[0]


def assert_problem(data: dict[str, Any], code: str, file: str, line: int | None, *words: str,
                   severity: str = "error") -> dict[str, Any]:
    problem = find(data, code, file)
    assert problem["path"].endswith(file)
    assert problem["line"] == line, problem
    assert problem["severity"] == severity
    for word in words:
        assert word in problem["message"], problem["message"]
    return problem


# --------------------------------------------------------------------------- one test per code

# (code, files, topics, file of the problem, line, words of the message, exit code)
CASES = [
    pytest.param("yaml-syntax", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
           publisher: Eurasianet
        claims: []
        """}, TOPICS, "eurasianet-2025.yaml", 3, ["YAML syntax error", "mapping values are not allowed"], 1,
        id="yaml-syntax"),
    pytest.param("yaml-tag", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: !include border.txt
            quote: "a 1,374-kilometer-long border"
        """}, TOPICS, "eurasianet-2025.yaml", 5, ["'!include' is not allowed"], 1, id="yaml-tag"),
    pytest.param("yaml-alias", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims: &all
          - topic: border-length
            value: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
            note: *all
        """}, TOPICS, "eurasianet-2025.yaml", 7, ["alias *all refers to itself"], 1, id="yaml-alias"),
    pytest.param("yaml-alias", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: *the-quote
        """}, TOPICS, "eurasianet-2025.yaml", 6, ["unknown alias *the-quote"], 1, id="yaml-alias-unknown"),
    pytest.param("too-deep", {"eurasianet-2025.yaml": (
        "source:\n  title: Tajik-Taliban Relations Slowly Warm\n  note: " + "[" * 70 + "]" * 70 + "\n")},
        TOPICS, "eurasianet-2025.yaml", 3, ["deeper than 64 levels"], 1, id="too-deep"),
    pytest.param("duplicate-key", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
            value: "1,344 km"
        """}, TOPICS, "eurasianet-2025.yaml", 7, ["duplicate key 'value'", "first at line 5"], 1,
        id="duplicate-key"),
    pytest.param("not-utf8", {"eurasianet-2025.yaml": (
        "source:\n  title: Tajik-Taliban Relations Slowly Warm\n  publisher: Caf\xe9 Press\n").encode("latin-1")},
        TOPICS, "eurasianet-2025.yaml", 3, ["not valid UTF-8", "0xe9"], 1, id="not-utf8"),
    pytest.param("not-utf8", {"eurasianet-2025.yaml": b"source:\n  title: Tajik\x00\n"},
                 TOPICS, "eurasianet-2025.yaml", 2, ["NUL byte"], 1, id="not-utf8-nul"),
    pytest.param("missing-topics", {"eurasianet-2025.yaml": EURASIANET}, None, "topics.yaml", None,
                 ["no topics.yaml"], 1, id="missing-topics"),
    pytest.param("unknown-key", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            vaule: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
        """}, TOPICS, "eurasianet-2025.yaml", 5, ["unknown key 'vaule'", "did you mean 'value'?"], 1,
        id="unknown-key"),
    pytest.param("unknown-key", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claim:
          - topic: border-length
        """}, TOPICS, "eurasianet-2025.yaml", 3, ["unknown key 'claim'", "did you mean 'claims'?"], 1,
        id="unknown-key-top-level"),
    pytest.param("unknown-key", {}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unti: km
        """, "topics.yaml", 4, ["unknown key 'unti'", "did you mean 'unit'?"], 1, id="unknown-key-topic"),
    pytest.param("missing-key", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 km"
        """}, TOPICS, "eurasianet-2025.yaml", 4, ["missing required key 'quote'"], 1, id="missing-key"),
    pytest.param("invalid-type", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
          type: offical
        """}, TOPICS, "eurasianet-2025.yaml", 3, ["'offical' is not one of", "did you mean 'official'?"], 1,
        id="invalid-type"),
    pytest.param("invalid-type", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: [1374, km]
            quote: "a rugged 1,374-kilometer-long border"
        """}, TOPICS, "eurasianet-2025.yaml", 5, ["value must be text", "not a list"], 1, id="invalid-type-list"),
    pytest.param("invalid-id", {}, """\
        topics:
          Border Length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
        """, "topics.yaml", 2, ["'Border Length'", "lower-case slug"], 1, id="invalid-id"),
    pytest.param("invalid-unit", {}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: kilomters
        """, "topics.yaml", 4, ["unknown unit 'kilomters'", "did you mean 'kilometers'?"], 1, id="invalid-unit"),
    pytest.param("invalid-unit", {}, """\
        topics:
          taliban-takeover:
            title: Date the Taliban took Kabul
            kind: date
            unit: days
        """, "topics.yaml", 5, ["only quantities have a unit"], 1, id="invalid-unit-on-date"),
    pytest.param("invalid-value", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "a long way"
            quote: "a long border"
        """}, TOPICS, "eurasianet-2025.yaml", 5, ["cannot read 'a long way'", "expected a number"], 1,
        id="invalid-value"),
    pytest.param("invalid-value", {}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
            tolerance: a bit
        """, "topics.yaml", 5, ["tolerance:"], 1, id="invalid-value-tolerance"),
    pytest.param("invalid-date", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
          published: last spring
        """}, TOPICS, "eurasianet-2025.yaml", 3, ["cannot read date 'last spring'", "relative"], 1,
        id="invalid-date"),
    pytest.param("invalid-date", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
            as_of: 2025-13
        """}, TOPICS, "eurasianet-2025.yaml", 7, ["as_of:", "there is no month 13"], 1, id="invalid-date-as-of"),
    pytest.param("wrong-dimension", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 kg"
            quote: "a rugged 1,374-kilometer-long border"
        """}, TOPICS, "eurasianet-2025.yaml", 5, ["'kg' is a mass", "a length (km)"], 1, id="wrong-dimension"),
    pytest.param("unknown-topic", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-lenght
            value: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
        """}, TOPICS, "eurasianet-2025.yaml", 4, ["unknown topic 'border-lenght'", "did you mean 'border-length'?"],
        1, id="unknown-topic"),
    pytest.param("duplicate-source-id", {"a-eurasianet.yaml": """\
        source:
          id: eurasianet-2025
          title: Tajik-Taliban Relations Slowly Warm
        """, "b-eurasianet-copy.yaml": """\
        source:
          id: eurasianet-2025
          title: Tajik-Taliban Relations Slowly Warm (copy)
        """}, TOPICS, "b-eurasianet-copy.yaml", 2, ["'eurasianet-2025' is already used by", "a-eurasianet.yaml"],
        1, id="duplicate-source-id"),
    pytest.param("duplicate-source-id", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        """, "old/eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm (copy)
        """}, TOPICS, "eurasianet-2025.yaml", 1, ["'eurasianet-2025' is already used by"], 1,
        id="duplicate-source-id-from-file-stem"),
    pytest.param("duplicate-claim-id", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - id: border
            topic: border-length
            value: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
          - id: border
            topic: border-length
            value: "1,374 km"
            quote: "the 1,374 km frontier"
        """}, TOPICS, "eurasianet-2025.yaml", 8, ["claim id 'border' is already used at line 4"], 1,
        id="duplicate-claim-id"),
    pytest.param("unknown-cover", {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
            resolution:
              status: explained
              note: 1,344 km is the official Tajik figure.
              covers: [asatryan-2024/border-length, eurasianet/border-length]
        """, "topics.yaml", 8, ["covers 'eurasianet/border-length', which is no claim",
                                 "did you mean 'eurasianet-2025/border-length'?"], 1, id="unknown-cover"),
    pytest.param("unknown-source", {"asatryan-2024.yaml": ASATRYAN, "wire-copy.yaml": """\
        source:
          title: Tajikistan and the Taliban (syndicated)
          based_on: [asatryan2024]
        claims: []
        """}, TOPICS, "wire-copy.yaml", 3, ["is based_on 'asatryan2024', which is no source",
                                           "did you mean 'asatryan-2024'?"], 1, id="unknown-source"),
    pytest.param("near-duplicate-topic", {}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
          border-lenght:
            title: Tajik-Afghan border length
            unit: km
        """, "topics.yaml", 5, ["'border-lenght' looks like topic 'border-length' (line 2)"], 0,
        id="near-duplicate-topic"),
    pytest.param("near-duplicate-topic", {}, """\
        topics:
          border-length-2023:
            title: Length of the Tajikistan–Afghanistan border in 2023
            unit: km
          border-length-2024:
            title: Length of the Tajikistan–Afghanistan border in 2024
            unit: km
          border-lenght-2024:
            title: Tajik-Afghan border length, 2024
            unit: km
        """, "topics.yaml", 8, ["'border-lenght-2024' looks like topic 'border-length-2024' (line 5)",
                                 "their keys are 94% alike"], 0, id="near-duplicate-topic-series"),
    pytest.param("missing-text", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
          text: texts/eurasianet-2025.txt
        """}, TOPICS, "eurasianet-2025.yaml", 3, ["cannot read text", "eurasianet-2025.txt"], 1,
        id="missing-text"),
    pytest.param("quote-not-found", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
          text: texts/eurasianet-2025.txt
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: "a rugged 1,374-kilometre-long border"
        """, "texts/eurasianet-2025.txt": """\
        Dushanbe and Kabul,
        which share a rugged 1,374-kilometer-long border,
        have slowly warmed.
        """}, TOPICS, "eurasianet-2025.yaml", 7,
        ["is not in", "closest passage", "at line 2", '"a rugged 1,374-kilometer-long border"'], 1,
        id="quote-not-found"),
    pytest.param("quote-not-found", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
          text: texts/eurasianet-2025.txt
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: "the Wakhan corridor is closed"
        """, "texts/eurasianet-2025.txt": "Dushanbe and Kabul share a border.\n"}, TOPICS, "eurasianet-2025.yaml",
        7, ["quote of eurasianet-2025/border-length is not in"], 1, id="quote-not-found-at-all"),
    pytest.param("invalid-preferred", {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
            resolution:
              status: explained
              preferred: "1,357 km"
              covers: [asatryan-2024/border-length, eurasianet-2025/border-length]
        """, "topics.yaml", 7, ["preferred '1,357 km' agrees with none of the claims the resolution covers",
                                "'1,344 km', '1,374 km'"], 1, id="invalid-preferred"),
    pytest.param("invalid-preferred", {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
            resolution:
              status: explained
              preferred: banana
              covers: [asatryan-2024/border-length, eurasianet-2025/border-length]
        """, "topics.yaml", 7, ["preferred 'banana' is not a quantity value of this topic"], 1,
        id="invalid-preferred-unreadable"),
    pytest.param("empty-quote", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: " "
        """}, TOPICS, "eurasianet-2025.yaml", 6, ["eurasianet-2025/border-length: the quote is empty"], 1,
        id="empty-quote"),
    pytest.param("figure-not-in-quote", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,734 km"
            quote: "a rugged 1,374-kilometer-long border"
        """}, TOPICS, "eurasianet-2025.yaml", 5, ["the value '1,734 km' has 1,734, which its quote does not say"], 0,
        id="figure-not-in-quote"),
    pytest.param("unresolved-conflict", {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET}, TOPICS,
                 "eurasianet-2025.yaml", 4, ["says '1,374 km'", "conflicts with asatryan-2024/border-length",
                                             "claimtrack resolve border-length"], 1, id="unresolved-conflict"),
]


@pytest.mark.parametrize(("code", "files", "topics", "file", "line", "words", "exit_code"), CASES)
def test_each_code(tmp_path: Path, code: str, files: dict[str, str | bytes], topics: str | None, file: str,
                   line: int | None, words: list[str], exit_code: int) -> None:
    folder = make_folder(tmp_path, files, topics)
    code_seen, data = check_json(folder)
    assert code_seen == exit_code
    assert data["ok"] is (exit_code == 0)
    severity = "warning" if code in ("near-duplicate-topic", "stale-resolution", "figure-not-in-quote") else "error"
    assert_problem(data, code, file, line, *words, severity=severity)


EVIDENCE_TOPICS = TOPICS + """\
  tajik-share:
    title: Tajik share of the population
    unit: "%"
  refugees:
    title: Refugees received
  loans:
    title: Loans
    unit: USD
"""


def _figure_warnings(tmp_path: Path, topic: str, value: str, quote: str) -> tuple[int, list[dict[str, object]]]:
    folder = make_folder(tmp_path, {"a.yaml": f"""\
        source:
          title: A
        claims:
          - topic: {topic}
            value: "{value}"
            quote: "{quote}"
        """}, EVIDENCE_TOPICS)
    exit_code, data = check_json(folder)
    assert [p["code"] for p in data["problems"] if p["code"] != "figure-not-in-quote"] == [], data
    return exit_code, [p for p in data["problems"] if p["code"] == "figure-not-in-quote"]


@pytest.mark.parametrize(("topic", "value", "quote"), [
    ("border-length", "1,344 km", "a 1 344-km border"),  # thousands written with a space
    ("refugees", "14 thousand", "fourteen thousand refugees"),  # words
    ("refugees", "14,000", "some 14 thousand people"),  # a scale word
    ("loans", "$2.8 billion", "$2,8 billion in loans"),  # a decimal comma
    ("refugees", "about twenty", "20 families"),
    ("tajik-share", "46%", "46 per cent of the population"),
    ("border-length", "1,100–1,300 km", "between 1,100 and 1,300 kilometres"),
    ("tajik-share", "a quarter", "roughly a quarter"),  # no figure to compare
])
def test_a_figure_written_another_way_is_in_its_quote(tmp_path: Path, topic: str, value: str, quote: str) -> None:
    assert _figure_warnings(tmp_path, topic, value, quote)[1] == []


@pytest.mark.parametrize(("topic", "value", "quote"), [
    ("refugees", "9,000", "about 6,000 troops"),
    ("border-length", "1,100–1,400 km", "between 1,100 and 1,300 kilometres"),  # one end differs
    ("loans", "$5 million", "$6 million"),
    ("refugees", "twenty", "12 families"),
])
def test_a_figure_its_quote_does_not_say_is_a_warning(tmp_path: Path, topic: str, value: str, quote: str) -> None:
    exit_code, found = _figure_warnings(tmp_path, topic, value, quote)
    assert exit_code == 0 and len(found) == 1 and found[0]["severity"] == "warning", found


def test_stale_resolution_is_a_warning(tmp_path: Path) -> None:
    agreeing = EURASIANET.replace("Tajik-Taliban Relations Slowly Warm", "Border Security Review")
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": EURASIANET, "review-2025.yaml": agreeing}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
            resolution:
              status: explained
              covers: [eurasianet-2025/border-length, review-2025/border-length]
        """)
    exit_code, data = check_json(folder)
    assert exit_code == 0  # warnings never fail the gate
    assert data["ok"] is True
    assert_problem(data, "stale-resolution", "topics.yaml", 5, "no longer conflict", severity="warning")


SETTLED = """\
    topics:
      border-length:
        title: Length of the Tajikistan–Afghanistan border
        unit: km
        resolution:
          status: explained
          covers:
            asatryan-2024/border-length: "1,344 km"
            eurasianet-2025/border-length: "1,374 km"
    """


def test_a_settled_value_that_changed_reopens_the_topic(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET}, SETTLED)
    assert check_json(folder)[0] == 0  # settled as they are
    changed = EURASIANET.replace('value: "1,374 km"', 'value: "1,406 km"')
    (folder / "eurasianet-2025.yaml").write_text(textwrap.dedent(changed))
    exit_code, data = check_json(folder)
    assert exit_code == 1  # the verdict was about 1,374 km: 1,406 km is not settled
    assert_problem(data, "stale-resolution", "topics.yaml", 9,
                   "settled eurasianet-2025/border-length as '1,374 km', but it now says '1,406 km'",
                   severity="warning")
    assert_problem(data, "unresolved-conflict", "eurasianet-2025.yaml", 4, "says '1,406 km'",
                   "the topic's resolution settled it as '1,374 km'")
    (folder / "eurasianet-2025.yaml").write_text(textwrap.dedent(changed.replace("1,406", "1,374")))
    assert check_json(folder)[0] == 0  # spelled as settled again


def test_the_list_form_of_covers_still_settles_whatever_the_value(tmp_path: Path) -> None:
    listed = SETTLED.split("          covers:")[0] + (
        "          covers: [asatryan-2024/border-length, eurasianet-2025/border-length]\n")
    changed = EURASIANET.replace('value: "1,374 km"', 'value: "1,406 km"')
    folder = make_folder(tmp_path, {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": changed}, listed)
    assert check_json(folder)[0] == 0


def test_unresolved_conflict_is_reported_on_every_claim_in_it(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET})
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "unresolved-conflict", "asatryan-2024.yaml", 4, "says '1,344 km'")
    assert_problem(data, "unresolved-conflict", "eurasianet-2025.yaml", 4, "says '1,374 km'")


def test_disputed_and_resolved_topics_do_not_fail(tmp_path: Path) -> None:
    for status in ("disputed", "explained", "accepted"):
        folder = make_folder(tmp_path / status, {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET},
                             TOPICS + "    resolution:\n"
                             f"      status: {status}\n"
                             "      covers: [asatryan-2024/border-length, eurasianet-2025/border-length]\n")
        exit_code, data = check_json(folder)
        assert (exit_code, data["problems"]) == (0, []), status


def test_new_conflicting_claim_reopens_a_resolved_topic(tmp_path: Path) -> None:
    kaura = """\
        source:
          title: Tajikistan's Afghan border
        claims:
          - topic: border-length
            value: more than 1,400 km
            quote: "a border of more than 1,400 km"
        """
    folder = make_folder(tmp_path, {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET,
                                    "kaura-2021.yaml": kaura},
                         TOPICS + "    resolution:\n      status: explained\n"
                         "      covers: [asatryan-2024/border-length, eurasianet-2025/border-length]\n")
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "unresolved-conflict", "kaura-2021.yaml", 4, "says 'more than 1,400 km'",
                   "the topic's resolution does not cover this claim")
    assert [Path(p["path"]).name for p in data["problems"]] == ["kaura-2021.yaml"]


def test_internal_inconsistency_is_named(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
          - topic: border-length
            value: "1,344 km"
            quote: "the 1,344 km frontier"
        """})
    exit_code, data = check_json(folder)
    assert exit_code == 1
    conflicts = [p for p in data["problems"] if p["code"] == "unresolved-conflict"]
    assert [p["line"] for p in conflicts] == [4, 7]
    assert "eurasianet-2025/border-length-2 says '1,344 km'" in conflicts[1]["message"]
    assert all("an internal inconsistency of one source" in p["message"] for p in conflicts)


def test_file_too_large(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": "source:\n  title: T\n" + "#" * MAX_FILE_BYTES + "\n"})
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "file-too-large", "eurasianet-2025.yaml", None, "bytes, above the", "-byte limit")


def test_outside_folder(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("source:\n  title: Somewhere else\n", encoding="utf-8")
    folder = make_folder(tmp_path, {})
    (folder / "linked.yaml").symlink_to(outside)
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "outside-folder", "linked.yaml", None, "points outside the claims folder")


def test_unreadable_file_dangling_symlink(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {})
    (folder / "eurasianet-2025.yaml").symlink_to("gone.yaml")  # inside the folder, but nothing there
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "unreadable-file", "eurasianet-2025.yaml", None, "cannot read file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its permissions")
def test_unreadable_file_permissions(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": EURASIANET})
    path = folder / "eurasianet-2025.yaml"
    path.chmod(0)
    try:
        exit_code, data = check_json(folder)
    finally:
        path.chmod(0o644)
    assert exit_code == 1
    assert_problem(data, "unreadable-file", "eurasianet-2025.yaml", None, "cannot read file", "ermission denied")


# --------------------------------------------------------------------------- near-duplicate topics

def near_duplicates(tmp_path: Path, topics: dict[str, str]) -> list[str]:
    """The near-duplicate-topic messages for a registry of count topics given as {key: title}."""
    entries = "".join(f"  {key}:\n    title: {json.dumps(title)}\n" for key, title in topics.items())
    _, data = check_json(make_folder(tmp_path, {}, "topics:\n" + entries))
    return [p["message"] for p in data["problems"] if p["code"] == "near-duplicate-topic"]


# (first key, second key, the second topic's message or None) with titles far apart
NEAR_DUPLICATE_KEYS = [
    pytest.param("border-length", "border-lenght", "keys are 92% alike", id="typo"),
    pytest.param("border-length", "border_length", "keys are 100% alike", id="separator"),
    pytest.param("tajikistan-afghanistan-border-length", "tajikstan-afganistan-border-length", "keys are 97% alike",
                 id="a-typo-in-each-of-two-words"),
    pytest.param("population-2000", "population-2001", None, id="series"),
    pytest.param("cleveland-ohio-population-2000", "cleveland-ohio-population-2001", None, id="series-of-a-city"),
    pytest.param("tajikistan-afghanistan-border-length-2020", "tajikistan-afghanistan-border-lenght-2020",
                 "keys are 98% alike", id="typo-same-year"),
    # two years of one series, one of them misspelt: two facts, not one fact twice
    pytest.param("tajikistan-afghanistan-border-length-2020", "tajikistan-afghanistan-border-lenght-2021", None,
                 id="typo-and-another-year"),
    pytest.param("population-2000", "population-2000b", "keys are 97% alike", id="a-letter-is-no-series"),
    pytest.param("prague-population-2006", "prague-population-2006-2", "keys are 96% alike", id="numbered-again"),
    pytest.param("houston-texas-population-2004", "austin-texas-population-2004", None, id="another-word"),
    pytest.param("turku-population-2006", "turin-population-2006", None, id="two-typos-in-one-word"),
]


@pytest.mark.parametrize(("first", "second", "expected"), NEAR_DUPLICATE_KEYS)
def test_near_duplicate_keys(tmp_path: Path, first: str, second: str, expected: str | None) -> None:
    messages = near_duplicates(tmp_path, {first: "Length of a border", second: "Number of people living there"})
    assert messages == ([] if expected is None else [
        f"topic {second!r} looks like topic {first!r} (line 2): their {expected}; merge them or make them distinct"])


NEAR_DUPLICATE_TITLES = [
    pytest.param("Length of the Tajikistan–Afghanistan border", "Lenght of the Tajikistan–Afghanistan border",
                 "titles are 98% alike", id="typo"),
    pytest.param("Population of Prague in /2006", "Population of Prague in 2006", "titles are 100% alike",
                 id="punctuation"),
    pytest.param("Population of Cleveland, Ohio in 2000", "Population of Cleveland, Ohio in 2001", None, id="series"),
    pytest.param("Population of Cleveland, Ohio in 2000", "Populaton of Cleveland, Ohio in 2001", None,
                 id="typo-and-another-year"),
]


@pytest.mark.parametrize(("first", "second", "expected"), NEAR_DUPLICATE_TITLES)
def test_near_duplicate_titles(tmp_path: Path, first: str, second: str, expected: str | None) -> None:
    messages = near_duplicates(tmp_path, {"border-length": first, "refugees-received": second})
    message = (f"topic 'refugees-received' looks like topic 'border-length' (line 2): their {expected}; "
               "merge them or make them distinct")
    assert messages == ([] if expected is None else [message])


PLACES = """afghanistan albania algeria angola argentina armenia australia austria azerbaijan bangladesh belarus belgium
    bolivia brazil bulgaria cambodia cameroon canada chile china colombia croatia cuba denmark ecuador egypt estonia
    ethiopia finland france georgia germany ghana greece hungary iceland india indonesia iran iraq ireland israel
    italy japan jordan kazakhstan kenya kyrgyzstan laos latvia lebanon libya lithuania malawi mali mexico moldova
    mongolia morocco nepal niger nigeria norway oman pakistan panama peru poland portugal qatar romania russia rwanda
    senegal serbia slovakia spain sudan sweden syria tajikistan tanzania thailand tunisia turkey turkmenistan uganda
    ukraine uzbekistan venezuela vietnam yemen zambia new-york los-angeles san-diego dushanbe khorog kabul herat
    mazar-i-sharif bishkek osh almaty tashkent samarkand""".split()
MEASURES = {"population": "Population", "gdp": "GDP", "gdp-per-capita": "GDP per capita", "area": "Area",
            "border-length": "Length of the border", "unemployment-rate": "Unemployment rate",
            "inflation-rate": "Inflation rate", "military-budget": "Military budget",
            "life-expectancy": "Life expectancy", "literacy-rate": "Literacy rate",
            "refugees-received": "Refugees received", "electricity-output": "Electricity output",
            "wheat-harvest": "Wheat harvest", "public-debt": "Public debt", "birth-rate": "Birth rate",
            "internet-users": "Internet users", "forest-cover": "Forest cover", "road-network": "Road network"}


def mistype(rng: random.Random, text: str, separator: str) -> str:
    """`text` with one typo in one of its words (a letter added, dropped, changed; two swapped) or, once in
    eight, with one separator dropped or changed."""
    parts = re.split(f"({re.escape(separator)})", text)
    if rng.random() < 1 / 8 and len(parts) > 1:
        parts[rng.randrange(1, len(parts), 2)] = rng.choice(["", "_"] if separator == "-" else [""])
        return "".join(parts)
    index = rng.choice([i for i, part in enumerate(parts) if part.isalpha()])
    word, at, letter = parts[index], rng.randrange(len(parts[index])), rng.choice(string.ascii_lowercase)
    parts[index] = rng.choice([word[:at] + letter + word[at:], word[:at] + word[at + 1:],
                               word[:at] + letter + word[at + 1:], word[:at] + word[at + 1:at + 2] + word[at:at + 1]
                               + word[at + 2:]])
    return "".join(parts)


def planted_registry(seed: int, size: int = 2000, planted: int = 150) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """{key: title} for `size` topics shaped like a real registry — places by measures, most of them a series of
    years — of which `planted` repeat another topic with a typo in its key, and in its title or not."""
    rng = random.Random(seed)
    topics: dict[str, str] = {}
    while len(topics) < size - planted:
        place, (measure, wording) = rng.choice(PLACES), rng.choice(sorted(MEASURES.items()))
        title = f"{wording} of {place.replace('-', ' ').title()}"
        if rng.random() < 0.3:
            topics[f"{place}-{measure}"] = title
        first = rng.randrange(1990, 2020)
        topics.update({f"{place}-{measure}-{year}": f"{title} in {year}"
                       for year in range(first, first + rng.randint(1, 8))})
    topics = dict(list(topics.items())[:size - planted])
    pairs: list[tuple[str, str]] = []
    for key in rng.sample(sorted(topics), len(topics)):
        typo = mistype(rng, key, "-")
        if typo not in topics and re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", typo):
            title = topics[key]
            topics[typo] = rng.choice([title, mistype(rng, title, " "), f"{title}, second estimate"])
            pairs.append((key, typo))
        if len(pairs) == planted:
            return topics, pairs
    raise AssertionError("too few topics to plant typos in")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_near_duplicates_in_a_large_registry(tmp_path: Path, seed: int) -> None:
    """The check compares each topic with a few neighbours only (NEAR_DUPLICATE_WINDOW); on a registry of 2,000
    topics it still finds every planted typo the old rule (every pair compared, likeness alone) found, no two
    years of a series, and exactly the pairs that comparing every pair by the new rule finds."""
    from rapidfuzz import fuzz, process

    from claimtrack import checks

    topics, pairs = planted_registry(seed)
    messages = near_duplicates(tmp_path, topics)
    reported = {tuple(re.findall(r"topic '([^']+)'", message)[::-1]) for message in messages}

    def old_comparable(text: str) -> str:
        return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())

    key_cutoff, title_cutoff = checks.NEAR_DUPLICATE_KEY, checks.NEAR_DUPLICATE_TITLE
    found_before = [(key, typo) for key, typo in pairs
                    if fuzz.ratio(old_comparable(key), old_comparable(typo)) >= key_cutoff
                    or fuzz.ratio(old_comparable(topics[key]), old_comparable(topics[typo])) >= title_cutoff]
    assert len(found_before) > 100
    assert [pair for pair in found_before if pair not in reported] == []
    series = [pair for pair in reported if re.sub(r"\d+", "#", pair[0]) == re.sub(r"\d+", "#", pair[1])]
    assert series == []

    for names, cutoff in ((list(topics), key_cutoff), (list(topics.values()), title_cutoff)):
        texts = [checks._comparable(name) for name in names]
        every_pair = sorted((i, i + 1 + j, score) for i in range(len(texts))
                            for _, score, j in process.extract(texts[i], texts[i + 1:], scorer=fuzz.ratio,
                                                               score_cutoff=cutoff, limit=None)
                            if checks._mistyped(texts[i].split(), texts[i + 1 + j].split()))
        assert checks._alike_pairs(names, cutoff) == every_pair


# --------------------------------------------------------------------------- the gate as a whole

def test_clean_folder_passes(tmp_path: Path) -> None:
    agreeing = EURASIANET.replace("Tajik-Taliban Relations Slowly Warm", "Border Security Review")
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": EURASIANET, "review-2025.yaml": agreeing})
    exit_code, data = check_json(folder)
    assert exit_code == 0
    assert data["ok"] is True
    assert data["problems"] == []
    assert {key: data[key] for key in ("ok", "problems")} == {"ok": True, "problems": []}


def test_every_broken_file_is_reported_in_one_run(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {
        "a-syntax.yaml": "source:\n  title: A\n   publisher: B\n",
        "b-unknown-key.yaml": "source:\n  title: B\n  titel: B\n",
        "c-bad-value.yaml": "source:\n  title: C\nclaims:\n  - topic: border-length\n    value: lots\n    quote: q\n",
        "sub/d-unknown-topic.yaml": "source:\n  title: D\nclaims:\n  - topic: borders\n    value: 1 km\n    quote: q\n",
    })
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert data["ok"] is False
    assert_problem(data, "yaml-syntax", "a-syntax.yaml", 3)
    assert_problem(data, "unknown-key", "b-unknown-key.yaml", 3, "did you mean 'title'?")
    assert_problem(data, "invalid-value", "c-bad-value.yaml", 5, "'lots'")
    assert_problem(data, "unknown-topic", "d-unknown-topic.yaml", 4, "'borders'")
    for problem in data["problems"]:
        assert set(problem) >= {"path", "line", "column", "severity", "code", "message"}


def test_text_format(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": "source:\n  title: T\n  titel: T\n"})
    result = invoke("check", "--dir", str(folder))
    assert result.exit_code == 1
    assert "eurasianet-2025.yaml:3:3: error: unknown key 'titel' (did you mean 'title'?) [unknown-key]" \
        in result.stdout
    assert "1 error, 0 warnings" in result.stdout


def test_github_format(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET,
                                    "typo.yaml": "source:\n  title: T\n  titel: T\n"})
    result = invoke("check", "--dir", str(folder), "--format", "github")
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 3
    for line in annotations:
        assert line.startswith("::error file=")
        assert ",line=" in line and ",col=" in line
    typo = next(line for line in annotations if "typo.yaml" in line)
    assert ",line=3,col=3," in typo
    assert "title=unknown-key::" in typo
    assert typo.endswith("unknown key 'titel' (did you mean 'title'?)")
    conflict = next(line for line in annotations if "eurasianet-2025.yaml" in line)
    assert ",line=4,col=5," in conflict and "title=unresolved-conflict::" in conflict


def test_github_format_warning(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {}, TOPICS_NEAR_DUPLICATE)
    result = invoke("check", "--dir", str(folder), "--format", "github")
    assert result.exit_code == 0
    assert result.stdout.startswith("::warning file=")
    assert ",line=5,col=3,title=near-duplicate-topic::" in result.stdout


def test_sarif_format_validates_against_the_schema(tmp_path: Path) -> None:
    import jsonschema

    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": "source:\n  title: T\n  titel: T\n"},
                         TOPICS_NEAR_DUPLICATE)
    (folder / "huge.yaml").write_text("#" * (MAX_FILE_BYTES + 1), encoding="utf-8")  # a problem without a line
    result = invoke("check", "--dir", str(folder), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)

    # Nothing ships the official SARIF 2.1.0 schema offline: tests/fixtures holds a trimmed copy of its
    # definitions for the objects claimtrack writes (required keys, types, enums, additionalProperties).
    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif-2.1.0-min.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)

    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimtrack"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert set(rule_ids) == {"unknown-key", "near-duplicate-topic", "file-too-large"}
    by_rule = {result["ruleId"]: result for result in run["results"]}
    for result_ in run["results"]:
        assert rule_ids[result_["ruleIndex"]] == result_["ruleId"]
        assert result_["message"]["text"]
        assert result_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    typo = by_rule["unknown-key"]
    assert typo["level"] == "error"
    physical = typo["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("eurasianet-2025.yaml")
    assert physical["region"] == {"startLine": 3, "startColumn": 3}
    assert "did you mean 'title'?" in typo["message"]["text"]
    assert by_rule["near-duplicate-topic"]["level"] == "warning"
    assert by_rule["near-duplicate-topic"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert "region" not in by_rule["file-too-large"]["locations"][0]["physicalLocation"]


def test_sarif_format_clean(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": EURASIANET})
    result = invoke("check", "--dir", str(folder), "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"] == []


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": EURASIANET})
    assert invoke("check", "--dir", str(folder), "--format", "xml").exit_code == 2
    assert invoke("check", "--dir", str(folder), str(tmp_path / "nosuch.yaml")).exit_code == 2
    assert invoke("check", "--dir", str(tmp_path / "nosuch")).exit_code == 2


def test_paths_limit_the_check_to_those_files(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET,
                                    "typo.yaml": "source:\n  title: T\n  titel: T\n"})
    exit_code, data = check_json(folder, str(folder / "eurasianet-2025.yaml"))
    assert exit_code == 1
    assert {(Path(p["path"]).name, p["code"]) for p in data["problems"]} == {
        ("eurasianet-2025.yaml", "unresolved-conflict")}


# --------------------------------------------------------------------------- --changed-since

def _git(repo: Path, *args: str) -> None:
    # no signing and no hooks: the machine's git configuration must not change what the test does
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=t", "-c", "commit.gpgsign=false",
                    "-c", "core.hooksPath=/dev/null", *args], cwd=repo, check=True, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose main branch holds claims/ with one good source and one broken one."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "repo"
    root.mkdir()
    make_folder(root, {
        "asatryan-2024.yaml": ASATRYAN,
        "broken-old.yaml": """\
            source:
              title: An old file with an error nobody fixed yet
              titel: typo
            """,
    })
    _git(root, "init", "-q")
    _git(root, "checkout", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "claims")
    _git(root, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(root)
    return root


def test_changed_since_reports_only_the_branch_files(repo: Path) -> None:
    (repo / "claims" / "eurasianet-2025.yaml").write_text(textwrap.dedent(EURASIANET), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a new source")

    full_exit, full = check_json(Path("claims"))  # the whole folder: every problem
    assert full_exit == 1
    assert {Path(p["path"]).name for p in full["problems"]} == {
        "asatryan-2024.yaml", "broken-old.yaml", "eurasianet-2025.yaml"}

    exit_code, data = check_json(Path("claims"), "--changed-since", "main")
    assert exit_code == 1
    assert data["ok"] is False
    problem = assert_problem(data, "unresolved-conflict", "eurasianet-2025.yaml", 4,
                             "conflicts with asatryan-2024/border-length")
    assert problem["path"] == os.path.join("claims", "eurasianet-2025.yaml")  # relative, as CI annotations need
    # the pre-existing error of an untouched file, and the old claim's side of the conflict, are not this branch's
    assert [(Path(p["path"]).name, p["code"]) for p in data["problems"]] == [
        ("eurasianet-2025.yaml", "unresolved-conflict")]


def test_changed_since_includes_untracked_files(repo: Path) -> None:
    (repo / "claims" / "draft.yaml").write_text("source:\n  title: Draft\n  publised: 2025\n", encoding="utf-8")
    exit_code, data = check_json(Path("claims"), "--changed-since", "main")
    assert exit_code == 1
    assert_problem(data, "unknown-key", "draft.yaml", 3, "did you mean 'published'?")
    assert all(Path(p["path"]).name == "draft.yaml" for p in data["problems"])


def test_changed_since_with_nothing_changed_passes(repo: Path) -> None:
    exit_code, data = check_json(Path("claims"), "--changed-since", "main")
    assert exit_code == 0
    assert data["ok"] is True and data["problems"] == []


RESOLVED = TOPICS + """\
    resolution:
      status: disputed
      covers: [asatryan-2024/border-length, eurasianet-2025/border-length]
  trade:
    title: Trade turnover
    unit: USD
"""


@pytest.fixture
def resolved_repo(repo: Path) -> Path:
    """main also holds a second source whose conflict with the first is resolved in topics.yaml."""
    (repo / "claims" / "broken-old.yaml").unlink()
    (repo / "claims" / "eurasianet-2025.yaml").write_text(textwrap.dedent(EURASIANET), encoding="utf-8")
    (repo / "claims" / "topics.yaml").write_text(RESOLVED, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "resolved")
    _git(repo, "branch", "-f", "main")
    return repo


def test_changed_since_judges_the_claims_of_a_topic_whose_entry_changed(resolved_repo: Path) -> None:
    """A branch that drops a resolution (or changes a unit) breaks claims in files it did not touch: the gate
    must see it. Changing one topic does not put the others on trial."""
    topics = resolved_repo / "claims" / "topics.yaml"
    assert check_json(Path("claims"), "--changed-since", "main") == (0, {"ok": True, "problems": [],
                                                                         "schema_version": 1})
    topics.write_text(RESOLVED.replace("    resolution:\n      status: disputed\n      covers: [asatryan-2024/"
                                       "border-length, eurasianet-2025/border-length]\n", ""), encoding="utf-8")
    exit_code, data = check_json(Path("claims"), "--changed-since", "main")
    assert exit_code == 1
    assert sorted((Path(p["path"]).name, p["code"]) for p in data["problems"]) == [
        ("asatryan-2024.yaml", "unresolved-conflict"), ("eurasianet-2025.yaml", "unresolved-conflict")]
    topics.write_text(RESOLVED.replace("unit: km", "unit: '%'"), encoding="utf-8")
    exit_code, data = check_json(Path("claims"), "--changed-since", "main")
    assert exit_code == 1  # the claims in both files are now of the wrong dimension
    assert {(Path(p["path"]).name, p["code"]) for p in data["problems"]} >= {
        ("asatryan-2024.yaml", "wrong-dimension"), ("eurasianet-2025.yaml", "wrong-dimension")}
    topics.write_text(RESOLVED.replace("title: Trade turnover", "title: Trade turnover, both ways"),
                      encoding="utf-8")
    assert check_json(Path("claims"), "--changed-since", "main")[0] == 0  # an unrelated topic changed


def test_changed_since_judges_topics_yaml_when_a_file_is_deleted(resolved_repo: Path) -> None:
    (resolved_repo / "claims" / "eurasianet-2025.yaml").unlink()  # its claim is covered by a resolution
    exit_code, data = check_json(Path("claims"), "--changed-since", "main")
    assert exit_code == 1
    assert {(Path(p["path"]).name, p["code"]) for p in data["problems"]} >= {("topics.yaml", "unknown-cover")}


def test_changed_since_unknown_ref_is_a_usage_error(repo: Path) -> None:
    assert invoke("check", "--dir", "claims", "--changed-since", "no-such-branch").exit_code == 2


# --------------------------------------------------------------------------- bugs found in review, now fixed

def test_invalid_date_never_suggests_the_rejected_word(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: "a rugged 1,374-kilometer-long border"
            as_of: summer
        """})
    exit_code, data = check_json(folder)
    assert exit_code == 1
    problem = assert_problem(data, "invalid-date", "eurasianet-2025.yaml", 7, "as_of:")
    assert "did you mean 'summer'" not in problem["message"]


def test_misspelt_topics_key_gets_a_suggestion(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {}, """\
        topic:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
        """)
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "unknown-key", "topics.yaml", 1, "did you mean 'topics'?")


def test_file_stem_that_is_no_slug_is_an_error(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"Eurasianet 2025.yaml": EURASIANET})
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "invalid-id", "Eurasianet 2025.yaml", 1)


def test_non_slug_source_id_is_invalid_id(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": """\
        source:
          id: Eurasianet 2025
          title: Tajik-Taliban Relations Slowly Warm
        """})
    exit_code, data = check_json(folder)
    assert exit_code == 1
    assert_problem(data, "invalid-id", "eurasianet-2025.yaml", 2, "lower-case slug")


def test_control_character_is_located(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"eurasianet-2025.yaml": "source:\n  title: Tajik\x07\n"})
    exit_code, data = check_json(folder)
    assert exit_code == 1
    problem = assert_problem(data, "yaml-syntax", "eurasianet-2025.yaml", 2, "control character")
    assert "\n" not in problem["message"] and "<unicode string>" not in problem["message"]


@pytest.mark.parametrize(("code", "files", "topics", "file", "line"), [
    pytest.param("missing-text", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
          publisher: Eurasianet
          text: texts/eurasianet-2025.txt
        """}, TOPICS, "eurasianet-2025.yaml", 4, id="missing-text-at-text"),
    pytest.param("quote-not-found", {"eurasianet-2025.yaml": """\
        source:
          title: Tajik-Taliban Relations Slowly Warm
          text: texts/eurasianet-2025.txt
        claims:
          - topic: border-length
            value: "1,374 km"
            quote: "the Wakhan corridor is closed"
        """, "texts/eurasianet-2025.txt": "Dushanbe and Kabul share a border.\n"}, TOPICS, "eurasianet-2025.yaml",
        7, id="quote-not-found-at-quote"),
    pytest.param("unknown-cover", {"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET}, """\
        topics:
          border-length:
            title: Length of the Tajikistan–Afghanistan border
            unit: km
            resolution:
              status: explained
              note: 1,344 km is the official Tajik figure.
              covers: [asatryan-2024/border-length, eurasianet/border-length]
        """, "topics.yaml", 8, id="unknown-cover-at-covers"),
])
def test_problem_points_at_the_key_to_fix(tmp_path: Path, code: str, files: dict[str, str], topics: str,
                                          file: str, line: int) -> None:
    folder = make_folder(tmp_path, files, topics)
    _, data = check_json(folder)
    assert_problem(data, code, file, line)
