"""Consensus stage: Dataset -> what the independent evidence supports per topic and scope (Verdict), and how
reliable each source has been (SourceRecord): ACCU truth discovery on intervals, iterated to a fixed point.
docs/consensus.md explains the method in plain words, with a worked example.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from claimtrack.dataset import Claim, Dataset, Topic
from claimtrack.values import Interval, normalize_text

# The method (Dong, Berti-Équille and Srivastava, VLDB 2009: ACCU, without its copy detection):
# - a scope's candidates are the places where its claims meet (maximal sets of intervals sharing a point; for
#   text, the distinct answers with the claims alike to each);
# - claims of one origin share one vote; a claim votes for each candidate it belongs to with the log-odds of
#   its source's accuracy A, ln(n·A/(1−A)); candidates' probabilities are the softmax of their votes, beside
#   n unclaimed values with no vote;
# - a source's accuracy is the mean probability that its claims are right (a prior counted as a few claims),
#   and the two are recomputed from each other until no accuracy moves.
N_FALSE = 10  # wrong values a fact can plausibly be given (ACCU's n)
PRIOR_ACCURACY = 0.8  # a source's accuracy before there is evidence (ACCU's starting point)
PRIOR_WEIGHT = 2.0  # … counted as this many claims when its accuracy is averaged
ACCURACY_RANGE = (0.01, 0.99)  # a learned accuracy never reaches certainty either way
COPY_SIMILARITY = 95  # normalised quotes this alike (rapidfuzz ratio) are one wire copy …
COPY_MIN_WORDS = 6  # … when long enough that two writers would not word them alike by chance
COPY_PAIRWISE_LIMIT = 300  # larger scopes look for copies among identical quotes only (pairs cost n²)
MAX_ITERATIONS = 100
CONVERGED = 1e-4  # the largest change of any source's accuracy at the fixed point (shown to 4 places)
WEAK = 0.5  # a verdict less probable than this is said to be weak
_TIE = 1e-9


@dataclass(frozen=True)
class Scope:
    """Claims of one topic that speak of the same thing (their as_of and qualifiers let them be compared)."""

    topic: Topic
    claims: tuple[Claim, ...]
    as_of: str | None  # as written ("2022"; several spellings joined with "; ")
    qualifiers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Candidate:
    """One place where claims meet: the claims, the interval they share (None for text), its probability, and
    the claim that shows it best (the most precise, then the most reliable source's, then the first id)."""

    claims: tuple[Claim, ...]
    interval: Interval | None
    probability: float
    representative: Claim


@dataclass(frozen=True)
class Verdict:
    """The consensus of one scope."""

    scope: Scope
    best: Candidate | None  # None on a tie
    tied: tuple[Candidate, ...]  # the candidates sharing the highest vote, when there is a tie
    support: int  # independent origins behind the best candidate
    origins: int  # independent origins in the scope
    agree: tuple[str, ...]  # on a tie: the claims that agree with every tied answer
    disagree: tuple[str, ...]  # on a tie: the claims that agree with none of them

    @property
    def representative(self) -> Claim | None:
        return self.best.representative if self.best else None

    @property
    def confidence(self) -> float:
        return self.best.probability if self.best else (self.tied[0].probability if self.tied else 0.0)

    @property
    def lone(self) -> bool:
        return len(self.scope.claims) == 1

    @property
    def weak(self) -> bool:
        """A verdict under even odds rests on the sources' track records more than on agreement."""
        return self.best is not None and not self.lone and self.best.probability < WEAK

    @property
    def against(self) -> list[str]:
        """The values of the claims that disagree, each once, in order."""
        disagree = set(self.disagree)
        return sorted({claim.value for claim in self.scope.claims if claim.id in disagree})


@dataclass(frozen=True)
class SourceRecord:
    """A source's track record: its claims, those another claim could contradict, those the consensus agrees
    with, and its learned accuracy."""

    id: str
    claims: int
    compared: int
    agreeing: int
    reliability: float


@dataclass(frozen=True)
class Consensus:
    """Every scope's verdict (in topic order), by topic too, each source's record, and the rounds it took."""

    verdicts: tuple[Verdict, ...]
    sources: dict[str, SourceRecord]
    iterations: int
    by_topic: dict[str, tuple[Verdict, ...]] = field(default_factory=dict)


def find_consensus(dataset: Dataset) -> Consensus:
    """Every scope's consensus, and every source's reliability, at the fixed point."""
    based_on = _ancestors(dataset)
    scopes = [scope for key, claims in dataset.by_topic.items() if claims and key in dataset.topics
              for scope in split_scopes(dataset.topics[key], claims)]
    # a claim in two overlapping periods (as of "2022–2024", beside "2022" and "2024") counts half in each
    periods: dict[str, int] = {}
    for scope in scopes:
        for claim in scope.claims:
            periods[claim.id] = periods.get(claim.id, 0) + 1
    prepared = [_prepare(scope, based_on, periods) for scope in scopes]
    # every source a claim names, also one whose header could not be read (its claims still count)
    source_ids = list(dict.fromkeys([*dataset.sources, *(claim.source for claim in dataset.claims)]))
    accuracy, iterations = _fixed_point(source_ids, [p for p in prepared if len(p.scope.claims) > 1])
    verdicts = tuple(p.verdict(accuracy) for p in prepared)
    by_topic: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        by_topic.setdefault(verdict.scope.topic.key, []).append(verdict)
    return Consensus(verdicts, _records(dataset, verdicts, accuracy), iterations,
                     {key: tuple(found) for key, found in by_topic.items()})


def log_odds(accuracy: float) -> float:
    """A claim's vote from its source's accuracy: ln(n·A / (1 − A))."""
    return math.log(N_FALSE * accuracy / (1 - accuracy))


def _fixed_point(source_ids: list[str], informative: list[_Prepared]) -> tuple[dict[str, float], int]:
    """Sources' accuracies and claims' probabilities, recomputed from each other until they settle.

    Scopes with one claim are left out: a lone claim's probability is its source's accuracy, so it would
    only pull that accuracy towards itself. Each round is a handful of array operations over every claim
    that has company and every candidate (numpy: a round over 100,000 claims takes milliseconds, where the
    same loop in Python took 90 ms and ran 90 times). In a source's accuracy a figure it repeats counts once
    (a document saying 1,344 km three times is right or wrong once), as does a claim in two periods."""
    if not informative:
        return dict.fromkeys(source_ids, PRIOR_ACCURACY), 0
    import numpy as np

    number = {source_id: n for n, source_id in enumerate(source_ids)}
    source = np.array([number[c.source] for p in informative for c in p.scope.claims], dtype=np.int64)
    share = np.array([x for p in informative for x in p.share], dtype=np.float64)
    weight = np.array([x for p in informative for x in p.weight], dtype=np.float64)
    sizes = np.array([p.candidates for p in informative], dtype=np.int64)  # candidates per scope
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)  # each scope's first candidate
    offsets = np.repeat(starts, [len(p.share) for p in informative])
    first = offsets + np.array([k for p in informative for k in p.first], dtype=np.int64)
    last = offsets + np.array([k for p in informative for k in p.last], dtype=np.int64)
    unclaimed = np.maximum(0, N_FALSE + 1 - sizes)  # values no claim gives, each with a vote of 0
    total = int(sizes.sum())
    counts = np.bincount(source, weight, len(source_ids))
    accuracy = np.full(len(source_ids), PRIOR_ACCURACY)
    low, high = ACCURACY_RANGE
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 — the count is reported
        vote = np.log(N_FALSE * accuracy / (1 - accuracy))[source] * share  # log_odds, for every claim at once
        # a claim votes for its run of candidates first..last: a difference array, summed up
        votes = np.cumsum(np.bincount(first, vote, total + 1) - np.bincount(last + 1, vote, total + 1))[:total]
        top = np.maximum.reduceat(votes, starts)
        top = np.where(unclaimed > 0, np.maximum(top, 0.0), top)  # the unclaimed values' 0 counts in the max
        weights = np.exp(votes - np.repeat(top, sizes))
        normal = np.add.reduceat(weights, starts) + unclaimed * np.exp(-top)
        probability = weights / np.repeat(normal, sizes)
        running = np.concatenate(([0.0], np.cumsum(probability)))
        right = running[last + 1] - running[first]  # each claim: the truth lies where it says
        sums = np.bincount(source, right * weight, len(source_ids))
        updated = np.clip((sums + PRIOR_WEIGHT * PRIOR_ACCURACY) / (counts + PRIOR_WEIGHT), low, high)
        change = float(np.abs(updated - accuracy).max())
        accuracy = updated
        if change < CONVERGED:
            break
    return dict(zip(source_ids, accuracy.tolist(), strict=True)), iterations


