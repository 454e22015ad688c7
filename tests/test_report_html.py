"""`claimtrack report`: the HTML page's content, checked on the markup (here) and in a real browser (below)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.render import html
from claimtrack.report import analyze
from tests.conftest import ClaimsFactory, source

SHIPPED = Path(__file__).resolve().parent.parent / "claims"

BORDER = {
    "a.yaml": source("a", "{topic: border-length, value: '1,344 km', quote: 'a border of 1,344 km'}",
                     "{topic: event-date, value: April 2023, quote: 'in April 2023'}"),
    "b.yaml": source("b", "{topic: border-length, value: '1,374 km', quote: 'a 1,374-kilometer border'}",
                     "{topic: event-date, value: 2023-09-12, quote: 'on 12 September 2023'}"),
    "c.yaml": source("c", "{topic: border-length, value: 'more than 1,400 km', quote: 'more than 1,400 km'}",
                     "{topic: capital, value: Khorog, quote: 'Khorog, the capital'}",
                     "{topic: refugees, value: '1,000', quote: 'a thousand refugees'}"),
}


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def _section(page: str, key: str) -> str:
    start = page.index(f'id="topic-{key}"')
    return page[start:page.index("</section>", start)]


def test_a_section_with_a_plot_per_topic_in_conflict_most_severe_first(make_claims: ClaimsFactory) -> None:
    report = analyze(make_claims(files=BORDER))
    page = html.page(report)
    sections = re.findall(r'<section class="topic" id="topic-([^"]+)" data-status="(\w+)"', page)
    assert sections == [("event-date", "unresolved"), ("border-length", "unresolved")]  # 135 days > 4.0 %
    for key, _ in sections:
        assert _section(page, key).count("<figure class=\"plot\"><svg") == 1
    assert "UNRESOLVED" in page.upper() and "✗" in page  # the status in words and a shape, not colour alone
    ids = {claim.id for claim in report.dataset.claims}
    found = {attrs["data-claim"] for tag, attrs in _parse(page).tags if tag == "article"}
    assert found == ids  # every claim is on the page, the agreeing ones too


def test_plot_draws_open_ends_as_arrows_narrow_values_as_dots_ticks_in_units(make_claims: ClaimsFactory) -> None:
    page = html.page(analyze(make_claims(files=BORDER)))
    border = _section(page, "border-length")
    assert border.count('class="arrow"') == 1  # "more than 1,400 km" runs off to the right
    assert 'class="open"' in border  # … from an open end at 1,400
    assert re.search(r'<text [^>]*>1,400 km</text>', border)  # tick labels in the topic's unit
    dates = _section(page, "event-date")
    assert re.search(r'<text [^>]*>(Apr|May|Jun|Jul|Aug|Sep) 2023</text>', dates)  # a time axis, in months
    assert re.search(r'<circle class="bar"', dates)  # 12 September 2023 is one day: a dot at this scale


def test_resolved_topics_come_after_open_ones_with_their_preferred_value(make_claims: ClaimsFactory) -> None:
    topics = """
    topics:
      border-length:
        title: Length of the border
        unit: km
        resolution:
          status: explained
          preferred: 1,344 km
          note: The official figure.
          covers: [a/border-length, b/border-length, c/border-length]
      event-date: {title: When, kind: date}
      capital: {title: Capital, kind: text}
      refugees: {title: Refugees}
    """
    page = html.page(analyze(make_claims(topics, BORDER)))
    keys = re.findall(r'<section class="topic" id="topic-([^"]+)"', page)
    assert keys == ["event-date", "border-length"]
    border = _section(page, "border-length")
    assert 'class="preferred"' in border and "preferred: 1,344 km" in border
    assert "The official figure." in border and "Resolution: explained" in border


def test_data_is_escaped_and_only_web_links_are_links(make_claims: ClaimsFactory) -> None:
    hostile = """
    source:
      id: evil
      title: "<script>alert(1)</script>"
      url: "javascript:alert(1)"
    claims:
      - {topic: border-length, value: '9 km', quote: '<img src=x onerror=alert(1)> & \"quoted\"'}
    """
    page = html.page(analyze(make_claims(files={**BORDER, "evil.yaml": hostile})))
    parsed = _parse(page)
    assert [tag for tag, _ in parsed.tags if tag == "img"] == []
    assert [tag for tag, _ in parsed.tags].count("script") == 1  # the page's own filter script
    assert not any((attrs.get("href") or "").startswith("javascript:") for _, attrs in parsed.tags)
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "unsafe-inline" not in page  # only the page's own style and script, by their hashes


def test_no_resource_is_loaded_from_anywhere(make_claims: ClaimsFactory) -> None:
    page = html.page(analyze(SHIPPED))
    for tag, attrs in _parse(page).tags:
        assert "src" not in attrs, tag
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
    assert "url(" not in page.split("<style>")[1].split("</style>")[0]
    assert "@import" not in page and "@font-face" not in page


def test_a_large_data_set_says_what_it_left_out(make_claims: ClaimsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "LIST_BUDGET", 3)
    monkeypatch.setattr(html, "QUIET_LIST_LIMIT", 2)
    page = html.page(analyze(make_claims(files=BORDER)))
    assert "are not listed: this page lists at most 3 claims" in _section(page, "border-length")
    assert "Their claims are left out of this page" in page
    assert len(re.findall(r"<figure class=\"plot\">", page)) == 2  # every topic in conflict keeps its plot


@pytest.mark.parametrize(("start", "end", "unit"), [(0, 11.2, None), (0, 1.2, "km"), (-3, 3, "%"), (1e6, 2.6e6, "USD"),
                                                    (1343.2, 1490, "km"), (0.001, 0.0023, None)])
def test_every_tick_label_says_its_own_value(start: float, end: float, unit: str | None) -> None:
    from claimtrack.render.plot import _number_ticks

    ticks = _number_ticks(start, end, unit)
    assert len(ticks) >= 3
    for value, label in ticks:
        number = label.replace("−", "-").replace(",", "").replace("%", "").split()[0]
        scale = {"mn": 1e6, "bn": 1e9, "tn": 1e12}.get(label.split()[1] if len(label.split()) > 1 else "", 1)
        assert float(number) * scale == pytest.approx(value), label


def _bar_positions(page: str, key: str) -> dict[str, tuple[float, float]]:
    """Each row's label -> (left, right) of its bar or dot, in percent of the width."""
    found = {}
    for row in re.findall(r'<g class="row [a-z]+">(.*?)</g>', _section(page, key)):
        label = re.search(r"<text [^>]*>(.*?)</text>", row).group(1)  # type: ignore[union-attr]
        bar = re.search(r'<rect class="bar" x="([\d.]+)%" width="([\d.]+)%"', row)
        dot = re.search(r'<circle class="bar" cx="([\d.]+)%"', row)
        if bar:
            found[label] = (float(bar.group(1)), float(bar.group(1)) + float(bar.group(2)))
        elif dot:
            found[label] = (float(dot.group(1)), float(dot.group(1)))
    return found


