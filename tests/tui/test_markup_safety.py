"""Story text is untrusted: '[TODO]', '[/' and '[b]x' must reach the screen literally, everywhere."""

from __future__ import annotations

import shutil

from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.debrief import DebriefScreen
from mmjourney.tui.screens.play import PlayScreen

from .conftest import FIXTURES, screen_text

TRAP = FIXTURES / "markup" / "markup-trap.yaml"


def assert_literal(app, *fragments):
    text = screen_text(app)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} missing from:\n{text}"


async def test_every_widget_shows_story_text_literally(tmp_path, monkeypatch):
    mine = tmp_path / "my-stories"
    mine.mkdir()
    shutil.copy(TRAP, mine / TRAP.name)
    app = MMJourneyApp(stories_dir=mine)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("end")  # the user's stories come after the bundled ones
        await pilot.pause()
        assert_literal(app, "[TODO] Markup [b]trap", "Summary [TODO] with [/b] and [b]x", "Objective [TODO] [/ [b]x")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("2")  # the locked choice: its reason appears in a notification
        await pilot.pause()
        assert_literal(app, "[TODO] Markup [b]trap", "Phase [TODO]", "Title [/", "Label [TODO] [/ [b]x",
                       "Reason [TODO] [/", "Dose [TODO]", "[mg]")
        assert "Text [TODO] then [/ and [b]x and [/b] end" in " ".join(screen_text(app).split())
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.feedback is not None
        assert_literal(app, "Chance [TODO] [/", "Outcome [TODO] [/", "Rationale [b]x [/", "Nursing [/b] [TODO]",
                       "Citation [TODO] [/ [b]x")
        await pilot.press("enter")
        await pilot.pause()
        assert_literal(app, "Prompt [TODO] [/", "Option [TODO] [/", "Other [b]x")
        await pilot.press("1", "s")
        await pilot.pause()
        assert_literal(app, "Because [/ [b]x", "No [TODO]", "Explanation [/ [b]x")
        await pilot.press("enter")  # close the feedback
        await pilot.pause()
        assert_literal(app, "Almost [TODO]", "[b]x")
        await pilot.press("enter")  # continue
        await pilot.pause()
        assert_literal(app, "Event text [TODO] [/", "Handle [TODO]")  # the event interrupted
        await pilot.press("1")
        await pilot.pause()
        assert_literal(app, "Handled [/", "Why [TODO]")
        await pilot.press("enter")
        await pilot.pause()
        assert_literal(app, "The end [/ [TODO]", "Ending [TODO] [/")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert_literal(app, "Ending [TODO] [/", "Label [TODO] [/ [b]x", "Objective [TODO] [/ [b]x")
        await pilot.press("g")
        await pilot.pause()


async def test_glossary_shows_terms_literally():
    from mmjourney.story import load_story

    story = load_story(TRAP)
    app = MMJourneyApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_glossary(story.model.glossary)
        await pilot.pause()
        assert_literal(app, "[TODO] term", "Definition [/ [b]x")
