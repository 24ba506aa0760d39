"""The title screen's colours line: "(•) Dark (d)  ( ) Light (l)  ( ) High contrast (k)".

One widget drawing one line, not a RadioSet of buttons: the title screen is the first paint, and
those four widgets with their style rules were about a quarter of what it parsed and laid out. Each
theme is one key away (the screen binds them) or one click; the chosen one is marked with a glyph,
not colour alone (review finding 9), and the mark follows a theme chosen anywhere else.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message
from textual.theme import Theme
from textual.widget import Widget


class ThemeChoice(Widget, can_focus=False):
    DEFAULT_CSS = """
    ThemeChoice { width: auto; height: 1; }
    """

    class Chosen(Message):
        """A theme was clicked."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, offered: tuple[tuple[Theme, str, str], ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.offered = offered
        self._spans: list[tuple[int, int, str]] = []  # (first column, past the last, theme name) as drawn

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _: self.refresh())

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    def render(self) -> Content:
        pieces: list[Content] = []
        self._spans = []
        column = 0
        for theme, label, key in self.offered:
            if pieces:
                pieces.append(Content("   "))
                column += 3
            chosen = theme.name == self.app.theme
            mark = Content.styled("(•)", "bold $text-success") if chosen else Content("( )")
            piece = Content.assemble(mark, f" {label} ({key})")
            self._spans.append((column, column + piece.cell_length, theme.name))
            pieces.append(piece)
            column += piece.cell_length
        return Content.assemble(*pieces)

    def get_content_width(self, container, viewport) -> int:
        return sum(len(label) + len(key) + 7 for _, label, key in self.offered) + 3 * (len(self.offered) - 1)

    def on_click(self, event: events.Click) -> None:
        for start, end, name in self._spans:
            if start <= event.x < end:
                self.post_message(self.Chosen(name))
                return
