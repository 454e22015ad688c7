"""HTML renderer: Report -> one self-contained page for editors (inline CSS and SVG, optional inline script).

A summary, then a section per topic in conflict (most severe first, resolved ones after) with a range plot of
its claims' intervals, the claims grouped by value and the resolution; then the topics without conflict.
Everything from the data is escaped, and a Content-Security-Policy forbids the page to load anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from claimtrack import __version__
from claimtrack.conflicts import Conflict
from claimtrack.dataset import Claim, Source, Topic, interpret_value
from claimtrack.render import text
from claimtrack.render.plot import LEGEND, escape, range_plot
from claimtrack.report import Report
from claimtrack.values import Interval, ValueSyntaxError

# Budgets that keep a 100,000-claim page one a browser opens (and that say what they left out).
LIST_BUDGET = 5_000  # claim entries listed in conflict sections; later sections show their plot and counts
QUIET_LIST_LIMIT = 5_000  # list the claims of topics without conflict only up to this many claims in all
QUIET_TOPIC_LIMIT = 20_000  # name topics without conflict only up to this many
LONG_PAGE = 200  # sections beyond which the browser is told to lay out only those near the screen

STATUS_WORD = {"unresolved": "Unresolved", "disputed": "Disputed", "resolved": "Resolved", "ok": "No conflict"}
STATUS_MARK = {"unresolved": "✗", "disputed": "◆", "resolved": "✓", "ok": "●"}


def page(report: Report, title: str | None = None) -> str:
    """The whole page as one string."""
    return "".join(_page(report, title))


def _page(report: Report, title: str | None) -> Iterator[str]:
    dataset = report.dataset
    heading = title or f"Claims report: {_name(dataset.folder)}"
    conflicts = _ordered(report)
    yield (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           f"style-src '{_digest(_CSS)}'; script-src '{_digest(_SCRIPT)}'\">\n"
           f"<meta name=\"generator\" content=\"claimtrack {__version__}\">\n"
           f"<title>{escape(heading)}</title>\n<style>{_CSS}</style>\n</head>\n"
           f"<body class=\"{'long' if len(conflicts) > LONG_PAGE else 'short'}\">\n"
           f"<header class=\"page\"><h1>{escape(heading)}</h1></header>\n<main>\n")
    yield _summary(report, conflicts)
    yield _CONTROLS
    listed = 0  # claim entries so far; -1 once a topic was left unlisted: the most severe topics come first
    for conflict in conflicts:
        section, count = _conflict_section(report, conflict, listed)
        listed = -1 if count < 0 or listed < 0 else listed + count
        yield section
    yield _quiet_topics(report)
    yield (f"</main>\n<footer><p>Made by claimtrack {escape(__version__)} from "
           f"<code>{escape(str(dataset.folder))}</code>. Every quote is the source's own words; every value is "
           f"read as an interval (see docs/format.md).</p></footer>\n<script>{_SCRIPT}</script>\n</body>\n</html>\n")


def _digest(inline: str) -> str:
    """The CSP source that allows exactly this inline style or script, and nothing else."""
    import base64
    import hashlib

    return "sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()


def _name(folder: Path) -> str:
    """What the claims are called: the folder's own name, or its repository's when it is just `claims`."""
    resolved = folder.resolve()
    return resolved.parent.name if resolved.name == "claims" and resolved.parent.name else resolved.name


def _ordered(report: Report) -> list[Conflict]:
    """Open topics (unresolved, disputed) most severe first, then resolved ones, most severe first."""
    chosen = report.ordered_conflicts(include_resolved=True)
    return [c for c in chosen if c.status != "resolved"] + [c for c in chosen if c.status == "resolved"]


# --------------------------------------------------------------------------- summary

def _summary(report: Report, conflicts: list[Conflict]) -> str:
    dataset = report.dataset
    by_status = {status: sum(1 for c in conflicts if c.status == status)
                 for status in ("unresolved", "disputed", "resolved")}
    counts = [("claims", len(dataset.claims)), ("sources", len(dataset.sources)), ("topics", len(dataset.topics)),
              ("topics in conflict", len(conflicts))]
    cells = "".join(f"<div><dt>{escape(name)}</dt><dd>{value:,}</dd></div>" for name, value in counts)
    statuses = "".join(f"<li>{_badge(status)} <strong>{count:,}</strong></li>" for status, count in by_status.items())
    problems = len(report.errors)
    warning = (f"<p class=\"warning\" role=\"note\">⚠ {text.plural(problems, 'problem')} in the "
               "claim files: claims in broken files are missing here. Run <code>claimtrack check</code>.</p>"
               if problems else "")
    rows = "".join(_index_row(c) for c in conflicts)
    index = (f"<h3>Topics in conflict, most severe first</h3><table class=\"index\">"
             f"<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Topic</th>"
             f"<th scope=\"col\" class=\"num\">Severity</th><th scope=\"col\" class=\"num\">Claims</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>" if conflicts else "<p>No topic is in conflict.</p>")
    return (f"<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>"
            f"<dl class=\"counts\">{cells}</dl><ul class=\"statuses\">{statuses}</ul>{warning}"
            f"<div class=\"scroll\">{index}</div><p class=\"legend\"><strong>Reading the plots.</strong> "
            f"{escape(LEGEND)}</p></section>\n")


def _index_row(conflict: Conflict) -> str:
    topic = conflict.topic
    return (f"<tr data-status=\"{conflict.status}\" data-topic=\"topic-{escape(topic.key)}\"><td>"
            f"{_badge(conflict.status)}</td>"
            f"<td><a href=\"#topic-{escape(topic.key)}\">{escape(topic.title)}</a> "
            f"<code>{escape(topic.key)}</code></td>"
            f"<td class=\"num\">{escape(text.severity(conflict.severity, topic, conflict.claims))}</td>"
            f"<td class=\"num\">{len(conflict.claims):,}</td></tr>")


def _badge(status: str) -> str:
    return (f"<span class=\"badge {status}\"><span aria-hidden=\"true\">{STATUS_MARK[status]}</span> "
            f"{STATUS_WORD[status]}</span>")


# --------------------------------------------------------------------------- one topic in conflict

def _conflict_section(report: Report, conflict: Conflict, listed: int) -> tuple[str, int]:
    """The section of one topic in conflict, and how many claim entries it listed (-1: none, over budget)."""
    topic = conflict.topic
    claims = report.dataset.by_topic.get(topic.key, ())
    groups = text.value_groups(claims)
    preferred = _preferred(topic)
    unit = f" in {topic.unit}" if topic.unit else ""
    meta = (f"<code>{escape(topic.key)}</code> · {escape(topic.kind)}{escape(unit)} · severity "
            f"{escape(text.severity(conflict.severity, topic, conflict.claims))} · {len(conflict.claim_ids):,} of "
            f"{text.plural(len(claims), 'claim')} in conflict")
    parts = [(f"<section class=\"topic\" id=\"topic-{escape(topic.key)}\" data-status=\"{conflict.status}\" "
             f"aria-labelledby=\"h-{escape(topic.key)}\">"),
             f"<h2 id=\"h-{escape(topic.key)}\">{_badge(conflict.status)} {escape(topic.title)}</h2>",
             f"<p class=\"meta\">{meta}</p>",
             range_plot(topic, groups, conflict.claim_ids, preferred, _preferred_claims(topic, claims)),
             _resolution(topic, conflict),
             _consensus(report, topic)]
    count = 0
    if listed >= 0 and listed + len(claims) <= LIST_BUDGET:
        listing = "".join(_group(report, topic, group, conflict) for group in groups)
        parts.append(f"<div class=\"groups\">{listing}</div>")
        count = len(claims)
    else:
        count = -1
        parts.append(f"<p class=\"omitted\" role=\"note\">The {len(claims):,} claims of this topic are not listed: "
                     f"this page lists at most {LIST_BUDGET:,} claims, the most severe topics first. "
                     f"<code>claimtrack show {escape(topic.key)}</code> lists them.</p>")
    parts.append("</section>\n")
    return "".join(parts), count


def _preferred(topic: Topic) -> Interval | None:
    """The interval of the resolution's preferred value, when it names one that reads under the topic."""
    if topic.resolution is None or not topic.resolution.preferred or topic.kind == "text":
        return None
    try:
        interval, _, _ = interpret_value(topic.resolution.preferred, topic)
    except ValueSyntaxError:
        return None
    return interval


