"""A question's exhibit: the patient's own chart history as a table (an NGN trend item).

The table is built from the journey's chart, so each learner answers from the values their own
decisions produced. Several decisions can fall on one day: the day's last reading stands for it.
The same table goes into the attempt record with the answer (`journey.record.Trend`), so the debrief
and the exports show what the learner read, flags and all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..engine import ChartPoint, Session
from ..story.model import Question, Stat
from .record import Trend, TrendColumn, TrendRow
from .text import flag_for


def trend_at(question: Question, stats: Mapping[str, Stat], chart: Sequence[ChartPoint]) -> Trend | None:
    """The trend `question` shows over `chart` (the journey's chart up to the question), or None when it
    shows none."""
    if question.exhibit is None:
        return None
    shown = [(name, stats[name]) for name in question.exhibit.trend]
    by_day: dict[int, dict[str, float]] = {}
    for point in chart:
        by_day[point.day] = point.stats
    days = sorted(by_day)[-question.exhibit.readings:]
    rows = tuple(TrendRow(day + 1, tuple(by_day[day][name] for name, _ in shown),
                          tuple(flag_for(by_day[day][name], stat.normal, stat.critical) for name, stat in shown))
                 for day in days)
    return Trend(tuple(TrendColumn(name, stat.label, stat.unit, stat.decimals) for name, stat in shown), rows)


def trend_of(session: Session) -> Trend | None:
    """The trend the current question shows, or None when it shows none."""
    question = session.scene.question
    if question is None:
        return None
    return trend_at(question, session.story.model.stats, session.chart)
