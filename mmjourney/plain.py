"""A line-by-line player on stdin/stdout, for screen readers, scripts and pipes.

    printf '1\\n3\\n' | mmjourney play --plain story.yaml

It prints the scene, the chart and numbered choices, reads one line per decision, and
ends with the debrief. Story text is printed as it is: nothing is interpreted as markup.
"""

from __future__ import annotations

import re
import sys
import textwrap
from typing import TextIO

from .engine import Action, ActionError, Consequence, better_choice, duration_text
from .journey import Ask, Choose, Journey, Read, Workspace
from .journey.debrief_view import (
    CRITICAL_ERROR,
    LABELS,
    NOTHING_HELD_BACK,
    CriticalErrors,
    DebriefView,
    Decisions,
    HeldBack,
    Labs,
    Outcome,
    Overall,
    References,
    ScoreGroup,
    Summary,
)
from .journey.text import stat_text
from .story import LoadedStory
from .story.text_safety import strip_controls, visible

WIDTH = 78
# A new line that starts a Markdown list item ("- ", "* ", "1. ") begins a new printed line.
_LIST_ITEM = re.compile(r"\n(?=\s*(?:[-*]|\d+\.)\s)")
# Only ASCII digits count as a number: str.isdigit() also accepts '²' and '⑴', which int() refuses.
_NUMBER = re.compile(r"[0-9]{1,4}")


class _Quit(Exception):
    pass


