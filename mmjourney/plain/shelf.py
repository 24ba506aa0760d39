"""`mmjourney play --plain` without a story file: continue an unfinished journey, or pick a story.

The full-screen title screen offers Continue; so does this list, first, numbered with the
stories after it, so one number answers the one question "which journey?".
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO

from ..journey import Journey, ResumeProblem, Workspace
from ..journey.workspace import SavedJourney
from ..library import StoryEntry, scan
from ..story.text_safety import strip_controls, visible
from .player import PlainPlayer


@dataclass
class Shelf:
    workspace: Workspace
    stdin: TextIO
    stdout: TextIO

    def say(self, text: str = "") -> None:
        self.stdout.write(strip_controls(text) + "\n")

    def pick(self, prompt: str, count: int) -> int | None:
        """A number from 1 to `count` typed by the learner (asked again until it is one), or None to stop."""
        while True:
            self.stdout.write(prompt)
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                self.say()
                return None
            answer = line.strip()
            if answer.lower() in ("q", "quit"):
                return None
            if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            said = f"'{answer}' is not" if answer else "Nothing was typed: that is not"
            self.say(f"{said} a number from 1 to {count}. Type a number, or q to quit.")

    def play(self, seed: int | None, mode: str) -> int:
        saved = self.workspace.saved_journeys()
        stories = [entry for entry in scan(self.workspace.stories_dir) if entry.playable]
        if not saved and not stories:
            print("No playable stories found.", file=sys.stderr)
            return 1
        if saved:
            self.say("Continue an unfinished journey:")
            for number, journey in enumerate(saved, 1):
                self.say(f"  {number}. {_saved_text(journey)}")
            self.say()
        self.say("Start a story:" if saved else "Stories:")
        for number, entry in enumerate(stories, len(saved) + 1):
            self.say(f"  {number}. {_story_text(entry)}")
        self.say()
        chosen = self.pick("Which number? ", len(saved) + len(stories))
        if chosen is None:
            self.say("No story chosen.")
            return 1
        if chosen <= len(saved):
            return self.resume(saved[chosen - 1])
        story = stories[chosen - len(saved) - 1].story
        assert story is not None
        return PlainPlayer(Journey.start(story, seed, mode, self.workspace), self.stdin, self.stdout).run()

    def resume(self, saved: SavedJourney) -> int:
        result = Journey.resume(self.workspace, saved.path)
        if not isinstance(result, ResumeProblem):
            return PlainPlayer(result, self.stdin, self.stdout).run(resumed=True)
        problem = result
        for line in f"Cannot simply continue: {problem.message}".splitlines():
            self.say(visible(line))  # it can quote a file name: its controls are shown as escapes
        if problem.story is None:
            return 1
        answers = ([f"Resume after decision {problem.usable}"] if problem.usable else []) + \
            ["Start the story again", "Cancel"]
        for number, text in enumerate(answers, 1):
            self.say(f"  {number}. {text}")
        chosen = self.pick("Which number? ", len(answers))
        if chosen is None or answers[chosen - 1] == "Cancel":
            return 1
        if problem.usable and chosen == 1:
            journey = Journey.resume_partly(problem, self.workspace)
            return PlainPlayer(journey, self.stdin, self.stdout).run(resumed=True)
        restarted = Journey.start(problem.story, None, problem.mode, self.workspace)
        return PlainPlayer(restarted, self.stdin, self.stdout).run()


def _saved_text(journey: SavedJourney) -> str:
    """'Tutorial: first shift, practice, 5 steps, saved 2026-11-02 14:05'."""
    if journey.story_id is None:
        return f"{journey.title} (this save cannot be read; choosing it explains why)"
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(journey.saved_at))
    steps = f"{journey.steps} step{'s' if journey.steps != 1 else ''}"
    return f"{journey.title}, {journey.mode}, {steps}, saved {when}"


def _story_text(entry: StoryEntry) -> str:
    """'Tutorial: first shift (beginner, about 10 minutes)'."""
    assert entry.story is not None
    model = entry.story.model
    return f"{model.title} ({model.difficulty}, about {model.minutes} minutes)"
