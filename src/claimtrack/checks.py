"""Checks stage: Dataset + conflicts -> problems beyond those found while loading (the CI gate's findings).

Every check has one signature and lives in the CHECKS tuple; docs/checks.md documents each code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from pathlib import Path

from claimtrack.conflicts import Conflict
from claimtrack.dataset import Claim, Dataset, Topic
from claimtrack.errors import Problem
from claimtrack.loader import display_path, real_location
from claimtrack.models import did_you_mean
from claimtrack.values import Interval


@dataclass(frozen=True)
class CheckInput:
    dataset: Dataset
    conflicts: Mapping[str, Conflict]

    @cached_property
    def claim_ids(self) -> frozenset[str]:
        """Every claim id (two checks ask)."""
        return frozenset([claim.id for claim in self.dataset.claims])


Check = Callable[[CheckInput], Iterable[Problem]]
NEAR_DUPLICATE_KEY = 90  # 'border-length' vs 'border-lenght' is 92
NEAR_DUPLICATE_TITLE = 95  # titles differing in one country name score ~94: distinct facts
NEAR_DUPLICATE_WINDOW = 20  # neighbours compared in each of two orders: tests/test_checks.py measures the misses


def unknown_covers(given: CheckInput) -> Iterable[Problem]:
    """A resolution's `covers` names a claim id that does not exist."""
    known = given.claim_ids
    for topic in given.dataset.topics.values():
        if topic.resolution is None:
            continue
        topic_ids = [claim.id for claim in given.dataset.by_topic.get(topic.key, ())]
        for index, claim_id in enumerate(topic.resolution.covers):
            if claim_id not in known:
                yield Problem(topic.resolution.cover_location(index), "unknown-cover",
                              f"topic {topic.key!r}: covers {claim_id!r}, which is no claim"
                              f"{did_you_mean(claim_id, topic_ids)}")


def unknown_based_on(given: CheckInput) -> Iterable[Problem]:
    """A source's `based_on` names a source id that does not exist (or the source itself)."""
    sources = given.dataset.sources
    for source in sources.values():
        for index, other in enumerate(source.based_on):
            where = source.positions.location(("source", "based_on", index))  # (or the key, for one id)
            if other == source.id:
                yield Problem(where, "unknown-source", f"source {source.id!r} is based_on itself")
            elif other not in sources:
                yield Problem(where, "unknown-source", f"source {source.id!r} is based_on {other!r}, which is no "
                              f"source{did_you_mean(other, [s for s in sources if s != source.id])}")


def stale_resolutions(given: CheckInput) -> Iterable[Problem]:
    """A resolution that no longer matches its conflict: it covers claims that no longer conflict."""
    known = given.claim_ids
    for topic in given.dataset.topics.values():
        resolution = topic.resolution
        if resolution is None:
            continue
        conflict = given.conflicts.get(topic.key)
        if conflict is None:
            yield Problem(resolution.location, "stale-resolution",
                          f"topic {topic.key!r} has a resolution but its claims no longer conflict", "warning")
            continue
        claims = {claim.id: claim for claim in given.dataset.by_topic.get(topic.key, ())}
        for index, claim_id in enumerate(resolution.covers):
            before = resolution.changed(claims[claim_id]) if claim_id in claims else None
            if before is not None:
                yield Problem(resolution.cover_location(index), "stale-resolution",
                              f"topic {topic.key!r}: settled {claim_id} as {before!r}, but it now says "
                              f"{claims[claim_id].value!r}; review the topic and record the resolution again "
                              f"(claimtrack resolve {topic.key})", "warning", topic=topic.key)
        extra = [cid for cid in resolution.covers if cid in known and cid not in conflict.claim_ids]
        if extra:
            yield Problem(resolution.location, "stale-resolution",
                          f"topic {topic.key!r}: covers {', '.join(extra)}, which no longer take part in the conflict",
                          "warning")


