"""Analysis stage: Dataset -> Conflict per topic (pairs in scope whose values disagree), severity and status.

Two claims of a topic are compared when their `as_of` spans overlap (or either has none) and their
qualifiers agree on every shared key; they conflict when their intervals do not intersect (text: when
their similarity is below the topic's threshold; booleans: when they differ).

The pairs themselves are never kept: n claims with n different figures make n²/2 of them (4.5 million at
3,000 claims, a gigabyte as objects). What the outputs need — which claims conflict, with how many claims,
the first few of them, the severity, the claims that contradict their own source — is counted per claim by
bisection: the claims in scope of a claim are a few groups (_ScopeIndex), each with its ends and starts sorted,
and a claim's opponents in a group are a prefix of the ends (those ending before it starts) and a suffix of the
starts (those starting after it ends). Listing every pair (`conflicts --format json`, the export's
conflict_pairs, which the contract asks for) walks them one at a time: the output is as long as the list, the
memory is not.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from heapq import merge
from typing import Any, Literal

from claimtrack.dataset import Claim, Dataset, Topic
from claimtrack.values import Interval

TopicStatus = Literal["ok", "unresolved", "disputed", "resolved"]


@dataclass(slots=True)  # immutable by convention: frozen=True makes building many of them slower
class Pair:
    first: Claim
    second: Claim
    severity: float  # share of the larger facing end (0–1); days for dates; 1 − similarity for text

    @property
    def internal(self) -> bool:
        """Both claims come from one source: the document contradicts itself."""
        return self.first.source == self.second.source

    @property
    def ids(self) -> tuple[str, str]:
        return self.first.id, self.second.id


@dataclass(frozen=True, eq=False)
class Conflict:
    topic: Topic
    status: TopicStatus
    uncovered: tuple[str, ...]  # conflicting claim ids that the resolution does not cover
    found: _Comparison = field(repr=False)

    @property
    def claims(self) -> tuple[Claim, ...]:
        """The claims that take part in at least one conflicting pair, in value order."""
        return self.found.claims

    @cached_property
    def claim_ids(self) -> frozenset[str]:
        return frozenset(claim.id for claim in self.found.claims)

    @cached_property
    def internal_ids(self) -> frozenset[str]:
        """The claims that conflict with a claim of their own source (the document contradicts itself)."""
        return frozenset(claim.id for claim in self.found.internal)

    @property
    def severity(self) -> float:
        return self.found.severity

    @property
    def pair_count(self) -> int:
        """How many conflicting pairs there are (counted, not listed)."""
        return self.found.pair_count

    @property
    def pairs(self) -> Pairs:
        """Every conflicting pair, made one at a time as it is iterated, in the order of the contract's `pairs`
        (by the later claim's value, then by the earlier claim's end); its len() is counted, not listed. There are
        up to n²/2 of them: walk them only where the contract asks for every pair."""
        return Pairs(self.found)

    def pair_ids(self, internal_only: bool = False) -> Iterator[list[str]]:
        """[id, id] of every conflicting pair (or those within one source), in the order of `pairs`, without
        making the pairs: the contract's list, which is n²/2 long, as cheaply as it can be written."""
        return self.found.pair_ids(internal_only)

    def opponents(self, claim: Claim, limit: int | None = None) -> tuple[tuple[Claim, ...], int]:
        """The first `limit` (or all) of the claims `claim` conflicts with — those ending before it starts, by
        their end, then those starting after it ends, by value — and how many there are in all."""
        return self.found.opponents(claim, limit)

    def claim_severity(self, claim: Claim) -> float:
        """The severity of the most severe pair `claim` takes part in (0 when none)."""
        return self.found.claim_severity(claim)

    def opponent_count(self, claim: Claim) -> int:
        """How many claims `claim` conflicts with (counted: none is looked at)."""
        return self.found.opponent_count(claim)

    @property
    def rank(self) -> float:
        """Severity on one 0–1 scale for ordering topics of every kind (a year apart counts as 100 %)."""
        return min(1.0, self.severity / 365) if self.topic.kind == "date" else self.severity


