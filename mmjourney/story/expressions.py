"""The small expression language of conditions and effects, without eval.

Conditions:  calcium > 3.0 and not on_bisphosphonate,  visited(admission),  week >= 6,
             correct(fever_priority),  picked(fever_priority, wait_for_rounds)
Effects:     calcium -= 0.4,  on_fluids = true,  pain = max(pain - 2, 0)

Text is tokenised and parsed into a tree once (cached: stories repeat expressions),
then checked against the story's declared names and compiled into plain Python
closures. Nothing in an expression can reach Python objects: the only names are the
story's stats and flags, the clock, and seven functions.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Callable, cast

TIME_NAMES = ("day", "week", "month")
FUNCTIONS = {"visited": 1, "chosen": 1, "correct": 1, "picked": 2, "min": 2, "max": 2, "abs": 1}
# The functions that look back at the journey rather than compute a number.
HISTORY_FUNCTIONS = ("visited", "chosen", "correct", "picked")
KEYWORDS = ("and", "or", "not", "true", "false")
RESERVED = frozenset(TIME_NAMES) | frozenset(FUNCTIONS) | frozenset(KEYWORDS) | {"resume"}
ASSIGN_OPS = ("=", "+=", "-=", "*=", "/=")
MAX_EXPRESSION_LENGTH = 500
# The largest size of any number in a story: stat bounds and start values (model.Stat) and
# numbers in expressions. Charts, exports and the engine's arithmetic stay finite and exact well
# inside it, and at this size a float still resolves every decimal a stat can show (four places).
# A 400-digit literal would be infinity to a float, and a bound of 5e15 would leave a chart's
# steps of 0.25 with no effect at all.
MAX_NUMBER = 1_000_000_000
MAX_DEPTH = 40

_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\+=|-=|\*=|/=|<=|>=|==|!=|[-+*/()<>=,])|(?P<bad>\S))"
)
_FORBIDDEN_HINTS = {
    ".": "'.' is not allowed: expressions use stat and flag names directly, never attributes",
    "[": "'[' is not allowed: expressions have no lists or indexing",
    "]": "']' is not allowed: expressions have no lists or indexing",
    '"': "text in quotes is not allowed: compare stats with numbers and use flags for yes/no facts",
    "'": "text in quotes is not allowed: compare stats with numbers and use flags for yes/no facts",
    "&": "use 'and' instead of '&'",
    "|": "use 'or' instead of '|'",
    "!": "use 'not' instead of '!'",
}


class ExpressionError(Exception):
    """A problem in one expression; `offset` is the character where it starts (0-based)."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# --- syntax tree -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    value: float
    offset: int


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    offset: int


@dataclass(frozen=True, slots=True)
class Ref:
    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple
    offset: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: object
    offset: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: object
    right: object
    offset: int


@dataclass(frozen=True, slots=True)
class Assignment:
    target: str
    op: str
    value: object
    offset: int


# --- parsing -----------------------------------------------------------------------------

_BINARY_POWER = {
    "or": 1,
    "and": 2,
    "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4,
    "+": 5, "-": 5,
    "*": 6, "/": 6,
}


