"""The edit commands (issue 18, item 3): edit, remove, rename-topic and merge-topics, through the installed command.

Each test builds a folder in tmp_path, runs `python -m claimtrack …` as a user would and looks at the bytes on
disk afterwards: what changes is exactly what was asked for (and the ids and covers entries the docs say follow
it); every other line — comments, spellings, CRLF, a BOM — stays byte for byte; a refused edit writes nothing,
in any file.
"""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claimtrack.dataset import load_folder

FIXTURE = Path(__file__).parent / "fixtures" / "basic" / "claims"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

ALPHA = textwrap.dedent("""\
    # Header comment: kept.
    source:
      id: alpha
      title: 'Alpha brief'        # single quotes kept
      publisher: Alpha Institute
      published: 2023-04

    claims:
      # The border, as the brief gives it.
      - topic: border-length
        value: "1,344 km"   # trailing comment
        quote: "the 1,344-kilometre border"
        as_of: 2023
        qualifiers: {measure: official}

      - topic: tajik-share
        value: about a quarter
        quote: >-
          about a quarter of Afghans
          are Tajiks
      - {topic: trade, value: "$111 million", quote: "trade of $111 million", as_of: "2022"}
      - topic: consulate-handover
        value: late March 2023
        quote: "In late March of this year"
    # Closing comment.
""")

REGISTRY = textwrap.dedent("""\
    # The registry.
    topics:
      border-length:   # the border
        title: Length of the Tajikistan–Afghanistan border
        unit: km
        aliases:
          - border with afghanistan   # how the press says it
      tajik-share:
        title: Tajik share of Afghanistan's population
        unit: "%"
        resolution:
          status: disputed
          note: No census; the figures are estimates.
          covers: [alpha/tajik-share, beta/tajik-share]
      consulate-handover:
        title: When the Khorog consulate passed to the Taliban
        kind: date
      trade:
        title: Trade turnover
        unit: USD
      frontier:
        title: The frontier's length
        unit: km
        aliases: [the frontier]
    # End of the registry.
""")


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})})


def ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


def refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, an `error:` line naming what is wrong, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "claims"
    shutil.copytree(FIXTURE, target)
    (target / "sources" / "alpha.yaml").write_text(ALPHA, encoding="utf-8")
    (target / "topics.yaml").write_text(REGISTRY, encoding="utf-8")
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines only in the old text and those only in the new one (in order; a multiset difference)."""
    import difflib

    diff = list(difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def ids(folder: Path) -> set[str]:
    return {claim.id for claim in load_folder(folder).claims}


# ------------------------------------------------------------------------------------------------- edit


def test_edit_changes_only_the_given_keys(folder: Path) -> None:
    path = folder / "sources" / "alpha.yaml"
    done = ok(run(folder.parent, "edit", "--dir", "claims", "alpha/border-length", "--value", "1,350 km",
                  "--quote", "the 1,350-kilometre border", "--note", "corrected from the PDF"))
    assert "value: '1,344 km' -> '1,350 km'" in done.stdout
    assert "beta/border-length" in done.stdout  # the conflicts it takes part in are shown, as `add` does
    gone, added = changed_lines(ALPHA, path.read_text(encoding="utf-8"))
    assert gone == ['    value: "1,344 km"   # trailing comment\n', '    quote: "the 1,344-kilometre border"\n']
    assert added == ['    value: "1,350 km"   # trailing comment\n', '    quote: "the 1,350-kilometre border"\n',
                     "    note: corrected from the PDF\n"]  # (at the end of the claim)
    assert "    qualifiers: {measure: official}\n    note: corrected from the PDF\n\n" in path.read_text("utf-8")
    claim = next(c for c in load_folder(folder).claims if c.id == "alpha/border-length")
    assert (claim.value, claim.quote, claim.as_of, claim.note) == (
        "1,350 km", "the 1,350-kilometre border", "2023", "corrected from the PDF")


def test_edit_with_empty_text_removes_an_optional_key(folder: Path) -> None:
    path = folder / "sources" / "alpha.yaml"
    ok(run(folder.parent, "edit", "--dir", "claims", "alpha/border-length", "--as-of", ""))
    gone, added = changed_lines(ALPHA, path.read_text(encoding="utf-8"))
    assert (gone, added) == (["    as_of: 2023\n"], [])
    # a folded quote is replaced by one line; the claim written on one line is edited in place
    ok(run(folder.parent, "edit", "--dir", "claims", "alpha/tajik-share", "--quote", "a quarter are Tajiks"))
    ok(run(folder.parent, "edit", "--dir", "claims", "alpha/trade", "--value", "$112 million", "--quote",
           "trade of $112 million"))
    text = path.read_text(encoding="utf-8")
    assert ('    quote: "a quarter are Tajiks"\n  - {topic: trade, value: "$112 million", quote: "trade of $112 '
            'million", as_of: "2022"}\n') in text
    done = run(folder.parent, "edit", "--dir", "claims", "alpha/trade", "--as-of", "")
    refused(done, "written on one line")  # a key of a {…} claim is not removed by splicing: said, not guessed
    done = ok(run(folder.parent, "edit", "--dir", "claims", "alpha/trade", "--value", "$112 million"))
    assert "says that already" in done.stdout and path.read_text(encoding="utf-8") == text


def test_edit_says_when_it_reopens_a_settled_resolution(folder: Path) -> None:
    ok(run(folder.parent, "resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n"))
    registry = (folder / "topics.yaml").read_bytes()
    done = ok(run(folder.parent, "edit", "--dir", "claims", "alpha/border-length", "--value", "1,340 km",
                  "--quote", "the 1,340-kilometre border"))
    assert "settled alpha/border-length as '1,344 km'" in done.stderr
    assert "claimtrack resolve border-length" in done.stderr
    assert "topic border-length is now unresolved (it was disputed)" in done.stderr
    assert "stale-resolution" in done.stdout  # what check now says, that it did not say before
    assert (folder / "topics.yaml").read_bytes() == registry  # the verdict is not rewritten behind the user's back
    assert run(folder.parent, "check", "--dir", "claims").returncode == 1


@pytest.mark.parametrize(("args", "words"), [
    (["alpha/bordr-length", "--value", "1 km"], ["unknown claim 'alpha/bordr-length'", "alpha/border-length"]),
    (["alpah/border-length", "--value", "1 km"], ["no source 'alpah'", "alpha/border-length"]),
    (["border-length", "--value", "1 km"], ["SOURCE-ID/CLAIM-ID"]),
    (["alpha/border-length"], ["nothing to change"]),
    (["alpha/border-length", "--value", "lots"], ["cannot read 'lots'", "refused", "nothing was written"]),
    (["alpha/border-length", "--value", "1,206 kg"], ["a mass", "nothing was written"]),
    (["alpha/border-length", "--as-of", "Smarch 2023"], ["as_of", "nothing was written"]),
    (["alpha/border-length", "--quote", ""], ["empty-quote", "nothing was written"]),
])
def test_edit_refusals_write_nothing(folder: Path, args: list[str], words: list[str]) -> None:
    before = snapshot(folder)
    refused(run(folder.parent, "edit", "--dir", "claims", *args), *words)
    assert snapshot(folder) == before


def test_edit_can_fix_a_claim_whose_value_is_in_error(folder: Path) -> None:
    path = folder / "sources" / "alpha.yaml"
    path.write_text(ALPHA.replace('"1,344 km"', '"1,344 kg"'), encoding="utf-8")
    assert run(folder.parent, "check", "--dir", "claims").returncode == 1
    ok(run(folder.parent, "edit", "--dir", "claims", "alpha/border-length", "--value", "1,344 km"))
    assert path.read_text(encoding="utf-8") == ALPHA


def test_edit_writes_a_structured_value_as_one_line_keeping_its_comments(folder: Path) -> None:
    path = folder / "sources" / "gamma.yaml"
    path.write_text("source: {id: gamma, title: G}\nclaims:\n  - topic: border-length\n    value:\n"
                    '      min: "1300"   # the low end\n      max: "1400"\n    quote: "1300 to 1400 km"\n',
                    encoding="utf-8")
    ok(run(folder.parent, "edit", "--dir", "claims", "gamma/border-length", "--value", "1,350 km", "--quote",
           "1,350 km"))
    assert path.read_text(encoding="utf-8") == ("source: {id: gamma, title: G}\nclaims:\n  - topic: border-length\n"
                                                 '    value: "1,350 km"\n      # the low end\n'
                                                 '    quote: "1,350 km"\n')
    assert "gamma/border-length" in ids(folder)


def test_edit_keeps_crlf_and_a_bom(folder: Path) -> None:
    path = folder / "sources" / "alpha.yaml"
    old = codecs.BOM_UTF8 + ALPHA.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(old)
    ok(run(folder.parent, "edit", "--dir", "claims", "alpha/tajik-share", "--value", "about 25%",
           "--attributed-to", "a survey"))
    new = path.read_bytes()
    assert new.startswith(codecs.BOM_UTF8) and new.count(codecs.BOM_UTF8) == 1
    assert new.count(b"\n") == new.count(b"\r\n")
    gone, added = changed_lines(old[3:].decode(), new[3:].decode())
    assert gone == ["    value: about a quarter\r\n"]
    assert added == ['    value: "about 25%"\r\n', "    attributed_to: a survey\r\n"]


# ----------------------------------------------------------------------------------------------- remove

BETA_TWICE = textwrap.dedent("""\
    source:
      id: beta
      title: Beta news
    claims:
      # the first figure
      - topic: border-length
        value: "1,374 km"
        quote: "a rugged 1,374-kilometer-long border"
      - topic: tajik-share
        value: 46%
        quote: "Tajiks are 46%"
      # the second figure, later in the article
      - topic: border-length
        value: more than 1,400 km
        quote: "more than 1,400 km"
