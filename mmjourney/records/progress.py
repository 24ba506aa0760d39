"""A learner's progress per story, summarised from the records (the Progress screen shows it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..engine import verdict
from ..journey.record import AttemptRecord
from ..story.model import DEFAULT_PASS_MARK
from .database import Records, RecordsUnavailable, records
from .recording import MASTERY_PERCENT


@dataclass(frozen=True)
class AttemptSummary:
    id: int
    started_at: str
    ended_at: str | None
    mode: str
    status: str
    percent: float | None
    points: float
    max_points: float
    decisions: int
    critical_errors: int
    ending_title: str | None
    ending_kind: str | None
    story_version: str
    passed: bool  # the verdict: finished with the pass mark and no critical error

    @property
    def finished(self) -> bool:
        return self.status == "completed"


@dataclass
class StoryProgress:
    story_id: str
    title: str
    attempts: list[AttemptSummary] = field(default_factory=list)  # oldest first
    endings_found: list[str] = field(default_factory=list)  # ending titles reached, in the order first reached
    endings_total: int = 0
    objectives: list[tuple[str, str]] = field(default_factory=list)  # (id, text) of the latest version
    mastered: set[str] = field(default_factory=set)  # objective ids at MASTERY_PERCENT in a completed attempt

    @property
    def completed(self) -> list[AttemptSummary]:
        return [a for a in self.attempts if a.status == "completed"]

    @property
    def best(self) -> float | None:
        scores = [a.percent for a in self.completed if a.percent is not None]
        return max(scores) if scores else None

    @property
    def latest(self) -> float | None:
        done = sorted(self.completed, key=lambda a: (a.ended_at or a.started_at, a.id))
        return done[-1].percent if done else None

    @property
    def trend(self) -> list[float]:
        """Overall percent of each completed attempt, in the order they were played."""
        return [a.percent for a in self.completed if a.percent is not None]

    @property
    def objectives_mastered(self) -> int:
        return sum(1 for objective_id, _ in self.objectives if objective_id in self.mastered)


def _passed(row) -> bool:
    if row["passed"] is not None:
        return bool(row["passed"])
    # A record from before the verdict was kept: its story had no pass mark but the default.
    return verdict(row["percent"], row["critical_errors"], row["status"] == "completed", DEFAULT_PASS_MARK)[1]


def story_progress(db: Records) -> list[StoryProgress]:
    """Every story with at least one recorded decision, the most recently played first."""
    stories: dict[str, StoryProgress] = {}
    for row in db.attempts():
        progress = stories.get(row["story_id"])
        if progress is None:
            progress = stories[row["story_id"]] = StoryProgress(row["story_id"], row["story_title"])
        progress.title = row["story_title"]  # the latest title wins
        progress.attempts.append(AttemptSummary(
            id=row["id"], started_at=row["started_at"], ended_at=row["ended_at"], mode=row["mode"],
            status=row["status"], percent=row["percent"], points=row["points"], max_points=row["max_points"],
            decisions=row["decisions"], critical_errors=row["critical_errors"], ending_title=row["ending_title"],
            ending_kind=row["ending_kind"], story_version=row["story_version"], passed=_passed(row)))
        if row["status"] == "completed" and row["ending_title"] and row["ending_title"] not in progress.endings_found:
            progress.endings_found.append(row["ending_title"])
    for progress in stories.values():
        latest = db.load(progress.attempts[-1].id).story
        progress.objectives = [(o.id, o.text) for o in latest.objectives]
        titles = {e.title for e in latest.endings}
        progress.endings_total = max(len(latest.endings), len(titles | set(progress.endings_found)))
        rows = db.read(
            "SELECT s.key FROM scores s JOIN attempts a ON a.id = s.attempt_id WHERE a.story_id = ? AND "
            "a.status = 'completed' AND s.kind = 'objective' AND s.max_points > 0 "
            "GROUP BY s.key HAVING MAX(100.0 * s.points / s.max_points) >= ?", (progress.story_id, MASTERY_PERCENT))
        progress.mastered = {r["key"] for r in rows}
    return sorted(stories.values(), key=lambda p: max(a.ended_at or a.started_at for a in p.attempts), reverse=True)


def load_attempt(records_path: Path, attempt_id: int) -> tuple[AttemptRecord | None, str | None]:
    """An attempt's record from the learner's records, or why it cannot be read."""
    try:
        with records(records_path) as db:
            return db.load(attempt_id), None
    except RecordsUnavailable as error:
        return None, str(error)
