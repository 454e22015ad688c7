"""Terminal renderer (rich): conflict tables grouped by value, a number line per topic, the registries."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from claimtrack.conflicts import Conflict, value_order
from claimtrack.consensus import Verdict
from claimtrack.dataset import Claim, Source, Topic
from claimtrack.render import text
from claimtrack.render.safe import shown
from claimtrack.render.text import write_text
from claimtrack.report import Report

# Everything from the data (and every path) goes into a Text through `shown`, never into a markup string: a
# `[/bold]` in a title is printed as written, an escape sequence as `\x1b`, a newline as `\n` (render/safe.py).

STATUS_STYLE = {"unresolved": "bold red", "disputed": "bold yellow", "resolved": "green", "ok": "dim"}


def _status(status: str) -> Text:
    return Text(status.upper() if status != "ok" else "ok", style=STATUS_STYLE[status])


def _heading(report: Report, topic: Topic, conflict: Conflict | None) -> Text:
    heading = Text.assemble((shown(topic.key), "bold"), "  ", shown(topic.title), "  ",
                            _status(report.status(topic.key)))
    if conflict is not None:
        heading.append(f"  severity {text.severity(conflict.severity, topic, conflict.claims)}")
    return heading


def conflicts(report: Report, chosen: list[Conflict], console: Console) -> None:
    hidden = _hidden_resolved(report, chosen)
    if not chosen:
        console.print(Text("No conflicts." if not hidden else
                           f"No unresolved or disputed topics; {text.conflict_tally((), hidden)}.", style="green"))
        return
    for conflict in chosen:
        topic = conflict.topic
        internal = conflict.internal_ids
        table = Table(show_lines=True, expand=True)
        table.add_column("Value", no_wrap=True, ratio=None)
        table.add_column("Means", no_wrap=True)
        table.add_column("Claims and quotes", ratio=1, overflow="fold")
        groups = text.value_groups(conflict.claims)
        for group in groups:
            values = sorted({shown(claim.value) for claim in group})
            cell = Text()
            for index, claim in enumerate(group):
                if index:
                    cell.append("\n")
                cell.append_text(_claim_line(claim, internal))
                cell.append("\n")
                cell.append(f"“{shown(claim.quote)}”", style="italic")
            table.add_row(Text("\n".join(values)), Text(text.interval(group[0], topic)), cell)
        body: Table | Group = table
        if not _sized(table, console, {2: _widest(shown(claim.id) for claim in conflict.claims)}):
            body = _conflict_blocks(groups, topic, internal)
        parts: list[Text | Table | Group] = [_heading(report, topic, conflict), body]
        if topic.resolution is not None:
            parts.append(_resolution_line(topic, conflict))
        console.print(Group(*parts), crop=False)  # (a line of ids is never cut: see _unwrapped)
        console.print()
    console.print(Text(f"{text.conflict_tally(chosen, hidden)}."))


def _hidden_resolved(report: Report, chosen: list[Conflict]) -> list[Conflict]:
    """The resolved conflicts `conflicts` leaves out when it shows the default view (no --all, no --topic):
    counted in its summary so that the words agree with the totals."""
    if any(conflict.status == "resolved" for conflict in chosen):
        return []  # --all, or --topic naming a resolved topic: every resolved topic asked for is shown
    if [c.topic.key for c in chosen] != [c.topic.key for c in report.ordered_conflicts()]:
        return []  # --topic chose some: the others are left out by that, not for being resolved
    return [conflict for conflict in report.ordered_conflicts(include_resolved=True) if conflict.status == "resolved"]


def _claim_line(claim: Claim, internal: frozenset[str]) -> Text:
    """'ID (per WHO) as of WHEN ⚠ internal inconsistency': the id first, whole."""
    line = Text(shown(claim.id), style="bold")
    if claim.attributed_to:
        line.append(f" (per {shown(claim.attributed_to)})", style="dim")
    if claim.as_of:
        line.append(f" as of {shown(claim.as_of)}", style="dim")
    if claim.id in internal:
        line.append(" ⚠ internal inconsistency", style="bold magenta")
    return line


def _conflict_blocks(groups: list[list[Claim]], topic: Topic, internal: frozenset[str]) -> Group:
    """A conflict's claims by value where its table would cut an id: each value and what it means, then each
    claim's id line (never wrapped) and its quote."""
    parts: list[RenderableType] = []
    for group in groups:
        values = " / ".join(sorted({shown(claim.value) for claim in group}))
        means = text.interval(group[0], topic)
        parts.append(Text.assemble((values, "bold"), f" → {means}" if means != values else ""))
        for claim in group:
            parts.append(_unwrapped(Text.assemble("  ", _claim_line(claim, internal))))
            parts.append(Padding(Text(f"“{shown(claim.quote)}”", style="italic"), (0, 0, 0, 4), expand=False))
    return Group(*parts)


