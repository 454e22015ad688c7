"""Extraction: a document (plain text, Markdown or HTML) -> candidate claims — every statement of a figure,
percentage, sum of money, count or date, with the value as written (comparator words included), the
sentence as the quote, its line, and the registry topic that fits it best.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from claimtrack.dataset import Topic

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_PART = r"(?:early|mid|late|beginning of|start of|end of|middle of|the end of|the beginning of|the middle of)"
_HALF = r"(?:(?:the )?(?:first|second) half of|H[12])"
_DATE = re.compile(
    rf"\b(?:(?:{_PART}[\s-]+|{_HALF}\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+{_YEAR}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}|{_MONTH},?\s+{_YEAR}"
    rf"|(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}|Q[1-4]\s+{_YEAR}|{_YEAR}s?)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?![\w])|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)"
    rf"|{_PART}[\s-]+{_MONTH}(?![\w]))"
    rf"|\b{_YEAR}-\d\d(?:-\d\d)?\b",
    re.IGNORECASE)
# Relative time ("last summer", "a month earlier", "in October"): the date is the reader's to derive, but the
# statement is a dated event all the same, so it is proposed with the words as written.
_RELATIVE = re.compile(
    r"\b(?:(?:last|this|next|past|previous|the following|the same)\s+(?:year|month|week|summer|winter|spring|"
    r"autumn|fall|decade)|(?:early|mid|late)[\s-]+(?:summer|winter|spring|autumn|fall)|(?:a|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|several|a few|\d+)\s+(?:years?|months?|weeks?|days?)\s+(?:earlier|later|"
    r"after|before|ago)|(?:days|weeks|months) later)\b", re.IGNORECASE)
_MONTH_ALONE = re.compile(r"(?<=\b(?:in|by|of) )(?:January|February|March|April|May|June|July|August|September|"
                          r"October|November|December)\b|(?<=\bsince )(?:January|February|March|April|May|June|"
                          r"July|August|September|October|November|December)\b")
_COMPARATOR = (r"(?:more than|less than|fewer than|greater than|no more than|no less than|not more than|at least|"
               r"at most|up to|as many as|as much as|in excess of|upwards of|just over|just under|slightly more than|"
               r"slightly less than|close to|an estimated|estimated|approximately|around|about|roughly|some|circa|"
               r"nearly|almost|over|above|below|under|exceeding|~)")
_WORD_NUMBER = (r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                r"a hundred|hundred|a dozen|dozens|hundreds|thousands|millions|billions)"
                r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|hundred|thousand|million))*)\b")
_FRACTION = r"(?:(?:(?:a|one|two|three)[\s-])?(?:half|third|thirds|quarter|quarters|fifth|fifths)|half)\b"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|st\b|nd\b|rd\b|th\b)"
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion|bn|mn|m)\b)?"
_UNIT = (r"(?:\s*%|[\s-]*(?:per ?cent|percent|kilomet(?:er|re)s?|km|miles?|met(?:er|re)s?|square kilomet(?:er|re)s?|"
         r"sq\.? km|hectares?|tons?|tonnes?|kg|hours?|days?|weeks?|months?|years?|dollars?|somoni|afghanis?|"
         r"rubles?|euros?|MW|GW|kWh|MWh)\b)?")
_AMOUNT = rf"(?:(?:US)?\$\s?|€|£)?(?:{_DIGITS}|{_WORD_NUMBER}|{_FRACTION}){_SCALE}{_UNIT}"
_QUANTITY = re.compile(
    rf"(?<![\w$.,])(?:{_COMPARATOR}\s+)?(?:between\s+{_AMOUNT}\s+and\s+{_AMOUNT}"
    rf"|{_AMOUNT}(?:\s*(?:–|-|to)\s*{_AMOUNT})?)(?:\s*\+)?(?:\s+of\s+(?:dollars|people|tons|tonnes))?(?:(?:\s+[a-z]+)?\s+(?:[a-z]+-)?(?:[a-z]+s|people|children|men|women|staff|personnel)\b)?",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])|\n\s*\n")
_ABBREVIATIONS = {"mr", "dr", "ms", "mrs", "st", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                  "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "e.g", "i.e", "gen", "col", "lt", "prof"}
_PHRASAL_OVER = re.compile(r"\b(?:hand|hands|handed|handing|took|take|takes|taken|taking|turn|turned|turns|"
                           r"turning|passed|pass|passes|won|win|wins|fought|fight)\s+over $", re.IGNORECASE)
_TRAILING_STOPWORDS = {"ago", "as", "is", "was", "has", "its", "this", "us", "of", "and", "the", "a", "an", "in",
                       "to", "for", "on", "at", "by", "with", "from", "that", "were", "are", "his", "her", "their"}


@dataclass(frozen=True)
class Candidate:
    value: str
    quote: str
    line: int
    kind: str  # "quantity" or "date"
    topic: str | None
    score: float


class Lines:
    """The line of the document that each offset of its text came from, as breakpoints (offset, line) found by
    bisection: one pair per line of the document, not one number per character."""

    def __init__(self) -> None:
        self.offsets: list[int] = []
        self.lines: list[int] = []

    @classmethod
    def of_text(cls, text: str) -> Lines:
        lines = cls()
        lines.add(0, 1, text)
        return lines

    def add(self, offset: int, line: int, text: str) -> None:
        """`text` starts at `offset` of the text, on `line` of the document; each newline in it starts the next."""
        self.offsets.append(offset)
        self.lines.append(line)
        for number, found in enumerate(re.finditer("\n", text), start=1):
            self.offsets.append(offset + found.end())
            self.lines.append(line + number)

    def line(self, offset: int) -> int:
        index = bisect_right(self.offsets, offset) - 1
        return self.lines[index] if index >= 0 else 1


class _HtmlText(HTMLParser):
    """Text of an HTML page with, for each run of it, the line of the page it came from."""

    _BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"})
    _SKIP: ClassVar[frozenset[str]] = frozenset({"script", "style", "head", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lines = Lines()
        self.length = 0
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCKS:
            self._add("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCKS:
            self._add("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._add(data)

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.lines.add(self.length, self.getpos()[0], text)
        self.length += len(text)


def document_text(path: Path, raw: str) -> tuple[str, Lines | None]:
    """The readable text of a document and, for HTML, the original line of each part of it."""
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*<(!doctype|html)", raw, re.IGNORECASE):
        parser = _HtmlText()
        parser.feed(raw)
        parser.close()
        return "".join(parser.parts), parser.lines
    return raw, None


MAX_QUOTE = 1000  # a longer sentence is quoted by the words around the value, at most this many characters


def extract_candidates(text: str, topics: dict[str, Topic], line_map: Lines | None = None) -> list[Candidate]:
    """Every figure and date statement in `text`, in document order.

    Linear in the text: lines are found by bisection, a match is tested against the spans already found by
    bisection too, and a sentence longer than MAX_QUOTE (a document without full stops) is quoted around each
    value, so that a candidate's quote does not repeat the whole document."""
    lines = line_map or Lines.of_text(text)
    suggest = _Suggester(topics)
    candidates: list[Candidate] = []
    for start, sentence in _sentences(text):
        dates: list[tuple[int, int]] = []
        for pattern in (_DATE, _RELATIVE, _MONTH_ALONE):
            found = _Spans(dates)  # a match that starts inside an earlier pattern's span is not a new one
            dates.extend((match.start(), match.end()) for match in pattern.finditer(sentence)
                         if not found.covers(match.start()))
        found = _Spans(dates)
        spans = [(a, b, "date") for a, b in dates]
        spans.extend((match.start(), match.end(), "quantity") for match in _QUANTITY.finditer(sentence)
                     if not found.meets(match.start(), match.end()))
        whole = " ".join(sentence.split()) if len(sentence) <= MAX_QUOTE else None
        for span_begin, end, kind in sorted(spans):
            begin = span_begin
            # "handed over 18 jeeps": a verb, not "more than" (the verb and its spaces just before the match)
            if kind == "quantity" and _PHRASAL_OVER.search(sentence, max(0, begin - 64), min(end, begin + 5)):
                begin += len("over ")
            value = _tidy(sentence[begin:end], kind)
            if value is None:
                continue
            quote = whole if whole is not None else _around(sentence, begin, end)
            topic, score = suggest(value, kind, quote)
            candidates.append(Candidate(value, quote, lines.line(start + begin), kind, topic, score))
    return candidates


