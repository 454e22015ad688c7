"""Export stage: Report -> the whole data set for other tools (docs/outputs.md): SQLite for Datasette and DuckDB,
CSV with a Frictionless data package, JSON Lines, and schema.org ClaimReview JSON-LD.

One writer per format, one signature, chosen by ExportFormat. This module stays light (the CLI imports it to
offer the choices): each writer, and what it needs (sqlite-utils), is imported when it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack.errors import ClaimtrackError, Problem

if TYPE_CHECKING:
    from claimtrack.export.target import Emit, Target
    from claimtrack.report import Report


class ExportFormat(str, Enum):
    sqlite = "sqlite"
    csv = "csv"
    jsonl = "jsonl"
    claimreview = "claimreview"


# Formats that write files, and where they go without -o; the others go to standard output by default.
DEFAULT_OUTPUT: dict[ExportFormat, Path] = {ExportFormat.sqlite: Path("claimtrack.db"),
                                             ExportFormat.csv: Path("claimtrack-csv")}


@dataclass(frozen=True)
class ExportOptions:
    publisher: str | None = None  # the reviewing organisation (claimreview)
    url_base: str | None = None  # each review's url is this followed by the claim id (claimreview)


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the files (none for standard output), how many of what, and the problems met
    on the way (a preferred value that cannot be read is left out, not fatal)."""

    paths: tuple[Path, ...]
    count: int
    noun: str  # what was counted, in the singular: "claim", "review"
    problems: tuple[Problem, ...] = ()


Writer = Callable[["Report", "Target", ExportOptions], Exported]


def writers() -> dict[ExportFormat, Writer]:
    from claimtrack.export import claimreview, csv, jsonl, sqlite

    return {ExportFormat.sqlite: sqlite.write, ExportFormat.csv: csv.write, ExportFormat.jsonl: jsonl.write,
            ExportFormat.claimreview: claimreview.write}


def plan_export(fmt: ExportFormat, output: Path | None, options: ExportOptions) -> Path | None:
    """Check the options and the destination before any work: the path to write (None for standard output),
    or ClaimtrackError saying what is wrong."""
    from claimtrack.export.target import STDOUT, check_folder
    from claimtrack.writer import check_file

    if fmt is ExportFormat.claimreview:
        if not (options.publisher or "").strip():
            raise ClaimtrackError("--format claimreview needs --publisher NAME: who reviews the claims")
    elif options.publisher is not None or options.url_base is not None:
        raise ClaimtrackError("--publisher and --url-base are for --format claimreview only")
    default = DEFAULT_OUTPUT.get(fmt)
    if output is not None and str(output) == STDOUT:
        if default is not None:
            raise ClaimtrackError(f"--format {fmt.value} writes {'a folder' if fmt is ExportFormat.csv else 'a file'}"
                                  f", not standard output: give -o PATH")
        return None
    if output is None and default is None:
        return None
    path = output or default
    assert path is not None
    if fmt is ExportFormat.csv:
        from claimtrack.export.csv import looks_exported

        return check_folder(path, looks_exported)
    target = check_file(path)
    if fmt is ExportFormat.sqlite:  # its Datasette metadata goes beside it
        from claimtrack.export.datasette import metadata_path

        check_file(metadata_path(target))
    return target


def export_dataset(report: Report, fmt: ExportFormat, path: Path | None, options: ExportOptions,
                   stdout: Emit | None = None) -> Exported:
    """Write the data set in `fmt` to `path` (a path plan_export returned; None: to `stdout`), replacing what
    was there only once the export is complete. ClaimtrackError when it cannot be written."""
    from claimtrack.export.target import Target

    try:
        return writers()[fmt](report, Target(path, stdout), options)
    except OSError as error:
        raise ClaimtrackError(f"cannot write {path or 'standard output'}: {error.strerror or error}") from error
