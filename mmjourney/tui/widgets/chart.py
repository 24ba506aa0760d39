"""The patient chart: each visible stat with value, unit, H/L flag, trend arrow and sparkline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Sparkline, Static


def flag_for(value: float, normal) -> str:
    """'H' or 'L' against the normal range: a letter, so the flag never depends on colour alone."""
    if normal is None:
        return " "
    low, high = normal
    return "H" if value > high else "L" if value < low else " "


def arrow_for(before: float | None, now: float) -> str:
    if before is None or abs(now - before) < 1e-9:
        return " "
    return "▲" if now > before else "▼"


def stat_line(stat, value: float, before: float | None) -> Content:
    flag = flag_for(value, stat.normal)
    text = f"{value:.{stat.decimals}f}"
    style = "bold $error" if flag == "H" else "bold $warning" if flag == "L" else "bold"
    return Content.assemble(
        (stat.label, "bold"), "\n",
        (text, style), " ", stat.unit, " ", (flag, style), " ", arrow_for(before, value),
    )


class PatientChart(VerticalScroll):
    """Rebuilt after every decision from the session's chart history."""

    def __init__(self, session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.border_title = "Patient chart"

    def compose(self) -> ComposeResult:
        yield from self._rows()

    def _rows(self):
        session = self.session
        history = session.chart
        before = history[-2].stats if len(history) > 1 else None
        for name, stat in session.story.model.stats.items():
            if not stat.visible:
                continue
            value = session.state.stats[name]
            yield Static(stat_line(stat, value, before[name] if before else None), classes="chart-stat")
            spark = Sparkline([snapshot.stats[name] for snapshot in history], classes="chart-spark")
            spark.display = len(history) > 1  # one reading is not a trend
            yield spark

    async def refresh_from(self, session) -> None:
        self.session = session
        await self.remove_children()
        await self.mount_all(list(self._rows()))