class _Spans:
    """Spans (start, end) of a sentence, sorted by start: does one hold a position, or meet a range?"""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the spans up to each
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def covers(self, position: int) -> bool:
        """Some span has start <= position < end."""
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and self.reach[index] > position

    def meets(self, begin: int, end: int) -> bool:
        """Some span holds `begin`, or starts in [begin, end)."""
        index = bisect_left(self.starts, begin)
        return self.covers(begin) or (index < len(self.starts) and self.starts[index] < end)


def _around(sentence: str, begin: int, end: int) -> str:
    """The whole words of `sentence` around [begin, end), at most about MAX_QUOTE characters, spaces collapsed:
    a passage of the document as written, so that `check` finds it."""
    reach = max(0, (MAX_QUOTE - (end - begin)) // 2)
    left, right = max(0, begin - reach), min(len(sentence), end + reach)
    if left > 0:
        space = re.search(r"\s", sentence[left:begin])
        left = left + space.end() if space else begin
    if right < len(sentence):
        spaces = [m.start() for m in re.finditer(r"\s", sentence[end:right])]
        right = end + spaces[-1] if spaces else end
    return " ".join(sentence[left:right].split())


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) in document order, one at a time (a 50 MB document is not copied into a list)."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            # the word before the full stop: only a short one can be an abbreviation or an initial, so a few
            # characters are searched, not the sentence so far ("A. B. C. …" made that quadratic)
            word = _LAST_WORD.search(text, max(start, match.start() - 16), match.start())
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue  # "Nov. 19", "U.S.", "J. Smith": not the end of a sentence
        end = match.end() if match.group().strip() else match.start()
        if text[start:end].strip():
            yield start, text[start:end]
        start = match.end()
    if text[start:].strip():
        yield start, text[start:]


