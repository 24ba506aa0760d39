"""Recording attempts: what is stored, when, and how an attempt continues, ends or is left."""

from __future__ import annotations

import json

from mmjourney.engine import Session, debrief
from mmjourney.journey import expert_path
from mmjourney.journey.attempt import active_seconds
from mmjourney.records import (
    AttemptWriter,
    find_story,
    get_learner,
    rebuild_session,
    records,
    set_learner,
)
from mmjourney.records.recording import pseudonym
from mmjourney.story import load_story

from ..conftest import FIXTURES
from .conftest import keep, play, stamp


def load(attempt_id):
    with records() as db:
        return db.load(attempt_id)


def rows():
    with records() as db:
        return [dict(r) for r in db.attempts()]


def test_nothing_is_recorded_before_the_first_decision(clinic):
    session = Session(clinic)
    result = keep(session)
    assert result.attempt_id is None and result.message is None
    assert rows() == []


def test_each_decision_is_recorded_with_its_time_and_the_end_completes_the_attempt(clinic):
    session, result = play(clinic, clock=lambda n: stamp(n))
    record = load(result.attempt_id)
    assert record.status == "completed"
    assert record.story.id == "test-clinic" and record.story.version == "1"
    assert record.story.content_hash == clinic.content_hash
    assert record.mode == "practice" and record.seed == 0
    assert record.actions == tuple(session.actions)
    assert list(record.decided_at) == [stamp(n) for n in range(1, len(session.actions) + 1)]
    assert [d.decided_at for d in record.decisions] == [stamp(n) for n in range(1, 6)]
    assert record.started_at == stamp(1) and record.ended_at == stamp(6)
    assert record.duration_seconds == 5 * 60
    report = debrief(session)
    assert record.scores.overall.points == report.overall.points
    assert record.scores.overall.percent == 100.0
    assert set(record.scores.by_step) == set(report.by_step)
    assert set(record.scores.by_objective) == {"fluids", "fever"}
    assert set(record.scores.by_category) == set(report.by_category)
    assert record.ending.title == "Home safely" and record.ending.kind == "good"
    assert [e.scene for e in record.story.endings] == ["readmitted", "home", "icu"]
    first = record.decisions[0]
    assert first.response_labels == ("Start IV fluids",)
    assert first.expert_labels == ("Start IV fluids",) and first.matched_expert is True
    assert first.rationale == "Rehydration first." and first.references == ("imwg",)
    assert record.story.references["imwg"].citation == "IMWG 2014 criteria"
    quiz = record.decisions[3]
    assert quiz.kind == "answer" and quiz.response == ("calcium", "renal")
    assert [o.correct for o in quiz.options] == [True, True, False]
    assert len(record.chart) == len(session.chart)
    assert set(record.chart[0].values) == {"calcium", "temperature"}  # hidden trust is not exported
    # The tables beside the record: one row per action with its time, scores by kind.
    with records() as db:
        times = db.read("SELECT position, decided_at FROM decisions WHERE attempt_id = ? ORDER BY position",
                        (result.attempt_id,))
        assert [(r["position"], r["decided_at"]) for r in times] == [(n - 1, stamp(n)) for n in range(1, 7)]
        kinds = {r["kind"] for r in db.read("SELECT kind FROM scores WHERE attempt_id = ?", (result.attempt_id,))}
        assert kinds == {"overall", "step", "objective", "category"}


def test_a_record_replays_into_the_same_debrief(clinic):
    session, result = play(clinic, policy="worst", seed=3)
    record = load(result.attempt_id)
    story, note = find_story(record)
    assert story is not None and note is None
    again = rebuild_session(record, story)
    assert again.actions == session.actions and again.scene_id == session.scene_id
    assert debrief(again).overall.points == record.scores.overall.points
    assert [c.number for c in debrief(again).critical_errors] == [c.number for c in record.critical_errors]


def test_critical_errors_and_a_poor_ending_are_recorded(clinic):
    _, result = play(clinic, policy="worst")
    record = load(result.attempt_id)
    assert record.critical_errors[0].label == "Wait and see"
    assert record.decisions[0].critical is True and record.decisions[0].matched_expert is False
    assert record.decisions[0].expert_labels == ("Start IV fluids",)
    assert record.scores.overall.percent < 100
    assert rows()[0]["critical_errors"] >= 1


def test_undo_keeps_the_times_of_the_decisions_kept_and_counts_the_undo(clinic):
    session = Session(clinic)
    writer = AttemptWriter()
    actions = expert_path(clinic).actions
    for n, action in enumerate(actions[:3], 1):
        session.apply(action)
        writer.keep(session, now=stamp(n))
    session.undo()
    writer.keep(session, now=stamp(10))
    session.apply(actions[2])
    result = writer.keep(session, now=stamp(11))
    writer.close()
    record = load(result.attempt_id)
    assert list(record.decided_at) == [stamp(1), stamp(2), stamp(11)]
    assert record.undos == 1
    assert len(rows()) == 1


def test_an_undone_critical_error_is_kept_for_the_educator(clinic):
    session = Session(clinic)
    writer = AttemptWriter()
    session.choose("wait")  # harmful, critical
    writer.keep(session, now=stamp(1))
    session.undo()
    writer.keep(session, now=stamp(2))
    session.choose("give_fluids")
    writer.keep(session, now=stamp(3))
    session.choose("check_temp", outcome=1)
    session.undo()
    session.choose("check_temp", outcome=1)
    result = writer.keep(session, now=stamp(4))  # the same decision again: nothing was taken back
    writer.close()
    record = load(result.attempt_id)
    assert record.critical_errors == () and record.verdict.safe
    assert record.undos == 1
    assert [(u.number, u.label, u.rating, u.critical, u.decided_at, u.undone_at) for u in record.undone] == [
        (1, "Wait and see", "harmful", True, stamp(1), stamp(2))]


