"""Small dialogs: a message to read, a question with buttons, and a choice from a list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..untrusted import shown, shown_lines


class MessageScreen(ModalScreen[None]):
    """A message to read and close; story text in it is shown literally."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = shown(title)  # messages can quote paths, names and values: controls shown, never obeyed
        self.body = shown_lines(body)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Content(self.body))
            yield Button("Close", variant="primary", id="close")

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss()


class AskScreen(ModalScreen[str | None]):
    """A question with a few answers; dismisses with the chosen answer's id (None on Escape)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, body: str, answers: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = shown(title)
        self.body = shown_lines(body)
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Content(self.body))
            with Horizontal(classes="dialog-buttons"):
                for number, (answer_id, label) in enumerate(self.answers):
                    yield Button(label, id=answer_id, variant="primary" if number == 0 else "default")

    @on(Button.Pressed)
    def answered(self, event: Button.Pressed) -> None:
        """Each answer is a button whose id is the answer's id."""
        self.dismiss(event.button.id)


class ChooseScreen(ModalScreen[int | None]):
    """Pick one of a list whose labels may be long (they wrap); dismisses with its index (None on Escape)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, body: str, labels: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.labels = labels

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Static(Content(self.body))
            yield OptionList(*[Option(Content(label)) for label in self.labels], id="choose-list")
            yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def on_button_pressed(self) -> None:
        self.dismiss(None)
