""""Try again from here": the decisions a branch carries over from an earlier attempt are marked in its record,
shown as such in every debrief and export, and counted once by a class report."""

from __future__ import annotations

import io
import json
import random

import pytest

from mmjourney.engine import Action
from mmjourney.journey import Journey, Workspace, prompt_of
from mmjourney.journey.debrief_view import CARRIED_OVER, DebriefView
from mmjourney.journey.record import AttemptRecord
from mmjourney.records import attempt_writer, rebuild_session, records
from mmjourney.records.exports import render, result_document
from mmjourney.records.report import SELF_REPORTED, Entry, gradebook, item_statistics
from mmjourney.records.verify import Mismatch, check_consistency, check_replay

from .conftest import policy_of

BRANCH_AT = 3  # before the fourth action (the CRAB question): decisions 1 to 3 are carried over


def finish(journey: Journey, policy: str) -> Journey:
    """Decide by `policy` until the ending, keeping the autosave and the records after each step."""
    decide = policy_of(policy, random.Random(0))
    while not journey.ended:
        prompt = prompt_of(journey.session)
        journey.decide(Action("next") if prompt.kind == "read" else decide(prompt))  # type: ignore[arg-type]
        assert journey.persist() == []
    return journey


@pytest.fixture
def attempts(clinic):
    """A worst attempt at the clinic (a critical error first), then a try again from before its fourth action,
    played the expert's way: both as the learner's records hold them."""
    workspace = Workspace.from_environment(recorder=attempt_writer)
    first = finish(Journey.start(clinic, 3, "assessment", workspace), "worst")
    branch = finish(first.branch(BRANCH_AT), "expert")
    return first.debrief_record(), branch.debrief_record()


def test_the_branch_record_marks_the_decisions_it_carried_over(attempts, clinic):
    first, branch = attempts
    assert branch.carried_over is not None and branch.carried_over.actions == BRANCH_AT
    assert branch.carried_over.from_attempt == first.uuid and branch.record_version == 2
    assert [d.carried_over for d in branch.decisions] == [d.position < BRANCH_AT for d in branch.decisions]
    assert all(d.decided_at is None for d in branch.decisions if d.carried_over)  # not decided in this attempt
    assert not any(d.carried_over for d in first.decisions) and first.record_version == 1
    assert "carried_over" not in json.dumps(first.to_json())  # every other record is as before
    # It reads back as it was written, and a report's checks accept it.
    assert AttemptRecord.from_json(json.loads(json.dumps(branch.to_json()))) == branch
    check_consistency(branch)
    check_replay(branch, clinic)


def test_every_debrief_and_export_says_which_decisions_were_carried_over(attempts):
    _, branch = attempts
    view = DebriefView.of(branch)
    summary = view.section("summary")
    assert ("Carried over", "decisions 1 to 3, made in an earlier attempt; this one tried again from decision 4") \
        in [(row.label, row.text) for row in summary.rows]  # type: ignore[union-attr]
    held = view.section("held_back")
    assert held is not None and f"Decision 1: Wait and see (harmful) ({CARRIED_OVER})" in held.text(held.items[0])  # type: ignore[union-attr]
    markdown = render(branch, "md")
    assert f"### 1. Wait and see (harmful) — **CRITICAL ERROR** — *{CARRIED_OVER}*" in markdown
    headings = [line for line in markdown.splitlines() if line.startswith("### ") and line[4].isdigit()]
    assert [CARRIED_OVER in line for line in headings] == [d.carried_over for d in branch.decisions]
    assert markdown.count(CARRIED_OVER) == 3 + 1  # the three decisions, and the held-back one
    assert f"<em class=\"small\">({CARRIED_OVER})</em>" in render(branch, "html")
    assert result_document(branch)["attempt"]["carried_over"] == {"actions": BRANCH_AT,
                                                                   "from_attempt": branch.carried_over.from_attempt}


def test_the_plain_debrief_says_it_in_words(attempts, clinic):
    from mmjourney.plain.debrief import DebriefReader
    from mmjourney.plain.player import PlainPlayer

    _, branch = attempts
    out = io.StringIO()
    DebriefReader(PlainPlayer(Journey.start(clinic), io.StringIO(), out)).read(branch)
    said = " ".join(out.getvalue().split())
    assert "Carried over: decisions 1 to 3, made in an earlier attempt; this one tried again from decision 4." in said
    assert f"Decision 1: Wait and see. Rated harmful, critical error, {CARRIED_OVER}." in said


