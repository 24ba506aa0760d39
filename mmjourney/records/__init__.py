"""Progress records and exports: what a learner keeps and what an educator collects.

Everything stays on this machine: a SQLite database in the data folder, and files that the
learner chooses to export. Nothing is sent anywhere. Never imports textual.

Names are loaded on first use, so `from mmjourney.records.cli import add_commands` (which the
`mmjourney` command runs at every start) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:  # what type checkers see; at run time the names load on first use
    from .database import Records as Records
    from .database import RecordsUnavailable as RecordsUnavailable
    from .database import open_records as open_records
    from .database import records as records
    from .database import records_path as records_path
    from .exports import ExportError as ExportError
    from .exports import export_attempt as export_attempt

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
