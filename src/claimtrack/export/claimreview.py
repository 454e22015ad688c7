"""Export stage, ClaimReview: schema.org ClaimReview JSON-LD, one review per claim of every topic whose
resolution names a `preferred` value, each claim rated against that value.

The preferred value is read as the topic's claims are (dataset.interpret_value: its kind, unit, tolerance):

- 3 "Accurate": the claim's interval lies within the preferred one (a boolean or text value equals it);
- 2 "Imprecise": the intervals meet, but the claim's reaches beyond the preferred one;
- 1 "Inaccurate": they do not meet (a boolean or text value differs).

The output is a JSON array of complete ClaimReview objects, each with its own @context, as Google's structured
data documentation allows in one JSON-LD script; Google shows a fact-check result only for a page with one
ClaimReview, so each object can also be placed on its own page as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claimtrack.errors import Problem
from claimtrack.export import Exported, ExportOptions
from claimtrack.export.target import Target

if TYPE_CHECKING:
    from claimtrack.dataset import Claim, Source, Topic
    from claimtrack.report import Report
    from claimtrack.values import Interval

SHORT = 75  # Google: keep claimReviewed under 75 characters, so it does not wrap on a phone


@dataclass(frozen=True)
class Verdict:
    rating: int
    words: str


ACCURATE = Verdict(3, "Accurate")
IMPRECISE = Verdict(2, "Imprecise")
INACCURATE = Verdict(1, "Inaccurate")
BEST, WORST = ACCURATE.rating, INACCURATE.rating


def write(report: Report, target: Target, options: ExportOptions) -> Exported:
    """A JSON array of ClaimReview objects."""
    import orjson

    reviews, problems = build_reviews(report, options)
    with target.stream() as emit:
        emit(script_safe(orjson.dumps(reviews, option=orjson.OPT_INDENT_2)) + b"\n")
    return Exported((target.path,) if target.path else (), len(reviews), "review", tuple(problems))


def script_safe(encoded: bytes) -> bytes:
    """JSON that can go as it is into a page's `<script type="application/ld+json">`: `<`, `>` and `&` (which
    only strings hold) written as \\u003c, \\u003e and \\u0026, so that no quote holding `</script>` or `<!--`
    ends the element or opens a comment; every reader of the JSON gets the same strings."""
    return encoded.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


def build_reviews(report: Report, options: ExportOptions) -> tuple[list[dict[str, Any]], list[Problem]]:
    """One ClaimReview per claim of each topic with a preferred value; a preferred value that cannot be read
    is a problem, and its topic's claims are left out."""
    from claimtrack.conflicts import value_order
    from claimtrack.dataset import interpret_value
    from claimtrack.values import ValueSyntaxError

    assert options.publisher, "plan_export requires a publisher"
    dataset = report.dataset
    reviews: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for topic in dataset.topics.values():
        resolution = topic.resolution
        if resolution is None or resolution.preferred is None:
            continue
        try:
            preferred, preferred_text, _ = interpret_value(resolution.preferred, topic)
        except ValueSyntaxError as error:
            where = (resolution.positions.location((*resolution.keypath, "preferred")) if resolution.positions
                     else resolution.location)
            problems.append(Problem(where, "invalid-value",
                                    f"preferred value of {topic.key!r} cannot be read ({error}): its claims are "
                                    "not reviewed", severity="warning", topic=topic.key))
            continue
        for claim in sorted(dataset.by_topic.get(topic.key, ()), key=value_order):
            verdict = judge(claim, topic, preferred, preferred_text)
            source = dataset.sources.get(claim.source)
            reviews.append(_review(claim, topic, source, verdict, options))
    return reviews, problems


def judge(claim: Claim, topic: Topic, preferred: Interval | None, preferred_text: str | None) -> Verdict:
    """How the claim's value stands against the preferred value of its topic."""
    if claim.interval is None or preferred is None:  # text topics
        from rapidfuzz import fuzz

        same = fuzz.ratio(claim.text_key or "", preferred_text or "") >= topic.similarity
        return ACCURATE if same else INACCURATE
    if _within(claim.interval, preferred):
        return ACCURATE
    return IMPRECISE if claim.interval.intersects(preferred) else INACCURATE