_LAST_WORD = re.compile(r"([\w.]+)$")


def _tidy(value: str, kind: str) -> str | None:
    value = " ".join(value.split()).strip(" ,-–")
    if kind == "date":
        return value[4:] if value.lower().startswith("the ") else value
    words = value.split()
    while len(words) > 1 and words[-1].lower() in _TRAILING_STOPWORDS:
        words.pop()
    value = " ".join(words)
    if re.fullmatch(r"(?:one|a|an|some|about|over|under|up to|nearly)", value, re.IGNORECASE):
        return None
    return value or None


class _Suggester:
    """The registry topic whose title or aliases best match a sentence, among topics of a fitting kind; the
    topics that fit each kind of value are worked out once, not once per candidate."""

    def __init__(self, topics: dict[str, Topic]) -> None:
        self.topics = topics
        self.choices: dict[tuple[str, str | None], dict[str, str]] = {}

    def __call__(self, value: str, kind: str, sentence: str) -> tuple[str | None, float]:
        from rapidfuzz import fuzz, process

        wanted = _wanted(value, kind)
        choices = self.choices.get(wanted)
        if choices is None:
            fitting = [t for t in self.topics.values() if _fits(t, value, kind)]
            choices = self.choices[wanted] = {f"{t.title} {' '.join(t.aliases)}": t.key for t in fitting}
        if not choices:
            return None, 0.0
        best = process.extractOne(sentence, list(choices), scorer=fuzz.token_set_ratio)
        if best is None:
            return None, 0.0
        return choices[best[0]], round(float(best[1]), 1)


def _wanted(value: str, kind: str) -> tuple[str, str | None]:
    """What _fits asks of a topic for this value: (kind, unit required, or None for any)."""
    if kind == "date":
        return "date", None
    lowered = value.lower()
    if "%" in lowered or "per cent" in lowered or "percent" in lowered or re.search(r"\b(half|third|quarter)", lowered):
        return "quantity", "%"
    if "$" in value or "dollar" in lowered:
        return "quantity", "USD"
    return "quantity", None


def _fits(topic: Topic, value: str, kind: str) -> bool:
    wanted_kind, unit = _wanted(value, kind)
    return topic.kind == wanted_kind and (unit is None or topic.unit == unit)


def text_reference(document: Path, claims_folder: Path | None) -> str | None:
    """What a new source file's `text:` says for `document`: its path relative to the folder such a file goes
    in (`claims/sources/`, as `add-source` writes it), since `text:` is read relative to the source file. None
    when there is no claims folder or the document lies outside it (a text copy must be inside: check would
    refuse it)."""
    import os

    if claims_folder is None:
        return None
    root, where = claims_folder.resolve(), document.resolve()
    if not where.is_relative_to(root):
        return None
    return Path(os.path.relpath(where, root / "sources")).as_posix()
