"""The debrief as one view model: every front end and every export renders these sections.

`DebriefView.of(record)` reads an `AttemptRecord` (a live journey's comes from `session_record`)
and gives the sections in one fixed order, with one set of headings and one rule for what is
left out: a score group with nothing in it, labs with no values, a journey without references.
Critical errors are always shown: "none" is itself something a learner should read.

The result comes first, and then the outcome: whether the journey was safe and passed is what a
learner and an educator must not miss, and a high score must never hide a critical error. The story's
ending, the scores, what held the learner back and the decisions then explain it. An unfinished
journey shows its points but no percentage: a share of a journey half played means nothing yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..engine import STEP_LABELS
from ..story.model import PART_NOUNS, UNIT_SEPARATOR, Part, PartOption
from .record import (
    FLAGS,
    AnswerOption,
    AnswerPart,
    AttemptRecord,
    CriticalError,
    DecisionRecord,
    ScoreTally,
    StatInfo,
    Trend,
    UndoneDecision,
)
from .text import (
    FLAG_WORDS,
    count_text,
    journey_day,
    number_text,
    percent_text,
    points_text,
    range_text,
    score_text,
    when,
)

SECTION_ORDER = ("summary", "outcome", "overall", "by_step", "by_objective", "by_category", "critical_errors",
                 "held_back", "labs", "decisions", "references")
HEADINGS = {
    "summary": "Summary",
    "outcome": "Outcome",
    "overall": "Overall score",
    "by_step": "By clinical-judgment step",
    "by_objective": "By learning objective",
    "by_category": "By category",
    "critical_errors": "Critical errors",
    "held_back": "Decisions to revisit",
    "labs": "Key labs over the journey",
    "decisions": "Your decisions beside the expert's",
    "references": "References",
}
# The labels of the parts of one decision, in the order a full renderer shows them.
LABELS = {
    "question": "Question",
    "exhibit": "The trend you answered from",
    "note": "The note as you marked it",
    "expert": "Expert's choice",
    "outcome": "What happened",
    "chance": "This time",
    "why": "Why",
    "nursing": "Nursing considerations",
    "references": "References",
}
STATUS_TEXT = {"completed": "completed", "abandoned": "left before the end", "in_progress": "not finished yet"}
NO_CRITICAL_ERRORS = "None."
CRITICAL_ERROR = "CRITICAL ERROR"
UNDONE_CRITICAL_ERROR = "Undone critical error"
NOT_FINISHED = "not finished"
NOTHING_HELD_BACK = "Nothing: every decision was the best one open."
# How a highlight's note marks each phrase: in signs and words, never in colour alone.
SELECTED, NOT_SELECTED, RIGHT, WRONG = "[x]", "[ ]", "✓", "✗"
NOTE_LEGEND = f"{SELECTED} you selected it, {NOT_SELECTED} you did not; {RIGHT} right, {WRONG} wrong or missed."


def linked_rule(question) -> str:
    """How a rationale item (dyad or triad, drop-down or drag-and-drop) scores, in the learner's words, naming its
    parts as the player does (blanks, slots): NCSBN's rationale rule, engine.score_answer. Empty for other items."""
    if question.type not in ("rationale", "drag_rationale"):
        return ""
    return f"linked: a {question.part_noun} after the first scores only when the first is right too"


# A decision "try again from here" took over from an earlier attempt: in this attempt it was replayed, not made.
CARRIED_OVER = "carried over from an earlier attempt"
# How good a verdict is, for renderers to colour: the words always say it too, so no one needs the colour.
RATING_TONE = {"best": "good", "acceptable": "fair", "poor": "bad", "harmful": "harm"}


