"""Range plots as inline SVG: the intervals of one topic's claims on one axis (the HTML report's picture).

Horizontal positions are percentages of the plot's width, so a plot stretches to any screen while its text
keeps its size; caps and arrowheads are drawn in pixels inside <svg> elements placed at those positions.
One row per value group (claims that mean the same interval); a conflicting row is solid, an agreeing one
outlined, and each row's label says which in words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from html import escape as html_escape

from claimtrack.dataset import Claim, Topic
from claimtrack.render.safe import shown
from claimtrack.render.text import plural
from claimtrack.values import Interval


def escape(value: str) -> str:
    """Data as HTML text or an attribute's value (for the page and its plots): hidden characters shown as
    visible escapes (render/safe.py: no bidirectional override reorders what an editor reads, no control
    character reaches a terminal that prints the page, no line of it starts with data), then HTML-escaped;
    `##[` written `##&#91;`, which no CI log takes for a command."""
    return html_escape(shown(value)).replace("##[", "##&#91;")


LEFT, RIGHT = 1.5, 98.0  # the axis, in percent of the width; an unbounded end runs on to the edge
EDGE_LOW, EDGE_HIGH = 0.4, 99.6
TOP = 24  # room above the rows for the preferred value's label
ROW = 40  # label, then bar
AXIS = 36
MAX_ROWS = 60  # value groups drawn: those in conflict first, then the extremes; the rest are counted
NARROW = 0.012  # an interval narrower than this share of the axis is drawn as a dot
LABEL_CHARS = 48  # a row label longer than this is cut (it stays whole in the tooltip and in the list below)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def range_plot(topic: Topic, groups: list[list[Claim]], conflicting: frozenset[str],
               preferred: Interval | None, preferred_ids: frozenset[str] = frozenset()) -> str:
    """A <figure> holding the plot of `groups` (each a list of claims of one meaning, in value order).
    `preferred` is drawn as a line or band on a numeric axis; rows holding `preferred_ids` are marked ★."""
    rows = _chosen_rows(groups, conflicting)
    if topic.kind in ("quantity", "date"):
        x, ticks = _numeric_axis(topic, groups, preferred)  # the axis spans every value, drawn or not
    else:
        x, ticks = _category_axis(topic, rows)
        preferred = None
    height = TOP + len(rows) * ROW + AXIS
    axis_y = TOP + len(rows) * ROW + 4
    shown = f"{len(rows)} of {len(groups)} values" if len(rows) < len(groups) else plural(len(groups), "value")
    parts = [(f"<svg role=\"img\" aria-labelledby=\"plot-{escape(topic.key)}\" height=\"{height}\" "
              f"xmlns=\"http://www.w3.org/2000/svg\"><title id=\"plot-{escape(topic.key)}\">{escape(topic.title)}: "
              f"{shown} on one axis</title>")]
    parts.extend(_tick(position, label, TOP - 6, axis_y) for position, label in ticks)
    parts.append(f"<line class=\"axis\" x1=\"{LEFT}%\" x2=\"{RIGHT}%\" y1=\"{axis_y}\" y2=\"{axis_y}\"/>")
    if preferred is not None:
        parts.append(_preferred(topic, preferred, x, axis_y))
    for index, group in enumerate(rows):
        starred = any(claim.id in preferred_ids for claim in group)
        parts.append(_row(topic, group, index, conflicting, starred, x, TOP + index * ROW))
    parts.append("</svg>")
    more = len(groups) - len(rows)
    caption = (f"<figcaption>{plural(more, 'more value')} not drawn (the values in conflict and the "
               "extremes are).</figcaption>" if more > 0 else "")
    return f"<figure class=\"plot\">{''.join(parts)}{caption}</figure>"


LEGEND = ("Each row of a plot is one value and the interval it means, on the topic's axis. Solid red ✗: in "
          "conflict; blue outline ✓: agrees. ● a value narrower than the scale can show; | a closed end; ○ an "
          "open end (the value itself excluded); ◀ ▶ no bound on that side; dashed green (or ★): the preferred "
          "value.")


def _chosen_rows(groups: list[list[Claim]], conflicting: frozenset[str]) -> list[list[Claim]]:
    """At most MAX_ROWS groups, in value order: those in conflict first, then the lowest and highest, then
    the most claimed."""
    if len(groups) <= MAX_ROWS:
        return groups
    ranked = sorted(range(len(groups)), key=lambda i: (
        not any(claim.id in conflicting for claim in groups[i]), i not in (0, len(groups) - 1), -len(groups[i]), i))
    return [groups[i] for i in sorted(ranked[:MAX_ROWS])]


# --------------------------------------------------------------------------- axes

Scale = Callable[[float], float]  # a value -> percent of the width


def _numeric_axis(topic: Topic, groups: list[list[Claim]],
                  preferred: Interval | None) -> tuple[Scale, list[tuple[float, str]]]:
    spans = [group[0].interval for group in groups if group[0].interval is not None]
    if preferred is not None:
        spans.append(preferred)
    ends = [end for span in spans for end in (span.low, span.high) if not math.isinf(end)]
    low, high = (min(ends), max(ends)) if ends else (0.0, 1.0)
    pad = (15.0 if topic.kind == "date" else max(abs(low) * 0.05, 1.0)) if high == low else (high - low) * 0.06
    # room on a side where some interval has no bound, so that its arrow shows
    start = low - pad * (4 if any(math.isinf(span.low) for span in spans) else 1)
    end = high + pad * (4 if any(math.isinf(span.high) for span in spans) else 1)

    def x(value: float) -> float:
        if math.isinf(value):
            return EDGE_LOW if value < 0 else EDGE_HIGH
        return LEFT + (value - start) / (end - start) * (RIGHT - LEFT)

    ticks = _date_ticks(start, end) if topic.kind == "date" else _number_ticks(start, end, topic.unit)
    return x, [(x(value), label) for value, label in ticks if start <= value <= end]


def _nice_step(raw: float, multiples: tuple[float, ...] = (1, 2, 2.5, 5)) -> float:
    """The smallest m × 10^k (m from `multiples`) at least `raw`."""
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next((m * magnitude for m in multiples if m * magnitude >= raw), 10 * magnitude)


def _number_ticks(start: float, end: float, unit: str | None) -> list[tuple[float, str]]:
    """Round values every 1, 2, 2.5 or 5 × 10^k, five or so across the axis, labelled in the topic's unit."""
    step = _nice_step((end - start) / 5)
    first = math.ceil(start / step)
    values = [n * step for n in range(first, first + 12) if n * step <= end]
    return [(value, _number_label(value, step, unit)) for value in values]


