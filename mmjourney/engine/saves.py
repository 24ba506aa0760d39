"""Saving a journey as a small versioned JSON document, and restoring it exactly.

A save holds what is needed to replay the journey (story identity, seed, mode, actions)
and nothing derived from it, so restoring is replaying. No file I/O here: reading and
writing save files is `journey.files`'s job.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, NotRequired, Required, TypedDict, cast

from ..story import LoadedStory
from .session import MODES, Action, Mode, Session

SAVE_FORMAT = "mmjourney-save"
SAVE_VERSION = 1


class SavedStory(TypedDict, total=False):
    """Which story a save belongs to; only the id is required of a save read back."""

    id: Required[str]
    version: str
    content_hash: str
    title: str  # for the list of journeys to continue


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
    carried_over: NotRequired[dict[str, Any]]  # and, for a journey begun with "try again from here", what it carried


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
        "story": {"id": model.id, "version": model.version, "content_hash": session.story.content_hash,
                  "title": model.title},
        "seed": session.seed,
        "mode": session.mode,
        "actions": [a.to_json() for a in session.actions],
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def check_document(doc: object) -> SaveDocument:
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
    save = check_document(doc)
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
    fitted, error = session.replay_fitting(actions)
    if error is not None:
        raise SaveMismatch(
            f"the story '{story.model.title}' has changed since this journey was saved "
            f"(saved version {saved.get('version')}, now {story.model.version}): decision {fitted + 1} "
            f"no longer fits ({error}); the first {fitted} decisions can still be resumed",
            usable=fitted,
        )
    note = None
    if saved.get("content_hash") != story.content_hash:
        note = (f"the story has changed since this journey was saved (version {saved.get('version')}, "
                f"now {story.model.version}); all {len(actions)} saved decisions still fit it")
    return Restored(session, note)
