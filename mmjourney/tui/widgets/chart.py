"""The patient chart: each visible stat with value, unit, H/L flag, trend arrow and sparkline."""

from __future__ import annotations

import math
from typing import Iterable

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...journey.text import flag_for, number_text


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


def stat_lines(stat, value: float, history: list[float], width: int) -> list[Content]:
    """Three lines for one stat: its label, its value with unit, flag and trend, and its sparkline
    over the chart's history (blank until there are two readings: one reading is not a trend)."""
    before = history[-2] if len(history) > 1 else None
    flag = flag_for(value, stat.normal)
    style = "bold $error" if flag == "H" else "bold $warning" if flag == "L" else "bold"
    trend = sparkline(history, width) if len(history) > 1 else ""
    return [
        Content.styled(stat.label, "bold"),
        Content.assemble((number_text(value, stat.decimals), style), " ", stat.unit, " ", (flag or " ", style), " ",
                         arrow_for(before, value)),
        Content.styled(trend, "$accent"),
    ]


class PatientChart(VerticalScroll):
    """The visible stats, drawn as one block of text.

    One widget of a fixed height, updated without a layout pass: the chart changes after every
    decision, and re-laying out a widget per stat was the slowest part of answering a key press.
    The number of lines never changes during a journey (the set of stats is fixed), so the
    height is set once.
    """

    def __init__(self, session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.border_title = "Patient chart"
        self._drawn: tuple | None = None  # what the lines show, to skip redrawing the same chart

    def compose(self) -> ComposeResult:
        body = Static(id="chart-lines")
        body.styles.height = 3 * len(self._visible())
        yield body

    def _visible(self) -> list[str]:
        return [name for name, stat in self.session.story.model.stats.items() if stat.visible]

    def on_resize(self) -> None:
        self.refresh_from(self.session)  # the sparklines fit the new width

    def refresh_from(self, session) -> None:
        self.session = session
        stats = session.story.model.stats
        width = max(self.scrollable_content_region.width, 10)
        # Closing feedback shows the chart the feedback already showed: nothing to draw.
        drawn = (width, tuple(tuple(snapshot.stats.values()) for snapshot in session.chart),
                 tuple(session.state.stats.values()))
        if drawn == self._drawn:
            return
        self._drawn = drawn
        lines: list[Content] = []
        for name in self._visible():
            history = [snapshot.stats[name] for snapshot in session.chart]
            lines += stat_lines(stats[name], session.state.stats[name], history, width)
        self.query_one("#chart-lines", Static).update(Content("\n").join(lines), layout=False)


def scaled_sparkline(values: Iterable[float], low: float, high: float, width: int = 40) -> str:
    """A sparkline on a fixed scale from `low` to `high` (say a lab's values and its normal range together),
    so a small change in a wide range stays a small step, where `sparkline` stretches any change to full height.
    Values outside the scale are drawn at its edge."""
    shown = plottable(list(values)[-width:])
    if not shown or not (math.isfinite(low) and math.isfinite(high)):
        return ""
    span = (high - low) or 1.0
    return "".join(BARS[1 + round(min(max((v - low) / span, 0.0), 1.0) * 7)] for v in shown)
