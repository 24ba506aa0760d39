"""The words a learner can type at any prompt of the plain player, besides an answer.

The full-screen player has keys and screens for these; a listener has only the prompt, so each
one is a word (or its first letter) that works wherever a number or Enter is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""


# name, what a learner may type for it, and what `help` says about it (in the order help lists them).
COMMANDS = (
    ("repeat", ("repeat", "r"), "hear the scene again, with its choices"),
    ("chart", ("chart", "c"), "hear the patient chart: every result, with its normal range"),
    ("glossary", ("glossary", "g"), "glossary TERM explains a term (for example: glossary CRAB); "
                                    "glossary alone lists the terms"),
    ("undo", ("undo", "u"), "take back your last decision (practice mode only)"),
    ("help", ("help", "h", "?"), "hear these commands again"),
    ("quit", ("quit", "q"), "stop here; your journey is saved and can be continued later"),
)
_BY_WORD = {word: name for name, words, _ in COMMANDS for word in words}


def parse_command(line: str) -> Command | None:
    """The command typed on `line` ('g CRAB', 'Chart'), or None when it is not a command."""
    word, _, rest = line.strip().partition(" ")
    name = _BY_WORD.get(word.lower())
    if name is None:
        return None
    argument = " ".join(rest.split())
    if argument and name != "glossary":
        return None  # 'repeat the scene' is not a command: the player says what it expected
    return Command(name, argument)


def help_lines(can_undo: bool) -> list[str]:
    """What `help` says, as Markdown lines: how to answer, then each command."""
    lines = ["To decide, type the number of a choice and press Enter. For a question, type the numbers of "
             "your answers separated by commas, for example 1,3. For a question in rows or blanks (a matrix, a "
             "drop-down, a bow-tie), type each row's or blank's number with the letter of its answer, for "
             "example 1a 2b 3a; you hear your answer back and type yes to submit it. A drag-and-drop item is "
             "answered the same way, each slot's number with its token's letter, each token once. For an "
             "ordering item, type the letters in order, first to last, for example c a d b. On a page, press "
             "Enter to go on.",
             "", "At any prompt you can also type:", ""]
    for name, words, text in COMMANDS:
        if name == "undo" and not can_undo:
            text = "not available in assessment mode"
        short = f" (or {', '.join(words[1:])})" if len(words) > 1 else ""
        lines.append(f"- {name}{short}: {text}")
    return lines
