"""The optional learner name of a local player (a classroom learner's name comes from the name screen)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


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

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#learner-input")
    def save(self) -> None:
        from ...records import set_learner

        name = self.query_one(Input).value.strip()
        problem = set_learner(name, self.app.workspace.records_path)
        if problem:
            self.app.notify(problem, severity="error", markup=False)
            return
        self.dismiss(name)
