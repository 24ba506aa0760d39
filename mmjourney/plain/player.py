"""The plain player's journey: scenes, decisions, feedback and commands, one line at a time.

It is written to be listened to: words instead of signs ("high", not "H"; "Rating:", not ">>"),
each scene read once (after a decision that stays in the scene, "Back to:" and the choices), the
chart told when it changes, and what a decision led to (its feedback, what chance did, an event
that interrupts) told in the order it happened.
"""

from __future__ import annotations

import re
import sys
import textwrap
from typing import TextIO

from ..engine import Action, ActionError, Consequence, better_choice, duration_text
from ..journey import Ask, Choose, Fill, Journey, Read
from ..journey.debrief_view import linked_rule, part_line
from ..journey.exhibit import trend_of
from ..journey.prompt import PartView, sentence
from ..journey.record import Trend
from ..journey.text import journey_day, number_text, patient_text
from ..story.model import Option, Question
from ..story.text_safety import strip_controls, visible
from .commands import Command, help_lines, parse_command
from .debrief import DebriefReader
from .glossary import glossary_of, look_up
from .markdown import WIDTH, inline_text, markdown_lines
from .words import plain_wording, spoken_readings, spoken_value, stat_line

# Only ASCII digits count as a number: str.isdigit() also accepts '²' and '⑴', which int() refuses.
_NUMBER = re.compile(r"[0-9]{1,4}")
# One part of an answer to an item made of parts: its number and the letters of its answers ('2c', '4ab').
_PART_ANSWER = re.compile(r"([0-9]{1,2})([a-z]+)")
# An ordering item's answer: its tokens' letters, first to last ('c a d b', or 'cadb').
_LETTERS = re.compile(r"[a-z]+")
YES = ("yes", "y")
NO = ("no", "n")


def letter(index: int) -> str:
    """An option's letter within its part: a for the first (from 0)."""
    return chr(ord("a") + index)


class Quit(Exception):
    """The learner typed quit, or the input ended."""