class Pairs:
    """A topic's conflicting pairs, iterated as they are found (nothing is kept)."""

    __slots__ = ("_found",)

    def __init__(self, found: _Comparison) -> None:
        self._found = found

    def __iter__(self) -> Iterator[Pair]:
        return self._found.pairs()

    def __len__(self) -> int:
        return self._found.pair_count

    def __bool__(self) -> bool:
        return self._found.pair_count > 0


def value_order(claim: Claim) -> tuple[float, float, str, str]:
    """Claims sorted by value: by interval, then by text, then by id."""
    if claim.interval is None:
        return (0.0, 0.0, claim.text_key or "", claim.id)
    return (claim.interval.low, claim.interval.high, "", claim.id)


def in_scope(a: Claim, b: Claim) -> bool:
    """Claims are compared only when their as_of spans overlap and their shared qualifiers agree."""
    if (a.as_of_interval is not None and b.as_of_interval is not None
            and not a.as_of_interval.intersects(b.as_of_interval)):
        return False
    if a.qualifiers and b.qualifiers:
        theirs = dict(b.qualifiers)
        for key, value in a.qualifiers:
            if key in theirs and theirs[key].strip().casefold() != value.strip().casefold():
                return False
    return True


class Conflicts(Mapping[str, Conflict]):
    """Every topic whose claims disagree, by topic key, in the dataset's topic order. A topic's claims are
    compared when it is first asked about: `show` compares one topic's, not the folder's."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._asked: dict[str, Conflict | None] = {}
        self._every: dict[str, Conflict] | None = None

    def __getitem__(self, key: str) -> Conflict:
        if self._every is not None:
            return self._every[key]
        if key not in self._asked:
            self._asked[key] = self._compare(key)
        found = self._asked[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def _all(self) -> dict[str, Conflict]:
        if self._every is None:
            asked = self._asked
            found = ((key, asked[key] if key in asked else self._compare(key)) for key in self._dataset.by_topic)
            self._every = {key: conflict for key, conflict in found if conflict is not None}
        return self._every

    def _compare(self, key: str) -> Conflict | None:
        topic = self._dataset.topics.get(key)
        claims = self._dataset.by_topic.get(key, ())
        if topic is None or len(claims) < 2:
            return None
        found: _Comparison = _TextComparison(topic, claims) if topic.kind == "text" else _IntervalComparison(
            topic, claims)
        if not found.claims:
            return None
        status, uncovered = _status(topic, found.claims)
        return Conflict(topic, status, uncovered, found)


def find_conflicts(dataset: Dataset) -> Conflicts:
    """Every topic whose claims disagree, keyed by topic (each worked out when first asked for)."""
    return Conflicts(dataset)


def topic_status(topic: Topic, conflicts: Mapping[str, Conflict]) -> TopicStatus:
    conflict = conflicts.get(topic.key)
    return conflict.status if conflict else "ok"


def _status(topic: Topic, claims: tuple[Claim, ...]) -> tuple[TopicStatus, tuple[str, ...]]:
    involved = sorted({claim.id for claim in claims})
    resolution = topic.resolution
    if resolution is None:
        return "unresolved", tuple(involved)
    by_id = {claim.id: claim for claim in claims}
    uncovered = tuple(claim_id for claim_id in involved if not resolution.holds_for(by_id[claim_id]))
    if uncovered:
        return "unresolved", uncovered
    return ("disputed" if resolution.status == "disputed" else "resolved"), ()


def _qualifier_key(claim: Claim) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((key, value.strip().casefold()) for key, value in claim.qualifiers))


def _scope_classes(ordered: list[Claim]) -> tuple[list[int], list[list[int]]]:
    """Each claim's scope class — claims with one `as_of` and the same qualifiers, which are in scope of each
    other and of the same other claims (see in_scope) — and for each class the classes in scope of it (itself
    included).

    Only classes that can be in scope are compared. Qualifiers first: two sets of qualifiers with the same keys
    agree only when they are the same; sets with other keys are bucketed by their values on the keys they share.
    Then `as_of`: classes sorted by start, each compared with those that start before it ends (classes without
    `as_of` meet every class). A thousand claims of a thousand different days, or with a thousand different
    `measure:` values, cost about a thousand comparisons, not half a million."""
    numbers: dict[tuple[object, ...], int] = {}
    of_claim = [numbers.setdefault((claim.as_of_interval, _qualifier_key(claim)), len(numbers)) for claim in ordered]
    representative: list[Claim] = [ordered[0]] * len(numbers)
    for claim, number in zip(ordered, of_claim, strict=True):
        representative[number] = claim
    by_qualifiers: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for (_, qualifiers), number in numbers.items():
        by_qualifiers.setdefault(qualifiers, []).append(number)  # type: ignore[arg-type]
    by_keys: dict[frozenset[str], list[tuple[tuple[str, str], ...]]] = {}
    for qualifiers in by_qualifiers:
        by_keys.setdefault(frozenset(key for key, _ in qualifiers), []).append(qualifiers)
    compatible: list[list[int]] = [[k] for k in range(len(numbers))]
    seen: set[tuple[int, int]] = set()

    def join(a: int, b: int) -> None:
        pair = (a, b) if a < b else (b, a)
        if a != b and pair not in seen and in_scope(representative[a], representative[b]):
            seen.add(pair)
            compatible[a].append(b)
            compatible[b].append(a)

    keysets = list(by_keys)
    for n, keys in enumerate(keysets):
        for qualifiers in by_keys[keys]:  # the same keys: in scope only with the same values
            _join_periods(by_qualifiers[qualifiers], by_qualifiers[qualifiers], representative, join)
        for others in keysets[n + 1:]:
            shared = sorted(keys & others)
            bucket: dict[tuple[str, ...], list[tuple[tuple[str, str], ...]]] = {}
            for qualifiers in by_keys[others]:
                bucket.setdefault(tuple(dict(qualifiers)[key] for key in shared), []).append(qualifiers)
            for qualifiers in by_keys[keys]:
                for match in bucket.get(tuple(dict(qualifiers)[key] for key in shared), ()):
                    _join_periods(by_qualifiers[qualifiers], by_qualifiers[match], representative, join)
    return of_claim, compatible


def _join_periods(first: list[int], second: list[int], representative: list[Claim],
                  join: Callable[[int, int], None]) -> None:
    """join() the classes of `first` and `second` whose `as_of` spans can meet: every class without one with
    every class, and dated classes sorted by start, each with those starting before it ends."""
    undated = [k for k in (*first, *second) if representative[k].as_of_interval is None]
    for a in undated:
        for b in second if a in first else first:
            join(a, b)
    dated = sorted({k for k in (*first, *second) if representative[k].as_of_interval is not None},
                   key=lambda k: (representative[k].as_of_interval.low, k))  # type: ignore[union-attr]
    sides = (set(first), set(second))
    for i, a in enumerate(dated):
        span = representative[a].as_of_interval
        assert span is not None
        for b in dated[i + 1:]:
            other = representative[b].as_of_interval
            assert other is not None
            if other.low > span.high:
                break
            if (a in sides[0] and b in sides[1]) or (a in sides[1] and b in sides[0]):
                join(a, b)


class _Comparison:
    """One topic's claims compared: who conflicts, with how many, how severely."""

    claims: tuple[Claim, ...]  # in conflict, value order, one per id
    internal: tuple[Claim, ...]
    severity: float
    pair_count: int
    position: dict[int, int]  # id() of each claim compared -> its place in value order
    count: list[int]  # for each, how many claims it conflicts with

    def pairs(self) -> Iterator[Pair]:
        raise NotImplementedError

    def pair_ids(self, internal_only: bool) -> Iterator[list[str]]:
        raise NotImplementedError

    def opponents(self, claim: Claim, limit: int | None) -> tuple[tuple[Claim, ...], int]:
        raise NotImplementedError

    def claim_severity(self, claim: Claim) -> float:
        raise NotImplementedError

    def opponent_count(self, claim: Claim) -> int:
        p = self.position.get(id(claim))
        return self.count[p] if p is not None else 0


