"""The debrief read out line by line: the sections every debrief has, in words rather than signs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..journey.debrief_view import (
    CARRIED_OVER,
    CRITICAL_ERROR,
    LABELS,
    NOTE_LEGEND,
    NOTHING_HELD_BACK,
    CriticalErrors,
    DebriefView,
    Decisions,
    HeldBack,
    Labs,
    NoteMark,
    Outcome,
    Overall,
    References,
    ScoreGroup,
    Summary,
)
from ..journey.record import AttemptRecord
from .words import spoken_unit

NBSP = "\u00a0"

if TYPE_CHECKING:
    from .player import PlainPlayer


def _unbroken(piece: NoteMark) -> str:
    """A piece of a note as the wrapped lines show it: a phrase's box whole and kept to its first word (no-break
    spaces), so '[ ]' never ends a line alone."""
    if not piece.phrase:
        return piece.text
    return piece.shown.replace(f"{piece.box} ", piece.box.replace(" ", NBSP) + NBSP, 1)


class DebriefReader:
    def __init__(self, player: PlainPlayer) -> None:
        self.say = player.say
        self.para = player.para
        self.wrapped = player.wrapped
        self.readings = player.readings

    def read(self, record: AttemptRecord) -> None:
        """The debrief's sections, in the order and with the headings every debrief uses."""
        view = DebriefView.of(record)
        self.say("Debrief")
        self.say()
        for section in view.sections:
            if isinstance(section, Summary):
                self.say(f"{section.heading}: {section.safety}. {section.passing}.")
                if section.undos:
                    self.say(f"{section.undos}.")
                if section.carried:
                    self.wrapped(f"Carried over: {section.carried}.", "", "  ")
            elif isinstance(section, Outcome):
                self.say(f"The end: {section.summary}.")
            elif isinstance(section, Overall):
                self.say(f"{section.heading}: {section.line.score}.")
            else:
                self.say()
                self.say(f"{section.heading}:")
                self.section(section)
        self.say()
        self.para(view.disclaimer)

    def section(self, section) -> None:
        if isinstance(section, ScoreGroup):
            for line in section.lines:  # an objective written as a sentence keeps no full stop before ':'
                self.wrapped(f"{line.label.rstrip('.')}: {line.score}", "  ", "    ")
        elif isinstance(section, CriticalErrors):
            for error in section.items:
                self.say(f"  - Decision {error.number}: {error.label}")
            if not section.items:
                self.say(f"  {section.none_text}")
            for undone in section.undone:
                self.say(f"  - {section.undone_text(undone)}")
        elif isinstance(section, HeldBack):
            for line in section.items:
                self.para(f"- {section.text(line)}", "  ")
            if not section.items:
                self.say(f"  {NOTHING_HELD_BACK}")
        elif isinstance(section, Labs):
            for lab in section.labs:
                values, number = lab.values, lab.number
                normal = f"; normal {lab.normal_text}" if lab.normal_text else ""
                spoken = spoken_unit(lab.stat.unit)
                unit = "" if not spoken else f", {spoken}" if spoken.startswith("out of") else f", in {spoken}"
                self.wrapped(f"{lab.stat.label}{unit}: from {number(values[0])} to {number(values[-1])} (lowest "
                             f"{number(min(values))}, highest {number(max(values))}{normal})", "  ", "    ")
        elif isinstance(section, Decisions):
            self.decisions(section)
        elif isinstance(section, References):
            for ref in section.items:
                self.para(f"- {ref.id}: {ref.citation}" + (f" {ref.url}" if ref.url else ""), "  ")

    def decisions(self, decisions: Decisions) -> None:
        for line in decisions.items:
            d = line.record
            critical = f", {CRITICAL_ERROR.lower()}" if d.critical else ""
            carried = f", {CARRIED_OVER}" if line.carried else ""
            self.wrapped(f"Decision {d.number}: {line.response}. Rated {line.verdict}{critical}{carried}.", "  ",
                         "    ")
            if line.question is not None:
                self.para(f"{LABELS['question']}: {line.question}", "    ")
            if line.exhibit is not None:
                self.para(f"{LABELS['exhibit']}, {len(line.exhibit.rows)} days:", "    ")
                self.readings(line.exhibit, "      ")
                self.say()
            if line.note:
                self.say(f"    {LABELS['note']}:")
                self.wrapped("".join(_unbroken(piece) for piece in line.note), "      ", "      ")
                self.wrapped(NOTE_LEGEND, "      ", "      ")
                self.say()
            self.para(f"{LABELS['expert']}: {line.expert}", "    ")
            if d.rationale:
                self.para(f"{LABELS['why']}: {d.rationale}", "    ")
            for part in line.parts:
                self.para(f"{part.label}: you answered {part.picked_text}, {part.verdict}. {part.why}", "    ")
