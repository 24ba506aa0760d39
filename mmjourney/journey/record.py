"""The attempt record as types: what a journey becomes in the records and in a result file.

`AttemptRecord.to_json()` gives exactly the JSON object stored in the records database and inside
result files (same keys, same order, numbers as they were), so stored rows, exported files and
their integrity hashes stay valid. `AttemptRecord.from_json()` reads such an object and raises
ValueError naming the field when anything has the wrong type: result files are untrusted.

`from_json` is also the one door through which stored and handed-in records come in, so it removes the
control characters a terminal would obey from every text in them (a learner name typed with an escape
sequence, a hand-edited result file): whatever shows a record afterwards (report, export, Progress
screen) shows clean text. A record made by this program has none, so it still reads back byte for byte.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import cast

from ..engine import Action, Mode, verdict
from ..story.model import DEFAULT_PASS_MARK
from ..story.text_safety import strip_controls
from .fields import Fields, Number
from .text import number_text

RECORD_VERSION = 1
# A record with decisions carried over from an earlier attempt ("try again from here"). Only such a record
# is written as version 2: a reader of version 1 would count those decisions as made again, so it must
# refuse the record rather than misread it; every other record stays readable by the versions before.
CARRIED_RECORD_VERSION = 2
STATUSES = ("completed", "abandoned", "in_progress")
MODES = ("practice", "assessment")
DECISION_KINDS = ("choose", "answer")


@dataclass(frozen=True)
class ScoreTally:
    points: Number
    max_points: Number
    decisions: int
    percent: float | None  # rounded to 2 places; None when nothing here was scored

    def to_json(self) -> dict:
        return {"points": self.points, "max_points": self.max_points, "decisions": self.decisions,
                "percent": self.percent}

    @classmethod
    def read(cls, f: Fields) -> ScoreTally:
        return cls(f.number("points"), f.number("max_points"), f.integer("decisions"), f.optional_number("percent"))


@dataclass(frozen=True)
class Scores:
    overall: ScoreTally
    by_step: dict[str, ScoreTally]
    by_objective: dict[str, ScoreTally]
    by_category: dict[str, ScoreTally]

    def to_json(self) -> dict:
        return {"overall": self.overall.to_json(),
                **{group: {k: t.to_json() for k, t in getattr(self, group).items()}
                   for group in ("by_step", "by_objective", "by_category")}}

    @classmethod
    def read(cls, f: Fields) -> Scores:
        return cls(f.object("overall", ScoreTally.read), f.named_objects("by_step", ScoreTally.read),
                   f.named_objects("by_objective", ScoreTally.read), f.named_objects("by_category", ScoreTally.read))


@dataclass(frozen=True)
class StoryEnding:
    """One ending the story has (reached or not)."""

    scene: str
    title: str
    kind: str

    def to_json(self) -> dict:
        return {"scene": self.scene, "title": self.title, "kind": self.kind}

    @classmethod
    def read(cls, f: Fields) -> StoryEnding:
        return cls(f.text("scene"), f.text("title"), f.text("kind"))


@dataclass(frozen=True)
class Objective:
    id: str
    text: str

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text}

    @classmethod
    def read(cls, f: Fields) -> Objective:
        return cls(f.text("id"), f.text("text"))


@dataclass(frozen=True)
class StatInfo:
    """A visible stat of the story, enough to draw and describe its values without the story file."""

    name: str
    label: str
    unit: str
    normal: tuple[Number, Number] | None
    decimals: int
    min: Number
    max: Number

    def to_json(self) -> dict:
        return {"name": self.name, "label": self.label, "unit": self.unit,
                "normal": list(self.normal) if self.normal is not None else None, "decimals": self.decimals,
                "min": self.min, "max": self.max}

    @classmethod
    def read(cls, f: Fields) -> StatInfo:
        normal = f.optional_numbers("normal")
        if normal is not None and len(normal) != 2:
            raise ValueError(f"{f.where}.normal should be two numbers (low, high)")
        return cls(f.text("name"), f.text("label"), f.text("unit"), normal,
                   f.integer("decimals"), f.number("min"), f.number("max"))


@dataclass(frozen=True)
class Reference:
    citation: str
    url: str | None

    def to_json(self) -> dict:
        return {"citation": self.citation, "url": self.url}

    @classmethod
    def read(cls, f: Fields) -> Reference:
        return cls(f.text("citation"), f.optional_text("url"))


@dataclass(frozen=True)
class StoryRef:
    """The story played, as it was then: enough for a report without the story file."""

    id: str
    title: str
    version: str
    content_hash: str
    endings: tuple[StoryEnding, ...]
    objectives: tuple[Objective, ...]
    stats: tuple[StatInfo, ...]
    references: dict[str, Reference]  # only those cited in the journey, in the order first cited
    disclaimer: str

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "version": self.version, "content_hash": self.content_hash,
                "endings": [e.to_json() for e in self.endings], "objectives": [o.to_json() for o in self.objectives],
                "stats": [s.to_json() for s in self.stats],
                "references": {k: r.to_json() for k, r in self.references.items()}, "disclaimer": self.disclaimer}

    @classmethod
    def read(cls, f: Fields) -> StoryRef:
        return cls(f.text("id"), f.text("title"), f.text("version"), f.text("content_hash"),
                   f.objects("endings", StoryEnding.read), f.objects("objectives", Objective.read),
                   f.objects("stats", StatInfo.read), f.named_objects("references", Reference.read),
                   f.text("disclaimer"))

    def objective_text(self, objective_id: str) -> str:
        return next((o.text for o in self.objectives if o.id == objective_id), objective_id)


@dataclass(frozen=True)
class ChoiceOption:
    """A choice that the decision point offered, with its rating."""

    id: str
    label: str
    rating: str
    critical: bool

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "rating": self.rating, "critical": self.critical}

    @classmethod
    def read(cls, f: Fields) -> ChoiceOption:
        return cls(f.text("id"), f.text("label"), f.text("rating"), f.flag("critical"))


@dataclass(frozen=True)
class AnswerOption:
    """An option of a question, whether it is correct, and why."""

    id: str
    label: str
    correct: bool
    rationale: str

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "correct": self.correct, "rationale": self.rationale}

    @classmethod
    def read(cls, f: Fields) -> AnswerOption:
        return cls(f.text("id"), f.text("label"), f.flag("correct"), f.text("rationale"))


@dataclass(frozen=True)
class AnswerPart:
    """A part of an item made of parts (a matrix row): what it asked, its options (ids as written, not
    'part:option'), which are right, and why. The record's `options` list the same picks as units."""

    id: str
    label: str
    options: tuple[AnswerOption, ...]
    rationale: str

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "options": [o.to_json() for o in self.options],
                "rationale": self.rationale}

    @classmethod
    def read(cls, f: Fields) -> AnswerPart:
        return cls(f.text("id"), f.text("label"), f.objects("options", AnswerOption.read), f.text("rationale"))


