"""Item-writing checks for `mmjourney check`: options whose shape gives the answer away.

A score means something only when a learner cannot earn it by reading the shape of the
options. Exam boards screen items for these "testwiseness" cues (NBME, "Constructing Written
Test Questions"); the two that the option texts alone show are checked here, and the naive
players of `strategies.py` show whether the story as a whole can be won that way:

best-is-longest   the best choice has the longest label in more than a third of the choice
                  scenes (at least 3 scenes with a best choice and some other choice)
best-much-longer  in one scene, the best choice (or the right option of a single-best-answer
                  question) is at least 1.5 times the mean length of the others and at least
                  20 characters longer. On the bundled curriculum this flags keys of 110 to
                  280 characters beside distractors of 50 to 100; it leaves alone pairs such
                  as 130 beside 105 characters, where the difference is a matter of wording.
naive-strategy    a naive player (always the first, last, longest or shortest option) passes in
                  more than NAIVE_PASS_SHARE of its seeds, or reaches a good ending in more than
                  NAIVE_GOOD_SHARE, beyond its luck: for a rule of position, what the same rule
                  gets on the same seeds with every order shuffled (strategies.py). Where the
                  game shuffles every order, first and last are guesses and never flagged; where
                  a scene or question says `order: fixed`, the key's place counts again.
naive-incomplete  the time limit stopped the naive players before they played every seed

All are warnings: they say the lesson can be gamed, not that the story is broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from ..engine import RATING_ORDER, Action
from ..story import LoadedStory
from ..story.model import Question, Scene
from .strategies import NAIVE_SEEDS, Summary, strategy_named

LONGEST_SHARE = 1 / 3  # of the choice scenes: beyond this, "pick the longest" is a pattern
MIN_SCENES = 3  # fewer choice scenes make no pattern
MUCH_LONGER_RATIO = 1.5
MUCH_LONGER_CHARS = 20

_LENGTH_CUE = ("the key is longer, more specific or more complete than the distractors. Write every option at "
               "the same length and level of detail, and give the other options the same clinical specificity "
               "(a dose, a time, a named check)")
_PLACE_CUE = ("the key is in the same place where the options are shown as written (order: fixed). Vary where "
              "the best choice is listed there, or leave the order to the game's shuffle, so that its position "
              "tells the learner nothing")
_SAME_LENGTH = "write the options at the same length and level of detail"
# Why a naive strategy's success is an item-writing flaw, in the words of the item-writing guide.
_REASONS = {"first": _PLACE_CUE, "last": _PLACE_CUE, "longest": _LENGTH_CUE,
            "shortest": "the length of the options gives the answer away. Write every option at the same length "
                        "and level of detail"}


@dataclass(frozen=True)
class Flaw:
    """A warning at a data path of the story (item writing, what learners see); `check` turns it into a Finding."""

    code: str
    path: tuple
    message: str
    actions: tuple[Action, ...] = ()
    text_line: int | None = None  # for a finding about one line of a text: which (from 0)


def _much_longer(key: int, others: list[int]) -> float | None:
    """The mean length of `others` when `key` is much longer than they are, else None."""
    average = mean(others)
    return average if key >= MUCH_LONGER_RATIO * average and key - average >= MUCH_LONGER_CHARS else None


def _choice_scene(scene_id: str, scene: Scene) -> tuple[bool, Flaw | None] | None:
    """(the best choice is the longest, best-much-longer or None); None when no choice is better than another.

    Where several choices share the best rating, the longest of them stands for the key.
    """
    choices = scene.choices or []
    top = min((RATING_ORDER.index(choice.rating) for choice in choices), default=0)
    others = [len(choice.label) for choice in choices if RATING_ORDER.index(choice.rating) != top]
    if not others:
        return None
    number, key = max(((n, c) for n, c in enumerate(choices) if RATING_ORDER.index(c.rating) == top),
                      key=lambda item: len(item[1].label))
    average = _much_longer(len(key.label), others)
    flaw = None if average is None else Flaw(
        "best-much-longer", ("scenes", scene_id, "choices", number, "label"),
        f"in scene '{scene_id}', the best choice '{key.id}' is much longer than the others ({len(key.label)} "
        f"characters; the others {average:.0f} on average), so its length gives the answer away: {_SAME_LENGTH}")
    return len(key.label) > max(others), flaw


def _question(scene_id: str, question: Question) -> Flaw | None:
    """best-much-longer for the right option of a single-best-answer question, or None."""
    right = [(n, o) for n, o in enumerate(question.options) if o.correct]
    wrong = [len(o.text) for o in question.options if not o.correct]
    if question.type != "single_best" or len(right) != 1 or not wrong:
        return None
    number, option = right[0]
    average = _much_longer(len(option.text), wrong)
    return None if average is None else Flaw(
        "best-much-longer", ("scenes", scene_id, "question", "options", number, "text"),
        f"in question '{question.id}', the right option '{option.id}' is much longer than the others "
        f"({len(option.text)} characters; the others {average:.0f} on average), so its length gives the answer "
        f"away: {_SAME_LENGTH}")


def option_lengths(story: LoadedStory) -> list[Flaw]:
    """best-is-longest for the story, then best-much-longer for each scene where it holds."""
    flaws: list[Flaw | None] = []
    compared = longest = 0
    for scene_id, scene in story.model.scenes.items():
        if scene.kind == "question" and scene.question is not None:
            flaws.append(_question(scene_id, scene.question))
        elif scene.kind == "choices":
            found = _choice_scene(scene_id, scene)
            if found is not None:
                compared += 1
                longest += found[0]
                flaws.append(found[1])
    if compared >= MIN_SCENES and longest > LONGEST_SHARE * compared:
        flaws.insert(0, Flaw("best-is-longest", ("id",),
                             f"the best choice has the longest label in {longest} of the {compared} choice scenes "
                             "(more than a third): a learner can score by picking the longest option without "
                             f"judging the patient; {_LENGTH_CUE}"))
    return [flaw for flaw in flaws if flaw is not None]


def _percent(value: float | None) -> str:
    return "no scored decision" if value is None else f"{value:.0f}%"


# A naive rule is a flaw when it does well often, not when it once does: the luck of chance outcomes, and
# for a rule of position the shuffle, let it land on the key now and then. Its luck (strategies.py) is taken
# off first, so that a rule of position counts only what fixed orders give away: under the shuffle alone it
# is a guess, and a short story of two-way decisions lets a guess pass a quarter of the time. Passing is the
# stronger claim, so it takes a smaller share than a good ending, which a story may give for safe care alone.
NAIVE_PASS_SHARE = 10.0  # percent of seeds, beyond luck
NAIVE_GOOD_SHARE = 25.0  # percent of seeds, beyond luck


def does_well(summary: Summary) -> str | None:
    """Whether a naive rule passes ("passes") or reaches a good ending ("good") more often than the shares allow
    beyond its luck; None when it does neither."""
    if summary.pass_example is not None and (summary.share(summary.passed) - summary.share(summary.luck_passed or 0)
                                             > NAIVE_PASS_SHARE):
        return "passes"
    if summary.good_example is not None and (summary.share(summary.good) - summary.share(summary.luck_good or 0)
                                             > NAIVE_GOOD_SHARE):
        return "good"
    return None


def naive_play(summaries: list[Summary]) -> list[Flaw]:
    """naive-strategy for each strategy that does well (`does_well`); naive-incomplete if cut short."""
    flaws: list[Flaw] = []
    for summary in summaries:
        how = does_well(summary)
        if how is None:
            continue
        passes = how == "passes"
        example = summary.pass_example if passes else summary.good_example
        assert example is not None
        what = (f"passes ({summary.pass_mark:g}% or more with no critical error)" if passes
                else "reaches a good ending")
        lucky = ("" if summary.luck_good is None else f"; with every order shuffled, {summary.luck_good} good "
                 f"endings and {summary.luck_passed} passes")
        flaws.append(Flaw("naive-strategy", ("id",),
                          f"a learner who {strategy_named(summary.strategy).description} {what} with "
                          f"{_percent(example.percent)} at seed {example.number} (in {summary.playthroughs} seeds: "
                          f"{summary.good} good endings, {summary.passed} passes, scores {_percent(summary.low)} to "
                          f"{_percent(summary.high)}{lucky}). The shape of the options is enough to do well: "
                          f"{_REASONS[summary.strategy]}. To see it, play with --seed {example.number} and follow "
                          "that rule.", example.actions))
    if any(summary.stopped for summary in summaries):
        played = min(summary.playthroughs for summary in summaries)
        flaws.append(Flaw("naive-incomplete", ("id",),
                          f"the naive players were stopped by the time limit (--max-seconds) after {played} of "
                          f"{NAIVE_SEEDS} seeds; run again with a larger --max-seconds to let them finish"))
    return flaws
