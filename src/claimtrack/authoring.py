"""Authoring: add a claim, a source or a topic, record a resolution — validated with the same rules as
`check` before anything is written, then written atomically under the claims folder's lock.

Each operation builds the edited text, analyses the folder as if the edit were made (dataset overrides),
refuses the edit if it brings in a new error, and otherwise writes it and returns the new report.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.dataset import find_topic, suggest_topics
from claimtrack.errors import ClaimtrackError, Problem
from claimtrack.loader import TOPICS_FILE, display_path
from claimtrack.models import did_you_mean
from claimtrack.report import Report, analyze
from claimtrack.writer import create_new, write_atomic
from claimtrack.yamledit import RoundTrip, new_mapping

LOCK_NAME = ".claimtrack.lock"
# Findings that an edit may bring in: they are what the user is told about afterwards, not refusals.
_ALLOWED_NEW = {"unresolved-conflict", "stale-resolution", "near-duplicate-topic"}


class EditRefused(ClaimtrackError):
    """The edit would bring in errors; nothing was written."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Edited:
    path: Path
    report: Report  # the folder after the edit
    claim_id: str | None = None  # the claim added, if any
    topic_key: str | None = None  # the topic registered or resolved, if any


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One writer at a time per claims folder (an advisory lock on a hidden file in it)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: atomic writes still protect each file
        yield
        return
    descriptor = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def _commit(folder: Path, path: Path, new_text: str, before: Report, *, create: bool = False) -> Report:
    """Validate the edit like `check`, refuse new errors, else write it atomically; return the new report."""
    after = analyze(folder, check=True, overrides={path.resolve(): new_text})
    old = Counter((p.code, p.message) for p in before.problems if p.severity == "error")
    new = [p for p in after.problems if p.severity == "error" and p.code not in _ALLOWED_NEW
           and not _seen(old, (p.code, p.message))]
    if new:
        raise EditRefused(f"refused: the edit of {display_path(path)} would bring in {len(new)} problem(s); "
                          "nothing was written", new)
    if create:
        if not create_new(path, new_text):
            raise ClaimtrackError(f"{display_path(path)} exists already; nothing was written")
    else:
        write_atomic(path, new_text)
    return after


def _seen(counter: Counter[tuple[str, str]], key: tuple[str, str]) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def add_claim(folder: Path, source_id: str, fields: Mapping[str, Any]) -> Edited:
    """Append a claim (topic, value, quote, id, as_of, attributed_to, qualifiers, note) to a source's file."""
    with folder_lock(folder):
        before = analyze(folder, check=True)
        dataset = before.dataset
        source = dataset.sources.get(source_id)
        if source is None:
            raise ClaimtrackError(f"unknown source {source_id!r}{did_you_mean(source_id, list(dataset.sources))}; "
                                  "create it first (claimtrack add-source)")
        topic_key = str(fields["topic"])
        if topic_key not in dataset.topics:
            raise ClaimtrackError(f"unknown topic {topic_key!r}; register it first (claimtrack add-topic)",
                                  tuple(suggest_topics(topic_key, dataset.topics)))
        path = source.path
        document = RoundTrip(path.read_text(encoding="utf-8-sig"))
        claims = document.data.get("claims")
        if claims is None:
            from ruamel.yaml.comments import CommentedSeq

            claims = document.data["claims"] = CommentedSeq()
        ordered = {key: fields.get(key) for key in ("id", "topic", "value", "quote", "as_of", "attributed_to",
                                                     "qualifiers", "note")}
        claims.append(new_mapping(ordered))
        after = _commit(folder, path, document.dump(), before)
        known_before = {claim.id for claim in dataset.claims}
        added = [c.id for c in after.dataset.claims if c.source == source_id and c.id not in known_before]
        return Edited(path, after, added[0] if added else None)


def add_source(folder: Path, fields: Mapping[str, Any], file: Path | None = None) -> Edited:
    """Create a source file (default `sources/ID.yaml` when the folder has a sources/ sub-folder, else `ID.yaml`)."""
    source_id = str(fields["id"])
    with folder_lock(folder):
        before = analyze(folder, check=True)
        if source_id in before.dataset.sources:
            raise ClaimtrackError(f"source {source_id!r} exists already ({before.dataset.sources[source_id].location})")
        if file is None:
            base = folder / "sources" if (folder / "sources").is_dir() else folder
            file = base / f"{source_id}.yaml"
        if file.suffix not in (".yaml", ".yml"):
            raise ClaimtrackError(f"a source file must end in .yaml: {file}")
        if folder.resolve() not in file.resolve().parents:
            raise ClaimtrackError(f"{file} is outside the claims folder {folder}; nothing was written")
        if file.exists():
            raise ClaimtrackError(f"{display_path(file)} exists already; nothing was written")
        ordered = {key: fields.get(key) for key in ("id", "title", "publisher", "author", "published", "url", "type",
                                                     "text", "based_on", "note")}
        document = RoundTrip("source: {}\nclaims: []\n")
        document.data["source"] = new_mapping(ordered)
        after = _commit(folder, file, document.dump(), before, create=True)
        return Edited(file, after)


def add_topic(folder: Path, key: str, fields: Mapping[str, Any]) -> Edited:
    """Register a topic at the end of topics.yaml."""
    with folder_lock(folder):
        before = analyze(folder, check=True)
        if key in before.dataset.topics:
            raise ClaimtrackError(f"topic {key!r} exists already ({before.dataset.topics[key].location})")
        path = folder / TOPICS_FILE
        text = path.read_text(encoding="utf-8-sig") if path.exists() else "topics: {}\n"
        document = RoundTrip(text)
        if document.data is None or "topics" not in document.data:
            raise ClaimtrackError(f"{display_path(path)} has no 'topics:' mapping to add to")
        if not document.data["topics"]:  # an empty flow mapping `{}` would keep flow style
            from ruamel.yaml.comments import CommentedMap

            document.data["topics"] = CommentedMap()
        ordered = {name: fields.get(name) for name in ("title", "kind", "unit", "aliases", "tolerance", "approx",
                                                        "similarity", "note")}
        document.data["topics"][key] = new_mapping(ordered)
        after = _commit(folder, path, document.dump(), before, create=not path.exists())
        return Edited(path, after, topic_key=key)


def resolve(folder: Path, topic_word: str, status: str, note: str, preferred: str | None = None) -> Edited:
    """Record a resolution that covers every claim now taking part in the topic's conflict."""
    with folder_lock(folder):
        before = analyze(folder, check=True)
        topic = find_topic(topic_word, before.dataset.topics)
        conflict = before.conflicts.get(topic.key)
        if conflict is None:
            raise ClaimtrackError(f"topic {topic.key!r} has no conflict to resolve")
        path = topic.location.path
        document = RoundTrip(path.read_text(encoding="utf-8-sig"))
        entry = document.data["topics"][topic.key]
        resolution = new_mapping({"status": status, "preferred": preferred, "note": note,
                                  "covers": sorted(conflict.claim_ids)})
        resolution["covers"].fa.set_block_style()
        entry["resolution"] = resolution
        after = _commit(folder, path, document.dump(), before)
        return Edited(path, after, topic_key=topic.key)
