"""The debrief: outcome, scores, each decision beside the expert's, the labs over the journey."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from ...engine import STEP_LABELS, Session, debrief, expert_labels
from ...journey import Journey
from .feedback import reference_lines


def _score(tally) -> str:
    percent = tally.percent
    return f"{tally.points:g} of {tally.max_points:g}" + (f"  ({percent:.0f}%)" if percent is not None else "")


def summary_content(session: Session, report) -> Content:
    model = session.story.model
    ending = session.scene.ending
    parts: list = [("Outcome: ", "bold"), ending.title, (f"  ({ending.kind} ending)", "italic"), "\n\n",
                   ("Overall score: ", "bold"), _score(report.overall), "\n\n", ("By clinical-judgment step\n", "bold")]
    for step, tally in report.by_step.items():
        parts += [f"- {STEP_LABELS[step]}: ", _score(tally), "\n"]
    objectives = {o.id: o.text for o in model.objectives}
    parts.append(("\nBy learning objective\n", "bold"))
    for objective, tally in report.by_objective.items():
        parts += ["- ", objectives.get(objective, objective), ": ", _score(tally), "\n"]
    parts.append(("\nBy category\n", "bold"))
    for category, tally in report.by_category.items():
        parts += [f"- {category}: ", _score(tally), "\n"]
    parts.append(("\nCritical errors: ", "bold"))
    if report.critical_errors:
        parts.append("\n")
        for consequence in report.critical_errors:
            parts += ["- ", (f"Decision {consequence.number}: ", "bold"), consequence.label, "\n"]
    else:
        parts.append("none\n")
    return Content.assemble(*parts)


def decisions_content(session: Session, report) -> Content:
    parts: list = [("Your decisions beside the expert's\n", "bold")]
    for review in report.decisions:
        consequence = review.consequence
        verdict = consequence.rating or f"{consequence.points:g} of {consequence.max_points:g}"
        parts += ["\n", (f"{consequence.number}. ", "bold"), consequence.label, (f"  [{verdict}]", "italic")]
        if consequence.critical:
            parts.append(("  CRITICAL ERROR", "bold reverse $error"))
        parts.append("\n")
        if review.matched_expert:
            parts.append(("   = the expert's choice\n", "italic"))
        else:
            parts += ["   Expert: ", "; ".join(expert_labels(session.story, review)), "\n"]
        if consequence.feedback is not None:
            parts += ["   Why: ", consequence.feedback.rationale, "\n"]
    return Content.assemble(*parts)


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
        self.report = debrief(self.session)

    def compose(self) -> ComposeResult:
        session = self.session
        model = session.story.model
        with VerticalScroll(id="debrief-scroll"):
            yield Static(Content.assemble(("Debrief: ", "bold"), model.title), id="debrief-title")
            with Horizontal(id="debrief-buttons"):
                yield Button("Replay (r)", id="replay", variant="primary")
                yield Button("Export (e)", id="export")
                yield Button("Scenarios (p)", id="picker")
                yield Button("Title (Esc)", id="title")
            yield Markdown(session.scene.text, id="debrief-ending")
            yield Static(summary_content(session, self.report), id="debrief-summary")
            yield Static(Content("The patient's labs over the journey"), classes="debrief-heading")
            history = session.chart
            for name, stat in model.stats.items():
                if not stat.visible:
                    continue
                values = [snapshot.stats[name] for snapshot in history]
                yield Static(Content.assemble(
                    (stat.label, "bold"), f"  start {values[0]:.{stat.decimals}f}, end {values[-1]:.{stat.decimals}f}",
                    f", range {min(values):.{stat.decimals}f} to {max(values):.{stat.decimals}f} ", stat.unit,
                ), classes="debrief-stat")
                yield Sparkline(values, classes="debrief-spark")
            yield Static(decisions_content(session, self.report), id="debrief-decisions")
            cited = dict.fromkeys(ref for c in session.history for ref in c.references)
            refs = reference_lines(session, cited)
            if refs:
                yield Static(Content.assemble(("References\n", "bold"), *refs), id="debrief-references")
            yield Static(Content(model.disclaimer), id="debrief-disclaimer")
            yield Static(Content("Try a different choice from decision:"), classes="debrief-heading")
            yield OptionList(*[
                Option(Content.assemble(f"{c.number}. ", c.label), id=str(c.index))
                for c in session.history if c.kind != "next"
            ], id="debrief-branch")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#replay").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"replay": self.action_replay, "export": self.action_export, "picker": self.action_picker,
         "title": self.action_title}[event.button.id]()

    def action_replay(self) -> None:
        self.app.back_to_title()
        self.app.play(self.journey.restarted())

    def action_branch(self) -> None:
        branch = self.query_one("#debrief-branch", OptionList)
        branch.focus()
        branch.scroll_visible()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id)
        self.app.back_to_title()
        self.app.play(self.journey.branch(index))
        number = self.session.history[index].number
        self.app.notify(f"Back before decision {number}, in practice mode: try another choice.")

    def action_export(self) -> None:
        """Save this debrief as Markdown, HTML, a result file or xAPI statements."""
        self.app.export_journey(self.journey)

    def action_picker(self) -> None:
        self.app.back_to_title()
        self.app.open_picker()

    def action_title(self) -> None:
        self.app.back_to_title()
