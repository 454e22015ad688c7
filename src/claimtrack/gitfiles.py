"""Which claim files changed since a git ref (for `check --changed-since`): the branch's own changes,
committed or not, counted from the merge base so that work landed on the base branch is not blamed here."""

from __future__ import annotations

import subprocess
from pathlib import Path

from claimtrack.errors import ClaimtrackError


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ClaimtrackError(f"cannot run git: {error}") from None
    if done.returncode != 0:
        raise ClaimtrackError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def changed_files(ref: str, folder: Path | None) -> list[Path]:
    """YAML files changed (added, modified, renamed, untracked) since `ref`, as absolute paths."""
    cwd = (folder or Path.cwd()).resolve()
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        base = _git(["merge-base", ref, "HEAD"], cwd).strip()
    except ClaimtrackError:
        _git(["rev-parse", "--verify", f"{ref}^{{commit}}"], cwd)  # a clear error for an unknown ref
        base = ref
    names = _git(["diff", "--name-only", "--diff-filter=ACMR", base, "--"], cwd).splitlines()
    names += _git(["ls-files", "--others", "--exclude-standard"], root).splitlines()
    found = {(root / name).resolve() for name in names if name.endswith((".yaml", ".yml"))}
    return sorted(path for path in found if path.exists())
