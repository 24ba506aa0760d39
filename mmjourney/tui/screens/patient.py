"""The patient's history, on a key from the play screen: what authors write under `patient`."""

from __future__ import annotations

from rich.markdown import Markdown
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...journey.text import patient_text


class PatientScreen(ModalScreen[None]):
    """The history as the author wrote it (Markdown, never read as console markup)."""

    BINDINGS = [Binding("escape,enter,h", "dismiss", "Close")]

    def __init__(self, patient) -> None:
        super().__init__()
        self.patient = patient

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(f"Patient: {patient_text(self.patient)}"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Markdown(self.patient.history or "The story gives no history for this patient."))
            yield Button("Close", variant="primary", id="close")

    def on_mount(self) -> None:
        self.query_one("#close").focus()

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss()