def _records(dataset: Dataset, verdicts: Iterable[Verdict], accuracy: dict[str, float]) -> dict[str, SourceRecord]:
    claims: dict[str, set[str]] = {}
    compared: dict[str, set[str]] = {}
    agreeing: dict[str, set[str]] = {}
    for verdict in verdicts:
        agree = set(verdict.agree)
        for claim in verdict.scope.claims:
            claims.setdefault(claim.source, set()).add(claim.id)
            if not verdict.lone:
                compared.setdefault(claim.source, set()).add(claim.id)
                if claim.id in agree:
                    agreeing.setdefault(claim.source, set()).add(claim.id)
    return {source_id: SourceRecord(source_id, len(claims.get(source_id, ())), len(compared.get(source_id, ())),
                                    len(agreeing.get(source_id, ())), round(accuracy[source_id], 4))
            for source_id in dataset.sources}


# --------------------------------------------------------------------------- scopes

Qualifiers = tuple[tuple[str, str], ...]


def split_scopes(topic: Topic, claims: Sequence[Claim]) -> list[Scope]:
    """A topic's claims in scopes, as `conflicts` compares them. By qualifiers: claims that name the same
    ones are together, and a claim that names fewer joins the one group it agrees with (or keeps its own
    when it agrees with several). Then by time: the largest sets of claims whose as_of spans share a day (a
    claim as of "2022–2024" is in the 2022 scope and the 2024 scope); a claim with no as_of joins the one
    period there is, or keeps a scope of its own when there are several: placing it would be a guess."""
    scopes: list[Scope] = []
    for qualifiers, group in _qualifier_groups(claims).items():
        dated = [claim for claim in group if claim.as_of_interval is not None]
        undated = [claim for claim in group if claim.as_of_interval is None]
        periods: list[list[Claim]] = []
        if dated:
            first, last, regions = _cliques([claim.as_of_interval for claim in dated])  # type: ignore[misc]
            periods = [[c for i, c in enumerate(dated) if first[i] <= k <= last[i]] for k in range(len(regions))]
        if len(periods) == 1:
            periods[0].extend(undated)
        elif undated:
            periods.append(undated)
        scopes.extend(_scope(topic, period, qualifiers) for period in periods)
    return scopes


