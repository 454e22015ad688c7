"""What a reader sees (issue 18, items 3 and 7), through the installed command: `claims`, `show SOURCE-ID`,
the note on a guessed topic, status words that agree with the totals, keys and ids never cut at 80 and 60
columns, help in words with completion on, and the progress bar on a terminal only."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ClaimsFactory, source

FOLDER = {
    "a.yaml": source("asatryan", 'topic: border-length\nvalue: "1,344 km"\nquote: "separated by 1,344 kilometers"',
                     title="Tajikistan and the Taliban"),
    "b.yaml": source("eurasianet", 'topic: border-length\nvalue: "1,374 km"\nquote: "a 1,374-kilometer border"\n'
                                   'as_of: 2025', 'topic: capital\nvalue: Khorog\nquote: "the capital, Khorog"\n'
                                   'attributed_to: the governor\nnote: spelt Khorugh elsewhere'),
    "sub/c.yaml": source("kaura", 'topic: border-length\nvalue: "more than 1,400 km"\nquote: "more than 1,400 km"',
                         'topic: tajik-share\nvalue: "46%"\nquote: "Tajiks are 46%"'),
    "d.yaml": source("other", 'topic: tajik-share\nvalue: "about a quarter"\nquote: "about a quarter"',
                     'topic: event-date\nvalue: "April 2023"\nquote: "in April"'),
}


def run(*args: str, columns: int = 100, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", **(env or {})}
    environment.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], capture_output=True, text=True,
                          check=False, env=environment)


def run_json(*args: str) -> dict:
    done = run(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- item 3: claims


def test_claims_lists_every_claim_and_filters_combine(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    every = run_json("claims", "--dir", folder)["claims"]
    assert [c["id"] for c in every] == ["asatryan/border-length", "eurasianet/border-length", "eurasianet/capital",
                                        "other/tajik-share", "other/event-date", "kaura/border-length",
                                        "kaura/tajik-share"]  # the folder's order: file by file (a, b, d, sub/c)

    def ids(*filters: str) -> list[str]:
        return [c["id"] for c in run_json("claims", "--dir", folder, *filters)["claims"]]

    assert ids("--source", "kaura") == ["kaura/border-length", "kaura/tajik-share"]
    assert ids("--topic", "Border With Afghanistan") == ["asatryan/border-length", "eurasianet/border-length",
                                                        "kaura/border-length"]  # an alias, in any case
    assert ids("--source", "kaura", "--topic", "border-length") == ["kaura/border-length"]
    assert ids("--grep", "KILOMET") == ["asatryan/border-length", "eurasianet/border-length"]  # quotes, any case
    assert ids("--grep", "2025") == ["eurasianet/border-length"]  # as_of
    assert ids("--grep", "governor") == ids("--grep", "khorugh") == ["eurasianet/capital"]  # attributed_to, note
    assert ids("--grep", "kaura/") == ["kaura/border-length", "kaura/tajik-share"]  # the id
    assert ids("--grep", "46", "--source", "other") == []


def test_claims_json_is_the_claim_object_with_its_topic(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    data = run_json("claims", "--dir", folder, "--source", "kaura")
    assert data["schema_version"] == 1
    shown = {c["id"]: c for c in run_json("show", "border-length", "--dir", folder)["claims"]}
    first = data["claims"][0]
    assert first == {**shown["kaura/border-length"], "topic": "border-length", "in_conflict": True,
                     "conflict_status": "unresolved"}
    assert data["claims"][1]["topic"] == "tajik-share" and data["claims"][1]["low"] == 45.5


def test_claims_csv_has_the_columns_and_rows_of_the_export(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = str(make_claims(files=FOLDER))
    done = run("claims", "--dir", folder, "--topic", "border-length", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout, newline="")))
    exported = tmp_path / "export"
    assert run("export", "--dir", folder, "--format", "csv", "-o", str(exported)).returncode == 0
    with (exported / "claims.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert rows[0] == table[0]  # the export's header, its columns described in its datapackage.json
    assert rows[1:] == [row for row in table[1:] if row[2] == "border-length"]


def test_claims_with_no_match_is_an_empty_list(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    done = run("claims", "--dir", folder, "--grep", "nothing like it")
    assert (done.returncode, done.stdout, done.stderr.strip()) == (0, "", "no claims match")
    assert run_json("claims", "--dir", folder, "--grep", "nothing like it") == {"claims": [], "schema_version": 1}
    done = run("claims", "--dir", folder, "--grep", "nothing like it", "--format", "csv")
    assert done.returncode == 0 and done.stdout.splitlines()[1:] == [] and done.stdout.startswith("id,source,")


def test_claims_unknown_source_is_a_usage_error_with_a_suggestion(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    done = run("claims", "--dir", folder, "--source", "eurasianett")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == ["error: unknown source 'eurasianett'", "did you mean: eurasianet?"]
    assert run("claims", "--dir", folder, "--source", "Kaura").returncode == 2  # an id is exact


def test_claims_table_shows_id_topic_value_as_of_and_quote(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    done = run("claims", "--dir", folder, "--source", "eurasianet")
    assert done.returncode == 0, done.stderr
    for words in ("eurasianet/border-length", "border-length", "1,374 km", "as of 2025", "a 1,374-kilometer border",
                  "eurasianet/capital", "Khorog"):
        assert words in done.stdout


# --------------------------------------------------------------------------- item 3: show SOURCE-ID


def test_show_source_json(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    data = run_json("show", "kaura", "--dir", folder)
    listed = {s["id"]: s for s in run_json("sources", "--dir", folder)["sources"]}
    assert data["source"] == listed["kaura"]
    assert [(c["id"], c["topic"], c["in_conflict"], c["conflict_status"]) for c in data["claims"]] == [
        ("kaura/border-length", "border-length", True, "unresolved"),
        ("kaura/tajik-share", "tajik-share", True, "unresolved")]
    other = run_json("show", "other", "--dir", folder)
    assert [(c["id"], c["in_conflict"]) for c in other["claims"]] == [("other/tajik-share", True),
                                                                       ("other/event-date", False)]
    assert data["schema_version"] == 1 and "topic" not in data


def test_show_source_table(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    done = run("show", "eurasianet", "--dir", folder)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["eurasianet", "A", "document"]
    assert "path: " in done.stdout and "b.yaml" in done.stdout
    row = next(line for line in lines if "eurasianet/border-length" in line)
    assert "✗ UNRESOLVED" in row
    assert "none" in next(line for line in lines if "eurasianet/capital" in line)
    assert lines[-1] == "2 claims, 1 of them in a conflict: 1 unresolved."


def test_show_word_precedence_topic_key_source_id_alias_then_guesses(make_claims: ClaimsFactory) -> None:
    topics = """
    topics:
      alpha:
        title: A topic named like a source
      gamma:
        title: A topic whose alias is a source id
        aliases: [beta]
    """
    folder = str(make_claims(topics, {
        "alpha.yaml": source("alpha", "topic: gamma\nvalue: '1'\nquote: one"),
        "beta.yaml": source("beta", "topic: alpha\nvalue: '2'\nquote: two"),
        "long.yaml": source("eurasianet-2025", "topic: alpha\nvalue: '3'\nquote: three")}))
    assert run_json("show", "alpha", "--dir", folder)["topic"] == "alpha"  # a topic key before a source id
    assert run_json("show", "beta", "--dir", folder)["source"]["id"] == "beta"  # a source id before an alias
    assert run_json("show", "GAMMA", "--dir", folder)["topic"] == "gamma"  # a key in any case
    done = run("show", "eurasianet-2052", "--dir", folder, "--format", "json")  # a close spelling of an id
    assert json.loads(done.stdout)["source"]["id"] == "eurasianet-2025"
    assert done.stderr == "note: showing 'eurasianet-2025' for 'eurasianet-2052'\n"
    done = run("show", "nothing-of-the-sort", "--dir", folder)
    assert done.returncode == 2 and done.stderr.startswith("error: unknown topic or source 'nothing-of-the-sort'")


# --------------------------------------------------------------------------- item 7: a guessed topic is said


def test_show_says_when_it_took_a_misspelling_for_a_topic(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    done = run("show", "bordr-lenght", "--dir", folder, "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["topic"] == "border-length"
    assert done.stderr == "note: showing 'border-length' for 'bordr-lenght'\n"
    assert run("show", "tajik", "--dir", folder).stderr == "note: showing 'tajik-share' for 'tajik'\n"  # a prefix
    for exact in ("border-length", "Border-Length", "border with afghanistan", "Length of the border"):
        done = run("show", exact, "--dir", folder)
        assert done.returncode == 0 and done.stderr == "", exact  # key, case, alias, title: no note
    done = run("claims", "--topic", "tajik-shar", "--dir", folder, "--format", "json")
    assert done.stderr == "note: showing 'tajik-share' for 'tajik-shar'\n"
    done = run("conflicts", "--topic", "tajik-shar", "--dir", folder, "--format", "json")
    assert done.stderr == "note: showing 'tajik-share' for 'tajik-shar'\n"


# --------------------------------------------------------------------------- item 7: status words and totals

STATUSES = """
topics:
  disputed-one:
    title: A disputed topic
    resolution: {status: disputed, covers: [a/disputed-one, b/disputed-one]}
  disputed-two:
    title: Another disputed topic
    resolution: {status: disputed, covers: [a/disputed-two, b/disputed-two]}
  resolved-one:
    title: An explained topic
    resolution: {status: explained, covers: [a/resolved-one, b/resolved-one]}
  open-one:
    title: An unresolved topic
  quiet:
    title: No conflict here
