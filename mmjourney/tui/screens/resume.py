"""Continue a saved journey, explaining anything that changed since it was saved."""

from __future__ import annotations

from .messages import AskScreen, MessageScreen


def resume_autosave(app) -> None:
    from ...autosave import ResumeProblem, resume_autosave as load
    from ...engine import restore
    from .play import PlayScreen

    result = load()
    if not isinstance(result, ResumeProblem):
        if result.note:
            app.notify(result.note, title="Story changed", timeout=8, markup=False)
        app.push_screen(PlayScreen(result.session, result.session.story.path))
        return
    problem = result
    if problem.story is None:
        app.push_screen(MessageScreen("Cannot continue", problem.message))
        return
    answers = [("restart", "Start the story again")]
    if problem.usable:
        answers.insert(0, ("partial", f"Resume after decision {problem.usable}"))
    answers.append(("cancel", "Cancel"))

    def decided(answer: str | None) -> None:
        if answer == "partial":
            session = restore(problem.story, problem.doc, upto=problem.usable).session
            app.push_screen(PlayScreen(session, problem.story.path))
        elif answer == "restart":
            mode = (problem.doc or {}).get("mode", app.mode)
            app.start_session(problem.story, mode)

    app.push_screen(AskScreen("The story has changed", problem.message, answers), decided)