# A reading's flag against the story's ranges when it was read: high, low, beyond a critical limit, or none.
FLAGS = ("", "H", "L", "HH", "LL")


@dataclass(frozen=True)
class TrendColumn:
    """A stat a trend table shows, with the label, unit and decimals the learner read it in."""

    stat: str
    label: str
    unit: str
    decimals: int

    def to_json(self) -> dict:
        return {"stat": self.stat, "label": self.label, "unit": self.unit, "decimals": self.decimals}

    @classmethod
    def read(cls, f: Fields) -> TrendColumn:
        return cls(f.text("stat"), f.text("label"), f.text("unit"), f.integer("decimals"))


@dataclass(frozen=True)
class TrendRow:
    """One day of a trend table: the day as the learner read it (from 1, as the status bar counts), and each
    column's value with its flag."""

    day: int
    values: tuple[Number, ...]
    flags: tuple[str, ...]

    def to_json(self) -> dict:
        return {"day": self.day, "values": list(self.values), "flags": list(self.flags)}

    @classmethod
    def read(cls, f: Fields) -> TrendRow:
        flags = f.texts("flags")
        for index, flag in enumerate(flags):
            if flag not in FLAGS:
                raise ValueError(f"{f.where}.flags[{index}] should be one of H, L, HH, LL or empty text, "
                                 f"but it is '{flag}'")
        return cls(f.integer("day"), f.numbers("values"), flags)


