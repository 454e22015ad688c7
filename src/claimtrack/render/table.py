"""Terminal renderer (rich): conflict tables grouped by value, a number line per topic, the registries."""

from __future__ import annotations

import math

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from claimtrack.conflicts import Conflict, value_order
from claimtrack.consensus import Verdict
from claimtrack.dataset import Claim, Topic
from claimtrack.render import text
from claimtrack.render.text import write_text
from claimtrack.report import Report

STATUS_STYLE = {"unresolved": "bold red", "disputed": "bold yellow", "resolved": "green", "ok": "dim"}


def _status(status: str) -> Text:
    return Text(status.upper() if status != "ok" else "ok", style=STATUS_STYLE[status])


def _heading(report: Report, topic: Topic, conflict: Conflict | None) -> Text:
    heading = Text.assemble((topic.key, "bold"), "  ", topic.title, "  ", _status(report.status(topic.key)))
    if conflict is not None:
        heading.append(f"  severity {text.severity(conflict.severity, topic)}")
    return heading


def conflicts(report: Report, chosen: list[Conflict], console: Console) -> None:
    if not chosen:
        console.print(Text("No conflicts.", style="green"))
        return
    for conflict in chosen:
        topic = conflict.topic
        internal = conflict.internal_ids
        table = Table(show_lines=True, expand=True)
        table.add_column("Value", no_wrap=True, ratio=None)
        table.add_column("Means", no_wrap=True)
        table.add_column("Claims and quotes", ratio=1)
        for group in text.value_groups(conflict.claims):
            values = sorted({claim.value for claim in group})
            cell = Text()
            for index, claim in enumerate(group):
                if index:
                    cell.append("\n")
                cell.append(claim.id, style="bold")
                if claim.attributed_to:
                    cell.append(f" (per {claim.attributed_to})", style="dim")
                if claim.as_of:
                    cell.append(f" as of {claim.as_of}", style="dim")
                if claim.id in internal:
                    cell.append(" ⚠ internal inconsistency", style="bold magenta")
                cell.append("\n")
                cell.append(f"“{claim.quote}”", style="italic")
            table.add_row("\n".join(values), text.interval(group[0], topic), cell)
        parts: list[Text | Table] = [_heading(report, topic, conflict), table]
        if topic.resolution is not None:
            parts.append(_resolution_line(topic, conflict))
        console.print(Group(*parts))
        console.print()
    unresolved = sum(1 for c in chosen if c.status == "unresolved")
    console.print(f"{len(chosen)} topic{'s' if len(chosen) != 1 else ''} in conflict, {unresolved} unresolved.")


