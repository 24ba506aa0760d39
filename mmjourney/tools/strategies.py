"""Naive players: a learner who answers by the shape of the options, not by clinical judgment.

Each strategy is a fixed policy over what the learner sees (the journey layer's Prompt, in
the order shown), used by `mmjourney check` and `mmjourney randomtest --strategy`:

first     the first open choice shown; single-best questions: the first option
last      the last open choice shown; single-best questions: the last option
longest   the open choice with the longest label; single-best questions: the longest option text
shortest  the open choice with the shortest label; single-best questions: the shortest option text

Ties go to the option shown first. Greyed-out choices are skipped, as a learner cannot take them.
A naive player does not know how many options of a select-all-that-apply question are right,
so it ticks half of them (rounded up), picked by its own rule: the first half, the last half,
the longest half or the shortest half. Ticking every option is not a separate player: under
the +1/-1 scoring it earns nothing unless more than half the options are right. A select-N
question says how many to pick: the naive player picks that many by its rule. An item made of
parts (a matrix) is answered part by part by the same rule: in each row the first, last, longest
or shortest column, or where a row takes any number (matrix multiple response), half of them; a drag-and-drop
pool or an ordering item's tokens in the rule's order, slot after slot, each token placed once.

A strategy decides the same way every time, so its journeys differ only by the seed: the luck
of chance outcomes and the order shown, which is shuffled per journey unless a scene or question
says `order: fixed`. `mmjourney play --seed N` followed by the same rule reproduces any journey
reported here.

The order shown makes the two kinds of rule differ. A rule of length picks the same option
whatever the order. A rule of position (first, last) picks whatever the shuffle put there: a
guess, right about one time in the number of options. So each journey of a rule of position is
played again on the same seed with every order shuffled, `order: fixed` too (its luck): where
it does better as shown than so, the fixed orders give the key away (see itemwriting.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable

from ..engine import Action, Session, debrief
from ..journey import Ask, Choose, Ended, Fill, Read, prompt_of
from ..story import LoadedStory
from ..story.model import DEFAULT_PASS_MARK

NAIVE_SEEDS = 50  # seeds each strategy plays in `check`
MAX_STEPS = 1_000  # decisions before a naive journey counts as endless (always the same loop back, say)
# In `check`: the longest naive journey through the bundled curriculum takes 23 decisions, so one still
# going after 200 is going round a loop; playing it to 1,000 cost seconds for nothing on such a story.
CHECK_MAX_STEPS = 200


@dataclass(frozen=True)
class Strategy:
    """A naive rule: `rank(position, text)` orders what is shown, the lowest first; `description` completes
    "a learner who ..." in reports."""

    name: str
    description: str
    rank: Callable[[int, str], tuple[int, int]]
    positional: bool  # picks by the place shown (first, last), not by the text: the shuffle decides

    def order(self, texts: list[str]) -> list[int]:
        """Positions of `texts` in the order this strategy prefers them (a stable sort: ties go first shown)."""
        return sorted(range(len(texts)), key=lambda position: self.rank(position, texts[position]))

    def action(self, prompt: Choose | Ask | Fill) -> Action | None:
        """What this strategy does at a choice or a question; None when no choice is open."""
        if isinstance(prompt, Choose):
            views = prompt.open
            if not views:
                return None
            return Action("choose", views[self.order([view.choice.label for view in views])[0]].id)
        if isinstance(prompt, Fill):
            picks = []
            for number, view in enumerate(prompt.parts, 1):
                ranked = self.order([option.text for option in view.options])
                if prompt.pool:  # a token already placed is not placed again: the next the rule prefers
                    ranked = ranked[len(picks):]
                count = view.part.picks or (len(view.options) + 1) // 2
                picks += [(number, position + 1) for position in ranked[:count]]
            return prompt.answer(picks)
        options = prompt.options
        ranked = self.order([option.text for option in options])
        count = prompt.picks or (len(options) + 1) // 2
        ticked = {options[p].id for p in ranked[:count]}
        # In the written order, as walkthroughs and the expert write answers: the same answer reads the same.
        return Action("answer", prompt.question.id,
                      options=tuple(option.id for option in prompt.question.selectable if option.id in ticked))


NAIVE: tuple[Strategy, ...] = (
    Strategy("first", "always picks the first option shown", lambda position, text: (position, 0), True),
    Strategy("last", "always picks the last option shown", lambda position, text: (-position, 0), True),
    Strategy("longest", "always picks the longest option", lambda position, text: (-len(text), position), False),
    Strategy("shortest", "always picks the shortest option", lambda position, text: (len(text), position), False),
)
NAMES: tuple[str, ...] = tuple(strategy.name for strategy in NAIVE)


def strategy_named(name: str) -> Strategy:
    return next(strategy for strategy in NAIVE if strategy.name == name)


def pass_mark(story: LoadedStory) -> float:
    """The percent a journey needs to pass: the story's `pass_mark` (80 unless it sets one)."""
    return story.model.pass_mark