@dataclass(frozen=True)
class Trend:
    """A trend item's exhibit: the patient's own readings, one row per day, oldest first. A record keeps the
    table the learner answered from as it was then, so neither a replay nor a later edit of the story (a
    stat's label, its normal range) changes what the debrief says they saw."""

    columns: tuple[TrendColumn, ...]
    rows: tuple[TrendRow, ...]

    def cells(self, row: TrendRow) -> list[tuple[str, str]]:
        """A row's readings as shown: ('3.40', 'HH'), one per column."""
        return [(number_text(value, column.decimals), flag)
                for column, value, flag in zip(self.columns, row.values, row.flags, strict=True)]

    def to_json(self) -> dict:
        return {"columns": [c.to_json() for c in self.columns], "rows": [r.to_json() for r in self.rows]}

    @classmethod
    def read(cls, f: Fields) -> Trend:
        columns, rows = f.objects("columns", TrendColumn.read), f.objects("rows", TrendRow.read)
        for index, row in enumerate(rows):
            if not len(row.values) == len(row.flags) == len(columns):
                raise ValueError(f"{f.where}.rows[{index}] should have {len(columns)} values and {len(columns)} "
                                 "flags, one for each column")
        return cls(columns, rows)


@dataclass(frozen=True)
class NotePiece:
    """A piece of a highlight item's note as the learner read it: the note's own words, or a phrase they could
    select (`phrase`: its id, one of the answer's options; `text`: its words as the note showed them)."""

    text: str
    phrase: str | None = None

    def to_json(self) -> dict:
        return {"text": self.text} if self.phrase is None else {"phrase": self.phrase, "text": self.text}

    @classmethod
    def read(cls, f: Fields) -> NotePiece:
        return cls(f.text("text"), f.text("phrase") if "phrase" in f.data else None)


def _note(f: Fields) -> tuple[NotePiece, ...]:
    """A highlight's note, each phrase one of the answer's options (read before it), none of them twice."""
    pieces = f.objects("note", NotePiece.read)
    offered = {option["id"] for option in f.data["options"]}
    seen: set[str] = set()
    for index, piece in enumerate(pieces):
        if piece.phrase is None:
            continue
        if piece.phrase not in offered or piece.phrase in seen:
            wrong = "shown twice" if piece.phrase in seen else "not one of the answer's options"
            raise ValueError(f"{f.where}.note[{index}].phrase should be the id of a phrase the answer offered, "
                             f"once, but '{piece.phrase}' is {wrong}")
        seen.add(piece.phrase)
    return pieces


@dataclass(frozen=True)
class DecisionRecord:
    """One scored decision: what was asked, what the learner did, how it scored, what the expert did."""

    position: int  # index in the actions (unscored 'next' steps count too)
    number: int  # the decision number the learner saw
    kind: str  # choose or answer
    scene: str
    phase: str
    item: str  # the decision point: the scene for a choice, the question id for an answer
    day: int
    decided_at: str | None
    step: str | None
    objectives: tuple[str, ...]
    category: str | None
    points: Number
    max_points: Number
    critical: bool
    rating: str | None
    expert: tuple[str, ...]
    expert_labels: tuple[str, ...]
    matched_expert: bool
    references: tuple[str, ...]
    chance_text: str | None
    prompt: str
    response: tuple[str, ...]
    response_labels: tuple[str, ...]
    options: tuple[ChoiceOption, ...] | tuple[AnswerOption, ...]
    open_options: tuple[str, ...]
    outcome: str
    rationale: str
    nursing: str
    question_type: str | None = None  # answers only
    parts: tuple[AnswerPart, ...] = ()  # an item made of parts only; records of other decisions have no key
    # A trend item only: the table answered from. Records made before exhibits were kept have no key either.
    exhibit: Trend | None = None
    # A highlight item with a note only (not a highlight table): the note as the learner read it, its words and
    # each phrase in order. Records made before notes were kept have no key either.
    note: tuple[NotePiece, ...] = ()
    # Made in an earlier attempt and carried into this one by "try again from here" (AttemptRecord.carried_over);
    # only such a decision has the key.
    carried_over: bool = False

    def to_json(self) -> dict:
        data = {"position": self.position, "number": self.number, "kind": self.kind, "scene": self.scene,
                "phase": self.phase, "item": self.item, "day": self.day, "decided_at": self.decided_at,
                "step": self.step, "objectives": list(self.objectives), "category": self.category,
                "points": self.points, "max_points": self.max_points, "critical": self.critical,
                "rating": self.rating, "expert": list(self.expert), "expert_labels": list(self.expert_labels),
                "matched_expert": self.matched_expert, "references": list(self.references),
                "chance_text": self.chance_text, "prompt": self.prompt}
        if self.kind == "answer":
            data["question_type"] = self.question_type
        data.update({"response": list(self.response), "response_labels": list(self.response_labels),
                     "options": [o.to_json() for o in self.options], "open_options": list(self.open_options),
                     "outcome": self.outcome, "rationale": self.rationale, "nursing": self.nursing})
        if self.parts:
            data["parts"] = [part.to_json() for part in self.parts]
        if self.exhibit is not None:
            data["exhibit"] = self.exhibit.to_json()
        if self.note:
            data["note"] = [piece.to_json() for piece in self.note]
        if self.carried_over:
            data["carried_over"] = True
        return data

    @classmethod
    def read(cls, f: Fields) -> DecisionRecord:
        kind = f.one_of("kind", DECISION_KINDS)
        answer = kind == "answer"
        return cls(
            position=f.integer("position"), number=f.integer("number"), kind=kind, scene=f.text("scene"),
            phase=f.text("phase"), item=f.text("item"), day=f.integer("day"), decided_at=f.optional_text("decided_at"),
            step=f.optional_text("step"), objectives=f.texts("objectives"), category=f.optional_text("category"),
            points=f.number("points"), max_points=f.number("max_points"), critical=f.flag("critical"),
            rating=f.optional_text("rating"), expert=f.texts("expert"), expert_labels=f.texts("expert_labels"),
            matched_expert=f.flag("matched_expert"), references=f.texts("references"),
            chance_text=f.optional_text("chance_text"), prompt=f.text("prompt"), response=f.texts("response"),
            response_labels=f.texts("response_labels"),
            options=f.objects("options", AnswerOption.read if answer else ChoiceOption.read),  # type: ignore[arg-type]
            open_options=f.texts("open_options"), outcome=f.text("outcome"), rationale=f.text("rationale"),
            nursing=f.text("nursing"), question_type=f.text("question_type") if answer else None,
            parts=f.objects("parts", AnswerPart.read) if answer and "parts" in f.data else (),
            exhibit=f.object("exhibit", Trend.read) if answer and "exhibit" in f.data else None,
            note=_note(f) if answer and "note" in f.data else (),
            carried_over=f.flag("carried_over") if "carried_over" in f.data else False)