def _distinct_ids(claims: list[Claim]) -> tuple[Claim, ...]:
    seen: dict[str, Claim] = {}
    for claim in claims:
        seen.setdefault(claim.id, claim)
    return tuple(seen.values())


@dataclass(slots=True)
class _Class:
    """Some claims (those of a group, or of one source in it): ends (high, 0 if open else 1, position) and starts
    (low, 1 if open else 0, position), each sorted; and the same for each source's claims among them."""

    highs: list[tuple[float, int, int]] = field(default_factory=list)
    lows: list[tuple[float, int, int]] = field(default_factory=list)
    sources: dict[str, _Class] = field(default_factory=dict)

    def add(self, source: str, high: tuple[float, int, int], low: tuple[float, int, int]) -> None:
        self.highs.append(high)
        self.lows.append(low)
        own = self.sources.get(source)
        if own is None:
            own = self.sources[source] = _Class()
        own.highs.append(high)
        own.lows.append(low)

    def finish(self) -> None:
        for target in (self, *self.sources.values()):
            target.highs.sort()
            target.lows.sort()

    def before(self, low: float, low_open: bool) -> int:
        """How many end before a claim starting at `low` starts: a prefix of `highs`."""
        return bisect_left(self.highs, (low, 2 if low_open else 1))

    def after_from(self, high: float, high_open: bool) -> int:
        """Where those starting after a claim ending at `high` begin in `lows` (a suffix)."""
        return bisect_left(self.lows, (high, 0 if high_open else 1))


