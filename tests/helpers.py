"""Helpers shared by the tests: a journey played by a policy, and the numbers a player types.

A plain module rather than a fixture, so that conftests and test modules import it the same
way (a test module is never imported by another).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from mmjourney.engine import Action, Session
from mmjourney.journey import Ask, Choose, Ended, Fill, Prompt, Read, prompt_of
from mmjourney.story import validate_file

MAX_STEPS = 500  # a journey still going after this many steps is left unfinished for the test to see


def play_by(session: Session, policy: Callable[[Ask | Choose], Action], *, steps: int = MAX_STEPS,
            after: Callable[[int], None] | None = None) -> Session:
    """Play `session` on until it ends, at most `steps` steps: pages continue, and `policy(prompt)`
    decides at each choice or question. `after(step)` runs after each step (pages count too)."""
    for step in range(1, steps + 1):
        prompt = prompt_of(session)
        if isinstance(prompt, Ended):
            break
        session.apply(Action("next") if isinstance(prompt, Read) else policy(prompt))
        if after is not None:
            after(step)
    return session


def shown_numbers(prompt: Prompt, action: Action) -> list[int]:
    """The numbers (from 1) a player types for `action`: the choice as it is listed, or the options
    of an answer as they are listed; none for a page."""
    if isinstance(prompt, Choose):
        return [[view.id for view in prompt.choices].index(action.id) + 1]
    if isinstance(prompt, Ask):
        ids = [option.id for option in prompt.options]
        return [ids.index(option) + 1 for option in action.options]
    return []


def plain_parts_answer(prompt: Fill, action: Action) -> str:
    """What a plain-player learner types for an item in parts: each part's number with its options' letters as
    shown ('1a 2bc')."""
    typed = []
    for number, view in enumerate(prompt.parts, 1):
        letters = "".join(chr(ord("a") + at) for at, option in enumerate(view.options)
                          if view.part.unit(option.id) in action.options)
        if letters:
            typed.append(f"{number}{letters}")
    return " ".join(typed)


def findings_after_edit(source: str, old: str, new: str, path: Path) -> list[str]:
    """What `validate` says of `source` with `old` (which it must contain) replaced once by `new`, written at
    `path`: each finding as the educator reads it, 'file:line:col: error: ...'."""
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return [str(p) for p in validate_file(path)]