def _preferred_claims(topic: Topic, claims: tuple[Claim, ...]) -> frozenset[str]:
    """Boolean and text topics: the claims that give the preferred answer (marked ★ on the plot)."""
    if topic.resolution is None or not topic.resolution.preferred or topic.kind not in ("boolean", "text"):
        return frozenset()
    try:
        interval, key, _ = interpret_value(topic.resolution.preferred, topic)
    except ValueSyntaxError:
        return frozenset()
    if topic.kind == "boolean":
        return frozenset(c.id for c in claims if c.interval == interval)
    from rapidfuzz import fuzz

    return frozenset(c.id for c in claims if fuzz.ratio(c.text_key or "", key or "") >= topic.similarity)


def _group(report: Report, topic: Topic, group: list[Claim], conflict: Conflict | None) -> str:
    values = sorted({claim.value for claim in group})
    conflicting = conflict is not None and any(claim.id in conflict.claim_ids for claim in group)
    means = "" if topic.kind == "text" else (
        f" <span class=\"means\">means {escape(text.interval(group[0], topic))}</span>")
    mark = ("<span class=\"mark conflict\">✗ in conflict</span>" if conflicting
            else "<span class=\"mark agree\">✓ no conflict</span>")
    head = (f"<h3 class=\"value\"><span class=\"v\">{escape(' · '.join(values))}</span>{means} {mark}</h3>")
    claims = "".join(_claim(report, claim, conflict) for claim in group)
    return f"<div class=\"group{' conflicting' if conflicting else ''}\">{head}{claims}</div>"


