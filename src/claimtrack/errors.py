"""Shared vocabulary of every stage: where something is (Location), what is wrong (Problem), exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


@dataclass(frozen=True, order=True, slots=True)
class Location:
    path: Path
    line: int | None = None
    column: int | None = None

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

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"


class ClaimtrackError(Exception):
    """Nothing useful can continue (no claims folder, unknown topic asked for): a usage error."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions
