"""The `walkthroughs` part of the story format: how steps are written, and what the checker says."""

from __future__ import annotations

import shutil

import pytest

from mmjourney.story import load_story, validate_file

from .conftest import FIXTURES, line_of

EXPERT = """
walkthroughs:
  - name: Expert path
    note: The best choice at every step.
    choices:
      - give_fluids
      - check_temp: {outcome: 1}
      - quiz_time
      - crab_quiz: [calcium, renal]
      - best_quiz: cultures
    ending: home
    score: [100, 100]
"""


@pytest.fixture
def clinic_copy(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    return tmp_path / "clinic.yaml"


def with_walkthroughs(path, block: str):
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    return path


def test_the_short_forms_educators_write_are_read_into_steps(clinic_copy):
    story = load_story(with_walkthroughs(clinic_copy, EXPERT))
    (walk,) = story.model.walkthroughs
    assert walk.name == "Expert path" and walk.ending == "home" and walk.score == (100, 100) and walk.seed == 0
    steps = [(s.id, s.options, s.outcome) for s in walk.choices]
    assert steps == [("give_fluids", None, None), ("check_temp", None, 1), ("quiz_time", None, None),
                     ("crab_quiz", ("calcium", "renal"), None), ("best_quiz", ("cultures",), None)]


def test_a_story_without_walkthroughs_still_loads(clinic):
    assert clinic.model.walkthroughs == []


BROKEN = """
walkthroughs:
  - name: Twice
    choices: [give_fluids]
    ending: home
  - name: Twice
    choices:
      - give_fluid
      - crab_quiz
      - best_quiz: [cultures, paracetamol]
      - give_fluids: [x]
      - check_temp: {outcome: 3}
      - quiz_time: {outcome: 1}
      - crab_quiz: [calcium, renl]
      - crab_quiz: {outcome: 1}
    ending: wrap
    score: [100, 50]
  - name: Unknown ending
    ending: hme
"""


def test_every_cross_reference_mistake_is_located_and_explained(clinic_copy):
    path = with_walkthroughs(clinic_copy, BROKEN)
    messages = {(p.line, p.message) for p in validate_file(path)}
    line = lambda needle, n=1: line_of(path, needle, n)  # noqa: E731
    assert messages == {
        (line("- name: Twice", 2), "two walkthroughs are called 'Twice'; give each its own name"),
        (line("      - give_fluid"),
         "unknown choice or question 'give_fluid'; did you mean 'give_fluids'?"),
        (line("      - crab_quiz"),
         "'crab_quiz' is a question: write the answer too, e.g. `- crab_quiz: calcium`"),
        (line("best_quiz: [cultures, paracetamol]"),
         "question 'best_quiz' is single best answer: pick exactly one option, found 2"),
        (line("give_fluids: [x]"), "'give_fluids' is a choice, not a question: write just `- give_fluids`"),
        (line("check_temp: {outcome: 3}"), "choice 'check_temp' has 2 chance outcomes; outcome 3 does not exist"),
        (line("quiz_time: {outcome: 1}"), "choice 'quiz_time' has no chance outcomes to pick from"),
        (line("renl]"), "'renl' is not an option of question 'crab_quiz'; did you mean 'renal'?"),
        (line("crab_quiz: {outcome: 1}"), "'crab_quiz' is a question, and questions have no chance outcomes"),
        (line("ending: wrap"), "scene 'wrap' is not an ending; the expected ending is one of: readmitted, home, icu"),
        (line("score: [100, 50]"),
         "score is written [lowest, highest] in percent, each from 0 to 100, lowest first; found [100, 50]"),
        (line("ending: hme"), "unknown scene 'hme'; did you mean 'home'?"),
    }


def test_a_step_that_is_neither_an_id_nor_one_question_is_explained(clinic_copy):
    path = with_walkthroughs(clinic_copy, "walkthroughs:\n  - name: Odd\n    choices:\n      - 3\n"
                                          "      - {give_fluids: 1, wait: 2}\n    ending: home\n")
    problems = validate_file(path)
    assert [p.line for p in problems] == [line_of(path, "      - 3"), line_of(path, "{give_fluids: 1, wait: 2}")]
    assert all(p.message.startswith("a walkthrough step is a choice id") for p in problems)
