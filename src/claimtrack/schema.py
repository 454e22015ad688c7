"""JSON Schema (draft 2020-12) of topics.yaml and of a source file, for editors and other validators.

Written by hand rather than exported from the pydantic models: YAML editors see `value: 1344` as a
number and `published: 2025-06-01` as a date, which claimtrack reads as text, so the schema must accept them.
"""

from __future__ import annotations

from typing import Any, get_args

from claimtrack.models import SourceType

_TEXT: dict[str, Any] = {"type": ["string", "number", "boolean"]}
_DATE: dict[str, Any] = {"type": ["string", "integer"], "description": "YYYY, YYYY-MM, YYYY-MM-DD, 'April 2023', "
                         "'early 2024', 'Q3 2023', 'before 2021' …"}
_SLUG: dict[str, Any] = {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$"}
_NAMES: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_FLAG: dict[str, Any] = {"anyOf": [{"type": "boolean"}, {"enum": ["true", "false", "yes", "no"]}]}
_BASE = "https://claimtrack.invalid/schema"


def _object(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties, "required": required,
            "additionalProperties": False}


def json_schemas() -> dict[str, dict[str, Any]]:
    """{'topics': schema of topics.yaml, 'source': schema of a source file}."""
    resolution = _object({
        "status": {"enum": ["explained", "accepted", "disputed"]},
        "preferred": _TEXT,
        "note": {"type": "string"},
        "covers": {"oneOf": [
            {"type": "array", "items": {"type": "string", "pattern": "^[^/]+/[^/]+$"}},
            {"type": "object", "propertyNames": {"pattern": "^[^/]+/[^/]+$"}, "additionalProperties": _TEXT,
             "description": "Each covered claim id with the value it had when settled (as `resolve` writes)."},
        ]},
    }, ["status"], "The editors' verdict on a known disagreement.")
    topic = _object({
        "title": {"type": "string"},
        "kind": {"enum": ["quantity", "date", "text", "boolean"], "default": "quantity"},
        "unit": {"type": "string", "description": "Canonical unit (quantity only); omit for plain counts."},
        "aliases": _NAMES,
        "tolerance": _TEXT,
        "approx": _TEXT,
        "similarity": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 100},
                                 {"type": "string", "pattern": "^(100|[0-9]{1,2})$"}]},
        "resolution": resolution,
        "note": {"type": "string"},
    }, ["title"], "A topic: what a claim can be about.")
    topics = {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{_BASE}/topics.json",
        "title": "claimtrack topics.yaml",
        **_object({"topics": {"type": "object", "propertyNames": _SLUG, "additionalProperties": topic}},
                  ["topics"], "The registry of topics."),
    }
    structured = _object({"min": {"type": ["string", "number", "null"]}, "max": {"type": ["string", "number", "null"]},
                          "min_open": _FLAG, "max_open": _FLAG, "unit": {"type": "string"}},
                         [], "A value as explicit bounds.")
    claim = _object({
        "id": _SLUG,
        "topic": _SLUG,
        "value": {"anyOf": [_TEXT, structured]},
        "quote": {"type": "string"},
        "as_of": _DATE,
        "attributed_to": {"type": "string"},
        "qualifiers": {"type": "object", "additionalProperties": _TEXT},
        "note": {"type": "string"},
    }, ["topic", "value", "quote"], "One claim the document makes.")
    source = _object({
        "id": _SLUG,
        "title": {"type": "string"},
        "publisher": {"type": "string"},
        "author": {"anyOf": [{"type": "string"}, _NAMES]},
        "published": _DATE,
        "url": {"type": "string"},
        "type": {"enum": list(get_args(SourceType))},
        "text": {"type": "string"},
        "based_on": {"anyOf": [_SLUG, {"type": "array", "items": _SLUG}],
                     "description": "Sources this document copies its figures from (their ids)."},
        "note": {"type": "string"},
    }, ["title"], "The document.")
    source_file = {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{_BASE}/source.json",
        "title": "claimtrack source file",
        **_object({"source": source, "claims": {"type": "array", "items": claim}}, ["source"],
                  "One source document and its claims."),
    }
    return {"topics": topics, "source": source_file}
