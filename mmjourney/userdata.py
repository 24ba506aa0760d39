"""Where a learner's things live: their own stories, the autosave and settings.

Everything stays on this machine, under the platform's data folder (overridable with
MMJOURNEY_DATA_DIR, and the story folder with MMJOURNEY_STORIES or --stories).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from platformdirs import user_data_dir

DATA_ENV = "MMJOURNEY_DATA_DIR"
STORIES_ENV = "MMJOURNEY_STORIES"
LEARNER_ENV = "MMJOURNEY_LEARNER"  # set in classroom mode: the name the learner typed
CLASSROOM_ENV = "MMJOURNEY_CLASSROOM"  # set by `mmjourney serve`: ask each browser tab who is playing


def learner_name() -> str | None:
    return os.environ.get(LEARNER_ENV) or None


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV) or user_data_dir("mmjourney", appauthor=False))


def user_stories_dir(override: str | os.PathLike | None = None) -> Path:
    return Path(override or os.environ.get(STORIES_ENV) or data_dir() / "stories")


def autosave_path() -> Path:
    return data_dir() / "saves" / "autosave.json"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def load_settings() -> dict:
    """Settings are a convenience: an unreadable file is set aside and defaults are used."""
    path = settings_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    from .engine.saves import set_aside

    set_aside(path)
    return {}


def save_settings(settings: dict) -> None:
    from .engine.saves import write_json_atomic

    write_json_atomic(settings_path(), settings)
