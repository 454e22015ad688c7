"""Authoring: add a claim, a source or a topic, record a resolution — validated with the same rules as
`check` before anything is written, then written atomically under the claims folder's lock.

Each operation builds the edited text (yamledit: a splice into the file's own text, checked to read back as
the old data plus the edit, every comment kept), analyses the folder as if the edit were made (dataset
overrides), refuses the edit if it brings in a new error, and otherwise writes it — in the file's own encoding
and line ends, through a symlink to its target inside the folder — and returns the new report.
"""

from __future__ import annotations

import copy
import errno
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from claimtrack.dataset import find_topic, suggest_topics
from claimtrack.errors import ClaimtrackError, Problem
from claimtrack.loader import MAX_FILE_BYTES, TOPICS_FILE, display_path
from claimtrack.models import did_you_mean
from claimtrack.report import Report, analyze
from claimtrack.writer import create_new, write_atomic
from claimtrack.yamledit import BlockList, BlockMap, Document, FileEncoding, Quoted, decode, new_file

LOCK_NAME = ".claimtrack.lock"
# Findings that an edit may bring in: they are what the user is told about afterwards, not refusals.
_ALLOWED_NEW = {"unresolved-conflict", "stale-resolution", "near-duplicate-topic"}
_CLAIM_KEYS = ("id", "topic", "value", "quote", "as_of", "attributed_to", "qualifiers", "note")
_SOURCE_KEYS = ("id", "title", "publisher", "author", "published", "url", "type", "text", "based_on", "note")
_TOPIC_KEYS = ("title", "kind", "unit", "aliases", "tolerance", "approx", "similarity", "note")
_QUOTED = frozenset({"value", "quote", "title"})  # always in double quotes: `1,344 km`, `46%` stay text everywhere
_OPTIONS = {"qualifiers": "--qualifier", "aliases": "--alias", "based_on": "--based-on", "key": "the topic key"}
_SURROGATE = re.compile("[\ud800-\udfff]")


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


@dataclass(frozen=True)
class _Target:
    """A file being edited: the name the folder gives it, the file written (a symlink's target), its text."""

    path: Path
    real: Path
    text: str
    encoding: FileEncoding


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One writer at a time per claims folder (an advisory lock on a hidden file in it)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: atomic writes still protect each file
        yield
        return
    descriptor = _open_lock(folder / LOCK_NAME)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def _open_lock(path: Path) -> int:
    """The lock file, opened without following a symlink and never truncated: created private (0600) if
    missing; a symlink or anything but a regular file is refused. In a folder that cannot be written, an
    existing lock is opened for reading (a lock needs no more), and the edit says why it cannot write."""
    shown = display_path(path)
    flags = os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ClaimtrackError(f"refusing the lock file {shown}: it is a symbolic link (remove it); "
                                  "nothing was written") from None
        try:
            descriptor = os.open(path, os.O_RDONLY | flags)
        except OSError:
            raise ClaimtrackError(f"cannot lock the claims folder: {shown}: {error.strerror or error}; "
                                  "nothing was written") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise ClaimtrackError(f"refusing the lock file {shown}: it is not a regular file (remove it); "
                              "nothing was written")
    return descriptor


def _open_for_edit(folder: Path, path: Path) -> _Target:
    """Read a file to edit. A symlink is edited through: its target must lie inside the claims folder (as the
    loader requires) and be a regular file."""
    shown = display_path(path)
    real = Path(os.path.realpath(path))
    if Path(os.path.realpath(folder)) not in real.parents:
        raise ClaimtrackError(f"refusing to edit {shown}: it leads outside the claims folder ({real}); "
                              "nothing was written")
    try:
        info = real.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ClaimtrackError(f"cannot edit {shown}: it is not a regular file; nothing was written")
        if info.st_size > MAX_FILE_BYTES:
            raise ClaimtrackError(f"cannot edit {shown}: it is above the {MAX_FILE_BYTES:,}-byte limit of a claim "
                                  "file; nothing was written")
        raw = real.read_bytes()
    except OSError as error:
        raise ClaimtrackError(f"cannot read {shown}: {error.strerror or error}; nothing was written") from None
    text, encoding = decode(raw, shown)
    return _Target(path, real, text, encoding)


def _commit(folder: Path, path: Path, new_text: str, before: Report, target: _Target | None) -> Report:
    """Validate the edit like `check`, refuse new errors, else write it atomically (`target` None: a new file,
    which is never put over an existing one); return the new report."""
    after = analyze(folder, check=True, overrides={path.resolve(): new_text})
    old = Counter((p.code, p.message) for p in before.problems if p.severity == "error")
    new = [p for p in after.problems if p.severity == "error" and p.code not in _ALLOWED_NEW
           and not _seen(old, (p.code, p.message))]
    if new:
        raise EditRefused(f"refused: the edit of {display_path(path)} would bring in {len(new)} problem(s); "
                          "nothing was written", new)
    try:
        if target is None:
            if not create_new(path, new_text.encode("utf-8")):
                raise ClaimtrackError(f"{display_path(path)} exists already; nothing was written")
        else:
            write_atomic(target.real, target.encoding.encode(new_text))
    except OSError as error:  # a read-only folder, a full disk, a quota: the old file is untouched
        raise ClaimtrackError(f"cannot write {display_path(path)}: {error.strerror or error}; "
                              "nothing was written") from None
    return after