def _tick_scale(page: str, key: str) -> tuple[float, float]:
    """(percent per unit, percent at zero) from two tick marks of a plain-number axis."""
    marks = re.findall(r'<g class="tick"><line x1="([\d.]+)%".*?>([^<]+)</text></g>', _section(page, key))
    ticks = [(float(x), float(label.replace(",", "").split()[0])) for x, label in marks]
    (x1, v1), (x2, v2) = ticks[0], ticks[-1]
    per_unit = (x2 - x1) / (v2 - v1)
    return per_unit, x1 - v1 * per_unit


def test_bars_sit_where_the_axis_says(make_claims: ClaimsFactory) -> None:
    files = {"a.yaml": source("a", "{topic: refugees, value: '1,000 to 2,000', quote: q}",
                              "{topic: refugees, value: '5,000', quote: q2}"),
             "b.yaml": source("b", "{topic: refugees, value: 'about 8,000', quote: q}")}
    page = html.page(analyze(make_claims(files=files)))
    per_unit, zero = _tick_scale(page, "refugees")
    bars = _bar_positions(page, "refugees")
    expected = {"1,000 to 2,000": (500, 2500), "5,000": (4500, 5500), "about 8,000": (7200, 8800)}
    for value, (low, high) in expected.items():
        left, right = next(span for label, span in bars.items() if value in label)
        assert left == pytest.approx(zero + low * per_unit, abs=0.02)
        assert right == pytest.approx(zero + high * per_unit, abs=0.02)


@pytest.mark.parametrize("values", [("9999", "9990"), ("0800", "5000"), ("2023-09-01", "before 2020")])
def test_date_axes_hold_at_the_ends_of_the_calendar(make_claims: ClaimsFactory, values: tuple[str, str]) -> None:
    files = {f"{sid}.yaml": source(sid, f"{{topic: event-date, value: '{value}', quote: q}}")
             for sid, value in zip("ab", values, strict=True)}
    page = html.page(analyze(make_claims(files=files)))
    ticks = re.findall(r'<g class="tick"><line x1="([\d.]+)%"', _section(page, "event-date"))
    assert ticks and all(0 <= float(x) <= 100 for x in ticks)


