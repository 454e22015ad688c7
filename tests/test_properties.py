"""Property-based tests (hypothesis): the value parsers and the loader never crash, whatever they are given.

- `parse_quantity` (topics in km, %, USD and plain counts) and `parse_date`: any string yields an Interval
  or a ValueSyntaxError, never another exception, and every interval is well formed (no NaN, low ≤ high,
  infinite ends open);
- numbers written in the contract's ways (plain, thousands separators, decimals, scale words, `about`,
  `more than`, ranges, percent, units, currency) parse back to intervals that contain them; dates written in
  the contract's ways contain their day;
- `parse_yaml` and `load_folder` (and the checks after it): arbitrary text, YAML-ish text and arbitrary YAML
  documents (nested dicts, lists and strings dumped with PyYAML, sometimes mutated) yield problems that are
  located in a file, never an exception;
- `parse_widening` (`approx:`, `tolerance:`) and `parse_structured` (`{min, max, …}`): a finite Widening, an
  Interval, or a ValueSyntaxError;
- the loader's two paths (yaml-rs, and the libyaml builder with positions) read the same data and locate the
  same problems; `Interval.intersects` matches its definition.

These properties found, or re-found, bugs now pinned in tests/test_regressions.py (huge numbers, calendar-edge
seasons, integers rewritten by the fast path, a NEL, a lone surrogate). While those were open, the inputs that
hit them were set aside with an `assume(not known_bug(...))`; all are fixed (580bbae). What is still set aside:
300+-digit numbers in `approx:`/`tolerance:` and structured values (`_pinned`, see its docstring). Should a new
bug need the same, pin it in test_regressions.py first.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claimtrack.dataset import load_folder
from claimtrack.errors import Problem
from claimtrack.loader import parse_yaml
from claimtrack.report import analyze
from claimtrack.units import lookup_unit
from claimtrack.values import (
    Interval,
    QuantityScale,
    ValueSyntaxError,
    Widening,
    parse_date,
    parse_quantity,
    parse_structured,
    parse_widening,
)

FAST = settings(max_examples=200, deadline=None)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALES = {
    "km": QuantityScale(unit=lookup_unit("km")),
    "%": QuantityScale(unit=lookup_unit("%")),
    "USD": QuantityScale(unit=lookup_unit("USD")),
    "count": QuantityScale(),
    "count-approx-500": QuantityScale(approx=Widening(absolute=500)),
}
scale_names = st.sampled_from(sorted(SCALES))

@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The loader's cache goes to a folder of this module's own, not the user's cache directory."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


# --------------------------------------------------------------------------- helpers

def assert_well_formed(interval: object) -> None:
    assert isinstance(interval, Interval)
    assert not math.isnan(interval.low) and not math.isnan(interval.high)
    assert interval.low <= interval.high
    if math.isinf(interval.low):
        assert interval.low_open
    if math.isinf(interval.high):
        assert interval.high_open


def quantity_or_error(text: str, scale: QuantityScale) -> Interval | None:
    try:
        interval = parse_quantity(text, scale)
    except ValueSyntaxError as error:
        assert str(error)  # a message the user can read
        return None
    assert_well_formed(interval)
    return interval


def date_or_error(text: str) -> Interval | None:
    try:
        interval = parse_date(text)
    except ValueSyntaxError as error:
        assert str(error)
        return None
    assert_well_formed(interval)
    return interval


def contains(interval: Interval, x: float, rel: float = 1e-9) -> bool:
    slack = rel * max(1.0, abs(x))
    return interval.low - slack <= x <= interval.high + slack


# --------------------------------------------------------------------------- value-ish text

NUMBER_WORDS = ["0", "1", "5", "12", "1,344", "1 344", "1,400", "8,848.86", "0.5", ".5", "1.", "-3", "46", "1e5",
                "9" * 30, "00", "007", "1,2", "1,0000", "2-3", "3–5", "1/2", "½", "١٢", "１２", "二", "1" + "0" * 400,
                "9" * 400, "0." + "0" * 400 + "1"]
WORDS = ["about", "around", "approximately", "roughly", "some", "circa", "~", "almost", "nearly", "just under",
         "just over", "more than", "over", "above", "exceeding", "at least", "no less than", "less than", "under",
         "below", "fewer than", "up to", "at most", "no more than", "as many as", "or more", "or less", "between",
         "and", "to", "from", "+", "±", "+/-", "plus or minus", "a", "an", "one", "two", "three", "twenty", "hundred",
         "dozen", "thousand", "million", "billion", "trillion", "k", "m", "bn", "mn", "lakh", "crore", "half",
         "a quarter", "a third", "thirds", "quarters", "in", "out of", "of", "the", "%", "percent", "per cent",
         "km", "kilometres", "miles", "mi", "m", "ft", "km²", "sq km", "hectares", "kg", "t", "tonnes", "tons",
         "pounds", "lb", "$", "US$", "€", "£", "¥", "usd", "eur", "gbp", "rub", "tjs", "days", "weeks", "hours",
         "h", "mw", "kwh", "litres", "jeeps", "refugees", "long", "-", "–", "—", ",", ".", "(", ")", "nan", "inf"]
DATE_WORDS = ["2023", "2024", "1990", "0000", "0001", "9999", "10000", "1990s", "2000s", "0000s", "9990s", "23", "04",
              "2023-04",
              "2023-04-02", "2023/04/02", "2023-02-30", "2023-13", "1", "2", "15", "31", "32", "1st", "2nd", "3rd",
              "21st", "january", "feb", "march", "april", "apr", "sept", "september", "december", "early", "mid",
              "late", "beginning", "start", "middle", "end", "of", "the", "in", "first", "second", "half", "h1", "h2",
              "1h", "q1", "q3", "q4", "5q", "quarter", "third", "fourth", "spring", "summer", "autumn", "fall",
              "winter", "2023/24", "before", "after", "by", "until", "till", "since", "from", "to", "between", "and",
              "no later than", "no earlier than", "prior to", "last", "this", "year", "-", "–", ",", ".", "/"]

value_text = st.lists(st.sampled_from(NUMBER_WORDS + WORDS), min_size=1, max_size=7).map(" ".join)
value_text_tight = st.lists(st.sampled_from(NUMBER_WORDS + WORDS), min_size=1, max_size=5).map("".join)
date_text = st.lists(st.sampled_from(DATE_WORDS), min_size=1, max_size=6).map(" ".join)
long_numbers = st.integers(280, 420).flatmap(
    lambda n: st.sampled_from(["1" + "0" * n, "9" * n, f"about {'1' + '0' * n}", f"0.{'0' * n}1", f"{'9' * n} km"]))
any_value_text = st.one_of(st.text(max_size=60), value_text, value_text_tight, date_text, long_numbers,
                           st.from_regex(r"[-+~<>≥≤]?\$?\d{1,12}([.,]\d{1,6})?\s?(k|m|bn|million)?\s?(km|%|usd)?",
                                         fullmatch=True))


# --------------------------------------------------------------------------- parse_quantity: never crashes

@FAST
@given(any_value_text, scale_names)
def test_quantity_is_an_interval_or_a_value_error(text: str, name: str) -> None:
    quantity_or_error(text, SCALES[name])


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), scale_names)
def test_quantity_of_any_unicode_is_an_interval_or_a_value_error(text: str, name: str) -> None:
    quantity_or_error(text, SCALES[name])


@FAST
@given(any_value_text)
def test_date_is_an_interval_or_a_value_error(text: str) -> None:
    date_or_error(text)


def _pinned(text: str) -> bool:
    """A number of 300+ digits in a widening or structured value: test_regressions.py pins those bugs (xfail:
    test_huge_number_in_a_widening_or_structured_value_is_an_invalid_value and
    test_number_that_overflows_to_infinity_is_too_large); drop this filter when they are fixed."""
    return bool(re.search(r"\d{300,}", text))


@FAST
@given(any_value_text, scale_names)
def test_widening_is_a_widening_or_a_value_error(text: str, name: str) -> None:
    """`approx:` and `tolerance:` text: a Widening with finite, non-negative reach, or a ValueSyntaxError."""
    assume(not _pinned(text))
    try:
        widening = parse_widening(text, SCALES[name])
    except ValueSyntaxError as error:
        assert str(error)
        return
    assert isinstance(widening, Widening)
    assert widening.relative >= 0 and widening.absolute >= 0
    assert math.isfinite(widening.relative) and math.isfinite(widening.absolute)


@FAST
@given(st.fixed_dictionaries({}, optional={"min": st.one_of(value_text, long_numbers, st.text(max_size=12)),
                                           "max": st.one_of(value_text, long_numbers, st.text(max_size=12)),
                                           "min_open": st.sampled_from([True, False, "yes", "maybe", None]),
                                           "max_open": st.sampled_from([True, False, "no", None]),
                                           "unit": st.sampled_from(["km", "mi", "%", "USD", "parsec", "", None])}),
       scale_names)
def test_structured_value_is_an_interval_or_a_value_error(data: dict[str, object], name: str) -> None:
    assume(not _pinned(str(data.get("min"))) and not _pinned(str(data.get("max"))))
    try:
        interval = parse_structured(data, SCALES[name])
    except ValueSyntaxError as error:
        assert str(error)
        return
    assert_well_formed(interval)


# --------------------------------------------------------------------------- numbers written as the contract says

# a whole part and a number of decimals: exact in Decimal, so the written text is known digit for digit
magnitudes = st.builds(lambda whole, frac, places: Decimal(whole) + (Decimal(frac) / 10 ** places if places else 0),
                       st.integers(0, 10**12), st.integers(0, 999), st.sampled_from([0, 0, 1, 2, 3]))


def plain(value: Decimal) -> str:
    return format(value, "f")


def grouped(value: Decimal) -> str:
    whole, _, frac = format(value, "f").partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


WRITERS = {"plain": plain, "thousands": grouped}


def refused_on_purpose(value: Decimal, name: str = "km") -> bool:
    """Numbers the reader asks about instead of guessing (docs/format.md, "Ambiguous numbers"): one to three
    digits, a dot and exactly three decimals ('1.344': 1,344 in much of Europe), and a bare fraction of one
    on a percent topic ('0.2': 0.2 % or 20 %?). Tested in test_values.py; kept out of the properties here."""
    return bool(re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", format(abs(value), "f"))) or (
        name == "%" and 0 < abs(value) < 1)


@FAST
@given(magnitudes, st.sampled_from(sorted(WRITERS)), st.sampled_from(["km", "count", "USD", "%"]),
       st.booleans())
def test_written_number_is_contained(value: Decimal, style: str, name: str, negative: bool) -> None:
    if name == "%":
        value = value % 1000
    assume(not refused_on_purpose(value, name))
    written = WRITERS[style](value)
    if negative and value:
        written, value = "-" + written, -value
    interval = quantity_or_error(written, SCALES[name])
    assert interval is not None, written
    assert contains(interval, float(value)), (written, interval)
    assert not math.isinf(interval.low) and not math.isinf(interval.high)


@FAST
@given(magnitudes)
def test_space_grouped_whole_number_is_contained(value: Decimal) -> None:
    whole = int(value)
    written = f"{whole:,}".replace(",", " ")
    interval = quantity_or_error(written, SCALES["count"])
    assert interval is not None and contains(interval, whole), (written, interval)


SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12, "k": 10**3, "bn": 10**9,
               "mn": 10**6, "lakh": 10**5, "crore": 10**7}


@FAST
@given(st.integers(1, 999), st.sampled_from([0, 1, 2]), st.sampled_from(sorted(SCALE_WORDS)),
       st.sampled_from(["count", "USD"]), st.booleans())
def test_scale_words_multiply(whole: int, places: int, word: str, name: str, dollar: bool) -> None:
    mantissa = Decimal(whole) / 10**places
    written = f"{plain(mantissa)} {word}"
    if name == "USD":
        written = f"${written}" if dollar else f"{written} USD"
    interval = quantity_or_error(written, SCALES[name])
    assert interval is not None, written
    assert contains(interval, float(mantissa * SCALE_WORDS[word])), (written, interval)


COMPARATORS = {  # phrase -> (x inside?, low end, high end) as docs/format.md, what a value means says
    "about": "around", "around": "around", "approximately": "around", "roughly": "around", "some": "around",
    "circa": "around", "~": "around", "almost": "below-open", "nearly": "below-open", "just under": "below-open",
    "more than": "above-open", "over": "above-open", "above": "above-open", "exceeding": "above-open",
    "at least": "above-closed", "no less than": "above-closed", "less than": "below-inf-open",
    "under": "below-inf-open", "below": "below-inf-open", "fewer than": "below-inf-open",
    "up to": "below-inf-closed", "at most": "below-inf-closed", "no more than": "below-inf-closed",
}


@FAST
@given(magnitudes, st.sampled_from(sorted(COMPARATORS)), st.sampled_from(sorted(WRITERS)),
       st.sampled_from(["km", "count", "USD"]))
def test_comparators_place_the_number(value: Decimal, phrase: str, style: str, name: str) -> None:
    assume(not refused_on_purpose(value, name))
    x = float(value)
    written = f"{phrase} {WRITERS[style](value)}"
    interval = quantity_or_error(written, SCALES[name])
    assert interval is not None, written
    shape = COMPARATORS[phrase]
    if shape == "around":
        assert contains(interval, x) and not math.isinf(interval.low) and not math.isinf(interval.high)
    elif shape == "below-open":  # [X − reach, X)
        assert math.isclose(interval.high, x, abs_tol=1e-9) and interval.high_open and interval.low <= x
    elif shape == "above-open":  # (X, +∞)
        assert math.isclose(interval.low, x, abs_tol=1e-9) and interval.low_open and math.isinf(interval.high)
    elif shape == "above-closed":  # [X, +∞)
        assert contains(interval, x) and not interval.low_open and math.isinf(interval.high)
    elif shape == "below-inf-open":  # (−∞, X)
        assert math.isinf(interval.low) and math.isclose(interval.high, x, abs_tol=1e-9) and interval.high_open
    else:  # (−∞, X]
        assert math.isinf(interval.low) and contains(interval, x) and not interval.high_open


@FAST
@given(magnitudes, magnitudes, st.sampled_from(["{a}–{b}", "{a}-{b}", "{a} to {b}", "between {a} and {b}"]),
       st.sampled_from(["", " km"]))
def test_ranges_contain_both_ends(first: Decimal, second: Decimal, pattern: str, unit: str) -> None:
    low, high = sorted((first, second))
    assume(not refused_on_purpose(low) and not refused_on_purpose(high))
    written = pattern.format(a=grouped(low), b=grouped(high)) + unit
    interval = quantity_or_error(written, SCALES["km"])
    assert interval is not None, written
    assert contains(interval, float(low)) and contains(interval, float(high)), (written, interval)
    assert contains(interval, float((low + high) / 2))


@FAST
@given(st.integers(0, 100), st.sampled_from([0, 1, 2]), st.sampled_from(["%", " %", " percent", " per cent"]))
def test_percent_is_contained(whole: int, places: int, suffix: str) -> None:
    value = Decimal(whole) / 10**places
    interval = quantity_or_error(plain(value) + suffix, SCALES["%"])
    assert interval is not None and contains(interval, float(value)), (value, suffix, interval)


@FAST
@given(magnitudes, st.sampled_from([("m", 0.001), ("metres", 0.001), ("miles", 1.609344), ("mi", 1.609344),
                                    ("ft", 0.0003048), ("km", 1.0), ("kilometres", 1.0)]))
def test_units_convert_into_the_topic_unit(value: Decimal, unit: tuple[str, float]) -> None:
    spelling, factor = unit
    assume(not refused_on_purpose(value))
    interval = quantity_or_error(f"{grouped(value)} {spelling}", SCALES["km"])
    assert interval is not None
    assert contains(interval, float(value) * factor, rel=1e-6), (value, spelling, interval)


# --------------------------------------------------------------------------- dates written as the contract says

days = st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31))
MONTH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"]


def date_writings(day: date) -> list[str]:
    month = MONTH[day.month - 1]
    part = "early" if day.day <= 10 else "mid" if day.day <= 20 else "late"
    year_part = ("early", "mid", "late")[(day.month - 1) // 4]
    season = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring", 6: "summer",
              7: "summer", 8: "summer"}.get(day.month, "autumn")
    season_year = day.year + 1 if day.month == 12 else day.year
    return [
        day.isoformat(), f"{day.year:04d}-{day.month:02d}", f"{day.year:04d}", f"{day.day} {month} {day.year:04d}",
        f"{month} {day.day}, {day.year:04d}", f"{month} {day.year:04d}", f"{month[:3]} {day.year:04d}",
        f"{part} {month} {day.year:04d}", f"{year_part} {day.year:04d}", f"Q{(day.month - 1) // 3 + 1} {day.year:04d}",
        f"H{1 if day.month <= 6 else 2} {day.year:04d}",
        f"{'first' if day.month <= 6 else 'second'} half of {day.year:04d}",
        f"{'first' if day.day <= 15 else 'second'} half of {month} {day.year:04d}",
        f"{season} {season_year:04d}",
    ]


@FAST
@given(days, st.data())
def test_written_date_contains_its_day(day: date, data: st.DataObject) -> None:
    written = data.draw(st.sampled_from(date_writings(day)))
    interval = date_or_error(written)
    assert interval is not None, written
    assert interval.low <= day.toordinal() <= interval.high, (written, interval)


@FAST
@given(days, st.sampled_from(["before", "after", "by", "since"]))
def test_open_date_phrases(day: date, phrase: str) -> None:
    interval = date_or_error(f"{phrase} {day.isoformat()}")
    assert interval is not None
    n = day.toordinal()
    if phrase == "before":
        assert math.isinf(interval.low) and interval.high == n and interval.high_open
    elif phrase == "after":
        assert interval.low == n and interval.low_open and math.isinf(interval.high)
    elif phrase == "by":
        assert math.isinf(interval.low) and interval.high == n and not interval.high_open
    else:
        assert interval.low == n and not interval.low_open and math.isinf(interval.high)


@FAST
@given(days, st.integers(0, 400))
def test_date_ranges_contain_both_ends(first: date, length: int) -> None:
    last = min(first + timedelta(days=length), date(9999, 12, 31))
    interval = date_or_error(f"between {first.isoformat()} and {last.isoformat()}")
    assert interval is not None
    assert interval.low == first.toordinal() and interval.high == last.toordinal()


# --------------------------------------------------------------------------- loader: arbitrary text

def assert_located(problems: list[Problem] | tuple[Problem, ...], paths: set[Path] | None = None) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.location.path is not None and str(problem.location.path), problem
        if paths is not None:
            assert problem.location.path in paths, problem
        if problem.location.line is not None:
            assert problem.location.line >= 1
            assert problem.location.column is None or problem.location.column >= 1
        assert problem.code and problem.message and problem.severity in ("error", "warning")


def parse_checked(text: str) -> None:
    doc, problems = parse_yaml(text, Path("x.yaml"))
    assert_located(problems, {Path("x.yaml")})
    if doc is None:
        assert problems, "nothing usable and no problem to say why"
    else:
        assert doc.path == Path("x.yaml")


YAML_BITS = ["source", "claims", "topics", "id", "title", "topic", "value", "quote", "as_of", "qualifiers", "x",
             "1,344 km", ": ", ":", "- ", "-", "\n", "\n  ", "\n    ", "\n  - ", "  ", "\t", "'", '"', "[", "]", "{",
             "}", ", ", ",", "#", "&a ", "*a", "&b ", "*b", "!!str ", "!!python/object/apply:os.system ", "!x ",
             "? ", "|", ">", "|-", "---", "...", "%YAML 1.1", "<<: ", "~", "null", "\\", "\r\n", "\ufeff", "\x85",
             "\u2028", "é", "–", "\x00", "\x07", "\x1b"]
yamlish = st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join)


@FAST
@given(st.text(max_size=200))
def test_parse_yaml_of_any_text_gives_located_problems(text: str) -> None:
    parse_checked(text)


@FAST
@given(yamlish)
def test_parse_yaml_of_yamlish_text_gives_located_problems(text: str) -> None:
    parse_checked(text)


# --------------------------------------------------------------------------- loader: arbitrary YAML documents

KEYS = ["source", "claims", "topics", "id", "title", "kind", "unit", "aliases", "tolerance", "approx",
        "similarity", "resolution", "status", "preferred", "note", "covers", "publisher", "author", "published",
        "url", "type", "text", "topic", "value", "quote", "as_of", "attributed_to", "qualifiers", "min", "max",
        "min_open", "max_open"]
SCALAR_POOL = ["1,344 km", "about a quarter", "46%", "more than 1,400 km", "April 2023", "late March 2023",
               "$111 million", "yes", "no", "quantity", "date", "text", "boolean", "km", "%", "USD", "explained",
               "disputed", "news", "border-length", "trade", "alpha/border-length", "2023", "1e400", ".nan", "",
               "true", "~"]
scalars = st.one_of(st.sampled_from(SCALAR_POOL), st.text(max_size=20))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5)),
    max_leaves=25,
)


def claim_shaped() -> st.SearchStrategy[dict[str, object]]:
    """Documents with the shape of a source file, so the schema and value stages are reached."""
    source = st.fixed_dictionaries(
        {"title": scalars},
        optional=dict.fromkeys(("id", "publisher", "author", "published", "url", "type", "text", "note"), documents))
    claim = st.fixed_dictionaries({"topic": st.sampled_from(["border-length", "share", "when", "capital", "yes-no",
                                                             "count", "nope"]),
                                   "value": st.one_of(scalars, documents), "quote": scalars},
                                  optional=dict.fromkeys(
                                      ("id", "as_of", "attributed_to", "qualifiers", "note", "vaule"), documents))
    return st.fixed_dictionaries({"source": source, "claims": st.lists(claim, max_size=4)})


def dump(data: object, flow: bool | None, unicode: bool) -> str:
    return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """Sometimes damage the dumped text: cut it, drop or insert a character, or re-indent a line."""
    if not text or draw(st.integers(0, 2)) == 0:
        return text
    position = draw(st.integers(0, len(text)))
    how = draw(st.sampled_from(["cut", "drop", "insert", "indent", "tab"]))
    if how == "cut":
        return text[:position]
    if how == "drop":
        return text[:position] + text[position + 1:]
    if how == "insert":
        return text[:position] + draw(st.sampled_from(YAML_BITS)) + text[position:]
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    lines[index] = ("  " if how == "indent" else "\t") + lines[index]
    return "\n".join(lines)


yaml_documents = st.tuples(st.one_of(documents, claim_shaped()), st.sampled_from([None, True, False]),
                           st.booleans()).map(lambda t: dump(*t)).flatmap(mutated)


@FAST
@given(yaml_documents)
def test_parse_yaml_of_dumped_documents_gives_located_problems(text: str) -> None:
    parse_checked(text)


TOPICS = """\
topics:
  border-length:
    title: Length of the border
    unit: km
    tolerance: 1%
    resolution: {status: explained, covers: [x/border-length]}
  share:
    title: A share
    unit: "%"
  when:
    title: A date
    kind: date
    tolerance: 3 days
  capital:
    title: A capital
    kind: text
  yes-no:
    title: A yes or no
    kind: boolean
  count:
    title: A count
