"""Progress records and exports: what a learner keeps and what an educator collects.

Everything stays on this machine: a SQLite database in the data folder, and files that the
learner chooses to export. Nothing is sent anywhere. Never imports textual.
"""

from .database import Records, RecordsUnavailable, open_records, records, records_path
from .recording import (
    find_story,
    rebuild_session,
    MASTERY_PERCENT,
    PASS_PERCENT,
    Recorded,
    build_record,
    get_learner,
    record_attempt,
    record_progress,
    set_learner,
)

__all__ = [
    "MASTERY_PERCENT", "PASS_PERCENT", "Recorded", "Records", "RecordsUnavailable", "build_record", "get_learner",
    "find_story", "open_records", "rebuild_session", "record_attempt", "record_progress", "records", "records_path", "set_learner",
]
