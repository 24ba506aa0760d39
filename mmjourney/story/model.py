"""The story format as pydantic models: the shape of a story file, field by field.

These models check structure and types only. Cross-references (gotos, reference ids,
names inside expressions) are checked afterwards in `checks.py`, where every declared
name is known. Field descriptions end up in the JSON Schema that editors use for hover
help, so they are written for educators.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Callable, Final, Iterable, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from .expressions import MAX_NUMBER

FORMAT_VERSION: Final = 1

DEFAULT_DISCLAIMER = (
    "Educational simulation for nursing education. Not medical advice: patients, doses "
    "and outcomes are simplified teaching examples. Follow local protocols and the "
    "treating team's decisions in real care."
)

# The pass mark when a story sets none: the records, reports and xAPI have always used 80%.
DEFAULT_PASS_MARK: Final = 80.0

# Ids that expressions can mention must look like names, so `visited(induction_2)` parses.
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
# A walkthrough's pick: an option id, or for a question made of parts 'part:option' (a matrix's 'row:column').
UnitName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*(:[A-Za-z][A-Za-z0-9_]*)?$")]
# Story and reference ids never appear inside expressions, so hyphens and dots are fine.
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]

Category = Literal[
    "observation",
    "chemotherapy",
    "targeted",
    "transplant",
    "maintenance",
    "supportive",
    "assessment",
    "communication",
]
Rating = Literal["best", "acceptable", "poor", "harmful"]
Step = Literal[
    "recognize_cues",
    "analyze_cues",
    "prioritize_hypotheses",
    "generate_solutions",
    "take_action",
    "evaluate_outcomes",
]
# Educators write British or American English; both spellings mean the same step, and saves,
# records and exports keep the one canonical (NCSBN, American) id so reports group them together.
BRITISH_STEPS: Final = {
    "recognise_cues": "recognize_cues",
    "analyse_cues": "analyze_cues",
    "prioritise_hypotheses": "prioritize_hypotheses",
}
WrittenStep = Literal[
    "recognize_cues", "recognise_cues", "analyze_cues", "analyse_cues", "prioritize_hypotheses",
    "prioritise_hypotheses", "generate_solutions", "take_action", "evaluate_outcomes",
]


def _canonical_step(value: object) -> object:
    return BRITISH_STEPS.get(value, value) if isinstance(value, str) else value


StepName = Annotated[Step, BeforeValidator(_canonical_step, json_schema_input_type=WrittenStep)]
STEP_HELP = (
    "The clinical-judgment step (NCSBN model) this decision exercises: recognize_cues, analyze_cues, "
    "prioritize_hypotheses, generate_solutions, take_action or evaluate_outcomes (British spellings such as "
    "recognise_cues mean the same). The debrief scores each step."
)
EndingKind = Literal["good", "mixed", "poor"]
# The player shuffles choices and options per journey so that the key is never in a place a learner
# can learn (item-writing.md); `fixed` is for lists whose order carries meaning.
Order = Literal["shuffled", "fixed"]

DAYS_PER_UNIT = {"day": 1, "week": 7, "month": 28}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*(day|week|month)s?\s*$", re.IGNORECASE)


def _duration_days(value: object) -> object:
    """Accept `3`, `"3 days"`, `"2 weeks"` or `"1 month"` (a month is 4 weeks) and give days."""
    if isinstance(value, bool):
        return value  # let pydantic reject it as "not a number"
    if isinstance(value, str):
        match = _DURATION_RE.match(value)
        if not match:
            raise ValueError(
                f"'{value}' is not a duration: write a whole number of days, weeks or months, "
                "like '3 days', '2 weeks' or '1 month'"
            )
        return int(match.group(1)) * DAYS_PER_UNIT[match.group(2).lower()]
    return value


# The most one advance may move the clock: ten years. The engine applies the time rules day by
# day, so a decision costs its days times the story's rules; at 100 years and a hundred daily
# rules one decision froze the game for six seconds.
MAX_ADVANCE_DAYS = 3650

Duration = Annotated[
    int,
    Field(ge=0, le=MAX_ADVANCE_DAYS),
    BeforeValidator(_duration_days, json_schema_input_type=Annotated[int, Field(ge=0)] | str),
]


def _as_list(value: object) -> object:
    """Let authors write one expression as a plain string instead of a one-item list."""
    return [value] if isinstance(value, str) else value


def _moderate(value: float) -> float:
    if not -MAX_NUMBER <= value <= MAX_NUMBER:  # also false for NaN
        raise ValueError(f"numbers in a story must be between -{MAX_NUMBER:,} and {MAX_NUMBER:,}, found "
                         f"{value:g}; give the stat a range that fits what it measures")
    return value


Number = Annotated[float, AfterValidator(_moderate)]

Expressions = Annotated[list[str], BeforeValidator(_as_list, json_schema_input_type=list[str] | str)]
TextList = Annotated[list[Text], BeforeValidator(_as_list, json_schema_input_type=list[Text] | Text)]


# Descriptions shared by several fields: editors show them on hover.
OBJECTIVES_HELP = "Ids of the story's learning objectives this decision serves (see `objectives` at the top)."
REFERENCES_HELP = "Reference ids from the story's `references`."
REFERENCES_LIST_HELP = "Sources, by id: a citation (text), or `citation:` and `url:`. Feedback cites them by id."
GLOSSARY_HELP = "Terms and their meaning, which the learner can look up while playing."
STATS_HELP = "The patient's measurable values (labs, scores), by id: label, unit, start, range."
FLAGS_HELP = "Yes/no facts, with their starting value."
SCENES_HELP = "The story's scenes, by id: what the learner reads, and the choices, question or ending."
DYNAMICS_HELP = "Time rules: effects applied every day (or week) while a condition holds."
EVENTS_HELP = "What interrupts the journey as soon as a condition becomes true, and the scene it shows."


class Strict(BaseModel):
    # Unknown fields are errors: a misspelt field silently ignored is a lesson silently broken.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Objective(Strict):
    id: Name = Field(description="Short id that choices list under `objectives`.")
    text: Text = Field(description="The objective in measurable words, e.g. 'Recognise the CRAB features'.")


class Reference(Strict):
    citation: Text = Field(description="The citation as a reader would look it up.")
    url: str | None = Field(None, description="Where to read it, if public.")


def _reference(value: object) -> object:
    return {"citation": value} if isinstance(value, str) else value


RefEntry = Annotated[Reference, BeforeValidator(_reference, json_schema_input_type=Reference | Text)]


class Patient(Strict):
    name: Text = Field(description="The patient's name as the story uses it, e.g. 'Mrs Ana Pereira'.")
    age: int = Field(ge=0, le=120, description="Age in whole years.")
    sex: str | None = Field(None, description="As the chart records it, e.g. 'female'.")
    history: str = Field("", description="Background in Markdown: history, social situation, what brings them in.")


class Stat(Strict):
    label: Text = Field(description="What the chart shows, e.g. 'Calcium (corrected)'.")
    unit: str = Field("", description="The unit shown after the value, e.g. 'mmol/L'; empty for a score.")
    start: Number = Field(description="Value at the start of the story.")
    min: Number = Field(description="Lowest possible value; effects are clamped to it.")
    max: Number = Field(description="Highest possible value; effects are clamped to it.")
    normal: tuple[Number, Number] | None = Field(
        None, description="Normal range as [low, high]; the chart flags H or L outside it."
    )
    critical: tuple[Number | None, Number | None] | None = Field(
        None, description="Critical limits as [low, high] (either may be null): a value below the low or above the "
        "high one needs action now, and the chart flags it LL or HH as well as H or L.",
    )
    visible: bool = Field(True, description="False for hidden scores such as trust, kept off the chart.")
    decimals: int = Field(1, ge=0, le=4, description="Decimal places shown on the chart.")


class Feedback(Strict):
    outcome: Text = Field(description="What happened to the patient after this decision.")
    rationale: Text = Field(description="Why: the clinical reasoning and evidence.")
    nursing: str = Field("", description="What a nurse watches for, teaches or does next.")
    references: list[Slug] = Field(default_factory=list, description=REFERENCES_HELP)


class ChanceOutcome(Strict):
    weight: int = Field(ge=1, description="Relative likelihood; weights 80 and 20 mean 80% and 20%.")
    text: Text = Field(description="What happened this time, e.g. 'Despite good care, a fever appeared.'")
    effects: Expressions = Field(
        default_factory=list, description="Changes this outcome makes, after the choice's own `effects`."
    )
    advance: Duration = Field(0, description="Extra time this outcome takes, e.g. '3 days'.")
    goto: Name | None = Field(None, description="Scene to go to; defaults to the choice's `goto`.")


class Choice(Strict):
    model_config = ConfigDict(populate_by_name=True)

    id: Name = Field(description="Stable id, unique in the story; saves and records refer to it.")
    label: Text = Field(description="What the learner reads as the option, e.g. 'Start IV fluids'. Keep it short "
                        "and neutral: it must not give the rating away.")
    category: Category = Field(
        description="What kind of action this is (observation, chemotherapy, targeted, transplant, maintenance, "
        "supportive, assessment or communication); records and reports group decisions by it."
    )
    condition: str | None = Field(None, alias="if", description="Offer the choice only when this holds.")
    disabled_reason: str | None = Field(
        None, description="If set, the choice is shown greyed out with this reason when `if` is false."
    )
    once: bool = Field(False, description="Can be chosen only once in a journey.")
    effects: Expressions = Field(
        default_factory=list, description="Changes like 'calcium -= 0.4' or 'on_fluids = true'."
    )
    advance: Duration = Field(0, description="Time the decision takes, e.g. '2 weeks'.")
    rating: Rating = Field(
        description="How good the decision is: best (1 point), acceptable (half a point), poor or harmful (0). "
        "The learner sees it in the feedback; add `critical: true` for real harm."
    )
    critical: bool = Field(False, description="A critical error: real harm follows.")
    step: StepName = Field(description=STEP_HELP)
    objectives: list[Name] = Field(default_factory=list, description=OBJECTIVES_HELP)
    feedback: Feedback = Field(description="What the learner reads after deciding: outcome, rationale, nursing, "
                                           "references.")
    goto: Name | None = Field(None, description="Next scene, or 'resume' to return from an event scene.")
    chance: list[ChanceOutcome] | None = Field(None, min_length=1, description="Seeded random outcomes.")


class Option(Strict):
    id: Name = Field(description="Short id, unique in the question; walkthroughs and `picked()` name it.")
    text: Text = Field(description="The option as the learner reads it.")
    correct: bool = Field(description="Whether picking this option is right.")
    rationale: Text = Field(description="Why this option is right or wrong.")
    effects: Expressions = Field(
        default_factory=list, description="Changes that happen when this option is picked, e.g. 'missed_fever = true'."
    )


class Exhibit(Strict):
    """What a question shows beside its prompt: the patient's own chart history (an NGN trend item)."""

    trend: list[Name] = Field(
        min_length=1, max_length=4,
        description="Stats (by id) shown as a table of their readings so far, one row per day, so the question is "
        "answered from the trend, e.g. [calcium, creatinine].",
    )
    readings: int = Field(6, ge=2, le=12, description="How many of the latest days the table shows (default 6).")


