"""Classroom sign-in, driven by keys: a learner reaches their own things only, and nothing skips the name screen."""

from __future__ import annotations

import re

from mmjourney.classroom import Registry, check_name, load_roster
from mmjourney.journey import Workspace
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.learner import LearnerScreen
from mmjourney.tui.screens.title import TitleScreen

from .conftest import FIXTURES, screen_text

SIZE = (100, 32)


def classroom_app(**options) -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, classroom=True, **options)


async def type_in(pilot, text: str, enter: bool = True) -> None:
    await pilot.press(*["space" if char == " " else char for char in text], *(["enter"] if enter else []))
    await pilot.pause()


def text_of(app) -> str:
    return " ".join(screen_text(app).split())


def registered(name: str, secret: str) -> str:
    """A learner who joined earlier; returns their folder id."""
    registry = Registry(Workspace.from_environment().data_dir, cost=(2**4, 1, 1))
    return registry.register(check_name(name), secret).id


def left_a_journey(learner_id: str) -> None:
    """Something only that learner may see: a journey to continue."""
    path = Workspace.from_environment().data_dir / "learners" / learner_id / "saves" / "tutorial.journey.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}")


def shared_files(data_dir) -> list[str]:
    """Files in the class's folder outside the learners' own folders (the registry is expected)."""
    return sorted(str(p.relative_to(data_dir)) for p in data_dir.rglob("*")
                  if p.is_file() and "learners" not in p.relative_to(data_dir).parts[:1])


async def test_a_new_learner_chooses_a_secret_and_gets_a_folder_by_id(private_data_dir):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LearnerScreen)
        assert app.focused is not None and app.focused.id == "learner-input"  # typing works without a click
        assert not app.focused.password
        await type_in(pilot, "Ada Lovelace")
        assert "New learner: choose a secret you will remember; the teacher cannot see it" in text_of(app)
        assert "Name: Ada Lovelace" in text_of(app)
        assert app.focused.id == "learner-input" and app.focused.password and app.focused.value == ""
        await type_in(pilot, "abc")
        assert "Please choose a secret of at least 4" in text_of(app) and app.focused.value == ""
        await type_in(pilot, "tea and cake")
        assert "Type the same secret again" in text_of(app) and app.focused.password and app.focused.value == ""
        await type_in(pilot, "tea and cakes")
        assert "not the same" in text_of(app) and isinstance(app.screen, LearnerScreen)
        assert "New learner: choose a secret" in text_of(app)  # both typed again, from the first
        await type_in(pilot, "tea and cake")
        await type_in(pilot, "tea and cake")
        assert isinstance(app.screen, TitleScreen)
        assert "Playing as Ada Lovelace" in text_of(app) and "tea and cake" not in text_of(app)
        folder = app.workspace.data_dir
        assert folder.parent == private_data_dir / "learners" and re.fullmatch(r"[0-9a-f]{16}", folder.name)
        assert app.workspace.learner == "Ada Lovelace"
    assert shared_files(private_data_dir) == ["learners.json", "learners.json.lock"]
    assert "tea and cake" not in (private_data_dir / "learners.json").read_text()


async def test_keys_typed_ahead_in_one_burst_land_in_the_box_each_enter_leads_to(private_data_dir):
    """A browser on a busy connection delivers the keys typed after Enter in one burst: they are all queued
    before the app has handled that Enter, and each must still reach the box the Enter moved to."""
    from textual import events

    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = {" ": ("space", " "), "\n": ("enter", "\r")}
        for char in "Ada Lovelace\ntea and cake\ntea and cake\n":
            app.post_message(events.Key(*keys.get(char, (char, char))))
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen), text_of(app)
        assert app.workspace.learner == "Ada Lovelace"


async def test_a_returning_learner_types_their_secret_and_finds_their_journey():
    ada = registered("Ada", "my secret")
    left_a_journey(ada)
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, " ADA ")
        assert "Type your secret" in text_of(app) and "New learner" not in text_of(app)
        await type_in(pilot, "wrong one")
        assert "That name and secret do not match" in text_of(app)
        assert isinstance(app.screen, LearnerScreen) and app.workspace.learner is None
        await type_in(pilot, "my secret")
        assert isinstance(app.screen, TitleScreen)
        assert app.workspace.data_dir.name == ada and app.workspace.learner == "Ada"
        assert "Continue: " in text_of(app)


