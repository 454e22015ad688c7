"""`claimtrack export`: SQLite (opened by Datasette and DuckDB), CSV with a Frictionless data package, JSON Lines,
ClaimReview JSON-LD; atomic writes and clear errors."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.export import ExportFormat, ExportOptions, export_dataset, writers
from claimtrack.export import csv as csv_module
from claimtrack.export import jsonl as jsonl_module
from claimtrack.export import sqlite as sqlite_module
from claimtrack.export.claimreview import SHORT, statement
from claimtrack.export.datasette import PINT_UNITS
from claimtrack.export.tables import TABLES
from claimtrack.render.json import claim_object
from claimtrack.report import analyze
from tests.conftest import ClaimsFactory, source

SHIPPED = Path(__file__).resolve().parent.parent / "claims"
BORDER_IDS = {"asatryan-2024/border-length", "eurasianet-2025/border-length", "kaura-2021/border-length"}

# The columns docs/outputs.md names, table by table (more may follow them).
CONTRACT = {
    "sources": ["id", "title", "publisher", "published", "url", "type", "path"],
    "topics": ["key", "title", "kind", "unit", "status", "severity", "resolution_status", "preferred", "note"],
    "claims": ["id", "source", "topic", "value", "low", "high", "low_open", "high_open", "as_of", "quote",
               "attributed_to", "note", "path", "line"],
    "qualifiers": ["claim", "key", "value"],
    "conflict_pairs": ["topic", "a", "b", "severity"],
}

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def export_shipped(tmp_path: Path, fmt: str, name: str) -> Path:
    target = tmp_path / name
    result = run("export", "--format", fmt, "-o", str(target), "--dir", str(SHIPPED))
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_shipped(tmp_path_factory.mktemp("sqlite"), "sqlite", "claims.db")


@pytest.fixture
def db(shipped_db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(shipped_db)
    yield connection
    connection.close()


def shipped_claims() -> list[dict[str, Any]]:
    """The shipped data set's claims as `export --format jsonl` prints them."""
    result = run("export", "--format", "jsonl", "--dir", str(SHIPPED))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# --------------------------------------------------------------------------- SQLite

def test_sqlite_has_the_contract_tables_columns_and_keys(db: sqlite3.Connection) -> None:
    for table, columns in CONTRACT.items():
        info = db.execute(f"PRAGMA table_info({table})").fetchall()
        assert [row[1] for row in info][:len(columns)] == columns, table
    primary = {table: [row[1] for row in sorted(db.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5])
                       if row[5]] for table in CONTRACT}
    assert primary == {"sources": ["id"], "topics": ["key"], "claims": ["id"], "qualifiers": ["claim", "key"],
                       "conflict_pairs": []}
    keys = {(table, row[3], row[2], row[4]) for table in CONTRACT
            for row in db.execute(f"PRAGMA foreign_key_list({table})")}
    assert keys == {("claims", "source", "sources", "id"), ("claims", "topic", "topics", "key"),
                    ("qualifiers", "claim", "claims", "id"), ("conflict_pairs", "topic", "topics", "key"),
                    ("conflict_pairs", "a", "claims", "id"), ("conflict_pairs", "b", "claims", "id")}