def _claim(report: Report, claim: Claim, conflict: Conflict | None) -> str:
    source = report.dataset.sources.get(claim.source)
    facts = []
    if claim.as_of:
        facts.append(f"as of {escape(claim.as_of)}")
    if claim.attributed_to:
        facts.append(f"attributed to {escape(claim.attributed_to)}")
    facts.extend(f"{escape(key)}: {escape(value)}" for key, value in claim.qualifiers)
    opponents, total = conflict.opponents(claim, 8) if conflict else ((), 0)
    flags = ""
    if opponents:
        names = ", ".join(f"<a href=\"#claim-{escape(o.id)}\">{escape(o.id)}</a>" for o in opponents)
        more = f" and {total - 8:,} more" if total > 8 else ""
        flags += f"<p class=\"against\">✗ conflicts with {names}{more}</p>"
    if conflict is not None and claim.id in conflict.internal_ids:
        flags += "<p class=\"internal\">⚠ internal inconsistency: the source contradicts itself</p>"
    note = f"<p class=\"note\">Note: {escape(claim.note)}</p>" if claim.note else ""
    location = claim.location
    where = f"{location.path}:{location.line}" if location.line else str(location.path)
    facts_line = f"<p class=\"facts\">{' · '.join(facts)}</p>" if facts else ""
    return (f"<article class=\"claim\" id=\"claim-{escape(claim.id)}\" data-claim=\"{escape(claim.id)}\">"
            f"<blockquote>“{escape(claim.quote)}”</blockquote>"
            f"<p class=\"cite\">{_cite(source, claim.source)} <code class=\"id\">{escape(claim.id)}</code></p>"
            f"{facts_line}{flags}{note}"
            f"<p class=\"where\">{escape(where)}</p></article>")


def _cite(source: Source | None, source_id: str) -> str:
    """The source's title, linked to its url when that is a web address, with publisher and date."""
    if source is None:
        return f"<span class=\"src\">{escape(source_id)}</span>"
    name = escape(source.title)
    if source.url and source.url.lower().startswith(("https://", "http://")):
        name = f"<a href=\"{escape(source.url)}\" rel=\"noopener noreferrer\">{name}</a>"
    extra = ", ".join(escape(part) for part in (source.publisher, source.published) if part)
    return f"<span class=\"src\">{name}{' — ' + extra if extra else ''}</span>"


def _resolution(topic: Topic, conflict: Conflict) -> str:
    resolution = topic.resolution
    if resolution is None:
        return ("<div class=\"resolution none\"><p><strong>No resolution recorded.</strong> "
                f"<code>claimtrack resolve {escape(topic.key)}</code> records one.</p></div>")
    parts = [(f"<div class=\"resolution {escape(resolution.status)}\"><p><strong>Resolution: "
             f"{escape(resolution.status)}</strong>")]
    if resolution.preferred:
        parts.append(f" — preferred value <strong class=\"preferred\">{escape(resolution.preferred)}</strong>")
    parts.append("</p>")
    if resolution.note:
        parts.append(f"<p class=\"note\">{escape(resolution.note)}</p>")
    if conflict.status == "unresolved" and conflict.uncovered:
        uncovered = ", ".join(f"<code>{escape(cid)}</code>" for cid in conflict.uncovered)
        parts.append(f"<p class=\"reopened\">✗ Re-opened: the resolution does not cover {uncovered}.</p>")
    parts.append("</div>")
    return "".join(parts)


