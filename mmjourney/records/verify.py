"""Checks on a handed-in attempt: do its numbers add up, and does a replay of its decisions agree?

A result file's integrity hash uses no secret, so it shows accidental damage, not forgery: a learner
who owns the machine can change a score and recompute the hash. These checks make such an edit show:

- `check_consistency(record)` needs no story: every score lies between 0 and its maximum, every
  percent is its points over its maximum, the overall, step, objective and category tallies add up
  from the decisions, the decisions are the choices and answers among the actions, the critical
  errors are the decisions marked critical, the verdict (safe, passed) follows from the score, the
  critical errors and the pass mark, and an attempt is completed exactly when it has an ending.
- `check_replay(record, story)`, when the story the attempt names (same id and content hash) is on
  this machine: the scenes, choices and options named exist in it, and replaying the seed and the
  actions gives the same scores, critical errors, ending, decisions and labs as the file.

A learner who recomputes every number consistently and plays the story to the end can still hand in
a file that passes: only attempts kept by the classroom server are the educator's own evidence.
Each check raises `Mismatch` with the reason in an educator's words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..engine import ActionError, Session, verdict
from ..journey.attempt import build_record
from ..journey.record import AttemptRecord, DecisionRecord, ScoreTally
from ..journey.text import count_text
from ..story import LoadedStory

# Percents are stored rounded to two places; sums of float points may differ in the last bits.
PERCENT_ROUNDING = 0.005 + 1e-9
POINTS_TOLERANCE = 1e-6

NOT_ON_THIS_MACHINE = "not replayed: story not on this machine"
REPLAYED = "replayed: matches"


class Mismatch(ValueError):
    """Why an attempt's numbers cannot be trusted."""


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= POINTS_TOLERANCE * max(1.0, abs(a), abs(b))


def _n(value: float) -> str:
    return f"{value:g}"


# --- without the story -----------------------------------------------------------------------------


def _check_tally(name: str, tally: ScoreTally, decisions: list[DecisionRecord]) -> None:
    if not all(math.isfinite(v) for v in (tally.points, tally.max_points)):
        raise Mismatch(f"{name}: the points are not finite numbers")
    if not 0 <= tally.points <= tally.max_points:
        raise Mismatch(f"{name}: {_n(tally.points)} points is outside 0 to its maximum of {_n(tally.max_points)}")
    expected = None if tally.max_points == 0 else 100 * tally.points / tally.max_points
    if (tally.percent is None) != (expected is None) or (
            expected is not None and abs(tally.percent - expected) > PERCENT_ROUNDING):  # type: ignore[operator]
        raise Mismatch(f"{name}: the percent ({tally.percent}) does not match its points "
                       f"({_n(tally.points)} of {_n(tally.max_points)})")
    points = sum(d.points for d in decisions)
    most = sum(d.max_points for d in decisions)
    if tally.decisions != len(decisions) or not _close(tally.points, points) or not _close(tally.max_points, most):
        raise Mismatch(f"{name} does not add up from the decisions (it says {tally.decisions} decisions, "
                       f"{_n(tally.points)} of {_n(tally.max_points)} points; the decisions give {len(decisions)}, "
                       f"{_n(points)} of {_n(most)})")


def _check_group(group: str, tallies: dict[str, ScoreTally], members: dict[str, list[DecisionRecord]]) -> None:
    if set(tallies) != set(members):
        extra = sorted(set(tallies) ^ set(members))
        raise Mismatch(f"scores.{group} does not match the decisions (see '{extra[0]}')")
    for key, tally in tallies.items():
        _check_tally(f"scores.{group}.{key}", tally, members[key])


