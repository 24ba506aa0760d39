"""`mmjourney randomtest`: many seeded random playthroughs, preferring what has been used least.

Like ChoiceScript's randomtest, each playthrough starts at the beginning and picks its way
to an ending: at each choice it takes one of the open choices used least so far (ties
broken by the seeded random generator), chance outcomes happen with their weights, and
questions get a random answer. It counts visits per scene, choice and ending, the scores
reached at each ending, and reports any playthrough that gets stuck, runs on without end
or meets an error, with the seed and the decisions that reproduce it.

With a naive strategy instead (`strategy="longest"`, see `strategies.py`), playthrough N is
that strategy played with the engine's seed S + N - 1: the same rule at every decision, only
the luck of chance outcomes and of the order shown differs (a rule of position also counts
its luck, as `check` does). Every run sums up, per strategy, the score range, the share of
good endings and the share of passes (the pass mark with no critical error).

The engine is deterministic, so the outcome of a decision in a situation (a state
fingerprint) is always the same. The first time a decision is taken in a situation the
engine plays it; after that the result is reused. A run of 10,000 playthroughs therefore
costs little more than the distinct situations it meets (`cache=False` plays every step
with the engine, for comparison).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import Action, Session, score_answer
from ..journey import Ask, Choose, Fill, prompt_of
from ..journey.preview import light
from ..story import LoadedStory
from .check import Finding, open_story, step_text, validation_findings
from .explore import DEFAULT_MAX_SECONDS, MAX_STATE_VALUES
from .locations import SourceMap
from .strategies import Summary, fixed_order, luck, pass_mark, play, strategy_named

MAX_STEPS = 1_000
MAX_CACHED = 200_000  # situations kept; past this the cache starts afresh to bound memory


@dataclass
class Failure:
    kind: str  # "dead-end", "no-ending", "engine-failure"
    scene: str
    message: str
    playthrough: int  # numbered from 1
    steps: tuple[str, ...]
    count: int = 1

    def to_json(self) -> dict:
        return {"kind": self.kind, "scene": self.scene, "message": self.message, "playthrough": self.playthrough,
                "steps": list(self.steps), "count": self.count}


@dataclass
class RandomTest:
    file: str
    story_id: str | None = None
    fragment: bool = False
    problems: list[Finding] = field(default_factory=list)  # the story did not load
    playthroughs: int = 0
    seed: int = 0
    seconds: float = 0.0
    decisions: int = 0
    engine_steps: int = 0  # decisions the engine played (the rest came from the cache)
    scenes: dict[str, int] = field(default_factory=dict)  # visits, every scene listed
    choices: dict[str, int] = field(default_factory=dict)  # times taken, every choice listed
    endings: dict[str, int] = field(default_factory=dict)  # playthroughs ending there, every ending listed
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # ending -> (lowest, highest) percent
    failures: list[Failure] = field(default_factory=list)
    stopped: str = ""  # why fewer playthroughs were played than asked for, when they were
    where: dict[str, tuple[str, int | None, int | None]] = field(default_factory=dict)  # "scene:x" -> location
    choice_scenes: dict[str, str] = field(default_factory=dict)  # choice id -> its scene
    strategy: str = "random"
    summary: Summary | None = None  # score range, good endings and passes over the playthroughs

    @property
    def per_second(self) -> float:
        return self.playthroughs / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict:
        return {
            "file": self.file, "story": self.story_id, "fragment": self.fragment,
            "problems": [p.to_json() for p in self.problems], "playthroughs": self.playthroughs, "seed": self.seed,
            "seconds": round(self.seconds, 4), "per_second": round(self.per_second), "decisions": self.decisions,
            "engine_steps": self.engine_steps, "scenes": self.scenes, "choices": self.choices,
            "endings": self.endings, "scores": {k: list(v) for k, v in self.scores.items()},
            "failures": [f.to_json() for f in self.failures], "stopped": self.stopped,
            "strategy": self.strategy, "summary": self.summary.to_json() if self.summary else None,
        }


class _Node:
    """One situation met during the playthroughs, and what each decision there led to.

    `kind` is the Prompt's kind, or "dead" for a decision with no open choice (a playthrough stuck there).
    """

    __slots__ = ("session", "scene_id", "kind", "ask", "options", "edges")

    def __init__(self, session: Session) -> None:
        self.session = session
        self.scene_id = session.scene_id
        prompt = prompt_of(session)
        self.kind: str = prompt.kind
        self.ask = prompt if isinstance(prompt, (Ask, Fill)) else None  # not the whole Prompt: nodes are many
        # (choice id, chance weights or None) for each open choice, in the order shown
        self.options: list[tuple[str, tuple[int, ...] | None]] = []
        if isinstance(prompt, Choose):
            for view in prompt.open:
                chance = view.choice.chance
                self.options.append((view.id, tuple(o.weight for o in chance) if chance else None))
            if not self.options:
                self.kind = "dead"
        self.edges: dict = {}


class _Runner:
    def __init__(self, story: LoadedStory, seed: int, max_steps: int, cache: bool) -> None:
        self.story = story
        self.rng = random.Random(seed)
        self.max_steps = max_steps
        self.cache = cache
        # As for exploration: fewer situations kept for a story whose situations hold very many values.
        width = 1 + len(story.model.stats) + len(story.model.flags)
        self.max_cached = max(1, min(MAX_CACHED, MAX_STATE_VALUES // width))
        self.nodes: dict[tuple, _Node] = {}
        self.start = self.node(light(Session(story, 0)))
        self.used: Counter = Counter()
        self.engine_steps = 0

    def node(self, session: Session) -> _Node:
        if not self.cache:
            return _Node(session)
        key = session.fingerprint()
        found = self.nodes.get(key)
        if found is None:
            if len(self.nodes) >= self.max_cached:
                self.nodes.clear()
            found = self.nodes[key] = _Node(session)
        return found

    def follow(self, node: _Node, key, action: Action):
        """(next node, points, max points, critical) for `action`, or the error text it raised."""
        self.engine_steps += 1
        child = node.session.fork()
        try:
            consequence = child.apply(action)
            edge = (self.node(light(child)), consequence.points, consequence.max_points, consequence.critical)
        except Exception as error:  # noqa: BLE001 - reported as a failure of this playthrough
            edge = f"{type(error).__name__}: {error}"
        if self.cache:
            node.edges[key] = edge
        return edge

    def pick(self, candidates: list):
        counts = [self.used[c] for c in candidates]
        lowest = min(counts)
        least = [c for c, n in zip(candidates, counts, strict=True) if n == lowest]
        return least[0] if len(least) == 1 else least[self.rng.randrange(len(least))]


def _action(step: tuple) -> Action:
    kind, ident, detail = step
    if kind == "choose":
        return Action("choose", ident, outcome=detail)
    if kind == "answer":
        return Action("answer", ident, options=detail)
    return Action("next")


def _random_parts(fill: Fill, rng: random.Random) -> tuple[str, ...]:
    """A random answer that the player takes: in each part as many options as it asks for (a random half,
    on average, where it takes any number), in the order written; from a pool, a different token in each part."""
    parts = fill.question.parts
    if fill.pool:  # each token in one part at most
        tokens = rng.sample([option.id for option in parts[0].options], len(parts))
        return fill.answer_of(part.unit(token) for part, token in zip(parts, tokens, strict=True)).options
    picked: set[str] = set()
    for part in parts:
        ids = [part.unit(option.id) for option in part.options]
        picked |= set(rng.sample(ids, part.picks) if part.picks else [i for i in ids if rng.random() < 0.5])
    return tuple(unit.id for unit in fill.question.units if unit.id in picked)


def _note_failure(failures: dict[tuple[str, str], Failure], what: str, scene: str, message: str, number: int,
                  actions) -> None:
    """Keep the first journey that failed this way in this scene (its decisions reproduce it); count the rest."""
    known = failures.get((what, scene))
    if known is None:
        texts = (step_text(action) for action in actions)
        failures[(what, scene)] = Failure(what, scene, message, number, tuple(t for t in texts if t is not None))
    else:
        known.count += 1


def _tally(result: RandomTest, model, scenes: Mapping[str, int], choices: Mapping[str, int],
           endings: Mapping[str, int], scores: dict[str, tuple[float, float]],
           failures: dict[tuple[str, str], Failure], summary: Summary) -> RandomTest:
    """The counts of every scene, choice and ending (zero for those never reached) into `result`."""
    result.scenes = {name: scenes.get(name, 0) for name in model.scenes}
    result.choices = {c.id: choices.get(c.id, 0) for s in model.scenes.values() for c in s.choices or ()}
    result.choice_scenes = {c.id: name for name, s in model.scenes.items() for c in s.choices or ()}
    result.endings = {name: endings.get(name, 0) for name, s in model.scenes.items() if s.ending}
    result.scores = scores
    result.failures = list(failures.values())
    result.summary = summary
    return result


def run(story: LoadedStory, playthroughs: int, seed: int = 0, max_steps: int = MAX_STEPS, cache: bool = True,
        display: str | None = None, progress=None, max_seconds: float | None = DEFAULT_MAX_SECONDS) -> RandomTest:
    """Play `playthroughs` random journeys through a loaded story, stopping early after `max_seconds`."""
    model = story.model
    result = RandomTest(display or str(story.path), model.id, seed=seed)
    runner = _Runner(story, seed, max_steps, cache)
    rng = runner.rng
    choices_of = rng.choices
    scene_visits: Counter = Counter()
    used: Counter = runner.used
    ending_counts: Counter = Counter()
    scores: dict[str, tuple[float, float]] = {}
    failures: dict[tuple[str, str], Failure] = {}
    summary = Summary("random", pass_mark(story))
    kinds = {name: scene.ending.kind for name, scene in model.scenes.items() if scene.ending}
    decisions = 0
    next_step = ("next", "", None)
    began = time.perf_counter()
    played = 0
    for number in range(1, playthroughs + 1):
        if progress is not None and number % 1000 == 0:
            progress(number)
        if max_seconds is not None and time.perf_counter() - began > max_seconds:
            result.stopped = (f"stopped after {played:,} playthroughs / {time.perf_counter() - began:.1f} seconds "
                              "(the time limit, --max-seconds): the story is too large to test fully; results "
                              "are partial")
            break
        played = number
        node = runner.start
        steps: list[tuple] = []  # (kind, id, outcome or options): turned into Actions only when needed
        points = max_points = 0.0
        critical = 0
        scored: set[str] = set()  # as in the engine, a decision scores the first time only
        failure = None
        for _ in range(max_steps):
            scene_visits[node.scene_id] += 1
            kind = node.kind
            if kind == "choose":
                options = node.options
                option = options[0] if len(options) == 1 else runner.pick(options)
                used[option] += 1
                choice_id, weights = option
                outcome = None if weights is None else (
                    choices_of(range(len(weights)), weights)[0] if len(weights) > 1 else 0)
                step = ("choose", choice_id, outcome)
                key = (choice_id, outcome)
            elif kind == "ended":
                ending_counts[node.scene_id] += 1
                percent = 100.0 if max_points == 0 else 100.0 * points / max_points
                low, high = scores.get(node.scene_id, (percent, percent))
                scores[node.scene_id] = (min(low, percent), max(high, percent))
                summary.add(number, kinds[node.scene_id], percent if max_points else None, critical)
                break
            elif kind == "read":
                step = key = next_step
            elif kind == "fill":
                fill = node.ask
                assert isinstance(fill, Fill)  # a node of kind "fill" keeps its question
                question = fill.question
                picked = _random_parts(fill, rng)
                for option in picked:
                    used[(question.id, option)] += 1
                step = ("answer", question.id, picked)
                key = "answer" if fill.matters is None else ("answer", frozenset(picked))
            elif kind == "ask":
                ask = node.ask
                assert isinstance(ask, Ask)  # a node of kind "ask" keeps its question
                question = ask.question
                ids = [o.id for o in ask.options]
                if ask.single:
                    picked = (runner.pick([(question.id, i) for i in ids])[1],)
                elif ask.picks:
                    picked = tuple(rng.sample(ids, ask.picks))
                else:
                    picked = tuple(i for i in ids if rng.random() < 0.5) or (rng.choice(ids),)
                for option in picked:
                    used[(question.id, option)] += 1
                step = ("answer", question.id, picked)
                # Most questions lead on the same way whatever the answer (only the score differs).
                key = "answer" if ask.matters is None else ("answer", frozenset(picked))
            else:
                failure = ("dead-end", f"got stuck in scene '{node.scene_id}': no choice is open there")
                break
            steps.append(step)
            decisions += 1
            edge = node.edges.get(key) or runner.follow(node, key, _action(step))
            if edge.__class__ is str:
                failure = ("engine-failure", f"met an internal error in scene '{node.scene_id}': {edge}")
                break
            if kind in ("ask", "fill") and question.id not in scored:
                scored.add(question.id)
                gained, most = score_answer(question, step[2])
                points += gained
                max_points += most
            elif kind == "choose" and step[1] not in scored:
                scored.add(step[1])
                points += edge[1]
                max_points += edge[2]
                critical += edge[3]
            node = edge[0]
        else:
            failure = ("no-ending", f"reached no ending after {max_steps:,} decisions (last in scene "
                                    f"'{node.scene_id}'): the story may go round in circles")
        if failure is not None:
            summary.add(number, None, None, critical)
            what, message = failure
            _note_failure(failures, what, node.scene_id, message, number, (_action(step) for step in steps))
    result.seconds = time.perf_counter() - began
    result.playthroughs = played
    result.decisions = decisions
    result.engine_steps = runner.engine_steps
    choice_totals: Counter = Counter()
    for (ident, _), count in used.items():
        choice_totals[ident] += count
    return _tally(result, model, scene_visits, choice_totals, ending_counts, scores, failures, summary)


def run_strategy(story: LoadedStory, name: str, playthroughs: int, seed: int = 0, max_steps: int = MAX_STEPS,
                 display: str | None = None, progress=None,
                 max_seconds: float | None = DEFAULT_MAX_SECONDS) -> RandomTest:
    """Play `story` with the naive strategy `name`, playthrough N with seed `seed` + N - 1.

    A journey that never ends is the strategy's doing (always the choice that loops back), not
    the story's: it is counted in the summary, not reported as a failure.
    """
    model = story.model
    strategy = strategy_named(name)
    result = RandomTest(display or str(story.path), model.id, seed=seed, strategy=name)
    summary = Summary(name, pass_mark(story))
    fixed = fixed_order(story)
    scenes: Counter = Counter()
    choices: Counter = Counter()
    endings: Counter = Counter()
    scores: dict[str, tuple[float, float]] = {}
    failures: dict[tuple[str, str], Failure] = {}
    began = time.perf_counter()
    for number in range(1, playthroughs + 1):
        if progress is not None and number % 100 == 0:
            progress(number)
        if max_seconds is not None and time.perf_counter() - began > max_seconds:
            result.stopped = (f"stopped after {result.playthroughs:,} playthroughs / "
                              f"{time.perf_counter() - began:.1f} seconds (the time limit, --max-seconds): the "
                              "story is too large to test fully; results are partial")
            break
        journey = play(story, strategy, seed + number - 1, max_steps)
        session = journey.session
        result.playthroughs = number
        result.decisions += len(session.actions)
        summary.add(number, journey.kind, journey.percent, journey.critical)
        lucky = luck(story, strategy, journey, fixed, max_steps)
        if lucky is not None:
            summary.add_luck(lucky)
        scenes.update(consequence.scene for consequence in session.history)
        scenes[session.scene_id] += 1
        choices.update(consequence.id for consequence in session.history if consequence.kind == "choose")
        if journey.ending is not None:
            endings[journey.ending] += 1
            percent = 100.0 if journey.percent is None else journey.percent
            low, high = scores.get(journey.ending, (percent, percent))
            scores[journey.ending] = (min(low, percent), max(high, percent))
        elif journey.failure != "no-ending":
            _note_failure(failures, journey.failure, session.scene_id, journey.message, number, session.actions)
    result.seconds = time.perf_counter() - began
    result.engine_steps = result.decisions
    return _tally(result, model, scenes, choices, endings, scores, failures, summary)


def locate(story: LoadedStory, result: RandomTest, display: str | None = None) -> None:
    """Fill in where each scene and choice is written, for reports."""
    sources = SourceMap(story, display)
    for scene_id, scene in story.model.scenes.items():
        result.where[f"scene:{scene_id}"] = sources.where(("scenes", scene_id), at_key=True)
        for number, choice in enumerate(scene.choices or ()):
            result.where[f"choice:{choice.id}"] = sources.where(("scenes", scene_id, "choices", number))


def randomtest_file(path: str | Path, display: str | None, playthroughs: int, seed: int, max_steps: int,
                    cache: bool, max_seconds: float | None = DEFAULT_MAX_SECONDS, strategy: str = "random",
                    progress=None) -> RandomTest:
    display = display or str(path)
    opened = open_story(path, display)
    if opened.fragment:
        return RandomTest(display, fragment=True, strategy=strategy)
    if opened.error is not None:
        return RandomTest(display, problems=validation_findings(opened.error.errors), strategy=strategy)
    if strategy == "random":
        result = run(opened.story, playthroughs, seed, max_steps, cache, display, progress, max_seconds)
    else:
        result = run_strategy(opened.story, strategy, playthroughs, seed, max_steps, display, progress, max_seconds)
    locate(opened.story, result, display)
    return result
