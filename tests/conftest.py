"""Shared fixtures: a claims folder written from YAML given in the test itself."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ClaimsFactory = Callable[..., Path]

BASIC_TOPICS = """
topics:
  border-length:
    title: Length of the border
    unit: km
    aliases: [border with afghanistan]
  tajik-share:
    title: Tajik share of the population
    unit: "%"
  event-date:
    title: When the event happened
    kind: date
  capital:
    title: Capital city
    kind: text
  recognised:
    title: Recognised the government
    kind: boolean
  refugees:
    title: Refugees received
"""


@pytest.fixture
def make_claims(tmp_path: Path) -> ClaimsFactory:
    """make_claims(topics_yaml, {"a.yaml": "...", ...}) -> the claims folder (texts are dedented)."""

    def make(topics: str | None = BASIC_TOPICS, files: dict[str, str] | None = None, folder: str = "claims") -> Path:
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        if topics is not None:
            (root / "topics.yaml").write_text(textwrap.dedent(topics).lstrip(), encoding="utf-8")
        for name, text in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return root

    return make


def source(source_id: str, *claims: str, title: str = "A document") -> str:
    """A source file with the given claim blocks (each a YAML mapping in flow or block style)."""
    body = "\n".join("  - " + textwrap.dedent(c).strip().replace("\n", "\n    ") for c in claims)
    return f"source:\n  id: {source_id}\n  title: {title}\nclaims:\n{body}\n"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the commands they start) keep their cache apart from the user's, and do not inherit the
    settings of the shell that runs them (a CLAIMTRACK_NO_CACHE=1 left over from a session changes results)."""
    import os

    for name in ("CLAIMTRACK_NO_CACHE", "CLAIMTRACK_NO_FORK", "CLAIMTRACK_DIR"):
        os.environ.pop(name, None)
    os.environ["CLAIMTRACK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
