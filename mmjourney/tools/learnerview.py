"""Learner-view checks for `mmjourney check`: what the game will not show the way the author wrote it.

The full-screen game is laid out for terminals from 80x24 (`journey/layout.py` holds its sizes);
these warnings say where a text meets that screen badly, before a learner finds out:

option-too-long        a choice (with its category) or a question's option wraps to more lines than
                       its list shows at 80x24, so nobody sees all of it without scrolling the list
stat-label-too-long    a chart label wider than the chart (27 characters): it wraps, and the chart's
                       last line (a value or a normal range) drops out of view
numbered-list          a "1." list in the text of a scene whose options are numbered too: learners
                       take the list's numbers for the keys that pick an option
too-many-options       more than 9 choices or options: the number keys reach 9, and the rest have
                       no number on screen

Every field a learner is meant to read is shown by both players (see docs/authoring.md, "Where
each field appears"), so no field is warned about as unseen.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells

from ..journey import layout
from ..story import LoadedStory
from ..story.model import Option, Question, Scene
from .itemwriting import Flaw

# A Markdown ordered-list line: up to three spaces, digits, '.' or ')', then a space.
_NUMBERED = re.compile(r" {0,3}\d{1,9}[.)][ \t]")
_WORD = re.compile(r"\s*\S+\s*")
_SHRINK = "Shorten it (put the detail in the feedback or the scene's text)"


def wrapped_rows(text: str, width: int) -> int:
    """How many lines `text` takes when wrapped at `width` cells, the way the game wraps it: word by word
    (a word that would overflow goes to the next line; a word longer than a line is cut across lines)."""
    rows = 0
    for line in text.split("\n"):
        rows += 1
        used = 0
        for word in _WORD.findall(line):
            length = cell_len(word.rstrip())
            if width - used >= length:
                used += cell_len(word)
            elif length > width:
                pieces = chop_cells(word, width)
                rows += len(pieces) - (0 if used else 1)
                used = cell_len(pieces[-1])
            else:
                rows += 1 if used else 0
                used = cell_len(word)
    return rows


def _choice_text(choice) -> str:
    """A choice as the list shows it: the label, its category, and why it is greyed out when it can be."""
    note = f"\nNot available: {choice.disabled_reason}" if choice.condition and choice.disabled_reason else ""
    return f"{choice.label}  [{choice.category}]{note}"


def _choices(scene_id: str, scene: Scene) -> list[Flaw]:
    flaws = []
    width = layout.option_width("1.")
    shown = min(layout.list_rows(layout.CHOICE_LIST_VH), layout.decision_rows())
    for number, choice in enumerate(scene.choices or ()):
        rows = wrapped_rows(_choice_text(choice), width)
        if rows > shown:
            flaws.append(Flaw("option-too-long", ("scenes", scene_id, "choices", number, "label"),
                              f"choice '{choice.id}' is too long for the game's list of choices at 80x24: with its "
                              f"category it takes {rows} lines of {width} characters there, and the list shows "
                              f"{shown}, so learners never see all of it at once. {_SHRINK}."))
    return flaws


def _offered(question: Question) -> tuple[str, list[Option]]:
    """Where a question's options are written and what they are, as written: a highlight's phrases (each as
    its list shows it, a table row with its label), or the options."""
    if question.type != "highlight":
        return "options", list(question.options)
    by_id = {option.id: option for option in question.selectable}
    return "phrases", [by_id[phrase.id] for phrase in question.phrases or ()]


def _question(scene_id: str, question: Question) -> list[Flaw]:
    if question.has_parts:
        return []  # a matrix's rows are one line each in its grid
    single = question.type == "single_best"
    width = layout.option_width("1." if single else "1. [x]")
    prompt = wrapped_rows(question.prompt, layout.decision_width())
    room = layout.decision_rows() - prompt - (0 if single else layout.SUBMIT_ROWS)
    shown = min(layout.list_rows(layout.ANSWER_LIST_VH), room)
    path = ("scenes", scene_id, "question")
    if shown < 1:
        return [Flaw("option-too-long", path + ("prompt",),
                     f"the prompt of question '{question.id}' takes {prompt} lines of the game's decision area at "
                     f"80x24, which has {layout.decision_rows()}: no room is left to show its options. Shorten "
                     "the prompt (the scene's text above it can say more).")]
    squeezed = (f" (the prompt above it takes {prompt} of the decision area's {layout.decision_rows()} lines)"
                if room < layout.list_rows(layout.ANSWER_LIST_VH) else "")
    flaws = []
    field, written = _offered(question)
    for number, option in enumerate(written):
        rows = wrapped_rows(option.text, width)
        if rows > shown:
            flaws.append(Flaw("option-too-long", path + (field, number, "text"),
                              f"option '{option.id}' of question '{question.id}' is too long for the game at "
                              f"80x24: it takes {rows} lines of {width} characters there, and the list of options "
                              f"shows {shown}{squeezed}, so learners never see all of it at once. {_SHRINK}, or "
                              "the prompt."))
    return flaws


def _numbered_list(scene_id: str, scene: Scene) -> Flaw | None:
    for where, text in scene.written_texts():  # every paragraph, whichever path shows it
        for index, line in enumerate(text.split("\n")):
            if _NUMBERED.match(line):
                what = "choices" if scene.kind == "choices" else "question's options"
                return Flaw("numbered-list", ("scenes", scene_id, "text", *where),
                            f"scene '{scene_id}' has a numbered list in its text ('{line.strip()[:40]}'), and its "
                            f"{what} are numbered too: learners take the list's numbers for the keys that pick an "
                            "option. Write the list with '- ' bullets instead.", text_line=index)
    return None


def _too_many(scene_id: str, scene: Scene) -> Flaw | None:
    keys = layout.NUMBER_KEYS
    if scene.kind == "choices" and len(scene.choices or ()) > keys:
        count, path = len(scene.choices or ()), ("scenes", scene_id, "choices")
        what = f"scene '{scene_id}' has {count} choices"
    elif scene.question is not None and not scene.question.has_parts and len(scene.question.selectable) > keys:
        count, path = len(scene.question.selectable), ("scenes", scene_id, "question", _offered(scene.question)[0])
        what = f"question '{scene.question.id}' has {count} options"
    else:
        return None
    return Flaw("too-many-options", path,
                f"{what}; the number keys reach {keys}, so in the game option {keys + 1} and later "
                f"have no number and are reached only with the arrow keys. Keep to {keys}, or split the decision "
                "over two scenes.")


def _stat_labels(story: LoadedStory) -> list[Flaw]:
    width = layout.chart_width()
    return [Flaw("stat-label-too-long", ("stats", name, "label"),
                 f"the label of stat '{name}' is {cell_len(stat.label)} characters, and the game's patient chart is "
                 f"{width} wide (from 80 to 129 columns): the label wraps onto a second line and pushes the chart's "
                 f"last line out of view, so a value or a normal range below it is not shown (with many stats, the "
                 f"label is cut short instead). Shorten it to {width} characters; the scene's text can say more.")
            for name, stat in story.model.stats.items() if stat.visible and cell_len(stat.label) > width]


def learner_view(story: LoadedStory) -> list[Flaw]:
    """Every learner-view warning of a story, scene by scene, then the chart's."""
    flaws: list[Flaw] = []
    for scene_id, scene in story.model.scenes.items():
        if scene.kind == "choices":
            flaws += _choices(scene_id, scene)
        elif scene.kind == "question" and scene.question is not None:
            flaws += _question(scene_id, scene.question)
        else:
            continue
        flaws += [flaw for flaw in (_numbered_list(scene_id, scene), _too_many(scene_id, scene)) if flaw]
    return flaws + _stat_labels(story)
