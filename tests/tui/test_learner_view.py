"""The play screen at 80x24 shows texts up to the limits `mmjourney check` warns at, and not one line more.

tests/tui/fixtures/learner-view.yaml holds, for each limit, a text that just fits and one a line longer
(the lengths come from the check's own wrapping, `wrapped_rows`). Played at 80x24, the one that fits is
on screen to its last word, and the longer one loses its last word, as the check says.
"""

from __future__ import annotations

import random
from pathlib import Path

from textual.content import Content

from mmjourney.journey import layout
from mmjourney.story import load_story
from mmjourney.tools.learnerview import wrapped_rows
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.play import PlayScreen

from .conftest import screen_text

STORY = Path(__file__).parent / "fixtures" / "learner-view.yaml"


async def _play_screen(pilot, app):
    await pilot.pause()
    if not isinstance(app.screen, PlayScreen):  # `play STORY` shows the story's card first
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.screen, PlayScreen)


def test_the_checks_wrapping_is_the_games():
    """The check counts lines as the game wraps them, for words of every length (some longer than a line)."""
    pick = random.Random(16)
    for _ in range(300):
        words = ["x" * pick.choice([1, 2, 5, 9, 14, 40, 70]) for _ in range(pick.randint(1, 40))]
        text = " ".join(words)
        for width in (35, 39, 46):
            assert wrapped_rows(text, width) == len(Content(text).wrap(width)), (text, width)


async def test_a_choice_fits_up_to_the_lines_its_list_shows_at_80x24():
    story = load_story(STORY)
    fits, spills = story.model.scenes["ward"].choices[:2]
    width, rows = layout.option_width("1."), layout.list_rows(layout.CHOICE_LIST_VH)
    assert (wrapped_rows(f"{fits.label}  [assessment]", width), wrapped_rows(f"{spills.label}  [assessment]", width),
            rows) == (10, 11, 10)
    app = MMJourneyApp(story_path=STORY)
    async with app.run_test(size=layout.SMALLEST) as pilot:
        await _play_screen(pilot, app)
        text = screen_text(app)
        assert "ENDFIT  [assessment]" in text  # the whole of the first choice, with the cursor on it
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "2. the nurse checks" in text and "ENDSPILL" not in text  # in view, but its end is not


async def test_a_ticked_option_fits_up_to_the_lines_its_list_shows_at_80x24():
    app = MMJourneyApp(story_path=STORY)
    async with app.run_test(size=layout.SMALLEST) as pilot:
        await _play_screen(pilot, app)
        await pilot.press("1", "enter")  # the first choice, then its feedback
        await pilot.pause()
        assert app.screen.session.scene_id == "quiz"
        text = screen_text(app)
        assert "ENDTICK" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "2. [ ] the nurse checks" in text and "ENDOVER" not in text


async def test_a_stat_label_wider_than_the_chart_pushes_its_last_line_out_at_80x24():
    width = layout.chart_width()
    story = load_story(STORY)
    labels = {name: len(stat.label) for name, stat in story.model.stats.items()}
    assert labels == {"calcium": width, "creatinine": width + 1, "sodium": 6}
    app = MMJourneyApp(story_path=STORY)
    async with app.run_test(size=layout.SMALLEST) as pilot:
        await _play_screen(pilot, app)
        lines = [line[51:].rstrip() for line in screen_text(app).splitlines()]
        assert " Calcium corrected (albumin)" in lines  # 27 characters: one line
        assert " Creatinine (estimated)" in lines and " today" in lines  # 28: wraps
        assert " 139 mmol/L" in lines and not any("normal 135-145" in line for line in lines)  # the last line is lost
