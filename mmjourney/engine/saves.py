"""Saving a journey as a small versioned JSON document, and restoring it exactly.

A save holds what is needed to replay the journey (story identity, seed, mode, actions)
and nothing derived from it, so restoring is replaying. Files are written atomically and
a file that cannot be read is moved aside, never overwritten.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, Required, TypedDict, cast

from ..story import LoadedStory
from .session import MODES, Action, ActionError, Mode, Session

SAVE_FORMAT = "mmjourney-save"
SAVE_VERSION = 1
MAX_SAVE_BYTES = 4 * 1024 * 1024


class SavedStory(TypedDict, total=False):
    """Which story a save belongs to; only the id is required of a save read back."""

    id: Required[str]
    version: str
    content_hash: str


class SaveDocument(TypedDict):
    """A save as JSON: what replaying the journey needs, and nothing derived from it."""

    format: str
    version: int
    story: SavedStory
    seed: int
    mode: Mode
    actions: list[dict[str, Any]]  # Action.to_json() each
    saved_at: NotRequired[str]
    story_path: NotRequired[str]  # the autosave adds where the story file is


class SaveError(Exception):
    """A save document that cannot be used; the message says why in plain words."""


class SaveMismatch(SaveError):
    """The story changed since the save, and the saved decisions no longer all fit it.

    `usable` is how many of the saved decisions still replay: restoring with
    `upto=usable` resumes as far as the story still allows.
    """

    def __init__(self, message: str, usable: int) -> None:
        super().__init__(message)
        self.usable = usable


@dataclass(frozen=True)
class Restored:
    session: Session
    note: str | None  # set when the story changed since the save but the journey still fits


def to_document(session: Session) -> SaveDocument:
    model = session.story.model
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "story": {"id": model.id, "version": model.version, "content_hash": session.story.content_hash},
        "seed": session.seed,
        "mode": session.mode,
        "actions": [a.to_json() for a in session.actions],
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _check_document(doc: object) -> SaveDocument:
    """`doc` as a save document, once its shape is checked; else SaveError saying what is wrong."""
    if not isinstance(doc, dict) or doc.get("format") != SAVE_FORMAT:
        raise SaveError("this is not an mmjourney save")
    if doc.get("version") != SAVE_VERSION:
        raise SaveError(f"save format version {doc.get('version')!r} is not supported (expected {SAVE_VERSION})")
    story = doc.get("story")
    if not isinstance(story, dict) or not isinstance(story.get("id"), str):
        raise SaveError("the save does not say which story it belongs to")
    if not isinstance(doc.get("seed"), int) or doc.get("mode") not in MODES:
        raise SaveError("the save's seed or mode is missing or invalid")
    actions = doc.get("actions")
    if not isinstance(actions, list) or not all(isinstance(a, dict) and isinstance(a.get("kind"), str)
                                                for a in actions):
        raise SaveError("the save's list of decisions is damaged")
    return cast(SaveDocument, doc)


def restore(story: LoadedStory, doc: object, upto: int | None = None) -> Restored:
    """Rebuild the saved journey by replaying it against `story`."""
    save = _check_document(doc)
    saved = save["story"]
    if saved["id"] != story.model.id:
        raise SaveError(f"this save belongs to story '{saved['id']}', not '{story.model.id}'")
    try:
        actions = [Action.from_json(a) for a in save["actions"]]
    except (KeyError, TypeError, ValueError):
        raise SaveError("the save's list of decisions is damaged") from None
    if upto is not None:
        actions = actions[:upto]
    session = Session(story, save["seed"], save["mode"])
    for index, action in enumerate(actions):
        try:
            session.apply(action)
        except (ActionError, KeyError, TypeError, ValueError) as error:
            raise SaveMismatch(
                f"the story '{story.model.title}' has changed since this journey was saved "
                f"(saved version {saved.get('version')}, now {story.model.version}): decision {index + 1} "
                f"no longer fits ({error}); the first {index} decisions can still be resumed",
                usable=index,
            ) from None
    note = None
    if saved.get("content_hash") != story.content_hash:
        note = (f"the story has changed since this journey was saved (version {saved.get('version')}, "
                f"now {story.model.version}); all {len(actions)} saved decisions still fit it")
    return Restored(session, note)


def write_text_atomic(path: Path, text: str, *, private: bool = True) -> None:
    """Write so that a crash or a full disk leaves the old file or the new one, never half of one.

    `private=False` gives the file the usual permissions (exports are meant to be handed on);
    saves keep mkstemp's owner-only ones.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if not private and hasattr(os, "fchmod"):
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, indent=1))


def set_aside(path: Path, reason: str = "corrupt") -> Path:
    """Move an unreadable file out of the way as `NAME.REASON-TIME`, keeping it for inspection."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    return target


def read_save(path: Path) -> SaveDocument:
    """Read a save file; a damaged one is set aside and reported with SaveError."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise ValueError("too large")
        return _check_document(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError, SaveError) as error:
        kept = set_aside(path)
        raise SaveError(f"the save file {path.name} is damaged ({error}); it was kept as {kept.name}") from None


def save_session(session: Session, path: Path) -> None:
    write_json_atomic(path, to_document(session))
