"""Checks stage: Dataset + conflicts -> problems beyond those found while loading (the CI gate's findings).

Every check has one signature and lives in the CHECKS tuple; docs/checks.md documents each code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack.conflicts import Conflict
from claimtrack.dataset import Claim, Dataset, Topic
from claimtrack.errors import Problem
from claimtrack.loader import display_path, real_location
from claimtrack.models import did_you_mean
from claimtrack.values import Interval

if TYPE_CHECKING:
    from claimtrack.extract import Lines


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
OPPONENTS_NAMED = 10  # claims named in one unresolved-conflict message; the rest are counted
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
    names = list(sources)  # once: a list per unknown id made 30,000 of them for 3,000 sources
    for source in sources.values():
        for index, other in enumerate(source.based_on):
            where = source.positions.location(("source", "based_on", index))  # (or the key, for one id)
            if other == source.id:
                yield Problem(where, "unknown-source", f"source {source.id!r} is based_on itself")
            elif other not in sources:
                yield Problem(where, "unknown-source", f"source {source.id!r} is based_on {other!r}, which is no "
                              f"source{_suggest_other(other, names, source.id)}")


def _suggest_other(word: str, names: list[str], own: str) -> str:
    """did_you_mean(word, names without `own`), without making that list."""
    from rapidfuzz import fuzz, process

    found = process.extract(word, names, scorer=fuzz.ratio, score_cutoff=60, limit=2) if word and names else []
    best = next((name for name, _, _ in found if name != own), None)
    return f" (did you mean {best!r}?)" if best else ""


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
    return cache.for_registry("near-duplicate-topics/grouped", lambda: list(_near_duplicates(topics)))


NEAR_DUPLICATES_NAMED = 3  # topics named in one warning besides the closest; the rest are counted


def _near_duplicates(registry: dict[str, Topic]) -> Iterator[Problem]:
    """One warning per topic that looks like earlier ones: the closest named with its likeness, then up to
    NEAR_DUPLICATES_NAMED more and a count. 3,000 topics under one title are 3,000 warnings, not 4.5 million."""
    groups: dict[tuple[str, str | None], list[Topic]] = {}
    for topic in registry.values():
        groups.setdefault((topic.kind, topic.unit), []).append(topic)
    for topics in groups.values():
        likeness = (_Likeness([topic.key for topic in topics], NEAR_DUPLICATE_KEY),
                    _Likeness([topic.title for topic in topics], NEAR_DUPLICATE_TITLE))
        both: dict[tuple[int, int], list[int]] = {}  # (key text, title text) -> the topics with both
        for i, pair in enumerate(zip(likeness[0].text_of, likeness[1].text_of, strict=True)):
            both.setdefault(pair, []).append(i)
        for j, other in enumerate(topics):
            found, total = _earlier_alike(likeness, both, j)
            if not found:
                continue
            score, i, attribute = found[0]
            topic = topics[i]
            message = (f"topic {other.key!r} looks like topic {topic.key!r} (line {topic.location.line}): their "
                       f"{('key', 'title')[attribute]}s are {score:.0f}% alike")
            if total > 1:
                named = ", ".join(f"{topics[k].key!r} (line {topics[k].location.line})"
                                  for _, k, _ in found[1:1 + NEAR_DUPLICATES_NAMED])
                more = ", …" if total > 1 + NEAR_DUPLICATES_NAMED else ""
                message += f", and like {total - 1:,} more topic{'s' if total > 2 else ''} ({named}{more})"
            yield Problem(other.location, "near-duplicate-topic", f"{message}; merge them or make them distinct",
                          "warning")


_FEW = 200  # the earlier topics of one text listed one by one; beyond, the first few are, the rest counted


def _earlier_alike(likeness: tuple[_Likeness, _Likeness], both: dict[tuple[int, int], list[int]],
                   j: int) -> tuple[list[tuple[float, int, int]], int]:
    """The topics before the j-th that it looks like, by key (0) or title (1): at least the closest few as
    (score, index, attribute), closest first (a topic alike by both keeps its key), and how many there are.
    A text shared by thousands of topics is counted by bisection, not listed: a topic's warning costs what it
    names."""
    named: dict[int, tuple[float, int]] = {}
    crowded: list[tuple[int, int, int]] = []  # (attribute, text, topics of it before j) too many to list
    for attribute, alike in enumerate(likeness):
        for score, text in alike.partners(j):
            members = alike.members[text]
            before = bisect_left(members, j)
            if before > _FEW:
                crowded.append((attribute, text, before))
            for i in members[:before] if before <= _FEW else members[:1 + NEAR_DUPLICATES_NAMED]:
                named.setdefault(i, (score, attribute))
    total = len(named)
    if crowded:  # |named ∪ crowded|: the crowded texts of one attribute are disjoint; of two, they share `both`
        total += sum(before for _, _, before in crowded)
        total -= sum(bisect_left(both.get((key, title), []), j)
                     for a, key, _ in crowded if a == 0 for b, title, _ in crowded if b == 1)
        total -= sum(1 for i in named if any(likeness[a].text_of[i] == text for a, text, _ in crowded))
    listed = sorted((-score, attribute, i) for i, (score, attribute) in named.items())
    return [(-negative, i, attribute) for negative, attribute, i in listed], total


class _Likeness:
    """One attribute (keys or titles) of a group of topics: the topics of each comparable text, and which texts
    are alike (_alike_texts). Topics of one text are alike without being compared pair by pair."""

    def __init__(self, names: list[str], cutoff: int) -> None:
        numbers: dict[str, int] = {}
        self.text_of = [numbers.setdefault(_comparable(name), len(numbers)) for name in names]
        self.members: list[list[int]] = [[] for _ in numbers]
        for i, number in enumerate(self.text_of):
            self.members[number].append(i)
        self.alike: dict[int, list[tuple[float, int]]] = {}
        for a, b, score in _alike_texts(list(numbers), cutoff):
            self.alike.setdefault(a, []).append((score, b))
            self.alike.setdefault(b, []).append((score, a))

    def partners(self, j: int) -> Iterator[tuple[float, int]]:
        """(score, text) for the j-th topic's own text (100) and each text alike to it."""
        number = self.text_of[j]
        yield 100.0, number
        yield from self.alike.get(number, ())


