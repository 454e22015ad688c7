"""Consensus stage: Dataset -> what the independent evidence supports per topic and scope, and how reliable
each source has been.

The method is ACCU (Dong, Berti-Équille and Srivastava, "Integrating conflicting data: the role of source
dependence", VLDB 2009) without its copy detection, on intervals instead of exact values:

- The candidates of a scope are the places where claims meet: the maximal sets of claims whose intervals
  share a point (found by one sweep; for text, the groups of alike answers). A wide claim ("more than
  1,400 km") can belong to several candidates; a precise one belongs to one.
- Claims that repeat one origin count once: one source's own words, one `attributed_to` (whoever reports
  it), a source and those it says it is `based_on`, or near-identical quotes (a wire copy) share one vote.
- A claim votes for each candidate it belongs to with the log-odds of its source's accuracy A,
  ln(n·A / (1 − A)), where n is the number of wrong values a fact can plausibly be given; a candidate's
  probability is its votes' softmax, beside n unclaimed values with no vote.
- A source's accuracy is the mean probability that its claims are right, with a prior of PRIOR_ACCURACY
  counted as PRIOR_WEIGHT claims; accuracies and probabilities are recomputed until they stop changing.

A scope's consensus is its most probable candidate: the interval where those claims meet, shown by the most
precise of them. Equal votes are a tie, reported as such (no value) rather than broken by file order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from claimtrack.dataset import Claim, Dataset, Topic
from claimtrack.values import Interval, normalize_text

N_FALSE = 10  # wrong values a fact can plausibly be given (ACCU's n)
PRIOR_ACCURACY = 0.8  # a source's accuracy before there is evidence (ACCU's starting point)
PRIOR_WEIGHT = 2.0  # … counted as this many claims when its accuracy is averaged
COPY_SIMILARITY = 95  # normalised quotes this alike (rapidfuzz ratio) are one wire copy …
COPY_MIN_WORDS = 6  # … when long enough that two writers would not word them alike by chance
COPY_PAIRWISE_LIMIT = 300  # larger scopes look for copies among identical quotes only (pairs cost n²)
MAX_ITERATIONS = 100
CONVERGED = 1e-4  # the largest change of any source's accuracy at the fixed point (shown to 4 places)
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
    """One place where claims meet: the claims, and the interval they share (None for text)."""

    claims: tuple[Claim, ...]
    interval: Interval | None
    probability: float


@dataclass(frozen=True)
class Verdict:
    """The consensus of one scope."""

    scope: Scope
    best: Candidate | None  # None on a tie
    representative: Claim | None  # the most precise claim of the best candidate
    tied: tuple[Candidate, ...]  # the candidates sharing the highest vote, when there is a tie
    support: int  # independent origins behind the best candidate
    origins: int  # independent origins in the scope
    agree: tuple[str, ...]
    disagree: tuple[str, ...]

    @property
    def confidence(self) -> float:
        return self.best.probability if self.best else (self.tied[0].probability if self.tied else 0.0)

    @property
    def lone(self) -> bool:
        return len(self.scope.claims) == 1


@dataclass(frozen=True)
class SourceRecord:
    id: str
    claims: int  # all its claims
    compared: int  # those in a scope with other claims
    agreeing: int  # those the consensus agrees with
    reliability: float  # the learned accuracy


@dataclass(frozen=True)
class Consensus:
    verdicts: tuple[Verdict, ...]
    sources: dict[str, SourceRecord]
    iterations: int
    by_topic: dict[str, tuple[Verdict, ...]] = field(default_factory=dict)


def find_consensus(dataset: Dataset) -> Consensus:
    """Every scope's consensus, and every source's reliability, at the fixed point."""
    based_on = _ancestors(dataset)
    scopes = [scope for key, claims in dataset.by_topic.items() if claims and key in dataset.topics
              for scope in split_scopes(dataset.topics[key], claims)]
    prepared = [_prepare(scope, based_on) for scope in scopes]
    accuracy, iterations = _fixed_point(list(dataset.sources), [p for p in prepared if len(p.scope.claims) > 1])
    verdicts = tuple(p.verdict(accuracy) for p in prepared)
    by_topic: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        by_topic.setdefault(verdict.scope.topic.key, []).append(verdict)
    return Consensus(verdicts, _records(dataset, verdicts, accuracy), iterations,
                     {key: tuple(found) for key, found in by_topic.items()})


def _fixed_point(source_ids: list[str], informative: list[_Prepared]) -> tuple[dict[str, float], int]:
    """Sources' accuracies and claims' probabilities, recomputed from each other until they settle.

    Scopes with one claim are left out: a lone claim's probability is its source's accuracy, so it would
    only pull that accuracy towards itself. Each round is a handful of array operations over every claim
    that has company and every candidate (numpy: a round over 100,000 claims takes milliseconds, where the
    same loop in Python took 90 ms and ran 90 times)."""
    if not informative:
        return dict.fromkeys(source_ids, PRIOR_ACCURACY), 0
    import numpy as np

    number = {source_id: n for n, source_id in enumerate(source_ids)}
    source = np.array([number[c.source] for p in informative for c in p.scope.claims], dtype=np.int64)
    share = np.array([x for p in informative for x in p.share], dtype=np.float64)
    sizes = np.array([p.candidates for p in informative], dtype=np.int64)  # candidates per scope
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)  # each scope's first candidate
    offsets = np.repeat(starts, [len(p.share) for p in informative])
    first = offsets + np.array([k for p in informative for k in p.first], dtype=np.int64)
    last = offsets + np.array([k for p in informative for k in p.last], dtype=np.int64)
    unclaimed = np.maximum(0, N_FALSE + 1 - sizes)  # values no claim gives, each with no vote
    total = int(sizes.sum())
    counts = np.bincount(source, minlength=len(source_ids)).astype(np.float64)
    accuracy = np.full(len(source_ids), PRIOR_ACCURACY)
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 — the count is reported
        vote = np.log(N_FALSE * accuracy / (1 - accuracy))[source] * share
        # a claim votes for its run of candidates first..last: a difference array, summed up
        votes = np.cumsum(np.bincount(first, vote, total + 1) - np.bincount(last + 1, vote, total + 1))[:total]
        top = np.maximum.reduceat(votes, starts)
        weights = np.exp(votes - np.repeat(top, sizes))
        normal = np.add.reduceat(weights, starts) + unclaimed * np.exp(-top)
        probability = weights / np.repeat(normal, sizes)
        running = np.concatenate(([0.0], np.cumsum(probability)))
        right = running[last + 1] - running[first]  # each claim: the truth lies where it says
        sums = np.bincount(source, right, len(source_ids))
        updated = np.clip((sums + PRIOR_WEIGHT * PRIOR_ACCURACY) / (counts + PRIOR_WEIGHT), 0.01, 0.99)
        change = float(np.abs(updated - accuracy).max())
        accuracy = updated
        if change < CONVERGED:
            break
    return dict(zip(source_ids, accuracy.tolist(), strict=True)), iterations


def _clamp(accuracy: float) -> float:
    return min(0.99, max(0.01, accuracy))


def _records(dataset: Dataset, verdicts: Iterable[Verdict], accuracy: dict[str, float]) -> dict[str, SourceRecord]:
    claims: dict[str, int] = {}
    compared: dict[str, int] = {}
    agreeing: dict[str, int] = {}
    for verdict in verdicts:
        agree = set(verdict.agree)
        for claim in verdict.scope.claims:
            claims[claim.source] = claims.get(claim.source, 0) + 1
            if not verdict.lone:
                compared[claim.source] = compared.get(claim.source, 0) + 1
                if claim.id in agree:
                    agreeing[claim.source] = agreeing.get(claim.source, 0) + 1
    return {source_id: SourceRecord(source_id, claims.get(source_id, 0), compared.get(source_id, 0),
                                    agreeing.get(source_id, 0), round(accuracy[source_id], 4))
            for source_id in dataset.sources}


# --------------------------------------------------------------------------- scopes

def split_scopes(topic: Topic, claims: Sequence[Claim]) -> list[Scope]:
    """A topic's claims in scopes. Claims with the same qualifiers are together, and among them those whose
    as_of spans overlap (directly or through others). A claim that leaves something unsaid (no qualifiers,
    no as_of) joins the one group there is, or keeps a scope of its own when there are several: it cannot
    be placed without a guess."""
    by_qualifiers: dict[tuple[tuple[str, str], ...], list[Claim]] = {}
    for claim in claims:
        by_qualifiers.setdefault(claim.qualifiers, []).append(claim)
    if () in by_qualifiers and len(by_qualifiers) == 2:
        plain = by_qualifiers.pop(())
        next(iter(by_qualifiers.values())).extend(plain)
    scopes: list[Scope] = []
    for group in by_qualifiers.values():
        dated = sorted((c for c in group if c.as_of_interval is not None), key=lambda c: c.as_of_interval.low)  # type: ignore[union-attr]
        undated = [c for c in group if c.as_of_interval is None]
        periods: list[list[Claim]] = []
        reach: Interval | None = None  # the span of the period being gathered
        for claim in dated:
            span = claim.as_of_interval
            assert span is not None
            if reach is None or not reach.intersects(span):
                periods.append([])
                reach = span
            elif span.high > reach.high or (span.high == reach.high and not span.high_open):
                reach = Interval(reach.low, span.high, reach.low_open, span.high_open)
            periods[-1].append(claim)
        if len(periods) == 1:
            periods[0].extend(undated)
        elif undated:
            periods.append(undated)
        scopes.extend(_scope(topic, period) for period in periods or [undated])
    return scopes


def _scope(topic: Topic, claims: list[Claim]) -> Scope:
    ordered = tuple(sorted(claims, key=lambda c: c.id))
    spellings = sorted({claim.as_of for claim in ordered if claim.as_of})
    shared = set.intersection(*(set(c.qualifiers) for c in ordered)) if ordered else set()
    return Scope(topic, ordered, "; ".join(spellings) or None, tuple(sorted(shared)))


def _find(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


# --------------------------------------------------------------------------- candidates and origins

@dataclass
class _Prepared:
    """What stays the same from one iteration to the next: a scope's candidates and origins."""

    scope: Scope
    first: list[int]  # each claim belongs to candidates first[i] … last[i] (a contiguous run)
    last: list[int]
    regions: list[Interval | None]  # each candidate's shared interval
    share: list[float]  # 1 / the size of each claim's origin
    origin: list[int]  # each claim's origin (an index)

    @property
    def candidates(self) -> int:
        return len(self.regions)

    def votes(self, accuracy: dict[str, float]) -> list[float]:
        diff = [0.0] * (self.candidates + 1)
        for i, claim in enumerate(self.scope.claims):
            a = accuracy[claim.source]
            vote = math.log(N_FALSE * a / (1 - a)) * self.share[i]
            diff[self.first[i]] += vote
            diff[self.last[i] + 1] -= vote
        votes, running = [], 0.0
        for k in range(self.candidates):
            running += diff[k]
            votes.append(running)
        return votes

    def probabilities(self, votes: list[float]) -> list[float]:
        top = max(votes)
        unclaimed = max(0, N_FALSE + 1 - len(votes))  # values no claim gives, each with no vote: exp(0)
        total = sum(math.exp(v - top) for v in votes) + unclaimed * math.exp(-top)
        return [math.exp(v - top) / total for v in votes]

    def verdict(self, accuracy: dict[str, float]) -> Verdict:
        claims = self.scope.claims
        if len(claims) == 1:  # its probability is its source's accuracy: e^v / (e^v + n) with e^v = n·A/(1−A)
            lone = Candidate(claims, self.regions[0], accuracy[claims[0].source])
            return Verdict(self.scope, lone, claims[0], (), 1, 1, (claims[0].id,), ())
        votes = self.votes(accuracy)
        probabilities = self.probabilities(votes)
        top = max(votes)
        winners = [k for k, v in enumerate(votes) if top - v <= _TIE * max(1.0, abs(top))]
        candidates = [Candidate(tuple(c for i, c in enumerate(claims) if self.first[i] <= k <= self.last[i]),
                                self.regions[k], probabilities[k]) for k in winners]
        origins = len(set(self.origin))
        if len(candidates) > 1:
            common = set.intersection(*({c.id for c in candidate.claims} for candidate in candidates))
            anywhere = set().union(*({c.id for c in candidate.claims} for candidate in candidates))
            return Verdict(self.scope, None, None, tuple(candidates), 0, origins,
                           tuple(c.id for c in claims if c.id in common),
                           tuple(c.id for c in claims if c.id not in anywhere))
        best = candidates[0]
        members = {c.id for c in best.claims}
        support = len({self.origin[i] for i, c in enumerate(claims) if c.id in members})
        representative = min(best.claims, key=lambda c: (_width(c), -accuracy[c.source], c.id))
        return Verdict(self.scope, best, representative, (), support, origins,
                       tuple(c.id for c in claims if c.id in members),
                       tuple(c.id for c in claims if c.id not in members))