def _seen(counter: Counter[tuple[str, str]], key: tuple[str, str]) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def _check_text(fields: Mapping[str, Any]) -> None:
    """Arguments that are not UTF-8 (a byte the terminal could not decode arrives as a lone surrogate) are
    refused: no file could hold them."""
    for name, value in fields.items():
        texts = (value if isinstance(value, list) else [*value.keys(), *value.values()] if isinstance(value, dict)
                 else [value])
        if any(isinstance(text, str) and _SURROGATE.search(text) for text in texts):
            option = _OPTIONS.get(name, "--" + name.replace("_", "-"))
            raise ClaimtrackError(f"{option} is not valid UTF-8 text; nothing was written")


def _block(fields: Mapping[str, Any], keys: tuple[str, ...]) -> BlockMap:
    """The given fields in this key order as a mapping to write, without the empty ones."""
    mapping = BlockMap()
    for key in keys:
        value = fields.get(key)
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, str):
            mapping[key] = Quoted(value) if key in _QUOTED else value
        elif isinstance(value, list):
            mapping[key] = [str(item) for item in value]
        elif isinstance(value, dict):
            mapping[key] = {str(k): str(v) for k, v in value.items()}
        else:
            mapping[key] = str(value)
    return mapping


def add_claim(folder: Path, source_id: str, fields: Mapping[str, Any]) -> Edited:
    """Append a claim (topic, value, quote, id, as_of, attributed_to, qualifiers, note) to a source's file."""
    _check_text(fields)
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
        target = _open_for_edit(folder, source.path)
        document = Document(target.text, display_path(source.path))
        item = _block(fields, _CLAIM_KEYS)
        if not isinstance(document.data, dict):
            raise ClaimtrackError(f"cannot add to {display_path(source.path)}: it is not a mapping")
        expected = copy.deepcopy(document.data)
        claims = document.data.get("claims")
        pair = document.lookup(document.root, "claims")
        if pair is None:
            document.add_pair(document.root, "claims", BlockList([item]))
        elif claims is None or (claims == [] and pair[1].flow_style):
            document.set_value(document.root, pair[0], pair[1], BlockList([item]))
        elif isinstance(claims, list) and isinstance(pair[1], yaml.SequenceNode):
            document.append_item(pair[1], item)
        else:
            raise ClaimtrackError(f"cannot add to {display_path(source.path)}: its 'claims:' is not a list")
        expected["claims"] = [*(claims or []), item]
        after = _commit(folder, source.path, document.finish(expected), before, target)
        known_before = {claim.id for claim in dataset.claims}
        added = [c.id for c in after.dataset.claims if c.source == source_id and c.id not in known_before]
        return Edited(source.path, after, added[0] if added else None)


def add_source(folder: Path, fields: Mapping[str, Any], file: Path | None = None) -> Edited:
    """Create a source file (default `sources/ID.yaml` when the folder has a sources/ sub-folder, else `ID.yaml`)."""
    _check_text(fields)
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
        if os.path.lexists(file):
            raise ClaimtrackError(f"{display_path(file)} exists already; nothing was written")
        text = new_file(BlockMap(source=_block(fields, _SOURCE_KEYS), claims=[]))
        after = _commit(folder, file, text, before, None)
        return Edited(file, after)


def add_topic(folder: Path, key: str, fields: Mapping[str, Any]) -> Edited:
    """Register a topic at the end of topics.yaml."""
    _check_text({"key": key, **fields})
    with folder_lock(folder):
        before = analyze(folder, check=True)
        if key in before.dataset.topics:
            raise ClaimtrackError(f"topic {key!r} exists already ({before.dataset.topics[key].location})")
        path = folder / TOPICS_FILE
        entry = _block(fields, _TOPIC_KEYS)
        if not os.path.lexists(path):
            text = new_file(BlockMap(topics=BlockMap({key: entry})))
            return Edited(path, _commit(folder, path, text, before, None), topic_key=key)
        target = _open_for_edit(folder, path)
        shown = display_path(path)
        document = Document(target.text, shown)
        pair = document.lookup(document.root, "topics")
        if pair is None or not isinstance(document.data, dict):
            raise ClaimtrackError(f"{shown} has no 'topics:' mapping to add to")
        topics = document.data.get("topics")
        key_node, value_node = pair
        if isinstance(topics, dict) and key in topics:
            raise ClaimtrackError(f"topic {key!r} is in {shown} already, with problems (run `claimtrack check`)")
        if isinstance(value_node, yaml.MappingNode) and value_node.value:
            document.add_pair(value_node, key, entry)
        elif topics is None or topics == {}:
            document.set_value(document.root, key_node, value_node, BlockMap({key: entry}))
        else:
            raise ClaimtrackError(f"{shown} has no 'topics:' mapping to add to")
        expected = copy.deepcopy(document.data)
        expected["topics"] = {**(topics or {}), key: entry}
        after = _commit(folder, path, document.finish(expected), before, target)
        return Edited(path, after, topic_key=key)


