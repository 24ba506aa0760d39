"""Checks that need the whole story: ids, cross-references, expressions, ways out.

The pydantic models have already checked each field's shape. Here every name is known,
so gotos, references and the names inside expressions can be checked, and every
expression is compiled once for the engine.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from .expressions import (
    RESERVED,
    Compiled,
    ExpressionError,
    Names,
    State,
    compile_condition,
    compile_effect,
    history_references,
    parse_condition,
    parse_effect,
)
from .model import BLANK_PATTERN, Scene, Story
from .problems import Severity, did_you_mean

RESUME = "resume"
# NGN sizes (item-writing.md): a matrix has 4 to 10 rows and 2 or 3 columns; a drop-down blank 3 to 5
# options; a cloze 1 to 3 blanks, a rationale item (dyad or triad) 2 or 3.
MATRIX_ROWS = (4, 10)
MATRIX_COLUMNS = (2, 3)
BLANK_OPTIONS = (3, 5)
BLANKS = {"cloze": (1, 3), "rationale": (2, 3)}
# A highlight's phrases (text or table): NGN highlight items offer a handful of selectable phrases, enough that
# selecting is a judgment and few enough to read in one note.
HIGHLIGHT_PHRASES = (4, 10)
# Drag-and-drop (item-writing.md): 4 to 10 tokens in the pool; slots of a cloze 1 to 5, of a rationale 2 or 3.
# An ordering item ranks 4 to 6 tokens.
DRAG_TOKENS = (4, 10)
SLOTS = {"drag_cloze": (1, 5), "drag_rationale": (2, 3)}
ORDERING_TOKENS = (4, 6)
# A bow-tie's lists: how many options each offers, and how many of them are right.
BOW_TIE_SIZES = {"condition": ((3, 5), 1), "actions": ((4, 6), 2), "parameters": ((4, 6), 2)}
# The fields of the items made of parts (and of the highlight), and the types each belongs to.
PARTS_FIELDS = {"columns": ("matrix", "matrix_multiple"), "rows": ("matrix", "matrix_multiple"),
                "text": ("cloze", "rationale", "highlight", "drag_cloze", "drag_rationale"),
                "blanks": ("cloze", "rationale"),
                "condition": ("bow_tie",), "actions": ("bow_tie",), "parameters": ("bow_tie",),
                "phrases": ("highlight",),
                "tokens": ("drag_cloze", "drag_rationale", "ordering"),
                "slots": ("drag_cloze", "drag_rationale")}
# Where an item made of parts keeps its answers, said to an author who left them out.
PARTS_HELP = {
    "matrix": "`columns` (2 or 3) and `rows` (4 to 10), each row naming its right column under `correct`",
    "matrix_multiple": "`columns` (2 or 3) and `rows` (4 to 10), each row listing its right columns under `correct`",
    "cloze": "`blanks` (1 to 3), each with 3 to 5 options, and a `text` that shows where each goes as {blank_id} "
             "(or, for a drop-down table, no text and a `label` on each blank)",
    "rationale": "`text` with 2 or 3 blanks written as {blank_id} ('The nurse should {action} because {reason}.') "
                 "and `blanks`, each with 3 to 5 options",
    "bow_tie": "`condition` (3 to 5 options, 1 right), `actions` (4 to 6, 2 right) and `parameters` (4 to 6, "
               "2 right), each with its options and a rationale",
    "highlight": "`phrases` (4 to 10, at least one right and not all), each with its rationale, and a `text` that "
                 "shows where each sits as {phrase_id} (or, for a highlight table, no text and a `label` on each "
                 "phrase)",
    "drag_cloze": "a `text` with its slots written as {slot_id}, `slots` (1 to 5), each naming its right token "
                  "under `correct`, and `tokens` (4 to 10, some of them distractors)",
    "drag_rationale": "a `text` with 2 or 3 slots written as {slot_id} ('The nurse should {action} because "
                      "{reason}.'), `slots`, each naming its right token under `correct`, and `tokens` (4 to 10)",
    "ordering": "`tokens` (4 to 6), written in the right order, each with a rationale saying why it comes there",
}
# Far more than any lesson needs (the curriculum's largest has under a hundred); the tools that
# play every journey, and the game's story picker, stay quick below it.
MAX_SCENES = 5_000


@dataclass(frozen=True)
class Finding:
    path: tuple
    message: str
    severity: Severity = "error"
    at_key: bool = False
    offset: int | None = None  # character offset inside an expression


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    conditions: dict[str, Compiled] = field(default_factory=dict)
    effects: dict[str, Callable[[State], None]] = field(default_factory=dict)
    main_scenes: frozenset[str] = frozenset()
    # What of the journey's history can change what happens next: scenes named in visited() and
    # scenes whose entry runs once that can be entered again, choices named in chosen() and once-only
    # choices, questions named in correct() or picked(). Exploration keys states on these only.
    watched_scenes: frozenset[str] = frozenset()
    watched_choices: frozenset[str] = frozenset()
    watched_questions: frozenset[str] = frozenset()
    # question id -> (the options whose picking changes what follows, whether being right does),
    # for the questions whose answer changes the story; the tools explore one answer of each kind.
    answer_matters: dict[str, tuple[frozenset[str], bool]] = field(default_factory=dict)


FieldPath = tuple[str | int, ...]  # where in the story file: keys and list positions


def _on_cycles(graph: dict[str, set[str]]) -> set[str]:
    """The nodes of `graph` that lie on a cycle (Kosaraju's strongly connected components, iteratively:
    a story of thousands of scenes would overflow recursion)."""
    finished: list[str] = []
    seen: set[str] = set()
    for root in graph:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(graph[root]))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in seen), None)
            if child is None:
                stack.pop()
                finished.append(node)
            else:
                seen.add(child)
                stack.append((child, iter(graph[child])))
    reverse: dict[str, set[str]] = {node: set() for node in graph}
    for node, targets in graph.items():
        for target in targets:
            reverse[target].add(node)
    found: set[str] = set()
    assigned: set[str] = set()
    for root in reversed(finished):
        if root in assigned:
            continue
        component, todo = [root], [root]
        assigned.add(root)
        while todo:
            for parent in reverse[todo.pop()]:
                if parent not in assigned:
                    assigned.add(parent)
                    component.append(parent)
                    todo.append(parent)
        if len(component) > 1 or root in graph[root]:
            found.update(component)
    return found


def reenterable_scenes(story: Story) -> set[str]:
    """Scenes a journey may enter more than once: a sure superset (conditions are not read).

    Those on a cycle of gotos and routes, and every scene from which an event's scene on leads,
    the event scenes included: an event can interrupt after any scene, so anything after it may
    come round again. A `resume` returns to a scene the journey was heading for anyway.
    """
    scenes = story.scenes
    graph = {name: {t for _, t in scene_exits(scene) if t in scenes} for name, scene in scenes.items()}
    found = _on_cycles(graph)
    todo = [event.scene for event in story.events if event.scene in scenes]
    after_events: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in after_events:
            after_events.add(name)
            todo.extend(graph[name])
    return found | {name for name in after_events if scenes[name].ending is None}


def scene_exits(scene: Scene) -> list[tuple[FieldPath, str]]:
    """Every (relative path, target) a scene can go to."""
    exits: list[tuple[FieldPath, str]] = []
    for i, route in enumerate(scene.next or ()):
        exits.append((("next", i, "goto"), route.goto))
    if scene.question:
        exits.append((("question", "goto"), scene.question.goto))
    for i, choice in enumerate(scene.choices or ()):
        if choice.goto:
            exits.append((("choices", i, "goto"), choice.goto))
        for j, outcome in enumerate(choice.chance or ()):
            if outcome.goto:
                exits.append((("choices", i, "chance", j, "goto"), outcome.goto))
    return exits


class _Checker:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.result = CheckResult()
        choice_ids = [c.id for s in story.scenes.values() for c in s.choices or ()]
        choice_ids += [s.question.id for s in story.scenes.values() if s.question]
        self.names = Names(
            stats={name: (stat.min, stat.max) for name, stat in story.stats.items()},
            flags=set(story.flags),
            scenes=set(story.scenes),
            choices=set(choice_ids),
            questions={
                s.question.id: (tuple(unit.id for unit in s.question.units), s.question.correct_units)
                for s in story.scenes.values() if s.question
            },
        )

    def add(self, path: tuple, message: str, **kwargs) -> None:
        self.result.findings.append(Finding(path, message, **kwargs))

    def run(self) -> CheckResult:
        self.check_declarations()
        self.check_ids()
        self.check_scenes()
        self.check_rules()
        self.check_references()
        self.check_resume()
        self.check_walkthroughs()
        self.watch_history()
        return self.result

    def watch_history(self) -> None:
        calls: set[tuple[str, ...]] = set()
        # A paragraph's condition is watched too: `check` reports a paragraph no journey shows.
        for text in self.result.conditions:
            calls |= history_references(parse_condition(text))
        for text in self.result.effects:
            calls |= history_references(parse_effect(text))
        scenes = self.story.scenes
        once = {c.id for s in scenes.values() for c in s.choices or () if c.once}
        # A scene whose entry runs once behaves differently the second time: where that can happen,
        # whether it was visited is part of what decides the future.
        entry_once = {name for name, s in scenes.items() if (s.advance or s.on_enter) and s.repeat != "every_entry"}
        result = self.result
        result.watched_scenes = frozenset({call[1] for call in calls if call[0] == "visited"}
                                          | (entry_once & reenterable_scenes(self.story)))
        result.watched_choices = frozenset(call[1] for call in calls if call[0] == "chosen") | once
        result.watched_questions = frozenset(call[1] for call in calls if call[0] in ("correct", "picked"))
        for scene in scenes.values():
            question = scene.question
            if question is None:
                continue
            relevant = {o.id for o in question.options if o.effects}
            relevant |= {call[2] for call in calls if call[0] == "picked" and call[1] == question.id}
            rightness = bool(question.on_correct or question.on_incorrect) or ("correct", question.id) in calls
            if relevant or rightness:
                result.answer_matters[question.id] = (frozenset(relevant), rightness)

    # --- declarations --------------------------------------------------------------------

    def check_declarations(self) -> None:
        story = self.story
        for kind in ("stats", "flags", "scenes"):
            for name in getattr(story, kind):
                if name in RESERVED:
                    self.add((kind, name), f"'{name}' is a reserved word in expressions; choose another name",
                             at_key=True)
        for name in set(story.stats) & set(story.flags):
            self.add(("flags", name), f"'{name}' is declared both as a stat and as a flag", at_key=True)
        for name, stat in story.stats.items():
            path = ("stats", name)
            if stat.min >= stat.max:
                self.add(path + ("max",), f"max ({stat.max:g}) must be greater than min ({stat.min:g})")
                continue
            if not stat.min <= stat.start <= stat.max:
                self.add(path + ("start",), f"start {stat.start:g} is outside the declared range "
                                            f"{stat.min:g} to {stat.max:g}")
            if stat.normal:
                low, high = stat.normal
                if low > high:
                    self.add(path + ("normal",), "the normal range is written [low, high]; low is above high")
                elif low < stat.min or high > stat.max:
                    self.add(path + ("normal",), f"the normal range {low:g} to {high:g} goes outside the "
                                                 f"declared range {stat.min:g} to {stat.max:g}")
            if stat.critical:
                self._check_critical(path + ("critical",), stat)
        self._check_scene_count(story)

    def _check_critical(self, path: tuple, stat) -> None:
        """Critical limits lie outside the normal range: a critical value is also an abnormal one."""
        low, high = stat.critical
        normal_low, normal_high = stat.normal or (None, None)
        if low is not None and normal_low is not None and low > normal_low:
            self.add(path, f"the critical low {low:g} is above the normal range's low {normal_low:g}: a critical "
                           f"value must also be abnormal")
        if high is not None and normal_high is not None and high < normal_high:
            self.add(path, f"the critical high {high:g} is below the normal range's high {normal_high:g}: a "
                           f"critical value must also be abnormal")
        if low is not None and high is not None and low >= high:
            self.add(path, "critical limits are written [low, high]; low must be below high")

    def _check_scene_count(self, story) -> None:
        if len(story.scenes) > MAX_SCENES:
            self.add(("scenes",), f"the story has {len(story.scenes):,} scenes (with its fragments); a story may "
                                  f"have at most {MAX_SCENES:,}: split it into several stories", at_key=True)
        if not story.scenes:
            self.add(("scenes",), "the story has no scenes")
        elif story.start not in story.scenes:
            self.add(("start",), f"start scene '{story.start}' does not exist"
                                 f"{did_you_mean(story.start, story.scenes)}")

    def check_ids(self) -> None:
        seen: dict[str, tuple] = {}
        for scene_id, scene in self.story.scenes.items():
            items: list[tuple[FieldPath, str]] = [
                (("scenes", scene_id, "choices", i, "id"), c.id) for i, c in enumerate(scene.choices or ())
            ]
            if scene.question:
                items.append((("scenes", scene_id, "question", "id"), scene.question.id))
            for path, ident in items:
                if ident in seen:
                    first = seen[ident]
                    self.add(path, f"id '{ident}' is already used by a choice or question in scene "
                                   f"'{first[1]}'; choice and question ids must be unique in the story")
                else:
                    seen[ident] = path
        for kind in ("objectives", "dynamics", "events"):
            used: set[str] = set()
            for i, item in enumerate(getattr(self.story, kind)):
                if item.id in used:
                    self.add((kind, i, "id"), f"id '{item.id}' appears twice in {kind}")
                used.add(item.id)

    # --- scenes --------------------------------------------------------------------------

    def check_scenes(self) -> None:
        scenes = self.story.scenes
        for scene_id, scene in scenes.items():
            path = ("scenes", scene_id)
            ways = [name for name in ("choices", "next", "question", "ending") if getattr(scene, name)]
            if not ways:
                self.add(path, f"scene '{scene_id}' has no way out: give it choices, a next scene or a "
                               "question, or make it an ending", at_key=True)
            elif len(ways) > 1:
                self.add(path, f"scene '{scene_id}' has both {ways[0]} and {ways[1]}; a scene has exactly "
                               "one of choices, next, question or ending", at_key=True)
            for rel, target in scene_exits(scene):
                if target != RESUME and target not in scenes:
                    self.add(path + rel, f"goto: unknown scene '{target}'{did_you_mean(target, scenes)}")
            for i, effect in enumerate(scene.on_enter):
                self.effect(path + ("on_enter", i), effect)
            self.check_text(path + ("text",), scene)
            if scene.order == "fixed" and not scene.choices:
                where = "put `order: fixed` under the question" if scene.question else "remove it"
                self.add(path + ("order",), f"order applies to a scene's choices, and scene '{scene_id}' has none; "
                                            f"{where}")
            self.check_routes(path + ("next",), scene.next or [])
            for i, choice in enumerate(scene.choices or ()):
                self.check_choice(path + ("choices", i), choice)
            if scene.question:
                self.check_question(path + ("question",), scene.question)

    def check_text(self, path: tuple, scene: Scene) -> None:
        """The conditions of a scene's paragraphs; a lone text (not a list) has none."""
        for i, block in enumerate(scene.text):
            if block.condition is not None:
                self.condition(path + (i, "if"), block.condition)
            elif block.otherwise:
                self.add(path + (i, "else"), "'else' is shown when the paragraph's 'if' does not hold, and this "
                                             "paragraph has no 'if': add one, or remove the 'else'")

    def check_routes(self, path: tuple, routes) -> None:
        for i, route in enumerate(routes):
            if route.condition is not None:
                self.condition(path + (i, "if"), route.condition)
        if routes and routes[-1].condition is not None:
            self.add(path + (len(routes) - 1,), "the last route must have no 'if', so there is always a way on")

    def check_choice(self, path: tuple, choice) -> None:
        if choice.condition is not None:
            self.condition(path + ("if",), choice.condition)
        elif choice.disabled_reason:
            self.add(path + ("disabled_reason",), "disabled_reason only applies to a choice with an 'if' condition")
        for i, effect in enumerate(choice.effects):
            self.effect(path + ("effects", i), effect)
        for j, outcome in enumerate(choice.chance or ()):
            for i, effect in enumerate(outcome.effects):
                self.effect(path + ("chance", j, "effects", i), effect)
            if not outcome.goto and not choice.goto:
                self.add(path + ("chance", j), "this chance outcome has no goto, and neither has its choice")
        if not choice.goto and not choice.chance:
            self.add(path, f"choice '{choice.id}' has no goto: say which scene comes next")
        self.check_objectives(path + ("objectives",), choice.objectives)

    def check_question(self, path: tuple, question) -> None:
        for name, types in PARTS_FIELDS.items():
            if getattr(question, name) is not None and question.type not in types:
                listed = " and ".join((", ".join(types[:-1]), types[-1])) if len(types) > 1 else types[0]
                self.add(path + (name,), f"`{name}` is only for {listed} questions; this one is {question.type}")
        if question.has_parts:
            self.check_parts(path, question)
        elif question.type == "highlight":
            self.check_highlight(path, question)
        elif len(question.options) < 2:
            self.add(path + ("options",), f"a {question.type} question needs at least two options under `options`")
        correct = sum(option.correct for option in question.options)
        if question.type == "single_best" and correct != 1:
            self.add(path + ("options",), f"a single_best question needs exactly one correct option, found {correct}")
        if question.type == "select_all" and correct == 0:
            self.add(path + ("options",), "a select_all question needs at least one correct option")
        if question.type == "select_n":
            if question.select is None:
                self.add(path + ("type",), "a select_n question says how many options to pick: add `select: 3` "
                                          "(or the number it asks for)")
            elif correct != question.select:
                self.add(path + ("select",), f"the question asks to select {question.select} but has {correct} "
                                            f"correct options: a select_n question has exactly that many")
            elif len(question.options) < question.select + 2:
                self.add(path + ("options",), f"to select {question.select}, write at least {question.select + 2} "
                                             f"options, so that picking is a judgment")
        elif question.select is not None:
            self.add(path + ("select",), f"`select` is only for select_n questions; this one is {question.type}")
        if question.exhibit is not None:
            stats = self.story.stats
            for k, name in enumerate(question.exhibit.trend):
                if name not in stats:
                    self.add(path + ("exhibit", "trend", k), f"the trend shows stat '{name}', which the story does not "
                                                              f"have{did_you_mean(name, stats)}")
                elif not stats[name].visible:
                    self.add(path + ("exhibit", "trend", k), f"stat '{name}' is hidden from the chart "
                                                              f"(visible: false): a trend must not reveal it")
        used: set[str] = set()
        for i, option in enumerate(question.options):
            if option.id in used:
                self.add(path + ("options", i, "id"), f"option id '{option.id}' appears twice in this question")
            used.add(option.id)
            for j, effect in enumerate(option.effects):
                self.effect(path + ("options", i, "effects", j), effect)
        for name in ("on_correct", "on_incorrect"):
            for i, effect in enumerate(getattr(question, name)):
                self.effect(path + (name, i), effect)
        self.check_objectives(path + ("objectives",), question.objectives)

    def check_parts(self, path: tuple, question) -> None:
        """An NGN item made of parts: its sizes (item-writing.md), ids, and right answers."""
        if question.options:
            self.add(path + ("options",), f"a {question.type} question has no `options`: "
                                          f"{PARTS_HELP[question.type]}")
        if question.type in ("matrix", "matrix_multiple"):
            self.check_matrix(path, question)
        elif question.type == "bow_tie":
            self.check_bow_tie(path, question)
        elif question.type == "ordering":
            self.check_ordering(path, question)
        elif question.pool:
            self.check_slots(path, question)
        else:
            self.check_blanks(path, question)

    def check_bow_tie(self, path: tuple, question) -> None:
        """A bow-tie's three lists: each there, of its NGN size, with its number of right options."""
        missing = [name for name in BOW_TIE_SIZES if getattr(question, name) is None]
        if missing:
            self.add(path + ("type",), f"a bow_tie question needs {PARTS_HELP['bow_tie']}; "
                                      f"missing: {', '.join(missing)}")
        for name, ((low, high), right) in BOW_TIE_SIZES.items():
            given = getattr(question, name)
            if given is None:
                continue
            where = path + (name, "options")
            if not low <= len(given.options) <= high:
                self.add(where, f"a bow-tie's {name} list has {low} to {high} options, found {len(given.options)}")
            count = sum(option.correct for option in given.options)
            if count != right:
                self.add(where, f"a bow-tie's {name} list has {right} right option{'s' if right != 1 else ''} "
                                f"(`correct: true`), found {count}")
            self.unique_ids(where, given.options, f"{name} option")

    def check_ordering(self, path: tuple, question) -> None:
        """An ordering item: 4 to 6 tokens with their own ids and rationales, never shown in the written order."""
        tokens = question.tokens
        if tokens is None:
            self.add(path + ("type",), f"an ordering question needs {PARTS_HELP['ordering']}")
            return
        low, high = ORDERING_TOKENS
        if not low <= len(tokens) <= high:
            self.add(path + ("tokens",), f"an ordering question ranks {low} to {high} tokens (NGN sizes), found "
                                         f"{len(tokens)}")
        self.unique_ids(path + ("tokens",), tokens, "token")
        for i, token in enumerate(tokens):
            if not token.rationale.strip():
                self.add(path + ("tokens", i), f"token '{token.id}' has no rationale: say why it comes at place "
                                               f"{i + 1}, the learner reads it in the feedback", at_key=True)
        if question.order == "fixed":
            self.add(path + ("order",), "an ordering question's tokens are written in the right order, so "
                                        "`order: fixed` would show the answer; remove it (the player shuffles them)")

    def check_slots(self, path: tuple, question) -> None:
        """A drag-and-drop cloze or rationale: its pool of tokens, its slots, each slot's right token, the text."""
        tokens, slots, text = question.tokens, question.slots, question.text
        if tokens is None or slots is None or text is None:
            self.add(path + ("type",), f"a {question.type} question needs {PARTS_HELP[question.type]}")
            return
        low, high = DRAG_TOKENS
        if not low <= len(tokens) <= high:
            self.add(path + ("tokens",), f"a drag-and-drop pool has {low} to {high} tokens (NGN sizes), found "
                                         f"{len(tokens)}")
        low, high = SLOTS[question.type]
        if not low <= len(slots) <= high:
            self.add(path + ("slots",), f"a {question.type} question has {low} to {high} slots, found {len(slots)}")
        elif len(tokens) <= len(slots):
            self.add(path + ("tokens",), f"the pool has {len(tokens)} tokens for {len(slots)} slots: add distractors, "
                                         "so that the last slot is not filled by the token left over")
        self.unique_ids(path + ("tokens",), tokens, "token")
        self.unique_ids(path + ("slots",), slots, "slot")
        known = [token.id for token in tokens]
        right_for: dict[str, str] = {}
        for i, slot in enumerate(slots):
            where = path + ("slots", i, "correct")
            if slot.correct not in known:
                self.add(where, f"slot '{slot.id}' names token '{slot.correct}' as right, which the pool does not "
                                f"have{did_you_mean(slot.correct, known)}")
            elif slot.correct in right_for:
                self.add(where, f"token '{slot.correct}' is right for slot '{right_for[slot.correct]}' and for slot "
                                f"'{slot.id}', but each token goes in one slot only: give this slot a token of "
                                "its own")
            else:
                right_for[slot.correct] = slot.id
        self.check_passage(path + ("text",), text, [slot.id for slot in slots], "slot")

    def check_blanks(self, path: tuple, question) -> None:
        """A drop-down cloze or table, or a rationale item: its blanks, their options, and the text they sit in."""
        blanks, text = question.blanks, question.text
        if blanks is None or (text is None and question.type == "rationale"):
            self.add(path + ("type",), f"a {question.type} question needs {PARTS_HELP[question.type]}")
            return
        low, high = BLANKS[question.type]
        if not low <= len(blanks) <= high:
            self.add(path + ("blanks",), f"a {question.type} question has {low} to {high} blanks, found {len(blanks)}")
        self.unique_ids(path + ("blanks",), blanks, "blank")
        for i, blank in enumerate(blanks):
            where = path + ("blanks", i)
            if not BLANK_OPTIONS[0] <= len(blank.options) <= BLANK_OPTIONS[1]:
                self.add(where + ("options",), f"blank '{blank.id}' has {len(blank.options)} options: a drop-down "
                                               "has 3 to 5 (NGN sizes)")
            right = sum(option.correct for option in blank.options)
            if right != 1:
                self.add(where + ("options",), f"blank '{blank.id}' has {right} right options: mark exactly one "
                                               "`correct: true`")
            used: set[str] = set()
            for k, option in enumerate(blank.options):
                if option.id in used:
                    self.add(where + ("options", k, "id"), f"option id '{option.id}' appears twice in blank "
                                                           f"'{blank.id}'")
                used.add(option.id)
            if text is None and not blank.label.strip():
                self.add(where, f"blank '{blank.id}' has no label: a drop-down table (a cloze without `text`) "
                                "shows each blank as a row with its label", at_key=True)
        if text is not None:
            self.check_passage(path + ("text",), text, [blank.id for blank in blanks])

    def check_passage(self, path: tuple, text: str, blanks: list[str], noun: str = "blank") -> None:
        """Each blank (a slot, a highlight's phrase) sits in the text once, and the text names none the question
        does not have."""
        named = BLANK_PATTERN.findall(text)
        for name in dict.fromkeys(named):
            if name not in blanks:
                self.add(path, f"the text has {{{name}}}, but the question has no {noun} '{name}'"
                               f"{did_you_mean(name, blanks)}")
            elif named.count(name) > 1:
                self.add(path, f"the text has {{{name}}} {named.count(name)} times: each {noun} sits in one place")
        for name in blanks:
            if name not in named:
                self.add(path, f"{noun} '{name}' does not appear in the text: write {{{name}}} where it goes")

    def check_highlight(self, path: tuple, question) -> None:
        """A highlight's phrases: their NGN number, some right and some not, and where each sits (in the note,
        or as a labelled row of a table)."""
        if question.options:
            self.add(path + ("options",), "a highlight question has no `options`: write what the learner can "
                                          "select under `phrases`")
        phrases, text = question.phrases, question.text
        if phrases is None:
            self.add(path + ("type",), f"a highlight question needs {PARTS_HELP['highlight']}")
            return
        low, high = HIGHLIGHT_PHRASES
        if not low <= len(phrases) <= high:
            self.add(path + ("phrases",), f"a highlight has {low} to {high} phrases to select from (NGN sizes), "
                                          f"found {len(phrases)}")
        right = sum(phrase.correct for phrase in phrases)
        if right == 0:
            self.add(path + ("phrases",), "no phrase of this highlight is right: mark the ones that matter "
                                          "`correct: true`")
        elif right == len(phrases) and phrases:
            self.add(path + ("phrases",), "every phrase of this highlight is right, so selecting everything "
                                          "scores full marks: add phrases that do not matter")
        self.unique_ids(path + ("phrases",), phrases, "phrase")
        for i, phrase in enumerate(phrases):
            if text is None and not phrase.label.strip():
                self.add(path + ("phrases", i), f"phrase '{phrase.id}' has no label: a highlight table (a "
                                                "highlight without `text`) shows each phrase as a row with its "
                                                "label, e.g. `label: Neutrophils`", at_key=True)
            elif text is not None and phrase.label:
                self.add(path + ("phrases", i, "label"), f"phrase '{phrase.id}' has a label, which only a "
                                                         "highlight table (without `text`) shows: remove it, or "
                                                         "write the words into the text")
        if text is not None:
            self.check_passage(path + ("text",), text, [phrase.id for phrase in phrases], "phrase")

    def check_matrix(self, path: tuple, question) -> None:
        columns, rows = question.columns, question.rows
        if columns is None or rows is None:
            self.add(path + ("type",), f"a {question.type} question needs {PARTS_HELP[question.type]}")
            return
        if not MATRIX_COLUMNS[0] <= len(columns) <= MATRIX_COLUMNS[1]:
            self.add(path + ("columns",), f"a matrix has 2 or 3 columns (NGN sizes), found {len(columns)}")
        if not MATRIX_ROWS[0] <= len(rows) <= MATRIX_ROWS[1]:
            self.add(path + ("rows",), f"a matrix has 4 to 10 rows (NGN sizes), found {len(rows)}")
        self.unique_ids(path + ("columns",), columns, "column")
        self.unique_ids(path + ("rows",), rows, "row")
        known = [column.id for column in columns]
        single = question.type == "matrix"
        for i, row in enumerate(rows):
            where = path + ("rows", i, "correct")
            for k, column in enumerate(row.correct):
                if column not in known:
                    self.add(where + (k,), f"row '{row.id}' names column '{column}', which this question does not "
                                           f"have{did_you_mean(column, known)}")
            if single and len(row.correct) != 1:
                self.add(where, f"row '{row.id}' has {len(row.correct)} right columns: a matrix row has exactly one "
                                "(for several, make the question matrix_multiple)")
            elif not row.correct:
                self.add(where, f"row '{row.id}' has no right column: a matrix_multiple row has at least one")
        if not single and rows and columns and all(set(known) <= set(row.correct) for row in rows):
            self.add(path + ("rows",), "every cell of this matrix is right, so ticking everything scores full "
                                       "marks: make some cells wrong")
        elif not single and rows:
            # Each column is scored on its own (+/- per column, never below 0), so a column right in every row
            # gives its points to whoever ticks it top to bottom.
            for k, column in enumerate(columns):
                if all(column.id in row.correct for row in rows):
                    self.add(path + ("columns", k), f"column '{column.id}' is right in every row, so ticking the "
                                                    "whole column earns its points without judging a row: make "
                                                    "some of its cells wrong")

    def unique_ids(self, path: tuple, items, what: str) -> None:
        used: set[str] = set()
        for i, item in enumerate(items):
            if item.id in used:
                self.add(path + (i, "id"), f"{what} id '{item.id}' appears twice in this question")
            used.add(item.id)

    def check_objectives(self, path: tuple, objectives: list[str]) -> None:
        known = [o.id for o in self.story.objectives]
        for i, objective in enumerate(objectives):
            if objective not in known:
                self.add(path + (i,), f"unknown objective '{objective}'{did_you_mean(objective, known)}")

    # --- time rules and events -------------------------------------------------------------

    def check_rules(self) -> None:
        for i, rule in enumerate(self.story.dynamics):
            self.condition(("dynamics", i, "while"), rule.condition)
            for j, effect in enumerate(rule.effects):
                self.effect(("dynamics", i, "effects", j), effect)
        for i, event in enumerate(self.story.events):
            self.condition(("events", i, "when"), event.when)
            if event.scene not in self.story.scenes:
                self.add(("events", i, "scene"), f"unknown scene '{event.scene}'"
                                                 f"{did_you_mean(event.scene, self.story.scenes)}")

    def condition(self, path: tuple, text: str) -> None:
        if text in self.result.conditions:
            return
        try:
            self.result.conditions[text] = compile_condition(text, self.names)
        except ExpressionError as error:
            self.add(path, error.message, offset=error.offset)

    def effect(self, path: tuple, text: str) -> None:
        if text in self.result.effects:
            return
        try:
            self.result.effects[text] = compile_effect(text, self.names)
        except ExpressionError as error:
            self.add(path, error.message, offset=error.offset)

    # --- references and governance --------------------------------------------------------

    def check_references(self) -> None:
        story = self.story
        cited: set[str] = set()
        served: set[str] = set()
        for scene_id, scene in story.scenes.items():
            lists: list[tuple[FieldPath, list[str]]] = [
                (("choices", i, "feedback", "references"), c.feedback.references)
                for i, c in enumerate(scene.choices or ())
            ]
            served.update(o for c in scene.choices or () for o in c.objectives)
            if scene.question:
                lists.append((("question", "references"), scene.question.references))
                served.update(scene.question.objectives)
            for rel, refs in lists:
                for k, ref in enumerate(refs):
                    cited.add(ref)
                    if ref not in story.references:
                        self.add(("scenes", scene_id) + rel + (k,),
                                 f"unknown reference '{ref}'{did_you_mean(ref, story.references)}")
        for ref in story.references:
            if ref not in cited:
                self.add(("references", ref), f"reference '{ref}' is never cited", severity="warning", at_key=True)
        for i, objective in enumerate(story.objectives):
            if objective.id not in served:
                self.add(("objectives", i), f"objective '{objective.id}' is not served by any choice or question",
                         severity="warning")

    # --- resume ---------------------------------------------------------------------------

    def check_resume(self) -> None:
        """`goto: resume` is only meaningful after an event interrupted the journey."""
        scenes = self.story.scenes
        if self.story.start not in scenes:
            return
        main = {self.story.start}
        queue = deque(main)
        while queue:
            for _, target in scene_exits(scenes[queue.popleft()]):
                if target in scenes and target not in main:
                    main.add(target)
                    queue.append(target)
        self.result.main_scenes = frozenset(main)
        for scene_id in sorted(main):
            for rel, target in scene_exits(scenes[scene_id]):
                if target == RESUME:
                    self.add(("scenes", scene_id) + rel,
                             "'resume' returns from an event, but this scene can be reached without one; "
                             "use resume only in scenes that events lead to")


    # --- walkthroughs --------------------------------------------------------------------

    def check_walkthroughs(self) -> None:
        """Every id a walkthrough names exists and is used the way it was written.

        Warnings, not errors: a walkthrough is a test of the story, so a renamed choice must not stop
        the story from loading and playing; `mmjourney test` reports the walkthrough as failed.
        """
        scenes = self.story.scenes
        choices = {c.id: c for s in scenes.values() for c in s.choices or ()}
        questions = {s.question.id: s.question for s in scenes.values() if s.question}
        names: set[str] = set()
        for i, walk in enumerate(self.story.walkthroughs):
            path = ("walkthroughs", i)
            if walk.name in names:
                self.warn(path + ("name",), f"two walkthroughs are called '{walk.name}'; give each its own name")
            names.add(walk.name)
            if walk.ending not in scenes:
                self.warn(path + ("ending",), f"unknown scene '{walk.ending}'{did_you_mean(walk.ending, scenes)}")
            elif scenes[walk.ending].ending is None:
                endings = [name for name, scene in scenes.items() if scene.ending]
                self.warn(path + ("ending",), f"scene '{walk.ending}' is not an ending; the expected ending is "
                                               f"one of: {', '.join(endings) or '(none)'}")
            if walk.score is not None:
                low, high = walk.score
                if not 0 <= low <= high <= 100:
                    self.warn(path + ("score",), "score is written [lowest, highest] in percent, each from 0 to "
                                                  f"100, lowest first; found [{low:g}, {high:g}]")
            for j, step in enumerate(walk.choices):
                here = self.step_scenes(walk.choices[j - 1] if j else None, choices, questions)
                self.check_walk_step(path + ("choices", j), step, choices, questions, here)

    def warn(self, path: tuple, message: str, **kwargs) -> None:
        self.add(path, message, severity="warning", **kwargs)

    def step_scenes(self, before, choices: dict, questions: dict) -> set[str] | None:
        """The scenes a walkthrough's step can be taken in, read from the step before it (its gotos, then any
        pages that continue by themselves); None when the step before does not say (an unknown id, `resume`).
        Events that interrupt are not followed: this is for suggesting a name, not for judging a path."""
        scenes = self.story.scenes
        if before is None:
            todo = [self.story.start]
        elif before.id in questions:
            todo = [questions[before.id].goto]
        elif before.id in choices:
            choice = choices[before.id]
            todo = [choice.goto, *(outcome.goto for outcome in choice.chance or ())]
        else:
            return None
        found: set[str] = set()
        while todo:
            name = todo.pop()
            if name is None or name in found:
                continue
            if name not in scenes:
                return None
            found.add(name)
            todo.extend(route.goto for route in scenes[name].next or ())
        return found

    def check_walk_order(self, key: tuple, step, question) -> None:
        """A walkthrough's answer to an ordering item: every token once, first to last."""
        tokens = [token.id for token in question.tokens or ()]
        for k, token in enumerate(step.options):
            if token not in tokens:
                self.warn(key + (k,), f"'{token}' is not a token of question '{step.id}': list the tokens by id, "
                                      f"first to last{did_you_mean(token, tokens)}")
            elif step.options.index(token) < k:
                self.warn(key + (k,), f"question '{step.id}': token '{token}' is listed twice; each has one place")
        if len(step.options) != len(tokens):
            self.warn(key, f"question '{step.id}' ranks {len(tokens)} tokens: list each once, first to last, found "
                           f"{len(step.options)}")

    def check_walk_parts(self, key: tuple, step, question) -> None:
        """A walkthrough's answer to an item made of parts: each pick 'part:option', the right number per part,
        a drag-and-drop token in one slot at most."""
        if question.type == "ordering":
            self.check_walk_order(key, step, question)
            return
        known = [unit.id for unit in question.units]
        example = known[0] if known else "part:option"
        for k, unit in enumerate(step.options):
            if unit not in known:
                self.warn(key + (k,), f"'{unit}' is not an answer of question '{step.id}': write each pick as "
                                      f"{question.part_noun}:option, e.g. '{example}'{did_you_mean(unit, known)}")
        by_part = question.picks_by_part(step.options)
        for part in question.parts:
            count = len(by_part[part.id])
            if part.picks is not None and count != part.picks:
                self.warn(key, f"question '{step.id}': {question.part_noun} '{part.id}' takes {part.picks} "
                               f"answer{'s' if part.picks != 1 else ''}, found {count}")
        if question.pool:
            placed = [option for options in by_part.values() for option in options]
            for token in sorted({token for token in placed if placed.count(token) > 1}):
                self.warn(key, f"question '{step.id}': token '{token}' is placed in {placed.count(token)} slots; "
                               "each token goes in one slot at most")

    def check_walk_step(self, path: tuple, step, choices: dict, questions: dict, here: set[str] | None) -> None:
        """One step; an unknown id gets a suggestion only from the scenes the step can be taken in."""
        key = path + (step.id,)
        if step.id in questions:
            question = questions[step.id]
            if step.outcome is not None:
                self.warn(key, f"'{step.id}' is a question, and questions have no chance outcomes")
            elif step.options is None:
                self.warn(path, f"'{step.id}' is a question: write the answer too, e.g. "
                                f"`- {step.id}: {walk_example(question)}`")
            elif question.has_parts:
                self.check_walk_parts(key, step, question)
            else:
                known = [o.id for o in question.selectable]
                for k, option in enumerate(step.options):
                    if option not in known:
                        self.warn(key + (k,), f"'{option}' is not an option of question '{step.id}'"
                                              f"{did_you_mean(option, known)}")
                if question.type == "single_best" and len(step.options) != 1:
                    self.warn(key, f"question '{step.id}' is single best answer: pick exactly one option, "
                                   f"found {len(step.options)}")
                if question.type == "select_n" and question.select and len(step.options) != question.select:
                    self.warn(key, f"question '{step.id}' asks to select {question.select}: pick exactly "
                                   f"{question.select} options, found {len(step.options)}")
        elif step.id in choices:
            choice = choices[step.id]
            if step.options is not None:
                self.warn(key, f"'{step.id}' is a choice, not a question: write just `- {step.id}`")
            elif step.outcome is not None and not choice.chance:
                self.warn(key + ("outcome",), f"choice '{step.id}' has no chance outcomes to pick from")
            elif step.outcome is not None and step.outcome > len(choice.chance):
                count = len(choice.chance)
                self.warn(key + ("outcome",), f"choice '{step.id}' has {count} chance outcome"
                                              f"{'s' if count != 1 else ''}; outcome {step.outcome} does not exist")
        else:
            due = [self.story.scenes[name] for name in sorted(here or ())]
            near = [c.id for scene in due for c in scene.choices or ()]
            near += [scene.question.id for scene in due if scene.question is not None]
            self.warn(key, f"unknown choice or question '{step.id}'{did_you_mean(step.id, near)}", at_key=True)


def walk_example(question) -> str:
    """How a walkthrough answers `question`, with its first ids: an option, '[part:option, ...]', or an ordering
    item's tokens first to last."""
    if question.type == "ordering":
        return "[" + ", ".join(token.id for token in question.tokens or ()) + "]"
    if question.has_parts:
        return f"[{question.units[0].id}, ...]" if question.units else f"[{question.part_noun}:option, ...]"
    return question.units[0].id if question.units else "option_id"


def check_story(story: Story) -> CheckResult:
    return _Checker(story).run()


def walkthrough_findings(story: Story) -> list[Finding]:
    """What is wrong in how the walkthroughs are written (the warnings `check_story` gives about them)."""
    checker = _Checker(story)
    checker.check_walkthroughs()
    return checker.result.findings
