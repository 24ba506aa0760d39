"""Continue a saved journey, explaining anything that changed since it was saved."""

from __future__ import annotations

from .messages import AskScreen, MessageScreen


def resume_autosave(app) -> None:
    from ...journey import Journey, ResumeProblem

    result = Journey.resume(app.workspace)
    if not isinstance(result, ResumeProblem):
        app.play(result)
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
            app.play(Journey.resume_partly(problem, app.workspace))
        elif answer == "restart":
            app.start_session(problem.story, problem.mode)

    app.push_screen(AskScreen("The story has changed", problem.message, answers), decided)
