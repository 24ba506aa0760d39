"""Choices and options are shown in an order shuffled per journey, and numbers mean what is shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mmjourney.engine import Action, Session, fully_correct
from mmjourney.journey import Ask, Choose, Journey, prompt_of
from mmjourney.story import load_story

from ..conftest import FIXTURES, REPO

LOOPS = FIXTURES / "loops-and-answers.yaml"
WRITTEN = ["call_in", "wait_morning", "paracetamol", "clinic_next"]


@pytest.fixture(scope="module")
def loops():
    return load_story(LOOPS)


def shown(story, seed: int) -> list[str]:
    prompt = prompt_of(Session(story, seed))
    assert isinstance(prompt, Choose)
    return [view.id for view in prompt.choices]


def test_the_same_seed_shows_the_same_order_every_time(loops):
    assert shown(loops, 7) == shown(loops, 7)
    assert sorted(shown(loops, 7)) == sorted(WRITTEN)


def test_the_order_is_the_same_in_another_process(loops):
    code = ("import json, sys; from mmjourney.engine import Session; from mmjourney.journey import prompt_of; "
            "from mmjourney.story import load_story; s = load_story(sys.argv[1]); "
            "print(json.dumps([[v.id for v in prompt_of(Session(s, seed)).choices] for seed in range(5)]))")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, str(LOOPS)], env=env, capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert json.loads(out) == [shown(loops, seed) for seed in range(5)]


def test_different_seeds_mostly_give_different_orders(loops):
    orders = [tuple(shown(loops, seed)) for seed in range(40)]
    assert sum(order != orders[0] for order in orders[1:]) >= 30  # 1 in 24 may match by chance
    assert len(set(orders)) >= 12
    assert sum(order[0] == "call_in" for order in orders) <= 20  # the best is not always first


def test_a_fixed_question_keeps_its_written_order(loops):
    for seed in range(10):
        session = Session(loops, seed)
        session.choose("call_in")
        session.answer("fever_priority", ["antibiotics_within_hour"])
        session.proceed()
        session.choose("move_on")
        session.choose("discharge")
        prompt = prompt_of(session)
        assert isinstance(prompt, Ask)
        assert [o.id for o in prompt.options] == ["fever_signs", "bleeding", "none_of_these"]


def test_a_fixed_scene_keeps_its_written_order(tmp_path):
    text = LOOPS.read_text(encoding="utf-8").replace("  triage:\n    phase: Treatment\n",
                                                     "  triage:\n    order: fixed\n    phase: Treatment\n")
    path = tmp_path / "fixed.yaml"
    path.write_text(text, encoding="utf-8")
    story = load_story(path)
    assert all(shown(story, seed) == WRITTEN for seed in range(10))


def test_question_options_are_shuffled_too(loops):
    orders = set()
    for seed in range(20):
        session = Session(loops, seed)
        session.choose("call_in")
        prompt = prompt_of(session)
        assert isinstance(prompt, Ask)
        orders.add(tuple(o.id for o in prompt.options))
    assert len(orders) > 1


def test_a_hub_keeps_its_order_when_the_journey_comes_back(loops):
    session = Session(loops, 3)
    session.choose("call_in")
    session.answer("fever_priority", ["antibiotics_within_hour"])
    session.proceed()
    before = [v.id for v in prompt_of(session).choices]
    session.choose("recheck_obs")
    assert [v.id for v in prompt_of(session).choices] == before


def test_numbers_name_the_choice_shown_there_and_decide_it(loops):
    for seed in range(6):
        journey = Journey.start(loops, seed)
        prompt = journey.prompt()
        assert isinstance(prompt, Choose)
        third = prompt.numbered(3)
        assert third is prompt.choices[2]
        consequence = journey.decide(Action("choose", third.id))
        assert consequence.id == third.id and journey.session.actions[-1] == Action("choose", third.id)
        ask = journey.prompt()
        assert isinstance(ask, Ask)
        assert ask.answer([2]) == Action("answer", "fever_priority", options=(ask.options[1].id,))


def test_the_expert_does_not_depend_on_the_shuffle(clinic):
    experts = set()
    for seed in range(10):
        session = Session(clinic, seed)
        experts.add(prompt_of(session).expert())
    assert experts == {Action("choose", "give_fluids")}


def test_the_tools_explore_one_answer_of_each_kind_that_matters(loops, clinic):
    session = Session(loops)
    session.choose("call_in")
    prompt = prompt_of(session)
    assert isinstance(prompt, Ask)
    assert sorted(m.options for m in prompt.moves()) == [("antibiotics_within_hour",), ("obs_later",),
                                                         ("wait_for_rounds",)]
    session.answer("fever_priority", ["antibiotics_within_hour"])
    session.proceed()
    session.choose("move_on")
    session.choose("discharge")
    teaching = prompt_of(session)
    assert isinstance(teaching, Ask)
    moves = teaching.moves()  # right, and wrong: nothing else about this answer matters
    assert [fully_correct(teaching.question, m.options) for m in moves] == [True, False]
    quiz = Session(clinic)
    while not isinstance(prompt_of(quiz), Ask):
        quiz.apply(prompt_of(quiz).expert())
    assert len(prompt_of(quiz).moves()) == 1  # an answer that changes nothing is explored once
