"""A trend item's exhibit: the patient's readings as a small table, above the options on the play screen and
under the question in the debrief."""

from __future__ import annotations

import textwrap
from itertools import zip_longest

from textual.content import Content

from ...journey.record import Trend
from .chart import FLAG_STYLE

DAY_WIDTH = 8  # "Day 120 "
CELL_WIDTH = 13  # "168 µmol/L HH"
NARROWEST_CELL = 7  # "1439 HH": a value with its flag (the unit is in the header)
PLAY_HEADING = "Trend: the patient's readings"


def _cell(text: str, width: int) -> str:
    return text[:width - 1] + "…" if len(text) > width else text.ljust(width)


def trend_content(trend: Trend, width: int | None = None, heading: str = PLAY_HEADING, indent: str = "") -> Content:
    """A header of stat labels (each wrapped over as many lines as it needs: which column is which is what
    the item asks about, so a label is never cut), with the unit under them, then a row per day: each value
    with its flag in words' place (H, L, HH, LL), never colour alone. Given the `width` it has, the columns
    narrow to fit it (at 80x24 four of them share 48 columns), so no row wraps out of its column. Every line
    starts with `indent`."""
    cell = CELL_WIDTH
    if width and trend.columns:
        cell = max(NARROWEST_CELL, min(CELL_WIDTH, (width - len(indent) - DAY_WIDTH) // len(trend.columns) - 1))
    labels = [textwrap.wrap(column.label, cell) or [""] for column in trend.columns]
    heads = [Content.assemble(indent + _cell("", DAY_WIDTH), *[Content.styled(_cell(part, cell) + " ", "bold")
                                                                for part in line])
             for line in zip_longest(*labels, fillvalue="")]
    units = [Content(indent + _cell("", DAY_WIDTH))]
    for column in trend.columns:
        units.append(Content.styled(_cell(column.unit, cell) + " ", "italic"))
    lines = [Content.assemble(indent, (heading, "bold underline")), *heads, Content.assemble(*units)]
    for row in trend.rows:
        cells: list = [indent + _cell(f"Day {row.day}", DAY_WIDTH)]
        for number, flag in trend.cells(row):
            cells += [(number, FLAG_STYLE.get(flag, "")), (f" {flag}" if flag else "", FLAG_STYLE.get(flag, "")),
                      " " * max(cell - len(number) - (len(flag) + 1 if flag else 0), 0) + " "]
        lines.append(Content.assemble(*cells))
    return Content("\n").join(lines)
