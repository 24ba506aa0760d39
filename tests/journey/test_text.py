"""The shared wording of numbers: scores, percentages, stat values with their H/L flag, times."""

from __future__ import annotations

from mmjourney import engine
from mmjourney.engine import Tally
from mmjourney.journey import text
from mmjourney.journey.record import ScoreTally
from mmjourney.journey.text import (
    flag_for,
    number_text,
    percent_text,
    points_text,
    range_text,
    score_text,
    stat_text,
    time_spent_text,
    when,
)


def test_score_text_reads_the_same_for_engine_and_record_tallies():
    assert score_text(ScoreTally(3.0, 6.0, 4, 50.0)) == "3 of 6 (50%)"
    assert score_text(Tally(points=3.0, max_points=6.0, decisions=4)) == "3 of 6 (50%)"
    assert score_text(ScoreTally(2.5, 3, 2, 83.33)) == "2.5 of 3 (83%)"
    assert score_text(ScoreTally(0, 0, 0, None)) == "no scored decisions"
    assert points_text(1.0, 2.0) == "1 of 2"


def test_percent_text():
    assert percent_text(None) == "–"
    assert percent_text(66.666) == "67%"
    assert percent_text(100.0) == "100%"


def test_stat_value_with_unit_and_flag():
    normal = (2.2, 2.6)
    assert flag_for(3.0, normal) == "H" and flag_for(2.0, normal) == "L" and flag_for(2.4, normal) == ""
    assert flag_for(2.6, normal) == "" and flag_for(99, None) == ""  # the range's ends are normal
    assert stat_text(3.0, 2, "mmol/L", normal) == "3.00 mmol/L H"
    assert stat_text(2.4, 2, "mmol/L", normal) == "2.40 mmol/L"
    assert stat_text(1.0, 0, "", (2, 3)) == "1 L"  # no unit: no double space
    assert number_text(37.04, 1) == "37.0"
    assert range_text((36.0, 37.9), 1) == "36.0 to 37.9"


def test_times():
    assert time_spent_text(None) == "0 s" and time_spent_text(42) == "42 s"
    assert time_spent_text(12 * 60 + 20) == "12 min" and time_spent_text(65 * 60) == "1 h 05 min"
    assert when("2026-03-01T14:05:09.123Z") == "2026-03-01 14:05 UTC" and when(None) == "unknown"


def test_the_story_clock_is_the_engines():
    assert text.duration_text is engine.duration_text and text.clock_text is engine.clock_text
    assert text.duration_text(14) == "2 weeks" and text.clock_text(0) == "Month 1, week 1, day 1"
