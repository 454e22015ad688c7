"""Files stage: a claims folder -> YamlDoc(data, positions) per file; the only module that knows YAML.

Most files are read by yaml-rs (the fast path) and located by a line scan checked against the data; any
text the two parsers might read differently, and every error, goes to a small iterative builder over
libyaml's event stream, which keeps a line and column for every key, refuses tags and duplicate keys, and
bounds nesting and aliases.
"""

from __future__ import annotations

import os
import re
import stat
from array import array
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


class Positions:
    """Line and column of every key and item of one file.

    A claim file in the usual block layout is located as it is read, by a quick scan that finds the keys a
    claim file has (top-level keys, the keys of `source:`, each claim's keys). Any other key, and any other
    layout, is located by the positional builder, which reads the text again only when a location is first
    asked for. Pickled (for the cache) without the text: it is read again from `source` if needed.
    """

    def __init__(self, shown: Path, text: str | None,
                 found: dict[KeyPath, tuple[int, int]] | _Scanned | _Packed | None = None,
                 source: str | None = None) -> None:
        self.shown = shown
        # the absolute path to read the text from again, when it is gone (a string: unpickling ten thousand
        # Path objects costs a tenth of a second)
        self.source = source
        self._text = text
        self._found: dict[KeyPath, int] | _Packed | None = (
            _compact(found) if isinstance(found, dict) and not isinstance(found, _Scanned) else found)
        self.located_now = False  # worked out after reading, in this process: the cache keeps them

    def __getstate__(self) -> dict[str, Any]:
        return {"shown": self.shown, "source": self.source, "_text": None, "_found": self._found}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # each file is pickled on its own: share key paths and shapes between files again
        found = state["_found"]
        if isinstance(found, _Packed):
            top, source, claims = found.shape
            shape = (top, source, tuple(_CLAIM_KEYS.setdefault(keys, keys) for keys in claims))
            found.shape = _SHAPES.setdefault(shape, shape)
        elif found is not None and not isinstance(found, _Scanned):
            state["_found"] = {shared_keypath(k): v for k, v in found.items()}
        self.__dict__.update(state, located_now=False)

    def location(self, keypath: KeyPath = ()) -> Location:
        """The location of `keypath`, or of its nearest ancestor that has one."""
        found = self._found
        at = found.get(keypath) if found is not None else None
        if at is not None:  # the usual case: a claim or one of its keys
            return Location(self.shown, at >> 20, at & 0xFFFFF)
        if found is None or isinstance(found, (_Packed, _Scanned)):
            found = self._locate_precisely()  # a scan knows the usual keys; the builder knows them all
        for end in range(len(keypath), -1, -1):
            at = found.get(keypath[:end])
            if at is not None:
                return Location(self.shown, at >> 20, at & 0xFFFFF)
        return Location(self.shown)

    def _locate_precisely(self) -> dict[KeyPath, int]:
        text = self._text
        if text is None and self.source is not None:
            try:
                with open(self.source, "rb") as handle:
                    decoded = decode_bytes(handle.read(), self.shown)
                text = decoded if isinstance(decoded, str) else None
            except OSError:
                text = None
        found = self._found = _compact(_precise(text, self.shown)[0].positions if text is not None else {})
        self.located_now = True
        self._text = None if self.source is not None else text  # text given in memory is kept
        return found