def _consensus(report: Report, topic: Topic) -> str:
    """What the independent evidence supports, scope by scope (the consensus command's verdicts)."""
    lines = []
    for verdict in report.consensus.by_topic.get(topic.key, ()):
        scope = verdict.scope
        where = f" ({escape(text.scope_label(scope))})" if text.scope_label(scope) else ""
        origins = text.plural(verdict.origins, "independent origin")
        if verdict.lone:
            body = f"{escape(scope.claims[0].value)} — a lone claim, nothing to weigh it against"
        elif verdict.best is None or verdict.representative is None:
            body = (f"<strong>a tie</strong>: {escape(text.tied_values(verdict))} — the evidence of {origins} is "
                    "evenly split")
        else:
            means = ("" if verdict.best.interval is None or topic.kind not in ("quantity", "date") else
                     f" <span class=\"means\">means {escape(text.interval_text(verdict.best.interval, topic))}</span>")
            body = (f"<strong>{escape(verdict.representative.value)}</strong>{means} — support {verdict.support} "
                    f"of {origins}, {escape(text.confidence(verdict.confidence))} confident"
                    + (f"; against: {escape('; '.join(verdict.against))}" if verdict.against else "")
                    + (" <em>(weak: it rests on the sources' track records, not on agreement)</em>"
                       if verdict.weak else ""))
        lines.append(f"<p class=\"consensus\"><strong>Consensus{where}:</strong> {body}</p>")
    return "".join(lines)


# --------------------------------------------------------------------------- topics without conflict

def _quiet_topics(report: Report) -> str:
    dataset = report.dataset
    quiet = [topic for topic in dataset.topics.values() if topic.key not in report.conflicts]
    if not quiet:
        return ""
    head = (f"<section id=\"no-conflict\" aria-labelledby=\"nc-h\"><h2 id=\"nc-h\">{_badge('ok')} "
            f"{text.plural(len(quiet), 'topic')} without conflict</h2>")
    if len(quiet) > QUIET_TOPIC_LIMIT:
        return (f"{head}<p class=\"omitted\" role=\"note\">Left out of this page: {len(quiet):,} topics is more than "
                f"it can hold. <code>claimtrack topics</code> lists them.</p></section>\n")
    with_claims = len(dataset.claims) <= QUIET_LIST_LIMIT
    note = "" if with_claims else (
        f"<p class=\"omitted\" role=\"note\">Their claims are left out of this page: the data set holds "
        f"{len(dataset.claims):,} claims, more than the {QUIET_LIST_LIMIT:,} this part lists. "
        "<code>claimtrack show KEY</code> lists a topic's claims.</p>")
    items = "".join(_quiet_topic(report, topic, with_claims) for topic in quiet)
    return f"{head}{note}<ul class=\"quiet\">{items}</ul></section>\n"


def _quiet_topic(report: Report, topic: Topic, with_claims: bool) -> str:
    claims = report.dataset.by_topic.get(topic.key, ())
    label = (f"{escape(topic.title)} <code>{escape(topic.key)}</code> "
             f"<span class=\"count\">{text.plural(len(claims), 'claim')}</span>")
    if not with_claims or not claims:
        return f"<li id=\"topic-{escape(topic.key)}\" data-status=\"ok\">{label}</li>"
    listed = "".join(_group(report, topic, group, None) for group in text.value_groups(claims))
    return (f"<li id=\"topic-{escape(topic.key)}\" data-status=\"ok\"><details><summary>{label}</summary>"
            f"{listed}</details></li>")


_CONTROLS = ("<div class=\"controls\" hidden>\n<label>Find <input type=\"search\" id=\"q\" "
             "placeholder=\"topic, source, quote…\" autocomplete=\"off\"></label>\n<fieldset><legend>Show</legend>\n"
             + "".join(f"<label><input type=\"checkbox\" value=\"{status}\" checked> {STATUS_MARK[status]} "
                       f"{STATUS_WORD[status]}</label>\n" for status in STATUS_WORD)
             + "</fieldset><output id=\"shown\" aria-live=\"polite\"></output></div>\n")

