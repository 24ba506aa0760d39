"""The title screen: what this is, the disclaimer, and where to go."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..untrusted import shown
from ..widgets.footer import KeyFooter

DISCLAIMER = ("Educational simulation for nursing education, not medical advice. Patients and outcomes are "
              "simplified teaching examples; follow local protocols in real care.")


class TitleScreen(Screen):
    BINDINGS = [
        Binding("p", "menu('play')", "Play"),
        Binding("c", "menu('continue')", "Continue", show=False),
        Binding("r", "menu('progress')", "Progress"),
        Binding("g", "menu('glossary')", "Glossary"),
        Binding("question_mark,h", "menu('help')", "Help"),
        Binding("q", "menu('quit')", "Quit"),
        Binding("s", "menu('switch')", "Switch learner"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static("mmjourney", id="title-name")
            yield Static("Practise clinical decisions across the multiple myeloma patient journey.",
                         id="title-purpose")
            yield Static(DISCLAIMER, id="title-disclaimer")
            if self.app.classroom:
                yield Static(Content(f"Playing as {shown(self.app.workspace.learner)}"), id="title-learner")
            with Center():
                yield OptionList(*self._menu(), id="title-menu")
        yield KeyFooter()

    def _menu(self) -> list[Option]:
        options = [Option("Play a scenario", id="play")]
        if self.app.workspace.saved_journeys():
            options.append(Option("Continue where you left off", id="continue"))
        options += [Option("Your progress", id="progress"), Option("Glossary", id="glossary"),
                    Option("Help", id="help")]
        if self.app.classroom:
            options.append(Option("Not you? Switch learner", id="switch"))
        return options + [Option("Quit", id="quit")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Switching learners is a classroom thing: on one's own computer there is no one to switch to.
        return self.app.classroom or parameters != ("switch",)

    def on_screen_resume(self) -> None:
        menu = self.query_one(OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(self._menu())
        menu.highlighted = min(highlighted or 0, menu.option_count - 1)
        menu.focus()

    @on(OptionList.OptionSelected, "#title-menu")
    def menu_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_menu(event.option.id)

    def action_menu(self, choice: str) -> None:
        app = self.app
        if choice == "play":
            app.open_picker()
        elif choice == "continue" and app.workspace.saved_journeys():
            app.continue_journey()
        elif choice == "progress":
            app.open_progress()
        elif choice == "glossary":
            app.open_glossary()
        elif choice == "help":
            app.open_help()
        elif choice == "quit":
            app.exit()
        elif choice == "switch" and app.classroom:
            app.switch_learner()