class _Packed:
    """The positions a scan found, as one array in the order the file's shape gives (its keys in document
    order, then each claim's): a tenth of the memory of a dictionary of integers (a 100,000-claim folder has
    a million positions)."""

    __slots__ = ("shape", "values")

    def __init__(self, shape: Shape, values: array[int]) -> None:
        self.shape = shape
        self.values = values

    def keypaths(self) -> list[KeyPath]:
        """The key path of each value, in order."""
        top, source, claims = self.shape
        order: list[KeyPath] = [(), *((key,) for key in top), *(("source", key) for key in source)]
        for index, keys in enumerate(claims):
            order += [("claims", index), *(("claims", index, key) for key in keys)]
        return order

    def get(self, keypath: KeyPath) -> int | None:
        offset = self._offset(keypath)
        return None if offset is None else self.values[offset]

    def __contains__(self, keypath: object) -> bool:
        return isinstance(keypath, tuple) and self._offset(keypath) is not None

    def _offset(self, keypath: KeyPath) -> int | None:
        top, source, claims = self.shape
        if not keypath:
            return 0
        head = keypath[0]
        if len(keypath) == 1:
            return 1 + top.index(head) if head in top else None
        base = 1 + len(top)
        if head == "source" and len(keypath) == 2:
            return base + source.index(keypath[1]) if keypath[1] in source else None
        index = keypath[1]
        if head != "claims" or not isinstance(index, int) or not 0 <= index < len(claims) or len(keypath) > 3:
            return None
        base += len(source) + _claim_offsets(self.shape)[index]
        if len(keypath) == 2:
            return base
        keys = claims[index]
        return base + 1 + keys.index(keypath[2]) if keypath[2] in keys else None


def _claim_offsets(shape: Shape) -> tuple[int, ...]:
    """Where each claim's values start among a shape's claim values (looked up for every claim shown)."""
    kept = _OFFSETS.get(id(shape))
    if kept is None or kept[0] is not shape:
        offsets, start = [], 0
        for keys in shape[2]:
            offsets.append(start)
            start += 1 + len(keys)
        kept = _OFFSETS[id(shape)] = (shape, tuple(offsets))  # holding the shape keeps its id its own
    return kept[1]


_OFFSETS: dict[int, tuple[Shape, tuple[int, ...]]] = {}  # by shape: shapes are shared (see _shape)
_KEYPATHS: dict[KeyPath, KeyPath] = {}  # one tuple per distinct key path, shared by every file


def shared_keypath(keypath: KeyPath) -> KeyPath:
    """The one tuple kept for this key path."""
    return _KEYPATHS.setdefault(keypath, keypath)


def _compact(found: dict[KeyPath, tuple[int, int]]) -> dict[KeyPath, int]:
    """Positions as one integer each under shared key tuples: a 100,000-claim folder holds a million of them."""
    return {shared_keypath(key): _pack(*at) for key, at in found.items()}


def _pack(line: int, column: int) -> int:
    """(line, column) as one integer; Positions.location unpacks it."""
    return (line << 20) | min(column, 0xFFFFF)


@dataclass(frozen=True)
class YamlDoc:
    """One parsed YAML file: plain data, and where each key and item is."""

    path: Path
    data: Any
    positions: Positions = field(repr=False)

    def location(self, keypath: KeyPath = ()) -> Location:
        """The location of `keypath`, or of its nearest ancestor that has one."""
        return self.positions.location(keypath)