def _resolution_line(topic: Topic, conflict: Conflict | None) -> Text:
    assert topic.resolution is not None
    resolution = topic.resolution
    line = Text(f"Resolution: {resolution.status}", style="bold")
    if resolution.preferred:
        line.append(f" — preferred {resolution.preferred}")
    if resolution.note:
        line.append(f" — {resolution.note}", style="")
    if conflict is not None and conflict.uncovered and conflict.status == "unresolved":
        line.append(f"\nRe-opened: not covered: {', '.join(conflict.uncovered)}", style="bold red")
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
    console.print(Text(details, style="dim"))
    if not claims:
        console.print("No claims on this topic yet.")
        return
    drawable = topic.kind in ("quantity", "date")
    bounds = _bounds(claims) if drawable else None
    width = max(16, min(48, console.width // 3))
    table = Table(expand=False, box=None, padding=(0, 1), show_edge=False)
    table.add_column("", no_wrap=True)  # conflict marker: ✗ conflicts, ✓ agrees
    table.add_column("Claim: value → what it means", overflow="fold", ratio=1)
    if bounds is not None:
        table.add_column(_axis(bounds, topic, width), no_wrap=True, width=width)
    for claim in claims:
        marker = Text("✗", style="bold red") if claim.id in in_conflict else Text("✓", style="green")
        cell = Text(claim.id, style="bold")
        cell.append("\n  " + claim.value)
        if topic.kind != "text":
            cell.append(f" → {text.interval(claim, topic)}", style="dim")
        for extra in (f"as of {claim.as_of}" if claim.as_of else "",
                      f"per {claim.attributed_to}" if claim.attributed_to else "",
                      ", ".join(f"{k}={v}" for k, v in claim.qualifiers)):
            if extra:
                cell.append(f"\n  {extra}", style="dim")
        if claim.id in internal:
            cell.append("\n  ⚠ internal inconsistency", style="bold magenta")
        row: list[Text | str] = [marker, cell]
        if bounds is not None:
            style = "red" if claim.id in in_conflict else "green"
            row.append(Text(_bar(claim, bounds, width), style=style))
        table.add_row(*row)
    console.print(table)
    console.print()
    console.print(Text("Quotes:", style="bold"))
    for claim in claims:
        console.print(Text.assemble(f"  {claim.id}: ", (f"“{claim.quote}”", "italic")))
    if conflict is not None and len(conflict.pairs) <= PAIRS_LISTED:
        console.print(Text("Conflicting pairs:", style="bold"))
        for pair in conflict.pairs:
            note = " (internal inconsistency)" if pair.internal else ""
            console.print(f"  {pair.first.id} ✗ {pair.second.id}: {text.severity(pair.severity, topic)}{note}")
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
        others = ", ".join(claim.id for claim in named) + (" …" if total > len(named) else "")
        who = first.id if len(group) == 1 else f"{first.id} and {text.plural(len(group) - 1, 'more claim')}"
        worst = max(conflict.claim_severity(claim) for claim in group)
        flag = " (internal inconsistency)" if any(claim.id in internal for claim in group) else ""
        lines.append(f"  {first.value} — {who} ✗ {against} claims ({others}); most severe "
                     f"{text.severity(worst, topic)}{flag}")
    console.print(Text("\n".join(lines)), soft_wrap=True)


def consensus_line(verdict: Verdict) -> Text:
    """'Consensus (as of 2022): 1,344 km → [1,343.5, 1,344.5] km — 2 of 3 independent origins, 87% confident'."""
    scope, topic = verdict.scope, verdict.scope.topic
    where = text.scope_label(scope)
    line = Text(f"Consensus{f' ({where})' if where else ''}: ", style="bold")
    if verdict.lone:
        line.append(f"{verdict.scope.claims[0].value} — a lone claim, nothing to weigh it against", style="")
        return line
    if verdict.best is None or verdict.representative is None:
        line.append(f"a tie: {text.tied_values(verdict)} — the evidence is evenly split", style="yellow")
        return line
    line.append(verdict.representative.value, style="bold green")
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
        console.print("No topic has more than one claim yet: nothing to weigh." if not topics else "No claims.")
    for verdict in verdicts:
        console.print(_consensus_entry(verdict), soft_wrap=False)
    lone = 0 if topics else sum(1 for v in found.verdicts if v.lone)
    if lone:
        console.print(Text(f"{text.plural(lone, 'topic scope')} with a single claim not shown "
                           "(name a topic, or use --format json).", style="dim"))


def _consensus_entry(verdict: Verdict) -> Text:
    scope, topic = verdict.scope, verdict.scope.topic
    entry = Text(topic.key, style="bold")
    where = text.scope_label(scope)
    if where:
        entry.append(f" ({where})", style="dim")
    entry.append("  ")
    if verdict.best is None or verdict.representative is None:
        entry.append(f"TIE: {text.tied_values(verdict)}", style="bold yellow")
    else:
        entry.append(verdict.representative.value, style="bold green")
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
        entry.append("; ".join(verdict.against), style="red")
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
    table.add_column("Topic", ratio=1)
    for column in ("Kind", "Unit", "Claims", "Status"):
        table.add_column(column, justify="right" if column == "Claims" else "left", no_wrap=True)
    for topic in report.dataset.topics.values():
        count = len(report.dataset.by_topic.get(topic.key, ()))
        name = Text.assemble((topic.key, "bold"), "\n", (topic.title, "dim"))
        table.add_row(name, topic.kind, topic.unit or "", str(count), _status(report.status(topic.key)))
    console.print(table)


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
    widest = max((len(source_id) for source_id in report.dataset.sources), default=6)
    table.add_column("Source", ratio=2, min_width=min(widest, 40))  # an id is typed: it is not cut
    table.add_column("Publisher", ratio=1)
    for column in ("Published", "Claims", "In conflict", "Reliability"):
        table.add_column(column, justify="right" if column != "Published" else "left", no_wrap=True)
    for source in report.dataset.sources.values():
        name = Text.assemble((source.id, "bold"), "\n", (source.title, "dim"))
        record = records[source.id]
        agrees = f"\n{record.agreeing} of {record.compared} agree" if record.compared else ""
        table.add_row(name, source.publisher or "", source.published or "", str(counts.get(source.id, 0)),
                      str(conflicted.get(source.id, 0)), Text(f"{record.reliability:.2f}{agrees}"))
    console.print(table)
    console.print(Text("Reliability: the source's learned accuracy, from how often the consensus agrees with its "
                       "claims where other claims could contradict them (see `claimtrack consensus`).",
                       style="dim"))


def check(report: Report, console: Console) -> None:
    """One line per problem (path:line:col: severity: message [code]), then a summary."""
    if not console.is_terminal:  # a log or a pipe: plain lines, written at once (rich styling costs ~0.3 ms a line)
        if report.problems:
            write_text(console, "\n".join(str(problem) for problem in report.problems))
    else:
        for problem in report.problems:
            style = "red" if problem.severity == "error" else "yellow"
            console.print(Text.assemble((str(problem.location), "bold"), ": ", (problem.severity, style), ": ",
                                        problem.message, (f" [{problem.code}]", "dim")), soft_wrap=True)
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