def test_the_full_screen_debrief_marks_them(attempts):
    from mmjourney.tui.debrief_text import revisit_content, section_content

    _, branch = attempts
    view = DebriefView.of(branch)
    held = view.section("held_back")
    assert CARRIED_OVER in revisit_content(held.items[0]).plain  # type: ignore[union-attr]
    decisions = section_content(view.section("decisions")).plain  # type: ignore[arg-type]
    assert decisions.count(CARRIED_OVER) == 3


def test_xapi_says_each_decision_once(attempts):
    first, branch = attempts
    responded = [s for s in json.loads(render(branch, "xapi")) if s["verb"]["display"]["en"] == "responded"]
    assert len(responded) == sum(1 for d in branch.decisions if not d.carried_over)
    (completed,) = [s for s in json.loads(render(branch, "xapi")) if s["verb"]["display"]["en"] == "completed"]
    carried = completed["result"]["extensions"]["https://mmjourney.invalid/xapi/extensions/carried-over"]
    assert carried["decisions"] == [1, 2, 3] and carried["from_registration"].replace("-", "") == first.uuid


def test_a_report_counts_a_carried_over_answer_once(attempts):
    first, branch = attempts
    both = [Entry(record, SELF_REPORTED, None, ("name", "ada")) for record in (first, branch)]  # type: ignore[arg-type]
    stats = {s.item: s for s in item_statistics(both)}
    assert stats["arrival"].responses == 1  # decision 1, carried over, counts in the attempt that made it
    assert stats["arrival"].critical == 1
    assert stats["best_quiz"].responses == 2  # made again in the branch: both count
    (row,) = gradebook(both)
    assert row["critical_errors_total"] == 1
    # Without the attempt it came from, the branch is the only place its decisions are counted.
    alone = {s.item: s for s in item_statistics(both[1:])}
    assert alone["arrival"].responses == 1 and alone["arrival"].critical == 1


def test_a_branch_saved_and_continued_keeps_what_it_carried_and_undo_takes_it_back(clinic):
    workspace = Workspace.from_environment(recorder=attempt_writer)
    first = finish(Journey.start(clinic, 3, "practice", workspace), "worst")
    branch = first.branch(BRANCH_AT)
    branch.decide(prompt_of(branch.session).expert())  # type: ignore[union-attr]
    assert branch.persist() == []
    resumed = Journey.resume(workspace)
    assert isinstance(resumed, Journey) and resumed.carried == branch.carried
    resumed.undo(1)  # back into the decisions it carried: the one made again is the learner's own
    assert resumed.carried is not None and resumed.carried.actions == 1
    resumed.decide(Action("choose", "check_temp", outcome=0))
    assert resumed.persist() == []
    record = resumed.debrief_record()
    assert [d.carried_over for d in record.decisions][:2] == [True, False]


def test_a_past_attempt_opened_again_is_not_recorded_again_and_its_branch_names_it(clinic):
    workspace = Workspace.from_environment(recorder=attempt_writer)
    finish(Journey.start(clinic, 3, "practice", workspace), "worst")
    with records() as db:
        (row,) = db.attempts()
        stored = db.load(row["id"])
    reviewed = Journey.reviewing(rebuild_session(stored, clinic), stored, workspace)
    assert reviewed.debrief_record() == stored and reviewed.attempt_id == row["id"]
    branch = finish(reviewed.branch(BRANCH_AT), "expert")
    with records() as db:
        assert len(db.attempts()) == 2  # the first attempt once, and the branch
    assert branch.debrief_record().carried_over.from_attempt == stored.uuid  # type: ignore[union-attr]


def _edited(record: AttemptRecord, edit) -> dict:
    data = json.loads(json.dumps(record.to_json()))
    edit(data)
    return data


def test_an_older_record_reads_as_one_with_nothing_carried_and_mixed_versions_are_refused(attempts):
    first, branch = attempts
    assert AttemptRecord.from_json(first.to_json()).carried_over is None
    with pytest.raises(ValueError, match="carried_over .* needs record_version 2, but this record has version 1"):
        AttemptRecord.from_json(_edited(branch, lambda d: d.update(record_version=1)))
    with pytest.raises(ValueError, match="record_version 2 is for a record with carried_over"):
        AttemptRecord.from_json(_edited(first, lambda d: d.update(record_version=2)))
    with pytest.raises(ValueError, match=r"carried_over.from_attempt should be an attempt's uuid"):
        AttemptRecord.from_json(_edited(branch, lambda d: d["carried_over"].update(from_attempt="x")))
    unmarked = AttemptRecord.from_json(_edited(branch, lambda d: d["decisions"][0].pop("carried_over")))
    with pytest.raises(Mismatch, match=r"decisions\[0\] is not marked carried over"):
        check_consistency(unmarked)
