"""Export stage, shared part: the five tables of the data set (their columns, keys and descriptions) and
their rows, built once from a Report for every tabular format (SQLite, CSV).

A claim's row is taken from the JSON claim object (render/json.py), so `low`, `high`, `path` and `line`
mean in a table exactly what they mean in `conflicts --format json`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal

from claimtrack.render.json import claim_object
from claimtrack.render.text import shown_path

if TYPE_CHECKING:
    from claimtrack.dataset import Claim, Topic
    from claimtrack.report import Report

# string, number, integer and date as in SQL; boolean is 0/1 in SQLite and true/false in CSV; array is a JSON
# array written as text; any is `low`/`high`: a number for quantities, an ISO date for dates.
ColumnType = Literal["string", "number", "integer", "boolean", "date", "array", "any"]
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    other: str  # the referenced column of `table`


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    label: str | None = None  # the column that names a row where another table points to it

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


_SEVERITY = ("the gap between the intervals as a share of the larger magnitude (0–1) for quantities, in days for "
             "dates; 1 − similarity/100 for text; 1 for booleans")

SOURCES = Table(
    "sources", "The source documents: one row per source file.",
    (Column("id", "string", "The source's id (its `source.id`, or the file's name).", required=True),
     Column("title", "string", "The document's title (NULL when the source header could not be read)."),
     Column("publisher", "string", "Who published the document."),
     Column("published", "string", "When it was published, as written: YYYY, YYYY-MM or YYYY-MM-DD."),
     Column("url", "string", "Where the document is online."),
     Column("type", "string", "news, analysis, policy-brief, official, academic, dataset or other."),
     Column("path", "string", "The source file, as claimtrack shows it."),
     Column("authors", "array", "The document's authors, as a JSON array."),
     Column("note", "string", "The editors' note on the source.")),
    primary_key=("id",), label="title")

TOPICS = Table(
    "topics", "The topic registry (topics.yaml): what a claim can be about, and whether its claims agree.",
    (Column("key", "string", "The topic's key (a slug).", required=True),
     Column("title", "string", "What the topic is."),
     Column("kind", "string", "quantity, date, text or boolean."),
     Column("unit", "string", "The canonical unit of a quantity topic; NULL for plain counts and other kinds."),
     Column("status", "string", "ok (no conflict), unresolved, disputed or resolved."),
     Column("severity", "number", "The largest severity of its conflicting pairs (see conflict_pairs); 0 without "
            "a conflict."),
     Column("resolution_status", "string", "The editors' verdict: explained, accepted or disputed; NULL if none."),
     Column("preferred", "string", "The value the resolution prefers, as written."),
     Column("note", "string", "The resolution's note: why the claims differ, or what is contested."),
     Column("covers", "array", "The claim ids the resolution covers, as a JSON array."),
     Column("aliases", "array", "Other names of the topic, as a JSON array."),
     Column("topic_note", "string", "The topic's own note (topics.yaml `note`)."),
     Column("claims", "integer", "How many claims the topic has."),
     Column("rank", "number", "The severity on one 0–1 scale for ordering topics of every kind (dates a year or more "
            "apart count as 1): the order of `claimtrack conflicts`.")),
    primary_key=("key",), label="title")

CLAIMS = Table(
    "claims", "Every claim of every source: its value as written and as an interval in the topic's unit.",
    (Column("id", "string", "The claim's full id, SOURCE-ID/CLAIM-ID.", required=True),
     Column("source", "string", "The source document that makes the claim.", required=True),
     Column("topic", "string", "What the claim is about.", required=True),
     Column("value", "string", "The value as the source gives it (a structured value in words)."),
     Column("low", "any", "Low end of the value's interval, as in the JSON output: a number in the topic's unit "
            "(0/1 for booleans) or an ISO date; NULL when unbounded or for text claims."),
     Column("high", "any", "High end of the value's interval, as `low`."),
     Column("low_open", "boolean", "Whether the low end itself is excluded (an unbounded end is open)."),
     Column("high_open", "boolean", "Whether the high end itself is excluded."),
     Column("as_of", "string", "When the value holds, as written."),
     Column("quote", "string", "The source's words, verbatim."),
     Column("attributed_to", "string", "Who the source reports as saying it."),
     Column("note", "string", "The editors' note on the claim."),
     Column("path", "string", "The claim file, as claimtrack shows it."),
     Column("line", "integer", "The line of the claim in its file."),
     Column("internal_inconsistency", "boolean", "Whether the claim conflicts with another claim of its own source."),
     Column("low_number", "number", "`low` of a quantity claim as a number (NULL for other kinds): one type per "
            "column, for tools that need it (DuckDB)."),
     Column("high_number", "number", "`high` of a quantity claim as a number (NULL for other kinds)."),
     Column("low_date", "date", "`low` of a date claim as an ISO date (NULL for other kinds)."),
     Column("high_date", "date", "`high` of a date claim as an ISO date (NULL for other kinds).")),
    primary_key=("id",),
    foreign_keys=(ForeignKey("source", "sources", "id"), ForeignKey("topic", "topics", "key")),
    label="value")

QUALIFIERS = Table(
    "qualifiers", "The qualifiers of claims (`qualifiers: {measure: official}`): claims of one topic are compared "
    "only where the keys they share agree.",
    (Column("claim", "string", "The qualified claim.", required=True),
     Column("key", "string", "The qualifier's name.", required=True),
     Column("value", "string", "The qualifier's value.")),
    primary_key=("claim", "key"),
    foreign_keys=(ForeignKey("claim", "claims", "id"),))

CONFLICT_PAIRS = Table(
    "conflict_pairs", "Every pair of claims of a topic, in scope of each other, whose values do not meet.",
    (Column("topic", "string", "The topic both claims are about.", required=True),
     Column("a", "string", "One claim of the pair (the lower value).", required=True),
     Column("b", "string", "The other claim.", required=True),
     Column("severity", "number", f"How far apart they are: {_SEVERITY}."),
     Column("internal", "boolean", "Whether both claims come from one source (the document contradicts itself).")),
    foreign_keys=(ForeignKey("topic", "topics", "key"), ForeignKey("a", "claims", "id"),
                  ForeignKey("b", "claims", "id")))

# In the order they are filled: every table after the ones it points to.
TABLES: tuple[Table, ...] = (SOURCES, TOPICS, CLAIMS, QUALIFIERS, CONFLICT_PAIRS)
FULL_TEXT = ("quote", "value", "note")  # the claims columns a full-text index covers

# The claims columns taken from the JSON claim object, in the table's order (the typed ends follow them).
_TYPED_ENDS = ("low_number", "high_number", "low_date", "high_date")
_FROM_JSON = itemgetter(*(name for name in CLAIMS.names if name not in _TYPED_ENDS))


def build_rows(report: Report) -> dict[str, Iterable[Row]]:
    """Every table's rows, by table name, each row in the order of the table's columns. The conflict pairs are
    made as they are written: n claims that all disagree make n²/2 of them, the table's size but not in memory."""
    dataset = report.dataset
    pairs, internal = _pairs(report), internal_claims(report)
    claims: list[Row] = []
    qualifiers: list[Row] = []
    seen: set[str] = set()
    # Two files can give one claim id when one's source header is broken (reported as such, its claims go
    # under the file's name): the claims of a source that exists come first and win.
    def from_its_source(claim: Claim) -> bool:
        source = dataset.sources.get(claim.source)
        return source is not None and source.path == claim.positions.shown

    for claim in sorted(dataset.claims, key=lambda c: not from_its_source(c)):
        if claim.id in seen:
            continue
        seen.add(claim.id)
        claims.append(claim_row(claim, dataset.topics[claim.topic], claim.id in internal))
        qualifiers.extend((claim.id, key, value) for key, value in claim.qualifiers)
    return {"sources": _sources(report), "topics": _topics(report), "claims": claims, "qualifiers": qualifiers,
            "conflict_pairs": pairs}


