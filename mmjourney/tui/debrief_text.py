"""The debrief view model as literal Textual Content: one look for the game's debrief and a past attempt's.

Story text is never markup here: every piece goes in as plain text, styled only by its position.
"""

from __future__ import annotations

from textual.content import Content

from ..journey.debrief_view import (
    CRITICAL_ERROR,
    LABELS,
    NOTHING_HELD_BACK,
    CriticalErrors,
    Decisions,
    HeldBack,
    Labs,
    Outcome,
    Overall,
    References,
    ScoreGroup,
    Section,
    Summary,
)
from .widgets.chart import sparkline


def _summary(summary: Summary) -> list:
    judged = summary.record.verdict
    parts: list = [(f"{summary.heading}: ", "bold"), (summary.safety, "bold $success" if judged.safe else
                                                       "bold reverse $error"),
                   "  ", (summary.passing, "bold $success" if judged.passed else "bold $warning"), "\n"]
    return parts + ([summary.undos, "\n"] if summary.undos else [])


def _held_back(held: HeldBack) -> list:
    parts: list = [(held.heading + "\n", "bold")]
    for line in held.items:
        parts += ["- ", held.text(line), "\n"]
    return parts + ([] if held.items else [NOTHING_HELD_BACK, "\n"])


def _outcome(outcome: Outcome) -> list:
    return [(f"{outcome.heading}: ", "bold"), outcome.summary, "\n"]


def _overall(overall: Overall) -> list:
    return [(f"{overall.heading}: ", "bold"), overall.line.score, "\n"]


def _group(group: ScoreGroup) -> list:
    parts: list = [(group.heading + "\n", "bold")]
    for line in group.lines:
        parts += ["- ", line.label, ": ", line.score, "\n"]
    return parts


def _critical(errors: CriticalErrors) -> list:
    parts: list = [(errors.heading + "\n", "bold")]
    for error in errors.items:
        parts += ["- ", (f"Decision {error.number}: ", "bold"), error.label, "\n"]
    parts += [] if errors.items else [errors.none_text, "\n"]
    for undone in errors.undone:
        parts += ["- ", (errors.undone_text(undone), "$error"), "\n"]
    return parts


def _labs(labs: Labs) -> list:
    parts: list = [(labs.heading + "\n", "bold")]
    for lab in labs.labs:
        parts += ["- ", lab.title, ": ", lab.summary, "  ", sparkline(lab.values), "\n"]
    return parts


def _decisions(decisions: Decisions) -> list:
    parts: list = [(decisions.heading + "\n", "bold")]
    for line in decisions.items:
        d = line.record
        parts += ["\n", (f"{d.number}. ", "bold"), line.response, (f"  [{line.verdict}]", "italic")]
        if d.critical:
            parts.append((f"  {CRITICAL_ERROR}", "bold reverse $error"))
        parts += ["\n   ", (line.story_time, "dim"), "\n"]
        if line.question is not None:
            parts += [f"   {LABELS['question']}: ", line.question, "\n"]
        parts += [f"   {LABELS['expert']}: ", line.expert, "\n"]
        if d.rationale:
            parts += [f"   {LABELS['why']}: ", d.rationale, "\n"]
    return parts


def _references(references: References) -> list:
    parts: list = [(references.heading + "\n", "bold")]
    for ref in references.items:
        parts += ["- ", ref.citation, "\n"]
    return parts


_SECTIONS = {Summary: _summary, Outcome: _outcome, Overall: _overall, ScoreGroup: _group, CriticalErrors: _critical,
             HeldBack: _held_back, Labs: _labs, Decisions: _decisions, References: _references}


def section_content(*sections: Section) -> Content:
    """Sections one after another, a blank line between them."""
    parts: list = []
    for section in sections:
        if parts:
            parts.append("\n")
        parts += _SECTIONS[type(section)](section)
    return Content.assemble(*parts)