def _within(inner: Interval, outer: Interval) -> bool:
    """Does every point of `inner` belong to `outer`?"""
    low_in = outer.low < inner.low or (outer.low == inner.low and (inner.low_open or not outer.low_open))
    high_in = inner.high < outer.high or (inner.high == outer.high and (inner.high_open or not outer.high_open))
    return low_in and high_in


def _review(claim: Claim, topic: Topic, source: Source | None, verdict: Verdict,
            options: ExportOptions) -> dict[str, Any]:
    resolution = topic.resolution
    assert resolution is not None
    explanation = f"The editors prefer {resolution.preferred} for {topic.title}; this source says {claim.value}."
    if resolution.note:
        explanation += f" {resolution.note}"
    review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
    if options.url_base:
        review["url"] = review_url(options.url_base, claim.id)
    review.update({
        "claimReviewed": statement(claim.quote, claim.value),
        "itemReviewed": _claim(claim, source),
        "author": {"@type": "Organization", "name": options.publisher},
        "reviewRating": {"@type": "Rating", "ratingValue": verdict.rating, "bestRating": BEST, "worstRating": WORST,
                         "alternateName": verdict.words, "ratingExplanation": explanation},
    })
    return review


def _claim(claim: Claim, source: Source | None) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim", "identifier": claim.id}
    author = _claim_author(claim, source)
    if author is not None:
        item["author"] = author
    if source is None:
        return item
    if source.published:
        item["datePublished"] = source.published
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": source.title}
    if source.url and source.url.lower().startswith(("https://", "http://")):  # a web address only, as the report
        appearance["url"] = source.url
    if source.published:
        appearance["datePublished"] = source.published
    if source.author:
        appearance["author"] = _people(source.author)
    if source.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": source.publisher}
    item["appearance"] = appearance
    return item


def _claim_author(claim: Claim, source: Source | None) -> Any:
    """Who made the claim: the person the source attributes it to, else the document's authors, else its
    publisher."""
    if claim.attributed_to:
        return {"@type": "Person", "name": claim.attributed_to}
    if source is not None and source.author:
        return _people(source.author)
    if source is not None and source.publisher:
        return {"@type": "Organization", "name": source.publisher}
    return None


def _people(names: tuple[str, ...]) -> Any:
    people = [{"@type": "Person", "name": name} for name in names]
    return people[0] if len(people) == 1 else people


def review_url(base: str, claim_id: str) -> str:
    """The review's url: the base followed by the claim id (a '/' between them unless the base ends in '/',
    '#' or '=')."""
    from urllib.parse import quote

    joint = "" if base.endswith(("/", "#", "=")) else "/"
    return f"{base}{joint}{quote(claim_id, safe='/')}"


_NUMBER = re.compile(r"\d[\d,.]*")


def statement(quote: str, value: str) -> str:
    """The claim in the source's words, short (under SHORT characters) and without a verdict: the quote, or
    the stretch of it around the figure the value gives, with '…' where words are left out (control
    characters become spaces)."""
    words = "".join(" " if unicodedata.category(c) == "Cc" else c for c in quote).split()
    text = " ".join(words)
    if len(text) < SHORT:
        return text
    centre = _figure_word(words, value)
    first, last, length = centre, centre + 1, len(words[centre])
    room = SHORT - 3  # under SHORT, with two ellipses at most
    grew = True
    while grew:
        grew = False
        if last < len(words) and length + 1 + len(words[last]) <= room:
            length += 1 + len(words[last])
            last += 1
            grew = True
        if first > 0 and length + 1 + len(words[first - 1]) <= room:
            first -= 1
            length += 1 + len(words[first])
            grew = True
    shown = " ".join(words[first:last])
    cut = len(shown) > room  # one word longer than the room: cut it, and say so
    shown = shown[:room]
    return f"{'…' if first > 0 else ''}{shown}{'…' if last < len(words) or cut else ''}"


def _figure_word(words: list[str], value: str) -> int:
    """The index of the word that holds the value's first figure (or its first long word); 0 if none does."""
    figures = _NUMBER.findall(value)
    needles = [figures[0].rstrip(".,")] if figures else [w for w in value.split() if len(w) > 3][:1]
    for needle in needles:
        for index, word in enumerate(words):
            if needle.casefold() in word.casefold():
                return index
    return 0
