"""Extraction: a document (plain text, Markdown or HTML) -> candidate claims — every statement of a figure,
percentage, sum of money, count or date, with the value as written (comparator words included), the
sentence as the quote, its line, and the registry topic that fits it best.
"""

from __future__ import annotations

import re
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


class _HtmlText(HTMLParser):
    """Text of an HTML page with, for each character, the line of the page it came from."""

    _BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"})
    _SKIP: ClassVar[frozenset[str]] = frozenset({"script", "style", "head", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lines: list[int] = []
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
        line = self.getpos()[0]
        self.parts.append(text)
        for char in text:
            self.lines.append(line)
            line += char == "\n"


def document_text(path: Path, raw: str) -> tuple[str, list[int] | None]:
    """The readable text of a document and, for HTML, the original line of each character."""
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*<(!doctype|html)", raw, re.IGNORECASE):
        parser = _HtmlText()
        parser.feed(raw)
        parser.close()
        return "".join(parser.parts), parser.lines
    return raw, None


def extract_candidates(text: str, topics: dict[str, Topic], line_map: list[int] | None = None) -> list[Candidate]:
    """Every figure and date statement in `text`, in document order."""
    candidates: list[Candidate] = []
    for start, sentence in _sentences(text):
        spans: list[tuple[int, int, str]] = []
        for pattern in (_DATE, _RELATIVE, _MONTH_ALONE):
            for match in pattern.finditer(sentence):
                if not any(a <= match.start() < b for a, b, _ in spans):
                    spans.append((match.start(), match.end(), "date"))
        for match in _QUANTITY.finditer(sentence):
            if not any(a <= match.start() < b or match.start() <= a < match.end() for a, b, _ in spans):
                spans.append((match.start(), match.end(), "quantity"))
        quote = " ".join(sentence.split())
        for span_begin, end, kind in sorted(spans):
            begin = span_begin
            if kind == "quantity" and _PHRASAL_OVER.search(sentence[:begin] + sentence[begin:end][:5]):
                begin += len("over ")  # "handed over 18 jeeps": a verb, not "more than"
            value = _tidy(sentence[begin:end], kind)
            if value is None:
                continue
            offset = start + begin
            line = line_map[offset] if line_map and offset < len(line_map) else text.count("\n", 0, offset) + 1
            topic, score = _suggest(value, kind, quote, topics)
            candidates.append(Candidate(value, quote, line, kind, topic, score))
    return candidates


def _sentences(text: str) -> list[tuple[int, str]]:
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            word = re.search(r"([\w.]+)$", text[start:match.start()])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue  # "Nov. 19", "U.S.", "J. Smith": not the end of a sentence
        end = match.end() if match.group().strip() else match.start()
        if text[start:end].strip():
            found.append((start, text[start:end]))
        start = match.end()
    if text[start:].strip():
        found.append((start, text[start:]))
    return found


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


def _suggest(value: str, kind: str, sentence: str, topics: dict[str, Topic]) -> tuple[str | None, float]:
    """The registry topic whose title or aliases best match the sentence, among topics of a fitting kind."""
    from rapidfuzz import fuzz, process

    fitting = [t for t in topics.values() if _fits(t, value, kind)]
    if not fitting:
        return None, 0.0
    choices = {f"{t.title} {' '.join(t.aliases)}": t.key for t in fitting}
    best = process.extractOne(sentence, list(choices), scorer=fuzz.token_set_ratio)
    if best is None:
        return None, 0.0
    return choices[best[0]], round(float(best[1]), 1)


def _fits(topic: Topic, value: str, kind: str) -> bool:
    if kind == "date":
        return topic.kind == "date"
    if topic.kind != "quantity":
        return False
    lowered = value.lower()
    if "%" in lowered or "per cent" in lowered or "percent" in lowered or re.search(r"\b(half|third|quarter)", lowered):
        return topic.unit == "%"
    if "$" in value or "dollar" in lowered:
        return topic.unit == "USD"
    return True


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
