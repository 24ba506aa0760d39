"""`mmjourney test`: play the walkthroughs written in a story and compare with what they promise.

A walkthrough lists the decisions in order (pages with `next` continue by themselves), the
ending it must reach and, optionally, the score range. A failure says which step went
wrong and why, in the story's terms, at the line of that step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import ActionError, Debrief, Session, debrief
from ..journey import Ask, Choose, Ended, Fill, Read, prompt_of
from ..story import LoadedStory
from ..story.checks import walk_example, walkthrough_findings
from ..story.model import Walkthrough
from ..story.problems import did_you_mean
from .check import Finding, open_story, validation_findings
from .locations import SourceMap

MAX_PAGES = 10_000  # `next` pages in a row before a walkthrough gives up (a story that loops on its own)


class WalkFailure(Exception):
    def __init__(self, path: tuple, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass
class WalkResult:
    name: str
    file: str
    line: int | None
    passed: bool
    failure: Finding | None = None
    ending: str | None = None
    score: float | None = None
    decisions: int = 0
    critical: int = 0

    @property
    def node_id(self) -> str:
        return f"{self.file}::{self.name}"


@dataclass
class FileWalks:
    file: str
    fragment: bool = False
    problems: list[Finding] = field(default_factory=list)  # the story did not load
    results: list[WalkResult] = field(default_factory=list)
    seconds: float = 0.0


def _open_here(prompt: Ask | Fill | Choose) -> str:
    if isinstance(prompt, (Ask, Fill)):
        return f"it asks question '{prompt.question.id}'"
    open_ids = [v.id for v in prompt.open]
    text = "open there: " + (", ".join(open_ids) if open_ids else "nothing")
    greyed = [v.id for v in prompt.choices if not v.enabled]
    if greyed:
        text += "; greyed out: " + ", ".join(greyed)
    return text


def _continue(session: Session, path: tuple) -> Ask | Fill | Choose | Ended:
    """Read on through `next` pages (a walkthrough does not list them); what the journey asks after them."""
    for _ in range(MAX_PAGES):
        prompt = prompt_of(session)
        if not isinstance(prompt, Read):
            return prompt
        session.proceed()
    raise WalkFailure(path, f"the journey goes round `next` pages forever from scene '{session.scene_id}'")


def _step(session: Session, prompt: Ask | Fill | Choose | Ended, step, path: tuple, number: int) -> None:
    where = f"step {number} ('{step.id}')"
    scene_id = session.scene_id
    if isinstance(prompt, Ended):
        raise WalkFailure(path, f"{where}: the journey has already ended at '{scene_id}' "
                                f"({prompt.ending.title}); remove the steps after it or check the earlier ones")
    if step.options is not None:
        if not isinstance(prompt, (Ask, Fill)) or prompt.question.id != step.id:
            raise WalkFailure(path, f"{where}: expected question '{step.id}', but the journey is at scene "
                                    f"'{scene_id}', and {_open_here(prompt)}")
        session.answer(step.id, prompt.question.answer_units(step.options))
        return
    if isinstance(prompt, (Ask, Fill)):
        question_id = prompt.question.id
        raise WalkFailure(path, f"{where}: scene '{scene_id}' asks question '{question_id}' first; answer "
                                f"it with `- {question_id}: {walk_example(prompt.question)}`")
    view = next((v for v in prompt.choices if v.id == step.id), None)
    if view is None:
        choice = prompt.written(step.id)
        if choice is None:
            # A suggestion only from this scene: a name from another scene would send the author astray.
            near = [written.id for written in session.scene.choices or ()]
            raise WalkFailure(path, f"{where}: '{step.id}' is not a choice in scene '{scene_id}', where the "
                                    f"journey is now; {_open_here(prompt)}{did_you_mean(step.id, near)}")
        if choice.once and choice.id in session.state.chosen:
            raise WalkFailure(path, f"{where}: '{step.id}' can be chosen only once, and it already was")
        raise WalkFailure(path, f"{where}: '{step.id}' is hidden in scene '{scene_id}' at this point: its condition "
                                f"'{choice.condition}' is false")
    if not view.enabled:
        raise WalkFailure(path, f"{where}: '{step.id}' is greyed out at this point ({view.reason}); "
                                f"its condition '{view.choice.condition}' is false")
    session.choose(step.id, None if step.outcome is None else step.outcome - 1)


def play_walkthrough(story: LoadedStory, walk: Walkthrough, index: int) -> Session:
    """Play one walkthrough; raises WalkFailure (with the data path to blame) when it does not hold."""
    base = ("walkthroughs", index)
    session = Session(story, walk.seed, "practice")
    try:
        for number, step in enumerate(walk.choices, 1):
            path = base + ("choices", number - 1)
            _step(session, _continue(session, path), step, path, number)
        prompt = _continue(session, base + ("choices",))
    except ActionError as error:  # the checks above should catch everything; say it plainly if not
        raise WalkFailure(base, f"the game refused a step: {error}") from None
    if not isinstance(prompt, Ended):
        raise WalkFailure(base + ("choices",), f"the walkthrough stops in scene '{session.scene_id}' before any "
                                               f"ending; {_open_here(prompt)}")
    if session.scene_id != walk.ending:
        got = prompt.ending
        want = story.model.scenes[walk.ending].ending
        raise WalkFailure(base + ("ending",), f"reached ending '{session.scene_id}' ({got.title}, {got.kind}) "
                                              f"instead of '{walk.ending}' ({want.title}, {want.kind})")
    if walk.score is not None:
        percent = debrief(session).overall.percent
        low, high = walk.score
        if percent is None:
            raise WalkFailure(base + ("score",), "this path has no scored decisions, so it has no score; "
                                                 "remove `score`")
        if not low - 1e-9 <= percent <= high + 1e-9:
            raise WalkFailure(base + ("score",), f"scored {percent:.4g}%, expected {low:g} to {high:g}%")
    _check_verdict(debrief(session), walk, base)
    return session


def _check_verdict(report: Debrief, walk: Walkthrough, base: tuple) -> None:
    """The walkthrough's `safe` and `passed`, against the debrief's verdict."""
    if walk.safe is not None and walk.safe != report.safe:
        errors = "; ".join(f"decision {c.number}: {c.label}" for c in report.critical_errors)
        raise WalkFailure(base + ("safe",), f"expected a safe journey, but it has critical errors ({errors})"
                          if walk.safe else "expected an unsafe journey, but it has no critical error")
    if walk.passed is not None and walk.passed != report.passed:
        percent = report.overall.percent
        score = "no score" if percent is None else f"{percent:.4g}%"
        why = f"{score}, pass mark {report.pass_mark:g}%" + (", with a critical error" if not report.safe else "")
        raise WalkFailure(base + ("passed",), f"expected it to {'pass' if walk.passed else 'not pass'}, but it "
                          f"{'did not' if walk.passed else 'did'} ({why})")


def _written_wrong(story: LoadedStory) -> dict[int, list]:
    """For each walkthrough, what is wrong in how it is written, its steps first, except an unknown id:
    playing finds the scene where that step was due, and suggests a name from there."""
    model = story.model
    known = {c.id for s in model.scenes.values() for c in s.choices or ()}
    known |= {s.question.id for s in model.scenes.values() if s.question}
    found: dict[int, list] = {}
    for finding in walkthrough_findings(model):
        index, rest = finding.path[1], finding.path[2:]
        if rest[:1] == ("choices",) and len(rest) > 1 and model.walkthroughs[index].choices[rest[1]].id not in known:
            continue
        found.setdefault(index, []).append(finding)
    for findings in found.values():
        findings.sort(key=lambda finding: finding.path[2:3] != ("choices",))
    return found


def run_story(story: LoadedStory, display: str | None = None) -> list[WalkResult]:
    """Play every walkthrough; one written wrong fails with the reason, and the others still run."""
    sources = SourceMap(story, display)
    wrong = _written_wrong(story)
    results = []
    for index, walk in enumerate(story.model.walkthroughs):
        file, line, _ = sources.where(("walkthroughs", index))
        try:
            if index in wrong:
                first = wrong[index][0]
                raise WalkFailure(first.path, first.message)
            session = play_walkthrough(story, walk, index)
        except WalkFailure as failure:
            where = sources.where(failure.path)
            finding = Finding(*where, "error", "walkthrough-failed", f"walkthrough '{walk.name}': {failure.message}")
            results.append(WalkResult(walk.name, file, line, False, finding))
            continue
        report = debrief(session)
        results.append(WalkResult(walk.name, file, line, True, ending=session.scene_id,
                                  score=report.overall.percent, decisions=len(session.actions),
                                  critical=len(report.critical_errors)))
    return results


def walk_file(path: str | Path, display: str | None = None, progress=None) -> FileWalks:
    """Load a file and play its walkthroughs; fragments have none and are skipped."""
    display = display or str(path)
    began = time.perf_counter()
    opened = open_story(path, display)
    if opened.fragment:
        return FileWalks(display, fragment=True)
    if opened.error is not None:
        return FileWalks(display, problems=validation_findings(opened.error.errors))
    results = run_story(opened.story, display)
    return FileWalks(display, results=results, seconds=time.perf_counter() - began)
