"""Export stage, Datasette metadata for the SQLite export: titles, table and column descriptions, labels,
facets, default sorts and, where one unit holds for a whole column, its unit (Datasette's `units`).

    datasette claims.db -m claims.metadata.json
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.export.tables import FULL_TEXT, TABLES

if TYPE_CHECKING:
    from claimtrack.report import Report

# Our unit symbols as Datasette's unit library (pint) names them; currencies have none.
PINT_UNITS: dict[str, str] = {
    "km": "km", "m": "m", "cm": "cm", "mm": "mm", "mi": "mile", "nmi": "nautical_mile", "ft": "foot", "yd": "yard",
    "km2": "km**2", "m2": "m**2", "ha": "hectare", "acre": "acre", "mi2": "mile**2",
    "kg": "kg", "g": "g", "t": "metric_ton", "lb": "pound",
    "J": "joule", "kJ": "kJ", "MJ": "MJ", "GJ": "GJ", "Wh": "watt_hour", "kWh": "kilowatt_hour",
    "MWh": "megawatt_hour", "GWh": "gigawatt_hour", "TWh": "terawatt_hour",
    "W": "watt", "kW": "kW", "MW": "MW", "GW": "GW", "l": "liter", "m3": "m**3",
    "s": "second", "min": "minute", "h": "hour", "days": "day", "weeks": "week", "months": "month", "years": "year",
    "%": "percent",
}

_FACETS = {"sources": ["type", "publisher"], "topics": ["status", "kind", "resolution_status"],
           "claims": ["topic", "source"], "conflict_pairs": ["topic", "internal"]}
_SORT_DESC = {"topics": "rank"}  # most severe first, as `claimtrack conflicts` lists them


def metadata_path(database: Path) -> Path:
    """claims.db -> claims.metadata.json, beside it."""
    return database.with_name(f"{database.stem}.metadata.json")


def write_metadata(report: Report, database: Path, path: Path) -> None:
    import orjson

    from claimtrack.writer import replaced_file

    data = orjson.dumps(metadata(report, database), option=orjson.OPT_INDENT_2) + b"\n"
    with replaced_file(path) as temporary:
        temporary.write_bytes(data)


def metadata(report: Report, database: Path) -> dict[str, Any]:
    """Datasette's metadata for the database file `database` (Datasette names a database after its file)."""
    name = database.stem
    units = _units(report)
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {"description": table.description,
                                 "columns": {column.name: column.description for column in table.columns}}
        if table.label:
            entry["label_column"] = table.label
        if table.name in _FACETS:
            entry["facets"] = _FACETS[table.name]
        if table.name in _SORT_DESC:
            entry["sort_desc"] = _SORT_DESC[table.name]
        if table.name == "claims":
            entry["fts_table"] = "claims_fts"
            entry["fts_pk"] = "rowid"
            if units:
                entry["units"] = units
        tables[table.name] = entry
    how = f"datasette {database.name} -m {metadata_path(database).name}"
    return {
        "title": "claimtrack: claims and where sources disagree",
        "description": (f"Every claim of the data set, its sources and topics, and the pairs of claims that "
                        f"disagree, exported by `claimtrack export --format sqlite`. Open it with: {how}. Full-text "
                        f"search covers the claims' {', '.join(FULL_TEXT)}. A quantity's ends are in its topic's "
                        "unit (topics.unit); a date's are ISO dates."),
        "source": "claimtrack export",
        "databases": {name: {"description": "Claims, sources, topics, qualifiers and conflicting pairs.",
                             "tables": tables}},
    }


def _units(report: Report) -> dict[str, str]:
    """Datasette's `units` for the numeric ends of quantity claims, when every quantity claim has one unit that
    Datasette knows; else none (mixed units are described: each claim's unit is its topic's)."""
    dataset = report.dataset
    used = {dataset.topics[key].unit for key, claims in dataset.by_topic.items()
            if claims and key in dataset.topics and dataset.topics[key].kind == "quantity"}
    if len(used) != 1:
        return {}
    unit = PINT_UNITS.get(used.pop() or "")
    return {"low_number": unit, "high_number": unit} if unit else {}