def preferred_values(given: CheckInput) -> Iterable[Problem]:
    """A resolution's `preferred` value must read under its topic and agree with a claim it covers: the
    verdict prefers one of the values on the record, not a figure from nowhere."""
    from claimtrack.dataset import interpret_value
    from claimtrack.values import ValueSyntaxError

    for topic in given.dataset.topics.values():
        resolution = topic.resolution
        if resolution is None or resolution.preferred is None:
            continue
        where = resolution.positions.location((*resolution.keypath, "preferred")) if resolution.positions else \
            resolution.location
        try:
            interval, text_key, _ = interpret_value(resolution.preferred, topic)
        except ValueSyntaxError as error:
            yield Problem(where, "invalid-preferred", f"topic {topic.key!r}: preferred {resolution.preferred!r} "
                          f"is not a {topic.kind} value of this topic: {error}", topic=topic.key)
            continue
        covered = [claim for claim in given.dataset.by_topic.get(topic.key, ()) if claim.id in resolution.covers]
        if covered and not any(_agrees(claim, interval, text_key, topic) for claim in covered):
            values = ", ".join(sorted({repr(claim.value) for claim in covered}))
            yield Problem(where, "invalid-preferred", f"topic {topic.key!r}: preferred {resolution.preferred!r} "
                          f"agrees with none of the claims the resolution covers ({values}); prefer one of them, "
                          "or record the figure as a claim of the source that gives it", topic=topic.key)


def _agrees(claim: Claim, interval: Interval | None, text_key: str | None, topic: Topic) -> bool:
    if interval is not None:
        return claim.interval is not None and claim.interval.intersects(interval)
    from rapidfuzz import fuzz

    return fuzz.ratio(claim.text_key or "", text_key or "") >= topic.similarity


def near_duplicate_topics(given: CheckInput) -> Iterable[Problem]:
    """Two topics of one kind and unit whose keys (or titles) are nearly the same: probably one fact twice."""
    topics, cache = given.dataset.topics, given.dataset.cache
    if cache is None:
        return _near_duplicates(topics)
    # the name changes with the rule, so that a cache written under the old rule is not served
    return cache.for_registry("near-duplicate-topics/typos", lambda: list(_near_duplicates(topics)))


def _near_duplicates(registry: dict[str, Topic]) -> Iterator[Problem]:
    groups: dict[tuple[str, str | None], list[Topic]] = {}
    for topic in registry.values():
        groups.setdefault((topic.kind, topic.unit), []).append(topic)
    for topics in groups.values():
        reported: set[tuple[int, int]] = set()
        for attribute, cutoff in (("key", NEAR_DUPLICATE_KEY), ("title", NEAR_DUPLICATE_TITLE)):
            for i, j, score in _alike_pairs([getattr(topic, attribute) for topic in topics], cutoff):
                if (i, j) in reported:
                    continue
                reported.add((i, j))
                topic, other = topics[i], topics[j]
                yield Problem(other.location, "near-duplicate-topic",
                              f"topic {other.key!r} looks like topic {topic.key!r} "
                              f"(line {topic.location.line}): their {attribute}s are {score:.0f}% alike; "
                              "merge them or make them distinct", "warning")


_SEPARATORS = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+")
_MAX_TYPOS = 2  # in different words: two in one word make another word ('turku', 'turin')


