"""Practice feedback (`consequence_content`): no empty sections, the best choice after a worse one, 'you chose'
for one answer and 'you ticked' for several, the rating in words beside its colour."""

from __future__ import annotations

from dataclasses import replace

from mmjourney.engine import Action, Session
from mmjourney.tui.screens.feedback import consequence_content


def feedback_text(session: Session, action: Action) -> str:
    return consequence_content(session, session.apply(action)).plain


def to_quiz(clinic, seed: int = 0) -> Session:
    session = Session(clinic, seed, "practice")
    session.apply(Action("choose", "give_fluids"))
    session.apply(Action("choose", "check_temp"))
    session.apply(Action("choose", "quiz_time"))
    return session


def test_after_a_harmful_choice_the_best_one_and_why(clinic):
    text = feedback_text(Session(clinic, 0, "practice"), Action("choose", "wait"))
    assert text.startswith("Rating: Harmful  CRITICAL ERROR")
    assert "The best choice: Start IV fluids\nRehydration first." in text
    assert "What happened\nCalcium climbs." in text and "Why\nUntreated hypercalcaemia worsens." in text


def test_after_the_best_choice_no_better_one_and_no_empty_heading(clinic):
    text = feedback_text(Session(clinic, 0, "practice"), Action("choose", "give_fluids"))
    assert text.startswith("Rating: Best choice")
    assert "The best choice" not in text
    assert "Nursing considerations" not in text  # the story wrote none: no heading over nothing


def test_a_single_best_answer_says_you_chose_it(clinic):
    session = to_quiz(clinic)
    session.apply(Action("answer", "crab_quiz", options=("calcium", "rash")))
    text = feedback_text(session, Action("answer", "best_quiz", options=("paracetamol",)))
    assert "( ) Cultures and antibiotics within the hour (correct): Emergency." in text
    assert "(•) Paracetamol and review tomorrow (you chose it; not correct): Dangerous delay." in text
    assert "ticked" not in text
    assert text.startswith("Score: 0 of 1")


def test_select_all_says_you_ticked_it(clinic):
    text = feedback_text(to_quiz(clinic), Action("answer", "crab_quiz", options=("calcium", "rash")))
    assert "[x] High calcium (you ticked it; correct): C" in text
    assert "[ ] Kidney injury (not correct)" not in text and "[ ] Kidney injury (correct): R" in text
    assert "[x] Rash (you ticked it; not correct): Not CRAB" in text


def test_time_without_a_visible_change_is_one_line_not_an_empty_heading(clinic):
    session = Session(clinic, 0, "practice")
    consequence = session.apply(Action("choose", "give_fluids"))
    assert consequence.day_after > consequence.day_before and any(c.visible for c in consequence.changes)
    assert "How the patient changed (over " in consequence_content(session, consequence).plain
    unchanged = replace(consequence, changes=())
    text = consequence_content(session, unchanged).plain
    assert "How the patient changed" not in text and "Time passed: 8 days" in text
    assert "Time passed" not in consequence_content(session, replace(unchanged, day_after=unchanged.day_before)).plain


def test_the_options_are_listed_in_the_order_the_learner_saw_them(clinic):
    from mmjourney.journey import Ask, prompt_of

    for seed in range(6):  # some seed shows them in another order than written
        session = to_quiz(clinic, seed)
        asked = prompt_of(session)
        assert isinstance(asked, Ask)
        shown = [option.text for option in asked.options]
        text = feedback_text(session, Action("answer", "crab_quiz", options=("calcium",)))
        assert sorted(shown, key=text.index) == shown, seed
        if shown != [option.text for option in asked.question.options]:
            break
    else:
        raise AssertionError("no seed shuffled the options")
