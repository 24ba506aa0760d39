"""The key bar at the bottom of every screen: one line, redrawn only when the keys it shows change.

Textual's Footer is a row of widgets, one per key, rebuilt whenever a screen's bindings *may* have
changed: on every focus change and every change of a reactive that affects bindings (an option
list's highlight, for one). Each rebuild mounts new widgets and lays the screen out again, which was
the largest part of a decision's cost, and its style rules were a sixth of what the first paint had
to parse. This bar is one widget that draws the same line ("p Play  q Quit ... ^p palette") and
repaints it when what it shows differs; a click on a key presses that key.
"""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"
DISABLED_STYLE = "dim"


class Shown(NamedTuple):
    key: str  # what a click presses
    display: str  # how the key is written: "p", "^p", "enter"
    description: str
    enabled: bool


class KeyFooter(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
    }
    """
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._keys: tuple[Shown, ...] = ()
        self._palette: Shown | None = None
        self._pending = False
        # Where each key was drawn on the last render: (first column, past its last column, key).
        self._spans: list[tuple[int, int, Shown]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        # Many changes can be announced for one key press: read the keys once, after they settle.
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._read_keys)

    def _read_keys(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        app = self.app
        bindings = self.screen.active_bindings
        keys: list[Shown] = []
        actions: set[str] = set()
        for _, binding, enabled, _ in bindings.values():
            # One entry per action, as Textual's footer shows it: "question_mark,h" is one key, "?".
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(Shown(binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in bindings:
            _, binding, enabled, _ = bindings[app.COMMAND_PALETTE_BINDING]
            palette = Shown(binding.key, app.get_key_display(binding), binding.description, enabled)
        if (tuple(keys), palette) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys), palette
            self.refresh()

    @property
    def shown(self) -> tuple[Shown, ...]:
        """The keys the bar shows, left to right (the command palette's last)."""
        return self._keys + ((self._palette,) if self._palette else ())

    def render(self) -> Content:
        pieces: list[Content] = []
        self._spans = []
        column = 0
        for shown in self._keys:
            key = Content.styled(f" {shown.display} ", KEY_STYLE)
            piece = Content.assemble(key, Content.styled(f"{shown.description} ", DESCRIPTION_STYLE))
            if not shown.enabled:
                piece = piece.stylize(DISABLED_STYLE)
            pieces.append(piece)
            self._spans.append((column, column + piece.cell_length, shown))
            column += piece.cell_length
        line = Content.assemble(*pieces)
        if self._palette is not None:
            palette = Content.assemble(Content.styled("▏", "dim"), Content.styled(self._palette.display, KEY_STYLE),
                                       Content.styled(f" {self._palette.description} ", DESCRIPTION_STYLE))
            gap = self.size.width - line.cell_length - palette.cell_length
            if gap >= 1:  # on a narrow screen the screen's own keys matter more
                self._spans.append((column + gap, column + gap + palette.cell_length, self._palette))
                line = Content.assemble(line, " " * gap, palette)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, shown in self._spans:
            if start <= event.x < end:
                if shown.enabled:
                    self.app.simulate_key(shown.key)
                else:
                    self.app.bell()
                return
