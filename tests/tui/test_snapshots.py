"""SVG snapshots of the key screens at 80x24 and 120x40 (pytest-textual-snapshot).

Baselines live in tests/tui/__snapshots__/; after an intended change to a screen, run
`pytest tests/tui/test_snapshots.py --snapshot-update` and look at snapshot_report.html.
"""

from __future__ import annotations

import pytest

from mmjourney.engine import Session
from mmjourney.story import load_story
from mmjourney.tui.app import MMJourneyApp

from .conftest import FIXTURES, expert_actions, keys_for

CLINIC = FIXTURES / "clinic.yaml"
SIZES = [(80, 24), (120, 40)]


def app(**kwargs):
    return MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False, **kwargs)


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


async def play_clinic_to_the_end(pilot):
    story = load_story(CLINIC)
    replica = Session(story, seed=0)
    for action in expert_actions(story):
        await pilot.press(*keys_for(replica, action))
        await pilot.pause()
        replica.apply(action)
        if action.kind != "next":
            await pilot.press("enter")
            await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_picker(snap_compare, size):
    async def open_picker(pilot):
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=open_picker)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_play(snap_compare, size):
    assert snap_compare(app(story_path=CLINIC), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_feedback(snap_compare, size):
    async def choose_first(pilot):
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)

    assert snap_compare(app(story_path=CLINIC), terminal_size=size, run_before=choose_first)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_debrief(snap_compare, size):
    async def to_debrief(pilot):
        await settle(pilot)
        await play_clinic_to_the_end(pilot)

    assert snap_compare(app(story_path=CLINIC), terminal_size=size, run_before=to_debrief)
