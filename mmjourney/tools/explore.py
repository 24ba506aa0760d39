"""Explore every reachable journey of a story, branching on each choice and chance outcome.

States with the same fingerprint have the same future, so each is expanded once; a budget
keeps huge stories finite. Questions do not branch (every answer goes to the same scene),
so they are answered correctly.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ..engine import Action, Session
from ..story import LoadedStory


@dataclass
class Exploration:
    states: int = 0
    complete: bool = True  # False when the budget ran out first
    scenes: dict[str, list[Action]] = field(default_factory=dict)  # scene -> a shortest way there
    endings: dict[str, list[Action]] = field(default_factory=dict)
    choices: set[str] = field(default_factory=set)
    dead_ends: dict[str, list[Action]] = field(default_factory=dict)  # non-ending scene, nothing open


def moves(session: Session) -> list[Action]:
    """Every action open in the current scene, one per chance outcome."""
    scene = session.scene
    if scene.ending:
        return []
    if scene.next:
        return [Action("next")]
    if scene.question:
        return [Action("answer", scene.question.id, options=tuple(o.id for o in scene.question.options if o.correct))]
    found = []
    for view in session.choices():
        if view.enabled:
            outcomes = range(len(view.choice.chance)) if view.choice.chance else [None]
            found.extend(Action("choose", view.id, outcome=o) for o in outcomes)
    return found


def explore(story: LoadedStory, max_states: int = 50_000, seed: int = 0) -> Exploration:
    result = Exploration()
    start = Session(story, seed)
    seen = {start.fingerprint()}
    queue = deque([start])
    while queue:
        session = queue.popleft()
        result.states += 1
        result.scenes.setdefault(session.scene_id, session.actions)
        if session.ended:
            result.endings.setdefault(session.scene_id, session.actions)
            continue
        options = moves(session)
        if not options:
            result.dead_ends.setdefault(session.scene_id, session.actions)
            continue
        for action in options:
            child = session.fork()
            child.apply(action)
            if action.kind == "choose":
                result.choices.add(action.id)
            key = child.fingerprint()
            if key in seen:
                continue
            if len(seen) >= max_states:
                result.complete = False
                continue
            seen.add(key)
            queue.append(child)
    return result
