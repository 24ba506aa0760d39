"""The Prompt: what the current scene asks of the learner, as one typed value.

This is the only code that reads a scene's shape. Both players, the author tools, the expert
path and the test helpers ask for `prompt_of(session)` and handle its five kinds:

- `Read`: a page that simply continues ("Continue").
- `Choose`: a decision between choices, in the order the learner sees them.
- `Ask`: a question item with its options, in the order the learner sees them (a highlight's phrases, where its
  note or table puts them).
- `Fill`: a question answered part by part (an NGN matrix's rows, a cloze's blanks, a drag-and-drop item's
  slots), each with its options.
- `Ended`: the journey reached an ending.

Adding an item type means adding one kind here, not an edit in every front end.

"In the order the learner sees them" is shuffled per journey (`shown_order`), unless the scene
or question says `order: fixed`: a learner must not find the key by its place. Everything that
is kept (saves, records, walkthroughs) names choices and options by id, so the order shown is
never stored; a number the learner types is turned into an id here (`numbered`, `answer`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Literal, TypeVar

from ..engine import Action, ChoiceView, Session, best_choice, fully_correct, parts_problem
from ..story.model import Choice, Ending, Option, Part, PartOption, Question, Scene

# Beyond this many options whose picking matters, the tools explore each of them alone and
# toggled from the right answer, rather than every combination (2^n answers).
MAX_COMBINED_OPTIONS = 10

Item = TypeVar("Item", Choice, Option, Part, PartOption)


def shown_order(session: Session, items: list[Item], fixed: bool, within: str = "",
                scene_id: str | None = None) -> list[Item]:
    """`items` (a scene's choices or a question's options, as written) in the order this journey shows them.

    The generator is its own, seeded from the journey's seed, the story and the scene: the order
    is the same whenever the same journey is played or replayed (in any process: a text seed is
    hashed with SHA-512, not Python's randomised hash), it does not draw from the chance outcomes'
    generator, and a scene keeps its order for the whole journey, so a learner who comes back to
    a hub finds each choice where it was. `scene_id` names a scene other than the current one: the
    feedback on an answer lists the options as they were shown, after the journey has moved on.
    """
    if fixed:
        return list(items)
    shuffled = list(items)
    # `within` (a blank's id) gives each list of a scene its own shuffle: lists of one length must not all
    # put their key in the same place.
    seed = f"order:{session.seed}:{session.story.id}:{scene_id or session.scene_id}" + (f":{within}" if within else "")
    random.Random(seed).shuffle(shuffled)
    return shuffled


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
        """The highest-rated open choice (the first written, on a tie: the expert path does not
        depend on the shuffle, and agrees with the debrief's expert)."""
        open_ids = {view.id for view in self.open}
        best = best_choice([choice for choice in self.scene.choices or () if choice.id in open_ids])
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
    # When the answer changes the story: the options whose picking matters, and whether being right does.
    matters: tuple[frozenset[str], bool] | None = None
    kind: Literal["ask"] = "ask"

    @property
    def single(self) -> bool:
        """One answer only (single best answer), rather than select-all-that-apply."""
        return self.question.type == "single_best"

    @property
    def picks(self) -> int | None:
        """How many options an answer has: 1 (single best), N (select N), or None (select all that apply)."""
        if self.single:
            return 1
        return self.question.select if self.question.type == "select_n" else None

    @property
    def highlight(self) -> bool:
        """A highlight item: its options are phrases of a note (or rows of a results table) to select."""
        return self.question.type == "highlight"

    @property
    def instruction(self) -> str:
        if self.single:
            return "Single best answer"
        if self.highlight:
            return "Select every phrase that applies" if self.question.text is not None else \
                "Select every row that applies"
        return f"Select {self.picks}" if self.picks else "Select all that apply"

    def passage(self) -> list[str | int]:
        """A highlight's note as pieces: its words, and where a phrase sits, its number as shown (from 1); empty
        for every other question and for a highlight table."""
        numbers = {option.id: number for number, option in enumerate(self.options, 1)}
        return [piece if isinstance(piece, str) else numbers[piece.id] for piece in self.question.marked()]

    def correct(self) -> tuple[str, ...]:
        """The correct options' ids, as written (an answer is the same whatever the order shown)."""
        return tuple(option.id for option in self.question.selectable if option.correct)

    def moves(self) -> list[Action]:
        """One answer for each way the answer can change what follows (the tools explore each)."""
        if self.matters is None:  # the story goes on the same way whatever is answered
            return [self.expert()]
        return [Action("answer", self.question.id, options=picked) for picked in self._distinct_answers()]

    def _distinct_answers(self) -> list[tuple[str, ...]]:
        assert self.matters is not None
        relevant, rightness = self.matters
        question = self.question
        written = [option.id for option in question.selectable]
        if self.single:
            candidates = [{option} for option in written]
        elif self.picks:
            candidates = [set(picks) for picks in combinations(written, self.picks)]
        else:
            key = set(self.correct())
            varied = [option for option in written if option in relevant]
            if len(varied) > MAX_COMBINED_OPTIONS:
                subsets = [key] + [key ^ {option} for option in varied]
            else:
                subsets = [(key - relevant) | set(picks) for size in range(len(varied) + 1)
                           for picks in combinations(varied, size)]
            others = [option for option in written if option not in relevant]
            # The same picks that matter, answered right and answered wrong: one other option toggled.
            candidates = subsets + [subset ^ {others[0]} for subset in subsets] if others else subsets
        found: dict[tuple, tuple[str, ...]] = {}
        for picked in candidates:
            if not picked:
                continue  # the players take at least one option
            kind = (frozenset(picked & relevant), rightness and fully_correct(question, picked))
            found.setdefault(kind, tuple(option for option in written if option in picked))
        return list(found.values())

    def expert(self) -> Action:
        return Action("answer", self.question.id, options=self.correct())

    def answer(self, numbers) -> Action:
        """The answer made of the options shown as `numbers` (from 1)."""
        return Action("answer", self.question.id, options=tuple(self.options[n - 1].id for n in numbers))


@dataclass(frozen=True)
class PartView:
    """A part as this journey shows it (a matrix row with its columns, a blank with its options)."""

    part: Part
    options: tuple[PartOption, ...]

    def numbered(self, number: int) -> PartOption | None:
        """The option shown as `number` (from 1), or None."""
        return self.options[number - 1] if 1 <= number <= len(self.options) else None


# What a learner is asked to do with each kind of item made of parts.
FILL_INSTRUCTIONS = {
    "matrix": "One answer in each row",
    "matrix_multiple": "Tick every answer that applies in each row",
    "cloze": "One option in each {noun}",
    "rationale": "One per blank; each scored with the first",
    "bow_tie": "1 condition, 2 actions, 2 parameters",
    "drag_cloze": "One token per slot, each once",
    "drag_rationale": "One per slot; each scored with the first",
    "ordering": "Put them in order, first at position 1",
}


@dataclass(frozen=True)
class Fill:
    """A question answered part by part (an NGN matrix, a drop-down cloze or rationale, a bow-tie, a
    drag-and-drop item's slots or an ordering item's positions): its parts in the order shown, each with its
    options in the order shown.

    An answer names each pick by its unit id ('row:column'), in the order written, like any answer."""

    scene: Scene
    question: Question
    parts: tuple[PartView, ...]
    # As for Ask: when the answer changes the story. The parts' options have no effects of their own, so
    # only being right can matter.
    matters: tuple[frozenset[str], bool] | None = None
    kind: Literal["fill"] = "fill"

    @property
    def grid(self) -> bool:
        """Every part offers the same options, shown once as columns (a matrix)."""
        return self.question.type in ("matrix", "matrix_multiple")

    @property
    def pool(self) -> bool:
        """Every part offers the same tokens, shown once, each placed in one part at most (drag-and-drop,
        ordering)."""
        return self.question.pool

    @property
    def instruction(self) -> str:
        return FILL_INSTRUCTIONS[self.question.type].format(noun=self.question.part_noun)

    def correct(self) -> tuple[str, ...]:
        """The units a fully correct answer picks, as written."""
        return tuple(unit.id for unit in self.question.units if unit.correct)

    def passage(self) -> list[str | int]:
        """A cloze or rationale item's text as pieces: its words, and where a blank sits, its number as shown
        (from 1); empty for an item without text (a matrix, a drop-down table)."""
        numbers = {view.part.id: number for number, view in enumerate(self.parts, 1)}
        return [piece if isinstance(piece, str) else numbers[piece.id] for piece in self.question.passage()]

    def expert(self) -> Action:
        return Action("answer", self.question.id, options=self.correct())

    def moves(self) -> list[Action]:
        """The expert's answer and, when being right changes what follows, one that is not right."""
        if self.matters is None:
            return [self.expert()]
        wrong = self._one_wrong()
        return [self.expert()] + ([wrong] if wrong is not None else [])

    def _one_wrong(self) -> Action | None:
        """The right answer with one pick of the first part that has a wrong option swapped for it (added,
        where a part takes any number), so the answer is still one the player takes: from a pool, a token the
        key leaves over, else the first two parts' tokens swapped (each token stays in one part)."""
        if self.pool:
            return self._one_wrong_placed()
        for part in self.question.parts:
            wrong = next((option.id for option in part.options if not option.correct), None)
            if wrong is None:
                continue
            picked = set(self.correct())
            if part.picks is not None:
                picked.discard(part.unit(next(option.id for option in part.options if option.correct)))
            picked.add(part.unit(wrong))
            return self.answer_of(picked)
        return None

    def _one_wrong_placed(self) -> Action | None:
        parts = self.question.parts
        key = {part.id: next(iter(part.correct)) for part in parts}
        spare = next((o.id for o in parts[0].options if o.id not in key.values()), None)
        if spare is not None:
            key[parts[0].id] = spare
        elif len(parts) > 1:
            key[parts[0].id], key[parts[1].id] = key[parts[1].id], key[parts[0].id]
        else:
            return None
        return self.answer_of(part.unit(key[part.id]) for part in parts)

    def answer_of(self, units) -> Action:
        """The answer picking `units` ('row:column' ids), in the order written: the same answer always reads
        the same in saves, records and walkthroughs, whatever order the picks were made in."""
        picked = set(units)
        return Action("answer", self.question.id,
                      options=tuple(unit.id for unit in self.question.units if unit.id in picked))

    def problem(self, action: Action) -> str | None:
        """Why the game would refuse `action` (a part without its answer), in the learner's words; None if not."""
        return parts_problem(self.question, action.options)

    def answer(self, picks: Iterable[tuple[int, int]]) -> Action:
        """The answer made of (part shown as number, its option shown as number) pairs, from 1."""
        picked = set()
        for part_number, option_number in picks:
            view = self.parts[part_number - 1]
            picked.add(view.part.unit(view.options[option_number - 1].id))
        return self.answer_of(picked)


@dataclass(frozen=True)
class Ended:
    scene: Scene
    ending: Ending
    kind: Literal["ended"] = "ended"

    def moves(self) -> list[Action]:
        return []

    def expert(self) -> None:
        return None


Prompt = Read | Choose | Ask | Fill | Ended


def sentence(question: Question, picked) -> str:
    """A cloze or rationale item's text with each blank filled by the options `picked` (unit ids), '…' where none
    is: the answer read as it stands."""
    chosen = set(picked)
    return "".join(piece if isinstance(piece, str) else
                   "; ".join(o.text for o in piece.options if piece.unit(o.id) in chosen) or "…"
                   for piece in question.passage())


def _parts_shown(session: Session, question: Question, fixed: bool) -> tuple[PartView, ...]:
    """A matrix's rows are shuffled and its columns keep their place, as a table's headings do; a cloze's blanks
    stay where its text puts them (a drop-down table's rows as written, a bow-tie's lists in their order), and
    each one's options are shuffled on their own; a drag-and-drop pool (or an ordering item's tokens) is
    shuffled once, its slots (positions) in their order."""
    if question.type in ("matrix", "matrix_multiple"):
        return tuple(PartView(part, part.options) for part in shown_order(session, list(question.parts), fixed))
    if question.pool:  # one pool, shown once in one order that every slot (or position) shares
        parts = question.parts
        tokens = shown_order(session, list(parts[0].options), fixed, "tokens") if parts else []
        if question.type == "ordering" and len(tokens) > 1 and tokens == list(parts[0].options):
            # Shown in the right order, an ordering item would answer itself (one journey in 24 for four
            # tokens): move the first to the end.
            tokens = tokens[1:] + tokens[:1]
        order = {o.id: n for n, o in enumerate(tokens)}
        return tuple(PartView(part, tuple(sorted(part.options, key=lambda o: order[o.id]))) for part in parts)
    return tuple(PartView(part, tuple(shown_order(session, list(part.options), fixed, part.id)))
                 for part in question.parts)


def prompt_of(session: Session, shuffle_fixed: bool = False) -> Prompt:
    """What the current scene of `session` asks now.

    `shuffle_fixed` shuffles even what is written `order: fixed`: what a learner would see if no
    order carried meaning. The naive players of the author tools play so to tell how much of a
    rule of position ("always the first") is luck and how much a place the key keeps.
    """
    scene = session.scene
    kind = scene.kind
    if kind == "ending":
        assert scene.ending is not None
        return Ended(scene, scene.ending)
    if kind == "page":
        return Read(scene)
    if kind == "question":
        question = scene.question
        assert question is not None
        matters = session.story.answer_matters.get(question.id)
        if question.has_parts:
            return Fill(scene, question, _parts_shown(session, question, question.order == "fixed"
                                                      and not shuffle_fixed), matters)
        # A highlight's phrases stay where its note (or table) puts them, as a fixed order does.
        fixed = question.order == "fixed" or question.type == "highlight"
        options = shown_order(session, list(question.selectable), fixed and not shuffle_fixed)
        return Ask(scene, question, tuple(options), matters)
    rank = {choice.id: number for number, choice in
            enumerate(shown_order(session, scene.choices or [], scene.order == "fixed" and not shuffle_fixed))}
    return Choose(scene, tuple(sorted(session.choices(), key=lambda view: rank[view.id])))