def _qualifier_groups(claims: Sequence[Claim]) -> dict[Qualifiers, list[Claim]]:
    """Claims by qualifiers; a set of qualifiers that is part of exactly one larger one that agrees with it
    joins it (fewest keys first, so that a chain {} ⊂ {a} ⊂ {a, b} ends in the largest)."""
    groups: dict[Qualifiers, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.qualifiers, []).append(claim)
    for smaller in sorted(groups, key=len):
        wider = [other for other in groups if len(other) > len(smaller) and set(smaller) <= set(other)]
        if len(wider) == 1:
            groups[wider[0]].extend(groups.pop(smaller))
    return dict(sorted(groups.items()))


def _scope(topic: Topic, claims: list[Claim], qualifiers: Qualifiers) -> Scope:
    ordered = tuple(sorted(claims, key=lambda c: c.id))
    spellings = sorted({claim.as_of for claim in ordered if claim.as_of})
    return Scope(topic, ordered, "; ".join(spellings) or None, qualifiers)


# --------------------------------------------------------------------------- candidates and origins

@dataclass(frozen=True)
class _Prepared:
    """What stays the same from one round to the next: a scope's candidates and origins."""

    scope: Scope
    first: list[int]  # each claim belongs to candidates first[i] … last[i] (a contiguous run)
    last: list[int]
    regions: list[Interval | None]  # each candidate's shared interval
    share: list[float]  # each claim's part of its origin's one vote: 1 / the origin's size
    origin: list[int]  # each claim's origin (an index)
    weight: list[float]  # what a claim counts in its source's accuracy: 1 / (its source's claims in its origin
    #                      × the scopes it is in)

    @property
    def candidates(self) -> int:
        return len(self.regions)

    def verdict(self, accuracy: dict[str, float]) -> Verdict:
        claims = self.scope.claims
        if len(claims) == 1:  # its probability is its source's accuracy: e^v / (e^v + n) with e^v = n·A/(1−A)
            lone = Candidate(claims, self.regions[0], accuracy[claims[0].source], claims[0])
            return Verdict(self.scope, lone, (), 1, 1, (claims[0].id,), ())
        diff = [0.0] * (self.candidates + 1)
        for i, claim in enumerate(claims):
            vote = log_odds(accuracy[claim.source]) * self.share[i]
            diff[self.first[i]] += vote
            diff[self.last[i] + 1] -= vote
        votes, running = [], 0.0
        for k in range(self.candidates):
            running += diff[k]
            votes.append(running)
        unclaimed = max(0, N_FALSE + 1 - len(votes))
        top = max(*votes, 0.0) if unclaimed else max(votes)  # the unclaimed values' 0 counts in the max
        total = sum(math.exp(v - top) for v in votes) + unclaimed * math.exp(-top)
        best_vote = max(votes)
        winners = [k for k, v in enumerate(votes) if best_vote - v <= _TIE * max(1.0, abs(best_vote))]
        members: dict[int, list[Claim]] = {k: [] for k in winners}
        for i, claim in enumerate(claims):  # each claim into the winners its run covers, by bisection
            for k in winners[bisect_left(winners, self.first[i]):bisect_right(winners, self.last[i])]:
                members[k].append(claim)
        candidates = [Candidate(tuple(members[k]), self.regions[k], math.exp(votes[k] - top) / total,
                                min(members[k], key=lambda c: (_width(c), -accuracy[c.source], c.id)))
                      for k in winners]
        origins = len(set(self.origin))
        if len(candidates) > 1:
            counted: dict[str, int] = {}
            for candidate in candidates:
                for claim in candidate.claims:
                    counted[claim.id] = counted.get(claim.id, 0) + 1
            return Verdict(self.scope, None, tuple(candidates), 0, origins,
                           tuple(c.id for c in claims if counted.get(c.id) == len(candidates)),
                           tuple(c.id for c in claims if c.id not in counted))
        best = candidates[0]
        agreeing = {c.id for c in best.claims}
        support = len({self.origin[i] for i, c in enumerate(claims) if c.id in agreeing})
        return Verdict(self.scope, best, (), support, origins, tuple(c.id for c in claims if c.id in agreeing),
                       tuple(c.id for c in claims if c.id not in agreeing))