_SEPARATORS = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+")
_MAX_TYPOS = 2  # in different words: two in one word make another word ('turku', 'turin')
_SERIES_PRODUCT = 400  # two series of forms alike: every pair compared up to this many pairs; beyond, same numbers


def _alike_pairs(names: list[str], cutoff: int) -> list[tuple[int, int, float]]:
    """The pairs (i, j, score), i < j, of names at least `cutoff` % alike (rapidfuzz's ratio) that differ by
    typos only (_mistyped) — every pair, which for n names written alike is n²/2: the check itself works on
    the distinct texts (_Likeness); this is the rule as one list, for tests and small registries."""
    texts = [_comparable(name) for name in names]
    numbers: dict[str, int] = {}
    of = [numbers.setdefault(text, len(numbers)) for text in texts]
    members: list[list[int]] = [[] for _ in numbers]
    for i, number in enumerate(of):
        members[number].append(i)
    found = [(i, j, 100.0) for group in members for i, j in combinations(group, 2)]
    for a, b, score in _alike_texts(list(numbers), cutoff):
        found.extend((min(i, j), max(i, j), score) for i in members[a] for j in members[b])
    return sorted(found)


def _alike_texts(texts: list[str], cutoff: int) -> list[tuple[int, int, float]]:
    """The pairs (a, b, score), a < b, of distinct comparable texts at least `cutoff` % alike (rapidfuzz's
    ratio) that differ by typos only (_mistyped).

    Not every pair is compared. Each text is reduced to a form — no separators, each number one `#` — so that a
    series is one form; the forms are sorted as written and as read backwards, and each is compared with the
    NEAR_DUPLICATE_WINDOW forms after it in both orders: a typo keeps the start or the end of a name, so its
    twin sorts close by in one of them. Only forms two typos apart or less go on to the full test. Texts of one
    form that differ only in their spaces are compared with their NEAR_DUPLICATE_WINDOW neighbours; two forms'
    texts pairwise, or, past _SERIES_PRODUCT pairs (two long series), those with the same numbers."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Indel

    if len(texts) < 2:
        return []
    forms: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        forms.setdefault(_NUMBER.sub("#", text).replace(" ", ""), []).append(i)
    candidates: set[tuple[int, int]] = set()
    for members in forms.values():
        if len(members) > 1:  # a series: two of its names are alike only if their separators alone differ
            spellings: dict[str, list[int]] = {}
            for i in members:
                spellings.setdefault(texts[i].replace(" ", ""), []).append(i)
            for twins in spellings.values():
                twins.sort(key=lambda i: texts[i])
                candidates.update((min(a, b), max(a, b)) for n, a in enumerate(twins)
                                  for b in twins[n + 1:n + 1 + NEAR_DUPLICATE_WINDOW])
    distinct = list(forms)
    for order in (sorted(distinct), sorted(distinct, key=lambda form: form[::-1])):
        for position, form in enumerate(order):
            window = order[position + 1:position + 1 + NEAR_DUPLICATE_WINDOW]
            # a typo is at most two insertions or deletions (a letter changed, two letters swapped)
            for other, _, _ in process.extract(form, window, scorer=Indel.distance, score_cutoff=2 * _MAX_TYPOS,
                                               limit=None):
                candidates.update(_series_pairs(forms[form], forms[other], texts))
    scores = {(i, j): fuzz.ratio(texts[i], texts[j]) for i, j in candidates}
    return sorted((i, j, score) for (i, j), score in scores.items()
                  if score >= cutoff and _mistyped(texts[i].split(), texts[j].split()))


def _series_pairs(first: list[int], second: list[int], texts: list[str]) -> Iterator[tuple[int, int]]:
    """The pairs to compare between two forms' texts: all of them, or for two long series those whose numbers
    are the same (a number is never a typo: 'lenght 2020' is 'length 2020' misspelt, not 'length 2021')."""
    if len(first) * len(second) <= _SERIES_PRODUCT:
        yield from ((min(i, j), max(i, j)) for i in first for j in second)
        return
    by_numbers: dict[tuple[str, ...], list[int]] = {}
    for j in second:
        by_numbers.setdefault(tuple(_NUMBER.findall(texts[j])), []).append(j)
    for i in first:
        yield from ((min(i, j), max(i, j)) for j in by_numbers.get(tuple(_NUMBER.findall(texts[i])), ()))


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
        folded = flat.casefold()  # once per document, not once per quote (50 MB each time)
        searched = 0
        for claim in by_source.get(source.id, ()):
            quote = " ".join(_normal_quotes(claim.quote).split())
            if quote and quote.casefold() not in folded:
                searched += 1
                yield _quote_problem(claim, quote, flat, folded, starts, source.text, searched <= CLOSEST_SEARCHED)


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


def _flatten(document: str, line_of: Lines | None = None) -> tuple[str, list[int]]:
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
        here = line_of.line(index) if line_of is not None else line
        if pending_space:
            chars.append(" ")
            lines.append(here)
            pending_space = False
        chars.append(char)
        lines.append(here)
    return "".join(chars), lines


CLOSEST_SEARCHED = 20  # missing quotes of one source whose closest passage is looked for; the rest are only named
CLOSEST_QUOTE = 256  # characters of a quote aligned with the document: a longer quote by its start


def _quote_problem(claim: Claim, quote: str, flat: str, folded: str, lines: list[int], text: Path,
                   search: bool) -> Problem:
    """The closest passage costs one alignment over the whole document, whose cost grows with the square of
    the quote's length (a 13,000-character quote took 5 s against 6 kB): a quote is aligned by its first
    CLOSEST_QUOTE characters, and only the first CLOSEST_SEARCHED missing quotes of a source are aligned."""
    from rapidfuzz import fuzz

    where = display_path(text)
    if not search:
        return Problem(claim.quote_location, "quote-not-found",
                       f"quote of {claim.id} is not in {where} (more than {CLOSEST_SEARCHED} quotes of this source "
                       "are not: the closest passage is shown for the first ones)")
    alignment = fuzz.partial_ratio_alignment(quote[:CLOSEST_QUOTE].casefold(), folded)
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
        resolution = conflict.topic.resolution
        internal_ids = conflict.internal_ids
        for claim in conflict.claims:
            if claim.id not in uncovered:
                continue
            settled = resolution.changed(claim) if resolution else None
            reopened = ("" if resolution is None else f" (the topic's resolution settled it as {settled!r})"
                        if settled is not None else " (the topic's resolution does not cover this claim)")
            others, total = conflict.opponents(claim, OPPONENTS_NAMED)
            against = ", ".join([named[other.id] for other in others])
            if total > len(others):
                against += f" and {total - len(others):,} more"
            internal = " — an internal inconsistency of one source" if claim.id in internal_ids else ""
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
