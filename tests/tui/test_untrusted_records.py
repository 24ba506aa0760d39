"""Records made before stories were limited: numbers no story may hold any more (infinities, NaN,
1e308 swings, 5e15) and control characters in names and titles. The game must show them without
crashing, hanging, or passing a control character to the terminal."""

from __future__ import annotations

import json
import math
import sqlite3

from mmjourney.engine import Session
from mmjourney.engine.session import ChartPoint
from mmjourney.journey import Journey
from mmjourney.records import database
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.attempt import AttemptScreen
from mmjourney.tui.screens.debrief import DebriefScreen
from mmjourney.tui.screens.export import ExportScreen
from mmjourney.tui.screens.play import PlayScreen
from mmjourney.tui.screens.progress import ProgressScreen
from mmjourney.tui.widgets.chart import plottable

from ..records.conftest import play, stamp
from .conftest import FIXTURES, screen_text

HOSTILE = [5e15, math.inf, -1e308, math.nan, 1e308, 5e15 + 1, -math.inf, 1.7976931348623157e308]


def app() -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)


def rewrite_record(attempt_id: int, change) -> None:
    """Edit an attempt's stored record as an older version of the game (or a hand) could have left it."""
    with sqlite3.connect(database.records_path()) as db:
        (text,) = db.execute("SELECT record FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        record = json.loads(text)
        change(record)
        db.execute("UPDATE attempts SET record = ? WHERE id = ?", (json.dumps(record), attempt_id))


def hostile_chart(record: dict) -> None:
    for index, point in enumerate(record["chart"]):
        point["values"] = {name: HOSTILE[index % len(HOSTILE)] for name in point["values"]}


def hostile_session(session: Session) -> None:
    session.chart[:] = [ChartPoint(point.day, {name: HOSTILE[i % len(HOSTILE)] for name in point.stats})
                        for i, point in enumerate(session.chart)]


def test_plottable_keeps_the_shape_of_what_can_be_drawn():
    assert plottable([1.0, math.nan, 2.0, math.inf, -math.inf, 3.0]) == [1.0, 2.0, 3.0]
    assert plottable([-1e308, 1e308]) == [-1.0, 1.0]  # the spread overflowed: scaled, same shape
    assert plottable([5e15, 5e15 + 1]) == [5e15, 5e15 + 1]
    assert plottable([math.nan]) == []


async def test_a_past_attempt_with_hostile_numbers_opens_from_the_progress_screen(clinic):
    _, result = play(clinic, learner="Ada", clock=stamp)
    rewrite_record(result.attempt_id, hostile_chart)
    async with app().run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ProgressScreen())
        await pilot.pause()
        await pilot.press("enter", "o")  # into the attempts, then open the debrief (the reported crash)
        await pilot.pause()
        assert isinstance(pilot.app.screen, AttemptScreen)
        text = screen_text(pilot.app)
        assert f"Attempt {result.attempt_id}: Test clinic" in text and "Key labs over the journey" in text


async def test_the_debrief_and_the_patient_chart_draw_hostile_numbers(clinic):
    ended, _ = play(clinic, record=False)
    hostile_session(ended)
    under_way, _ = play(clinic, record=False, stop=3)
    hostile_session(under_way)
    under_way.state.stats.update({name: math.inf for name in under_way.state.stats})
    async with app().run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(DebriefScreen(Journey(ended, pilot.app.workspace)))
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "Debrief: Test clinic" in text and "Key labs over the journey" in text
        await pilot.app.push_screen(PlayScreen(Journey(under_way, pilot.app.workspace)))
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        text = screen_text(pilot.app)
        assert "Calcium" in text and "inf mmol/L" in text


# --- control characters in stored records, names and paths (finding F5) ------------------------------------

RAW = ("\x1b", "\x07", "\x9b", "\u202e")
OSC = "\x1b]0;PWNED\x07"


def assert_clean(text: str) -> None:
    for char in RAW:
        assert char not in text, (char, text)