# Without it the page shows everything; with it, the controls appear. A topic is shown when its status is
# ticked and its text holds every word searched for (dashes alike); the index follows the sections.
_SCRIPT = """(function () {
  var controls = document.querySelector('.controls');
  if (!controls) return;
  controls.hidden = false;
  var search = document.getElementById('q'), shown = document.getElementById('shown');
  var boxes = Array.prototype.slice.call(controls.querySelectorAll('input[type=checkbox]'));
  var items = Array.prototype.slice.call(document.querySelectorAll('section.topic, ul.quiet > li'));
  var quiet = document.getElementById('no-conflict');
  var dashes = /[\u2010-\u2015\u2212]/g;
  var texts = new Map();
  function textOf(item) {
    if (!texts.has(item)) texts.set(item, item.textContent.toLowerCase().replace(dashes, '-'));
    return texts.get(item);
  }
  var timer = null;
  function apply() {
    var words = search.value.toLowerCase().replace(dashes, '-').split(/\\s+/).filter(Boolean);
    var wanted = {};
    boxes.forEach(function (box) { wanted[box.value] = box.checked; });
    var count = 0, quietShown = 0;
    items.forEach(function (item) {
      var text = words.length ? textOf(item) : '';
      var visible = wanted[item.dataset.status] && words.every(function (w) { return text.indexOf(w) >= 0; });
      item.hidden = !visible;
      if (visible) { count++; if (item.tagName === 'LI') quietShown++; }
    });
    if (quiet) quiet.hidden = quietShown === 0;
    document.querySelectorAll('table.index tbody tr').forEach(function (row) {
      var target = document.getElementById(row.dataset.topic);
      row.hidden = !target || target.hidden;
    });
    shown.textContent = count + ' of ' + items.length + ' topics shown';
  }
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  var folded = [];  // a printed page shows every claim: open the folds, and close them again after
  window.addEventListener('beforeprint', function () {
    folded = Array.prototype.slice.call(document.querySelectorAll('details:not([open])'));
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () { folded.forEach(function (d) { d.open = false; }); });
})();"""

