"""The title screen and the picker for a newcomer and a returning learner: the tutorial pointer, what
Continue resumes, the themes one key away, badges in the picker, and the warmed-up shelf."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import OptionList

from mmjourney.journey import Journey, expert_path
from mmjourney.story import load_story
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.picker import PickerScreen
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.screens.title import NEWCOMER
from mmjourney.tui.themes import OFFERED
from mmjourney.tui.widgets.footer import KeyFooter

from ..records.conftest import play
from .conftest import FIXTURES, TUTORIAL, screen_text

CLINIC = FIXTURES / "clinic.yaml"


def app(**kwargs) -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False, **kwargs)


def flat(app) -> str:
    return " ".join(screen_text(app).replace("▎", " ").replace("▊", " ").split())


def save_a_journey(workspace, path=CLINIC, steps=2) -> None:
    story = load_story(path)
    journey = Journey.start(story, 0, "practice", workspace)
    for action in expert_path(story, 0).actions[:steps]:
        journey.decide(action)
    assert journey.save() == []


async def test_a_newcomer_is_pointed_to_the_tutorial():
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert NEWCOMER in flat(pilot.app)
        assert "Continue" not in flat(pilot.app)


async def test_continue_names_the_journey_it_resumes_and_the_newcomer_line_goes():
    game = app()
    save_a_journey(game.workspace)
    async with game.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = flat(pilot.app)
        assert "Continue: Test clinic" in text and "(practice)" in text and NEWCOMER not in text
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen) and len(pilot.app.screen.session.actions) == 2


async def test_continue_with_several_journeys_says_how_many(tmp_path):
    shelf = tmp_path / "shelf"
    shutil.copytree(TUTORIAL.parent, shelf)
    game = app()
    save_a_journey(game.workspace)
    save_a_journey(game.workspace, shelf / TUTORIAL.name, steps=1)
    async with game.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Continue one of 2 journeys (latest:" in flat(pilot.app)


@pytest.mark.parametrize("theme, label, key", OFFERED, ids=[t.name for t, _, _ in OFFERED])
async def test_each_theme_is_one_key_away_and_marked_with_a_glyph(theme, label, key):
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert pilot.app.theme == theme.name
        assert f"(•) {label} ({key})" in flat(pilot.app)
        assert flat(pilot.app).count("(•)") == 1


async def test_a_theme_chosen_in_the_palette_is_marked_back_on_the_title():
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        pilot.app.theme = "mmjourney-light"
        await pilot.press("escape")
        await pilot.pause()
        assert "(•) Light (l)" in flat(pilot.app)


async def test_the_picker_shows_difficulty_minutes_and_the_best_result(clinic):
    play(clinic)  # one finished expert attempt in the records
    async with app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, PickerScreen)
        prompts = [screen.query_one(OptionList).get_option_at_index(i).prompt.plain
                   for i in range(screen.query_one(OptionList).option_count)]
        clinic_line = next(p for p in prompts if p.startswith(clinic.model.title))
        best = screen.best[clinic.model.id]
        assert clinic_line.endswith(f"{clinic.model.difficulty} · {clinic.model.minutes} min · "
                                    f"{'✓ ' if best.passed else 'best '}{best.percent:.0f}%")
        assert "1 finished attempt" in flat(pilot.app) or "Your best" in flat(pilot.app)


async def test_the_picker_modes_read_without_colour():
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "(•) Practice ( ) Assessment" in flat(pilot.app)
        await pilot.press("m")
        await pilot.pause()
        details = str(pilot.app.screen.query_one("#picker-text").content)
        assert "( ) Practice (•) Assessment" in flat(pilot.app)
        assert "Assessment: no feedback until the debrief" in details


async def test_the_warm_up_scans_the_shelf_once_and_the_picker_and_continue_reuse_it(monkeypatch):
    import mmjourney.library as library

    loads = []
    real_load = library.load_story
    monkeypatch.setattr(library, "load_story", lambda path: loads.append(path.name) or real_load(path))
    game = app(warm_up=True)
    save_a_journey(game.workspace)
    async with game.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the warm-up starts after the first paint
        await game.workers.wait_for_complete()
        scanned = len(loads)
        assert scanned > 0
        await pilot.press("p")
        await game.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape", "c")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen) and len(loads) == scanned
        assert game.shelf.story_at(CLINIC) is pilot.app.screen.session.story


async def test_an_edited_story_is_scanned_again(tmp_path):
    shelf = tmp_path / "shelf"
    shutil.copytree(FIXTURES, shelf)
    game = MMJourneyApp(bundled_dir=shelf, watch_settings=False)
    async with game.run_test(size=(80, 24)):
        first = game.shelf.entries()
        assert game.shelf.story_at(shelf / "clinic.yaml") is not None
        text = (shelf / "clinic.yaml").read_text()
        (shelf / "clinic.yaml").write_text(text.replace("title: Test clinic", "title: Test clinic, edited", 1))
        assert game.shelf.story_at(shelf / "clinic.yaml") is None  # stale: never handed out
        again = {e.path.name: e for e in game.shelf.entries()}
        assert again["clinic.yaml"].title != {e.path.name: e for e in first}["clinic.yaml"].title


SIZES = [(80, 24), (120, 40), (200, 60)]


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title_for_a_newcomer(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title_with_a_journey_to_continue_in_light(snap_compare, size):
    game = app()
    save_a_journey(game.workspace)

    async def light(pilot):
        await pilot.press("l")
        await settle(pilot)

    assert snap_compare(game, terminal_size=size, run_before=light)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_picker_with_a_best_result(snap_compare, size, clinic):
    play(clinic)

    async def open_picker(pilot):
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=open_picker)


async def test_a_click_on_a_theme_chooses_it():
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = pilot.app.screen.query_one("#title-themes")
        start = next(start for start, _, name in line._spans if name == "mmjourney-light")
        await pilot.click("#title-themes", offset=(start + 4, 0))
        await pilot.pause()
        assert pilot.app.theme == "mmjourney-light"
        assert "(•) Light (l)" in flat(pilot.app)


async def test_the_key_bar_follows_the_screen_and_a_click_presses_its_key():
    async with app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = pilot.app.screen.query_one(KeyFooter)
        assert [key.description for key in bar.shown][:2] == ["Play", "Progress"]
        assert bar.shown[-1].display == "^p"  # the palette, at the right
        start = next(start for start, _, key in bar._spans if key.description == "Play")
        await pilot.click(KeyFooter, offset=(start + 1, 0))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)
        bar = pilot.app.screen.query_one(KeyFooter)
        assert "Back" in [key.description for key in bar.shown]
        assert "esc Back" in flat(pilot.app)
