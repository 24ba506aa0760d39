"""A question's exhibit: the patient's own chart history as a table (an NGN trend item).

The table is built from the journey's chart, so each learner answers from the values their own
decisions produced. Several decisions can fall on one day: the day's last reading stands for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Session
from ..story.model import Stat
from .text import flag_for, number_text


@dataclass(frozen=True)
class TrendColumn:
    name: str
    stat: Stat

    def reading(self, value: float) -> tuple[str, str]:
        """'2.95' and its flag ('H', 'LL' or '')."""
        return number_text(value, self.stat.decimals), flag_for(value, self.stat.normal, self.stat.critical)


@dataclass(frozen=True)
class TrendRow:
    day: int  # journey day, from 1 as the status bar counts
    values: tuple[float, ...]


@dataclass(frozen=True)
class Trend:
    columns: tuple[TrendColumn, ...]
    rows: tuple[TrendRow, ...]


def trend_of(session: Session) -> Trend | None:
    """The trend the current question shows, or None when it shows none."""
    question = session.scene.question
    if question is None or question.exhibit is None:
        return None
    stats = session.story.model.stats
    columns = tuple(TrendColumn(name, stats[name]) for name in question.exhibit.trend)
    by_day: dict[int, dict[str, float]] = {}
    for point in session.chart:
        by_day[point.day] = point.stats
    days = sorted(by_day)[-question.exhibit.readings:]
    rows = tuple(TrendRow(day + 1, tuple(by_day[day][column.name] for column in columns)) for day in days)
    return Trend(columns, rows)
