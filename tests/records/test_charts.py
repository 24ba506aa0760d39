"""The HTML debrief's SVG charts with the numbers old records can hold: infinities, NaN, values near
the largest float, and 5e15 (where a step of 0.25 no longer changes a float). They must draw, quickly."""

from __future__ import annotations

import math
import re
import signal
from contextlib import contextmanager
from dataclasses import replace

import pytest

from mmjourney.journey.debrief_view import Lab
from mmjourney.journey.record import ChartPoint, StatInfo
from mmjourney.records import records
from mmjourney.records.charts import MAX_TICKS, _nice_ticks, stat_chart_svg
from mmjourney.records.exports import render

from .conftest import play, stamp

INF, NAN, BIG = math.inf, math.nan, 1.7976931348623157e308
HOSTILE = [(5e15, 5e15 + 1), (5e15, 5e15 + 0.5), (-1e308, 1e308), (-BIG, BIG), (0.0, BIG), (1e308, BIG),
           (-INF, INF), (0.0, INF), (NAN, 1.0), (NAN, NAN), (0.0, 5e-324), (-1e-308, 1e-308), (1e16, 1e16 + 2)]


@contextmanager
def within(seconds: float):
    """Fail instead of hanging (the old `_nice_ticks` looped for ever near 5e15)."""
    def expired(*_):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("low, high", HOSTILE)
def test_ticks_are_few_finite_and_quick_whatever_the_range(low, high):
    with within(2):
        ticks = _nice_ticks(low, high)
    assert len(ticks) <= MAX_TICKS
    assert all(math.isfinite(tick) for tick in ticks)
    assert ticks == sorted(set(ticks))


def test_ordinary_ticks_are_unchanged():
    assert _nice_ticks(0, 10) == [0, 2.5, 5, 7.5, 10]
    assert _nice_ticks(2.2, 2.6) == [2.2, 2.3, 2.4, 2.5, 2.6]
    assert _nice_ticks(-3, -1) == [-3, -2.5, -2, -1.5, -1]
    with within(2):
        assert _nice_ticks(5e15, 5e15 + 1) == [5e15, 5e15 + 1]  # a finer step would add nothing


def lab(values, normal=(2.2, 2.6)) -> Lab:
    stat = StatInfo("ca", "Calcium", "mmol/L", normal, 2, -BIG, BIG)
    return Lab(stat, tuple(range(len(values))), tuple(values))


@pytest.mark.parametrize("values", [
    [5e15, 5e15 + 1, 5e15 + 2], [1e308, -1e308, 1e308], [BIG, -BIG], [0.0, INF, 1.0], [NAN, 2.4, NAN],
    [-INF, INF], [NAN, NAN], [2.4, 1e308, 2.5],
], ids=str)
def test_a_chart_of_hostile_values_is_drawn_quickly_with_finite_coordinates(values):
    with within(2):
        svg = stat_chart_svg(lab(values), ((0, 1), (1, 2)))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|height|width)="([^"]*)"', svg)
    assert numbers and all(math.isfinite(float(n)) for n in numbers), numbers
    assert "nan" not in re.sub(r"<title>.*?</title>|aria-label=\"[^\"]*\"", "", svg).lower()
    assert svg.count("<line") <= 2 + MAX_TICKS


def test_a_non_finite_normal_range_is_left_out():
    svg = stat_chart_svg(lab([2.3, 2.4], normal=(-INF, INF)), ())
    assert "<rect" not in svg and "<circle" in svg


def test_an_old_record_with_hostile_numbers_exports_to_html_and_markdown(clinic):
    _, result = play(clinic, learner="Ada", clock=stamp)
    with records() as db:
        record = db.load(result.attempt_id)
    weird = [5e15, INF, -1e308, NAN, 1e308, 5e15 + 1]
    chart = tuple(ChartPoint(p.day, {name: weird[i % len(weird)] for name in p.values})
                  for i, p in enumerate(record.chart))
    hostile = replace(record, chart=chart)
    with within(10):
        page = render(hostile, "html")
        text = render(hostile, "md")
    assert page.count("<svg") >= len(record.story.stats) and "Calcium" in text