@dataclass(frozen=True)
class Journey:
    """One naive journey: where it ended and how it scored."""

    seed: int
    session: Session
    ending: str | None = None  # the ending scene; None when the journey did not reach one
    kind: str | None = None  # the ending's kind: good, mixed or poor
    percent: float | None = None  # None when nothing was scored
    critical: int = 0
    failure: str = ""  # "dead-end", "no-ending" or "engine-failure" when it did not reach an ending
    message: str = ""  # what went wrong, in an author's words


def fixed_order(story: LoadedStory) -> bool:
    """Whether some scene or question of `story` is shown in its written order (`order: fixed`)."""
    return any(scene.order == "fixed" or (scene.question is not None and scene.question.order == "fixed")
               for scene in story.model.scenes.values())


def play(story: LoadedStory, strategy: Strategy, seed: int, max_steps: int = MAX_STEPS,
         shuffle_fixed: bool = False) -> Journey:
    """Play `story` with `strategy` from the start, the engine's luck seeded by `seed`; with `shuffle_fixed`,
    as if no scene or question said `order: fixed`."""
    session = Session(story, seed)
    for _ in range(max_steps):
        prompt = prompt_of(session, shuffle_fixed)
        if isinstance(prompt, Ended):
            report = debrief(session)
            return Journey(seed, session, session.scene_id, report.ending_kind, report.overall.percent,
                           len(report.critical_errors))
        action = Action("next") if isinstance(prompt, Read) else strategy.action(prompt)
        if action is None:
            return Journey(seed, session, failure="dead-end",
                           message=f"got stuck in scene '{session.scene_id}': no choice is open there")
        try:
            session.apply(action)
        except Exception as error:  # noqa: BLE001 - reported as a failure of this journey, as randomtest does
            return Journey(seed, session, failure="engine-failure",
                           message=f"met an internal error in scene '{session.scene_id}': "
                                   f"{type(error).__name__}: {error}")
    return Journey(seed, session, failure="no-ending",
                   message=f"reached no ending after {max_steps:,} decisions (last in scene '{session.scene_id}')")


@dataclass(frozen=True)
class Example:
    """The first journey of a strategy that did well: its seed (or playthrough number) and score."""

    number: int
    percent: float | None
    actions: tuple[Action, ...] = ()  # the decisions, so that a report can show how to replay it

    def to_json(self) -> dict:
        return {"seed": self.number, "percent": None if self.percent is None else round(self.percent, 2)}


