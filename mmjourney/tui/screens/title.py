"""The title screen: what this is, the disclaimer, where to go, and the colours to read it in.

A newcomer is pointed to the tutorial, Continue names the journey it resumes, and the three
themes are one key away (review findings 9 and 14).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...journey.workspace import SavedJourney
from ..themes import OFFERED
from ..untrusted import shown
from ..widgets.footer import KeyFooter
from ..widgets.theme_choice import ThemeChoice

DISCLAIMER = ("Educational simulation for nursing education, not medical advice. Patients and outcomes are "
              "simplified teaching examples; follow local protocols in real care.")
NEWCOMER = "New here? Press p and start with the Tutorial, first in the list."


def continue_label(saved: list[SavedJourney]) -> Content:
    """What Continue resumes: the one journey by name, or how many there are (the latest first)."""
    latest = saved[0]
    if len(saved) == 1:
        return Content.assemble("Continue: ", shown(latest.title), f" ({latest.mode})")
    return Content.assemble(f"Continue one of {len(saved)} journeys (latest: ", shown(latest.title), ")")


class TitleScreen(Screen):
    BINDINGS = [
        Binding("p", "menu('play')", "Play"),
        Binding("c", "menu('continue')", "Continue", show=False),
        Binding("r", "menu('progress')", "Progress"),
        Binding("g", "menu('glossary')", "Glossary"),
        Binding("question_mark,h", "menu('help')", "Help"),
        Binding("q", "menu('quit')", "Quit"),
        Binding("s", "menu('switch')", "Switch learner"),
        *(Binding(key, f"theme('{theme.name}')", label, show=False) for theme, label, key in OFFERED),
    ]

    # Whether the screen has been shown once: from then on, coming back to it refreshes what may have changed.
    resumed_once = False

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static("mmjourney", id="title-name")
            yield Static("Practise clinical decisions across the multiple myeloma patient journey.",
                         id="title-purpose")
            yield Static(DISCLAIMER, id="title-disclaimer")
            if self.app.classroom:
                yield Static(Content(f"Playing as {shown(self.app.workspace.learner)}"), id="title-learner")
            yield Static(NEWCOMER, id="title-newcomer")
            with Center():
                yield OptionList(*self._menu(), id="title-menu")
            with Center():
                yield ThemeChoice(OFFERED, id="title-themes")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#title-menu").focus()
        self.query_one("#title-newcomer").display = self.newcomer

    @property
    def newcomer(self) -> bool:
        """Someone who has never played here: no records and nothing to continue."""
        workspace = self.app.workspace
        return not workspace.records_path.exists() and not workspace.saved_journeys()

    def _menu(self) -> list[Option]:
        options = [Option("Play a scenario", id="play")]
        saved = self.app.workspace.saved_journeys()
        if saved:
            options.append(Option(continue_label(saved), id="continue"))
        options += [Option("Your progress", id="progress"), Option("Glossary", id="glossary"),
                    Option("Help", id="help")]
        if self.app.can_switch_learner:
            options.append(Option("Not you? Switch learner", id="switch"))
        return options + [Option("Quit", id="quit")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Switching learners is a classroom thing: on one's own computer there is no one to switch to.
        return self.app.can_switch_learner or parameters != ("switch",)

    def on_screen_resume(self) -> None:
        if not self.resumed_once:  # the first resume follows compose, which built the menu just now
            self.resumed_once = True
            return
        menu = self.query_one("#title-menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(self._menu())
        menu.highlighted = min(highlighted or 0, menu.option_count - 1)
        menu.focus()
        self.query_one("#title-newcomer").display = self.newcomer

    @on(OptionList.OptionSelected, "#title-menu")
    def menu_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_menu(event.option.id)

    @on(ThemeChoice.Chosen)
    def theme_chosen(self, event: ThemeChoice.Chosen) -> None:
        self.app.theme = event.name

    def action_theme(self, name: str) -> None:
        self.app.theme = name

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
        elif choice == "switch" and app.can_switch_learner:
            app.switch_learner()
