"""The Workspace: where one learner's things live, passed in rather than read from the environment.

The command line (or the classroom server) builds one Workspace at start-up and hands it
down; nothing below reads or writes `os.environ` after that. Two Workspaces in one process
never touch each other's files, so one host could serve several learners.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Protocol

from .files import MAX_SAVE_BYTES, MAX_SETTINGS_BYTES, read_small_text, set_aside, write_json_atomic

if TYPE_CHECKING:
    from ..engine import Session
    from .record import AttemptRecord, CarriedOver



class Kept(Protocol):
    """What keeping a journey in the records gave: its attempt's id, and anything to tell the learner."""

    @property
    def attempt_id(self) -> int | None: ...

    @property
    def message(self) -> str | None: ...


class AttemptKeeper(Protocol):
    """Keeps one journey's attempt in the learner's records (records.AttemptWriter)."""

    def keep(self, session: Session, *, abandoned: bool = False, carried: CarriedOver | None = None) -> Kept: ...

    def stored(self) -> AttemptRecord | None:
        """The attempt as the records hold it (with its times and the decisions taken back), if kept."""
        ...

    def unfinished_actions(self, story_id: str, content_hash: str, seed: int, mode: str) -> list[dict] | None:
        """The decisions of the records' unfinished attempt of that journey (Action JSON), if there is one."""
        ...


# Makes the keeper for one journey. The records live in a layer above this one, so the entry point
# that builds the Workspace hands this in.
Recorder = Callable[["Workspace"], AttemptKeeper]

DATA_ENV = "MMJOURNEY_DATA_DIR"
STORIES_ENV = "MMJOURNEY_STORIES"
CLASSROOM_ENV = "MMJOURNEY_CLASSROOM"  # set by `mmjourney serve` for the game processes it starts

# Settings a learner can change, with the type each must have: anything else in the file is ignored.
SETTING_TYPES: dict[str, type] = {"theme": str}


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("mmjourney", appauthor=False))


@dataclass(frozen=True)
class SavedJourney:
    """An unfinished journey that Continue can offer."""

    path: Path
    saved_at: float  # seconds since the epoch; 0 for a save that cannot be read
    story_id: str | None  # None: the save cannot be read
    title: str
    steps: int  # actions so far, "continue" included
    mode: str


@dataclass(frozen=True)
class Workspace:
    """One learner's data folder, their own stories, their name (classroom) and the mode of play."""

    data_dir: Path
    own_stories: Path | None = None  # --stories or MMJOURNEY_STORIES; else data_dir/stories
    learner: str | None = None  # the name a classroom learner gave; None: the one saved in the records
    classroom: bool = False  # a browser client: it never chooses a path on the server
    recorder: Recorder | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, *, stories: str | os.PathLike | None = None,
                         data_dir: str | os.PathLike | None = None, classroom: bool | None = None,
                         recorder: Recorder | None = None) -> Workspace:
        """The Workspace an entry point starts with: arguments first, then the environment, then defaults."""
        env = os.environ if environ is None else environ
        data = data_dir or env.get(DATA_ENV) or default_data_dir()
        own = stories or env.get(STORIES_ENV) or None
        return cls(Path(data), Path(own) if own else None,
                   classroom=bool(env.get(CLASSROOM_ENV)) if classroom is None else classroom,
                   recorder=recorder)

    def for_learner(self, folder: str, name: str) -> Workspace:
        """A classroom learner's own Workspace, in a folder of their own under this one's."""
        return replace(self, data_dir=self.data_dir / "learners" / folder, learner=name)

    # --- where things are ---------------------------------------------------------------------

    @property
    def stories_dir(self) -> Path:
        return self.own_stories or self.data_dir / "stories"

    @property
    def saves_dir(self) -> Path:
        return self.data_dir / "saves"

    def autosave_path(self, story_id: str) -> Path:
        """Where a story's unfinished journey is kept: one per story, so starting one story never
        drops the journey another would continue."""
        safe = re.sub(r"[^A-Za-z0-9_-]", "_", story_id)[:80] or "story"
        return self.saves_dir / f"{safe}.journey.json"

    def saved_journeys(self) -> list[SavedJourney]:
        """The unfinished journeys Continue offers, the most recently saved first. A save that cannot
        be read is still listed (by its file name): continuing it explains the problem and sets it aside.
        Older versions kept a single `autosave.json`; it is listed like the others."""
        try:
            paths = list(self.saves_dir.glob("*.json"))
        except OSError:
            return []
        found = []
        for path in paths:
            try:
                saved_at = path.stat().st_mtime
                doc = json.loads(read_small_text(path, MAX_SAVE_BYTES))
                story = doc["story"]
                found.append(SavedJourney(path, saved_at, str(story["id"]), str(story.get("title") or story["id"]),
                                          len(doc["actions"]), str(doc.get("mode", "practice"))))
            except (OSError, ValueError, UnicodeDecodeError, RecursionError, KeyError, TypeError):
                found.append(SavedJourney(path, 0.0, None, path.name, 0, "unknown"))
        return sorted(found, key=lambda s: s.saved_at, reverse=True)

    @property
    def settings_path(self) -> Path:
        return self.data_dir / "settings.json"

    @property
    def records_path(self) -> Path:
        return self.data_dir / "records" / "records.sqlite3"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    # --- settings ----------------------------------------------------------------------------

    def load_settings(self) -> dict:
        """Settings are a convenience: an unreadable file is set aside and defaults are used;
        a value of the wrong type is ignored."""
        path = self.settings_path
        try:
            data = json.loads(read_small_text(path, MAX_SETTINGS_BYTES))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            data = None
        if not isinstance(data, dict):
            try:
                set_aside(path)
            except OSError:
                pass
            return {}
        return {key: value for key, value in data.items()
                if key in SETTING_TYPES and isinstance(value, SETTING_TYPES[key])}

    def save_settings(self, settings: dict) -> None:
        write_json_atomic(self.settings_path, settings)
