"""`mmjourney play STORY` shows the story as learners meet it (summary, objectives, disclaimer) before
its first scene: Enter starts it, Escape goes to the title screen instead (issue 16)."""

from __future__ import annotations

from mmjourney.story import load_story
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.intro import StoryIntroScreen
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.screens.title import TitleScreen

from .conftest import FIXTURES, screen_text

CLINIC = FIXTURES / "clinic.yaml"


def flat(app) -> str:
    return " ".join(screen_text(app).replace("▎", " ").replace("▊", " ").replace("█", " ").split())


async def shown_card(app, pilot) -> str:
    """The screen's text once the story card is drawn (the story opens after the first refresh: on a busy
    machine that takes a few pauses)."""
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(app.screen, StoryIntroScreen) and "Learning objectives" in flat(app):
            return flat(app)
    raise AssertionError(f"the story card never showed: {flat(app)!r}")


def intro_app() -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, story_path=CLINIC, watch_settings=False, story_intro=True)


async def test_the_story_card_comes_first_and_enter_starts_the_story():
    model = load_story(CLINIC).model
    app = intro_app()
    async with app.run_test(size=(100, 40)) as pilot:
        shown = await shown_card(app, pilot)
        assert model.title in shown and " ".join(model.summary.split())[:60] in shown
        assert "Learning objectives" in shown and " ".join(model.objectives[0].text.split()) in shown
        assert " ".join(model.disclaimer.split())[:50] in shown
        assert "Mode: Practice" in shown
        assert app.focused is not None and app.focused.id == "start"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.journey.story.model.id == model.id


async def test_escape_goes_to_the_title_screen_instead():
    app = intro_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_card(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_without_the_intro_the_story_starts_at_once():
    app = MMJourneyApp(bundled_dir=FIXTURES, story_path=CLINIC, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