def points_tone(points: float, max_points: float) -> str:
    """A question's points as a tone: all of them good, none bad, some fair."""
    return "good" if points >= max_points else "bad" if points <= 0 else "fair"


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary card: 'Score', '4 of 5 (80%)', and its tone (good, fair, bad, harm or plain)."""

    label: str
    text: str
    tone: str = "plain"


@dataclass(frozen=True)
class Summary:
    """The verdict beside the score: safe or not, passed or not, and how often decisions were taken back."""

    record: AttemptRecord
    key: str = "summary"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]

    @property
    def safety(self) -> str:
        """'Safe', or 'Unsafe: 2 critical errors'."""
        errors = len(self.record.critical_errors)
        return "Safe" if self.record.verdict.safe else f"Unsafe: {count_text(errors, 'critical error')}"

    @property
    def passing(self) -> str:
        """'Passed', 'Not passed (pass mark 80%)', or that the journey is not finished."""
        record, judged = self.record, self.record.verdict
        mark = f"pass mark {judged.pass_mark:g}%"
        if judged.passed:
            return "Passed"
        if record.status != "completed":
            return f"Not passed: {NOT_FINISHED} ({mark})"
        if not judged.safe:
            return f"Not passed ({mark}; a critical error fails the journey whatever the score)"
        return f"Not passed ({mark})"

    @property
    def undos(self) -> str:
        """'2 decisions taken back (1 undone critical error)', or '' when none was."""
        record = self.record
        if not record.undos and not record.undone:
            return ""
        critical = sum(1 for u in record.undone if u.critical)
        return f"{count_text(record.undos, 'decision')} taken back" + (
            f" ({count_text(critical, 'undone critical error')})" if critical else "")

    @property
    def carried(self) -> str:
        """'decisions 1 to 3, made in an earlier attempt; this one tried again from decision 4', or '' when the
        attempt was not begun with "try again from here"."""
        numbers = [d.number for d in self.record.decisions if d.carried_over]
        if not numbers:
            return ""
        which = f"decision {numbers[0]}" if len(numbers) == 1 else f"decisions {numbers[0]} to {numbers[-1]}"
        return f"{which}, made in an earlier attempt; this one tried again from decision {numbers[-1] + 1}"

    @property
    def lines(self) -> list[str]:
        return [text for text in (self.safety, self.passing, self.undos) if text]

    @property
    def rows(self) -> list[SummaryRow]:
        """The summary card, what a learner reads first: how it ended, the score, whether it was safe and
        passed, and (for the educator) the mode and the decisions taken back."""
        record, judged = self.record, self.record.verdict
        finished = record.status == "completed"
        overall = ScoreLine("Overall", record.scores.overall, finished)
        rows = [SummaryRow("Outcome", _outcome(record).summary, _ENDING_TONE.get(record.ending.kind, "plain")
                           if record.ending else "plain"),
                SummaryRow("Score", overall.score),
                SummaryRow("Safety", self.safety, "good" if judged.safe else "harm"),
                SummaryRow("Pass", self.passing, "good" if judged.passed else "bad"),
                SummaryRow("Mode", record.mode)]
        if record.mode == "practice" or self.undos:
            # An educator reads a practice score knowing undo was there: whether it was used, and for what.
            critical = any(u.critical for u in record.undone)
            rows.append(SummaryRow("Undo", self.undos or "not used",
                                   "bad" if critical else "fair" if self.undos else "plain"))
        if self.carried:
            # The score is the whole journey's, so the card says which of its decisions were not made here.
            rows.append(SummaryRow("Carried over", self.carried))
        return rows


@dataclass(frozen=True)
class Outcome:
    title: str | None  # None: no ending was reached
    kind: str | None
    text: str  # the ending's text as the story wrote it (Markdown)
    summary: str  # 'Readmitted (mixed ending)' or why there is none
    key: str = "outcome"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in re.split(r"\n\s*\n", self.text) if p.strip()]


@dataclass(frozen=True)
class ScoreLine:
    label: str
    tally: ScoreTally
    finished: bool = True  # an unfinished journey's points are shown without a percentage

    @property
    def score(self) -> str:
        if not self.finished and self.tally.max_points:
            return f"{self.points} so far ({NOT_FINISHED})"
        return score_text(self.tally)

    @property
    def percent(self) -> str:
        return percent_text(self.tally.percent if self.finished else None)

    @property
    def points(self) -> str:
        return points_text(self.tally.points, self.tally.max_points)


@dataclass(frozen=True)
class Overall:
    line: ScoreLine
    key: str = "overall"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]


@dataclass(frozen=True)
class ScoreGroup:
    key: str  # by_step, by_objective or by_category
    lines: tuple[ScoreLine, ...]

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]


@dataclass(frozen=True)
class CriticalErrors:
    items: tuple[CriticalError, ...]
    undone: tuple[UndoneDecision, ...] = ()  # critical errors taken back in practice mode: educators see them
    key: str = "critical_errors"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]

    @property
    def none_text(self) -> str:
        """What stands for no critical error: 'None.', or, beside ones taken back, that the journey as it
        ended has none (so 'None.' above a list of undone ones does not read as a contradiction)."""
        return "None in the journey as it ended." if self.undone else NO_CRITICAL_ERRORS

    def undone_text(self, undone: UndoneDecision) -> str:
        """'Undone critical error: Wait and see (decision 1, taken back 2026-03-01 10:02 UTC)'."""
        return (f"{UNDONE_CRITICAL_ERROR}: {undone.label} (decision {undone.number}, "
                f"taken back {when(undone.undone_at)})")


@dataclass(frozen=True)
class HeldBack:
    """The learner's own decisions that were not the best: each with its rating and the expert's choice,
    and where a player can try again from (the decision's position in the journey)."""

    items: tuple[DecisionLine, ...]
    key: str = "held_back"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]

    @staticmethod
    def text(line: DecisionLine) -> str:
        """'Decision 1: Wait and see (harmful); expert's choice: Start IV fluids', and for a question
        'Decision 4 (Which are CRAB features?): Kidney injury (1 of 2); expert's choice: ...'."""
        asked = f" ({line.question})" if line.question is not None else ""
        carried = f" ({CARRIED_OVER})" if line.carried else ""
        return (f"Decision {line.record.number}{asked}: {line.response} ({line.verdict}){carried}; "
                f"{LABELS['expert'].lower()}: {line.expert}")


