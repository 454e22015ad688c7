"""Units of water, energy and trade reporting, and `claimtrack units`, through the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimtrack.units import UNITS, known_units, lookup_unit
from claimtrack.values import QuantityScale, parse_quantity
from tests.conftest import ClaimsFactory, source


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=60, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}, check=False)


@pytest.mark.parametrize(("written", "unit", "low", "high"), [
    ("13.3 km3", "km3", 13.25, 13.35),
    ("13.3 km³", "km3", 13.25, 13.35),
    ("60 cubic km", "km3", 55, 65),
    ("2 bcm", "km3", 1.5, 2.5),  # a billion cubic metres is a cubic kilometre
    ("5 billion cubic metres", "km3", 4.5, 5.5),
    ("1,200 m3/s", "m3/s", 1150, 1250),
    ("1,200 cumecs", "m3/s", 1150, 1250),
    ("21 km3 per year", "m3/s", 20.5e9 / 31556952, 21.5e9 / 31556952),
    ("3,600 MW", "GW", 3.55, 3.65),
    ("220 kV", "kV", 215, 225),
    ("17 TWh", "GWh", 16500, 17500),
    ("55 mph", "km/h", 54.5 * 1.609344, 55.5 * 1.609344),
    ("USD 1.360 billion", "USD", 1.3595e9, 1.3605e9),
    ("PKR 5 billion", "PKR", 4.5e9, 5.5e9),
    ("500 rupees", "PKR", 450, 550),  # an ambiguous word takes the topic's currency
    ("500 rupees", "INR", 450, 550),
])
def test_reporting_units_convert(written: str, unit: str, low: float, high: float) -> None:
    got = parse_quantity(written, QuantityScale(unit=lookup_unit(unit)))
    assert got.low == pytest.approx(low) and got.high == pytest.approx(high), got


def test_every_spelling_names_its_own_unit() -> None:
    for unit, spellings in known_units():
        for spelling in (unit.symbol, *spellings):
            assert lookup_unit(spelling, unit.dimension) == unit, spelling


def test_units_lists_volumes_and_flows_and_filters_by_dimension() -> None:
    every = _run("units")
    assert every.returncode == 0 and "km3" in every.stdout and "m3/s" in every.stdout and "cumecs" in every.stdout
    flows = _run("units", "flow", "--format", "json")
    rows = json.loads(flows.stdout)["units"]
    assert {row["symbol"] for row in rows} >= {"m3/s", "km3/year"}
    assert all(row["dimension"] == "flow" and row["base"] == "m3/s" for row in rows)
    currencies = json.loads(_run("units", "currency", "-f", "json").stdout)["units"]
    assert {"USD", "PKR", "TJS"} <= {row["symbol"] for row in currencies}
    assert len(json.loads(_run("units", "-f", "json").stdout)["units"]) == len({*UNITS.values()})


def test_an_unknown_dimension_is_one_line_with_a_suggestion() -> None:
    done = _run("units", "volum")
    assert done.returncode == 2
    assert "unknown dimension 'volum'" in done.stderr and "did you mean 'volume'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_water_topic_end_to_end(make_claims: ClaimsFactory) -> None:
    folder = make_claims(topics="""
        topics:
          amu-darya-flow:
            title: Mean annual flow of the Amu Darya
            unit: km3
          canal-intake:
            title: Water the Qosh Tepa canal will take
            unit: m3/s
        """, files={
        "a.yaml": source("a", 'topic: amu-darya-flow\nvalue: "about 79 km³"\nquote: about 79 km³',
                         'topic: canal-intake\nvalue: "650 m3/s"\nquote: 650 m3/s'),
        "b.yaml": source("b", 'topic: amu-darya-flow\nvalue: "79 billion cubic metres"\nquote: 79 billion cubic metres',
                         'topic: canal-intake\nvalue: "20 cubic km per year"\nquote: 20 cubic km per year'),
        "c.yaml": source("c", 'topic: amu-darya-flow\nvalue: "61 km3"\nquote: 61 km3'),
    })
    done = _run("conflicts", "--format", "json", "--dir", str(folder))
    assert done.returncode == 0, done.stderr
    conflicts = {topic["topic"]: topic for topic in json.loads(done.stdout)["conflicts"]}
    # 79 billion cubic metres is 79 km³; 20 (±5) km³ a year is 475–792 m³/s, which holds 650 (±5) m³/s;
    # 61 km³ meets neither 79 km³ (±0.5) nor about 79 km³ (±7.9)
    assert set(conflicts) == {"amu-darya-flow"}
    assert {claim["id"] for claim in conflicts["amu-darya-flow"]["claims"]} == {"a/amu-darya-flow", "b/amu-darya-flow",
                                                                               "c/amu-darya-flow"}
