"""What the LTI tool keeps between requests, in `DATA/server/lti.sqlite3` (the server's alone).

- states: each OIDC login started here, with its nonce, until the launch uses it (once) or it expires;
- nonces: each nonce a launch used, until its token has expired, so a replayed token is named as one;
- launches: each accepted launch, found by the hash of the token in the game page's address (the token
  itself is never stored, so a copy of this file opens no game);
- grades: each score to send to a platform's gradebook, kept until the platform accepted it (or
  refused it, with its reason), and tried again later while the platform cannot be reached.

Every call opens its own connection: the web server's handlers and the grade sender's thread use
the file at once, and SQLite's own locking (WAL, a busy timeout) keeps them apart.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS states (
    state    TEXT PRIMARY KEY,
    nonce    TEXT NOT NULL,
    platform TEXT NOT NULL,
    expires  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS nonces (
    nonce   TEXT PRIMARY KEY,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS launches (
    token_hash  TEXT PRIMARY KEY,
    platform    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    learner_id  TEXT NOT NULL,
    story_id    TEXT NOT NULL,
    mode        TEXT NOT NULL,
    lineitem    TEXT,
    launched_at TEXT NOT NULL,
    expires     REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS grades (
    attempt_uuid  TEXT PRIMARY KEY,
    platform      TEXT NOT NULL,
    lineitem      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    learner_id    TEXT NOT NULL,
    score_given   REAL NOT NULL,
    score_maximum REAL NOT NULL,
    comment       TEXT NOT NULL,
    timestamp     TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
    tries         INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    next_try      REAL NOT NULL DEFAULT 0,
    sent_at       TEXT
)
"""
BUSY_SECONDS = 10.0


@dataclass(frozen=True)
class Launch:
    """An accepted launch: who plays (their folder and their id at the platform), what, and where the
    score goes (None: the platform offered no gradebook column for this link)."""

    platform: str
    subject: str
    learner_id: str
    story_id: str
    mode: str
    lineitem: str | None
    launched_at: str


@dataclass(frozen=True)
class Grade:
    """A score waiting for (or delivered to) a platform's gradebook."""

    attempt_uuid: str
    platform: str
    lineitem: str
    subject: str
    learner_id: str
    score_given: float
    score_maximum: float
    comment: str
    timestamp: str
    state: str = "pending"
    tries: int = 0
    last_error: str | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)

    def _write(self, sql: str, parameters: tuple = ()) -> int:
        with closing(self._connect()) as connection:
            return connection.execute(sql, parameters).rowcount

    # --- logins and nonces ------------------------------------------------------------------------

    def add_state(self, state: str, nonce: str, platform: str, lifetime: float) -> None:
        now = time.time()
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            # Expired logins and nonces go here, where new ones come in, so neither table grows for ever.
            connection.execute("DELETE FROM states WHERE expires < ?", (now,))
            connection.execute("DELETE FROM nonces WHERE expires < ?", (now,))
            connection.execute("INSERT INTO states VALUES (?, ?, ?, ?)", (state, nonce, platform, now + lifetime))
            connection.execute("COMMIT")

    def nonce_used(self, nonce: str) -> bool:
        with closing(self._connect()) as connection:
            return connection.execute("SELECT 1 FROM nonces WHERE nonce = ?", (nonce,)).fetchone() is not None

    def use_state(self, state: str, nonce: str, until: float) -> tuple[str, str] | None:
        """The (nonce, platform) of a login started here and not expired, used up now (with its token's
        nonce marked used until `until`); None if there is no such login."""
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute("SELECT nonce, platform FROM states WHERE state = ? AND expires >= ?",
                                     (state, time.time())).fetchone()
            connection.execute("DELETE FROM states WHERE state = ?", (state,))
            if row is not None:
                connection.execute("INSERT OR REPLACE INTO nonces VALUES (?, ?)", (nonce, until))
            connection.execute("COMMIT")
            return (row[0], row[1]) if row is not None else None

    # --- launches ----------------------------------------------------------------------------------

    def add_launch(self, token: str, launch: Launch, lifetime: float) -> None:
        now = time.time()
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO launches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (token_hash(token), launch.platform, launch.subject, launch.learner_id,
                                 launch.story_id, launch.mode, launch.lineitem, launch.launched_at, now + lifetime))
            connection.execute("COMMIT")

    def launch(self, token: str) -> Launch | None:
        """The launch a game page's token stands for, while it lasts."""
        with closing(self._connect()) as connection:
            row = connection.execute(
                "SELECT platform, subject, learner_id, story_id, mode, lineitem, launched_at FROM launches "
                "WHERE token_hash = ? AND expires >= ?", (token_hash(token), time.time())).fetchone()
        return Launch(*row) if row else None

    def graded_launches(self, since: float) -> list[Launch]:
        """Launches with a gradebook column that lasted until at least `since` (their attempts may still end)."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT platform, subject, learner_id, story_id, mode, lineitem, launched_at FROM launches "
                "WHERE lineitem IS NOT NULL AND mode = 'assessment' AND expires >= ? ORDER BY launched_at",
                (since,)).fetchall()
        return [Launch(*row) for row in rows]

    # --- grades ------------------------------------------------------------------------------------

    def queue_grade(self, grade: Grade) -> bool:
        """Keep a score to send; False if that attempt's score is already kept (each attempt is sent once)."""
        return self._write(
            "INSERT OR IGNORE INTO grades (attempt_uuid, platform, lineitem, subject, learner_id, score_given, "
            "score_maximum, comment, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (grade.attempt_uuid, grade.platform, grade.lineitem, grade.subject, grade.learner_id, grade.score_given,
             grade.score_maximum, grade.comment, grade.timestamp)) > 0

    def due_grades(self, now: float) -> list[Grade]:
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT attempt_uuid, platform, lineitem, subject, learner_id, score_given, score_maximum, comment, "
                "timestamp, state, tries, last_error FROM grades WHERE state = 'pending' AND next_try <= ? "
                "ORDER BY timestamp", (now,)).fetchall()
        return [Grade(*row) for row in rows]

    def grades(self) -> list[Grade]:
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT attempt_uuid, platform, lineitem, subject, learner_id, score_given, score_maximum, comment, "
                "timestamp, state, tries, last_error FROM grades ORDER BY timestamp").fetchall()
        return [Grade(*row) for row in rows]

    def grade_sent(self, attempt_uuid: str, when: str) -> None:
        self._write("UPDATE grades SET state = 'sent', tries = tries + 1, last_error = NULL, sent_at = ? "
                    "WHERE attempt_uuid = ?", (when, attempt_uuid))

    def grade_refused(self, attempt_uuid: str, reason: str) -> None:
        self._write("UPDATE grades SET state = 'refused', tries = tries + 1, last_error = ? WHERE attempt_uuid = ?",
                    (reason, attempt_uuid))

    def grade_failed(self, attempt_uuid: str, error: str, next_try: float) -> None:
        self._write("UPDATE grades SET tries = tries + 1, last_error = ?, next_try = ? WHERE attempt_uuid = ?",
                    (error, next_try, attempt_uuid))
