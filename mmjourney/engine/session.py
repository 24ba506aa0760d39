"""A play-through of one story: the patient's state, the clock, decisions and their consequences.

Everything here is deterministic given (story, seed, actions). That is what makes undo,
saves, branching from history and automatic exploration simple: each of them replays
a list of actions from the start.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Literal

from ..story import LoadedStory
from ..story.checks import RESUME
from ..story.expressions import State
from ..story.model import Choice, Feedback, Question, Scene, Unit
from .clock import clock_text

Mode = Literal["practice", "assessment"]
MODES: tuple[Mode, ...] = ("practice", "assessment")
RATING_POINTS = {"best": 1.0, "acceptable": 0.5, "poor": 0.0, "harmful": 0.0}
RATING_ORDER = ("best", "acceptable", "poor", "harmful")


class ActionError(Exception):
    """An action that the current scene does not allow (unknown id, disabled, wrong kind)."""


@dataclass(frozen=True)
class Action:
    """One thing the player did; a journey is fully described by its seed and actions."""

    kind: Literal["choose", "answer", "next"]
    id: str = ""
    options: tuple[str, ...] = ()  # answer: the options picked
    outcome: int | None = None  # choose: which chance outcome happened

    def to_json(self) -> dict:
        data: dict = {"kind": self.kind}
        if self.id:
            data["id"] = self.id
        if self.kind == "answer":
            data["options"] = list(self.options)
        if self.outcome is not None:
            data["outcome"] = self.outcome
        return data

    @classmethod
    def from_json(cls, data: dict) -> Action:
        return cls(
            kind=data["kind"],
            id=data.get("id", ""),
            options=tuple(data.get("options", ())),
            outcome=data.get("outcome"),
        )


@dataclass(frozen=True)
class ChoiceView:
    """A choice as the player sees it now: enabled, or greyed out with the reason."""

    choice: Choice
    enabled: bool
    reason: str | None = None

    @property
    def id(self) -> str:
        return self.choice.id


@dataclass(frozen=True)
class StatChange:
    name: str
    before: float
    after: float
    visible: bool


@dataclass(frozen=True)
class Consequence:
    """What one decision led to: the feedback, the score, and how the patient changed."""

    index: int  # position in the journey's actions, from 0 (undo and branching use it)
    number: int  # the decision's number as the player counts them, from 1; 0 for a "Continue" page
    kind: Literal["choose", "answer", "next"]
    scene: str  # where the decision was made
    id: str  # choice or question id ('' for next)
    label: str
    day_before: int
    day_after: int
    next_scene: str
    changes: tuple[StatChange, ...]
    events: tuple[str, ...]  # events that interrupted on the way
    step: str | None = None
    objectives: tuple[str, ...] = ()
    category: str | None = None
    rating: str | None = None
    critical: bool = False
    feedback: Feedback | None = None
    references: tuple[str, ...] = ()  # reference ids behind the feedback
    chance_text: str | None = None
    points: float = 0.0
    max_points: float = 0.0  # 0 for steps that are not scored (next)
    alternatives: tuple[str, ...] = ()  # choice ids that were open at the time
    picked: tuple[str, ...] = ()  # answer: option ids chosen
    # A choice taken, or a question answered, again in the same journey: it is not scored (0 of 0),
    # so going round a loop cannot farm points, and the debrief counts each decision once.
    repeat: bool = False

    @property
    def scored(self) -> bool:
        return self.max_points > 0


@dataclass(frozen=True)
class ChartPoint:
    """The patient's stats on one day of the journey: one point per decision, and one at the start."""

    day: int
    stats: dict[str, float]


