"""The play screen a trainee reads without fighting it (issue 14, "Reading" and "Acting"), driven by keys
and clicks at 80x24, 120x40 and 200x60, with SVG snapshots of the long select-all question and the chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmjourney.story import load_story
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.patient import PatientScreen
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.widgets.decision import ChoiceList, TickList

from .conftest import screen_text

LONG = Path(__file__).parent / "fixtures" / "long-reading.yaml"
SIZES = [(80, 24), (120, 40), (200, 60)]


def app(mode: str = "practice") -> MMJourneyApp:
    return MMJourneyApp(story_path=LONG, mode=mode, watch_settings=False)


async def to_long_scene(pilot) -> PlayScreen:
    await pilot.pause()
    await pilot.press("enter")  # the welcome page
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlayScreen) and screen.session.scene_id == "long_scene"
    return screen


def text_in(app, widget) -> str:
    """The words shown inside `widget`'s content region (not its scroll bar), its wrapped lines joined."""
    region = widget.scrollable_content_region
    lines = screen_text(app).splitlines()[region.y:region.bottom]
    return " ".join(" ".join(line[region.x:region.right] for line in lines).split())


def number_of(screen: PlayScreen, option_id: str) -> str:
    options = screen.query_one("#play-choices, #play-single, #play-select")
    return str(next(i for i in range(options.option_count) if options.get_option_at_index(i).id == option_id) + 1)


async def to_question(pilot) -> PlayScreen:
    screen = await to_long_scene(pilot)
    await pilot.press(number_of(screen, "ask"))
    await pilot.pause()
    await pilot.press("enter")  # close the feedback; the fever interrupts
    await pilot.pause()
    await pilot.press(number_of(screen, "fever_now"))
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert screen.session.scene_id == "quiz"
    return screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_word_of_a_long_select_all_question_shows_and_submit_stays_in_view(size):
    async with app().run_test(size=size) as pilot:
        screen = await to_question(pilot)
        ticks = screen.query_one("#play-select", TickList)
        submit = screen.query_one("#submit")
        assert submit.region.bottom <= size[1] and submit.region.height > 0, "the submit button is out of view"
        for n in range(ticks.option_count):
            ticks.highlighted = n  # bring each option into view, as the arrow keys would
            await pilot.pause()
            text = text_in(pilot.app, ticks)
            option = screen.journey.prompt().options[n]
            assert option.text in text, f"option {n + 1} is not shown whole: {option.text!r}"
            assert "…" not in text


async def test_ticks_show_as_glyphs_and_submit_sends_the_ticked_options():
    async with app().run_test(size=(80, 24)) as pilot:
        screen = await to_question(pilot)
        ticks = screen.query_one("#play-select", TickList)
        ids = [ticks.get_option_at_index(i).id for i in range(ticks.option_count)]
        wanted = ["a", "c", "e"]
        for option_id in wanted:
            await pilot.press(str(ids.index(option_id) + 1))
        await pilot.pause()
        text = text_in(pilot.app, ticks)
        assert set(ticks.selected) == set(wanted) and "[x]" in text
        await pilot.press(str(ids.index("c") + 1), str(ids.index("c") + 1))  # off and on again
        await pilot.press("s")
        await pilot.pause()
        answer = screen.session.actions[-1]
        assert answer.kind == "answer" and set(answer.options) == set(wanted)


async def test_page_keys_scroll_the_story_whatever_has_focus_and_say_when_there_is_more():
    async with app().run_test(size=(80, 24)) as pilot:
        screen = await to_long_scene(pilot)
        story = screen.query_one("#play-story")
        assert isinstance(screen.focused, ChoiceList)
        assert "more below" in screen_text(pilot.app), "no 'more below' mark over a scene that does not fit"
        assert "THE END OF THE SCENE" not in screen_text(pilot.app)
        highlighted = screen.focused.highlighted
        await pilot.press("end")
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y > 0
        assert screen.focused.highlighted == highlighted, "End moved the cursor instead of scrolling the story"
        assert "THE END OF THE SCENE" in screen_text(pilot.app)
        assert "more below" not in screen_text(pilot.app)
        await pilot.press("home")
        await pilot.pause()
        assert story.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert story.scroll_y > 0
        await pilot.press("pageup", "space")
        await pilot.pause()
        assert story.scroll_y > 0, "Space does not page the story down"


async def test_page_down_pages_the_story_even_from_a_list_where_space_ticks():
    """PageDown moved the cursor of a select-all list (or an item in parts) instead of paging the story, and
    Space, which the help says ticks, did nothing there."""
    async with app().run_test(size=(80, 24)) as pilot:
        screen = await to_question(pilot)
        ticks = screen.query_one("#play-select", TickList)
        assert screen.focused is ticks and screen.space_ticks
        highlighted = ticks.highlighted
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert ticks.highlighted == highlighted, "PageDown moved the list's cursor"
        await pilot.press("space")
        await pilot.pause()
        assert len(ticks.selected) == 1