@dataclass(frozen=True)
class Lab:
    """One visible stat over the journey."""

    stat: StatInfo
    days: tuple[int, ...]
    values: tuple[float, ...]

    def number(self, value: float) -> str:
        return number_text(value, self.stat.decimals)

    @property
    def title(self) -> str:
        """'Calcium (mmol/L)'."""
        return f"{self.stat.label} ({self.stat.unit})" if self.stat.unit else self.stat.label

    @property
    def normal_text(self) -> str | None:
        return range_text(self.stat.normal, self.stat.decimals) if self.stat.normal else None

    @property
    def summary(self) -> str:
        """'3.00 -> 2.40 mmol/L (normal 2.20 to 2.60; highest 3.05 on the way)'.

        Start, end and the normal range say how far a value moved and whether that matters; a lowest or
        highest is added only where the journey went beyond both ends."""
        start, end = self.values[0], self.values[-1]
        unit = f" {self.stat.unit}" if self.stat.unit else ""
        notes = [f"normal {self.normal_text}"] if self.normal_text else []
        if min(self.values) < min(start, end):
            notes.append(f"lowest {self.number(min(self.values))} on the way")
        if max(self.values) > max(start, end):
            notes.append(f"highest {self.number(max(self.values))} on the way")
        return f"{self.number(start)} -> {self.number(end)}{unit}" + (f" ({'; '.join(notes)})" if notes else "")

    @property
    def scale(self) -> tuple[float, float]:
        """The range a chart of this lab spans: its values and its normal range together, so a small
        change inside a wide range looks small."""
        low, high = min(self.values), max(self.values)
        if self.stat.normal:
            low, high = min(low, self.stat.normal[0]), max(high, self.stat.normal[1])
        return low, high


@dataclass(frozen=True)
class Labs:
    labs: tuple[Lab, ...]
    markers: tuple[tuple[int, int], ...]  # (action position, decision number), for charts
    key: str = "labs"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]


@dataclass(frozen=True)
class OptionLine:
    """A question's option, as the debrief explains it."""

    label: str
    picked: bool
    correct: bool
    rationale: str

    @property
    def mark(self) -> str:
        return ("picked, " if self.picked else "") + ("correct" if self.correct else "not correct")


