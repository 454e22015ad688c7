"""What data may reach a person's terminal or a CI log: the two guards every output for people goes through.

- `shown(value)`: a string from the claim files, a path or an argument, as it is put into any output for
  people (table, text, markdown, HTML, messages). Every control character (C0, DEL, C1), line or paragraph
  separator, format character (bidirectional overrides and isolates, zero-width and invisible characters,
  tag characters) and unpaired surrogate is written as a visible escape (`\\x1b`, `\\n`, `\\u202e`): no
  terminal sequence (ANSI CSI, OSC 8 hyperlinks, concealed text) reaches a terminal, no data starts a new line
  of output, and nothing is hidden or reordered on screen. The zero-width joiner and non-joiner, which
  Persian, Indic scripts and emoji need, are kept.
- `GuardedFile`: the file under each console that writes for people, JSON included. GitHub Actions takes
  any line of a job's log that starts with `::` (after white space) for a workflow command, and any line
  holding `##[` for a legacy one (actions/runner, ActionCommand.TryParseV2 and TryParse). Whatever the data
  and however rich wraps it, no output line starts with `::` — the second colon gets a backslash (`:\\:`) —
  and no `##[` is written: `##\\[` in text for people, `##\\u005b` in JSON, which reads back as the same data.
  In JSON every hidden character that JSON may hold raw (DEL, C1, format characters, line separators) is
  written as its `\\uXXXX` escape as well: the same data, and nothing a terminal acts on. The `github`
  format, whose lines are commands by design, writes without it (render/github.py escapes its data as GitHub
  wants).
"""

from __future__ import annotations

import re
from typing import IO, Literal

# C0, DEL, C1; every format character (Unicode category Cf) but the zero-width (non-)joiner; line and paragraph
# separators; surrogates (a byte of a file name that is not UTF-8, read with surrogateescape).
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(char: str) -> str:
    """One hidden character as its escape: \\n, \\x1b, \\u202e, \\U000e0041; a byte that is not UTF-8 as \\xff."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown(value: object) -> str:
    """`value` (a string, a path, …) as text for people: every hidden character written as a visible escape."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() or _HIDDEN.search(text) is None:  # isprintable: no Cc, Cf, Zl, Zp or Cs at all
        return text
    return _HIDDEN.sub(lambda match: visible(match.group()), text)


def hidden_characters() -> re.Pattern[str]:
    """The pattern of what `shown` escapes (for the formats that escape it their own way, as YAML does)."""
    return _HIDDEN


# What may stand at the start of a line before a workflow command: white space as GitHub trims it (.NET's
# TrimStart, Unicode white space) and, in case a reader drops them, SGR and other CSI sequences.
_BLANK = r"(?:[^\S\r\n]|\x1b\[[0-?]*[ -/]*[@-~])*"
_LINE_COMMAND = re.compile(rf"(?:(?<=[\r\n])|^){_BLANK}:(?=:)")  # the first colon of a line-start '::'
_OPEN_LINE = re.compile(rf"{_BLANK}:?")  # a line so far that can still become a command
_LEGACY = re.compile(r"##\[")
_LEGACY_BYTES = re.compile(rb"##\[")
_HELD = 256  # a longer line start than this is not white space before a command


class CommandGuard:
    """Rewrites a stream of output, chunk by chunk, so that no line starts a workflow command (see the module).

    `json=True`: the stream is JSON, where `::` never starts a line; `[` after `##` is written `\\u005b`, and
    every hidden character that JSON may hold raw (DEL, C1, bidirectional and other format characters, line
    separators) as its `\\uXXXX` escape: the same data, and nothing a terminal acts on."""

    def __init__(self, *, json: bool = False) -> None:
        self._json = json
        self._line: str | None = ""  # the current line so far while it can still become a command; else None
        self._last = ""  # the last two characters written

    def text(self, chunk: str) -> str:
        edits: dict[int, tuple[str, int]] = {}  # position in chunk -> (text put there, characters it replaces)
        if self._json:
            if not chunk.isascii() or "\x7f" in chunk:
                chunk = _JSON_HIDDEN.sub(_json_escape, chunk)
        elif ":" in chunk:
            head = self._line if self._line is not None else "x"
            joined = head + chunk
            if "::" in joined:
                edits.update((match.end() - len(head), ("\\", 0)) for match in _LINE_COMMAND.finditer(joined)
                             if match.end() >= len(head))
        if "[" in chunk:
            joined = self._last + chunk
            edits.update((match.end() - 1 - len(self._last), ("\\u005b", 1) if self._json else ("\\", 0))
                         for match in _LEGACY.finditer(joined) if match.end() - 1 >= len(self._last))
        result = _apply(chunk, edits) if edits else chunk
        self._remember(result)
        return result

    def data(self, chunk: bytes) -> bytes:
        """A chunk of UTF-8 output (JSON, the only output written as bytes, comes in whole items or lines)."""
        if (self._json and chunk.isascii() and b"\x7f" not in chunk and b"##[" not in chunk
                and b"##[" not in self._last.encode("utf-8", "surrogateescape") + chunk[:2]):
            self._last = (self._last + chunk[-2:].decode())[-2:]
            return chunk
        return self.text(chunk.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")

    def _remember(self, written: str) -> None:
        self._last = (self._last + written[-2:])[-2:]
        if self._json:
            return
        cut = max(written.rfind("\n"), written.rfind("\r"))
        if cut >= 0:
            line: str | None = written[cut + 1:]
        else:
            line = None if self._line is None else self._line + written
        self._line = line if line is not None and len(line) <= _HELD and _OPEN_LINE.fullmatch(line) else None


# JSON holds the tab, line feed and carriage return raw only as white space between tokens, and C0 never in a
# string: the rest of what `shown` escapes, but for surrogates (which no UTF-8 output holds).
_JSON_HIDDEN = re.compile("[\x7f-\x9f" + _HIDDEN.pattern[_HIDDEN.pattern.index("\xad"):].replace("\ud800-\udfff", ""))


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON escapes a character beyond the BMP as its UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _apply(chunk: str, edits: dict[int, tuple[str, int]]) -> str:
    parts, previous = [], 0
    for position in sorted(edits):
        put, replaced = edits[position]
        parts += [chunk[previous:position], put]
        previous = position + replaced
    parts.append(chunk[previous:])
    return "".join(parts)


Guard = Literal["text", "json"]


class GuardedFile:
    """A console's file (a real stream or a ByteSink) whose every write goes through a CommandGuard."""

    def __init__(self, file: IO[str], guard: Guard = "text") -> None:
        self.file = file
        self._guard = CommandGuard(json=guard == "json")

    @property
    def encoding(self) -> str:
        return getattr(self.file, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        self.file.write(self._guard.text(text))
        return len(text)

    def write_bytes(self, chunk: bytes) -> None:
        """UTF-8 bytes: kept as bytes where the file keeps them (ByteSink), else decoded."""
        chunk = self._guard.data(chunk)
        write_bytes = getattr(self.file, "write_bytes", None)
        if write_bytes is not None:
            write_bytes(chunk)
        else:
            self.file.write(chunk.decode("utf-8", "surrogateescape"))

    def flush(self) -> None:
        self.file.flush()

    def isatty(self) -> bool:
        return bool(self.file.isatty())

    def fileno(self) -> int:
        return self.file.fileno()
