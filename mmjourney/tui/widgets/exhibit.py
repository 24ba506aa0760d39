"""A trend item's exhibit on the play screen: the patient's readings as a small table above the options."""

from __future__ import annotations

import textwrap
from itertools import zip_longest

from textual.content import Content

from ...journey.exhibit import Trend
from .chart import FLAG_STYLE

DAY_WIDTH = 8  # "Day 120 "
CELL_WIDTH = 13  # "168 µmol/L HH"
NARROWEST_CELL = 7  # "1439 HH": a value with its flag (the unit is in the header)


def _cell(text: str, width: int) -> str:
    return text[:width - 1] + "…" if len(text) > width else text.ljust(width)


def trend_content(trend: Trend, width: int | None = None) -> Content:
    """A header of stat labels (each wrapped over as many lines as it needs: which column is which is what
    the item asks about, so a label is never cut), with the unit under them, then a row per day: each value
    with its flag in words' place (H, L, HH, LL), never colour alone. Given the `width` it has, the columns
    narrow to fit it (at 80x24 four of them share 48 columns), so no row wraps out of its column."""
    cell = CELL_WIDTH
    if width and trend.columns:
        cell = max(NARROWEST_CELL, min(CELL_WIDTH, (width - DAY_WIDTH) // len(trend.columns) - 1))
    labels = [textwrap.wrap(column.stat.label, cell) or [""] for column in trend.columns]
    heads = [Content.assemble(_cell("", DAY_WIDTH), *[Content.styled(_cell(part, cell) + " ", "bold")
                                                       for part in line])
             for line in zip_longest(*labels, fillvalue="")]
    units = [Content(_cell("", DAY_WIDTH))]
    for column in trend.columns:
        units.append(Content.styled(_cell(column.stat.unit, cell) + " ", "italic"))
    lines = [Content.styled("Trend: the patient's readings", "bold underline"), *heads, Content.assemble(*units)]
    for row in trend.rows:
        cells: list = [_cell(f"Day {row.day}", DAY_WIDTH)]
        for column, value in zip(trend.columns, row.values, strict=True):
            number, flag = column.reading(value)
            cells += [(number, FLAG_STYLE.get(flag, "")), (f" {flag}" if flag else "", FLAG_STYLE.get(flag, "")),
                      " " * max(cell - len(number) - (len(flag) + 1 if flag else 0), 0) + " "]
        lines.append(Content.assemble(*cells))
    return Content("\n").join(lines)
