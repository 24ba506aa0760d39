"""The issue-12 format: `order`, `repeat`, answer effects, and correct()/picked() checked at load."""

from __future__ import annotations

from mmjourney.story import load_story

from ..conftest import FIXTURES
from .test_validate import BASE, only_error, problems_for

QUESTION = BASE.replace("""    choices:
      - id: go
        label: Go on
        category: assessment
        rating: best
        step: take_action
        objectives: [obj]
        effects: [calcium += 0.1]
        if: calcium > 2
        feedback: {outcome: ok, rationale: fine, references: [ref]}
        goto: two
""", """    question:
      id: fever_q
      type: single_best
      prompt: What first?
      step: take_action
      objectives: [obj]
      references: [ref]
      options:
        - {id: antibiotics, text: Antibiotics now, correct: true, rationale: Time matters.}
        - {id: wait_count, text: Wait for the count, correct: false, rationale: Too slow., effects: done = true}
      on_correct: calcium -= 0.1
      on_incorrect: [calcium += 0.2]
      goto: route
  route:
    phase: Start
    text: Then.
    next:
      - if: correct(fever_q) and not picked(fever_q, wait_count)
        goto: two
      - goto: two
""")


def test_a_question_with_effects_and_answer_conditions_is_clean(tmp_path):
    assert problems_for(tmp_path, QUESTION) == []


def test_correct_of_an_unknown_question_suggests_the_right_one(tmp_path):
    problem = only_error(tmp_path, QUESTION.replace("if: correct(fever_q)", "if: correct(fevr_q)"))
    assert problem.message == "correct(): unknown question 'fevr_q'; did you mean 'fever_q'?"
    assert problem.file == "story.yaml" and (problem.line, problem.column) == (41, 21)


def test_correct_of_a_choice_says_to_use_chosen(tmp_path):
    problem = only_error(tmp_path, BASE.replace("if: calcium > 2", "if: correct(go)"))
    assert problem.message == ("correct(): 'go' is a choice, not a question; write chosen(go) to ask whether it "
                               "was taken")


def test_picked_of_an_unknown_option_suggests_the_right_one(tmp_path):
    problem = only_error(tmp_path, QUESTION.replace("picked(fever_q, wait_count)", "picked(fever_q, wait_cont)"))
    assert problem.message == "picked(): 'wait_cont' is not an option of question 'fever_q'; did you mean 'wait_count'?"
    assert (problem.line, problem.column) == (41, 54)


def test_an_option_effect_is_checked_like_any_effect(tmp_path):
    problem = only_error(tmp_path, QUESTION.replace("effects: done = true", "effects: dne = true"))
    assert problem.message.startswith("unknown stat or flag 'dne'; did you mean 'done'?")
    problem = only_error(tmp_path, QUESTION.replace("on_incorrect: [calcium += 0.2]", "on_incorrect: [calcum += 0.2]"))
    assert "unknown stat or flag 'calcum'" in problem.message


def test_correct_and_picked_are_reserved_words(tmp_path):
    problem = only_error(tmp_path, BASE.replace("  done: false", "  picked: false"))
    assert "'picked' is a reserved word" in problem.message


def test_order_fixed_on_a_scene_without_choices_points_to_the_question(tmp_path):
    problem = only_error(tmp_path, QUESTION.replace("    question:\n", "    order: fixed\n    question:\n"))
    assert problem.message == ("order applies to a scene's choices, and scene 'one' has none; put `order: fixed` "
                               "under the question")


def test_order_and_repeat_take_only_their_words(tmp_path):
    problem = only_error(tmp_path, BASE.replace("    text: Hello.\n", "    text: Hello.\n    order: random\n"))
    assert "shuffled" in problem.message and "fixed" in problem.message
    problem = only_error(tmp_path, BASE.replace("    text: Hello.\n", "    text: Hello.\n    repeat: always\n"))
    assert "every_entry" in problem.message


def test_the_loader_knows_which_answers_matter():
    story = load_story(FIXTURES / "loops-and-answers.yaml")
    assert story.watched_questions == frozenset({"fever_priority"})
    assert story.answer_matters == {
        "fever_priority": (frozenset({"wait_for_rounds"}), True),  # an option effect, picked(), on_incorrect
        "phone_now": (frozenset(), True),  # on_correct only
    }
    assert "bay" in story.watched_scenes  # its entry runs once and the journey can come back to it
    assert "ward_round" not in story.watched_scenes  # every_entry: being there before changes nothing