def _first_by_position(lows: list[tuple[float, int, int]], start: int, limit: int) -> list[int]:
    """The `limit` smallest positions in lows[start:]. Positions follow the value order, so a smaller start
    means a smaller position; among equal starts, each of the two runs (closed, open) is in position order."""
    found: list[int] = []
    i = start
    while i < len(lows) and len(found) < limit:
        low = lows[i][0]
        end = bisect_left(lows, (low, 2), i)
        middle = bisect_left(lows, (low, 1), i, end)
        found.extend(sorted([entry[2] for entry in lows[i:min(middle, i + limit)]]
                            + [entry[2] for entry in lows[middle:min(end, middle + limit)]]))
        i = end
    return found[:limit]


class _Periods:
    """The dated claims of a group, one _Class per `as_of` span, found by overlap with a span: spans open below or
    above by bisection on their one end, bounded spans in buckets of like length (each spans less than twice its
    bucket's length), by bisection on their start — a thousand claims of a thousand days are not compared each
    with each."""

    def __init__(self) -> None:
        self.spans: dict[Interval, _Class] = {}

    def finish(self) -> None:
        self.below: list[tuple[float, int, Interval]] = []  # no start: by end
        self.above: list[tuple[float, int, Interval]] = []  # no end: by start
        self.buckets: dict[int, list[tuple[float, int, Interval]]] = {}  # by start, per length
        for n, (span, found) in enumerate(self.spans.items()):
            found.finish()
            if math.isinf(span.low):
                self.below.append((span.high, n, span))
            elif math.isinf(span.high):
                self.above.append((span.low, n, span))
            else:
                self.buckets.setdefault(int(span.high - span.low).bit_length(), []).append((span.low, n, span))
        for entries in (self.below, self.above, *self.buckets.values()):
            entries.sort()

    def meeting(self, span: Interval) -> Iterator[_Class]:
        candidates = [entry[2] for entry in self.below[bisect_left(self.below, (span.low, -1)):]]
        candidates += [entry[2] for entry in self.above[:bisect_left(self.above, (span.high, len(self.spans)))]]
        for size, entries in self.buckets.items():
            start = bisect_left(entries, (span.low - (1 << size), -1))
            candidates += [entry[2] for entry in entries[start:bisect_left(entries, (span.high, len(self.spans)))]]
        return (self.spans[other] for other in candidates if other.intersects(span))


@dataclass(slots=True)
class _Group:
    """The claims that agree with some qualifiers: all of them, those without `as_of`, those with one."""

    every: _Class = field(default_factory=_Class)
    undated: _Class = field(default_factory=_Class)
    dated: _Periods = field(default_factory=_Periods)


