"""Helpers for the records tests: journeys played by rule, with controlled clocks."""

from __future__ import annotations

import random

from mmjourney.engine import Action, Session
from mmjourney.journey import Ask, Choose, Fill, expert_path
from mmjourney.records import recording

from ..conftest import FIXTURES
from ..helpers import MAX_STEPS, play_by


def stamp(minute: int, second: int = 0, day: int = 1) -> str:
    return f"2026-03-{day:02d}T10:{minute:02d}:{second:02d}.000Z"


def worst_choice(views):
    order = ("harmful", "poor", "acceptable", "best")
    return sorted((v.choice for v in views), key=lambda c: order.index(c.rating))[0]


def policy_of(name: str, rng: random.Random):
    """expert: best choices, right answers; worst: worst choices, random answers; random: both at random.

    The policies pick from the written order, not the shuffled one shown, so the journeys (and the
    golden records made from them) do not depend on how the player shuffles."""
    def decide(prompt: Ask | Choose | Fill) -> Action:
        if isinstance(prompt, Fill):  # an item in parts: as many picks as each part takes, at random
            if name == "expert" or (name == "random" and rng.random() < 0.5):
                return prompt.expert()
            parts = prompt.question.parts
            if prompt.pool:  # drag-and-drop, ordering: each token in one part at most
                tokens = rng.sample(list(parts[0].options), len(parts))
                return prompt.answer_of(part.unit(token.id) for part, token in zip(parts, tokens, strict=True))
            return prompt.answer_of(part.unit(option.id) for part in parts
                                    for option in rng.sample(list(part.options), part.picks or 1))
        if isinstance(prompt, Ask):
            if name == "expert" or (name == "random" and rng.random() < 0.5):
                return prompt.expert()
            picked = rng.sample(list(prompt.question.selectable), prompt.picks or 1)  # select N takes N
            return Action("answer", prompt.question.id, options=tuple(option.id for option in picked))
        if name == "expert":
            return prompt.expert()
        written = [choice.id for choice in prompt.scene.choices or ()]
        views = sorted(prompt.open, key=lambda view: written.index(view.id))
        choice = worst_choice(views) if name == "worst" else rng.choice(views).choice
        return Action("choose", choice.id)
    return decide


def play(story, *, seed=0, mode="practice", policy="expert", rng=None, record=True, learner=None, stop=None,
         clock=None, writer=None):
    """Play `story` deciding by `policy` (expert, worst, random), recording after each step.

    Returns the session and the last Recorded. `clock(n)` gives the timestamp of step n. The
    journey's AttemptWriter is closed at the end unless the test hands in its own `writer`.
    """
    session = Session(story, seed, mode)
    own = writer is None
    writer = writer or recording.AttemptWriter(learner=learner)  # one per journey, as a player keeps it
    result = None

    def record_step(step: int) -> None:
        nonlocal result
        result = writer.keep(session, now=clock(step) if clock else None)
        assert result.ok, result.message

    try:
        play_by(session, policy_of(policy, rng or random.Random(0)), steps=MAX_STEPS if stop is None else stop,
                after=record_step if record else None)
    finally:
        if own:
            writer.close()
    return session, result


def keep(session, learner=None, *, abandoned=False, now=None) -> recording.Recorded:
    """Record `session` once from a writer of its own, as a newly started process would."""
    writer = recording.AttemptWriter(learner=learner)
    try:
        return writer.keep(session, abandoned=abandoned, now=now)
    finally:
        writer.close()


__all__ = ["FIXTURES", "expert_path", "keep", "play", "stamp"]
