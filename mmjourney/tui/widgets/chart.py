"""The patient chart: each visible stat with value, unit, H/L flag, trend arrow and sparkline."""

from __future__ import annotations

import math
from typing import Iterable

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...journey.text import flag_for, number_text, range_text


def plottable(values: Iterable[float]) -> list[float]:
    """Values a sparkline can draw without failing.

    Records and result files made before stories were limited can hold NaN, infinities or
    values so far apart that their difference overflows; Textual's Sparkline then fails
    (`cannot convert float NaN to integer`). Non-finite values are left out, and values whose
    spread is not a finite float are scaled down together, so the shape stays the same.
    """
    finite = [float(value) for value in values if math.isfinite(value)]
    if finite and not math.isfinite(max(finite) - min(finite)):
        scale = max(abs(value) for value in finite)
        finite = [value / scale for value in finite]
    return finite


def arrow_for(before: float | None, now: float) -> str:
    if before is None or not (math.isfinite(now) and math.isfinite(before)) or abs(now - before) < 1e-9:
        return " "
    return "▲" if now > before else "▼"


BARS = " ▁▂▃▄▅▆▇█"


def sparkline(values: Iterable[float], width: int = 40) -> str:
    """A one-line sparkline of the last `width` values; non-finite ones are left out (see `plottable`)."""
    shown = plottable(list(values)[-width:])
    if not shown:
        return ""
    low, high = min(shown), max(shown)
    span = (high - low) or 1.0
    return "".join(BARS[1 + round((v - low) / span * 7)] for v in shown)


FLAG_STYLE = {"H": "bold $error", "L": "bold $warning", "HH": "bold reverse $error", "LL": "bold reverse $error"}


def normal_text(stat) -> str:
    """'normal 2.20-2.60', in the stat's own decimals; '' without a normal range."""
    return f"normal {range_text(stat.normal, stat.decimals, '-')}" if stat.normal else ""


def value_content(stat, value: float, before: float | None) -> Content:
    """'2.95 mmol/L H ▲': the value with unit, flag (H, L, or HH/LL beyond a critical limit) and trend.
    A value that just changed is underlined beside its arrow: the learner's eye goes to what moved."""
    flag = flag_for(value, stat.normal, stat.critical)
    style = FLAG_STYLE.get(flag, "bold")
    arrow = arrow_for(before, value)
    moved = " underline" if arrow != " " else ""
    return Content.assemble((number_text(value, stat.decimals), style + moved), " ", stat.unit,
                            (f" {flag}" if flag else "", style), " ", arrow)


def stat_lines(stat, value: float, history: list[float], width: int, named: bool) -> list[Content]:
    """Three lines for one stat: its label, its value, and its normal range beside a sparkline of its
    history (blank until there are two readings: one reading is not a trend)."""
    before = history[-2] if len(history) > 1 else None
    scale = normal_text(stat)
    room = width - len(scale) - 1 if scale else width
    trend = sparkline(history, room) if len(history) > 1 and room > 1 else ""
    return [
        Content.styled(stat.label, "bold $accent" if named else "bold"),
        value_content(stat, value, before),
        Content.assemble((scale, "dim"), " " if scale and trend else "", (trend, "$accent")),
    ]


def stat_line(stat, value: float, history: list[float], width: int, named: bool) -> Content:
    """One line for one stat when the chart is short of room: the label is cut, never the value."""
    before = history[-2] if len(history) > 1 else None
    reading = value_content(stat, value, before)
    room = width - reading.cell_length - 1
    label = stat.label if len(stat.label) <= room else stat.label[:max(room - 1, 0)] + "…"
    return Content.assemble((label, "bold $accent" if named else "bold"), " " * max(room - len(label) + 1, 1), reading)


def named_in(text: str, stat) -> bool:
    """Whether a scene's text speaks of this stat (by the first word of its label, e.g. 'calcium')."""
    word = stat.label.split()[0].lower().strip("()") if stat.label.split() else ""
    return len(word) >= 4 and word in text.lower()


class PatientChart(VerticalScroll):
    """The visible stats, drawn as one block of text under the heading "Patient chart".

    One widget of a fixed height, updated without a layout pass: the chart changes after every
    decision, and re-laying out a widget per stat was the slowest part of answering a key press.
    Three lines per stat (label; value; normal range and trend) when there is room, else one line
    each, so that at 80x24 every value shows. The stats the scene speaks of are in the accent
    colour, and the first one that moved or that the scene names is scrolled into view.
    """

    def __init__(self, session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self._drawn: tuple | None = None  # what the lines show, to skip redrawing the same chart
        self._lines_per_stat = 0

    def compose(self) -> ComposeResult:
        yield Static(id="chart-lines")

    def _visible(self) -> list[str]:
        return [name for name, stat in self.session.story.model.stats.items() if stat.visible]

    def on_resize(self) -> None:
        self.refresh_from(self.session)  # one or three lines per stat, and sparklines, fit the new size

    def refresh_from(self, session) -> None:
        self.session = session
        stats = session.story.model.stats
        names = self._visible()
        width = max(self.scrollable_content_region.width, 10)
        per_stat = 3 if self.size.height >= 1 + 3 * len(names) else 1
        text = session.scene_text
        # Closing feedback shows the chart the feedback already showed: nothing to draw.
        drawn = (width, per_stat, text, tuple(tuple(snapshot.stats.values()) for snapshot in session.chart),
                 tuple(session.state.stats.values()))
        if drawn == self._drawn:
            return
        self._drawn = drawn
        lines: list[Content] = [Content.styled("Patient chart", "bold underline")]
        focus: int | None = None
        for name in names:
            stat = stats[name]
            history = [snapshot.stats[name] for snapshot in session.chart]
            named = named_in(text, stat)
            moved = len(history) > 1 and history[-2] != session.state.stats[name]
            if focus is None and (named or moved):
                focus = len(lines)
            if per_stat == 3:
                lines += stat_lines(stat, session.state.stats[name], history, width, named)
            else:
                lines.append(stat_line(stat, session.state.stats[name], history, width, named))
        body = self.query_one("#chart-lines", Static)
        relayout = per_stat != self._lines_per_stat  # the height changes only with the size of the panel
        if relayout:
            self._lines_per_stat = per_stat
            body.styles.height = len(lines)
        body.update(Content("\n").join(lines), layout=relayout)
        if focus is not None and not self.scroll_offset.y <= focus < self.scroll_offset.y + self.size.height - 3:
            self.scroll_to(y=focus, animate=False)


def scaled_sparkline(values: Iterable[float], low: float, high: float, width: int = 40) -> str:
    """A sparkline on a fixed scale from `low` to `high` (say a lab's values and its normal range together),
    so a small change in a wide range stays a small step, where `sparkline` stretches any change to full height.
    Values outside the scale are drawn at its edge."""
    shown = plottable(list(values)[-width:])
    if not shown or not (math.isfinite(low) and math.isfinite(high)):
        return ""
    span = (high - low) or 1.0
    return "".join(BARS[1 + round(min(max((v - low) / span, 0.0), 1.0) * 7)] for v in shown)
