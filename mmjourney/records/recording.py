"""Recording attempts: what a journey becomes in the records, and when it is written.

An attempt record holds what is needed to replay the journey exactly (story id, version and
content hash, seed, mode, actions) and, beside it, everything a report needs without the story
file: scores by clinical-judgment step, objective and category, each decision with the expert's
choice, rationale and time, critical errors, the labs over the journey and the ending. The record
is an `AttemptRecord` (journey/record.py), built by `journey.attempt.build_record`.

A player keeps one `AttemptWriter` per journey (the Workspace's recorder, `attempt_writer`) and
calls `keep(session)` after every decision or undo: the attempt is kept up to date, so a crash or
kill loses nothing that was decided; at an ending it is marked completed, and `keep(session,
abandoned=True)` marks a journey left for good. `keep` never raises: it returns `Recorded`, whose
`message` (if any) is for the learner.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import Session
from ..journey.attempt import build_record
from ..journey.fields import Fields
from ..journey.record import AttemptRecord, CarriedOver, DecisionRecord, UndoneDecision
from . import outbox
from .database import Records, RecordsUnavailable, now_iso, open_records, owner_alive, process_owner, records

MASTERY_PERCENT = 80.0  # an objective is mastered at this score in a completed attempt


@dataclass(frozen=True)
class Recorded:
    """The result of recording: the attempt's local id, and anything the learner should be told."""

    attempt_id: int | None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.attempt_id is not None


def pseudonym(installation_id: str, learner: str | None) -> str:
    """A stable id for a learner on this machine that does not reveal their name."""
    digest = hashlib.sha256(f"{installation_id}\0{(learner or '').strip().casefold()}".encode()).hexdigest()
    return f"mmj-{digest[:16]}"


# --- what one journey's writer remembers between decisions --------------------------------------------


@dataclass
class _Tracked:
    first_seen: str
    uuid: str | None = None
    # The actions as this writer saw them happen, with their times: kept even when a write fails.
    seen: list[tuple[dict, str | None]] = field(default_factory=list)


def _observe(seen: list[tuple[dict, str | None]], actions: list[dict], now: str) -> list[tuple[dict, str | None]]:
    common = _common_prefix([a for a, _ in seen], actions)
    if not seen and len(actions) > 1:
        # First seen with decisions already made (a branch replayed from an earlier journey, a resumed one,
        # a player that records only at the end): when those were made is not known here.
        return [(a, None) for a in actions[:-1]] + [(actions[-1], now)]
    return seen[:common] + [(a, now) for a in actions[common:]]


def _common_prefix(first: list, second: list) -> int:
    common = 0
    while common < min(len(first), len(second)) and first[common] == second[common]:
        common += 1
    return common


# --- writing --------------------------------------------------------------------------------------


def _learner(db: Records, given: str | None) -> str | None:
    name = given if given is not None else db.get_meta("learner")
    name = (name or "").strip()
    return name[:200] or None


def _adopt(connection, session: Session, actions: list[dict]):
    """An unfinished attempt of this journey left by a process that is gone (a crash, a kill) or by us."""
    model = session.story.model
    rows = connection.execute(
        "SELECT id, uuid, owner, updated_at, actions FROM attempts WHERE status = 'in_progress' AND story_id = ? "
        "AND content_hash = ? AND seed = ? AND mode = ? ORDER BY updated_at DESC, id DESC",
        (model.id, session.story.content_hash, session.seed, session.mode)).fetchall()
    me = process_owner()
    for attempt_id, attempt_uuid, owner, updated_at, stored_text in rows:
        if owner != me and owner_alive(owner, updated_at):
            continue  # another window is still playing it
        try:
            stored = json.loads(stored_text)
        except ValueError:
            continue
        if stored == actions[:len(stored)]:
            return attempt_id, attempt_uuid
    return None


