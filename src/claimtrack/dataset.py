"""Dataset stage: a claims folder -> Dataset (topics, sources, claims with their intervals, and problems).

This is where references are checked (unknown topics, duplicate ids) and values become intervals;
rapidfuzz topic look-up lives here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from claimtrack.cache import Stamp
from claimtrack.errors import ClaimtrackError, Location, Problem, reduce_by_slots
from claimtrack.loader import (
    TOPICS_FILE,
    KeyPath,
    Positions,
    YamlDoc,
    display_path,
    find_files,
    read_yaml,
    read_yaml_file,
    shared_keypath,
)
from claimtrack.models import ClaimSpec, SourceSpec, StructuredValue, TopicSpec, did_you_mean, is_slug, validate
from claimtrack.parallel import map_in_two
from claimtrack.units import lookup_unit
from claimtrack.values import (
    DEFAULT_APPROX,
    Interval,
    QuantityScale,
    ValueSyntaxError,
    Widening,
    normalize_text,
    parse_boolean,
    parse_date,
    parse_quantity,
    parse_structured,
    parse_widening,
)

if TYPE_CHECKING:
    from claimtrack.cache import FileCache

Kind = Literal["quantity", "date", "text", "boolean"]
DEFAULT_SIMILARITY = 90


@dataclass(frozen=True)
class Resolution:
    status: str  # explained | accepted | disputed
    preferred: str | None
    note: str | None
    covers: tuple[str, ...]
    location: Location
    positions: Positions | None = field(default=None, repr=False, compare=False)
    keypath: KeyPath = ()  # where the resolution is in topics.yaml
    settled: tuple[str | None, ...] = ()  # each covered claim's value when it was settled (None: not recorded)

    def cover_location(self, index: int) -> Location:
        """Where the index-th id of `covers` is written (looked up only when shown)."""
        if self.positions is None:
            return self.location
        written_as = self.covers[index] if self.settled and self.settled[index] is not None else index
        return self.positions.location((*self.keypath, "covers", written_as))

    @cached_property
    def _settled_by_id(self) -> dict[str, str | None]:
        return dict(zip(self.covers, self.settled or [None] * len(self.covers), strict=True))

    def changed(self, claim: Claim) -> str | None:
        """The value `claim` had when the resolution settled it, if it says something else now (else None)."""
        before = self._settled_by_id.get(claim.id)
        return before if before is not None and " ".join(before.split()) != " ".join(claim.value.split()) else None

    def holds_for(self, claim: Claim) -> bool:
        """Does the resolution settle `claim` as it is now: listed in covers, with the value it had then?"""
        return claim.id in self._settled_by_id and self.changed(claim) is None


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    kind: Kind
    unit: str | None
    aliases: tuple[str, ...]
    scale: QuantityScale
    tolerance: Widening
    similarity: int
    resolution: Resolution | None
    location: Location
    note: str | None = None


# Source and Claim are immutable by convention rather than frozen=True: a frozen dataclass sets each field
# through object.__setattr__, which makes building (and unpickling) 100,000 claims four times slower.
@dataclass(slots=True, unsafe_hash=True)
class Source:
    id: str
    title: str
    publisher: str | None
    author: tuple[str, ...]
    published: str | None
    url: str | None
    type: str | None
    text: Path | None  # the local copy of the document, resolved against the source file
    note: str | None
    path: Path  # the source file, as shown
    based_on: tuple[str, ...]  # ids of the sources it copies its figures from
    positions: Positions = field(repr=False, compare=False)

    __reduce__ = reduce_by_slots

    @property
    def location(self) -> Location:
        return self.positions.location(("source",))

    @property
    def text_location(self) -> Location | None:
        """Where `text:` is written."""
        return self.positions.location(("source", "text")) if self.text else None


@dataclass(slots=True, unsafe_hash=True)
class Claim:
    id: str  # SOURCE-ID/CLAIM-ID
    source: str
    topic: str
    value: str  # as written (a structured value is shown in words)
    interval: Interval | None  # None for text claims
    text_key: str | None  # normalised text, for kind: text
    quote: str
    as_of: str | None
    as_of_interval: Interval | None
    attributed_to: str | None
    qualifiers: tuple[tuple[str, str], ...]
    note: str | None
    positions: Positions = field(repr=False, compare=False)
    keypath: KeyPath = ()  # where the claim is in its file: ("claims", index)

    __reduce__ = reduce_by_slots

    # Locations are looked up only when shown: most claims never need theirs (see loader.Positions).
    @property
    def location(self) -> Location:
        return self.positions.location(self.keypath)

    @property
    def quote_location(self) -> Location:
        return self.positions.location((*self.keypath, "quote"))


@dataclass(frozen=True)
class Dataset:
    folder: Path
    topics: dict[str, Topic]
    sources: dict[str, Source]
    claims: tuple[Claim, ...]
    problems: tuple[Problem, ...]
    by_topic: dict[str, tuple[Claim, ...]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()  # every file read, as displayed
    cache: FileCache | None = field(default=None, repr=False, compare=False)


def find_claims_folder(explicit: Path | None, start: Path | None = None) -> Path:
    """--dir / $CLAIMTRACK_DIR if given, else the nearest `claims/` from `start` upwards."""
    if explicit is not None:
        if not explicit.is_dir():
            raise ClaimtrackError(f"claims folder not found: {explicit}")
        return explicit
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "claims"
        if candidate.is_dir():
            return display_path(candidate)
    raise ClaimtrackError("no claims/ folder here or in any parent folder; use --dir DIR or set CLAIMTRACK_DIR")


class ReadProgress(Protocol):
    """Told how the reading of the source files goes (render/progress.py draws it on a terminal)."""

    def advance(self, done: int, total: int) -> None: ...

    def finish(self) -> None: ...


def load_folder(folder: Path, overrides: Mapping[Path, str] | None = None,
                progress: ReadProgress | None = None) -> Dataset:
    """Read, validate and interpret every file of a claims folder; problems are collected, never raised.

    `overrides` maps absolute paths to text that stands in for (or adds to) the files on disk: authoring
    commands validate an edit with it before writing anything. `progress` hears of each file read (those
    the cache holds are not read).
    """
    overrides = overrides or {}
    topics_path, source_paths, problems = find_files(folder)
    if overrides:
        on_disk = {path.resolve() for path in [*source_paths, *([topics_path] if topics_path else [])]}  # links too
        source_paths += sorted(path for path in overrides if path not in on_disk and path.name != TOPICS_FILE)
    cache = None if overrides else _file_cache(folder, topics_path)
    registry = cache.topics if cache else None  # the registry as read, kept while topics.yaml is unchanged
    if registry is None:
        registry = _load_topics(folder, topics_path, overrides)
        if cache:
            cache.keep_topics(registry)
    topics, registry_ok, topic_problems = registry
    problems.extend(topic_problems)
    sources: dict[str, Source] = {}
    claims: list[Claim] = []

    cached = {path: cache.get(path) for path in source_paths} if cache else {}
    results = {path: result for path, result in cached.items() if result is not None}
    unread = [path for path in source_paths if path not in results]

    def read(path: Path) -> tuple[Stamp | None, SourceFile]:
        stamp = Stamp.of(path)  # before reading: see FileCache.put
        return stamp, read_source_file(path, topics, registry_ok, overrides.get(path.resolve()) if overrides else None)

    mine, theirs = cache.split(unread) if cache else (unread[: len(unread) // 2], unread[len(unread) // 2:])
    ordered = [*mine, *theirs]
    try:
        read_now = map_in_two(read, ordered, len(mine), cache.pack if cache else None,
                              cache.unpack if cache else None, progress.advance if progress else None)
    finally:
        if progress is not None:
            progress.finish()
    for path, (stamp, result) in zip(ordered, read_now, strict=True):
        results[path] = result
        if cache:
            cache.put(path, stamp, result)  # (a helper's results are in the cache already)
    for path in source_paths:
        _merge(results[path], sources, claims, problems)
    by_topic: dict[str, list[Claim]] = {key: [] for key in topics}
    for claim in claims:
        by_topic.setdefault(claim.topic, []).append(claim)
    files = tuple(display_path(p) for p in ([topics_path] if topics_path else []) + source_paths)
    return Dataset(folder, topics, sources, tuple(claims), tuple(problems),
                   {key: tuple(group) for key, group in by_topic.items()}, files, cache)


def _file_cache(folder: Path, topics_path: Path | None) -> FileCache | None:
    from claimtrack.cache import FileCache

    return FileCache.open(folder, topics_path)


def _merge(result: SourceFile, sources: dict[str, Source], claims: list[Claim], problems: list[Problem]) -> None:
    """Add one file's source and claims; a source id already taken drops the file (and says where)."""
    problems.extend(result.problems)
    source = result.source
    if source is not None:
        if source.id in sources:
            where = source.positions.location(result.id_keypath)
            problems.append(Problem(where, "duplicate-source-id",
                                    f"source id {source.id!r} is already used by {sources[source.id].location}"))
            return
        sources[source.id] = source
    claims.extend(result.claims)


