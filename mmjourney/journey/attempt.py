"""A journey as an attempt record: what the records keep, and what every debrief is rendered from.

`build_record` turns a session (finished or not) and the attempt's facts (id, learner, times) into
an `AttemptRecord`. `session_record` does the same for a journey being shown right now, so the
game's own debrief and the exports read one model and cannot drift apart.
"""

from __future__ import annotations

import calendar
import time

from .. import __version__
from ..engine import Session, debrief, expert_labels
from ..story.model import Question
from .exhibit import trend_at
from .record import (
    CARRIED_RECORD_VERSION,
    RECORD_VERSION,
    AnswerOption,
    AnswerPart,
    AttemptRecord,
    CarriedOver,
    ChartPoint,
    ChoiceOption,
    CriticalError,
    DecisionRecord,
    EndingRecord,
    NotePiece,
    Objective,
    Reference,
    Scores,
    ScoreTally,
    StatInfo,
    StoryEnding,
    StoryRef,
    UndoneDecision,
    Verdict,
)

IDLE_CAP_SECONDS = 30 * 60  # breaks longer than this do not count towards an attempt's duration


def _tally(tally) -> ScoreTally:
    return ScoreTally(tally.points, tally.max_points, tally.decisions,
                      None if tally.percent is None else round(tally.percent, 2))


def _parse(stamp: str | None) -> float | None:
    if not stamp:
        return None
    try:
        whole = time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    fraction = float("0" + stamp[19:-1]) if stamp[19:20] == "." else 0.0
    return float(calendar.timegm(whole)) + fraction


def active_seconds(stamps: list[str | None]) -> float:
    """Time spent on the attempt: gaps between start, decisions and end, breaks capped."""
    times = sorted(t for t in (_parse(s) for s in stamps) if t is not None)
    return round(sum(min(b - a, IDLE_CAP_SECONDS) for a, b in zip(times, times[1:], strict=False)), 3)


def _story_info(session: Session, cited: dict) -> StoryRef:
    model = session.story.model
    return StoryRef(
        id=model.id, title=model.title, version=model.version, content_hash=session.story.content_hash,
        endings=tuple(StoryEnding(name, scene.ending.title, scene.ending.kind)
                      for name, scene in model.scenes.items() if scene.ending),
        objectives=tuple(Objective(o.id, o.text) for o in model.objectives),
        stats=tuple(StatInfo(name, s.label, s.unit, (s.normal[0], s.normal[1]) if s.normal else None, s.decimals,
                             s.min, s.max)
                    for name, s in model.stats.items() if s.visible),
        references={ref: Reference(model.references[ref].citation, model.references[ref].url)
                    for ref in cited if ref in model.references},
        disclaimer=model.disclaimer,
    )


def _decision(session: Session, review, stamp: str | None, carried: CarriedOver | None) -> DecisionRecord:
    consequence = review.consequence
    scene = session.story.model.scenes[consequence.scene]
    common = dict(
        carried_over=carried is not None and consequence.index < carried.actions,
        position=consequence.index, number=consequence.number, kind=consequence.kind, scene=consequence.scene,
        phase=scene.phase, item=consequence.scene if consequence.kind == "choose" else consequence.id,
        day=consequence.day_before, decided_at=stamp, step=consequence.step, objectives=tuple(consequence.objectives),
        category=consequence.category, points=consequence.points, max_points=consequence.max_points,
        critical=consequence.critical, rating=consequence.rating, expert=tuple(review.expert),
        expert_labels=tuple(expert_labels(session.story, review)), matched_expert=review.matched_expert,
        references=tuple(consequence.references), chance_text=consequence.chance_text,
    )
    if consequence.kind == "choose":
        feedback = consequence.feedback
        return DecisionRecord(
            **common, prompt=scene.title or scene.phase, response=(consequence.id,),
            response_labels=(consequence.label,),
            options=tuple(ChoiceOption(c.id, c.label, c.rating, c.critical) for c in scene.choices or ()),
            open_options=tuple(consequence.alternatives), outcome=feedback.outcome if feedback else "",
            rationale=feedback.rationale if feedback else "", nursing=feedback.nursing if feedback else "")
    question = scene.question
    assert question is not None  # an answer is only ever given to a question scene
    labels = {unit.id: unit.label for unit in question.units}
    return DecisionRecord(
        **common, prompt=question.prompt, question_type=question.type, response=tuple(consequence.picked),
        response_labels=tuple(labels[p] for p in consequence.picked),
        options=tuple(AnswerOption(u.id, u.label, u.correct, u.rationale) for u in question.units),
        open_options=tuple(u.id for u in question.units), outcome="", rationale=question.explanation, nursing="",
        parts=answer_parts(question),
        # The chart as it stood when the question was asked: one point at the start and one per action before it.
        exhibit=trend_at(question, session.story.model.stats, session.chart[:consequence.index + 1]),
        note=note_of(question))