def _abandon_left_behind(connection, keep: int, story_id: str) -> None:
    """Unfinished attempts of the same story that nobody can continue any more (their process is gone,
    or it started this one): each story keeps one unfinished journey, so a new one replaces the old.
    Other stories' unfinished attempts stay, since Continue can still offer them."""
    me = process_owner()
    rows = connection.execute("SELECT id, owner, updated_at, record FROM attempts "
                              "WHERE status = 'in_progress' AND id != ? AND story_id = ?", (keep, story_id)).fetchall()
    for attempt_id, owner, updated_at, text in rows:
        if owner == me or not owner_alive(owner, updated_at):
            try:
                record = json.loads(text)
            except ValueError:
                record = {}
            record.update(status="abandoned", ended_at=updated_at)
            connection.execute("UPDATE attempts SET status = 'abandoned', ended_at = updated_at, record = ? "
                               "WHERE id = ?", (json.dumps(record, ensure_ascii=False), attempt_id))
            try:
                outbox.queue(connection, attempt_id, AttemptRecord.from_json(record), now_iso())
            except (ValueError, RecursionError):
                pass  # a damaged record has no statements to send


_ROW = ("SELECT id, status, actions, started_at, undos, learner, learner_key, uuid, record FROM attempts "
        "WHERE uuid = ?")


def _kept(text: str) -> tuple[tuple[UndoneDecision, ...], tuple[DecisionRecord, ...]]:
    """What the attempt's stored record says was taken back so far, and its decisions before this write
    (the ones an undo takes back); nothing for a row just made ('{}')."""
    try:
        kept = Fields(json.loads(text), "")
        return (kept.objects("undone", UndoneDecision.read) if "undone" in kept.data else (),
                kept.objects("decisions", DecisionRecord.read) if "decisions" in kept.data else ())
    except ValueError:
        return (), ()


def _sync(db: Records, session: Session, tracked: _Tracked, learner: str | None, abandoned: bool,
          now: str, carried: CarriedOver | None) -> int | None:
    tracked.seen = _observe(tracked.seen, [a.to_json() for a in session.actions], now)
    before = tracked.uuid
    try:
        return _sync_tracked(db, session, tracked, learner, abandoned, now, carried)
    except BaseException:
        tracked.uuid = before  # nothing was committed: a row created in the failed transaction is gone
        raise


