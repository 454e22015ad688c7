"""Values stage: value text -> Interval (docs/format.md, what a value means).

"more than 1,400 km" -> (1400, +inf) km; "about a quarter" -> [22.5, 27.5] %; "April 2023" -> the days of
that month (as ordinal day numbers). Every function raises ValueSyntaxError with a readable message.
"""

from __future__ import annotations

import calendar
import contextlib
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from claimtrack.errors import reduce_by_slots
from claimtrack.units import SPELLINGS, Unit, describe_dimension, lookup_unit

INF = math.inf


class ValueSyntaxError(ValueError):
    """A value, date or unit that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of numbers with each end open or closed; infinite ends are always open."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    __reduce__ = reduce_by_slots

    def __post_init__(self) -> None:
        if math.isnan(self.low) or math.isnan(self.high) or self.low > self.high:
            raise ValueSyntaxError(f"not an interval: [{self.low}, {self.high}]")
        if self.low == self.high and (self.low_open or self.high_open):
            raise ValueSyntaxError(f"an empty interval: {'(' if self.low_open else '['}{self.low}, {self.high}"
                                   f"{')' if self.high_open else ']'} holds no value")
        if math.isinf(self.low):
            object.__setattr__(self, "low_open", True)
        if math.isinf(self.high):
            object.__setattr__(self, "high_open", True)

    def intersects(self, other: Interval) -> bool:
        """True when the two intervals share at least one point."""
        if self.low > other.low or (self.low == other.low and self.low_open):
            low, low_open = self.low, self.low_open
        else:
            low, low_open = other.low, other.low_open
        if self.high < other.high or (self.high == other.high and self.high_open):
            high, high_open = self.high, self.high_open
        else:
            high, high_open = other.high, other.high_open
        return low < high or (low == high and not low_open and not high_open)

    def gap(self, other: Interval) -> float:
        """Distance between the facing ends of two intervals (0 when they touch or overlap)."""
        return max(0.0, other.low - self.high, self.low - other.high)

    def widen(self, below: float, above: float) -> Interval:
        return Interval(self.low - below, self.high + above, self.low_open, self.high_open)


@dataclass(frozen=True)
class Widening:
    """How far a topic's `approx` or `tolerance` reaches: a share of the value, or an absolute amount."""

    relative: float = 0.0
    absolute: float = 0.0

    def width(self, magnitude: float) -> float:
        return self.relative * abs(magnitude) + self.absolute


DEFAULT_APPROX = Widening(relative=0.10)

# --------------------------------------------------------------------------- text clean-up

_DASHES = str.maketrans({"\u2013": "–", "\u2014": "–", "\u2012": "–", "\u2212": "-", "\u2010": "-", "\u2011": "-",
                         "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u00b1": "±",
                         "\u2018": "'", "\u2019": "'"})


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).strip().lower()
    text = text.replace("+/-", "±").replace("plus or minus", "±")
    return re.sub(r"\s+", " ", text)


def _strip_phrase(text: str, phrases: tuple[str, ...]) -> tuple[str, str | None]:
    """Remove one leading phrase (whole words) from `text`; return (rest, phrase)."""
    for phrase in phrases:
        if text == phrase:
            return "", phrase
        if text.startswith(phrase) and (not phrase[-1].isalpha() or not text[len(phrase)].isalpha()):
            return text[len(phrase):].lstrip(" -"), phrase
    return text, None


# --------------------------------------------------------------------------- numbers

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
           "trillion": 1e12, "tn": 1e12, "lakh": 1e5, "crore": 1e7}
_WORD_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_WORD_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
              if w != "_"}
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                 "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                 "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d.])|\d+)(?:\.\d+)?|-?\.\d+")
_CURRENCY_CODES = ("usd", "eur", "gbp", "rub", "tjs", "afn", "cny", "uzs", "kzt", "inr", "pkr", "kgs", "tmt", "irr",
                   "try", "jpy", "chf", "sar", "aed")
_CURRENCY_SIGN = re.compile(rf"(us\$|\$|€|£|¥|(?:{'|'.join(_CURRENCY_CODES)})(?=\s*\d))\s*")
_CURRENCY_OF_SIGN = {"us$": "$", "$": "$", "€": "€", "£": "£", "¥": "yuan", **{c: c for c in _CURRENCY_CODES}}


@dataclass(frozen=True)
class _Amount:
    """A number as written: its value, half a unit of its last significant digit, and what follows it."""

    value: float
    half_unit: float
    unit: str | None = None  # a spelling from the units table, or "%" for shares
    share: bool = False  # a fraction or "one in four": a share in percent, however the topic counts
    plus_minus: float | None = None  # explicit precision (same unit and scale as the value)
    multiplier: float = 1.0  # the scale word's factor ("million" -> 1e6), already applied to value


def _digits_precision(digits: str) -> float:
    """Half a unit of the last significant digit: '1,344' -> 0.5, '1,400' -> 50, '8,848.86' -> 0.005."""
    digits = digits.lstrip("-").replace(",", "").replace(" ", "")
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".", 1)[1])
    stripped = digits.rstrip("0")
    if not stripped:  # "0": only the units digit is significant
        return 0.5
    return 0.5 * 10.0 ** (len(digits) - len(stripped))