def test_sqlite_foreign_keys_hold_and_every_claim_is_there(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    claims = shipped_claims()
    assert db.execute("SELECT count(*) FROM claims").fetchone() == (len(claims),)
    assert db.execute("SELECT count(*) FROM sources").fetchone() == (len({c["source"] for c in claims}),)
    conflicts = json.loads(run("conflicts", "--all", "--format", "json", "--dir", str(SHIPPED)).stdout)
    pairs = {tuple(pair) for topic in conflicts["conflicts"] for pair in topic["pairs"]}
    assert set(db.execute("SELECT a, b FROM conflict_pairs")) == pairs


def test_sqlite_full_text_search_finds_the_border_length_claims(db: sqlite3.Connection) -> None:
    found = {row[0] for row in db.execute(
        "SELECT claims.id FROM claims JOIN claims_fts ON claims_fts.rowid = claims.rowid "
        "WHERE claims_fts MATCH 'border'")}
    assert found >= BORDER_IDS
    in_values = "SELECT id FROM claims WHERE rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)"
    assert ("kaura-2021/border-length",) in set(db.execute(in_values, ['value: "1,400"']))


def test_sqlite_ends_are_those_of_the_json(db: sqlite3.Connection) -> None:
    claims = {c["id"]: c for c in shipped_claims()}
    rows = db.execute("SELECT id, low, high, low_open, high_open, path, line FROM claims").fetchall()
    assert len(rows) == len(claims)
    for claim_id, low, high, low_open, high_open, path, line in rows:
        claim = claims[claim_id]
        assert (low, high, bool(low_open), bool(high_open), path, line) == (
            claim["low"], claim["high"], claim["low_open"], claim["high_open"], claim["path"], claim["line"])
    assert db.execute("SELECT low, high, high_open FROM claims WHERE id = 'kaura-2021/border-length'").fetchone() == (
        1400.0, None, 1)
    dates = db.execute("SELECT low, high, low_date, typeof(low) FROM claims JOIN topics ON topics.key = claims.topic "
                       "WHERE kind = 'date' AND low IS NOT NULL").fetchall()
    assert dates and all(low == low_date and len(low) == 10 and kind == "text" for low, _, low_date, kind in dates)
    assert db.execute("SELECT count(*) FROM claims JOIN topics ON topics.key = claims.topic "
                      "WHERE kind = 'text' AND (low IS NOT NULL OR high IS NOT NULL)").fetchone() == (0,)


def test_datasette_opens_it_and_searches_it(shipped_db: Path) -> None:
    from datasette.app import Datasette

    metadata = json.loads(shipped_db.with_name("claims.metadata.json").read_text(encoding="utf-8"))

    async def ask() -> tuple[list[dict[str, Any]], str, list[dict[str, Any]]]:
        datasette = Datasette([str(shipped_db)], metadata=metadata)
        await datasette.invoke_startup()
        found = await datasette.client.get("/claims/claims.json?_search=border&_shape=array&_size=max")
        assert found.status_code == 200, found.text
        page = await datasette.client.get("/claims/conflict_pairs")
        assert page.status_code == 200
        topics = await datasette.client.get("/claims/topics.json?_shape=array")
        return found.json(), page.text, topics.json()

    found, page, topics = asyncio.run(ask())
    assert {row["id"] for row in found} >= BORDER_IDS
    assert "Length of the Tajikistan–Afghanistan border" in page  # topics' label_column, on their foreign keys
    assert topics[0]["rank"] == max(topic["rank"] for topic in topics)  # most severe first


def test_duckdb_reads_it(shipped_db: Path, tmp_path: Path) -> None:
    import duckdb
    from duckdb_extensions import import_extension

    connection = duckdb.connect()
    connection.execute(f"SET extension_directory = '{tmp_path / 'extensions'}'")
    import_extension("sqlite_scanner", con=connection)  # the extension from PyPI: no download at run time
    connection.execute(f"ATTACH '{shipped_db}' AS c (TYPE sqlite)")
    assert connection.execute("SELECT count(*) FROM c.claims").fetchone() == (len(shipped_claims()),)
    border = connection.execute("SELECT min(low_number), max(high_number) FROM c.claims "
                                "WHERE topic = 'border-length'").fetchone()
    assert border == (1343.5, 1374.5)  # "more than 1,400 km" has no high end
    assert connection.execute("SELECT count(*) FROM c.claims").fetchone()[0] == len(
        connection.execute("SELECT * FROM c.claims").fetchall())  # every column reads, `low` and `high` too
    connection.close()


def test_metadata_describes_every_table_and_column(shipped_db: Path) -> None:
    metadata = json.loads(shipped_db.with_name("claims.metadata.json").read_text(encoding="utf-8"))
    assert "datasette claims.db -m claims.metadata.json" in metadata["description"]
    tables = metadata["databases"]["claims"]["tables"]
    for table in TABLES:
        entry = tables[table.name]
        assert entry["description"]
        assert list(entry["columns"]) == list(table.names)
        assert all(entry["columns"].values())
    assert tables["sources"]["label_column"] == "title" and tables["topics"]["label_column"] == "title"
    assert "units" not in tables["claims"]  # the shipped topics are in km, %, USD …: described, not united


def test_metadata_units_only_when_one_unit_holds(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(topics="topics:\n  border-length:\n    title: Border\n    unit: km\n",
                         files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    assert run("export", "-f", "sqlite", "-o", str(tmp_path / "one.db"), "--dir", str(folder)).exit_code == 0
    metadata = json.loads((tmp_path / "one.metadata.json").read_text(encoding="utf-8"))
    claims = metadata["databases"]["one"]["tables"]["claims"]
    assert claims["units"] == {"low_number": "km", "high_number": "km"}


def test_every_unit_name_given_to_datasette_is_one_it_knows() -> None:
    from datasette.vendored import pint

    from claimtrack.units import UNITS

    registry = pint.UnitRegistry()
    for symbol, name in PINT_UNITS.items():
        assert symbol in UNITS, symbol
        assert (2 * registry(name)).magnitude == 2, name


def test_a_broken_source_header_keeps_its_claims_and_the_keys_whole(make_claims: ClaimsFactory,
                                                                    tmp_path: Path) -> None:
    folder = make_claims(files={
        "good.yaml": source("good", 'topic: border-length\nvalue: "1,344 km"\nquote: q'),
        "broken.yaml": ('source: {title: T, bogus: 1}\n'
                        'claims:\n  - {topic: border-length, value: "1,374 km", quote: q}\n'),
    })
    target = tmp_path / "x.db"
    result = run("export", "-f", "sqlite", "-o", str(target), "--dir", str(folder))
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert {row[0] for row in connection.execute("SELECT id FROM claims")} == {
            "good/border-length", "broken/border-length"}
        assert connection.execute("SELECT count(*) FROM conflict_pairs").fetchone() == (1,)
    connection.close()


# --------------------------------------------------------------------------- CSV

def test_csv_has_a_file_per_table_described_by_a_valid_data_package(tmp_path: Path) -> None:
    import frictionless

    folder = export_shipped(tmp_path, "csv", "out")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == set(CONTRACT)
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        ["datapackage.json", *(f"{name}.csv" for name in CONTRACT)])
    for name, resource in resources.items():
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = resource["schema"]["fields"]
        assert header == [field["name"] for field in fields]
        assert header[:len(CONTRACT[name])] == CONTRACT[name]
        assert all(field["type"] and field["description"] for field in fields)
    assert resources["claims"]["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}} in (
        resources["claims"]["schema"]["foreignKeys"])
    with (folder / "claims.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == len(shipped_claims())
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_data_package_validation_would_catch_a_broken_key(tmp_path: Path) -> None:
    import frictionless

    folder = export_shipped(tmp_path, "csv", "out")
    claims = folder / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace(",asatryan-2024,", ",nobody,", 1), encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error[0] for error in report.flatten(["type"])}


# --------------------------------------------------------------------------- JSON Lines

def test_jsonl_is_one_claim_object_a_line_with_its_topic(tmp_path: Path) -> None:
    claims = shipped_claims()
    report = analyze(SHIPPED)
    assert len(claims) == len(report.dataset.claims)
    first = report.dataset.claims[0]
    expected = {*claim_object(first, report.dataset.topics[first.topic]), "topic"}
    assert all(set(claim) == expected for claim in claims)
    conflicts = json.loads(run("conflicts", "--format", "json", "--dir", str(SHIPPED)).stdout)
    assert set(conflicts["conflicts"][0]["claims"][0]) | {"topic"} == expected
    by_id = {claim["id"]: claim for claim in claims}
    assert by_id["kaura-2021/border-length"]["topic"] == "border-length"
    assert by_id["kaura-2021/border-length"]["high"] is None
    target = export_shipped(tmp_path, "jsonl", "claims.jsonl")
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == claims
    dashed = run("export", "--format", "jsonl", "-o", "-", "--dir", str(SHIPPED))
    assert dashed.exit_code == 0 and dashed.stdout_bytes == target.read_bytes()


# --------------------------------------------------------------------------- ClaimReview

REVIEWED_TOPICS = """
topics:
  border-length:
    title: Length of the border
    unit: km
    resolution:
      status: explained
      preferred: "1,344 km"
      note: The official figure.
      covers: [press/border-length, loose/border-length]
  capital:
    title: Capital city
    kind: text
    resolution: {status: accepted, preferred: Khorog}
  recognised:
    title: Recognised the government
    kind: boolean
    resolution: {status: accepted, preferred: "no"}
  refugees:
    title: Refugees received
"""

REVIEWED = {
    "official.yaml": ("source:\n  id: official\n  title: Border facts\n  publisher: Ministry\n  published: 2024-05\n"
                      "  url: https://example.org/facts\n  author: [Ann Author]\nclaims:\n"
                      '  - {topic: border-length, value: "1,344 km", quote: "a border of 1,344 kilometres"}\n'
                      "  - {topic: capital, value: Khorog, quote: in Khorog}\n"
                      "  - {topic: recognised, value: 'no', quote: has not recognised}\n"),
    "press.yaml": source("press", 'topic: border-length\nvalue: "1,374 km"\nquote: "a 1,374-kilometre border"\n'
                                  "attributed_to: Emomali Rahmon",
                         "topic: capital\nvalue: Dushanbe\nquote: Dushanbe",
                         "topic: recognised\nvalue: 'yes'\nquote: recognised it",
                         'topic: refugees\nvalue: "1,000"\nquote: "1,000 refugees"'),
    "loose.yaml": source("loose", 'topic: border-length\nvalue: "about 1,300 km"\nquote: "some 1,300 km"'),
}


def reviews_of(folder: Path, *extra: str) -> list[dict[str, Any]]:
    result = run("export", "--format", "claimreview", "--publisher", "Fact Desk", *extra, "--dir", str(folder))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_claimreview_rates_every_claim_of_a_topic_with_a_preferred_value(make_claims: ClaimsFactory) -> None:
    reviews = reviews_of(make_claims(REVIEWED_TOPICS, REVIEWED))
    verdicts = {r["itemReviewed"]["identifier"]: (r["reviewRating"]["ratingValue"], r["reviewRating"]["alternateName"])
                for r in reviews}
    assert verdicts == {
        "official/border-length": (3, "Accurate"),
        "loose/border-length": (2, "Imprecise"),  # [1,170, 1,430] km meets 1,344 km, but reaches beyond it
        "press/border-length": (1, "Inaccurate"),
        "official/capital": (3, "Accurate"), "press/capital": (1, "Inaccurate"),
        "official/recognised": (3, "Accurate"), "press/recognised": (1, "Inaccurate"),
    }  # one review per claim; refugees has no preferred value and no review
    assert len(reviews) == len(verdicts)


def test_claimreview_fields_follow_googles_fact_check_documentation(make_claims: ClaimsFactory) -> None:
    reviews = reviews_of(make_claims(REVIEWED_TOPICS, REVIEWED), "--url-base", "https://desk.example/reviews")
    by_id = {r["itemReviewed"]["identifier"]: r for r in reviews}
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["url"] == f"https://desk.example/reviews/{review['itemReviewed']['identifier']}"
        assert 0 < len(review["claimReviewed"]) <= SHORT
        assert review["author"] == {"@type": "Organization", "name": "Fact Desk"}
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and (rating["bestRating"], rating["worstRating"]) == (3, 1)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"] and rating["alternateName"]
        assert review["itemReviewed"]["@type"] == "Claim"
        assert not {"Accurate", "Imprecise", "Inaccurate"} & set(review["claimReviewed"].split())
    official = by_id["official/border-length"]
    assert official["claimReviewed"] == "a border of 1,344 kilometres"
    assert official["itemReviewed"]["author"] == {"@type": "Person", "name": "Ann Author"}
    assert official["itemReviewed"]["datePublished"] == "2024-05"
    assert official["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork", "headline": "Border facts", "url": "https://example.org/facts",
        "datePublished": "2024-05", "author": {"@type": "Person", "name": "Ann Author"},
        "publisher": {"@type": "Organization", "name": "Ministry"}}
    assert "1,344 km" in official["reviewRating"]["ratingExplanation"]
    assert by_id["press/border-length"]["itemReviewed"]["author"] == {"@type": "Person", "name": "Emomali Rahmon"}
    assert "url" not in reviews_of(make_claims(REVIEWED_TOPICS, REVIEWED, folder="again"))[0]


def test_claimreview_needs_a_publisher(make_claims: ClaimsFactory) -> None:
    folder = make_claims(REVIEWED_TOPICS, REVIEWED)
    result = run("export", "--format", "claimreview", "--dir", str(folder))
    assert result.exit_code == 2
    assert "--publisher" in result.stderr and result.stdout == ""
    assert run("export", "--format", "jsonl", "--publisher", "X", "--dir", str(folder)).exit_code == 2


def test_an_unreadable_preferred_value_is_a_warning_not_a_failure(make_claims: ClaimsFactory) -> None:
    topics = REVIEWED_TOPICS.replace('preferred: "1,344 km"', 'preferred: "the official one"')
    result = run("export", "--format", "claimreview", "--publisher", "Desk", "--dir",
                 str(make_claims(topics, REVIEWED)))
    assert result.exit_code == 0, result.output
    assert "preferred value of 'border-length' cannot be read" in result.stderr
    assert "border-length" not in {r["itemReviewed"]["identifier"].split("/")[1] for r in json.loads(result.stdout)}


def test_the_statement_is_the_quote_around_its_figure_shortened() -> None:
    quote = ("Tajikistan and Afghanistan, which are separated by a long and porous frontier, share a rugged "
             "1,374-kilometer-long border that runs through the Pamir mountains and along the Panj river")
    shown = statement(quote, "1,374 km")
    assert len(shown) < SHORT and "1,374-kilometer-long" in shown  # Google: under 75 characters
    assert shown.startswith("…") and shown.endswith("…")
    assert statement("  short   quote ", "5") == "short quote"
    assert len(statement("x" * 200, "1")) < SHORT and statement("x" * 200, "1").endswith("…")  # one long word
    assert statement("a\x07bell and a\x00nul", "1") == "a bell and a nul"  # control characters are spaces


# --------------------------------------------------------------------------- atomic writes and errors

class Interrupted(Exception):
    pass


def failing_after(rows: list[Any], count: int, error: BaseException) -> Iterator[Any]:
    """The rows, then a failure part-way through them."""
    yield from rows[:count]
    raise error


@pytest.mark.parametrize("error", [Interrupted("disk on fire"), KeyboardInterrupt()])
@pytest.mark.parametrize("fmt", [ExportFormat.sqlite, ExportFormat.csv])
def test_a_failure_part_way_leaves_nothing_behind(fmt: ExportFormat, error: BaseException, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    module = sqlite_module if fmt is ExportFormat.sqlite else csv_module
    real = module.build_rows

    def broken(report: Any) -> dict[str, Any]:
        rows = real(report)
        return {**rows, "claims": failing_after(rows["claims"], 50, error)}

    monkeypatch.setattr(module, "build_rows", broken)
    out = tmp_path / "out"
    out.mkdir()
    target = out / ("claims.db" if fmt is ExportFormat.sqlite else "claims-csv")
    with pytest.raises(type(error)):
        export_dataset(analyze(SHIPPED), fmt, target, ExportOptions())
    assert list(out.iterdir()) == []  # no file at -o and no temporary left


def test_a_failure_part_way_keeps_the_earlier_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = export_shipped(tmp_path, "sqlite", "claims.db")
    before = target.read_bytes()
    real = sqlite_module.build_rows
    monkeypatch.setattr(sqlite_module, "build_rows",
                        lambda report: {**real(report), "conflict_pairs": failing_after([], 0, Interrupted())})
    with pytest.raises(Interrupted):
        export_dataset(analyze(SHIPPED), ExportFormat.sqlite, target, ExportOptions())
    assert target.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["claims.db", "claims.metadata.json"]


def test_a_failing_stream_export_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def shown(*args: Any) -> dict[str, Any]:
        calls.append(1)
        if len(calls) > 3000:  # past the first batch written
            raise KeyboardInterrupt
        return claim_object(*args)

    report = analyze(SHIPPED)
    report = replace(report, dataset=replace(report.dataset, claims=report.dataset.claims * 30))
    monkeypatch.setattr(jsonl_module, "claim_object", shown)
    with pytest.raises(KeyboardInterrupt):
        export_dataset(report, ExportFormat.jsonl, tmp_path / "claims.jsonl", ExportOptions())
    assert list(tmp_path.iterdir()) == []


def test_exporting_again_replaces_the_earlier_export(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in (("sqlite", "x.db"), ("csv", "x-csv"), ("jsonl", "x.jsonl")):
        assert run("export", "-f", fmt, "-o", str(out / name), "--dir", str(folder)).exit_code == 0
    (folder / "b.yaml").write_text(source("b", 'topic: border-length\nvalue: "1,374 km"\nquote: q'), encoding="utf-8")
    for fmt, name in (("sqlite", "x.db"), ("csv", "x-csv"), ("jsonl", "x.jsonl")):
        assert run("export", "-f", fmt, "-o", str(out / name), "--dir", str(folder)).exit_code == 0
    with sqlite3.connect(out / "x.db") as connection:
        assert connection.execute("SELECT count(*) FROM claims").fetchone() == (2,)
    connection.close()
    assert len((out / "x-csv" / "claims.csv").read_text(encoding="utf-8").splitlines()) == 1 + 2
    assert len((out / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert sorted(path.name for path in out.iterdir()) == ["x-csv", "x.db", "x.jsonl", "x.metadata.json"]
    assert oct((out / "x.db").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_csv_export_never_replaces_a_folder_of_other_files(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = run("export", "-f", "csv", "-o", str(precious), "--dir", str(folder))
    assert result.exit_code == 2 and "holds other files" in result.stderr
    assert [path.name for path in precious.iterdir()] == ["thesis.txt"]


def test_a_csv_export_never_replaces_another_packages_folder(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    theirs = tmp_path / "mydata"
    theirs.mkdir()
    (theirs / "datapackage.json").write_text('{"name": "my-own-package"}', encoding="utf-8")
    (theirs / "sources.csv").write_text("id,title\n1,precious\n", encoding="utf-8")
    result = run("export", "-f", "csv", "-o", str(theirs), "--dir", str(folder))
    assert result.exit_code == 2 and "holds other files" in result.stderr
    assert (theirs / "sources.csv").read_text(encoding="utf-8") == "id,title\n1,precious\n"
    link = tmp_path / "linked"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = run("export", "-f", "csv", "-o", str(link), "--dir", str(folder))
    assert result.exit_code == 2 and "symlink" in result.stderr and link.is_symlink()


def test_an_output_symlink_is_followed_and_a_fifo_refused(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert run("export", "-f", "jsonl", "-o", str(link), "--dir", str(folder)).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith('{"id":"a/border-length"')
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for fmt in ("jsonl", "sqlite"):
        result = run("export", "-f", fmt, "-o", str(fifo), "--dir", str(folder))
        assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert fifo.is_fifo()
    done = run("report", "-o", str(fifo), "--dir", str(folder))
    assert done.exit_code == 2 and fifo.is_fifo()


def test_a_file_name_that_is_not_utf8_is_exported(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    odd = os.fsdecode(bytes(folder) + b"/b\xffname.yaml")
    Path(odd).write_text(source("b", 'topic: border-length\nvalue: "1,374 km"\nquote: q'), encoding="utf-8")
    for fmt, output in (("jsonl", "-"), ("sqlite", str(tmp_path / "x.db")), ("csv", str(tmp_path / "csv"))):
        result = run("export", "-f", fmt, "-o", output, "--dir", str(folder))
        assert result.exit_code == 0, (fmt, result.output)
    lines = run("export", "-f", "jsonl", "--dir", str(folder)).stdout.splitlines()
    assert any(json.loads(line)["path"].endswith("b\\xffname.yaml") for line in lines)  # the byte, shown
    assert run("conflicts", "-f", "json", "--dir", str(folder)).exit_code == 0


def test_one_claim_id_from_two_files_keeps_the_valid_source(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(files={  # e.yaml's header is broken: its claim falls back to source id "e" too
        "x.yaml": source("e", 'topic: border-length\nvalue: "1,344 km"\nquote: q'),
        "e.yaml": 'source: {titel: T}\nclaims:\n  - {topic: border-length, value: "1,500 km", quote: q}\n'})
    target = tmp_path / "x.db"
    assert run("export", "-f", "sqlite", "-o", str(target), "--dir", str(folder)).exit_code == 0
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT value FROM claims").fetchall() == [("1,344 km",)]
        assert connection.execute("SELECT count(*) FROM conflict_pairs WHERE a = b").fetchone() == (0,)
    connection.close()


_STALLED_EXPORT = """
import sys, time
from claimtrack import cli
from claimtrack.export import jsonl
def stall(report, target, options):
    with target.stream() as emit:
        emit(b"partial\\n")
        time.sleep(60)
jsonl.write = stall
sys.argv = ["claimtrack", "export", "-f", "jsonl", "-o", sys.argv[1]]
cli.main()
"""


def test_sigterm_leaves_no_temporary_file(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    import signal
    import time

    folder = make_claims(files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    out = tmp_path / "out" / "claims.jsonl"
    out.parent.mkdir()
    child = subprocess.Popen([sys.executable, "-c", _STALLED_EXPORT, str(out)],
                             env={**os.environ, "CLAIMTRACK_DIR": str(folder)})
    deadline = time.monotonic() + 30
    while not list(out.parent.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out.parent.iterdir()), "the export never began"
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    assert list(out.parent.iterdir()) == []  # neither a temporary nor a half-written file


@pytest.mark.parametrize(("fmt", "output", "message"), [
    ("sqlite", "missing/claims.db", "missing does not exist"),
    ("sqlite", "afile/claims.db", "afile is not a folder"),
    ("sqlite", "adir", "it is a folder"),
    ("csv", "afile", "it is a file"),
    ("jsonl", "missing/claims.jsonl", "missing does not exist"),
    ("sqlite", "-", "not standard output"),
    ("csv", "-", "not standard output"),
    ("csv", ".", "the working folder"),
])
def test_an_unwritable_target_is_one_error_line_and_exit_2(fmt: str, output: str, message: str,
                                                            make_claims: ClaimsFactory, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q')})
    work = tmp_path / "work"
    work.mkdir()
    (work / "afile").write_text("x", encoding="utf-8")
    (work / "adir").mkdir()
    monkeypatch.chdir(work)
    result = run("export", "-f", fmt, "-o", output, "--dir", str(folder))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.output
    assert sorted(path.name for path in work.iterdir()) == ["adir", "afile"]


def test_a_database_error_on_the_way_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path, rows: Any) -> None:
        path.write_bytes(b"SQLite format 3\x00 and then the disk was full")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite_module, "fill_database", full)
    monkeypatch.chdir(tmp_path)
    result = run("export", "-f", "sqlite", "-o", "claims.db", "--dir", str(SHIPPED))
    assert result.exit_code == 2
    assert result.stderr == "error: cannot write claims.db: database or disk is full\n"
    assert list(tmp_path.iterdir()) == []


def test_the_documented_schema_is_the_exported_one() -> None:
    text = (SHIPPED.parent / "docs" / "outputs.md").read_text(encoding="utf-8")
    for table in TABLES:
        section = text.split(f"**`{table.name}`**", 1)[1].split("\n\n", 2)[1]
        documented = [line.split("|")[1:3] for line in section.splitlines()[2:]]
        assert [(name.strip(" `"), kind.strip()) for name, kind in documented] == [
            (column.name, sqlite_module.SQL_TYPES[column.type]) for column in table.columns], table.name


def test_every_format_has_a_writer_and_export_has_help() -> None:
    assert set(writers()) == set(ExportFormat)
    result = run("export", "--help")
    assert result.exit_code == 0 and "--publisher" in result.output
    assert run("export", "--format", "parquet").exit_code == 2


def test_the_installed_command_exports_and_refuses(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("claimtrack")
    if not script.exists():
        pytest.skip("console script not installed next to this Python")
    done = subprocess.run([str(script), "export", "--format", "sqlite", "--dir", str(SHIPPED)], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "exported" in done.stderr
    with sqlite3.connect(tmp_path / "claimtrack.db") as connection:
        assert connection.execute("SELECT count(*) FROM claims").fetchone()[0] > 100
    connection.close()
    assert (tmp_path / "claimtrack.metadata.json").exists()
    done = subprocess.run([str(script), "export", "--format", "jsonl", "--dir", str(SHIPPED)], cwd=tmp_path,
                          capture_output=True, check=False)
    assert done.returncode == 0
    lines = done.stdout.decode("utf-8").splitlines()
    assert all(json.loads(line)["id"] for line in lines) and len(lines) > 100
    done = subprocess.run([str(script), "export", "--format", "claimreview", "--dir", str(SHIPPED)], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--publisher" in done.stderr


def test_the_library_exports_to_any_byte_sink() -> None:
    emitted: list[bytes] = []
    exported = export_dataset(analyze(SHIPPED), ExportFormat.jsonl, None, ExportOptions(), emitted.append)
    assert exported.paths == () and exported.count == len(shipped_claims())
    assert [json.loads(line) for line in b"".join(emitted).splitlines()] == shipped_claims()
    emitted.clear()
    export_dataset(analyze(SHIPPED), ExportFormat.claimreview, None, ExportOptions(publisher="Desk"), emitted.append)
    assert json.loads(b"".join(emitted)) == []  # no shipped topic's resolution names a preferred value
