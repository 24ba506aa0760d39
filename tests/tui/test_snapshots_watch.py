"""The author's views in the full-screen player: a preview started with `play --from`, and the watch mode's
variables panel (key v), driven by keys, with an SVG snapshot at 100x30 (pytest-textual-snapshot)."""

from __future__ import annotations

from textual.widgets import Static

from mmjourney.engine import Action
from mmjourney.journey import Workspace, preview_of
from mmjourney.story import load_story
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.watch import WatchingApp

from .conftest import REPO, keys_for, screen_text

PREVIEW = REPO / "tests" / "items" / "preview.yaml"
SIZE = (100, 30)


async def test_a_preview_starts_at_its_scene_says_so_and_keeps_nothing(tmp_path):
    story = load_story(PREVIEW)
    workspace = Workspace(tmp_path, learner="Ada")
    notes: list[tuple[str, str]] = []
    app = MMJourneyApp(story_path=PREVIEW, preview=preview_of(story, "ward"), seed=0, workspace=workspace,
                       watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        original = app.notify
        app.notify = lambda message, **kwargs: (notes.append((kwargs.get("title", ""), message)),
                                                original(message, **kwargs))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.session.scene_id == "ward"  # no story intro first
        # Said under the scene's heading, not in a toast that covered the options at 80x24.
        assert not notes and not app._notifications
        notice, decision = screen.query_one("#play-notice"), screen.query_one("#play-decision")
        assert str(notice.render()) == ("Preview from scene 'ward': the 1 decision on the way there was made for "
                                        "you. A preview is not saved or recorded: it adds no attempt to your records.")
        assert notice.region.height == 4 and notice.region.bottom <= decision.region.y
        text = screen_text(app)
        assert "Intravenous fluids" in text and "Wait and see" in text
        assert "Practice preview, not recorded" in str(screen.query_one("#play-bar", Static).render())
        await pilot.press(*keys_for(screen.session, Action("choose", "fluids")))
        await pilot.pause()
        assert screen.session.actions[-1] == Action("choose", "fluids")
        assert "Preview from" not in screen_text(app)  # the status bar says preview from then on
        await pilot.press("escape")
        await pilot.pause()
        assert notes[-1][1] == "A preview is not saved: run mmjourney play --from again to see it again."
    assert not list(tmp_path.rglob("*.json"))  # no autosave to Continue from


def test_the_variables_panel_at_100x30(snap_compare):
    async def open_the_panel(pilot):
        app = pilot.app
        await pilot.pause()
        await pilot.press("v")
        await pilot.press(*keys_for(app.screen.session, Action("choose", "wait")))
        await pilot.pause()
        app.clear_notifications()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "kidney_strain 3.0 hidden" in text and "Practice preview, not recorded" in text

    story = load_story(PREVIEW)
    app = WatchingApp(story_path=PREVIEW, preview=preview_of(story, "ward"), seed=0, watch_settings=False,
                      poll_seconds=3600)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_the_panel)
