"""SVG snapshots of the NGN items made of parts and the highlight (issue 15) at 80x24 and 120x40: each item as
the learner answers it (a cell set, the cursor on another) and the feedback on each part. Baselines live in
tests/tui/__snapshots__/; after an intended change, run this file with --snapshot-update and look at
snapshot_report.html."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmjourney.engine import Action
from mmjourney.tui.app import MMJourneyApp

ITEMS = Path(__file__).resolve().parents[1] / "items"
SIZES = [(80, 24), (120, 40)]
RIGHT_FITS = ("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:not_expected")
HOW_HIGH = Action("answer", "how_high", options=("severity:moderate", "treatment:saline"))
TABLE = Action("answer", "results_table", options=("calcium:high", "creatinine:high", "potassium:within"))
DRAG_GAPS = ("condition:sepsis", "treatment:antibiotics", "time:one_hour")
DRAG_WHY = Action("answer", "why", options=("action:now", "reason:deteriorate"))
# Each item: its story, the answers that lead to it, then the keys pressed in it.
PLAYS = {
    "matrix": ("matrix.yaml", (), ("space", "down", "right", "space", "down")),
    "matrix_multiple": ("matrix.yaml", (Action("answer", "fits", options=RIGHT_FITS),),
                        ("4", "space", "right", "right", "space")),
    "cloze": ("cloze.yaml", (), ("space", "down")),  # blank 1 set, blank 2 open
    "drop_down_table": ("cloze.yaml", (HOW_HIGH,), ("space", "down")),
    "rationale": ("cloze.yaml", (HOW_HIGH, TABLE), ("down", "space", "space", "down")),
    "bow_tie": ("bowtie.yaml", (), ("space", "down", "space", "down")),  # the condition set, one action ticked
    "highlight": ("highlight.yaml", (), ("2", "down", "down", "space")),  # phrases 2 and 4 selected in the note
    # slot 1 set, slot 2 open with the token of slot 1 marked '(1)'
    "drag_cloze": ("dragdrop.yaml", (), ("space", "down")),
    # a drag-and-drop rationale: the action slot set, the reason slot open with that token marked '(1)'
    "drag_rationale": ("dragdrop.yaml", (Action("answer", "gaps", options=DRAG_GAPS),), ("space", "down")),
    # positions 1 and 2 set, position 3 open with the tokens placed there marked '(1)' and '(2)'
    "ordering": ("dragdrop.yaml", (Action("answer", "gaps", options=DRAG_GAPS), DRAG_WHY), ("space", "down", "space")),
}


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def answered(story: str, before: tuple, keys: tuple, submit: bool):
    async def run_before(pilot):
        await settle(pilot)
        screen = pilot.app.screen
        for action in before:
            screen.journey.decide(action)
        if before:
            screen.redraw()
            await settle(pilot)
        await pilot.press(*keys)
        if submit:
            await pilot.press("s")
        await settle(pilot)

    return MMJourneyApp(story_path=ITEMS / story, watch_settings=False), run_before


@pytest.mark.parametrize("item", PLAYS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_item(snap_compare, size, item):
    story, before, keys = PLAYS[item]
    app, run_before = answered(story, before, keys, submit=False)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_matrix_feedback(snap_compare, size):
    keys = ("space", "down", "space", "down", "right", "space", "down", "space")  # some rows right, some wrong
    app, run_before = answered("matrix.yaml", (), keys, submit=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_rationale_feedback(snap_compare, size):
    app, run_before = answered("cloze.yaml", (HOW_HIGH, TABLE), ("space", "space", "space"), submit=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_bow_tie_feedback(snap_compare, size):
    keys = ("space", "space", "down", "space", "space", "down", "space")  # lists half right: marked 1 of 2
    app, run_before = answered("bowtie.yaml", (), keys, submit=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_highlight_table_feedback(snap_compare, size):
    note = Action("answer", "note", options=("shivers", "temp", "paracetamol"))
    app, run_before = answered("highlight.yaml", (note,), ("2", "3", "4"), submit=True)  # 2 right, 1 wrong: 1 of 2
    assert snap_compare(app, terminal_size=size, run_before=run_before)
