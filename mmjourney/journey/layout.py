"""The full-screen player's play screen at its smallest size, 80x24, in numbers.

The play screen lays itself out from these (its CSS is built from them), and `mmjourney check`
reads them to tell an author, before any learner plays, which texts that screen cannot show
whole: the check may not import the game, and the game's sizes must not drift from the check's.
`tests/tui/test_learner_view.py` plays stories at 80x24 and finds the limits where these say.
"""

from __future__ import annotations

SMALLEST = (80, 24)  # columns, rows: the smallest terminal the game is laid out for
NUMBER_KEYS = 9  # keys 1 to 9 pick an option; a tenth and later ones are reached with the arrows only

# The play screen's rows: a status bar above and the key list below the body.
BAR_ROWS = 1
FOOTER_ROWS = 1
# The column beside the story with the patient chart and the journey so far, its left border included.
SIDE_WIDTH = 30
SIDE_BORDER = 1
CHART_PADDING = 1  # each side of the chart's text
# The decision area under the story: at most this share of the body's height, inside a round border
# (one cell each side) with one column of padding each side.
DECISION_SHARE = 60  # percent
DECISION_BORDER = 1
DECISION_PADDING = 1
# Its lists keep room for a scroll bar (a stable gutter) and draw a cursor before each option.
LIST_GUTTER = 2
CURSOR_WIDTH = 2
# The most a list may take of the screen's height: a list of choices, or the options under a question.
CHOICE_LIST_VH = 45
ANSWER_LIST_VH = 30
# An item in parts (a matrix, drop-downs, a bow-tie) is taller than a list of options: its rows get what the
# area has left under the question and Submit (8 lines at 80x24, 12 at 120x40).
PARTS_LIST_VH = 35
SUBMIT_ROWS = 1  # the Submit button above a select-all list


def chart_width() -> int:
    """The width of the patient chart's text (the side column keeps its width from 72 columns up to the
    wide layout): a stat label longer than this wraps onto a second line."""
    return SIDE_WIDTH - SIDE_BORDER - 2 * CHART_PADDING


def decision_width(columns: int = SMALLEST[0]) -> int:
    """The width inside the decision area's border and padding: a question's prompt wraps to it."""
    return columns - SIDE_WIDTH - 2 * (DECISION_BORDER + DECISION_PADDING)


def option_width(marker: str, columns: int = SMALLEST[0]) -> int:
    """The width an option's text wraps to, after the cursor and its marker ('1.' or '1. [x]') and a space."""
    return decision_width(columns) - LIST_GUTTER - CURSOR_WIDTH - len(marker) - 1


def decision_rows(rows: int = SMALLEST[1]) -> int:
    """The rows inside the decision area at its tallest."""
    return (rows - BAR_ROWS - FOOTER_ROWS) * DECISION_SHARE // 100 - 2 * DECISION_BORDER


def list_rows(share: int, rows: int = SMALLEST[1]) -> int:
    """The rows a list shows at most, when it may take `share` percent of the screen's height."""
    return rows * share // 100