def test_many_values_keep_the_conflicting_extremes_on_the_plot(make_claims: ClaimsFactory) -> None:
    from claimtrack.render import plot

    claims = [f"{{topic: border-length, value: '{100 + n} km', quote: q{n}}}" for n in range(plot.MAX_ROWS + 20)]
    claims.append("{topic: border-length, value: '5,000 km', quote: far}")
    page = html.page(analyze(make_claims(files={"a.yaml": source("a", claims[0]), "b.yaml": source("b", *claims[1:])})))
    border = _section(page, "border-length")
    assert "5,000 km" in re.sub(r"<title>.*?</title>", "", border)  # drawn, not only counted
    assert f"{plot.MAX_ROWS} of {plot.MAX_ROWS + 21} values" in border
    assert "21 more values not drawn" in border


def test_report_command_writes_the_file_and_says_so(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    folder = make_claims(files=BORDER)
    target = tmp_path / "out.html"
    result = CliRunner().invoke(app, ["report", "--dir", str(folder), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stdout
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # an ordinary new file, not a private temporary


def test_report_to_standard_output(make_claims: ClaimsFactory) -> None:
    result = CliRunner().invoke(app, ["report", "--dir", str(make_claims(files=BORDER)), "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")


@pytest.mark.parametrize("where", ["missing-folder/out.html", "."])
def test_an_unwritable_target_is_a_usage_error(make_claims: ClaimsFactory, tmp_path: Path, where: str) -> None:
    script = Path(sys.executable).with_name("claimtrack")
    done = subprocess.run([str(script), "report", "--dir", str(make_claims(files=BORDER)), "-o", where],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "cannot write" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


# --------------------------------------------------------------------------- in a real browser

CHROMIUM = os.environ.get("CLAIMTRACK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip(f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM} (apt-get install chromium, "
                    "or set CLAIMTRACK_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shipped_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html.page(analyze(SHIPPED)), encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [1280, 390])
def test_the_shipped_report_in_chromium(browser, shipped_page: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    report = analyze(SHIPPED)
    page = browser.new_page(viewport={"width": width, "height": 900})
    messages: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(shipped_page.as_uri())
    in_conflict = sorted(report.conflicts)
    sections = page.eval_on_selector_all(
        "section.topic", "nodes => nodes.map(n => [n.id, n.querySelectorAll(':scope > figure > svg').length])")
    assert sorted(sections) == sorted([f"topic-{key}", 1] for key in in_conflict)
    on_page = set(page.eval_on_selector_all("[data-claim]", "nodes => nodes.map(n => n.dataset.claim)"))
    assert on_page == {claim.id for claim in report.dataset.claims}
    assert requests == [shipped_page.as_uri()]  # nothing but the page itself
    assert [m for m in messages if m.startswith(("error", "pageerror", "warning"))] == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=str(shipped_page.with_name(f"report-{width}.png")), full_page=True)
    page.close()


def test_filters_hide_topics_by_status_and_by_words(browser, shipped_page: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(shipped_page.as_uri())
    assert page.is_visible(".controls")  # hidden until the script runs: without it the page shows everything
    page.fill("#q", "border 1,374")  # every word, anywhere in the topic's section
    page.locator("#topic-tajik-share-of-afghan-population").wait_for(state="hidden")
    assert page.is_visible("#topic-border-length")
    assert page.eval_on_selector_all("table.index tbody tr:not([hidden])", "rows => rows.length") == 1
    assert not page.is_visible("#no-conflict")  # none of its topics matches
    page.fill("#q", "Tajikistan-Afghanistan")  # a hyphen finds the title's en dash
    page.locator("#topic-border-length").wait_for(state="visible")
    page.fill("#q", "")
    page.uncheck(".controls input[value=disputed]")
    page.locator("#topic-border-length").wait_for(state="hidden")
    assert page.is_visible("#topic-tajik-taliban-thaw-began")  # resolved ones stay
    page.close()


def test_printed_the_page_drops_the_controls(browser, shipped_page: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(shipped_page.as_uri())
    page.emulate_media(media="print")
    assert not page.is_visible(".controls")
    assert page.is_visible("#topic-border-length figure svg")
    assert len(page.pdf(format="A4")) > 10_000
    page.close()
