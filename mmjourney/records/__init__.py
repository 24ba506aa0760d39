"""Progress records and exports: what a learner keeps and what an educator collects.

Everything stays on this machine: a SQLite database in the data folder, and files that the
learner chooses to export. Nothing is sent anywhere. Never imports textual.

Names are loaded on first use, so `from mmjourney.records.cli import add_commands` (which the
`mmjourney` command runs at every start) stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Records": "database", "RecordsUnavailable": "database", "open_records": "database", "records": "database",
    "records_path": "database",
    "MASTERY_PERCENT": "recording", "PASS_PERCENT": "recording", "Recorded": "recording",
    "AttemptWriter": "recording", "attempt_writer": "recording",
    "build_record": "recording", "find_story": "recording", "get_learner": "recording",
    "rebuild_session": "recording",
    "set_learner": "recording",
    "ExportError": "exports", "export_attempt": "exports",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
