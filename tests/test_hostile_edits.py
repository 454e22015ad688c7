"""Edits keep what the user wrote (issue 19, class 3) and the lock file is not followed (class 5).

Every test runs the installed command (`python -m claimtrack`) on a folder built in tmp_path, as a user would,
and looks at the bytes on disk afterwards: comments, the spelling of untouched values, CRLF line ends, a BOM,
UTF-16, a missing final line break, symlinks, file modes — and, when a write fails (read-only folder, full
disk, file size limit, a kill), one clear line and no file half-written or left empty. The property tests at
the end call the authoring functions in-process on generated files: every byte outside the edited region stays
as it was.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from claimtrack.dataset import load_folder

FIXTURE = Path(__file__).parent / "fixtures" / "basic" / "claims"
ADVERSARIAL = Path(__file__).parent / "adversarial"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system semantics")


@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache of every command run here goes to a folder of this module's own (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def run(cwd: Path, *args: str | bytes, env: dict[str, str] | None = None,
        prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "claimtrack", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NO_COLOR": "1", **(env or {})})


def assert_one_clear_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, one `error:` line naming what went wrong, no traceback, no internal error."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


def folder_from_fixture(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    shutil.copytree(FIXTURE, folder)
    return folder


def hidden_leftovers(folder: Path) -> list[str]:
    """Temporary files an edit left behind (the lock is expected)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*") if p.name != ".claimtrack.lock")


ADD_TRADE = ("add", "--dir", "claims", "--source", "alpha", "--topic", "trade", "--value", "$5 million",
             "--quote", "five million", "--as-of", "2019", "--id", "t-new")


# ------------------------------------------------------------------------------------------- comments


REGISTRY_WITH_COMMENTS = """\
# The registry. Every comment here must survive an edit.
topics:
  border-length:
    title: Length of the Tajikistan–Afghanistan border   # the longest
    unit: km
    aliases: [border with afghanistan]
    resolution:
      status: explained   # first verdict
      preferred: 1,344 km  # the official figure
      note: >-
        An older note,
        folded.
      covers:
        - alpha/border-length   # the brief
        - beta/not-any-more
  # Shares: the next topic, commented above its key.
  tajik-share:
    title: Tajik share of Afghanistan's population
    unit: "%"
    resolution:
      status: disputed
      note: No census; the figures are estimates.
      covers: [alpha/tajik-share, beta/tajik-share]
    # a comment after the last line of the entry
  consulate-handover:
    title: When the Khorog consulate passed to the Taliban
    kind: date
    resolution: {status: disputed, note: "two dates"}
  trade:
    title: Trade turnover
    unit: USD
# A comment at the end of the file.
"""


def comments(text: str) -> list[str]:
    return [line[line.index("#"):] for line in text.splitlines() if "#" in line and '"#' not in line]


