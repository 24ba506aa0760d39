"""An author's view of a journey's variables, like Inky's: what the learner's chart does not show.

Every stat with its value (hidden ones marked), every flag, the story clock, the scene, and the
last decisions with the events they led to. `play --watch` shows it beside the game (key v), so
an author sees a condition's inputs change as they play.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Consequence, Session
from .text import clock_text, stat_text

RECENT = 8  # decisions and pages kept in the view: the last screenful an author needs


@dataclass(frozen=True)
class StatValue:
    name: str  # the id conditions and effects use
    label: str
    value: str  # '3.05 mmol/L H'
    hidden: bool  # kept off the learner's chart (`visible: false`)


@dataclass(frozen=True)
class Variables:
    scene: str
    day: int  # days since the story began, from 0
    clock: str  # 'Month 1, week 2, day 3'
    stats: tuple[StatValue, ...]
    flags: tuple[tuple[str, bool], ...]
    recent: tuple[str, ...]  # the last decisions, oldest first, each with what it led to


def variables_of(session: Session, recent: int = RECENT) -> Variables:
    """The variables of `session` now, in the order the story declares them."""
    model = session.story.model
    stats = tuple(StatValue(name, stat.label, stat_text(session.state.stats[name], stat.decimals, stat.unit,
                                                        stat.normal), not stat.visible)
                  for name, stat in model.stats.items())
    flags = tuple((name, bool(session.state.flags[name])) for name in model.flags)
    lines = tuple(_line(consequence) for consequence in session.history[-recent:])
    return Variables(session.scene_id, session.day, clock_text(session.day), stats, flags, lines)


def _line(consequence: Consequence) -> str:
    """'3. Give fluids (best) → event fever_call → fever, +2 days' for one decision or page."""
    what = ("Continue" if consequence.kind == "next"
            else f"{consequence.number}. {consequence.label}" + (f" ({consequence.rating})" if consequence.rating
                                                                  else ""))
    days = consequence.day_after - consequence.day_before
    return (f"{what} → " + "".join(f"event {event} → " for event in consequence.events) + consequence.next_scene
            + (f", +{days} day{'s' if days != 1 else ''}" if days else ""))
