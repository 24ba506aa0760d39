"""Classroom mode: who is playing, so each learner reaches their own saves and records and no one else's.

A learner types their name, then proves it is theirs: with the secret they chose on their first visit,
or, when the educator loaded a roster, with the one-time code they were given (after which they choose a
secret). The folder they get comes from the class registry, never from the typed name.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
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
              "Type it (at least 4 characters), then press Enter.",
    "secret": "Type your secret, then press Enter. (If your teacher gave you a new code, type that.)",
    "code": "First visit: type the code your teacher gave you, then press Enter.",
    "code-ok": "The code is right. Now choose a secret you will remember; the teacher cannot see it. "
               "Type it (at least 4 characters), then press Enter.",
    "again": "Type the same secret again, then press Enter.",
}
PLACEHOLDER = {"name": "Name or pseudonym", "code": "Code from your teacher", "again": "The same secret again"}


class StepBox(Input):
    """The one box of the sign-in screen, whose Enter is handled before the next key.

    A browser on a busy connection delivers the keys typed after Enter in one burst. With a box per step,
    those keys were already on their way to the box just left when focus moved, and a secret typed twice
    arrived as "a and cake". One box that changes step inside its own key handling keeps every key in order.
    """

    def __init__(self, on_enter: Callable[[str], None], **options) -> None:
        super().__init__(**options)
        self.on_enter = on_enter

    async def _on_key(self, event: events.Key) -> None:
        # Enter is handled here, in this box's own queue of keys. As a binding it would be handled only once
        # the key had bubbled up to the app, after the keys queued behind it had been typed into this box.
        if event.key == "enter":
            event.stop()
            self.on_enter(self.value)
        else:
            await super()._on_key(event)


class LearnerScreen(Screen):
    """The first screen of every classroom game: a name, then a secret (or a roster code)."""

    AUTO_FOCUS = "#learner-input"  # typing works at once in a browser tab, without a click
    BINDINGS = [Binding("escape", "start_again", "Start again")]

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.lookup: Lookup | None = None  # what the registry said of the name submitted
        self.step = "name"
        self.code: str | None = None  # a roster code already checked, used up when the secret is set
        self.first: str | None = None  # a new secret typed once, waiting to be typed again

    def compose(self) -> ComposeResult:
        with Vertical(id="learner-box"):
            yield Static("mmjourney classroom", id="title-name")
            yield Static(ASK["name"], id="learner-help")
            yield Static("", id="learner-given")
            yield StepBox(self.entered, id="learner-input")
            yield Static("", id="learner-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_step("name")

    @property
    def box(self) -> StepBox:
        return self.query_one(StepBox)

    def show_step(self, step: str) -> None:
        self.step = step
        self.first = None
        self.ask(step)

    def ask(self, prompt: str) -> None:
        box = self.box
        box.value = ""
        box.password = prompt != "name"
        box.max_length = 60 if prompt == "name" else 200
        box.placeholder = PLACEHOLDER.get(prompt, "Secret")
        self.query_one("#learner-help", Static).update(ASK[prompt])
        given = self.query_one("#learner-given", Static)
        given.display = prompt != "name" and self.lookup is not None
        if given.display:
            given.update(Content.assemble(("Name: ", "bold"), self.lookup.name.shown))

    def say(self, problem: str) -> None:
        self.query_one("#learner-error", Static).update(Content(problem))

    def action_start_again(self) -> None:
        self.say("")
        self.code = None
        self.lookup = None
        self.show_step("name")
        self.box.focus()

    def entered(self, typed: str) -> None:
        self.say("")
        if self.step == "name":
            self.name_given(typed)
        elif self.step in ("choose", "code-ok") and self.first is None:
            try:
                check_secret(typed)  # say it is too short now, not after it was typed twice
            except SecretProblem as problem:
                self.say(str(problem))
                self.box.value = ""
                return
            self.ask("again")
            self.first = typed
        elif self.step in ("choose", "code-ok"):
            self.secret_chosen(self.first or "", typed)
        else:
            self.secret_given(typed)

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
            self.box.value = ""
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