"""


def load_checked(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "claims"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        paths = {folder / name for name in files} | {folder / "topics.yaml"}
        dataset = load_folder(folder)
        assert_located(dataset.problems, paths)
        report = analyze(folder, check=True)  # the checks after loading must cope as well
        assert_located(report.problems, paths)


@SLOW
@given(yaml_documents, yaml_documents)
def test_load_folder_of_dumped_documents_gives_located_problems(first: str, second: str) -> None:
    load_checked({"topics.yaml": TOPICS, "a.yaml": first, "b.yaml": second})


@SLOW
@given(yaml_documents)
def test_load_folder_with_an_arbitrary_topics_file_gives_located_problems(topics: str) -> None:
    load_checked({"topics.yaml": topics, "a.yaml": "source: {title: A}\nclaims:\n  - {topic: count, value: '5', "
                                                    "quote: five}\n"})


@SLOW
@given(st.one_of(yamlish, st.text(max_size=200)))
def test_load_folder_of_yamlish_text_gives_located_problems(text: str) -> None:
    load_checked({"topics.yaml": TOPICS, "a.yaml": text})


# --------------------------------------------------------------------------- the fast and the positional path agree

# A first line with characters the fast (yaml-rs) path leaves to the positional builder; it moves every line by one.
FORCE_BUILDER = "# ! & *\n"


def _shifted(problems: list[Problem] | tuple[Problem, ...], by: int, name: str = "x.yaml") -> list[tuple[object, ...]]:
    """Problems as comparable tuples, with the lines of file `name` moved up by `by`."""
    return sorted((p.code, p.location.path.name,
                   p.location.line - by if p.location.line is not None and p.location.path.name == name
                   else p.location.line,
                   p.location.column,
                   re.sub(r"/tmp[^\s:]*/claims/", "CLAIMS/", re.sub(r"line \d+", "line N", p.message)))
                  for p in problems)


@FAST
@given(st.one_of(yaml_documents, yamlish))
def test_fast_and_positional_paths_read_the_same_data(text: str) -> None:
    """The loader has two ways to read a file; what they read must not depend on an unrelated comment."""
    assume(not text.startswith(("\ufeff", "%", "---")))  # what must stay first in a file
    first, first_problems = parse_yaml(text, Path("x.yaml"))
    second, second_problems = parse_yaml(FORCE_BUILDER + text, Path("x.yaml"))
    assert (first is None) == (second is None)
    if first is not None and second is not None:
        assert first.data == second.data
    assert _shifted(first_problems, 0) == _shifted(second_problems, 1)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_shaped().map(lambda d: dump(d, False, True)))
def test_fast_and_positional_paths_locate_problems_alike(text: str) -> None:
    """Same problems at the same lines whichever path read the file (positions come from a scan or the builder)."""
    found = []
    for shift, variant in ((0, text), (1, FORCE_BUILDER + text)):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "claims"
            folder.mkdir()
            (folder / "topics.yaml").write_text(TOPICS, encoding="utf-8")
            (folder / "a.yaml").write_text(variant, encoding="utf-8")
            report = analyze(folder, check=True)
            found.append(_shifted(report.problems, shift, "a.yaml"))
    assert found[0] == found[1]


# --------------------------------------------------------------------------- Interval.intersects

ends = st.one_of(st.integers(-5, 5).map(float), st.sampled_from([-math.inf, math.inf]))


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    low, high = sorted((draw(ends), draw(ends)))
    if low == high:  # a single point is closed: (x, x] holds nothing and is refused
        return Interval(low, high)
    return Interval(low, high, draw(st.booleans()), draw(st.booleans()))


def _meet(a: Interval, b: Interval) -> bool:
    """The definition: the larger low end and the smaller high end leave a point (open ends excluded)."""
    low = max(a.low, b.low)
    low_open = (a.low == low and a.low_open) or (b.low == low and b.low_open)
    high = min(a.high, b.high)
    high_open = (a.high == high and a.high_open) or (b.high == high and b.high_open)
    return low < high or (low == high and not low_open and not high_open)


@FAST
@given(intervals(), intervals())
def test_intersects_is_symmetric_and_matches_the_definition(a: Interval, b: Interval) -> None:
    assert_well_formed(a)
    assert a.intersects(b) == b.intersects(a) == _meet(a, b)
    if a.intersects(b):
        assert a.gap(b) == 0 or math.isnan(a.gap(b))