# An answer to a question made of parts names each pick "part:option" (e.g. "row2:aspirin"), so an answer
# stays a tuple of ids: saves, records, walkthroughs and exports keep working unchanged.
UNIT_SEPARATOR: Final = ":"
# The NGN item types whose answer is made of several scored parts, each a small list of options, and what
# a part is called to a learner or an author.
PART_NOUNS: Final = {"matrix": "row", "matrix_multiple": "row", "cloze": "blank", "rationale": "blank",
                     "bow_tie": "list",
                     "drag_cloze": "slot",
                     "drag_rationale": "slot",
                     "ordering": "position"}
PARTS_TYPES: Final = tuple(PART_NOUNS)
# The items whose parts share one pool of tokens, each token placed in one part at most (NGN drag-and-drop).
POOL_TYPES: Final = ("drag_cloze", "drag_rationale", "ordering")
QuestionType = Literal["select_all", "single_best", "select_n", "matrix", "matrix_multiple", "cloze", "rationale",
                       "bow_tie",
                       "highlight",
                       "drag_cloze",
                       "drag_rationale",
                       "ordering"]
# A bow-tie's three lists, what each is called, and how many of its options the learner picks (NGN: 5 slots).
BOW_TIE: Final = (("condition", "Condition most likely", 1), ("actions", "Actions to take", 2),
                  ("parameters", "Parameters to monitor", 2))