def _width(claim: Claim) -> float:
    return claim.interval.high - claim.interval.low if claim.interval is not None else 0.0


def _prepare(scope: Scope, based_on: dict[str, frozenset[str]]) -> _Prepared:
    claims = scope.claims
    if len(claims) == 1:  # most scopes of a large folder: one candidate, one origin
        return _Prepared(scope, [0], [0], [claims[0].interval], [1.0], [0])
    if scope.topic.kind == "text":
        cluster = _text_clusters(scope)
        first = last = cluster
        regions: list[Interval | None] = [None] * (max(cluster) + 1 if cluster else 0)
    else:
        first, last, found = _cliques([c.interval for c in claims])  # type: ignore[misc]
        regions = list(found)
    origin = _origins(scope, based_on, first, last)
    sizes: dict[int, int] = {}
    for o in origin:
        sizes[o] = sizes.get(o, 0) + 1
    return _Prepared(scope, first, last, regions, [1.0 / sizes[o] for o in origin], origin)


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


def _text_clusters(scope: Scope) -> list[int]:
    """Each claim's group of alike answers (linked when at least `similarity` alike), numbered from 0."""
    from rapidfuzz import fuzz

    claims = scope.claims
    parent = list(range(len(claims)))
    keys = [claim.text_key or "" for claim in claims]
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if keys[i] == keys[j] or fuzz.ratio(keys[i], keys[j]) >= scope.topic.similarity:
                parent[_find(parent, j)] = _find(parent, i)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(_find(parent, i), len(numbers)) for i in range(len(claims))]


