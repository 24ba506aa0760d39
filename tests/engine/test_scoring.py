"""The debrief: scores by step, objective and category, critical errors, the expert path."""

from __future__ import annotations

import pytest

from mmjourney.engine import Session, better_choice, debrief, verdict
from mmjourney.journey import expert_path


def test_mixed_journey_debrief(clinic):
    session = Session(clinic, seed=0)
    session.choose("wait")  # harmful, critical
    session.choose("check_temp", outcome=1)  # best; fever event
    session.choose("ignore_fever")  # harmful, critical -> ICU
    report = debrief(session)
    assert (report.overall.points, report.overall.max_points) == (1.0, 3.0)
    assert report.overall.percent == pytest.approx(100 / 3)
    # In the model's order (cues first), not the order the journey met them.
    assert [(k, t.points, t.max_points) for k, t in report.by_step.items()] == [
        ("recognize_cues", 1.0, 1.0), ("take_action", 0.0, 2.0)]
    assert {k: (t.points, t.max_points) for k, t in report.by_objective.items()} == {
        "fluids": (0.0, 1.0), "fever": (0.0, 1.0)}
    assert {k: (t.points, t.max_points) for k, t in report.by_category.items()} == {
        "observation": (0.0, 2.0), "assessment": (1.0, 1.0)}
    assert [c.id for c in report.critical_errors] == ["wait", "ignore_fever"]
    reviews = [(r.consequence.id, r.expert, r.matched_expert) for r in report.decisions]
    assert reviews == [
        ("wait", ("give_fluids",), False),
        ("check_temp", ("check_temp",), True),
        ("ignore_fever", ("sepsis_pathway",), False),
    ]
    assert (report.ending, report.ending_kind) == ("Intensive care", "poor")
    assert (report.safe, report.passed, report.pass_mark) == (False, False, 80.0)


def test_questions_count_in_the_debrief(clinic):
    session = Session(clinic)
    session.choose("give_fluids")
    session.choose("check_temp", outcome=0)
    session.choose("quiz_time")
    session.answer("crab_quiz", ["calcium", "rash"])
    session.answer("best_quiz", ["paracetamol"])
    report = debrief(session)
    quiz, pick = report.decisions[-2:]
    assert quiz.expert == ("calcium", "renal") and not quiz.matched_expert
    assert pick.expert == ("cultures",) and not pick.matched_expert
    assert (report.overall.points, report.overall.max_points) == (3.0, 6.0)
    assert report.ending is None  # not finished yet


@pytest.mark.parametrize("seed", range(6))
def test_expert_path_gets_full_marks_and_the_good_ending(clinic, seed):
    session = expert_path(clinic, seed)
    report = debrief(session)
    assert session.ended and report.ending_kind == "good"
    assert report.overall.percent == 100.0
    assert report.critical_errors == []
    assert all(r.matched_expert for r in report.decisions)


def test_the_verdict_fails_a_critical_error_whatever_the_score():
    assert verdict(100.0, 0, True, 80.0) == (True, True)
    assert verdict(100.0, 1, True, 80.0) == (False, False)
    assert verdict(79.99, 0, True, 80.0) == (True, False)
    assert verdict(79.996, 0, True, 80.0) == (True, True)  # as the records round it: 80.0
    assert verdict(100.0, 0, False, 80.0) == (True, False)  # not finished: not passed yet
    assert verdict(None, 0, True, 0.0) == (True, True)


def test_the_better_choice_after_one_that_was_not_the_best(clinic):
    session = Session(clinic, seed=0)
    harmful = session.choose("wait")
    better = better_choice(clinic, harmful)
    assert better is not None and better.id == "give_fluids" and better.feedback.rationale
    best = session.choose("check_temp", outcome=1)
    assert better_choice(clinic, best) is None