_CSS = """
:root { --ink: #1b1b1f; --muted: #5b5b66; --rule: #d9d9e0; --paper: #fff; --tint: #f5f5f8;
  --unresolved: #b3261e; --disputed: #8a5300; --resolved: #1d6b35; --ok: #5b5b66; --agree: #3b5b9a; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.page, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
header.page h1 { font-size: 1.6rem; margin: 1.5rem 0 .5rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h3 { font-size: 1rem; margin: 0 0 .4rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em;
  overflow-wrap: anywhere; }
a { color: #1a4f9c; }
section { margin: 1.75rem 0; }
section.topic, article.claim, ul.quiet > li, #no-conflict { scroll-margin-top: 6rem; }  /* below the sticky bar */
section.topic, #no-conflict { border-top: 3px solid var(--rule); padding-top: 1rem; }
/* a long page lays out only the sections near the screen (17 s -> 2 s to open 3,800 sections) */
body.long section.topic { content-visibility: auto; contain-intrinsic-size: auto 900px; }
.meta, .where, .count, .means, footer { color: var(--muted); }
.meta { margin: 0 0 .75rem; font-size: .9rem; }
dl.counts { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: .5rem 0; }
dl.counts div { min-width: 7rem; }
dl.counts dt { color: var(--muted); font-size: .85rem; }
dl.counts dd { margin: 0; font-size: 1.6rem; font-weight: 600; }
ul.statuses { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
.badge { display: inline-block; padding: 0 .45em; border: 2px solid; border-radius: 3px; font-size: .8rem;
  font-weight: 700; letter-spacing: .02em; text-transform: uppercase; vertical-align: .15em; white-space: nowrap; }
.badge.unresolved { color: var(--unresolved); border-style: solid; background: #fbeceb; }
.badge.disputed { color: var(--disputed); border-style: dashed; background: #fdf3e2; }
.badge.resolved { color: var(--resolved); border-style: double; border-width: 3px; background: #e9f5ec; }
.badge.ok { color: var(--ok); border-style: dotted; }
.scroll { overflow-x: auto; }
table.index { border-collapse: collapse; width: 100%; font-size: .95rem; }
table.index th, table.index td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--rule);
  vertical-align: top; }
table.index .num { text-align: right; white-space: nowrap; }
.controls { position: sticky; top: 0; z-index: 1; background: var(--paper); border-bottom: 1px solid var(--rule);
  padding: .5rem 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
.controls[hidden] { display: none; }
.controls fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .9rem; }
.controls legend { float: left; margin-right: .5rem; font-weight: 600; }
.controls input[type=search] { font: inherit; padding: .25rem .5rem; width: 16rem; max-width: 100%; }
.controls output { color: var(--muted); font-size: .9rem; }
figure.plot { margin: .5rem 0 1rem; }
figure.plot > svg { display: block; width: 100%; overflow: hidden; }
figure.plot figcaption, .legend { font-size: .85rem; color: var(--muted); }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg .tick text { fill: var(--muted); }
svg .tick line { stroke: #e6e6ec; }
svg .axis { stroke: #888; }
svg .conflict .bar { fill: var(--unresolved); stroke: var(--unresolved); }
svg .agree .bar { fill: #dfe6f5; stroke: var(--agree); }
svg .cap { stroke-width: 2.5px; }
svg .conflict .cap, svg .conflict .arrow { stroke: var(--unresolved); fill: var(--unresolved); }
svg .agree .cap, svg .agree .arrow { stroke: var(--agree); fill: var(--agree); }
svg .open { fill: var(--paper); stroke-width: 2; }
svg .conflict .open { stroke: var(--unresolved); }
svg .agree .open { stroke: var(--agree); }
svg .preferred line { stroke: var(--resolved); stroke-width: 2; stroke-dasharray: 5 3; }
svg .preferred rect { fill: var(--resolved); fill-opacity: .12; }
svg .preferred text { fill: var(--resolved); font-weight: 600; }
.group { margin: 0 0 1rem; padding: .5rem .75rem; border-left: 4px solid var(--agree); background: var(--tint); }
.group.conflicting { border-left: 4px solid var(--unresolved); }
.value .v { font-size: 1.05rem; }
.value .means { font-weight: 400; font-size: .9rem; margin-left: .25rem; }
.mark { font-size: .8rem; font-weight: 700; margin-left: .4rem; white-space: nowrap; }
.mark.conflict { color: var(--unresolved); }
.mark.agree { color: var(--agree); }
article.claim { margin: .5rem 0 .75rem; }
article.claim + article.claim { border-top: 1px dashed var(--rule); padding-top: .5rem; }
blockquote { margin: 0 0 .25rem; font-style: italic; overflow-wrap: anywhere; }
.cite, .facts, .against, .internal, .where, .note { margin: 0; font-size: .9rem; overflow-wrap: anywhere; }
.cite code.id { color: var(--muted); margin-left: .25rem; }
.against, .reopened { color: var(--unresolved); }
.internal { color: #7a1f7a; font-weight: 600; }
.where { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem; }
.resolution { margin: .25rem 0 1rem; padding: .5rem .75rem; border: 1px solid var(--rule); border-radius: 4px; }
.resolution p { margin: .2rem 0; }
p.consensus { margin: .25rem 0 1rem; padding: .4rem .75rem; border-left: 4px double var(--ink); font-size: .95rem; }
.resolution.none { border-style: dashed; color: var(--muted); }
.omitted, .warning { padding: .5rem .75rem; border: 1px dashed var(--disputed); background: #fdf3e2; }
ul.quiet { list-style: none; padding: 0; }
ul.quiet > li { padding: .3rem 0; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
ul.quiet summary { cursor: pointer; }
footer { margin: 2rem auto; font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
[hidden] { display: none !important; }
@media (max-width: 600px) {
  header.page, main, footer { padding: 0 .75rem; }
  header.page h1 { font-size: 1.3rem; }
  h2 { font-size: 1.1rem; }
  dl.counts dd { font-size: 1.3rem; }
  .group { padding: .4rem .5rem; }
  table.index thead { display: none; }
  table.index, table.index tbody { display: block; }
  table.index tr { display: grid; grid-template-columns: auto 1fr; gap: .1rem .75rem; padding: .4rem 0;
    border-bottom: 1px solid var(--rule); }
  table.index td { display: block; border: 0; padding: 0; }
  table.index td:nth-child(2) { grid-column: 1 / -1; grid-row: 2; }
  table.index td:last-child { display: none; }
  .controls { position: static; }  /* on a phone the bar would cover a third of the screen */
  section.topic, article.claim, ul.quiet > li, #no-conflict { scroll-margin-top: .5rem; }
}
@media print {
  .controls { display: none !important; }
  body.long section.topic { content-visibility: visible; }
  body { font-size: 11pt; }
  header.page, main, footer { max-width: none; padding: 0; }
  figure.plot, article.claim, .resolution, h2, h3 { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
  .cite a[href]::after { content: " <" attr(href) ">"; font-size: .8em; overflow-wrap: anywhere; }
  .group, .badge, .omitted, .warning { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
