"""The play screen's widget for an NGN item made of parts: a matrix, one entry per row.

Each row shows its text and, under it, its cells with the columns' own words ("(•) Expected   ( ) Not
expected"), so no legend has to be remembered and no text is ever cut. Up and Down move between rows, Left
and Right between a row's cells; Space or Enter sets the cell under the cursor. The cursor cell is marked
with a glyph as well as reversed, never by colour alone. Nothing is committed until the learner submits.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RulesMap
from textual.widgets.option_list import Option

from ...journey.prompt import PartView
from .decision import ChoiceList, OptionRow

CELL_CURSOR = "▸"
CELL_GAP = "   "


class PartRow(OptionRow):
    """A part's text, then its cells on one line when they fit the width, else one cell a line: a cell is
    never broken across lines, so its mark always stands by its words."""

    def __init__(self, marker: str, label: str, cells: list[Content]) -> None:
        self.label = label
        self.cells = cells
        super().__init__(marker, self._body(None))

    def _body(self, inner: int | None) -> Content:
        inline = Content(CELL_GAP).join(self.cells)
        fits = inner is None or inline.cell_length <= inner
        return Content.assemble(self.label, "\n", inline if fits else Content("\n").join(self.cells))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        self.body = self._body(self._inner(width))
        return super().render_strips(width, height, style, options)

    def get_height(self, rules: RulesMap, width: int) -> int:
        self.body = self._body(self._inner(width))
        return super().get_height(rules, width)
# How a cell looks set and not set: one answer per part is a radio button, several a tick box.
MARKS = {True: ("(•)", "( )"), False: ("[x]", "[ ]")}


class PartsGrid(ChoiceList):
    """The parts of an answer, each with its options; `selected` gives the picks as unit ids ('row:column')."""

    BINDINGS = [
        Binding("left", "move(-1)", "Previous cell", show=False),
        Binding("right", "move(1)", "Next cell", show=False),
        Binding("space", "select", "Set", show=False),
    ]

    def __init__(self, parts: tuple[PartView, ...], **kwargs) -> None:
        self._parts = parts
        self._picked: list[set[str]] = [set() for _ in parts]
        self._at = 0  # the cursor's option in the highlighted part
        self._drawn: int | None = None  # the part last drawn with the cursor in it
        super().__init__(*[Option(self._row(index), id=view.part.id) for index, view in enumerate(parts)], **kwargs)

    @property
    def selected(self) -> list[str]:
        """The picks as unit ids, part by part in the order shown."""
        return [view.part.unit(option.id) for view, picked in zip(self._parts, self._picked, strict=True)
                for option in view.options if option.id in picked]

    def picked_in(self, index: int) -> set[str]:
        """The option ids picked in the part shown at `index` (from 0)."""
        return set(self._picked[index])

    @property
    def cursor(self) -> tuple[int, int] | None:
        """(part, option) under the cursor, both from 0; None before a part is highlighted."""
        return None if self.highlighted is None else (self.highlighted, self._at)

    def _row(self, index: int) -> PartRow:
        view = self._parts[index]
        one = view.part.picks == 1
        cells: list = []
        for number, option in enumerate(view.options):
            here = index == self._drawn and number == self._at
            mark = MARKS[one][0 if option.id in self._picked[index] else 1]
            cells.append(Content.assemble(CELL_CURSOR if here else " ",
                                          (f"{mark} {option.text}", "reverse" if here else "")))
        return PartRow(f"{index + 1}." if index < 9 else "  ", view.part.label, cells)

    def _redraw(self, index: int) -> None:
        self.replace_option_prompt_at_index(index, self._row(index))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        previous, self._drawn = self._drawn, highlighted  # before drawing: the cursor is drawn where it is now
        if highlighted is not None:
            self._at = min(self._at, len(self._parts[highlighted].options) - 1)
        for index in {previous, highlighted} - {None}:
            if index is not None and index < self.option_count:
                self._redraw(index)

    def action_move(self, step: int) -> None:
        """Left or Right: the cursor to the part's previous or next option."""
        if self.highlighted is None:
            return
        self._at = max(0, min(self._at + step, len(self._parts[self.highlighted].options) - 1))
        self._redraw(self.highlighted)

    def action_select(self) -> None:
        """Space or Enter: set the option under the cursor (one answer per part: it replaces the last; several:
        it ticks or unticks)."""
        if self.highlighted is None:
            return
        index = self.highlighted
        view = self._parts[index]
        option = view.options[self._at].id
        picked = self._picked[index]
        if view.part.picks == 1:
            picked.clear()
            picked.add(option)
        elif option in picked:
            picked.discard(option)
        elif view.part.picks is not None and len(picked) >= view.part.picks:
            self.app.notify(f"Pick {view.part.picks} here: untick one first.", severity="warning")
            return
        else:
            picked.add(option)
        self._redraw(index)

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # a click moves the cursor to the row; a key sets a cell
        clicked: int | None = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
