"""Property tests for the expression language: any text is either accepted or refused with an
ExpressionError pointing inside it; nothing reaches Python; well-formed expressions compute
the right value."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from mmjourney.story.expressions import (
    MAX_EXPRESSION_LENGTH,
    ExpressionError,
    Names,
    State,
    compile_condition,
    compile_effect,
    parse_condition,
    parse_effect,
)

# database=None: no .hypothesis folder in the work tree; a failure prints its example anyway.
FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

STATS = {"calcium": (1.5, 4.5), "pain": (0.0, 10.0)}
NAMES = Names(
    stats=dict(STATS),
    flags={"on_fluids"},
    scenes={"intro", "ward"},
    choices={"give_fluids", "wait"},
)


def fresh_state(calcium: float = 2.5, pain: float = 3.0, on_fluids: bool = False, day: int = 10) -> State:
    state = State({"calcium": calcium, "pain": pain}, {"on_fluids": on_fluids})
    state.visited = {"intro"}
    state.chosen = {"give_fluids"}
    state.day = day
    return state


def accepted_or_refused(function, text: str, *args):
    """The result, or None when refused with an ExpressionError that points inside the text."""
    try:
        return function(text, *args)
    except ExpressionError as error:
        assert isinstance(error.message, str) and error.message.strip()
        assert isinstance(error.offset, int) and 0 <= error.offset <= len(text), (error.offset, len(text), text)
        return None


def assert_state_sane(state: State) -> None:
    for name, (low, high) in STATS.items():
        value = state.stats[name]
        assert isinstance(value, (int, float)) and not isinstance(value, bool)
        assert low <= value <= high, (name, value)  # also false for NaN
    assert isinstance(state.flags["on_fluids"], bool)


# --- arbitrary text --------------------------------------------------------------------------

TOKENS = [
    "calcium", "pain", "on_fluids", "day", "week", "month", "intro", "give_fluids", "resume", "x", "_x",
    "visited", "chosen", "min", "max", "abs", "and", "or", "not", "true", "false", "if", "else", "lambda",
    "0", "1", "2.5", ".5", "3.", "10", "00", "1e3", "٣",
    "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "=", "+=", "-=", "*=", "/=", "**", "//",
    "(", ")", ",", ".", "[", "]", "{", "}", '"', "'", "&", "|", "!", "~", "%", "@", ":", ";", "#", "\\",
    " ", "  ", "\t", "\n", "\u00a0", "\u2028", "é", "\x00",
]
token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@st.composite
def near_misses(draw):
    """A well-formed expression (see below) with a token put in or a stretch taken out."""
    text = draw(st.one_of(truths(1), numbers(2)))[0]
    if draw(st.booleans()):
        text = draw(st.sampled_from(["", "calcium = ", "on_fluids = ", "pain += ", "day = "])) + text
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 6)))
    return text[:start] + draw(st.sampled_from([""] + TOKENS)) + text[end:]


any_text = st.one_of(st.text(max_size=80), token_soup, st.deferred(near_misses))

states = st.builds(
    fresh_state,
    calcium=st.floats(1.5, 4.5),
    pain=st.floats(0, 10),
    on_fluids=st.booleans(),
    day=st.integers(0, 3650),
)


@FUZZ
@given(text=any_text, state=states)
@example(text="", state=fresh_state())
@example(text=" " * 3, state=fresh_state())
@example(text="x" * (MAX_EXPRESSION_LENGTH + 1), state=fresh_state())
@example(text="(" * 60 + "1" + ")" * 60, state=fresh_state())
@example(text="not " * 60 + "true", state=fresh_state())
@example(text="- " * 60 + "1 > 2", state=fresh_state())
@example(text="calcium > 2 and", state=fresh_state())
@example(text="pain = max(pain - 2, 0)", state=fresh_state())
def test_any_text_is_accepted_or_refused_cleanly(text, state):
    accepted_or_refused(parse_condition, text)
    accepted_or_refused(parse_effect, text)
    # Whatever compiles also runs, and keeps the state within its declared bounds.
    condition = accepted_or_refused(compile_condition, text, NAMES)
    if condition is not None:
        assert isinstance(condition(state), bool)
    effect = accepted_or_refused(compile_effect, text, NAMES)
    if effect is not None:
        assert effect(state) is None
        assert_state_sane(state)


# --- no way out to Python ------------------------------------------------------------------------

ESCAPES = [
    "__class__",
    "x.__class__",
    "().__class__.__bases__",
    "calcium.real",
    "__import__('os')",
    'eval("1")',
    "open('f')",
    "[1]",
    "{}",
    "lambda: 1",
    "a if b else c",
    '"s"',
    "calcium[0]",
    # and a few more of the same kind
    "calcium.__class__.__mro__",
    "getattr(calcium, 'real')",
    "__builtins__",
    "globals()",
    "exec('1')",
    "calcium ** 2",
    "calcium // 2",
    "calcium % 2",
    "~calcium",
    "calcium; calcium",
    "f'{calcium}'",
    "b'1'",
    "1j",
    "calcium @ calcium",
    "(x := 1)",
    "on_fluids is true",
    "calcium in pain",
    "not_a_name",
]
ESCAPE_NAMES = Names(stats=dict(STATS), flags={"on_fluids", "a", "b", "c", "x"}, scenes={"intro"})


@pytest.mark.parametrize("text", ESCAPES)
def test_reaching_for_python_is_refused(text):
    for check in (
        lambda: compile_condition(text, ESCAPE_NAMES),
        lambda: compile_condition(f"on_fluids and {text}", ESCAPE_NAMES),
        lambda: compile_effect(f"calcium = {text}", ESCAPE_NAMES),
        lambda: compile_effect(f"on_fluids = {text}", ESCAPE_NAMES),
    ):
        with pytest.raises(ExpressionError) as refused:
            check()
        assert refused.value.message and refused.value.offset >= 0


@pytest.mark.parametrize("text", [t for t in ESCAPES if t not in ("not_a_name",)])
def test_reaching_for_python_is_refused_by_the_parser(text):
    # Every attempt above is malformed in this language, so no names are even looked up.
    with pytest.raises(ExpressionError):
        parse_condition(text)


# --- well-formed expressions compute the right value --------------------------------------------

# Literals inside both stats' ranges, so comparing a stat with one is never flagged as a typo.
LITERALS = st.sampled_from(["1.5", "2", "2.25", "3", "3.5", "4", "4.5"])


def _divide(a, b):
    return a / b if b else 0.0  # the language's rule: dividing by zero at run time gives 0


def _number_leaf():
    refs = st.sampled_from(["calcium", "pain", "day", "week", "month"]).map(
        lambda name: (name, {
            "calcium": lambda s: s.stats["calcium"], "pain": lambda s: s.stats["pain"],
            "day": lambda s: s.day, "week": lambda s: s.day // 7, "month": lambda s: s.day // 28,
        }[name])
    )
    literals = LITERALS.map(lambda text: (text, lambda s, v=float(text): v))
    return st.one_of(refs, literals)


ARITHMETIC = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": _divide}
COMPARISONS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
               ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


def numbers(depth: int):
    """(text, reference function) pairs for number-valued expressions."""
    if depth == 0:
        return _number_leaf()
    inner = numbers(depth - 1)
    binary = st.tuples(inner, st.sampled_from(sorted(ARITHMETIC)), inner).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", lambda s, a=t[0][1], f=ARITHMETIC[t[1]], b=t[2][1]: f(a(s), b(s)))
    )
    negate = inner.map(lambda a: (f"-{a[0]}", lambda s, f=a[1]: -f(s)))
    absolute = inner.map(lambda a: (f"abs({a[0]})", lambda s, f=a[1]: abs(f(s))))
    extreme = st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
        lambda t: (f"{t[0]}({t[1][0]}, {t[2][0]})",
                   lambda s, g=min if t[0] == "min" else max, a=t[1][1], b=t[2][1]: g(a(s), b(s)))
    )
    return st.one_of(_number_leaf(), binary, negate, absolute, extreme)


def truths(depth: int):
    """(text, reference function) pairs for true/false expressions."""
    leaves = st.one_of(
        st.sampled_from([
            ("on_fluids", lambda s: s.flags["on_fluids"]),
            ("true", lambda s: True),
            ("false", lambda s: False),
            ("visited(intro)", lambda s: "intro" in s.visited),
            ("visited(ward)", lambda s: "ward" in s.visited),
            ("chosen(give_fluids)", lambda s: "give_fluids" in s.chosen),
            ("chosen(wait)", lambda s: "wait" in s.chosen),
        ]),
        st.tuples(numbers(2), st.sampled_from(sorted(COMPARISONS)), numbers(2)).map(
            lambda t: (f"{t[0][0]} {t[1]} {t[2][0]}",
                       lambda s, a=t[0][1], f=COMPARISONS[t[1]], b=t[2][1]: f(a(s), b(s)))
        ),
    )
    if depth == 0:
        return leaves
    inner = truths(depth - 1)
    both = st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
        lambda t: (f"({t[0][0]}) {t[1]} ({t[2][0]})",
                   lambda s, a=t[0][1], op=t[1], b=t[2][1]: (a(s) and b(s)) if op == "and" else (a(s) or b(s)))
    )
    negation = inner.map(lambda a: (f"not ({a[0]})", lambda s, f=a[1]: not f(s)))
    # A flag compared with a condition: the flag on the left (see the known-bug test below).
    same = st.tuples(st.sampled_from(["==", "!="]), inner).map(
        lambda t: (f"on_fluids {t[0]} ({t[1][0]})",
                   lambda s, op=t[0], f=t[1][1]: (s.flags["on_fluids"] == f(s)) == (op == "=="))
    )
    return st.one_of(leaves, both, negation, same)


def same_number(got, want) -> bool:
    return got == want or (math.isnan(got) and math.isnan(want))


@FUZZ
@given(expression=truths(2), state=states)
def test_generated_condition_compiles_and_computes(expression, state):
    text, reference = expression
    assume(len(text) <= MAX_EXPRESSION_LENGTH)
    result = compile_condition(text, NAMES)(state)
    assert isinstance(result, bool)
    assert result == bool(reference(state)), text


def _clamp(value, low, high):
    return low if value < low else high if value > high else value


@FUZZ
@given(
    target=st.sampled_from(sorted(STATS)),
    op=st.sampled_from(["=", "+=", "-=", "*=", "/="]),
    expression=numbers(3),
    state=states,
)
def test_generated_stat_effect_compiles_and_computes(target, op, expression, state):
    text, reference = expression
    effect_text = f"{target} {op} {text}"
    assume(len(effect_text) <= MAX_EXPRESSION_LENGTH)
    old, value = state.stats[target], reference(state)
    new = {"=": value, "+=": old + value, "-=": old - value, "*=": old * value,
           "/=": old / value if value else old}[op]
    compile_effect(effect_text, NAMES)(state)
    assert same_number(state.stats[target], _clamp(new, *STATS[target])), effect_text
    assert_state_sane(state)


@FUZZ
@given(expression=truths(2), state=states)
def test_generated_flag_effect_compiles_and_computes(expression, state):
    text, reference = expression
    assume(len(text) <= MAX_EXPRESSION_LENGTH - 12)
    want = bool(reference(state))
    compile_effect(f"on_fluids = {text}", NAMES)(state)
    assert state.flags["on_fluids"] is want


# --- known bugs ---------------------------------------------------------------------------------


def test_a_stat_never_becomes_nan():
    """EXPRESSION BUG: a literal of 309+ digits becomes float inf; 0 * inf is NaN, and the
    clamp (`low if r < low else high if r > high else r`) lets NaN through, so the stat
    is NaN and every comparison with it is false from then on."""
    huge = "9" * 310
    state = fresh_state()
    try:
        effect = compile_effect(f"calcium *= 0 * {huge}", NAMES)
    except ExpressionError:
        return  # refusing the literal is a fine fix too
    effect(state)
    assert_state_sane(state)


@pytest.mark.parametrize(
    "text, mirror",
    [
        ("(calcium > 2) == on_fluids", "on_fluids == (calcium > 2)"),
        ("(1.5 < calcium) != false", "false != (1.5 < calcium)"),
    ],
)
def test_a_parenthesised_comparison_may_be_compared(text, mirror):
    """PARSER BUG: the syntax tree keeps no parentheses, so a bracketed comparison on the left
    of == or != is refused as "comparisons cannot be chained", while its mirror image is
    accepted."""
    state = fresh_state(calcium=3.0, on_fluids=True)
    assert compile_condition(mirror, NAMES)(state) is True
    assert compile_condition(text, NAMES)(state) is True