@dataclass(frozen=True)
class CriticalError:
    position: int
    number: int
    label: str

    def to_json(self) -> dict:
        return {"position": self.position, "number": self.number, "label": self.label}

    @classmethod
    def read(cls, f: Fields) -> CriticalError:
        return cls(f.integer("position"), f.integer("number"), f.text("label"))


@dataclass(frozen=True)
class Verdict:
    """The attempt's verdict beside its score (engine.verdict): safe when no decision was a critical
    error; passed when it reached an ending with at least the pass mark, and safe."""

    safe: bool
    passed: bool
    pass_mark: Number  # percent, the story's `pass_mark`

    def to_json(self) -> dict:
        return {"safe": self.safe, "passed": self.passed, "pass_mark": self.pass_mark}

    @classmethod
    def read(cls, f: Fields) -> Verdict:
        return cls(f.flag("safe"), f.flag("passed"), f.number("pass_mark"))

    @classmethod
    def derived(cls, overall: ScoreTally, critical_errors: int, finished: bool) -> Verdict:
        """The verdict of a record made before records carried one: its stories had no pass mark but 80%."""
        safe, passed = verdict(overall.percent, critical_errors, finished, DEFAULT_PASS_MARK)
        return cls(safe, passed, DEFAULT_PASS_MARK)


@dataclass(frozen=True)
class UndoneDecision:
    """A decision taken back in practice mode: educators see what was undone, critical errors above all."""

    position: int
    number: int
    kind: str  # choose or answer
    item: str
    label: str  # what was chosen, in the player's words
    rating: str | None
    critical: bool
    points: Number
    max_points: Number
    decided_at: str | None
    undone_at: str

    def to_json(self) -> dict:
        return {"position": self.position, "number": self.number, "kind": self.kind, "item": self.item,
                "label": self.label, "rating": self.rating, "critical": self.critical, "points": self.points,
                "max_points": self.max_points, "decided_at": self.decided_at, "undone_at": self.undone_at}

    @classmethod
    def read(cls, f: Fields) -> UndoneDecision:
        return cls(f.integer("position"), f.integer("number"), f.one_of("kind", DECISION_KINDS), f.text("item"),
                   f.text("label"), f.optional_text("rating"), f.flag("critical"), f.number("points"),
                   f.number("max_points"), f.optional_text("decided_at"), f.text("undone_at"))

    @classmethod
    def of(cls, decision: DecisionRecord, undone_at: str) -> UndoneDecision:
        return cls(decision.position, decision.number, decision.kind, decision.item,
                   "; ".join(decision.response_labels), decision.rating, decision.critical, decision.points,
                   decision.max_points, decision.decided_at, undone_at)


