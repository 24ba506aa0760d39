"""One past attempt's debrief, rebuilt from the records alone (no story file needed)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...journey import Journey
from ...journey.debrief_view import DebriefView
from ...journey.record import AttemptRecord
from ...journey.text import local_time
from ...records.progress import load_attempt
from ..debrief_text import section_content
from ..untrusted import shown
from ..widgets.footer import KeyFooter


def record_content(record: AttemptRecord) -> Content:
    """A recorded attempt's debrief as literal text: works without the story file.

    The record may be older than the story checks: names are shown with their control characters
    as escapes, and every other text has them removed, so none reaches the terminal.
    """
    facts = Content.assemble(
        ("Learner: ", "bold"), shown(record.learner) if record.learner else "not given", "   ", ("Mode: ", "bold"),
        shown(f"{record.mode}, seed {record.seed}"), "   ", ("Story version: ", "bold"), shown(record.story.version),
        "\n",
        ("Started: ", "bold"), local_time(record.started_at), "   ", ("Ended: ", "bold"), local_time(record.ended_at),
        "\n\n")
    view = DebriefView.of(record)  # read with its controls removed (AttemptRecord.from_json)
    return Content.assemble(facts, section_content(*view.sections), "\n", (view.disclaimer, "italic"))


class AttemptScreen(Screen):
    """A past attempt's debrief, rebuilt from the records (no story file needed)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "export", "Export"),
        Binding("f", "full", "Full debrief (replay)"),
    ]

    DEFAULT_CSS = """
    #attempt-scroll { padding: 0 1; }
    #attempt-title { text-style: bold; color: $accent; margin-bottom: 1; }
    """

    def __init__(self, attempt_id: int) -> None:
        super().__init__()
        self.attempt_id = attempt_id
        self.record: AttemptRecord | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        self.record, self.problem = load_attempt(self.app.workspace.records_path, self.attempt_id)
        with VerticalScroll(id="attempt-scroll"):
            if self.record is None:
                yield Static(Content(self.problem or "This attempt cannot be shown."), id="attempt-title")
            else:
                yield Static(Content.assemble(f"Attempt {self.attempt_id}: ", shown(self.record.story.title)),
                             id="attempt-title")
                yield Static(record_content(self.record), id="attempt-debrief")
        yield KeyFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("export", "full") and self.record is None:
            return False
        return True

    def action_export(self) -> None:
        self.app.open_export(self.attempt_id)

    def action_full(self) -> None:
        """Replay the attempt against its story and open the game's own debrief (charts, branching)."""
        from ...records import find_story, rebuild_session

        story, note = find_story(self.record, self.app.workspace.stories_dir)
        if story is None:
            self.app.notify(note or "The story is not available.", severity="warning", markup=False)
            return
        try:
            session = rebuild_session(self.record, story)
        except ValueError as error:
            self.app.notify(str(error), severity="warning", markup=False)
            return
        if not session.ended:
            self.app.notify("This attempt did not reach an ending, so there is no full debrief.", markup=False)
            return
        if note:
            self.app.notify(note, markup=False)
        self.app.open_debrief(Journey.reviewing(session, self.record, self.app.workspace))