def claim_row(claim: Claim, topic: Topic, internal: bool) -> Row:
    """A claim as a row of the claims table (`claimtrack claims --format csv` writes these rows too)."""
    shown = claim_object(claim, topic, internal)
    shown["topic"] = claim.topic
    low, high = shown["low"], shown["high"]
    kind = topic.kind
    return (*_FROM_JSON(shown), low if kind == "quantity" else None, high if kind == "quantity" else None,
            low if kind == "date" else None, high if kind == "date" else None)


def internal_claims(report: Report) -> set[str]:
    """Ids of the claims that conflict with a claim of their own source."""
    return {claim_id for conflict in report.conflicts.values() for claim_id in conflict.internal_ids}


def _pairs(report: Report) -> Iterator[Row]:
    for conflict in report.conflicts.values():
        key = conflict.topic.key
        for pair in conflict.pairs:
            if pair.first.id == pair.second.id:
                continue  # one id for two claims (see build_rows): not a pair of claims the table can name
            yield (key, pair.first.id, pair.second.id, round(pair.severity, 4), pair.internal)


def _sources(report: Report) -> list[Row]:
    dataset = report.dataset
    rows: list[Row] = [(s.id, s.title, s.publisher, s.published, s.url, s.type, shown_path(s.path), json_list(s.author),
                        s.note) for s in dataset.sources.values()]
    # A file whose source header is broken still has its claims (under the file's name): keep them, and the key
    missing: dict[str, str] = {}
    for claim in dataset.claims:
        if claim.source not in dataset.sources:
            missing.setdefault(claim.source, shown_path(claim.positions.shown))
    rows.extend((source_id, None, None, None, None, None, path, "[]", None) for source_id, path in missing.items())
    return rows


def _topics(report: Report) -> list[Row]:
    rows: list[Row] = []
    by_topic = report.dataset.by_topic
    for topic in report.dataset.topics.values():
        conflict = report.conflicts.get(topic.key)
        resolution = topic.resolution
        rows.append((topic.key, topic.title, topic.kind, topic.unit, conflict.status if conflict else "ok",
                     round(conflict.severity, 4) if conflict else 0.0,
                     resolution.status if resolution else None, resolution.preferred if resolution else None,
                     resolution.note if resolution else None, json_list(resolution.covers if resolution else ()),
                     json_list(topic.aliases), topic.note, len(by_topic.get(topic.key, ())),
                     round(conflict.rank, 4) if conflict else 0.0))
    return rows


def json_list(values: Iterable[str]) -> str:
    """A list of strings as the JSON text an `array` column holds."""
    import orjson

    return orjson.dumps(list(values)).decode()
