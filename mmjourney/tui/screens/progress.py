"""Progress: attempts per story, best and latest score, endings and objectives, the score trend,
and every past attempt's debrief with its exports.

Screens here, for the lead to wire in:
- `ProgressScreen()`: push from the title menu or the command palette.
- `AttemptScreen(attempt_id)`: one past attempt's debrief, from the records alone.
- `ExportScreen(attempt_id)`: choose a format and a file, write the export.
- `export_session(app, session)`: record a journey and open ExportScreen for it (the debrief's hook).

Story text and learner names are shown as literal text (Content, Text, markup=False), never as markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from ...journey import Journey
from ...journey.debrief_view import DebriefView
from ...journey.record import AttemptRecord
from ...journey.text import percent_text
from ...records.database import RecordsUnavailable, records
from ...records.exports import EXTENSIONS, contents_note, default_filename, render, write_text_atomic
from ...records.progress import StoryProgress, story_progress
from ..debrief_text import BARS, section_content

FORMAT_LABELS = {
    "html": "HTML debrief, to read or print",
    "md": "Markdown debrief",
    "json": "Result file for your educator (JSON)",
    "xapi": "xAPI statements (a pseudonym, no name)",
}


def local_time(stamp: str | None) -> str:
    """A stored UTC time as local 'YYYY-MM-DD HH:MM'."""
    if not stamp:
        return "–"
    import calendar
    import time

    try:
        seconds = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return stamp
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def exports_dir(app) -> Path:
    return app.workspace.exports_dir


def _score_style(percent: float | None) -> str:
    if percent is None:
        return "dim"
    return "$success" if percent >= 80 else "$warning" if percent >= 50 else "$error"


class TrendChart(Widget):
    """Overall score of each completed attempt as a column of blocks, oldest on the left."""

    DEFAULT_CSS = "TrendChart { height: 8; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scores: list[float] = []

    def show(self, scores: list[float]) -> None:
        self.scores = list(scores)
        self.refresh()

    def render(self) -> Content:
        if not self.scores:
            return Content("No finished attempt yet: the trend appears after the first ending.")
        rows = max(2, self.size.height - 2)
        columns = max(1, (self.size.width - 5) // 3)
        shown = self.scores[-columns:]
        first = len(self.scores) - len(shown) + 1
        parts: list = []
        labels = {rows: "100", rows // 2 + 1: " 50", 1: "  0"}
        for row in range(rows, 0, -1):
            parts.append(f"{labels.get(row, '   ')}│")
            for score in shown:
                height = max(0.0, min(100.0, score)) / 100 * rows
                fill = height - (row - 1)
                block = "█" if fill >= 1 else BARS[round(fill * 8)] if fill > 0 else " "
                parts += [(block * 2, _score_style(score)), " "]
            parts.append("\n")
        parts.append("   └" + "─" * (3 * len(shown)) + "\n    ")
        for number in range(first, first + len(shown)):
            parts.append(f"{number:<3}"[:3] if number < 100 else f"{number % 100:02d} ")
        return Content.assemble(*parts)


def load_attempt(records_path: Path, attempt_id: int) -> tuple[AttemptRecord | None, str | None]:
    """An attempt's record from the learner's records, or why it cannot be read."""
    try:
        with records(records_path) as db:
            return db.load(attempt_id), None
    except RecordsUnavailable as error:
        return None, str(error)


class ProgressScreen(Screen):
    """What a learner has done so far, story by story."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("o", "open", "Open debrief"),
        Binding("e", "export", "Export"),
        Binding("n", "learner", "Learner name"),
    ]

    DEFAULT_CSS = """
    ProgressScreen { layout: vertical; }
    #progress-heading { padding: 0 1; height: auto; }
    #progress-notice { padding: 0 1; color: $warning; height: auto; }
    #progress-stories { height: auto; max-height: 9; margin: 0 1; }
    #progress-body { height: 1fr; margin: 0 1; }
    #progress-left { width: 1fr; height: 100%; }
    #progress-trend { height: 9; border: round $primary; padding: 0 1; }
    #progress-facts { height: 1fr; padding: 0 1; overflow-y: auto; }
    #progress-attempts { width: 1fr; height: 100%; border: round $secondary; }
    ProgressScreen.-narrow #progress-body { layout: vertical; }
    ProgressScreen.-narrow #progress-left, ProgressScreen.-narrow #progress-attempts { width: 100%; height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.stories: list[StoryProgress] = []
        self.notice: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="progress-heading")
        yield Static(id="progress-notice")
        yield DataTable(id="progress-stories", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="progress-body"):
            with Vertical(id="progress-left"):
                yield TrendChart(id="progress-trend")
                yield Static(id="progress-facts")
            yield OptionList(id="progress-attempts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress-trend").border_title = "Score trend"
        self.query_one("#progress-attempts").border_title = "Attempts (Enter: debrief)"
        table = self.query_one(DataTable)
        table.add_columns("Story", "Attempts", "Best", "Latest", "Endings", "Objectives")
        table.focus()  # the records are read when the screen shows (on_screen_resume), and again on return

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 70, "-narrow")

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            with records(self.app.workspace.records_path) as db:
                # A file set aside is news once, but it stays on this screen for as long as it is open.
                self.notice = db.notice or (self.notice if self.notice and "kept as" in self.notice else None)
                self.stories = story_progress(db)
        except RecordsUnavailable as error:
            self.notice = str(error)
            self.stories = []
        self.show_heading()
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for progress in self.stories:
            table.add_row(
                Text(progress.title),
                Text(str(len(progress.attempts)), justify="right"),
                Text(percent_text(progress.best), justify="right"),
                Text(percent_text(progress.latest), justify="right"),
                Text(f"{len(progress.endings_found)} of {progress.endings_total}"),
                Text(f"{progress.objectives_mastered} of {len(progress.objectives)}"),
                key=progress.story_id,
            )
        if self.stories:
            table.move_cursor(row=min(cursor, len(self.stories) - 1))
            self.show_story(self.stories[table.cursor_row])
        else:
            self.show_story(None)

    def show_heading(self) -> None:
        name = self.app.workspace.learner or self.saved_learner()
        who = Content.assemble(("Learner: ", "bold"), name) if name else Content.assemble(
            ("No learner name", "bold"), " (optional: n to add one)")
        self.query_one("#progress-heading", Static).update(Content.assemble(
            ("Your progress", "bold $accent"), "   ", who))
        notice = self.query_one("#progress-notice", Static)
        notice.update(Content(self.notice or ""))
        notice.display = bool(self.notice)

    def saved_learner(self) -> str | None:
        from ...records import get_learner

        return get_learner(self.app.workspace.records_path)

    def selected(self) -> StoryProgress | None:
        table = self.query_one(DataTable)
        if not self.stories or table.cursor_row is None or not 0 <= table.cursor_row < len(self.stories):
            return None
        return self.stories[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.stories):
            self.show_story(self.stories[event.cursor_row])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        attempts = self.query_one("#progress-attempts", OptionList)
        if attempts.option_count:
            attempts.focus()

    def show_story(self, progress: StoryProgress | None) -> None:
        trend = self.query_one(TrendChart)
        facts = self.query_one("#progress-facts", Static)
        attempts = self.query_one("#progress-attempts", OptionList)
        attempts.clear_options()
        if progress is None:
            trend.border_title = "Score trend"
            trend.show([])
            facts.update(Content("No attempts recorded yet. Play a scenario: every decision is kept here, on this "
                                 "computer only."))
            return
        trend.border_title = Content.assemble("Score trend: ", progress.title)
        trend.show(progress.trend)
        parts: list = [("Endings found: ", "bold"), f"{len(progress.endings_found)} of {progress.endings_total}"]
        if progress.endings_found:
            parts += [" (", ", ".join(progress.endings_found), ")"]
        parts += ["\n", ("Objectives mastered: ", "bold"),
                  f"{progress.objectives_mastered} of {len(progress.objectives)}"]
        missing = [text for objective_id, text in progress.objectives if objective_id not in progress.mastered]
        if missing and progress.completed:
            parts += ["\n", ("Still to master: ", "bold"), "; ".join(missing)]
        facts.update(Content.assemble(*parts))
        for attempt in reversed(progress.attempts):
            finished = attempt.status == "completed"
            steps = f"{attempt.decisions} step{'s' if attempt.decisions != 1 else ''}"
            status = attempt.ending_title if finished else (
                f"left after {steps}" if attempt.status == "abandoned" else f"unfinished, {steps} so far")
            errors = attempt.critical_errors
            label = Content.assemble(
                (f"#{attempt.id:<4}", "bold"), local_time(attempt.started_at), "  ",
                (f"{percent_text(attempt.percent):>5}", _score_style(attempt.percent) if finished else "dim"), "\n",
                "     ", (status or "", "italic"), f" · {attempt.mode}",
                (f"\n     {errors} critical error{'s' if errors != 1 else ''}", "$error") if errors else "")
            attempts.add_option(Option(label, id=str(attempt.id)))
        attempts.highlighted = 0

    def current_attempt(self) -> int | None:
        attempts = self.query_one("#progress-attempts", OptionList)
        if attempts.highlighted is None or not attempts.option_count:
            return None
        return int(attempts.get_option_at_index(attempts.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.push_screen(AttemptScreen(int(event.option.id)))

    def action_open(self) -> None:
        attempt = self.current_attempt()
        if attempt is not None:
            self.app.push_screen(AttemptScreen(attempt))

    def action_export(self) -> None:
        attempt = self.current_attempt()
        if attempt is None:
            self.app.notify("There is no attempt to export yet.")
            return
        self.app.push_screen(ExportScreen(attempt))

    def action_learner(self) -> None:
        if self.app.workspace.learner:
            self.app.notify("In classroom mode the name you typed at the start is used.", markup=False)
            return
        self.app.push_screen(LearnerNameScreen(self.saved_learner()), lambda _: self.show_heading())


# --- one past attempt ----------------------------------------------------------------------------------------


def record_content(record: AttemptRecord) -> Content:
    """A recorded attempt's debrief as literal text: works without the story file."""
    facts = Content.assemble(
        ("Learner: ", "bold"), record.learner or "not given", "   ", ("Mode: ", "bold"),
        f"{record.mode}, seed {record.seed}", "   ", ("Story version: ", "bold"), record.story.version, "\n",
        ("Started: ", "bold"), local_time(record.started_at), "   ", ("Ended: ", "bold"), local_time(record.ended_at),
        "\n\n")
    view = DebriefView.of(record)
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
                yield Static(Content.assemble(f"Attempt {self.attempt_id}: ", self.record.story.title),
                             id="attempt-title")
                yield Static(record_content(self.record), id="attempt-debrief")
        yield Footer()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("export", "full") and self.record is None:
            return False
        return True

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen(self.attempt_id))

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
        self.app.open_debrief(Journey(session, self.app.workspace))


