"""The lists a learner decides with on the play screen.

Every option wraps under its own text (a hanging indent after its number), so no option is ever cut
with "…": the words that make a distractor wrong are often its last ones. The option under the cursor
is marked with a glyph, not by colour alone. A mouse click only moves the cursor; a second click on
the same option, or Enter, commits it: one stray click must not commit an assessment decision.
"""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RulesMap, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...journey.layout import CURSOR_WIDTH, NUMBER_KEYS

CURSOR = "▶".ljust(CURSOR_WIDTH)  # as wide as `mmjourney check` counts it


class OptionRow(Visual):
    """An option's marker ("3." or "3. [x]") and its body (its text, or any Visual: a part with its options)
    wrapping under itself, not under the marker.

    A Visual of its own rather than a Rich table: an option list measures every option's height at
    each layout, and a table's measuring was the slowest part of showing a question.
    """

    def __init__(self, marker: str, body: Visual) -> None:
        self.marker = Content(marker)
        self.body = body
        self.indent = self.marker.cell_length + 1

    def _inner(self, width: int) -> int:
        return max(width - self.indent, 1)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips = self.body.render_strips(self._inner(width), None, style, options)
        marker = self.marker.render_strips(self.indent, 1, style, options)[0].extend_cell_length(
            self.indent, style.rich_style)
        blank = Strip.blank(self.indent, style.rich_style)
        rows = [Strip.join([marker if n == 0 else blank, strip]) for n, strip in enumerate(strips)]
        return rows if height is None else rows[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.body.get_optimal_width(rules, self._inner(container_width))

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + self.body.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.body.get_height(rules, self._inner(width))


def option_row(marker: str, text: str, note: str = "", category: str = "") -> OptionRow:
    """One option: its marker, its text, then its category and any note (why it is not available)
    under the text. Story text, cleaned of controls when the story was read, is never read as markup."""
    body = Content.assemble(text, (f"  [{category}]", "italic") if category else "",
                            ("\n" + note, "italic") if note else "")
    return OptionRow(marker, body)


class ChoiceList(OptionList):
    """Choices and single-best answers: Enter or a second click commits the option under the cursor."""

    def _get_left_gutter_width(self) -> int:
        return len(CURSOR)

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        lines = self._lines
        number = self.scroll_offset.y + y
        first_line_of_highlighted = (number < len(lines) and lines[number][1] == 0
                                     and lines[number][0] == self.highlighted)
        style = next(iter(line)).style if line.cell_length else None
        return Strip([Segment(CURSOR if first_line_of_highlighted else " " * len(CURSOR), style), *line])

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # OptionList's own click handler would commit at once
        clicked: int | None = event.style.meta.get("option")
        if clicked is None or self._options[clicked].disabled:
            return
        if clicked == self.highlighted:
            self.action_select()
        else:
            self.highlighted = clicked


class TickList(ChoiceList):
    """Select all that apply, select N, or a highlight's phrases: Enter, Space, a number key or a click ticks or
    unticks the option, shown as [x] or [ ]; nothing is committed until the learner submits."""

    # Space ticks as in a checkbox list and as in an item in parts (the help says so); the play screen
    # lets it through rather than paging the story while this list has focus.
    BINDINGS = [Binding("space", "select", "Tick", show=False)]

    class Changed(Message):
        """An option was ticked or unticked (the play screen marks a highlight's phrases in its note)."""

    def __init__(self, options: list[tuple[str, str]], limit: int | None = None, **kwargs) -> None:
        self._texts = dict(options)
        self._ticked: set[str] = set()
        self.limit = limit  # a select-N question: at most N ticks
        super().__init__(*[Option(self._row(n, option_id), id=option_id)
                           for n, (option_id, _) in enumerate(options, 1)], **kwargs)

    def _row(self, number: int, option_id: str) -> OptionRow:
        tick = "[x]" if option_id in self._ticked else "[ ]"
        return option_row(f"{number}. {tick}" if number <= NUMBER_KEYS else f"   {tick}", self._texts[option_id])

    @property
    def selected(self) -> list[str]:
        """The ticked options, in the order shown."""
        return [option.id for option in self.options if option.id in self._ticked]

    def toggle_index(self, index: int) -> None:
        option_id = self.get_option_at_index(index).id
        assert option_id is not None
        if option_id not in self._ticked and self.limit is not None and len(self._ticked) >= self.limit:
            self.app.notify(f"Select {self.limit}: untick one first.", severity="warning")
            return
        self._ticked ^= {option_id}
        self.replace_option_prompt_at_index(index, self._row(index + 1, option_id))
        self.post_message(self.Changed())

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.toggle_index(self.highlighted)

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()
        clicked: int | None = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
            self.toggle_index(clicked)
