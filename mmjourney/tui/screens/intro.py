"""What `mmjourney play STORY` shows first: the story as learners meet it in the picker (summary,
objectives, disclaimer), with Start focused, so an author previews it and a learner starts with Enter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ...library import Listing
from ..story_card import story_card
from .messages import SCROLL_BINDINGS, ButtonDialog, DialogBody


class StoryIntroScreen(ButtonDialog[bool]):
    """Dismisses with True to start the story, False to go to the title screen instead."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Title screen"), *SCROLL_BINDINGS]

    def __init__(self, story: Listing, mode: str) -> None:
        super().__init__()
        self.story = story
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="intro"):
            with DialogBody(classes="dialog-body"):
                yield Static(story_card(self.story, self.mode))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", variant="primary", id="start")
                yield Button("Title screen", id="title")

    @on(Button.Pressed)
    def answered(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "start")