def _tokenise(text: str) -> list[tuple[str, str, int]]:
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_EXPRESSION_LENGTH} characters; split it up")
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:  # trailing white space
            continue
        value = match.group(kind)
        offset = match.start(kind)
        if kind == "bad":
            hint = _FORBIDDEN_HINTS.get(value, f"'{value}' is not allowed in an expression")
            raise ExpressionError(hint, offset)
        if kind == "name" and value.startswith("_"):
            raise ExpressionError(f"'{value}': names cannot start with '_'", offset)
        tokens.append((kind, value, offset))
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenise(text)
        self.position = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.position]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, value: str, what: str) -> None:
        kind, got, offset = self.take()
        if got != value:
            found = "the end of the expression" if kind == "end" else f"'{got}'"
            raise ExpressionError(f"expected {what}, found {found}", offset)

    def expression(self, min_power: int = 0):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expression is nested too deeply", self.peek()[2])
        left = self.prefix()
        compared = False  # a comparison built in this loop (a bracketed one on the left is fine)
        while True:
            kind, op, offset = self.peek()
            power = _BINARY_POWER.get(op) if kind in ("op", "name") else None
            if power is None or power <= min_power:
                break
            self.take()
            right = self.expression(power)
            if power == 4 and compared:
                raise ExpressionError("comparisons cannot be chained; write 'a < b and b < c'", offset)
            compared = power == 4
            left = Binary(op, left, right, offset)
        self.depth -= 1
        return left

    def prefix(self):
        kind, value, offset = self.take()
        if kind == "num":
            return Num(float(value), offset)
        if kind == "name":
            if value in ("true", "false"):
                return Bool(value == "true", offset)
            if value == "not":
                return Unary("not", self.expression(3), offset)
            if value in ("and", "or"):
                raise ExpressionError(f"'{value}' needs something on its left", offset)
            if self.peek()[1] == "(":
                return self.call(value, offset)
            return Ref(value, offset)
        if value == "(":
            inner = self.expression()
            self.expect(")", "')' to close the '(' opened here")
            return inner
        if value == "-":
            return Unary("-", self.expression(6), offset)
        if kind == "end":
            raise ExpressionError("the expression is incomplete", offset)
        raise ExpressionError(f"unexpected '{value}'", offset)

    def call(self, name: str, offset: int) -> Call:
        if name not in FUNCTIONS:
            hint = _did_you_mean(name, FUNCTIONS)
            raise ExpressionError(f"unknown function '{name}'{hint}", offset)
        self.take()  # the "("
        args = []
        if self.peek()[1] != ")":
            args.append(self.expression())
            while self.peek()[1] == ",":
                self.take()
                args.append(self.expression())
        self.expect(")", f"')' to close {name}(")
        if len(args) != FUNCTIONS[name]:
            count = FUNCTIONS[name]
            raise ExpressionError(f"{name}() takes {count} value{'s' if count > 1 else ''}, got {len(args)}", offset)
        return Call(name, tuple(args), offset)

    def finish(self, node):
        kind, value, offset = self.peek()
        if kind != "end":
            before_kind, before, before_offset = self.tokens[self.position - 1]
            if before_kind == "name" and kind == "name":
                hint = _did_you_mean(before, KEYWORDS)
                if hint:
                    raise ExpressionError(f"'{before}' is not an operator{hint}", before_offset)
            raise ExpressionError(f"unexpected '{value}': is an 'and', 'or' or operator missing before it?", offset)
        return node


@functools.lru_cache(maxsize=8192)
def parse_condition(text: str):
    """Parse a condition or value expression into a syntax tree."""
    parser = _Parser(text)
    return parser.finish(parser.expression())


@functools.lru_cache(maxsize=8192)
def parse_effect(text: str) -> Assignment:
    """Parse `name = expr` or `name += expr` (also -=, *=, /=)."""
    parser = _Parser(text)
    kind, target, offset = parser.take()
    if kind != "name" or target in KEYWORDS:
        raise ExpressionError(
            "an effect starts with the stat or flag it changes, like 'calcium -= 0.3' or 'on_fluids = true'",
            offset,
        )
    _, op, op_offset = parser.take()
    if op not in ASSIGN_OPS:
        hint = " (use '=' to set a value; '==' compares)" if op == "==" else ""
        raise ExpressionError(f"expected '=', '+=', '-=', '*=' or '/=' after '{target}'{hint}", op_offset)
    return Assignment(target, op, parser.finish(parser.expression()), offset)


# --- checking and compiling --------------------------------------------------------------