# Continental European spellings. Unambiguous ones are read: a decimal comma with one or two decimals
# ('13,3', '1.234,5', '60 000,5') and dots grouping thousands twice or more ('1.234.567'). A single dot before
# exactly three digits ('285.000', '1.344') means 285 in English and 285,000 in much of Europe: refused,
# naming both readings, unless a scale word makes it a decimal ('1.344 million').
_DECIMAL_COMMA = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+|\d+),\d{1,2}(?![\d,.])")
_DOT_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3}){2,}(?![\d.,])")
_DOT_OR_THOUSANDS = re.compile(r"-?[1-9]\d{0,2}\.\d{3}(?![\d.,])")
_SCALE_AFTER = re.compile(r"\s*(?:thousand|million|billion|trillion|mn|mln|bn|tn|lakh|crore)\b")


def _read_number(text: str) -> tuple[float, float, str] | None:
    """A leading number in digits or words; returns (value, half_unit, rest)."""
    match = _DECIMAL_COMMA.match(text) or _DOT_THOUSANDS.match(text)
    if match:  # rewritten the English way, then read as any other number
        whole, _, decimals = match.group().partition(",")
        digits = whole.replace(".", ",").replace(" ", ",") + (f".{decimals}" if decimals else "")
        return float(digits.replace(",", "")), _digits_precision(digits), text[match.end():]
    match = _DOT_OR_THOUSANDS.match(text)
    if match and not _SCALE_AFTER.match(text, match.end()):
        written = match.group()
        whole = written.replace(".", ",")
        raise ValueSyntaxError(f"'{written}' is ambiguous: {written} in English, {whole} in much of Europe; write "
                               f"'{whole}' for the thousands, or '{written} ± 0.0005' for the decimal")
    match = _NUMBER.match(text)
    if match:
        digits = match.group()
        return float(digits.replace(",", "").replace(" ", "")), _digits_precision(digits), text[match.end():]
    return _read_word_number(text)


def _read_word_number(text: str) -> tuple[float, float, str] | None:
    words = re.split(r"(\s+|-)", text)  # keep separators to rebuild the rest
    total, current, used, seen = 0, 0, 0, False
    index = 0
    while index < len(words):
        word = words[index]
        if word.strip() in ("", "-"):
            index += 1
            continue
        if word in _WORD_UNITS:
            current += _WORD_UNITS[word]
        elif word in _WORD_TENS:
            current += _WORD_TENS[word]
        elif word == "hundred" and (seen or current):
            current = max(current, 1) * 100
        elif word in ("a", "an", "one") and _next_word(words, index) in ("hundred", "dozen", "thousand", "million",
                                                                          "billion"):
            current += 1
        elif word == "dozen" and (seen or current):
            current = max(current, 1) * 12
        elif word == "and" and seen and _next_word(words, index) in {**_WORD_UNITS, **_WORD_TENS}:
            pass
        else:
            break
        seen = True
        index += 1
        used = index
    if not seen:
        return None
    total += current
    rest = "".join(words[used:]).lstrip(" -")
    return float(total), _digits_precision(str(total)), rest


def _next_word(words: list[str], index: int) -> str:
    for word in words[index + 1:]:
        if word.strip() not in ("", "-"):
            return word
    return ""


_FRACTION_WORDS = re.compile(r"(?:(a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+)?([a-z]+)\b(?:\s+of\b)?")
_ONE_IN_N = re.compile(r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out of)\s+(\d+|[a-z]+)\b")
_SCALE_WORD = re.compile(r"(thousand|million|billion|trillion|lakh|crore|mln|mn|bn|tn|k|m)\b\.?")


def _read_fraction(text: str) -> tuple[float, str] | None:
    """'a quarter', 'two thirds', 'half', 'one in four' -> share in percent and the rest."""
    match = _FRACTION_WORDS.match(text)
    if match and match.group(2) in _DENOMINATORS and (match.group(1) or match.group(2) == "half"):
        numerator = {"a": 1, "an": 1}.get(match.group(1) or "a") or _WORD_UNITS[match.group(1)]
        if numerator > 1 and not match.group(2).endswith("s") and match.group(2) != "half":
            return None  # "two third" is not English; let the caller report it
        return 100.0 * numerator / _DENOMINATORS[match.group(2)], text[match.end():]
    match = _ONE_IN_N.match(text)
    if match:
        first, second = (_word_or_digits(g) for g in match.groups())
        if first is not None and second:
            return 100.0 * first / second, text[match.end():]
    return None


