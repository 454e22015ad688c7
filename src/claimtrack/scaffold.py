"""`claimtrack init`: the files of a new claims repository, written only where nothing exists yet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import ClaimtrackError
from claimtrack.schema import json_schemas

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

PRE_COMMIT = """\
# Runs claimtrack on the claim files of each commit (needs `pip install claimtrack`).
repos:
  - repo: local
    hooks:
      - id: claimtrack-check
        name: claimtrack check
        entry: claimtrack check
        language: system
        files: ^claims/.*\\.ya?ml$
"""

WORKFLOW = """\
name: claims
on:
  pull_request:
  push:
    branches: [main]
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
      - run: pip install claimtrack
      - name: Check the claims a pull request brings in
        if: github.event_name == 'pull_request'
        run: claimtrack check --changed-since "origin/${{ github.base_ref }}" --format github
      - name: Check every claim
        if: github.event_name != 'pull_request'
        run: claimtrack check --format github
"""


@dataclass(frozen=True)
class Scaffolded:
    path: Path
    written: bool  # False: the file existed and was left as it was


def scaffold_files() -> dict[str, str]:
    """Relative path -> content of every file `init` writes."""
    schemas = json_schemas()
    return {
        "claims/topics.yaml": TOPICS,
        "claims/sources/example-2025.yaml": SOURCE,
        ".claimtrack/schema/topics.json": json.dumps(schemas["topics"], indent=2, ensure_ascii=False) + "\n",
        ".claimtrack/schema/source.json": json.dumps(schemas["source"], indent=2, ensure_ascii=False) + "\n",
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/claimtrack.yml": WORKFLOW,
    }


def scaffold(root: Path) -> Iterator[Scaffolded]:
    """Write the scaffold below `root`, never touching a file that exists; each file is created whole or not
    at all (writer.create_new). Yields each file as it is done; a file that cannot be written ends it with a
    ClaimtrackError naming it (the files before it are complete)."""
    from claimtrack.writer import create_new

    for relative, content in scaffold_files().items():
        path = root / relative
        try:
            written = create_new(path, content)
        except OSError as error:
            message = f"cannot write {path}: {error.strerror or error}; nothing was written to it"
            raise ClaimtrackError(message) from None
        yield Scaffolded(path, written)
