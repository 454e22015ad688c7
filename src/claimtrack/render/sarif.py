"""SARIF 2.1.0 renderer for code-scanning tools (one run, one rule per problem code)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rich.console import Console

from claimtrack import __version__
from claimtrack.errors import Problem
from claimtrack.render.text import STREAMED, write_json
from claimtrack.report import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def artifact_uri(path: Path) -> str:
    """A file as SARIF's artifactLocation.uri, an RFC 3986 URI reference: relative to the working directory
    (as the path is shown) with every byte but unreserved characters and '/' percent-encoded (`%20` for a
    space, `%23` for '#', `%3A` for a colon, UTF-8 — or the file name's own bytes — for the rest); an absolute
    path as a file: URI."""
    encoded = quote(os.fsencode(path.as_posix()), safe="/")
    return f"file://{encoded}" if path.is_absolute() else encoded


def check(report: Report, console: Console) -> None:
    codes = sorted({p.code for p in report.problems})
    index = {code: number for number, code in enumerate(codes)}

    def result(problem: Problem) -> dict[str, Any]:
        region = {}
        if problem.location.line is not None:
            region = {"region": {"startLine": problem.location.line, "startColumn": problem.location.column or 1}}
        return {
            "ruleId": problem.code,
            "ruleIndex": index[problem.code],
            "level": "error" if problem.severity == "error" else "warning",
            "message": {"text": problem.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(problem.location.path)}, **region}}],
        }

    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "claimtrack", "version": __version__,
                "rules": [{"id": code, "name": code, "shortDescription": {"text": code.replace("-", " ")},
                           "help": {"text": f"See docs/checks.md, section {code}."}} for code in codes],
            }},
            "results": STREAMED,
        }],
    }
    write_json(console, log, map(result, report.problems))
