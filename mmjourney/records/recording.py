"""Recording attempts: what a journey becomes in the records, and when it is written.

An attempt record holds what is needed to replay the journey exactly (story id, version and
content hash, seed, mode, actions) and, beside it, everything a report needs without the story
file: scores by clinical-judgment step, objective and category, each decision with the expert's
choice, rationale and time, critical errors, the labs over the journey and the ending.

Two calls for the player:
- `record_progress(session)` after every decision or undo (where the autosave is written): the
  attempt is kept up to date, so a crash or kill loses nothing that was decided. When the journey
  has ended, the attempt is marked completed.
- `record_attempt(session, abandoned=True)` when a journey is left for good.
Both never raise: they return `Recorded`, whose `message` (if any) is for the learner.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..engine import STEP_LABELS, Session, debrief, expert_labels
from .database import Records, RecordsUnavailable, now_iso, owner_alive, process_owner, records

RECORD_VERSION = 1
PASS_PERCENT = 80.0  # a completed attempt "succeeds" at this overall score with no critical error
MASTERY_PERCENT = 80.0  # an objective is mastered at this score in a completed attempt
IDLE_CAP_SECONDS = 30 * 60  # breaks longer than this do not count towards an attempt's duration


@dataclass(frozen=True)
class Recorded:
    """The result of recording: the attempt's local id, and anything the learner should be told."""

    attempt_id: int | None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.attempt_id is not None


# --- building the record ----------------------------------------------------------------------------


def _tally(tally) -> dict:
    return {"points": tally.points, "max_points": tally.max_points, "decisions": tally.decisions,
            "percent": None if tally.percent is None else round(tally.percent, 2)}


def _parse(stamp: str | None) -> float | None:
    if not stamp:
        return None
    try:
        whole = time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    fraction = float("0" + stamp[19:-1]) if stamp[19:20] == "." else 0.0
    return _timegm(whole) + fraction


def _timegm(struct) -> float:
    import calendar

    return float(calendar.timegm(struct))


def active_seconds(stamps: list[str | None]) -> float:
    """Time spent on the attempt: gaps between start, decisions and end, breaks capped."""
    times = sorted(t for t in (_parse(s) for s in stamps) if t is not None)
    return round(sum(min(b - a, IDLE_CAP_SECONDS) for a, b in zip(times, times[1:])), 3)


def pseudonym(installation_id: str, learner: str | None) -> str:
    """A stable id for a learner on this machine that does not reveal their name."""
    digest = hashlib.sha256(f"{installation_id}\0{(learner or '').strip().casefold()}".encode()).hexdigest()
    return f"mmj-{digest[:16]}"


def _story_info(session: Session, cited: dict) -> dict:
    model = session.story.model
    return {
        "id": model.id,
        "title": model.title,
        "version": model.version,
        "content_hash": session.story.content_hash,
        "endings": [{"scene": name, "title": scene.ending.title, "kind": scene.ending.kind}
                    for name, scene in model.scenes.items() if scene.ending],
        "objectives": [{"id": o.id, "text": o.text} for o in model.objectives],
        "stats": [{"name": name, "label": s.label, "unit": s.unit, "normal": list(s.normal) if s.normal else None,
                   "decimals": s.decimals, "min": s.min, "max": s.max}
                  for name, s in model.stats.items() if s.visible],
        "references": {ref: {"citation": model.references[ref].citation, "url": model.references[ref].url}
                       for ref in cited if ref in model.references},
        "disclaimer": model.disclaimer,
    }


