"""The small dialogs: Enter answers with the first (focused) button, and how they look at three sizes.

Baselines live in tests/tui/__snapshots__/test_snapshots_dialogs/; after an intended change, run
`pytest tests/tui/test_snapshots_dialogs.py --snapshot-update` and look at the report.
"""

from __future__ import annotations

import pytest
from textual.widgets import Button

from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.messages import AskScreen, ChooseScreen, MessageScreen
from mmjourney.tui.screens.title import TitleScreen

from .conftest import FIXTURES

SIZES = [(80, 24), (120, 40), (200, 60)]
LONG = "\n\n".join(f"Paragraph {n}: the saved journey's decisions are replayed on the edited story, and the "
                   "first one that no longer fits is named here so you can decide." for n in range(1, 13))


def app() -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)


def go_back() -> AskScreen:
    """The timeline's question, as the play screen asks it."""
    return AskScreen("Go back?", "Go back to just before decision 3: Check the temperature?\n"
                     "The decisions after it are undone.", [("back", "Go back"), ("cancel", "Cancel")])


def story_changed() -> AskScreen:
    return AskScreen("The story has changed", LONG, [("partial", "Resume after decision 4"),
                                                      ("restart", "Start again"), ("cancel", "Cancel")])


@pytest.mark.parametrize("dialog, first", [(go_back, "back"), (story_changed, "partial")])
async def test_enter_answers_with_the_first_button(dialog, first):
    answers = []
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(dialog(), answers.append)
        await pilot.pause()
        focused = pilot.app.focused
        assert isinstance(focused, Button) and focused.id == first
        await pilot.press("enter")
        await pilot.pause()
        assert answers == [first] and isinstance(pilot.app.screen, TitleScreen)


async def test_the_other_answers_are_a_tab_or_an_arrow_away():
    answers = []
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("tab", "right"):
            await pilot.app.push_screen(go_back(), answers.append)
            await pilot.pause()
            await pilot.press(key, "enter")
            await pilot.pause()
        await pilot.app.push_screen(go_back(), answers.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert answers == ["cancel", "cancel", None]


async def test_a_long_question_scrolls_by_keys_and_keeps_its_buttons_focused():
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(story_changed())
        await pilot.pause()
        body = pilot.app.screen.query_one(".dialog-body")
        assert body.max_scroll_y > 0
        await pilot.press("pagedown", "down")
        await pilot.pause()
        assert body.scroll_y > 0 and pilot.app.focused.id == "partial"
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y


async def test_enter_closes_a_message():
    closed = []
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(MessageScreen("Cannot continue", "The save is damaged."), closed.append)
        await pilot.pause()
        assert pilot.app.focused.id == "close"
        await pilot.press("enter")
        await pilot.pause()
        assert closed == [None] and isinstance(pilot.app.screen, TitleScreen)


async def test_enter_chooses_the_first_journey():
    chosen = []
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ChooseScreen("Continue which journey?", "Each story keeps its own.",
                                                 ["Tutorial: practice, 4 steps", "Clinic: assessment, 2 steps"]),
                                    chosen.append)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert chosen == [0]


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def showing(dialog):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.push_screen(dialog())
        await settle(pilot)
    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_go_back_dialog(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=showing(go_back))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_story_changed_dialog(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=showing(story_changed))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_message_dialog(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=showing(
        lambda: MessageScreen("This story cannot be played", "clinic.yaml, line 12, column 5: 'goto' names a "
                              "scene that does not exist: 'wardround'. Did you mean 'ward-round'?")))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_choose_dialog(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=showing(
        lambda: ChooseScreen("Continue which journey?", "Each story keeps its own unfinished journey.",
                             ["Tutorial: first shift: practice, 6 steps, saved 2026-11-28 18:05",
                              "When it comes back: assessment, 14 steps, saved 2026-11-27 09:12"])))
