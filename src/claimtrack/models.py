"""Models stage: the schema of topics.yaml and of source files (pydantic v2), applied to YamlDocs.

Each topic, source header and claim is validated on its own, so one bad claim never hides the rest;
every validation error becomes one located Problem with a "did you mean" where a key is close.
"""

from __future__ import annotations

import re
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claimtrack.errors import Location, Problem
from claimtrack.loader import KeyPath, YamlDoc

Kind = Literal["quantity", "date", "text", "boolean"]
Status = Literal["explained", "accepted", "disputed"]
SourceType = Literal["news", "analysis", "policy-brief", "official", "academic", "dataset", "other"]
# the whole text, to its very end (\Z): "$" also matches before a final line break, and let "ab\n" through
SLUG = re.compile(r"\A[a-z0-9][a-z0-9._-]*\Z")


def is_slug(text: str) -> bool:
    return SLUG.fullmatch(text) is not None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _slug(value: Any) -> Any:
    """Checked as written, before whitespace is stripped: `id: "ab\\n"` or a block scalar ending in a line
    break is not the slug ab. (Anything but text is left to the type check.)"""
    for text in value if isinstance(value, list) else [value]:
        if isinstance(text, str) and not is_slug(text):
            raise ValueError("must be a lower-case slug: letters, digits, '-', '_' or '.' (e.g. border-length)")
    return value


class ResolutionSpec(_Strict):
    status: Status
    preferred: str | None = None
    note: str | None = None
    # the claims the verdict settled: a list of ids, or a mapping of each id to the value it had then (what
    # `resolve` writes), so that a changed value re-opens the topic
    covers: list[str] | dict[str, str] = Field(default_factory=list)


class TopicSpec(_Strict):
    title: str
    kind: Kind = "quantity"
    unit: str | None = None
    aliases: list[str] = Field(default_factory=list)
    tolerance: str | None = None
    approx: str | None = None
    similarity: int | None = Field(default=None, ge=0, le=100)
    resolution: ResolutionSpec | None = None
    note: str | None = None


class SourceSpec(_Strict):
    id: str | None = None
    title: str
    publisher: str | None = None
    author: str | list[str] | None = None
    published: str | None = None
    url: str | None = None
    type: SourceType | None = None
    text: str | None = None
    based_on: str | list[str] = Field(default_factory=list)  # ids of the sources it copies its figures from
    note: str | None = None

    _check_slugs = field_validator("id", "based_on", mode="before")(_slug)


class StructuredValue(_Strict):
    min: str | None = None
    max: str | None = None
    min_open: bool = False
    max_open: bool = False
    unit: str | None = None


class ClaimSpec(_Strict):
    id: str | None = None
    topic: str
    value: str | StructuredValue
    quote: str
    as_of: str | None = None
    attributed_to: str | None = None
    qualifiers: dict[str, str] = Field(default_factory=dict)
    note: str | None = None

    _check_id = field_validator("id", mode="before")(_slug)


Model = TypeVar("Model", bound=BaseModel)


def validate(model: type[Model], data: Any, doc: YamlDoc, at: KeyPath) -> tuple[Model | None, list[Problem]]:
    """Validate `data` (found at `at` in `doc`) against `model`; errors become located problems."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        items = [(_key_path(data, item), item) for item in error.errors(include_url=False)]
        problems: dict[tuple[str | int, ...], Problem] = {}
        for path, item in items:
            deeper = any(len(other) > len(path) and other[: len(path)] == path for other, _ in items)
            if item["type"].endswith("_type") and (path in problems or deeper):
                continue  # a union field: keep one complaint, or the more precise one from inside it
            problems[path] = _problem(model, item, path, doc.location((*at, *path)), str(at[-1]) if at else "")
        return None, list(problems.values())


def _key_path(data: Any, item: Any) -> KeyPath:
    """The keys and indexes of an error's location in the data. Pydantic puts the name of a union's branch
    in it too ('constrained-str', 'list[constrained-str]', 'StructuredValue'): a part that names nothing in
    the data at that point is such a tag and is left out, unless it is the key a `missing` error is about.
    (Told apart by the data, not by the text of the tag: a user's key may hold brackets, `quo[te:`.)"""
    loc = item["loc"]
    path: list[str | int] = []
    node = data
    for number, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            node = node[part]
        elif number == len(loc) - 1 and item["type"] == "missing":
            node = None
        else:
            continue  # a branch tag
        path.append(part)
    return tuple(path)


_EXPECTED = {"value": "text (or a mapping of min, max, min_open, max_open, unit)", "author": "text or a list of names",
             "based_on": "a source id or a list of them",
             "aliases": "a list of names", "covers": "a list of claim ids, or a mapping of claim id: value",
             "qualifiers": "a mapping of key: value"}


def _problem(model: type[BaseModel], item: Any, path: tuple[str | int, ...], where: Location,
             outer: str) -> Problem:
    name = next((str(part) for part in reversed(path) if isinstance(part, str)), "") or outer
    kind = item["type"]
    given = item.get("input")
    if kind == "extra_forbidden":
        return Problem(where, "unknown-key", f"unknown key {name!r}{did_you_mean(name, _fields_at(model, path[:-1]))}")
    if kind == "missing":
        return Problem(where, "missing-key", f"missing required key {name!r}")
    if kind == "literal_error":
        choices = re.findall(r"'([^']+)'", item.get("ctx", {}).get("expected", ""))
        return Problem(where, "invalid-type",
                       f"{name}: {given!r} is not one of {', '.join(choices)}{did_you_mean(str(given), choices)}")
    if kind.endswith(("_type", "_parsing")):
        wanted = _EXPECTED.get(name) or {"string_type": "text", "dict_type": "a mapping", "list_type": "a list",
                                          "int_parsing": "a whole number", "int_type": "a whole number",
                                          "bool_parsing": "true or false"}.get(kind, "a mapping")
        return Problem(where, "invalid-type", f"{name or 'this'} must be {wanted}, not {_describe(given)}")
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return Problem(where, "invalid-type", f"{name} must be between 0 and 100, not {given!r}")
    message = item["msg"].removeprefix("Value error, ")
    code = "invalid-id" if name == "id" and kind == "value_error" else "invalid-type"
    return Problem(where, code, f"{name}: {message}" if name else message)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _fields_at(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `path` inside `model` (for "did you mean")."""
    current: Any = model
    for part in path:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        current = _model_in(field.annotation) if field else None
    return list(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def did_you_mean(word: str, choices: list[str] | tuple[str, ...], cutoff: float = 60) -> str:
    """' (did you mean 'value'?)' when one choice is close to `word`, else ''."""
    from rapidfuzz import fuzz, process

    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff) if word and choices else None
    return f" (did you mean {best[0]!r}?)" if best else ""