@dataclass
class Session:
    story: LoadedStory
    seed: int = 0
    mode: Mode = "practice"
    state: State = field(init=False)
    scene_id: str = field(init=False)
    actions: list[Action] = field(init=False, default_factory=list)
    history: list[Consequence] = field(init=False, default_factory=list)
    chart: list[ChartPoint] = field(init=False, default_factory=list)
    _pending: str | None = field(init=False, default=None)  # where to resume after an event detour
    _fired: set[str] = field(init=False, default_factory=set)
    _was_true: dict[str, bool] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        story = self.story
        self._rules = tuple(
            (rule.per == "week", story.conditions[rule.condition], tuple(story.effects[e] for e in rule.effects))
            for rule in story.model.dynamics
        )
        self._reset()

    # --- reading the journey --------------------------------------------------------------

    @property
    def scene(self) -> Scene:
        return self.story.model.scenes[self.scene_id]

    @property
    def scene_text(self) -> str:
        """The scene's text as the learner reads it now: the paragraphs whose `if` holds in this state.

        The state does not change while the journey stands on a scene, so this is the text shown
        on arrival, whenever a player draws it again."""
        conditions, state = self.story.conditions, self.state
        return self.scene.text_for(lambda condition: conditions[condition](state))

    @property
    def day(self) -> int:
        return self.state.day

    @property
    def clock(self) -> str:
        return clock_text(self.state.day)

    @property
    def ended(self) -> bool:
        return self.scene.ending is not None

    @property
    def stats(self) -> dict[str, float]:
        return dict(self.state.stats)

    @property
    def flags(self) -> dict[str, bool]:
        return dict(self.state.flags)

    def choices(self) -> list[ChoiceView]:
        """The choices the player can see now; hidden ones (false `if`, no reason) are left out."""
        views = []
        for choice in self.scene.choices or ():
            if choice.once and choice.id in self.state.chosen:
                continue
            if choice.condition is None or self.story.conditions[choice.condition](self.state):
                views.append(ChoiceView(choice, True))
            elif choice.disabled_reason:
                views.append(ChoiceView(choice, False, choice.disabled_reason))
        return views

    # --- acting ----------------------------------------------------------------------------

    def choose(self, choice_id: str, outcome: int | None = None) -> Consequence:
        """Take an enabled choice; `outcome` forces a chance outcome (tools explore each one)."""
        if self.ended:
            raise ActionError("the story has ended")
        views = self.choices()
        view = next((v for v in views if v.id == choice_id), None)
        if view is None:
            raise ActionError(f"'{choice_id}' is not a choice in scene '{self.scene_id}' right now")
        if not view.enabled:
            raise ActionError(f"'{choice_id}' is not available: {view.reason}")
        choice = view.choice
        alternatives = tuple(v.id for v in views if v.enabled)
        chance = None
        if choice.chance:
            if outcome is None:
                weights = [o.weight for o in choice.chance]
                outcome = self._rng().choices(range(len(choice.chance)), weights)[0]
            if not 0 <= outcome < len(choice.chance):
                raise ActionError(f"choice '{choice_id}' has no chance outcome {outcome}")
            chance = choice.chance[outcome]
        target = (chance.goto if chance is not None else None) or choice.goto
        if target is None:  # the story checks refuse this; say so plainly rather than fail later
            raise ActionError(f"choice '{choice_id}' does not say which scene comes next")
        before = self._begin()
        repeat = choice.id in self.state.chosen
        self.state.chosen.add(choice.id)
        self._apply(choice.effects)
        self._pass_time(choice.advance)
        if chance is not None:
            self._apply(chance.effects)
            self._pass_time(chance.advance)
        action = Action("choose", choice.id, outcome=outcome if chance is not None else None)
        return self._finish(
            before, action, target,
            label=choice.label, step=choice.step, objectives=tuple(choice.objectives),
            category=choice.category, rating=choice.rating, critical=choice.critical,
            feedback=choice.feedback, references=tuple(choice.feedback.references),
            chance_text=chance.text if chance else None,
            points=0.0 if repeat else RATING_POINTS[choice.rating], max_points=0.0 if repeat else 1.0,
            alternatives=alternatives, repeat=repeat,
        )

    def answer(self, item: str, option_ids) -> Consequence:
        """Answer question `item` (the current scene's) with the option ids picked."""
        question = self.scene.question
        if question is None:
            raise ActionError(f"scene '{self.scene_id}' has no question")
        if question.id != item:
            raise ActionError(f"scene '{self.scene_id}' asks question '{question.id}', not '{item}'")
        picked = tuple(dict.fromkeys(option_ids))
        known = {unit.id for unit in question.units}
        unknown = [p for p in picked if p not in known]
        if unknown:
            raise ActionError(f"'{unknown[0]}' is not an option of question '{question.id}'")
        if question.type == "single_best" and len(picked) != 1:
            raise ActionError("a single-best-answer question takes exactly one option")
        if question.type == "select_n" and len(picked) != question.select:
            raise ActionError(f"this question asks you to select {question.select}: you picked {len(picked)}")
        problem = parts_problem(question, picked)
        if problem is not None:
            raise ActionError(problem)
        before = self._begin()
        state = self.state
        repeat = question.id in state.chosen
        points, max_points = (0.0, 0.0) if repeat else score_answer(question, picked)
        state.chosen.add(question.id)
        state.answers[question.id] = frozenset(picked)
        # In the written order, not the order picked: the same answer always has the same effect.
        for option in question.options:
            if option.id in state.answers[question.id]:
                self._apply(option.effects)
        self._apply(question.on_correct if fully_correct(question, picked) else question.on_incorrect)
        self._pass_time(question.advance)
        return self._finish(
            before, Action("answer", question.id, options=picked), question.goto,
            label=question.prompt, step=question.step, objectives=tuple(question.objectives),
            references=tuple(question.references), points=points, max_points=max_points, picked=picked,
            repeat=repeat,
        )

    def proceed(self) -> Consequence:
        """Go on from a scene that has `next` instead of choices."""
        if not self.scene.next:
            raise ActionError(f"scene '{self.scene_id}' needs a decision, it does not simply continue")
        before = self._begin()
        conditions = self.story.conditions
        target = next(r.goto for r in self.scene.next if r.condition is None or conditions[r.condition](self.state))
        return self._finish(before, Action("next"), target, label="Continue")

    def apply(self, action: Action) -> Consequence:
        """Perform a recorded action again (replay, undo, restoring a save)."""
        if action.kind == "choose":
            return self.choose(action.id, action.outcome)
        if action.kind == "answer":
            return self.answer(action.id, action.options)
        if action.kind == "next":
            return self.proceed()
        raise ActionError(f"unknown action kind '{action.kind}'")

    # --- undo and branching ----------------------------------------------------------------

    def fork(self) -> Session:
        """An independent copy of this journey, cheaper than replaying it (tools explore with it)."""
        twin = copy.copy(self)
        twin.state = State(dict(self.state.stats), dict(self.state.flags))
        twin.state.visited = set(self.state.visited)
        twin.state.chosen = set(self.state.chosen)
        twin.state.answers = dict(self.state.answers)
        twin.state.day = self.state.day
        twin.actions = list(self.actions)
        twin.history = list(self.history)
        twin.chart = list(self.chart)
        twin._fired = set(self._fired)
        twin._was_true = dict(self._was_true)
        return twin

    def fingerprint(self) -> tuple:
        """Everything that decides what can happen next; equal fingerprints have equal futures.

        History counts only where a condition or a once-only choice can see it, so journeys
        that differ only in what nothing looks at again share one fingerprint.
        """
        state, story = self.state, self.story
        return (
            self.scene_id, state.day, self._pending,
            # Values only: every session of a story keeps its stats and flags in the story's order,
            # and a tool keeps hundreds of thousands of these (names would multiply their size).
            tuple(state.stats.values()), tuple(state.flags.values()),
            frozenset(state.visited & story.watched_scenes), frozenset(state.chosen & story.watched_choices),
            frozenset((q, a) for q, a in state.answers.items() if q in story.watched_questions),
            frozenset(self._fired), tuple(sorted(self._was_true.items())),
        )

    def undo(self, to: int | None = None) -> None:
        """Go back to just before decision `to` (default: the last one). Practice mode only."""
        if self.mode != "practice":
            raise ActionError("undo is only allowed in practice mode")
        keep = len(self.actions) - 1 if to is None else to
        if not 0 <= keep < len(self.actions):
            raise ActionError("there is no such decision to go back to")
        self.replay(self.actions[:keep])

    def replay(self, actions) -> None:
        """Start again and perform `actions`; the journey they lead to is always the same."""
        self._reset()
        for action in list(actions):
            self.apply(action)

    def replay_fitting(self, actions) -> tuple[int, Exception | None]:
        """Start again and perform as many of `actions` as the story still allows.

        Returns how many were performed and, if one did not fit (the story changed since they
        were made), the error that stopped it. Saves, records and `--watch` all resume this way.
        """
        self._reset()
        for index, action in enumerate(list(actions)):
            try:
                self.apply(action)
            except (ActionError, KeyError, TypeError, ValueError) as error:
                return index, error
        return len(self.actions), None

    # --- the machinery ---------------------------------------------------------------------

    def _reset(self) -> None:
        model = self.story.model
        self.state = State({name: stat.start for name, stat in model.stats.items()}, dict(model.flags))
        self.actions = []
        self.history = []
        self._pending = None
        self._fired = set()
        self._was_true = {}
        self.scene_id = model.start
        self.chart = []
        self._arrive(model.start)
        self._snapshot()

    def _rng(self) -> random.Random:
        # One generator per decision, seeded from the seed and the decision's position: the
        # same journey prefix always meets the same luck, whatever came before it.
        return random.Random(f"{self.seed}:{len(self.actions)}")

    def _begin(self) -> tuple[str, int, dict[str, float]]:
        if self.ended:
            raise ActionError("the story has ended")
        return self.scene_id, self.state.day, dict(self.state.stats)

    def _finish(self, before, action: Action, target: str, **details) -> Consequence:
        scene, day_before, stats_before = before
        fired = self._go(target)
        stats_meta = self.story.model.stats
        changes = tuple(
            StatChange(name, stats_before[name], value, stats_meta[name].visible)
            for name, value in self.state.stats.items()
            if value != stats_before[name]
        )
        number = 0 if action.kind == "next" else 1 + next(
            (c.number for c in reversed(self.history) if c.kind != "next"), 0)
        consequence = Consequence(
            index=len(self.actions), number=number, kind=action.kind, scene=scene, id=action.id,
            day_before=day_before, day_after=self.state.day, next_scene=self.scene_id,
            changes=changes, events=fired, **details,
        )
        self.actions.append(action)
        self.history.append(consequence)
        self._snapshot()
        return consequence

    def _apply(self, effects) -> None:
        compiled = self.story.effects
        for effect in effects:
            compiled[effect](self.state)

    def _pass_time(self, days: int) -> None:
        # The hottest loop when tools explore: rules are bound to their compiled code once.
        state = self.state
        rules = self._rules
        for _ in range(days):
            state.day += 1
            weekly_too = state.day % 7 == 0
            for weekly, holds, effects in rules:
                if (weekly_too or not weekly) and holds(state):
                    for effect in effects:
                        effect(state)

    def _go(self, target: str) -> tuple[str, ...]:
        """Move to the next scene, letting a due event interrupt on the way."""
        if target == RESUME:
            if self._pending is None:  # the story checks refuse 'resume' outside event scenes
                raise ActionError(f"'resume' in scene '{self.scene_id}', but no event interrupted the journey")
            target, self._pending = self._pending, None
            # Its time already passed before the event interrupted; only its on-enter effects remain.
            self._arrive(target)
            return ()
        self._pass_entry_time(target)
        if self._pending is None:
            event = self._due_event()
            if event is not None:
                self._pending = target
                self._pass_entry_time(event.scene)
                self._arrive(event.scene)
                return (event.id,)
        if target in self.story.main_scenes:
            self._pending = None  # back on the main road: any detour is over
        self._arrive(target)
        return ()

    def _due_event(self):
        due = None
        for event in self.story.model.events:
            now = bool(self.story.conditions[event.when](self.state))
            if event.repeat:
                rising = now and not self._was_true.get(event.id, False)
                if rising and due is None:
                    due = event
                    self._was_true[event.id] = True
                elif not rising:
                    self._was_true[event.id] = now
            elif now and event.id not in self._fired and due is None:
                due = event
        if due is not None:
            self._fired.add(due.id)
        return due

    def _entry_runs(self, scene_id: str) -> bool:
        """Whether entering `scene_id` now runs its advance and on_enter.

        Only the first time, unless the scene says `repeat: every_entry`. Coming back to a hub
        ("assess again") is not a new day or a new admission, and an entry that quietly ran again
        would move the clock or the chart behind the author's back; `mmjourney check` names every
        scene that is entered again without saying which it means.
        """
        return self.story.model.scenes[scene_id].repeat == "every_entry" or scene_id not in self.state.visited

    def _pass_entry_time(self, scene_id: str) -> None:
        if self._entry_runs(scene_id):
            self._pass_time(self.story.model.scenes[scene_id].advance)

    def _arrive(self, scene_id: str) -> None:
        runs = self._entry_runs(scene_id)
        self.scene_id = scene_id
        self.state.visited.add(scene_id)
        if runs:
            self._apply(self.story.model.scenes[scene_id].on_enter)

    def _snapshot(self) -> None:
        self.chart.append(ChartPoint(self.state.day, dict(self.state.stats)))


