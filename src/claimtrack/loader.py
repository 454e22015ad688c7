"""Files stage: a claims folder -> YamlDoc(data, positions) per file; the only module that knows YAML.

Documents are built from libyaml's event stream (C speed) by a small iterative builder, which lets us
keep a line and column for every key, refuse tags and duplicate keys, and bound nesting and aliases.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack.errors import Location, Problem

TOPICS_FILE = "topics.yaml"
MAX_FILE_BYTES = 5 * 1024 * 1024  # a source file is a few kB; 5 MB is generous and bounds memory
MAX_DEPTH = 64  # claim files nest 4 deep; deeper is an attack or an accident
MAX_EXPANDED_NODES = 1_000_000  # aliases may share data but not multiply it past this

KeyPath = tuple[str | int, ...]
_CORE_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {None, "!"} | {_CORE_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class YamlDoc:
    """One parsed YAML file: plain data plus the position of every key and item."""

    path: Path
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(repr=False)

    def location(self, keypath: KeyPath = ()) -> Location:
        """The location of `keypath`, or of its nearest ancestor that has one."""
        for end in range(len(keypath), -1, -1):
            found = self.positions.get(keypath[:end])
            if found is not None:
                return Location(self.path, *found)
        return Location(self.path)


class _Abort(Exception):
    """The document cannot be built further; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def display_path(path: Path) -> Path:
    """Paths are shown relative to the working directory when they lie below it (as CI annotations need)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def find_files(folder: Path) -> tuple[Path | None, list[Path], list[Problem]]:
    """topics.yaml and every other *.yaml/*.yml below `folder` (hidden folders skipped, sorted)."""
    root = folder.resolve()
    problems: list[Problem] = []
    topics: Path | None = None
    sources: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_symlink() and not _is_within(path.resolve(), root):
                problems.append(
                    Problem(
                        Location(display_path(path)),
                        "outside-folder",
                        f"refusing a symlink that points outside the claims folder ({path.resolve()})",
                    )
                )
                continue
            if Path(dirpath) == folder and name == TOPICS_FILE:
                topics = path
            else:
                sources.append(path)
    return topics, sources, problems


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_yaml(path: Path, text: str | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one file. Returns (None, problems) when nothing usable could be read."""
    shown = display_path(path)
    if text is None:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                message = f"file is {size:,} bytes, above the {MAX_FILE_BYTES:,}-byte limit for a claim file"
                return None, [Problem(Location(shown), "file-too-large", message)]
            raw = path.read_bytes()
        except OSError as error:
            return None, [Problem(Location(shown), "unreadable-file", f"cannot read file: {error.strerror or error}")]
        decoded = decode_bytes(raw, shown)
        if isinstance(decoded, Problem):
            return None, [decoded]
        text = decoded
    return parse_yaml(text, shown)


def decode_bytes(raw: bytes, shown: Path) -> str | Problem:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; NUL bytes are refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return Problem(Location(shown), "not-utf8", "file starts with a UTF-16 byte-order mark but is not valid UTF-16")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return Problem(
            Location(shown, line, column),
            "not-utf8",
            f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8",
        )
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        return Problem(Location(shown, line, nul - text.rfind("\n", 0, nul)), "not-utf8", "file contains a NUL byte")
    return text


def parse_yaml(text: str, shown: Path) -> tuple[YamlDoc | None, list[Problem]]:
    """Build plain data (dict, list, str, None) and key positions from YAML text."""
    import yaml  # lazy: keeps `claimtrack --help` fast

    builder = _Builder(shown)
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            builder.feed(event)
    except _Abort as abort:
        return None, [*builder.problems, abort.problem]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        message = " ".join(part for part in (error.context, error.problem) if part)
        if mark and "\t" in _line_at(text, mark.line)[: mark.column + 1]:
            message += " (YAML does not allow tabs for indentation: use spaces)"
        return None, [*builder.problems, Problem(where, "yaml-syntax", f"YAML syntax error: {message}")]
    except yaml.reader.ReaderError as error:  # a character YAML does not allow; it carries an offset, not a line
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        character = chr(error.character) if isinstance(error.character, int) else error.character
        return None, [*builder.problems, Problem(Location(shown, line, column), "yaml-syntax",
                                                 f"{'control ' if character.isprintable() is False else ''}character {character!r} "
                                                 "is not allowed in YAML")]
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, [*builder.problems, Problem(Location(shown), "yaml-syntax", f"YAML error: {first_line}")]
    return YamlDoc(shown, builder.root, builder.positions), builder.problems


def _line_at(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: KeyPath
    anchor: str | None
    size: int = 1
    key: str | None = None  # mappings: the key waiting for its value
    key_mark: tuple[int, int] | None = None
    skip: bool = False  # the pending key is a duplicate: build its value but drop it


class _Builder:
    """Turns a libyaml event stream into plain data, iteratively (no recursion limit to hit)."""

    def __init__(self, shown: Path) -> None:
        self.shown = shown
        self.root: Any = None
        self.positions: dict[KeyPath, tuple[int, int]] = {(): (1, 1)}
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0
        self.documents = 0

    def _where(self, event: Any) -> Location:
        return Location(self.shown, event.start_mark.line + 1, event.start_mark.column + 1)

    def feed(self, event: Any) -> None:
        kind = type(event).__name__
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise _Abort(Problem(self._where(event), "yaml-syntax", "more than one YAML document in the file"))
        elif kind == "ScalarEvent":
            self._check_tag(event)
            plain = event.style in (None, "") and event.implicit[0]
            value = None if plain and event.value in _NULLS else event.value
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._add(event, value, 1)
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            self._check_tag(event)
            if len(self.stack) >= MAX_DEPTH:
                raise _Abort(Problem(self._where(event), "too-deep", f"nesting deeper than {MAX_DEPTH} levels"))
            container: dict[str, Any] | list[Any] = {} if kind == "MappingStartEvent" else []
            path = self._child_path(event)
            if event.anchor:
                self.open_anchors.add(event.anchor)
            self.stack.append(_Frame(container, path, event.anchor))
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            frame = self.stack.pop()
            if frame.anchor:
                self.open_anchors.discard(frame.anchor)
                self.anchors[frame.anchor] = (frame.container, frame.size)
            self._place(frame.container, frame.size, frame.path)
        elif kind == "AliasEvent":
            if event.anchor in self.open_anchors:
                raise _Abort(Problem(self._where(event), "yaml-alias", f"alias *{event.anchor} refers to itself"))
            if event.anchor not in self.anchors:
                raise _Abort(Problem(self._where(event), "yaml-alias", f"unknown alias *{event.anchor}"))
            value, size = self.anchors[event.anchor]
            self.expanded += size
            if self.expanded > MAX_EXPANDED_NODES:
                message = f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb?)"
                raise _Abort(Problem(self._where(event), "yaml-alias", message))
            self._add(event, value, size)

    def _check_tag(self, event: Any) -> None:
        if event.tag not in _ALLOWED_TAGS:
            message = f"YAML tag {event.tag!r} is not allowed: claim files hold plain data only"
            raise _Abort(Problem(self._where(event), "yaml-tag", message))

    def _child_path(self, event: Any) -> KeyPath:
        """The key path of a node starting now (used for containers before they are complete)."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.container, list):
            path = (*parent.path, len(parent.container))
            self.positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
            return path
        if parent.key is None:
            raise _Abort(Problem(self._where(event), "yaml-syntax", "a mapping key must be a plain value"))
        return (*parent.path, parent.key)

    def _add(self, event: Any, value: Any, size: int) -> None:
        """A scalar or alias: either the key a mapping waits for, or a value."""
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.key is None:
            self._take_key(event, value)
        else:
            self._place(value, size, self._child_path(event))

    def _take_key(self, event: Any, value: Any) -> None:
        frame = self.stack[-1]
        if not isinstance(value, str):  # a null key, or an alias used as a key
            if value is not None:
                raise _Abort(Problem(self._where(event), "yaml-syntax", "a mapping key must be a plain value"))
            value = ""
        assert isinstance(frame.container, dict)
        frame.key = value
        frame.key_mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        frame.skip = value in frame.container
        if frame.skip:
            first = self.positions.get((*frame.path, value))
            where = f" (first at line {first[0]})" if first else ""
            self.problems.append(
                Problem(self._where(event), "duplicate-key", f"duplicate key {value!r}{where}; the first one is kept")
            )

    def _place(self, value: Any, size: int, path: KeyPath) -> None:
        self.expanded += 1
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.container, list):
            parent.container.append(value)
            return
        if not parent.skip:
            assert parent.key is not None and parent.key_mark is not None
            parent.container[parent.key] = value
            self.positions[path] = parent.key_mark
        parent.key = None
        parent.skip = False
