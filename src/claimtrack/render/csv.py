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
from claimtrack.render.safe import shown
from claimtrack.render.text import write_raw
from claimtrack.report import Report


def claims(report: Report, chosen: Sequence[Claim], console: Console) -> None:
    topics, conflicts = report.dataset.topics, report.conflicts

    def internal(claim: Claim) -> bool:
        conflict = conflicts.get(claim.topic)
        return conflict is not None and claim.id in conflict.internal_ids

    # On standard output, which may be a terminal or a CI log, every text cell is shown as the formats for
    # people show it (control and hidden characters as escapes: render/safe.py); `export --format csv` writes
    # the data exactly, to files.
    rows = (claim_row(claim, topics[claim.topic], internal(claim)) for claim in chosen)
    buffer = io.StringIO(newline="")
    write_rows(buffer, CLAIMS, (tuple(shown(cell) if isinstance(cell, str) else cell for cell in row) for row in rows))
    write_raw(console, buffer.getvalue().encode("utf-8", ESCAPE))
    console.file.flush()