async def test_enter_continues_whatever_has_focus():
    async with app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#play-chart").focus()
        await pilot.press("enter")  # the welcome page's Continue, with the chart focused
        await pilot.pause()
        assert screen.session.scene_id == "long_scene"
        await pilot.press(number_of(screen, "ask"))
        await pilot.pause()
        assert screen.feedback is not None
        screen.query_one("#play-chart").focus()
        await pilot.press("enter")  # the feedback's Continue
        await pilot.pause()
        assert screen.feedback is None and screen.session.scene_id == "fever_call"


async def test_a_click_highlights_and_a_second_click_or_enter_commits():
    async with app(mode="assessment").run_test(size=(100, 30)) as pilot:
        screen = await to_long_scene(pilot)
        choices = screen.query_one("#play-choices", ChoiceList)
        second = 1 - choices.highlighted
        offset = (4, choices._lines.index((second, 0)))
        await pilot.click("#play-choices", offset=offset)
        await pilot.pause()
        assert choices.highlighted == second and screen.session.actions[-1].kind == "next", "one click committed"
        await pilot.click("#play-choices", offset=offset)
        await pilot.pause()
        assert screen.session.actions[-1].id == choices.get_option_at_index(second).id


async def test_the_status_bar_is_one_line_at_80_columns():
    async with app().run_test(size=(80, 24)) as pilot:
        screen = await to_long_scene(pilot)
        bar = screen.query_one("#play-bar")
        assert bar.region.height == 1
        first_line = screen_text(pilot.app).splitlines()[0]
        assert first_line.strip().startswith("Journey day 1  ·  Induction  ·  Practice")


async def test_an_event_that_interrupts_is_named_in_the_scene_heading():
    async with app(mode="assessment").run_test(size=(100, 30)) as pilot:
        screen = await to_long_scene(pilot)
        await pilot.press(number_of(screen, "ask"))
        await pilot.pause()
        assert screen.session.scene_id == "fever_call"
        assert "Interrupted: A fever at noon" in screen_text(pilot.app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_chart_shows_every_value_with_its_flag_and_cuts_only_labels(size):
    story = load_story(LONG)
    async with app().run_test(size=size) as pilot:
        await to_long_scene(pilot)
        text = screen_text(pilot.app)
        assert "Patient chart" in text
        assert "3.60 mmol/L HH" in text, "a value beyond a critical limit is not flagged HH"
        for name, stat in story.model.stats.items():
            if stat.visible:
                assert stat.unit in text, f"{name}'s value is cut"
        if size == (120, 40):
            assert "normal 2.20-2.60" in text  # the normal range, where there is room


async def test_the_patient_history_is_a_key_away_and_introduced_before_the_first_decision():
    async with app().run_test(size=(100, 30)) as pilot:
        screen = await to_long_scene(pilot)
        text = " ".join(screen_text(pilot.app).split())
        assert "Patient: Bea Long, 71," in text and "Press h for the history." in text
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PatientScreen)
        text = screen_text(pilot.app)
        assert "IgA myeloma" in text and "**" not in text and "Lives alone" in text
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_long_select_all_question(snap_compare, size):
    async def run_before(pilot):
        await to_question(pilot)
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_chart_with_long_labels(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=to_long_scene)


async def test_keys_typed_ahead_of_a_grid_taking_focus_answer_it(tmp_path):
    """A browser on a busy connection sends the keys for the next item in one burst with the Enter that
    opens it: the grid is drawn a moment before it has focus, and those keys must answer it, not page
    the story (seen in the browser test under load)."""
    from textual import events

    from mmjourney.tui.widgets.parts import PartsGrid

    text = (Path(__file__).parents[1] / "items" / "browser-matrix.yaml").read_text(encoding="utf-8")
    text = text.replace("start: findings\nscenes:\n", "start: arrive\nscenes:\n  arrive:\n    phase: Admission\n"
                        "    title: Bea arrives\n    text: Bea is brought to the ward.\n    next: findings\n")
    path = tmp_path / "typed-ahead.yaml"
    path.write_text(text, encoding="utf-8")
    app = MMJourneyApp(story_path=path, mode="assessment", watch_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Bea is brought to the ward." in screen_text(app)
        for key in ("enter", "space", "2", "space", "3", "right", "space"):
            app.post_message(events.Key(key, " " if key == "space" else None))
        await pilot.pause()
        await pilot.pause()
        grid = app.screen.query_one(PartsGrid)
        assert grid.selected == ["drowsy:expected", "thirst:expected", "tingling:not_expected"]