def _width(claim: Claim) -> float:
    return claim.interval.high - claim.interval.low if claim.interval is not None else 0.0


def _prepare(scope: Scope, based_on: _Ancestry, periods: dict[str, int]) -> _Prepared:
    claims = scope.claims
    if len(claims) == 1:  # most scopes of a large folder: one candidate, one origin
        return _Prepared(scope, [0], [0], [claims[0].interval], [1.0], [0], [1.0 / periods.get(claims[0].id, 1)])
    if scope.topic.kind == "text":
        first, last, regions = _text_candidates(scope)
    else:
        first, last, found = _cliques([c.interval for c in claims])  # type: ignore[misc]
        regions = list(found)
    origin = _origins(scope, based_on, first, last)
    sizes: dict[int, int] = {}
    repeats: dict[tuple[int, str], int] = {}
    for o, claim in zip(origin, claims, strict=True):
        sizes[o] = sizes.get(o, 0) + 1
        repeats[o, claim.source] = repeats.get((o, claim.source), 0) + 1
    weight = [1.0 / (repeats[o, claim.source] * periods.get(claim.id, 1)) for o, claim in zip(origin, claims,
                                                                                             strict=True)]
    return _Prepared(scope, first, last, regions, [1.0 / sizes[o] for o in origin], origin, weight)


