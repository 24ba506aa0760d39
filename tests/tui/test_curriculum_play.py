"""Every bundled story played to its debrief in the full-screen player, by keys."""

from __future__ import annotations

import pytest

from mmjourney.story import load_story
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.debrief import DebriefScreen
from mmjourney.tui.screens.play import PlayScreen

from ..test_curriculum import STORIES
from .conftest import expert_actions
from .test_play import play


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
async def test_expert_plays_the_story_to_a_full_marks_debrief(path):
    story = load_story(path)
    app = MMJourneyApp(story_path=path, mode="assessment", watch_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await play(pilot, app, expert_actions(story), practice=False)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.record.scores.overall.percent == 100.0
        assert app.screen.record.ending.kind == "good"
