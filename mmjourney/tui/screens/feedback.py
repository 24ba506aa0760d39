"""Feedback on a decision (practice mode): what happened, why, what a nurse does, and after a choice that
was not the best, the best one and why (item-writing.md: feedback after a non-best decision says it).
A section with nothing to say is left out, so no heading stands over an empty space."""

from __future__ import annotations

from textual.content import Content

from ...engine import Consequence, Session, better_choice, duration_text
from ...journey import shown_order
from ...journey.attempt import answer_parts
from ...journey.debrief_view import CRITICAL_ERROR, RATING_TONE, linked_rule, part_lines, points_tone
from ...journey.prompt import sentence
from ...journey.text import points_text
from ..debrief_text import TONE_STYLE, part_content

# The rating in words; its colour (the debrief's tone for it) only helps the eye.
RATING_WORDS = {"best": "Best choice", "acceptable": "Acceptable", "poor": "Poor choice", "harmful": "Harmful"}
# How an option is marked: as the question asked for it, one answer or several.
PICKED_MARK = {"single_best": ("(•) ", "( ) "), "select_all": ("[x] ", "[ ] "), "select_n": ("[x] ", "[ ] "),
               "highlight": ("[x] ", "[ ] ")}
PICKED_WORDS = {"single_best": "you chose it", "select_all": "you ticked it", "select_n": "you ticked it",
                "highlight": "you selected it"}


def reference_lines(session: Session, ids) -> list:
    parts = []
    references = session.story.model.references
    for ref_id in ids:
        reference = references.get(ref_id)
        if reference is not None:
            parts += ["- ", reference.citation, "\n"]
    return parts


def _section(heading: str, text: str) -> list:
    """A heading and its text, or nothing when there is no text."""
    return [(heading + "\n", "bold"), text, "\n\n"] if text.strip() else []


def _verdict(consequence: Consequence) -> list:
    if consequence.rating:
        parts: list = [("Rating: ", "bold"), (RATING_WORDS[consequence.rating],
                                              TONE_STYLE[RATING_TONE[consequence.rating]])]
        if consequence.critical:
            parts += ["  ", (CRITICAL_ERROR, TONE_STYLE["harm"])]
        return parts + ["\n\n"]
    if consequence.max_points:
        return [("Score: ", "bold"), (points_text(consequence.points, consequence.max_points),
                                      TONE_STYLE[points_tone(consequence.points, consequence.max_points)]), "\n\n"]
    return []


def _options(session: Session, consequence: Consequence) -> list:
    """A question's options, in the order they were shown: which the learner picked ('you chose it' for one
    answer, 'you ticked it' for several), which are correct, and why."""
    question = session.story.model.scenes[consequence.scene].question
    marks, words = PICKED_MARK[question.type], PICKED_WORDS[question.type]
    # A highlight's phrases in the note's order, as they were shown.
    what = "options" if question.type != "highlight" else "phrases" if question.text is not None else "rows"
    fixed = question.order == "fixed" or question.type == "highlight"
    parts: list = [(f"The {what}\n", "bold")]
    for option in shown_order(session, list(question.selectable), fixed, scene_id=consequence.scene):
        picked = option.id in consequence.picked
        verdict = "correct" if option.correct else "not correct"
        parts += [marks[0] if picked else marks[1], option.text,
                  (f" ({words}; {verdict})" if picked else f" ({verdict})", "bold" if picked else "italic"),
                  ": ", option.rationale, "\n"]
    if question.explanation:
        parts += ["\n", question.explanation, "\n"]
    return parts + ["\n"]


def _parts(session: Session, consequence: Consequence) -> list:
    """An item made of parts (a matrix, a cloze): each part's answer beside the right one, and why; a cloze's
    sentence as it reads when right."""
    question = session.story.model.scenes[consequence.scene].question
    rule = linked_rule(question)
    linked = f" ({rule})" if rule else ""
    parts: list = [(f"The {question.part_noun}s", "bold"), linked, "\n"]
    for line in part_lines(answer_parts(question), consequence.picked):
        parts += [part_content(line), "\n", "   ", line.why, "\n"]
    if question.passage():
        parts += ["\n", ("The right answer reads: ", "bold"), sentence(question, question.correct_units), "\n"]
    if question.explanation:
        parts += ["\n", question.explanation, "\n"]
    return parts + ["\n"]


def _changes(session: Session, consequence: Consequence) -> list:
    changes = [c for c in consequence.changes if c.visible]
    elapsed = consequence.day_after - consequence.day_before
    if not changes:
        return [("Time passed: ", "bold"), duration_text(elapsed), "\n\n"] if elapsed else []
    parts: list = [("How the patient changed", "bold"), f" (over {duration_text(elapsed)})" if elapsed else "", "\n"]
    stats = session.story.model.stats
    for change in changes:
        stat = stats[change.name]
        arrow = "▲" if change.after > change.before else "▼"
        parts += ["- ", stat.label, f": {change.before:.{stat.decimals}f} -> {change.after:.{stat.decimals}f} ",
                  stat.unit, f" {arrow}\n"]
    return parts + ["\n"]


def consequence_content(session: Session, consequence: Consequence) -> Content:
    """Everything the learner should read about one decision, as literal text."""
    parts: list = _verdict(consequence)
    if consequence.chance_text:
        parts += [consequence.chance_text, "\n\n"]
    feedback = consequence.feedback
    if feedback is not None:
        parts += _section("What happened", feedback.outcome) + _section("Why", feedback.rationale)
        parts += _section("Nursing considerations", feedback.nursing)
    better = better_choice(session.story, consequence)
    if better is not None:
        parts += [("The best choice: ", "bold"), better.label, "\n", better.feedback.rationale, "\n\n"]
    if consequence.kind == "answer":
        question = session.story.model.scenes[consequence.scene].question
        parts += _parts(session, consequence) if question.has_parts else _options(session, consequence)
    parts += _changes(session, consequence)
    if consequence.events:
        parts += [("Interrupted: ", "bold"), "something happened on the way; read the next scene.\n\n"]
    refs = reference_lines(session, consequence.references)
    if refs:
        parts += [("References\n", "bold"), *refs]
    return Content.assemble(*parts)
