"""Feedback on a decision (practice mode): what happened, why, what a nurse does, and after a choice that
was not the best, the best one and why (item-writing.md: feedback after a non-best decision says it)."""

from __future__ import annotations

from textual.content import Content

from ...engine import Consequence, Session, better_choice, duration_text
from ...journey.text import points_text

RATING_TEXT = {
    "best": ("Best choice", "bold $success"),
    "acceptable": ("Acceptable", "bold $warning"),
    "poor": ("Poor choice", "bold $error"),
    "harmful": ("Harmful", "bold reverse $error"),
}


def reference_lines(session: Session, ids) -> list:
    parts = []
    references = session.story.model.references
    for ref_id in ids:
        reference = references.get(ref_id)
        if reference is not None:
            parts += ["- ", reference.citation, "\n"]
    return parts


def consequence_content(session: Session, consequence: Consequence) -> Content:
    """Everything the learner should read about one decision, as literal text."""
    parts: list = []
    if consequence.rating:
        text, style = RATING_TEXT[consequence.rating]
        parts += [("Rating: ", "bold"), (text, style)]
        if consequence.critical:
            parts += ["  ", ("CRITICAL ERROR", "bold reverse $error")]
        parts.append("\n\n")
    elif consequence.max_points:
        parts += [("Score: ", "bold"), points_text(consequence.points, consequence.max_points), "\n\n"]
    if consequence.chance_text:
        parts += [consequence.chance_text, "\n\n"]
    feedback = consequence.feedback
    if feedback is not None:
        parts += [("What happened\n", "bold"), feedback.outcome, "\n\n", ("Why\n", "bold"), feedback.rationale, "\n\n"]
        if feedback.nursing:
            parts += [("Nursing considerations\n", "bold"), feedback.nursing, "\n\n"]
    better = better_choice(session.story, consequence)
    if better is not None:
        parts += [("The best choice\n", "bold"), better.label, "\n", better.feedback.rationale, "\n\n"]
    if consequence.kind == "answer":
        question = session.story.model.scenes[consequence.scene].question
        parts.append(("The options\n", "bold"))
        for option in question.options:
            verdict = "correct" if option.correct else "not correct"
            picked = "you ticked it; " if option.id in consequence.picked else ""
            parts += ["- ", option.text, (f" ({picked}{verdict})", "italic"), ": ", option.rationale, "\n"]
        if question.explanation:
            parts += ["\n", question.explanation, "\n"]
        parts.append("\n")
    changes = [c for c in consequence.changes if c.visible]
    elapsed = consequence.day_after - consequence.day_before
    if changes or elapsed:
        parts.append(("How the patient changed", "bold"))
        if elapsed:
            parts.append(f" (over {duration_text(elapsed)})")
        parts.append("\n")
        stats = session.story.model.stats
        for change in changes:
            stat = stats[change.name]
            arrow = "▲" if change.after > change.before else "▼"
            parts += ["- ", stat.label, f": {change.before:.{stat.decimals}f} -> {change.after:.{stat.decimals}f} ",
                      stat.unit, f" {arrow}\n"]
        parts.append("\n")
    if consequence.events:
        parts += [("Interrupted: ", "bold"), "something happened on the way; read the next scene.\n\n"]
    refs = reference_lines(session, consequence.references)
    if refs:
        parts += [("References\n", "bold"), *refs]
    return Content.assemble(*parts)