def _decision(session: Session, review, stamp: str | None) -> dict:
    consequence = review.consequence
    scene = session.story.model.scenes[consequence.scene]
    entry = {
        "position": consequence.index,
        "number": consequence.number,
        "kind": consequence.kind,
        "scene": consequence.scene,
        "phase": scene.phase,
        "item": consequence.scene if consequence.kind == "choose" else consequence.id,
        "day": consequence.day_before,
        "decided_at": stamp,
        "step": consequence.step,
        "objectives": list(consequence.objectives),
        "category": consequence.category,
        "points": consequence.points,
        "max_points": consequence.max_points,
        "critical": consequence.critical,
        "rating": consequence.rating,
        "expert": list(review.expert),
        "expert_labels": expert_labels(session.story, review),
        "matched_expert": review.matched_expert,
        "references": list(consequence.references),
        "chance_text": consequence.chance_text,
    }
    if consequence.kind == "choose":
        feedback = consequence.feedback
        entry.update({
            "prompt": scene.title or scene.phase,
            "response": [consequence.id],
            "response_labels": [consequence.label],
            "options": [{"id": c.id, "label": c.label, "rating": c.rating, "critical": c.critical}
                        for c in scene.choices or ()],
            "open_options": list(consequence.alternatives),
            "outcome": feedback.outcome if feedback else "",
            "rationale": feedback.rationale if feedback else "",
            "nursing": feedback.nursing if feedback else "",
        })
    else:
        question = scene.question
        texts = {o.id: o.text for o in question.options}
        entry.update({
            "prompt": question.prompt,
            "question_type": question.type,
            "response": list(consequence.picked),
            "response_labels": [texts[p] for p in consequence.picked],
            "options": [{"id": o.id, "label": o.text, "correct": o.correct, "rationale": o.rationale}
                        for o in question.options],
            "open_options": [o.id for o in question.options],
            "outcome": "",
            "rationale": question.explanation,
            "nursing": "",
        })
    return entry


def build_record(session: Session, *, attempt_uuid: str, learner: str | None, learner_key: str, status: str,
                 started_at: str, updated_at: str, ended_at: str | None, timestamps: list[str | None],
                 undos: int = 0) -> dict:
    """The attempt as a JSON-ready dict: replayable, and readable without the story file."""
    report = debrief(session)
    cited = dict.fromkeys(ref for c in session.history for ref in c.references)
    stat_names = [name for name, s in session.story.model.stats.items() if s.visible]
    ending = None
    if session.ended:
        scene = session.scene
        ending = {"scene": session.scene_id, "title": scene.ending.title, "kind": scene.ending.kind,
                  "text": scene.text}
    stamps = [started_at, *timestamps, ended_at or updated_at]
    return {
        "record_version": RECORD_VERSION,
        "uuid": attempt_uuid,
        "app_version": __version__,
        "learner": learner,
        "learner_key": learner_key,
        "status": status,
        "story": _story_info(session, cited),
        "mode": session.mode,
        "seed": session.seed,
        "actions": [a.to_json() for a in session.actions],
        "decided_at": list(timestamps),
        "started_at": started_at,
        "updated_at": updated_at,
        "ended_at": ended_at,
        "duration_seconds": active_seconds(stamps),
        "story_days": session.day,
        "undos": undos,
        "scores": {
            "overall": _tally(report.overall),
            "by_step": {step: _tally(t) for step, t in report.by_step.items()},
            "by_objective": {objective: _tally(t) for objective, t in report.by_objective.items()},
            "by_category": {category: _tally(t) for category, t in report.by_category.items()},
        },
        "critical_errors": [{"position": c.index, "number": c.number, "label": c.label}
                            for c in report.critical_errors],
        "decisions": [_decision(session, review, timestamps[review.consequence.index])
                      for review in report.decisions],
        "chart": [{"day": s.day, "values": {name: s.stats[name] for name in stat_names}} for s in session.chart],
        "ending": ending,
    }


STEP_NAMES = STEP_LABELS  # re-exported for the exports and the screens


# --- keeping track of the sessions this process is recording ------------------------------------------


@dataclass
class _Tracked:
    ref: weakref.ref
    path: str
    first_seen: str
    uuid: str | None = None
    # The actions as this process saw them happen, with their times: kept even when a write fails.
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


_tracked: dict[int, _Tracked] = {}


def _tracking(session: Session, path: Path, now: str) -> _Tracked:
    for key in [k for k, t in _tracked.items() if t.ref() is None]:
        del _tracked[key]
    found = _tracked.get(id(session))
    if found is None or found.ref() is not session or found.path != str(path):
        found = _Tracked(weakref.ref(session), str(path), now)
        _tracked[id(session)] = found
    return found