def resolve(folder: Path, topic_word: str, status: str, note: str, preferred: str | None = None) -> Edited:
    """Record a resolution that covers every claim now taking part in the topic's conflict. A resolution there
    already is edited key by key: what stays the same keeps its spelling, covered claims keep their lines."""
    _check_text({"note": note, "preferred": preferred})
    with folder_lock(folder):
        before = analyze(folder, check=True)
        topic = find_topic(topic_word, before.dataset.topics)
        conflict = before.conflicts.get(topic.key)
        if conflict is None:
            raise ClaimtrackError(f"topic {topic.key!r} has no conflict to resolve")
        path = topic.location.path
        shown = display_path(path)
        target = _open_for_edit(folder, path)
        document = Document(target.text, shown)
        topics_pair = document.lookup(document.root, "topics")
        entry_pair = document.lookup(topics_pair[1], topic.key) if topics_pair else None
        data = document.data
        if entry_pair is None or not isinstance(entry_pair[1], yaml.MappingNode) or not entry_pair[1].value:
            raise ClaimtrackError(f"cannot find topic {topic.key!r} as a mapping in {shown}; nothing was written")
        # what the verdict settles: each claim in the conflict with its value now (a later change re-opens it)
        values = {claim.id: claim.value for claim in conflict.claims}
        covers = {claim_id: values[claim_id] for claim_id in sorted(conflict.claim_ids)}
        wanted = {"status": status, "preferred": preferred, "note": note}
        expected = copy.deepcopy(data)
        entry = expected["topics"][topic.key]
        entry["resolution"] = _edit_resolution(document, entry_pair[1], entry.get("resolution"), wanted, covers)
        after = _commit(folder, path, document.finish(expected), before, target)
        return Edited(path, after, topic_key=topic.key)


def _edit_resolution(document: Document, entry: Any, old: Any, wanted: dict[str, str | None],
                     covers: dict[str, str]) -> dict[str, Any]:
    """Plan the edit of a topic entry's resolution; returns the resolution as it will read. `covers` maps each
    settled claim to its value; it is written as a block mapping (`claim-id: "value"`)."""
    settled = BlockMap({claim_id: Quoted(value) for claim_id, value in covers.items()})
    fresh = BlockMap({k: v for k, v in wanted.items() if v is not None})
    fresh["covers"] = settled
    pair = document.lookup(entry, "resolution")
    if pair is None:
        document.add_pair(entry, "resolution", fresh)
        return fresh
    key_node, node = pair
    if entry.flow_style or not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        if not (old is None or isinstance(old, dict)):
            raise ClaimtrackError(f"cannot edit {document.shown}: the topic's 'resolution:' is not a mapping; "
                                  "nothing was written")
        document.set_value(entry, key_node, node, fresh)
        return fresh
    result = dict(old)
    # covers first: what is added at the end of the mapping then follows its items
    found = document.lookup(node, "covers")
    old_covers = result.get("covers")
    if found is None:
        document.add_pair(node, "covers", settled)
        result["covers"] = dict(covers)
    elif (isinstance(found[1], yaml.MappingNode) and not found[1].flow_style and found[1].value
          and isinstance(old_covers, dict)):
        # a settled mapping already: pairs still settled as they are keep their lines
        kept: dict[str, str] = {}
        for pair_key, pair_value in list(found[1].value):
            claim_id = pair_key.value if isinstance(pair_key, yaml.ScalarNode) else None
            if claim_id not in covers or claim_id in kept:
                document.delete_pair(pair_key, pair_value)
                continue
            if old_covers.get(claim_id) != covers[claim_id]:
                document.set_value(found[1], pair_key, pair_value, Quoted(covers[claim_id]))
            kept[claim_id] = covers[claim_id]
        for claim_id, settled_value in covers.items():
            if claim_id not in kept:
                document.add_pair(found[1], claim_id, Quoted(settled_value))
                kept[claim_id] = settled_value
        result["covers"] = kept
    else:  # a list of ids (the older form), a flow mapping, a null: written anew as the settled mapping
        document.set_value(node, found[0], found[1], settled)
        result["covers"] = dict(covers)
    for key, value in wanted.items():
        found = document.lookup(node, key)
        if value is None:
            if found is not None:
                document.delete_pair(*found)
                result.pop(key, None)
        elif found is None:
            document.add_pair(node, key, value)
            result[key] = value
        elif result.get(key) != value:
            document.set_value(node, found[0], found[1], value)
            result[key] = value
    return result
