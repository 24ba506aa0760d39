"""Previews for authors: `mmjourney play FILE --from SCENE` (or `--from 'WALKTHROUGH:STEP'`).

A preview starts a journey part of the way in, so an author can test a late scene without
replaying the early ones. The way there is a list of decisions played from the start:

- to a scene, the way with the fewest decisions (pages that only continue do not count), found
  by a bounded breadth-first search over the Prompt's moves; among equally short ways, the one
  that takes the expert's choice earliest, so the same story always previews the same way;
- to a walkthrough's step, the walkthrough's own decisions up to and including that step.

The decisions are kept with their chance outcomes named, so the preview reaches the same place
whatever seed the journey is played with.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from ..engine import Action, ActionError, Session
from ..story import LoadedStory
from ..story.model import Walkthrough
from ..story.problems import did_you_mean
from .prompt import Prompt, Read, prompt_of

# The search stops after this many distinct situations, or this many seconds (the budgets of
# `mmjourney check`): the preview says so rather than keep the author waiting on a story too large.
MAX_STATES = 200_000
MAX_SECONDS = 60.0
MAX_PAGES = 10_000  # pages in a row before a story is taken to loop through pages forever
_CLOCK_EVERY = 256  # situations between looks at the clock


class PreviewError(ValueError):
    """Why a preview cannot start where it was asked to, in an author's words."""


@dataclass(frozen=True)
class Preview:
    """Where a preview starts: the decisions that lead there from the story's start, and what the
    author asked for, in words (the player's status bar and notices show it)."""

    actions: tuple[Action, ...]
    where: str

    @property
    def decisions(self) -> int:
        """The decisions on the way, without the pages that only continue."""
        return sum(1 for action in self.actions if action.kind != "next")

    @property
    def notice(self) -> str:
        """What both players say as the preview starts."""
        made = {0: "no decision was needed to get there",
                1: "the 1 decision on the way there was made for you"}.get(
            self.decisions, f"the {self.decisions} decisions on the way there were made for you")
        return (f"Preview from {self.where}: {made}. A preview is not saved or recorded: it adds no attempt "
                "to your records.")


def light(session: Session) -> Session:
    """Drop the journey's logs (decisions, consequences, chart) from a session being searched or
    explored, so that forking it costs the same at any depth.

    A search keeps its own record of how each state was reached (one parent link per state), and
    what happens next does not depend on the logs: that is the fingerprint's promise. Likewise the
    scenes visited, choices made and answers given that nothing looks at again: copied at every
    fork, they made a long chain of scenes quadratic. (Whether a decision is a repeat, and so
    unscored, is lost with them: the tools that add up scores keep their own count.)
    """
    session.actions = []
    session.history = []
    session.chart = []
    state, story = session.state, session.story
    state.visited &= story.watched_scenes
    state.chosen &= story.watched_choices
    state.answers = {q: a for q, a in state.answers.items() if q in story.watched_questions}
    return session


def preview_of(story: LoadedStory, start: str, *, max_states: int = MAX_STATES,
               max_seconds: float = MAX_SECONDS) -> Preview:
    """The preview `start` asks for: a scene id, or a walkthrough's name, a colon and a step number.

    Raises PreviewError with the reason (an unknown name with a did-you-mean, an unreachable scene,
    a walkthrough that does not play that far)."""
    text = start.strip()
    if ":" in text:  # ids never hold a colon: this names a walkthrough's step
        name, _, step = text.rpartition(":")
        return walkthrough_preview(story, name.strip(), _step_number(step.strip(), name.strip()))
    return scene_preview(story, text, max_states=max_states, max_seconds=max_seconds)


def _step_number(text: str, name: str) -> int:
    if not text.isdigit():
        raise PreviewError(f"'{text}' is not a step number: write the walkthrough's name, a colon and the number "
                           f"of the step to start after, like '{name or 'Expert path'}:3'")
    return int(text)


def scene_preview(story: LoadedStory, scene_id: str, *, max_states: int = MAX_STATES,
                  max_seconds: float = MAX_SECONDS) -> Preview:
    """Start at `scene_id` with the state of the shortest way there (see the module's note)."""
    scenes = story.model.scenes
    if scene_id not in scenes:
        hint = did_you_mean(scene_id, scenes) or (
            "; write a scene id from the story, or a walkthrough's name, a colon and a step number")
        raise PreviewError(f"the story has no scene '{scene_id}'{hint}")
    return Preview(shortest_way(story, scene_id, max_states=max_states, max_seconds=max_seconds),
                   f"scene '{scene_id}'")


