"""Authoring: add a claim, a source or a topic, record a resolution, and change what is written (edit or
remove a claim, rename or merge topics) — validated with the same rules as `check` before anything is
written, then written atomically under the claims folder's lock.

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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from claimtrack.dataset import Topic, claim_local_ids, find_topic, suggest_topics
from claimtrack.errors import ClaimtrackError, Problem
from claimtrack.loader import MAX_FILE_BYTES, TOPICS_FILE, display_path, find_files
from claimtrack.models import did_you_mean, is_slug
from claimtrack.report import Report, analyze
from claimtrack.writer import PartlyReplaced, create_new, write_atomic, write_atomic_many
from claimtrack.yamledit import BlockList, BlockMap, Document, EditFailed, FileEncoding, Node, Quoted, decode, new_file

LOCK_NAME = ".claimtrack.lock"
# Findings that an edit may bring in: they are what the user is told about afterwards, not refusals.
_ALLOWED_NEW = {"unresolved-conflict", "stale-resolution", "near-duplicate-topic"}
_CLAIM_KEYS = ("id", "topic", "value", "quote", "as_of", "attributed_to", "qualifiers", "note")
_SOURCE_KEYS = ("id", "title", "publisher", "author", "published", "url", "type", "text", "based_on", "note")
_TOPIC_KEYS = ("title", "kind", "unit", "aliases", "tolerance", "approx", "similarity", "note")
_QUOTED = frozenset({"value", "quote", "title"})  # always in double quotes: `1,344 km`, `46%` stay text everywhere
_OPTIONS = {"qualifiers": "--qualifier", "aliases": "--alias", "based_on": "--based-on", "key": "the topic key",
            "new": "the new topic key", "into": "the topic key to merge into"}
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
    _refuse_new_errors(before, after, f"the edit of {display_path(path)}")
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


def _refuse_new_errors(before: Report, after: Report, what: str,
                       translate: Callable[[str], str] | None = None) -> None:
    """EditRefused when `after` holds an error that `before` did not (by code and message; `translate` turns
    an old message into what it says after a rename). Conflicts and the other _ALLOWED_NEW findings are not
    refusals."""
    old = Counter((p.code, translate(p.message) if translate else p.message)
                  for p in before.problems if p.severity == "error")
    new = [p for p in after.problems if p.severity == "error" and p.code not in _ALLOWED_NEW
           and not _seen(old, (p.code, p.message))]
    if new:
        hint = (" (a resolution prefers a value this edit takes away: record the resolution again without "
                "--preferred first, with claimtrack resolve)" if any(p.code == "invalid-preferred" for p in new)
                else "")
        raise EditRefused(f"refused: {what} would bring in {len(new)} problem(s); nothing was written{hint}", new)


def _new_findings(before: Report, after: Report, translate: Callable[[str], str] | None = None) -> tuple[Problem, ...]:
    """What `check` says after an edit that it did not say before: warnings, and the errors an edit may bring in
    (conflicts are left to the command, which shows them or the topics' new status)."""
    old = Counter((p.code, translate(p.message) if translate else p.message) for p in before.problems)
    return tuple(p for p in after.problems
                 if p.code != "unresolved-conflict" and not _seen(old, (p.code, p.message)))


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


# ------------------------------------------------------------------------------- changing what is written
#
# edit, remove, rename-topic and merge-topics change claims and topics that exist. Each plans its edits with
# the same splices (one _Plan a file), checks the folder as it would be with every file's new text at once,
# refuses any new error, and only then writes: several files through write_atomic_many, topics.yaml first.
#
# Claim ids. A claim without `id:` is known by its topic key (KEY, KEY-2, … in file order), so an edit can
# change ids it does not mean to: removing the first of two such claims would give the second the first's id.
# These commands never let that happen silently: a claim whose id an edit would change gets `id:` written
# with the id it had (`_keep_ids`). The one exception is rename-topic, where the renamed topic's claims are
# meant to follow the new key (unless --keep-ids); every `covers` entry naming a changed id is rewritten.

_EDITABLE = ("value", "quote", "as_of", "attributed_to", "note")
_REMOVABLE = frozenset({"as_of", "attributed_to", "note"})


@dataclass(frozen=True)
class Changed:
    """What a change of existing claims or topics did, for the command to tell."""

    paths: tuple[Path, ...]  # the files written, in the order written (none: there was nothing to change)
    before: Report
    report: Report  # the folder after the edit
    notes: tuple[str, ...] = ()  # what was done
    warnings: tuple[str, ...] = ()  # what the user must look at
    findings: tuple[Problem, ...] = ()  # what `check` says now that it did not say before
    claim_id: str | None = None
    topic_key: str | None = None


@dataclass
class _Plan:
    """One file's edit being planned: the file as read, its nodes and splices, the data it will hold."""

    target: _Target
    document: Document
    expected: Any

    @property
    def changed(self) -> bool:
        return bool(self.document.splices)


def _plan(folder: Path, path: Path) -> _Plan:
    target = _open_for_edit(folder, path)
    document = Document(target.text, display_path(path))
    return _Plan(target, document, copy.deepcopy(document.data))


def _commit_many(folder: Path, before: Report, plans: list[_Plan], what: str,
                 translate: Callable[[str], str] | None = None) -> Report:
    """Every file's new text checked as one folder, new errors refused with nothing written; else the files
    are written (write_atomic_many: all prepared before any is replaced, in the order given)."""
    texts = [(plan, plan.document.finish(plan.expected)) for plan in plans]
    after = analyze(folder, check=True, overrides={plan.target.path.resolve(): text for plan, text in texts})
    _refuse_new_errors(before, after, what, translate)
    shown = {plan.target.real: display_path(plan.target.path) for plan in plans}
    try:
        write_atomic_many([(plan.target.real, plan.target.encoding.encode(text)) for plan, text in texts])
    except PartlyReplaced as partial:
        done = ", ".join(str(shown.get(path, path)) for path in partial.replaced)
        raise ClaimtrackError(f"cannot write {shown.get(partial.failed, partial.failed)}: "
                              f"{partial.error.strerror or partial.error}; {done} written already, the rest not: "
                              "run the same command again to finish") from None
    except OSError as error:  # while writing the new texts, before any file was replaced
        where = Path(error.filename).parent if error.filename else folder
        raise ClaimtrackError(f"cannot write in {display_path(where)}: {error.strerror or error}; "
                              "nothing was written") from None
    return after


def _registry(folder: Path) -> Path | None:
    return find_files(folder)[0]


# ------------------------------------------------------------------------------------------- claims by id

@dataclass
class _ClaimAt:
    """A claim as written: its file's plan, the `claims:` sequence node, its index and node there."""

    plan: _Plan
    source_id: str
    sequence: Node
    index: int
    item: Node


def _find_claim(folder: Path, before: Report, claim_id: str) -> _ClaimAt:
    """A claim by its full id, found as the loader numbers it — also one whose value or topic is in error."""
    source_id, slash, local = claim_id.partition("/")
    if not slash or not source_id or not local or "/" in local:
        raise ClaimtrackError(f"{claim_id!r} is not a claim id: write SOURCE-ID/CLAIM-ID (e.g. alpha/border-length)")
    dataset = before.dataset
    known = [claim.id for claim in dataset.claims]
    source = dataset.sources.get(source_id)
    if source is None:
        raise ClaimtrackError(f"unknown claim {claim_id!r}: there is no source {source_id!r}"
                              f"{did_you_mean(claim_id, known) or did_you_mean(source_id, list(dataset.sources))}")
    plan = _plan(folder, source.path)
    data, document = plan.document.data, plan.document
    claims = data.get("claims") if isinstance(data, dict) else None
    pair = document.lookup(document.root, "claims")
    ids = claim_local_ids(claims) if isinstance(claims, list) else []
    if local not in ids:
        here = [f"{source_id}/{i}" for i in ids if i]
        hint = did_you_mean(claim_id, here) or did_you_mean(claim_id, known)
        raise ClaimtrackError(f"unknown claim {claim_id!r}{hint}")
    index = ids.index(local)
    if pair is None or not isinstance(pair[1], yaml.SequenceNode) or len(pair[1].value) != len(ids):
        raise EditFailed(f"cannot edit {display_path(source.path)}: its 'claims:' list cannot be spliced; "
                         "make this edit by hand; nothing was written")
    return _ClaimAt(plan, source_id, pair[1], index, pair[1].value[index])


def _keep_ids(plan: _Plan, source_id: str, sequence: Node, origins: list[int],
              pin: Callable[[int], bool]) -> tuple[dict[str, str | None], list[str]]:
    """After the `claims:` list of `plan` was edited (plan.expected's list is the new one; origins[j] is the old
    index of new item j): every claim `pin` names (by old index) whose id the edit would change gets `id:`
    written with the id it had. Returns the ids that change anyway (old full id -> new one, or None for a claim
    gone) and the full ids kept by writing them."""
    old_list = plan.document.data["claims"]
    new_list = plan.expected["claims"]
    before = claim_local_ids(old_list)
    kept: list[str] = []
    # ids are numbered in file order: the first claim that would change keeps its id, then the rest is
    # numbered again (a claim after it may be given its old id back by that), until none would change
    for _ in range(len(new_list) + 1):
        after = claim_local_ids(new_list)
        first = next((j for j, origin in enumerate(origins)
                      if before[origin] is not None and after[j] != before[origin] and pin(origin)
                      and isinstance(new_list[j], dict) and not new_list[j].get("id")), None)
        if first is None:
            break
        local = before[origins[first]]
        assert local is not None
        plan.document.add_pair(sequence.value[origins[first]], "id", local)
        new_list[first]["id"] = local
        kept.append(f"{source_id}/{local}")
    after = claim_local_ids(new_list)
    changes: dict[str, str | None] = {f"{source_id}/{local}": None for origin, local in enumerate(before)
                                      if local is not None and origin not in set(origins)}
    for j, origin in enumerate(origins):
        local = before[origin]
        if local is not None and after[j] != local:
            changes[f"{source_id}/{local}"] = f"{source_id}/{after[j]}" if after[j] else None
    return changes, kept


def _rewrite_covers(plan: _Plan, changes: Mapping[str, str | None],
                    skip: str | None = None) -> list[tuple[str, str, str | None]]:
    """Rewrite every resolution's `covers` entry (list or settled mapping, block or flow) naming a changed
    claim id; an entry of a claim that is gone goes (and `covers` with it when it would be empty). Returns
    (topic key, old id, new id or None) for each entry rewritten."""
    document = plan.document
    topics_pair = document.lookup(document.root, "topics")
    topics = plan.expected.get("topics") if isinstance(plan.expected, dict) else None
    if not changes or topics_pair is None or not isinstance(topics, dict):
        return []
    done: list[tuple[str, str, str | None]] = []
    for key_node, entry in topics_pair[1].value if isinstance(topics_pair[1], yaml.MappingNode) else ():
        key: str | None = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        entry_data = topics.get(key) if key is not None and key != skip else None
        resolution = entry_data.get("resolution") if isinstance(entry_data, dict) else None
        resolution_pair = document.lookup(entry, "resolution")
        if not isinstance(resolution, dict) or resolution_pair is None:
            continue
        covers_pair = document.lookup(resolution_pair[1], "covers")
        covers = resolution.get("covers")
        if covers_pair is None or not isinstance(covers, (list, dict)):
            continue
        node = covers_pair[1]
        if isinstance(node, yaml.MappingNode) and isinstance(covers, dict):
            entries = [(k, v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode) and isinstance(covers, list):
            entries = [(item, None) for item in node.value]
        else:
            continue
        hits = [(k, v) for k, v in entries if isinstance(k, yaml.ScalarNode) and k.value.strip() in changes]
        if not hits:
            continue
        renamed: Any
        if isinstance(covers, dict):
            renamed = {changes.get(i.strip(), i): value for i, value in covers.items()
                       if changes.get(i.strip(), i) is not None}
        else:
            renamed = [changes.get(str(i).strip(), i) for i in covers if changes.get(str(i).strip(), i) is not None]
        inner = resolution_pair[1]
        if not renamed and isinstance(inner, yaml.MappingNode) and not inner.flow_style:
            document.delete_pair(*covers_pair)
            resolution.pop("covers")
        elif node.flow_style or (inner.flow_style and len(renamed) < len(covers)):
            written = {k: Quoted(v) if isinstance(v, str) else v for k, v in renamed.items()} \
                if isinstance(renamed, dict) else renamed
            document.set_value(inner, covers_pair[0], node, written)
            resolution["covers"] = renamed
        else:
            for k, v in hits:
                new_id = changes[k.value.strip()]
                if new_id is None and isinstance(node, yaml.MappingNode):
                    document.delete_pair(k, v)
                elif new_id is None:
                    document.delete_item(k)
                else:
                    document.replace_node(k, new_id, flow=False)
            resolution["covers"] = renamed
        done += [(str(key), k.value.strip(), changes[k.value.strip()]) for k, _ in hits]
    return done


def _covered(before: Report, claim_ids: Mapping[str, Any]) -> bool:
    """Does any resolution name one of these claim ids?"""
    return any(topic.resolution is not None and not set(topic.resolution.covers).isdisjoint(claim_ids)
               for topic in before.dataset.topics.values())


def _shown_value(value: Any) -> str:
    return repr(value) if isinstance(value, str) else "a structured value" if isinstance(value, dict) else str(value)


def _kept_note(kept: list[str]) -> str:
    return (f"wrote `id:` into {_listed(kept)} so that {'it keeps its id' if len(kept) == 1 else 'they keep their ids'}"
            " (a claim without one is known by its topic key and its place in the file)")


def _listed(items: list[str], limit: int = 6) -> str:
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


# ------------------------------------------------------------------------------------------- edit, remove

def edit_claim(folder: Path, claim_id: str, changes: Mapping[str, str | None]) -> Changed:
    """Change fields of one claim in place (value, quote, as_of, attributed_to, note): only those given; an
    empty text removes an optional one."""
    _check_text(changes)
    given = {key: value for key, value in changes.items() if value is not None}
    if not given:
        raise ClaimtrackError("nothing to change: give --value, --quote, --as-of, --attributed-to or --note")
    with folder_lock(folder):
        before = analyze(folder, check=True)
        at = _find_claim(folder, before, claim_id)
        plan, item, document = at.plan, at.item, at.plan.document
        data = plan.expected["claims"][at.index]
        if not isinstance(item, yaml.MappingNode) or not isinstance(data, dict):
            raise ClaimtrackError(f"cannot edit {claim_id}: it is not a mapping; nothing was written")
        notes: list[str] = []
        for key in _EDITABLE:
            value = given.get(key)
            if value is None:
                continue
            found = document.lookup(item, key)
            old = data.get(key)
            if value == "" and key in _REMOVABLE:
                if found is None:
                    continue
                if item.flow_style:
                    raise ClaimtrackError(f"cannot remove {key} from {claim_id}: the claim is written on one line "
                                          "({…}); make this edit by hand; nothing was written")
                document.delete_pair(*found)
                data.pop(key, None)
                notes.append(f"removed {key} (it was {_shown_value(old)})")
                continue
            if old == value:
                continue
            written = Quoted(value) if key in _QUOTED else value
            if found is None:
                document.add_pair(item, key, written)
                notes.append(f"{key}: {value!r} (added)")
            elif isinstance(found[1], yaml.CollectionNode) and not found[1].flow_style and found[1].value:
                document.inline_block(found[0], found[1], written)  # a structured value becomes one line
                notes.append(f"{key}: {_shown_value(old)} -> {value!r}")
            else:
                document.set_value(item, found[0], found[1], written)
                notes.append(f"{key}: {_shown_value(old)} -> {value!r}")
            data[key] = value
        if not plan.changed:
            return Changed((), before, before, (f"{claim_id} says that already; nothing was written",),
                           claim_id=claim_id)
        after = _commit(folder, plan.target.path, document.finish(plan.expected), before, plan.target)
        return Changed((plan.target.path,), before, after, tuple(notes), tuple(_reopened(before, after, claim_id)),
                       _new_findings(before, after), claim_id)


def _reopened(before: Report, after: Report, claim_id: str) -> list[str]:
    """What an edit of this claim did to its topic's resolution (a settled value changed re-opens it)."""
    claim = next((c for c in after.dataset.claims if c.id == claim_id), None)
    topic = after.dataset.topics.get(claim.topic) if claim is not None else None
    if claim is None or topic is None or topic.resolution is None:
        return []
    said = []
    settled = topic.resolution.changed(claim)
    if settled is not None:
        said.append(f"topic {topic.key}: its resolution settled {claim_id} as {settled!r}, and the claim now says "
                    f"{claim.value!r}, so the verdict no longer holds for it; look at the topic again and record "
                    f"the resolution again (claimtrack resolve {topic.key})")
    was = before.status(topic.key) if topic.key in before.dataset.topics else None
    now = after.status(topic.key)
    if was is not None and was != now:
        said.append(f"topic {topic.key} is now {now} (it was {was})")
    return said


def remove_claim(folder: Path, claim_id: str) -> Changed:
    """Delete a claim's item from its source file (comments kept); a resolution covering it stops covering it."""
    with folder_lock(folder):
        before = analyze(folder, check=True)
        at = _find_claim(folder, before, claim_id)
        plan, sequence = at.plan, at.sequence
        shown = display_path(plan.target.path)
        if sequence.flow_style:
            raise ClaimtrackError(f"cannot remove {claim_id}: the 'claims:' list of {shown} is written in flow style "
                                  "([…]); make this edit by hand; nothing was written")
        if len(sequence.value) == 1:
            key_node, _ = plan.document.lookup(plan.document.root, "claims")  # type: ignore[misc]
            plan.document.inline_block(key_node, sequence, [])
        else:
            plan.document.delete_item(at.item)
        del plan.expected["claims"][at.index]
        origins = [index for index in range(len(sequence.value)) if index != at.index]
        changes, kept = _keep_ids(plan, at.source_id, sequence, origins, pin=lambda _: True)
        changes[claim_id] = None
        plans = [plan]
        dropped: list[tuple[str, str, str | None]] = []
        registry = _registry(folder)
        if registry is not None and _covered(before, changes):
            topics = _plan(folder, registry)
            dropped = _rewrite_covers(topics, changes)
            if topics.changed:
                plans.insert(0, topics)  # topics.yaml first: see _commit_many and docs/authoring.md
        after = _commit_many(folder, before, plans, f"removing {claim_id}")
        notes = [f"removed {claim_id} from {shown}"]
        if kept:
            notes.append(_kept_note(kept))
        for topic_key, old, _ in dropped:
            notes.append(f"{old} is no longer in the covers of topic {topic_key}'s resolution")
        warnings = [f"topic {key} is now {after.status(key)} (it was {before.status(key)})"
                    for key in dict.fromkeys(key for key, _, _ in dropped)
                    if key in after.dataset.topics and after.status(key) != before.status(key)]
        return Changed(tuple(p.target.path for p in plans), before, after, tuple(notes), tuple(warnings),
                       _new_findings(before, after), claim_id)


# ---------------------------------------------------------------------------------- rename, merge topics

@dataclass
class _Moved:
    """Claims moved from one topic key to another, over the source files."""

    plans: list[_Plan]
    claims: int
    changes: dict[str, str | None]  # claim ids that changed (old full id -> new)
    kept: list[str]  # ids kept by writing `id:`
    unread: list[Path]  # files that might hold such claims but cannot be read


def _move_claims(folder: Path, before: Report, old: str, new: str, pin: Callable[[bool], bool]) -> _Moved:
    """Rewrite `topic: OLD` to `topic: NEW` in every source file. `pin(on_old_topic)`: whether a claim keeps
    its id (by `id:` written) when the rewrite would change it."""
    ids_by_path = {source.path.resolve(): source.id for source in before.dataset.sources.values()}
    moved = _Moved([], 0, {}, [], [])
    for path in find_files(folder)[1]:
        try:
            target = _open_for_edit(folder, path)
        except ClaimtrackError:
            moved.unread.append(display_path(path))
            continue
        if old not in target.text:
            continue
        try:
            document = Document(target.text, display_path(path))
        except ClaimtrackError:
            moved.unread.append(display_path(path))
            continue
        data = document.data
        claims = data.get("claims") if isinstance(data, dict) else None
        pair = document.lookup(document.root, "claims")
        if not isinstance(claims, list) or pair is None or not isinstance(pair[1], yaml.SequenceNode) \
                or len(pair[1].value) != len(claims):
            continue
        hits = {index for index, raw in enumerate(claims) if isinstance(raw, dict)
                and isinstance(raw.get("topic"), str) and raw["topic"].strip() == old}
        if not hits:
            continue
        plan = _Plan(target, document, copy.deepcopy(data))
        for index in sorted(hits):
            item = pair[1].value[index]
            found = document.lookup(item, "topic")
            if found is None:
                raise EditFailed(f"cannot edit {document.shown}: the claim at line {item.start_mark.line + 1} "
                                 "cannot be spliced; make this edit by hand; nothing was written")
            document.replace_node(found[1], new, flow=bool(item.flow_style))
            plan.expected["claims"][index]["topic"] = new
        source = data.get("source")
        source_id = ids_by_path.get(path.resolve()) or (
            source["id"] if isinstance(source, dict) and isinstance(source.get("id"), str) else path.stem)
        changes, kept = _keep_ids(plan, source_id, pair[1], list(range(len(claims))),
                                  pin=lambda index: pin(index in hits))  # noqa: B023 — used at once
        moved.plans.append(plan)
        moved.claims += len(hits)
        moved.changes.update(changes)
        moved.kept += kept
    return moved


def _edit_aliases(document: Document, entry: Node, entry_data: dict[str, Any], add: list[str],
                  drop: set[str]) -> None:
    """Add names to a topic's aliases and drop others, in the list's own style."""
    current = entry_data.get("aliases")
    if current is not None and not isinstance(current, list):
        raise ClaimtrackError(f"cannot edit {document.shown}: a topic's 'aliases:' is not a list; nothing was written")
    current = list(current or [])
    wanted = [alias for alias in current if alias not in drop]
    wanted += [alias for alias in dict.fromkeys(add) if alias not in wanted]
    if wanted == current:
        return
    pair = document.lookup(entry, "aliases")
    if pair is None:
        document.add_pair(entry, "aliases", wanted)
    else:
        key_node, node = pair
        block = isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value and not entry.flow_style
        if not wanted and not entry.flow_style:
            document.delete_pair(key_node, node)
        elif block:
            for item, alias in zip(node.value, current, strict=True):
                if alias in drop:
                    document.delete_item(item)
            for alias in wanted:
                if alias not in current:
                    document.append_item(node, alias)
        else:
            document.set_value(entry, key_node, node, wanted)
    if wanted or entry.flow_style:
        entry_data["aliases"] = wanted
    else:
        entry_data.pop("aliases", None)


def _topic_entry(plan: _Plan, key: str) -> tuple[Node, Node, Node, dict[str, Any]]:
    """(the `topics:` mapping node, an entry's key node, its value node, its data) in topics.yaml."""
    document = plan.document
    topics_pair = document.lookup(document.root, "topics")
    entry_pair = document.lookup(topics_pair[1], key) if topics_pair else None
    entry_data = plan.expected.get("topics", {}).get(key) if isinstance(plan.expected, dict) else None
    if topics_pair is None or entry_pair is None or not isinstance(entry_pair[1], yaml.MappingNode) \
            or not isinstance(entry_data, dict):
        raise ClaimtrackError(f"cannot find topic {key!r} as a mapping in {document.shown}; nothing was written")
    return topics_pair[1], entry_pair[0], entry_pair[1], entry_data


def _key_words(old: str, new: str, ids: Mapping[str, str | None]) -> Callable[[str], str]:
    """A message about the old key and ids as it reads after they are renamed (to compare findings)."""
    pattern = re.compile("|".join([*(re.escape(i) for i in sorted(ids, key=len, reverse=True)),
                                   rf"(?<![\w./-]){re.escape(old)}(?![\w.-])"]))

    def after(match: re.Match[str]) -> str:
        return ids.get(match.group()) or new

    return lambda message: pattern.sub(after, message)


def _done_already(before: Report, old: str, new: str, command: str) -> Changed:
    """A rename or merge run again once it is complete: nothing to do. Else OLD is unknown."""
    topics = before.dataset.topics
    if new in topics and old in topics[new].aliases:
        said = f"nothing to do: {old} is an alias of topic {new}, and no claim is on {old} any more"
        return Changed((), before, before, (said,), topic_key=new)
    raise ClaimtrackError(f"unknown topic {old!r}: {command} takes a registered topic key",
                          tuple(suggest_topics(old, topics)))


def rename_topic(folder: Path, old: str, new: str, *, alias: bool = True, keep_ids: bool = False) -> Changed:
    """Rename a topic key everywhere: its registry key (the old key kept as an alias unless `alias` is False),
    every claim's `topic:`, every `covers` entry whose claim id changes. A rename that stopped half-way (the
    registry renamed, some source files not) is finished by running it again."""
    _check_text({"key": old, "new": new})
    if not is_slug(new):
        raise ClaimtrackError(f"the new key {new!r} must be a lower-case slug (letters, digits, '-', '_' or '.', "
                              "e.g. border-length); nothing was written")
    if new == old:
        raise ClaimtrackError(f"the topic is called {old!r} already; nothing was written")
    with folder_lock(folder):
        before = analyze(folder, check=True)
        topics = before.dataset.topics
        finishing = old not in topics
        if not finishing:
            if new in topics:
                raise ClaimtrackError(f"topic {new!r} exists already ({topics[new].location}); to join the two "
                                      f"topics, use claimtrack merge-topics {old} {new}; nothing was written")
            owner = next((t.key for t in topics.values() if t.key != old and new in t.aliases), None)
            if owner is not None:
                raise ClaimtrackError(f"{new!r} is an alias of topic {owner!r}; remove it there first, or choose "
                                      "another key; nothing was written")
        elif new not in topics:
            return _done_already(before, old, new, "rename-topic")
        moved = _move_claims(folder, before, old, new, pin=lambda on_topic: keep_ids or not on_topic)
        if finishing and not moved.claims:
            return _done_already(before, old, new, "rename-topic")
        plans = list(moved.plans)
        rewritten: list[tuple[str, str, str | None]] = []
        registry = _registry(folder)
        if registry is not None:
            topics_plan = _plan(folder, registry)
            rewritten = _rewrite_covers(topics_plan, moved.changes)
            if not finishing:
                mapping, key_node, entry, entry_data = _topic_entry(topics_plan, old)
                topics_plan.document.replace_node(key_node, new, flow=bool(mapping.flow_style))
                _edit_aliases(topics_plan.document, entry, entry_data, [old] if alias else [], {new})
                registered = topics_plan.expected["topics"]
                topics_plan.expected["topics"] = {(new if key == old else key): value
                                                  for key, value in registered.items()}
            if topics_plan.changed:
                plans.insert(0, topics_plan)
        changed_ids = {k: v for k, v in moved.changes.items() if v is not None}
        after = _commit_many(folder, before, plans, f"renaming topic {old!r} to {new!r}",
                             _key_words(old, new, changed_ids))
        notes = [f"finished an interrupted rename: {moved.claims} claim(s) still on {old} moved to {new}"
                 if finishing else f"renamed topic {old} to {new}"
                 f"{' (the old key is kept as an alias)' if alias else ''}: {moved.claims} claim(s) in "
                 f"{len(moved.plans)} file(s)"]
        if changed_ids:
            followed = [f"{a} -> {b}" for a, b in changed_ids.items()]
            notes.append(f"claim ids that follow the new key: {_listed(followed)}")
        if moved.kept:
            notes.append(_kept_note(moved.kept))
        if rewritten:
            notes.append(f"rewrote {len(rewritten)} covers entr{'y' if len(rewritten) == 1 else 'ies'} of "
                         f"resolutions ({_listed(sorted({key for key, _, _ in rewritten}))})")
        unread = _listed([str(p) for p in moved.unread])
        warnings = [f"not looked at, as they cannot be read (run claimtrack check): {unread}"] if moved.unread else []
        return Changed(tuple(p.target.path for p in plans), before, after, tuple(notes), tuple(warnings),
                       _new_findings(before, after, _key_words(old, new, changed_ids)), topic_key=new)


def _describe_topic(topic: Topic) -> str:
    if topic.kind != "quantity":
        return {"date": "a date", "text": "text", "boolean": "a yes or no"}.get(topic.kind, topic.kind)
    return f"a quantity in {topic.unit}" if topic.unit else "a count"


def _check_mergeable(source: Topic, into: Topic) -> None:
    """Refuse a merge that would change what the moved claims say (another kind, another unit)."""
    what = f"cannot merge {source.key!r} ({_describe_topic(source)}) into {into.key!r} ({_describe_topic(into)})"
    if source.kind != into.kind:
        raise ClaimtrackError(f"{what}: its claims would be read as another kind of value; nothing was written. "
                              "Merge topics of one kind; if the claims are about the same fact, add them again "
                              f"under {into.key} (claimtrack remove, claimtrack add)")
    if source.kind == "quantity" and source.unit != into.unit:
        a, b = source.scale.unit, into.scale.unit
        if a is not None and b is not None and a.dimension == b.dimension:
            raise ClaimtrackError(f"{what}: a value written without its unit would be read in {into.unit} instead "
                                  f"of {source.unit}; nothing was written. Set {source.key}'s unit to {into.unit} "
                                  "in topics.yaml first (and check the values that changes), then merge")
        raise ClaimtrackError(f"{what}: they measure different things, so its claims would change meaning; nothing "
                              f"was written. If they are one fact, add the claims again under {into.key} with "
                              "values in its unit (claimtrack remove, claimtrack add)")


def merge_topics(folder: Path, source_key: str, into_key: str) -> Changed:
    """Move every claim of topic SOURCE to INTO (ids kept), make SOURCE's key and aliases INTO's aliases and
    remove SOURCE's entry. SOURCE's resolution goes to INTO when INTO has none; else it is dropped, with a
    warning. A merge that stopped half-way is finished by running it again."""
    _check_text({"key": source_key, "into": into_key})
    if source_key == into_key:
        raise ClaimtrackError(f"cannot merge topic {source_key!r} into itself; nothing was written")
    with folder_lock(folder):
        before = analyze(folder, check=True)
        topics = before.dataset.topics
        if into_key not in topics:
            raise ClaimtrackError(f"unknown topic {into_key!r}: merge-topics takes registered topic keys",
                                  tuple(suggest_topics(into_key, topics)))
        finishing = source_key not in topics
        if not finishing:
            _check_mergeable(topics[source_key], topics[into_key])
        moved = _move_claims(folder, before, source_key, into_key, pin=lambda _: True)
        if finishing and not moved.claims:
            return _done_already(before, source_key, into_key, "merge-topics")
        plans = list(moved.plans)
        notes = [f"finished an interrupted merge: {moved.claims} claim(s) still on {source_key} moved to {into_key}"
                 if finishing else f"merged topic {source_key} into {into_key}: {moved.claims} claim(s) moved "
                 f"from {len(moved.plans)} file(s); {source_key} and its aliases are now aliases of {into_key}"]
        warnings: list[str] = []
        registry = _registry(folder)
        if not finishing and registry is not None:
            topics_plan = _plan(folder, registry)
            document = topics_plan.document
            mapping, source_node, source_entry, source_data = _topic_entry(topics_plan, source_key)
            _, _, into_entry, into_data = _topic_entry(topics_plan, into_key)
            if mapping.flow_style:
                raise ClaimtrackError(f"cannot edit {document.shown}: its 'topics:' is written in flow style "
                                      "({…}); make this edit by hand; nothing was written")
            _rewrite_covers(topics_plan, moved.changes, skip=source_key)
            document.delete_pair(source_node, source_entry)
            del topics_plan.expected["topics"][source_key]
            aliases = source_data.get("aliases")
            names = [source_key, *(a for a in aliases if isinstance(a, str))] if isinstance(aliases, list) \
                else [source_key]
            _edit_aliases(document, into_entry, into_data, [n for n in names if n != into_key], set())
            warnings += _move_resolution(document, into_entry, into_data, source_data, source_key, into_key, notes)
            differ = [name for name in ("approx", "tolerance", "similarity")
                      if source_data.get(name) != into_data.get(name)]
            if differ and moved.claims:
                notes.append(f"the moved claims are now read with {into_key}'s {', '.join(differ)} "
                             f"(they had {source_key}'s)")
            plans.insert(0, topics_plan)
        if moved.kept:
            notes.append(_kept_note(moved.kept))
        if moved.unread:
            warnings.append("not looked at, as they cannot be read (run claimtrack check): "
                            f"{_listed([str(p) for p in moved.unread])}")
        translate = _key_words(source_key, into_key, {})
        after = _commit_many(folder, before, plans, f"merging topic {source_key!r} into {into_key!r}", translate)
        if into_key in before.dataset.topics and before.status(into_key) != after.status(into_key):
            warnings.append(f"topic {into_key} is now {after.status(into_key)} (it was {before.status(into_key)})")
        return Changed(tuple(p.target.path for p in plans), before, after, tuple(notes), tuple(warnings),
                       _new_findings(before, after, translate), topic_key=into_key)


def _move_resolution(document: Document, into_entry: Node, into_data: dict[str, Any], source_data: dict[str, Any],
                     source_key: str, into_key: str, notes: list[str]) -> list[str]:
    """SOURCE's resolution goes to INTO when INTO has none (check then says whether it still holds for the
    merged topic); else it is dropped. Returns the warnings to give."""
    resolution = source_data.get("resolution")
    if not isinstance(resolution, dict) or not resolution:
        return []
    said = "; ".join(f"{key}: {resolution[key]!r}" for key in ("status", "preferred", "note")
                     if isinstance(resolution.get(key), str))
    if into_data.get("resolution") is not None:
        return [(f"dropped {source_key}'s resolution ({said}): {into_key} keeps its own, which does not cover "
                 f"the moved claims; look at the merged topic again (claimtrack show {into_key}) and record its "
                 f"resolution (claimtrack resolve {into_key})")]
    block = BlockMap({key: resolution[key] for key in ("status", "preferred", "note")
                      if isinstance(resolution.get(key), str)})
    covers = resolution.get("covers")
    if isinstance(covers, dict) and covers:
        block["covers"] = BlockMap({str(k): Quoted(str(v)) for k, v in covers.items()})
    elif isinstance(covers, list) and covers:
        block["covers"] = BlockList([str(k) for k in covers])
    document.add_pair(into_entry, "resolution", block)
    into_data["resolution"] = block
    notes.append(f"{source_key}'s resolution ({said}) is now {into_key}'s; check tells whether it still holds for "
                 "the merged topic")
    return []
