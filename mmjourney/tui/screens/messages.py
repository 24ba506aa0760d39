"""Small dialogs: a message to read, a question with buttons, and a choice from a list.

Each opens with its first answer focused, so Enter does what the highlighted button says; the
text above the buttons never takes focus (a focused text area swallowed Enter, finding 5), and
the arrow and page keys scroll it from wherever focus is.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..untrusted import shown, shown_lines

# Keys that scroll a dialog's text; none of them is needed by its buttons.
SCROLL_BINDINGS = [
    Binding("up", "scroll_body('up')", show=False),
    Binding("down", "scroll_body('down')", show=False),
    Binding("pageup", "scroll_body('page_up')", show=False),
    Binding("pagedown", "scroll_body('page_down')", show=False),
    Binding("home", "scroll_body('home')", show=False),
    Binding("end", "scroll_body('end')", show=False),
    Binding("left", "app.focus_previous", show=False),
    Binding("right", "app.focus_next", show=False),
]


class DialogBody(VerticalScroll, can_focus=False):
    """A dialog's text: scrolled by the dialog's keys, never focused."""


class ButtonDialog(ModalScreen[ScreenResultType]):
    """A dialog whose answers are buttons: the first one has focus when it opens."""

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def action_scroll_body(self, how: str) -> None:
        getattr(self.query_one(DialogBody), f"scroll_{how}")()


class MessageScreen(ButtonDialog[None]):
    """A message to read and close; story text in it is shown literally."""

    BINDINGS = [Binding("escape", "dismiss", "Close"), *SCROLL_BINDINGS]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = shown(title)  # messages can quote paths, names and values: controls shown, never obeyed
        self.body = shown_lines(body)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            with DialogBody(classes="dialog-body"):
                yield Static(Content(self.body))
            yield Button("Close", variant="primary", id="close")

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss()


class AskScreen(ButtonDialog[str | None]):
    """A question with a few answers; dismisses with the chosen answer's id (None on Escape)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), *SCROLL_BINDINGS]

    def __init__(self, title: str, body: str, answers: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = shown(title)
        self.body = shown_lines(body)
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            with DialogBody(classes="dialog-body"):
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
