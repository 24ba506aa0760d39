"""Helpers for the records tests: journeys played by rule, with controlled clocks."""

from __future__ import annotations

import random

import pytest

from mmjourney.engine import Session
from mmjourney.journey import expert_path
from mmjourney.engine.scoring import best_choice
from mmjourney.engine.session import correct_options
from mmjourney.records import database, recording

from ..conftest import FIXTURES


def stamp(minute: int, second: int = 0, day: int = 1) -> str:
    return f"2026-03-{day:02d}T10:{minute:02d}:{second:02d}.000Z"


def worst_choice(views):
    order = ("harmful", "poor", "acceptable", "best")
    return sorted((v.choice for v in views), key=lambda c: order.index(c.rating))[0]


def play(story, *, seed=0, mode="practice", policy="expert", rng=None, record=True, learner=None, stop=None,
         clock=None):
    """Play `story` deciding by `policy` (expert, worst, random), recording after each step.

    Returns the session and the last Recorded. `clock(n)` gives the timestamp of step n.
    """
    rng = rng or random.Random(0)
    session = Session(story, seed, mode)
    result = None
    step = 0
    while not session.ended and (stop is None or step < stop):
        scene = session.scene
        if scene.next:
            session.proceed()
        elif scene.question:
            question = scene.question
            good = policy == "expert" or (policy == "random" and rng.random() < 0.5)
            picks = [o.id for o in correct_options(question)] if good else [rng.choice(question.options).id]
            session.answer(question.id, picks)
        else:
            views = [v for v in session.choices() if v.enabled]
            if policy == "expert":
                choice = best_choice([v.choice for v in views])
            elif policy == "worst":
                choice = worst_choice(views)
            else:
                choice = rng.choice(views).choice
            session.choose(choice.id)
        step += 1
        if record:
            result = recording.record_progress(session, learner=learner, now=clock(step) if clock else None)
            assert result.ok, result.message
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
