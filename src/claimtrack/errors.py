"""Shared vocabulary of every stage: where something is (Location), what is wrong (Problem), exit codes."""

from __future__ import annotations

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


@dataclass(frozen=True, order=True, slots=True)
class Location:
    path: Path
    line: int | None = None
    column: int | None = None

    __reduce__ = reduce_by_slots

    def __str__(self) -> str:
        if self.line is None:
            return str(self.path)
        return f"{self.path}:{self.line}:{self.column or 1}"


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
