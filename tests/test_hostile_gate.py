"""Issue 19, classes 1 and 4: the CI gate cannot be walked around, and no file is skipped or misread.

Everything runs through the installed command (`python -m claimtrack`), in folders and git repositories built
in tmp_path, as a user or a CI job meets it. Each test names what failed before the fix.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "adversarial"
TOPICS = """\
topics:
  border-length:
    title: Length of the Tajikistan–Afghanistan border
    unit: km
"""
GOOD = """\
source:
  id: {id}
  title: A good source
claims:
  - topic: border-length
    value: "1,344 km"
    quote: "the 1,344 km border"
"""
BAD = """\
source:
  id: {id}
  title: A source with an unknown topic
claims:
  - topic: no-such-topic
    value: "1"
    quote: "one"
"""


@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache of every command run here goes to a folder of this module's own (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def run(cwd: Path | bytes, *args: str | bytes, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[bytes]:
    """The command as a user runs it; output kept as bytes (it must be UTF-8: tests decode it strictly)."""
    return subprocess.run([*prefix, sys.executable, "-m", "claimtrack", *args], cwd=cwd, capture_output=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}, check=False)


def out(done: subprocess.CompletedProcess[bytes]) -> str:
    """Standard output and error, which must be valid UTF-8 and free of internal errors."""
    text = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    assert "Traceback" not in text and "internal error" not in text, text
    return text


def make_folder(root: Path, files: dict[str | bytes, str]) -> Path:
    """`root/claims` with topics.yaml and the given files (names may be bytes: not every name is UTF-8)."""
    folder = root / "claims"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    for name, text in files.items():
        path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else os.fsencode(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return folder


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", "-c", "commit.gpgsign=false", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose `main` holds one good claim file, on a fresh branch `feature`."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    make_folder(tmp_path, {"good.yaml": GOOD.format(id="good")})
    git(tmp_path, "init", "-q")
    git(tmp_path, "checkout", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "claims")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    return tmp_path


def commit_all(cwd: Path) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", "branch")


def judged(done: subprocess.CompletedProcess[bytes]) -> set[str]:
    """The paths `check --format json` reported problems at."""
    return {problem["path"] for problem in json.loads(done.stdout)["problems"]}


def non_utf8_names_allowed(folder: Path) -> bool:
    try:
        open(os.path.join(os.fsencode(folder), b"probe-\xff"), "w").close()
    except OSError:  # a file system that stores names as UTF-8 only (macOS, some mounts)
        return False
    os.unlink(os.path.join(os.fsencode(folder), b"probe-\xff"))
    return True


# --------------------------------------------------------------------------- class 1: the gate

def test_changed_since_judges_names_that_git_quotes(repo: Path) -> None:
    """`git diff --name-only` quotes such names ("claims/soci\\303\\251t\\303\\251.yaml"): the gate passed a branch
    that added them, committed or untracked. Now read NUL-separated (-z), never quoted."""
    names = ["société.yaml", 'a"b.yaml', "tab\tname.yaml", "new\nline.yaml", "back\\slash.yaml"]
    make_folder(repo, {name: BAD.format(id=f"committed-{n}") for n, name in enumerate(names)})
    commit_all(repo)
    make_folder(repo, {"données.yaml": BAD.format(id="untracked")})  # untracked: ls-files --others
    done = run(repo, "check", "--changed-since", "main", "--format", "json")
    out(done)
    assert done.returncode == 1
    assert judged(done) == {f"claims/{name}" for name in [*names, "données.yaml"]}


def test_changed_since_judges_names_that_are_not_utf8(repo: Path) -> None:
    if not non_utf8_names_allowed(repo):
        pytest.skip("this file system refuses names that are not UTF-8")
    make_folder(repo, {b"latin-\xe9.yaml": BAD.format(id="committed")})
    commit_all(repo)
    make_folder(repo, {b"untracked-\xff.yaml": BAD.format(id="untracked")})
    done = run(repo, "check", "--changed-since", "main", "--format", "json")
    out(done)
    assert done.returncode == 1
    assert judged(done) == {"claims/latin-\\xe9.yaml", "claims/untracked-\\xff.yaml"}


def test_changed_since_is_not_misled_by_the_repository_configuration(repo: Path) -> None:
    """`diff.relative = true` made `git diff` print names relative to the claims folder, which were then looked
    for below the repository's root: every changed file was missed."""
    git(repo, "config", "diff.relative", "true")
    make_folder(repo, {"sources/bad.yaml": BAD.format(id="bad")})
    commit_all(repo)
    done = run(repo, "check", "--changed-since", "main", "--format", "json")
    out(done)
    assert done.returncode == 1 and judged(done) == {"claims/sources/bad.yaml"}


