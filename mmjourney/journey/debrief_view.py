"""The debrief as one view model: every front end and every export renders these sections.

`DebriefView.of(record)` reads an `AttemptRecord` (a live journey's comes from `session_record`)
and gives the sections in one fixed order, with one set of headings and one rule for what is
left out: a score group with nothing in it, labs with no values, a journey without references.
Critical errors are always shown: "none" is itself something a learner should read.

The outcome comes first because every debrief has always opened with how the story ended; the
scores and decisions then explain it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..engine import STEP_LABELS
from .record import AttemptRecord, CriticalError, DecisionRecord, ScoreTally, StatInfo
from .text import clock_text, number_text, points_text, range_text, score_text

SECTION_ORDER = ("outcome", "overall", "by_step", "by_objective", "by_category", "critical_errors", "labs",
                 "decisions", "references")
HEADINGS = {
    "outcome": "Outcome",
    "overall": "Overall score",
    "by_step": "By clinical-judgment step",
    "by_objective": "By learning objective",
    "by_category": "By category",
    "critical_errors": "Critical errors",
    "labs": "Key labs over the journey",
    "decisions": "Your decisions beside the expert's",
    "references": "References",
}
# The labels of the parts of one decision, in the order a full renderer shows them.
LABELS = {
    "question": "Question",
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

    @property
    def score(self) -> str:
        return score_text(self.tally)

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
    key: str = "critical_errors"

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]


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
        """'3.00 -> 2.40 (lowest 2.40, highest 3.05; normal 2.20 to 2.60)'."""
        normal = f"; normal {self.normal_text}" if self.normal_text else ""
        return (f"{self.number(self.values[0])} -> {self.number(self.values[-1])} (lowest "
                f"{self.number(min(self.values))}, highest {self.number(max(self.values))}{normal})")


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
class DecisionLine:
    record: DecisionRecord
    options: tuple[OptionLine, ...]  # questions only

    @property
    def response(self) -> str:
        return "; ".join(self.record.response_labels)

    @property
    def verdict(self) -> str:
        """The rating, or for a question the points."""
        return self.record.rating or points_text(self.record.points, self.record.max_points)

    @property
    def expert(self) -> str:
        if self.record.matched_expert:
            return "same as yours"
        return "; ".join(self.record.expert_labels) or "no better option was open"

    @property
    def story_time(self) -> str:
        return clock_text(self.record.day)

    @property
    def question(self) -> str | None:
        return self.record.prompt if self.record.kind == "answer" else None

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


Section = Outcome | Overall | ScoreGroup | CriticalErrors | Labs | Decisions | References


def _outcome(record: AttemptRecord) -> Outcome:
    ending = record.ending
    if ending is None:
        status = STATUS_TEXT.get(record.status, record.status)
        return Outcome(None, None, "", f"The journey did not reach an ending ({status}).")
    return Outcome(ending.title, ending.kind, ending.text, f"{ending.title} ({ending.kind} ending)")


def _groups(record: AttemptRecord) -> list[ScoreGroup]:
    scores = record.scores
    named: tuple[tuple[str, Mapping[str, ScoreTally], Callable[[str], str]], ...] = (
        ("by_step", scores.by_step, lambda k: STEP_LABELS.get(k, k)),
             ("by_objective", scores.by_objective, record.story.objective_text),
             ("by_category", scores.by_category, lambda k: k))
    return [ScoreGroup(key, tuple(ScoreLine(name(k), t) for k, t in group.items()))
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
    if decision.kind == "answer":
        options = tuple(OptionLine(o.label, o.id in decision.response, o.correct, o.rationale)  # type: ignore[union-attr]
                        for o in decision.options)
    return DecisionLine(decision, options)


@dataclass(frozen=True)
class DebriefView:
    title: str
    disclaimer: str
    sections: tuple[Section, ...]

    @classmethod
    def of(cls, record: AttemptRecord) -> DebriefView:
        sections: list[Section | None] = [
            _outcome(record), Overall(ScoreLine("Overall", record.scores.overall)), *_groups(record),
            CriticalErrors(record.critical_errors), _labs(record),
            Decisions(tuple(_decision(d) for d in record.decisions)) if record.decisions else None,
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
