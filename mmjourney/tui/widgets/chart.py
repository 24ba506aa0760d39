"""The patient chart: each visible stat with value, unit, H/L flag, trend arrow and sparkline."""

from __future__ import annotations

import math
from typing import Iterable

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Sparkline, Static

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


def stat_line(stat, value: float, before: float | None) -> Content:
    flag = flag_for(value, stat.normal)
    style = "bold $error" if flag == "H" else "bold $warning" if flag == "L" else "bold"
    return Content.assemble(
        (stat.label, "bold"), "\n",
        (number_text(value, stat.decimals), style), " ", stat.unit, " ", (flag or " ", style), " ",
        arrow_for(before, value),
    )


class PatientChart(VerticalScroll):
    """Rebuilt after every decision from the session's chart history."""

    def __init__(self, session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.border_title = "Patient chart"

    def compose(self) -> ComposeResult:
        for name in self._visible():
            yield Static(classes="chart-stat", id=f"stat-{name}")
            yield Sparkline([], classes="chart-spark", id=f"spark-{name}")

    def _visible(self) -> list[str]:
        return [name for name, stat in self.session.story.model.stats.items() if stat.visible]

    def refresh_from(self, session) -> None:
        """Update each row in place: the set of stats never changes during a journey."""
        self.session = session
        history = session.chart
        before = history[-2].stats if len(history) > 1 else None
        stats = session.story.model.stats
        for name in self._visible():
            value = session.state.stats[name]
            self.query_one(f"#stat-{name}", Static).update(
                stat_line(stats[name], value, before[name] if before else None))
            spark = self.query_one(f"#spark-{name}", Sparkline)
            spark.data = plottable(snapshot.stats[name] for snapshot in history)
            spark.display = len(spark.data) > 1  # one reading is not a trend
