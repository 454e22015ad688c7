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


def test_an_html_text_copy_is_compared_as_extract_reads_it(make_claims: ClaimsFactory) -> None:
    """Entities are decoded and tags dropped on both sides: extract's own quote is found in the page it came
    from, and a quote that is not there is shown at its line in the HTML file."""
    page = ("<html><head><title>x</title></head><body>\n<nav>Home | News</nav>\n"
            "<p>Tajikistan&#8217;s border with Afghanistan is\n 1,344&nbsp;km long &amp; rugged.</p>\n</body></html>\n")
    folder = make_claims(files={
        "texts/a.html": page,
        "a.yaml": "source:\n  id: a\n  title: A\n  text: texts/a.html\nclaims:\n"
                  "  - topic: border-length\n    value: \"1,344 km\"\n"
                  "    quote: \"Tajikistan’s border with Afghanistan is 1,344 km long & rugged\"\n"
                  "  - id: wrong\n    topic: border-length\n    value: \"1,344 km\"\n"
                  "    quote: \"Tajikistan’s frontier with Afghanistan is 1,344 km long\"\n",
    })
    done = _claimtrack(folder, "check")
    found = [line for line in done.stdout.splitlines() if "[quote-not-found]" in line]
    assert len(found) == 1 and "a/wrong" in found[0], done.stdout
    assert "at line 3" in found[0]  # the line of the HTML file the passage starts on


def test_what_extract_writes_is_found_in_its_own_text_copy(make_claims: ClaimsFactory) -> None:
    """`text:` is relative to where the source file goes (claims/sources/), and extract's quotes of an HTML page
    with entities are found by the quote check: the two read the page the same way."""
    import yaml

    folder = make_claims(files={"texts/page.html": (
        "<html><body><nav>Home</nav><p>Tajikistan&#8217;s border with Afghanistan is 1,344&nbsp;km long.</p>"
        "<p>Some 14,000 refugees arrived in 2021.</p></body></html>\n")})
    done = subprocess.run([sys.executable, "-m", "claimtrack", "extract", str(folder / "texts/page.html"), "--dir",
                           str(folder), "--source", "page"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    drafted = yaml.safe_load(done.stdout)
    assert drafted["source"]["text"] == "../texts/page.html"
    for claim in drafted["claims"]:
        claim["topic"] = "refugees" if "refugees" in claim["quote"] else "border-length"
    drafted["claims"] = [c for c in drafted["claims"] if "1,344" in c["value"] or "14,000" in c["value"]]
    assert len(drafted["claims"]) == 2, drafted
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources/page.yaml").write_text(yaml.safe_dump(drafted, allow_unicode=True), encoding="utf-8")
    checked = _claimtrack(folder, "check", "--format", "json")
    codes = [problem["code"] for problem in __import__("json").loads(checked.stdout)["problems"]]
    assert "quote-not-found" not in codes and "missing-text" not in codes and "outside-folder" not in codes, codes


def test_extract_of_a_document_outside_the_claims_folder_says_to_copy_it_in(make_claims: ClaimsFactory,
                                                                           tmp_path: Path) -> None:
    folder = make_claims()
    document = tmp_path / "elsewhere.txt"
    document.write_text("The border is 1,344 km long.\n")
    done = subprocess.run([sys.executable, "-m", "claimtrack", "extract", str(document), "--dir", str(folder)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "\n  text:" not in done.stdout and "copy it to claims/texts/" in done.stdout
