"""Renderers for `extract`: YAML claims ready to paste into a source file, or JSON candidates."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from claimtrack.extract import Candidate
from claimtrack.render.safe import hidden_characters, shown, visible
from claimtrack.render.text import json_text, shown_path, write_text

# YAML 1.1 words that a plain scalar would read as something other than text (booleans and null).
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})
_PLAIN = re.compile(r"[a-z][a-z0-9._-]*")
_ESCAPED = {"\\": "\\\\", '"': '\\"'}


def yaml_string(value: str) -> str:
    """`value` as a YAML double-quoted scalar that every YAML reader (libyaml, yaml-rs, ruamel) reads back as
    exactly `value`: a backslash and a quote escaped, and every character that YAML does not allow raw or
    would take for a line break — and every one a terminal would act on or hide (render/safe.py) — written
    as an escape (\\n, \\t, \\r, \\uXXXX, \\UXXXXXXXX), and the '[' of '##[' as \\u005b. A lone surrogate, which
    no YAML can hold, becomes U+FFFD."""
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _ESCAPED:
            return _ESCAPED[char]
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return "\\ufffd"
        if char in "\n\t\r":
            return visible(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    # '##[' (a CI log's legacy workflow command, render/safe.py) as '##\\u005b': the same text once read
    return '"' + _YAML_SPECIAL.sub(escape, value).replace("##[", "##\\u005b") + '"'


_YAML_SPECIAL = re.compile(f'[\\\\"\ufffe\uffff]|{hidden_characters().pattern}')


def yaml_scalar(value: str) -> str:
    """A key or id as a plain scalar when it is a slug that YAML reads as text (`border-length`), else quoted."""
    return value if _PLAIN.fullmatch(value) and value not in _YAML_WORDS else yaml_string(value)


def yaml(candidates: list[Candidate], file: Path, source: str | None, text: str | None, console: Console) -> None:
    """`text`: the document as the new source file's `text:` names it (relative to claims/sources/), or None
    when it is outside the claims folder (then a comment says to copy it in)."""
    name = shown_path(file)
    # the file's name in a comment is `shown`: one line, whatever the name holds
    lines = [f"# {len(candidates)} candidate claims from {shown(name)}: check each against the document, keep what it",
             "# says (no more), and set the topic where the suggestion is wrong. Save as claims/sources/ID.yaml.",
             "source:", f"  id: {yaml_scalar(source or shown_path(file.stem))}",
             f"  title: {yaml_string(shown_path(file.stem))}"]
    if text is not None:
        lines.append(f"  text: {yaml_string(text)}")
    else:
        lines.append("  # text: the document is not in the claims folder; copy it to claims/texts/ and name it here")
    lines.append("claims:")
    for candidate in candidates:
        suggestion = f"suggested, score {candidate.score:.0f}" if candidate.topic else "no topic fits: register one"
        topic = yaml_scalar(candidate.topic) if candidate.topic else "TODO"
        lines += [f"  - topic: {topic}  # {suggestion}; line {candidate.line}",
                  f"    value: {yaml_string(candidate.value)}",
                  f"    quote: {yaml_string(candidate.quote)}"]
    write_text(console, "\n".join(lines))


def json(candidates: list[Candidate], file: Path, source: str | None, text: str | None, console: Console) -> None:
    rows = [{"value": c.value, "quote": c.quote, "line": c.line, "topic": c.topic, "score": c.score, "kind": c.kind}
            for c in candidates]
    write_text(console, json_text({"candidates": rows, "file": shown_path(file), "source": source, "text": text,
                                   "schema_version": 1}))