# --------------------------------------------------------------------------- topics

def _load_topics(folder: Path, path: Path | None,
                 overrides: Mapping[Path, str]) -> tuple[dict[str, Topic], bool, list[Problem]]:
    """The registry: (topics by key, whether topics.yaml could be read at all, its problems)."""
    problems: list[Problem] = []
    topics, registry_ok = _read_registry(folder, path, problems, overrides)
    return topics, registry_ok, problems


def _read_registry(folder: Path, path: Path | None, problems: list[Problem],
                   overrides: Mapping[Path, str]) -> tuple[dict[str, Topic], bool]:
    if path is None:
        problems.append(Problem(Location(display_path(folder / TOPICS_FILE)), "missing-topics",
                                f"no {TOPICS_FILE} in the claims folder: every claim needs a registered topic"))
        return {}, False
    doc, file_problems = read_yaml(path, overrides.get(path.resolve()) if overrides else None)
    problems.extend(file_problems)
    if doc is None:
        return {}, False
    data = doc.data
    if isinstance(data, dict):
        problems.extend(Problem(doc.location((key,)), "unknown-key",
                                f"unknown key {key!r} in {TOPICS_FILE}{did_you_mean(key, ['topics'])}")
                        for key in data if key != "topics")
    if not isinstance(data, dict) or not isinstance(data.get("topics"), dict):
        what = "is empty" if not data else "has no 'topics:' mapping"
        problems.append(Problem(doc.location(("topics",)), "missing-key", f"{TOPICS_FILE} {what}: it must be a "
                                "mapping with 'topics:' holding one entry per topic"))
        return {}, False
    topics: dict[str, Topic] = {}
    for key, raw in data["topics"].items():
        at = ("topics", key)
        if not is_slug(key):
            problems.append(Problem(doc.location(at), "invalid-id",
                                    f"topic key {key!r} must be a lower-case slug (e.g. border-length)"))
            continue
        spec, spec_problems = validate(TopicSpec, raw, doc, at)
        problems.extend(spec_problems)
        if spec is not None:
            topic = _make_topic(key, spec, doc, problems)
            if topic is not None:
                topics[key] = topic
    return topics, True