def _word_or_digits(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _WORD_UNITS.get(word, _WORD_TENS.get(word))


def _unit_pattern() -> re.Pattern[str]:
    """All unit spellings, longest first; a spelling ending in a letter or digit must end a word
    ("km" in "km long" or "1,374-km-long", not in "kmh")."""
    words = [re.escape(s) for s in SPELLINGS if s[-1].isalnum()]
    signs = [re.escape(s) for s in SPELLINGS if not s[-1].isalnum()]
    return re.compile(rf"(?:(?:{'|'.join(words)})(?=$|[^\w²³-]|-[a-z])|(?:{'|'.join(signs)}))")


_UNIT = _unit_pattern()


def _read_unit(text: str) -> tuple[str | None, str]:
    """A unit spelling at the start of `text` (whole word, or followed by '-long' style words)."""
    match = _UNIT.match(text)
    if match is None:
        return None, text
    return match.group(), text[match.end():].lstrip(" -")


def _read_amount(text: str) -> tuple[_Amount, str]:
    """One amount: [currency] number [scale] [± n] [unit|%] — and the unread rest."""
    text = text.strip()
    sign_unit = None
    match = _CURRENCY_SIGN.match(text)
    if match:
        sign_unit = _CURRENCY_OF_SIGN[match.group(1)]
        text = text[match.end():]
    fraction = None if sign_unit else _read_fraction(text)
    if fraction is not None:
        value, rest = fraction
        return _Amount(value, 0.5, "%", share=True), rest.strip()
    number = _read_number(text)
    if number is None:
        raise ValueSyntaxError("expected a number")
    value, half_unit, rest = number
    rest = rest.lstrip()
    multiplier = 1.0
    scale_match = _SCALE_WORD.match(rest)
    if scale_match and (scale_match.group(1) != "m" or sign_unit):
        multiplier = _SCALES[scale_match.group(1)]
        value, half_unit, rest = value * multiplier, half_unit * multiplier, rest[scale_match.end():].lstrip(" -")
    plus_minus = None
    if rest.startswith("±"):
        rest, plus_minus = _read_plus_minus(rest)
    unit, rest = _read_unit(rest)
    if rest.startswith("±") and plus_minus is None:
        rest, plus_minus = _read_plus_minus(rest)
        rest_unit, rest = _read_unit(rest)
        if rest_unit and unit and lookup_unit(rest_unit) != lookup_unit(unit):
            raise ValueSyntaxError(f"'±' is in {rest_unit} but the value is in {unit}")
    if sign_unit and unit and lookup_unit(unit) != lookup_unit(sign_unit):
        raise ValueSyntaxError(f"both {sign_unit!r} and {unit!r} given as the unit")
    return _Amount(value, half_unit, unit or sign_unit, plus_minus=plus_minus, multiplier=multiplier), rest.strip()


def _read_plus_minus(text: str) -> tuple[str, float]:
    number = _read_number(text[1:].lstrip())
    if number is None:
        raise ValueSyntaxError("expected a number after '±'")
    value, _, rest = number
    rest = rest.lstrip()
    scale_match = re.match(r"(thousand|million|billion|trillion)\b", rest)
    if scale_match:
        value, rest = value * _SCALES[scale_match.group(1)], rest[scale_match.end():].lstrip()
    return rest, abs(value)


_DIGIT_START = re.compile(r"(?<![\d.,])\d")
_WORD_NUMBER_START = re.compile(rf"\b(?:{'|'.join(sorted([*_WORD_UNITS, *_WORD_TENS], key=len, reverse=True))})\b")


@lru_cache(maxsize=4096)
def figures(text: str) -> tuple[frozenset[float], ...]:
    """The figures written in `text`, one set per figure: how it reads (both readings of an ambiguous
    '285.000'), also multiplied by a scale word after it ('14 thousand' is 14 and 14,000), without its sign.
    Digits in every spelling values are read in, and number words ('fourteen thousand'). For comparing a
    claim's value with its quote: the same figure written two ways meets in some reading."""
    cleaned = _clean(text)
    starts = sorted({*(m.start() for m in _DIGIT_START.finditer(cleaned)),
                     *(m.start() for m in _WORD_NUMBER_START.finditer(cleaned))})
    found: list[frozenset[float]] = []
    for start in starts:
        readings: set[float] = set()
        for value, rest in _readings(cleaned[start:start + 80]):
            readings.add(_rounded(value))
            scale = _SCALE_WORD.match(rest.lstrip())
            if scale:
                readings.add(_rounded(value * _SCALES[scale.group(1)]))
        if readings:
            found.append(frozenset(readings))
    return tuple(found)


def _readings(piece: str) -> list[tuple[float, str]]:
    try:
        number = _read_number(piece)
    except ValueSyntaxError:  # '285.000': 285 or 285,000
        match = _DOT_OR_THOUSANDS.match(piece)
        assert match is not None
        rest = piece[match.end():]
        return [(abs(float(match.group())), rest), (abs(float(match.group().replace(".", ""))), rest)]
    return [(abs(number[0]), number[2])] if number else []


def _rounded(value: float) -> float:
    return float(f"{value:.9g}")


# --------------------------------------------------------------------------- quantities

_APPROX = ("approximately", "approx.", "approx", "an estimated", "estimated", "around", "roughly", "about", "circa",
           "close to", "some", "ca.", "c.", "~", "≈")
_ALMOST = ("just under", "just below", "slightly less than", "slightly under", "a little under", "a little less than",
           "almost", "nearly")
_JUST_OVER = ("just over", "just above", "slightly more than", "slightly over", "a little over", "a little more than")
_MORE = ("more than", "greater than", "higher than", "larger than", "longer than", "bigger than", "in excess of",
         "upwards of", "well over", "well above", "exceeding", "over", "above", ">")
_AT_LEAST = ("at least", "no less than", "no fewer than", "not less than", "not fewer than", "a minimum of",
             "minimum of", "≥", ">=")
_LESS = ("less than", "fewer than", "lower than", "smaller than", "shorter than", "well under", "well below", "under",
         "below", "<")
_AT_MOST = ("up to", "at most", "no more than", "not more than", "a maximum of", "maximum of", "as many as",
            "as much as", "≤", "<=")
_COMPARATORS = (("approx", _APPROX), ("almost", _ALMOST), ("just_over", _JUST_OVER), ("more", _MORE),
                ("at_least", _AT_LEAST), ("less", _LESS), ("at_most", _AT_MOST))
_SUFFIX_COMPARATORS = (("+", "more"), ("or more", "at_least"), ("or above", "at_least"), ("or over", "at_least"),
                       ("or less", "at_most"), ("or fewer", "at_most"), ("or below", "at_most"))
_RANGE = re.compile(r"^(?:between\s+(?P<a1>.+?)\s+and\s+(?P<b1>.+)|from\s+(?P<a2>.+?)\s+to\s+(?P<b2>.+)"
                    r"|(?P<a3>.*?[\d%a-z])\s*(?:–|(?<=\d)-(?=\s*[-$€£]?\d)|(?<=[\d%a-z])\s+-\s+(?=[-$€£]?\d)"
                    r"|\s+to\s+)\s*(?P<b3>.+))$")


@dataclass(frozen=True)
class QuantityScale:
    """What a topic says about its numbers: canonical unit (None for plain counts), approx and tolerance."""

    unit: Unit | None = None
    approx: Widening = DEFAULT_APPROX


def parse_widening(text: str, scale: QuantityScale | None = None) -> Widening:
    """`approx:` / `tolerance:` — '10%' (relative), '5 km' (absolute, in the topic's unit), or '0'."""
    try:
        widening = _parse_widening(text, scale)
    except OverflowError:
        raise ValueSyntaxError(f"cannot read {str(text).strip()[:40]!r}: the number is too large") from None
    if not (math.isfinite(widening.relative) and math.isfinite(widening.absolute)) or max(
            widening.relative, widening.absolute) > 1e300:
        raise ValueSyntaxError(f"cannot read {str(text).strip()[:40]!r}: the number is too large")
    return widening


def _parse_widening(text: str, scale: QuantityScale | None) -> Widening:
    cleaned = _clean(str(text))
    if not cleaned:
        raise ValueSyntaxError("empty: write a share such as '10%' or an amount such as '5 km'")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", cleaned)
    if match:
        return Widening(relative=float(match.group(1)) / 100)
    try:
        amount, rest = _read_amount(cleaned)
    except ValueSyntaxError:
        rest = cleaned
    if rest:
        raise ValueSyntaxError(f"cannot read {text!r}: write a share such as '10%' or an amount such as '5 km'")
    return Widening(absolute=abs(_convert(amount.value, amount, scale or QuantityScale())))


@lru_cache(maxsize=65536)  # values repeat across a corpus ("2021", "more than half"); intervals are immutable
def parse_quantity(text: str, scale: QuantityScale) -> Interval:
    """A quantity value -> interval in the topic's canonical unit."""
    cleaned = _clean(text)
    if not cleaned:
        raise ValueSyntaxError("empty value")
    try:
        interval = _parse_quantity(cleaned, scale)
    except ValueSyntaxError as error:
        raise ValueSyntaxError(f"cannot read {text.strip()!r}: {error}") from None
    except OverflowError:
        raise ValueSyntaxError(f"cannot read {text.strip()[:40]!r}…: the number is too large") from None
    if math.isinf(interval.low) and math.isinf(interval.high) and interval.low == interval.high:
        raise ValueSyntaxError(f"cannot read {text.strip()[:40]!r}…: the number is too large")
    if (not math.isinf(interval.low) and abs(interval.low) > 1e300) or (
            not math.isinf(interval.high) and abs(interval.high) > 1e300):
        raise ValueSyntaxError(f"cannot read {text.strip()[:40]!r}…: the number is too large")
    return interval


def _phrase_pattern(phrases: list[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for many leading phrases (longest first, each a whole word) and each phrase's meaning."""
    ordered = sorted(phrases, key=lambda item: -len(item[1]))
    parts = [re.escape(phrase) + (r"(?![a-z])" if phrase[-1].isalpha() else "") for _, phrase in ordered]
    names = {phrase: name for name, phrase in ordered}
    # a hyphen joins a phrase to a word ('under-five'); before a number it is the number's sign ('over -5')
    return re.compile(rf"^(?:{'|'.join(parts)})(?:\s|-(?![\s\d.]))*"), names


_COMPARATOR_PATTERN, _COMPARATOR_NAMES = _phrase_pattern([(name, p) for name, phrases in _COMPARATORS for p in phrases])
_FILLER_PATTERN = re.compile(r"^(?:a total of|total of)(?![a-z])\s*")
_SUFFIX_PATTERNS = tuple(
    (re.compile(r"^(.*?\d[\d,.]*\s*(?:thousand|million|billion|k|bn)?)\s*\+\s*(.*)$") if suffix == "+"
     else re.compile(rf"^(.*?)\s+{re.escape(suffix)}\b\s*(.*)$"), suffix, name)
    for suffix, name in _SUFFIX_COMPARATORS)


def _parse_quantity(text: str, scale: QuantityScale) -> Interval:
    comparator = None
    match = _COMPARATOR_PATTERN.match(text)
    if match:
        comparator = _COMPARATOR_NAMES[match.group().rstrip(" -")]
        text = text[match.end():]
    text = _FILLER_PATTERN.sub("", text, count=1)
    for pattern, suffix, name in _SUFFIX_PATTERNS:
        found = pattern.match(text)
        if found:
            if comparator is not None:
                raise ValueSyntaxError(f"two comparisons in one value ('{suffix}')")
            comparator, text = name, f"{found.group(1)} {found.group(2)}".strip()
            break
    range_match = _RANGE.match(text)
    if range_match and comparator in (None, "approx"):
        parts = [g for g in range_match.groups() if g is not None]
        first, second = _read_range(parts[0], parts[1], scale)
        if first is not None and second is not None:
            low, low_half = first
            high, high_half = second
            if low > high:
                raise ValueSyntaxError("the range runs backwards (the first number is larger)")
            if comparator == "approx":
                low_half = max(low_half, scale.approx.width(low))
                high_half = max(high_half, scale.approx.width(high))
            return Interval(low - low_half, high + high_half)
    amount, rest = _read_amount(text)
    _check_rest(rest, amount, scale)
    _check_fraction(amount, scale)
    value = _convert(amount.value, amount, scale)
    half = _convert(amount.plus_minus if amount.plus_minus is not None else amount.half_unit, amount, scale)
    reach = max(half, scale.approx.width(value))
    match comparator:
        case None:
            return Interval(value - half, value + half)
        case "approx":
            return Interval(value - reach, value + reach)
        case "almost":
            return Interval(value - reach, value, high_open=True)
        case "just_over":
            return Interval(value, value + reach, low_open=True)
        case "more":
            return Interval(value, INF, low_open=True)
        case "at_least":
            return Interval(value, INF)
        case "less":
            return Interval(-INF, value, high_open=True)
        case _:
            return Interval(-INF, value)


def _read_range(left: str, right: str, scale: QuantityScale) -> tuple[tuple[float, float] | None, ...]:
    """Both ends of a range; an end without a scale word or unit takes the other end's ('2–3 million km')."""
    try:
        left_amount, left_rest = _read_amount(left)
        right_amount, right_rest = _read_amount(right)
    except ValueSyntaxError:
        return None, None
    if left_rest:
        return None, None
    if left_amount.multiplier == 1 and right_amount.multiplier != 1:
        factor = right_amount.multiplier
        left_amount = replace(left_amount, value=left_amount.value * factor, half_unit=left_amount.half_unit * factor)
    if left_amount.unit is None:
        left_amount = replace(left_amount, unit=right_amount.unit, share=right_amount.share)
    elif right_amount.unit is None:
        right_amount = replace(right_amount, unit=left_amount.unit, share=left_amount.share)
    _check_rest(right_rest, right_amount, scale)
    _check_fraction(left_amount, scale)
    _check_fraction(right_amount, scale)
    ends = []
    for amount in (left_amount, right_amount):
        half = amount.plus_minus if amount.plus_minus is not None else amount.half_unit
        ends.append((_convert(amount.value, amount, scale), _convert(half, amount, scale)))
    return ends[0], ends[1]


def _check_rest(rest: str, amount: _Amount, scale: QuantityScale) -> None:
    """What follows the number and unit: a plain noun phrase ('jeeps', 'of the population') or nothing."""
    if not rest:
        return
    if re.search(r"\d", rest):
        raise ValueSyntaxError(f"unexpected {rest!r} after the number")
    if scale.unit is not None and amount.unit is None and not rest.startswith("of ") and not amount.share:
        raise ValueSyntaxError(_unknown_unit_message(rest, scale.unit))
    if not re.fullmatch(r"[a-z][a-z' .-]*", rest):
        raise ValueSyntaxError(f"unexpected {rest!r} after the number")


def _check_fraction(amount: _Amount, scale: QuantityScale) -> None:
    """A bare '0.2' on a percent topic may be 0.2 % or the share 0.2 (20 %): ask, do not guess."""
    if (scale.unit is not None and scale.unit.dimension == "percent" and amount.unit is None
            and 0 < abs(amount.value) < 1):
        value = f"{amount.value:g}"
        raise ValueSyntaxError(f"'{value}' on a percent topic looks like a fraction: write '{value}%' for "
                               f"{value} percent, or '{amount.value * 100:g}%' if the share {value} was meant")


def _unknown_unit_message(word: str, unit: Unit) -> str:
    from rapidfuzz import process

    guess = process.extractOne(word.split()[0], list(SPELLINGS), score_cutoff=70)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    return f"unknown unit {word.split()[0]!r}{hint}; this topic is in {unit.symbol}"


def _convert(value: float, amount: _Amount, scale: QuantityScale) -> float:
    """`value` (in the amount's unit) converted to the topic's canonical unit."""
    if amount.unit is None:
        return value  # no unit written: the topic's own
    unit = lookup_unit(amount.unit, scale.unit.dimension if scale.unit else None)
    assert unit is not None
    if scale.unit is None:
        if amount.share:
            raise ValueSyntaxError("a share (such as 'a quarter' or '46%') needs a topic with unit '%'")
        raise ValueSyntaxError(f"'{amount.unit}' is {describe_dimension(unit.dimension)}, but this topic is a plain "
                               "count (no unit)")
    if unit.dimension != scale.unit.dimension:
        if amount.share:
            raise ValueSyntaxError("a share (such as 'a quarter') needs a topic with unit '%', "
                                   f"not {scale.unit.symbol}")
        raise ValueSyntaxError(f"'{amount.unit}' is {describe_dimension(unit.dimension)}, but this topic is "
                               f"{describe_dimension(scale.unit.dimension)} ({scale.unit.symbol})")
    return value * unit.factor / scale.unit.factor


def parse_structured(data: dict[str, object], scale: QuantityScale) -> Interval:
    """The structured form {min, max, min_open, max_open, unit}: exact ends, no implied precision."""
    try:
        interval = _parse_structured(data, scale)
    except OverflowError:
        raise ValueSyntaxError("a number is too large") from None
    for end in (interval.low, interval.high):
        if not math.isinf(end) and abs(end) > 1e300:
            raise ValueSyntaxError("a number is too large")
    return interval


def _parse_structured(data: dict[str, object], scale: QuantityScale) -> Interval:
    unit_text = data.get("unit")
    amount_unit = None
    if unit_text is not None:
        if lookup_unit(str(unit_text)) is None:
            raise ValueSyntaxError(f"unknown unit {unit_text!r}")
        amount_unit = str(unit_text)
    ends: list[float] = []
    for key, infinite in (("min", -INF), ("max", INF)):
        raw = data.get(key)
        if raw is None:
            ends.append(infinite)
            continue
        number = _read_number(_clean(str(raw)))
        if number is None or number[2].strip():
            raise ValueSyntaxError(f"{key}: {raw!r} is not a number")
        if math.isinf(number[0]):
            raise ValueSyntaxError(f"{key}: the number is too large")
        ends.append(_convert(number[0], _Amount(number[0], 0, amount_unit), scale))
    if ends == [-INF, INF]:
        raise ValueSyntaxError("give at least one of min and max")
    if ends[0] > ends[1]:
        raise ValueSyntaxError("min is larger than max")
    return Interval(ends[0], ends[1], _flag(data, "min_open"), _flag(data, "max_open"))


def _flag(data: dict[str, object], key: str) -> bool:
    raw = data.get(key)
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in ("true", "yes"):
        return True
    if text in ("false", "no"):
        return False
    raise ValueSyntaxError(f"{key} must be true or false, not {raw!r}")


# --------------------------------------------------------------------------- dates

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {"sept": 9}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# parse_span has dropped 'of' and 'the' before these are looked for: 'end of 2028' is 'end 2028' by then
_PART_WORDS = (("beginning", "early"), ("start", "early"), ("early", "early"), ("middle", "mid"),
               ("mid", "mid"), ("end", "late"), ("late", "late"))
_DATE_COMPARATORS = (("no later than", "by"), ("not later than", "by"), ("no earlier than", "since"),
                     ("not before", "since"), ("not after", "by"), ("prior to", "before"), ("earlier than", "before"),
                     ("later than", "after"), ("before", "before"), ("after", "after"), ("until", "by"),
                     ("till", "by"), ("up to", "by"), ("by", "by"), ("since", "since"), ("from", "since"),
                     ("starting", "since"))
_DATE_RANGE = re.compile(r"^(?:between\s+(?P<a1>.+?)\s+and\s+(?P<b1>.+)|from\s+(?P<a2>.+?)\s+(?:to|until|till)"
                         r"\s+(?P<b2>.+)|(?P<a3>.+?)\s*(?:–|\s-\s|\s+to\s+|\s+until\s+)\s*(?P<b3>.+))$")

Span = tuple[date, date]


@lru_cache(maxsize=65536)
def parse_date(text: str) -> Interval:
    """A date value or `as_of` -> interval of ordinal day numbers (closed at both ends unless open-ended)."""
    cleaned = _clean(text).strip(" .")
    if not cleaned:
        raise ValueSyntaxError("empty date")
    try:
        return _parse_date(cleaned)
    except ValueSyntaxError as error:
        raise ValueSyntaxError(f"cannot read date {text.strip()!r}: {error}") from None
    except (ValueError, OverflowError):  # a season or decade that starts or ends outside years 1–9999
        raise ValueSyntaxError(f"cannot read date {text.strip()!r}: it falls outside the years 1–9999") from None


def span_interval(first: date, last: date) -> Interval:
    return Interval(first.toordinal(), last.toordinal())


def _parse_date(text: str) -> Interval:
    if not re.match(r"^(?:mid|early|late|end|start|beginning|middle|first|second|third|fourth)\b", text):
        for phrase, kind in _DATE_COMPARATORS:
            rest, found = _strip_phrase(text, (phrase,))
            if found is None or not rest:
                continue
            if kind == "since" and _DATE_RANGE.match(text):
                break  # "from May to June" is a range
            first, last = parse_span(rest)
            if kind == "before":
                return Interval(-INF, first.toordinal(), high_open=True)
            if kind == "after":
                return Interval(last.toordinal(), INF, low_open=True)
            if kind == "by":
                return Interval(-INF, last.toordinal())
            return Interval(first.toordinal(), INF)
    try:
        return span_interval(*parse_span(text))
    except ValueSyntaxError:
        range_match = _DATE_RANGE.match(text)
        if not range_match:
            raise
    left, right = (g for g in range_match.groups() if g is not None)
    right_span = parse_span(right)
    left_span = _parse_with_context(left, right)
    if left_span[0] > right_span[1]:
        raise ValueSyntaxError("the date range runs backwards") from None
    return Interval(left_span[0].toordinal(), right_span[1].toordinal())


def _parse_with_context(left: str, right: str) -> Span:
    """The left end of a date range, borrowing the right end's year (and month) when it has none."""
    try:
        return parse_span(left)
    except ValueSyntaxError:
        words = right.split()
        for take in (1, 2):
            if len(words) >= take:
                try:
                    return parse_span(f"{left} {' '.join(words[-take:])}")
                except ValueSyntaxError:
                    continue
        raise


_ISO_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")


def parse_span(text: str) -> Span:
    """A single date expression -> its first and last day."""
    text = re.sub(r"\b(the|of|in)\b", " ", text.replace(",", " "))
    text = re.sub(r"\s+", " ", text).strip(" .")
    # an ISO date with a time of day ('2023-03-28T10:00', '…T10:00:00+05:00') is that day as written
    text = _ISO_TIME.sub(r"\1", text)
    match = re.fullmatch(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})", text)
    if match:
        return _day_first_or_month_first(int(match.group(1)), int(match.group(3)), int(match.group(4)),
                                         match.group())
    match = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?", text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        return _span(year, month, day)  # type: ignore[arg-type]
    match = re.fullmatch(r"(\d{4})s", text)
    if match and int(match.group(1)) % 10 == 0:
        start = int(match.group(1))
        return date(start, 1, 1), date(start + 9, 12, 31)
    for phrase, part in _PART_WORDS:
        rest, found = _strip_phrase(text, (phrase,))
        if found and rest:
            return _part_of(parse_span(rest), part, rest)
    match = re.fullmatch(r"(first|second|1st|2nd) half ?(.+)", text) or re.fullmatch(r"(?:h([12])|([12])h) ?(\d{4})",
                                                                                      text)
    if match:
        if text.startswith(("first", "second", "1st", "2nd")):
            half, rest = _ORDINALS[match.group(1)], match.group(2)
        else:
            half, rest = int(match.group(1) or match.group(2)), match.group(3)
        first, last = parse_span(rest)
        return _split(first, last, 2)[half - 1]
    match = re.fullmatch(r"(?:q([1-4])|([1-4])q) ?(\d{4})", text) or re.fullmatch(
        r"(first|second|third|fourth|1st|2nd|3rd|4th) quarter ?(\d{4})", text)
    if match:
        groups = [g for g in match.groups() if g]
        quarter = _ORDINALS.get(groups[0]) or int(groups[0])
        year = int(groups[-1])
        return _span(year, 3 * quarter - 2, None)[0], _span(year, 3 * quarter, None)[1]
    match = re.fullmatch(r"(spring|summer|autumn|fall|winter) ?(\d{4})(?:[/-](\d{2,4}))?", text)
    if match:
        season, year = match.group(1), int(match.group(2))
        if season == "winter":  # winter 2024 = Dec 2023 – Feb 2024; "winter 2023/24" the same
            if match.group(3):
                year += 1
            return date(year - 1, 12, 1), _span(year, 2, None)[1]
        start, end = _SEASONS[season]
        return date(year, start, 1), _span(year, end, None)[1]
    return _calendar_date(text)


def _calendar_date(text: str) -> Span:
    """'2 April 2023', 'April 2, 2023', 'April 2023', 'Apr 2023'."""
    tokens = [re.sub(r"(?<=\d)(st|nd|rd|th)$", "", t) for t in text.replace("-", " ").split()]
    day = month = year = None
    relative = {"last", "this", "next", "ago", "recent", "recently", "yesterday", "today", "previous", "current"}
    if relative & set(tokens):
        raise ValueSyntaxError("relative dates ('last year', 'this spring') cannot be read: write the date they "
                               "mean (e.g. spring 2024) and say how it was derived in a note")
    if all(not t.isdigit() for t in tokens) and any(t in _SEASONS or t == "winter" or t.rstrip(".") in _MONTHS
                                                    for t in tokens):
        raise ValueSyntaxError("a date needs a year: write summer 2024, April 2023 or 2023-04-02")
    for token in tokens:
        if token.isdigit() and len(token) == 4 and year is None:
            year = int(token)
        elif token.isdigit() and len(token) <= 2 and day is None:
            day = int(token)
        elif token.rstrip(".") in _MONTHS and month is None:
            month = _MONTHS[token.rstrip(".")]
        else:
            raise ValueSyntaxError(_date_hint(token))
    if year is None or (day is not None and month is None):
        raise ValueSyntaxError("a date needs a year: write 2023-04-02, April 2023 or 2023")
    return _span(year, month, day)


def _day_first_or_month_first(first: int, second: int, year: int, written: str) -> Span:
    """'27.03.2023' and '27/03/2023' are read day first, '03/27/2023' month first, because only one reading
    is a date; '03/04/2023' is 3 April in most of the world and March 4 in the United States: refused."""
    readings = []
    for day, month in ((first, second), (second, first)):
        with contextlib.suppress(ValueSyntaxError):
            readings.append(_span(year, month, day) if 1 <= month <= 12 else None)
    found = [span for span in readings if span is not None]
    if len(found) == 1 or (len(found) == 2 and found[0] == found[1]):
        return found[0]
    if not found:
        raise ValueSyntaxError(f"{written!r} is not a date")
    a, b = (span[0] for span in found)
    raise ValueSyntaxError(f"{written!r} is ambiguous: {a:%-d %B %Y} (day first) or {b:%B %-d, %Y} (month "
                           f"first); write {a.isoformat()} or {b.isoformat()}")


def _date_hint(token: str) -> str:
    from rapidfuzz import process

    words = [*(m for m in _MONTHS if len(m) > 3), *_SEASONS, "winter", "early", "mid", "late", "before", "after", "by"]
    guess = process.extractOne(token, [w for w in words if w != token], score_cutoff=75)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    return f"unexpected {token!r}{hint}; write dates as 2023-04-02, April 2023, Q3 2023, early 2024 …"


def _span(year: int, month: int | None, day: int | None) -> Span:
    if not 1 <= year <= 9999:
        raise ValueSyntaxError(f"year {year} is out of range")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValueSyntaxError(f"there is no month {month}")
    last_day = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), date(year, month, last_day)
    if not 1 <= day <= last_day:
        raise ValueSyntaxError(f"{calendar.month_name[month]} {year} has no day {day}")
    return date(year, month, day), date(year, month, day)


def _part_of(span: Span, part: str, text: str) -> Span:
    """early/mid/late of a month (days 1–10, 11–20, 21–end) or of a year (Jan–Apr, May–Aug, Sep–Dec)."""
    first, last = span
    if first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31 and first.year == last.year:
        index = ("early", "mid", "late").index(part)
        return date(first.year, 4 * index + 1, 1), _span(first.year, 4 * index + 4, None)[1]
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and last.year - first.year == 9:
        years = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]  # a decade: early/mid/late 1990s
        return date(first.year + years[0], 1, 1), date(first.year + years[1], 12, 31)
    whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if whole_months and first.month == last.month:
        starts = {"early": (1, 10), "mid": (11, 20), "late": (21, last.day)}[part]
        return first.replace(day=starts[0]), first.replace(day=starts[1])
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if whole_months and months == 3:  # a season or quarter: early/mid/late are its three months
        index = ("early", "mid", "late").index(part)
        year, month = divmod(first.month - 1 + index, 12)
        return _span(first.year + year, month + 1, None)
    raise ValueSyntaxError(f"'{part}' applies to a month, a season or a year, not to {text!r}")


