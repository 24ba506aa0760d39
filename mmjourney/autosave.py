"""The autosave: the journey in progress, written after every decision so nothing is lost."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .engine import Restored, SaveError, SaveMismatch, Session, read_save, restore, to_document
from .engine.saves import write_json_atomic
from .story import StoryError, load_story
from .userdata import autosave_path


def write_autosave(session: Session) -> None:
    doc = to_document(session)
    doc["story_path"] = str(Path(session.story.path).resolve())
    write_json_atomic(autosave_path(), doc)


def clear_autosave() -> None:
    autosave_path().unlink(missing_ok=True)


def keep_progress(session: Session) -> list[str]:
    """After every decision: the autosave (for Continue) and the learner's records.

    Never raises; returns what the player should be told if something could not be kept.
    """
    from .records import record_progress  # loaded on first use: it is not needed to start

    messages = []
    try:
        if session.ended:
            clear_autosave()
        else:
            write_autosave(session)
    except OSError as error:
        messages.append(f"Could not save your journey: {error}")
    recorded = record_progress(session)  # also marks the attempt completed at an ending
    if recorded.message:
        messages.append(recorded.message)
    return messages


@dataclass
class ResumeProblem:
    """Why the autosave cannot simply be resumed, and what can still be done."""

    message: str
    story: object | None = None  # the loaded story, when restarting it is possible
    doc: dict | None = None
    usable: int = 0  # decisions that still fit a changed story


def resume_autosave() -> Restored | ResumeProblem:
    try:
        doc = read_save(autosave_path())
    except FileNotFoundError:
        return ResumeProblem("There is no journey to continue.")
    except SaveError as error:
        return ResumeProblem(str(error))
    path = Path(str(doc.get("story_path", "")))
    try:
        story = load_story(path)
    except StoryError as error:
        first = error.errors[0] if error.errors else error.problems[0]
        return ResumeProblem(f"The story of the saved journey cannot be loaded:\n{first}")
    try:
        return restore(story, doc)
    except SaveMismatch as error:
        return ResumeProblem(str(error), story, doc, error.usable)
    except SaveError as error:
        return ResumeProblem(str(error), story)