@dataclass(frozen=True)
class NoteMark:
    """A piece of a highlight's note in the debrief: the note's own words, or a phrase with the learner's mark
    ('[x] 38.2 °C ✓') beside whether it mattered. A phrase left alone rightly has no sign: only what was
    selected, and what should have been, is judged."""

    text: str
    phrase: bool = False
    picked: bool = False
    correct: bool = False

    @property
    def box(self) -> str:
        return SELECTED if self.picked else NOT_SELECTED

    @property
    def sign(self) -> str:
        """✓ for a right phrase selected, ✗ for a wrong one selected or a right one missed, '' otherwise."""
        if not self.phrase or not (self.picked or self.correct):
            return ""
        return RIGHT if self.picked and self.correct else WRONG

    @property
    def words(self) -> str:
        """The mark in words, for a reader that does not show the signs: 'selected, right'."""
        if self.picked:
            return "selected, right" if self.correct else "selected, wrong"
        return "not selected, but it matters" if self.correct else "not selected"

    @property
    def tone(self) -> str:
        return {RIGHT: "good", WRONG: "bad"}.get(self.sign, "plain")

    @property
    def shown(self) -> str:
        """The piece as plain text shows it: the words as they are, a phrase as '[x] 38.2 °C ✓'."""
        if not self.phrase:
            return self.text
        return f"{self.box} {self.text}" + (f" {self.sign}" if self.sign else "")


def note_marks(decision: DecisionRecord) -> tuple[NoteMark, ...]:
    """A highlight's note as the learner read it, each phrase with their mark; () when the record has none."""
    right = {o.id for o in decision.options if isinstance(o, AnswerOption) and o.correct}
    return tuple(NoteMark(piece.text) if piece.phrase is None else
                 NoteMark(piece.text, True, piece.phrase in decision.response, piece.phrase in right)
                 for piece in decision.note)


@dataclass(frozen=True)
class PartLine:
    """One part of an item made of parts (a matrix row): the learner's pick beside the right one, and why."""

    label: str
    picked: tuple[str, ...]  # the texts of the options picked in it, as written
    right: tuple[str, ...]
    rationale: str
    notes: tuple[str, ...] = ()  # the picked options' own rationales, where they have one

    @property
    def correct(self) -> bool:
        """Exactly the right options were picked in this part."""
        return set(self.picked) == set(self.right)

    @property
    def right_picks(self) -> int:
        return len(set(self.picked) & set(self.right))

    @property
    def tone(self) -> str:
        """good when right, fair when some of several right answers were picked (a bow-tie's actions), else bad."""
        return "good" if self.correct else "fair" if self.right_picks and len(self.right) > 1 else "bad"

    @property
    def mark(self) -> str:
        """'✓ right', '◐ 1 of 2 right' or '✗ wrong': the sign for the eye, the words for a screen reader and
        for print."""
        if self.tone == "fair":
            return f"◐ {self.right_picks} of {len(self.right)} right"
        return "✓ right" if self.correct else "✗ wrong"

    @property
    def why(self) -> str:
        """What the picked options' own rationales say, then the part's."""
        return " ".join((*self.notes, self.rationale))

    @property
    def verdict(self) -> str:
        """The mark in words, with the key when it was missed: 'right', '1 of 2 right; the answers are ...'."""
        if self.correct:
            return "right"
        if self.tone == "fair":
            return f"{self.right_picks} of {len(self.right)} right; the answers are {self.right_text}"
        return f"wrong; the answer is {self.right_text}"

    @property
    def picked_text(self) -> str:
        return "; ".join(self.picked) or "nothing"

    @property
    def right_text(self) -> str:
        return "; ".join(self.right)


def part_lines(parts: tuple[AnswerPart, ...], response) -> tuple[PartLine, ...]:
    """The parts of an answer (unit ids 'part:option') as the records keep them, each beside its key."""
    chosen = set(response)
    lines = []
    for part in parts:
        picked = [o for o in part.options if f"{part.id}{UNIT_SEPARATOR}{o.id}" in chosen]
        lines.append(PartLine(part.label, tuple(o.label for o in picked),
                              tuple(o.label for o in part.options if o.correct), part.rationale,
                              tuple(o.rationale for o in picked if o.rationale)))
    return tuple(lines)