def check_consistency(record: AttemptRecord) -> None:
    """Raises Mismatch unless the attempt's numbers agree with one another (no story needed)."""
    decisions = list(record.decisions)
    actions = record.actions
    if len(record.decided_at) != len(actions):
        raise Mismatch(f"decided_at has {len(record.decided_at)} times for {len(actions)} actions")
    asked = [i for i, a in enumerate(actions) if a.kind in ("choose", "answer")]
    positions = [d.position for d in decisions]
    if positions != sorted(set(positions)) or not set(positions) <= set(asked) or \
            not {i for i in asked if actions[i].kind == "choose"} <= set(positions):
        raise Mismatch(f"the {len(decisions)} decisions do not match the {len(asked)} choices and answers "
                       "among the actions")
    for index, d in enumerate(decisions):
        action = actions[d.position]
        where = f"decisions[{index}]"
        if action.kind != d.kind or (d.kind == "choose" and d.response != (action.id,)) or (
                d.kind == "answer" and (d.item != action.id or d.response != action.options)):
            raise Mismatch(f"{where} does not match action {d.position} (what was chosen differs)")
        if not (math.isfinite(d.points) and math.isfinite(d.max_points) and 0 <= d.points <= d.max_points
                and d.max_points > 0):
            raise Mismatch(f"{where}: {_n(d.points)} points is outside 0 to its maximum of {_n(d.max_points)}")
    _check_tally("scores.overall", record.scores.overall, decisions)
    by_step: dict[str, list[DecisionRecord]] = {}
    by_objective: dict[str, list[DecisionRecord]] = {}
    by_category: dict[str, list[DecisionRecord]] = {}
    for d in decisions:
        if d.step is not None:
            by_step.setdefault(d.step, []).append(d)
        for objective in d.objectives:
            by_objective.setdefault(objective, []).append(d)
        if d.category:
            by_category.setdefault(d.category, []).append(d)
    _check_group("by_step", record.scores.by_step, by_step)
    _check_group("by_objective", record.scores.by_objective, by_objective)
    _check_group("by_category", record.scores.by_category, by_category)
    if [c.position for c in record.critical_errors] != [d.position for d in decisions if d.critical]:
        raise Mismatch("the critical errors listed are not the decisions marked critical")
    _check_verdict(record)
    _check_carried(record)
    if record.status == "completed" and record.ending is None:
        raise Mismatch("the attempt is marked completed but reached no ending")
    if record.ending is not None and record.status != "completed":
        raise Mismatch("the attempt reached an ending but is not marked completed")


def _check_verdict(record: AttemptRecord) -> None:
    judged = record.verdict
    if not (math.isfinite(judged.pass_mark) and 0 <= judged.pass_mark <= 100):
        raise Mismatch(f"the pass mark ({_n(judged.pass_mark)}%) is outside 0 to 100")
    safe, passed = verdict(record.scores.overall.percent, len(record.critical_errors), record.status == "completed",
                           judged.pass_mark)
    if judged.safe != safe:
        raise Mismatch(f"the verdict says {'safe' if judged.safe else 'unsafe'}, but the attempt has "
                       f"{count_text(len(record.critical_errors), 'critical error')}")
    if judged.passed != passed:
        raise Mismatch(f"the verdict says {'passed' if judged.passed else 'not passed'}, but the score "
                       f"({record.scores.overall.percent}%), the critical errors and the pass mark "
                       f"({_n(judged.pass_mark)}%) say {'passed' if passed else 'not passed'}")
    if record.undone and not record.undos:
        raise Mismatch(f"{count_text(len(record.undone), 'decision')} listed as undone, but no undo is counted")
    for index, undone in enumerate(record.undone):
        if not (0 <= undone.points <= undone.max_points):
            raise Mismatch(f"undone[{index}]: {_n(undone.points)} points is outside 0 to its maximum of "
                           f"{_n(undone.max_points)}")


def _check_carried(record: AttemptRecord) -> None:
    """The decisions marked carried over are exactly those before the point the attempt was begun from."""
    carried = record.carried_over
    if carried is None:
        if any(d.carried_over for d in record.decisions):
            raise Mismatch("decisions are marked carried over from an earlier attempt, but the attempt says "
                           "nothing was carried over")
        return
    if carried.actions > len(record.actions):
        raise Mismatch(f"carried_over names {carried.actions} actions, but the attempt has {len(record.actions)}")
    for index, d in enumerate(record.decisions):
        if d.carried_over != (d.position < carried.actions):
            raise Mismatch(f"decisions[{index}] is {'' if d.carried_over else 'not '}marked carried over, but the "
                           f"attempt carried over its first {carried.actions} actions")


# --- against the story ---------------------------------------------------------------------------------


def _check_ids(record: AttemptRecord, story: LoadedStory) -> None:
    scenes = story.model.scenes
    for index, d in enumerate(record.decisions):
        where = f"decisions[{index}]"
        scene = scenes.get(d.scene)
        if scene is None:
            raise Mismatch(f"{where} names scene '{d.scene}', which the story does not have")
        if d.kind == "choose":
            if d.item != d.scene:
                raise Mismatch(f"{where} names decision point '{d.item}' in scene '{d.scene}'")
            known = {c.id for c in scene.choices or ()}
            wrong = [i for i in d.response if i not in known]
        else:
            question = scene.question
            if question is None or question.id != d.item:
                raise Mismatch(f"{where} names question '{d.item}', which scene '{d.scene}' does not ask")
            known = {unit.id for unit in question.units}
            wrong = [i for i in d.response if i not in known]
        wrong += [o.id for o in d.options if o.id not in known]
        if wrong:
            raise Mismatch(f"{where} names '{wrong[0]}', which is not an option in scene '{d.scene}' of the story")
    if record.ending is not None:
        scene = scenes.get(record.ending.scene)
        if scene is None or scene.ending is None:
            raise Mismatch(f"the ending names scene '{record.ending.scene}', which is not an ending of the story")


