"""The shipped data set: every quote is verbatim in its seed document, and `check` passes on it."""

from __future__ import annotations

from pathlib import Path

from claimtrack.dataset import load_folder
from claimtrack.report import analyze

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "claims"
SEEDS = Path(__file__).parent / "fixtures" / "seeds"  # the five seed documents as they were given


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_quote_is_verbatim_in_its_seed_document() -> None:
    dataset = load_folder(CLAIMS)
    assert len(list(SEEDS.glob("*.txt"))) == 5, f"the seed documents are missing from {SEEDS}"
    seeds = {_flat(path.read_text(encoding="utf-8")): path.name for path in SEEDS.glob("*.txt")}
    missing = []
    for source in dataset.sources.values():
        assert source.text is not None, f"{source.id} has no text copy"
        document = _flat(source.text.read_text(encoding="utf-8"))
        assert document in seeds, f"{source.id}: its text copy is not one of the seed documents"
        missing.extend(f"{claim.id} ({seeds[document]}): {claim.quote!r}" for claim in dataset.claims
                       if claim.source == source.id and _flat(claim.quote) not in document)
    assert not missing, "quotes not found verbatim:\n" + "\n".join(missing)
    assert len(dataset.sources) == 5


# A value that is a reading of its quote, not its words: the check says so, and the claim's note explains it.
READINGS = {"kaura-2021/tajik-remittances-from-russia"}  # "billions of dollars" recorded as at least $2 billion


def test_shipped_claims_pass_check() -> None:
    report = analyze(CLAIMS, check=True)
    assert [str(p) for p in report.problems if p.code != "figure-not-in-quote"] == []
    readings = {p.message.split(":", 1)[0] for p in report.problems if p.code == "figure-not-in-quote"}
    assert readings == READINGS
    claims = {claim.id: claim for claim in report.dataset.claims}
    assert all(claims[claim_id].note for claim_id in readings)  # each says how it was read
    assert report.exit_code == 0


def test_shipped_contradictions_are_visible() -> None:
    report = analyze(CLAIMS)
    statuses = {key: conflict.status for key, conflict in report.conflicts.items()}
    assert statuses["border-length"] == "disputed"
    assert statuses["tajik-share-of-afghan-population"] == "disputed"
    border = report.conflicts["border-length"]
    assert {c.value for c in border.claims} == {"1,344 km", "1,374 km", "more than 1,400 km"}
    share = report.conflicts["tajik-share-of-afghan-population"]
    assert "boltaev-2023/tajik-share-rahmon" not in share.claim_ids  # "more than a quarter" agrees with 46%
    assert all(c.status in ("disputed", "resolved") for c in report.conflicts.values())