@pytest.mark.parametrize("ref", ["--octopus", "--independent", "-", "--output=PWNED"])
def test_a_ref_that_looks_like_an_option_is_refused(repo: Path, ref: str) -> None:
    """`git merge-base --octopus HEAD` is HEAD: the gate compared the branch with itself and passed it."""
    make_folder(repo, {"bad.yaml": BAD.format(id="bad")})
    commit_all(repo)
    done = run(repo, "check", f"--changed-since={ref}")
    text = out(done)
    assert done.returncode == 2, text
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --changed-since:") and ref in lines[0], lines
    assert not list(repo.rglob("PWNED*"))


@pytest.mark.parametrize("ref", ["no-such-branch", "main~50", "", "HEAD:claims"])
def test_an_unknown_ref_is_one_clear_usage_error(repo: Path, ref: str) -> None:
    done = run(repo, "check", f"--changed-since={ref}")
    out(done)
    assert done.returncode == 2 and done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --changed-since"), lines


def test_outside_a_repository_is_one_clear_usage_error(tmp_path: Path) -> None:
    make_folder(tmp_path, {"good.yaml": GOOD.format(id="good")})
    done = run(tmp_path, "check", "--changed-since", "main",
               prefix=("env", f"GIT_CEILING_DIRECTORIES={tmp_path.parent}"))
    out(done)
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "not a git repository" in lines[0], lines


def test_changed_since_judges_a_file_turned_into_a_symlink_and_a_dangling_one(repo: Path) -> None:
    """A file replaced by a symlink is a type change (T), which --diff-filter=ACMR left out; a dangling symlink
    does not `exist()`: both went unjudged, though the full check refuses them."""
    outside = repo / "outside.yaml"
    outside.write_text(GOOD.format(id="outside"), encoding="utf-8")
    (repo / "claims" / "good.yaml").unlink()
    (repo / "claims" / "good.yaml").symlink_to(outside)
    (repo / "claims" / "gone.yaml").symlink_to("deleted-long-ago.yaml")
    commit_all(repo)
    done = run(repo, "check", "--changed-since", "main")
    text = out(done)
    assert done.returncode == 1, text
    assert "claims/good.yaml: error: refusing a symlink that points outside the claims folder" in text
    assert "claims/gone.yaml: error: cannot read file" in text


