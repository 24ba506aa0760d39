"""Helpers for the records tests: journeys played by rule, with controlled clocks."""

from __future__ import annotations

import random

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey import Ask, Choose, expert_path
from mmjourney.records import database, recording

from ..conftest import FIXTURES
from ..helpers import MAX_STEPS, play_by


def stamp(minute: int, second: int = 0, day: int = 1) -> str:
    return f"2026-03-{day:02d}T10:{minute:02d}:{second:02d}.000Z"


def worst_choice(views):
    order = ("harmful", "poor", "acceptable", "best")
    return sorted((v.choice for v in views), key=lambda c: order.index(c.rating))[0]


def policy_of(name: str, rng: random.Random):
    """expert: best choices, right answers; worst: worst choices, random answers; random: both at random."""
    def decide(prompt: Ask | Choose) -> Action:
        if isinstance(prompt, Ask):
            if name == "expert" or (name == "random" and rng.random() < 0.5):
                return prompt.expert()
            return Action("answer", prompt.question.id, options=(rng.choice(prompt.options).id,))
        if name == "expert":
            return prompt.expert()
        choice = worst_choice(prompt.open) if name == "worst" else rng.choice(prompt.open).choice
        return Action("choose", choice.id)
    return decide


def play(story, *, seed=0, mode="practice", policy="expert", rng=None, record=True, learner=None, stop=None,
         clock=None):
    """Play `story` deciding by `policy` (expert, worst, random), recording after each step.

    Returns the session and the last Recorded. `clock(n)` gives the timestamp of step n.
    """
    session = Session(story, seed, mode)
    result = None

    def record_step(step: int) -> None:
        nonlocal result
        result = recording.record_progress(session, learner=learner, now=clock(step) if clock else None)
        assert result.ok, result.message

    play_by(session, policy_of(policy, rng or random.Random(0)), steps=MAX_STEPS if stop is None else stop,
            after=record_step if record else None)
    return session, result


@pytest.fixture(autouse=True)
def fresh_process_state():
    """Each test starts as a new app would: no file checked yet, no session tracked."""
    database._checked.clear()
    recording._tracked.clear()
    yield
    database._checked.clear()
    recording._tracked.clear()


__all__ = ["FIXTURES", "expert_path", "play", "stamp"]
