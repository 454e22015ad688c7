"""`claimtrack init`: the files of a new claims repository, written only where nothing exists yet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import ClaimtrackError
from claimtrack.schema import json_schemas
from claimtrack.yamledit import Quoted, scalar

TOPICS = """\
# yaml-language-server: $schema=../.claimtrack/schema/topics.json
# The registry of topics: what a claim can be about. See `claimtrack schema topics`.
topics:
  border-length:
    title: Length of the Tajikistan–Afghanistan border
    kind: quantity          # quantity | date | text | boolean
    unit: km                # canonical unit; omit for plain counts
    aliases: [border with afghanistan]
"""

SOURCE = """\
# yaml-language-server: $schema=../../.claimtrack/schema/source.json
# One file per source document. Quote the document verbatim; say what it says, no more.
source:
  id: example-2025
  title: An example article
  publisher: Example News
  published: 2025-06
  type: news
claims:
  - topic: border-length
    value: "1,344 km"
    quote: "the 1,344-kilometre border with Afghanistan"
"""

PLACEHOLDER = "claimtrack @ git+https://HOST/OWNER/claimtrack@COMMIT"
WORKFLOW_PATH = ".github/workflows/claimtrack.yml"

PRE_COMMIT_LOCAL = """\
# Runs `claimtrack check` on the claim files of each commit (`pre-commit install` once, in this repository).
# It runs the claimtrack on your PATH: the one that ran `claimtrack init`. To let pre-commit install claimtrack
# itself, replace the hook below with
#   - repo: https://HOST/OWNER/claimtrack     # where claimtrack's source is
#     rev: COMMIT                             # a commit or tag you trust
#     hooks: [{id: claimtrack-check}]
repos:
  - repo: local
    hooks:
      - id: claimtrack-check
        name: claimtrack check
        entry: claimtrack check
        language: system
        files: ^claims/.*\\.ya?ml$
"""

PRE_COMMIT_REMOTE = """\
# Runs `claimtrack check` on the claim files of each commit (`pre-commit install` once, in this repository).
# pre-commit installs claimtrack from its source at the pinned commit: the one that ran `claimtrack init`.
repos:
  - repo: {url}
    rev: {rev}
    hooks:
      - id: claimtrack-check
"""

WORKFLOW = """\
name: claims
on:
  pull_request:
  push:
    branches: [main]
env:
  # How CI installs claimtrack, which is not on PyPI: a pip requirement pinned to a version you trust,
  # either its source at a commit ("claimtrack @ git+https://HOST/OWNER/claimtrack@COMMIT") or a wheel CI
  # can reach ("claimtrack @ https://HOST/claimtrack-0.1.0-py3-none-any.whl").{note}
  CLAIMTRACK: {requirement}
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0          # --changed-since needs the base branch's history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install claimtrack
        run: |
          case "$CLAIMTRACK" in
            *HOST/OWNER*|*@COMMIT) echo "::error::set CLAIMTRACK in this workflow: how to install claimtrack"; exit 1 ;;
          esac
          pip install "$CLAIMTRACK"
      - name: Check the claims a pull request brings in
        if: github.event_name == 'pull_request'
        run: claimtrack check --changed-since "origin/${{{{ github.base_ref }}}}" --format github
      - name: Check every claim
        if: github.event_name != 'pull_request'
        run: claimtrack check --format github
"""


def installed_from() -> tuple[str, str] | None:
    """Where this claimtrack was installed from, when pip recorded a place others can install it from too
    (PEP 610's direct_url.json): (git URL, commit) for a VCS install; None for a local folder or an index."""
    import json as jsonlib
    from importlib import metadata

    try:
        recorded = metadata.distribution("claimtrack").read_text("direct_url.json")
        found = jsonlib.loads(recorded) if recorded else None
    except (metadata.PackageNotFoundError, ValueError):
        return None
    vcs = found.get("vcs_info") if isinstance(found, dict) else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id") and isinstance(found, dict):
        url = str(found.get("url", ""))
        if url.startswith(("https://", "http://", "ssh://", "git@")):
            return url, str(vcs["commit_id"])
    return None


@dataclass(frozen=True)
class Scaffolded:
    path: Path
    written: bool  # False: the file existed and was left as it was


def scaffold_files(requirement: str | None = None, example: bool = True) -> dict[str, str]:
    """Relative path -> content of every file `init` writes. `requirement`: how CI installs claimtrack (a pip
    requirement); by default the git URL and commit this claimtrack came from, when pip recorded one, else a
    placeholder that the workflow refuses to run with. `example`: write the example source too."""
    schemas = json_schemas()
    source = installed_from()
    if requirement is None and source is not None:
        requirement = f"claimtrack @ git+{source[0]}@{source[1]}"
    note = "" if requirement else "\n  # FILL IN: `claimtrack init` could not tell where this claimtrack came from."
    files = {
        "claims/topics.yaml": TOPICS,
        "claims/sources/example-2025.yaml": SOURCE,
        ".claimtrack/schema/topics.json": json.dumps(schemas["topics"], indent=2, ensure_ascii=False) + "\n",
        ".claimtrack/schema/source.json": json.dumps(schemas["source"], indent=2, ensure_ascii=False) + "\n",
        ".pre-commit-config.yaml": PRE_COMMIT_REMOTE.format(url=source[0], rev=source[1]) if source else
        PRE_COMMIT_LOCAL,
        WORKFLOW_PATH: WORKFLOW.format(requirement=scalar(Quoted(requirement or PLACEHOLDER)),
                                                            note=note),
    }
    if not example:
        del files["claims/sources/example-2025.yaml"]
    return files


def scaffold(root: Path, requirement: str | None = None) -> Iterator[Scaffolded]:
    """Write the scaffold below `root`, never touching a file that exists; each file is created whole or not
    at all (writer.create_new). Yields each file as it is done; a file that cannot be written ends it with a
    ClaimtrackError naming it (the files before it are complete). The example source is written only into a
    new claims folder: run again, `init` does not bring back an example the user deleted."""
    from claimtrack.writer import create_new

    fresh = not (root / "claims" / "topics.yaml").exists()
    for relative, content in scaffold_files(requirement, example=fresh).items():
        path = root / relative
        try:
            written = create_new(path, content)
        except OSError as error:
            message = f"cannot write {path}: {error.strerror or error}; nothing was written to it"
            raise ClaimtrackError(message) from None
        yield Scaffolded(path, written)
