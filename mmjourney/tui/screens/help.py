"""Help: keys, modes and scoring, rendered from help.md."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown

from ..widgets.footer import KeyFooter

HELP = Path(__file__).resolve().parent.parent / "help.md"


class HelpScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Markdown(HELP.read_text(encoding="utf-8"))
        yield KeyFooter()