class _ScopeIndex:
    """For each claim, the claims in scope of it (see in_scope) as a few disjoint sorted groups, without
    comparing scopes each with each. By qualifiers: the claims whose qualifiers have keys K′ agree with a claim
    whose keys are K when their values on K∩K′ are its own — one group per K′ (there are few sets of keys), made
    by bucketing each K′'s claims on the keys they share with each K. By `as_of`: within a group, a claim without
    one meets every claim; a claim with one meets those without and those whose spans overlap its own (_Periods).
    Only `as_of` spans that all overlap one another and all differ (n claims, n periods) still cost n² here."""

    def __init__(self, ordered: list[Claim]) -> None:
        self.ordered = ordered
        self.qualifiers = [dict(_qualifier_key(claim)) for claim in ordered]
        keys_of = [frozenset(found) for found in self.qualifiers]
        members: dict[frozenset[str], list[int]] = {}
        for p, keys in enumerate(keys_of):
            members.setdefault(keys, []).append(p)
        self.keysets = list(members)
        self.keys_of = keys_of
        self.groups: dict[tuple[frozenset[str], tuple[str, ...], tuple[str, ...]], _Group] = {}
        ends = [self._ends(p) for p in range(len(ordered))]
        for theirs, positions in members.items():
            for shared in {tuple(sorted(mine & theirs)) for mine in self.keysets}:
                for p in positions:
                    key = (theirs, shared, tuple(self.qualifiers[p][name] for name in shared))
                    group = self.groups.get(key)
                    if group is None:
                        group = self.groups[key] = _Group()
                    claim = ordered[p]
                    group.every.add(claim.source, *ends[p])
                    span = claim.as_of_interval
                    if span is None:
                        group.undated.add(claim.source, *ends[p])
                    else:
                        found = group.dated.spans.get(span)
                        if found is None:
                            found = group.dated.spans[span] = _Class()
                        found.add(claim.source, *ends[p])
        for group in self.groups.values():
            group.every.finish()
            group.undated.finish()
            group.dated.finish()
        self._asked: dict[tuple[object, ...], list[_Class]] = {}

    def _ends(self, p: int) -> tuple[tuple[float, int, int], tuple[float, int, int]]:
        span = self.ordered[p].interval
        assert span is not None
        return (span.high, 0 if span.high_open else 1, p), (span.low, 1 if span.low_open else 0, p)

    def in_scope_of(self, p: int) -> list[_Class]:
        """The claims in scope of the p-th (itself included), as disjoint groups; alike claims share the list."""
        claim = self.ordered[p]
        mine = self.keys_of[p]
        key = (claim.as_of_interval, tuple(sorted(self.qualifiers[p].items())))
        found = self._asked.get(key)
        if found is not None:
            return found
        found = []
        span = claim.as_of_interval
        for theirs in self.keysets:
            shared = tuple(sorted(mine & theirs))
            group = self.groups.get((theirs, shared, tuple(self.qualifiers[p][name] for name in shared)))
            if group is None:
                continue
            if span is None:
                found.append(group.every)
                continue
            if group.undated.highs:
                found.append(group.undated)
            found.extend(group.dated.meeting(span))
        self._asked[key] = found
        return found


