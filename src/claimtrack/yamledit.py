"""Editing YAML text for the authoring commands, by splicing: the text of the new or changed node is written
here and put into the file's own text at the place libyaml's positions give, so every other character of the
file (comments, spelling of scalars, quoting, indentation, line ends, a byte-order mark, a missing final line
break) stays as it was. Only the authoring commands import this module; reading uses loader.py.

Two guards run on every edit before it may be written: the edited text, read by the loader as `check` reads
it, must hold exactly the old data with the edit made, and every comment of the old text must still be in the
new one. An edit that fails either is refused (nothing written), never written approximately.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from claimtrack.errors import ClaimtrackError
from claimtrack.loader import parse_yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BREAK = re.compile(r"[\r\n]")
_HASH = re.compile(r"(?:(?<=[ \t\r\n])|(?<![\s\S]))#")  # a `#` after white space or at the very start: a comment


class BlockMap(dict[str, Any]):
    """A mapping written in block style (one `key: value` a line); plain dicts are written in flow style."""


class BlockList(list[Any]):
    """A sequence written in block style (one `- item` a line); plain lists are written in flow style."""


class Quoted(str):
    """A string always written in double quotes (values, quotes and titles: `1,344 km` and `46%` stay text
    to every YAML reader)."""

    __slots__ = ()


# ---------------------------------------------------------------------------------------------------- bytes


@dataclass(frozen=True)
class FileEncoding:
    """How a file's bytes became text, so that its edit is written back the same way."""

    bom: bytes = b""
    codec: str = "utf-8"

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(raw: bytes, shown: Path) -> tuple[str, FileEncoding]:
    """The text of a file the loader accepts (UTF-8 with or without a BOM, UTF-16 with a BOM) and its encoding;
    anything else is a ClaimtrackError."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), FileEncoding(bom, codec)
            except UnicodeDecodeError:
                raise ClaimtrackError(f"cannot edit {shown}: it starts with a {codec.upper()} byte-order mark but "
                                      "is not valid text in that encoding; nothing was written") from None
    try:
        return raw.decode("utf-8"), FileEncoding()
    except UnicodeDecodeError:
        raise ClaimtrackError(f"cannot edit {shown}: it is not valid UTF-8 (run `claimtrack check`); "
                              "nothing was written") from None


# --------------------------------------------------------------------------------------------------- scalars

# YAML's printable characters, less those a reader takes for a line break (NEL, LS, PS) or drops (BOM)
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
            "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}
# What a YAML 1.1 or 1.2 reader would take for something other than text: null, booleans, numbers in any
# base or spelling, sexagesimals, timestamps, the merge key.
_NOT_TEXT = re.compile(r"""(?x)
    ~ | null | Null | NULL | [yYnN] | yes | Yes | YES | no | No | NO | true | True | TRUE | false | False | FALSE
    | on | On | ON | off | Off | OFF | << | =
    | [-+]? (?: [0-9][0-9_]* (?::[0-5]?[0-9])* (?:\.[0-9_]*)? | \.[0-9_]+ ) (?:[eE][-+]?[0-9]+)?
    | [-+]? 0 (?: [xX][0-9a-fA-F_]+ | [oO][0-7_]+ | [bB][01_]+ )
    | [-+]? \. (?:inf|Inf|INF) | \. (?:nan|NaN|NAN)
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2} (?: (?:[Tt]|[ \t]+) .* )?
""")


def scalar(value: str, *, flow: bool = False) -> str:
    """`value` as one line of YAML that every reader reads back as exactly this text: plain where that is
    unambiguous, else double-quoted with escapes (line breaks of any kind, NEL, U+2028, U+2029, tabs and other
    control characters never appear raw, so nothing is folded)."""
    if not isinstance(value, Quoted) and _plain(value, flow):
        return value
    return '"' + _UNSAFE.sub(_escape, value.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _plain(value: str, flow: bool) -> bool:
    if not value or value != value.strip(" ") or _UNSAFE.search(value):
        return False
    first = value[0]
    if first in ",[]{}#&*!|>'\"%@`" or (first in "-?:" and (len(value) == 1 or value[1] == " ")):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and any(char in value for char in ",[]{}:#"):
        return False
    return _NOT_TEXT.fullmatch(value) is None


def inline(value: Any, *, flow: bool = False) -> str:
    """A string, a list or a mapping (of strings) as one line of YAML."""
    if isinstance(value, str):
        return scalar(value, flow=flow)
    if isinstance(value, list):
        return "[" + ", ".join(inline(item, flow=True) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(key, flow=True)}: {inline(item, flow=True)}"
                               for key, item in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as YAML")


@dataclass(frozen=True)
class Style:
    """Indentation of new block nodes, in columns: a nested mapping's keys right of its key (`step`), a block
    sequence's dashes right of its key (`dash`: 0 for `key:\\n- item`), an item's content right of its dash."""

    step: int = 2
    dash: int = 2
    item: int = 2


def _pair_lines(key: str, value: Any, column: int, style: Style) -> list[str]:
    head = " " * column + scalar(key) + ":"
    if isinstance(value, BlockMap):
        return [head, *_map_lines(value, column + style.step, style)]
    if isinstance(value, BlockList) and value:
        return [head, *_list_lines(value, column + style.dash, style)]
    return [f"{head} {inline(value)}"]


def _map_lines(mapping: dict[str, Any], column: int, style: Style) -> list[str]:
    return [line for key, value in mapping.items() for line in _pair_lines(key, value, column, style)]


def _list_lines(items: list[Any], dash: int, style: Style) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, BlockMap) and item:
            inner = _map_lines(item, dash + style.item, style)
            inner[0] = " " * dash + "-" + " " * (style.item - 1) + inner[0][dash + style.item:]
            lines += inner
        else:
            lines.append(" " * dash + "- " + inline(item))
    return lines


def new_file(content: BlockMap) -> str:
    """The text of a new YAML file holding `content` (two-space indentation, LF line ends), verified to read
    back as `content`."""
    text = "\n".join(_map_lines(content, 0, Style())) + "\n"
    doc, _ = parse_yaml(text, Path("new file"))
    if doc is None or doc.data != content:
        raise ClaimtrackError("cannot write these values as YAML that reads back the same; nothing was written")
    return text


# ------------------------------------------------------------------------------------------------- documents

Node: TypeAlias = Any  # a yaml.Node from libyaml's composer (its attributes are untyped there)


class EditFailed(ClaimtrackError):
    """The edit cannot be made as a splice that changes nothing else; nothing was written."""


class Document:
    """A YAML text to edit: the old text, its nodes with their positions (libyaml), and the splices planned."""

    def __init__(self, text: str, shown: Path) -> None:
        self.text = text
        self.shown = shown
        parsed, _ = parse_yaml(text, shown)  # the loader first: it refuses, with a line, what libyaml chokes on
        if parsed is None:
            raise ClaimtrackError(f"cannot edit {shown}: it cannot be read (run `claimtrack check`); "
                                  "nothing was written")
        self.data: Any = parsed.data
        try:
            self.root: Node | None = yaml.compose(text, Loader=_Loader)  # compose builds no object
        except yaml.YAMLError as error:
            raise ClaimtrackError(f"cannot edit {shown}: {error}; nothing was written") from None
        breaks = re.search(r"\r\n|\n|\r", text)
        self.newline = breaks.group() if breaks else "\n"
        self.splices: list[tuple[int, int, str]] = []
        self._masks: list[tuple[int, int]] | None = None
        self._style: Style | None = None

    # -- reading

    def lookup(self, mapping: Node | None, key: str) -> tuple[Node, Node] | None:
        """The first (key, value) pair of a mapping node with this key (the loader keeps the first one too)."""
        if not isinstance(mapping, yaml.MappingNode):
            return None
        for key_node, value_node in mapping.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node, value_node
        return None

    def comments(self) -> list[str]:
        """Every comment of the text (from `#` to the end of its line)."""
        return self._comments_in(0, len(self.text))

    def style(self) -> Style:
        """The indentation the file already uses (the most common of each kind), else two columns each."""
        if self._style is None:
            steps: Counter[int] = Counter()
            dashes: Counter[int] = Counter()
            items: Counter[int] = Counter()
            for node in self._nodes():
                if isinstance(node, yaml.MappingNode) and not node.flow_style:
                    for key_node, value_node in node.value:
                        if getattr(value_node, "flow_style", None) is not False or not value_node.value:
                            continue  # a scalar (style None), or a flow or empty collection
                        if isinstance(value_node, yaml.MappingNode):
                            steps[self._column(value_node.value[0][0]) - self._column(key_node)] += 1
                        elif isinstance(value_node, yaml.SequenceNode):
                            dashes[self._dash_column(value_node) - self._column(key_node)] += 1
                elif isinstance(node, yaml.SequenceNode) and not node.flow_style:
                    for item in node.value:
                        if isinstance(item, yaml.MappingNode) and not item.flow_style and item.value:
                            items[self._column(item.value[0][0]) - self._dash_column(node)] += 1
            self._style = Style(_most_common(steps, 1, 2), _most_common(dashes, 0, 2), _most_common(items, 2, 2))
        return self._style

    # -- planning edits

    def append_item(self, sequence: Node, item: Any) -> None:
        """Add `item` at the end of a sequence node (block or flow)."""
        if sequence.flow_style:
            if sequence.value:
                self._splice(self._end(sequence.value[-1]), "", ", " + inline(item, flow=True))
            else:
                self._splice(self._opening(sequence, "[") + 1, "", inline(item, flow=True))
            return
        dash = self._dash_column(sequence)
        last = sequence.value[-1]
        offset = (self._column(last.value[0][0]) - dash
                  if isinstance(last, yaml.MappingNode) and not last.flow_style and last.value else self.style().item)
        self._insert_lines(self._end(sequence), _list_lines([item], dash, Style(self.style().step, 0, offset)))

    def add_pair(self, mapping: Node, key: str, value: Any) -> None:
        """Add `key: value` at the end of a mapping node (block or flow)."""
        if mapping.flow_style:
            pair = f"{scalar(key, flow=True)}: {inline(value, flow=True)}"
            if mapping.value:
                last_key, last_value = mapping.value[-1]
                self._splice(max(self._end(last_key), self._end(last_value)), "", ", " + pair)
            else:
                self._splice(self._opening(mapping, "{") + 1, "", pair)
            return
        column = self._column(mapping.value[0][0])
        style = self.style()
        # a nested mapping as its siblings indent theirs
        for key_node, value_node in mapping.value:
            if isinstance(value_node, yaml.MappingNode) and not value_node.flow_style and value_node.value:
                style = Style(self._column(value_node.value[0][0]) - self._column(key_node), style.dash, style.item)
                break
        self._insert_lines(self._end(mapping), _pair_lines(key, value, column, style))

    def set_value(self, mapping: Node, key_node: Node, value_node: Node, value: Any) -> None:
        """Put `value` in the place of a pair's value (a null, an empty or a flow collection, a scalar)."""
        start, end = value_node.start_mark.index, self._end(value_node)
        if mapping.flow_style or not (isinstance(value, (BlockMap, BlockList)) and value):
            text = inline(value, flow=bool(mapping.flow_style))
            self._replace(start, end, " " + text if start == end and self.text[start - 1:start] == ":" else text)
            return
        # a block value goes on the lines after the key's; what stood after the colon goes
        before = start
        while before > 0 and self.text[before - 1] in " \t":
            before -= 1
        if self.text[before - 1:before] == ":":
            start = before
        self._replace(start, end, "")
        style = self.style()
        column = self._column(key_node)
        lines = (_map_lines(value, column + style.step, style) if isinstance(value, BlockMap)
                 else _list_lines(value, column + style.dash, style))
        self._insert_lines(end, lines)

    def replace_node(self, node: Node, value: Any, *, flow: bool) -> None:
        """Write `value` (one line) in the place of a node."""
        self._replace(node.start_mark.index, self._end(node), inline(value, flow=flow))

    def delete_pair(self, key_node: Node, value_node: Node) -> None:
        """Remove a `key: value` pair of a block mapping, its comments kept as lines of their own."""
        self._delete_lines(key_node.start_mark.index, self._end(value_node))

    def delete_item(self, item: Node) -> None:
        """Remove an item of a block sequence, its comments kept as lines of their own."""
        dash = item.start_mark.index - 1
        while dash >= 0 and self.text[dash] in " \t":
            dash -= 1
        if dash < 0 or self.text[dash] != "-":
            raise EditFailed(f"cannot edit {self.shown}: an item at line {item.start_mark.line + 1} is not "
                             "where its dash is; nothing was written")
        self._delete_lines(dash, self._end(item))

    def inline_block(self, key_node: Node, value_node: Node, value: Any) -> None:
        """Put a one-line value (`claims: []`, `value: "1,350 km"`) in the place of a pair's block collection:
        the collection's lines go, their comments kept as lines of their own, and the value follows the key's
        colon."""
        colon = self.text.find(":", self._end(key_node), value_node.start_mark.index)
        if colon < 0 or self.text[colon + 1:self._line_end(colon)].split("#")[0].strip():
            raise EditFailed(f"cannot edit {self.shown}: line {key_node.start_mark.line + 1} holds more than its "
                             "key; nothing was written")
        self._splice(colon + 1, "", " " + inline(value))
        self._delete_lines(value_node.start_mark.index, self._end(value_node))

    # -- finishing

    def finish(self, expected: Any) -> str:
        """The edited text, once it reads back as `expected` and keeps every comment; else EditFailed."""
        new = self.edited()
        doc, _ = parse_yaml(new, self.shown)
        if doc is None or doc.data != expected:
            raise EditFailed(f"cannot edit {self.shown} without changing what else it says (an anchor, an alias "
                             "or an unusual layout where the edit goes); nothing was written: make this edit by hand")
        lost = Counter(self.comments()) - Counter(Document(new, self.shown).comments())
        if lost:
            raise EditFailed(f"cannot edit {self.shown} without losing its comment {next(iter(lost))!r}; nothing "
                             "was written: make this edit by hand")
        return new

    def edited(self) -> str:
        parts = []
        at = 0
        for start, end, text in sorted(self.splices, key=lambda splice: (splice[0], splice[1])):
            if start < at:
                raise EditFailed(f"cannot edit {self.shown}: overlapping changes; nothing was written")
            parts += [self.text[at:start], text]
            at = end
        parts.append(self.text[at:])
        return "".join(parts)

    # -- positions

    def _nodes(self) -> list[Node]:
        seen: set[int] = set()
        nodes: list[Node] = []
        pending = [self.root] if self.root is not None else []
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            nodes.append(node)
            if isinstance(node, yaml.MappingNode):
                pending += [part for pair in node.value for part in pair]
            elif isinstance(node, yaml.SequenceNode):
                pending += node.value
        return nodes

    def _end(self, node: Node) -> int:
        """Just after the node's last character of content (comments and blank lines after it are not its)."""
        if isinstance(node, yaml.ScalarNode):
            return self._scalar_end(node)
        if node.flow_style or not node.value:
            return int(node.end_mark.index)
        ends = []
        seen: set[int] = set()
        pending = [node]
        while pending:
            current = pending.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current, yaml.ScalarNode):
                ends.append(self._scalar_end(current))
            elif current.flow_style:
                ends.append(int(current.end_mark.index))
            elif isinstance(current, yaml.MappingNode):
                pending += [part for pair in current.value for part in pair]
            else:
                pending += current.value
        return max(ends, default=int(node.start_mark.index))

    def _scalar_end(self, node: Node) -> int:
        start, end = int(node.start_mark.index), int(node.end_mark.index)
        if node.style not in ("|", ">"):
            return end
        header_end = self._line_end(start)
        if "+" in self.text[start:header_end].split("#")[0]:
            return end  # kept trailing line breaks are the value's: an edit goes after them
        while end > header_end and self.text[end - 1] in " \t\r\n":
            end -= 1
        return max(end, header_end)

    def _line_end(self, index: int) -> int:
        """The index of the line break ending the line of `index` (or the text's length)."""
        found = _BREAK.search(self.text, index)
        return found.start() if found else len(self.text)

    def _line_start(self, index: int) -> int:
        return max(self.text.rfind("\n", 0, index), self.text.rfind("\r", 0, index)) + 1

    def _column(self, node: Node) -> int:
        return int(node.start_mark.column)

    def _dash_column(self, sequence: Node) -> int:
        first = sequence.value[0]
        at = first.start_mark.index - 1
        while at >= 0 and self.text[at] in " \t":
            at -= 1
        if at >= 0 and self.text[at] == "-":
            return int(at - self._line_start(at))
        return self._column(sequence)

    def _opening(self, node: Node, bracket: str) -> int:
        at = self.text.find(bracket, node.start_mark.index, node.end_mark.index)
        if at < 0:
            raise EditFailed(f"cannot edit {self.shown}: no {bracket!r} where line {node.start_mark.line + 1} "
                             "says; nothing was written")
        return at

    def _comments_in(self, start: int, end: int) -> list[str]:
        """The comments in text[start:end]: a `#` after a space or at a line's start, outside every scalar."""
        if self._masks is None:
            masks = []
            for node in self._nodes():
                if isinstance(node, yaml.ScalarNode):
                    begin = node.start_mark.index
                    if node.style in ("|", ">"):  # a comment may follow the header; the lines after are text
                        begin = self._line_end(begin)
                    masks.append((begin, node.end_mark.index))
            masks.sort()
            self._masks = masks
        found = []
        masks = self._masks
        index = 0
        for match in _HASH.finditer(self.text, start, end):  # each `#` on its own: one in a scalar hides none after it
            at = match.start()
            while index < len(masks) and masks[index][1] <= at:
                index += 1
            if index < len(masks) and masks[index][0] <= at:
                continue  # inside a scalar (masks do not nest: scalars never hold one another)
            found.append(self.text[at:min(self._line_end(at), end)].rstrip())
        return found

    # -- splices

    def _splice(self, start: int, old: str, new: str) -> None:
        self.splices.append((start, start + len(old), new))

    def _insertion_point(self, end: int) -> tuple[int, bool]:
        """Where lines go after content ending at `end`: the start of the next line (True: the text ends
        there without a line break, so one must come first)."""
        if end > 0 and self.text[end - 1] in "\r\n":
            return end, False
        at = self._line_end(end)
        if at == len(self.text):
            return at, True
        return at + (2 if self.text.startswith("\r\n", at) else 1), False

    def _insert_lines(self, end: int, lines: list[str]) -> None:
        at, bare = self._insertion_point(end)
        chunk = self.newline.join(lines)
        self.splices.append((at, at, self.newline + chunk if bare else chunk + self.newline))

    def _replace(self, start: int, end: int, text: str) -> None:
        """Replace text[start:end]; the comments it held go on lines of their own before its line."""
        comments = self._comments_in(start, end)
        if comments:
            line = self._line_start(start)
            indent = re.match(r"[ \t]*", self.text[line:]).group()  # type: ignore[union-attr]
            self.splices.append((line, line, "".join(indent + c + self.newline for c in comments)))
        self.splices.append((start, end, text))

    def _delete_lines(self, start: int, end: int) -> None:
        line = self._line_start(start)
        indent = self.text[line:start]
        if indent.strip(" \t"):
            raise EditFailed(f"cannot edit {self.shown}: line {self.text.count(chr(10), 0, start) + 1} holds more "
                             "than what is to be removed; nothing was written")
        stop, bare = self._insertion_point(end)
        comments = "".join(indent + c + self.newline for c in self._comments_in(start, stop))
        if bare and line > 0:  # the last line, without a line break: take the one before it instead
            before = line - (2 if self.text[line - 2:line] == "\r\n" else 1)
            self.splices.append((before, stop, self.newline + comments.removesuffix(self.newline)
                                 if comments else ""))
        else:
            self.splices.append((line, stop, comments))


def _most_common(counts: Counter[int], least: int, default: int) -> int:
    usable = [(count, value) for value, count in counts.items() if value >= least]
    return max(usable)[1] if usable else default
