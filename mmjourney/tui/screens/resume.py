"""Continue a saved journey (choosing one when several stories have one), explaining anything
that changed since it was saved."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ...journey.files import MAX_SAVE_BYTES, read_small_text
from .messages import AskScreen, ChooseScreen, MessageScreen


def choose_journey(app) -> None:
    """Continue the one unfinished journey, or ask which when there are several (one per story)."""
    saved = app.workspace.saved_journeys()
    if len(saved) <= 1:
        resume_journey(app, saved[0].path if saved else None)
        return
    labels = []
    for journey in saved:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(journey.saved_at)) if journey.saved_at else "?"
        steps = f"{journey.steps} step{'s' if journey.steps != 1 else ''}"
        labels.append(f"{journey.title}: {journey.mode}, {steps}, saved {when}" if journey.story_id
                      else f"{journey.title} (cannot be read)")

    def chosen(index: int | None) -> None:
        if index is not None:
            resume_journey(app, saved[index].path)

    app.push_screen(ChooseScreen("Continue which journey?", "Each story keeps its own unfinished journey.", labels),
                    chosen)


def saved_story_path(path: Path | None) -> Path | None:
    """The story file a save names, read without judging the save (Journey.resume does that)."""
    try:
        return Path(json.loads(read_small_text(path, MAX_SAVE_BYTES))["story_path"]) if path else None
    except (OSError, ValueError, UnicodeDecodeError, RecursionError, KeyError, TypeError):
        return None


def resume_journey(app, path: Path | None) -> None:
    from ...journey import Journey, ResumeProblem

    if path is None:
        saved = app.workspace.saved_journeys()
        path = saved[0].path if saved else None
    # The story from the app's shelf when it has it loaded and unchanged: loading it again was most
    # of Continue's wait. Journey.resume still checks the save against it.
    story_path = saved_story_path(path)
    story = app.shelf.story_at(story_path) if story_path is not None and app.catalog is None else None
    result = Journey.resume(app.workspace, path, story_override=story)
    if not isinstance(result, ResumeProblem):
        app.play(result)
        return
    problem = result
    if problem.story is None:
        app.push_screen(MessageScreen("Cannot continue", problem.message))
        return
    answers = [("restart", "Start again")]
    if problem.usable:
        answers.insert(0, ("partial", f"Resume after decision {problem.usable}"))
    answers.append(("cancel", "Cancel"))

    def decided(answer: str | None) -> None:
        if answer == "partial":
            app.play(Journey.resume_partly(problem, app.workspace))
        elif answer == "restart":
            app.start_session(problem.story, problem.mode)

    app.push_screen(AskScreen("The story has changed", problem.message, answers), decided)