def forget(session: Session) -> None:
    """Stop tracking a session (tests; or a player that hands the journey to another process)."""
    _tracked.pop(id(session), None)


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


def _abandon_left_behind(connection, keep: int) -> None:
    """Unfinished attempts nobody can continue any more (their process is gone, or it started another)."""
    me = process_owner()
    rows = connection.execute("SELECT id, owner, updated_at, record FROM attempts "
                              "WHERE status = 'in_progress' AND id != ?", (keep,)).fetchall()
    for attempt_id, owner, updated_at, text in rows:
        if owner == me or not owner_alive(owner, updated_at):
            try:
                record = json.loads(text)
            except ValueError:
                record = {}
            record.update(status="abandoned", ended_at=updated_at)
            connection.execute("UPDATE attempts SET status = 'abandoned', ended_at = updated_at, record = ? "
                               "WHERE id = ?", (json.dumps(record, ensure_ascii=False), attempt_id))


def _sync(db: Records, session: Session, learner: str | None, abandoned: bool, now: str) -> int | None:
    tracked = _tracking(session, db.path, now)
    tracked.seen = _observe(tracked.seen, [a.to_json() for a in session.actions], now)
    before = tracked.uuid
    try:
        return _sync_tracked(db, session, tracked, learner, abandoned, now)
    except BaseException:
        tracked.uuid = before  # nothing was committed: a row created in the failed transaction is gone
        raise


def _sync_tracked(db: Records, session: Session, tracked: _Tracked, learner: str | None, abandoned: bool,
                  now: str) -> int | None:
    actions = [a.to_json() for a in session.actions]
    if not actions and tracked.uuid is None:
        return None  # nothing decided yet: nothing to keep
    model = session.story.model
    name = _learner(db, learner)
    key = pseudonym(db.installation_id(), name)
    with db.write() as connection:
        row = None
        if tracked.uuid is not None:
            row = connection.execute("SELECT id, status, actions, started_at, undos, learner, learner_key, uuid "
                                     "FROM attempts WHERE uuid = ?", (tracked.uuid,)).fetchone()
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
            row = connection.execute("SELECT id, status, actions, started_at, undos, learner, learner_key, uuid "
                                     "FROM attempts WHERE uuid = ?", (tracked.uuid,)).fetchone()
        attempt_id, _, _, started_at, undos, name, key, attempt_uuid = row
        stored = connection.execute("SELECT action, decided_at FROM decisions WHERE attempt_id = ? "
                                    "ORDER BY position", (attempt_id,)).fetchall()
        previous = [(json.loads(a), t) for a, t in stored]
        common = _common_prefix([a for a, _ in previous], actions)
        if len(stored) > common:
            undos += 1
        # Times already in the records win (a journey resumed after a crash); then what this process saw.
        seen = tracked.seen if len(tracked.seen) == len(actions) else _observe([], actions, now)
        timestamps = [previous[i][1] if i < common else seen[i][1] for i in range(len(actions))]
        tracked.seen = list(zip(actions, timestamps))
        if session.ended:
            status, ended_at = "completed", now
        elif abandoned:
            status, ended_at = "abandoned", now
        else:
            status, ended_at = "in_progress", None
        record = build_record(session, attempt_uuid=attempt_uuid, learner=name, learner_key=key, status=status,
                              started_at=started_at, updated_at=now, ended_at=ended_at, timestamps=timestamps,
                              undos=undos)
        overall = record["scores"]["overall"]
        ending = record["ending"] or {}
        connection.execute(
            "UPDATE attempts SET status = ?, updated_at = ?, ended_at = ?, duration_seconds = ?, actions = ?, "
            "decisions = ?, points = ?, max_points = ?, percent = ?, critical_errors = ?, ending_scene = ?, "
            "ending_title = ?, ending_kind = ?, undos = ?, owner = ?, record = ? WHERE id = ?",
            (status, now, ended_at, record["duration_seconds"], json.dumps(actions), len(actions),
             overall["points"], overall["max_points"], overall["percent"], len(record["critical_errors"]),
             ending.get("scene"), ending.get("title"), ending.get("kind"), undos, process_owner(),
             json.dumps(record, ensure_ascii=False), attempt_id))
        connection.execute("DELETE FROM decisions WHERE attempt_id = ? AND position >= ?", (attempt_id, common))
        connection.executemany(
            "INSERT INTO decisions (attempt_id, position, action, decided_at) VALUES (?, ?, ?, ?)",
            [(attempt_id, i, json.dumps(actions[i]), timestamps[i]) for i in range(common, len(actions))])
        connection.execute("DELETE FROM scores WHERE attempt_id = ?", (attempt_id,))
        scores = record["scores"]
        rows = [("overall", "", scores["overall"])]
        for kind, group in (("step", "by_step"), ("objective", "by_objective"), ("category", "by_category")):
            rows += [(kind, k, t) for k, t in scores[group].items()]
        connection.executemany(
            "INSERT INTO scores (attempt_id, kind, key, points, max_points, decisions) VALUES (?, ?, ?, ?, ?, ?)",
            [(attempt_id, kind, k, t["points"], t["max_points"], t["decisions"]) for kind, k, t in rows])
        if created:
            _abandon_left_behind(connection, attempt_id)
    return attempt_id


