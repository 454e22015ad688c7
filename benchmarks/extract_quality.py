"""Recall and precision of `claimtrack extract` against the shipped data set.

Ground truth: every claim in claims/ whose topic is a quantity or a date (the figures and dates the five
documents state), each with its source's local text copy. A claim is *found* when a candidate from the same
document has a sentence overlapping the claim's quote and shares a number, month or year with its value.
Precision is the share of candidates that find some claim. Run: python benchmarks/extract_quality.py [-v]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from claimtrack.dataset import load_folder
from claimtrack.extract import Candidate, document_text, extract_candidates

ROOT = Path(__file__).resolve().parent.parent
_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
          "nine": "9", "ten": "10", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
          "quarter": "quarter", "half": "half", "third": "third", "thirds": "third", "dozen": "12"}


def tokens(value: str) -> set[str]:
    lowered = value.lower()
    found = {t.replace(",", "") for t in re.findall(r"\d[\d,]*(?:\.\d+)?", lowered)}
    found |= {_WORDS[w] for w in re.findall(r"[a-z]+", lowered) if w in _WORDS}
    found |= {m[:3] for m in re.findall(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", lowered)}
    found |= {w.rstrip("s") for w in re.findall(r"(?:thousand|million|billion)s?", lowered)}
    return found


def _flat(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


def _undated(value: str, quote: str) -> bool:
    return value.startswith("by ") and not tokens(value) & tokens(quote)


def matches(claim_quote: str, claim_value: str, kind: str, candidate: Candidate) -> bool:
    """Same sentence, and a shared number/month/year — or, for a date the document states in relative terms
    ("last summer", "in October"), any date candidate of that sentence."""
    quote, sentence = _flat(claim_quote), _flat(candidate.quote)
    if quote not in sentence and sentence not in quote:
        return False
    wanted = tokens(claim_value)
    if not wanted or wanted & tokens(candidate.value):
        return True
    return kind == "date" and candidate.kind == "date" and not (wanted & tokens(candidate.quote))


def main() -> int:
    verbose = "-v" in sys.argv
    dataset = load_folder(ROOT / "claims")
    total = found = candidates_total = candidates_matched = 0
    undated: list[str] = []
    for source in dataset.sources.values():
        if source.text is None:
            continue
        text, lines = document_text(source.text, source.text.read_text(encoding="utf-8"))
        candidates = extract_candidates(text, dataset.topics, lines)
        figures = [c for c in dataset.claims if c.source == source.id
                   and dataset.topics[c.topic].kind in ("quantity", "date")]
        # "by 2025-10-28" for an event the document tells without any date: the data set's bound, not a date
        # the document states, so it is reported apart and not counted.
        truth = [c for c in figures if not _undated(c.value, c.quote)]
        undated.extend(claim.id for claim in figures if claim not in truth)
        kinds = {c.id: dataset.topics[c.topic].kind for c in truth}
        hit = [c for c in truth if any(matches(c.quote, c.value, kinds[c.id], k) for k in candidates)]
        used = [k for k in candidates if any(matches(c.quote, c.value, kinds[c.id], k) for c in truth)]
        total, found = total + len(truth), found + len(hit)
        candidates_total, candidates_matched = candidates_total + len(candidates), candidates_matched + len(used)
        print(f"{source.id:18} claims {len(truth):3}  found {len(hit):3}  candidates {len(candidates):3}  "
              f"useful {len(used):3}")
        if verbose:
            for claim in truth:
                if claim not in hit:
                    print(f"    missed {claim.id}: {claim.value!r} — {claim.quote[:90]!r}")
    print(f"not counted (event undated in the text, bounded by the publication date): {', '.join(undated)}")
    print(f"recall {found}/{total} = {found / max(total, 1):.1%}; "
          f"precision {candidates_matched}/{candidates_total} = {candidates_matched / max(candidates_total, 1):.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
