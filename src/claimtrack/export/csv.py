"""Export stage, CSV: one UTF-8 CSV file per table (a header row, then the rows) and a Frictionless Tabular
Data Package (`datapackage.json`) that names every column with its type, and every table's keys.

NULL is an empty field; booleans are `true`/`false`; array columns hold JSON text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from claimtrack.export import Exported, ExportOptions
from claimtrack.export.tables import TABLES, ColumnType, Row, Table, build_rows
from claimtrack.export.target import Target
from claimtrack.writer import replaced_folder

if TYPE_CHECKING:
    from claimtrack.report import Report

PACKAGE = "datapackage.json"
PACKAGE_NAME = "claimtrack"  # how a folder that an earlier export wrote is told from one to leave alone


def write(report: Report, target: Target, options: ExportOptions) -> Exported:
    """The data set as a folder of CSV files with its datapackage.json."""
    import orjson

    assert target.path is not None, "a CSV export is a folder"
    rows = build_rows(report)
    with replaced_folder(target.path, looks_exported) as folder:
        for table in TABLES:
            _write_table(folder / f"{table.name}.csv", table, rows[table.name])
        (folder / PACKAGE).write_bytes(orjson.dumps(datapackage(), option=orjson.OPT_INDENT_2) + b"\n")
    return Exported((target.path,), len({claim.id for claim in report.dataset.claims}), "claim")


def looks_exported(folder: Path) -> bool:
    """Is `folder` an earlier CSV export of claimtrack's (its data package, named claimtrack, and its CSV
    files, all regular files, nothing else) that may be replaced as a whole?"""
    import orjson

    entries = list(folder.iterdir())
    names = {path.name for path in entries}
    if PACKAGE not in names or not names <= {PACKAGE, *(f"{table.name}.csv" for table in TABLES)}:
        return False
    if any(path.is_symlink() or not path.is_file() for path in entries):
        return False
    try:
        return bool(orjson.loads((folder / PACKAGE).read_bytes()).get("name") == PACKAGE_NAME)
    except (OSError, orjson.JSONDecodeError, AttributeError):
        return False


def _write_table(path: Path, table: Table, rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_rows(handle, table, rows)


def write_rows(handle: TextIO, table: Table, rows: Iterable[Row]) -> None:
    """The table's header row, then its rows, as CSV (booleans as true/false, NULL as an empty field)."""
    flags = [i for i, column in enumerate(table.columns) if column.type == "boolean"]
    writer = csv.writer(handle)
    writer.writerow(table.names)
    if not flags:
        writer.writerows(rows)
        return
    for row in rows:
        cells = list(row)
        for i in flags:
            cells[i] = "true" if cells[i] else "false"
        writer.writerow(cells)


def datapackage() -> dict[str, Any]:
    """The Frictionless Tabular Data Package that describes the CSV files."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "claimtrack: claims and where sources disagree",
        "description": "Every claim of the data set, its sources and topics, and the pairs of claims that "
                       "disagree, exported by `claimtrack export --format csv`.",
        "resources": [_resource(table) for table in TABLES],
    }


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [_field(column.name, column.type, column.description, column.required)
                                         for column in table.columns],
                              "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": [key.column], "reference": {"resource": key.table, "fields": [key.other]}}
                                 for key in table.foreign_keys]
    return {"profile": "tabular-data-resource", "name": table.name, "path": f"{table.name}.csv",
            "title": table.name, "description": table.description, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": schema}


def _field(name: str, kind: ColumnType, description: str, required: bool) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}  # Frictionless's names
    if kind == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if required:
        field["constraints"] = {"required": True}
    return field