def test_changed_since_leaves_yaml_outside_the_folder_alone(repo: Path) -> None:
    """A workflow or config file elsewhere in the repository is no claim file: neither judged nor refused."""
    workflow = repo / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\n", encoding="utf-8")
    (repo / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    commit_all(repo)
    done = run(repo, "check", "--changed-since", "main")
    assert done.returncode == 0, out(done)


def test_changed_since_with_a_named_file_that_does_not_exist(repo: Path) -> None:
    """With --changed-since a missing PATH was dropped without a word."""
    done = run(repo, "check", "--changed-since", "main", "claims/typo.yaml")
    text = out(done)
    assert done.returncode == 2 and "no such file: claims/typo.yaml" in text


# --------------------------------------------------------------------------- class 4: files skipped or misread

def _without_dac_override() -> tuple[str, ...] | None:
    """A prefix that runs the command without root's power to read anything (None if there is none)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", "true"],
                           capture_output=True, check=False)
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search") if probe.returncode == 0 else None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_unreadable_subfolder_is_reported(tmp_path: Path, fmt: str) -> None:
    """A sub-folder that cannot be listed was skipped without a word: its files went unjudged, exit 0."""
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("root reads a folder whatever its mode, and setpriv cannot take that away here")
    folder = make_folder(tmp_path, {"good.yaml": GOOD.format(id="good"), "locked/bad.yaml": BAD.format(id="bad")})
    (folder / "locked").chmod(0)
    try:
        done = run(tmp_path, "check", "--format", fmt, prefix=prefix)
        again = run(tmp_path, "check", "--format", fmt, prefix=prefix)  # the cache must not hide it either
    finally:
        (folder / "locked").chmod(0o755)
    text = out(done)
    assert done.returncode == 1 and again.stdout == done.stdout, text
    if fmt == "json":
        [problem] = json.loads(done.stdout)["problems"]
        assert (problem["path"], problem["line"], problem["code"]) == ("claims/locked", None, "unreadable-file")
        assert "cannot read folder" in problem["message"]
    else:
        assert text.startswith("claims/locked: error: cannot read folder: Permission denied"), text
    fixed = run(tmp_path, "check")  # readable again: its files are judged
    assert fixed.returncode == 1 and "claims/locked/bad.yaml:5:5" in out(fixed)


def test_unreadable_folder_is_a_located_problem_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, wherever the tests run (root included): a folder that cannot be listed is a problem at it."""
    from claimtrack import loader

    folder = make_folder(tmp_path, {"good.yaml": GOOD.format(id="good"), "locked/bad.yaml": BAD.format(id="bad")})
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(loader.os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    topics, sources, problems = loader.find_files(Path("claims"))
    assert topics == Path("claims/topics.yaml") and (folder / "locked" / "bad.yaml").exists()
    assert [str(path) for path in sources] == ["claims/good.yaml"]
    assert [(str(p.location), p.code) for p in problems] == [("claims/locked", "unreadable-file")]
    assert problems[0].message == "cannot read folder: Permission denied; none of its files are read"


@pytest.mark.parametrize(("named", "reason"), [
    ("elsewhere/draft.yaml", "is not in the claims folder claims"),
    ("claims/.drafts/draft.yaml", "is hidden"),
    ("claims/.draft.yaml", "is hidden"),
    ("claims/notes.txt", "is not a claim file"),
    ("claims/link/draft.yaml", "is not in the claims folder claims"),  # behind a symlink that leads out
])
def test_a_named_file_that_is_not_read_is_refused(tmp_path: Path, named: str, reason: str) -> None:
    """`check --dir claims elsewhere/draft.yaml` exited 0 without reading the file (docs/decisions.md)."""
    make_folder(tmp_path, {"good.yaml": GOOD.format(id="good"), ".drafts/draft.yaml": BAD.format(id="d"),
                           ".draft.yaml": BAD.format(id="e"), "notes.txt": "notes"})
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "draft.yaml").write_text(BAD.format(id="draft"), encoding="utf-8")
    (tmp_path / "claims" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    done = run(tmp_path, "check", "--dir", "claims", named)
    out(done)
    assert done.returncode == 2 and done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot judge {named}: it {reason}"), lines


def test_a_named_folder_judges_every_file_below_it(tmp_path: Path) -> None:
    """`check claims/sources` reported nothing: no problem is located at a folder's own path."""
    make_folder(tmp_path, {"sources/bad.yaml": BAD.format(id="bad"), "other/worse.yaml": BAD.format(id="worse")})
    done = run(tmp_path, "check", "claims/sources", "--format", "json")
    out(done)
    assert done.returncode == 1 and judged(done) == {"claims/sources/bad.yaml"}
    everything = run(tmp_path, "check", "claims", "--format", "json")
    assert judged(everything) == {"claims/sources/bad.yaml", "claims/other/worse.yaml"}


def test_named_files_inside_the_folder_are_still_judged(tmp_path: Path) -> None:
    """The refusal above leaves every way of naming a file of the folder working: through a symlinked folder
    inside, a symlink to a file inside, topics.yaml, or a .yml file."""
    make_folder(tmp_path, {"real/bad.yaml": BAD.format(id="bad"), "other.yml": BAD.format(id="other")})
    (tmp_path / "claims" / "again").symlink_to(tmp_path / "claims" / "real", target_is_directory=True)
    for named, path in [("claims/again/bad.yaml", "claims/real/bad.yaml"), ("claims/real", "claims/real/bad.yaml"),
                        ("claims/other.yml", "claims/other.yml")]:
        done = run(tmp_path, "check", named, "--format", "json")
        out(done)
        assert done.returncode == 1 and judged(done) == {path}, named
    assert run(tmp_path, "check", "claims/topics.yaml").returncode == 0


OUTPUTS = [  # (arguments, whether the output names the claim files)
    (("check", "--format", "text"), True), (("check", "--format", "json"), True),
    (("check", "--format", "github"), True), (("check", "--format", "sarif"), True), (("conflicts",), False),
    (("conflicts", "--format", "json"), True), (("conflicts", "--format", "markdown"), False),
    (("conflicts", "--format", "github"), True), (("show", "border-length"), False),
    (("show", "border-length", "--format", "json"), True), (("topics", "--format", "json"), False),
    (("sources",), False), (("sources", "--format", "json"), True), (("consensus", "--format", "json"), False),
    (("export", "--format", "jsonl"), True), (("report", "--output", "-"), True),
]


@pytest.mark.parametrize(("args", "names_files"), OUTPUTS, ids=["-".join(args) for args, _ in OUTPUTS])
def test_names_that_are_not_utf8_reach_every_output_escaped(tmp_path: Path, args: tuple[str, ...],
                                                           names_files: bool) -> None:
    r"""A working directory and file names that are not UTF-8 crashed JSON and SARIF (and, through the cache
    key, every command): each byte that is not UTF-8 is now written \xff, in every output, valid UTF-8."""
    if not non_utf8_names_allowed(tmp_path):
        pytest.skip("this file system refuses names that are not UTF-8")
    cwd = os.path.join(os.fsencode(tmp_path), b"work-\xff")
    os.mkdir(cwd)
    with_copy = GOOD.format(id="good").replace("title:", "text: gone.txt\n  title:")  # a copy that is missing
    make_folder(Path(os.fsdecode(cwd)), {b"latin-\xe9.yaml": GOOD.format(id="latin").replace("1,344", "1,374"),
                                         "good.yaml": with_copy})
    for outside in (False, True):  # paths relative to the working directory, and absolute ones
        where = (os.fsencode(tmp_path), os.path.join(cwd, b"claims")) if outside else (cwd, b"claims")
        done = run(where[0], *args, "--dir", where[1])
        text = out(done)  # decodes strictly: no byte that is not UTF-8 is written
        assert done.returncode in (0, 1), text
        shown = text.replace("\\\\", "\\")  # JSON writes the backslash of \xe9 as \\
        # (SARIF's artifact URIs percent-encode the name's bytes instead: latin-%E9.yaml)
        assert "latin-\\xe9.yaml" in shown or "latin-%E9.yaml" in text or not names_files, text
        if args[0] == "check" and outside:  # a path inside a message: the text copy's
            assert "work-\\xff/claims/gone.txt" in shown, text


def test_an_argument_that_is_not_utf8_is_a_usage_error_not_a_crash(tmp_path: Path) -> None:
    make_folder(tmp_path, {"good.yaml": GOOD.format(id="good")})
    done = run(tmp_path, "show", b"border-\xff")
    text = out(done)
    assert done.returncode == 2 and text.startswith("error: unknown topic or source 'border-\\"), text  # (repr)
    done = run(tmp_path, "check", b"claims/missing-\xff.yaml")
    assert done.returncode == 2 and out(done).startswith("error: no such file: claims/missing-\\xff.yaml")


def _copy(case: str, tmp_path: Path) -> Path:
    shutil.copytree(CORPUS / case / "claims", tmp_path / "claims", symlinks=True)
    return tmp_path


def test_unknown_keys_with_brackets_are_named_and_located(tmp_path: Path) -> None:
    """`quo[te:` was reported as "unknown key '0'" on the claim's first line: the key names pydantic gives a
    union's branches ('list[str]') were told apart by their bracket, and the user's key was dropped too."""
    done = run(_copy("gate-bracket-key", tmp_path), "check")
    text = out(done)
    assert done.returncode == 1
    assert "claims/keys.yaml:8:5: error: unknown key 'quo[te' (did you mean 'quote'?) [unknown-key]" in text
    assert "claims/keys.yaml:11:5: error: unknown key 'va]lue' (did you mean 'value'?) [unknown-key]" in text
    assert "claims/topics.yaml:5:5: error: unknown key 'al[iases' (did you mean 'aliases'?) [unknown-key]" in text
    assert "'0'" not in text


def test_slugs_ending_in_a_line_break_are_refused(tmp_path: Path) -> None:
    """`id: "ab\\n"`, a block scalar and a topic key ending in a line break were accepted as slugs (a regex
    `$` matches before a final line break, and whitespace was stripped before the slug check)."""
    done = run(_copy("gate-slug-newline", tmp_path), "check")
    text = out(done)
    assert done.returncode == 1, text
    for where, code in [("quoted.yaml:2:3", "invalid-id"), ("quoted.yaml:4:3", "invalid-type"),
                        ("quoted.yaml:7:5", "invalid-id"), ("block.yaml:2:3", "invalid-id"),
                        ("block.yaml:7:5", "invalid-id"), ("topics.yaml:5:3", "invalid-id")]:
        lines = [line for line in text.splitlines() if line.startswith(f"claims/{where}: error:")]
        assert lines and lines[0].endswith(f"[{code}]") and "slug" in lines[0], (where, text)


def test_the_cache_notices_a_text_copy_that_appears(tmp_path: Path) -> None:
    """The output cache stamped only the files that were there: "text copy missing" was served again after the
    copy appeared. A missing file is now part of the key, as absent."""
    make_folder(tmp_path, {"good.yaml": GOOD.format(id="good").replace("title:", "text: good.txt\n  title:")})
    copy = tmp_path / "claims" / "good.txt"
    first = run(tmp_path, "check")
    assert first.returncode == 1 and "[missing-text]" in out(first)
    copy.write_text("They speak of the 1,344 km border.\n", encoding="utf-8")
    second = run(tmp_path, "check")
    assert second.returncode == 0, out(second)
    copy.unlink()
    third = run(tmp_path, "check")
    assert third.returncode == 1 and "[missing-text]" in out(third)


def test_the_cache_notices_a_dangling_symlink_whose_file_appears(tmp_path: Path) -> None:
    """The same for a claim file: a dangling symlink was "cannot read file" until the cache happened to expire."""
    make_folder(tmp_path, {"good.yaml": GOOD.format(id="good")})
    (tmp_path / "claims" / "later.yaml").symlink_to(".drafts/later.yaml")  # a hidden folder: the listing stays the same
    first = run(tmp_path, "check")
    assert first.returncode == 1 and "claims/later.yaml: error: cannot read file" in out(first)
    make_folder(tmp_path, {".drafts/later.yaml": BAD.format(id="later")})
    second = run(tmp_path, "check")
    text = out(second)
    assert second.returncode == 1 and "cannot read file" not in text and "unknown topic 'no-such-topic'" in text