class _IntervalComparison(_Comparison):
    """Quantities, dates and booleans: claims whose intervals do not meet."""

    def __init__(self, topic: Topic, claims: tuple[Claim, ...]) -> None:
        self.topic = topic
        self.severity_of = _SEVERITY[topic.kind]
        ordered = sorted((c for c in claims if c.interval is not None), key=value_order)
        self.ordered = ordered
        self.position = {id(claim): p for p, claim in enumerate(ordered)}
        if not ordered:
            self.claims, self.internal, self.severity, self.pair_count, self.count = (), (), 0.0, 0, []
            return
        self.scopes = _ScopeIndex(ordered)
        self.count = [0] * len(ordered)
        self.worst = [0.0] * len(ordered)
        in_conflict: list[Claim] = []
        internal: list[Claim] = []
        severity, pairs = 0.0, 0
        for p, claim in enumerate(ordered):
            span = claim.interval
            assert span is not None
            count = own = 0
            worst = -math.inf
            for group in self.scopes.in_scope_of(p):
                before = group.before(span.low, span.low_open)
                after = len(group.lows) - group.after_from(span.high, span.high_open)
                if before:  # the most severe pair has the lowest end (severity falls as that end rises)
                    worst = max(worst, self.severity_of(group.highs[0][0], span.low))
                    pairs += before
                if after:  # and the highest start
                    worst = max(worst, self.severity_of(span.high, group.lows[-1][0]))
                count += before + after
                mine = group.sources.get(claim.source)
                if mine is not None and not own:
                    own = mine.before(span.low, span.low_open) + len(mine.lows) - mine.after_from(
                        span.high, span.high_open)
            if count:
                self.count[p] = count
                self.worst[p] = worst
                severity = max(severity, worst)
                in_conflict.append(claim)
                if own:
                    internal.append(claim)
        self.claims = _distinct_ids(in_conflict)
        self.internal = tuple(internal)
        self.severity = severity
        self.pair_count = pairs

    def claim_severity(self, claim: Claim) -> float:
        p = self.position.get(id(claim))
        return self.worst[p] if p is not None else 0.0

    def opponents(self, claim: Claim, limit: int | None) -> tuple[tuple[Claim, ...], int]:
        p = self.position.get(id(claim))
        if p is None or not self.count[p]:
            return (), 0
        total = self.count[p]
        want = total if limit is None else min(limit, total)
        span = claim.interval
        assert span is not None
        groups = self.scopes.in_scope_of(p)
        prefixes = [group.highs[:min(want, group.before(span.low, span.low_open))] for group in groups]
        earlier = [entry[2] for entry in merge(*prefixes)][:want]
        later: list[int] = []
        if len(earlier) < want:
            room = want - len(earlier)
            starts = [_first_by_position(group.lows, group.after_from(span.high, span.high_open), room)
                      for group in groups]
            later = list(merge(*starts))[:room]
        return tuple(self.ordered[q] for q in earlier + later), total

    def pairs(self) -> Iterator[Pair]:
        severity = self.severity_of
        for earlier, later, high, low in self._walk(False):
            yield Pair(earlier, later, severity(high, low))

    def pair_ids(self, internal_only: bool) -> Iterator[list[str]]:
        for earlier, later, _, _ in self._walk(internal_only):
            yield [earlier.id, later.id]

    def _walk(self, internal_only: bool) -> Iterator[tuple[Claim, Claim, float, float]]:
        """Sort by low end; a claim can only be disjoint from those ending before it starts."""
        ordered = self.ordered
        ends = [(c.interval.high, c.interval.high_open, c) for c in ordered]  # type: ignore[union-attr]
        ends.sort(key=lambda end: (end[0], not end[1]))
        internal = {id(claim) for claim in self.internal} if internal_only else set()
        for later in ordered:
            if internal_only and id(later) not in internal:
                continue  # it contradicts no claim of its own source
            interval = later.interval
            assert interval is not None
            low, low_open = interval.low, interval.low_open
            scoped = later.as_of_interval is not None or bool(later.qualifiers)
            for high, high_open, earlier in ends:
                if high > low:
                    break  # every following claim ends after `later` starts
                if (high == low and not high_open and not low_open) or earlier is later:
                    continue  # they touch: [1, 2] and [2, 3] share 2
                if internal_only and earlier.source != later.source:
                    continue
                if scoped and not in_scope(earlier, later):
                    continue
                yield earlier, later, high, low


def _quantity_severity(high: float, low: float) -> float:
    """The gap between the facing ends as a share of the larger of them."""
    magnitude = max(abs(high), abs(low))
    if magnitude == 0 or math.isinf(magnitude):
        return 1.0
    return min(1.0, (low - high) / magnitude)


# A pair's severity from the facing ends (the earlier claim's high, the later claim's low, high <= low)
_SEVERITY: dict[str, Callable[[float, float], float]] = {
    "quantity": _quantity_severity,
    "date": lambda high, low: low - high,  # days apart
    "boolean": lambda high, low: 1.0,
}

_ROWS = 1 << 21  # cells of one block of text scores (8 bytes each): 16 MB however many claims