"""


def _status_folder(make_claims: ClaimsFactory, keys: list[str], name: str = "claims") -> str:
    def claims(value: str) -> list[str]:
        return [f"topic: {key}\nvalue: '{value}'\nquote: '{value}'" for key in keys]

    return str(make_claims(STATUSES, {"a.yaml": source("a", *claims("10")), "b.yaml": source("b", *claims("90"))},
                           folder=name))


def test_conflicts_summary_names_the_statuses_its_rows_show(make_claims: ClaimsFactory) -> None:
    folder = _status_folder(make_claims, ["disputed-one", "disputed-two", "resolved-one", "open-one"])
    done = run("conflicts", "--dir", folder)
    lines = done.stdout.splitlines()
    assert lines[-1] == "4 topics in conflict: 1 unresolved, 2 disputed, 1 resolved (shown with --all)."
    assert done.stdout.count("UNRESOLVED") == 1 and done.stdout.count("DISPUTED") == 2
    assert "RESOLVED  " not in done.stdout.replace("UNRESOLVED", "")
    done = run("conflicts", "--all", "--dir", folder)
    assert done.stdout.splitlines()[-1] == "4 topics in conflict: 1 unresolved, 2 disputed, 1 resolved."
    assert done.stdout.replace("UNRESOLVED", "").count("RESOLVED") == 1
    done = run("conflicts", "--topic", "open-one", "--dir", folder)
    assert done.stdout.splitlines()[-1] == "1 topic in conflict: 1 unresolved."


def test_all_disputed_says_disputed_not_zero_unresolved(make_claims: ClaimsFactory) -> None:
    folder = _status_folder(make_claims, ["disputed-one", "disputed-two"])
    done = run("conflicts", "--dir", folder)
    assert done.stdout.count("DISPUTED") == 2
    assert done.stdout.splitlines()[-1] == "2 topics in conflict: 2 disputed."
    resolved = _status_folder(make_claims, ["resolved-one"], name="resolved")
    assert run("conflicts", "--dir", resolved).stdout.strip() == (
        "No unresolved or disputed topics; 1 topic in conflict: 1 resolved (shown with --all).")


def test_topics_and_report_summaries_agree_with_the_rows(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = _status_folder(make_claims, ["disputed-one", "resolved-one", "open-one"])
    done = run("topics", "--dir", folder)
    rows = [line for line in done.stdout.splitlines() if line.startswith("│")]
    words = [word for row in rows for word in ("UNRESOLVED", "DISPUTED", "RESOLVED") if f" {word} " in row]
    assert sorted(words) == ["DISPUTED", "RESOLVED", "UNRESOLVED"]
    assert done.stdout.splitlines()[-1] == ("5 topics registered; 3 topics in conflict: 1 unresolved, 1 disputed, "
                                            "1 resolved.")
    page = tmp_path / "page.html"
    done = run("report", "--dir", folder, "-o", str(page))
    assert done.stdout.strip() == (f"wrote {page}: 6 claims; 3 topics in conflict: 1 unresolved, 1 disputed, "
                                   "1 resolved")


# --------------------------------------------------------------------------- item 7: keys and ids are never cut

LONG_TOPICS = """
topics:
  tajik-border-guards-islamic-state-clashes:
    title: Clashes between Tajik border guards and Islamic State fighters on the Afghan border are increasing in number
    kind: boolean
  afghan-embassy-under-former-government:
    title: The Afghan embassy in Dushanbe is still run by diplomats of the former government of Afghanistan
    kind: boolean
  short:
    title: A short one
    unit: km
