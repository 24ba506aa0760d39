"""Classroom mode: who is playing, so each learner's saves and records stay apart."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static


def learner_folder_name(name: str) -> str:
    """A safe folder name for a learner: letters, digits, '-' and '_' only."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()).strip("-")
    return slug[:40]


class LearnerScreen(Screen):
    """Asks for a name or pseudonym, then points the data folder at that learner's own."""

    def compose(self) -> ComposeResult:
        with Vertical(id="learner-box"):
            yield Static("mmjourney classroom", id="title-name")
            yield Static("Type your name or a pseudonym, then press Enter. Your progress is kept under it on "
                         "this machine only.", id="learner-help")
            yield Input(placeholder="Name or pseudonym", id="learner-name", max_length=60)
            yield Static("", id="learner-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        folder = learner_folder_name(event.value)
        if not folder:
            self.query_one("#learner-error", Static).update("Please type a name with at least one letter or digit.")
            return
        self.app.workspace = self.app.workspace.for_learner(folder, event.value.strip())
        self.dismiss()  # back to the title screen, which now offers this learner's saved journey