async def test_typing_someone_elses_name_never_shows_their_things(private_data_dir):
    ada = registered("Ada", "my secret")
    left_a_journey(ada)
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "ada")
        for guess in ("1234", "ada", "password", "secret", "my secre"):
            await type_in(pilot, guess)
            assert isinstance(app.screen, LearnerScreen) and app.workspace.learner is None
            assert "Continue" not in text_of(app)
        await type_in(pilot, "my secret")  # even the right secret must now wait
        assert "Too many wrong tries" in text_of(app) and isinstance(app.screen, LearnerScreen)
        await pilot.press("ctrl+p")
        await type_in(pilot, "progress")
        assert isinstance(app.screen, LearnerScreen) and "Attempts" not in text_of(app)
    assert shared_files(private_data_dir) == ["learners.json", "learners.json.lock"]


async def test_look_alike_names_are_refused_on_the_name_screen():
    registered("Bob", "bobs secret")
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "\u0412\u043eb")  # Cyrillic В and о, then Latin b
        assert "mixes Cyrillic and Latin letters" in text_of(app)
        assert app.screen.step == "name" and not app.focused.password


async def test_the_command_palette_cannot_skip_the_name_screen(private_data_dir):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for command in ("Back to the title screen", "Play a story", "Your progress"):
            await pilot.press("ctrl+p")
            await type_in(pilot, command, enter=False)
            await pilot.pause(0.3)  # the palette searches in the background
            assert text_of(app).count(command) == 1, command  # in the search box only: not offered
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, LearnerScreen), command
        await pilot.press("ctrl+p")  # what the review did: ctrl+p, "Back to the title", Enter
        await type_in(pilot, "Back to the title")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LearnerScreen) and app.return_code is None
        offered = {command.title for command in app.get_system_commands(app.screen)}
        assert offered <= {"Theme", "Quit", "Keys", "Maximize", "Screenshot"}, offered
        # The app's own methods refuse as well, whichever screen would call them.
        app.open_picker()
        app.open_progress()
        app.continue_journey()
        app.back_to_title()
        await pilot.pause()
        assert isinstance(app.screen, LearnerScreen) and app.screen_stack == [app.screen]
        assert [n.message for n in app._notifications] == ["Type your name first."] * 3
    assert shared_files(private_data_dir) == []


async def test_not_you_switches_learner_and_the_next_sees_only_their_own(private_data_dir):
    ada = registered("Ada", "my secret")
    left_a_journey(ada)
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "Ada")
        await type_in(pilot, "my secret")
        assert "Continue: " in text_of(app) and "Not you? Switch learner" in text_of(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, LearnerScreen) and app.screen_stack == [app.screen]
        assert app.workspace == app.class_workspace and app.workspace.learner is None
        assert app.focused is not None and app.focused.id == "learner-input" and not app.focused.password
        await type_in(pilot, "Ben")
        await type_in(pilot, "bens secret")
        await type_in(pilot, "bens secret")
        assert isinstance(app.screen, TitleScreen) and "Playing as Ben" in text_of(app)
        assert "Continue" not in text_of(app) and app.workspace.data_dir.name != ada


async def test_with_a_roster_a_first_visit_asks_for_the_code(tmp_path, private_data_dir):
    roster = tmp_path / "class.csv"
    roster.write_text("name,code\nAda,ADA123\n", encoding="utf-8")
    load_roster(roster, private_data_dir)
    app = classroom_app(roster=roster)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "Zed")
        assert "not on the class list" in text_of(app)
        await pilot.press(*["backspace"] * 3)
        await type_in(pilot, "Ada")
        assert "type the code your teacher gave you" in text_of(app)
        await type_in(pilot, "ADA124")
        assert "code does not match" in text_of(app)
        await type_in(pilot, "ada123")
        assert "The code is right. Now choose a secret" in text_of(app)
        await type_in(pilot, "own secret")
        await type_in(pilot, "own secret")
        assert isinstance(app.screen, TitleScreen) and "Playing as Ada" in text_of(app)


async def test_outside_a_classroom_there_is_no_learner_to_switch():
    app = MMJourneyApp(bundled_dir=FIXTURES)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and "Switch learner" not in text_of(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_the_progress_screen_says_who_is_playing_and_offers_to_switch(private_data_dir):
    from mmjourney.tui.screens.progress import ProgressScreen

    registered("Ada", "my secret")
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "Ada")
        await type_in(pilot, "my secret")
        await pilot.press("r")  # the title menu's Progress
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        assert "Playing as Ada Not you? Switch learner (s)" in text_of(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, LearnerScreen) and app.screen_stack == [app.screen]
        assert app.workspace == app.class_workspace and app.workspace.learner is None


async def test_outside_a_classroom_the_progress_screen_offers_no_switch():
    from mmjourney.tui.screens.progress import ProgressScreen

    app = MMJourneyApp(bundled_dir=FIXTURES)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen) and "Switch learner" not in text_of(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