""")


def test_remove_drops_the_claim_and_its_covers_entry_and_keeps_the_other_ids(folder: Path) -> None:
    path = folder / "sources" / "beta.yaml"
    path.write_text(BETA_TWICE, encoding="utf-8")
    ok(run(folder.parent, "resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n"))
    registry = (folder / "topics.yaml").read_text(encoding="utf-8")
    assert "beta/border-length-2" in registry
    done = ok(run(folder.parent, "remove", "--dir", "claims", "beta/border-length"))
    assert "removed beta/border-length" in done.stdout
    assert "beta/border-length-2" in done.stdout  # its id is kept, and the user is told how
    gone, added = changed_lines(BETA_TWICE, path.read_text(encoding="utf-8"))
    assert gone == ["  - topic: border-length\n", '    value: "1,374 km"\n',
                    '    quote: "a rugged 1,374-kilometer-long border"\n']
    assert added == ["    id: border-length-2\n"]  # without it, the second claim would take the removed one's id
    gone, added = changed_lines(registry, (folder / "topics.yaml").read_text(encoding="utf-8"))
    assert (gone, added) == (['        beta/border-length: "1,374 km"\n'], [])
    assert "beta/border-length-2" in ids(folder) and "beta/border-length" not in ids(folder)
    resolution = load_folder(folder).topics["border-length"].resolution
    assert resolution is not None and set(resolution.covers) == {"alpha/border-length", "beta/border-length-2"}
    assert run(folder.parent, "check", "--dir", "claims").returncode == 0  # the verdict holds for the rest
    refused(run(folder.parent, "remove", "--dir", "claims", "beta/border-length"), "unknown claim")


def test_removing_the_last_claim_leaves_an_empty_list(folder: Path) -> None:
    path = folder / "sources" / "gamma.yaml"
    path.write_text("source: {id: gamma, title: G}\nclaims:  # one only\n  # the trade figure\n"
                    "  - topic: trade\n    value: $5 million\n    quote: five million\n# end\n", encoding="utf-8")
    ok(run(folder.parent, "remove", "--dir", "claims", "gamma/trade"))
    assert path.read_text(encoding="utf-8") == ("source: {id: gamma, title: G}\nclaims: []  # one only\n"
                                                "  # the trade figure\n# end\n")
    assert load_folder(folder).sources["gamma"] is not None


def test_remove_from_a_flow_covers_list(folder: Path) -> None:
    registry = (folder / "topics.yaml").read_text(encoding="utf-8")
    done = ok(run(folder.parent, "remove", "--dir", "claims", "beta/tajik-share"))
    assert "topic tajik-share is now ok (it was disputed)" in done.stderr
    assert "stale-resolution" in done.stdout
    gone, added = changed_lines(registry, (folder / "topics.yaml").read_text(encoding="utf-8"))
    assert (gone, added) == (["      covers: [alpha/tajik-share, beta/tajik-share]\n"],
                             ["      covers: [alpha/tajik-share]\n"])
    flow = folder / "sources" / "gamma.yaml"
    flow.write_text("source: {id: gamma, title: G}\nclaims: [{topic: trade, value: $5 million, quote: q5}]\n",
                    encoding="utf-8")
    before = snapshot(folder)
    refused(run(folder.parent, "remove", "--dir", "claims", "gamma/trade"), "flow style", "make this edit by hand")
    assert snapshot(folder) == before


def test_remove_is_refused_when_the_verdict_prefers_the_removed_value(folder: Path) -> None:
    ok(run(folder.parent, "resolve", "--dir", "claims", "border-length", "--status", "accepted", "--note", "n",
           "--preferred", "1,344 km"))
    before = snapshot(folder)
    refused(run(folder.parent, "remove", "--dir", "claims", "alpha/border-length"), "invalid-preferred",
            "without --preferred")
    assert snapshot(folder) == before


# ----------------------------------------------------------------------------------------- rename-topic


def test_rename_topic_everywhere_keeping_every_other_byte(folder: Path) -> None:
    beta = folder / "sources" / "beta.yaml"
    beta.write_bytes(codecs.BOM_UTF8 + BETA_TWICE.replace("\n", "\r\n").encode("utf-8"))
    ok(run(folder.parent, "resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n"))
    before = snapshot(folder)
    done = ok(run(folder.parent, "rename-topic", "--dir", "claims", "border-length", "border-km"))
    assert "renamed topic border-length to border-km" in done.stdout
    assert "beta/border-length-2 -> beta/border-km-2" in done.stdout
    after = snapshot(folder)
    # topics.yaml: the key, the old key as an alias, the covers entries of ids that follow the key
    gone, added = changed_lines(before["topics.yaml"].decode(), after["topics.yaml"].decode())
    assert gone == ["  border-length:   # the border\n", '        alpha/border-length: "1,344 km"\n',
                    '        beta/border-length: "1,374 km"\n', '        beta/border-length-2: "more than 1,400 km"\n']
    assert added == ["  border-km:   # the border\n", "      - border-length\n",
                     '        alpha/border-km: "1,344 km"\n', '        beta/border-km: "1,374 km"\n',
                     '        beta/border-km-2: "more than 1,400 km"\n']
    # the sources: only the `topic:` lines; CRLF and the BOM kept
    gone, added = changed_lines(before["sources/alpha.yaml"].decode(), after["sources/alpha.yaml"].decode())
    assert (gone, added) == (["  - topic: border-length\n"], ["  - topic: border-km\n"])
    assert after["sources/beta.yaml"] == before["sources/beta.yaml"].replace(b"topic: border-length",
                                                                             b"topic: border-km")
    dataset = load_folder(folder)
    assert dataset.problems == ()
    assert "border-length" in dataset.topics["border-km"].aliases
    assert {"alpha/border-km", "beta/border-km", "beta/border-km-2"} <= ids(folder)
    assert dataset.topics["border-km"].resolution is not None
    shown = ok(run(folder.parent, "show", "--dir", "claims", "border-length"))  # old links still resolve
    assert "border-km" in shown.stdout
    assert run(folder.parent, "conflicts", "--dir", "claims", "--format", "json").stdout.count('"disputed"') >= 1


def test_rename_topic_no_alias_and_keep_ids(folder: Path) -> None:
    ok(run(folder.parent, "resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n"))
    registry = (folder / "topics.yaml").read_text(encoding="utf-8")
    done = ok(run(folder.parent, "rename-topic", "--dir", "claims", "border-length", "border-km", "--no-alias",
                  "--keep-ids"))
    assert "keep their ids" in done.stdout
    gone, added = changed_lines(registry, (folder / "topics.yaml").read_text(encoding="utf-8"))
    assert (gone, added) == (["  border-length:   # the border\n"], ["  border-km:   # the border\n"])
    assert {"alpha/border-length", "beta/border-length", "beta/border-length-again"} <= ids(folder)
    assert "id: border-length\n" in (folder / "sources" / "alpha.yaml").read_text(encoding="utf-8")
    assert "border-length" not in load_folder(folder).topics["border-km"].aliases


@pytest.mark.parametrize(("args", "words"), [
    (["border-length", "frontier"], ["exists already", "merge-topics border-length frontier"]),
    (["border-length", "Border Length"], ["lower-case slug"]),
    (["bordr-length", "border-km"], ["unknown topic 'bordr-length'", "border-length"]),
    (["border-length", "border-length"], ["already"]),
])
def test_rename_topic_refusals_write_nothing(folder: Path, args: list[str], words: list[str]) -> None:
    before = snapshot(folder)
    refused(run(folder.parent, "rename-topic", "--dir", "claims", *args), *words)
    assert snapshot(folder) == before


def test_rename_topic_to_another_topics_alias_is_refused(folder: Path) -> None:
    (folder / "topics.yaml").write_text(REGISTRY.replace("aliases: [the frontier]", "aliases: [border-km]"),
                                        encoding="utf-8")
    before = snapshot(folder)
    refused(run(folder.parent, "rename-topic", "--dir", "claims", "border-length", "border-km"),
            "alias of topic 'frontier'")
    assert snapshot(folder) == before


def test_a_rename_that_brings_in_an_error_in_one_file_writes_no_file(folder: Path) -> None:
    """alpha's default id `border-length` would become `border-km`, which another claim of alpha has already:
    the whole rename is refused, topics.yaml and beta.yaml included."""
    alpha = folder / "sources" / "alpha.yaml"
    alpha.write_text(ALPHA.replace("  - topic: consulate-handover\n",
                                   "  - id: border-km\n    topic: consulate-handover\n"), encoding="utf-8")
    before = snapshot(folder)
    refused(run(folder.parent, "rename-topic", "--dir", "claims", "border-length", "border-km"),
            "duplicate-claim-id", "nothing was written")
    assert snapshot(folder) == before
    ok(run(folder.parent, "rename-topic", "--dir", "claims", "border-length", "border-km", "--keep-ids"))


KILL_AT_SECOND_REPLACE = """\
import os, signal, sys
replace = os.replace
calls = []
def killing(*args, **kwargs):
    calls.append(args)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return replace(*args, **kwargs)
