"""Classroom mode: who is playing, so each learner reaches their own saves and records and no one else's.

A learner types their name, then proves it is theirs: with the secret they chose on their first visit,
or, when the educator loaded a roster, with the one-time code they were given (after which they choose a
secret). The folder they get comes from the class registry, never from the typed name.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from ...classroom import Learner, Lookup, NameProblem, Registry, SecretProblem, SignInRefused, check_secret
from ..widgets.footer import KeyFooter

ASK = {
    "name": "Type your name or a pseudonym, then press Enter.",
    "choose": "New learner: choose a secret you will remember; the teacher cannot see it. "
              "Type it twice (at least 4 characters), then press Enter.",
    "secret": "Type your secret, then press Enter. (If your teacher gave you a new code, type that.)",
    "code": "First visit: type the code your teacher gave you, then press Enter.",
    "code-ok": "The code is right. Now choose a secret you will remember; the teacher cannot see it. "
               "Type it twice (at least 4 characters), then press Enter.",
}


class LearnerScreen(Screen):
    """The first screen of every classroom game: a name, then a secret (or a roster code)."""

    AUTO_FOCUS = "#learner-name"  # typing works at once in a browser tab, without a click
    BINDINGS = [Binding("escape", "start_again", "Start again")]

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.lookup: Lookup | None = None  # what the registry said of the name submitted
        self.step = "name"
        self.code: str | None = None  # a roster code already checked, used up when the secret is set

    def compose(self) -> ComposeResult:
        with Vertical(id="learner-box"):
            yield Static("mmjourney classroom", id="title-name")
            yield Static(ASK["name"], id="learner-help")
            yield Input(placeholder="Name or pseudonym", id="learner-name", max_length=60)
            yield Input(placeholder="Secret", id="learner-secret", password=True, max_length=200)
            yield Input(placeholder="The same secret again", id="learner-again", password=True, max_length=200)
            yield Static("", id="learner-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_step("name")

    def show_step(self, step: str) -> None:
        self.step = step
        choosing = step in ("choose", "code-ok")
        secret = self.query_one("#learner-secret", Input)
        again = self.query_one("#learner-again", Input)
        secret.display = step != "name"
        again.display = choosing
        secret.placeholder = "Code from your teacher" if step == "code" else "Secret"
        secret.value = again.value = ""
        self.query_one("#learner-help", Static).update(ASK[step])
        if step != "name":
            secret.focus()

    def say(self, problem: str) -> None:
        self.query_one("#learner-error", Static).update(Content(problem))

    def action_start_again(self) -> None:
        self.say("")
        self.code = None
        self.show_step("name")
        name = self.query_one("#learner-name", Input)
        name.value = ""
        name.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        # A changed name is a new start: a secret typed for the old one must not be used for it.
        if event.input.id == "learner-name" and self.step != "name":
            self.code = None
            self.show_step("name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.say("")
        if event.input.id == "learner-name":
            self.name_given(event.value)
        elif event.input.id == "learner-secret" and self.step in ("choose", "code-ok"):
            try:
                check_secret(event.value)  # say it is too short now, not after it was typed twice
            except SecretProblem as problem:
                self.say(str(problem))
                return
            self.query_one("#learner-again", Input).focus()
        elif event.input.id == "learner-secret":
            self.secret_given(event.value)
        else:
            self.secret_chosen(self.query_one("#learner-secret", Input).value, event.value)

    # Each step below reads or writes the registry on this thread: it takes a few tens of milliseconds
    # (one scrypt hash) and the screen has nothing else to show meanwhile.

    def name_given(self, typed: str) -> None:
        try:
            self.lookup = lookup = self.registry.look_up(typed)
        except NameProblem as problem:
            self.say(str(problem))
            return
        if lookup.note:
            self.app.notify(lookup.note, severity="warning", timeout=15, markup=False)
        if lookup.step == "unknown":
            self.say("This name is not on the class list. Type it as your teacher wrote it, or ask your teacher.")
            return
        self.code = None
        self.show_step(lookup.step)

    def secret_given(self, typed: str) -> None:
        assert self.lookup is not None  # the secret box is shown only once a name was looked up
        try:
            if self.step == "code":
                self.registry.check_code(self.lookup.name, typed)
                learner = None
            else:
                learner = self.registry.sign_in(self.lookup.name, typed)
        except SignInRefused as refused:
            self.say(str(refused))
            self.query_one("#learner-secret", Input).value = ""
            return
        if learner is None:  # the educator's one-time code: the learner now chooses their secret
            self.code = typed
            self.show_step("code-ok")
        else:
            self.signed_in(learner)

    def secret_chosen(self, secret: str, again: str) -> None:
        assert self.lookup is not None
        try:
            check_secret(secret)
            if secret != again:
                raise SecretProblem("The two secrets are not the same. Please type them again.")
            learner = self.registry.register(self.lookup.name, secret, code=self.code)
        except (SecretProblem, SignInRefused) as problem:
            self.say(str(problem))
            self.show_step(self.step)
            return
        self.signed_in(learner)

    def signed_in(self, learner: Learner) -> None:
        self.app.sign_in(learner.id, learner.name)
