"""The debrief: a summary card (outcome, score, safety, pass), the decisions to revisit (each a way to try
again from just before it), then the ending, the scores in detail, the labs and each decision beside the
expert's."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...journey import Journey
from ...journey.debrief_view import NOTHING_HELD_BACK, DebriefView, HeldBack, Outcome, Summary
from ..debrief_text import TONE_STYLE, revisit_content, section_content
from ..widgets.footer import KeyFooter

TRY_AGAIN = "↺ try again from here"
# Shown in the card and the ending's own heading, so not again among the detailed sections.
IN_THE_CARD = ("summary", "outcome", "overall")


class DebriefScreen(Screen):
    BINDINGS = [
        Binding("r", "replay", "Replay"),
        Binding("b", "branch", "Try again from…"),
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
        view = DebriefView.of(self.record)
        before, held_back, after = view.around("held_back")
        summary, outcome = view.section("summary"), view.section("outcome")
        with VerticalScroll(id="debrief-scroll"):
            yield Static(Content.assemble(("Debrief: ", "bold"), view.title), id="debrief-title")
            # What a learner must not miss comes first, and fits in 80x24 with the first decision to revisit.
            if isinstance(summary, Summary):
                with Grid(id="debrief-card") as card:  # two columns: a long value wraps under itself
                    card.border_title = summary.heading
                    for row in summary.rows:
                        yield Static(row.label, classes="debrief-card-label")
                        yield Static(Content.styled(row.text, TONE_STYLE[row.tone]))
            if isinstance(held_back, HeldBack):
                yield Static(Content.assemble((held_back.heading, "bold"),
                                              "  (b: go to them, Enter: try again)" if held_back.items else ""),
                             classes="debrief-heading")
                if held_back.items:
                    options: list[Option | None] = []
                    for line in held_back.items:
                        options += [None] if options else []  # a rule between two decisions
                        options.append(Option(Content.assemble(revisit_content(line), "\n   ", (TRY_AGAIN, "italic")),
                                              id=str(line.record.position)))
                    yield OptionList(*options, id="debrief-held-back")
                else:
                    yield Static(Content(NOTHING_HELD_BACK))
            with Horizontal(id="debrief-buttons"):
                yield Button("Replay (r)", id="replay", variant="primary")
                yield Button("Export (e)", id="export")
                yield Button("Scenarios (p)", id="picker")
                yield Button("Title (Esc)", id="title")
            if isinstance(outcome, Outcome):
                yield Static(Content.assemble((f"{outcome.heading}: ", "bold"), outcome.summary),
                             classes="debrief-heading")
                if outcome.text:
                    yield Markdown(outcome.text, id="debrief-ending")
            details = [s for s in before if s.key not in IN_THE_CARD] + list(after)
            yield Static(section_content(*details), id="debrief-details")
            yield Static(Content(view.disclaimer), id="debrief-disclaimer")
            yield Static(Content("Try a different choice from any decision:"), classes="debrief-heading")
            yield OptionList(*[
                Option(Content.assemble(f"{c.number}. ", c.label), id=str(c.index))
                for c in self.session.history if c.kind != "next"
            ], id="debrief-branch")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The page, not a control: an Enter still held from the ending's Continue must not start anything.
        self.query_one("#debrief-scroll").focus()

    @on(Button.Pressed, "#replay")
    def action_replay(self) -> None:
        self.app.back_to_title()
        self.app.play(self.journey.restarted())

    def action_branch(self) -> None:
        """Go to the decisions to revisit, the way into trying again (or, with none, every decision)."""
        held_back = self.query("#debrief-held-back")
        branch = held_back.first(OptionList) if held_back else self.query_one("#debrief-branch", OptionList)
        branch.focus()
        if branch.highlighted is None and branch.option_count:
            branch.highlighted = 0
        branch.scroll_visible()

    @on(OptionList.OptionSelected, "#debrief-branch, #debrief-held-back")
    def branch_from(self, event: OptionList.OptionSelected) -> None:
        self.app.back_to_title()
        self.app.play(self.journey.branch(int(event.option.id)))  # its first scene says what was carried over

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