def _resolution_line(topic: Topic, conflict: Conflict | None) -> Text:
    assert topic.resolution is not None
    resolution = topic.resolution
    line = Text(f"Resolution: {shown(resolution.status)}", style="bold")
    if resolution.preferred:
        line.append(f" — preferred {shown(resolution.preferred)}")
    if resolution.note:
        line.append(f" — {shown(resolution.note)}", style="")
    if conflict is not None and conflict.uncovered and conflict.status == "unresolved":
        line.append(f"\nRe-opened: not covered: {shown(', '.join(conflict.uncovered))}", style="bold red")
    return line


def show(report: Report, topic: Topic, console: Console) -> None:
    claims = tuple(sorted(report.dataset.by_topic.get(topic.key, ()), key=value_order))
    conflict = report.conflicts.get(topic.key)
    in_conflict = conflict.claim_ids if conflict else frozenset()
    internal = conflict.internal_ids if conflict else frozenset()
    console.print(_heading(report, topic, conflict))
    details = f"kind: {topic.kind}" + (f", unit: {topic.unit}" if topic.unit else "")
    if topic.aliases:
        details += f", aliases: {', '.join(topic.aliases)}"
    console.print(Text(shown(details), style="dim"))
    if not claims:
        console.print(Text("No claims on this topic yet."))
        return
    drawable = topic.kind in ("quantity", "date")
    bounds = _bounds(claims) if drawable else None
    ids = _widest(shown(claim.id) for claim in claims)
    # the number line gives way to the ids: narrower, then (under 16 cells) left out
    width = min(max(16, min(48, console.width // 3)), console.width - ids - 7)
    if width < 16:
        bounds = None
    table = Table(expand=False, box=None, padding=(0, 1), show_edge=False)
    table.add_column("", no_wrap=True)  # conflict marker: ✗ conflicts, ✓ agrees
    table.add_column("Claim: value → what it means", overflow="fold", ratio=1, min_width=ids)
    if bounds is not None:
        table.add_column(_axis(bounds, topic, width), no_wrap=True, width=width)
    rows: list[tuple[Text, Text, list[Text]]] = []
    for claim in claims:
        marker = Text("✗", style="bold red") if claim.id in in_conflict else Text("✓", style="green")
        lines = [Text.assemble(shown(claim.value), (f" → {text.interval(claim, topic)}", "dim")
                               if topic.kind != "text" else "")]
        lines.extend(Text(shown(extra), style="dim") for extra in (
            f"as of {claim.as_of}" if claim.as_of else "", f"per {claim.attributed_to}" if claim.attributed_to else "",
            ", ".join(f"{k}={v}" for k, v in claim.qualifiers)) if extra)
        if claim.id in internal:
            lines.append(Text("⚠ internal inconsistency", style="bold magenta"))
        rows.append((marker, Text(shown(claim.id), style="bold"), lines))
        cell = Text(shown(claim.id), style="bold")
        for line in lines:
            cell.append("\n  ")
            cell.append_text(line)
        row: list[Text | str] = [marker, cell]
        if bounds is not None:
            style = "red" if claim.id in in_conflict else "green"
            row.append(Text(_bar(claim, bounds, width), style=style))
        table.add_row(*row)
    if ids + 5 <= console.width:
        console.print(table)
    else:  # an id wider than the terminal leaves no room for a table: each claim on lines of its own
        for marker, name, lines in rows:
            _block(console, Text.assemble(marker, " ", name), lines, indent=1)
    console.print()
    console.print(Text("Quotes:", style="bold"))
    whole = ids + 4 > console.width  # (an id wider than a line: the lines holding it are not wrapped)
    for claim in claims:
        console.print(Text.assemble(f"  {shown(claim.id)}: ", (f"“{shown(claim.quote)}”", "italic")), soft_wrap=whole)
    if conflict is not None and len(conflict.pairs) <= PAIRS_LISTED:
        console.print(Text("Conflicting pairs:", style="bold"))
        for pair in conflict.pairs:
            note = " (internal inconsistency)" if pair.internal else ""
            apart = text.severity(pair.severity, topic, (pair.first, pair.second))
            console.print(Text(f"  {shown(pair.first.id)} ✗ {shown(pair.second.id)}: {apart}{note}"), soft_wrap=whole)
    elif conflict is not None:
        _conflicting_groups(conflict, console)
    if topic.resolution is not None:
        console.print(_resolution_line(topic, conflict))
    for verdict in report.consensus.by_topic.get(topic.key, ()):
        console.print(consensus_line(verdict))


PAIRS_LISTED = 50  # `show` lists the pairs up to this many; beyond, one line per value (n values make n²/2 pairs)


def _conflicting_groups(conflict: Conflict, console: Console) -> None:
    """One line per value in conflict: its claims, how many claims they conflict with (the first few named) and
    the most severe of their pairs — as long as the claims, where the pairs would be their square."""
    topic = conflict.topic
    console.print(Text(f"Conflicting pairs: {len(conflict.pairs):,}, too many to list "
                       "(`--format json` lists them); by value:", style="bold"))
    internal = conflict.internal_ids
    lines = []
    for group in text.value_groups(conflict.claims):
        first = group[0]
        named, total = conflict.opponents(first, 3)
        counts = {conflict.opponent_count(claim) for claim in group}
        against = f"{min(counts):,}–{max(counts):,}" if len(counts) > 1 else f"{total:,}"
        others = ", ".join(shown(claim.id) for claim in named) + (" …" if total > len(named) else "")
        who = shown(first.id) if len(group) == 1 else (
            f"{shown(first.id)} and {text.plural(len(group) - 1, 'more claim')}")
        worst = max(conflict.claim_severity(claim) for claim in group)
        flag = " (internal inconsistency)" if any(claim.id in internal for claim in group) else ""
        lines.append(f"  {shown(first.value)} — {who} ✗ {against} claims ({others}); most severe "
                     f"{text.severity(worst, topic)}{flag}")
    console.print(Text("\n".join(lines)), soft_wrap=True)


def consensus_line(verdict: Verdict) -> Text:
    """'Consensus (as of 2022): 1,344 km → [1,343.5, 1,344.5] km — 2 of 3 independent origins, 87% confident'."""
    scope, topic = verdict.scope, verdict.scope.topic
    where = shown(text.scope_label(scope))
    line = Text(f"Consensus{f' ({where})' if where else ''}: ", style="bold")
    if verdict.lone:
        line.append(f"{shown(verdict.scope.claims[0].value)} — a lone claim, nothing to weigh it against", style="")
        return line
    if verdict.best is None or verdict.representative is None:
        line.append(f"a tie: {shown(text.tied_values(verdict))} — the evidence is evenly split", style="yellow")
        return line
    line.append(shown(verdict.representative.value), style="bold green")
    if verdict.best.interval is not None and topic.kind in ("quantity", "date"):
        line.append(f" → {text.interval_text(verdict.best.interval, topic)}", style="dim")
    line.append(f" — {verdict.support} of {text.plural(verdict.origins, 'independent origin')}, "
                f"{text.confidence(verdict.confidence)} confident", style="")
    return line


def consensus(report: Report, topics: list[Topic], console: Console) -> None:
    """Two lines per scope that has more than one claim (every scope of the topics asked for): the topic and
    what the evidence supports, then how strongly and what stands against it. Keys are never cut."""
    found = report.consensus
    verdicts = ([v for topic in topics for v in found.by_topic.get(topic.key, ())] if topics
                else [v for v in found.verdicts if not v.lone])
    if not verdicts:
        console.print(Text("No topic has more than one claim yet: nothing to weigh." if not topics else "No claims."))
    for verdict in verdicts:
        console.print(_consensus_entry(verdict), soft_wrap=False)
    lone = 0 if topics else sum(1 for v in found.verdicts if v.lone)
    if lone:
        console.print(Text(f"{text.plural(lone, 'topic scope')} with a single claim not shown "
                           "(name a topic, or use --format json).", style="dim"))


def _consensus_entry(verdict: Verdict) -> Text:
    scope, topic = verdict.scope, verdict.scope.topic
    entry = Text(shown(topic.key), style="bold")
    where = shown(text.scope_label(scope))
    if where:
        entry.append(f" ({where})", style="dim")
    entry.append("  ")
    if verdict.best is None or verdict.representative is None:
        entry.append(f"TIE: {shown(text.tied_values(verdict))}", style="bold yellow")
    else:
        entry.append(shown(verdict.representative.value), style="bold green")
        if verdict.best.interval is not None and topic.kind in ("quantity", "date"):
            entry.append(f"  {text.interval_text(verdict.best.interval, topic)}", style="dim")
    origins = text.plural(verdict.origins, "independent origin")
    details = (f"\n  support {verdict.support} of {origins}" if verdict.best else f"\n  evenly split between {origins}")
    if verdict.lone:
        details = "\n  a lone claim: nothing to weigh it against; its source's reliability"
    entry.append(details + f" · {text.confidence(verdict.confidence)} confident")
    if verdict.weak:
        entry.append(" (weak: rests on the sources' track records)", style="yellow")
    if verdict.against:
        entry.append(" · against: ")
        entry.append(shown("; ".join(verdict.against)), style="red")
    return entry


def _bounds(claims: tuple[Claim, ...]) -> tuple[float, float] | None:
    ends = [end for c in claims if c.interval for end in (c.interval.low, c.interval.high) if not math.isinf(end)]
    if not ends:
        return None
    low, high = min(ends), max(ends)
    pad = (high - low) * 0.08 or max(abs(low) * 0.05, 1.0)
    # room on a side where some interval runs off to infinity, so its arrow is visible
    below = pad * 4 if any(c.interval and math.isinf(c.interval.low) for c in claims) else pad
    above = pad * 4 if any(c.interval and math.isinf(c.interval.high) for c in claims) else pad
    return low - below, high + above


def _axis(bounds: tuple[float, float], topic: Topic, width: int) -> str:
    """Column heading: the number line's two ends."""
    low, high = bounds
    if topic.kind == "date":
        from claimtrack.values import format_day

        left, right = format_day(math.floor(low)) or "", format_day(math.ceil(high)) or ""
    else:
        left, right = text.number(_round(low)), text.number(_round(high))
    gap = max(1, width - len(left) - len(right))
    return f"{left}{' ' * gap}{right}"


def _round(value: float) -> float:
    if value == 0:
        return 0.0
    digits = 3 - math.floor(math.log10(abs(value))) - 1
    return round(value, digits)


def _bar(claim: Claim, bounds: tuple[float, float], width: int) -> str:
    """The claim's interval drawn on a line of `width` cells: [===] closed, (===) open, ◀/▶ unbounded."""
    assert claim.interval is not None
    span = claim.interval
    low, high = bounds
    scale = (width - 1) / (high - low)
    cells = [" "] * width
    start = 0 if math.isinf(span.low) else round((span.low - low) * scale)
    end = width - 1 if math.isinf(span.high) else round((span.high - low) * scale)
    start, end = max(0, min(start, width - 1)), max(0, min(end, width - 1))
    for i in range(start, end + 1):
        cells[i] = "─"
    if start == end and not math.isinf(span.low) and not math.isinf(span.high):
        cells[start] = "●"
        return "".join(cells)
    cells[start] = "◀" if math.isinf(span.low) else ("(" if span.low_open else "[")
    cells[end] = "▶" if math.isinf(span.high) else (")" if span.high_open else "]")
    return "".join(cells)


def topics(report: Report, console: Console) -> None:
    table = Table(title="Topics", title_justify="left", expand=True)
    table.add_column("Topic", ratio=1, overflow="fold")
    for column in ("Kind", "Unit", "Claims", "Status"):
        table.add_column(column, justify="right" if column == "Claims" else "left", no_wrap=True)
    registry = report.dataset.topics.values()
    for topic in registry:
        count = len(report.dataset.by_topic.get(topic.key, ()))
        name = Text.assemble((shown(topic.key), "bold"), "\n", (shown(topic.title), "dim"))
        table.add_row(name, Text(shown(topic.kind)), Text(shown(topic.unit or "")), Text(str(count)),
                      _status(report.status(topic.key)))
    if _sized(table, console, {0: _widest(shown(topic.key) for topic in registry)}):
        console.print(table)
    else:
        console.print(Text("Topics", style="italic"))
        for topic in registry:
            count = len(report.dataset.by_topic.get(topic.key, ()))
            kind = shown(f"{topic.kind}, {topic.unit}" if topic.unit else topic.kind)
            _block(console, Text.assemble((shown(topic.key), "bold"), "  ", _status(report.status(topic.key))),
                   [Text(shown(topic.title), style="dim"), Text(f"{kind} · {text.plural(count, 'claim')}")])
    console.print(Text(f"{text.plural(len(report.dataset.topics), 'topic')} registered; "
                       f"{text.conflict_tally(report.conflicts.values())}."))


def _block(console: Console, head: Text, lines: Sequence[Text], indent: int = 0) -> None:
    """One row of a table too narrow for its keys: its first line (the key or id, then short words) never
    wrapped or cut, the rest below it, indented and wrapped."""
    console.print(Text.assemble(" " * indent, head), soft_wrap=True)
    for line in lines:
        console.print(Padding(line, (0, 0, 0, indent + 2), expand=False))


def sources(report: Report, console: Console) -> None:
    counts: dict[str, int] = {}
    conflicted: dict[str, int] = {}
    open_ids = {cid for c in report.conflicts.values() if c.status != "resolved" for cid in c.claim_ids}
    for claim in report.dataset.claims:
        counts[claim.source] = counts.get(claim.source, 0) + 1
        if claim.id in open_ids:
            conflicted[claim.source] = conflicted.get(claim.source, 0) + 1
    records = report.consensus.sources
    table = Table(title="Sources", title_justify="left", expand=True)
    table.add_column("Source", ratio=2, overflow="fold")  # an id is typed: it is not cut (see _sized)
    table.add_column("Publisher", ratio=1, overflow="fold")  # (no word of it lost, even in a narrow column)
    for column in ("Published", "Claims", "In conflict", "Reliability"):
        table.add_column(column, justify="right" if column != "Published" else "left", no_wrap=True)
    for source in report.dataset.sources.values():
        name = Text.assemble((shown(source.id), "bold"), "\n", (shown(source.title), "dim"))
        record = records[source.id]
        agrees = f"\n{record.agreeing}/{record.compared} agree" if record.compared else ""
        table.add_row(name, Text(shown(source.publisher or "")), Text(shown(source.published or "")),
                      Text(str(counts.get(source.id, 0))), Text(str(conflicted.get(source.id, 0))),
                      Text(f"{record.reliability:.2f}{agrees}"))
    if _sized(table, console, {0: _widest(shown(source_id) for source_id in report.dataset.sources)}, floor=8):
        console.print(table)
    else:
        console.print(Text("Sources", style="italic"))
        for source in report.dataset.sources.values():
            record = records[source.id]
            facts = [shown(fact) for fact in (source.publisher, source.published) if fact]
            facts.append(f"{text.plural(counts.get(source.id, 0), 'claim')}, {conflicted.get(source.id, 0):,} "
                         "in conflict")
            facts.append(f"reliability {record.reliability:.2f}"
                         + (f" ({record.agreeing} of {record.compared} agree)" if record.compared else ""))
            _block(console, Text(shown(source.id), style="bold"),
                   [Text(shown(source.title), style="dim"), Text(" · ".join(facts))])
    console.print(Text("Reliability: the source's learned accuracy, from how often the consensus agrees with its "
                       "claims where other claims could contradict them (see `claimtrack consensus`).",
                       style="dim"))


def claims(report: Report, chosen: Sequence[Claim], console: Console) -> None:
    """`claimtrack claims`: one row per claim (its id and topic, value and as_of, quote), in the order given."""
    _claims_table(report, chosen, console, marked=False)


def source(report: Report, document: Source, console: Console) -> None:
    """`show SOURCE-ID`: the source's header, then its claims, each marked when it takes part in a conflict."""
    header = Text.assemble((shown(document.id), "bold"), "  ", shown(document.title))
    console.print(header)
    facts = [f"{name}: {value}" for name, value in (
        ("publisher", document.publisher), ("author", ", ".join(document.author)), ("published", document.published),
        ("type", document.type), ("based on", ", ".join(document.based_on))) if value]
    if facts:
        console.print(Text(shown(", ".join(facts)), style="dim"))
    if document.url:
        console.print(_unwrapped(Text(f"url: {shown(document.url)}", style="dim")), crop=False)
    console.print(_unwrapped(Text(f"path: {shown(text.shown_path(document.path))}", style="dim")), crop=False)
    mine = [claim for claim in report.dataset.claims if claim.source == document.id]
    if not mine:
        console.print(Text("No claims from this source yet."))
        return
    _claims_table(report, mine, console, marked=True)
    statuses = [status for status in (_conflict_status(report, claim) for claim in mine) if status]
    summary = f"{text.plural(len(mine), 'claim')}, {len(statuses):,} of them in a conflict"
    if statuses:
        summary += ": " + ", ".join(f"{statuses.count(status):,} {status}" for status in text.STATUS_ORDER
                                    if status in statuses)
    console.print(Text(f"{summary}."))


def _conflict_status(report: Report, claim: Claim) -> str | None:
    """The status of the conflict `claim` takes part in (unresolved, disputed, resolved), or None."""
    conflict = report.conflicts.get(claim.topic)
    return conflict.status if conflict is not None and claim.id in conflict.claim_ids else None


def _claims_table(report: Report, chosen: Sequence[Claim], console: Console, *, marked: bool) -> None:
    """Claims as a table: id and topic (never cut), value and as_of, the quote wrapped; with `marked`, a
    column saying whether each is in a conflict. Blocks, one per claim, where the ids do not fit."""
    table = Table(expand=True)
    table.add_column("Claim", no_wrap=True)  # the id, the topic below it: each one line, never cut (see _sized)
    table.add_column("Value", ratio=1)
    if marked:
        table.add_column("Conflict", no_wrap=True)
    table.add_column("Quote", ratio=3)
    rows: list[tuple[Text, Text, Text | None, Text]] = []
    for claim in chosen:
        name = Text.assemble((shown(claim.id), "bold"), "\n", (shown(claim.topic), "dim"))
        value = Text(shown(claim.value))
        if claim.as_of:
            value.append(f"\nas of {shown(claim.as_of)}", style="dim")
        status = _conflict_status(report, claim) if marked else None
        mark = (Text.assemble(("✗ ", STATUS_STYLE[status]), _status(status)) if status is not None else
                Text("none", style="dim")) if marked else None
        quote = Text(f"“{shown(claim.quote)}”", style="italic")
        rows.append((name, value, mark, quote))
        table.add_row(*(cell for cell in (name, value, mark, quote) if cell is not None))
    if _sized(table, console, {}, floors={len(table.columns) - 1: QUOTE_FLOOR}):
        console.print(table)
        return
    for claim, (_, _, mark, quote) in zip(chosen, rows, strict=True):
        head = Text(shown(claim.id), style="bold")
        if mark is not None and mark.plain != "none":
            head.append("  ")
            head.append_text(mark)
        facts = Text(shown(claim.topic))
        facts.append(" · ")
        facts.append(shown(claim.value))
        if claim.as_of:
            facts.append(f" · as of {shown(claim.as_of)}", style="dim")
        _block(console, head, [facts, quote])


def check(report: Report, console: Console) -> None:
    """One line per problem (path:line:col: severity: message [code]), then a summary."""
    if not console.is_terminal:  # a log or a pipe: plain lines, written at once (rich styling costs ~0.3 ms a line)
        if report.problems:
            write_text(console, "\n".join(shown(str(problem)) for problem in report.problems))
    else:
        for problem in report.problems:
            style = "red" if problem.severity == "error" else "yellow"
            console.print(Text.assemble((shown(problem.location), "bold"), ": ", (problem.severity, style), ": ",
                                        shown(problem.message), (f" [{shown(problem.code)}]", "dim")),
                          soft_wrap=True)
    errors = len(report.errors)
    warnings = len(report.problems) - errors
    claims = len(report.dataset.claims)
    if errors:
        console.print(Text(f"✗ {errors} error{'s' if errors != 1 else ''}, {warnings} warning"
                           f"{'s' if warnings != 1 else ''} ({claims} claim{'s' if claims != 1 else ''} checked)",
                           style="bold red"))
    else:
        console.print(Text(f"✓ {claims} claim{'s' if claims != 1 else ''} checked: no errors, "
                           f"{warnings} warning{'s' if warnings != 1 else ''}", style="bold green"))


# --------------------------------------------------------------------------- keys are never cut
# A topic key or a claim id is what the user types next (`show KEY`, `claims --source ID`): a table may wrap a
# title or a quote, never cut a key or an id. A table whose keys do not fit the terminal whole becomes blocks.

WRAP_FLOOR = 12  # the narrowest a column of wrapping text (a title, a publisher) is made
QUOTE_FLOOR = 24  # the narrowest a table of claims makes their quotes (else it shows each claim as a block)


def _widest(keys: Iterable[str]) -> int:
    return max((cell_len(key) for key in keys), default=0)


def _unwrapped(line: Text) -> Text:
    """A line that is never wrapped or cut, however narrow the terminal (the terminal folds it, if it must:
    copied, it is still one line). Printed with crop=False, or soft_wrap=True."""
    line.no_wrap = True
    line.overflow = "ignore"
    return line


def _longest_word(cell: RenderableType) -> int:
    return max((cell_len(word) for word in str(cell).split()), default=0) if isinstance(cell, (str, Text)) else 0


def _widest_line(cell: RenderableType, console: Console) -> int:
    if isinstance(cell, (str, Text)):
        return max((cell_len(line) for line in str(cell).splitlines()), default=0)
    from rich.measure import Measurement

    return Measurement.get(console, console.options, cell).maximum


def _sized(table: Table, console: Console, typed: Mapping[int, int], floor: int = WRAP_FLOOR,
           floors: Mapping[int, int] | None = None) -> bool:
    """Give every column of `table` its width for the console: a column of keys or ids (`typed`: the column's
    index -> its widest key) at least its widest key, a one-line column (no_wrap) its widest cell, and the
    columns of wrapping text the rest, shared by their ratios as rich shares it (at most what they hold
    unless the table expands), each at least `floor` cells (its own, if `floors` has one) and its header's
    longest word. False, and the table left as it was, when the console is too narrow for that: the caller
    shows the rows another way. (rich itself shares the width out without regard to min_width, and cuts
    a word that does not fit its column with an ellipsis.)"""
    columns = table.columns
    pad = table.padding[1] + table.padding[3]
    extra = (2 if table.box and table.show_edge else 0) + (len(columns) - 1 if table.box else 0)
    needs: list[int] = []
    most: list[int] = []
    for index, column in enumerate(columns):
        header = _widest_line(column.header, console) if table.show_header else 0
        if column.no_wrap:
            need = column.width if column.width is not None else max(
                [header, *(_widest_line(cell, console) for cell in column.cells)])
            needs.append(need)
            most.append(need)
            continue
        # (the widest cell of a column that takes what is left anyway is not worth measuring: a quote each row)
        widest = 0 if table.expand else max((_widest_line(cell, console) for cell in column.cells), default=0)
        most.append(max(widest, header))
        least = max((floors or {}).get(index, floor), _longest_word(column.header) if table.show_header else 0)
        least = least if table.expand else min(max(widest, header), least)
        needs.append(max(typed[index], min(header, floor)) if index in typed else least)
    if console.width - extra - pad * len(columns) - sum(needs) < 0:
        return False
    widths = list(needs)
    flexible = [i for i, column in enumerate(columns) if not column.no_wrap]
    # rich's ratio_distribute (widths with their padding), but never leaving a later column less than it needs
    room = console.width - extra - sum(widths[i] + pad for i in range(len(columns)) if i not in flexible)
    total_ratio = sum(columns[i].ratio or 1 for i in flexible)
    for position, i in enumerate(flexible):
        ratio = columns[i].ratio or 1
        later = sum(needs[j] + pad for j in flexible[position + 1:])
        width = max(needs[i] + pad, min(-(-ratio * room // total_ratio), room - later))
        if not table.expand:
            width = min(width, max(most[i], needs[i]) + pad)
        widths[i] = width - pad
        total_ratio -= ratio
        room -= width
    for column, width in zip(columns, widths, strict=True):
        column.width = width
        column.ratio = None
    return True