def _cliques(intervals: Sequence[Interval]) -> tuple[list[int], list[int], list[Interval]]:
    """The maximal sets of intervals sharing a point, by a sweep: each interval's run of sets, and each set's
    shared interval. At one value, open ends close first, then closed ends open, the point itself, closed
    ends close, and open starts open last."""
    events: list[tuple[float, int, int]] = []
    for i, span in enumerate(intervals):
        events.append((span.low, 3 if span.low_open else 1, i))
        events.append((span.high, 0 if span.high_open else 2, i))
    events.sort()
    first = [0] * len(intervals)
    last = [0] * len(intervals)
    regions: list[Interval] = []
    growing = False
    start = (0.0, False)
    for value, code, i in events:
        if code in (1, 3):
            first[i] = len(regions)
            start = (value, code == 3)
            growing = True
            continue
        if growing:  # the first end after a start: the open intervals now form a maximal set
            regions.append(Interval(start[0], value, start[1], code == 0))
            growing = False
        last[i] = len(regions) - 1
    return first, last, regions


def _text_candidates(scope: Scope) -> tuple[list[int], list[int], list[Interval | None]]:
    """Text answers: one candidate per group of alike answers (linked when at least `similarity` alike).
    Identical answers are compared once, in C (rapidfuzz's cdist), so thousands of claims stay cheap."""
    from rapidfuzz import fuzz, process

    keys = sorted({claim.text_key or "" for claim in scope.claims})
    parent = list(range(len(keys)))
    cutoff = scope.topic.similarity
    for start in range(0, len(keys) if cutoff > 0 and len(keys) > 1 else 0, 500):  # 500 rows at a time: memory
        scores = process.cdist(keys[start:start + 500], keys, scorer=fuzz.ratio, score_cutoff=cutoff, workers=1)
        for row, j in zip(*scores.nonzero(), strict=True):
            if start + int(row) < int(j):
                parent[_find(parent, int(j))] = _find(parent, start + int(row))
    if cutoff <= 0:  # every answer is alike
        parent = [0] * len(keys)
    numbers: dict[int, int] = {}
    group = {key: numbers.setdefault(_find(parent, n), len(numbers)) for n, key in enumerate(keys)}
    runs = [group[claim.text_key or ""] for claim in scope.claims]
    return runs, runs, [None] * len(numbers)


def _find(parent: list[int], index: int) -> int:
    """Union-find: the representative of `index`'s set (halving the path on the way)."""
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


def _origins(scope: Scope, based_on: _Ancestry, first: list[int], last: list[int]) -> list[int]:
    """Each claim's origin: claims of one source's own words, or of one attribution, share one; so do a copy
    and its original, and near-identical quotes, when their figures meet (a copy that gives another figure
    is a witness of its own). A copy of several originals joins one of them (the first by id), so that it
    does not make its originals one witness."""
    claims = scope.claims
    parent = list(range(len(claims)))

    def join(i: int, j: int) -> None:
        parent[_find(parent, j)] = _find(parent, i)

    def meet(i: int, j: int) -> bool:
        return first[i] <= last[j] and first[j] <= last[i]

    # a document is one witness of what it says itself; of a figure it reports, the person it names is
    seen: dict[str, int] = {}
    for i, claim in enumerate(claims):
        who = (f"person:{' '.join(claim.attributed_to.casefold().split())}" if claim.attributed_to
               else f"source:{claim.source}")
        if who in seen:
            join(seen[who], i)
        else:
            seen[who] = i
    by_source: dict[str, list[int]] = {}
    for i, claim in enumerate(claims):
        by_source.setdefault(claim.source, []).append(i)
    present = 0  # the sources of this scope, as bits: a claim looks only at the originals it can meet here
    for source in by_source:
        present |= 1 << based_on.number[source] if source in based_on.number else 0
    for i, claim in enumerate(claims):
        originals = [j for source in based_on.within(claim.source, present) for j in by_source[source]
                     if meet(i, j)]
        if originals:
            join(min(originals, key=lambda j: claims[j].id), i)
    quotes = [normalize_text(claim.quote) for claim in claims]
    _join_copies(claims, quotes, meet, join)
    return [_find(parent, i) for i in range(len(claims))]


