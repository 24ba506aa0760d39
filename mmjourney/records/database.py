"""The records database: one SQLite file in the learner's data folder, versioned and crash-safe.

Design in short:
- WAL journal and `synchronous=FULL`: a commit is on disk before it returns, a killed process
  never leaves half a transaction, and a reader never blocks the writer (two app windows at once).
- Every write is one `BEGIN IMMEDIATE` transaction with a busy timeout, so two writers queue
  instead of failing.
- The file is marked with `PRAGMA application_id` and its schema version with `PRAGMA user_version`;
  migrations run in one transaction each, so a failed upgrade leaves the old version intact.
- A file that is not a database, fails SQLite's own check, or belongs to another program is moved
  aside (never deleted) with a message saying where it went, and a new database is started.
- Every problem surfaces as `RecordsUnavailable` with a message in plain words: callers show it
  and carry on; no traceback reaches the learner.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import sqlite3
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

from ..journey.files import set_aside
from ..journey.record import AttemptRecord, LocalRef
from . import outbox

DB_FOLDER = "records"
DB_NAME = "records.sqlite3"
APPLICATION_ID = 0x6D6D6A72  # "mmjr": marks the file as an mmjourney records database
BUSY_TIMEOUT_MS = 10_000
# A Windows process cannot be probed safely with os.kill; an attempt untouched this long counts as left.
STALE_SECONDS = 6 * 3600

STATUSES = ("in_progress", "completed", "abandoned")

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE attempts (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    learner          TEXT,
    learner_key      TEXT NOT NULL,
    story_id         TEXT NOT NULL,
    story_title      TEXT NOT NULL,
    story_version    TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    story_path       TEXT,
    mode             TEXT NOT NULL,
    seed             INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'abandoned')),
    started_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    ended_at         TEXT,
    duration_seconds REAL NOT NULL DEFAULT 0,
    actions          TEXT NOT NULL,
    decisions        INTEGER NOT NULL DEFAULT 0,
    points           REAL NOT NULL DEFAULT 0,
    max_points       REAL NOT NULL DEFAULT 0,
    percent          REAL,
    critical_errors  INTEGER NOT NULL DEFAULT 0,
    ending_scene     TEXT,
    ending_title     TEXT,
    ending_kind      TEXT,
    undos            INTEGER NOT NULL DEFAULT 0,
    owner            TEXT,
    record           TEXT NOT NULL
);
CREATE INDEX attempts_by_story ON attempts (story_id, started_at);
CREATE INDEX attempts_open ON attempts (status) WHERE status = 'in_progress';
CREATE TABLE decisions (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    action     TEXT NOT NULL,
    decided_at TEXT,
    PRIMARY KEY (attempt_id, position)
);
CREATE TABLE scores (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('overall', 'step', 'objective', 'category')),
    key        TEXT NOT NULL,
    points     REAL NOT NULL,
    max_points REAL NOT NULL,
    decisions  INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, kind, key)
);
"""



def _v2(connection: sqlite3.Connection) -> None:
    """The outbox of statements for a Learning Record Store, with the finished attempts' statements."""
    outbox.create(connection, now_iso())


# Each entry upgrades the schema by one version; never edit a released one, append a new one.
MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [_V1, _v2]


class RecordsUnavailable(Exception):
    """The records cannot be read or written right now; the message says why in plain words."""


def records_path() -> Path:
    """The records of the Workspace the environment describes (commands and tests that name none)."""
    from ..journey.workspace import Workspace

    return Workspace.from_environment().records_path


def schema_version() -> int:
    return len(MIGRATIONS)