def _number_label(value: float, step: float, unit: str | None) -> str:
    scale, word = next(((s, w) for s, w in ((1e12, " tn"), (1e9, " bn"), (1e6, " mn")) if abs(step) >= s / 10),
                       (1.0, ""))
    # as many decimals as the step needs: 2.5 shows one, 0.25 two, 5 none
    decimals = next(d for d in range(13) if abs(round(step / scale, d) - step / scale) <= 1e-9 * step / scale)
    shown = f"{value / scale:,.{decimals}f}"
    if float(shown.replace(",", "")) == 0:
        shown = "0"
    shown = shown.replace("-", "−")
    if unit == "%":
        return f"{shown}{word}%"
    return f"{shown}{word} {unit}" if unit else f"{shown}{word}"


def _date_ticks(start: float, end: float) -> list[tuple[float, str]]:
    """Years, months or days, whichever gives a handful of ticks across the axis (within the calendar)."""
    first = date.fromordinal(min(max(1, math.ceil(start)), date.max.toordinal()))
    last = date.fromordinal(min(max(1, math.floor(end)), date.max.toordinal()))
    days = end - start
    if days > 4 * 365:
        step = max(1, round(_nice_step(days / 365.25 / 6, (1, 2, 5))))
        years = range(-(-first.year // step) * step, last.year + 1, step)
        found = [(date(year, 1, 1), str(year)) for year in years if 1 <= year <= 9999]
    elif days > 60:
        step = next(s for s in (1, 2, 3, 6, 12) if days / 30.4 / s <= 6)
        found = []
        month = first.year * 12 + first.month - 1 + (first.day > 1)
        while month // 12 <= 9999:
            day = date(month // 12, month % 12 + 1, 1)
            if day > last:
                break
            if (month % 12) % step == 0:
                found.append((day, f"{MONTHS[day.month - 1]} {day.year}"))
            month += 1
    else:
        step = next(s for s in (1, 2, 5, 7, 14) if days / s <= 6)
        found = []
        for n in range(first.toordinal(), last.toordinal() + 1, step):
            day = date.fromordinal(n)
            year = f" {day.year}" if not found else ""  # the first day tick names the year
            found.append((day, f"{day.day} {MONTHS[day.month - 1]}{year}"))
    # a day's interval runs from its ordinal to its ordinal (closed): its middle is the day itself
    return [(float(day.toordinal()), label) for day, label in found]


def _category_axis(topic: Topic, rows: list[list[Claim]]) -> tuple[Scale, list[tuple[float, str]]]:
    """Booleans and text: one place on the axis per distinct answer (a text row's label says which)."""
    if topic.kind == "boolean":
        places = {0.0: 25.0, 1.0: 75.0}
        return (lambda value: places.get(value, 50.0)), [(25.0, "no"), (75.0, "yes")]
    count = max(1, len(rows))
    positions = [LEFT + (index + 0.5) / count * (RIGHT - LEFT) for index in range(count)]
    return (lambda value: positions[int(value)] if 0 <= value < count else 50.0), []


# --------------------------------------------------------------------------- marks

def _tick(position: float, label: str, top: float, axis_y: float) -> str:
    anchor = "start" if position < 12 else ("end" if position > 88 else "middle")  # kept inside at 390 px
    return (f"<g class=\"tick\"><line x1=\"{_pct(position)}\" x2=\"{_pct(position)}\" y1=\"{top}\" y2=\"{axis_y}\"/>"
            f"<text x=\"{_pct(position)}\" y=\"{axis_y + 18}\" text-anchor=\"{anchor}\">{escape(label)}</text></g>")


def _preferred(topic: Topic, span: Interval, x: Scale, axis_y: float) -> str:
    label = _cut(f"preferred: {topic.resolution.preferred if topic.resolution else ''}", 32)
    left, right = x(span.low), x(span.high)
    middle = (left + right) / 2
    anchor = "end" if middle > 50 else "start"
    parts = ["<g class=\"preferred\">"]
    if right - left > 0.6:  # wide enough to show as a band
        parts.append(f"<rect x=\"{_pct(left)}\" width=\"{_pct(right - left)}\" y=\"{TOP - 6}\" "
                     f"height=\"{axis_y - TOP + 6}\"/>")
        parts.extend(f"<line x1=\"{_pct(edge)}\" x2=\"{_pct(edge)}\" y1=\"{TOP - 6}\" y2=\"{axis_y}\"/>"
                     for edge in (left, right))
    else:
        parts.append(f"<line x1=\"{_pct(middle)}\" x2=\"{_pct(middle)}\" y1=\"{TOP - 6}\" y2=\"{axis_y}\"/>")
    parts.append(f"<text x=\"{_pct(middle)}\" y=\"{TOP - 10}\" text-anchor=\"{anchor}\">{escape(label)}</text></g>")
    return "".join(parts)


def _row(topic: Topic, group: list[Claim], index: int, conflicting: frozenset[str], starred: bool, x: Scale,
         top: float) -> str:
    in_conflict = any(claim.id in conflicting for claim in group)
    kind = "conflict" if in_conflict else "agree"
    values = " · ".join(sorted({claim.value for claim in group}))
    sources = sorted({claim.source for claim in group})
    who = sources[0] if len(sources) == 1 else f"{len(sources)} sources"
    label = _cut(f"{'★ ' if starred else ''}{'✗' if in_conflict else '✓'} {values} — {who}", LABEL_CHARS)
    ids = ", ".join(claim.id for claim in group[:6]) + (f" and {len(group) - 6:,} more" if len(group) > 6 else "")
    tooltip = f"{values}: {ids}"
    middle = top + 27
    parts = [(f"<g class=\"row {kind}\"><title>{escape(tooltip)}</title>"
             f"<text x=\"{LEFT}%\" y=\"{top + 13}\">{escape(label)}</text>")]
    span = group[0].interval
    if span is None:  # text: the row's own place among the answers
        parts.append(_dot(x(float(index)), middle))
    elif topic.kind == "boolean":
        parts.append(_dot(x(span.low), middle))
    else:
        parts.append(_bar(span, x, middle))
    parts.append("</g>")
    return "".join(parts)


def _dot(position: float, middle: float) -> str:
    return f"<circle class=\"bar\" cx=\"{_pct(position)}\" cy=\"{middle}\" r=\"6\"/>"


def _bar(span: Interval, x: Scale, middle: float) -> str:
    left, right = x(span.low), x(span.high)
    bounded = not math.isinf(span.low) and not math.isinf(span.high)
    if bounded and right - left < NARROW * (RIGHT - LEFT):
        return _dot((left + right) / 2, middle)
    parts = [(f"<rect class=\"bar\" x=\"{_pct(left)}\" width=\"{_pct(max(right - left, 0.1))}\" y=\"{middle - 5}\" "
             f"height=\"10\" rx=\"2\"/>")]
    parts.append(_end(span.low, span.low_open, left, middle, pointing=-1))
    parts.append(_end(span.high, span.high_open, right, middle, pointing=1))
    return "".join(parts)


def _end(value: float, is_open: bool, position: float, middle: float, pointing: int) -> str:
    """An arrowhead where there is no bound, a hollow circle at an open end, a bar at a closed one."""
    if math.isinf(value):
        tip = f"M0,0 L{-11 * pointing},-7 L{-11 * pointing},7 Z"
        return (f"<svg x=\"{_pct(position)}\" y=\"{middle}\" overflow=\"visible\">"
                f"<path class=\"arrow\" d=\"{tip}\"/></svg>")
    if is_open:
        return f"<circle class=\"open\" cx=\"{_pct(position)}\" cy=\"{middle}\" r=\"5\"/>"
    return (f"<line class=\"cap\" x1=\"{_pct(position)}\" x2=\"{_pct(position)}\" "
            f"y1=\"{middle - 9}\" y2=\"{middle + 9}\"/>")


def _pct(position: float) -> str:
    """A position as a percentage of the width, to a hundredth (a pixel at 10,000 px)."""
    return f"{position:.2f}".rstrip("0").rstrip(".") + "%"


def _cut(words: str, limit: int) -> str:
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"