def _sync_tracked(db: Records, session: Session, tracked: _Tracked, learner: str | None, abandoned: bool,
                  now: str, carried: CarriedOver | None) -> int | None:
    actions = [a.to_json() for a in session.actions]
    if not actions and tracked.uuid is None:
        return None  # nothing decided yet: nothing to keep
    model = session.story.model
    name = _learner(db, learner)
    key = pseudonym(db.installation_id(), name)
    with db.write() as connection:
        row = None
        if tracked.uuid is not None:
            row = connection.execute(_ROW, (tracked.uuid,)).fetchone()
            if row is None:
                tracked.uuid = None  # the records file was replaced (set aside): start the attempt afresh
            elif row[1] != "in_progress":
                if json.loads(row[2]) == actions:
                    return row[0]  # a finished attempt does not change
                # Going on from a finished attempt (undo after the ending) starts a new one.
                row = None
                tracked.uuid = None
                tracked.first_seen = now
        created = False
        if row is None and tracked.uuid is None:
            adopted = _adopt(connection, session, actions)
            if adopted is not None:
                tracked.uuid = adopted[1]
            else:
                tracked.uuid = uuid.uuid4().hex
                created = True
                connection.execute(
                    "INSERT INTO attempts (uuid, learner, learner_key, story_id, story_title, story_version, "
                    "content_hash, story_path, mode, seed, status, started_at, updated_at, actions, owner, record) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, '[]', ?, '{}')",
                    (tracked.uuid, name, key, model.id, model.title, model.version, session.story.content_hash,
                     str(Path(session.story.path).resolve()), session.mode, session.seed, tracked.first_seen, now,
                     process_owner()))
            row = connection.execute(_ROW, (tracked.uuid,)).fetchone()
        assert row is not None  # found by its uuid, or inserted just above in this transaction
        attempt_id, _, _, started_at, undos, name, key, attempt_uuid, kept = row
        stored = connection.execute("SELECT action, decided_at FROM decisions WHERE attempt_id = ? "
                                    "ORDER BY position", (attempt_id,)).fetchall()
        previous = [(json.loads(a), t) for a, t in stored]
        common = _common_prefix([a for a, _ in previous], actions)
        undone, before = _kept(kept)
        if len(stored) > common:
            undos += 1
            undone += tuple(UndoneDecision.of(d, now) for d in before if d.position >= common)
        # Times already in the records win (a journey resumed after a crash); then what this process saw.
        seen = tracked.seen if len(tracked.seen) == len(actions) else _observe([], actions, now)
        timestamps = [previous[i][1] if i < common else seen[i][1] for i in range(len(actions))]
        tracked.seen = list(zip(actions, timestamps, strict=True))
        if session.ended:
            status, ended_at = "completed", now
        elif abandoned:
            status, ended_at = "abandoned", now
        else:
            status, ended_at = "in_progress", None
        record = build_record(session, attempt_uuid=attempt_uuid, learner=name, learner_key=key, status=status,
                              started_at=started_at, updated_at=now, ended_at=ended_at, timestamps=timestamps,
                              undos=undos, undone=undone, carried=carried)
        overall = record.scores.overall
        ending = record.ending
        connection.execute(
            "UPDATE attempts SET status = ?, updated_at = ?, ended_at = ?, duration_seconds = ?, actions = ?, "
            "decisions = ?, points = ?, max_points = ?, percent = ?, critical_errors = ?, ending_scene = ?, "
            "ending_title = ?, ending_kind = ?, undos = ?, owner = ?, record = ? WHERE id = ?",
            (status, now, ended_at, record.duration_seconds, json.dumps(actions), len(actions),
             overall.points, overall.max_points, overall.percent, len(record.critical_errors),
             ending and ending.scene, ending and ending.title, ending and ending.kind, undos, process_owner(),
             json.dumps(record.to_json(), ensure_ascii=False), attempt_id))
        connection.execute("DELETE FROM decisions WHERE attempt_id = ? AND position >= ?", (attempt_id, common))
        connection.executemany(
            "INSERT INTO decisions (attempt_id, position, action, decided_at) VALUES (?, ?, ?, ?)",
            [(attempt_id, i, json.dumps(actions[i]), timestamps[i]) for i in range(common, len(actions))])
        connection.execute("DELETE FROM scores WHERE attempt_id = ?", (attempt_id,))
        scores = record.scores
        rows = [("overall", "", scores.overall)]
        for kind, group in (("step", scores.by_step), ("objective", scores.by_objective),
                            ("category", scores.by_category)):
            rows += [(kind, k, t) for k, t in group.items()]
        connection.executemany(
            "INSERT INTO scores (attempt_id, kind, key, points, max_points, decisions) VALUES (?, ?, ?, ?, ?, ?)",
            [(attempt_id, kind, k, t.points, t.max_points, t.decisions) for kind, k, t in rows])
        outbox.queue(connection, attempt_id, record, now)  # once finished: the same transaction makes it durable
        if created:
            _abandon_left_behind(connection, attempt_id, model.id)
    return attempt_id


