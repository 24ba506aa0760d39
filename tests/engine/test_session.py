"""The engine on the test clinic story: state, time, events, choices and questions."""

from __future__ import annotations

import pytest

from mmjourney.engine import ActionError, Session, clock_text, duration_text, score_answer


def ids(session):
    return [(v.id, v.enabled, v.reason) for v in session.choices()]


def test_start_state(clinic):
    session = Session(clinic, seed=1)
    assert session.scene_id == "arrival"
    assert session.stats == {"calcium": 3.0, "temperature": 37.0, "trust": 5.0}
    assert session.day == 0 and session.clock == "Month 1, week 1, day 1"
    # 'secret' needs trust > 8, has no disabled_reason, so it is hidden, not greyed out
    assert ids(session) == [("give_fluids", True, None), ("wait", True, None)]


def test_best_choice_applies_effects_time_and_dynamics(clinic):
    session = Session(clinic)
    result = session.choose("give_fluids")
    # 1 day for the choice + 1 week before the ward; the weekly fall applies on day 7
    assert session.day == 8 and session.scene_id == "ward"
    assert session.stats["calcium"] == pytest.approx(2.8)
    assert session.stats["trust"] == 7  # +1 from the choice, +1 on entering the ward
    assert result.rating == "best" and not result.critical and result.points == 1.0
    assert {c.name: (c.before, round(c.after, 2)) for c in result.changes} == {
        "calcium": (3.0, 2.8), "trust": (5.0, 7.0)}
    assert [c.visible for c in result.changes] == [True, False]


def test_harmful_choice_lets_untreated_calcium_climb(clinic):
    session = Session(clinic)
    result = session.choose("wait")
    assert session.day == 10
    assert session.stats["calcium"] == pytest.approx(4.0)  # +0.1 a day for 10 days
    assert result.critical and result.rating == "harmful" and result.points == 0.0


def test_stats_are_clamped_to_their_bounds(clinic):
    session = Session(clinic)
    session.choose("wait")
    session.state.stats["calcium"] = 4.45
    session._pass_time(5)
    assert session.stats["calcium"] == 4.5


def test_disabled_choice_shows_its_reason_and_once_only_disappears(clinic):
    session = Session(clinic)
    session.choose("give_fluids")
    assert ids(session) == [("check_temp", True, None), ("quiz_time", False, "Check the temperature first")]
    with pytest.raises(ActionError, match="Check the temperature first"):
        session.choose("quiz_time")
    session.choose("check_temp", outcome=0)
    assert session.scene_id == "ward"
    assert ids(session) == [("quiz_time", True, None)]


def test_event_interrupts_and_resume_returns_without_more_time(clinic):
    session = Session(clinic)
    session.choose("give_fluids")
    result = session.choose("check_temp", outcome=1)
    assert result.chance_text == "Despite good care, a fever appeared."
    assert result.events == ("fever",)
    assert session.scene_id == "fever_call"
    day, trust = session.day, session.stats["trust"]
    back = session.choose("sepsis_pathway")
    assert back.next_scene == "ward" and session.day == day
    assert session.stats["trust"] == trust + 1  # the ward's on-enter effect still runs
    assert session.stats["temperature"] == 37.2


def test_event_fires_once_only(clinic):
    session = Session(clinic)
    session.choose("give_fluids")
    session.choose("check_temp", outcome=1)
    session.choose("sepsis_pathway")
    session.state.stats["temperature"] = 39.0
    session.choose("quiz_time")
    assert session.scene_id == "quiz"


def test_ignoring_the_fever_ends_in_intensive_care(clinic):
    session = Session(clinic)
    session.choose("give_fluids")
    session.choose("check_temp", outcome=1)
    session.choose("ignore_fever")
    assert session.ended and session.scene.ending.kind == "poor"
    with pytest.raises(ActionError, match="ended"):
        session.choose("give_fluids")


def test_chance_outcomes_follow_the_seed(clinic):
    def outcome(seed):
        session = Session(clinic, seed=seed)
        session.choose("give_fluids")
        return session.choose("check_temp").chance_text

    seen = {outcome(seed) for seed in range(30)}
    assert seen == {"No fever.", "Despite good care, a fever appeared."}
    assert all(outcome(seed) == outcome(seed) for seed in range(10))


@pytest.mark.parametrize("picked, points", [
    (["calcium", "renal"], 2.0),
    (["calcium"], 1.0),
    (["calcium", "rash"], 0.0),
    (["rash"], 0.0),  # never below zero
    ([], 0.0),
    (["calcium", "renal", "rash"], 1.0),
])
def test_select_all_scoring(clinic, picked, points):
    question = clinic.model.scenes["quiz"].question
    assert score_answer(question, picked) == (points, 2.0)


def test_single_best_scoring(clinic):
    question = clinic.model.scenes["pick"].question
    assert score_answer(question, ["cultures"]) == (1.0, 1.0)
    assert score_answer(question, ["paracetamol"]) == (0.0, 1.0)


def play_to_quiz(clinic, seed=0):
    session = Session(clinic, seed=seed)
    session.choose("give_fluids")
    session.choose("check_temp", outcome=0)
    session.choose("quiz_time")
    return session


def test_questions_and_next(clinic):
    session = play_to_quiz(clinic)
    with pytest.raises(ActionError, match="not an option"):
        session.answer("crab_quiz", ["kidneys"])
    with pytest.raises(ActionError, match="no question"):
        Session(clinic).answer("crab_quiz", ["calcium"])
    result = session.answer("crab_quiz", ["calcium", "rash"])
    assert (result.points, result.max_points, result.picked) == (0.0, 2.0, ("calcium", "rash"))
    with pytest.raises(ActionError, match="exactly one"):
        session.answer("best_quiz", ["cultures", "paracetamol"])
    session.answer("best_quiz", ["cultures"])
    assert session.scene_id == "wrap" and session.choices() == []
    with pytest.raises(ActionError):
        session.choose("anything")
    result = session.proceed()
    assert result.kind == "next" and not result.scored
    assert session.ended and session.scene.ending.title == "Home safely"


def test_unknown_choice_is_refused(clinic):
    with pytest.raises(ActionError, match="not a choice"):
        Session(clinic).choose("secret")  # hidden: trust is too low


def test_clock_and_durations():
    assert clock_text(0) == "Month 1, week 1, day 1"
    assert clock_text(8) == "Month 1, week 2, day 2"
    assert clock_text(28 * 2 + 7) == "Month 3, week 2, day 1"
    assert duration_text(1) == "1 day"
    assert duration_text(14) == "2 weeks"
    assert duration_text(35) == "1 month and 1 week"
    assert duration_text(10) == "10 days"


def test_mode_must_be_known(clinic):
    with pytest.raises(ValueError):
        Session(clinic, mode="exam")


def test_routes_take_the_first_that_holds(clinic):
    session = Session(clinic)
    session.choose("wait")  # calcium climbs to 4.0 and is never treated
    session.choose("check_temp", outcome=0)
    session.choose("quiz_time")
    session.answer("crab_quiz", ["calcium", "renal"])
    session.answer("best_quiz", ["cultures"])
    session.proceed()
    assert session.scene_id == "readmitted" and session.scene.ending.kind == "mixed"