def _join_copies(claims: Sequence[Claim], quotes: list[str], meet: Callable[[int, int], bool],
                 join: Callable[[int, int], None]) -> None:
    """Near-identical quotes of different sources whose figures meet are one wire copy: identical ones in
    any scope, 95 %-alike ones in scopes of up to COPY_PAIRWISE_LIMIT claims."""
    long_enough = [i for i, quote in enumerate(quotes) if quote.count(" ") + 1 >= COPY_MIN_WORDS]
    by_quote: dict[str, list[int]] = {}
    for i in long_enough:
        by_quote.setdefault(quotes[i], []).append(i)
    for same in by_quote.values():
        for j in same[1:]:
            if claims[j].source != claims[same[0]].source and meet(same[0], j):
                join(same[0], j)
    if len(claims) > COPY_PAIRWISE_LIMIT:
        return
    from rapidfuzz import fuzz

    for n, i in enumerate(long_enough):
        for j in long_enough[n + 1:]:
            if (claims[i].source != claims[j].source and meet(i, j)
                    and fuzz.ratio(quotes[i], quotes[j]) >= COPY_SIMILARITY):
                join(i, j)


@dataclass(frozen=True)
class _Ancestry:
    """Each source's `based_on` followed through, as a bit set over the sources' numbers (a chain of 3,000
    copies is 3,000 sets of up to 3,000 sources: 1 MB as bits, 460 MB as sets of names)."""

    number: dict[str, int]
    names: list[str]
    bits: dict[str, int]  # only sources that copy another

    def within(self, source_id: str, mask: int) -> Iterator[str]:
        """Those of them whose numbers are in `mask`."""
        reach = self.bits.get(source_id, 0) & mask
        while reach:
            low = reach & -reach
            yield self.names[low.bit_length() - 1]
            reach ^= low


def _ancestors(dataset: Dataset) -> _Ancestry:
    """Each source's `based_on`, followed through: a copy of a copy repeats the first one. Worked out once per
    source, children before parents (no recursion: a chain may be thousands of sources long); a cycle ends
    where it began."""
    names = list(dict.fromkeys([*dataset.sources, *(o for s in dataset.sources.values() for o in s.based_on)]))
    number = {name: n for n, name in enumerate(names)}
    found: dict[str, int] = {}

    def direct(source_id: str) -> list[str]:
        source = dataset.sources.get(source_id)
        return [other for other in (source.based_on if source else ()) if other != source_id]

    for root in dataset.sources:
        if not dataset.sources[root].based_on:
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        open_now: set[str] = set()
        while stack:
            source_id, children_done = stack.pop()
            if source_id in found:
                continue
            if not children_done:
                open_now.add(source_id)
                stack.append((source_id, True))
                stack.extend((other, False) for other in direct(source_id)
                             if other not in found and other not in open_now)
                continue
            reach = 0
            for other in direct(source_id):
                reach |= (1 << number[other]) | found.get(other, 0)
            found[source_id] = reach & ~(1 << number[source_id])
            open_now.discard(source_id)
    return _Ancestry(number, names, {key: bits for key, bits in found.items() if bits})
