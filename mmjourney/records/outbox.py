"""The outbox: every xAPI statement of the records, queued for a Learning Record Store.

Offline first: a statement is queued in the records database in the same transaction that
finishes its attempt, so it is as durable as the attempt itself, and sent whenever an LRS can be
reached (`mmjourney sync --lrs URL`, or `mmjourney serve --lrs URL` for a class; see lrs.py).

Only finished attempts (completed or abandoned) are queued: a finished attempt never changes
again, so its statements are final, whereas a journey in progress can still take a decision back.
Each statement keeps its deterministic id (xapi.py), so queuing or sending it twice is harmless.

Each row has a state:
- pending: not yet accepted by the LRS (never sent, or the LRS could not be reached);
- sent: the LRS accepted it, or already held a statement with its id;
- rejected: the LRS refused it (HTTP 4xx), with the LRS's reason; kept, and sent again only when
  an educator asks (`mmjourney sync --retry-rejected`).
`attempts` counts the requests that carried it, `last_error` says why the last one failed.

Every function here works on an open connection, inside the caller's transaction where it writes.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ..journey.record import AttemptRecord
from .xapi import statements

STATES = ("pending", "sent", "rejected")

SCHEMA = """
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY,
    statement_id TEXT NOT NULL UNIQUE,
    attempt_id   INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    verb         TEXT NOT NULL,
    statement    TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'rejected')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    reason       TEXT,
    queued_at    TEXT NOT NULL,
    sent_at      TEXT
);
CREATE INDEX outbox_waiting ON outbox (state, seq) WHERE state != 'sent'
"""


def create(connection: sqlite3.Connection, now: str) -> None:
    """The schema migration that adds the outbox: the table, and the statements of every attempt that
    was already finished (the records' earlier attempts are sent like new ones; nothing else changes)."""
    for statement in SCHEMA.split(";"):
        connection.execute(statement)
    rows = connection.execute("SELECT id, record FROM attempts WHERE status != 'in_progress' AND decisions > 0 "
                              "ORDER BY COALESCE(ended_at, updated_at), id").fetchall()
    for attempt_id, text in rows:
        try:
            record = AttemptRecord.from_json(json.loads(text))
        except (ValueError, RecursionError):
            continue  # a damaged record: it stays in the records, but has no statements to send
        queue(connection, attempt_id, record, now)


def queue(connection: sqlite3.Connection, attempt_id: int, record: AttemptRecord, now: str) -> int:
    """Queue the statements of a finished attempt (nothing for one in progress or with no decision).
    Returns how many were new to the outbox."""
    if record.status == "in_progress" or not record.decisions:
        return 0
    before = connection.total_changes
    connection.executemany(
        "INSERT OR IGNORE INTO outbox (statement_id, attempt_id, verb, statement, queued_at) VALUES (?, ?, ?, ?, ?)",
        [(s["id"], attempt_id, s["verb"]["display"]["en"], json.dumps(s, ensure_ascii=False, separators=(",", ":")),
          now) for s in statements(record)])
    return connection.total_changes - before


@dataclass(frozen=True)
class Waiting:
    """A statement to send: its row, its id and its JSON text exactly as queued."""

    seq: int
    statement_id: str
    text: str


def waiting(connection: sqlite3.Connection, limit: int, after: int = 0) -> list[Waiting]:
    """The next pending statements in the order they were queued (an attempt's launch before its end)."""
    rows = connection.execute("SELECT seq, statement_id, statement FROM outbox WHERE state = 'pending' AND seq > ? "
                              "ORDER BY seq LIMIT ?", (after, limit)).fetchall()
    return [Waiting(*row) for row in rows]


def mark_sent(connection: sqlite3.Connection, seqs: list[int], now: str, note: str | None = None) -> None:
    """Accepted by the LRS (`note`: how, when it is worth knowing, e.g. it already held the id)."""
    connection.executemany("UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = ?, reason = NULL, "
                           "sent_at = ? WHERE seq = ?", [(note, now, seq) for seq in seqs])


def mark_rejected(connection: sqlite3.Connection, seq: int, reason: str) -> None:
    connection.execute("UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = NULL, reason = ? "
                       "WHERE seq = ?", (reason, seq))


def mark_failed(connection: sqlite3.Connection, seqs: list[int], error: str) -> None:
    """A request that carried these statements failed (nothing reached the LRS, or it could not take them
    now): they stay pending, with the error."""
    connection.executemany("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
                           [(error, seq) for seq in seqs])


def requeue_rejected(connection: sqlite3.Connection) -> int:
    """Put every rejected statement back in the queue (the LRS or its settings were fixed); returns how many."""
    return connection.execute("UPDATE outbox SET state = 'pending' WHERE state = 'rejected'").rowcount


def counts(connection: sqlite3.Connection) -> dict[str, int]:
    """How many statements are in each state (every state named, zero included)."""
    found = dict(connection.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    return {state: found.get(state, 0) for state in STATES}


@dataclass(frozen=True)
class Rejected:
    """A statement the LRS refused, with what an educator needs to find the attempt it belongs to."""

    statement_id: str
    verb: str
    reason: str
    attempt_id: int
    story_title: str
    learner: str | None
    started_at: str


def rejected(connection: sqlite3.Connection) -> list[Rejected]:
    rows = connection.execute(
        "SELECT o.statement_id, o.verb, o.reason, a.id, a.story_title, a.learner, a.started_at FROM outbox o "
        "JOIN attempts a ON a.id = o.attempt_id WHERE o.state = 'rejected' ORDER BY o.seq").fetchall()
    return [Rejected(*row) for row in rows]


def last_error(connection: sqlite3.Connection) -> str | None:
    """Why the last request for the first waiting statement failed, if it did."""
    row = connection.execute("SELECT last_error FROM outbox WHERE state = 'pending' AND last_error IS NOT NULL "
                             "ORDER BY seq LIMIT 1").fetchone()
    return row[0] if row else None