# Where a blank sits in a cloze or rationale item's text, or a phrase in a highlight's: its id in braces, '{reason}'.
BLANK_PATTERN: Final = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


class Column(Strict):
    id: Name = Field(description="Short id, unique in the question; rows name it under `correct`.")
    text: Text = Field(description="The column heading, e.g. 'Indicated' or 'Low-molecular-weight heparin'.")


class MatrixRow(Strict):
    id: Name = Field(description="Short id, unique in the question; walkthroughs answer it as `row:column`.")
    text: Text = Field(description="The row: a finding, a drug, an action the learner judges.")
    correct: Annotated[list[Name], BeforeValidator(_as_list, json_schema_input_type=list[Name] | Name)] = Field(
        description="The right column id (matrix), or the list of right column ids (matrix_multiple)."
    )
    rationale: Text = Field(description="Why the right column is right for this row, shown in the feedback.")


class BlankOption(Strict):
    id: Name = Field(description="Short id, unique in its blank; walkthroughs answer it as `blank:option`.")
    text: Text = Field(description="The words that fill the blank.")
    correct: bool = Field(False, description="True for the one right option of the blank.")
    rationale: str = Field("", description="Optional: why this option is right or wrong, shown beside the blank's.")


class Blank(Strict):
    id: Name = Field(description="Short id, unique in the question; the text shows where it sits as {id}.")
    label: str = Field(
        "", description="What the blank is about, shown beside it in feedback; in a drop-down table (a cloze "
        "without `text`) the row's label, e.g. 'Corrected calcium 3.1 mmol/L', and required."
    )
    options: list[BlankOption] = Field(min_length=2, description="3 to 5 options, exactly one of them correct.")
    rationale: Text = Field(description="Why the right option is right, shown in the feedback.")


class Phrase(Strict):
    """A phrase a highlight item's learner can select: a part of its note, or a row of its results table."""

    id: Name = Field(description="Short id, unique in the question; the text shows where the phrase sits as {id}, "
                     "and walkthroughs and `picked()` name it.")
    text: Text = Field(description="The phrase as the note reads it, e.g. 'shivering after her shower'; in a "
                       "highlight table (a highlight without `text`) the row's value, e.g. '0.4 x 10^9/L'.")
    label: str = Field("", description="Highlight table only (a highlight without `text`), and required there: "
                       "what the row is, e.g. 'Neutrophils'.")
    correct: bool = Field(False, description="True for a phrase that matters: the learner should select it.")
    rationale: Text = Field(description="Why selecting this phrase is right or wrong, shown in the feedback.")

    @property
    def shown(self) -> str:
        """The phrase as a list shows it: a table row's label and value, a note's words as they are."""
        return f"{self.label}: {self.text}" if self.label else self.text


def _part_options(options: list[BlankOption]) -> tuple[PartOption, ...]:
    return tuple(PartOption(o.id, o.text, o.correct, o.rationale) for o in options)