"""


def _long_folder(make_claims: ClaimsFactory) -> tuple[str, list[str]]:
    # ids of 57 and 54 characters: the shipped data's longest is 55
    keys = ["tajik-border-guards-islamic-state-clashes", "afghan-embassy-under-former-government"]
    files = {}
    for source_id, value, length in (("eurasianet-2025", "yes", "1,344 km"), ("asatryan-2024", "no", "1,374 km")):
        blocks = [f"topic: {key}\nvalue: '{value}'\nquote: 'a long quote that says {value} about {key} and then "
                  f"goes on for a while'" for key in keys]
        blocks.append(f"topic: short\nvalue: '{length}'\nquote: '{length}'")
        files[f"{source_id}.yaml"] = source(source_id, *blocks, title="A document with a title long enough to wrap "
                                            "at eighty columns and then some more")
    ids = [f"{s}/{key}" for s in ("eurasianet-2025", "asatryan-2024") for key in [*keys, "short"]]
    return str(make_claims(LONG_TOPICS, files)), ids


@pytest.mark.parametrize("columns", [80, 60])
def test_keys_and_ids_are_whole_in_every_table(make_claims: ClaimsFactory, columns: int) -> None:
    folder, ids = _long_folder(make_claims)
    keys = [claim_id.split("/")[1] for claim_id in ids[:3]]
    sources = ["eurasianet-2025", "asatryan-2024"]
    views = {("conflicts",): ids, ("show", keys[0]): [i for i in ids if keys[0] in i] + [keys[0]],
             ("show", "asatryan-2024"): [i for i in ids if i.startswith("asatryan")], ("topics",): keys,
             ("sources",): sources, ("consensus",): keys, ("claims",): ids + keys}
    for command, wanted in views.items():
        done = run(*command, "--dir", folder, columns=columns)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        for word in wanted:
            assert any(word in line for line in lines), f"{' '.join(command)} at {columns}: {word} cut\n{done.stdout}"
        assert "…" not in done.stdout, f"{' '.join(command)} at {columns}"
        if command[0] in ("topics", "sources", "claims", "conflicts"):
            assert all(len(line) <= columns for line in lines if not any(w in line for w in wanted)), command


def test_a_table_that_fits_stays_a_table_at_80_columns(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    for command in (("topics",), ("sources",), ("conflicts",), ("claims",)):
        done = run(*command, "--dir", folder, columns=80)
        assert "┃" in done.stdout, command  # a bordered table: these keys fit it whole
        assert max(len(line) for line in done.stdout.splitlines()) <= 80


# --------------------------------------------------------------------------- item 7: help and completion

COMMANDS = ["", "conflicts", "show", "claims", "topics", "sources", "export", "check", "report", "consensus",
            "units", "schema", "add", "add-source", "add-topic", "resolve", "edit", "remove", "rename-topic",
            "merge-topics", "extract", "init"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_words_not_python_types(command: str) -> None:
    done = run(*([command] if command else []), "--help", columns=160)
    assert done.returncode == 0, done.stderr
    assert not re.findall(r"<[a-zA-Z_\[\]]+>", done.stdout), done.stdout  # <bool>, <str>, <list[str]>, <path>
    assert "Usage: claimtrack" in done.stdout


def test_every_option_and_argument_has_help() -> None:
    import typer.main

    from claimtrack.cli import app

    group = typer.main.get_command(app)
    ctx = group.make_context("claimtrack", ["--help"], resilient_parsing=True)
    missing: list[str] = []

    def walk(command: object, path: str) -> None:
        missing.extend(f"{path} {param.name}" for param in command.get_params(ctx)  # type: ignore[attr-defined]
                       if not (getattr(param, "help", None) or "").strip())
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(group, "claimtrack")
    assert missing == []
    assert set(COMMANDS) - {""} == set(group.commands)  # (a new command is checked by the help test too)


def test_shell_completion_is_on() -> None:
    done = run("--show-completion", "bash")
    assert done.returncode == 0 and "_CLAIMTRACK_COMPLETE" in done.stdout
    done = run(env={"_CLAIMTRACK_COMPLETE": "complete_bash", "COMP_WORDS": "claimtrack cla", "COMP_CWORD": "1"})
    assert done.stdout.split() == ["claims"]
    done = run(env={"_CLAIMTRACK_COMPLETE": "complete_bash", "COMP_WORDS": "claimtrack claims --so",
                    "COMP_CWORD": "2"})
    assert done.stdout.split() == ["--source"]


# --------------------------------------------------------------------------- item 7: progress on a terminal


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[bytes], bytes]:
    """Run with standard error on a pseudo-terminal (standard output a pipe); what the terminal showed."""
    master, slave = pty.openpty()
    shown: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the other end is closed
                return
            if not data:
                return
            shown.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        done = subprocess.run([sys.executable, "-m", "claimtrack", *args], stdout=subprocess.PIPE, stderr=slave,
                              check=False, env={**os.environ, "TERM": "xterm", **env})
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    return done, b"".join(shown)


def test_progress_is_shown_on_a_terminal_and_never_kept_or_piped(make_claims: ClaimsFactory) -> None:
    files = {f"s{n:03}.yaml": source(f"s{n:03}", f"topic: refugees\nvalue: '{n}'\nquote: '{n}'") for n in range(60)}
    folder = str(make_claims(files=files))
    now = {"CLAIMTRACK_PROGRESS_DELAY": "0", "CLAIMTRACK_NO_FORK": "1"}  # at once, not after a second
    done, terminal = _run_on_a_terminal(["topics", "--format", "json", "--dir", folder], now)
    assert done.returncode == 0
    assert b"reading 60 claim files" in terminal
    assert terminal.endswith(b"\x1b[2K") or b"\x1b[?25h" in terminal  # erased, the cursor shown again
    assert json.loads(done.stdout)["topics"]  # standard output: the JSON alone
    assert b"\x1b" not in done.stdout and b"reading" not in done.stdout
    again = run("topics", "--format", "json", "--dir", folder, env=now)  # served from the output cache
    assert again.stdout == done.stdout.decode() and again.stderr == ""
    quiet = run("topics", "--format", "json", "--dir", folder, env={**now, "CLAIMTRACK_NO_CACHE": "1"})
    assert quiet.returncode == 0 and quiet.stderr == ""  # standard error not a terminal: no bar


def test_no_progress_for_a_short_run_on_a_terminal(make_claims: ClaimsFactory) -> None:
    folder = str(make_claims(files=FOLDER))
    done, terminal = _run_on_a_terminal(["topics", "--dir", folder], {"CLAIMTRACK_NO_CACHE": "1"})
    assert done.returncode == 0 and b"reading" not in terminal  # under a second: never drawn
