"""Determinism, undo, branching and saves: all rest on replaying actions exactly."""

from __future__ import annotations

import json
import shutil

import pytest

from mmjourney.engine import (
    ActionError,
    SaveError,
    SaveMismatch,
    Session,
    restore,
    to_document,
)
from mmjourney.journey.files import write_json_atomic
from mmjourney.journey.journey import read_save
from mmjourney.story import load_story

from ..conftest import FIXTURES


def full_state(session):
    return (session.scene_id, session.day, session.stats, session.flags, sorted(session.state.visited),
            sorted(session.state.chosen), session.actions, session.history,
            [(s.day, s.stats) for s in session.chart])


def journey(clinic, seed):
    session = Session(clinic, seed=seed)
    session.choose("give_fluids")
    session.choose("check_temp")
    if session.scene_id == "fever_call":
        session.choose("sepsis_pathway")
    session.choose("quiz_time")
    session.answer("crab_quiz", ["calcium", "renal"])
    session.answer("best_quiz", ["cultures"])
    session.proceed()
    return session


def test_same_story_seed_and_choices_give_the_same_journey(clinic):
    for seed in range(8):
        assert full_state(journey(clinic, seed)) == full_state(journey(clinic, seed))


def test_undo_is_exact(clinic):
    session = journey(clinic, seed=3)
    for keep in range(len(session.actions)):
        reference = Session(clinic, seed=3)
        reference.replay(session.actions[:keep])
        copy = Session(clinic, seed=3)
        copy.replay(session.actions)
        copy.undo(keep)
        assert full_state(copy) == full_state(reference)


def test_undo_last_then_branch_differently(clinic):
    session = Session(clinic, seed=0)
    session.choose("wait")
    session.undo()
    assert session.scene_id == "arrival" and session.day == 0 and session.history == []
    session.choose("give_fluids")
    assert session.stats["calcium"] == pytest.approx(2.8)


def test_no_undo_in_assessment_mode(clinic):
    session = Session(clinic, mode="assessment")
    session.choose("give_fluids")
    with pytest.raises(ActionError, match="practice"):
        session.undo()


def test_save_round_trip_restores_exactly(clinic, tmp_path):
    session = journey(clinic, seed=5)
    path = tmp_path / "saves" / "autosave.json"
    write_json_atomic(path, to_document(session))
    doc = read_save(path)
    assert doc["story"]["id"] == "test-clinic" and doc["seed"] == 5
    assert len(json.dumps(doc)) < 2000
    restored = restore(clinic, doc)
    assert restored.note is None
    assert full_state(restored.session) == full_state(session)


def test_half_played_save_resumes_mid_journey(clinic):
    session = Session(clinic, seed=2, mode="assessment")
    session.choose("give_fluids")
    doc = json.loads(json.dumps(to_document(session)))
    restored = restore(clinic, doc).session
    assert restored.mode == "assessment" and restored.scene_id == "ward"
    assert full_state(restored) == full_state(session)


def copy_story(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "story")
    return tmp_path / "story" / "clinic.yaml"


def test_story_edited_but_journey_still_fits(clinic, tmp_path):
    doc = to_document(journey(clinic, seed=1))
    path = copy_story(tmp_path)
    path.write_text(path.read_text().replace("On the ward.", "On the haematology ward."))
    restored = restore(load_story(path), doc)
    assert "has changed" in restored.note and "still fit" in restored.note
    assert restored.session.ended


def test_story_edited_so_the_journey_no_longer_fits(clinic, tmp_path):
    doc = to_document(journey(clinic, seed=0))
    path = copy_story(tmp_path)
    path.write_text(path.read_text().replace("id: quiz_time", "id: quiz_now"))
    changed = load_story(path)
    with pytest.raises(SaveMismatch) as caught:
        restore(changed, doc)
    assert caught.value.usable == 2
    assert "decision 3 no longer fits" in str(caught.value)
    partial = restore(changed, doc, upto=caught.value.usable).session
    assert partial.scene_id == "ward" and len(partial.actions) == 2


def test_save_for_another_story_is_refused(clinic):
    doc = to_document(Session(clinic))
    doc["story"]["id"] = "other"
    with pytest.raises(SaveError, match="belongs to story 'other'"):
        restore(clinic, doc)


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b'{"format": "something-else"}', b"[]",
                                     b'{"format": "mmjourney-save", "version": 99}'])
def test_damaged_save_is_set_aside_not_overwritten(tmp_path, content):
    path = tmp_path / "autosave.json"
    path.write_bytes(content)
    with pytest.raises(SaveError, match="kept as autosave.json.corrupt-"):
        read_save(path)
    assert not path.exists()
    kept = list(tmp_path.glob("autosave.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content


def test_atomic_write_leaves_no_temporary_files(clinic, tmp_path):
    session = Session(clinic)
    for _ in range(3):
        write_json_atomic(tmp_path / "a.json", to_document(session))
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_fork_is_independent_and_equal(clinic):
    session = Session(clinic, seed=4)
    session.choose("give_fluids")
    twin = session.fork()
    assert twin.fingerprint() == session.fingerprint()
    twin.choose("check_temp", outcome=1)
    assert session.scene_id == "ward" and "check_temp" not in session.state.chosen
    replayed = Session(clinic, seed=4)
    replayed.replay(twin.actions)
    assert full_state(replayed) == full_state(twin)


def test_fingerprint_ignores_history_nothing_looks_at(clinic):
    # 'check_temp' is watched (chosen() and once-only); 'quiz_time' is not, nor is the 'quiz' scene.
    assert "check_temp" in clinic.watched_choices and "quiz_time" not in clinic.watched_choices
    assert clinic.watched_scenes == frozenset()
    one = Session(clinic)
    one.choose("give_fluids")
    two = one.fork()
    one.state.chosen.add("quiz_time")  # history that no condition can see
    assert one.fingerprint() == two.fingerprint()
    one.state.chosen.add("check_temp")  # history a condition does see
    assert one.fingerprint() != two.fingerprint()
