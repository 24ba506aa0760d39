"""Progress records and exports: what a learner keeps and what an educator collects.

Everything stays on this machine: a SQLite database in the data folder, and files that the
learner chooses to export. Nothing is sent anywhere. Never imports textual.

Names are loaded on first use, so `from mmjourney.records.cli import add_commands` (which the
`mmjourney` command runs at every start) stays cheap.
"""

from __future__ import annotations

from ..lazy import lazy_names

_EXPORTS = {
    "Records": "database", "RecordsUnavailable": "database", "open_records": "database", "records": "database",
    "records_path": "database",
    "MASTERY_PERCENT": "recording", "Recorded": "recording",
    "AttemptWriter": "recording", "attempt_writer": "recording",
    "build_record": "recording", "find_story": "recording", "get_learner": "recording",
    "rebuild_session": "recording",
    "set_learner": "recording",
    "ExportError": "exports", "export_attempt": "exports",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS, globals())