def now_iso() -> str:
    """UTC time to the millisecond, sortable as text: 2026-03-01T14:05:09.123Z."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


# --- who owns an attempt in progress ------------------------------------------------------------

_PROCESS_TOKEN = uuid.uuid4().hex[:12]


def process_owner() -> str:
    return f"{socket.gethostname()}|{os.getpid()}|{_PROCESS_TOKEN}"


def owner_alive(owner: str | None, updated_at: str | None = None) -> bool:
    """Is the process that recorded an attempt still running (so the attempt is still being played)?"""
    if not owner:
        return False
    try:
        host, pid_text, token = owner.split("|")
        pid = int(pid_text)
    except ValueError:
        return False
    if token == _PROCESS_TOKEN and pid == os.getpid():
        return True
    if host != socket.gethostname():
        return True  # another machine sharing the folder: assume it is still playing
    if pid == os.getpid():
        return False  # an earlier process that had our pid
    if sys.platform == "win32":
        return not _older_than(updated_at, STALE_SECONDS)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _older_than(stamp: str | None, seconds: float) -> bool:
    if not stamp:
        return True
    try:
        then = time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    except ValueError:
        return True
    return time.time() - then > seconds


# --- plain-words errors ---------------------------------------------------------------------------


LOW_SPACE_BYTES = 256 * 1024


def _disk_full(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def describe_error(error: BaseException, folder: Path | None = None) -> str:
    """The cause of a database or file error in plain words (`folder`: where to look for free space)."""
    text = str(error).lower()
    number = getattr(error, "errno", None)
    if "full" in text or number == errno.ENOSPC:
        return "the disk is full"
    if ("i/o" in text or number == errno.EIO or "unable to open" in text) and _disk_full(folder):
        return "the disk is full"  # SQLite reports a full disk as an I/O error when it cannot create a file
    if "locked" in text or "busy" in text:
        return "another mmjourney window kept the records busy for too long"
    if "readonly" in text or "read-only" in text or number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the records file cannot be written (read-only or no permission)"
    if "unable to open" in text:
        return "the records file cannot be opened or created (check the folder and its permissions)"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "the records file is damaged"
    if "i/o" in text or number == errno.EIO:
        return "the disk reported an input/output error"
    return str(error) or error.__class__.__name__


# --- opening ---------------------------------------------------------------------------------------



def _set_aside(path: Path, reason: str) -> Path:
    """Move the database (and its WAL and shared-memory files) out of the way, keeping them."""
    target = set_aside(path, reason)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            try:
                os.replace(side, target.with_name(target.name + suffix))
            except OSError:
                pass
    return target


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so each write is exactly one transaction.
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def _inspect(connection: sqlite3.Connection) -> tuple[int, int, list[str]]:
    # One read transaction, so the three answers come from the same moment: another window may be
    # creating the tables right now, and half of its work must never look like a foreign file.
    connection.execute("BEGIN")
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    finally:
        if connection.in_transaction:
            try:
                connection.execute("COMMIT")
            except sqlite3.Error:
                pass  # the error that matters is the one already on its way
    return application_id, version, tables


def _ensure_wal(connection: sqlite3.Connection) -> None:
    """Switch a new database to WAL. Switching needs a moment alone with the file and SQLite does not
    wait for it (no busy handler), so when two windows create the records at once, retry briefly."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            connection.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() and "busy" not in str(error).lower():
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


