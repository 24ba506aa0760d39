"""The Prompt: the one typed view of what the current scene asks."""

from __future__ import annotations

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey import Ask, Choose, Ended, Read, expert_path, prompt_of
from mmjourney.story import load_story

from ..conftest import FIXTURES, REPO


@pytest.fixture(scope="module")
def clinic():
    return load_story(FIXTURES / "clinic.yaml")


def test_each_kind_of_scene_gives_its_prompt_along_the_expert_path(clinic):
    session = Session(clinic, seed=0)
    seen = []
    for action in expert_path(clinic).actions:
        prompt = prompt_of(session)
        seen.append(prompt.kind)
        assert action in prompt.moves() or prompt.kind == "choose"
        session.apply(action)
    assert isinstance(prompt_of(session), Ended)
    assert prompt_of(session).ending.title == session.scene.ending.title
    assert {"choose", "ask"} <= set(seen)


def test_choose_lists_the_choices_as_shown_and_numbers_them_from_one(clinic):
    session = Session(clinic, seed=0)
    prompt = prompt_of(session)
    while not isinstance(prompt, Choose):
        session.apply(prompt.expert())
        prompt = prompt_of(session)
    assert sorted(v.id for v in prompt.choices) == sorted(v.id for v in session.choices())  # shown shuffled
    assert prompt.numbered(1) is prompt.choices[0]
    assert prompt.numbered(0) is None and prompt.numbered(len(prompt.choices) + 1) is None
    best = prompt.expert()
    assert best.kind == "choose" and best.id in {v.id for v in prompt.open}
    ratings = {v.id: v.choice.rating for v in prompt.open}
    assert ratings[best.id] == min(ratings.values(), key=("best", "acceptable", "poor", "harmful").index)


def test_ask_builds_answers_from_the_numbers_shown(clinic):
    session = Session(clinic, seed=0)
    prompt = prompt_of(session)
    for _ in range(50):
        if isinstance(prompt, Ask):
            break
        session.apply(prompt.expert())
        prompt = prompt_of(session)
    assert isinstance(prompt, Ask)
    answer = prompt.answer([1, 2])
    assert answer == Action("answer", prompt.question.id, options=(prompt.options[0].id, prompt.options[1].id))
    assert set(prompt.expert().options) == {o.id for o in prompt.options if o.correct}
    assert prompt.instruction in ("Single best answer", "Select all that apply")


def test_a_page_prompt_continues():
    story = load_story(REPO / "stories" / "tutorial-first-shift.yaml")
    prompt = prompt_of(Session(story))
    assert isinstance(prompt, Read)  # its welcome page
    assert prompt.moves() == [Action("next")]


def test_choose_finds_a_written_choice_that_is_not_shown(clinic):
    prompt = prompt_of(Session(clinic, seed=0))  # arrival: 'secret' is hidden while trust is low
    assert isinstance(prompt, Choose)
    assert "secret" not in [v.id for v in prompt.choices]
    assert prompt.written("secret").id == "secret"
    assert prompt.written("give_fluids") is next(v.choice for v in prompt.choices if v.id == "give_fluids")
    assert prompt.written("no_such_choice") is None


def test_every_item_instruction_fits_the_decision_border_at_80x24():
    """The instruction is the decision area's border title: at 80x24 a longer one is cut with '…' (the
    drag-and-drop rationale's was)."""
    from mmjourney.journey import layout
    from mmjourney.journey.prompt import FILL_INSTRUCTIONS

    room = layout.decision_width() - 4  # the corner, a rule and a space before the title, and after it
    nouns = ("row", "blank", "list", "slot", "position")
    shown = [text.format(noun=noun) for text in FILL_INSTRUCTIONS.values() for noun in nouns]
    shown += ["Single best answer", "Select every phrase that applies", "Select every row that applies",
              "Select all that apply", "Select 9"]
    assert [text for text in shown if len(text) > room] == []