def part_line(part: Part, response, options: tuple[PartOption, ...] | None = None) -> PartLine:
    """One part of a live journey's answer beside its key, its options in the order given (as shown)."""
    chosen = set(response)
    picked = [o for o in options or part.options if part.unit(o.id) in chosen]
    return PartLine(part.label, tuple(o.text for o in picked), tuple(o.text for o in options or part.options
                                                                       if o.correct), part.rationale,
                    tuple(o.rationale for o in picked if o.rationale))


def trend_titles(trend: Trend) -> list[str]:
    """A trend table's column headings: 'Calcium (mmol/L)'."""
    return [f"{c.label} ({c.unit})" if c.unit else c.label for c in trend.columns]


def flag_legend(trend: Trend) -> str:
    """What the flags in a trend table mean, those it shows only: 'H: high; HH: critically high.' ('' if none)."""
    shown = {flag for row in trend.rows for flag in row.flags}
    return "; ".join(f"{flag}: {FLAG_WORDS[flag]}" for flag in FLAGS if flag and flag in shown) + (
        "." if shown - {""} else "")


@dataclass(frozen=True)
class DecisionLine:
    record: DecisionRecord
    options: tuple[OptionLine, ...]  # questions only
    parts: tuple[PartLine, ...] = ()  # items made of parts only (their options are the parts' cells)
    note: tuple[NoteMark, ...] = ()  # a highlight with a note only (the record keeps it): the note as marked

    @property
    def part_heading(self) -> str:
        """What the parts are called, as a heading: 'Row'."""
        return PART_NOUNS.get(self.record.question_type or "", "part").capitalize()

    @property
    def response(self) -> str:
        """What the learner chose, in words; for an item made of parts, how many parts were right (each part
        is shown beside its key under the decision: listing them here too would say everything twice)."""
        if self.parts:
            right = sum(1 for part in self.parts if part.correct)
            return f"{right} of {count_text(len(self.parts), self.part_heading.lower())} right"
        return "; ".join(self.record.response_labels)

    @property
    def carried(self) -> bool:
        """Made in an earlier attempt and carried into this one (see CARRIED_OVER)."""
        return self.record.carried_over

    @property
    def verdict(self) -> str:
        """The rating, or for a question the points."""
        return self.record.rating or points_text(self.record.points, self.record.max_points)

    @property
    def tone(self) -> str:
        """How good the verdict is (good, fair, bad, harm), for a renderer's colour beside the words."""
        d = self.record
        return RATING_TONE.get(d.rating or "", "plain") if d.rating else points_tone(d.points, d.max_points)

    @property
    def expert(self) -> str:
        if self.record.matched_expert:
            return "same as yours"
        if self.parts:
            return f"the right answer in every {self.part_heading.lower()}"
        return "; ".join(self.record.expert_labels) or "no better option was open"

    @property
    def story_time(self) -> str:
        return journey_day(self.record.day)

    @property
    def question(self) -> str | None:
        return self.record.prompt if self.record.kind == "answer" else None

    @property
    def exhibit(self) -> Trend | None:
        """The trend table a trend item was answered from, as the learner read it then."""
        return self.record.exhibit

    @property
    def details(self) -> list[tuple[str, str]]:
        """(label key, text) of the explanations that are there, in the order to show them."""
        d = self.record
        parts = [("outcome", d.outcome), ("chance", d.chance_text or ""), ("why", d.rationale),
                 ("nursing", d.nursing)]
        return [(key, text) for key, text in parts if text]


@dataclass(frozen=True)
class Decisions:
    items: tuple[DecisionLine, ...]
    key: str = "decisions"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]


@dataclass(frozen=True)
class ReferenceLine:
    id: str
    citation: str
    url: str | None

    @property
    def web_url(self) -> str | None:
        """The address, only if it is a web address (anything else is shown as text, never linked)."""
        return self.url if self.url and re.fullmatch(r"https?://[^\s<>]+", self.url) else None