class _TextComparison(_Comparison):
    """Text: claims less alike than the topic's similarity. Every pair is scored — likeness is no order, and
    'A≈B, B≈C' does not make 'A≈C' — but in C (rapidfuzz's cdist), a block of rows at a time, and the
    scores are folded into counts as they come."""

    def __init__(self, topic: Topic, claims: tuple[Claim, ...]) -> None:
        import numpy as np

        self.topic = topic
        ordered = sorted(claims, key=value_order)
        self.ordered = ordered
        self.position = {id(claim): p for p, claim in enumerate(ordered)}
        self.keys = [claim.text_key or "" for claim in ordered]
        of_claim, compatible = _scope_classes(ordered)
        matrix = np.zeros((len(compatible), len(compatible)), dtype=bool)
        for k, others in enumerate(compatible):
            matrix[k, others] = True
        self.scope = matrix
        self.of_claim = np.array(of_claim, dtype=np.int64)
        numbers: dict[str, int] = {}
        self.source = np.array([numbers.setdefault(c.source, len(numbers)) for c in ordered], dtype=np.int64)
        n = len(ordered)
        count = np.zeros(n, dtype=np.int64)
        own = np.zeros(n, dtype=np.int64)
        lowest = np.full(n, np.inf)
        for start, conflicting, scores in self._blocks(0, n):
            rows = slice(start, start + len(conflicting))
            count[rows] = conflicting.sum(axis=1)
            own[rows] = (conflicting & (self.source[rows, None] == self.source[None, :])).sum(axis=1)
            lowest[rows] = np.where(conflicting, scores, np.inf).min(axis=1)
        self.count = count.tolist()
        self.lowest = lowest.tolist()
        self.claims = _distinct_ids([c for c, k in zip(ordered, self.count, strict=True) if k])
        self.internal = tuple(c for c, k in zip(ordered, own.tolist(), strict=True) if k)
        finite = lowest[np.isfinite(lowest)]
        self.severity = round(1 - float(finite.min()) / 100, 4) if len(finite) else 0.0
        self.pair_count = int(count.sum()) // 2

    def _blocks(self, start: int, stop: int) -> Iterator[tuple[int, Any, Any]]:
        """(first row, conflicting[rows, n], scores[rows, n]) for rows start..stop, a block at a time."""
        import numpy as np
        from rapidfuzz import fuzz, process

        n = len(self.keys)
        step = max(1, _ROWS // max(1, n))
        for first in range(start, stop, step):
            last = min(stop, first + step)
            scores = process.cdist(self.keys[first:last], self.keys, scorer=fuzz.ratio, dtype=np.float64, workers=1)
            conflicting = (scores < self.topic.similarity) & self.scope[self.of_claim[first:last]][:, self.of_claim]
            conflicting[np.arange(last - first), np.arange(first, last)] = False
            yield first, conflicting, scores

    def claim_severity(self, claim: Claim) -> float:
        p = self.position.get(id(claim))
        if p is None or not self.count[p]:
            return 0.0
        return round(1 - float(self.lowest[p]) / 100, 4)

    def opponents(self, claim: Claim, limit: int | None) -> tuple[tuple[Claim, ...], int]:
        import numpy as np

        p = self.position.get(id(claim))
        if p is None or not self.count[p]:
            return (), 0
        _, conflicting, _ = next(self._blocks(p, p + 1))
        found = np.flatnonzero(conflicting[0])[:limit].tolist()
        return tuple(self.ordered[q] for q in found), self.count[p]

    def pairs(self) -> Iterator[Pair]:
        import numpy as np

        ordered = self.ordered
        for start, conflicting, scores in self._blocks(0, len(ordered)):
            for row, j in zip(*np.nonzero(conflicting), strict=True):
                i = start + int(row)
                if i < int(j):
                    yield Pair(ordered[i], ordered[int(j)], round(1 - float(scores[row, j]) / 100, 4))

    def pair_ids(self, internal_only: bool) -> Iterator[list[str]]:
        for pair in self.pairs():
            if not internal_only or pair.internal:
                yield list(pair.ids)
