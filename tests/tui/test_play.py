"""Pilot tests: the app driven by keys, as a trainee would play it."""

from __future__ import annotations

import json

from mmjourney.engine import Session
from mmjourney.journey import Choose, Workspace, prompt_of
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.debrief import DebriefScreen
from mmjourney.tui.screens.picker import PickerScreen
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.screens.title import TitleScreen

from .conftest import TUTORIAL, expert_actions, keys_for, screen_text


async def play(pilot, app, actions, practice=True):
    """Press the keys for each action; dismiss practice feedback as a player would."""
    current = app.screen.session
    replica = Session(current.story, current.seed)
    replica.replay(current.actions)
    for action in actions:
        assert isinstance(app.screen, PlayScreen), type(app.screen)
        await pilot.press(*keys_for(replica, action))
        await pilot.pause()
        replica.apply(action)
        if practice and action.kind != "next":
            assert isinstance(app.screen, PlayScreen) and app.screen.feedback is not None
            await pilot.press("enter")
            await pilot.pause()
        assert app.screen.session.scene_id == replica.scene_id


async def test_title_picker_play_feedback_debrief_in_practice_mode(tutorial):
    app = MMJourneyApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Continue" not in screen_text(app)  # nothing saved yet
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.session.mode == "practice"
        await play(pilot, app, expert_actions(tutorial))
        assert app.screen.session.ended
        await pilot.press("enter")  # "See the debrief" has the focus
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "(100%)" in text and "good ending" in text
        assert Workspace.from_environment().saved_journeys() == []  # a finished journey leaves nothing to continue
        from mmjourney.records import records

        with records() as db:  # and it is in the learner's records, completed, with every decision
            (attempt,) = db.attempts()
            record = db.load(attempt["id"])
        assert attempt["status"] == "completed"
        assert len(record.actions) == len(expert_actions(tutorial))
        await pilot.press("escape", "r")  # the title screen's "Your progress"
        await pilot.pause()
        assert "Tutorial: first shift" in screen_text(app)


async def test_assessment_mode_holds_feedback_and_refuses_undo(tutorial):
    app = MMJourneyApp(story_path=TUTORIAL, mode="assessment")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        actions = expert_actions(tutorial)
        await play(pilot, app, actions[:3], practice=False)
        assert "Undo" not in screen_text(app)  # no such key in assessment mode
        await pilot.press("u")
        await pilot.pause()
        assert len(app.screen.session.actions) == 3
        await play(pilot, app, actions[3:], practice=False)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.record.scores.overall.percent == 100.0


async def test_undo_and_going_back_from_the_timeline(tutorial):
    app = MMJourneyApp(story_path=TUTORIAL)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        actions = expert_actions(tutorial)
        await play(pilot, app, actions[:4])
        session = app.screen.session
        await pilot.press("u")
        await pilot.pause()
        assert session.actions == actions[:3]
        await pilot.press("t")  # focus the timeline; the last decision is highlighted
        await pilot.pause()
        await pilot.press("home", "enter")
        await pilot.pause()
        await pilot.click("#back")
        await pilot.pause()
        assert session.actions == actions[:1]  # before the first decision with an entry (after 'next')


async def test_disabled_choice_explains_itself(tutorial):
    app = MMJourneyApp(story_path=TUTORIAL)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await play(pilot, app, expert_actions(tutorial)[:1])
        prompt = prompt_of(app.screen.session)
        assert isinstance(prompt, Choose)
        disabled = next(n for n, v in enumerate(prompt.choices, 1) if not v.enabled)  # as shown (shuffled)
        await pilot.press(str(disabled))
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and len(app.screen.session.actions) == 1
        assert "Not available" in screen_text(app)


async def test_a_number_key_takes_the_choice_shown_there(tutorial):
    app = MMJourneyApp(story_path=TUTORIAL, seed=5)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await play(pilot, app, expert_actions(tutorial)[:1])
        session = app.screen.session
        prompt = prompt_of(session)
        assert isinstance(prompt, Choose)
        number, view = next((n, v) for n, v in enumerate(prompt.choices, 1) if v.enabled)
        await pilot.press(str(number))
        await pilot.pause()
        assert session.actions[-1].id == view.id


async def test_resume_after_a_crash(tutorial):
    actions = expert_actions(tutorial)
    first = MMJourneyApp(story_path=TUTORIAL, seed=3)
    async with first.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await play(pilot, first, actions[:3])
        scene = first.screen.session.scene_id
    # The app is gone without any goodbye (as after a crash); the autosave is all that is left.
    (journey,) = Workspace.from_environment().saved_journeys()
    saved = json.loads(journey.path.read_text())
    assert len(saved["actions"]) == 3 and saved["seed"] == 3
    second = MMJourneyApp()
    async with second.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert "Continue: " in screen_text(second)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(second.screen, PlayScreen)
        assert second.screen.session.scene_id == scene
        assert second.screen.session.actions == actions[:3]


