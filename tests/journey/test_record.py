"""Typed attempt records: the JSON stays exactly what was stored before, and bad JSON is refused by field.

tests/journey/golden holds records written by the dict-building `build_record` that came before
the typed records (same plays, same arguments as `golden_record` below), since extended by the verdict
and the undone decisions (and the steps in the model's order). If a fixture story changes, regenerate
them with the current code and check the diff by eye.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from mmjourney.journey import attempt
from mmjourney.journey.attempt import build_record
from mmjourney.journey.record import AttemptRecord
from mmjourney.records import records
from mmjourney.story import load_story

from ..records.conftest import play, stamp

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parents[1] / "fixtures"
TRAP = Path(__file__).parents[1] / "records" / "fixtures" / "html-trap.yaml"
PLAYS = {
    "clinic-expert": (FIXTURES / "clinic.yaml", {"policy": "expert"}),
    "clinic-worst": (FIXTURES / "clinic.yaml", {"policy": "worst", "seed": 3}),
    "clinic-random": (FIXTURES / "clinic.yaml", {"policy": "random", "seed": 1, "rng": random.Random(3)}),
    "clinic-unfinished": (FIXTURES / "clinic.yaml", {"policy": "expert", "stop": 2}),
    "html-trap-worst": (TRAP, {"policy": "worst"}),
}


def golden_record(name: str) -> AttemptRecord:
    path, options = PLAYS[name]
    options = {k: copy.deepcopy(v) for k, v in options.items()}  # a fresh Random each time
    session, _ = play(load_story(path), record=False, **options)
    n = len(session.actions)
    return build_record(
        session, attempt_uuid="0123456789abcdef0123456789abcdef", learner="Ada <b>", learner_key="mmj-0000",
        status="completed" if session.ended else "in_progress", started_at=stamp(0), updated_at=stamp(n + 1),
        ended_at=stamp(n + 1) if session.ended else None,
        timestamps=[stamp(i + 1) if i else None for i in range(n)], undos=1)


@pytest.fixture(autouse=True)
def fixed_version(monkeypatch):
    monkeypatch.setattr(attempt, "__version__", "0-test")


@pytest.mark.parametrize("name", sorted(PLAYS))
def test_build_record_writes_the_same_bytes_as_before(name):
    text = json.dumps(golden_record(name).to_json(), ensure_ascii=False)
    assert text == (GOLDEN / f"{name}.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(PLAYS))
def test_a_stored_record_reads_back_and_writes_out_byte_for_byte(name):
    text = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    record = AttemptRecord.from_json(json.loads(text))
    assert record == golden_record(name)
    assert json.dumps(record.to_json(), ensure_ascii=False) == text
    # The result file's canonical form (sorted keys) is the same too, so integrity hashes still match.
    canonical = dict(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert json.dumps(record.to_json(), **canonical) == json.dumps(json.loads(text), **canonical)


def test_records_in_the_database_round_trip(clinic):
    _, result = play(clinic, policy="random", rng=random.Random(5), learner="Ben", clock=stamp)
    with records() as db:
        raw = db.read("SELECT record FROM attempts WHERE id = ?", (result.attempt_id,))[0]["record"]
        loaded = db.load(result.attempt_id)
    assert json.dumps(loaded.to_json(), ensure_ascii=False) == raw
    assert loaded.local is not None and loaded.local.attempt_id == result.attempt_id


def good() -> dict:
    return json.loads((GOLDEN / "clinic-random.json").read_text(encoding="utf-8"))


def edited(edit) -> dict:
    data = good()
    edit(data)
    return data


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(ended_at=12345), "ended_at should be text or empty, but it is the number 12345"),
    (lambda d: d["decisions"][0].update(options=[1, 2]),
     "decisions[0].options[0] should be an object with named values, but it is the number 1"),
    (lambda d: d["decisions"][0].update(response=[[1]]), "decisions[0].response[0] should be text, but it is a list"),
    (lambda d: d.pop("scores"), "scores is missing"),
    (lambda d: d["scores"]["by_step"]["take_action"].update(points="lots"),
     "scores.by_step.take_action.points should be a number, but it is text"),
    (lambda d: d.update(status="won"), "status should be one of completed, abandoned, in_progress"),
    (lambda d: d["story"]["stats"][0].update(normal=[1]), "story.stats[0].normal should be two numbers"),
    (lambda d: d["chart"][1]["values"].update(calcium=None), "chart[1].values.calcium should be a number"),
    (lambda d: d["decisions"][0].update(critical="yes"), "decisions[0].critical should be true or false"),
    (lambda d: d["actions"][0].update(kind=3), "actions[0].kind should be one of choose, answer, next"),
    (lambda d: d.update(seed=1.5), "seed should be a whole number, but it is the number 1.5"),
    (lambda d: d.update(uuid="not-a-uuid"), "uuid should be 32 hexadecimal digits"),
    (lambda d: d.update(record_version=3), "record_version 3 is not one this mmjourney reads (1 or 2)"),
    (lambda d: d.update(ending="the end"), "ending should be an object with named values, but it is text"),
], ids=["ended_at", "options", "response", "missing", "tally", "status", "normal", "chart", "critical", "action",
        "seed", "uuid", "version", "ending"])
def test_wrong_types_are_refused_naming_the_field(edit, message):
    with pytest.raises(ValueError) as caught:
        AttemptRecord.from_json(edited(edit))
    assert message in str(caught.value)


def test_something_that_is_not_an_object_is_refused_in_words():
    for value in ([], "text", None, 3):
        with pytest.raises(ValueError, match="the record should be an object"):
            AttemptRecord.from_json(value)


def test_a_true_is_not_a_number():
    with pytest.raises(ValueError, match=r"decisions\[0\].points should be a number, but it is true"):
        AttemptRecord.from_json(edited(lambda d: d["decisions"][0].update(points=True)))


@pytest.mark.parametrize("name", sorted(PLAYS))
def test_an_older_record_without_a_verdict_gets_it_derived(name):
    """Records stored before the verdict was kept: safe from the critical errors, passed at 80%."""
    data = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    kept = data.pop("verdict")
    data.pop("undone")
    record = AttemptRecord.from_json(data)
    assert record.verdict.to_json() == kept and record.undone == ()


def test_undone_decisions_are_read_by_field():
    with pytest.raises(ValueError, match=r"undone\[0\].critical should be true or false"):
        AttemptRecord.from_json(edited(lambda d: d.update(undone=[{
            "position": 0, "number": 1, "kind": "choose", "item": "arrival", "label": "Wait", "rating": "harmful",
            "critical": "yes", "points": 0, "max_points": 1, "decided_at": None, "undone_at": "2026"}])))
