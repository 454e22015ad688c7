"""What a branch changed since a git ref (for `check --changed-since`): its own changes, committed or not,
counted from the merge base so that work landed on the base branch is not blamed here."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.errors import ClaimtrackError
from claimtrack.loader import TOPICS_FILE, is_read, parse_yaml


@dataclass
class Changes:
    files: list[Path]  # YAML files added, modified, renamed or untracked, as absolute paths
    topics: set[str] = field(default_factory=set)  # topics whose entry in topics.yaml was added, edited or removed


def _git(args: list[str], cwd: Path) -> bytes:
    """git's standard output, as bytes: file names are bytes to git, and not every one is UTF-8."""
    try:
        done = subprocess.run(  # noqa: S603 — git is the intended program: a list of arguments, no shell
            ["git", "-c", "diff.relative=false", *args],  # noqa: S607 — the user's own git, found on PATH
            cwd=cwd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ClaimtrackError(f"cannot run git: {error}") from None
    if done.returncode != 0:
        raise ClaimtrackError(f"git {args[0]} failed: {_first_line(done.stderr) or done.returncode}")
    return done.stdout


def _first_line(stderr: bytes) -> str:
    """What git said, on one line: its first line that says something (the rest are hints)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[0] if lines else "")


def _names(output: bytes) -> list[str]:
    """File names out of git's -z output (NUL-separated, never quoted), as the file system's own names."""
    return [os.fsdecode(name) for name in output.split(b"\0") if name]


def resolve_ref(ref: str, cwd: Path) -> str:
    """The commit id `ref` names; everything after uses that id, never the user's text.

    A ref that starts with "-" is refused here: git reads such an argument as an option (`--octopus`,
    `--output=FILE`), and no ref name may start with "-" (git check-ref-format). What is left cannot be an
    option to git. (`--end-of-options` would say the same to git, but `rev-parse` learned it only in git
    2.30, and refusing works with every git.)"""
    if ref.startswith("-") or not ref.strip():
        raise ClaimtrackError(f"--changed-since: {ref!r} is not a git ref (a ref never starts with '-')"
                              if ref.strip() else "--changed-since needs a git ref, such as origin/main")
    try:
        found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except ClaimtrackError:
        found = b""
    commit = found.decode("ascii", "replace").strip()
    if not commit:
        raise ClaimtrackError(f"--changed-since: {ref!r} names no commit in this repository (give a branch, tag "
                              "or commit id such as origin/main; in CI, fetch the base branch's history)")
    return commit


def changes_since(ref: str, folder: Path) -> Changes:
    """The YAML files changed since `ref`. A change to topics.yaml also names the topics whose entries
    changed; a deleted (or renamed) YAML file puts topics.yaml among the files, where a resolution that
    covered its claims reports them gone."""
    cwd = folder.resolve()
    root = Path(os.fsdecode(_git(["rev-parse", "--show-toplevel"], cwd).removesuffix(b"\n")))
    commit = resolve_ref(ref, cwd)
    try:
        base = _git(["merge-base", commit, "HEAD"], cwd).decode("ascii").strip()
    except ClaimtrackError:  # no common history (or no HEAD yet): compare with the commit itself
        base = commit
    # every change but a deletion: added, copied, modified, renamed, and a file turned into a symlink (T)
    names = _names(_git(["diff", "--name-only", "-z", "--diff-filter=d", base, "--"], cwd))
    names += _names(_git(["ls-files", "-z", "--others", "--exclude-standard"], root))
    found = {root / name for name in names if name.endswith((".yaml", ".yml"))}
    gone = _names(_git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=D", base, "--"], cwd))
    registry = cwd / TOPICS_FILE
    if any((root / name).resolve().is_relative_to(cwd) for name in gone if name.endswith((".yaml", ".yml"))):
        found.add(registry)
    # the claims folder's own files (a workflow or config file elsewhere is no claim file), a dangling symlink
    # included: the folder's walk reports it
    changes = Changes(sorted(path for path in found if os.path.lexists(path) and is_read(path, cwd)))
    if registry in found and registry.exists():
        changes.topics = _changed_topics(_show(base, registry.relative_to(root), root),
                                         registry.read_text(encoding="utf-8", errors="replace"))
    return changes


def _show(commit: str, path: Path, root: Path) -> str | None:
    """A file's text at `commit`, or None if it did not exist there."""
    try:
        return _git(["show", f"{commit}:{path.as_posix()}"], root).decode("utf-8", "replace")
    except ClaimtrackError:
        return None


def _changed_topics(before: str | None, after: str) -> set[str]:
    """Keys whose entry differs between two versions of topics.yaml (every key, when either cannot be read)."""
    old, new = _entries(before), _entries(after)
    if old is None or new is None:
        return set(old or {}) | set(new or {})
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _entries(text: str | None) -> dict[str, object] | None:
    if text is None:
        return {}
    doc, _ = parse_yaml(text, Path(TOPICS_FILE))
    topics = doc.data.get("topics") if doc is not None and isinstance(doc.data, dict) else None
    return topics if isinstance(topics, dict) else None
