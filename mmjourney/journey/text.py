"""The words and numbers every front end and export shows the same way.

Scores ("3 of 6 (50%)"), percentages, stat values with their unit and H/L flag, times and
durations. The TUI, the plain player and the exports call these, so they cannot drift apart.
The story clock lives in the engine (a Session tells its own time); it is re-exported here so
front ends find all formatting in one place.
"""

from __future__ import annotations

import calendar
import time
from typing import Protocol

from ..engine.clock import clock_text, duration_text

__all__ = ["FLAG_WORDS", "clock_text", "count_text", "duration_text", "flag_for", "journey_day", "number_text",
           "percent_text", "patient_text", "points_text", "range_text", "score_text", "stat_text", "time_spent_text",
           "when"]


def journey_day(day: int) -> str:
    """'Journey day 3': the one clock a learner reads, in the status bar, the plain player and the debrief (the
    story's own words say the day of a cycle; a second calendar beside them disagreed with it)."""
    return f"Journey day {day + 1}"


class Scored(Protocol):
    @property
    def points(self) -> float: ...

    @property
    def max_points(self) -> float: ...

    @property
    def percent(self) -> float | None: ...


def points_text(points: float, max_points: float) -> str:
    """'3 of 6'."""
    return f"{points:g} of {max_points:g}"


def count_text(count: int, thing: str) -> str:
    """'1 critical error', '2 critical errors'."""
    return f"{count} {thing}" + ("" if count == 1 else "s")


def percent_text(percent: float | None) -> str:
    """'50%', or a dash when there is nothing to score."""
    return "–" if percent is None else f"{percent:.0f}%"


def score_text(tally: Scored) -> str:
    """'3 of 6 (50%)' for a tally (the engine's or a record's)."""
    if not tally.max_points:
        return "no scored decisions"
    return points_text(tally.points, tally.max_points) + (
        f" ({percent_text(tally.percent)})" if tally.percent is not None else "")


def number_text(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def flag_for(value: float, normal: tuple[float, float] | None,
             critical: tuple[float | None, float | None] | None = None) -> str:
    """'H' or 'L' against the normal range, 'HH' or 'LL' beyond a critical limit, else '': letters, so the
    flag never depends on colour alone."""
    low_limit, high_limit = critical or (None, None)
    if high_limit is not None and value > high_limit:
        return "HH"
    if low_limit is not None and value < low_limit:
        return "LL"
    if normal is None:
        return ""
    low, high = normal
    return "H" if value > high else "L" if value < low else ""


FLAG_WORDS = {"H": "high", "L": "low", "HH": "critically high", "LL": "critically low"}


def stat_text(value: float, decimals: int, unit: str = "", normal: tuple[float, float] | None = None) -> str:
    """'3.05 mmol/L H': the value, its unit and its flag."""
    flag = flag_for(value, normal)
    return f"{number_text(value, decimals)} {unit}".rstrip() + (f" {flag}" if flag else "")


def range_text(normal: tuple[float, float], decimals: int, between: str = " to ") -> str:
    """'2.20 to 2.60' ('2.20-2.60' with `between="-"`, where room is short)."""
    return f"{number_text(normal[0], decimals)}{between}{number_text(normal[1], decimals)}"


def patient_text(patient) -> str:
    """'Maggie Reid, 68, female': who the learner is caring for."""
    return f"{patient.name}, {patient.age}" + (f", {patient.sex}" if patient.sex else "")


def time_spent_text(seconds: float | None) -> str:
    """'45 s', '12 min', '1 h 05 min': time spent on an attempt."""
    seconds = float(seconds or 0)
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def when(stamp: str | None) -> str:
    """'2026-03-01 14:05 UTC' from a stored time."""
    if not stamp:
        return "unknown"
    return f"{stamp[:10]} {stamp[11:16]} UTC"


def local_time(stamp: str | None) -> str:
    """A stored UTC time as local 'YYYY-MM-DD HH:MM' (the learner's own clock, on screen)."""
    if not stamp:
        return "–"
    try:
        seconds = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return stamp
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))
