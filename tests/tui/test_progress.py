"""The Progress screen, a past attempt's debrief and the export dialog, driven by keys (Pilot),
plus SVG snapshots. The screens are pushed onto the app as the title menu will push them."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from mmjourney.journey import Journey, Workspace
from mmjourney.records import database, get_learner, records
from mmjourney.story import load_story
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.attempt import AttemptScreen
from mmjourney.tui.screens.debrief import DebriefScreen
from mmjourney.tui.screens.export import ExportScreen
from mmjourney.tui.screens.progress import ProgressScreen
from mmjourney.tui.screens.title import TitleScreen

from ..records.conftest import keep, play, stamp
from .conftest import FIXTURES, screen_text

CLINIC = FIXTURES / "clinic.yaml"
TRAP = FIXTURES / "markup" / "markup-trap.yaml"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def utc_and_fresh(monkeypatch):
    """Times shown in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def make_history(story=None) -> None:
    """Six journeys through the test clinic on six days, then one through a second story."""
    clinic = story or load_story(CLINIC)
    for n, policy in enumerate(["worst", "random", "random", "expert", "random", "expert"]):
        play(clinic, seed=n, policy=policy, rng=random.Random(n), learner="Ada",
             clock=lambda step, n=n: stamp(step, day=1 + n))
    session, _ = play(clinic, seed=9, policy="expert", learner="Ada", stop=2, clock=lambda step: stamp(step, day=8))
    keep(session, abandoned=True, now=stamp(30, day=8))
    play(load_story(TRAP), policy="expert", learner="Ada", clock=lambda step: stamp(step, day=9))


def app() -> MMJourneyApp:
    return MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)


async def open_progress(pilot) -> ProgressScreen:
    await pilot.pause()
    screen = ProgressScreen()
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_empty_records_say_what_will_appear():
    async with app().run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        text = screen_text(pilot.app)
        assert "Your progress" in text and "No attempts recorded yet" in text
        assert "No finished attempt yet" in text


async def test_progress_per_story_trend_and_attempts():
    make_history()
    async with app().run_test(size=(120, 40)) as pilot:
        screen = await open_progress(pilot)
        text = screen_text(pilot.app)
        # Most recently played story first: the markup trap, with its title shown literally.
        assert "[TODO] Markup [b]trap" in text
        assert [s.title for s in screen.stories] == ["[TODO] Markup [b]trap", "Test clinic"]
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(pilot.app)
        clinic = screen.stories[1]
        assert len(clinic.attempts) == 7 and len(clinic.completed) == 6
        row = next(line for line in text.splitlines() if "Test clinic" in line and "of" in line)
        assert row.split() == ["Test", "clinic", "7", "100%", "100%", "3", "of", "3", "2", "of", "2"]
        assert "Score trend: Test clinic" in text
        assert " 1  2  3  4  5  6" in text  # one column per finished attempt
        facts = screen.query_one("#progress-facts").content.plain
        assert "Endings found: 3 of 3 (Readmitted, Intensive care, Home safely)" in facts
        assert "Objectives mastered: 2 of 2" in facts
        options = screen.query_one("#progress-attempts")
        labels = [" ".join(options.get_option_at_index(i).prompt.plain.split()) for i in range(options.option_count)]
        assert len(labels) == 7
        # Abandoned: no percentage for a journey not played to its end.
        assert labels[0] == "#7 2026-03-08 10:01 not finished left after 2 steps · practice"
        assert labels[-1] == "#1 2026-03-01 10:01 50% not passed Readmitted · practice Unsafe: 1 critical error"
        assert any(" 100% passed " in label for label in labels)


async def test_open_a_past_attempt_and_its_full_debrief():
    make_history()
    async with app().run_test(size=(100, 40)) as pilot:
        await open_progress(pilot)
        await pilot.press("down", "enter")  # the clinic row, then into its attempts
        await pilot.pause()
        await pilot.press("end", "enter")  # the oldest attempt: the worst one
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, AttemptScreen) and screen.attempt_id == 1
        text = screen_text(pilot.app)
        assert "Attempt 1: Test clinic" in text and "Outcome: Readmitted" in text
        assert "Overall score: 3 of 6 (50%)" in text
        await pilot.press("f")  # replay it against the story: the game's own debrief
        await pilot.pause()
        assert isinstance(pilot.app.screen, DebriefScreen)
        assert pilot.app.screen.record.scores.overall.points == 3
        await pilot.press("escape")  # the game's debrief goes back to the title screen
        await pilot.pause()
        assert isinstance(pilot.app.screen, TitleScreen)


async def test_the_attempt_debrief_is_complete_and_literal():
    make_history()
    with records() as db:
        trap = db.last_attempt_id()
    async with app().run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(AttemptScreen(trap))
        await pilot.pause()
        text = screen_text(pilot.app)
        for literal in ("[TODO] Markup [b]trap", "Ending [TODO] [/", "Label [TODO] [/ [b]x", "Rationale [b]x [/",
                        "Objective [TODO] [/ [b]x", "Citation [TODO] [/ [b]x", "Dose [TODO]", "[mg]",
                        "Prompt [TODO] [/", "Explanation [/ [b]x"):
            assert literal in text, literal


