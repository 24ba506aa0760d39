"""`mmjourney play --watch`: a saved edit reloads the story, replays the decisions, shows errors in the game."""

from __future__ import annotations

import os
import shutil

from textual.widgets import Static

from mmjourney.engine import Action
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.screens.title import TitleScreen
from mmjourney.tui.watch import ProblemsScreen, WatchingApp

from ..tui.conftest import keys_for
from .conftest import TOOLS_FIXTURES, run_cli

SIZE = (100, 32)


def copy_story(tmp_path):
    path = tmp_path / "clean.yaml"
    shutil.copy(TOOLS_FIXTURES / "clean.yaml", path)
    return path


def save(path, text):
    """Write the file and make sure its modification time moves on, as an editor's save does."""
    before = os.stat(path).st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def play_screen(app) -> PlayScreen:
    assert isinstance(app.screen, PlayScreen), type(app.screen)
    return app.screen


def problems_text(app) -> str:
    return str(app.screen.query_one("#watch-text", Static).render())


async def test_a_saved_edit_reloads_and_replays_the_decisions(tmp_path):
    path = copy_story(tmp_path)
    app = WatchingApp(story_path=path, watch_settings=False, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = play_screen(app).session
        session.apply(Action("choose", "check_obs", outcome=0))
        session.apply(Action("choose", "give_fluids"))
        assert not app.check_for_changes()  # nothing saved yet
        save(path, path.read_text(encoding="utf-8").replace("text: Review.", "text: Reviewed after the edit."))
        assert app.check_for_changes()
        await pilot.pause()
        reloaded = play_screen(app).session
        assert reloaded is not session and reloaded.actions == session.actions
        assert reloaded.story.model.scenes["review"].full_text == "Reviewed after the edit."
        assert reloaded.scene_id == session.scene_id == "review"
        assert len(app.screen_stack) == 2  # title and the new play screen, nothing left behind


async def test_errors_show_in_the_game_until_a_save_fixes_them(tmp_path):
    path = copy_story(tmp_path)
    good = path.read_text(encoding="utf-8")
    app = WatchingApp(story_path=path, watch_settings=False, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        play_screen(app).session.apply(Action("choose", "check_obs", outcome=1))
        save(path, good.replace("goto: review", "goto: reveiw"))
        app.check_for_changes()
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        text = problems_text(app)
        assert f"{path}:" in text and "error: goto: unknown scene 'reveiw'; did you mean 'review'?" in text
        save(path, good.replace("goto: review", "goto: nowhere_[b]at_all[/b]"))
        app.check_for_changes()
        await pilot.pause()
        assert "'nowhere_[b]at_all[/b]' is not a valid id" in problems_text(app)  # markup-like text stays text
        save(path, good)
        app.check_for_changes()
        await pilot.pause()
        screen = play_screen(app)
        assert [a.id for a in screen.session.actions] == ["check_obs"] and screen.session.scene_id == "fever"
        assert not any(isinstance(s, ProblemsScreen) for s in app.screen_stack)


async def test_a_story_broken_from_the_start_waits_for_a_fix(tmp_path):
    path = copy_story(tmp_path)
    good = path.read_text(encoding="utf-8")
    save(path, good.replace("start: clinic", "start: clinik"))
    app = WatchingApp(story_path=path, watch_settings=False, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "start scene 'clinik' does not exist; did you mean 'clinic'?" in problems_text(app)
        save(path, good)
        for _ in range(40):  # the timer notices the save by itself
            await pilot.pause(0.05)
            if isinstance(app.screen, PlayScreen):
                break
        assert play_screen(app).session.scene_id == "clinic"
        assert isinstance(app.screen_stack[0], TitleScreen) and len(app.screen_stack) == 2


async def test_decisions_that_no_longer_fit_are_dropped_and_the_player_is_told(tmp_path):
    path = copy_story(tmp_path)
    app = WatchingApp(story_path=path, watch_settings=False, poll_seconds=3600)
    notes = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notify = lambda message, **kwargs: notes.append(message)
        session = play_screen(app).session
        session.apply(Action("choose", "check_obs", outcome=0))
        session.apply(Action("choose", "give_fluids"))
        save(path, path.read_text(encoding="utf-8").replace("- id: give_fluids", "- id: start_fluids").replace(
            "[check_obs: {outcome: 1}, give_fluids]", "[check_obs: {outcome: 1}, start_fluids]").replace(
            "[check_obs: {outcome: 2}, treat_fever, give_fluids]",
            "[check_obs: {outcome: 2}, treat_fever, start_fluids]"))
        app.check_for_changes()
        await pilot.pause()
        assert [a.id for a in play_screen(app).session.actions] == ["check_obs"]
        assert notes and notes[-1].startswith("Reloaded clean.yaml: replayed 1 of 2 decisions; decision 2 "
                                              "('give_fluids') no longer fits:")


async def test_a_saved_fragment_reloads_too(tmp_path):
    (tmp_path / "fragments").mkdir()
    fragment = tmp_path / "fragments" / "extra.yaml"
    fragment.write_text("fragment: extra glossary\nglossary:\n  Term: First meaning.\n", encoding="utf-8")
    path = copy_story(tmp_path)
    save(path, path.read_text(encoding="utf-8").replace("patient:", "includes: [fragments/extra.yaml]\npatient:"))
    app = WatchingApp(story_path=path, watch_settings=False, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert play_screen(app).session.story.model.glossary["Term"] == "First meaning."
        save(fragment, "fragment: extra glossary\nglossary:\n  Term: Second meaning.\n")
        assert app.check_for_changes()
        await pilot.pause()
        assert play_screen(app).session.story.model.glossary["Term"] == "Second meaning."


def test_watch_needs_a_story_and_a_terminal():
    result = run_cli("play", "--watch", TOOLS_FIXTURES / "clean.yaml")
    assert result.returncode == 2 and "--watch needs a story file and the full-screen player" in result.stderr


def variables_text(app) -> str:
    return str(app.screen.query_one("#watch-variables-text", Static).render())


def shown(app, selector: str) -> bool:
    return app.screen.query_one(selector).display


async def test_the_variables_panel_shows_hidden_stats_flags_the_clock_and_the_last_decisions(tmp_path):
    path = copy_story(tmp_path)
    app = WatchingApp(story_path=path, watch_settings=False, poll_seconds=3600, seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not shown(app, "#watch-variables") and shown(app, "#play-side")
        await pilot.press("v")
        await pilot.pause()
        assert shown(app, "#watch-variables") and not shown(app, "#play-side")
        text = variables_text(app)
        assert "Clock day 1, Month 1, week 1, day 1" in text and "Scene clinic" in text
        assert "calcium 3.00 mmol/L H" in text and "on_fluids false" in text and "none yet" in text
        # A decision by its number, as a player makes it: the panel follows.
        session = play_screen(app).session
        await pilot.press(*keys_for(session, Action("choose", "check_obs")))
        await pilot.pause()
        text = variables_text(app)
        assert "1. Check obs (best) → clinic" in text or "1. Check obs (best) → event fever_call → fever" in text
        await pilot.press("enter")  # feedback read: the next scene
        await pilot.pause()
        await pilot.press(*keys_for(play_screen(app).session, Action("choose", "give_fluids")))
        await pilot.pause()
        assert "on_fluids true" in variables_text(app) and "Start intravenous fluids (best) → review, +14 days" \
            in variables_text(app)
        # A reload keeps the panel open and shows the reloaded journey's variables.
        save(path, path.read_text(encoding="utf-8").replace("start: 3.0,", "start: 3.2,"))
        assert app.check_for_changes()
        await pilot.pause()
        assert shown(app, "#watch-variables") and "on_fluids true" in variables_text(app)
        assert "Start intravenous fluids" in variables_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert not shown(app, "#watch-variables") and shown(app, "#play-side")