class Token(Strict):
    id: Name = Field(description="Short id, unique in the question; slots name their right token by it, and "
                     "walkthroughs answer with it.")
    text: Text = Field(description="The words the learner places: a drag-and-drop token or a step to rank.")
    rationale: str = Field(
        "", description="Why this token is right or wrong where the learner put it (drag_cloze), or why this step "
        "comes at its place (ordering, required there)."
    )


class Slot(Strict):
    id: Name = Field(description="Short id, unique in the question; the text shows where it sits as {id}.")
    correct: Name = Field(description="The id of the one token that belongs in this slot.")
    label: str = Field("", description="Optional: what the slot is about, shown beside it in feedback.")
    rationale: Text = Field(description="Why the right token belongs here, shown in the feedback.")


Place = TypeVar("Place", Blank, Slot, Phrase)


class BowTieList(Strict):
    options: list[BlankOption] = Field(
        min_length=2, description="The list to choose from: the condition 3 to 5 options with 1 right, the actions "
        "and the parameters 4 to 6 with 2 right."
    )
    rationale: Text = Field(description="Why the right options are right, shown in the feedback.")


@dataclass(frozen=True)
class PartOption:
    """One option of a part: a matrix row's column, for instance."""

    id: str
    text: str
    correct: bool
    rationale: str = ""


@dataclass(frozen=True)
class Part:
    """One scored part of an NGN item: a matrix row, a cloze's blank, a bow-tie's list. The learner picks
    `picks` of its options (None: any number, as in matrix multiple response)."""

    id: str
    label: str
    options: tuple[PartOption, ...]
    picks: int | None
    rationale: str

    def unit(self, option: str) -> str:
        """The id an answer names this part's `option` by: 'row2:aspirin'."""
        return f"{self.id}{UNIT_SEPARATOR}{option}"

    @property
    def correct(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.correct)


@dataclass(frozen=True)
class Unit:
    """One thing an answer can pick: an option of a plain question, or a part's option ('row2:aspirin').
    Every consumer (scoring, records, exports, xAPI) reads answers through these."""

    id: str
    part: str  # '' for a plain question's option
    part_label: str
    text: str  # the option's own text
    correct: bool
    rationale: str

    @property
    def label(self) -> str:
        """The pick in words: the option's text, after its part's ('Lenalidomide: Aspirin')."""
        return f"{self.part_label}: {self.text}" if self.part else self.text


