"""Answers that change the story, and decisions or entries that come round again (issue 12)."""

from __future__ import annotations

import pytest

from mmjourney.engine import Session, debrief
from mmjourney.journey import prompt_of
from mmjourney.story import load_story

from ..conftest import FIXTURES

LOOPS = FIXTURES / "loops-and-answers.yaml"


@pytest.fixture(scope="module")
def loops():
    return load_story(LOOPS)


def at_question(loops, seed=0) -> Session:
    session = Session(loops, seed)
    session.choose("call_in")
    return session


def test_a_wrong_option_applies_its_effects_and_on_incorrect_and_picked_takes_the_worse_route(loops):
    session = at_question(loops)
    result = session.answer("fever_priority", ["wait_for_rounds"])
    assert session.flags["delayed"] is True  # the option's effects
    assert session.stats["temperature"] == pytest.approx(39.4)  # on_incorrect: temperature += 1
    assert (result.points, result.max_points) == (0.0, 1.0)
    session.proceed()
    assert session.scene_id == "ending_poor"  # the route asked picked(fever_priority, wait_for_rounds)


def test_another_wrong_option_runs_on_incorrect_only(loops):
    session = at_question(loops)
    session.answer("fever_priority", ["obs_later"])
    assert session.flags["delayed"] is False and session.stats["temperature"] == pytest.approx(39.4)
    session.proceed()
    assert session.scene_id == "bay"


def test_a_right_answer_runs_on_correct_and_correct_opens_the_good_ending(loops):
    session = at_question(loops)
    session.answer("fever_priority", ["antibiotics_within_hour"])
    assert session.stats["temperature"] == pytest.approx(38.4)
    session.proceed()
    for action in ("move_on", "discharge"):
        session.choose(action)
    session.answer("phone_now", ["bleeding", "fever_signs"])  # any order: the same answer
    assert session.flags["taught"] is True
    session.proceed()
    assert session.scene_id == "ending_good"


def test_a_partly_right_select_all_answer_is_not_correct(loops):
    session = at_question(loops)
    session.answer("fever_priority", ["antibiotics_within_hour"])
    session.proceed()
    session.choose("move_on")
    session.choose("discharge")
    session.answer("phone_now", ["fever_signs"])
    assert session.flags["taught"] is False
    session.proceed()
    assert session.scene_id == "ending_mixed"


def test_a_choice_taken_again_is_not_scored_and_the_debrief_counts_it_once(loops):
    session = at_question(loops)
    session.answer("fever_priority", ["antibiotics_within_hour"])
    session.proceed()
    first = session.choose("recheck_obs")
    again = session.choose("recheck_obs")
    assert (first.points, first.max_points, first.repeat) == (1.0, 1.0, False)
    assert (again.points, again.max_points, again.repeat) == (0.0, 0.0, True) and not again.scored
    report = debrief(session)
    assert report.overall.decisions == 3  # call_in, the question, recheck_obs once
    assert [r.consequence.id for r in report.decisions].count("recheck_obs") == 1


def test_a_poor_choice_cannot_be_outweighed_by_repeating_a_best_one(loops):
    session = Session(loops)
    session.choose("paracetamol")  # poor: 0 of 1
    session.answer("fever_priority", ["obs_later"])  # wrong: 0 of 1
    session.proceed()
    for _ in range(5):
        session.choose("recheck_obs")
    assert debrief(session).overall.percent == pytest.approx(100 / 3)


def test_a_question_answered_again_is_not_scored_and_the_latest_answer_counts(tmp_path):
    looping = LOOPS.read_text(encoding="utf-8").replace("      goto: outcome\n", "      goto: teaching\n")
    path = tmp_path / "looping.yaml"
    path.write_text(looping, encoding="utf-8")
    session = Session(load_story(path))
    session.choose("call_in")
    first = session.answer("fever_priority", ["antibiotics_within_hour"])
    session.proceed()
    session.choose("move_on")
    session.choose("discharge")
    answers = [session.answer("phone_now", picks) for picks in (["fever_signs"], ["fever_signs", "bleeding"])]
    assert (first.points, answers[0].points, answers[0].max_points) == (1.0, 1.0, 2.0)
    assert (answers[1].points, answers[1].max_points, answers[1].repeat) == (0.0, 0.0, True)
    assert session.state.answers["phone_now"] == frozenset({"fever_signs", "bleeding"})
    assert session.flags["taught"] is True  # effects apply on every answer; only the score is once


def test_a_hub_entered_again_does_not_rerun_its_advance_or_on_enter(loops):
    session = at_question(loops)
    session.answer("fever_priority", ["antibiotics_within_hour"])
    session.proceed()
    assert (session.day, session.stats["checks"]) == (1, 1)  # first entry: a day passes, a check is counted
    session.choose("recheck_obs")
    session.choose("recheck_obs")
    assert (session.day, session.stats["checks"]) == (1, 1)


def test_repeat_every_entry_reruns_advance_and_on_enter(loops):
    session = at_question(loops)
    session.answer("fever_priority", ["antibiotics_within_hour"])
    session.proceed()
    session.choose("move_on")
    assert (session.day, session.stats["checks"]) == (2, 2)
    session.choose("round_again")
    assert (session.day, session.stats["checks"]) == (3, 3)


def test_showing_the_shuffled_order_does_not_move_the_chance_outcomes(clinic):
    def outcome(look: bool) -> str | None:
        session = Session(clinic, seed=5)
        for choice in ("give_fluids", "check_temp"):
            if look:
                for _ in range(3):
                    prompt_of(session)
            result = session.choose(choice)
        return result.chance_text

    assert outcome(True) == outcome(False)


def test_fingerprints_tell_apart_answers_that_conditions_read(loops):
    right, wrong = at_question(loops), at_question(loops)
    right.answer("fever_priority", ["antibiotics_within_hour"])
    wrong.answer("fever_priority", ["obs_later"])
    wrong.state.stats["temperature"] = right.state.stats["temperature"]  # only the answer differs now
    assert right.fingerprint() != wrong.fingerprint()
    twin = right.fork()
    assert twin.fingerprint() == right.fingerprint() and twin.state.answers is not right.state.answers