def test_learner_name_given_saved_or_from_the_classroom(clinic, monkeypatch):
    _, given = play(clinic, learner="Grace Hopper")
    assert load(given.attempt_id).learner == "Grace Hopper"
    assert set_learner("  Ada  ") is None
    assert get_learner() == "Ada"
    _, saved = play(clinic, seed=1)
    assert load(saved.attempt_id).learner == "Ada"
    # A classroom learner's Workspace names them: that name is recorded, the saved one is left alone.
    _, classroom = play(clinic, seed=2, learner="Classroom Kim")
    assert load(classroom.attempt_id).learner == "Classroom Kim"
    assert get_learner() == "Ada"
    set_learner("")
    _, anonymous = play(clinic, seed=4)
    record = load(anonymous.attempt_id)
    assert record.learner is None and record.learner_key.startswith("mmj-")


def test_the_pseudonym_is_stable_and_reveals_nothing():
    assert pseudonym("abc", "Ada") == pseudonym("abc", " ada ")
    assert pseudonym("abc", "Ada") != pseudonym("abd", "Ada") != pseudonym("abc", "Bob")
    assert "ada" not in pseudonym("abc", "Ada").lower()[4:]


def test_an_abandoned_attempt_is_kept_as_abandoned(clinic):
    session, _ = play(clinic, stop=2)
    result = keep(session, abandoned=True)
    record = load(result.attempt_id)
    assert record.status == "abandoned" and record.ended_at and record.ending is None
    assert len(record.decisions) == 2


def test_starting_the_same_story_again_abandons_its_unfinished_journey(clinic):
    first, first_result = play(clinic, stop=2)
    assert rows()[0]["status"] == "in_progress"
    play(clinic, seed=5)
    statuses = {r["id"]: r["status"] for r in rows()}
    assert statuses[first_result.attempt_id] == "abandoned"
    assert load(first_result.attempt_id).status == "abandoned"


def test_an_unfinished_journey_of_another_story_stays_to_be_continued(clinic):
    _, first = play(clinic, stop=2)
    play(load_story(FIXTURES / "markup" / "markup-trap.yaml"))
    assert {r["id"]: r["status"] for r in rows()}[first.attempt_id] == "in_progress"


def test_a_resumed_journey_continues_the_same_attempt(clinic):
    session, result = play(clinic, stop=3, clock=lambda n: stamp(n))
    # The app restarts: the journey comes back from the autosave as a new Session object.
    resumed = Session(clinic, session.seed, session.mode)
    resumed.replay(session.actions)
    del session
    writer = AttemptWriter()  # the restarted app's writer for the resumed journey
    for n, action in enumerate(expert_path(clinic).actions[3:], 4):
        resumed.apply(action)
        again = writer.keep(resumed, now=stamp(n))
    writer.close()
    assert again.attempt_id == result.attempt_id
    record = load(again.attempt_id)
    assert record.status == "completed"
    assert list(record.decided_at[:3]) == [stamp(1), stamp(2), stamp(3)]
    assert len(rows()) == 1


def test_a_finished_attempt_never_changes_and_going_on_starts_a_new_one(clinic):
    writer = AttemptWriter()
    session, result = play(clinic, clock=lambda n: stamp(n), writer=writer)
    again = writer.keep(session, now=stamp(30))
    assert again.attempt_id == result.attempt_id
    assert load(result.attempt_id).ended_at == stamp(6)
    session.undo(4)  # practice mode allows going back even from the ending
    session.answer("best_quiz", ["paracetamol"])
    session.proceed()
    branch = writer.keep(session, now=stamp(40))
    writer.close()
    assert branch.attempt_id != result.attempt_id
    new = load(branch.attempt_id)
    assert list(new.decided_at) == [stamp(n) for n in range(1, 5)] + [stamp(40), stamp(40)]
    assert new.scores.overall.points == 5
    assert load(result.attempt_id).status == "completed"


def test_the_stored_record_is_plain_json_with_no_local_paths_inside(clinic):
    _, result = play(clinic)
    with records() as db:
        raw = db.read("SELECT record FROM attempts WHERE id = ?", (result.attempt_id,))[0]["record"]
    record = json.loads(raw)
    assert "local" not in record and str(clinic.path) not in raw
    assert load(result.attempt_id).local.story_path == str(clinic.path.resolve())


def test_active_time_leaves_out_long_breaks():
    stamps = [stamp(0), stamp(1), stamp(2), "2026-03-02T10:02:00.000Z", "2026-03-02T10:03:30.000Z"]
    assert active_seconds(stamps) == 60 + 60 + 30 * 60 + 90
    assert active_seconds([stamp(0), None, stamp(1)]) == 60


def test_a_journey_first_seen_mid_way_does_not_invent_times_for_earlier_decisions(clinic):
    finished, _ = play(clinic, clock=lambda n: stamp(n))
    branch = Session(clinic)  # "try another choice" from the debrief: the first three replayed
    branch.replay(finished.actions[:3])
    branch.apply(finished.actions[3])
    result = keep(branch, now=stamp(50))
    record = load(result.attempt_id)
    assert list(record.decided_at) == [None, None, None, stamp(50)]
    assert record.started_at == stamp(50)
    from mmjourney.records.exports import render

    assert "decided 2026-03-01 10:50 UTC" in render(record, "md")
    assert render(record, "md").count("decided 2026") == 1