# What a replay recomputes, and how a difference is told.
_REPLAYED = (
    ("scores", "the scores do not match a replay of the decisions"),
    ("critical_errors", "the critical errors do not match a replay of the decisions"),
    ("ending", "the ending does not match a replay of the decisions"),
    ("story_days", "the time in the story does not match a replay of the decisions"),
    ("decisions", "the decisions do not match a replay of them"),
    ("chart", "the labs do not match a replay of the decisions"),
    ("verdict", "the verdict (safe, passed, pass mark) does not match a replay of the decisions in the story"),
    ("story", "the story's details do not match the story file with the same content hash"),
)


def check_replay(record: AttemptRecord, story: LoadedStory) -> None:
    """Raises Mismatch unless replaying the attempt in `story` (its own story, same content hash)
    gives exactly what the attempt says."""
    _check_ids(record, story)
    session = Session(story, record.seed, record.mode)
    try:
        session.replay(list(record.actions))
    except (ActionError, KeyError, TypeError, ValueError) as error:
        raise Mismatch(f"the decisions cannot be replayed in the story they name ({error})") from None
    if session.ended != (record.status == "completed"):
        raise Mismatch("the ending does not match a replay of the decisions")
    # The same facts as the file (who, when): only what the story and the decisions decide can differ.
    rebuilt = build_record(session, attempt_uuid=record.uuid, learner=record.learner,
                           learner_key=record.learner_key, status=record.status, started_at=record.started_at,
                           updated_at=record.updated_at, ended_at=record.ended_at,
                           timestamps=list(record.decided_at), undos=record.undos, undone=record.undone,
                           carried=record.carried_over)
    # A file made before answers kept their trend table (or a highlight's note) has none: neither is scored, so
    # each is compared only where the file has it.
    kept = tuple(replace(again, exhibit=again.exhibit if given.exhibit else None, note=given.note and again.note)
                 for again, given in zip(rebuilt.decisions, record.decisions, strict=False))
    rebuilt = replace(rebuilt, decisions=kept + rebuilt.decisions[len(kept):])
    for name, reason in _REPLAYED:
        if getattr(rebuilt, name) != getattr(record, name):
            if name == "scores":
                reason += (f" ({record.scores.overall.percent}% in the file, "
                           f"{rebuilt.scores.overall.percent}% in the replay)")
            raise Mismatch(reason)


# --- the stories on this machine ----------------------------------------------------------------------


@dataclass
class StoryShelf:
    """The stories a report can replay attempts in: the bundled ones and `stories_dir`, read once,
    when the first attempt needs them, plus story files recorded with classroom attempts."""

    stories_dir: Path | None = None
    _by_id: dict[str, list[LoadedStory]] | None = field(default=None, repr=False)

    def _stories(self) -> dict[str, list[LoadedStory]]:
        if self._by_id is None:
            from ..library import scan

            self._by_id = {}
            for entry in scan(self.stories_dir):
                if entry.story is not None:
                    self._by_id.setdefault(entry.story.model.id, []).append(entry.story)
        return self._by_id

    def find(self, record: AttemptRecord) -> tuple[LoadedStory | None, str]:
        """The story the attempt was played in (same id and content hash), or None and why not."""
        same_id = self._stories().get(record.story.id, [])
        for story in same_id:
            if story.content_hash == record.story.content_hash:
                return story, REPLAYED
        if same_id:
            versions = ", ".join(sorted({s.model.version for s in same_id}))
            return None, (f"not replayed: this machine has another version of the story ({versions}; "
                          f"the attempt names {record.story.version})")
        return None, NOT_ON_THIS_MACHINE


def verify(record: AttemptRecord, shelf: StoryShelf) -> str:
    """Raises Mismatch if the attempt does not add up or disagrees with a replay; else says how far it
    was checked (for the gradebook's checks column)."""
    check_consistency(record)
    story, note = shelf.find(record)
    if story is not None:
        check_replay(record, story)
    return note
