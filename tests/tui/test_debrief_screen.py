"""The debrief screen by keys: the summary fits at 80x24, Enter on arrival starts nothing, and each decision to
revisit is a way to try again from just before it."""

from __future__ import annotations

from textual.widgets import OptionList

from mmjourney.journey import Journey
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.debrief import DebriefScreen
from mmjourney.tui.screens.play import PlayScreen

from ..records.conftest import play
from .conftest import FIXTURES, screen_text


def app() -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)


async def open_worst(pilot, clinic, mode="practice") -> DebriefScreen:
    session, _ = play(clinic, policy="worst", mode=mode, record=False)
    screen = DebriefScreen(Journey(session, pilot.app.workspace))
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_the_summary_and_the_first_decision_to_revisit_fit_at_80x24(clinic):
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_worst(pilot, clinic)
        text = screen_text(pilot.app)
        for seen in ("Outcome", "Score", "Safety   Unsafe: 1 critical error", "Pass     Not passed",
                     "Decisions to revisit", "1. Wait and see [harmful] CRITICAL ERROR", "try again from here"):
            assert seen in text, seen


async def test_enter_on_arrival_starts_nothing(clinic):
    """An Enter still held from the ending's Continue must not replay or branch."""
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_worst(pilot, clinic)
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen


async def test_b_then_down_then_enter_tries_again_from_the_second_decision_to_revisit(clinic):
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_worst(pilot, clinic, mode="assessment")
        revisit = screen.query_one("#debrief-held-back", OptionList)
        positions = [int(revisit.get_option_at_index(i).id) for i in range(revisit.option_count)]
        assert len(positions) >= 2
        await pilot.press("b")
        await pilot.pause()
        assert pilot.app.focused is revisit and revisit.highlighted == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        play_screen = pilot.app.screen
        assert isinstance(play_screen, PlayScreen)
        # Just before that decision, with everything before it kept, and in practice mode whatever the mode was.
        assert play_screen.session.actions == screen.session.actions[:positions[1]]
        assert play_screen.session.mode == "practice"


async def test_with_nothing_to_revisit_b_goes_to_every_decision(clinic):
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session, _ = play(clinic, record=False)
        screen = DebriefScreen(Journey(session, pilot.app.workspace))
        await pilot.app.push_screen(screen)
        await pilot.pause()
        assert not screen.query("#debrief-held-back")
        assert "Nothing: every decision was the best one open." in screen_text(pilot.app)
        await pilot.press("b", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen) and pilot.app.screen.session.actions == []


def test_a_small_fall_in_a_wide_normal_range_stays_a_small_step():
    from mmjourney.tui.widgets.chart import scaled_sparkline, sparkline

    assert sparkline([98, 96, 94]) == "█▅▁"  # stretched from lowest to highest: a collapse
    assert scaled_sparkline([98, 96, 94], 94, 165) == "▁▁▁"  # with the normal range 115-165 in the scale
    assert scaled_sparkline([200, -5], 0, 100) == "█▁"  # beyond the scale: drawn at its edge
    assert scaled_sparkline([float("nan")], 0, 1) == ""
