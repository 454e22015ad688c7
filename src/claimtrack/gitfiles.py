"""What a branch changed since a git ref (for `check --changed-since`): its own changes, committed or not,
counted from the merge base so that work landed on the base branch is not blamed here."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.errors import ClaimtrackError
from claimtrack.loader import TOPICS_FILE, parse_yaml


@dataclass
class Changes:
    files: list[Path]  # YAML files added, modified, renamed or untracked, as absolute paths
    topics: set[str] = field(default_factory=set)  # topics whose entry in topics.yaml was added, edited or removed


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(  # noqa: S603 — git is the intended program: a list of arguments, no shell
            ["git", *args],  # noqa: S607 — the user's own git, found on PATH as their shell finds it
            cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ClaimtrackError(f"cannot run git: {error}") from None
    if done.returncode != 0:
        raise ClaimtrackError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def changes_since(ref: str, folder: Path) -> Changes:
    """The YAML files changed since `ref`. A change to topics.yaml also names the topics whose entries
    changed; a deleted (or renamed) YAML file puts topics.yaml among the files, where a resolution that
    covered its claims reports them gone."""
    cwd = folder.resolve()
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        base = _git(["merge-base", ref, "HEAD"], cwd).strip()
    except ClaimtrackError:
        _git(["rev-parse", "--verify", f"{ref}^{{commit}}"], cwd)  # a clear error for an unknown ref
        base = ref
    names = _git(["diff", "--name-only", "--diff-filter=ACMR", base, "--"], cwd).splitlines()
    names += _git(["ls-files", "--others", "--exclude-standard"], root).splitlines()
    found = {(root / name).resolve() for name in names if name.endswith((".yaml", ".yml"))}
    gone = _git(["diff", "--name-only", "--no-renames", "--diff-filter=D", base, "--"], cwd).splitlines()
    registry = cwd / TOPICS_FILE
    if any((root / name).resolve().is_relative_to(cwd) for name in gone if name.endswith((".yaml", ".yml"))):
        found.add(registry)
    changes = Changes(sorted(path for path in found if path.exists()))
    if registry in found and registry.exists():
        changes.topics = _changed_topics(_show(base, registry.relative_to(root), root),
                                         registry.read_text(encoding="utf-8", errors="replace"))
    return changes


def _show(commit: str, path: Path, root: Path) -> str | None:
    """A file's text at `commit`, or None if it did not exist there."""
    try:
        return _git(["show", f"{commit}:{path.as_posix()}"], root)
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
