"""Running a story: state, clock, choices, events, scoring, saves. Never imports textual.

The TUI, the plain player and the author tools use only what is exported here.
"""

from .clock import clock_text, duration_text
from .saves import Restored, SaveDocument, SaveError, SaveMismatch, restore, to_document
from .scoring import (
    STEP_LABELS,
    Debrief,
    DecisionReview,
    Tally,
    best_choice,
    better_choice,
    debrief,
    expert_labels,
    verdict,
)
from .session import (
    MODES,
    RATING_ORDER,
    Action,
    ActionError,
    ChartPoint,
    ChoiceView,
    Consequence,
    Mode,
    Session,
    StatChange,
    fully_correct,
    parts_problem,
    score_answer,
    start,
)

__all__ = [
    "MODES", "RATING_ORDER", "STEP_LABELS", "Action", "ActionError", "ChartPoint", "ChoiceView", "Consequence",
    "Debrief", "DecisionReview", "Mode", "Restored", "SaveDocument", "SaveError", "SaveMismatch", "Session",
    "StatChange", "Tally", "clock_text", "best_choice", "better_choice", "debrief", "duration_text", "expert_labels",
    "fully_correct", "parts_problem", "restore", "score_answer", "start", "to_document", "verdict",
]