def _record(session: Session, learner: str | None, abandoned: bool, now: str | None,
            path: Path | None) -> Recorded:
    try:
        with records(path) as db:
            return Recorded(_sync(db, session, learner, abandoned, now or now_iso()), db.notice)
    except RecordsUnavailable as error:
        return Recorded(None, str(error))
    except Exception as error:  # recording must never stop the game
        return Recorded(None, f"Could not save to the records: {error.__class__.__name__}: {error}")


def record_progress(session: Session, learner: str | None = None, *, now: str | None = None,
                    path: Path | None = None) -> Recorded:
    """Keep the records up to date with `session` (call after each decision or undo; cheap)."""
    return _record(session, learner, False, now, path)


def record_attempt(session: Session, learner: str | None = None, abandoned: bool = False, *,
                   now: str | None = None, path: Path | None = None) -> Recorded:
    """Record a journey that ended, or (abandoned=True) that the learner left for good."""
    return _record(session, learner, abandoned, now, path)


def keep_record(session: Session, workspace) -> str | None:
    """The Workspace's recorder: keep `session` in that workspace's records (see journey.Workspace)."""
    return record_progress(session, workspace.learner, path=workspace.records_path).message


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


def rebuild_session(record: dict, story) -> Session:
    """Replay a recorded attempt against `story`: the same journey, ready for the full debrief.

    Raises ValueError (plain words) if the story is another one or no longer fits the decisions.
    """
    from ..engine import Action, ActionError

    if record["story"]["id"] != story.model.id:
        raise ValueError(f"this attempt belongs to story '{record['story']['id']}', not '{story.model.id}'")
    session = Session(story, record["seed"], record["mode"])
    try:
        session.replay([Action.from_json(a) for a in record["actions"]])
    except (ActionError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the story has changed since this attempt (recorded version "
                         f"{record['story']['version']}, now {story.model.version}) and the decisions no longer "
                         f"fit it: {error}") from None
    return session


def find_story(record: dict, stories_dir: Path | None = None):
    """The story file of a record, if it is still on this machine (or in `stories_dir`):
    (LoadedStory or None, note)."""
    from ..library import scan
    from ..story import StoryError, load_story

    wanted = record["story"]
    candidates = []
    local = (record.get("local") or {}).get("story_path")
    if local and Path(local).is_file():
        try:
            candidates.append(load_story(Path(local)))
        except StoryError:
            pass
    if not any(c.model.id == wanted["id"] and c.content_hash == wanted["content_hash"] for c in candidates):
        candidates += [entry.story for entry in scan(stories_dir) if entry.story is not None]
    same = [c for c in candidates if c.model.id == wanted["id"]]
    for story in same:
        if story.content_hash == wanted["content_hash"]:
            return story, None
    if same:
        return same[0], (f"The story has changed since this attempt (recorded version {wanted['version']}, "
                         f"now {same[0].model.version}).")
    return None, f"The story '{wanted['title']}' is not on this machine any more."
