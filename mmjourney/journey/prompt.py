"""The Prompt: what the current scene asks of the learner, as one typed value.

This is the only code that reads a scene's shape. Both players, the author tools, the expert
path and the test helpers ask for `prompt_of(session)` and handle its four kinds:

- `Read`: a page that simply continues ("Continue").
- `Choose`: a decision between choices, in the order the learner sees them.
- `Ask`: a question item with its options, in the order the learner sees them.
- `Ended`: the journey reached an ending.

Adding an item type means adding one kind here, not an edit in every front end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..engine import Action, ChoiceView, Session, best_choice
from ..story.model import Choice, Ending, Option, Question, Scene


@dataclass(frozen=True)
class Read:
    """A page without a decision: the learner reads it and continues."""

    scene: Scene
    kind: Literal["read"] = "read"

    def moves(self) -> list[Action]:
        return [Action("next")]

    def expert(self) -> Action:
        return Action("next")


@dataclass(frozen=True)
class Choose:
    """A decision: the choices visible now, greyed-out ones with their reason."""

    scene: Scene
    choices: tuple[ChoiceView, ...]
    kind: Literal["choose"] = "choose"

    @property
    def open(self) -> tuple[ChoiceView, ...]:
        return tuple(view for view in self.choices if view.enabled)

    def moves(self) -> list[Action]:
        """Every open choice, once per chance outcome (the tools explore each one)."""
        found: list[Action] = []
        for view in self.open:
            outcomes = range(len(view.choice.chance)) if view.choice.chance else [None]
            found.extend(Action("choose", view.id, outcome=outcome) for outcome in outcomes)
        return found

    def expert(self) -> Action | None:
        """The highest-rated open choice (the first shown, on a tie)."""
        best = best_choice([view.choice for view in self.open])
        return None if best is None else Action("choose", best.id)

    def numbered(self, number: int) -> ChoiceView | None:
        """The choice shown as `number` (from 1), or None."""
        return self.choices[number - 1] if 1 <= number <= len(self.choices) else None

    def written(self, choice_id: str) -> Choice | None:
        """The scene's choice `choice_id` even when it is not shown now (hidden by its condition, or
        once-only and taken): the author tools say why a choice a walkthrough names is missing."""
        return next((choice for choice in self.scene.choices or () if choice.id == choice_id), None)


@dataclass(frozen=True)
class Ask:
    """A question item and its options."""

    scene: Scene
    question: Question
    options: tuple[Option, ...]
    kind: Literal["ask"] = "ask"

    @property
    def single(self) -> bool:
        """One answer only (single best answer), rather than select-all-that-apply."""
        return self.question.type == "single_best"

    @property
    def instruction(self) -> str:
        return "Single best answer" if self.single else "Select all that apply"

    def correct(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options if option.correct)

    def moves(self) -> list[Action]:
        # The story goes on the same way whatever is answered: exploring one answer is enough.
        return [self.expert()]

    def expert(self) -> Action:
        return Action("answer", self.question.id, options=self.correct())

    def answer(self, numbers) -> Action:
        """The answer made of the options shown as `numbers` (from 1)."""
        return Action("answer", self.question.id, options=tuple(self.options[n - 1].id for n in numbers))


@dataclass(frozen=True)
class Ended:
    scene: Scene
    ending: Ending
    kind: Literal["ended"] = "ended"

    def moves(self) -> list[Action]:
        return []

    def expert(self) -> None:
        return None


Prompt = Read | Choose | Ask | Ended


def prompt_of(session: Session) -> Prompt:
    """What the current scene of `session` asks now."""
    scene = session.scene
    kind = scene.kind
    if kind == "ending":
        assert scene.ending is not None
        return Ended(scene, scene.ending)
    if kind == "page":
        return Read(scene)
    if kind == "question":
        assert scene.question is not None
        return Ask(scene, scene.question, tuple(scene.question.options))
    return Choose(scene, tuple(session.choices()))