def escapes_everywhere(record: dict) -> None:
    """Controls in the texts an older game version stored without checking them."""
    record["learner"] = f"Ada{OSC}\u202eecalevoL"
    record["story"]["title"] = f"Test {OSC} clinic"
    record["story"]["version"] = "1\x9b2J"
    record["ending"]["title"] = "Home \x1b[2J safely"
    record["ending"]["text"] = f"You went home.{OSC}"
    for decision in record["decisions"]:
        decision["response_labels"] = [f"{label} \x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07"
                                       for label in decision["response_labels"]]
        if decision["rationale"]:
            decision["rationale"] = f"\u202e{decision['rationale']}"


def escapes_in_columns(attempt_id: int) -> None:
    with sqlite3.connect(database.records_path()) as db:
        db.execute("UPDATE attempts SET learner = ?, story_title = ?, ending_title = ? WHERE id = ?",
                   (f"Ada{OSC}", f"Test {OSC} clinic", "Home \x1b[2J safely", attempt_id))


async def test_stored_names_and_titles_reach_the_screen_without_their_controls(clinic):
    _, result = play(clinic, learner="Ada", clock=stamp)
    rewrite_record(result.attempt_id, escapes_everywhere)
    escapes_in_columns(result.attempt_id)
    async with app().run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ProgressScreen())
        await pilot.pause()
        text = screen_text(pilot.app)
        assert_clean(text)
        assert "Test \\x1b]0;PWNED\\x07 clinic" in text and "Home \\x1b[2J safely" in text
        await pilot.press("enter", "o")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AttemptScreen)
        text = screen_text(pilot.app)
        assert_clean(text)
        # A stored record is read with its controls removed (AttemptRecord.from_json), so none are left to show.
        assert "Learner: Ada]0;PWNEDecalevoL" in text and "Story version: 12J" in text
        assert "Start IV fluids ]52;c;Y3VybCBldmlsIHwgc2g=" in text  # prose: the controls are removed
        await pilot.press("e")  # the export dialog says the name it will contain
        await pilot.pause()
        text = screen_text(pilot.app)
        assert_clean(text)
        assert 'learner name "Ada]0;PWNEDecalevoL' in " ".join(text.split())


async def test_export_messages_show_a_paths_controls_as_escapes(clinic, tmp_path):
    _, result = play(clinic, learner="Ada", clock=stamp)
    blocker = tmp_path / f"b{OSC}"
    blocker.write_text("a file, not a folder")
    async with app().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ExportScreen(result.attempt_id))
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#export-path").value = str(blocker / "debrief.html")
        await pilot.click("#export")
        await pilot.pause()
        # (The path field holds what was put in it; a learner's typing or pasting cannot put a control there.)
        error = dialog.query_one("#export-error").content.plain
        assert_clean(error)
        assert "Could not write" in error and "b\\x1b]0;PWNED\\x07" in error
        written = tmp_path / f"d{OSC}" / "debrief.html"
        dialog.query_one("#export-path").value = str(written)
        dialog.query_one("#export-path").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert written.is_file() and pilot.app.screen is not dialog, dialog.query_one("#export-error").content.plain
        (message,) = [n.message for n in pilot.app._notifications]
        assert message.startswith("Exported to") and "d\\x1b]0;PWNED\\x07" in message
        assert_clean(message)
        assert_clean(screen_text(pilot.app))


async def test_a_result_file_the_format_cannot_carry_is_explained_in_the_dialog(clinic, tmp_path):
    _, result = play(clinic, learner="Ada", clock=stamp)
    rewrite_record(result.attempt_id, hostile_chart)  # JSON has no infinity
    async with app().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ExportScreen(result.attempt_id, fmt="json"))
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#export-path").value = str(tmp_path / "result.json")
        await pilot.click("#export")
        await pilot.pause()
        assert pilot.app.screen is dialog and "cannot be exported in this format" in screen_text(pilot.app)