# --- exporting ------------------------------------------------------------------------------------------------


class ExportScreen(ModalScreen[Path | None]):
    """Choose a format and a file; the export is written there and nowhere else."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    DEFAULT_CSS = """
    ExportScreen #export-formats { height: auto; width: 100%; border: none; padding: 0; }
    ExportScreen #export-error { color: $error; height: auto; }
    ExportScreen #export-note { color: $text-muted; height: auto; max-height: 6; margin-top: 1; }
    ExportScreen .dialog-title { padding-bottom: 0; }
    """

    def __init__(self, attempt_id: int, fmt: str = "html") -> None:
        super().__init__()
        self.attempt_id = attempt_id
        self.fmt = fmt
        self.record: AttemptRecord | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        self.record, self.problem = load_attempt(self.app.workspace.records_path, self.attempt_id)
        # In classroom mode the client is a browser on someone else's machine: it never names a
        # path on the server. The file goes to the learner as a download, and a copy stays in
        # the learner's own folder.
        self.download = bool(getattr(self.app, "classroom", False))
        with VerticalScroll(classes="dialog"):
            where = "then download it" if self.download else "then where to save it"
            yield Static(Content(f"Export attempt {self.attempt_id}: choose a format, {where}"),
                         classes="dialog-title")
            with RadioSet(id="export-formats"):
                for fmt, label in FORMAT_LABELS.items():
                    yield RadioButton(label, value=fmt == self.fmt, id=f"format-{fmt}")
            if self.download:
                yield Static(Content("The file downloads in your browser; a copy is kept in your own folder "
                                     "on the classroom server."), id="export-download")
            else:
                path = Input(self.default_path(), id="export-path")
                path.border_title = "Save to"
                yield path
            yield Static(Content(self.problem or ""), id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Download" if self.download else "Export", id="export", variant="primary",
                             disabled=self.record is None)
                yield Button("Cancel", id="cancel")
            yield Static(Content(self.note()), id="export-note")

    def on_mount(self) -> None:
        if self.download:
            self.query_one("#export-formats", RadioSet).focus()
        else:
            self.query_one("#export-path", Input).focus()
        self.query_one("#export-error").display = bool(self.problem)

    def default_path(self) -> str:
        if self.record is None:
            return ""
        return str(exports_dir(self.app) / default_filename(self.record, self.fmt))

    def note(self) -> str:
        return "" if self.record is None else contents_note(self.record, self.fmt)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        old_default = self.default_path()
        self.fmt = event.pressed.id.removeprefix("format-")
        self.query_one("#export-note", Static).update(Content(self.note()))
        if self.download:
            return
        path = self.query_one("#export-path", Input)
        if path.value == old_default or not path.value:
            path.value = self.default_path()
        elif "." in Path(path.value).name:  # keep the learner's file name, with the new format's extension
            stem = Path(path.value).name.split(".")[0]
            path.value = str(Path(path.value).with_name(f"{stem}.{EXTENSIONS[self.fmt]}"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.export()
        else:
            self.dismiss(None)

    def export(self) -> None:
        if self.record is None:
            return
        if self.download:
            self.export_download()
            return
        error = self.query_one("#export-error", Static)
        raw = self.query_one("#export-path", Input).value.strip()
        error.display = True
        if not raw:
            error.update(Content("Type where to save the file."))
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            path = path / default_filename(self.record, self.fmt)
        if self.write(path):
            self.app.notify(f"Exported to {path}", title="Export", timeout=8, markup=False)
            self.dismiss(path)

    def export_download(self) -> None:
        """Classroom mode: a copy in the learner's own exports folder, delivered to the browser."""
        assert self.record is not None
        path = exports_dir(self.app) / default_filename(self.record, self.fmt)
        if not self.write(path):
            return
        self.app.deliver_text(path, save_filename=path.name)
        self.app.notify(f"Downloading {path.name}", title="Export", timeout=8, markup=False)
        self.dismiss(path)

    def write(self, path: Path) -> bool:
        """Write the export to `path`; a failure is shown in the dialog in plain words."""
        assert self.record is not None
        try:
            write_text_atomic(path, render(self.record, self.fmt))
        except OSError as problem:
            from ...records.database import describe_error

            error = self.query_one("#export-error", Static)
            error.display = True
            error.update(Content(f"Could not write {path}: {describe_error(problem, path.parent)}."))
            return False
        return True


class LearnerNameScreen(ModalScreen[str | None]):
    """The optional learner name (or pseudonym) recorded with new attempts."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content("Learner name (optional)"), classes="dialog-title")
            yield Static(Content("Your name or a pseudonym, recorded with your next attempts and shown in exports "
                                 "you make. It stays on this computer. Leave it empty to record none."))
            yield Input(self.current or "", placeholder="Name or pseudonym", id="learner-input", max_length=80)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.save()
        else:
            self.dismiss(None)

    def save(self) -> None:
        from ...records import set_learner

        name = self.query_one(Input).value.strip()
        problem = set_learner(name, self.app.workspace.records_path)
        if problem:
            self.app.notify(problem, severity="error", markup=False)
            return
        self.dismiss(name)


def export_session(app, journey: Journey) -> None:
    """Bring `journey`'s attempt up to date in the records and offer its export: the debrief screen's 'e' key."""
    messages = journey.record(journey.snapshot())
    if journey.attempt_id is None:
        app.notify(" ".join(messages) or "There is nothing to export yet.", severity="warning", markup=False)
        return
    for message in messages:
        app.notify(message, markup=False)
    app.push_screen(ExportScreen(journey.attempt_id))