class Question(Strict):
    id: Name = Field(description="Stable id, unique in the story.")
    type: QuestionType = Field(
        description="select_all: +1 per correct pick, -1 per wrong pick, never below 0. single_best: one right answer. "
        "select_n: pick exactly `select` options (NGN 'select the N most important'): 1 point per correct pick. "
        "matrix: one column per row, 1 point per right row. matrix_multiple: any cells, +1 per right cell ticked, "
        "-1 per wrong one, each column never below 0. cloze: drop-down blanks in a sentence or a table, 1 point "
        "per right blank. "
        "rationale: 'the nurse should ___ because ___ [and ___]', 1 point per reason given with the right first "
        "blank (a dyad 1 point, a triad 2). "
        "bow_tie: 1 condition, 2 actions, 2 parameters to monitor, 1 point per right pick (5 in all). "
        "highlight: select the phrases of a note (or the rows of a results table) that matter, +1 per right "
        "phrase selected, -1 per wrong one, never below 0. "
        "drag_cloze: `tokens` dragged into the `{slot}` places of a `text`, each token used once at most, "
        "1 point per right slot. drag_rationale: the same with 2 or 3 linked slots, scored as a rationale (a "
        "point per reason given with the right first slot). ordering: `tokens` (4 to 6, written in the right "
        "order) that the learner ranks, 1 point per token in its right position (our rule, consistent with "
        "drag-and-drop cloze: NCSBN has none of its own for ordering), e.g. the right order A B C D answered "
        "A C B D scores 2 of 4."
    )
    select: int | None = Field(
        None, ge=2, le=9, description="select_n only: how many options the learner picks, e.g. 3 for 'select the 3 "
        "most important'; the question has exactly that many correct options."
    )
    prompt: Text = Field(description="The question as the learner reads it; write it to stand alone, as the "
                         "debrief lists it without the scene.")
    step: StepName = Field(description=STEP_HELP)
    objectives: list[Name] = Field(default_factory=list, description=OBJECTIVES_HELP)
    options: list[Option] = Field(
        default_factory=list, description="The options (select_all, single_best, select_n): at least two."
    )
    columns: list[Column] | None = Field(
        None, description="matrix and matrix_multiple: the 2 or 3 columns every row is judged against, in the "
        "order shown."
    )
    rows: list[MatrixRow] | None = Field(
        None, description="matrix and matrix_multiple: the 4 to 10 rows, each with its right column(s) and why."
    )
    text: str | None = Field(
        None, description="cloze and rationale: the sentence or passage with its blanks, each written as its id in "
        "braces, e.g. 'The nurse should {action} because {reason}.' A cloze without `text` is a drop-down table: "
        "one row per blank, with the blank's label. highlight: the note, each phrase the learner can select "
        "written as its id in braces, e.g. 'She has had {shivers} since lunch.'; a highlight without `text` is a "
        "results table, one row per phrase. drag_cloze and drag_rationale: the passage with its slots, "
        "written the same way."
    )
    blanks: list[Blank] | None = Field(
        None, description="cloze and rationale: the blanks (cloze 1 to 3, rationale 2 or 3), each with 3 to 5 "
        "options, one of them right."
    )
    condition: BowTieList | None = Field(
        None, description="bow_tie: the condition the client is most likely experiencing (pick 1)."
    )
    actions: BowTieList | None = Field(None, description="bow_tie: the actions to take to address it (pick 2).")
    parameters: BowTieList | None = Field(None, description="bow_tie: the parameters to monitor (pick 2).")
    phrases: list[Phrase] | None = Field(
        None, description="highlight: the 4 to 10 phrases the learner can select (at least one of them right, not "
        "all), each with why; in a table (no `text`) each is a row with its `label`."
    )
    tokens: list[Token] | None = Field(
        None, description="drag_cloze and drag_rationale: the one pool of 4 to 10 tokens, right ones and distractors, "
        "each placed in one slot at most. ordering: the 4 to 6 steps to rank, written in the right order (the "
        "player shuffles them)."
    )
    slots: list[Slot] | None = Field(
        None, description="drag_cloze (1 to 5) and drag_rationale (2 or 3): the slots of `text`, each naming its "
        "right token."
    )
    order: Order = Field(
        "shuffled", description="shuffled (default): options (a matrix's rows) shown in an order shuffled per "
        "journey. fixed: in the written order, for lists whose order carries meaning ('None of the above', steps)."
    )
    on_correct: Expressions = Field(
        default_factory=list, description="Changes that happen when the answer is fully correct."
    )
    on_incorrect: Expressions = Field(
        default_factory=list, description="Changes that happen when the answer is not fully correct."
    )
    explanation: str = Field("", description="Shown after the answer: why the right options are right.")
    references: list[Slug] = Field(default_factory=list, description=REFERENCES_HELP)
    exhibit: Exhibit | None = Field(None, description="A trend table of the patient's stats to answer from.")
    advance: Duration = Field(0, description="Time answering takes, e.g. '1 day'.")
    goto: Name = Field(description="The scene after the question, whatever the answer.")

    @property
    def has_parts(self) -> bool:
        """Whether the answer is made of parts (matrix rows, blanks) rather than options of one list."""
        return self.type in PARTS_TYPES

    @cached_property
    def parts(self) -> tuple[Part, ...]:
        """The scored parts, as the learner meets them: a matrix's rows as written, a cloze's blanks in the order
        of its text, a bow-tie's condition, actions and parameters (none for a plain question)."""
        if self.type in ("matrix", "matrix_multiple"):
            picks = 1 if self.type == "matrix" else None
            return tuple(Part(row.id, row.text, tuple(PartOption(c.id, c.text, c.id in row.correct)
                                                         for c in self.columns or ()), picks, row.rationale)
                         for row in self.rows or ())
        if self.type == "bow_tie":
            lists = ((name, label, picks, getattr(self, name)) for name, label, picks in BOW_TIE)
            return tuple(Part(name, label, _part_options(given.options), picks, given.rationale)
                         for name, label, picks, given in lists if given is not None)
        if self.type == "ordering":
            return self._positions()
        if self.type in POOL_TYPES:
            return self._slots()
        return tuple(Part(blank.id, blank.label or f"Blank {number}", _part_options(blank.options), 1,
                          blank.rationale)
                     for number, blank in enumerate(self.blanks_in_order, 1))

    @cached_property
    def selectable(self) -> tuple[Option, ...]:
        """What a question not made of parts is answered from: its options, or a highlight's phrases as options
        (a table row's label and value as its text), where the note (or the table) puts them."""
        if self.type != "highlight":
            return tuple(self.options)
        return tuple(Option(id=p.id, text=p.shown, correct=p.correct, rationale=p.rationale)
                     for p in self.phrases_in_order)

    @property
    def phrases_in_order(self) -> list[Phrase]:
        """A highlight's phrases in the order its text shows them (as listed, for a table)."""
        return self._in_text_order(self.phrases or ())

    def marked(self) -> list[str | Option]:
        """A highlight's note as pieces: its words, and each phrase (as an option) where it sits."""
        phrases = {option.id: option for option in self.selectable}
        return [piece if number % 2 == 0 else phrases.get(piece, "{" + piece + "}")
                for number, piece in enumerate(BLANK_PATTERN.split(self.text or "")) if piece]

    def _positions(self) -> tuple[Part, ...]:
        """An ordering item's positions, '1' to 'N': each offers every token, and its right one is the token
        written at that place; its rationale is that token's."""
        tokens = self.tokens or ()
        return tuple(Part(str(number), f"Position {number}",
                          tuple(PartOption(t.id, t.text, t.id == right.id) for t in tokens), 1, right.rationale)
                     for number, right in enumerate(tokens, 1))

    def _slots(self) -> tuple[Part, ...]:
        """A drag-and-drop item's slots in the order of its text, each offering the whole pool of tokens."""
        tokens = self.tokens or ()
        return tuple(Part(slot.id, slot.label or f"Slot {number}",
                          tuple(PartOption(t.id, t.text, t.id == slot.correct, t.rationale) for t in tokens), 1,
                          slot.rationale)
                     for number, slot in enumerate(self._in_text_order(self.slots or ()), 1))

    @property
    def blanks_in_order(self) -> list[Blank]:
        """A cloze or rationale item's blanks in the order its text shows them (as listed, for a drop-down
        table, or where the text leaves one out: the checks refuse that)."""
        return self._in_text_order(self.blanks or ())

    def _in_text_order(self, places: Iterable[Place]) -> list[Place]:
        """Blanks or slots in the order the text shows them (as listed where there is no text)."""
        if self.text is None:
            return list(places)
        where = {name: at for at, name in enumerate(BLANK_PATTERN.findall(self.text))}
        return sorted(places, key=lambda place: where.get(place.id, len(where)))

    def answer_units(self, options) -> tuple[str, ...]:
        """The unit ids a walkthrough's answer names: as written ('slot:token'), except that an ordering item is
        answered by its token ids in the order ranked, first to last, which become '1:token', '2:token', ..."""
        if self.type != "ordering":
            return tuple(options)
        return tuple(f"{number}{UNIT_SEPARATOR}{token}" for number, token in enumerate(options, 1))

    def passage(self) -> list[str | Part]:
        """A cloze or rationale item's text as pieces: its words, and each blank's part where it sits."""
        parts = {part.id: part for part in self.parts}
        pieces: list[str | Part] = []
        for number, piece in enumerate(BLANK_PATTERN.split(self.text or "")):
            if number % 2 == 0:
                if piece:
                    pieces.append(piece)
            else:
                pieces.append(parts[piece] if piece in parts else "{" + piece + "}")
        return pieces

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        """Everything an answer can pick, as written: a plain question's options, or each part's options."""
        if not self.has_parts:
            return tuple(Unit(o.id, "", "", o.text, o.correct, o.rationale) for o in self.selectable)
        return tuple(Unit(part.unit(o.id), part.id, part.label, o.text, o.correct, o.rationale)
                     for part in self.parts for o in part.options)

    @property
    def part_noun(self) -> str:
        """What a part is called to a learner or an author: a matrix's 'row', a cloze's 'blank' (a drop-down
        table's 'row')."""
        return "row" if self.type == "cloze" and self.text is None else PART_NOUNS[self.type]

    @property
    def pool(self) -> bool:
        """Whether the parts share one pool of tokens, each placed in one part at most (drag-and-drop, ordering)."""
        return self.type in POOL_TYPES

    def picks_by_part(self, picked) -> dict[str, list[str]]:
        """part id -> the option ids `picked` (unit ids) takes in it, for every part (ids of no part left out)."""
        by_part: dict[str, list[str]] = {part.id: [] for part in self.parts}
        for unit in picked:
            part, _, option = unit.partition(UNIT_SEPARATOR)
            if part in by_part:
                by_part[part].append(option)
        return by_part

    @cached_property
    def correct_units(self) -> frozenset[str]:
        """The ids a fully correct answer picks, exactly."""
        return frozenset(unit.id for unit in self.units if unit.correct)