def shortest_way(story: LoadedStory, scene_id: str, *, max_states: int = MAX_STATES,
                 max_seconds: float = MAX_SECONDS) -> tuple[Action, ...]:
    """The decisions of the shortest way from the start to `scene_id` (see the module's note).

    Breadth-first over situations (equal fingerprints have equal futures, so each is searched
    once); each step is one decision followed by the pages it leads to, since a page asks nothing.
    Raises PreviewError when no way leads there, or when the budget ran out first."""
    began = time.perf_counter()
    start = light(Session(story, 0))
    # Every situation found: (the situation before it, the actions between); None for the start.
    parents: list[tuple[int, tuple[Action, ...]] | None] = [None]
    pages = _read_on(start, scene_id)
    if start.scene_id == scene_id:
        return pages
    if pages:
        parents.append((0, pages))
    seen = {start.fingerprint(): len(parents) - 1}
    queue = deque([(len(parents) - 1, start)])
    complete = True
    expanded = 0
    while queue:
        expanded += 1
        if expanded % _CLOCK_EVERY == 0 and time.perf_counter() - began > max_seconds:
            complete = False
            break
        index, session = queue.popleft()
        for action in _moves_expert_first(prompt_of(session)):
            child = session.fork()
            try:
                child.apply(action)
            except ActionError:
                continue  # a move the engine refuses leads nowhere; mmjourney check reports it
            steps = (action, *_read_on(child, scene_id))
            if child.scene_id == scene_id:
                return _way(parents, index) + steps
            key = child.fingerprint()
            if key in seen:
                continue
            if len(parents) >= max_states:
                complete = False
                break
            seen[key] = len(parents)
            parents.append((index, steps))
            queue.append((len(parents) - 1, light(child)))
        if not complete:
            break
    if complete:
        raise PreviewError(f"scene '{scene_id}' cannot be reached: no journey from the start leads there "
                           "(mmjourney check lists every part that cannot be reached)")
    raise PreviewError(f"no way to scene '{scene_id}' was found in the first {len(parents):,} situations of the "
                       f"story (it is too large to search fully); start from a walkthrough's step instead, like "
                       f"--from 'Expert path:3'")


def _read_on(session: Session, scene_id: str | None = None) -> tuple[Action, ...]:
    """Continue through pages until the journey asks something (or reaches `scene_id`)."""
    read: list[Action] = []
    while session.scene_id != scene_id and isinstance(prompt_of(session), Read):
        if len(read) >= MAX_PAGES:
            raise PreviewError(f"the journey goes round pages forever from scene '{session.scene_id}'")
        session.proceed()
        read.append(Action("next"))
    return tuple(read)


def _moves_expert_first(prompt: Prompt) -> list[Action]:
    """The Prompt's moves, the expert's first (each chance outcome of the expert's choice, in the order
    written), then the others in the order written: the order ties are broken in."""
    expert = prompt.expert()
    moves = prompt.moves()
    if expert is None:
        return moves

    def is_expert(move: Action) -> bool:
        return (move.kind, move.id) == (expert.kind, expert.id) and (
            move.kind != "answer" or move.options == expert.options)

    return sorted(moves, key=lambda move: not is_expert(move))


def _way(parents: list[tuple[int, tuple[Action, ...]] | None], index: int) -> tuple[Action, ...]:
    steps: list[tuple[Action, ...]] = []
    parent = parents[index]
    while parent is not None:
        index, actions = parent
        steps.append(actions)
        parent = parents[index]
    return tuple(action for actions in reversed(steps) for action in actions)


def walkthrough_preview(story: LoadedStory, name: str, step: int) -> Preview:
    """Start right after step `step` of the walkthrough called `name` (0: at the story's start)."""
    walk = _walkthrough(story, name)
    if step > len(walk.choices):
        raise PreviewError(f"walkthrough '{walk.name}' has {len(walk.choices)} step"
                           f"{'s' if len(walk.choices) != 1 else ''}, not {step}")
    session = Session(story, walk.seed)
    for number, entry in enumerate(walk.choices[:step], 1):
        try:
            _read_on(session)
            if entry.options is not None:
                session.answer(entry.id, entry.options)
            else:
                session.choose(entry.id, None if entry.outcome is None else entry.outcome - 1)
        except ActionError as error:
            raise PreviewError(f"walkthrough '{walk.name}' does not play to step {step}: step {number} "
                               f"('{entry.id}') does not fit ({error}); mmjourney test says why") from None
    where = f"walkthrough '{walk.name}' after step {step}" if step else f"the start of walkthrough '{walk.name}'"
    # The session keeps each chance outcome it met, so the way holds whatever seed the preview is played with.
    return Preview(tuple(session.actions), where)


def _walkthrough(story: LoadedStory, name: str) -> Walkthrough:
    walks = story.model.walkthroughs
    if not walks:
        raise PreviewError(f"the story has no walkthroughs, so '{name}' cannot be one; start from a scene id instead")
    found = next((walk for walk in walks if walk.name == name), None) or next(
        (walk for walk in walks if walk.name.casefold() == name.casefold()), None)
    if found is None:
        names = [walk.name for walk in walks]
        hint = did_you_mean(name, names) or "; the story's walkthroughs are: " + ", ".join(
            f"'{walk}'" for walk in names)
        raise PreviewError(f"the story has no walkthrough called '{name}'{hint}")
    return found
