"""Evidence is checked where a user meets it: `add` refuses an empty quote and warns when the value's figure is
not in the quote (issue 18, item 2), through the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ClaimsFactory, source


def _claimtrack(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimtrack", *args, "--dir", str(folder)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"}, check=False)


def test_add_refuses_an_empty_quote(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: refugees\nvalue: "6,000"\nquote: 6,000 people')})
    before = (folder / "a.yaml").read_bytes()
    for quote in ("", "   "):
        done = _claimtrack(folder, "add", "-s", "a", "-t", "refugees", "-v", "7,000", "-q", quote)
        assert done.returncode == 2 and "[empty-quote]" in done.stderr and "nothing was written" in done.stderr
    assert (folder / "a.yaml").read_bytes() == before


def test_add_writes_a_claim_whose_figure_is_not_in_its_quote_and_says_so(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={"a.yaml": source("a", 'topic: capital\nvalue: Dushanbe\nquote: in Dushanbe')})
    done = _claimtrack(folder, "add", "-s", "a", "-t", "refugees", "-v", "9,000", "-q", "about 6,000 troops",
                       "--id", "troops")
    assert done.returncode == 0, done.stderr
    assert "9,000" in (folder / "a.yaml").read_text()
    checked = _claimtrack(folder, "check")
    assert checked.returncode == 0  # a warning does not fail the gate
    assert "a/troops: the value '9,000' has 9,000, which its quote does not say" in checked.stdout
    assert "[figure-not-in-quote]" in checked.stdout
