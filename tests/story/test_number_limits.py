"""Numbers a story may hold: finite and at most 1,000,000,000 in size, refused at load otherwise.

The stories of the red-team report passed every check and then crashed or hung the game and
its exports: bounds of ±inf, effects of ±1e308 written as 309-digit literals, a start of 5e15
(where a chart's step of 0.25 no longer changes the value). Each is now refused where it is
written; and whatever an expression computes, the engine keeps every stat finite.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey import Ask, Choose
from mmjourney.story import StoryError, load_story, validate_file
from mmjourney.story.expressions import MAX_NUMBER, ExpressionError, Names, State, compile_effect
from mmjourney.tools.new import starter_story

from ..helpers import play_by

CALCIUM = """\
  calcium:
    label: Calcium (corrected)
    unit: mmol/L
    start: 2.9
    min: 1.5
    max: 4.5
    normal: [2.2, 2.6]
"""


def story_with(tmp_path: Path, calcium: str = CALCIUM, effect: str | None = None) -> Path:
    text = starter_story("Numbers").replace(CALCIUM, calcium)
    if effect is not None:
        text = text.replace("effects: [on_fluids = true, calcium -= 0.2]", f"effects: [{effect}]")
    path = tmp_path / "numbers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors(path: Path) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in validate_file(path) if p.severity == "error"]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_starter_story_is_unchanged_by_the_helpers(tmp_path):
    assert errors(story_with(tmp_path)) == []


@pytest.mark.parametrize("field, value, shown", [
    ("min", "-.inf", "-inf"), ("max", ".inf", "inf"), ("start", ".nan", "nan"),
    ("start", "5000000000000000", "5e+15"), ("max", "1e308", "1e+308"), ("min", "-1000000001", "-1e+09"),
])
def test_stat_numbers_beyond_the_limit_are_refused_where_they_are(tmp_path, field, value, shown):
    path = story_with(tmp_path, CALCIUM.replace(f"    {field}: ", f"    {field}: {value} #", 1))
    line = line_of(path, f"    {field}: {value}")
    assert errors(path) == [(line, len(f"    {field}: ") + 1,
                             f"numbers in a story must be between -1,000,000,000 and 1,000,000,000, found {shown}; "
                             "give the stat a range that fits what it measures")]


def test_a_normal_range_beyond_the_limit_is_refused(tmp_path):
    path = story_with(tmp_path, CALCIUM.replace("normal: [2.2, 2.6]", "normal: [2.2, .inf]"))
    ((line, _, message),) = errors(path)
    assert line == line_of(path, "normal: [2.2, .inf]") and "found inf" in message


def test_the_limit_itself_is_allowed(tmp_path):
    wide = CALCIUM.replace("min: 1.5", f"min: -{MAX_NUMBER}").replace("max: 4.5", f"max: {MAX_NUMBER}")
    assert errors(story_with(tmp_path, wide)) == []


@pytest.mark.parametrize("literal", ["9" * 309, "9" * 400, "1000000001", "1" + "0" * 30 + ".5"])
def test_a_number_in_an_expression_beyond_the_limit_is_refused(tmp_path, literal):
    path = story_with(tmp_path, effect=f"calcium += {literal}")
    line = line_of(path, f"calcium += {literal}")
    column = path.read_text().splitlines()[line - 1].index(literal) + 1
    assert errors(path) == [(line, column, "this number is too large: numbers in expressions are at most "
                                           "1,000,000,000")]


def test_the_red_team_stories_are_refused(tmp_path):
    """stat-inf-bounds, stat-huge-swing and stat-ulp-ticks from the report, as written there."""
    inf_bounds = CALCIUM.replace("min: 1.5", "min: -.inf").replace("max: 4.5", "max: .inf")
    swing = CALCIUM.replace("min: 1.5", "min: -1e308").replace("max: 4.5", "max: 1e308")
    ulp = CALCIUM.replace("start: 2.9", "start: 5000000000000000").replace("max: 4.5", "max: 9e15")
    for calcium, effect in ((inf_bounds, "calcium += " + "9" * 400), (swing, "calcium += 1" + "0" * 308),
                            (ulp, "calcium += 1")):
        with pytest.raises(StoryError) as refused:
            load_story(story_with(tmp_path, calcium, effect))
        assert refused.value.errors


# --- the engine keeps every stat finite, whatever an expression computes ----------------------


NAMES = Names(stats={"x": (-MAX_NUMBER, MAX_NUMBER)}, flags=set())


@pytest.mark.parametrize("effect, expected", [
    ("x = " + " * ".join(["x"] * 40), MAX_NUMBER),  # (1e9)^40 overflows to inf: clamped to the bound
    ("x = 0 - " + " * ".join(["x"] * 40), -MAX_NUMBER),
    ("x = x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * "
     "x * x * x * x * x * x * x * x * x * x - x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * "
     "x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x", MAX_NUMBER),  # inf - inf: kept
    ("x = x / (x - x)", 0.0),  # a zero divisor at run time gives 0
    ("x /= (x - x)", MAX_NUMBER),  # ... and dividing a stat by zero leaves it as it was
])
def test_the_engine_never_makes_a_stat_infinite_or_nan(effect, expected):
    state = State({"x": float(MAX_NUMBER)}, {})
    compile_effect(effect, NAMES)(state)
    assert math.isfinite(state.stats["x"]) and state.stats["x"] == expected


def test_a_literal_zero_divisor_is_refused_when_the_story_loads():
    with pytest.raises(ExpressionError, match="division by zero"):
        compile_effect("x = x / 0", NAMES)


def fluids_first(prompt: Ask | Choose) -> Action:
    """Start the fluids (the choice whose effect the test makes huge) when offered, else the first open choice."""
    if isinstance(prompt, Ask):
        return Action("answer", prompt.question.id, options=(prompt.options[0].id,))
    view = next((v for v in prompt.open if v.id == "start_fluids"), prompt.open[0])
    return Action("choose", view.id, outcome=0 if view.choice.chance else None)


def test_a_story_at_the_limits_plays_with_finite_stats(tmp_path):
    wide = CALCIUM.replace("min: 1.5", f"min: -{MAX_NUMBER}").replace("max: 4.5", f"max: {MAX_NUMBER}")
    story = load_story(story_with(tmp_path, wide, f"on_fluids = true, calcium = calcium * {MAX_NUMBER} * {MAX_NUMBER}"))
    session = play_by(Session(story), fluids_first)
    values = [value for point in session.chart for value in point.stats.values()]
    assert session.ended and all(math.isfinite(value) for value in values) and max(values) > MAX_NUMBER - 1
