"""The play screen's widget for an NGN item made of parts: one entry per part (a matrix row, a blank).

A matrix (`grid`) shows each row's text and, under it, its cells with the columns' own words ("(•) Expected
( ) Not expected"), so no legend has to be remembered: Up and Down move between rows, Left and Right between
a row's cells. The other items are drop-downs: the part under the cursor is open, one option a line, and the
others closed, showing what was picked ("▾ intravenous 0.9% saline"): Up and Down move through the open
part's options and on to the next part, Left and Right from part to part. Either way Space or Enter sets the
option under the cursor, and no text is ever cut. The cursor is marked with a glyph as well as reversed,
never by colour alone. Nothing is committed until the learner submits.

A drag-and-drop item or an ordering item (`pool`) is answered the same way, slot by slot: each open slot lists
the whole pool of tokens, a token placed elsewhere marked with that slot's number ("(2) one hour"), and
setting it here moves it from there, as dragging would.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RulesMap, Visual
from textual.widgets.option_list import Option

from ...journey.prompt import PartView
from .decision import ChoiceList, OptionRow

CELL_CURSOR = "▸"
CELL_GAP = "   "
CLOSED = "▾ "
# How an option looks set and not set: one answer per part is a radio button, several a tick box.
MARKS = {True: ("(•)", "( )"), False: ("[x]", "[ ]")}


def _hanging(prefix: Content, text: Content, width: int, style: Style, options: RenderOptions) -> list[Strip]:
    """`prefix` (a mark) then `text`, whose following lines wrap under the text, not under the mark."""
    indent = prefix.cell_length
    strips = text.render_strips(max(width - indent, 1), None, style, options)
    first = prefix.render_strips(indent, 1, style, options)[0].extend_cell_length(indent, style.rich_style)
    blank = Strip.blank(indent, style.rich_style)
    return [Strip.join([first if n == 0 else blank, strip]) for n, strip in enumerate(strips)]


class PartBody(Visual):
    """A part's text, then its options, each a mark and its words: on one line when `inline` and they fit the
    width, else one a line with its words wrapping under themselves. An option is never broken across lines
    in a row of options, so its mark always stands by its words."""

    def __init__(self, label: str, cells: list[tuple[Content, Content]], inline: bool) -> None:
        self.label = Content(label)
        self.cells = cells
        self.joined = Content(CELL_GAP).join(Content.assemble(mark, text) for mark, text in cells) if inline else None

    def _fits(self, width: int) -> bool:
        return self.joined is not None and self.joined.cell_length <= width

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips = list(self.label.render_strips(width, None, style, options))
        if self.joined is not None and self._fits(width):
            strips += self.joined.render_strips(width, None, style, options)
        else:
            for mark, text in self.cells:
                strips += _hanging(mark, text, width, style, options)
        return strips if height is None else strips[:height]

    def get_height(self, rules: RulesMap, width: int) -> int:
        height = self.label.get_height(rules, width)
        if self.joined is not None and self._fits(width):
            return height + self.joined.get_height(rules, width)
        return height + sum(text.get_height(rules, max(width - mark.cell_length, 1)) for mark, text in self.cells)

    def cursor_span(self, rules: RulesMap, width: int, at: int) -> tuple[int, int]:
        """(first line, lines) of option `at` within this body at `width`, to scroll the cursor into view."""
        top = self.label.get_height(rules, width)
        if self.joined is not None and self._fits(width):
            return top, self.joined.get_height(rules, width)
        for mark, text in self.cells[:at]:
            top += text.get_height(rules, max(width - mark.cell_length, 1))
        mark, text = self.cells[min(at, len(self.cells) - 1)]
        return top, text.get_height(rules, max(width - mark.cell_length, 1))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        cells = (self.joined.cell_length if self.joined is not None else
                 max(mark.cell_length + text.cell_length for mark, text in self.cells))
        return max(self.label.get_optimal_width(rules, container_width), cells)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return max(self.label.get_minimal_width(rules),
                   *(mark.cell_length + text.get_minimal_width(rules) for mark, text in self.cells))


class PartsGrid(ChoiceList):
    """The parts of an answer, each with its options; `selected` gives the picks as unit ids ('row:column')."""

    BINDINGS = [
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
        Binding("space", "select", "Set", show=False),
    ]

    class Changed(Message):
        """An option was set or cleared (the play screen shows the picks in the item's sentence)."""

    def __init__(self, parts: tuple[PartView, ...], grid: bool, pool: bool = False, **kwargs) -> None:
        self._parts = parts
        self.grid = grid
        self.pool = pool
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

    def _row(self, index: int) -> OptionRow:
        view = self._parts[index]
        one = view.part.picks == 1
        picked = self._picked[index]
        marker = f"{index + 1}." if index < 9 else "  "
        if not self.grid and index != self._drawn:
            chosen = "; ".join(option.text for option in view.options if option.id in picked)
            hint = "place a token" if self.pool else "choose one" if one else f"choose {view.part.picks}"
            closed = Content(chosen) if chosen else Content.styled(hint, "italic")
            return OptionRow(marker, PartBody(view.part.label, [(Content(CLOSED), closed)], inline=False))
        cells = []
        for number, option in enumerate(view.options):
            here = index == self._drawn and number == self._at
            style = "reverse" if here else ""
            mark = MARKS[one][0 if option.id in picked else 1]
            elsewhere = self._placed_in(option.id) if self.pool and option.id not in picked else None
            if elsewhere is not None:
                mark = f"({elsewhere + 1})"  # placed in the part shown with that number: set here, it moves
            cells.append((Content.assemble(CELL_CURSOR if here else " ", (f"{mark} ", style)),
                          Content.styled(option.text, style)))
        return OptionRow(marker, PartBody(view.part.label, cells, inline=self.grid))

    def _placed_in(self, option: str) -> int | None:
        """The part (shown at, from 0) where a token of the pool is placed, or None."""
        return next((index for index, picked in enumerate(self._picked) if option in picked), None)

    def _redraw(self, index: int) -> None:
        row = self._row(index)
        self.replace_option_prompt_at_index(index, row)
        if not self.grid:
            self.refresh(layout=True)  # a drop-down opened or closed: the list's height changed
        if index == self.highlighted:
            self.call_after_refresh(self._show_cursor, row)

    def _show_cursor(self, row: OptionRow, again: bool = True) -> None:
        """Scroll so the option under the cursor shows, not only its part's first lines: an open drop-down of
        long options can be taller than the list."""
        index = self.highlighted
        if index is None or not self.is_mounted or index >= self.option_count:
            return
        body = row.body
        assert isinstance(body, PartBody)
        inner = self.scrollable_content_region.width - self._get_left_gutter_width() - row.indent
        offset, height = body.cursor_span(self.styles, max(inner, 1), self._at)
        top = self._index_to_line.get(index)
        if top is None:  # not laid out yet (no size, so no lines measured): once more after it has drawn
            if again:
                self.call_after_refresh(self._show_cursor, row, False)
            return
        # The part's text and the cursor's option together when they fit; else the option alone.
        fits = offset + height <= self.scrollable_content_region.height
        region = Region(0, top, 1, offset + height) if fits else Region(0, top + offset, 1, height)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        previous, self._drawn = self._drawn, highlighted  # before drawing: the cursor is drawn where it is now
        if highlighted is not None:
            self._at = min(self._at, len(self._parts[highlighted].options) - 1)
        for index in {previous, highlighted} - {None}:
            if index is not None and index < self.option_count:
                self._redraw(index)

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
        if self.pool:  # a token in one part at most: placed here, it leaves the part it was in
            moved_from = self._placed_in(option)
            if moved_from is not None and moved_from != index:
                self._picked[moved_from].discard(option)
                self._redraw(moved_from)
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