def parts_problem(question: Question, picked) -> str | None:
    """Why `picked` is not an answer the player takes for an item made of parts (each part takes its number
    of answers: one per matrix row or blank, two of a bow-tie's actions), in the learner's words; None when
    it is one, or the item has no parts."""
    by_part = question.picks_by_part(picked)
    if question.pool:  # before the counts: '1a 2a' is a token used twice more than a slot left empty
        where: dict[str, list[str]] = {}
        for part in question.parts:
            for option in by_part[part.id]:
                where.setdefault(option, []).append(part.label)
        texts = {option.id: option.text for part in question.parts for option in part.options}
        for option, labels in where.items():
            if len(labels) > 1:
                return (f"'{texts[option]}' is placed in both '{labels[0]}' and '{labels[1]}': each goes in one "
                        f"{question.part_noun} only")
    for part in question.parts:
        count = len(by_part[part.id])
        if part.picks is None or count == part.picks:
            continue
        if count == 0:
            return f"answer every {question.part_noun}: '{part.label}' has no answer yet"
        return f"'{part.label}' takes {part.picks} answer{'s' if part.picks != 1 else ''}: you picked {count}"
    return None


def score_answer(question: Question, picked) -> tuple[float, float]:
    """Points for a question, as NCSBN scores them (item-writing.md): single best 0/1; select N 0/1 per pick
    (a point for each correct option among the N picked); select-all +1 per right pick, -1 per wrong, never
    below 0; matrix 0/1 per row; matrix multiple response +1 per right cell ticked, -1 per wrong one, each
    column never below 0 (a column is a select-all over the rows), the columns summed; drop-down cloze 0/1 per
    blank; rationale a point per linked pair with both blanks right, the first blank of the sentence (the
    action) linked to each other one: a dyad 1 point, a triad 2; bow-tie 0/1 per slot (1 condition, 2 actions,
    2 parameters: 5 points); highlight (text or table) as select-all, +1 per right phrase selected, -1 per wrong
    one, never below 0; drag-and-drop cloze 0/1 per slot, its rationale (dyad, triad) as a rationale, a point
    per linked pair; ordering 0/1 per position (our rule: NCSBN has none of its own). docs/authoring.md,
    section 8, gives the sources."""
    if question.has_parts:
        return _score_parts(question, picked)
    correct = question.correct_units
    if question.type == "single_best":
        return (1.0 if set(picked) == correct else 0.0), 1.0
    if question.type == "select_n":
        return float(sum(1 for p in picked if p in correct)), float(len(correct))
    right = sum(1 for p in picked if p in correct)
    wrong = len(picked) - right
    return float(max(0, right - wrong)), float(len(correct))