def note_of(question: Question) -> tuple[NotePiece, ...]:
    """A highlight's note as the records keep it: its words, and each phrase (id and text) where it sits; nothing
    for a highlight table or any other question."""
    if question.type != "highlight" or not question.text:
        return ()
    return tuple(NotePiece(piece) if isinstance(piece, str) else NotePiece(piece.text, piece.id)
                 for piece in question.marked())


def answer_parts(question: Question) -> tuple[AnswerPart, ...]:
    """The parts of an item made of parts (a matrix's rows) as the records keep them; none for other questions."""
    return tuple(AnswerPart(part.id, part.label, tuple(AnswerOption(o.id, o.text, o.correct, o.rationale)
                                                        for o in part.options), part.rationale)
                 for part in question.parts)


def build_record(session: Session, *, attempt_uuid: str, learner: str | None, learner_key: str, status: str,
                 started_at: str, updated_at: str, ended_at: str | None, timestamps: list[str | None],
                 undos: int = 0, undone: tuple[UndoneDecision, ...] = (),
                 carried: CarriedOver | None = None) -> AttemptRecord:
    """The attempt as a record: replayable, and readable without the story file.

    A live journey's debrief is rendered from this same record, so every front end and every
    export shows one thing. `carried`: the journey was begun with "try again from here", and its first
    decisions were made in an earlier attempt.
    """
    report = debrief(session)
    cited = dict.fromkeys(ref for c in session.history for ref in c.references)
    stat_names = [name for name, s in session.story.model.stats.items() if s.visible]
    ending = None
    if session.ended:
        scene = session.scene
        assert scene.ending is not None  # an ended session stands on an ending scene
        ending = EndingRecord(session.scene_id, scene.ending.title, scene.ending.kind, session.scene_text)
    stamps = [started_at, *timestamps, ended_at or updated_at]
    return AttemptRecord(
        record_version=RECORD_VERSION if carried is None else CARRIED_RECORD_VERSION, uuid=attempt_uuid,
        app_version=__version__, learner=learner,
        learner_key=learner_key, status=status, story=_story_info(session, cited), mode=session.mode,
        seed=session.seed, actions=tuple(session.actions), decided_at=tuple(timestamps), started_at=started_at,
        updated_at=updated_at, ended_at=ended_at, duration_seconds=active_seconds(stamps), story_days=session.day,
        undos=undos,
        scores=Scores(_tally(report.overall), {step: _tally(t) for step, t in report.by_step.items()},
                      {objective: _tally(t) for objective, t in report.by_objective.items()},
                      {category: _tally(t) for category, t in report.by_category.items()}),
        critical_errors=tuple(CriticalError(c.index, c.number, c.label) for c in report.critical_errors),
        decisions=tuple(_decision(session, review, timestamps[review.consequence.index], carried)
                        for review in report.decisions),
        chart=tuple(ChartPoint(s.day, {name: s.stats[name] for name in stat_names}) for s in session.chart),
        ending=ending, verdict=Verdict(report.safe, report.passed, report.pass_mark), undone=undone,
        carried_over=carried,
    )


def session_record(session: Session, carried: CarriedOver | None = None) -> AttemptRecord:
    """The record of a journey being shown now (its debrief): scores and decisions, no attempt facts."""
    return build_record(session, attempt_uuid="", learner=None, learner_key="",
                        status="completed" if session.ended else "in_progress", started_at="", updated_at="",
                        ended_at=None, timestamps=[None] * len(session.actions), carried=carried)
