"""Shared vocabulary of every stage: where something is (Location), what is wrong (Problem), exit codes."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from operator import attrgetter
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


def reduce_by_slots(instance: object) -> tuple[type, tuple[object, ...]]:
    """Pickle a slotted dataclass as its constructor call: several times faster than dataclasses' own
    __getstate__, which looks up the fields for every object (the cache pickles a million of them)."""
    cls = type(instance)
    fields = _FIELDS.get(cls)
    if fields is None:
        names = cls.__slots__  # type: ignore[attr-defined]
        getter = attrgetter(*names)
        fields = _FIELDS[cls] = getter if len(names) > 1 else lambda instance: (getter(instance),)
    return cls, fields(instance)


_FIELDS: dict[type, Callable[[object], tuple[object, ...]]] = {}  # one C-level getter of all fields per class


# A file or folder name that is not UTF-8 reaches Python as text holding surrogates (os.fsdecode), and so does
# such a byte in an argument or the working directory. Every output writes them one way, by this error
# handler: a byte of a name that is not UTF-8 as the four characters \xff, any other surrogate as \udxxx (and,
# on a stream whose encoding is not UTF-8, a character it cannot hold as \uxxxx). Output streams, captured
# output, JSON and files written all use it: no output carries bytes that are not UTF-8, none crashes on them.
ESCAPE = "claimtrack-escape"


def _escape_surrogates(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(map(_escaped, error.object[error.start:error.end])), error.end


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"  # (an encoding other than UTF-8)


codecs.register_error(ESCAPE, _escape_surrogates)


def printable(text: str) -> str:
    """`text` as any output can hold it: surrogates escaped as ESCAPE writes them (anything else unchanged)."""
    if text.isascii():
        return text
    return text.encode("utf-8", ESCAPE).decode("utf-8")


def shown_path(path: object) -> str:
    """A path as text that any output can hold: a byte of a file name that is not UTF-8 shows as \\xff."""
    return printable(str(path))


@dataclass(frozen=True, order=True, slots=True)
class Location:
    path: Path
    line: int | None = None
    column: int | None = None

    __reduce__ = reduce_by_slots

    def __str__(self) -> str:
        if self.line is None:
            return shown_path(self.path)
        return f"{shown_path(self.path)}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, slots=True)
class Problem:
    location: Location
    code: str  # stable kebab-case id, documented in docs/checks.md
    message: str
    severity: Severity = "error"
    topic: str | None = None  # the topic a claim's problem is about (check --changed-since judges by it too)

    __reduce__ = reduce_by_slots

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"


class ClaimtrackError(Exception):
    """Nothing useful can continue (no claims folder, unknown topic asked for): a usage error."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions
