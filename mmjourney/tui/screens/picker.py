"""Choose a scenario and a mode. Stories that fail validation are listed with their first error."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option


class PickerScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "toggle_mode", "Mode"),
    ]

    def __init__(self, stories_dir: Path | None, bundled_dir: Path | None = None) -> None:
        super().__init__()
        self.stories_dir = stories_dir
        self.bundled_dir = bundled_dir
        self.entries = []

    def compose(self) -> ComposeResult:
        yield Static("Choose a scenario", id="picker-heading")
        with Horizontal(id="picker-body"):
            with Vertical(id="picker-left"):
                yield OptionList(Option("Loading stories...", disabled=True), id="picker-list")
                with RadioSet(id="picker-mode"):
                    yield RadioButton("Practice (feedback, undo)", value=True, id="practice")
                    yield RadioButton("Assessment (debrief only)", id="assessment")
            with VerticalScroll(id="picker-details"):
                yield Static(id="picker-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#picker-list").focus()
        self.load_library()

    @work(thread=True, exclusive=True)
    def load_library(self) -> None:
        from ...library import scan

        entries = scan(self.stories_dir, self.bundled_dir)
        self.app.call_from_thread(self.show_entries, entries)

    def show_entries(self, entries) -> None:
        self.entries = entries
        stories = self.query_one(OptionList)
        stories.clear_options()
        for index, entry in enumerate(entries):
            label = Content(entry.title)
            if not entry.playable:
                label = Content.assemble(label, (" (cannot be played: see details)", "italic"))
            elif entry.source == "yours":
                label = Content.assemble(label, (" (your story)", "italic"))
            stories.add_option(Option(label, id=str(index)))
        if not entries:
            stories.add_option(Option("No stories found.", disabled=True))
            return
        stories.highlighted = 0

    @property
    def mode(self) -> str:
        return "assessment" if self.query_one("#assessment", RadioButton).value else "practice"

    def action_toggle_mode(self) -> None:
        other = "#practice" if self.mode == "assessment" else "#assessment"
        self.query_one(other, RadioButton).value = True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.describe(self.entries[int(event.option.id)])

    def describe(self, entry) -> None:
        text = self.query_one("#picker-text", Static)
        if not entry.playable:
            problem = entry.problem
            text.update(Content.assemble((entry.path.name, "bold"), "\n\nThis story has a problem and cannot be "
                                         "played until it is fixed:\n\n", str(problem)))
            return
        model = entry.story.model
        parts = [
            (model.title, "bold"), "\n\n", model.summary, "\n\n",
            ("Difficulty: ", "bold"), model.difficulty, "    ", ("About ", "bold"), f"{model.minutes} minutes\n",
            ("For: ", "bold"), ", ".join(model.audience), "\n\n", ("Learning objectives", "bold"), "\n",
        ]
        for objective in model.objectives:
            parts += ["- ", objective.text, "\n"]
        parts += ["\n", (model.disclaimer, "italic")]
        text.update(Content.assemble(*parts))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        entry = self.entries[int(event.option.id)]
        if entry.playable:
            self.app.start_session(entry.story, self.mode)
        else:
            self.app.notify("Fix the problem shown on the right first.", severity="warning")