def _split(first: date, last: date, parts: int) -> list[Span]:
    """A month or year cut into halves: months by day (1–15, 16–end), years by month."""
    if first.month == last.month and first.year == last.year:
        return [(first.replace(day=1), first.replace(day=15)), (first.replace(day=16), last)]
    if first.year == last.year and (first.month, last.month) == (1, 12):
        return [(date(first.year, 1, 1), date(first.year, 6, 30)), (date(first.year, 7, 1), last)]
    raise ValueSyntaxError("a half applies to a month or a year")


def format_day(ordinal: float) -> str | None:
    """An interval end as an ISO date (None when unbounded; a tolerance may reach past the calendar's ends,
    which are shown as its first and last day)."""
    if math.isinf(ordinal):
        return None
    return date.fromordinal(min(max(int(ordinal), 1), date.max.toordinal())).isoformat()


# --------------------------------------------------------------------------- text and booleans

def normalize_text(text: str) -> str:
    """Case-folded, accents and punctuation stripped, whitespace collapsed: what text values are compared on."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = decomposed if decomposed.isascii() else decomposed.translate(_COMBINING)
    return " ".join(_NOT_A_WORD.sub(" ", letters).split())


class _CombiningMarks(dict[int, int | None]):
    """str.translate's table that deletes combining marks, filled as characters are met (a C-level look-up
    for every character seen before, where a per-character Python test cost seconds over 100,000 quotes)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_COMBINING = _CombiningMarks()
_NOT_A_WORD = re.compile(r"[^\w\s]|_")


def parse_boolean(text: str) -> bool:
    """yes/no/true/false (any case)."""
    cleaned = text.strip().lower()
    if cleaned in ("yes", "true"):
        return True
    if cleaned in ("no", "false"):
        return False
    raise ValueSyntaxError(f"cannot read {text.strip()!r}: a boolean value is yes, no, true or false")
