"""Inline SVG charts for the HTML debrief: no scripts, no fonts or files from elsewhere, print-safe.

Meaning never depends on colour alone: values outside the normal range are drawn as hollow
squares (not dots) and the range itself is labelled.
"""

from __future__ import annotations

import html
import math

WIDTH, HEIGHT = 420, 210
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 14, 40
INK, MUTED, GRID, BAND, LINE, OUT = "#1d1d1f", "#5f6368", "#e3e6ea", "#dff1e3", "#0b57d0", "#b3261e"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def stat_chart_svg(stat: dict, days: list[int], values: list[float], markers: list[tuple[int, int]]) -> str:
    """A line chart of one lab over the journey: day on x, value on y, the normal range shaded."""
    decimals = int(stat.get("decimals", 1))
    normal = stat.get("normal")
    low = min(values + ([normal[0]] if normal else []))
    high = max(values + ([normal[1]] if normal else []))
    pad = (high - low) * 0.08 or max(abs(high) * 0.05, 1.0)
    low, high = low - pad, high + pad
    first_day, last_day = min(days), max(days)
    span = (last_day - first_day) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: float) -> float:
        return LEFT + (day - first_day) / span * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    label = f"{stat['label']} ({stat.get('unit', '')})".replace(" ()", "")
    summary = (f"{label}: from {_fmt(values[0], decimals)} to {_fmt(values[-1], decimals)} over {span} days"
               + (f"; normal range {_fmt(normal[0], decimals)} to {_fmt(normal[1], decimals)}" if normal else ""))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{_e(summary)}"><title>{_e(summary)}</title>']
    if normal:
        top, bottom = y(min(normal[1], high)), y(max(normal[0], low))
        parts.append(f'<rect x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{max(bottom - top, 0):.1f}" '
                     f'fill="{BAND}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT - 4}" y="{top + 11:.1f}" font-size="10" text-anchor="end" '
                     f'fill="#1e7d32">normal range</text>')
    for tick in _nice_ticks(low, high):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 3.5:.1f}" font-size="10" text-anchor="end" '
                     f'fill="{MUTED}">{_e(_fmt(tick, min(decimals, 2)))}</text>')
    day_ticks = sorted({int(t) for t in _nice_ticks(first_day, last_day, 5)} | {first_day, last_day})
    for tick in day_ticks:
        if first_day <= tick <= last_day:
            parts.append(f'<text x="{x(tick):.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle" '
                         f'fill="{MUTED}">{tick}</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" font-size="10" text-anchor="middle" '
                 f'fill="{MUTED}">day of the journey</text>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="{MUTED}"/>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="{MUTED}"/>')
    # Decision marks along the bottom: the number of each decision at its day.
    seen: dict[int, int] = {}
    for day, number in markers:
        if first_day <= day <= last_day:
            row = seen.get(day, 0)
            seen[day] = row + 1
            if row < 2:
                parts.append(f'<text x="{x(day):.1f}" y="{TOP + plot_h - 3 - row * 10:.1f}" font-size="8" '
                             f'text-anchor="middle" fill="{MUTED}">{number if row == 0 else "…"}</text>')
    points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(days, values))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2" '
                 'stroke-linejoin="round"/>')
    for day, value in zip(days, values):
        outside = normal is not None and not normal[0] <= value <= normal[1]
        if outside:
            parts.append(f'<rect x="{x(day) - 3.5:.1f}" y="{y(value) - 3.5:.1f}" width="7" height="7" fill="#fff" '
                         f'stroke="{OUT}" stroke-width="2"/>')
        else:
            parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="3" fill="{LINE}"/>')
    for day, value, anchor in ((days[0], values[0], "start"), (days[-1], values[-1], "end")):
        parts.append(f'<text x="{x(day) + (4 if anchor == "start" else -4):.1f}" y="{y(value) - 7:.1f}" '
                     f'font-size="11" font-weight="600" text-anchor="{anchor}" fill="{INK}">'
                     f'{_e(_fmt(value, decimals))}</text>')
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