def _origins(scope: Scope, based_on: dict[str, frozenset[str]], first: list[int], last: list[int]) -> list[int]:
    """Each claim's origin: claims linked by one source's own words, one attribution, a declared copy (which
    repeats the figure: they meet) or a near-identical quote share one."""
    claims = scope.claims
    if len(claims) == 1:
        return [0]
    parent = list(range(len(claims)))

    def join(i: int, j: int) -> None:
        parent[_find(parent, j)] = _find(parent, i)

    quotes = [normalize_text(claim.quote) for claim in claims]
    seen: dict[tuple[str, str], int] = {}
    for i, claim in enumerate(claims):
        # a document is one witness of what it says itself; of a figure it reports, the person it names is
        keys = ([("person", " ".join(claim.attributed_to.casefold().split()))] if claim.attributed_to
                else [("source", claim.source)])
        if quotes[i].count(" ") + 1 >= COPY_MIN_WORDS:
            keys.append(("quote", quotes[i]))
        for key in keys:
            if key in seen:
                join(seen[key], i)
            else:
                seen[key] = i
    copies = [i for i, claim in enumerate(claims) if based_on.get(claim.source)]
    for i in copies:
        for j, other in enumerate(claims):  # a copy repeats its original's figure when the two meet
            if other.source in based_on[claims[i].source] and first[i] <= last[j] and first[j] <= last[i]:
                join(j, i)
    if len(claims) <= COPY_PAIRWISE_LIMIT:
        _join_near_copies(claims, quotes, join)
    return [_find(parent, i) for i in range(len(claims))]


def _join_near_copies(claims: Sequence[Claim], quotes: list[str], join: Callable[[int, int], None]) -> None:
    from rapidfuzz import fuzz

    long_enough = [i for i, quote in enumerate(quotes) if quote.count(" ") + 1 >= COPY_MIN_WORDS]
    for n, i in enumerate(long_enough):
        for j in long_enough[n + 1:]:
            if claims[i].source != claims[j].source and fuzz.ratio(quotes[i], quotes[j]) >= COPY_SIMILARITY:
                join(i, j)


def _ancestors(dataset: Dataset) -> dict[str, frozenset[str]]:
    """Each source's `based_on`, followed through: a copy of a copy repeats the first one."""
    found: dict[str, frozenset[str]] = {}
    for source_id in dataset.sources:
        seen: set[str] = set()
        pending = list(dataset.sources[source_id].based_on)
        while pending:
            other = pending.pop()
            if other in seen or other == source_id:
                continue
            seen.add(other)
            if other in dataset.sources:
                pending.extend(dataset.sources[other].based_on)
        found[source_id] = frozenset(seen)
    return found