@dataclass
class Names:
    """What a story declares, for checking names inside expressions."""

    stats: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (min, max)
    flags: set[str] = field(default_factory=set)
    scenes: set[str] = field(default_factory=set)
    choices: set[str] = field(default_factory=set)  # choice and question ids
    # question id -> (its option ids as written, the correct ones), for correct() and picked()
    questions: dict[str, tuple[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)


class State:
    """The patient and journey state that compiled expressions read and change."""

    __slots__ = ("stats", "flags", "visited", "chosen", "answers", "day")

    def __init__(self, stats: dict[str, float], flags: dict[str, bool]) -> None:
        self.stats = stats
        self.flags = flags
        self.visited: set[str] = set()
        self.chosen: set[str] = set()
        self.answers: dict[str, frozenset[str]] = {}  # question id -> the options of its latest answer
        self.day = 0


Compiled = Callable[[State], object]
Number = Callable[[State], float]  # a Compiled whose checked kind is 'number'
Truth = Callable[[State], bool]  # a Compiled whose checked kind is 'bool'


def _did_you_mean(name: str, candidates) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _type_name(kind: str) -> str:
    return "a number" if kind == "number" else "true/false"


def _compile(node, names: Names) -> tuple[Compiled, str]:
    """Return a closure computing `node` and its type, 'number' or 'bool'."""
    if isinstance(node, Num):
        value = node.value
        if value > MAX_NUMBER:  # a literal is never negative: '-' is an operator
            raise ExpressionError(f"this number is too large: numbers in expressions are at most {MAX_NUMBER:,}",
                                  node.offset)
        return (lambda s: value), "number"
    if isinstance(node, Bool):
        flag = node.value
        return (lambda s: flag), "bool"
    if isinstance(node, Ref):
        return _compile_ref(node, names)
    if isinstance(node, Call):
        return _compile_call(node, names)
    if isinstance(node, Unary):
        inner, kind = _compile(node.operand, names)
        if node.op == "not":
            truth = _as_truth(inner, kind, node.operand, "'not'")
            return (lambda s: not truth(s)), "bool"
        number = _as_number(inner, kind, node.operand, "'-'")
        return (lambda s: -number(s)), "number"
    return _compile_binary(node, names)


def _require(kind: str, wanted: str, node, where: str) -> None:
    if kind != wanted:
        raise ExpressionError(f"{where} needs {_type_name(wanted)} here, but this is {_type_name(kind)}", node.offset)


def _as_number(fn: Compiled, kind: str, node, where: str) -> Number:
    """`fn` once its kind is checked to be a number (the check is what makes the cast true)."""
    _require(kind, "number", node, where)
    return cast(Number, fn)


def _as_truth(fn: Compiled, kind: str, node, where: str) -> Truth:
    """`fn` once its kind is checked to be true/false (the check is what makes the cast true)."""
    _require(kind, "bool", node, where)
    return cast(Truth, fn)


def _compile_ref(node: Ref, names: Names) -> tuple[Compiled, str]:
    name = node.name
    if name in names.stats:
        return (lambda s: s.stats[name]), "number"
    if name in names.flags:
        return (lambda s: s.flags[name]), "bool"
    if name == "day":
        return (lambda s: s.day), "number"
    if name == "week":
        return (lambda s: s.day // 7), "number"
    if name == "month":
        return (lambda s: s.day // 28), "number"
    if name in names.scenes or name in names.choices:
        raise ExpressionError(
            f"'{name}' is a scene or choice, not a stat or flag; write visited({name}) or chosen({name})",
            node.offset,
        )
    hint = _did_you_mean(name, [*names.stats, *names.flags, *TIME_NAMES])
    raise ExpressionError(f"unknown name '{name}': declare it under stats or flags{hint}", node.offset)


def _question_of(node: Call, names: Names) -> str:
    """The question id that correct() or picked() names first, once it is checked to be one."""
    arg = node.args[0]
    if not isinstance(arg, Ref):
        raise ExpressionError(f"{node.func}() takes the id of a question first", arg.offset)
    if arg.name not in names.questions:
        if arg.name in names.choices:
            raise ExpressionError(f"{node.func}(): '{arg.name}' is a choice, not a question; "
                                  f"write chosen({arg.name}) to ask whether it was taken", arg.offset)
        hint = _did_you_mean(arg.name, names.questions)
        raise ExpressionError(f"{node.func}(): unknown question '{arg.name}'{hint}", arg.offset)
    return arg.name


def _compile_answer_call(node: Call, names: Names) -> tuple[Compiled, str]:
    item = _question_of(node, names)
    options, correct = names.questions[item]
    if node.func == "correct":
        # Fully correct: exactly the correct options, as for full marks (the latest answer counts).
        return (lambda s: s.answers.get(item) == correct), "bool"
    option = node.args[1]
    if not isinstance(option, Ref):
        raise ExpressionError("picked() takes a question id and one of its option ids", option.offset)
    if option.name not in options:
        hint = _did_you_mean(option.name, options)
        raise ExpressionError(f"picked(): '{option.name}' is not an option of question '{item}'{hint}",
                              option.offset)
    picked = option.name
    return (lambda s: picked in s.answers.get(item, ())), "bool"


def _compile_call(node: Call, names: Names) -> tuple[Compiled, str]:
    if node.func in ("correct", "picked"):
        return _compile_answer_call(node, names)
    if node.func in ("visited", "chosen"):
        arg = node.args[0]
        pool = names.scenes if node.func == "visited" else names.choices
        what = "scene" if node.func == "visited" else "choice or question"
        if not isinstance(arg, Ref):
            raise ExpressionError(f"{node.func}() takes the id of a {what}", arg.offset)
        if arg.name not in pool:
            hint = _did_you_mean(arg.name, pool)
            raise ExpressionError(f"{node.func}(): unknown {what} '{arg.name}'{hint}", arg.offset)
        target = arg.name
        if node.func == "visited":
            return (lambda s: target in s.visited), "bool"
        return (lambda s: target in s.chosen), "bool"
    compiled: list[Number] = []
    for arg in node.args:
        fn, kind = _compile(arg, names)
        compiled.append(_as_number(fn, kind, arg, f"{node.func}()"))
    if node.func == "abs":
        (a,) = compiled
        return (lambda s: abs(a(s))), "number"
    a, b = compiled
    if node.func == "min":
        return (lambda s: min(a(s), b(s))), "number"
    return (lambda s: max(a(s), b(s))), "number"


def _compile_binary(node: Binary, names: Names) -> tuple[Compiled, str]:
    left, left_kind = _compile(node.left, names)
    right, right_kind = _compile(node.right, names)
    op = node.op
    if op in ("and", "or"):
        _require(left_kind, "bool", node.left, f"'{op}'")
        _require(right_kind, "bool", node.right, f"'{op}'")
        if op == "and":
            return (lambda s: left(s) and right(s)), "bool"
        return (lambda s: left(s) or right(s)), "bool"
    if op in ("==", "!="):
        if left_kind != right_kind:
            raise ExpressionError(
                f"cannot compare {_type_name(left_kind)} with {_type_name(right_kind)}", node.offset
            )
        _check_bounds(node, names)
        if op == "==":
            return (lambda s: left(s) == right(s)), "bool"
        return (lambda s: left(s) != right(s)), "bool"
    _require(left_kind, "number", node.left, f"'{op}'")
    _require(right_kind, "number", node.right, f"'{op}'")
    if op in ("<", "<=", ">", ">="):
        _check_bounds(node, names)
        return _COMPARE[op](left, right), "bool"
    if op == "/" and isinstance(node.right, Num) and node.right.value == 0:
        raise ExpressionError("division by zero", node.right.offset)
    return _ARITHMETIC[op](left, right), "number"


_COMPARE = {
    "<": lambda a, b: lambda s: a(s) < b(s),
    "<=": lambda a, b: lambda s: a(s) <= b(s),
    ">": lambda a, b: lambda s: a(s) > b(s),
    ">=": lambda a, b: lambda s: a(s) >= b(s),
}
_ARITHMETIC = {
    "+": lambda a, b: lambda s: a(s) + b(s),
    "-": lambda a, b: lambda s: a(s) - b(s),
    "*": lambda a, b: lambda s: a(s) * b(s),
    # A zero divisor at run time gives 0 rather than stopping the game mid-lesson.
    "/": lambda a, b: lambda s: (a(s) / d) if (d := b(s)) else 0.0,
}


def _check_bounds(node: Binary, names: Names) -> None:
    """A stat compared with a constant it can never reach is almost always a typo in units."""
    for ref, const in ((node.left, node.right), (node.right, node.left)):
        if isinstance(ref, Ref) and ref.name in names.stats and isinstance(const, Num):
            low, high = names.stats[ref.name]
            if not low <= const.value <= high:
                raise ExpressionError(
                    f"{const.value:g} is outside {ref.name}'s declared range {low:g} to {high:g}",
                    const.offset,
                )


def history_references(node) -> set[tuple[str, ...]]:
    """What a parsed expression looks back at: ('visited', scene), ('chosen', id), ('correct', question)
    and ('picked', question, option), one tuple for each such call inside it."""
    found, stack = set(), [node]
    while stack:
        node = stack.pop()
        if isinstance(node, Call):
            if node.func in HISTORY_FUNCTIONS and all(isinstance(arg, Ref) for arg in node.args):
                found.add((node.func, *(arg.name for arg in node.args)))
            else:
                stack.extend(node.args)
        elif isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, Assignment):
            stack.append(node.value)
    return found


def compile_condition(text: str, names: Names) -> Compiled:
    """Parse, check and compile a condition; raises ExpressionError."""
    fn, kind = _compile(parse_condition(text), names)
    if kind != "bool":
        raise ExpressionError("a condition must be true or false, e.g. 'calcium > 2.6', not a number")
    return fn


def compile_effect(text: str, names: Names) -> Callable[[State], None]:
    """Parse, check and compile an effect into a function that changes the state in place."""
    node = parse_effect(text)
    target, op = node.target, node.op
    value, kind = _compile(node.value, names)
    if target in names.flags:
        if op != "=":
            raise ExpressionError(f"'{target}' is a flag: set it with '= true' or '= false', not '{op}'", node.offset)
        truth = _as_truth(value, kind, node.value, f"flag '{target}'")

        def set_flag(s: State) -> None:
            s.flags[target] = truth(s)

        return set_flag
    if target not in names.stats:
        if target in TIME_NAMES:
            raise ExpressionError(f"'{target}' is the clock; move time with 'advance' instead", node.offset)
        hint = _did_you_mean(target, [*names.stats, *names.flags])
        raise ExpressionError(f"unknown stat or flag '{target}'{hint}", node.offset)
    number = _as_number(value, kind, node.value, f"stat '{target}'")
    low, high = names.stats[target]
    if op == "=" and isinstance(node.value, Num) and not low <= node.value.value <= high:
        raise ExpressionError(
            f"{node.value.value:g} is outside {target}'s declared range {low:g} to {high:g}", node.value.offset
        )
    if op == "/=" and isinstance(node.value, Num) and node.value.value == 0:
        raise ExpressionError("division by zero", node.value.offset)
    combine = {
        "=": lambda old, new: new,
        "+=": lambda old, new: old + new,
        "-=": lambda old, new: old - new,
        "*=": lambda old, new: old * new,
        "/=": lambda old, new: old / new if new else old,
    }[op]

    def set_stat(s: State) -> None:
        # Clamping keeps every stat inside its declared, physiologically sensible range.
        result = combine(s.stats[target], number(s))
        if result != result:  # NaN (from inf - inf, say): a stat must stay a number, keep the old one
            return
        s.stats[target] = low if result < low else high if result > high else result

    return set_stat