class PlainPlayer:
    def __init__(self, journey: Journey, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
        self.journey = journey
        self.session = journey.session
        self.stdin = stdin
        self.stdout = stdout

    def say(self, text: str = "") -> None:
        # Story text is cleaned when it loads, but not every line printed here is story text: no
        # control character reaches the terminal (finding F5).
        self.stdout.write(strip_controls(text) + "\n")

    def para(self, text: str, indent: str = "") -> None:
        """Wrap Markdown-ish text: paragraphs flow, list items keep their own lines."""
        for block in text.strip().split("\n\n"):
            for item in _LIST_ITEM.split(block):
                if item.strip():
                    is_item = _LIST_ITEM.match("\n" + item.lstrip()) is not None
                    hang = indent + "  " if is_item else indent
                    self.say(textwrap.fill(" ".join(item.split()), WIDTH, initial_indent=indent,
                                           subsequent_indent=hang))
            self.say()

    def ask(self, prompt: str) -> str:
        self.stdout.write(strip_controls(prompt))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise _Quit
        answer = line.strip()
        if answer.lower() in ("q", "quit"):
            raise _Quit
        return answer

    # --- screens ---------------------------------------------------------------------------

    def intro(self) -> None:
        model = self.session.story.model
        self.say(f"=== {model.title} ===")
        self.para(model.summary)
        self.para(f"NOTE: {model.disclaimer}")
        patient = model.patient
        self.say(f"Patient: {patient.name}, {patient.age}" + (f", {patient.sex}" if patient.sex else ""))
        if patient.history:
            self.para(patient.history)
        self.say(f"Mode: {self.session.mode}. Seed: {self.session.seed} (--seed {self.session.seed} replays this "
                 "journey; options are shown in an order of its own).")
        self.say("Type a number to choose, 'u' to undo (practice), 'q' to quit.")
        self.say()

    def chart(self) -> None:
        stats = self.session.story.model.stats
        parts = []
        for name, value in self.session.state.stats.items():
            stat = stats[name]
            if not stat.visible:
                continue
            parts.append(f"{stat.label} {stat_text(value, stat.decimals, stat.unit, stat.normal)}")
        if parts:
            self.say("Chart: " + "; ".join(parts))

    def scene(self) -> None:
        scene = self.session.scene
        heading = f"--- {scene.phase} | {self.session.clock}"
        self.say(heading + (f" | {scene.title}" if scene.title else "") + " ---")
        self.para(scene.text)
        self.chart()
        self.say()

    def decide(self) -> Consequence | None:
        prompt = self.journey.prompt()
        if isinstance(prompt, Read):
            self.ask("[Enter] to continue: ")
            return self.journey.decide(Action("next"))
        if isinstance(prompt, Ask):
            return self.question(prompt)
        assert isinstance(prompt, Choose)
        for number, view in enumerate(prompt.choices, 1):
            line = f"  {number}. {view.choice.label} ({view.choice.category})"
            if not view.enabled:
                line += f" -- not available: {view.reason}"
            self.say(line)
        while True:
            answer = self.ask("Your decision: ")
            if answer.lower() in ("u", "undo"):
                return self.undo()
            view = prompt.numbered(int(answer)) if _NUMBER.fullmatch(answer) else None
            if view is None:
                self.say(f"Please type a number from 1 to {len(prompt.choices)}.")
            elif view.enabled:
                return self.journey.decide(Action("choose", view.id))
            else:
                self.say(f"That choice is not available: {view.reason}")

    def question(self, prompt: Ask) -> Consequence | None:
        kind = "Select all that apply" if not prompt.single else "Choose the single best answer"
        self.para(f"{prompt.question.prompt} ({kind})")
        for number, option in enumerate(prompt.options, 1):
            self.say(f"  {number}. {option.text}")
        count = len(prompt.options)
        while True:
            answer = self.ask("Your answer (numbers, separated by commas): ")
            if answer.lower() in ("u", "undo"):
                return self.undo()
            picks = [p.strip() for p in answer.replace(" ", ",").split(",") if p.strip()]
            if picks and all(_NUMBER.fullmatch(p) and 1 <= int(p) <= count for p in picks):
                try:
                    return self.journey.decide(prompt.answer(int(p) for p in picks))
                except ActionError as error:
                    self.say(str(error))
            else:
                self.say(f"Please type option numbers from 1 to {count}.")

    def undo(self) -> None:
        try:
            self.journey.undo()
            self.say("Went back one decision.")
        except ActionError as error:
            self.say(f"Cannot undo: {error}")
        return None

    def feedback(self, consequence: Consequence) -> None:
        if consequence.kind == "next":
            return
        for event in consequence.events:
            self.say(f"!! Interrupted: event '{event}'")
        if not self.journey.policy.feedback_after_each:
            self.say("(Decision recorded; feedback comes in the debrief.)")
            self.say()
            return
        if consequence.rating:
            note = " -- CRITICAL ERROR" if consequence.critical else ""
            self.say(f">> Rated: {consequence.rating}{note}")
        else:
            self.say(f">> Score: {consequence.points:g} of {consequence.max_points:g}")
        if consequence.chance_text:
            self.para(consequence.chance_text, "   ")
        feedback = consequence.feedback
        if feedback:
            self.para(f"What happened: {feedback.outcome}", "   ")
            self.para(f"Why: {feedback.rationale}", "   ")
            if feedback.nursing:
                self.para(f"Nursing: {feedback.nursing}", "   ")
        better = better_choice(self.session.story, consequence)
        if better is not None:
            self.para(f"The best choice: {better.label}. {better.feedback.rationale}", "   ")
        if consequence.kind == "answer":
            question = self.session.story.model.scenes[consequence.scene].question
            for option in question.options:
                mark = "correct" if option.correct else "not correct"
                picked = "you picked, " if option.id in consequence.picked else ""
                self.para(f"- {option.text} ({picked}{mark}): {option.rationale}", "   ")
        self.changes(consequence)
        self.say()

    def changes(self, consequence: Consequence) -> None:
        stats = self.session.story.model.stats
        for change in consequence.changes:
            if change.visible:
                stat = stats[change.name]
                self.say(f"   {stat.label}: {change.before:.{stat.decimals}f} -> {change.after:.{stat.decimals}f}")
        elapsed = consequence.day_after - consequence.day_before
        if elapsed:
            self.say(f"   Time passed: {duration_text(elapsed)}")

    def show_debrief(self) -> None:
        """The debrief's sections, in the order and with the headings every debrief uses."""
        view = DebriefView.of(self.journey.debrief_record())
        for section in view.sections:
            if isinstance(section, Summary):
                self.say(f"=== {section.heading}: {section.safety}; {section.passing} ===")
                if section.undos:
                    self.say(section.undos)
                continue
            if isinstance(section, Outcome):
                self.say(f"=== The end: {section.summary} ===")
                continue
            if isinstance(section, Overall):
                self.say(f"{section.heading}: {section.line.score}")
                continue
            self.say(f"{section.heading}:")
            if isinstance(section, ScoreGroup):
                for line in section.lines:
                    self.say(f"  {line.label}: {line.score}")
            elif isinstance(section, CriticalErrors):
                for error in section.items:
                    self.say(f"  - Decision {error.number}: {error.label}")
                if not section.items:
                    self.say(f"  {section.none_text}")
                for undone in section.undone:
                    self.say(f"  - {section.undone_text(undone)}")
            elif isinstance(section, HeldBack):
                for line in section.items:
                    self.para(f"- {section.text(line)}", "  ")
                if not section.items:
                    self.say(f"  {NOTHING_HELD_BACK}")
            elif isinstance(section, Labs):
                for lab in section.labs:
                    self.say(f"  {lab.title}: {lab.summary}")
            elif isinstance(section, Decisions):
                self._debrief_decisions(section)
            elif isinstance(section, References):
                for ref in section.items:
                    self.para(f"- {ref.id}: {ref.citation}" + (f" {ref.url}" if ref.url else ""), "  ")
        self.para(view.disclaimer)

    def _debrief_decisions(self, decisions: Decisions) -> None:
        for line in decisions.items:
            d = line.record
            mark = "=" if d.matched_expert else "x"
            critical = f" -- {CRITICAL_ERROR}" if d.critical else ""
            self.say(f"  {mark} {d.number}. {line.response} [{line.verdict}]{critical}")
            if line.question is not None:
                self.para(f"{LABELS['question']}: {line.question}", "      ")
            self.para(f"{LABELS['expert']}: {line.expert}", "      ")
            if d.rationale:
                self.para(f"{LABELS['why']}: {d.rationale}", "      ")

    def save(self) -> None:
        """The same autosave and records as the full-screen player."""
        for message in self.journey.persist():  # these can quote file paths: controls shown as escapes
            print(visible(message), file=sys.stderr)

    def run(self) -> int:
        self.intro()
        try:
            while not self.session.ended:
                self.scene()
                consequence = self.decide()
                self.save()
                if consequence is not None:
                    self.feedback(consequence)
        except _Quit:
            self.say()
            self.say("Stopped before the end; your journey is saved (mmjourney offers Continue).")
            return 0
        self.scene()
        self.show_debrief()
        return 0


def play_plain(story: LoadedStory, seed: int | None = None, mode: str = "practice",
               stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, workspace: Workspace | None = None) -> int:
    return PlainPlayer(Journey.start(story, seed, mode, workspace), stdin, stdout).run()