async def test_continue_asks_which_story_when_several_have_an_unfinished_journey(tutorial):
    from mmjourney.journey import Journey
    from mmjourney.story import load_story
    from mmjourney.tui.screens.messages import ChooseScreen

    from .conftest import FIXTURES

    workspace = Workspace.from_environment()
    clinic = load_story(FIXTURES / "clinic.yaml")
    for story, seed, steps in ((tutorial, 3, 2), (clinic, 4, 1)):
        journey = Journey.start(story, seed, workspace=workspace)
        for action in expert_actions(story, seed)[:steps]:
            journey.decide(action)
        assert journey.save() == []
    app = MMJourneyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        text = screen_text(app)
        assert "Continue which journey?" in text and tutorial.model.title in text and "2 steps" in text
        await pilot.press("down", "enter")  # the older one: the tutorial, saved first
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.story.model.id == tutorial.model.id
        assert app.screen.session.actions == expert_actions(tutorial, 3)[:2]


async def test_resume_when_the_story_changed(tutorial, tmp_path):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(TUTORIAL.parent, folder)
    story_path = folder / TUTORIAL.name
    actions = expert_actions(tutorial)
    first = MMJourneyApp(story_path=story_path)
    async with first.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await play(pilot, first, actions[:3])
    # The educator edits the story: the third decision is now only offered late in the journey.
    changed = actions[2].id
    text = story_path.read_text()
    assert f"- id: {changed}\n" in text
    story_path.write_text(text.replace(f"- id: {changed}\n", f"- id: {changed}\n        if: day > 100\n"))
    second = MMJourneyApp()
    async with second.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert "The story has changed" in screen_text(second)
        await pilot.click("#partial")
        await pilot.pause()
        assert isinstance(second.screen, PlayScreen)
        assert second.screen.session.actions == actions[:2]


async def test_branch_from_the_debrief(tutorial):
    app = MMJourneyApp(story_path=TUTORIAL, mode="assessment")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        actions = expert_actions(tutorial)
        await play(pilot, app, actions, practice=False)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("down", "enter")  # the second decision in the list
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        session = app.screen.session
        assert session.mode == "practice"
        assert 0 < len(session.actions) < len(actions)
        # Said under the heading, not in a toast over the options; the new attempt knows what it carried.
        made = sum(1 for action in session.actions if action.kind != "next")
        notice = str(app.screen.query_one("#play-notice").render())
        assert notice.startswith(f"Trying again from decision {made + 1}, in practice mode: decision")
        assert not app._notifications
        assert app.screen.journey.carried.actions == len(session.actions)


async def test_an_untitled_ending_is_headed_by_its_own_words_not_its_phase():
    """The plain player heads an ending scene without a title with the ending's title; so does this one
    (it showed the phase, 'Maintenance', over how the journey ended)."""
    from mmjourney.story import load_story

    from .conftest import FIXTURES

    clinic = load_story(FIXTURES / "clinic.yaml")
    app = MMJourneyApp(story_path=FIXTURES / "clinic.yaml", seed=0, mode="assessment")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await play(pilot, app, expert_actions(clinic), practice=False)
        assert app.screen.session.scene.title == "" and app.screen.session.ended
        heading = str(app.screen.query_one("#play-scene-title").render())
        assert heading == "Home safely"


async def test_glossary_search_and_help():
    app = MMJourneyApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"CRAB")
        await pilot.pause()
        assert "Renal" in screen_text(app)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert "Keys" in screen_text(app) and "Undo the last decision" in screen_text(app)


async def test_resizing_never_crashes(tutorial):
    app = MMJourneyApp(story_path=TUTORIAL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await play(pilot, app, expert_actions(tutorial)[:2])
        for size in [(40, 12), (250, 80), (60, 20), (80, 24), (160, 48)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            screen_text(app)
        assert isinstance(app.screen, PlayScreen)


async def test_theme_choice_is_remembered():
    app = MMJourneyApp()
    async with app.run_test() as pilot:
        app.theme = "mmjourney-high-contrast"
        await pilot.pause()
    again = MMJourneyApp()
    async with again.run_test() as pilot:
        assert again.theme == "mmjourney-high-contrast"


async def test_picker_lists_a_broken_story_with_its_first_error(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "broken.yaml").write_text((TUTORIAL.parent / "tutorial-first-shift.yaml").read_text()
                                      .replace("id: tutorial-first-shift", "id: my-copy")
                                      .replace("difficulty: beginner", "difficulty: beginer"))
    app = MMJourneyApp(stories_dir=mine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "broken.yaml (cannot be played" in text
        assert "20:13: error:" in text and "'beginer' is not one of" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)  # not started, and no crash
