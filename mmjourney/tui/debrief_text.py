"""The debrief view model as literal Textual Content: one look for the game's debrief and a past attempt's.

Story text is never markup here: every piece goes in as plain text, styled only by its position.
"""

from __future__ import annotations

from textual.content import Content

from ..journey.debrief_view import (
    CARRIED_OVER,
    CRITICAL_ERROR,
    LABELS,
    NOTE_LEGEND,
    NOTHING_HELD_BACK,
    CriticalErrors,
    DecisionLine,
    Decisions,
    HeldBack,
    Lab,
    Labs,
    NoteMark,
    Outcome,
    Overall,
    PartLine,
    References,
    ScoreGroup,
    Section,
    Summary,
)
from .widgets.chart import scaled_sparkline
from .widgets.exhibit import trend_content

# The view's tones as styles. Every toned text says its verdict in words too ("poor", "Unsafe"): the colour
# only helps the eye find it. The $text-* colours are the theme's own, made to be read on its background.
TONE_STYLE = {"good": "bold $text-success", "fair": "bold $text-warning", "bad": "bold $text-error",
              "harm": "bold white on $error-darken-1", "plain": "bold"}


def summary_card(summary: Summary) -> Content:
    """The rows of the summary card, labels in one column: 'Score     4 of 5 (80%)'."""
    rows = summary.rows
    width = max(len(row.label) for row in rows) + 2
    parts: list = []
    for row in rows:
        parts += [("\n" if parts else ""), row.label.ljust(width), (row.text, TONE_STYLE[row.tone])]
    return Content.assemble(*parts)


def verdict_content(line: DecisionLine) -> Content:
    """'[poor]' in the colour of its tone; 'CRITICAL ERROR' after it when it was one, and 'carried over from an
    earlier attempt' when this attempt only replayed it."""
    parts: list = [(f"[{line.verdict}]", TONE_STYLE[line.tone])]
    if line.record.critical:
        parts += [" ", (CRITICAL_ERROR, TONE_STYLE["harm"])]
    if line.carried:
        parts += [" ", (f"({CARRIED_OVER})", "italic")]
    return Content.assemble(*parts)


def _summary(summary: Summary) -> list:
    return [(summary.heading + "\n", "bold"), summary_card(summary), "\n"]


def revisit_content(line: DecisionLine) -> Content:
    """One decision to revisit: '5. Agree that ... [harmful] CRITICAL ERROR' (for a question, the question
    and then the answer given) and, below, the expert's choice."""
    number = (f"{line.record.number}. ", "bold")
    if line.question is None:
        said: list = [number, line.response, " ", verdict_content(line)]
    else:
        said = [number, line.question, "\n", ("   Your answer: ", "italic"), line.response, " ", verdict_content(line)]
    return Content.assemble(*said, "\n", (f"   {LABELS['expert']}: ", "italic"), line.expert)


def _held_back(held: HeldBack) -> list:
    parts: list = [(held.heading + "\n", "bold")]
    for line in held.items:
        parts += ["- ", revisit_content(line), "\n"]
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


SPARK_WIDTH = 12


def lab_content(lab: Lab) -> Content:
    """'▁▁▁▁  Haemoglobin: 102 -> 105 g/L (normal 130 to 170)': a sparkline on the scale of the normal range
    too (a small change looks small), then start, end and the normal range in words. The sparkline comes
    first, at one width, so the lines align whatever the labels' lengths."""
    spark = scaled_sparkline(lab.values, *lab.scale, SPARK_WIDTH)
    return Content.assemble((spark.ljust(SPARK_WIDTH), "$text-accent"), "  ", (lab.stat.label, "bold"), ": ",
                            lab.summary)


def _labs(labs: Labs) -> list:
    parts: list = [(labs.heading + "\n", "bold")]
    for lab in labs.labs:
        parts += [lab_content(lab), "\n"]
    return parts


def _decisions(decisions: Decisions) -> list:
    parts: list = [(decisions.heading + "\n", "bold")]
    for line in decisions.items:
        d = line.record
        parts += ["\n", (f"{d.number}. ", "bold"), line.response, "  ", verdict_content(line)]
        parts += ["\n   ", (line.story_time, "dim"), "\n"]
        if line.question is not None:
            parts += [f"   {LABELS['question']}: ", line.question, "\n"]
        if line.exhibit is not None:
            parts += [trend_content(line.exhibit, heading=LABELS["exhibit"], indent="   "), "\n"]
        if line.note:
            parts += [note_content(line.note, indent="   "), "\n"]
        parts += [f"   {LABELS['expert']}: ", line.expert, "\n"]
        if d.rationale:
            parts += [f"   {LABELS['why']}: ", d.rationale, "\n"]
        for part in line.parts:
            parts += ["   ", part_content(part), "\n"]
    return parts


def note_content(note: tuple[NoteMark, ...], indent: str = "") -> Content:
    """A highlight's note as the learner marked it: each phrase '[x] 38.2 °C ✓' in its place, the phrase in bold
    (underlined when selected) and its sign in the colour of its tone, then what the signs mean."""
    said: list = [(f"{indent}{LABELS['note']}:", "italic"), f"\n{indent}"]
    for piece in note:
        if not piece.phrase:
            said.append(piece.text)
            continue
        said += [(f"{piece.box} {piece.text}", "bold underline" if piece.picked else "bold")]
        if piece.sign:
            said += [" ", (piece.sign, TONE_STYLE[piece.tone])]
    return Content.assemble(*said, (f"\n{indent}{NOTE_LEGEND}", "dim"))


def part_content(part: PartLine) -> Content:
    """'✓ right  Drowsy and muddled: Expected' and, after a wrong one, the right answer: a part of an item made of
    parts (a matrix row), the learner's answer beside the key."""
    said: list = [(part.mark, TONE_STYLE[part.tone]), "  ", part.label, ": ", part.picked_text]
    if not part.correct:
        said += [("  right answer: ", "italic"), part.right_text]
    return Content.assemble(*said)


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