@dataclass(frozen=True)
class CarriedOver:
    """An attempt begun with "try again from here": the first `actions` of it (pages that only continue count
    too) were made in an earlier attempt and replayed into this one, not decided again."""

    actions: int
    from_attempt: str | None  # the uuid of the attempt they were made in, if it was in the records

    def to_json(self) -> dict:
        return {"actions": self.actions, "from_attempt": self.from_attempt}

    @classmethod
    def read(cls, f: Fields) -> CarriedOver:
        actions = f.integer("actions")
        if actions < 1:
            raise ValueError(f"{f.where}.actions should be at least 1 (the decisions carried over), "
                             f"but it is {actions}")
        source = f.optional_text("from_attempt")
        if source is not None and not _is_uuid(source):
            raise ValueError(f"{f.where}.from_attempt should be an attempt's uuid (32 hexadecimal digits)")
        return cls(actions, source)

    @classmethod
    def of(cls, actions: int, from_attempt: str | None) -> CarriedOver | None:
        """The decisions carried over into a branch from before action `actions`; None when there are none."""
        return cls(actions, from_attempt or None) if actions > 0 else None

    def upto(self, actions: int) -> CarriedOver | None:
        """What stays carried over once the journey has only its first `actions` (after an undo, or as far as a
        changed story still fits): a decision taken back and made again is the learner's own."""
        return CarriedOver.of(min(self.actions, actions), self.from_attempt)


def _is_uuid(text: str) -> bool:
    return len(text) == 32 and all(c in string.hexdigits for c in text)


@dataclass(frozen=True)
class ChartPoint:
    """The visible stats after one step of the journey (the first point is the start)."""

    day: int
    values: dict[str, Number]

    def to_json(self) -> dict:
        return {"day": self.day, "values": dict(self.values)}

    @classmethod
    def read(cls, f: Fields) -> ChartPoint:
        return cls(f.integer("day"), f.named_numbers("values"))


@dataclass(frozen=True)
class EndingRecord:
    """The ending reached, with its text."""

    scene: str
    title: str
    kind: str
    text: str

    def to_json(self) -> dict:
        return {"scene": self.scene, "title": self.title, "kind": self.kind, "text": self.text}

    @classmethod
    def read(cls, f: Fields) -> EndingRecord:
        return cls(f.text("scene"), f.text("title"), f.text("kind"), f.text("text"))


@dataclass(frozen=True)
class LocalRef:
    """What only makes sense on this machine (never stored in the record, never exported)."""

    attempt_id: int
    story_path: str | None
    attempt_number: int = 1  # this learner's how-manieth attempt at this story, in these records
    attempts_at_story: int = 1  # every attempt this learner made at the story here, finished or not


def _action(f: Fields) -> Action:
    kind = f.one_of("kind", ("choose", "answer", "next"))
    outcome = f.data.get("outcome")
    if outcome is not None:
        outcome = f.integer("outcome")
    return Action(kind, f.text("id") if "id" in f.data else "",  # type: ignore[arg-type]
                  f.texts("options") if "options" in f.data else (), outcome)


