"""The debrief: scores by clinical-judgment step, objective and category, and the expert path."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..story import LoadedStory
from ..story.model import DEFAULT_PASS_MARK, Choice, Question, Scene
from .session import RATING_ORDER, Consequence, Session, correct_units

STEP_LABELS = {
    "recognize_cues": "Recognize cues",
    "analyze_cues": "Analyze cues",
    "prioritize_hypotheses": "Prioritize hypotheses",
    "generate_solutions": "Generate solutions",
    "take_action": "Take action",
    "evaluate_outcomes": "Evaluate outcomes",
}


@dataclass
class Tally:
    points: float = 0.0
    max_points: float = 0.0
    decisions: int = 0

    def add(self, consequence: Consequence) -> None:
        self.points += consequence.points
        self.max_points += consequence.max_points
        self.decisions += 1

    @property
    def percent(self) -> float | None:
        return None if self.max_points == 0 else 100.0 * self.points / self.max_points


def verdict(percent: float | None, critical_errors: int, finished: bool, pass_mark: float) -> tuple[bool, bool]:
    """(safe, passed): one rule for every debrief, record, report and statement.

    A journey with a critical error is unsafe whatever its percentage, and an unsafe journey never
    passes; an unfinished one has not passed (yet). The percent is taken as the records round it (two
    places), so a record read back gives the same verdict as the journey it was made from.
    """
    safe = critical_errors == 0
    return safe, safe and finished and round(percent or 0.0, 2) >= pass_mark


@dataclass(frozen=True)
class DecisionReview:
    consequence: Consequence
    expert: tuple[str, ...]  # the best choice open at the time, or the correct options
    matched_expert: bool


@dataclass
class Debrief:
    overall: Tally = field(default_factory=Tally)
    by_step: dict[str, Tally] = field(default_factory=dict)
    by_objective: dict[str, Tally] = field(default_factory=dict)
    by_category: dict[str, Tally] = field(default_factory=dict)
    critical_errors: list[Consequence] = field(default_factory=list)
    decisions: list[DecisionReview] = field(default_factory=list)
    ending: str | None = None
    ending_kind: str | None = None
    pass_mark: float = DEFAULT_PASS_MARK

    @property
    def safe(self) -> bool:
        return not self.critical_errors

    @property
    def passed(self) -> bool:
        return verdict(self.overall.percent, len(self.critical_errors), self.ending is not None, self.pass_mark)[1]


def best_choice(choices: list[Choice]) -> Choice | None:
    """The highest-rated of `choices`, first one on a tie."""
    ranked = sorted(choices, key=lambda c: RATING_ORDER.index(c.rating))
    return ranked[0] if ranked else None


def better_choice(story: LoadedStory, consequence: Consequence) -> Choice | None:
    """After a choice that was not the best: the best-rated choice that was open then, whose label and
    rationale tell the learner what to do instead and why (None after the best, an answer or a page)."""
    if consequence.kind != "choose" or consequence.rating is None:
        return None
    scene = story.model.scenes[consequence.scene]
    best = best_choice([c for c in scene.choices or () if c.id in consequence.alternatives])
    if best is None or RATING_ORDER.index(best.rating) >= RATING_ORDER.index(consequence.rating):
        return None
    return best


def _asked(scene: Scene, consequence: Consequence) -> Question:
    """The question an answer was given to (only a question scene takes answers)."""
    if scene.question is None:
        raise ValueError(f"scene '{consequence.scene}' asks no question, but '{consequence.id}' was answered there")
    return scene.question


def _expert_for(session: Session, consequence: Consequence) -> tuple[str, ...]:
    scene = session.story.model.scenes[consequence.scene]
    if consequence.kind == "answer":
        return tuple(unit.id for unit in correct_units(_asked(scene, consequence)))
    open_choices = [c for c in scene.choices or () if c.id in consequence.alternatives]
    best = best_choice(open_choices)
    return (best.id,) if best else ()


def expert_labels(story: LoadedStory, review: DecisionReview) -> list[str]:
    """What the expert chose, in the player's words: choice labels or option texts."""
    scene = story.model.scenes[review.consequence.scene]
    if review.consequence.kind == "answer":
        texts = {unit.id: unit.label for unit in _asked(scene, review.consequence).units}
    else:
        texts = {c.id: c.label for c in scene.choices or ()}
    return [texts[i] for i in review.expert]


def debrief(session: Session) -> Debrief:
    """Score a journey (finished or not) decision by decision."""
    report = Debrief(pass_mark=session.story.model.pass_mark)
    for consequence in session.history:
        if not consequence.scored:
            continue
        report.overall.add(consequence)
        if consequence.step is not None:  # always set on a scored decision
            report.by_step.setdefault(consequence.step, Tally()).add(consequence)
        for objective in consequence.objectives:
            report.by_objective.setdefault(objective, Tally()).add(consequence)
        if consequence.category:
            report.by_category.setdefault(consequence.category, Tally()).add(consequence)
        if consequence.critical:
            report.critical_errors.append(consequence)
        expert = _expert_for(session, consequence)
        matched = set(consequence.picked) == set(expert) if consequence.kind == "answer" else (
            consequence.id in expert or consequence.points >= 1.0)
        report.decisions.append(DecisionReview(consequence, expert, matched))
    # The clinical-judgment steps in the model's order (cues before hypotheses before actions), not the
    # order the journey happened to meet them: every debrief and export reads them as the model runs.
    report.by_step = {step: report.by_step[step] for step in STEP_LABELS if step in report.by_step}
    ending = session.scene.ending  # set exactly when the session has ended
    if ending is not None:
        report.ending = ending.title
        report.ending_kind = ending.kind
    return report
