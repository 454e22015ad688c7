"""CSV renderer: `claimtrack claims --format csv`, a header row and one row per claim, with the columns of the
claims table of `export --format csv` (export/tables.py; described in its datapackage.json)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console

from claimtrack.dataset import Claim
from claimtrack.errors import ESCAPE
from claimtrack.export.csv import write_rows
from claimtrack.export.tables import CLAIMS, claim_row
from claimtrack.render.text import write_raw
from claimtrack.report import Report


def claims(report: Report, chosen: Sequence[Claim], console: Console) -> None:
    topics, conflicts = report.dataset.topics, report.conflicts

    def internal(claim: Claim) -> bool:
        conflict = conflicts.get(claim.topic)
        return conflict is not None and claim.id in conflict.internal_ids

    buffer = io.StringIO(newline="")
    write_rows(buffer, CLAIMS, (claim_row(claim, topics[claim.topic], internal(claim)) for claim in chosen))
    write_raw(console, buffer.getvalue().encode("utf-8", ESCAPE))
    console.file.flush()
