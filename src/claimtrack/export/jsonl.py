"""Export stage, JSON Lines: one claim a line, as the JSON claim object of `conflicts --format json`
(render/json.py) with its `topic`, every claim of the data set in file order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimtrack.export import Exported, ExportOptions
from claimtrack.export.tables import internal_claims
from claimtrack.export.target import Target
from claimtrack.render.json import claim_object

if TYPE_CHECKING:
    from claimtrack.report import Report

_BATCH = 2000  # lines per write: one write per line costs more than the encoding at 100,000 claims


def write(report: Report, target: Target, options: ExportOptions) -> Exported:
    """Every claim, one JSON object a line."""
    import orjson

    topics = report.dataset.topics
    internal = internal_claims(report)
    count = 0
    with target.stream() as emit:
        batch: list[bytes] = []
        for claim in report.dataset.claims:
            shown = claim_object(claim, topics[claim.topic], claim.id in internal)
            batch.append(orjson.dumps({"id": claim.id, "topic": claim.topic, **shown}))
            if len(batch) == _BATCH:
                emit(b"\n".join(batch) + b"\n")
                batch.clear()
            count += 1
        if batch:
            emit(b"\n".join(batch) + b"\n")
    return Exported((target.path,) if target.path else (), count, "claim")
