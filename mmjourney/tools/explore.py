"""Explore every reachable journey of a story, branching on each choice and chance outcome.

States with the same fingerprint have the same future, so each is expanded once; a budget
keeps huge stories finite. A question branches only where its answer changes the story (option
effects, `on_correct`/`on_incorrect`, `correct()`/`picked()`): once for each kind of answer that
does; any other question is answered correctly. Events need no branching of their own: the engine fires
them when their condition becomes true, so every journey that can meet one does.

Tools that need more than the summary (`mmjourney check`, `mmjourney graph`) pass an
`Observer`, which sees every state and every transition as it is found.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from ..engine import Action, Consequence, Session
from ..journey import prompt_of
from ..journey.preview import light
from ..story import LoadedStory

DEFAULT_MAX_SECONDS = 60.0
# Kept states cost memory in proportion to the stats and flags each holds: the state budget
# shrinks for stories with hundreds of them, so that exploring stays within about a gigabyte.
MAX_STATE_VALUES = 5_000_000
_CLOCK_EVERY = 256  # states between looks at the clock


@dataclass
class Exploration:
    states: int = 0
    complete: bool = True  # False when a budget ran out first
    stopped_by: str = ""  # "states" or "seconds" when a budget ran out
    budget: int = 0  # the state budget used (the one asked for, or less for a story with very many stats)
    scenes: dict[str, int] = field(default_factory=dict)  # scene -> the first state there (see way_to)
    endings: dict[str, int] = field(default_factory=dict)
    choices: set[str] = field(default_factory=set)
    dead_ends: dict[str, int] = field(default_factory=dict)  # non-ending scene, nothing open
    transitions: int = 0  # decisions played, including those that led to a state already seen
    seconds: float = 0.0
    # scene -> (a shortest way to the decision that failed, the decision, what went wrong)
    failures: dict[str, tuple[list[Action], Action, str]] = field(default_factory=dict)
    # state -> (the state before it, the action between); None for the start
    parents: list[tuple[int, Action] | None] = field(default_factory=lambda: [None], repr=False)

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else 0.0

    def way_to(self, index: int) -> list[Action]:
        """A shortest list of decisions from the start to state `index`.

        Worked out on demand: keeping one per scene would cost the square of the story's
        depth (a 60,000-scene chain ran out of memory that way).
        """
        actions = []
        parent = self.parents[index]
        while parent is not None:
            index, action = parent
            actions.append(action)
            parent = self.parents[index]
        return actions[::-1]

    @property
    def stopped(self) -> str:
        """Why the exploration is partial, in an author's words; '' when it is complete."""
        if self.complete:
            return ""
        limit = (f"the limit of {self.budget:,} states" if self.stopped_by == "states"
                 else "the time limit, --max-seconds")
        return (f"stopped after {self.states:,} states / {self.seconds:.1f} seconds ({limit}): the story is too "
                "large to explore fully; results are partial")


class Observer:
    """Hooks called while exploring; the default does nothing. States are numbered from 0 (the start)."""

    def visit(self, index: int, session: Session) -> None:
        """State `index` is being expanded (each state once, in breadth-first order)."""

    def edge(self, parent: int, action: Action, child: int | None, consequence: Consequence) -> None:
        """`action` in state `parent` leads to state `child` (None: not explored, the budget ran out)."""

    def failure(self, parent: int, action: Action, error: Exception) -> None:
        """`action` in state `parent` raised an error instead of leading anywhere."""


def explore(story: LoadedStory, max_states: int = 50_000, seed: int = 0, *, observer: Observer | None = None,
            progress: Callable[[int, int], None] | None = None, progress_every: int = 500,
            keep_going: bool = False, max_seconds: float | None = DEFAULT_MAX_SECONDS) -> Exploration:
    """Breadth-first over every distinct state; `progress(states, waiting)` is called now and then.

    It stops (incomplete) after `max_states` distinct states, fewer for a story with very many
    stats, or after `max_seconds` (None: no time limit). An error raised by the engine stops
    the exploration, unless `keep_going`: then it is recorded in `failures` (and told to the
    observer) and the other moves are explored.
    """
    began = time.perf_counter()
    width = 1 + len(story.model.stats) + len(story.model.flags)
    result = Exploration(budget=max(1, min(max_states, MAX_STATE_VALUES // width)))
    max_states = result.budget
    start = light(Session(story, seed))
    seen = {start.fingerprint(): 0}
    parents = result.parents
    way_to = result.way_to

    queue = deque([(0, start)])
    while queue:
        if (max_seconds is not None and result.states % _CLOCK_EVERY == 0
                and time.perf_counter() - began > max_seconds):
            result.complete, result.stopped_by = False, "seconds"
            break
        index, session = queue.popleft()
        result.states += 1
        if progress is not None and result.states % progress_every == 0:
            progress(result.states, len(queue))
        scene_id = session.scene_id
        if scene_id not in result.scenes:
            result.scenes[scene_id] = index
        if observer is not None:
            observer.visit(index, session)
        prompt = prompt_of(session)
        if prompt.kind == "ended":
            result.endings.setdefault(scene_id, result.scenes[scene_id])
            continue
        options = prompt.moves()
        if not options:
            if scene_id not in result.dead_ends:
                result.dead_ends[scene_id] = index
            continue
        for action in options:
            child = session.fork()
            result.transitions += 1
            try:
                consequence = child.apply(action)
            except Exception as error:  # noqa: BLE001 - an engine failure is a finding, not a crash of the tool
                if not keep_going:
                    raise
                if scene_id not in result.failures:
                    result.failures[scene_id] = (way_to(index), action, f"{type(error).__name__}: {error}")
                if observer is not None:
                    observer.failure(index, action, error)
                continue
            if action.kind == "choose":
                result.choices.add(action.id)
            key = child.fingerprint()
            known = seen.get(key)
            if known is None:
                if len(seen) >= max_states:
                    result.complete, result.stopped_by = False, "states"
                else:
                    known = seen[key] = len(seen)
                    parents.append((index, action))
                    queue.append((known, light(child)))
            if observer is not None:
                observer.edge(index, action, known, consequence)
    result.seconds = time.perf_counter() - began
    if progress is not None:
        progress(result.states, 0)
    return result