async def test_export_from_a_past_attempt_writes_the_chosen_format(tmp_path):
    make_history()
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(AttemptScreen(4))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportScreen)
        assert "This file contains the learner name \"Ada\"" in screen_text(pilot.app)
        await pilot.click("#format-json")
        await pilot.pause()
        path = dialog.query_one("#export-path").value
        assert path.endswith("mmjourney-test-clinic-attempt-4.result.json")
        dialog.query_one("#export-path").value = str(tmp_path / "mine" / "result.json")
        dialog.query_one("#export-path").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AttemptScreen)
        written = json.loads((tmp_path / "mine" / "result.json").read_text())
        assert written["format"] == "mmjourney-result" and written["attempt"]["story"]["id"] == "test-clinic"
        assert any(n.message.startswith("Exported to") for n in pilot.app._notifications)


async def test_export_dialog_keeps_the_chosen_name_and_changes_its_extension(tmp_path):
    make_history()
    async with app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ExportScreen(2))
        await pilot.pause()
        dialog = pilot.app.screen
        field = dialog.query_one("#export-path")
        assert field.value == str(pilot.app.workspace.exports_dir / "mmjourney-test-clinic-attempt-2.html")
        field.value = str(tmp_path / "for-tutor.html")
        await pilot.click("#format-md")
        await pilot.pause()
        assert field.value == str(tmp_path / "for-tutor.md")
        await pilot.click("#export")
        await pilot.pause()
        assert (tmp_path / "for-tutor.md").read_text().startswith("# Debrief: Test clinic")


async def test_an_export_that_cannot_be_written_is_shown_in_the_dialog(tmp_path):
    make_history()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    async with app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ExportScreen(2))
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#export-path").value = str(blocker / "debrief.html")
        await pilot.click("#export")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert "Could not write" in screen_text(pilot.app)


async def test_in_classroom_mode_an_export_is_a_download_and_no_path_can_be_typed(private_data_dir, monkeypatch):
    """A browser client never names a server path: the file is delivered to the browser and a
    copy stays in the learner's own exports folder (the critical classroom finding F1)."""
    learner_id = "0123456789abcdef"
    monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(private_data_dir / "learners" / learner_id))
    make_history()  # Ada's journeys, in her own folder on the classroom server
    monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(private_data_dir))
    delivered = []
    classroom = MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False, classroom=True)
    monkeypatch.setattr(classroom, "deliver_text", lambda path, **options: delivered.append((path, options)))
    async with classroom.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.app.sign_in(learner_id, "Ada")  # as the name screen does after her secret
        await pilot.pause()
        pilot.app.open_attempt(4)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportScreen)
        assert not dialog.query("#export-path") and not dialog.query(Input)
        assert "downloads in your browser" in screen_text(pilot.app)
        await pilot.press("down", "space")  # the formats have focus: move to Markdown and choose it
        await pilot.pause()
        assert dialog.fmt == "md"
        await pilot.click("#export")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AttemptScreen)
    copy = classroom.workspace.exports_dir / "mmjourney-test-clinic-attempt-4.md"
    assert copy.read_text().startswith("# Debrief: Test clinic")
    assert delivered == [(copy, {"save_filename": copy.name})]
    assert copy.parent.parent == classroom.workspace.data_dir == private_data_dir / "learners" / learner_id


async def test_in_a_local_terminal_the_export_dialog_still_asks_where(tmp_path):
    make_history()
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.push_screen(ExportScreen(4))
        await pilot.pause()
        assert pilot.app.screen.query_one("#export-path", Input).has_focus


async def test_the_learner_name_can_be_set_and_is_kept():
    async with app().run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"[b]Grace", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ProgressScreen)
        assert "Learner: [b]Grace" in screen_text(pilot.app)
    assert get_learner() == "[b]Grace"


async def test_a_damaged_records_file_is_explained_and_the_screen_still_works():
    path = database.records_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database" * 500)
    async with app().run_test(size=(100, 30)) as pilot:
        await open_progress(pilot)
        text = " ".join(screen_text(pilot.app).split())
        assert "The records file was damaged; it was kept as records.sqlite3.corrupt-" in text
        assert "No attempts recorded yet" in text


async def test_export_session_records_the_journey_and_offers_the_export():
    clinic = load_story(CLINIC)
    session, _ = play(clinic, record=False)
    async with app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pilot.app.export_journey(Journey(session, pilot.app.workspace))
        await pilot.pause()
        assert isinstance(pilot.app.screen, ExportScreen)
    with records() as db:
        assert [row["status"] for row in db.attempts()] == ["completed"]


# --- snapshots ------------------------------------------------------------------------------------------------


@pytest.fixture
def steady_exports(monkeypatch):
    """The export dialog shows its folder; keep it the same on every machine."""
    monkeypatch.setattr(Workspace, "exports_dir", property(lambda self: Path("/home/learner/mmjourney/exports")))


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_progress(snap_compare, size):
    make_history()

    async def show(pilot):
        await pilot.app.push_screen(ProgressScreen())
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=show)


def test_snapshot_attempt_debrief(snap_compare):
    make_history()

    async def show(pilot):
        await pilot.app.push_screen(AttemptScreen(2))
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(80, 24), run_before=show)


def test_snapshot_export_dialog(snap_compare, steady_exports):
    make_history()

    async def show(pilot):
        await pilot.app.push_screen(ExportScreen(2))
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(80, 24), run_before=show)