def _slugify(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._") or "source"


def _make_topic(key: str, spec: TopicSpec, doc: YamlDoc, problems: list[Problem]) -> Topic | None:
    at = ("topics", key)
    unit = None
    if spec.unit is not None:
        if spec.kind != "quantity":
            problems.append(Problem(doc.location((*at, "unit")), "invalid-unit",
                                    f"topic {key!r} is of kind {spec.kind}: only quantities have a unit"))
        else:
            unit = lookup_unit(spec.unit)
            if unit is None:
                from claimtrack.units import UNITS

                problems.append(Problem(doc.location((*at, "unit")), "invalid-unit",
                                        f"unknown unit {spec.unit!r}{did_you_mean(spec.unit, list(UNITS))}; "
                                        "omit `unit` for plain counts"))
                return None
    scale = QuantityScale(unit=unit)
    approx, tolerance = DEFAULT_APPROX, Widening()
    for name in ("approx", "tolerance"):
        text = getattr(spec, name)
        if text is None:
            continue
        try:
            widening = _parse_topic_widening(text, spec.kind, scale)
        except ValueSyntaxError as error:
            problems.append(Problem(doc.location((*at, name)), "invalid-value", f"{name}: {error}"))
            continue
        if name == "approx":
            approx = widening
        else:
            tolerance = widening
    resolution = None
    if spec.resolution is not None:
        r = spec.resolution
        settled = tuple(r.covers.values()) if isinstance(r.covers, dict) else ()
        resolution = Resolution(r.status, r.preferred, r.note, tuple(r.covers), doc.location((*at, "resolution")),
                                doc.positions, (*at, "resolution"), settled)
    return Topic(key, spec.title, spec.kind, unit.symbol if unit else None, tuple(spec.aliases),
                 QuantityScale(unit=unit, approx=approx), tolerance,
                 spec.similarity if spec.similarity is not None else DEFAULT_SIMILARITY, resolution,
                 doc.location(at), spec.note)


def _parse_topic_widening(text: str, kind: str, scale: QuantityScale) -> Widening:
    if kind == "date":  # a tolerance of days: "3 days", "1 week"
        from claimtrack.units import UNITS

        widening = parse_widening(text, QuantityScale(unit=UNITS["days"]))
        if widening.relative:
            raise ValueSyntaxError("a date topic's tolerance is a duration such as '3 days'")
        return widening
    return parse_widening(text, scale)


# --------------------------------------------------------------------------- sources and claims

@dataclass
class SourceFile:
    """What one source file holds, read on its own (the unit the cache keeps)."""

    source: Source | None
    claims: list[Claim]
    problems: list[Problem]
    id_keypath: KeyPath = ("source",)  # where a duplicate source id is reported
    digest: str | None = None  # content hash of the bytes read (None for text given in memory)

    @property
    def located_now(self) -> bool:
        """Were the file's positions worked out in this process (and so not yet in the cache)?"""
        positions = self.source.positions if self.source else (self.claims[0].positions if self.claims else None)
        return positions is not None and positions.located_now


def read_source_file(path: Path, topics: dict[str, Topic], registry_ok: bool,
                     text: str | None = None) -> SourceFile:
    """Read, validate and interpret one source file against the topic registry."""
    if text is None:
        doc, problems, digest = read_yaml_file(path)
    else:
        (doc, problems), digest = read_yaml(path, text), None
    result = SourceFile(None, [], problems, digest=digest)
    if doc is not None:
        _read_source(doc, path, topics, registry_ok, result)
    return result


def _read_source(doc: YamlDoc, path: Path, topics: dict[str, Topic], registry_ok: bool, result: SourceFile) -> None:
    problems = result.problems
    data = doc.data
    if not isinstance(data, dict) or "source" not in data:
        what = "empty" if data is None else "not a mapping with 'source:' and 'claims:'"
        problems.append(Problem(doc.location(), "invalid-type", f"source file is {what}"))
        return
    for key in data:
        if key not in ("source", "claims"):
            problems.append(Problem(doc.location((key,)), "unknown-key",
                                    f"unknown key {key!r}{did_you_mean(key, ['source', 'claims'])}"))
    spec, spec_problems = validate(SourceSpec, data["source"], doc, ("source",))
    problems.extend(spec_problems)
    source_id = (spec.id if spec and spec.id else path.stem)
    if spec is not None and not spec.id and not is_slug(source_id):
        problems.append(Problem(doc.location(("source",)), "invalid-id",
                                f"source id {source_id!r} comes from the file name and is not a lower-case slug; "
                                f"add `id:` (e.g. {_slugify(source_id)!r}) or rename the file"))
        return
    if spec is not None:
        if spec.published is not None:
            _check_date(spec.published, doc, ("source", "published"), "published", problems)
        authors = (spec.author,) if isinstance(spec.author, str) else tuple(spec.author or ())
        text = (path.parent / spec.text) if spec.text else None
        based_on = (spec.based_on,) if isinstance(spec.based_on, str) else tuple(spec.based_on)
        result.source = Source(source_id, spec.title, spec.publisher, authors, spec.published, spec.url,
                               spec.type, text, spec.note, doc.path, based_on, doc.positions)
        result.id_keypath = ("source", "id") if spec.id else ("source",)
    raw_claims = data.get("claims")
    if raw_claims is None:
        return
    if not isinstance(raw_claims, list):
        problems.append(Problem(doc.location(("claims",)), "invalid-type", "claims must be a list"))
        return
    used: dict[str, KeyPath] = {}
    tried: dict[str, int] = {}  # per topic, the last default number given (see _next_id)
    for index, raw in enumerate(raw_claims):
        at = shared_keypath(("claims", index))  # kept by every claim: one tuple per index, not per claim
        claim_spec, claim_problems = validate(ClaimSpec, raw, doc, at)
        problems.extend(claim_problems)
        if claim_spec is None:
            continue
        first = len(problems)
        _read_claim(claim_spec, at, source_id, doc, topics, registry_ok, used, tried, result)
        for n in range(first, len(problems)):  # what this claim's topic says decided them: say which it is
            problems[n] = replace(problems[n], topic=claim_spec.topic)


def _read_claim(claim_spec: ClaimSpec, at: KeyPath, source_id: str, doc: YamlDoc, topics: dict[str, Topic],
                registry_ok: bool, used: dict[str, KeyPath], tried: dict[str, int], result: SourceFile) -> None:
    """One validated claim: its id, its topic, its value; the claim or its problems go into `result`."""
    problems = result.problems
    local_id = claim_spec.id or _next_id(claim_spec.topic, used, tried)
    if local_id in used:
        problems.append(Problem(doc.location((*at, "id")), "duplicate-claim-id",
                                f"claim id {local_id!r} is already used at line {doc.location(used[local_id]).line}"))
        return
    used[local_id] = at
    topic = topics.get(claim_spec.topic)
    if topic is None:
        if registry_ok:
            problems.append(_unknown_topic(claim_spec.topic, topics, doc.location((*at, "topic"))))
        return
    claim = _make_claim(f"{source_id}/{local_id}", source_id, topic, claim_spec, doc, at, problems)
    if claim is not None:
        result.claims.append(claim)


def claim_local_ids(raw_claims: list[Any]) -> list[str | None]:
    """The id within its file that the loader gives each item of a `claims:` list, as _read_claim does (None:
    an item that is no valid claim, or whose id is a duplicate) — also for a claim whose topic or value is in
    error. The authoring commands find claims by it, and see which ids an edit would change."""
    from pydantic import ValidationError

    used: dict[str, KeyPath] = {}
    tried: dict[str, int] = {}
    ids: list[str | None] = []
    for raw in raw_claims:
        try:
            spec = ClaimSpec.model_validate(raw)
        except ValidationError:
            ids.append(None)
            continue
        local_id = spec.id or _next_id(spec.topic, used, tried)
        ids.append(None if local_id in used else local_id)
        used.setdefault(local_id, ())
    return ids


def _next_id(topic: str, used: dict[str, KeyPath], tried: dict[str, int]) -> str:
    """The topic key, else the first free KEY-2, KEY-3, …. `tried` keeps, per topic, the number found last time:
    ids are only ever added to `used`, so no number below it is free again, and 12,000 id-less claims of one
    topic cost 12,000 look-ups instead of 72 million."""
    if topic not in used:
        return topic
    n = tried.get(topic, 2)
    while f"{topic}-{n}" in used:
        n += 1
    tried[topic] = n
    return f"{topic}-{n}"


def _unknown_topic(key: str, topics: dict[str, Topic], where: Location) -> Problem:
    suggestions = suggest_topics(key, topics)
    hint = f" (did you mean {' or '.join(repr(s) for s in suggestions[:3])}?)" if suggestions else ""
    return Problem(where, "unknown-topic", f"unknown topic {key!r}{hint}; register it in {TOPICS_FILE}")


def _check_date(text: str, doc: YamlDoc, at: tuple[str | int, ...], name: str,
                problems: list[Problem]) -> Interval | None:
    try:
        return parse_date(text)
    except ValueSyntaxError as error:
        problems.append(Problem(doc.location(at), "invalid-date", f"{name}: {error}"))
        return None


def _make_claim(full_id: str, source_id: str, topic: Topic, spec: ClaimSpec, doc: YamlDoc,
                at: tuple[str | int, ...], problems: list[Problem]) -> Claim | None:
    value_at = (*at, "value")
    as_of_interval = None
    if spec.as_of is not None:
        as_of_interval = _check_date(spec.as_of, doc, (*at, "as_of"), "as_of", problems)
        if as_of_interval is None:
            return None
    try:
        interval, text_key, shown = interpret_value(spec.value, topic)
    except ValueSyntaxError as error:
        code = "invalid-date" if topic.kind == "date" else (
            "wrong-dimension" if " is a " in str(error) or " is an " in str(error) else "invalid-value")
        problems.append(Problem(doc.location(value_at), code, f"value: {error}"))
        return None
    return Claim(full_id, source_id, topic.key, shown, interval, text_key, spec.quote, spec.as_of, as_of_interval,
                 spec.attributed_to, tuple(sorted(spec.qualifiers.items())), spec.note, doc.positions, at)


def interpret_value(value: str | StructuredValue, topic: Topic) -> tuple[Interval | None, str | None, str]:
    """A claim's value under its topic -> (interval, normalised text, value as shown)."""
    if isinstance(value, StructuredValue):
        data: dict[str, Any] = value.model_dump()
        shown = describe_structured(data, topic)
        if topic.kind == "date":
            low = parse_date(value.min).low if value.min else -math.inf
            high = parse_date(value.max).high if value.max else math.inf
            if low > high:
                raise ValueSyntaxError("min is later than max")
            interval = Interval(low, high, value.min_open, value.max_open)
        elif topic.kind == "quantity":
            interval = parse_structured(data, topic.scale)
        else:
            raise ValueSyntaxError(f"a structured value needs a quantity or date topic, not {topic.kind}")
        return _tolerate(interval, topic), None, shown
    if topic.kind == "quantity":
        return _tolerate(parse_quantity(value, topic.scale), topic), None, value
    if topic.kind == "date":
        return _tolerate(parse_date(value), topic), None, value
    if topic.kind == "boolean":
        truth = float(parse_boolean(value))
        return Interval(truth, truth), None, value
    key = normalize_text(value)
    if not key:
        raise ValueSyntaxError("empty text value")
    return None, key, value


def _tolerate(interval: Interval, topic: Topic) -> Interval:
    tolerance = topic.tolerance
    if not tolerance.relative and not tolerance.absolute:
        return interval
    below = 0.0 if math.isinf(interval.low) else tolerance.width(interval.low)
    above = 0.0 if math.isinf(interval.high) else tolerance.width(interval.high)
    return interval.widen(below, above)


def describe_structured(data: dict[str, Any], topic: Topic) -> str:
    """{min: 1400, max: null} -> '≥ 1400 km' (how a structured value is shown)."""
    unit = f" {data.get('unit') or topic.unit}" if (data.get("unit") or topic.unit) and topic.kind != "date" else ""
    low, high = data.get("min"), data.get("max")
    if low is not None and high is not None:
        left = "(" if data.get("min_open") else "["
        right = ")" if data.get("max_open") else "]"
        return f"{left}{low}, {high}{right}{unit}"
    if low is not None:
        return f"{'>' if data.get('min_open') else '≥'} {low}{unit}"
    return f"{'<' if data.get('max_open') else '≤'} {high}{unit}"


# --------------------------------------------------------------------------- look-up

def suggest_topics(word: str, topics: dict[str, Topic], limit: int = 3) -> list[str]:
    """Topic keys whose key, alias or title is close to `word`, best first."""
    from rapidfuzz import fuzz, process

    choices, names = _names(topics)
    found = process.extract(word.lower(), names, scorer=fuzz.WRatio, score_cutoff=70, limit=limit * 4)
    keys: list[str] = []
    for name, _, _ in found:
        if choices[name] not in keys:
            keys.append(choices[name])
    return keys[:limit]


_NAMES: list[tuple[dict[str, Topic], dict[str, str], list[str]]] = []  # the last registry's names (see _names)


def _names(topics: dict[str, Topic]) -> tuple[dict[str, str], list[str]]:
    """Every name of every topic (key, aliases, title; lower case) -> its key, made once per registry: each
    claim on an unknown topic asks, and 3,000 of them made the 100,000 names of 3,000 topics 3,000 times."""
    if _NAMES and _NAMES[0][0] is topics and len(_NAMES[0][0]) == len(topics):
        return _NAMES[0][1], _NAMES[0][2]
    choices: dict[str, str] = {}
    for topic in topics.values():
        for name in (topic.key, *topic.aliases, topic.title):
            choices.setdefault(name.lower(), topic.key)
    _NAMES[:] = [(topics, choices, list(choices))]
    return choices, _NAMES[0][2]


def find_topic(word: str, topics: dict[str, Topic]) -> Topic:
    """A topic by key, alias (any case), or a misspelling with one clear best match; else ClaimtrackError."""
    return match_topic(word, topics).topic


@dataclass(frozen=True)
class TopicMatch:
    """What a word the user typed was taken for: `guessed` when it was not the topic's key, an alias or its
    title in any case, but a prefix of its key or a close spelling (say so: the user may have meant another)."""

    topic: Topic
    guessed: bool = False


def match_topic(word: str, topics: dict[str, Topic]) -> TopicMatch:
    """find_topic, saying whether the topic was guessed (the one look-up policy of every command)."""
    found = _named_topic(word, topics)
    if found is not None:
        return TopicMatch(found)
    guess = _guessed_key(word, topics)
    if guess is not None:
        return TopicMatch(topics[guess], guessed=True)
    raise ClaimtrackError(f"unknown topic {word!r}", _topic_suggestions(word, topics))


def _named_topic(word: str, topics: dict[str, Topic]) -> Topic | None:
    """The topic `word` names exactly: its key, or in any case its key, an alias or its title."""
    if word in topics:
        return topics[word]
    lowered = word.strip().lower()
    for topic in topics.values():
        if lowered in (topic.key, *(alias.lower() for alias in topic.aliases), topic.title.lower()):
            return topic
    return None


def _guessed_key(word: str, topics: dict[str, Topic]) -> str | None:
    """The topic key `word` abbreviates (a prefix of exactly one key) or misspells (one clear best match)."""
    lowered = word.strip().lower()
    starting = [key for key in topics if key.startswith(lowered)]
    if len(starting) == 1:  # an unambiguous abbreviation: "tajik-share" for "tajik-share-of-afghan-population"
        return starting[0]
    choices: dict[str, str] = {}
    for topic in topics.values():
        for name in (topic.key, *topic.aliases):
            choices.setdefault(name.lower(), topic.key)
    return closest(lowered, choices)


def closest(word: str, choices: Mapping[str, str]) -> str | None:
    """The value of the one name in `choices` (name -> what it names) clearly closest to `word`: a similarity
    of 80 or more, 10 points ahead of the next thing named; else None. The one fuzzy policy of look-ups."""
    ranked = _ranked(word, choices)
    if ranked and ranked[0][1] >= 80 and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 10):
        return ranked[0][0]
    return None