def _alike_pairs(names: list[str], cutoff: int) -> list[tuple[int, int, float]]:
    """The pairs (i, j, score), i < j, of names at least `cutoff` % alike (rapidfuzz's ratio) that differ by
    typos only (_mistyped).

    Not every pair is compared. Each name is reduced to a form — no case, no separators, each number one `#` —
    so that a series is one form; the forms are sorted as written and as read backwards, and each is compared
    with the NEAR_DUPLICATE_WINDOW forms after it in both orders: a typo keeps the start or the end of a name,
    so its twin sorts close by in one of them. Only forms two typos apart or less go on to the full test."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Indel

    if len(names) < 2:
        return []
    texts = [_comparable(name) for name in names]
    forms: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        forms.setdefault(_NUMBER.sub("#", text).replace(" ", ""), []).append(i)
    candidates: set[tuple[int, int]] = set()
    for members in forms.values():
        if len(members) > 1:  # a series: two of its names are alike only if their separators alone differ
            spellings: dict[str, list[int]] = {}
            for i in members:
                spellings.setdefault(texts[i].replace(" ", ""), []).append(i)
            candidates.update(pair for twins in spellings.values() for pair in combinations(twins, 2))
    distinct = list(forms)
    for order in (sorted(distinct), sorted(distinct, key=lambda form: form[::-1])):
        for position, form in enumerate(order):
            window = order[position + 1:position + 1 + NEAR_DUPLICATE_WINDOW]
            # a typo is at most two insertions or deletions (a letter changed, two letters swapped)
            for other, _, _ in process.extract(form, window, scorer=Indel.distance, score_cutoff=2 * _MAX_TYPOS,
                                               limit=None):
                candidates.update((min(i, j), max(i, j)) for i in forms[form] for j in forms[other])
    scores = {(i, j): fuzz.ratio(texts[i], texts[j]) for i, j in candidates}
    return sorted((i, j, score) for (i, j), score in scores.items()
                  if score >= cutoff and _mistyped(texts[i].split(), texts[j].split()))


def _mistyped(first: list[str], second: list[str]) -> bool:
    """The words of two names differ by at most _MAX_TYPOS typos, each in a different word; a word run together
    with the next or split in two is no typo (the words that differ are then compared joined). A number is never
    a typo: 'population 2000' and 'population 2001' are a series, and 'border lenght 2020' and 'border length 2021'
    two years of it, one misspelt."""
    if len(first) == len(second):
        differing = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    else:
        shorter = min(len(first), len(second))
        start = 0
        while start < shorter and first[start] == second[start]:
            start += 1
        end = 0
        while end < shorter - start and first[-1 - end] == second[-1 - end]:
            end += 1
        joined = "".join(first[start:len(first) - end]), "".join(second[start:len(second) - end])
        differing = [joined] if joined[0] != joined[1] else []
    return len(differing) <= _MAX_TYPOS and all(_one_typo(a, b) for a, b in differing)


def _one_typo(a: str, b: str) -> bool:
    """A letter added, dropped or changed, or two neighbours swapped; not a change of number."""
    from rapidfuzz.distance import OSA

    # a letter is no series: 'population 2000b' names the year 2000 again, which is what this check is for
    return OSA.distance(a, b, score_cutoff=1) <= 1 and _NUMBER.sub("#", a) != _NUMBER.sub("#", b)


def _comparable(text: str) -> str:
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def unverified_quotes(given: CheckInput) -> Iterable[Problem]:
    """Quotes are checked against the source's `text:` copy when it has one."""
    by_source: dict[str, list[Claim]] = {}
    for claim in given.dataset.claims:
        by_source.setdefault(claim.source, []).append(claim)
    for source in given.dataset.sources.values():
        if source.text is None:
            continue
        root = given.dataset.folder.resolve()
        if root not in source.text.resolve().parents:
            yield Problem(source.text_location or source.location, "outside-folder",
                          f"text {source.text} is outside the claims folder: keep text copies inside it")
            continue
        document, reason = _read_text_copy(source.text)
        if document is None:
            yield Problem(source.text_location or source.location, "missing-text",
                          f"cannot read text {display_path(source.text)}: {reason}")
            continue
        # an HTML copy is compared as read, as `extract` reads it: tags dropped, entities (&#8217;) decoded
        from claimtrack.extract import document_text

        readable, line_of = document_text(source.text, document)
        flat, starts = _flatten(readable, line_of)
        for claim in by_source.get(source.id, ()):
            quote = " ".join(_normal_quotes(claim.quote).split())
            if quote and quote.casefold() not in flat.casefold():
                yield _quote_problem(claim, quote, flat, starts, source.text)


MAX_TEXT_BYTES = 50 * 1024 * 1024  # a document's text copy; larger is not a document but an accident


def _read_text_copy(path: Path) -> tuple[str | None, str]:
    """A source's text copy, if it is a readable regular UTF-8 file of sensible size (devices and pipes are
    never opened)."""
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, "it is not a regular file"
        if info.st_size > MAX_TEXT_BYTES:
            return None, f"it is {info.st_size:,} bytes, above the {MAX_TEXT_BYTES:,}-byte limit for a text copy"
        return path.read_text(encoding="utf-8-sig"), ""
    except OSError as error:
        return None, error.strerror or str(error)
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"


_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def _normal_quotes(text: str) -> str:
    return text.translate(_QUOTE_MARKS)


def _flatten(document: str, line_of: list[int] | None = None) -> tuple[str, list[int]]:
    """The document with whitespace collapsed, and for each of its characters the line it came from (its
    line in the file `line_of` maps the document's characters to, when the document was read out of HTML)."""
    chars: list[str] = []
    lines: list[int] = []
    line, pending_space = 1, False
    for index, char in enumerate(_normal_quotes(document)):
        if char.isspace():
            pending_space = bool(chars)
            if char == "\n":
                line += 1
            continue
        here = line_of[index] if line_of is not None and index < len(line_of) else line
        if pending_space:
            chars.append(" ")
            lines.append(here)
            pending_space = False
        chars.append(char)
        lines.append(here)
    return "".join(chars), lines


def _quote_problem(claim: Claim, quote: str, flat: str, lines: list[int], text: Path) -> Problem:
    from rapidfuzz import fuzz

    alignment = fuzz.partial_ratio_alignment(quote, flat, processor=str.casefold)
    where = display_path(text)
    if alignment is None or alignment.score < 50:
        return Problem(claim.quote_location, "quote-not-found",
                       f"quote of {claim.id} is not in {where}")
    passage = flat[alignment.dest_start:alignment.dest_end]
    line = lines[min(alignment.dest_start, len(lines) - 1)] if lines else 1
    return Problem(claim.quote_location, "quote-not-found",
                   f"quote of {claim.id} is not in {where} as written; closest passage "
                   f"({alignment.score:.0f}% alike) at line {line}: \"{passage}\"")