@dataclass
class Summary:
    """How one strategy did over many journeys: the score range, good endings and passes."""

    strategy: str
    pass_mark: float = DEFAULT_PASS_MARK
    playthroughs: int = 0
    low: float | None = None  # lowest and highest percent over the journeys that reached an ending
    high: float | None = None
    good: int = 0  # journeys that reached a good ending
    passed: int = 0  # journeys that ended with at least the pass mark and no critical error
    unended: int = 0  # journeys that reached no ending
    good_example: Example | None = None  # the first journey to a good ending
    pass_example: Example | None = None  # the first journey that passed
    stopped: bool = False  # the time limit cut the journeys short
    # A rule of position only: good endings and passes on the same seeds with every order shuffled (its luck).
    luck_good: int | None = None
    luck_passed: int | None = None

    def passes(self, percent: float | None, critical: int) -> bool:
        return percent is not None and percent >= self.pass_mark and not critical

    def add(self, number: int, ending_kind: str | None, percent: float | None, critical: int,
            actions: tuple[Action, ...] = ()) -> None:
        """Count one journey; `number` is its seed, or for random play its playthrough number."""
        self.playthroughs += 1
        if ending_kind is None:
            self.unended += 1
            return
        if percent is not None:
            self.low = percent if self.low is None else min(self.low, percent)
            self.high = percent if self.high is None else max(self.high, percent)
        if ending_kind == "good":
            self.good += 1
            if self.good_example is None:
                self.good_example = Example(number, percent, actions)
        if self.passes(percent, critical):
            self.passed += 1
            if self.pass_example is None:
                self.pass_example = Example(number, percent, actions)

    def add_luck(self, journey: Journey) -> None:
        """Count the luck of a rule of position: `journey` played with every order shuffled."""
        self.luck_good = (self.luck_good or 0) + (journey.kind == "good")
        self.luck_passed = (self.luck_passed or 0) + self.passes(journey.percent, journey.critical)

    def share(self, count: int) -> float:
        return 100.0 * count / self.playthroughs if self.playthroughs else 0.0

    def to_json(self) -> dict:
        return {
            "strategy": self.strategy, "pass_mark": self.pass_mark, "playthroughs": self.playthroughs,
            "score": None if self.low is None or self.high is None else [round(self.low, 2), round(self.high, 2)],
            "good": self.good, "passed": self.passed, "unended": self.unended,
            "good_example": self.good_example.to_json() if self.good_example else None,
            "pass_example": self.pass_example.to_json() if self.pass_example else None,
            "luck": None if self.luck_good is None else {"good": self.luck_good, "passed": self.luck_passed},
            "stopped": self.stopped,
        }


def luck(story: LoadedStory, strategy: Strategy, journey: Journey, fixed: bool, max_steps: int) -> Journey | None:
    """`journey` (of `strategy`) played again with every order shuffled; None for a rule of length, which the
    order does not move. Without a fixed order (`fixed` is `fixed_order(story)`) that is `journey` itself."""
    if not strategy.positional:
        return None
    return play(story, strategy, journey.seed, max_steps, shuffle_fixed=True) if fixed else journey


def summarise(story: LoadedStory, strategies: Iterable[Strategy] = NAIVE, seeds: Iterable[int] = range(NAIVE_SEEDS),
              max_seconds: float | None = None, max_steps: int = MAX_STEPS) -> list[Summary]:
    """Play each strategy once per seed; stop after `max_seconds` (the summaries say so).

    Seeds go round all the strategies in turn, so a time limit cuts each strategy equally short.
    A rule of position also plays each seed for its luck (`luck`).
    """
    chosen = list(strategies)
    mark = pass_mark(story)
    fixed = fixed_order(story)
    summaries = [Summary(strategy.name, mark) for strategy in chosen]
    began = time.perf_counter()
    for seed in seeds:
        if max_seconds is not None and time.perf_counter() - began > max_seconds:
            for summary in summaries:
                summary.stopped = True
            break
        for strategy, summary in zip(chosen, summaries, strict=True):
            journey = play(story, strategy, seed, max_steps)
            summary.add(seed, journey.kind, journey.percent, journey.critical, tuple(journey.session.actions))
            lucky = luck(story, strategy, journey, fixed, max_steps)
            if lucky is not None:
                summary.add_luck(lucky)
    return summaries