class Route(Strict):
    model_config = ConfigDict(populate_by_name=True)

    condition: str | None = Field(None, alias="if", description="Take this route when this holds.")
    goto: Name = Field(description="The scene this route leads to.")


def _routes(value: object) -> object:
    """`next: scene_id` is shorthand for a single unconditional route."""
    return [{"goto": value}] if isinstance(value, str) else value


Routes = Annotated[
    list[Route],
    Field(min_length=1),
    BeforeValidator(_routes, json_schema_input_type=Name | list[Route]),
]


class Ending(Strict):
    title: Text = Field(description="The ending's name, shown in the debrief, e.g. 'Safe discharge'.")
    kind: EndingKind = Field(description="good, mixed or poor: how this ending compares with the others.")


class TextBlock(Strict):
    """A paragraph of a scene's text, shown on the paths where its condition holds."""

    condition: str | None = Field(
        None, alias="if", description="Show `text` only when this holds (checked when the scene is shown), "
        "e.g. 'visited(faint_call)' or 'calcium > 3.0'."
    )
    text: Text = Field(description="The paragraph, in Markdown.")
    otherwise: str = Field("", alias="else", description="Shown instead of `text` when `if` does not hold.")


def _text_blocks(value: object) -> object:
    """A scene's text as paragraphs: one text is one paragraph; plain texts in a list are always shown."""
    if isinstance(value, dict):
        if "if" in value or "text" in value:
            raise ValueError("a paragraph with 'if:' goes in a list of paragraphs: start it with '- ' on the line "
                             "below 'text:'")
        raise ValueError("expected text, found a mapping of fields")
    if not isinstance(value, list):
        return [{"text": value}]  # text, or a value whose own message (true/false, nothing) says what is wrong
    if value and not any(isinstance(item, dict) for item in value):
        # Also what `text: [Saturday]` is to YAML: the bracket, not a list, is what the author meant.
        raise ValueError("expected text, found a list; a list of paragraphs is for text that changes with the "
                         "path, with at least one '- if: ...' paragraph")
    return [item if isinstance(item, dict) else {"text": item} for item in value]


SceneText = Annotated[
    tuple[TextBlock, ...],
    Field(min_length=1),
    BeforeValidator(_text_blocks, json_schema_input_type=Text | list[Text | TextBlock]),
]
# Paragraphs of a scene are separate Markdown paragraphs: blank lines between them.
PARAGRAPH_BREAK: Final = "\n\n"