def evidence(given: CheckInput) -> Iterable[Problem]:
    """A claim's quote is its evidence: it may not be empty, and the figures of a quantity's value should be
    in it (written any way: '1,344' and '1 344', '14 thousand' and 'fourteen thousand')."""
    from claimtrack.values import figures

    quantity_topics = {key for key, topic in given.dataset.topics.items() if topic.kind == "quantity"}
    for claim in given.dataset.claims:
        if not claim.quote.strip():
            yield Problem(claim.quote_location, "empty-quote",
                          f"{claim.id}: the quote is empty; copy the sentence of the source that says it")
        elif claim.topic in quantity_topics and not _digits_in(claim.value, claim.quote):
            quoted = frozenset().union(*figures(claim.quote))
            missing = [group for group in figures(claim.value) if not group & quoted]
            if missing:
                shown = ", ".join(f"{min(group):,g}" for group in missing)
                yield Problem(claim.positions.location((*claim.keypath, "value")), "figure-not-in-quote",
                              f"{claim.id}: the value {claim.value!r} has {shown}, which its quote does not say; "
                              "check the value against the quote", "warning", topic=claim.topic)


_NOT_DIGITS = re.compile(r"\D+")


def _digits_in(value: str, quote: str) -> bool:
    """The quick test that settles most claims: each number of the value, digits only, is in the quote's
    digits ('1,344 km' in 'a 1 344-km border'). A value with no digits ('twenty') goes to the full test."""
    numbers = _NOT_DIGITS.split(value)
    if not any(numbers):
        return False
    digits = _NOT_DIGITS.sub("", quote)
    return all(number in digits for number in numbers if number)


def unresolved_conflicts(given: CheckInput) -> Iterable[Problem]:
    """Each claim in an unresolved conflict, with the claims it conflicts with and their values."""
    for conflict in given.conflicts.values():
        if conflict.status != "unresolved":
            continue
        uncovered = set(conflict.uncovered)
        named = {claim.id: f"{claim.id} ({claim.value!r})" for claim in conflict.claims}  # each is named often
        reopened = " (the topic's resolution does not cover this claim)" if conflict.topic.resolution else ""
        for claim in conflict.claims:
            if claim.id not in uncovered:
                continue
            others = conflict.opponents[claim.id]
            against = ", ".join([named[other.id] for other in others])
            internal = (" — an internal inconsistency of one source"
                        if claim.source in [other.source for other in others] else "")
            yield Problem(claim.location, "unresolved-conflict",
                          f"{conflict.topic.key}: {claim.id} says {claim.value!r}, which conflicts with {against}"
                          f"{internal}{reopened}; fix the value or record a resolution "
                          f"(claimtrack resolve {conflict.topic.key})", topic=conflict.topic.key)


CHECKS: tuple[Check, ...] = (unknown_covers, unknown_based_on, stale_resolutions, preferred_values,
                             near_duplicate_topics, unverified_quotes, evidence, unresolved_conflicts)


def run_checks(dataset: Dataset, conflicts: Mapping[str, Conflict]) -> list[Problem]:
    """Loading problems plus every check's findings, sorted by location."""
    given = CheckInput(dataset, conflicts)
    problems = list(dataset.problems)
    for check in CHECKS:
        problems.extend(check(given))
    return sorted(problems, key=lambda p: (str(p.location.path), p.location.line or 0, p.location.column or 0))


def limit_to_files(problems: list[Problem], files: Iterable[Path], topics: Iterable[str] = ()) -> list[Problem]:
    """Only problems located in `files`, or below a folder among them (so a conflict counts where a claim from
    `files` takes part), and the problems of claims on `topics` wherever they are (a changed registry entry
    judges every claim on it)."""
    wanted = {path.resolve() for path in files}
    folders = {path for path in wanted if path.is_dir()}  # a folder named: every file below it
    about = set(topics)

    def judged(path: Path) -> bool:
        # below a folder: looked for through the file's real parent (a symlink that leads out is still there)
        return path.resolve() in wanted or bool(folders and not folders.isdisjoint(real_location(path).parents))

    return [problem for problem in problems
            if judged(problem.location.path) or (problem.topic is not None and problem.topic in about)]