@dataclass(frozen=True)
class References:
    items: tuple[ReferenceLine, ...]
    key: str = "references"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]


Section = Summary | Outcome | Overall | ScoreGroup | CriticalErrors | HeldBack | Labs | Decisions | References


def _outcome(record: AttemptRecord) -> Outcome:
    ending = record.ending
    if ending is None:
        status = STATUS_TEXT.get(record.status, record.status)
        return Outcome(None, None, "", f"The journey did not reach an ending ({status}).")
    return Outcome(ending.title, ending.kind, ending.text, f"{ending.title} ({ending.kind} ending)")


_ENDING_TONE = {"good": "good", "mixed": "fair", "poor": "bad"}


def _in_model_order(by_step: Mapping[str, ScoreTally]) -> dict[str, ScoreTally]:
    """The clinical-judgment steps as the model runs them, whatever order a record (an older one) lists."""
    known = [step for step in STEP_LABELS if step in by_step]
    return {step: by_step[step] for step in known + [k for k in by_step if k not in STEP_LABELS]}


def _groups(record: AttemptRecord) -> list[ScoreGroup]:
    scores = record.scores
    finished = record.status == "completed"
    named: tuple[tuple[str, Mapping[str, ScoreTally], Callable[[str], str]], ...] = (
        ("by_step", _in_model_order(scores.by_step), lambda k: STEP_LABELS.get(k, k)),
        # An objective is written as a sentence; before ': 3 of 4' its full stop reads as '.:'.
        ("by_objective", scores.by_objective, lambda k: record.story.objective_text(k).rstrip(". ")),
        ("by_category", scores.by_category, lambda k: k))
    return [ScoreGroup(key, tuple(ScoreLine(name(k), t, finished) for k, t in group.items()))
            for key, group, name in named if group]


def _labs(record: AttemptRecord) -> Labs | None:
    labs = []
    for stat in record.story.stats:
        points = [p for p in record.chart if stat.name in p.values]
        if points:
            labs.append(Lab(stat, tuple(p.day for p in points), tuple(p.values[stat.name] for p in points)))
    markers = tuple((d.position, d.number) for d in record.decisions)
    return Labs(tuple(labs), markers) if labs else None


def _decision(decision: DecisionRecord) -> DecisionLine:
    options: tuple[OptionLine, ...] = ()
    if decision.parts:
        return DecisionLine(decision, options, part_lines(decision.parts, decision.response))
    if decision.kind == "answer":
        options = tuple(OptionLine(o.label, o.id in decision.response, o.correct, o.rationale)  # type: ignore[union-attr]
                        for o in decision.options)
    return DecisionLine(decision, options, note=note_marks(decision))


@dataclass(frozen=True)
class DebriefView:
    title: str
    disclaimer: str
    sections: tuple[Section, ...]

    @classmethod
    def of(cls, record: AttemptRecord) -> DebriefView:
        decisions = tuple(_decision(d) for d in record.decisions)
        sections: list[Section | None] = [
            Summary(record), _outcome(record),
            Overall(ScoreLine("Overall", record.scores.overall, record.status == "completed")), *_groups(record),
            CriticalErrors(record.critical_errors, tuple(u for u in record.undone if u.critical)),
            HeldBack(tuple(line for line in decisions if not line.record.matched_expert)) if decisions else None,
            _labs(record), Decisions(decisions) if decisions else None,
            References(tuple(ReferenceLine(k, r.citation, r.url) for k, r in record.story.references.items()))
            if record.story.references else None,
        ]
        return cls(record.story.title, record.story.disclaimer, tuple(s for s in sections if s is not None))

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def around(self, key: str) -> tuple[tuple[Section, ...], Section | None, tuple[Section, ...]]:
        """The sections before `key`, that section (if shown) and those after: for a renderer that draws
        one section with widgets of its own (the TUI's lab charts)."""
        at = SECTION_ORDER.index(key)
        return (tuple(s for s in self.sections if SECTION_ORDER.index(s.key) < at), self.section(key),
                tuple(s for s in self.sections if SECTION_ORDER.index(s.key) > at))