SceneKind = Literal["ending", "page", "question", "choices"]


class Scene(Strict):
    phase: Text = Field(description="Stage of the journey, e.g. Diagnosis, Induction, Transplant, Maintenance.")
    title: str = Field("", description="The scene's heading; when it is empty, an ending's own title is shown, "
                       "and for any other scene its phase.")
    text: SceneText = Field(
        description="What the player reads, in Markdown: one text, or a list of paragraphs where each is a text "
        "or `{if: condition, text: ..., else: ...}`, shown according to the journey so far."
    )
    advance: Duration = Field(0, description="Time that passes before this scene, e.g. '2 weeks'.")
    on_enter: Expressions = Field(
        default_factory=list, description="Changes made on entering the scene, after its `advance`, e.g. "
        "'admitted = true'."
    )
    repeat: Literal["once", "every_entry"] | None = Field(
        None,
        description="When the journey comes back to this scene: once (the default) runs its advance and on_enter "
        "on the first entry only; every_entry runs them each time. `mmjourney check` warns about a scene "
        "entered again that does not say which.",
    )
    choices: list[Choice] | None = Field(None, description="The decisions the learner chooses between.")
    order: Order = Field(
        "shuffled", description="shuffled (default): choices shown in an order shuffled per journey. "
        "fixed: in the written order, when the order carries meaning."
    )
    next: Routes | None = Field(
        None,
        description="Go on without a decision: a scene id, or a list of routes `- if: ... goto: ...` "
        "where the first whose condition holds is taken (the last needs no `if`).",
    )
    question: Question | None = Field(None, description="An exam-style question (NGN item) instead of choices.")
    ending: Ending | None = Field(None, description="Makes this scene an ending: its title and kind.")

    def text_for(self, holds: Callable[[str], object]) -> str:
        """The text the learner reads when `holds` says which conditions hold now."""
        return PARAGRAPH_BREAK.join(
            shown for block in self.text
            if (shown := block.text if block.condition is None or holds(block.condition) else block.otherwise)
        )

    @cached_property
    def full_text(self) -> str:
        """Every paragraph the scene can show, on any path: what tools search, measure and draw."""
        return PARAGRAPH_BREAK.join(text for _, text in self.written_texts())

    def written_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every text the scene can show, each with where it is written below `text` (a path for messages
        that point into it): `()` for one text, `(1,)` for a plain paragraph, `(2, "else")` for an else."""
        if len(self.text) == 1 and self.text[0].condition is None:
            return [((), self.text[0].text)]  # one text: a list needs an `if` paragraph
        written: list[tuple[tuple[str | int, ...], str]] = []
        for number, block in enumerate(self.text):
            if block.condition is None:
                written.append(((number,), block.text))
            else:
                written.append(((number, "text"), block.text))
                if block.otherwise:
                    written.append(((number, "else"), block.otherwise))
        return written

    @property
    def heading(self) -> str:
        """What the players head the scene with: its title; for an untitled ending, the ending's own words
        (its phase would say where the journey was, not how it ended); else its phase."""
        return self.title or (self.ending.title if self.ending is not None else self.phase)

    @property
    def kind(self) -> SceneKind:
        """What the scene is, in the order the engine honours its fields: an ending first, then a
        page that simply continues, then a question, else a decision between choices."""
        if self.ending is not None:
            return "ending"
        if self.next:
            return "page"
        if self.question is not None:
            return "question"
        return "choices"


class Dynamic(Strict):
    model_config = ConfigDict(populate_by_name=True)

    id: Name = Field(description="Short id, unique among the rules.")
    condition: str = Field("true", alias="while", description="The rule applies while this holds.")
    per: Literal["day", "week"] = Field("day", description="Apply the effects every day (default) or every week.")
    effects: Expressions = Field(min_length=1, description="Changes made each day or week the rule applies.")


class Event(Strict):
    id: Name = Field(description="Short id, unique among the events.")
    when: str = Field(description="The event interrupts as soon as this becomes true.")
    scene: Name = Field(description="The scene shown when it interrupts.")
    repeat: bool = Field(False, description="Fire again each time the condition becomes true anew.")


class Fragment(Strict):
    """A file of shared parts that stories pull in with `includes`."""

    fragment: Text = Field(description="What this fragment holds, e.g. 'Supportive-care scene library'.")
    references: dict[Slug, RefEntry] = Field(default_factory=dict, description=REFERENCES_LIST_HELP)
    glossary: dict[str, Text] = Field(default_factory=dict, description=GLOSSARY_HELP)
    stats: dict[Name, Stat] = Field(default_factory=dict, description=STATS_HELP)
    flags: dict[Name, bool] = Field(default_factory=dict, description=FLAGS_HELP)
    scenes: dict[Name, Scene] = Field(default_factory=dict, description=SCENES_HELP)
    dynamics: list[Dynamic] = Field(default_factory=list, description=DYNAMICS_HELP)
    events: list[Event] = Field(default_factory=list, description=EVENTS_HELP)


class WalkStep(Strict):
    """One decision of a walkthrough, as the loader reads it (see `_walk_step` for how it is written)."""

    id: Name = Field(description="The choice or question id.")
    options: tuple[UnitName, ...] | None = Field(
        None, description="For a question: the option ids picked ('row:column' for a matrix)."
    )
    outcome: int | None = Field(None, ge=1, description="For a choice with chance: which outcome (1 = first).")


class OutcomePick(Strict):
    outcome: int = Field(ge=1, description="Which chance outcome happens: 1 for the first listed, 2 for the second.")


_STEP_HELP = (
    "a walkthrough step is a choice id (`- start_fluids`), a question and its answer "
    "(`- priority_problem: dehydration` or `- phone_now: [fever, bleeding]`), or a choice with the chance "
    "outcome to force (`- discharge_home: {outcome: 2}`)"
)


def _walk_step(value: object) -> object:
    """Read the short forms educators write into WalkStep fields."""
    if isinstance(value, str):
        return {"id": value}
    if isinstance(value, dict) and len(value) == 1:
        ((key, picked),) = value.items()
        if isinstance(picked, str):
            return {"id": key, "options": [picked]}
        if isinstance(picked, list):
            return {"id": key, "options": picked}
        if isinstance(picked, dict):
            return {"id": key, **picked}
    raise ValueError(_STEP_HELP)


StepEntry = Annotated[
    WalkStep,
    BeforeValidator(
        _walk_step,
        json_schema_input_type=Name | dict[Name, Annotated[UnitName, Field(title="Answer")] | list[UnitName]
                                    | OutcomePick],
    ),
]


class Walkthrough(Strict):
    """A path through the story with its expected result; `mmjourney test` plays it."""

    name: Text = Field(description="What this path shows, e.g. 'Expert path' or 'NSAID given: kidney injury'.")
    note: str = Field("", description="Why this path matters, for other educators.")
    seed: int = Field(0, description="Seed for chance outcomes that the steps do not force.")
    choices: list[StepEntry] = Field(
        default_factory=list,
        description="The decisions in order. `next` pages continue by themselves. Each is a choice id, "
        "`question_id: option` (or a list of options), or `choice_id: {outcome: 2}` to force a chance outcome.",
    )
    ending: Name = Field(description="The ending scene this path must reach.")
    score: tuple[float, float] | None = Field(
        None, description="The expected score in percent as [lowest, highest], e.g. [100, 100]."
    )
    safe: bool | None = Field(
        None, description="Whether the path must be safe (`true`: no critical error) or unsafe (`false`)."
    )
    passed: bool | None = Field(
        None, description="Whether the path must pass (the pass mark and no critical error) or not pass."
    )


# The parts a fragment may contribute; keyed collections merge, lists append.
MERGED_MAPPINGS = ("references", "glossary", "stats", "flags", "scenes")
MERGED_LISTS = ("dynamics", "events")


class Story(Strict):
    format_version: Literal[1] = Field(FORMAT_VERSION, description="Version of the story format.")
    id: Slug = Field(description="Stable id of the story; records refer to it.")
    title: Text = Field(description="The story's name, shown in the story list and the debrief.")
    version: Text = Field(description="Your version of this story, e.g. '1.2'. Bump it when you change it.")
    summary: Text = Field(description="Two or three sentences shown in the story list before learners start.")
    audience: TextList = Field(description="Who the story is for, e.g. 'Ward nurses new to haematology'.")
    difficulty: Literal["beginner", "intermediate", "advanced"] = Field(
        description="beginner, intermediate or advanced, shown in the story list."
    )
    minutes: int = Field(ge=1, le=600, description="About how long one play takes.")
    authors: TextList = Field(description="Who wrote the story.")
    reviewed_by: TextList = Field(
        default_factory=list, description="Who checked the clinical content; `mmjourney check` warns until it is set."
    )
    reviewed_on: datetime.date | None = Field(None, description="When the clinical review was done, e.g. 2026-11-01.")
    disclaimer: Text = Field(DEFAULT_DISCLAIMER, description="Shown before the story starts; a standard "
                                                             "educational disclaimer when left out.")
    pass_mark: float = Field(
        DEFAULT_PASS_MARK, ge=0, le=100,
        description="The overall score in percent that a finished journey needs to pass (a critical error "
        "fails it whatever the score).",
    )
    objectives: list[Objective] = Field(min_length=1, description="The learning objectives, each with an id that "
                                                                  "choices and questions list.")
    references: dict[Slug, RefEntry] = Field(default_factory=dict, description=REFERENCES_LIST_HELP)
    glossary: dict[str, Text] = Field(default_factory=dict, description=GLOSSARY_HELP)
    includes: list[str] = Field(default_factory=list, description="Fragment files, relative to this file's folder.")
    patient: Patient = Field(description="Who the patient is: name, age, sex and history.")
    stats: dict[Name, Stat] = Field(default_factory=dict, description=STATS_HELP)
    flags: dict[Name, bool] = Field(default_factory=dict, description=FLAGS_HELP)
    start: Name = Field(description="The first scene.")
    scenes: dict[Name, Scene] = Field(min_length=1, description=SCENES_HELP)
    dynamics: list[Dynamic] = Field(default_factory=list, description=DYNAMICS_HELP)
    events: list[Event] = Field(default_factory=list, description=EVENTS_HELP)
    walkthroughs: list[Walkthrough] = Field(
        default_factory=list,
        description="Paths with their expected ending and score, played by `mmjourney test`.",
    )
