"""The debrief: the result, outcome, scores, what held the learner back (each a way to try again from just
before it), each decision beside the expert's, the labs over the journey."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Markdown, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from ...journey import Journey
from ...journey.debrief_view import NOTHING_HELD_BACK, DebriefView, HeldBack, Labs
from ..debrief_text import section_content
from ..widgets.chart import plottable
from ..widgets.footer import KeyFooter


class DebriefScreen(Screen):
    BINDINGS = [
        Binding("r", "replay", "Replay"),
        Binding("b", "branch", "Try another choice"),
        Binding("p", "picker", "Scenarios"),
        Binding("e", "export", "Export"),
        Binding("escape", "title", "Title"),
    ]

    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey
        self.session = journey.session
        self.story_path = journey.story_path
        self.record = journey.debrief_record()  # the same record, and so the same debrief, as the exports

    def compose(self) -> ComposeResult:
        session = self.session
        view = DebriefView.of(self.record)
        with VerticalScroll(id="debrief-scroll"):
            yield Static(Content.assemble(("Debrief: ", "bold"), view.title), id="debrief-title")
            with Horizontal(id="debrief-buttons"):
                yield Button("Replay (r)", id="replay", variant="primary")
                yield Button("Export (e)", id="export")
                yield Button("Scenarios (p)", id="picker")
                yield Button("Title (Esc)", id="title")
            # What held the learner back is the way into trying again, and the labs are drawn as charts: both
            # in their place among the view's sections (held_back comes just before the labs).
            before, held_back, _ = view.around("held_back")
            _, labs, after = view.around("labs")
            yield Markdown(self.record.ending.text if self.record.ending else "", id="debrief-ending")
            yield Static(section_content(*before), id="debrief-summary")
            if isinstance(held_back, HeldBack):
                yield Static(Content(held_back.heading), classes="debrief-heading")
                if held_back.items:
                    yield OptionList(*[
                        Option(Content.assemble(held_back.text(line), ("  ↺ try again from here", "italic")),
                               id=str(line.record.position))
                        for line in held_back.items
                    ], id="debrief-held-back")
                else:
                    yield Static(Content(NOTHING_HELD_BACK))
            if isinstance(labs, Labs):
                yield Static(Content(labs.heading), classes="debrief-heading")
                for lab in labs.labs:
                    yield Static(Content.assemble((lab.title, "bold"), "  ", lab.summary), classes="debrief-stat")
                    yield Sparkline(plottable(lab.values), classes="debrief-spark")
            yield Static(section_content(*after), id="debrief-decisions")
            yield Static(Content(view.disclaimer), id="debrief-disclaimer")
            yield Static(Content("Try a different choice from decision:"), classes="debrief-heading")
            yield OptionList(*[
                Option(Content.assemble(f"{c.number}. ", c.label), id=str(c.index))
                for c in session.history if c.kind != "next"
            ], id="debrief-branch")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#replay").focus()

    @on(Button.Pressed, "#replay")
    def action_replay(self) -> None:
        self.app.back_to_title()
        self.app.play(self.journey.restarted())

    def action_branch(self) -> None:
        """Go to what held the learner back, the way into trying again (or, with nothing there, every decision)."""
        held_back = self.query("#debrief-held-back")
        branch = held_back.first(OptionList) if held_back else self.query_one("#debrief-branch", OptionList)
        branch.focus()
        branch.scroll_visible()

    @on(OptionList.OptionSelected, "#debrief-branch, #debrief-held-back")
    def branch_from(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id)
        self.app.back_to_title()
        self.app.play(self.journey.branch(index))
        number = self.session.history[index].number
        self.app.notify(f"Back before decision {number}, in practice mode: try another choice.")

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Save this debrief as Markdown, HTML, a result file or xAPI statements."""
        self.app.export_journey(self.journey)

    @on(Button.Pressed, "#picker")
    def action_picker(self) -> None:
        self.app.back_to_title()
        self.app.open_picker()

    @on(Button.Pressed, "#title")
    def action_title(self) -> None:
        self.app.back_to_title()