class PlainPlayer:
    def __init__(self, journey: Journey, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
        self.journey = journey
        self.session = journey.session
        self.stdin = stdin
        self.stdout = stdout
        self._glossary: dict[str, str] | None = None  # read on the first look-up
        self._told: dict[str, float] = {}  # each stat's value as the learner last heard it
        self._shown: str | None = None  # the scene last read out in full
        self._events: tuple[str, ...] = ()  # the events the last decision led to
        self._asked: tuple[Option, ...] = ()  # the last question's options, in the order they were read out
        self._parts: tuple[PartView, ...] = ()  # the last item made of parts, its parts as they were read out

    # --- saying ------------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        # Story text is cleaned when it loads, but not every line printed here is story text: no
        # control character reaches the terminal (finding F5).
        self.stdout.write(strip_controls(text) + "\n")

    def para(self, text: str, indent: str = "") -> None:
        """Story Markdown as plain lines, then an empty line."""
        for line in markdown_lines(plain_wording(text), indent):
            self.say(line)
        self.say()

    def ask(self, prompt: str) -> str:
        """One line from the learner; quit (or the end of the input) stops the journey."""
        self.stdout.write(strip_controls(prompt))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise Quit
        return line.strip()

    def answer(self, prompt: str) -> str | Command:
        """A line that is not a command this prompt handles alone: the answer, or undo.

        repeat, chart, glossary and help are answered here and the prompt comes again."""
        while True:
            line = self.ask(prompt)
            command = parse_command(line)
            if command is None:
                return line
            if command.name == "quit":
                raise Quit
            if command.name == "undo":
                return command
            self.run_command(command)

    def run_command(self, command: Command) -> None:
        if command.name == "repeat":
            self.scene(again=True)
        elif command.name == "chart":
            self.chart()
        elif command.name == "glossary":
            self.glossary(command.argument)
        else:
            self.para("\n".join(help_lines(self.journey.policy.can_undo)))

    # --- the journey --------------------------------------------------------------------------

    def intro(self) -> None:
        model = self.session.story.model
        self.say(f"Story: {model.title}")
        self.say()
        self.para(model.summary)
        self.para(f"Note: {model.disclaimer}")
        patient = model.patient
        self.say(f"Patient: {patient_text(patient)}.")
        if patient.history:
            self.para(patient.history)
        mode = self.journey.policy.title
        self.say(f"Mode: {mode}. Seed {self.session.seed}: --seed {self.session.seed} replays this journey, "
                 "with its options in the same order.")
        self.say("Type the number of a choice to decide. Type help for the commands: repeat, chart, glossary, "
                 + ("undo, " if self.journey.policy.can_undo else "") + "quit.")
        self.say()

    def scene(self, again: bool = False) -> None:
        """The scene in full the first time (or when asked again), else 'Back to:' and its choices."""
        session = self.session
        scene = session.scene
        title = scene.heading
        if not again and self._shown == session.scene_id:
            self.say(f"Back to: {title}")
            self.chart_changes()
            self.options()
            return
        interrupted = self._events_at(session.scene_id)
        self.say(f"Interrupted: {title}" if interrupted else f"Scene: {title}")
        clock = journey_day(session.day)  # the full-screen player's one clock, as the status bar says it
        self.say(f"{scene.phase}. {clock}." if scene.heading != scene.phase else f"{clock}.")
        self.say()
        self.para(session.scene_text)
        if again:
            self.chart()
        else:
            self.chart_changes()
        self._shown = session.scene_id
        self.options()

    def _events_at(self, scene_id: str) -> bool:
        """Whether the last decision's events brought the journey to `scene_id`."""
        events = {event.id: event.scene for event in self.session.story.model.events}
        return any(events.get(event) == scene_id for event in self._events)

    def options(self) -> None:
        prompt = self.journey.prompt()
        if isinstance(prompt, Choose):
            for number, view in enumerate(prompt.choices, 1):
                line = f"{inline_text(view.choice.label)} ({view.choice.category})."
                if not view.enabled:
                    line += f" Not available yet: {view.reason}"
                self.item(number, line)
        elif isinstance(prompt, Ask):
            self.trend()
            kind = ("choose the single best answer" if prompt.single else
                    f"select {prompt.picks}" if prompt.picks else prompt.instruction.lower())
            self.para(f"Question: {prompt.question.prompt} ({kind})")
            if prompt.highlight:
                self.marked(prompt)
            for number, option in enumerate(prompt.options, 1):
                self.item(number, inline_text(option.text))
            if prompt.highlight:
                self.say()
                self.wrapped(self.highlight_syntax(prompt))
                self.say()
        elif isinstance(prompt, Fill):
            self.trend()
            self.parts(prompt)

    def parts(self, prompt: Fill) -> None:
        """An item made of parts: the question, its sentence with the blanks numbered, each part with its lettered
        options (a matrix's, which every row shares, once), and how to answer."""
        self.para(f"Question: {prompt.question.prompt} ({prompt.instruction.lower()})")
        passage = prompt.passage()
        if passage:
            noun = prompt.question.part_noun
            self.wrapped("".join(p if isinstance(p, str) else f"({noun} {p})" for p in passage))
            self.say()
        if prompt.pool:
            tokens = "; ".join(f"{letter(n)}. {inline_text(o.text)}" for n, o in enumerate(prompt.parts[0].options))
            use = "to put in order" if prompt.question.type == "ordering" else "each used once at most"
            self.wrapped(f"The tokens, {use}: {tokens}.")
        elif prompt.grid:
            columns = "; ".join(f"{letter(n)}. {inline_text(o.text)}" for n, o in enumerate(prompt.parts[0].options))
            self.wrapped(f"The answers for every {prompt.question.part_noun}: {columns}.")
        if prompt.question.type == "ordering":  # its positions are only numbers: the syntax says them
            self.say()
            self.wrapped(self.parts_syntax(prompt))
            self.say()
            return
        for number, view in enumerate(prompt.parts, 1):
            options = "" if prompt.grid or prompt.pool else ": " + "; ".join(f"{letter(n)}. {inline_text(o.text)}"
                                                              for n, o in enumerate(view.options))
            self.item(number, inline_text(view.part.label) + options)
        self.say()
        self.wrapped(self.parts_syntax(prompt))
        self.say()

    def marked(self, prompt: Ask) -> None:
        """A highlight's note with each phrase it can select numbered where it sits, then the list's heading."""
        passage = prompt.passage()
        if passage:
            self.wrapped("".join(p if isinstance(p, str) else f"[phrase {p}: {inline_text(prompt.options[p - 1].text)}]"
                                 for p in passage))
            self.say()
        self.say("The phrases you can select:" if passage else "The rows you can select:")

    @staticmethod
    def highlight_syntax(prompt: Ask) -> str:
        """How to answer a highlight, with an example that gives nothing away."""
        noun = "phrase" if prompt.passage() else "row"
        return (f"Type the number of every {noun} you select, separated by spaces, for example 1 3. "
                "You hear your answer read back before it counts.")

    @staticmethod
    def part_name(question: Question, number: int, label: str) -> str:
        """'Row 2, Thirsty and passing a lot of urine', or 'Blank 2' when its label says no more than that."""
        name = f"{question.part_noun.capitalize()} {number}"
        return label if label == name else f"{name}, {inline_text(label)}"

    @staticmethod
    def parts_syntax(prompt: Fill) -> str:
        """How to type an answer to an item made of parts, with an example that gives nothing away."""
        noun = prompt.question.part_noun
        shown = prompt.parts[:3]
        if prompt.question.type == "ordering":
            count = len(prompt.parts)
            example = " ".join(letter(count - n) for n in range(1, count + 1))
            return (f"Type the {count} letters in order, first to last, for example {example}; each letter once. "
                    f"The letters a to {letter(count - 1)} stand for the tokens above.")
        if prompt.pool:
            example = " ".join(f"{n}{letter(n - 1)}" for n in range(1, len(shown) + 1))
            return (f"Type each {noun}'s number with the letter of its token, for example {example}. A token goes in "
                    f"one {noun} at most.")
        if all(view.part.picks is not None for view in prompt.parts) and any(v.part.picks != 1 for v in shown):
            counts = ", ".join(f"{view.part.picks} in {noun} {n}" for n, view in enumerate(shown, 1))
            example = " ".join(f"{n}{''.join(letter(i) for i in range(v.part.picks or 1))}"
                               for n, v in enumerate(shown, 1))
            return (f"Type each {noun}'s number with the letters of its answers ({counts}), for example "
                    f"{example}.")
        if any(view.part.picks != 1 for view in prompt.parts):
            example = " ".join(f"{n}{''.join(letter(i) for i in range(min(n, len(v.options))))}"
                               for n, v in enumerate(shown, 1))
            return (f"Type each {noun}'s number with the letters of every answer that applies, for example "
                    f"{example}. A {noun} you leave out has nothing ticked.")
        example = " ".join(f"{n}{letter((n - 1) % len(v.options))}" for n, v in enumerate(shown, 1))
        return f"Type each {noun}'s number with the letter of its answer, for example {example}."

    def trend(self) -> None:
        """A trend item's table, read a day at a time: the patient's own readings, oldest first."""
        trend = trend_of(self.journey.session)
        if trend is None:
            return
        self.para(f"Trend, the patient's readings over the last {len(trend.rows)} days:")
        self.readings(trend)
        self.say()

    def readings(self, trend: Trend, indent: str = "") -> None:
        """A trend table's rows, one day a line (not wrapped: a listener hears a day's readings as one sentence)."""
        for row in trend.rows:
            self.say(f"{indent}Day {row.day}: {spoken_readings(trend, row)}.")

    def item(self, number: int, text: str) -> None:
        """A numbered choice or option, its following lines under its words."""
        first = f"  {number}. "
        self.wrapped(text, first, " " * len(first))

    def wrapped(self, text: str, first: str = "", rest: str = "") -> None:
        """One line of words, wrapped (an address or a long word is never broken)."""
        for line in textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                                  break_long_words=False, break_on_hyphens=False):
            self.say(line)

    def chart(self) -> None:
        """Every visible stat, one a line, with its normal range."""
        stats = self.session.story.model.stats
        self.say("Patient chart:")
        for name, value in self.session.state.stats.items():
            if stats[name].visible:
                self.say(f"  {stat_line(stats[name], value)}")
                self._told[name] = value
        self.say()

    def chart_changes(self) -> None:
        """The stats that changed since the learner last heard them (all of them the first time)."""
        if not self._told:
            self.chart()
            return
        stats = self.session.story.model.stats
        changed = [(name, value) for name, value in self.session.state.stats.items()
                   if stats[name].visible and self._told.get(name) != value]
        if not changed:
            return
        self.say("The chart has changed:")
        for name, value in changed:
            stat = stats[name]
            before = self._told.get(name)
            was = f" (was {number_text(before, stat.decimals)})" if before is not None else ""
            self.say(f"  {stat.label}: now {spoken_value(stat, value)}{was}")
            self._told[name] = value
        self.say()

    def glossary(self, query: str) -> None:
        if self._glossary is None:
            self._glossary = glossary_of(dict(self.session.story.model.glossary))
        terms = self._glossary
        if not query:
            self.say(f"Glossary terms ({len(terms)}): " + "; ".join(sorted(terms, key=str.casefold)) + ".")
            self.say("Type glossary and a term to hear what it means.")
            self.say()
            return
        found = look_up(terms, query)
        if len(found) == 1:
            self.para(f"{found[0]}: {terms[found[0]]}")
        elif found:
            self.say(f"Several terms match '{query}': " + "; ".join(found) + ". Type glossary and one of them.")
            self.say()
        else:
            self.say(f"No glossary term matches '{query}'. Type glossary alone to hear the list of terms.")
            self.say()

    # --- deciding -----------------------------------------------------------------------------

    def decide(self) -> Consequence | None:
        prompt = self.journey.prompt()
        if isinstance(prompt, Read):
            while True:
                reply = self.answer("Press Enter to go on: ")
                if isinstance(reply, Command):
                    return self.undo()
                if not reply:
                    return self.journey.decide(Action("next"))
                self.say("This page has no choices: press Enter to go on, or type help.")
        if isinstance(prompt, Ask):
            return self.question(prompt)
        if isinstance(prompt, Fill):
            return self.fill(prompt)
        assert isinstance(prompt, Choose)
        count = len(prompt.choices)
        while True:
            reply = self.answer("Your decision: ")
            if isinstance(reply, Command):
                return self.undo()
            view = prompt.numbered(int(reply)) if _NUMBER.fullmatch(reply) else None
            if view is None:
                self.not_understood(reply, f"a number from 1 to {count}")
            elif view.enabled:
                return self.journey.decide(Action("choose", view.id))
            else:
                self.say(f"Choice {reply} is not available yet: {view.reason}")

    def question(self, prompt: Ask) -> Consequence | None:
        self._asked = prompt.options  # its feedback goes through the options by the numbers they had
        if prompt.highlight:
            return self.highlight(prompt)
        count = len(prompt.options)
        wanted = (f"one number from 1 to {count}" if prompt.single else
                  f"{prompt.picks} numbers from 1 to {count}, separated by commas" if prompt.picks else
                  f"numbers from 1 to {count}, separated by commas")
        while True:
            reply = self.answer("Your answer: ")
            if isinstance(reply, Command):
                return self.undo()
            picks = [p.strip() for p in reply.replace(" ", ",").split(",") if p.strip()]
            if picks and all(_NUMBER.fullmatch(p) and 1 <= int(p) <= count for p in picks):
                try:
                    return self.journey.decide(prompt.answer(int(p) for p in picks))
                except ActionError as error:
                    self.say(str(error))
            else:
                self.not_understood(reply, wanted)

    def fill(self, prompt: Fill) -> Consequence | None:
        """An item made of parts: '1a 2c 3b', read back in words, counts once the learner says yes."""
        self._parts = prompt.parts  # its feedback goes through the parts by the numbers they had
        reply = self.answer("Your answer: ")
        while True:
            if isinstance(reply, Command):
                return self.undo()
            action, problem = self.read_parts(prompt, reply)
            if action is None:
                self.say(f"{problem} {self.parts_syntax(prompt)}")
                reply = self.answer("Your answer: ")
                continue
            self.say("You answered:")
            for number, view in enumerate(prompt.parts, 1):
                picked = [o.text for o in view.options if view.part.unit(o.id) in action.options]
                self.wrapped(f"{self.part_name(prompt.question, number, view.part.label)}: "
                             f"{'; '.join(map(inline_text, picked)) or 'nothing ticked'}.", "  ", "    ")
            if prompt.passage():
                self.wrapped("It reads: " + sentence(prompt.question, action.options), "  ", "    ")
            reply = self.answer("Type yes to submit this answer, or type it again to change it: ")
            if isinstance(reply, str) and reply.lower() in YES:
                return self.journey.decide(action)
            if isinstance(reply, str) and reply.lower() in NO:
                reply = self.answer("Your answer: ")

    def highlight(self, prompt: Ask) -> Consequence | None:
        """A highlight: '2 4 5', each phrase read back in words, counts once the learner says yes."""
        count = len(prompt.options)
        wanted = f"numbers from 1 to {count}, separated by spaces"
        reply = self.answer("Your answer: ")
        while True:
            if isinstance(reply, Command):
                return self.undo()
            picks = reply.replace(",", " ").split()
            if not picks or not all(_NUMBER.fullmatch(p) and 1 <= int(p) <= count for p in picks):
                self.not_understood(reply, wanted)
                reply = self.answer("Your answer: ")
                continue
            action = prompt.answer(sorted({int(p) for p in picks}))
            self.say(f"You selected {len(action.options)} of {count}:")
            for number, option in enumerate(prompt.options, 1):
                if option.id in action.options:
                    self.wrapped(f"{number}, {inline_text(option.text)}.", "  ", "    ")
            reply = self.answer("Type yes to submit this answer, or type it again to change it: ")
            if isinstance(reply, str) and reply.lower() in YES:
                return self.journey.decide(action)
            if isinstance(reply, str) and reply.lower() in NO:
                reply = self.answer("Your answer: ")

    @staticmethod
    def read_parts(prompt: Fill, reply: str) -> tuple[Action | None, str]:
        """The answer typed as '1a 2c 3b' (commas may separate them too), or None and what is wrong with it."""
        noun = prompt.question.part_noun
        picks: list[tuple[int, int]] = []
        answered: set[int] = set()
        typed = reply.lower().replace(",", " ").split()
        if prompt.question.type == "ordering" and typed and all(_LETTERS.fullmatch(token) for token in typed):
            return PlainPlayer.read_order(prompt, "".join(typed))
        for token in typed:
            match = _PART_ANSWER.fullmatch(token)
            if match is None:
                return None, f"'{token}' is not a {noun} number followed by letters."
            number = int(match.group(1))
            if not 1 <= number <= len(prompt.parts):
                return None, f"'{token}': there are {len(prompt.parts)} {noun}s."
            if number in answered:
                return None, f"'{token}': {noun} {number} is answered twice; give all its letters at once."
            answered.add(number)
            view = prompt.parts[number - 1]
            letters = match.group(2)
            if view.part.picks == 1 and len(letters) != 1:
                return None, f"'{token}': {noun} {number} takes one letter."
            for char in letters:
                option = ord(char) - ord("a") + 1
                if view.numbered(option) is None:
                    return None, (f"'{token}': {noun} {number} has answers a to "
                                  f"{letter(len(view.options) - 1)}.")
                picks.append((number, option))
        if not picks:
            return None, "Nothing was typed."
        action = prompt.answer(picks)
        problem = prompt.problem(action)
        return (None, problem[0].upper() + problem[1:] + ".") if problem else (action, "")

    @staticmethod
    def read_order(prompt: Fill, letters: str) -> tuple[Action | None, str]:
        """An ordering item's answer typed as its letters first to last ('c a d b' or 'cadb')."""
        count = len(prompt.parts)
        for char in letters:
            if not "a" <= char <= letter(count - 1):
                return None, f"'{char}': the tokens are a to {letter(count - 1)}."
        if len(letters) != count:
            return None, f"You typed {len(letters)} letters: put all {count} in order, each once."
        action = prompt.answer((number, ord(char) - ord("a") + 1) for number, char in enumerate(letters, 1))
        problem = prompt.problem(action)
        return (None, problem[0].upper() + problem[1:] + ".") if problem else (action, "")

    def not_understood(self, reply: str, wanted: str) -> None:
        said = f"'{reply}' is not" if reply else "Nothing was typed: that is not"
        self.say(f"{said} {wanted}. Type {wanted}, or help for the commands.")

    def undo(self) -> None:
        try:
            self.journey.undo()
            self.say("Went back one decision.")
            self.say()
        except ActionError as error:
            self.say(f"Cannot undo: {error}")
        self._events = ()
        return None

    # --- what a decision led to ---------------------------------------------------------------

    def feedback(self, consequence: Consequence) -> None:
        """The decision's feedback (practice), then what chance did and how the patient changed."""
        self._events = consequence.events
        if consequence.kind == "next":
            return
        if not self.journey.policy.feedback_after_each:
            self.say("Decision recorded; its feedback comes in the debrief.")
            self.say()
            return
        if consequence.rating:
            note = ". This is a critical error" if consequence.critical else ""
            self.say(f"Rating: {consequence.rating}{note}.")
        else:
            self.say(f"Score: {consequence.points:g} of {consequence.max_points:g}.")
        self.say()
        feedback = consequence.feedback
        if feedback:
            self.para(f"What happened: {feedback.outcome}", "  ")
            self.para(f"Why: {feedback.rationale}", "  ")
            if feedback.nursing:
                self.para(f"Nursing: {feedback.nursing}", "  ")
        better = better_choice(self.session.story, consequence)
        if better is not None:
            self.para(f"A better choice: {better.label}. {better.feedback.rationale}", "  ")
        question = self.session.story.model.scenes[consequence.scene].question
        if consequence.kind == "answer" and question is not None and question.has_parts:
            self.part_feedback(question, consequence)
        elif consequence.kind == "answer":
            assert question is not None
            mine = ("you chose it, " if question.type == "single_best" else
                    "you selected it, " if question.type == "highlight" else "you ticked it, ")
            for number, option in enumerate(self._asked or question.selectable, 1):
                mark = "correct" if option.correct else "not correct"
                picked = mine if option.id in consequence.picked else ""
                self.para(f"{number}. {option.text} ({picked}{mark}): {option.rationale}", "  ")
        if consequence.chance_text:
            self.para(f"Then: {consequence.chance_text}", "  ")
        self.changes(consequence)

    def part_feedback(self, question: Question, consequence: Consequence) -> None:
        """Each part by the number it was read with: the learner's answer, whether it is right, and why."""
        views = self._parts or tuple(PartView(part, part.options) for part in question.parts)
        if rule := linked_rule(question):
            self.para(f"{rule[0].upper()}{rule[1:]}.", "  ")
        for number, view in enumerate(views, 1):
            line = part_line(view.part, consequence.picked, view.options)
            said = (f"{self.part_name(question, number, view.part.label)}: you answered {line.picked_text}, "
                    f"{line.verdict}.")
            self.para(" ".join((said, *line.notes, line.rationale)), "  ")
        if question.passage():
            self.para("The right answer reads: " + sentence(question, question.correct_units), "  ")
        if question.explanation:
            self.para(question.explanation, "  ")

    def changes(self, consequence: Consequence) -> None:
        stats = self.session.story.model.stats
        shown = [change for change in consequence.changes if change.visible]
        elapsed = consequence.day_after - consequence.day_before
        if not shown and not elapsed:
            return
        if not shown:  # time alone: one line, not a heading over nothing (as the full-screen feedback says it)
            self.say(f"  Time passed: {duration_text(elapsed)}.")
            self.say()
            return
        self.say("  How the patient changed" + (f" (over {duration_text(elapsed)})" if elapsed else "") + ":")
        for change in shown:
            stat = stats[change.name]
            self.say(f"  - {stat.label}: from {number_text(change.before, stat.decimals)} to "
                     f"{spoken_value(stat, change.after)}")
            self._told[change.name] = change.after
        self.say()

    # --- keeping it ----------------------------------------------------------------------------

    def save(self) -> None:
        """The same autosave and records as the full-screen player."""
        for message in self.journey.persist():  # these can quote file paths: controls shown as escapes
            print(visible(message), file=sys.stderr)

    def run(self, resumed: bool = False) -> int:
        self.intro()
        preview = self.journey.preview
        if preview is not None:
            self.say(preview.notice)
            self.say()
        if resumed:
            self.say(f"Continuing your journey: {len(self.session.actions)} steps so far.")
            if self.journey.note:
                self.say(self.journey.note)
            self.say()
        try:
            while not self.session.ended:
                self.scene()
                consequence = self.decide()
                self.save()
                if consequence is not None:
                    self.feedback(consequence)
        except Quit:
            self.say()
            if self.journey.workspace is not None and preview is None:
                self.say("Stopped before the end. Your journey is saved: run mmjourney play --plain again "
                         "and choose it under Continue.")
            else:
                self.say("Stopped before the end.")
            return 0
        self.scene()
        self.show_debrief()
        return 0

    def show_debrief(self) -> None:
        DebriefReader(self).read(self.journey.debrief_record())

