"""The play screen's widget for an NGN item made of parts: one entry per part (a matrix row, a blank).

A matrix (`grid`) shows each row's text and, under it, its cells with the columns' own words ("(•) Expected
( ) Not expected"), so no legend has to be remembered: Up and Down move between rows, Left and Right between
a row's cells. The other items are drop-downs: the part under the cursor is open, one option a line, and the
others closed, showing what was picked ("▾ intravenous 0.9% saline"): Up and Down move through the open
part's options and on to the next part, Left and Right from part to part. Either way Space or Enter sets the
option under the cursor, and no text is ever cut. The cursor is marked with a glyph as well as reversed,
never by colour alone. Nothing is committed until the learner submits.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RulesMap
from textual.widgets.option_list import Option

from ...journey.prompt import PartView
from .decision import ChoiceList, OptionRow

CELL_CURSOR = "▸"
CELL_GAP = "   "
CLOSED = "▾ "
# How an option looks set and not set: one answer per part is a radio button, several a tick box.
MARKS = {True: ("(•)", "( )"), False: ("[x]", "[ ]")}


class PartRow(OptionRow):
    """A part's text, then its options: on one line when `inline` and they fit the width, else one a line.
    An option is never broken across lines, so its mark always stands by its words."""

    def __init__(self, marker: str, label: str, cells: list[Content], inline: bool) -> None:
        self.label = label
        self.cells = cells
        self.inline = inline
        super().__init__(marker, self._body(None))

    def _body(self, inner: int | None) -> Content:
        joined = Content(CELL_GAP).join(self.cells)
        fits = self.inline and (inner is None or joined.cell_length <= inner)
        return Content.assemble(self.label, "\n", joined if fits else Content("\n").join(self.cells))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        self.body = self._body(self._inner(width))
        return super().render_strips(width, height, style, options)

    def get_height(self, rules: RulesMap, width: int) -> int:
        self.body = self._body(self._inner(width))
        return super().get_height(rules, width)


class PartsGrid(ChoiceList):
    """The parts of an answer, each with its options; `selected` gives the picks as unit ids ('row:column')."""

    BINDINGS = [
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
        Binding("space", "select", "Set", show=False),
    ]

    class Changed(Message):
        """An option was set or cleared (the play screen shows the picks in the item's sentence)."""

    def __init__(self, parts: tuple[PartView, ...], grid: bool, **kwargs) -> None:
        self._parts = parts
        self.grid = grid
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
        picked = self._picked[index]
        marker = f"{index + 1}." if index < 9 else "  "
        if not self.grid and index != self._drawn:
            chosen = "; ".join(option.text for option in view.options if option.id in picked)
            hint = "choose one" if one else f"choose {view.part.picks}"
            closed = Content.assemble(CLOSED, chosen or (hint, "italic"))
            return PartRow(marker, view.part.label, [closed], inline=False)
        cells = []
        for number, option in enumerate(view.options):
            here = index == self._drawn and number == self._at
            mark = MARKS[one][0 if option.id in picked else 1]
            cells.append(Content.assemble(CELL_CURSOR if here else " ",
                                          (f"{mark} {option.text}", "reverse" if here else "")))
        return PartRow(marker, view.part.label, cells, inline=self.grid)

    def _redraw(self, index: int) -> None:
        self.replace_option_prompt_at_index(index, self._row(index))
        if not self.grid:
            self.refresh(layout=True)  # a drop-down opened or closed: the list's height changed

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        previous, self._drawn = self._drawn, highlighted  # before drawing: the cursor is drawn where it is now
        if highlighted is not None:
            self._at = min(self._at, len(self._parts[highlighted].options) - 1)
        for index in {previous, highlighted} - {None}:
            if index is not None and index < self.option_count:
                self._redraw(index)
        if not self.grid:
            self.call_after_refresh(self.scroll_to_highlight)  # the part just opened is taller

    def _go_to(self, index: int, at: int) -> None:
        self._at = at
        index %= self.option_count
        if index == self.highlighted:
            self._redraw(index)  # the same part (an item of one blank): only the cursor moved
        self.highlighted = index

    def go_to_part(self, index: int) -> None:
        """The cursor to the part shown at `index` (from 0): a matrix keeps its column, a drop-down opens at its
        first option."""
        self._go_to(index, self._at if self.grid else 0)

    def action_move(self, step: int) -> None:
        """Left or Right: in a matrix, the cursor to the row's previous or next cell; in a drop-down, to the
        previous or next part."""
        if self.highlighted is None:
            return
        if not self.grid:
            self._go_to(self.highlighted + step, 0)
            return
        self._at = max(0, min(self._at + step, len(self._parts[self.highlighted].options) - 1))
        self._redraw(self.highlighted)

    def action_cursor_down(self) -> None:
        """Down: in an open drop-down, its next option, then the next part's first."""
        index = self.highlighted
        if self.grid or index is None:
            super().action_cursor_down()
        elif self._at == len(self._parts[index].options) - 1:
            self._go_to(index + 1, 0)
        else:
            self._at += 1
            self._redraw(index)

    def action_cursor_up(self) -> None:
        """Up: in an open drop-down, its previous option, then the previous part's last."""
        index = self.highlighted
        if self.grid or index is None:
            super().action_cursor_up()
        elif self._at == 0:
            self._go_to(index - 1, len(self._parts[(index - 1) % self.option_count].options) - 1)
        else:
            self._at -= 1
            self._redraw(index)

    def action_select(self) -> None:
        """Space or Enter: set the option under the cursor (one answer per part: it replaces the last; several:
        it ticks or unticks). A drop-down whose answer is complete closes and the next part opens."""
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
        self.post_message(self.Changed())
        if not self.grid and len(picked) == view.part.picks and index + 1 < self.option_count:
            self._go_to(index + 1, 0)
        else:
            self._redraw(index)

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # a click moves the cursor to the part; a key sets an option
        clicked: int | None = event.style.meta.get("option")
        if clicked is not None and clicked != self.highlighted:
            self._go_to(clicked, 0)
