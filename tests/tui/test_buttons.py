"""Every button of the debrief and the small dialogs does what it says (handlers are `@on(Button.Pressed, "#id")`)."""

from __future__ import annotations

from textual.widgets import OptionList

from mmjourney.journey import Journey
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.debrief import DebriefScreen
from mmjourney.tui.screens.export import ExportScreen
from mmjourney.tui.screens.learner_name import LearnerNameScreen
from mmjourney.tui.screens.messages import AskScreen, MessageScreen
from mmjourney.tui.screens.picker import PickerScreen
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.screens.title import TitleScreen

from ..records.conftest import play
from .conftest import FIXTURES

SIZE = (100, 40)


def app() -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)


async def open_debrief(pilot, clinic) -> DebriefScreen:
    session, _ = play(clinic, record=False)
    screen = DebriefScreen(Journey(session, pilot.app.workspace))
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_the_debrief_buttons(clinic):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        for button, shows in (("#replay", PlayScreen), ("#picker", PickerScreen), ("#title", TitleScreen),
                              ("#export", ExportScreen)):
            await open_debrief(pilot, clinic)
            await pilot.click(button)
            await pilot.pause()
            assert isinstance(pilot.app.screen, shows), button
            pilot.app.back_to_title()
            await pilot.pause()


async def test_the_debrief_branch_list(clinic):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_debrief(pilot, clinic)
        await pilot.press("b", "down", "enter")  # before decision 2
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen) and len(pilot.app.screen.session.history) == 1


async def test_message_and_question_dialogs():
    answers = []
    async with app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(MessageScreen("Title", "Body"))
        await pilot.click("#close")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TitleScreen)
        await pilot.app.push_screen(AskScreen("Go?", "Really?", [("yes", "Yes"), ("no", "No")]), answers.append)
        await pilot.click("#no")
        await pilot.pause()
        assert answers == ["no"] and isinstance(pilot.app.screen, TitleScreen)


async def test_learner_name_and_export_dialogs_cancel_and_save(clinic):
    _, result = play(clinic, learner="Ada")
    names = []
    async with app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(LearnerNameScreen("Ada"), names.append)
        await pilot.click("#cancel")
        await pilot.pause()
        await pilot.app.push_screen(LearnerNameScreen("Ada"), names.append)
        await pilot.click("#save")
        await pilot.pause()
        assert names == [None, "Ada"]
        await pilot.app.push_screen(ExportScreen(result.attempt_id), names.append)
        await pilot.click("#cancel")
        await pilot.pause()
        assert names == [None, "Ada", None] and isinstance(pilot.app.screen, TitleScreen)


async def test_what_held_you_back_is_the_way_to_try_again(clinic):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        session, _ = play(clinic, policy="worst", record=False)
        await pilot.app.push_screen(DebriefScreen(Journey(session, pilot.app.workspace)))
        await pilot.pause()
        held_back = pilot.app.screen.query_one("#debrief-held-back", OptionList)
        assert held_back.get_option_at_index(0).prompt.plain.startswith("1. Wait and see [harmful] CRITICAL ERROR")
        await pilot.press("b", "enter")  # the first thing that held the learner back
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen) and pilot.app.screen.session.history == []
