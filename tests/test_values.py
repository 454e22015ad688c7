"""Value parsing against docs/format.md, what a value means ("What a value means").

Every expected interval below was worked out by hand from the contract, not read off the code:

- a number is worth half a unit of its last significant digit; trailing zeros of a whole number are not
  significant (1,400 -> ±50, 10 -> ±5, 1,000 -> ±500), those after a decimal point are (1.50 -> ±0.005);
- scale words multiply the value and its precision alike; an explicit "±" replaces the precision;
- "about X" reaches X ± max(approx, precision) (approx defaults to 10 % of X), "almost X" is [X − that, X);
- the open/closed comparisons and the ranges [X − precision, Y + precision] follow the table in §2;
- shares ("a third", "one in four") are the exact share in percent ± 0.5 points;
- units convert to the topic's unit (1 mile = 1.609344 km, 1 ft = 0.3048 m by definition);
- dates are closed spans of ordinal day numbers; before/after/by X are open-ended.

Where the code disagrees with the contract the case stays as the contract says and is marked xfail(strict).
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import pytest

from claimtrack.units import lookup_unit
from claimtrack.values import (
    DEFAULT_APPROX,
    Interval,
    QuantityScale,
    ValueSyntaxError,
    Widening,
    format_day,
    parse_date,
    parse_quantity,
    parse_widening,
)

INF = math.inf
EXAMPLES = Path(__file__).parent / "fixtures" / "values.tsv"  # the contract's worked examples, copied in

MI = 1.609344  # km per international mile
FT_KM = 0.0003048  # km per foot
FT_M = 0.3048  # m per foot


def _unit(symbol: str):
    unit = lookup_unit(symbol)
    assert unit is not None, symbol
    return unit


def _scale(key: str) -> QuantityScale:
    """Topic scales by a short name, built at test time (so that a failure stays in its own test)."""
    if key == "count":
        return QuantityScale(unit=None, approx=DEFAULT_APPROX)
    if key == "km~20%":
        return QuantityScale(unit=_unit("km"), approx=Widening(relative=0.2))
    if key == "km~5km":
        km = QuantityScale(unit=_unit("km"), approx=DEFAULT_APPROX)
        return QuantityScale(unit=_unit("km"), approx=parse_widening("5 km", km))
    return QuantityScale(unit=_unit(key), approx=DEFAULT_APPROX)


def _same(actual: float, expected: float, rel_tol: float = 1e-9) -> bool:
    if math.isinf(expected) or math.isinf(actual):
        return actual == expected
    return math.isclose(actual, expected, rel_tol=rel_tol, abs_tol=1e-9)


def _check_properties(interval: Interval) -> None:
    """Holds for every interval a parser returns."""
    assert interval.low <= interval.high, interval
    if math.isinf(interval.low):
        assert interval.low < 0 and interval.low_open, interval
    if math.isinf(interval.high):
        assert interval.high > 0 and interval.high_open, interval
    if interval.low == interval.high:
        assert not interval.low_open and not interval.high_open, interval


def _assert_interval(interval: Interval, low: float, high: float, low_open: bool, high_open: bool,
                     rel_tol: float = 1e-9) -> None:
    _check_properties(interval)
    got = (interval.low, interval.high, interval.low_open, interval.high_open)
    want = (low, high, low_open, high_open)
    assert _same(interval.low, low, rel_tol) and _same(interval.high, high, rel_tol), f"got {got}, want {want}"
    assert (interval.low_open, interval.high_open) == (low_open, high_open), f"got {got}, want {want}"


# --------------------------------------------------------------------------- 1. the worked examples


def _read_examples() -> tuple[list[list[str]], list[list[str]]]:
    quantities: list[list[str]] = []
    dates: list[list[str]] = []
    with EXAMPLES.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or not "".join(row).strip() or row[0].startswith("#") or row[0] == "unit":
                continue
            (dates if row[0] == "(date)" else quantities).append(row)
    return quantities, dates


def _flag(text: str) -> bool:
    assert text in ("true", "false"), text
    return text == "true"


def test_worked_examples_file() -> None:
    quantities, dates = _read_examples()
    assert quantities and dates, "the examples file has no rows"
    failures: list[str] = []
    for row in quantities:
        unit, value, low, high, low_open, high_open = row
        scale = QuantityScale(unit=None if unit == "(count)" else _unit(unit), approx=DEFAULT_APPROX)
        try:
            interval = parse_quantity(value, scale)
            _assert_interval(interval, float(low), float(high), _flag(low_open), _flag(high_open), rel_tol=1e-4)
        except (AssertionError, ValueSyntaxError) as error:
            failures.append(f"{unit}\t{value!r}: {error}")
    for row in dates:
        _, value, first_day, last_day = row
        try:
            interval = parse_date(value)
            _check_properties(interval)
            got = (format_day(interval.low), format_day(interval.high), interval.low_open, interval.high_open)
            assert got == (first_day, last_day, False, False), f"got {got}"
        except (AssertionError, ValueSyntaxError) as error:
            failures.append(f"(date)\t{value!r}: {error}")
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- 2. quantities

F, T = False, True

QUANTITY_CASES = [
    # --- implied precision: half a unit of the last significant digit
    ("km", "1,344 km", 1343.5, 1344.5, F, F),
    ("km", "1344 km", 1343.5, 1344.5, F, F),
    ("km", "1,400 km", 1350, 1450, F, F),
    ("km", "1,000 km", 500, 1500, F, F),
    ("km", "10 km", 5, 15, F, F),
    ("km", "0 km", -0.5, 0.5, F, F),
    ("km", "8,848.86 km", 8848.855, 8848.865, F, F),
    ("km", "1.50 km", 1.495, 1.505, F, F),
    ("km", "1,344 kilometres", 1343.5, 1344.5, F, F),
    ("km", "1,344 kilometers", 1343.5, 1344.5, F, F),
    ("count", "1,344", 1343.5, 1344.5, F, F),
    ("count", "1,400", 1350, 1450, F, F),
    ("count", "1,000", 500, 1500, F, F),
    ("count", "10", 5, 15, F, F),
    ("count", "0", -0.5, 0.5, F, F),
    ("count", "1.50", 1.495, 1.505, F, F),
    ("count", "18", 17.5, 18.5, F, F),
    ("m", "8,848.86 m", 8848.855, 8848.865, F, F),
    ("km", "1,344.0 km", 1343.95, 1344.05, F, F),
    ("km", "0.05 km", 0.045, 0.055, F, F),
    ("km", "1,010 km", 1005, 1015, F, F),
    ("km", "1,344km", 1343.5, 1344.5, F, F),
    ("km", "1,344", 1343.5, 1344.5, F, F),  # no unit written: the topic's own
    ("count", "101", 100.5, 101.5, F, F),
    # --- scale words multiply value and precision
    ("km", "12 thousand km", 11500, 12500, F, F),
    ("km", "1.3 thousand km", 1250, 1350, F, F),
    ("count", "14 thousand", 13500, 14500, F, F),
    ("count", "14 thousand refugees", 13500, 14500, F, F),
    ("count", "2 million", 1.5e6, 2.5e6, F, F),
    ("count", "44.9 million", 44.85e6, 44.95e6, F, F),
    ("count", "1.2 billion", 1.15e9, 1.25e9, F, F),
    ("USD", "$111 million", 110.5e6, 111.5e6, F, F),
    ("USD", "$2.5 million", 2.45e6, 2.55e6, F, F),
    ("USD", "$2.5m", 2.45e6, 2.55e6, F, F),
    ("USD", "$1.2 billion", 1.15e9, 1.25e9, F, F),
    ("USD", "$3 bn", 2.5e9, 3.5e9, F, F),
    ("USD", "$3bn", 2.5e9, 3.5e9, F, F),
    ("USD", "$15,000", 14500, 15500, F, F),
    ("count", "1.0 million", 0.95e6, 1.05e6, F, F),
    ("count", "10 million", 5e6, 15e6, F, F),
    # --- word numbers, as if written in digits
    ("count", "five", 4.5, 5.5, F, F),
    ("count", "ten", 5, 15, F, F),
    ("count", "twenty", 15, 25, F, F),
    ("count", "twenty-five", 24.5, 25.5, F, F),
    ("count", "fourteen thousand", 13500, 14500, F, F),
    ("count", "a hundred", 50, 150, F, F),
    ("count", "one hundred", 50, 150, F, F),
    ("count", "two hundred", 150, 250, F, F),
    ("count", "three hundred and fifty", 345, 355, F, F),
    ("count", "eighteen jeeps", 17.5, 18.5, F, F),
    ("count", "two million", 1.5e6, 2.5e6, F, F),
    ("count", "a million", 0.5e6, 1.5e6, F, F),
    ("count", "a thousand refugees", 500, 1500, F, F),
    ("count", "twenty five", 24.5, 25.5, F, F),
    ("count", "fifty", 45, 55, F, F),
    ("km", "five km", 4.5, 5.5, F, F),
    # --- shares in a percent topic: exact share ± 0.5 points
    ("%", "a quarter", 24.5, 25.5, F, F),
    ("%", "half", 49.5, 50.5, F, F),
    ("%", "a half", 49.5, 50.5, F, F),
    ("%", "a third", 100 / 3 - 0.5, 100 / 3 + 0.5, F, F),
    ("%", "two thirds", 200 / 3 - 0.5, 200 / 3 + 0.5, F, F),
    ("%", "three quarters", 74.5, 75.5, F, F),
    ("%", "a fifth", 19.5, 20.5, F, F),
    ("%", "one in four", 24.5, 25.5, F, F),
    ("%", "one in three", 100 / 3 - 0.5, 100 / 3 + 0.5, F, F),
    ("%", "1 in 5", 19.5, 20.5, F, F),
    # --- percents
    ("%", "46%", 45.5, 46.5, F, F),
    ("%", "46 percent", 45.5, 46.5, F, F),
    ("%", "46 per cent", 45.5, 46.5, F, F),
    ("%", "12.5%", 12.45, 12.55, F, F),
    ("%", "40–50%", 35, 55, F, F),
    ("%", "46 %", 45.5, 46.5, F, F),
    ("%", "0.5%", 0.45, 0.55, F, F),
    ("%", "100%", 50, 150, F, F),
    # --- explicit precision wins
    ("km", "1,344 ± 2 km", 1342, 1346, F, F),
    ("km", "1344 +/- 2 km", 1342, 1346, F, F),
    ("km", "1,344 km ± 2 km", 1342, 1346, F, F),
    ("km", "1,400 ± 2 km", 1398, 1402, F, F),
    # --- approx words: X ± max(10 % of X, precision)
    ("km", "about 1,344 km", 1209.6, 1478.4, F, F),
    ("km", "around 1,400 km", 1260, 1540, F, F),
    ("km", "approximately 1,344 km", 1209.6, 1478.4, F, F),
    ("km", "roughly 1,000 km", 500, 1500, F, F),
    ("km", "some 1,400 km", 1260, 1540, F, F),
    ("km", "circa 1,344 km", 1209.6, 1478.4, F, F),
    ("km", "~1,344 km", 1209.6, 1478.4, F, F),
    ("km", "~ 1,344 km", 1209.6, 1478.4, F, F),
    ("km", "about 10 km", 5, 15, F, F),
    ("count", "about 10", 5, 15, F, F),
    ("count", "about twenty", 15, 25, F, F),
    ("count", "about 1,344", 1209.6, 1478.4, F, F),
    ("count", "some 300 people", 250, 350, F, F),
    ("count", "around 1,000", 500, 1500, F, F),
    ("%", "about 46%", 41.4, 50.6, F, F),
    ("%", "about a quarter", 22.5, 27.5, F, F),
    ("%", "roughly a third", 30, 110 / 3, F, F),
    ("USD", "about $340 million", 306e6, 374e6, F, F),
    # --- almost / nearly / just under: [X − approx, X)
    ("km", "almost 1,400 km", 1260, 1400, F, T),
    ("km", "nearly 1,344 km", 1209.6, 1344, F, T),
    ("km", "just under 1,400 km", 1260, 1400, F, T),
    ("count", "nearly 4,800 refugees", 4320, 4800, F, T),
    ("count", "almost 10", 5, 10, F, T),
    ("%", "nearly half", 45, 50, F, T),
    ("%", "almost two thirds", 60, 200 / 3, F, T),
    # --- more than / over / above / exceeding / X+: (X, +inf)
    ("km", "more than 1,400 km", 1400, INF, T, T),
    ("km", "over 1,344 km", 1344, INF, T, T),
    ("km", "above 1,344 km", 1344, INF, T, T),
    ("km", "exceeding 1,344 km", 1344, INF, T, T),
    ("km", "1,400+ km", 1400, INF, T, T),
    ("count", "more than 5,000 refugees", 5000, INF, T, T),
    ("count", "5,000+ refugees", 5000, INF, T, T),
    ("%", "more than half", 50, INF, T, T),
    ("USD", "over $1.2 billion", 1.2e9, INF, T, T),
    ("USD", "$1.2 billion+", 1.2e9, INF, T, T),
    ("%", "over half", 50, INF, T, T),
    # --- at least / no less than: [X, +inf)
    ("km", "at least 1,344 km", 1344, INF, F, T),
    ("km", "no less than 1,344 km", 1344, INF, F, T),
    ("count", "at least five", 5, INF, F, T),
    ("%", "at least 46%", 46, INF, F, T),
    ("count", "at least a hundred", 100, INF, F, T),
    # --- less than / under / below / fewer than: (-inf, X)
    ("km", "less than 1,344 km", -INF, 1344, T, T),
    ("km", "under 1,344 km", -INF, 1344, T, T),
    ("km", "below 1,344 km", -INF, 1344, T, T),
    ("count", "fewer than 20 jeeps", -INF, 20, T, T),
    ("%", "less than a quarter", -INF, 25, T, T),
    ("%", "under a third", -INF, 100 / 3, T, T),
    ("%", "less than 1%", -INF, 1, T, T),
    # --- up to / at most / no more than: (-inf, X]
    ("km", "up to 1,344 km", -INF, 1344, T, F),
    ("km", "at most 1,344 km", -INF, 1344, T, F),
    ("km", "no more than 1,344 km", -INF, 1344, T, F),
    ("count", "up to 5,000 refugees", -INF, 5000, T, F),
    ("%", "up to 46 percent", -INF, 46, T, F),
    ("USD", "up to $5 million", -INF, 5e6, T, F),
    # --- ranges: [X − precision, Y + precision]
    ("km", "1,300–1,400 km", 1250, 1450, F, F),
    ("km", "1,300-1,400 km", 1250, 1450, F, F),
    ("km", "1,300 to 1,400 km", 1250, 1450, F, F),
    ("km", "between 1,300 and 1,400 km", 1250, 1450, F, F),
    ("km", "between 1,344 and 1,374 km", 1343.5, 1374.5, F, F),
    ("km", "between 1,300 and 1,400", 1250, 1450, F, F),
    ("km", "1,300 km–1,400 km", 1250, 1450, F, F),
    ("km", "1,300 – 1,400 km", 1250, 1450, F, F),
    ("km", "1,300 - 1,400 km", 1250, 1450, F, F),
    ("count", "10 - 20", 5, 25, F, F),
    ("count", "between 10 and 20", 5, 25, F, F),
    ("count", "2–3 million", 1.5e6, 3.5e6, F, F),
    ("count", "2 to 3 million", 1.5e6, 3.5e6, F, F),
    ("USD", "$2-3 million", 1.5e6, 3.5e6, F, F),
    ("USD", "$2–3 million", 1.5e6, 3.5e6, F, F),
    ("USD", "between $2 million and $3 million", 1.5e6, 3.5e6, F, F),
    # --- unit conversion to the topic's unit
    ("km", "835 miles", 834.5 * MI, 835.5 * MI, F, F),
    ("km", "4,130 miles", 4125 * MI, 4135 * MI, F, F),
    ("km", "1 mile", 0.5 * MI, 1.5 * MI, F, F),
    ("km", "about 835 miles", 751.5 * MI, 918.5 * MI, F, F),
    ("km", "more than 835 miles", 835 * MI, INF, T, T),
    ("km", "500 feet", 450 * FT_KM, 550 * FT_KM, F, F),
    ("km", "1,344,000 m", 1343.5, 1344.5, F, F),
    ("km", "2,500 metres", 2.45, 2.55, F, F),
    ("km", "8,848.86 m", 8.848855, 8.848865, F, F),
    ("m", "29,032 ft", 29031.5 * FT_M, 29032.5 * FT_M, F, F),
    ("m", "8.85 km", 8845, 8855, F, F),
    ("t", "2,500 kg", 2.45, 2.55, F, F),
    ("t", "3 tonnes", 2.5, 3.5, F, F),
    ("t", "1.5 million tonnes", 1.45e6, 1.55e6, F, F),
    ("kg", "3 tonnes", 2500, 3500, F, F),
    ("days", "36 hours", 35.5 / 24, 36.5 / 24, F, F),
    ("days", "48 hours", 47.5 / 24, 48.5 / 24, F, F),
    ("days", "72 hours", 71.5 / 24, 72.5 / 24, F, F),
    ("days", "2 weeks", 10.5, 17.5, F, F),
    ("h", "90 minutes", 85 / 60, 95 / 60, F, F),
    ("h", "3 days", 60, 84, F, F),
    # --- currency: $, US$, USD, dollars are all USD
    ("USD", "$5 million", 4.5e6, 5.5e6, F, F),
    ("USD", "US$2.5 million", 2.45e6, 2.55e6, F, F),
    ("USD", "2.5 million USD", 2.45e6, 2.55e6, F, F),
    ("USD", "USD 2.5 million", 2.45e6, 2.55e6, F, F),
    ("USD", "2.5 million dollars", 2.45e6, 2.55e6, F, F),
    ("EUR", "€5 million", 4.5e6, 5.5e6, F, F),
    # --- a topic's own approx: relative 20 %
    ("km~20%", "about 1,344 km", 1075.2, 1612.8, F, F),
    ("km~20%", "nearly 1,344 km", 1075.2, 1344, F, T),
    ("km~20%", "about 1,000 km", 500, 1500, F, F),
    ("km~20%", "1,344 km", 1343.5, 1344.5, F, F),
    # --- a topic's own approx: absolute 5 km, still never narrower than the precision
    ("km~5km", "about 1,344 km", 1339, 1349, F, F),
    ("km~5km", "about 1,400 km", 1350, 1450, F, F),
    ("km~5km", "almost 1,344 km", 1339, 1344, F, T),
    ("km~5km", "about 835 miles", 835 * MI - 5, 835 * MI + 5, F, F),
    ("km~5km", "more than 1,344 km", 1344, INF, T, T),
]

# Cases where the code once disagreed with the contract go here, marked xfail(strict), until fixed.
SUSPECTED_QUANTITY_BUGS: dict[tuple[str, str], str] = {}


def _quantity_params():
    for scale, text, low, high, low_open, high_open in QUANTITY_CASES:
        reason = SUSPECTED_QUANTITY_BUGS.get((scale, text))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        yield pytest.param(scale, text, low, high, low_open, high_open, id=f"{scale}:{text}", marks=marks)


@pytest.mark.parametrize(("scale", "text", "low", "high", "low_open", "high_open"), list(_quantity_params()))
def test_quantity(scale: str, text: str, low: float, high: float, low_open: bool, high_open: bool) -> None:
    _assert_interval(parse_quantity(text, _scale(scale)), low, high, low_open, high_open)


def test_quantity_cases_are_many_and_distinct() -> None:
    keys = [(scale, text) for scale, text, *_ in QUANTITY_CASES]
    assert len(keys) >= 100
    assert len(keys) == len(set(keys))


def test_parse_widening_relative_and_absolute() -> None:
    km = QuantityScale(unit=_unit("km"), approx=DEFAULT_APPROX)
    relative = parse_widening("20%", km)
    assert math.isclose(relative.relative, 0.2) and relative.absolute == 0
    absolute = parse_widening("5 km", km)
    assert absolute.relative == 0 and math.isclose(absolute.absolute, 5)
    in_metres = parse_widening("500 m", km)
    assert in_metres.relative == 0 and math.isclose(in_metres.absolute, 0.5)


# --------------------------------------------------------------------------- 3. dates


def _d(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


# (text, first day, last day) — closed spans
DATE_SPANS = [
    ("2023-04-02", "2023-04-02", "2023-04-02"),
    ("2023-04", "2023-04-01", "2023-04-30"),
    ("2023", "2023-01-01", "2023-12-31"),
    ("April 2023", "2023-04-01", "2023-04-30"),
    ("Apr 2023", "2023-04-01", "2023-04-30"),
    ("Sep 2023", "2023-09-01", "2023-09-30"),
    ("January 2023", "2023-01-01", "2023-01-31"),
    ("2 April 2023", "2023-04-02", "2023-04-02"),
    ("April 2, 2023", "2023-04-02", "2023-04-02"),
    ("early April 2023", "2023-04-01", "2023-04-10"),
    ("mid April 2023", "2023-04-11", "2023-04-20"),
    ("mid-April 2023", "2023-04-11", "2023-04-20"),
    ("late April 2023", "2023-04-21", "2023-04-30"),
    ("late December 2023", "2023-12-21", "2023-12-31"),
    ("early 2023", "2023-01-01", "2023-04-30"),
    ("mid 2023", "2023-05-01", "2023-08-31"),
    ("mid-2024", "2024-05-01", "2024-08-31"),
    ("late 2023", "2023-09-01", "2023-12-31"),
    ("first half of 2024", "2024-01-01", "2024-06-30"),
    ("second half of 2024", "2024-07-01", "2024-12-31"),
    ("H1 2024", "2024-01-01", "2024-06-30"),
    ("H2 2023", "2023-07-01", "2023-12-31"),
    ("first half of April 2023", "2023-04-01", "2023-04-15"),
    ("second half of April 2023", "2023-04-16", "2023-04-30"),
    ("first half of August 2024", "2024-08-01", "2024-08-15"),
    ("Q1 2023", "2023-01-01", "2023-03-31"),
    ("Q2 2023", "2023-04-01", "2023-06-30"),
    ("Q3 2023", "2023-07-01", "2023-09-30"),
    ("Q4 2023", "2023-10-01", "2023-12-31"),
    ("Q1 2024", "2024-01-01", "2024-03-31"),
    ("third quarter of 2023", "2023-07-01", "2023-09-30"),
    ("spring 2023", "2023-03-01", "2023-05-31"),
    ("summer 2023", "2023-06-01", "2023-08-31"),
    ("autumn 2023", "2023-09-01", "2023-11-30"),
    ("fall 2023", "2023-09-01", "2023-11-30"),
    ("February 2024", "2024-02-01", "2024-02-29"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("February 2023", "2023-02-01", "2023-02-28"),
    ("2024-02-29", "2024-02-29", "2024-02-29"),
    ("late February 2024", "2024-02-21", "2024-02-29"),
    ("late February 2023", "2023-02-21", "2023-02-28"),
    ("March–May 2023", "2023-03-01", "2023-05-31"),
    ("March 2023 to May 2023", "2023-03-01", "2023-05-31"),
    ("between 2021 and 2023", "2021-01-01", "2023-12-31"),
    ("2021–2023", "2021-01-01", "2023-12-31"),
    ("April to June 2023", "2023-04-01", "2023-06-30"),
    ("between April and June 2023", "2023-04-01", "2023-06-30"),
    ("2–5 April 2023", "2023-04-02", "2023-04-05"),
    ("first quarter of 2024", "2024-01-01", "2024-03-31"),
    ("Jan 2024", "2024-01-01", "2024-01-31"),
]

# (text, low, high, low_open, high_open) — open-ended spans
DATE_OPEN = [
    ("before 2023", -INF, _d("2023-01-01"), T, T),
    ("before April 2023", -INF, _d("2023-04-01"), T, T),
    ("before 2023-04-02", -INF, _d("2023-04-02"), T, T),
    ("after 2023", _d("2023-12-31"), INF, T, T),
    ("after April 2023", _d("2023-04-30"), INF, T, T),
    ("after 2023-04-02", _d("2023-04-02"), INF, T, T),
    ("by April 2023", -INF, _d("2023-04-30"), T, F),
    ("by 2024", -INF, _d("2024-12-31"), T, F),
    ("by February 2024", -INF, _d("2024-02-29"), T, F),
    ("before mid-2024", -INF, _d("2024-05-01"), T, T),
    ("after early April 2023", _d("2023-04-10"), INF, T, T),
]


@pytest.mark.parametrize(("text", "first", "last"), DATE_SPANS, ids=[c[0] for c in DATE_SPANS])
def test_date_span(text: str, first: str, last: str) -> None:
    interval = parse_date(text)
    _check_properties(interval)
    assert (interval.low, interval.high, interval.low_open, interval.high_open) == (_d(first), _d(last), F, F)
    assert (format_day(interval.low), format_day(interval.high)) == (first, last)


@pytest.mark.parametrize(("text", "low", "high", "low_open", "high_open"), DATE_OPEN, ids=[c[0] for c in DATE_OPEN])
def test_date_open(text: str, low: float, high: float, low_open: bool, high_open: bool) -> None:
    interval = parse_date(text)
    _check_properties(interval)
    assert (interval.low, interval.high, interval.low_open, interval.high_open) == (low, high, low_open, high_open)


def test_date_cases_are_many() -> None:
    assert len(DATE_SPANS) + len(DATE_OPEN) >= 30


# --------------------------------------------------------------------------- 4. errors

QUANTITY_ERRORS = [
    ("km", "1,344 kg"),  # another dimension
    ("km", "5 hours"),
    ("km", "46%"),
    ("km", "half"),  # a share in a length topic
    ("km", "12 bananas"),  # not a unit
    ("km", "lots of km"),
    ("km", "10–5 km"),  # backwards
    ("km", "between 1,400 and 1,300 km"),
    ("km", ""),
    ("km", "   "),
    ("km", "more than"),
    ("km", "1,344 km 1,374 km"),
    ("USD", "€5 million"),  # another currency
    ("USD", "£5 million"),
    ("USD", "5 million euros"),
    ("USD", "1,344 km"),
    ("EUR", "$5 million"),
    ("%", "1,344 km"),
    ("count", "a quarter"),  # a share needs a percent topic
    ("count", "46%"),
    ("count", "lots"),
    ("count", "about"),
    ("count", "20 to 10"),
    ("count", ""),
    ("count", "$5 million"),  # a unit in a plain-count topic
    ("count", "5 km"),
]

DATE_ERRORS = [
    "2023-02-30",
    "2023-02-29",  # 2023 is not a leap year
    "31 April 2023",
    "Smarch 2023",
    "13/2023",
    "2023-13",
    "Q5 2023",
    "April",  # no year
    "yesterday",
    "",
    "2024–2023",  # backwards
    "2023-04-05 to 2023-04-02",
]


@pytest.mark.parametrize(("scale", "text"), QUANTITY_ERRORS, ids=[f"{s}:{t!r}" for s, t in QUANTITY_ERRORS])
def test_quantity_error(scale: str, text: str) -> None:
    with pytest.raises(ValueSyntaxError):
        parse_quantity(text, _scale(scale))


@pytest.mark.parametrize("text", DATE_ERRORS, ids=[repr(t) for t in DATE_ERRORS])
def test_date_error(text: str) -> None:
    with pytest.raises(ValueSyntaxError):
        parse_date(text)


def test_error_cases_are_many() -> None:
    assert len(QUANTITY_ERRORS) + len(DATE_ERRORS) >= 20


# ---------------------------------------------------------------- a sign after a comparison is the number's sign
# "more than -5%" was read as (5, ∞): the phrase pattern swallowed the minus as a hyphen ('under-five').

@pytest.mark.parametrize(("text", "expected"), [
    ("more than -5%", Interval(-5, INF, low_open=True)),
    ("more than −5%", Interval(-5, INF, low_open=True)),  # U+2212, the typographic minus
    ("over -5%", Interval(-5, INF, low_open=True)),
    ("at least -5%", Interval(-5, INF)),
    ("less than -2%", Interval(-INF, -2, high_open=True)),
    ("up to -5%", Interval(-INF, -5)),
    ("about -5%", Interval(-5.5, -4.5)),  # ± max(10 % of 5, half a unit)
    ("almost -5%", Interval(-5.5, -5, high_open=True)),
    ("-5% or more", Interval(-5, INF)),
    ("more than -0.5%", Interval(-0.5, INF, low_open=True)),
])
def test_sign_after_a_comparison_is_kept(text: str, expected: Interval) -> None:
    got = parse_quantity(text, _scale("%"))
    assert (got.low_open, got.high_open) == (expected.low_open, expected.high_open), got
    assert _same(got.low, expected.low) and _same(got.high, expected.high), got


def test_a_hyphen_still_joins_a_comparison_to_a_word() -> None:
    assert parse_quantity("under-five", _scale("count")) == Interval(-INF, 5, high_open=True)


# ---------------------------------------------------------------- ambiguous numbers and dates: a hint, not a guess

@pytest.mark.parametrize(("text", "both"), [
    ("285.000 km", ("285,000", "285.000 ± 0.0005")),
    ("1.344 km", ("1,344", "1.344 ± 0.0005")),
    ("about 2.500 km", ("2,500", "2.500 ± 0.0005")),
])
def test_a_dot_before_three_digits_is_refused_with_both_readings(text: str, both: tuple[str, str]) -> None:
    with pytest.raises(ValueSyntaxError, match="ambiguous") as raised:
        parse_quantity(text, _scale("km"))
    assert all(f"'{reading}'" in str(raised.value) for reading in both), raised.value


@pytest.mark.parametrize(("text", "low", "high"), [
    ("1.344 million km", 1_343_500, 1_344_500),  # a scale word makes it a decimal
    ("0.250 km", 0.2495, 0.2505),  # no one groups thousands after a zero
    ("1.5 km", 1.45, 1.55),
    ("1.234.567 km", 1_234_566.5, 1_234_567.5),  # two dot groups: thousands, unambiguously
    ("13,3 km", 13.25, 13.35),  # a decimal comma: a comma before one or two digits never groups thousands
    ("1.234,5 km", 1234.45, 1234.55),
    ("60 000,5 km", 60000.45, 60000.55),
    ("1,344 km", 1343.5, 1344.5),  # the English spelling is unchanged
    ("8,848.86 km", 8848.855, 8848.865),
])
def test_unambiguous_european_spellings_are_read(text: str, low: float, high: float) -> None:
    got = parse_quantity(text, _scale("km"))
    assert _same(got.low, low, 1e-9) and _same(got.high, high, 1e-9), got


@pytest.mark.parametrize("text", ["0.2", "about 0.5", "0.2-0.3", "-0.4"])
def test_a_bare_fraction_on_a_percent_topic_asks_which_was_meant(text: str) -> None:
    with pytest.raises(ValueSyntaxError, match="looks like a fraction") as raised:
        parse_quantity(text, _scale("%"))
    assert "%' for" in str(raised.value) and "if the share" in str(raised.value)


@pytest.mark.parametrize(("text", "expected"), [("0.2%", (0.15, 0.25)), ("1.5", (1.45, 1.55)), ("0", (-0.5, 0.5))])
def test_percent_values_that_say_what_they_mean_are_read(text: str, expected: tuple[float, float]) -> None:
    got = parse_quantity(text, _scale("%"))
    assert _same(got.low, expected[0]) and _same(got.high, expected[1]), got


@pytest.mark.parametrize(("text", "day"), [
    ("27.03.2023", date(2023, 3, 27)),  # only day first is a date
    ("27/03/2023", date(2023, 3, 27)),
    ("03/27/2023", date(2023, 3, 27)),  # only month first is a date
    ("4.4.2023", date(2023, 4, 4)),  # both readings are the same day
    ("2023-03-28T10:00", date(2023, 3, 28)),  # an ISO date and time: the day as written
    ("2023-03-28T10:00:00Z", date(2023, 3, 28)),
    ("2023-03-28 23:59:59+05:00", date(2023, 3, 28)),
])
def test_unambiguous_numeric_dates_are_read(text: str, day: date) -> None:
    assert parse_date(text) == Interval(day.toordinal(), day.toordinal())


@pytest.mark.parametrize(("text", "rewrites"), [
    ("03/04/2023", ("2023-04-03", "2023-03-04")),
    ("01.02.2024", ("2024-02-01", "2024-01-02")),
])
def test_ambiguous_numeric_dates_suggest_both_rewrites(text: str, rewrites: tuple[str, str]) -> None:
    with pytest.raises(ValueSyntaxError, match="ambiguous") as raised:
        parse_date(text)
    assert all(rewrite in str(raised.value) for rewrite in rewrites), raised.value


@pytest.mark.parametrize(("text", "first", "last"), [
    ("end of 2028", date(2028, 9, 1), date(2028, 12, 31)),  # as 'late 2028' (docs/decisions.md)
    ("beginning of 2028", date(2028, 1, 1), date(2028, 4, 30)),
    ("start of May 2024", date(2024, 5, 1), date(2024, 5, 10)),
    ("middle of 2024", date(2024, 5, 1), date(2024, 8, 31)),
    ("by the end of 2028", date(1, 1, 1), date(2028, 12, 31)),
])
def test_beginning_middle_and_end_of_are_early_mid_and_late(text: str, first: date, last: date) -> None:
    got = parse_date(text)
    assert got.high == last.toordinal()
    assert got.low == first.toordinal() or (math.isinf(got.low) and first == date(1, 1, 1))