class AttemptWriter:
    """Keeps one journey's attempt in a records file, decision by decision.

    One writer per journey (the Workspace's recorder makes one): it remembers which attempt row is
    this journey's and when each decision was first seen, and keeps the records open between
    decisions, so a decision costs one write transaction rather than an open, a check and a write.
    Not thread-safe by itself: the Journey calls it under its recording lock.
    """

    def __init__(self, path: Path | None = None, learner: str | None = None) -> None:
        self.path = path
        self.learner = learner
        self.attempt_id: int | None = None
        self._store: Records | None = None
        self._inode: int | None = None
        self._tracked: _Tracked | None = None

    def keep(self, session: Session, *, abandoned: bool = False, now: str | None = None,
             carried: CarriedOver | None = None) -> Recorded:
        """Bring the attempt up to date with `session` (completed at an ending, abandoned if asked; `carried`:
        its first decisions were made in an earlier attempt). Never raises: a problem comes back as the
        Recorded's message, for the learner."""
        now = now or now_iso()
        try:
            store, notice = self._open()
            if self._tracked is None:
                self._tracked = _Tracked(now)
            attempt_id = _sync(store, session, self._tracked, self.learner, abandoned, now, carried)
        except RecordsUnavailable as error:
            self.close()  # open afresh next time: the file is checked (and set aside if damaged) then
            return Recorded(None, str(error))
        except Exception as error:  # recording must never stop the game
            self.close()
            return Recorded(None, f"Could not save to the records: {error.__class__.__name__}: {error}")
        self.attempt_id = attempt_id
        return Recorded(attempt_id, notice)

    def stored(self) -> AttemptRecord | None:
        """This journey's attempt as the records hold it, or None (not recorded yet, or unreadable)."""
        if self.attempt_id is None:
            return None
        try:
            store, _ = self._open()
            return store.load(self.attempt_id)
        except RecordsUnavailable:
            self.close()
            return None

    def unfinished_actions(self, story_id: str, content_hash: str, seed: int, mode: str) -> list[dict] | None:
        """The decisions of the most recent unfinished attempt of that journey that no other open window
        is playing (None if there is none, or the records cannot be read): in assessment mode the
        records, not the autosave, say what was decided."""
        try:
            store, _ = self._open()
            rows = store.read(
                "SELECT owner, updated_at, actions FROM attempts WHERE status = 'in_progress' AND story_id = ? "
                "AND content_hash = ? AND seed = ? AND mode = ? ORDER BY updated_at DESC, id DESC",
                (story_id, content_hash, seed, mode))
        except RecordsUnavailable:
            self.close()
            return None
        me = process_owner()
        for row in rows:
            if row["owner"] != me and owner_alive(row["owner"], row["updated_at"]):
                continue
            try:
                actions = json.loads(row["actions"])
            except ValueError:
                continue
            if isinstance(actions, list):
                return actions
        return None

    def _open(self) -> tuple[Records, str | None]:
        if self._store is not None and self._inode != _inode(self._store.path):
            self.close()  # another window set the file aside: follow the new one
        if self._store is not None:
            return self._store, None
        self._store = open_records(self.path)
        self._inode = _inode(self._store.path)
        return self._store, self._store.notice

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def attempt_writer(workspace) -> AttemptWriter:
    """The Workspace's recorder: a writer for one journey in that workspace's records (see journey.Workspace)."""
    return AttemptWriter(workspace.records_path, workspace.learner)


# --- learner name ------------------------------------------------------------------------------------


def get_learner(path: Path | None = None) -> str | None:
    """The learner name saved in the records (a classroom learner's name comes from their Workspace)."""
    try:
        with records(path) as db:
            return db.get_meta("learner")
    except RecordsUnavailable:
        return None


def set_learner(name: str | None, path: Path | None = None) -> str | None:
    """Save (or with None/'' forget) the learner name; returns a message if it could not be saved."""
    name = (name or "").strip()[:200] or None
    try:
        with records(path) as db:
            db.set_meta("learner", name)
    except RecordsUnavailable as error:
        return str(error)
    return None


# --- back from a record to a journey ------------------------------------------------------------------


def rebuild_session(record: AttemptRecord, story) -> Session:
    """Replay a recorded attempt against `story`: the same journey, ready for the full debrief.

    Raises ValueError (plain words) if the story is another one or no longer fits the decisions.
    """
    from ..engine import ActionError

    if record.story.id != story.model.id:
        raise ValueError(f"this attempt belongs to story '{record.story.id}', not '{story.model.id}'")
    session = Session(story, record.seed, record.mode)
    try:
        session.replay(list(record.actions))
    except (ActionError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the story has changed since this attempt (recorded version "
                         f"{record.story.version}, now {story.model.version}) and the decisions no longer "
                         f"fit it: {error}") from None
    return session


def find_story(record: AttemptRecord, stories_dir: Path | None = None):
    """The story file of a record, if it is still on this machine (or in `stories_dir`):
    (LoadedStory or None, note)."""
    from ..library import scan
    from ..story import StoryError, load_story

    wanted = record.story
    candidates = []
    local = record.local.story_path if record.local else None
    if local and Path(local).is_file():
        try:
            candidates.append(load_story(Path(local)))
        except StoryError:
            pass
    if not any(c.model.id == wanted.id and c.content_hash == wanted.content_hash for c in candidates):
        candidates += [entry.story for entry in scan(stories_dir) if entry.story is not None]
    same = [c for c in candidates if c.model.id == wanted.id]
    for story in same:
        if story.content_hash == wanted.content_hash:
            return story, None
    if same:
        return same[0], (f"The story has changed since this attempt (recorded version {wanted.version}, "
                         f"now {same[0].model.version}).")
    return None, f"The story '{wanted.title}' is not on this machine any more."