def _score_parts(question: Question, picked) -> tuple[float, float]:
    by_part = {part_id: set(options) for part_id, options in question.picks_by_part(picked).items()}
    parts = question.parts
    if question.type == "matrix_multiple":
        columns = [option.id for option in parts[0].options] if parts else []
        per_column = (sum(1 if column in part.correct else -1 for part in parts if column in by_part[part.id])
                      for column in columns)
        return float(sum(max(0, points) for points in per_column)), float(len(question.correct_units))
    if question.type == "bow_tie":
        return float(sum(len(by_part[part.id] & part.correct) for part in parts)), float(
            sum(part.picks or 0 for part in parts))
    right = [by_part[part.id] == part.correct for part in parts]
    if question.type in ("rationale", "drag_rationale"):
        first, *linked = right
        return float(sum(1 for other in linked if first and other)), float(len(linked))
    return float(sum(right)), float(len(parts))


def fully_correct(question: Question, picked) -> bool:
    """Exactly the correct options (every part right): what full marks, correct() and `on_correct` mean."""
    return set(picked) == question.correct_units


def correct_units(question: Question) -> list[Unit]:
    """What a fully correct answer picks, as written: the correct options, or each part's right options."""
    return [unit for unit in question.units if unit.correct]


def start(story: LoadedStory, seed: int = 0, mode: Mode = "practice") -> Session:
    """Begin a new journey through `story`."""
    return Session(story, seed, mode)