def without_controls(data: object) -> object:
    """`data` (parsed JSON) with `strip_controls` applied to every text in it, names of values included."""
    if isinstance(data, str):
        return strip_controls(data)
    if isinstance(data, list):
        return [without_controls(item) for item in data]
    if isinstance(data, dict):
        return {strip_controls(key) if isinstance(key, str) else key: without_controls(value)
                for key, value in data.items()}
    return data


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt: replayable (story, seed, mode, actions) and readable without the story file."""

    record_version: int
    uuid: str
    app_version: str
    learner: str | None
    learner_key: str  # a pseudonym, stable per learner and machine
    status: str
    story: StoryRef
    mode: Mode
    seed: int
    actions: tuple[Action, ...]
    decided_at: tuple[str | None, ...]  # per action; None where the time is not known
    started_at: str
    updated_at: str
    ended_at: str | None
    duration_seconds: Number
    story_days: int
    undos: int
    scores: Scores
    critical_errors: tuple[CriticalError, ...]
    decisions: tuple[DecisionRecord, ...]
    chart: tuple[ChartPoint, ...]
    ending: EndingRecord | None
    verdict: Verdict
    undone: tuple[UndoneDecision, ...]  # decisions taken back (practice mode), in the order they were undone
    carried_over: CarriedOver | None = None  # "try again from here": the decisions an earlier attempt made
    local: LocalRef | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        """The record as stored and exported (never with `local`; `carried_over` only when there is some)."""
        data = {
            "record_version": self.record_version, "uuid": self.uuid, "app_version": self.app_version,
            "learner": self.learner, "learner_key": self.learner_key, "status": self.status,
            "story": self.story.to_json(), "mode": self.mode, "seed": self.seed,
            "actions": [a.to_json() for a in self.actions], "decided_at": list(self.decided_at),
            "started_at": self.started_at, "updated_at": self.updated_at, "ended_at": self.ended_at,
            "duration_seconds": self.duration_seconds, "story_days": self.story_days, "undos": self.undos,
            "scores": self.scores.to_json(), "critical_errors": [c.to_json() for c in self.critical_errors],
            "decisions": [d.to_json() for d in self.decisions], "chart": [p.to_json() for p in self.chart],
            "ending": self.ending.to_json() if self.ending is not None else None,
            "verdict": self.verdict.to_json(), "undone": [u.to_json() for u in self.undone],
        }
        if self.carried_over is not None:
            data["carried_over"] = self.carried_over.to_json()
        return data

    @classmethod
    def from_json(cls, data: object) -> AttemptRecord:
        """Read a stored or exported record, without control characters in any text; ValueError (naming
        the field) if it is not one."""
        f = Fields(without_controls(data), "")
        version = f.integer("record_version")
        if version not in (RECORD_VERSION, CARRIED_RECORD_VERSION):
            raise ValueError(f"record_version {version} is not one this mmjourney reads "
                             f"({RECORD_VERSION} or {CARRIED_RECORD_VERSION})")
        uuid = f.text("uuid")
        if not _is_uuid(uuid):
            raise ValueError("uuid should be 32 hexadecimal digits")
        carried = f.object("carried_over", CarriedOver.read) if "carried_over" in f.data else None
        if carried is not None and version != CARRIED_RECORD_VERSION:
            raise ValueError(f"carried_over (decisions from an earlier attempt) needs record_version "
                             f"{CARRIED_RECORD_VERSION}, but this record has version {version}")
        if carried is None and version == CARRIED_RECORD_VERSION:
            raise ValueError(f"record_version {CARRIED_RECORD_VERSION} is for a record with carried_over (decisions "
                             "from an earlier attempt), but this one has none")
        status = f.one_of("status", STATUSES)
        scores = f.object("scores", Scores.read)
        critical_errors = f.objects("critical_errors", CriticalError.read)
        # Records made before the verdict and the undone decisions were kept: derived, and none known.
        judged = (f.object("verdict", Verdict.read) if "verdict" in f.data
                  else Verdict.derived(scores.overall, len(critical_errors), status == "completed"))
        undone = f.objects("undone", UndoneDecision.read) if "undone" in f.data else ()
        return cls(
            record_version=version, uuid=uuid, app_version=f.text("app_version"),
            learner=f.optional_text("learner"), learner_key=f.text("learner_key"),
            status=status, story=f.object("story", StoryRef.read),
            mode=cast(Mode, f.one_of("mode", MODES)), seed=f.integer("seed"), actions=f.objects("actions", _action),
            decided_at=f.optional_texts("decided_at"), started_at=f.text("started_at"),
            updated_at=f.text("updated_at"), ended_at=f.optional_text("ended_at"),
            duration_seconds=f.number("duration_seconds"), story_days=f.integer("story_days"),
            undos=f.integer("undos"), scores=scores, critical_errors=critical_errors,
            decisions=f.objects("decisions", DecisionRecord.read), chart=f.objects("chart", ChartPoint.read),
            ending=f.optional_object("ending", EndingRecord.read), verdict=judged, undone=undone,
            carried_over=carried,
        )

    def stat_values(self, name: str) -> list[Number]:
        """One stat over the journey, one value per chart point that has it."""
        return [p.values[name] for p in self.chart if name in p.values]
