"""Trend items (NGN, issue 15): a question asked over a table of the patient's own chart history, in the format
and its checks, the journey layer, the full-screen player and the plain player."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey.exhibit import trend_of
from mmjourney.story import load_story, validate_file

TREND = Path(__file__).parent / "items" / "trend.yaml"


@pytest.fixture(scope="module")
def story():
    return load_story(TREND)


def at_question(story, wait_choices=("wait_a_day", "wait_again")) -> Session:
    session = Session(story)
    for choice in wait_choices:
        session.apply(Action("choose", choice))
    return session


def test_the_trend_is_the_patients_own_readings_one_row_per_day(story):
    session = at_question(story)
    trend = trend_of(session)
    assert [column.stat for column in trend.columns] == ["calcium", "creatinine"]
    assert [row.day for row in trend.rows] == [1, 2, 3]
    assert [row.values for row in trend.rows] == [pytest.approx((3.2, 150)), pytest.approx((3.3, 170)),
                                                 pytest.approx((3.4, 190))]
    assert trend.cells(trend.rows[-1]) == [("3.40", "HH"), ("190", "H")]


def test_the_table_keeps_the_latest_days_and_each_days_last_reading(story):
    session = at_question(story)
    session.state.stats["calcium"] = 9.9  # not yet on the chart: the table shows what was charted
    assert trend_of(session).rows[-1].values[0] == pytest.approx(3.4)
    exhibit = story.model.scenes["ask"].question.exhibit
    assert exhibit.readings == 3 and len(trend_of(session).rows) == 3


def test_a_question_without_an_exhibit_has_no_trend(story):
    assert trend_of(Session(story)) is None


SOURCE = TREND.read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, message", [
    ("trend: [calcium, creatinine]", "trend: [calcum, creatinine]",
     "the trend shows stat 'calcum', which the story does not have; did you mean 'calcium'?"),
    ("trend: [calcium, creatinine]", "trend: [calcium, trust]",
     "stat 'trust' is hidden from the chart (visible: false): a trend must not reveal it"),
])
def test_the_checks_name_the_stat(old, new, message, tmp_path):
    path = tmp_path / "trend.yaml"
    path.write_text(SOURCE.replace(old, new), encoding="utf-8")
    problems = [str(p) for p in validate_file(path)]
    assert any(message in p for p in problems), problems


async def test_the_full_screen_player_shows_the_table_under_the_scene():
    from mmjourney.tui.app import MMJourneyApp

    from .tui.conftest import screen_text

    app = MMJourneyApp(story_path=TREND, mode="assessment", watch_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "Trend: the patient's readings" in text
        for line in ("Day 1   3.20 H", "Day 2   3.30 H", "Day 3   3.40 HH"):
            assert line in text, line
        assert "150 H" in text and "190 H" in text and "µmol/L" in text


def test_a_long_label_wraps_over_the_header_lines_and_is_never_cut(story):
    """'M-protein (I…' at 200 columns: the column the item asks about could not be told from its heading."""
    from dataclasses import replace

    from mmjourney.tui.widgets.exhibit import CELL_WIDTH, DAY_WIDTH, trend_content

    trend = trend_of(at_question(story))
    assert trend is not None
    label = "M-protein (IgG paraprotein)"
    long = replace(trend.columns[0], label=label)
    shown = trend_content(replace(trend, columns=(long, *trend.columns[1:]))).plain
    assert "…" not in shown
    first_column = [line[DAY_WIDTH:DAY_WIDTH + CELL_WIDTH] for line in shown.splitlines()[1:4]]
    assert " ".join(" ".join(first_column).split()) == label
    assert shown.splitlines()[1][DAY_WIDTH + CELL_WIDTH:].split()[0] == trend.columns[1].label  # beside it


def test_the_columns_narrow_to_the_story_pane_so_no_row_wraps(story):
    """At 80x24 the story pane is 47 columns: a table of 13-column cells wrapped its rows out of their columns."""
    from dataclasses import replace

    from mmjourney.tui.widgets.exhibit import trend_content

    trend = trend_of(at_question(story))
    assert trend is not None
    four = replace(trend, columns=(trend.columns * 4)[:4],
                   rows=tuple(replace(row, values=(row.values * 4)[:4], flags=(row.flags * 4)[:4])
                              for row in trend.rows))
    lines = trend_content(four, 47).plain.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 47  # so the pane never wraps a row
    assert "…" not in "\n".join(lines)


def test_the_plain_player_reads_the_table_a_day_at_a_time(story):
    from mmjourney.plain import play_plain

    out = io.StringIO()
    play_plain(story, seed=0, mode="assessment", stdin=io.StringIO("1\n1\n1\n\n"), stdout=out)
    text = out.getvalue()
    assert "Trend, the patient's readings over the last 3 days:" in text
    assert ("Day 3: Calcium 3.40 millimoles per litre, critically high; Creatinine 190 micromoles per litre, "
            "high.") in text
    assert text.index("Trend,") < text.index("Question: What do her readings show?")
