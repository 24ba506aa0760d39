"""Exporting an attempt: choose a format, then a file (a local terminal) or a download (the classroom)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet, Static

from ...journey.record import AttemptRecord
from ...records.exports import EXTENSIONS, contents_note, default_filename, render, write_text_atomic
from ...records.progress import load_attempt
from ..untrusted import shown, shown_lines
from ..widgets.marks import MarkedRadioButton

FORMAT_LABELS = {
    "html": "HTML debrief, to read or print",
    "md": "Markdown debrief",
    "json": "Result file for your educator (JSON)",
    "xapi": "xAPI statements (a pseudonym, no name)",
}



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
                    yield MarkedRadioButton(label, value=fmt == self.fmt, id=f"format-{fmt}")
            if self.download:
                yield Static(Content("The file downloads in your browser; a copy is kept in your own folder "
                                     "on the classroom server."), id="export-download")
            else:
                path = Input(self.default_path(), id="export-path")
                path.border_title = "Save to"
                yield path
            yield Static(Content(shown_lines(self.problem or "")), id="export-error")
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
        return str(self.app.workspace.exports_dir / default_filename(self.record, self.fmt))

    def note(self) -> str:
        return "" if self.record is None else shown_lines(contents_note(self.record, self.fmt))

    @on(RadioSet.Changed, "#export-formats")
    def format_chosen(self, event: RadioSet.Changed) -> None:
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

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#export-path")
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
            self.app.notify(f"Exported to {shown(path)}", title="Export", timeout=8, markup=False)
            self.dismiss(path)

    def export_download(self) -> None:
        """Classroom mode: a copy in the learner's own exports folder, delivered to the browser."""
        assert self.record is not None
        path = self.app.workspace.exports_dir / default_filename(self.record, self.fmt)
        if not self.write(path):
            return
        self.app.deliver_text(path, save_filename=path.name)
        self.app.notify(f"Downloading {shown(path.name)}", title="Export", timeout=8, markup=False)
        self.dismiss(path)

    def write(self, path: Path) -> bool:
        """Write the export to `path`; a failure is shown in the dialog in plain words."""
        assert self.record is not None
        error = self.query_one("#export-error", Static)
        try:
            text = render(self.record, self.fmt)
        except (ValueError, OverflowError, RecursionError) as problem:
            # A record older than the story checks can hold numbers a format cannot carry (JSON has no
            # infinity): say so here rather than end the game.
            error.display = True
            error.update(Content(shown_lines(f"This attempt cannot be exported in this format: {problem}")))
            return False
        try:
            write_text_atomic(path, text)
        except OSError as problem:
            from ...records.database import describe_error

            error.display = True
            error.update(Content(shown_lines(f"Could not write {path}: {describe_error(problem, path.parent)}.")))
            return False
        return True
