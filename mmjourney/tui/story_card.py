"""A story as a learner meets it before playing: title, summary, difficulty and length, who it is for,
the mode, the learning objectives and the disclaimer. The picker shows it beside the list, and
`mmjourney play STORY` shows it first, so an author sees what learners will see."""

from __future__ import annotations

from textual.content import Content

from ..library import Listing

MODES = ("Practice: feedback after each decision, and undo.",
         "Assessment: no feedback until the debrief at the end; it counts as a result.")


def story_card(story: Listing, mode: str, *, mode_label: str = "Mode", best: str | None = None) -> Content:
    parts: list = [
        (story.title, "bold"), "\n\n", story.summary, "\n\n",
        ("Difficulty: ", "bold"), story.difficulty, "    ", ("About ", "bold"), f"{story.minutes} minutes\n",
    ]
    if best is not None:
        parts += [("Your best: ", "bold"), best, "\n"]
    parts += [
        ("For: ", "bold"), ", ".join(story.audience), "\n\n",
        (f"{mode_label}: ", "bold"), MODES[mode == "assessment"], "\n\n",
        ("Learning objectives", "bold"), "\n",
    ]
    for objective in story.objectives:
        parts += ["- ", objective, "\n"]
    parts += ["\n", (story.disclaimer, "italic")]
    return Content.assemble(*parts)