def _migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema up to date, one transaction per version (another process may be doing it too)."""
    target = schema_version()
    if connection.execute("PRAGMA user_version").fetchone()[0] >= target:
        return  # the usual case: no write lock needed just to find that out
    while True:
        connection.execute("BEGIN IMMEDIATE")
        try:
            current = connection.execute("PRAGMA user_version").fetchone()[0]
            if current >= target:
                connection.execute("COMMIT")
                return
            step = MIGRATIONS[current]
            if callable(step):
                step(connection)
            else:
                for statement in _statements(step):
                    connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {current + 1}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT first; split instead so a migration stays one transaction.
    return [s.strip() for s in script.split(";") if s.strip()]


class Records:
    """An open records database. Use `open_records()`; every method may raise RecordsUnavailable."""

    def __init__(self, connection: sqlite3.Connection, path: Path, notice: str | None) -> None:
        self.connection = connection
        self.path = path
        self.notice = notice  # something the learner should be told (a file was set aside)

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        connection = self.connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as error:
            raise RecordsUnavailable(f"Could not save to the records: {describe_error(error, self.path.parent)}.") \
                from None

    def read(self, sql: str, parameters=()) -> list[sqlite3.Row]:
        try:
            cursor = self.connection.execute(sql, parameters)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.DatabaseError as error:
            raise RecordsUnavailable(f"Could not read the records: {describe_error(error, self.path.parent)}.") \
                from None

    # --- small settings kept with the records ---------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self.read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.write() as connection:
            if value is None:
                connection.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                connection.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def installation_id(self) -> str:
        """A random id for this records file, the seed of pseudonymous learner ids."""
        found = self.get_meta("installation_id")
        if found:
            return found
        with self.write() as connection:
            connection.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('installation_id', ?)",
                               (uuid.uuid4().hex,))
        return self.get_meta("installation_id") or ""

    # --- reading attempts -------------------------------------------------------------------------

    def attempts(self, story_id: str | None = None) -> list[sqlite3.Row]:
        """Attempts with at least one decision, oldest first (without the full record)."""
        columns = ("id, uuid, learner, story_id, story_title, story_version, content_hash, story_path, mode, seed, "
                   "status, started_at, updated_at, ended_at, duration_seconds, decisions, points, max_points, "
                   "percent, critical_errors, ending_scene, ending_title, ending_kind, owner, "
                   # The verdict lives in the record (no column): NULL for a record made before it was kept.
                   "CASE WHEN json_valid(record) THEN json_extract(record, '$.verdict.passed') END AS passed")
        where = "WHERE decisions > 0" + (" AND story_id = ?" if story_id else "")
        return self.read(f"SELECT {columns} FROM attempts {where} ORDER BY started_at, id",
                         (story_id,) if story_id else ())

    def load(self, attempt_id: int) -> AttemptRecord:
        """The full record of one attempt (see recording.build_record), with its local id."""
        rows = self.read("SELECT id, record, story_path, story_id, learner_key, started_at FROM attempts "
                         "WHERE id = ?", (attempt_id,))
        if not rows:
            raise RecordsUnavailable(f"There is no attempt {attempt_id} in the records.")
        try:
            record = AttemptRecord.from_json(json.loads(rows[0]["record"]))
        except (ValueError, RecursionError):
            raise RecordsUnavailable(f"The record of attempt {attempt_id} is damaged.") from None
        # Which of the learner's attempts at this story it is: a result file says so, so an educator
        # can tell a best-of-many from a first try.
        row = rows[0]
        others = self.read("SELECT id, started_at FROM attempts WHERE story_id = ? AND learner_key IS ? "
                           "AND decisions > 0 ORDER BY started_at, id", (row["story_id"], row["learner_key"]))
        order = [r["id"] for r in others]
        number = order.index(row["id"]) + 1 if row["id"] in order else len(order) + 1
        # What only makes sense on this machine; the record's JSON leaves it out.
        return replace(record, local=LocalRef(row["id"], row["story_path"], number, max(len(order), number)))

    def last_attempt_id(self, finished_only: bool = True) -> int | None:
        where = "WHERE decisions > 0" + (" AND status != 'in_progress'" if finished_only else "")
        rows = self.read(f"SELECT id FROM attempts {where} "
                         "ORDER BY COALESCE(ended_at, updated_at) DESC, id DESC LIMIT 1")
        return rows[0]["id"] if rows else None


def open_records(path: Path | None = None) -> Records:
    """Open (creating or upgrading if needed) the records database.

    A damaged or foreign file is moved aside and a new database started; `Records.notice` then
    says so. Raises RecordsUnavailable when no database can be used at all.
    """
    path = Path(path) if path is not None else records_path()
    notices: list[str] = []
    for _ in range(3):  # at most: set a bad file aside, then open the new one
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = _connect(path)
        except (OSError, sqlite3.Error) as error:
            raise RecordsUnavailable(f"The records cannot be opened: {describe_error(error, path.parent)}.") \
                from None
        try:
            problem = _classify(connection)
            if problem is None:
                _ensure_wal(connection)
                connection.execute("PRAGMA synchronous = FULL")
                connection.execute("PRAGMA foreign_keys = ON")
                _migrate(connection)
                return Records(connection, path, " ".join(notices) or None)
        except RecordsUnavailable:
            connection.close()
            raise
        except sqlite3.DatabaseError as error:
            connection.close()
            if describe_error(error) != "the records file is damaged":
                raise RecordsUnavailable(f"The records cannot be opened: {describe_error(error, path.parent)}.") \
                    from None
            problem = ("corrupt", "was damaged")
        except Exception as error:  # a failed migration step, say: the transaction was rolled back
            connection.close()
            raise RecordsUnavailable(f"The records cannot be opened: {describe_error(error, path.parent)}.") \
                from None
        else:
            connection.close()
        if not _still_bad(path):
            continue  # it was another window's work in progress, now complete: open it again
        reason, what = problem
        try:
            kept = _set_aside(path, reason)
        except OSError as error:
            raise RecordsUnavailable(f"The records file {path} {what} and could not be moved aside: "
                                     f"{describe_error(error)}.") from None
        notices.append(f"The records file {what}; it was kept as {kept.name} (in {kept.parent}) "
                       "and a new one was started.")
    raise RecordsUnavailable("The records cannot be opened: the file keeps failing its checks.")


def open_read_only(path: Path) -> Records:
    """Open an existing records file only to read it: it is never created, upgraded or set aside.

    For reading a classroom learner's records from the educator's report, which must leave every
    learner's file as it found it. Raises RecordsUnavailable, in plain words, when the file is
    missing, empty, not an mmjourney records database, damaged or written by a newer mmjourney.
    """
    path = Path(path)
    if not path.is_file():
        raise RecordsUnavailable("The records cannot be read: there is no records file.")
    try:
        return _read_only(path, "mode=ro")
    except RecordsUnavailable:
        # A WAL database needs its shared-memory file even to be read, and a read-only folder cannot
        # hold a new one. Nothing can write there either, so reading it as unchanging is safe.
        if os.access(path.parent, os.W_OK):
            raise
        return _read_only(path, "mode=ro&immutable=1")


def _read_only(path: Path, options: str) -> Records:
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True,
                                     timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error) as error:
        raise RecordsUnavailable(f"The records cannot be read: {describe_error(error)}.") from None
    try:
        application_id, version, tables = _inspect(connection)
        if application_id == 0 and not tables:
            problem = "the records file is empty"
        elif application_id != APPLICATION_ID:
            problem = "it is not an mmjourney records database"
        elif version != schema_version():
            problem = (f"they were written by {'a newer' if version > schema_version() else 'an older'} "
                       f"mmjourney (schema {version}; this version reads {schema_version()})")
        elif [r[0] for r in connection.execute("PRAGMA quick_check")] != ["ok"]:
            problem = "the records file is damaged"
        else:
            return Records(connection, path, None)
    except sqlite3.DatabaseError as error:
        problem = describe_error(error)
    connection.close()
    raise RecordsUnavailable(f"The records cannot be read: {problem}.")


def _still_bad(path: Path) -> bool:
    """Look again after a moment before moving a file aside: set aside only what stays wrong."""
    time.sleep(0.05)
    try:
        connection = _connect(path)
    except (OSError, sqlite3.Error):
        return True
    try:
        return _classify(connection) is not None
    except RecordsUnavailable:
        return False  # a newer version's file: never set aside
    except sqlite3.DatabaseError:
        return True
    finally:
        connection.close()


def _classify(connection: sqlite3.Connection) -> tuple[str, str] | None:
    """None if the file is ours (or new), else (reason, what happened) for setting it aside."""
    application_id, version, tables = _inspect(connection)
    if application_id == 0 and not tables:
        return None  # a new, empty database
    if application_id != APPLICATION_ID:
        return ("foreign", "belonged to another program (it is not an mmjourney records database)")
    if version > schema_version():
        raise RecordsUnavailable(
            f"The records were written by a newer version of mmjourney (schema {version}; this version knows "
            f"{schema_version()}). They were left untouched; update mmjourney to record new attempts.")
    # Every open checks the whole file: opens are few (a journey's writer keeps its records open),
    # and damage found while running is then caught, and set aside, at the next open.
    if [r[0] for r in connection.execute("PRAGMA quick_check")] != ["ok"]:
        return ("corrupt", "was damaged")
    return None


@contextmanager
def records(path: Path | None = None) -> Iterator[Records]:
    """The records, to read and write; when they cannot be opened for writing (a read-only data folder,
    say) but they exist and are sound, opened to read only, with a notice: past attempts stay readable."""
    try:
        store = open_records(path)
    except RecordsUnavailable as error:
        try:
            store = open_read_only(Path(path) if path is not None else records_path())
        except RecordsUnavailable:
            raise error from None
        store.notice = f"{error} Your past attempts can still be read, but nothing new can be saved."
    try:
        yield store
    finally:
        store.close()
