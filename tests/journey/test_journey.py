"""The Journey and the Workspace: mode policy, persistence, isolation, and surviving a killed game."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from mmjourney.engine import ActionError
from mmjourney.journey import Journey, ResumeProblem, Workspace, expert_path
from mmjourney.records import attempt_writer, records
from mmjourney.story import load_story

from ..conftest import FIXTURES, REPO

CLINIC = FIXTURES / "clinic.yaml"


@pytest.fixture(scope="module")
def clinic():
    return load_story(CLINIC)


def play_some(journey: Journey, steps: int) -> None:
    for action in expert_path(journey.story).actions[:steps]:
        journey.decide(action)
        assert journey.persist() == []


def test_two_workspaces_in_one_process_keep_their_own_files(clinic, tmp_path):
    ada = Workspace(tmp_path / "ada", learner="Ada", recorder=attempt_writer)
    bob = Workspace(tmp_path / "bob", learner="Bob", recorder=attempt_writer)
    first, second = Journey.start(clinic, 1, "practice", ada), Journey.start(clinic, 2, "assessment", bob)
    play_some(first, 3)
    play_some(second, 1)
    assert len(Journey.resume(ada).session.actions) == 3
    assert len(Journey.resume(bob).session.actions) == 1
    with records(ada.records_path) as db:
        assert [(r["learner"], r["mode"]) for r in db.attempts()] == [("Ada", "practice")]
    with records(bob.records_path) as db:
        assert [(r["learner"], r["mode"]) for r in db.attempts()] == [("Bob", "assessment")]
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {"ada", "bob"}


def test_the_mode_policy_is_one_place(clinic):
    practice, assessment = Journey.start(clinic, mode="practice"), Journey.start(clinic, mode="assessment")
    assert practice.policy.can_undo and practice.policy.feedback_after_each and practice.policy.shows_ratings
    assert not (assessment.policy.can_undo or assessment.policy.feedback_after_each or assessment.policy.shows_ratings)
    play_some(assessment, 1)
    with pytest.raises(ActionError, match="not available in assessment mode"):
        assessment.undo()
    with pytest.raises(ActionError, match="no decision to undo"):
        practice.undo()


def test_branch_and_replaying_a_changed_story(clinic):
    journey = Journey.start(clinic, seed=3, mode="assessment")
    play_some(journey, 3)
    branch = journey.branch(1)
    assert branch.mode == "practice" and branch.session.actions == journey.session.actions[:1]
    again, replay = Journey.replaying(clinic, 3, "practice", journey.session.actions)
    assert replay.replayed == replay.total == 3 and replay.reason == ""
    wrong = [*journey.session.actions[:2], type(journey.session.actions[0])("choose", "no_such_choice")]
    _, partly = Journey.replaying(clinic, 3, "practice", wrong)
    assert partly.replayed == 2 and "decision 3 ('no_such_choice') no longer fits" in partly.reason


def test_an_autosave_that_is_not_a_regular_file_is_explained(tmp_path):
    workspace = Workspace(tmp_path)
    workspace.autosave_path("clinic").mkdir(parents=True)
    (listed,) = workspace.saved_journeys()
    assert listed.story_id is None and listed.title == "clinic.journey.json"  # listed, as one that cannot be read
    problem = Journey.resume(workspace)
    assert isinstance(problem, ResumeProblem) and "not a regular file" in problem.message


def test_settings_of_the_wrong_type_are_ignored_and_damaged_ones_set_aside(tmp_path):
    workspace = Workspace(tmp_path)
    workspace.settings_path.parent.mkdir(parents=True, exist_ok=True)
    workspace.settings_path.write_text('{"theme": [1], "other": 2}')
    assert workspace.load_settings() == {}
    workspace.settings_path.write_text("[" * 100_000)
    assert workspace.load_settings() == {}
    assert any(p.name.startswith("settings.json.corrupt-") for p in tmp_path.iterdir())
    workspace.save_settings({"theme": "nord"})
    assert workspace.load_settings() == {"theme": "nord"}


def test_a_decision_shown_survives_kill_9(tmp_path):
    """The plain player shows a decision's feedback only after its autosave is written; kill the
    game the moment the feedback appears and Continue still has that decision."""
    env = {**os.environ, "MMJOURNEY_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "mmjourney", "play", "--plain", "--seed", "0", str(CLINIC)]
    game = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        game.stdin.write("1\n")
        game.stdin.flush()
        deadline = time.monotonic() + 60
        seen = ""
        while "Rating:" not in seen:
            assert time.monotonic() < deadline, seen
            seen += game.stdout.readline()
        game.send_signal(signal.SIGKILL)
        game.wait(timeout=30)
    finally:
        if game.poll() is None:
            game.kill()
    resumed = Journey.resume(Workspace(tmp_path / "data"))
    assert not isinstance(resumed, ResumeProblem), resumed
    assert len(resumed.session.actions) == 1


def test_each_story_keeps_its_own_unfinished_journey(tmp_path, clinic):
    tutorial_story = load_story(REPO / "stories" / "tutorial-first-shift.yaml")
    workspace = Workspace(tmp_path)
    first = Journey.start(clinic, 1, workspace=workspace)
    first.decide(expert_path(clinic).actions[0])
    first.save()
    other = Journey.start(tutorial_story, 2, workspace=workspace)
    for action in expert_path(tutorial_story).actions[:2]:
        other.decide(action)
    other.save()
    saved = workspace.saved_journeys()
    assert {(s.story_id, s.steps) for s in saved} == {(clinic.model.id, 1), (tutorial_story.model.id, 2)}
    assert saved[0].title == tutorial_story.model.title  # the most recently saved first
    resumed = Journey.resume(workspace, next(s.path for s in saved if s.story_id == clinic.model.id))
    assert isinstance(resumed, Journey) and resumed.session.actions == first.session.actions
    # A new journey through the same story replaces that story's unfinished one, and only that one.
    again = Journey.start(clinic, 5, workspace=workspace)
    again.decide(expert_path(clinic, 5).actions[0])
    again.save()
    assert {(s.story_id, s.steps) for s in workspace.saved_journeys()} == {
        (clinic.model.id, 1), (tutorial_story.model.id, 2)}
    assert Journey.resume(workspace, workspace.autosave_path(clinic.model.id)).session.seed == 5


def test_a_journey_continued_from_an_older_single_autosave_moves_to_its_own_place(tmp_path, clinic):
    workspace = Workspace(tmp_path)
    journey = Journey.start(clinic, 1, workspace=workspace)
    journey.decide(expert_path(clinic).actions[0])
    legacy = workspace.saves_dir / "autosave.json"
    legacy.parent.mkdir(parents=True)
    legacy.write_text(json.dumps(journey.save_document()))
    resumed = Journey.resume(workspace)
    assert isinstance(resumed, Journey)
    resumed.decide(expert_path(clinic).actions[1])
    assert resumed.save() == []
    assert not legacy.exists()
    assert [s.path for s in workspace.saved_journeys()] == [workspace.autosave_path(clinic.model.id)]


def test_in_assessment_an_autosave_that_takes_a_decision_back_is_set_aside_and_the_records_win(tmp_path, clinic):
    workspace = Workspace(tmp_path, recorder=attempt_writer)
    journey = Journey.start(clinic, 7, "assessment", workspace)
    for action in expert_path(clinic, 7).actions[:3]:
        journey.decide(action)
        assert journey.persist() == []
    path = workspace.autosave_path(clinic.model.id)
    doc = json.loads(path.read_text())
    doc["actions"] = doc["actions"][:2]  # the learner edits the save to take back the last decision
    path.write_text(json.dumps(doc))
    resumed = Journey.resume(workspace)
    assert isinstance(resumed, Journey)
    assert resumed.session.actions == journey.session.actions  # all three, as the records have them
    assert "did not match your records" in resumed.note
    assert not path.exists() and list(path.parent.glob("*.not-as-recorded-*"))
    # Going on keeps the same attempt in the records.
    resumed.decide(expert_path(clinic, 7).actions[3])
    assert resumed.persist() == []
    assert resumed.attempt_id == journey.attempt_id


def test_in_assessment_an_autosave_ahead_of_the_records_takes_nothing_back_and_is_kept(tmp_path, clinic):
    workspace = Workspace(tmp_path, recorder=attempt_writer)
    journey = Journey.start(clinic, 7, "assessment", workspace)
    actions = expert_path(clinic, 7).actions
    journey.decide(actions[0])
    assert journey.persist() == []
    journey.decide(actions[1])
    assert journey.save() == []  # this decision's recording failed (a full disk, say)
    resumed = Journey.resume(workspace)
    assert isinstance(resumed, Journey) and resumed.session.actions == actions[:2] and resumed.note is None


def test_in_practice_the_autosave_is_what_continues(tmp_path, clinic):
    workspace = Workspace(tmp_path, recorder=attempt_writer)
    journey = Journey.start(clinic, 7, "practice", workspace)
    for action in expert_path(clinic, 7).actions[:3]:
        journey.decide(action)
        assert journey.persist() == []
    journey.undo()
    assert journey.save() == []
    resumed = Journey.resume(workspace)
    assert isinstance(resumed, Journey) and len(resumed.session.actions) == 2


def test_the_debrief_of_a_kept_journey_shows_the_decisions_taken_back(tmp_path, clinic):
    from mmjourney.engine import Action

    workspace = Workspace(tmp_path, recorder=attempt_writer)
    journey = Journey.start(clinic, 0, "practice", workspace)
    journey.decide(Action("choose", "wait"))  # harmful and critical
    assert journey.persist() == []
    journey.undo()
    assert journey.persist() == []
    for action in expert_path(clinic).actions:
        journey.decide(action)
        assert journey.persist() == []
    record = journey.debrief_record()
    assert record.undos == 1 and [u.critical for u in record.undone] == [True]
    assert record.critical_errors == ()  # the journey itself has none: the one taken back is shown apart
    # Without records, the debrief comes from the session alone.
    assert Journey.start(clinic, 0).debrief_record().undone == ()
