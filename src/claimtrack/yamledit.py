"""Round-trip YAML for authoring: edit a file's data and write it back with comments, key order, quoting and
layout kept (ruamel.yaml). Only the authoring commands import this module; reading uses loader.py."""

from __future__ import annotations

import io
from typing import Any

# (mapping indent, sequence indent, dash offset) styles people use; the one that reproduces a file is kept
_STYLES = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 3, 1), (3, 5, 2))


class RoundTrip:
    """A YAML document loaded for editing; `dump()` gives the edited text."""

    def __init__(self, text: str) -> None:
        from ruamel.yaml import YAML

        self.original = text
        best: tuple[int, Any, Any] | None = None
        for style in _STYLES:
            yaml = YAML()
            yaml.preserve_quotes = True
            yaml.width = 1_000_000  # never re-wrap long lines
            yaml.indent(mapping=style[0], sequence=style[1], offset=style[2])
            data = yaml.load(text)
            changed = _difference(_dump(yaml, data), text)
            if best is None or changed < best[0]:
                best = (changed, yaml, data)
            if changed == 0:
                break
        assert best is not None
        self.yaml, self.data = best[1], best[2]

    def dump(self) -> str:
        return _dump(self.yaml, self.data)


def _dump(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _difference(a: str, b: str) -> int:
    if a == b:
        return 0
    lines_a, lines_b = a.splitlines(), b.splitlines()
    return sum(x != y for x, y in zip(lines_a, lines_b, strict=False)) + abs(len(lines_a) - len(lines_b))


def new_mapping(items: dict[str, Any]) -> Any:
    """A mapping for insertion, in the given key order, with None values left out and strings double-quoted
    where YAML would otherwise read them as something else (so `1,344 km` and `46%` stay text)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    mapping = CommentedMap()
    for key, value in items.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, str):
            mapping[key] = DoubleQuotedScalarString(value) if key in ("value", "quote", "title") else value
        elif isinstance(value, list):
            sequence = CommentedSeq(value)
            sequence.fa.set_flow_style()
            mapping[key] = sequence
        elif isinstance(value, dict):
            inner = CommentedMap(value)
            inner.fa.set_flow_style()
            mapping[key] = inner
        else:
            mapping[key] = value
    return mapping