def _ranked(word: str, choices: Mapping[str, str]) -> list[tuple[str, float]]:
    """What `choices` names, best match of its names to `word` first, with that match's score."""
    from rapidfuzz import fuzz, process

    scored: dict[str, float] = {}
    for name, score, _ in process.extract(word, list(choices), scorer=fuzz.ratio, limit=20):
        scored[choices[name]] = max(scored.get(choices[name], 0), score)
    return sorted(scored.items(), key=lambda item: -item[1])


def _topic_suggestions(word: str, topics: dict[str, Topic]) -> tuple[str, ...]:
    choices: dict[str, str] = {}
    for topic in topics.values():
        for name in (topic.key, *topic.aliases):
            choices.setdefault(name.lower(), topic.key)
    ranked = _ranked(word.strip().lower(), choices)
    return tuple(suggest_topics(word, topics)) or tuple(key for key, score in ranked[:3] if score >= 50)


@dataclass(frozen=True)
class Subject:
    """What `show WORD` shows: a topic or a source, and whether it was guessed from a misspelling."""

    topic: Topic | None
    source: Source | None
    guessed: bool = False


def match_subject(word: str, topics: dict[str, Topic], sources: dict[str, Source]) -> Subject:
    """A topic or a source by what the user typed, in this order: a topic key exactly, a source id exactly, a
    topic's key, alias or title in any case, a source id in any case; then a guess, a topic first (a prefix of
    one key, or a close spelling), then a source (a prefix of one id, or a close spelling). Else
    ClaimtrackError, suggesting both."""
    if word in topics:
        return Subject(topics[word], None)
    if word in sources:
        return Subject(None, sources[word])
    named = _named_topic(word, topics)
    if named is not None:
        return Subject(named, None)
    lowered = word.strip().lower()
    by_case = [source for source in sources.values() if source.id.lower() == lowered]
    if len(by_case) == 1:
        return Subject(None, by_case[0])
    key = _guessed_key(word, topics)
    if key is not None:
        return Subject(topics[key], None, guessed=True)
    starting = [source_id for source_id in sources if source_id.startswith(lowered)]
    source_id = starting[0] if len(starting) == 1 else closest(lowered, {s: s for s in sources})
    if source_id is not None:
        return Subject(None, sources[source_id], guessed=True)
    suggestions = [*_topic_suggestions(word, topics), *suggest_sources(word, sources)]
    raise ClaimtrackError(f"unknown topic or source {word!r}", tuple(suggestions[:5]))


