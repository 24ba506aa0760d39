"""A trend item's exhibit: the patient's readings as a small table, above the options on the play screen and
under the question in the debrief."""

from __future__ import annotations

from textual.content import Content

from ...journey.record import Trend
from .chart import FLAG_STYLE

DAY_WIDTH = 8  # "Day 120 "
CELL_WIDTH = 13  # "168 µmol/L HH"
PLAY_HEADING = "Trend: the patient's readings"


def _cell(text: str, width: int) -> str:
    return text[:width - 1] + "…" if len(text) > width else text.ljust(width)


def trend_content(trend: Trend, heading: str = PLAY_HEADING, indent: str = "") -> Content:
    """A header of stat labels (cut to fit, with the unit under them), then a row per day: each value
    with its flag in words' place (H, L, HH, LL), never colour alone. Every line starts with `indent`."""
    heads = [Content.styled(indent + _cell("", DAY_WIDTH), "bold")]
    units = [Content(indent + _cell("", DAY_WIDTH))]
    for column in trend.columns:
        heads.append(Content.styled(_cell(column.label, CELL_WIDTH) + " ", "bold"))
        units.append(Content.styled(_cell(column.unit, CELL_WIDTH) + " ", "italic"))
    lines = [Content.assemble(indent, (heading, "bold underline")), Content.assemble(*heads),
             Content.assemble(*units)]
    for row in trend.rows:
        cells: list = [indent + _cell(f"Day {row.day}", DAY_WIDTH)]
        for number, flag in trend.cells(row):
            cells += [(number, FLAG_STYLE.get(flag, "")), (f" {flag}" if flag else "", FLAG_STYLE.get(flag, "")),
                      " " * max(CELL_WIDTH - len(number) - (len(flag) + 1 if flag else 0), 0) + " "]
        lines.append(Content.assemble(*cells))
    return Content("\n").join(lines)