os.replace = killing
sys.argv = ["claimtrack", *sys.argv[1:]]
from claimtrack.cli import main
main()
"""


@POSIX
@pytest.mark.parametrize("command", ["rename-topic", "merge-topics"])
def test_an_interrupted_rename_or_merge_is_finished_by_running_it_again(folder: Path, command: str) -> None:
    """Killed after topics.yaml was replaced and before the source files were: each file is whole (old or
    new), check says what is wrong, and the same command run again finishes the job."""
    args = [command, "--dir", "claims", "border-length", "frontier" if command == "merge-topics" else "border-km"]
    killed = subprocess.run([sys.executable, "-c", KILL_AT_SECOND_REPLACE, *args], cwd=folder.parent,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "CLAIMTRACK_NO_CACHE": "1"})
    assert killed.returncode == -9, killed.stderr
    assert "border-length:" not in (folder / "topics.yaml").read_text(encoding="utf-8")  # the registry is new
    assert "topic: border-length" in (folder / "sources" / "beta.yaml").read_text(encoding="utf-8")  # beta old
    # (a SIGKILL leaves the hidden temporary files of the files not yet replaced; the loader skips them)
    check = run(folder.parent, "check", "--dir", "claims")
    assert check.returncode == 1 and "unknown-topic" in check.stdout
    done = ok(run(folder.parent, *args))
    assert "finished an interrupted" in done.stdout
    text = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.yaml"))
    assert "topic: border-length" not in text
    assert "unknown-topic" not in run(folder.parent, "check", "--dir", "claims").stdout
    again = ok(run(folder.parent, *args))
    assert "nothing to do" in again.stdout


def _unshare_works() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs unprivileged user and mount namespaces")
def test_a_write_failure_in_one_folder_replaces_no_file(folder: Path) -> None:
    """sources/ read-only (a bind mount: EROFS even for root), topics.yaml writable: every new text is written
    to its temporary file before any file is replaced, so the failure leaves topics.yaml as it was too."""
    before = snapshot(folder)
    sources = folder / "sources"
    script = (f"mount --bind {sources} {sources} && mount -o remount,bind,ro {sources} && cd {folder.parent} && "
              'exec "$@"')
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", sys.executable, "-m", "claimtrack",
                           "rename-topic", "--dir", "claims", "border-length", "border-km"],
                          cwd=folder.parent, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CLAIMTRACK_NO_CACHE": "1"})
    refused(done, "Read-only file system", "nothing was written")
    assert snapshot(folder) == before
    assert not list(folder.rglob(".*.tmp"))


# ----------------------------------------------------------------------------------------- merge-topics


def test_merge_topics_moves_claims_keeps_ids_and_the_resolution(folder: Path) -> None:
    (folder / "sources" / "gamma.yaml").write_text(textwrap.dedent("""\
        source: {id: gamma, title: G}
        claims:
          - topic: frontier   # moved
            value: "1,344 km"
            quote: "1,344 km"
          - topic: frontier
            value: "1,400 km"
            quote: "1,400 km"
          - topic: border-length
            value: "1,344 km"
            quote: "1,344 km again"
        """), encoding="utf-8")
    ok(run(folder.parent, "resolve", "--dir", "claims", "frontier", "--status", "explained", "--note", "rounding"))
    before = snapshot(folder)
    old_ids = ids(folder)
    done = ok(run(folder.parent, "merge-topics", "--dir", "claims", "frontier", "border-length"))
    assert "merged topic frontier into border-length: 2 claim(s)" in done.stdout
    assert "topic border-length is now unresolved (it was ok)" not in done.stderr  # it was unresolved already
    after = snapshot(folder)
    gone, added = changed_lines(before["sources/gamma.yaml"].decode(), after["sources/gamma.yaml"].decode())
    assert gone == ["  - topic: frontier   # moved\n", "  - topic: frontier\n"]
    assert added == ["  - topic: border-length   # moved\n", "    id: frontier\n", "  - topic: border-length\n",
                     "    id: frontier-2\n"]
    assert ids(folder) == old_ids  # no claim changed its id: gamma/border-length stays what it was
    gone, added = changed_lines(before["topics.yaml"].decode(), after["topics.yaml"].decode())
    assert gone[:4] == ["  frontier:\n", "    title: The frontier's length\n", "    unit: km\n",
                        "    aliases: [the frontier]\n"]
    assert added[:3] == ["      - frontier\n", "      - the frontier\n", "    resolution:\n"]  # INTO had none
    topic = load_folder(folder).topics["border-length"]
    assert "frontier" not in load_folder(folder).topics
    assert topic.aliases == ("border with afghanistan", "frontier", "the frontier")
    assert topic.resolution is not None and topic.resolution.status == "explained"
    assert set(topic.resolution.covers) == {"gamma/frontier", "gamma/frontier-2"}
    assert after["topics.yaml"].decode().endswith("# End of the registry.\n")
    ok(run(folder.parent, "show", "--dir", "claims", "the frontier"))


def test_merge_drops_the_resolution_when_into_has_one(folder: Path) -> None:
    (folder / "sources" / "gamma.yaml").write_text(
        "source: {id: gamma, title: G}\nclaims:\n  - {topic: frontier, value: 1344 km, quote: 1344 km}\n"
        "  - {topic: frontier, value: 1500 km, quote: 1500 km}\n", encoding="utf-8")
    for topic in ("frontier", "border-length"):
        ok(run(folder.parent, "resolve", "--dir", "claims", topic, "--status", "disputed", "--note", f"on {topic}"))
    done = ok(run(folder.parent, "merge-topics", "--dir", "claims", "frontier", "border-length"))
    assert "dropped frontier's resolution" in done.stderr and "'on frontier'" in done.stderr
    assert "claimtrack resolve border-length" in done.stderr
    assert "topic border-length is now unresolved (it was disputed)" in done.stderr
    resolution = load_folder(folder).topics["border-length"].resolution
    assert resolution is not None and resolution.note == "on border-length"
    assert '{topic: border-length, value: 1344 km, quote: 1344 km, id: frontier}' in \
        (folder / "sources" / "gamma.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("registry", "args", "words"), [
    (REGISTRY, ["trade", "border-length"], ["a quantity in USD", "a quantity in km", "different things"]),
    (REGISTRY, ["consulate-handover", "border-length"], ["a date", "another kind"]),
    (REGISTRY.replace("The frontier's length\n    unit: km", "The frontier's length\n    unit: m"),
     ["frontier", "border-length"], ["without its unit would be read in km instead of m", "Set frontier's unit"]),
    (REGISTRY, ["frontier", "bordr-length"], ["unknown topic 'bordr-length'", "border-length"]),
    (REGISTRY, ["frontier", "frontier"], ["into itself"]),
])
def test_merge_refusals_write_nothing(folder: Path, registry: str, args: list[str], words: list[str]) -> None:
    (folder / "topics.yaml").write_text(registry, encoding="utf-8")
    before = snapshot(folder)
    refused(run(folder.parent, "merge-topics", "--dir", "claims", *args), *words)
    assert snapshot(folder) == before