class _Abort(Exception):
    """The document cannot be built further; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def display_path(path: Path) -> Path:
    """Paths are shown relative to the working directory when they lie below it (as CI annotations need).
    Lexically, as Path.relative_to does, on strings: it runs for every file."""
    text = str(path)
    if not os.path.isabs(text):
        return path
    cwd = os.getcwd()
    if text == cwd:
        return Path(".")
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return Path(text[len(prefix):]) if text.startswith(prefix) else path


def find_files(folder: Path) -> tuple[Path | None, list[Path], list[Problem]]:
    """topics.yaml and every other *.yaml/*.yml below `folder` (hidden folders skipped, sorted)."""
    topics, sources, outside, unreadable = walk_folder(folder)
    problems = [Problem(Location(display_path(Path(path))), "outside-folder",
                        f"refusing a symlink that points outside the claims folder ({Path(path).resolve()})"
                        + (": a folder, none of whose files are read" if os.path.isdir(path) else ""))
                for path in outside]
    problems += [Problem(Location(display_path(Path(path))), "unreadable-file",
                         f"cannot read folder: {reason}; none of its files are read") for path, reason in
                 (entry.split("\0", 1) for entry in unreadable)]
    return (Path(topics) if topics else None), [Path(path) for path in sources], problems


def walk_folder(folder: Path) -> tuple[str | None, list[str], list[str], list[str]]:
    """(topics.yaml, source files, symlinks leading outside: to YAML files or to folders, folders that cannot
    be listed as "PATH\\0REASON") as path strings, in a stable order. A folder that cannot be listed is never
    passed over without a word: its files would go unjudged.

    Plain strings and os.scandir: the cache runs this on every call, for ten thousand files.
    """
    root = os.path.realpath(folder)
    topics: str | None = None
    sources: list[str] = []
    outside: list[str] = []
    unreadable: list[str] = []
    pending = [str(folder)]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            unreadable.append(f"{directory}\0{error.strerror or error}")
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.path)
            elif entry.is_symlink() and entry.is_dir():
                # never followed: one inside is read under its own names; one outside would be left unread
                # without a word, so it is refused like a file
                if not _is_within(Path(os.path.realpath(entry.path)), Path(root)):
                    outside.append(entry.path)
            elif entry.name.endswith((".yaml", ".yml")):
                if entry.is_symlink() and not _is_within(Path(os.path.realpath(entry.path)), Path(root)):
                    outside.append(entry.path)
                elif directory == str(folder) and entry.name == TOPICS_FILE:
                    topics = entry.path
                else:
                    sources.append(entry.path)
        pending.extend(reversed(subfolders))
    return topics, sources, outside, unreadable


def not_read(path: Path, folder: Path) -> str | None:
    """Why the walk of `folder` never reads `path` (a file, or a folder of files), or None when it reads it
    (for a folder: the files below it). Where the path is looked for through its real parent folder, so a
    file behind a symlink that leads out of the folder is outside it."""
    relative = os.path.relpath(real_location(path), os.path.realpath(folder))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return "is not in the claims folder"
    if relative != os.curdir and any(part.startswith(".") for part in relative.split(os.sep)):
        return "is hidden (a name starting with '.'): no hidden file or folder is read"
    if not os.path.isdir(path) and not relative.endswith((".yaml", ".yml")):
        return "is not a claim file: only files ending in .yaml or .yml are read"
    return None


def real_location(path: Path) -> Path:
    """`path` through its real parent folder (the file itself, a symlink perhaps, not followed)."""
    absolute = os.path.abspath(path)
    return Path(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


def is_read(path: Path, folder: Path) -> bool:
    return not_read(path, folder) is None


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_yaml(path: Path, text: str | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one file. Returns (None, problems) when nothing usable could be read."""
    if text is not None:  # text given in memory (an edit being validated) is not what the file holds
        return parse_yaml(text, display_path(path))
    doc, problems, _ = read_yaml_file(path)
    return doc, problems


def read_yaml_file(path: Path) -> tuple[YamlDoc | None, list[Problem], str | None]:
    """Read and parse a file on disk; also the content hash of the very bytes parsed (for the cache)."""
    shown = display_path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            return None, [Problem(Location(shown), "unreadable-file", "not a regular file")], None
        size = info.st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes, above the {MAX_FILE_BYTES:,}-byte limit for a claim file"
            return None, [Problem(Location(shown), "file-too-large", message)], None
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(Location(shown), "unreadable-file", f"cannot read file: {error.strerror or error}")], None
    digest = content_hash(raw)
    decoded = decode_bytes(raw, shown)
    if isinstance(decoded, Problem):
        return None, [decoded], digest
    doc, problems = parse_yaml(decoded, shown, os.path.abspath(path))
    return doc, problems, digest


def content_hash(raw: bytes) -> str:
    """What the cache compares files by."""
    import hashlib

    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def decode_bytes(raw: bytes, shown: Path) -> str | Problem:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; NUL bytes are refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return Problem(Location(shown), "not-utf8",
                           "file starts with a UTF-16 byte-order mark but is not valid UTF-16")
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


def parse_yaml(text: str, shown: Path, source: str | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Build plain data (dict, list, str, None) from YAML text, with the positions a scan finds at once and the
    rest (from the builder) when first asked for."""
    data = _fast_parse(text)
    if data is not None:
        # A claim file in the usual layout is located at once: the scan costs about what unpickling its
        # positions would. Anything else is located by the builder, and only if a location is asked for
        # (the text is then read again when the file can be, rather than kept).
        shape = _shape(data)
        scanned: _Packed | _Scanned | None = (
            _scan_block_style(text, shape) if shape is not None else _scan_any_block(text, data))
        kept = None if source is not None else text
        return YamlDoc(shown, data, Positions(shown, kept, scanned, source)), []
    builder, problems = _precise(text, shown)
    if problems and builder.failed:
        return None, problems
    return YamlDoc(shown, builder.root, Positions(shown, None, builder.positions, source)), problems


# Characters YAML forbids, which the Rust parser lets through: the builder reports them with their line.
_NOT_YAML_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


# "? key" (an explicit key) and block indicators inside flow collections: where the two parsers disagree on
# the finer points of the YAML grammar, the builder (libyaml) decides. ("^" is left out: "\n" is in "\s".)
_EXPLICIT_KEY = re.compile(r"[\s{\[,]\?|[{\[,][ \t]*[|>]")  # also "{|": a block indicator in flow
_DOCUMENT_MARKER = re.compile(r"[\n\r](?:---|\.\.\.)")
# Where a tag (!), an anchor (&) or an alias (*) can start: where a node can, after a line break, ":", "-",
# "?" or a flow indicator (a "&" in the middle of a value is just text: "Strategic & Regional Studies").
_NODE_PROPERTY = re.compile(r"[\n\r:?,\[{-][ \t]*[!&*]")
# In a text with a flow collection, a ":" that starts a scalar ("{t: :0}", "[:x]", "{a: 1, : b}", "{a ::b}", a
# line starting ":") or ends one before "}", "]" or ",": libyaml refuses what yaml-rs reads.
_FLOW_COLON = re.compile(r":(?:(?<=[\s\[{,:]:)|(?=[\]},]))")  # starting at the ":" itself: the engine skips ahead


# Deep nesting (compact "- - - …", many open brackets on a line, deep indentation): the Rust parser recurses
# and can overflow its stack; the builder refuses it with a line instead (MAX_DEPTH).
_DEEP_DASHES = re.compile(r"(?:-[ \t]+){16}")
_DEEP_BRACKETS = re.compile(r"(?:[\[{][^\]}\n]*){16}")
_DEEP_INDENT = "\n" + " " * 128
# A plain integer not written the plain way ("007", "+7", "1_000", "_1", "0x10", "-0"): the Rust parser would give the
# number, and its digits are not what the file says; the builder keeps the text as written (a sign before
# any digit counts as odd). The regex starts with the token's own first character, which is rarer than the
# space before it: the engine skips ahead to it (0.8 -> 0.25 s over a 30 MB folder; "^|…" took 4 s).
_NON_CANONICAL_INTEGER = re.compile(
    r"[-+_0-9](?<=[\s,\[{:][-+_0-9])"  # a token's first character, after a space or an indicator
    r"(?:(?<=[-+])[_0-9][xXoObB]?|(?<=_)|(?<=0)[0-9_xXoObB]|(?<=[1-9])[0-9]*_)"  # then what makes it odd
    r"[0-9a-fA-F_]*[ \t]*(?:$|[\r,\]}#])", re.MULTILINE)


def _needs_builder(text: str) -> bool:
    """True when the text holds something the Rust parser might read differently from libyaml, or might not
    survive. Cheap substring tests guard the regular expressions, which cost more than parsing itself."""
    if any(mark in text for mark in ("\t", "<<", "\u2028", "\u2029", "\x85", "\ufeff")):
        return True
    if ("!" in text or "&" in text or "*" in text) and _NODE_PROPERTY.search("\n" + text):
        return True  # a tag, an anchor or an alias
    if ("---" in text or "..." in text) and (text.startswith(("---", "...")) or _DOCUMENT_MARKER.search(text)):
        return True  # document markers count only at the start of a line ("..." in a quote is just text)
    if _NOT_YAML_CHARACTER.search(text):
        return True
    if text.startswith("?") or (("?" in text or "|" in text or ">" in text) and _EXPLICIT_KEY.search(text)):
        return True
    if ("|" in text or ">" in text) and (not text.endswith("\n") or _ends_with_block_indicator(text)):
        return True  # a block scalar ending the file without a line break, or empty: yaml-rs adds one
    if ("{" in text or "[" in text) and (_FLOW_COLON.search(text) or _flow_spans_lines(text)):
        return True
    if "- -" in text and _DEEP_DASHES.search(text):
        return True
    if text.count("[") + text.count("{") >= 16 and _DEEP_BRACKETS.search(text):
        return True
    return text.startswith(" " * 128) or _DEEP_INDENT in text


_BRACKET = re.compile(r"[\[\]{}]")


def _flow_spans_lines(text: str) -> bool:
    """Does a flow collection go on over a line break? (A key inside one may then span lines too, which
    libyaml refuses and yaml-rs reads.) Brackets inside quotes count as well: the builder decides."""
    depth = opened = 0
    for bracket in _BRACKET.finditer(text):
        if bracket.group() in "[{":
            depth += 1
            if depth == 1:
                opened = bracket.start()
        else:
            depth -= 1
            if depth <= 0:
                if depth < 0 or "\n" in text[opened:bracket.start()] or "\r" in text[opened:bracket.start()]:
                    return True
                depth = 0
    return depth > 0


_BLOCK_INDICATOR_AT_END = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _ends_with_block_indicator(text: str) -> bool:
    """Is the last line with content (not blank, not a comment) the start of a block scalar?"""
    for line in reversed(text[-4096:].splitlines()):
        body = line.strip()
        if body and not body.startswith("#"):
            return bool(_BLOCK_INDICATOR_AT_END.search(line))
    return False


def _fast_parse(text: str) -> dict[str, Any] | None:
    """The document's data through the Rust parser (yaml-rs), or None when the positional builder must
    read it: tags, anchors, several documents, characters YAML forbids, duplicate keys, every error (so
    that each problem gets its line from the builder), and floats and booleans, whose text as written
    matters ("1.50" is not "1.5"). Integers are taken as their digits: "007" or "+7" would read as "7",
    which means the same number to every claimtrack rule."""
    try:
        import yaml_rs
    except ImportError:
        return None
    if _needs_builder(text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 — any failure is the positional builder's to report, with a line
        return None
    if not isinstance(data, dict):
        return None
    saw_integer = _as_text(data)
    if saw_integer is None or (saw_integer and _NON_CANONICAL_INTEGER.search(text)):
        return None  # every integer the Rust parser saw must be written the plain way
    return data


def _as_text(node: Any) -> bool | None:
    """Turn integers into their text in place and say whether there were any; None if the data holds what the
    builder reads differently."""
    saw_integer = False
    pending = [(node, 1)]
    while pending:
        current, depth = pending.pop()
        if depth > MAX_DEPTH:
            return None  # the builder reports the nesting with its line
        is_dict = type(current) is dict
        for key, value in current.items() if is_dict else enumerate(current):
            if is_dict and type(key) is not str:
                return None
            kind = type(value)
            if kind is str or value is None:
                continue
            if kind is int:
                if abs(value).bit_length() > 256:
                    return None  # a number of 80+ digits: rare enough to leave to the builder (and str() limits)
                current[key] = str(value)  # a new value for a key (or index) already there: safe while iterating
                saw_integer = True
            elif kind is dict or kind is list:
                pending.append((value, depth + 1))
            else:
                return None  # a float or a boolean: its text as written matters ("1.50" is not "1.5")
    return saw_integer


# What a quick scan must find in a claim file, in document order: its top-level keys, the keys of `source:`
# and each claim's keys.
Shape = tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]
_SHAPES: dict[Shape, Shape] = {}
_CLAIM_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}  # claims of one layout share one tuple of keys
# Every line, with its indentation, "- " and key when it starts with a plain key: one match per line, so that
# the n-th match is on line n.
_LINE = re.compile(r"^(?:( *)(- +)?([A-Za-z_][\w-]*):(?=[ \t\r]|$))?.*$", re.MULTILINE)
# A line at the left margin that is none of: blank, a comment, a plain key, a sequence item. (Searched for in
# "\n" + text: a pattern starting "^|\n" would be tried at every character.)
_ODD_LINE = re.compile(r"\n(?![ #\r\n]|\Z|-(?:[ \r\n]|\Z)|[A-Za-z_][\w-]*:(?:[ \t\r\n]|\Z))")


def _shape(data: dict[str, Any]) -> Shape | None:
    """The keys a scan must find, for a source file; None for anything else (topics.yaml has its own layout)."""
    if "source" not in data or "topics" in data:
        return None
    source, claims = data.get("source", {}), data.get("claims") or []
    if not isinstance(source, dict) or not isinstance(claims, list):
        return None
    if not all(isinstance(claim, dict) for claim in claims):
        return None
    keys = tuple(_CLAIM_KEYS.setdefault(each, each) for each in (tuple(claim) for claim in claims))
    shape = (tuple(data), tuple(source), keys)
    return _SHAPES.setdefault(shape, shape)  # files of one layout share one shape


def _scan_block_style(text: str, shape: Shape) -> _Packed | None:
    """Positions of a claim file written in the usual block style, found by one regular expression over the
    text (about a hundred times faster than the positional builder); None when the file is laid out otherwise
    or the scan does not find exactly the keys the data has, in the same order."""
    if _ODD_LINE.search("\n" + text):
        return None
    top_keys: list[str] = []
    top_at: list[int] = []
    source_keys: list[str] = []
    source_at: list[int] = []
    claim_keys: list[list[str]] = []
    claim_at: list[int] = []
    top: str | None = None
    item_indent = key_indent = source_indent = -1
    # positions packed as _pack does, inline: _needs_builder keeps indentation below 128 columns
    for line, (spaces, dash, key) in enumerate(_LINE.findall(text), 1):
        if not key:
            continue
        indent = len(spaces)
        if dash:
            if top != "claims" or item_indent not in (-1, indent):
                if indent == 0:
                    return None  # an item at the margin outside `claims:`
                continue  # a list deeper inside a claim
            item_indent = indent
            key_indent = indent + len(dash)
            claim_keys.append([key])
            claim_at += [line << 20 | key_indent + 1] * 2  # the item, and its first key
        elif indent == 0:
            top = key
            top_keys.append(key)
            top_at.append(line << 20 | 1)
        elif top == "claims":
            if claim_keys and indent == key_indent:
                claim_keys[-1].append(key)
                claim_at.append(line << 20 | indent + 1)
        elif top == "source":
            if source_indent == -1:
                source_indent = indent
            if indent == source_indent:
                source_keys.append(key)
                source_at.append(line << 20 | indent + 1)
    wanted_top, wanted_source, wanted_claims = shape
    if (tuple(top_keys) != wanted_top or tuple(source_keys) != wanted_source
            or len(claim_keys) != len(wanted_claims)
            or any(tuple(keys) != wanted for keys, wanted in zip(claim_keys, wanted_claims, strict=True))):
        return None
    return _Packed(shape, array("Q", [_pack(1, 1), *top_at, *source_at, *claim_at]))


_ENTRY = re.compile(r"( *)(- +|-$)?(?:([A-Za-z_][\w-]*):(?=[ \t]|$))?")


class _Scanned(dict[KeyPath, int]):
    """Positions a scan found: every key and item written in block style. What lies inside a flow
    collection (`aliases: [a, b]`) is left to the builder."""


def _scan_any_block(text: str, data: Any) -> _Scanned | None:
    """Positions of a file in plain block style (topics.yaml), line by line; None unless the scan finds
    exactly the key paths the data has outside flow collections, each once (a line inside a multi-line value
    that looks like a key then spoils the match, and the builder is used instead)."""
    found = _Scanned({(): _pack(1, 1)})
    flow: list[KeyPath] = []  # keys whose value is a flow collection
    # open collections, innermost last: [indent of their entries, key path, is a sequence, items so far]
    stack: list[list[Any]] = [[0, (), False, 0]]
    pending: KeyPath | None = None  # a key whose value starts on a later line
    for number, line in enumerate(text.splitlines(), 1):
        match = _ENTRY.match(line)
        assert match is not None  # every group is optional
        spaces, dash, key = match.groups()
        indent = len(spaces)
        if not dash and not key:
            if indent == 0 and line and not line.startswith("#"):
                return None  # something at the margin that is not a key
            continue  # blank, a comment, or the continuation of a value
        while len(stack) > 1 and (stack[-1][0] > indent or (stack[-1][0] == indent and stack[-1][2] and not dash)):
            stack.pop()
        current = stack[-1]
        if pending is not None and (indent > current[0] or (dash and indent == current[0] and not current[2])):
            stack.append(current := [indent, pending, bool(dash), 0])  # the pending key's value: a collection
        elif indent != current[0] or bool(dash) != current[2]:
            return None
        pending = None
        path, column = current[1], indent + 1
        if dash:
            path = (*path, current[3])
            current[3] += 1
            column += len(dash)
            found[path] = _pack(number, column)
            if key:
                stack.append([column - 1, path, False, 0])
        value = line[match.end():].strip()
        if key:
            path = (*path, key)
            if path in found:
                return None
            found[path] = _pack(number, column)
            if not value or value.startswith("#"):
                pending = path
        if value.startswith(("[", "{")):
            flow.append(path)
    return found if found.keys() == _keypaths(data, set(flow)) else None


def _keypaths(data: Any, leaves: set[KeyPath]) -> set[KeyPath]:
    """Every key path in `data`, not looking inside the values at `leaves`."""
    paths: set[KeyPath] = {()}
    pending: list[tuple[KeyPath, Any]] = [((), data)]
    while pending:
        path, node = pending.pop()
        if path in leaves:
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            paths.add((*path, key))
            pending.append(((*path, key), value))
    return paths


def _precise(text: str, shown: Path) -> tuple[_Builder, list[Problem]]:
    """The positional builder over libyaml's events: data, positions and every problem with its line."""
    import yaml  # lazy: keeps `claimtrack --help` fast

    builder = _Builder(shown)
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            builder.feed(event)
    except _Abort as abort:
        return builder.fail(abort.problem)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        deep = _too_deep(text, shown, getattr(mark, "index", None) if mark else None)
        if deep is not None:  # libyaml refuses deep flow nesting itself, at a depth that varies by version
            return builder.fail(deep)
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        message = " ".join(part for part in (error.context, error.problem) if part)
        if mark and "\t" in _line_at(text, mark.line)[: mark.column + 1]:
            message += " (YAML does not allow tabs for indentation: use spaces)"
        return builder.fail(Problem(where, "yaml-syntax", f"YAML syntax error: {message}"))
    except yaml.reader.ReaderError as error:  # a character YAML does not allow; it carries an offset, not a line
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        character = chr(error.character) if isinstance(error.character, int) else str(error.character)
        kind = "" if character.isprintable() else "control "
        return builder.fail(Problem(Location(shown, line, column), "yaml-syntax",
                                    f"{kind}character {character!r} is not allowed in YAML"))
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return builder.fail(Problem(Location(shown), "yaml-syntax", f"YAML error: {first_line}"))
    except UnicodeError:  # text that no file could hold (a lone surrogate): only reachable from memory
        return builder.fail(Problem(Location(shown), "yaml-syntax", "text that is not valid Unicode"))
    return builder, builder.problems


def _too_deep(text: str, shown: Path, end: int | None) -> Problem | None:
    """The too-deep problem when flow brackets before `end` open more than MAX_DEPTH levels, else None.

    libyaml scans a flow collection ahead of the events the builder counts, and newer releases refuse deep
    nesting on their own ("exceeded maximum nesting depth"); counting brackets here keeps the answer the same
    whichever libyaml is installed. Brackets inside quotes count too: at this depth the file is broken anyway."""
    depth = 0
    for bracket in _BRACKET.finditer(text, 0, len(text) if end is None else end + 1):
        depth = depth + 1 if bracket.group() in "[{" else max(0, depth - 1)
        if depth > MAX_DEPTH:
            index = bracket.start()
            line = text.count("\n", 0, index) + 1
            column = index - (text.rfind("\n", 0, index) + 1) + 1
            return Problem(Location(shown, line, column), "too-deep", f"nesting deeper than {MAX_DEPTH} levels")
    return None


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
        self.failed = False

    def fail(self, problem: Problem) -> tuple[_Builder, list[Problem]]:
        self.failed = True
        return self, [*self.problems, problem]

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