def suggest_sources(word: str, sources: Mapping[str, Source], limit: int = 3) -> list[str]:
    """Source ids close to `word`, best first."""
    from rapidfuzz import fuzz, process

    found = process.extract(word.lower(), list(sources), scorer=fuzz.WRatio, score_cutoff=70, limit=limit)
    return [source_id for source_id, _, _ in found]


def select_claims(dataset: Dataset, source_id: str | None = None, topic_key: str | None = None,
                  grep: str | None = None) -> list[Claim]:
    """The claims of the folder, in its order (file by file, each file's claims as written), that are of
    `source_id` (exactly; an unknown id is a ClaimtrackError with suggestions), on `topic_key`, and hold
    `grep` in any case in their id, value, quote, note, attributed_to or as_of. Every filter given applies."""
    if source_id is not None and source_id not in dataset.sources:
        raise ClaimtrackError(f"unknown source {source_id!r}", tuple(suggest_sources(source_id, dataset.sources)))
    chosen: Iterable[Claim] = dataset.by_topic.get(topic_key, ()) if topic_key is not None else dataset.claims
    if topic_key is not None:  # by_topic keeps the folder's order within a topic
        chosen = [claim for claim in chosen if source_id is None or claim.source == source_id]
    elif source_id is not None:
        chosen = [claim for claim in chosen if claim.source == source_id]
    if grep:
        needle = grep.casefold()
        chosen = [claim for claim in chosen
                  if any(needle in field.casefold() for field in (claim.id, claim.value, claim.quote, claim.note,
                                                                  claim.attributed_to, claim.as_of) if field)]
    return list(chosen)