def test_resolve_keeps_every_comment_of_the_registry(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    (folder / "topics.yaml").write_text(REGISTRY_WITH_COMMENTS, encoding="utf-8")
    for args in (["border-length", "--status", "disputed", "--note", "Three figures"],
                 ["consulate-handover", "--status", "explained", "--note", "Hamal 1402", "--preferred", "April 2023"],
                 ["tajik-share", "--status", "accepted", "--note", "estimates", "--preferred", "46%"]):
        done = run(tmp_path, "resolve", "--dir", "claims", *args)
        assert done.returncode == 0, done.stderr
    text = (folder / "topics.yaml").read_text(encoding="utf-8")
    for comment in comments(REGISTRY_WITH_COMMENTS):
        assert comment in text, (comment, text)
    # the lines of the topic nobody resolved, and the file's first and last lines, are untouched
    assert text.startswith("# The registry.")
    assert text.endswith("  trade:\n    title: Trade turnover\n    unit: USD\n# A comment at the end of the file.\n")
    topics = load_folder(folder).topics
    assert topics["border-length"].resolution is not None
    assert topics["border-length"].resolution.preferred is None  # not given this time: the old one is gone
    assert set(topics["border-length"].resolution.covers) == {
        "alpha/border-length", "beta/border-length", "beta/border-length-again"}
    # a list of covers (the older form) becomes the settled mapping; its comments are kept (above)
    assert topics["border-length"].resolution.settled  # each claim with its value
    assert '        alpha/border-length: "' in text
    assert topics["tajik-share"].resolution is not None and topics["tajik-share"].resolution.status == "accepted"
    assert topics["consulate-handover"].resolution is not None
    assert topics["consulate-handover"].resolution.preferred == "April 2023"


# ----------------------------------------------------------------------------------------- spellings

ODD_SPELLINGS = """\
source:
  id: alpha
  title: Alpha brief
  publisher: +1344
  published: 2023-04
  note: 1_344.5
claims:
  - topic: border-length
    value: "1,344 km"
    quote: "the 1,344-kilometre border"
    note: -0
    qualifiers: {a: 0x10, b: 1e3, c: .5, d: yes, e: Null, f: 0o17, g: 12:30}
  - topic: tajik-share
    value: 'about a quarter'
    quote: about a quarter of Afghans are Tajiks
    attributed_to: ~
    note:	tab before me
"""

REGISTRY_SPELLINGS = """\
topics:
  border-length:
    title: Length of the border
    unit: km
    note: +1344
  tajik-share:
    title: Tajik share
    unit: "%"
    note: 1_344.5
    similarity: 090
  consulate-handover:
    title: When
    kind: date
    note: -0
  trade:
    title: Trade
    unit: USD
    note: .5
"""


def test_edits_keep_the_spelling_of_every_other_value(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    (folder / "sources" / "alpha.yaml").write_text(ODD_SPELLINGS, encoding="utf-8")
    (folder / "topics.yaml").write_text(REGISTRY_SPELLINGS, encoding="utf-8")
    assert run(tmp_path, *ADD_TRADE).returncode == 0
    assert (folder / "sources" / "alpha.yaml").read_text(encoding="utf-8").startswith(ODD_SPELLINGS)
    done = run(tmp_path, "add-topic", "--dir", "claims", "aid", "--title", "Aid", "--unit", "t")
    assert done.returncode == 0, done.stderr
    done = run(tmp_path, "resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n")
    assert done.returncode == 0, done.stderr
    text = (folder / "topics.yaml").read_text(encoding="utf-8")
    for line in REGISTRY_SPELLINGS.splitlines():
        assert line in text.splitlines(), line


def test_a_file_without_a_final_line_break_keeps_that_and_its_mode(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    path = folder / "sources" / "alpha.yaml"
    old = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(old, encoding="utf-8")
    path.chmod(0o640)
    assert run(tmp_path, *ADD_TRADE).returncode == 0
    new = path.read_text(encoding="utf-8")
    assert new.startswith(old + "\n  - id: t-new\n") and not new.endswith("\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# ----------------------------------------------------------------------------------- line ends, encodings


def test_crlf_line_ends_and_a_utf8_bom_are_kept(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    for name in ("topics.yaml", "sources/alpha.yaml"):
        path = folder / name
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes().replace(b"\n", b"\r\n"))
    before = {name: (folder / name).read_bytes() for name in ("topics.yaml", "sources/alpha.yaml")}
    assert run(tmp_path, *ADD_TRADE).returncode == 0
    assert run(tmp_path, "add-topic", "--dir", "claims", "aid", "--title", "Aid", "--unit", "t").returncode == 0
    assert run(tmp_path, "resolve", "--dir", "claims", "border-length", "--status", "disputed",
               "--note", "n").returncode == 0
    for name, old in before.items():
        new = (folder / name).read_bytes()
        assert new.startswith(codecs.BOM_UTF8) and new.count(codecs.BOM_UTF8) == 1, name
        assert new.count(b"\n") == new.count(b"\r\n") and len(new) > len(old), name
    assert (folder / "sources/alpha.yaml").read_bytes().startswith(before["sources/alpha.yaml"])
    assert "alpha/t-new" in {claim.id for claim in load_folder(folder).claims}


def test_utf16_files_are_edited_in_utf16(tmp_path: Path) -> None:
    shutil.copytree(ADVERSARIAL / "utf16-bom" / "claims", tmp_path / "claims")
    folder = tmp_path / "claims"
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    for source in ("le", "be"):
        done = run(tmp_path, "add", "--dir", "claims", "--source", source, "--topic", "tajik-share",
                   "--value", "46%", "--quote", "Tajiks are 46 % — ‘quoted’", "--id", "share")
        assert done.returncode == 0, done.stderr
    done = run(tmp_path, "add-topic", "--dir", "claims", "aid", "--title", "Aid — in tonnes", "--unit", "t")
    assert done.returncode == 0, done.stderr
    for name, old in before.items():
        new = (folder / name).read_bytes()
        assert new[:2] == old[:2], name  # the same byte-order mark, so the same byte order
        assert new.decode("utf-16").startswith(old.decode("utf-16")), name
    dataset = load_folder(folder)
    assert dataset.problems == ()
    assert {"le/share", "be/share"} <= {claim.id for claim in dataset.claims}
    assert "aid" in dataset.topics


def test_a_file_that_is_not_text_is_one_clear_error(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    (folder / "topics.yaml").write_bytes(b"topics:\n  a:\n    title: caf\xe9\n")
    done = run(tmp_path, "add-topic", "--dir", "claims", "aid", "--title", "Aid")
    assert_one_clear_error(done, "topics.yaml", "UTF-8")
    assert (folder / "topics.yaml").read_bytes() == b"topics:\n  a:\n    title: caf\xe9\n"


# ---------------------------------------------------------------------------------------------- symlinks


@POSIX
def test_symlinked_files_are_edited_through(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    vault = folder / "vault"
    vault.mkdir()
    for name, target in (("sources/alpha.yaml", "alpha.data"), ("topics.yaml", "topics.data")):
        shutil.move(folder / name, vault / target)
        (folder / name).symlink_to(os.path.relpath(vault / target, (folder / name).parent))
    assert run(tmp_path, *ADD_TRADE).returncode == 0
    done = run(tmp_path, "add-topic", "--dir", "claims", "aid", "--title", "Aid", "--unit", "t")
    assert done.returncode == 0, done.stderr
    done = run(tmp_path, "resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n")
    assert done.returncode == 0, done.stderr
    assert (folder / "sources/alpha.yaml").is_symlink() and (folder / "topics.yaml").is_symlink()
    assert "t-new" in (vault / "alpha.data").read_text(encoding="utf-8")
    assert "aid:" in (vault / "topics.data").read_text(encoding="utf-8")
    assert "resolution:" in (vault / "topics.data").read_text(encoding="utf-8").split("border-length:")[1]
    assert sorted(p.name for p in vault.iterdir()) == ["alpha.data", "topics.data"]  # no temporary left


@POSIX
def test_a_registry_linked_outside_the_folder_is_not_edited(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    outside = tmp_path / "elsewhere" / "topics.yaml"
    outside.parent.mkdir()
    shutil.move(folder / "topics.yaml", outside)
    (folder / "topics.yaml").symlink_to(outside)
    before = outside.read_bytes()
    done = run(tmp_path, "add-topic", "--dir", "claims", "aid", "--title", "Aid")
    assert_one_clear_error(done, "topics.yaml", "outside the claims folder")
    assert outside.read_bytes() == before and (folder / "topics.yaml").is_symlink()


# --------------------------------------------------------------------------------- failures while writing


LIMIT_FILE_SIZE = """\
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))  # any write past 64 bytes fails with EFBIG (Python ignores SIGXFSZ)
sys.argv = ["claimtrack", *sys.argv[1:]]
from claimtrack.cli import main
main()
"""


@POSIX
@pytest.mark.parametrize("command", ["add-source", "add-topic", "init", "add"])
def test_a_write_that_fails_leaves_no_empty_or_half_file(tmp_path: Path, command: str) -> None:
    folder = folder_from_fixture(tmp_path)
    if command == "add-topic":
        (folder / "topics.yaml").unlink()
        shutil.rmtree(folder / "sources")
    long = "long enough to go past the limit of 64 bytes"
    args = {"add-source": ("add-source", "--dir", "claims", "--id", "gamma", "--title", f"A title {long}"),
            "add-topic": ("add-topic", "--dir", "claims", "aid", "--title", f"Aid delivered, {long}"),
            "init": ("init", "fresh"),
            "add": ADD_TRADE}[command]
    target = {"add-source": folder / "sources" / "gamma.yaml", "add-topic": folder / "topics.yaml",
              "init": tmp_path / "fresh" / "claims" / "topics.yaml", "add": folder / "sources" / "alpha.yaml"}[command]
    before = target.read_bytes() if target.exists() else None
    done = subprocess.run([sys.executable, "-c", LIMIT_FILE_SIZE, *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1", "CLAIMTRACK_NO_CACHE": "1",
                               "PYTHONDONTWRITEBYTECODE": "1"})
    assert_one_clear_error(done, "cannot write", target.name, "File too large")
    assert (target.read_bytes() if target.exists() else None) == before  # never created empty, never half
    assert hidden_leftovers(target.parent) == []


KILL_AT_FIRST_FSYNC = """\
import os, signal, sys
os.fsync = lambda descriptor: os.kill(os.getpid(), signal.SIGKILL)
sys.argv = ["claimtrack", *sys.argv[1:]]
from claimtrack.cli import main
main()
"""


@POSIX
@pytest.mark.parametrize("command", ["add-source", "add-topic", "init"])
def test_a_new_file_is_never_left_empty_by_a_kill(tmp_path: Path, command: str) -> None:
    """Killed at the first fsync — after the name was claimed, in the old code — there is no file, not an
    empty one."""
    folder = folder_from_fixture(tmp_path)
    if command == "add-topic":
        (folder / "topics.yaml").unlink()
        shutil.rmtree(folder / "sources")
    args, target = {"add-source": (("add-source", "--dir", "claims", "--id", "gamma", "--title", "G"),
                                   folder / "sources" / "gamma.yaml"),
                    "add-topic": (("add-topic", "--dir", "claims", "aid", "--title", "Aid"), folder / "topics.yaml"),
                    "init": (("init", "fresh"), tmp_path / "fresh" / "claims" / "topics.yaml")}[command]
    done = subprocess.run([sys.executable, "-c", KILL_AT_FIRST_FSYNC, *args], cwd=tmp_path, capture_output=True,
                          timeout=120, env={**os.environ, "CLAIMTRACK_NO_CACHE": "1"})
    assert done.returncode == -signal.SIGKILL
    assert not target.exists(), f"{target} was left behind: {target.read_bytes()!r}"


def _unshare_works() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


NAMESPACE = pytest.mark.skipif(not _unshare_works(), reason="needs unprivileged user and mount namespaces")


@NAMESPACE
@pytest.mark.parametrize("command", ["add", "add-source", "add-topic", "resolve", "init"])
def test_a_read_only_folder_is_one_clear_error(tmp_path: Path, command: str) -> None:
    folder_from_fixture(tmp_path)
    args = {"add": ADD_TRADE,
            "add-source": ("add-source", "--dir", "claims", "--id", "gamma", "--title", "G"),
            "add-topic": ("add-topic", "--dir", "claims", "aid", "--title", "Aid"),
            "resolve": ("resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n"),
            "init": ("init", "claims")}[command]
    snapshot = {str(p): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    # a read-only bind mount of tmp_path (EROFS even for root), in a namespace of the command's own
    mount = (f"mount --bind {tmp_path} {tmp_path} && mount -o remount,bind,ro {tmp_path} && cd {tmp_path} && "
             "exec \"$@\"")  # cd again: the working directory must be the read-only mount, not what is under it
    done = run(tmp_path, *args, prefix=("unshare", "-rm", "sh", "-c", mount, "sh"))
    assert_one_clear_error(done, "Read-only file system")
    assert {str(p): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()} == snapshot


@NAMESPACE
@pytest.mark.parametrize("command", ["add", "add-source", "resolve"])
def test_a_full_disk_is_one_clear_error(tmp_path: Path, command: str) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    args = {"add": ADD_TRADE,
            "add-source": ("add-source", "--dir", "claims", "--id", "gamma", "--title", "G"),
            "resolve": ("resolve", "--dir", "claims", "border-length", "--status", "disputed", "--note", "n")}[command]
    # a 1 MB tmpfs in a namespace of the command's own, the claims copied in, the rest filled to the last page;
    # the folder is copied out afterwards to be looked at
    script = (f"mount -t tmpfs -o size=1m tmpfs {disk} && cp -r {FIXTURE} {disk}/claims && "
              f"{{ dd if=/dev/zero of={disk}/filler bs=4k 2>/dev/null; dd if=/dev/zero of={disk}/filler2 bs=1 "
              f"2>/dev/null; cd {disk} && \"$@\"; status=$?; cp -r {disk}/claims {tmp_path}/after; exit $status; }}")
    done = run(tmp_path, *args, prefix=("unshare", "-rm", "sh", "-c", script, "sh"),
               env={"CLAIMTRACK_NO_CACHE": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    assert_one_clear_error(done, "cannot write", "No space left on device")
    after = tmp_path / "after"
    files = sorted(str(p.relative_to(after)) for p in after.rglob("*") if p.is_file())
    assert files == [".claimtrack.lock", "sources/alpha.yaml", "sources/beta.yaml", "topics.yaml"]  # nothing new
    for name in files[1:]:
        assert (after / name).read_bytes() == (FIXTURE / name).read_bytes(), name  # nothing changed


# ------------------------------------------------------------------------------------- text arguments

AWKWARD_TEXTS = [
    "before\x85after",  # NEL: a line break to YAML
    "line\u2028separator and paragraph\u2029separator",
    "tab\there, escape\x1b[31m, bell\x07, del\x7f, c1\x9b",
    "  leading and trailing spaces  ",
    'quotes " and \' and backslash \\ and # hash: colon',
    "yes", "~", "-0", "+1344", "1_344.5", "0x10", "1e3", ".5", "Null", "2024-05-01", "12:30", "- dash", "? q",
    "[not a list]", "{not: a map}", "*alias", "&anchor", "!tag", "%percent", "@at", "`tick`", "|", ">",
    "line\nbreak\r\nand\rreturn", "\ufeffbom", "trailing colon:", "",
]


def test_text_arguments_read_back_exactly(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    for index, text in enumerate(AWKWARD_TEXTS):
        done = run(tmp_path, "add", "--dir", "claims", "--source", "beta", "--topic", "trade",
                   "--value", "$1 million", "--quote", text or "q", "--note", text, "--attributed-to", text or "a",
                   "--qualifier", f"measure={text}", "--as-of", str(1900 + index), "--id", f"awkward-{index}")
        assert done.returncode == 0, (text, done.stderr)
    # read back as `check` reads the file (the model then trims a note's outer spaces, as for any note)
    written = {item["id"]: item for item in _data(folder / "sources" / "beta.yaml")["claims"] if "id" in item}
    for index, text in enumerate(AWKWARD_TEXTS):
        item = written[f"awkward-{index}"]
        assert (item["note"], item["quote"], item["attributed_to"]) == (text, text or "q", text or "a"), item
        assert item["qualifiers"] == {"measure": text.strip()}  # --qualifier KEY=VALUE trims both
    assert load_folder(folder).problems == ()
    done = run(tmp_path, "add-topic", "--dir", "claims", "odd", "--title", AWKWARD_TEXTS[0],
               "--alias", AWKWARD_TEXTS[1], "--alias", "a, b")
    assert done.returncode == 0, done.stderr
    # a preferred value must be a value of the topic (invalid-preferred): the awkward text goes in the note
    refused = run(tmp_path, "resolve", "--dir", "claims", "border-length", "--status", "disputed",
                  "--note", AWKWARD_TEXTS[2], "--preferred", AWKWARD_TEXTS[0])
    assert refused.returncode == 2 and "[invalid-preferred]" in refused.stderr
    done = run(tmp_path, "resolve", "--dir", "claims", "border-length", "--status", "disputed",
               "--note", AWKWARD_TEXTS[2], "--preferred", "1,344 km")
    assert done.returncode == 0, done.stderr
    registry = _data(folder / "topics.yaml")["topics"]
    assert registry["odd"]["title"] == AWKWARD_TEXTS[0] and registry["odd"]["aliases"] == [AWKWARD_TEXTS[1], "a, b"]
    resolution = registry["border-length"]["resolution"]
    assert (resolution["note"], resolution["preferred"]) == (AWKWARD_TEXTS[2], "1,344 km")


def _data(path: Path) -> Any:
    from claimtrack.loader import parse_yaml

    doc, _ = parse_yaml(path.read_text(encoding="utf-8"), path)
    assert doc is not None
    return doc.data


@POSIX
def test_an_argument_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    before = (folder / "sources" / "alpha.yaml").read_bytes()
    done = subprocess.run([sys.executable, "-m", "claimtrack", *ADD_TRADE, "--note", b"caf\xe9"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert_one_clear_error(done, "--note", "UTF-8")
    assert (folder / "sources" / "alpha.yaml").read_bytes() == before


def test_an_edit_that_would_change_an_alias_is_refused(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    path = folder / "sources" / "alpha.yaml"
    text = textwrap.dedent("""\
        source: {id: alpha, title: Alpha}
        claims: &all
          - topic: border-length
            value: "1,344 km"
            quote: q
        again: *all
        """)
    path.write_text(text, encoding="utf-8")
    done = run(tmp_path, *ADD_TRADE)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert path.read_text(encoding="utf-8") == text


# ------------------------------------------------------------------------------------------ the lock file


@POSIX
def test_the_lock_file_is_never_followed(tmp_path: Path) -> None:
    folder = folder_from_fixture(tmp_path)
    victim = tmp_path / "victim.txt"
    (folder / ".claimtrack.lock").symlink_to(victim)
    before = (folder / "sources" / "alpha.yaml").read_bytes()
    done = run(tmp_path, *ADD_TRADE)
    assert_one_clear_error(done, ".claimtrack.lock", "symbolic link")
    assert not victim.exists()  # the old code created (O_CREAT through the link) a file outside the folder
    assert (folder / "sources" / "alpha.yaml").read_bytes() == before
    victim.write_text("precious\n")
    done = run(tmp_path, *ADD_TRADE)
    assert_one_clear_error(done, ".claimtrack.lock")
    assert victim.read_text() == "precious\n"
    (folder / ".claimtrack.lock").unlink()
    os.mkfifo(folder / ".claimtrack.lock")
    done = run(tmp_path, *ADD_TRADE)
    assert_one_clear_error(done, ".claimtrack.lock", "not a regular file")
    (folder / ".claimtrack.lock").unlink()
    assert run(tmp_path, *ADD_TRADE).returncode == 0
    assert stat.S_IMODE((folder / ".claimtrack.lock").lstat().st_mode) == 0o600


# ------------------------------------------------------------------------------------------- properties

_TEXTS = ["1,344 km", "+1344", "1_344.5", "-0", "0x10", "1e3", ".5", "~", "Null", "yes", "''", "'single'",
          '"quoted # not a comment"', "plain words", "0o17", "2024-05-01", "12:30", "'it''s'", '"tab\\there"',
          ">-\n{i}  folded\n{i}  text", "|\n{i}  literal\n\n{i}  kept", "|+\n{i}  keep\n"]  # .format(i=indent)
_SCALARS = st.sampled_from([*_TEXTS, "[a, b]", "{{k: v}}", "[]"])  # a claim's note may even be a list: its error
_COMMENT = st.sampled_from(["", "  # trailing", "\t# tab then hash", " #"])


@st.composite
def source_files(draw: st.DrawFn) -> tuple[str, str]:
    """A source file in one of the layouts people write, with odd scalars, comments and blank lines; the line
    break, a BOM and a final line break drawn too. Returns (text, line break)."""
    dash = draw(st.sampled_from([0, 2, 4]))
    item = draw(st.sampled_from([2, 4]))
    step = draw(st.sampled_from([2, 4]))
    lines = [draw(st.sampled_from(["", "# header", "---", "%YAML 1.1\n---"]))]
    lines += ["source:" + draw(_COMMENT), f"{' ' * step}id: alpha", f"{' ' * step}title: Alpha brief"]
    for key in draw(st.lists(st.sampled_from(["publisher", "note", "url"]), unique=True, max_size=3)):
        lines.append(f"{' ' * step}{key}: {draw(st.sampled_from(_TEXTS)).format(i=' ' * step)}{draw(_COMMENT)}")
    layout = draw(st.sampled_from(["block", "flow", "empty", "none", "null"]))
    if layout == "block":
        lines.append("claims:" + draw(_COMMENT))
        for index in range(draw(st.integers(1, 3))):
            indent = " " * (dash + item)
            if draw(st.booleans()):
                lines.append(" " * dash + "# a comment between claims")
            lines.append(f"{' ' * dash}-{' ' * (item - 1)}topic: border-length")
            lines.append(f'{indent}value: "{1300 + index} km"')
            lines.append(f"{indent}quote: q{index}{draw(_COMMENT)}")
            if draw(st.booleans()):
                lines.append(f"{indent}note: {draw(_SCALARS).format(i=indent)}{draw(_COMMENT)}")
            if draw(st.booleans()):
                lines.append("")
    elif layout == "flow":
        lines.append('claims: [{topic: border-length, value: "1,300 km", quote: q}]' + draw(_COMMENT))
    elif layout == "empty":
        lines.append("claims: []" + draw(_COMMENT))
    elif layout == "null":
        lines.append("claims:" + draw(st.sampled_from(["", " ~", " null"])) + draw(_COMMENT))
    lines += draw(st.lists(st.sampled_from(["", "# closing comment", "  # indented comment"]), max_size=2))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(line.replace("\n", newline) for line in lines if line != "" or draw(st.booleans()))
    return text + (newline if draw(st.booleans()) else ""), newline


def _difference(old: bytes, new: bytes) -> tuple[bytes, bytes]:
    """(what went, what came) between the longest common prefix and suffix of `old` and `new`."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return old[prefix:len(old) - suffix], new[prefix:len(new) - suffix]


def _lines_kept(old: bytes, new: bytes) -> bool:
    """Every line of `old` is a line of `new`, in the same order (a last line without its line break counts)."""
    lines = iter(new.split(b"\n"))
    return all(any(line.rstrip(b"\r") == other.rstrip(b"\r") for other in lines) for line in old.split(b"\n"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source_files(), st.sampled_from([b"", codecs.BOM_UTF8]), st.sampled_from([*AWKWARD_TEXTS, "nul\x00 inside"]))
def test_add_changes_no_byte_outside_what_it_inserts(file: tuple[str, str], bom: bytes, note: str) -> None:
    from claimtrack.authoring import add_claim
    from claimtrack.loader import parse_yaml

    text, newline = file
    if parse_yaml(text, Path("x"))[0] is None:
        return  # a layout drawn that is not YAML at all (rare): nothing to edit
    with tempfile.TemporaryDirectory() as temporary, pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_NO_CACHE", "1")
        folder = Path(temporary) / "claims"
        shutil.copytree(FIXTURE, folder)
        path = folder / "sources" / "alpha.yaml"
        old = bom + text.encode("utf-8")
        path.write_bytes(old)
        before = load_folder(folder)
        if "alpha" not in before.sources:
            return
        try:
            add_claim(folder, "alpha", {"topic": "trade", "value": "$1 million", "quote": "q", "id": "added",
                                        "note": note, "qualifiers": {"k": note}})
        except Exception as error:  # noqa: BLE001 — a refusal is allowed; a file changed by one is not
            assert path.read_bytes() == old, error
            assert "cannot edit" in str(error) or "refused" in str(error), error
            event(f"refused: {str(error)[:60]}")
            return
        new = path.read_bytes()
        removed, added_bytes = _difference(old, new)
        if removed:  # an empty list or a null became the list: that value went from its line, nothing else did
            assert _lines_kept(re.sub(rb"(?m)^claims:[ \t]*(?:\[\]|~|null)", b"claims:", old), new), new
            added_bytes = b"\n".join(line for line in new.split(b"\n") if b"added" in line or line.startswith(b"  "))
        inserted = added_bytes.decode("utf-8")
        assert inserted.count("\n") == inserted.count(newline) if newline == "\r\n" else "\r" not in inserted
        added = next(item for item in _data(path)["claims"] if item.get("id") == "added")
        assert (added["note"], added["qualifiers"]) == (note, {"k": note}), added
        event("edited")


REGISTRY_LAYOUTS = [
    REGISTRY_WITH_COMMENTS,
    REGISTRY_SPELLINGS,
    "topics: {border-length: {title: B, unit: km}, tajik-share: {title: T, unit: '%'}, trade: {title: X, unit: USD}}",
    ("topics:\n    border-length:\n        title: B   # four\n        unit: km\n\n    # gap\n    tajik-share:\n"
     "        title: T\n        unit: \"%\"\n        resolution:\n            status: disputed\n"
     "            covers:\n            - alpha/tajik-share\n    trade: {title: X, unit: USD}\n# end"),
    ("topics:\n  border-length: {title: B, unit: km, resolution: {status: explained, covers: [alpha/border-length]}}\n"
     "  tajik-share:\n    title: T\n    unit: \"%\"\n    resolution:\n      status: disputed  # no note\n"
     "      covers: []\n  trade: {title: X, unit: USD}\n"),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REGISTRY_LAYOUTS), st.sampled_from(["\n", "\r\n"]), st.sampled_from(AWKWARD_TEXTS),
       st.sampled_from(["border-length", "tajik-share", "add-topic"]))
def test_registry_edits_keep_every_line_they_do_not_change(layout: str, newline: str, note: str,
                                                           action: str) -> None:
    from claimtrack.authoring import add_topic, resolve

    text = layout.replace("\n", newline)
    with tempfile.TemporaryDirectory() as temporary, pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_NO_CACHE", "1")
        folder = Path(temporary) / "claims"
        shutil.copytree(FIXTURE, folder)
        path = folder / "topics.yaml"
        path.write_bytes(text.encode("utf-8"))
        if action == "add-topic":
            add_topic(folder, "aid", {"title": note or "t", "note": note, "aliases": [note, "x"]})
            removed, added_bytes = _difference(text.encode("utf-8"), path.read_bytes())
            assert removed == b"", removed  # an insertion, nothing else
            inserted = added_bytes.decode("utf-8")
            assert "\r" not in inserted if newline == "\n" else inserted.count("\n") == inserted.count("\r\n")
            entry = _data(path)["topics"]["aid"]
            assert (entry["title"], entry["note"], entry["aliases"]) == (note or "t", note, [note, "x"]), entry
            return
        # (an awkward preferred value is refused as invalid-preferred: the note carries the awkward text)
        resolve(folder, action, "disputed", note or "n")
        new = path.read_text(encoding="utf-8")
        for comment in comments(text):
            assert comment.rstrip() in new, comment
        changed = [line for line in text.splitlines() if line not in new.splitlines()]
        # only lines of the resolution may change: its keys, and the covers that went
        # (a list of covers, the older form, becomes the mapping of each settled claim to its value)
        assert all(line.strip().startswith(("status", "preferred", "note", "- beta/not-any-more", "folded",
                                            "An older", "resolution", "topics: {", "border-length: {", "covers",
                                            "- alpha/", "- beta/"))
                   for line in changed), changed
        resolution = _data(path)["topics"][action]["resolution"]
        assert (resolution["note"], resolution.get("preferred")) == (note or "n", None), resolution
