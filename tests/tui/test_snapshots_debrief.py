"""SVG snapshots of the debrief's summary card and decisions to revisit at 80x24, 120x40 and 200x60.

After an intended change: `pytest tests/tui/test_snapshots_debrief.py --snapshot-update`, then look at the
report (or render the SVGs to PNG) before committing the new baselines.
"""

from __future__ import annotations

import pytest

from mmjourney.journey import Journey
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.debrief import DebriefScreen

from ..records.conftest import play
from .conftest import FIXTURES

SIZES = [(80, 24), (120, 40), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_debrief_summary(snap_compare, clinic, size):
    """A journey with a critical error and a wrong answer: the card, then what to revisit."""
    session, _ = play(clinic, policy="worst", record=False)

    async def open_debrief(pilot):
        await pilot.app.push_screen(DebriefScreen(Journey(session)))
        await pilot.pause()

    app = MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)
    assert snap_compare(app, terminal_size=size, run_before=open_debrief)
