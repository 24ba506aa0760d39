"""A trend item's exhibit on the play screen: the patient's readings as a small table above the options."""

from __future__ import annotations

from textual.content import Content

from ...journey.exhibit import Trend
from .chart import FLAG_STYLE

DAY_WIDTH = 8  # "Day 120 "
CELL_WIDTH = 13  # "168 µmol/L HH"


def _cell(text: str, width: int) -> str:
    return text[:width - 1] + "…" if len(text) > width else text.ljust(width)


def trend_content(trend: Trend) -> Content:
    """A header of stat labels (cut to fit, with the unit under them), then a row per day: each value
    with its flag in words' place (H, L, HH, LL), never colour alone."""
    heads = [Content.styled(_cell("", DAY_WIDTH), "bold")]
    units = [Content(_cell("", DAY_WIDTH))]
    for column in trend.columns:
        heads.append(Content.styled(_cell(column.stat.label, CELL_WIDTH) + " ", "bold"))
        units.append(Content.styled(_cell(column.stat.unit, CELL_WIDTH) + " ", "italic"))
    lines = [Content.styled("Trend: the patient's readings", "bold underline"), Content.assemble(*heads),
             Content.assemble(*units)]
    for row in trend.rows:
        cells: list = [_cell(f"Day {row.day}", DAY_WIDTH)]
        for column, value in zip(trend.columns, row.values, strict=True):
            number, flag = column.reading(value)
            cells += [(number, FLAG_STYLE.get(flag, "")), (f" {flag}" if flag else "", FLAG_STYLE.get(flag, "")),
                      " " * max(CELL_WIDTH - len(number) - (len(flag) + 1 if flag else 0), 0) + " "]
        lines.append(Content.assemble(*cells))
    return Content("\n").join(lines)
