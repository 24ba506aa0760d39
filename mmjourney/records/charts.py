"""Inline SVG charts for the HTML debrief: no scripts, no fonts or files from elsewhere, print-safe.

Meaning never depends on colour alone: values outside the normal range are drawn as hollow
squares (not dots), and the caption states the range in words.
"""

from __future__ import annotations

import html
import math
import sys

from ..journey.debrief_view import Lab
from ..journey.text import flag_for, number_text

WIDTH, HEIGHT = 420, 210
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 22, 36
INK, MUTED, GRID, BAND, LINE, OUT = "#1d1d1f", "#5f6368", "#e3e6ea", "#dff1e3", "#0b57d0", "#b3261e"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


MAX_TICKS = 12  # however odd the values, a chart never has more grid lines than this


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values for the grid lines between `low` and `high`: at most MAX_TICKS, always quickly.

    Records made before stories were limited can hold infinities, NaN and values near the
    limits of a float (1e308, or 5e15 where a step of 0.25 no longer changes the value), so
    the ticks are counted, not stepped to, and the step is never finer than the floats there.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return [value for value in (low, high) if math.isfinite(value)][:1]
    if high <= low:
        return [low]
    span = high - low
    raw = span / count if math.isfinite(span) else high / count - low / count  # the second never overflows
    # The spacing of floats this large: a finer step would add nothing.
    raw = max(raw, math.ulp(max(abs(low), abs(high))))
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), 0.0)
    if not (math.isfinite(step) and step > 0):
        return [low, high]
    first_index = math.ceil(low / step)
    last_index = math.floor(high / step + 1e-9)
    ticks: list[float] = []
    for index in range(first_index, min(last_index, first_index + MAX_TICKS - 1) + 1):
        value = round(index * step, 10)
        if math.isfinite(value) and (not ticks or value != ticks[-1]):
            ticks.append(value)
    return ticks


def _finite_range(values: list[float]) -> tuple[float, float]:
    """The lowest and highest finite value, padded a little, never beyond the largest float."""
    low, high = min(values), max(values)
    span = high - low
    # (high / 2 - low / 2) never overflows, even from -1e308 to 1e308.
    pad = (span * 0.08 if math.isfinite(span) else (high / 2 - low / 2) * 0.16) or max(abs(high) * 0.05, 1.0)
    biggest = sys.float_info.max
    return max(low - pad, -biggest), min(high + pad, biggest)


def stat_chart_svg(lab: Lab, markers: tuple[tuple[int, int], ...]) -> str:
    """A line chart of one lab over the journey, one step per decision, the normal range shaded.

    `lab.days[i]` and `lab.values[i]` are the day and value after the i-th step (0 = the start);
    `markers` are (action position, decision number): decision numbers run along the top and
    the day of the story along the bottom.
    """
    days, values = lab.days, list(lab.values)
    decimals = lab.stat.decimals
    normal = lab.stat.normal
    if normal and not all(math.isfinite(bound) for bound in normal):
        normal = None
    # Non-finite values (records made before stories were limited) are not drawn: the line breaks there.
    finite = [value for value in values if math.isfinite(value)] + (list(normal) if normal else [])
    low, high = _finite_range(finite) if finite else (0.0, 1.0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    last = max(len(values) - 1, 1)

    def x(index: float) -> float:
        return LEFT + index / last * plot_w

    def y(value: float) -> float:
        if math.isfinite(high - low):
            return TOP + (high - value) / (high - low) * plot_h
        # Halved first, so that neither difference overflows for values near the largest float.
        return TOP + (high / 2 - value / 2) / (high / 2 - low / 2) * plot_h

    summary = (f"{lab.title}: from {lab.number(values[0])} to {lab.number(values[-1])} between day {days[0]} and "
               f"day {days[-1]}" + (f"; normal range {lab.normal_text}" if normal else ""))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{_e(summary)}"><title>{_e(summary)}</title>']
    if normal:
        top, bottom = y(min(normal[1], high)), y(max(normal[0], low))
        parts.append(f'<rect x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{max(bottom - top, 0):.1f}" '
                     f'fill="{BAND}"/>')
    for tick in _nice_ticks(low, high):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 3.5:.1f}" font-size="10" text-anchor="end" '
                     f'fill="{MUTED}">{_e(number_text(tick, min(decimals, 2)))}</text>')
    # The day of the story under the first step of each new day (labels never overlap).
    placed = -100.0
    for index, day in enumerate(days):
        if (index == 0 or day != days[index - 1]) and x(index) - placed >= 22:
            placed = x(index)
            parts.append(f'<text x="{placed:.1f}" y="{TOP + plot_h + 14}" font-size="10" text-anchor="middle" '
                         f'fill="{MUTED}">{day}</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" font-size="10" text-anchor="middle" '
                 f'fill="{MUTED}">day of the story</text>')
    placed = -100.0
    for position, number in markers:
        if position + 1 < len(values) and x(position + 1) - placed >= 12:
            placed = x(position + 1)
            parts.append(f'<text x="{placed:.1f}" y="{TOP - 5}" font-size="9" text-anchor="middle" '
                         f'fill="{MUTED}">{number}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="{MUTED}"/>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="{MUTED}"/>')
    drawn = [index for index, value in enumerate(values) if math.isfinite(value)]
    runs: list[list[int]] = []
    for index in drawn:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{x(i):.1f},{y(values[i]):.1f}" for i in run)
            parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2" '
                         'stroke-linejoin="round"/>')
    for index in drawn:
        value = values[index]
        if flag_for(value, normal):  # outside the normal range: a different shape, not only a colour
            parts.append(f'<rect x="{x(index) - 3.5:.1f}" y="{y(value) - 3.5:.1f}" width="7" height="7" '
                         f'fill="#fff" stroke="{OUT}" stroke-width="2"/>')
        else:
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{LINE}"/>')
    for index, anchor in ((0, "start"), (len(values) - 1, "end")):
        value = values[index]
        if not math.isfinite(value):
            continue
        above = y(value) - 7 if y(value) - 7 > TOP + 8 else y(value) + 15
        parts.append(f'<text x="{x(index) + (5 if anchor == "start" else -5):.1f}" y="{above:.1f}" '
                     f'font-size="11" font-weight="600" text-anchor="{anchor}" fill="{INK}">'
                     f'{_e(lab.number(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def score_bar_svg(percent: float | None, width: int = 120) -> str:
    """A small horizontal bar for a percentage (SVG prints, unlike CSS backgrounds)."""
    if percent is None:
        return ""
    filled = max(0.0, min(100.0, percent)) / 100 * width
    colour = "#1e7d32" if percent >= 80 else "#a15c00" if percent >= 50 else "#b3261e"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 10" width="{width}" height="10" '
            f'style="display:inline-block;vertical-align:middle;width:{width}px" role="img" '
            f'aria-label="{percent:.0f}%"><rect width="{width}" height="10" fill="#eef0f2" stroke="#c9ced4"/>'
            f'<rect width="{filled:.1f}" height="10" fill="{colour}"/></svg>')
