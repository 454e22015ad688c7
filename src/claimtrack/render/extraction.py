"""Renderers for `extract`: YAML claims ready to paste into a source file, or JSON candidates."""

from __future__ import annotations

import json as jsonlib
from pathlib import Path

from rich.console import Console

from claimtrack.extract import Candidate
from claimtrack.render.text import json_text, write_text


def yaml(candidates: list[Candidate], file: Path, source: str | None, console: Console) -> None:
    lines = [f"# {len(candidates)} candidate claims from {file}: check each against the document, keep what it",
             "# says (no more), and set the topic where the suggestion is wrong.",
             "source:", f"  id: {source or file.stem}", f"  title: {jsonlib.dumps(file.stem)}",
             f"  text: {jsonlib.dumps(str(file))}", "claims:"]
    for candidate in candidates:
        suggestion = f"suggested, score {candidate.score:.0f}" if candidate.topic else "no topic fits: register one"
        lines += [f"  - topic: {candidate.topic or 'TODO'}  # {suggestion}; line {candidate.line}",
                  f"    value: {jsonlib.dumps(candidate.value, ensure_ascii=False)}",
                  f"    quote: {jsonlib.dumps(candidate.quote, ensure_ascii=False)}"]
    write_text(console, "\n".join(lines))


def json(candidates: list[Candidate], file: Path, source: str | None, console: Console) -> None:
    rows = [{"value": c.value, "quote": c.quote, "line": c.line, "topic": c.topic, "score": c.score, "kind": c.kind}
            for c in candidates]
    write_text(console, json_text({"candidates": rows, "file": str(file), "source": source, "schema_version": 1}))
