"""`mmjourney check`: play every reachable journey of a story and report what no reader would spot.

The story is explored state by state (see `explore.py`): every choice, every chance outcome,
every event the engine fires. What the exploration saw is compared with what the file
declares, and each mismatch becomes a finding with a file, line and column:

errors (the story is broken for some learner, or part of the lesson is never taught)
  unreachable-scene, unreachable-ending, unreachable-objective, dead-end, no-way-out, engine-failure
warnings (worth a look)
  exploration-incomplete, never-available, route-never-taken, paragraph-never-shown, stat-pinned,
  entry-runs-once, repeat-not-scored,
  no-reference, blank-rationale, reference-unused-in-play, not-reviewed,
  best-is-longest, best-much-longer, naive-strategy, naive-incomplete,
  (options whose shape gives the answer away: see `itemwriting.py`),
  option-too-long, stat-label-too-long, numbered-list, too-many-options
  (what the game at 80x24 would not show as written: see `learnerview.py`),
  and the warnings `mmjourney validate` gives (code `validate`).

Each finding that happens somewhere in play carries the shortest list of decisions that
gets there, so an author can replay it.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..engine import Action, Consequence, Session, duration_text
from ..story import LoadedStory, StoryError, load_story
from ..story.checks import reenterable_scenes, scene_exits
from ..story.expressions import history_references, parse_condition
from ..story.loader import is_fragment
from ..story.problems import location
from ..story.text_safety import visible
from ..story.yaml_source import YamlSourceError, parse_yaml, read_text
from .explore import DEFAULT_MAX_SECONDS, Exploration, Observer, explore
from .itemwriting import naive_play, option_lengths
from .learnerview import learner_view
from .locations import SourceMap
from .strategies import CHECK_MAX_STEPS, Summary, summarise

DEFAULT_MAX_STATES = 200_000
MAX_LOOP_REPORTS = 5  # per story: one cycle is usually the cause of the others


@dataclass(frozen=True)
class Finding:
    """One problem `check` reports: a `file:line:col: severity: message` line, with a code and a way there."""

    file: str
    line: int | None
    column: int | None
    severity: str
    code: str
    message: str
    steps: tuple[str, ...] = ()  # decisions from the start that reproduce it (walkthrough notation)

    def __post_init__(self) -> None:
        # As for story Problems: a file name or a quoted value must not reach a terminal raw.
        object.__setattr__(self, "file", visible(self.file))
        object.__setattr__(self, "message", visible(self.message))

    def __str__(self) -> str:
        return f"{location(self.file, self.line, self.column)}: {self.severity}: {self.message}"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "severity": self.severity,
                "code": self.code, "message": self.message, "steps": list(self.steps)}


@dataclass
class StoryCheck:
    """Everything `check` found in one file (picklable, so files can be checked in parallel)."""

    file: str
    story_id: str | None = None
    title: str | None = None
    fragment: bool = False  # fragments are checked through the stories that include them
    findings: list[Finding] = field(default_factory=list)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)  # what -> (hit, total)
    states: int = 0
    transitions: int = 0
    seconds: float = 0.0
    complete: bool = True
    stopped: str = ""  # why the exploration is partial, when it is
    naive: list[Summary] = field(default_factory=list)  # how the naive players did (strategies.py)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def to_json(self) -> dict:
        return {
            "file": self.file, "story": self.story_id, "title": self.title, "fragment": self.fragment,
            "errors": self.errors, "warnings": self.warnings,
            "findings": [f.to_json() for f in self.findings],
            "coverage": {k: {"hit": hit, "total": total} for k, (hit, total) in self.coverage.items()},
            "states": self.states, "transitions": self.transitions, "complete": self.complete,
            "stopped": self.stopped,
            "naive": [summary.to_json() for summary in self.naive],
            "seconds": round(self.seconds, 4),
        }


# --- decisions written the way walkthroughs write them ---------------------------------------


def step_text(action: Action) -> str | None:
    """A decision in walkthrough notation (`id`, `question: [options]`, `id: {outcome: 2}`); None for next."""
    if action.kind == "next":
        return None
    if action.kind == "answer":
        return f"{action.id}: [{', '.join(action.options)}]"
    if action.outcome is not None:
        return f"{action.id}: {{outcome: {action.outcome + 1}}}"
    return action.id


def steps_of(actions) -> tuple[str, ...]:
    return tuple(text for text in map(step_text, actions) if text is not None)


def path_text(actions, limit: int = 8) -> str:
    steps = steps_of(actions)
    if not steps:
        return "at the start"
    if len(steps) > limit:
        steps = steps[:3] + (f"... {len(steps) - limit} more ...",) + steps[-(limit - 3):]
    return "after " + " -> ".join(steps)


# --- what the exploration records ------------------------------------------------------------


class _Recorder(Observer):
    """Keeps what the findings need: the state graph, condition tallies, stats at their limits."""

    def __init__(self, story: LoadedStory) -> None:
        self.story = story
        model = story.model
        self.parent: dict[int, tuple[int, Action]] = {}
        self.scene_of: list[str] = []
        self.ended: set[int] = set()
        self.successors: dict[int, list[int]] = defaultdict(list)
        self.unfinished: set[int] = set()  # states with a move the budget cut off, or a move that failed
        self.shown: dict[str, int] = {}  # choice id (with a condition) -> first state it was considered
        self.available: set[str] = set()
        self.routes_taken: set[tuple[str, int]] = set()
        self.route_seen: dict[str, int] = {}
        # The paragraphs of scene text with an `if`, by scene, and for each whether its `if` was seen
        # true and seen false when the scene was shown.
        self.conditional_text = {name: [(number, block.condition) for number, block in enumerate(scene.text)
                                        if block.condition is not None]
                                 for name, scene in model.scenes.items()}
        self.paragraphs: dict[tuple[str, int], set[bool]] = defaultdict(set)
        self.taken: set[str] = set()  # choices and questions decided
        self.objectives: set[str] = set()
        self.cited: set[str] = set()
        self.limits: dict[tuple[str, str], int] = {}  # (stat, 'min'|'max') -> first state
        self.watch_limits = []
        for name, stat in model.stats.items():
            # A chart value held at a limit outside its normal range; a stat that starts at its
            # limit (a count not yet taken, say) is there by design.
            if stat.visible and stat.normal:
                low, high = stat.normal
                if stat.min < low and stat.start != stat.min:
                    self.watch_limits.append((name, "min", stat.min))
                if stat.max > high and stat.start != stat.max:
                    self.watch_limits.append((name, "max", stat.max))
        self.conditions = story.conditions
        # Scenes whose entry (advance, on_enter) runs once without the author saying so, and for each
        # state which of them it has already entered: an edge into one of those is a second entry.
        self.entry_once = frozenset(name for name, scene in model.scenes.items()
                                    if (scene.advance or scene.on_enter) and scene.repeat is None)
        self.entered: list[frozenset[str]] = []
        self._entered_sets: dict[frozenset[str], frozenset[str]] = {}  # one copy of each set, for memory
        self.reentered: dict[str, tuple[int, Action]] = {}  # scene -> (state before, decision) of a first re-entry

    def visit(self, index: int, session: Session) -> None:
        scene = session.scene
        self.scene_of.append(session.scene_id)  # states are visited in index order
        state = session.state
        # The session is light (journey.preview.light): its visited scenes still include every scene whose
        # once-only entry can come round again, which is all that this needs.
        entered = frozenset(state.visited & self.entry_once)
        self.entered.append(self._entered_sets.setdefault(entered, entered))
        stats = state.stats
        for name, bound, value in self.watch_limits:
            if (stats[name] <= value if bound == "min" else stats[name] >= value):
                self.limits.setdefault((name, bound), index)
        for number, condition in self.conditional_text[session.scene_id]:
            self.paragraphs[session.scene_id, number].add(self.holds(condition, state))
        # The scene as written, not its Prompt: the tallies need hidden choices and which route holds.
        kind = scene.kind
        if kind == "ending":
            self.ended.add(index)
        elif kind == "choices":
            for choice in scene.choices or ():
                if choice.condition is None or (choice.once and choice.id in state.chosen):
                    continue
                self.shown.setdefault(choice.id, index)
                if choice.id not in self.available and self.holds(choice.condition, state):
                    self.available.add(choice.id)
        elif kind == "page":
            self.route_seen.setdefault(session.scene_id, index)
            for number, route in enumerate(scene.next or ()):
                if route.condition is None or self.holds(route.condition, state):
                    self.routes_taken.add((session.scene_id, number))
                    break

    def holds(self, condition: str, state) -> bool:
        try:
            return bool(self.conditions[condition](state))
        except Exception:  # noqa: BLE001 - the engine meets the same failure and it is reported there
            return False

    def edge(self, parent: int, action: Action, child: int | None, consequence: Consequence) -> None:
        if consequence.next_scene in self.entered[parent]:
            self.reentered.setdefault(consequence.next_scene, (parent, action))
        if child is None:
            self.unfinished.add(parent)
        else:
            self.successors[parent].append(child)
            if child and child not in self.parent:
                self.parent[child] = (parent, action)
        if consequence.kind != "next":
            self.taken.add(consequence.id)
            self.objectives.update(consequence.objectives)
            self.cited.update(consequence.references)

    def failure(self, parent: int, action: Action, error: Exception) -> None:
        self.unfinished.add(parent)

    def actions_to(self, index: int) -> list[Action]:
        actions = []
        while index:
            index, action = self.parent[index]
            actions.append(action)
        return actions[::-1]


def _cycles(nodes: set[int], successors: dict[int, list[int]]) -> list[list[int]]:
    """Strongly connected components of the graph restricted to `nodes` that contain a cycle."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index_of:
            continue
        work = [(root, iter(successors.get(root, ())))]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in nodes:
                    continue
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index_of[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in successors.get(node, ()):
                    found.append(component)
    return found


# --- turning what was seen into findings ------------------------------------------------------


class _Report:
    def __init__(self, story: LoadedStory, sources: SourceMap, exploration: Exploration, recorder: _Recorder) -> None:
        self.story = story
        self.model = story.model
        self.sources = sources
        self.exploration = exploration
        self.recorder = recorder
        self.findings: list[Finding] = []
        # With the budget spent, "never" only means "not within the budget": say so, as a warning.
        self.never = "error" if exploration.complete else "warning"

    def add(self, code: str, severity: str, path: tuple, message: str, actions=None, at_key=False) -> None:
        file, line, column = self.sources.where(path, at_key)
        self.findings.append(Finding(file, line, column, severity, code, message,
                                     steps_of(actions) if actions else ()))

    def run(self) -> list[Finding]:
        self.budget()
        self.failures()
        self.unreachable()
        self.objectives()
        self.dead_ends()
        self.loops()
        self.never_available()
        self.entries_once()
        self.repeats()
        self.routes()
        self.paragraphs()
        self.limits()
        self.governance()
        return self.findings

    def budget(self) -> None:
        exploration = self.exploration
        if exploration.complete:
            return
        rec = self.recorder
        busy = defaultdict(int)
        for state in rec.unfinished:
            busy[rec.scene_of[state]] += 1
        # Stopped by the clock, the states still waiting in the queue are where it was busy.
        if not busy and rec.scene_of:
            busy[rec.scene_of[-1]] += 1
        where = ", ".join(f"'{name}'" for name, _ in sorted(busy.items(), key=lambda item: -item[1])[:3])
        larger = "--max-states" if exploration.stopped_by == "states" else "--max-seconds"
        self.add("exploration-incomplete", "warning", (),
                 f"exploration {exploration.stopped}; it was still busy around scene{'s' if len(busy) > 1 else ''} "
                 f"{where}. Run again with a larger {larger}, or look for a loop that moves the clock on "
                 "each time round (every pass makes a new situation).")

    def failures(self) -> None:
        for scene_id, (actions, action, message) in self.exploration.failures.items():
            self.add("engine-failure", "error", ("scenes", scene_id),
                     f"the game stopped with an internal error in scene '{scene_id}' "
                     f"({path_text(actions)}, then {step_text(action) or 'continue'}): {message}. "
                     "This is a bug in mmjourney or a case it does not handle; please report it with this line.",
                     actions=list(actions) + [action], at_key=True)

    def unreachable(self) -> None:
        reached = self.exploration.scenes
        scenes = self.model.scenes
        rec = self.recorder
        ways_in: dict[str, list[str]] = defaultdict(list)
        for scene_id, scene in scenes.items():
            for rel, target in scene_exits(scene):
                if rel[0] == "choices":
                    choice = scene.choices[rel[1]]
                    if scene_id in reached and choice.id not in rec.taken:
                        ways_in[target].append(f"choice '{choice.id}', which is never available")
                    elif scene_id not in reached:
                        ways_in[target].append(f"scene '{scene_id}', which is unreachable too")
                elif rel[0] == "next" and scene_id in reached and (scene_id, rel[1]) not in rec.routes_taken:
                    ways_in[target].append(f"a route of scene '{scene_id}' that is never taken")
                elif scene_id not in reached:
                    ways_in[target].append(f"scene '{scene_id}', which is unreachable too")
        for event in self.model.events:
            ways_in[event.scene].append(f"event '{event.id}', which never happens (its condition "
                                        f"'{event.when}' is never true when events are checked)")
        for scene_id, scene in scenes.items():
            if scene_id in reached:
                continue
            reasons = sorted(set(ways_in.get(scene_id, [])))
            why = ("nothing leads to it: no goto, next or event names it" if not reasons
                   else "the only ways in are " + "; ".join(reasons))
            if not self.exploration.complete:
                why = f"not reached within the {self.exploration.states:,} states explored"
            if scene.ending:
                self.add("unreachable-ending", self.never, ("scenes", scene_id),
                         f"ending '{scene_id}' ({scene.ending.title}) can never be reached: {why}", at_key=True)
            else:
                self.add("unreachable-scene", self.never, ("scenes", scene_id),
                         f"scene '{scene_id}' can never be reached: {why}", at_key=True)

    def objectives(self) -> None:
        served = {o for s in self.model.scenes.values() for c in s.choices or () for o in c.objectives}
        served |= {o for s in self.model.scenes.values() if s.question for o in s.question.objectives}
        for number, objective in enumerate(self.model.objectives):
            # Objectives that nothing serves at all already get a warning from validate.
            if objective.id in served and objective.id not in self.recorder.objectives:
                self.add("unreachable-objective", self.never, ("objectives", number),
                         f"objective '{objective.id}' is never taught: no journey reaches a choice or question "
                         "that serves it")

    def replay(self, actions) -> Session:
        session = Session(self.story, 0)
        session.replay(actions)
        return session

    def dead_ends(self) -> None:
        rec = self.recorder
        reported = set()
        for state, scene_id in enumerate(rec.scene_of):
            if state in rec.ended or state in rec.successors or state in rec.unfinished or scene_id in reported:
                continue
            reported.add(scene_id)
            actions = rec.actions_to(state)
            session = self.replay(actions)
            closed = []
            for choice in self.model.scenes[scene_id].choices or ():
                if choice.once and choice.id in session.state.chosen:
                    closed.append(f"'{choice.id}' was already used (once only)")
                elif choice.condition is not None:
                    shown = "greyed out" if choice.disabled_reason else "hidden"
                    closed.append(f"'{choice.id}' is {shown} ({choice.condition})")
            detail = "; ".join(closed) if closed else "the scene has no choices"
            self.add("dead-end", "error", ("scenes", scene_id),
                     f"dead end: in scene '{scene_id}', {path_text(actions)}, no choice is open, so the journey "
                     f"cannot go on ({detail}). Add a choice that is always open, or loosen a condition.",
                     actions=actions, at_key=True)

    def loops(self) -> None:
        rec = self.recorder
        finishing = set(rec.ended) | rec.unfinished
        predecessors: dict[int, list[int]] = defaultdict(list)
        for parent, children in rec.successors.items():
            for child in children:
                predecessors[child].append(parent)
                if child >= len(rec.scene_of):  # found but never expanded (the time ran out): may lead on
                    finishing.add(child)
        queue = deque(finishing)
        while queue:
            for parent in predecessors.get(queue.popleft(), ()):
                if parent not in finishing:
                    finishing.add(parent)
                    queue.append(parent)
        stuck = {state for state in range(len(rec.scene_of)) if state not in finishing}
        if not stuck:
            return
        seen_loops = set()
        components = sorted(_cycles(stuck, rec.successors), key=min)
        for component in components:
            scenes = sorted({rec.scene_of[state] for state in component})
            if frozenset(scenes) in seen_loops:
                continue
            seen_loops.add(frozenset(scenes))
            if len(seen_loops) > MAX_LOOP_REPORTS:
                break
            entry = min(component)
            scene_id = rec.scene_of[entry]
            actions = rec.actions_to(entry)
            names = ", ".join(f"'{s}'" for s in scenes)
            self.add("no-way-out", "error", ("scenes", scene_id),
                     f"no way out: from scene '{scene_id}', {path_text(actions)}, every path goes round "
                     f"scene{'s' if len(scenes) > 1 else ''} {names} forever without reaching an ending. "
                     "Give the loop an exit that is always open, or a once-only choice that leads on.",
                     actions=actions, at_key=True)

    def never_available(self) -> None:
        rec = self.recorder
        for scene_id, scene in self.model.scenes.items():
            for number, choice in enumerate(scene.choices or ()):
                if choice.id not in rec.shown or choice.id in rec.available:
                    continue
                first = rec.actions_to(rec.shown[choice.id])
                if choice.disabled_reason:
                    what = f"choice '{choice.id}' is always greyed out"
                else:
                    what = f"choice '{choice.id}' is never offered"
                within = "" if self.exploration.complete else f" within {self.exploration.states:,} states"
                self.add("never-available", "warning", ("scenes", scene_id, "choices", number, "if"),
                         f"{what}: its condition '{choice.condition}' is false every time scene '{scene_id}' is "
                         f"reached{within} (first {path_text(first)}). Check the condition, or the effects that "
                         "should make it true.", actions=first)

    def entries_once(self) -> None:
        rec = self.recorder
        for scene_id, (state, action) in sorted(rec.reentered.items()):
            scene = self.model.scenes[scene_id]
            parts = ([f"advance ({duration_text(scene.advance)})"] if scene.advance else []) + (
                ["on_enter effects"] if scene.on_enter else [])
            actions = rec.actions_to(state) + [action]
            self.add("entry-runs-once", "warning", ("scenes", scene_id),
                     f"scene '{scene_id}' is entered again ({path_text(actions)}), and its {' and '.join(parts)} "
                     "run only on the first entry. If they should run each time the journey comes back, write "
                     "`repeat: every_entry` on the scene; write `repeat: once` to say that the first entry only "
                     "is meant.", actions=actions, at_key=True)

    def repeats(self) -> None:
        """Choices a journey can come back to and take again: only their first time is scored.

        Read from the gotos rather than from play (exploration forgets choices that nothing looks
        at again), so this says "can": a condition may close the way back. A `repeat: true` event
        coming back is left out: answering each new emergency is what its author asked for.
        """
        model, rec = self.model, self.recorder
        scenes = model.scenes
        again = reenterable_scenes(model)
        graph = {name: {t for _, t in scene_exits(scene) if t in scenes} for name, scene in scenes.items()}
        for scene_id, scene in scenes.items():
            if scene_id not in again or scene_id not in self.exploration.scenes:
                continue
            for number, choice in enumerate(scene.choices or ()):
                if choice.once or choice.id not in rec.taken or self._guarded(choice):
                    continue
                targets = {choice.goto, *(outcome.goto for outcome in choice.chance or ())} & set(scenes)
                if not _leads_to(graph, targets, scene_id):
                    continue
                self.add("repeat-not-scored", "warning", ("scenes", scene_id, "choices", number),
                         f"choice '{choice.id}' can be taken again when the journey comes back to scene "
                         f"'{scene_id}'; only the first time is scored (later ones are shown as not scored). "
                         f"Mark it `once: true` if it should not be offered again, or give it a condition such "
                         f"as `if: not chosen({choice.id})`.")

    @staticmethod
    def _guarded(choice) -> bool:
        """The choice's own condition looks at whether it was taken: the author has thought of it."""
        return choice.condition is not None and ("chosen", choice.id) in history_references(
            parse_condition(choice.condition))

    def routes(self) -> None:
        rec = self.recorder
        for scene_id, scene in self.model.scenes.items():
            if not scene.next or scene_id not in rec.route_seen:
                continue
            for number, route in enumerate(scene.next):
                if (scene_id, number) in rec.routes_taken:
                    continue
                if route.condition is None:
                    why = "an earlier route always applies first"
                else:
                    why = f"its condition '{route.condition}' is never true (or an earlier route always applies)"
                self.add("route-never-taken", "warning", ("scenes", scene_id, "next", number),
                         f"this route to '{route.goto}' is never taken: {why} whenever scene '{scene_id}' is "
                         "reached")

    def paragraphs(self) -> None:
        """A paragraph of scene text that no journey shows: its `if` never holds, or its `else` never comes."""
        if not self.exploration.complete:
            return  # a journey not explored may show it
        for (scene_id, number), seen in sorted(self.recorder.paragraphs.items()):
            block = self.model.scenes[scene_id].text[number]
            if True not in seen:
                self.add("paragraph-never-shown", "warning", ("scenes", scene_id, "text", number, "if"),
                         f"this paragraph is never shown: its condition '{block.condition}' is false whenever "
                         f"scene '{scene_id}' is reached; learners never read it")
            elif False not in seen and block.otherwise:
                self.add("paragraph-never-shown", "warning", ("scenes", scene_id, "text", number, "else"),
                         f"this 'else' is never shown: the paragraph's condition '{block.condition}' holds whenever "
                         f"scene '{scene_id}' is reached; learners never read it")

    def limits(self) -> None:
        rec = self.recorder
        for (name, bound), state in sorted(rec.limits.items()):
            stat = self.model.stats[name]
            value = stat.min if bound == "min" else stat.max
            low, high = stat.normal
            unit = stat.unit if stat.unit.startswith(("/", "%")) else f" {stat.unit}" if stat.unit else ""
            actions = rec.actions_to(state)
            word = "minimum" if bound == "min" else "maximum"
            push = "fall" if bound == "min" else "rise"
            self.add("stat-pinned", "warning", ("stats", name, bound),
                     f"stat '{name}' is pinned at its {word} of {value:g}{unit} (normal range {low:g} to "
                     f"{high:g}), first {path_text(actions)}: any further {push} is lost there, so the chart "
                     f"stops showing change. If that is intended, ignore this; otherwise check the effects and "
                     f"dynamics that move it, or widen its range.", actions=actions)

    def governance(self) -> None:
        model = self.model
        if not model.reviewed_by:
            self.add("not-reviewed", "warning", ("authors",),
                     "no clinical reviewer is named: add reviewed_by (who checked the clinical content) and "
                     "reviewed_on (the date) before learners use this story", at_key=True)
        elif model.reviewed_on is None:
            self.add("not-reviewed", "warning", ("reviewed_by",),
                     "the clinical review has no date: add reviewed_on, e.g. 'reviewed_on: 2026-11-21'", at_key=True)
        for scene_id, scene in model.scenes.items():
            for number, choice in enumerate(scene.choices or ()):
                path = ("scenes", scene_id, "choices", number, "feedback")
                if not choice.feedback.rationale.strip():
                    self.add("blank-rationale", "warning", path + ("rationale",),
                             f"choice '{choice.id}' has a blank rationale: say why, with the clinical reasoning")
                if not choice.feedback.references:
                    self.add("no-reference", "warning", path,
                             f"choice '{choice.id}' cites no reference: list the evidence behind its rationale "
                             "under feedback: references", at_key=True)
            question = scene.question
            if question is not None:
                path = ("scenes", scene_id, "question")
                if not question.references:
                    self.add("no-reference", "warning", path,
                             f"question '{question.id}' cites no reference: list the evidence under references",
                             at_key=True)
                for number, option in enumerate(question.options):
                    if not option.rationale.strip():
                        self.add("blank-rationale", "warning", path + ("options", number, "rationale"),
                                 f"option '{option.id}' has a blank rationale: say why it is right or wrong")
        cited_anywhere = {r for s in model.scenes.values() for c in s.choices or () for r in c.feedback.references}
        cited_anywhere |= {r for s in model.scenes.values() if s.question for r in s.question.references}
        for ref in model.references:
            if ref in cited_anywhere and ref not in self.recorder.cited:
                self.add("reference-unused-in-play", "warning", ("references", ref),
                         f"reference '{ref}' is cited only by choices or questions that no journey reaches",
                         at_key=True)


def _leads_to(graph: dict[str, set[str]], starts: set[str], goal: str) -> bool:
    seen, todo = set(), list(starts)
    while todo:
        name = todo.pop()
        if name == goal:
            return True
        if name not in seen:
            seen.add(name)
            todo.extend(graph[name])
    return False


def coverage(story: LoadedStory, exploration: Exploration, recorder: _Recorder) -> dict[str, tuple[int, int]]:
    model = story.model
    choices = {c.id for s in model.scenes.values() for c in s.choices or ()}
    endings = {name for name, s in model.scenes.items() if s.ending}
    objectives = {o.id for o in model.objectives}
    return {
        "scenes": (len(set(exploration.scenes) & set(model.scenes)), len(model.scenes)),
        "choices": (len(exploration.choices & choices), len(choices)),
        "endings": (len(set(exploration.endings) & endings), len(endings)),
        "objectives": (len(recorder.objectives & objectives), len(objectives)),
    }


def check_story(story: LoadedStory, display: str | None = None, max_states: int = DEFAULT_MAX_STATES,
                max_seconds: float | None = DEFAULT_MAX_SECONDS,
                progress: Callable[[int, int], None] | None = None) -> StoryCheck:
    """Explore a loaded story and report every finding; a partial exploration says so in a warning.

    The naive players (item-writing checks) get what is left of `max_seconds` after the exploration.
    """
    began = time.perf_counter()
    sources = SourceMap(story, display)
    recorder = _Recorder(story)
    exploration = explore(story, max_states=max_states, observer=recorder, progress=progress, keep_going=True,
                          max_seconds=max_seconds)
    result = StoryCheck(sources.display, story.model.id, story.model.title)
    result.findings = [Finding(p.file, p.line, p.column, p.severity, "validate", p.message) for p in story.warnings]
    result.findings += _Report(story, sources, exploration, recorder).run()
    left = None if max_seconds is None else max(0.0, max_seconds - (time.perf_counter() - began))
    result.naive = summarise(story, max_seconds=left, max_steps=CHECK_MAX_STEPS)
    flaws = option_lengths(story) + naive_play(result.naive) + learner_view(story)
    result.findings += [Finding(*(sources.where(flaw.path, at_key=True) if flaw.text_line is None
                                  else sources.where_text_line(flaw.path, flaw.text_line)),
                                "warning", flaw.code, flaw.message, steps_of(flaw.actions)) for flaw in flaws]
    result.findings.sort(key=lambda f: (f.severity != "error", f.file, f.line or 0, f.column or 0))
    result.coverage = coverage(story, exploration, recorder)
    result.states, result.transitions = exploration.states, exploration.transitions
    result.seconds, result.complete, result.stopped = exploration.seconds, exploration.complete, exploration.stopped
    return result


@dataclass(frozen=True)
class Opened:
    """A file as the author tools see it: a loaded story, a fragment, or a story that fails to load."""

    story: LoadedStory | None = None
    fragment: bool = False
    error: StoryError | None = None


def open_story(path: str | Path, display: str) -> Opened:
    """Load a story for a tool. Fragments are only named as such: the stories that include them check them."""
    try:
        text, _ = read_text(Path(path), display)
        if is_fragment(parse_yaml(text, display)):
            return Opened(fragment=True)
    except YamlSourceError:
        pass  # load_story reports it in full below
    try:
        return Opened(story=load_story(path, display))
    except StoryError as error:
        return Opened(error=error)


def validation_findings(problems) -> list[Finding]:
    return [Finding(p.file, p.line, p.column, p.severity, "validate", p.message) for p in problems]


def check_file(path: str | Path, display: str | None = None, max_states: int = DEFAULT_MAX_STATES,
               max_seconds: float | None = DEFAULT_MAX_SECONDS,
               progress: Callable[[int, int], None] | None = None) -> StoryCheck:
    """Load and check one file; problems that stop it loading are reported as findings."""
    display = display or str(path)
    began = time.perf_counter()
    opened = open_story(path, display)
    if opened.fragment:
        from ..story import validate_file

        return StoryCheck(display, fragment=True, findings=validation_findings(validate_file(path, display)))
    if opened.error is not None:
        return StoryCheck(display, findings=validation_findings(opened.error.problems),
                          seconds=time.perf_counter() - began)
    return check_story(opened.story, display, max_states, max_seconds, progress)
