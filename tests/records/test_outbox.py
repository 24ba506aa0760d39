"""The outbox in the records: what is queued for an LRS and when, the migration that adds it, and the
settings of `sync` (the LRS's address and credentials). Sending to a real LRS: test_lrs.py."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from mmjourney.records import database, outbox, records
from mmjourney.records.lrs import Answer, credentials, reason, statements_url
from mmjourney.records.xapi import statements

from .conftest import play


def queued(attempt_id: int | None = None) -> list[dict]:
    with records() as db:
        rows = db.read("SELECT statement, state FROM outbox" + (" WHERE attempt_id = ?" if attempt_id else "")
                       + " ORDER BY seq", (attempt_id,) if attempt_id else ())
    assert all(row["state"] == "pending" for row in rows)
    return [json.loads(row["statement"]) for row in rows]


def test_a_finished_attempt_queues_its_statements_as_exported(clinic):
    _, result = play(clinic, policy="worst", learner="Ada")
    with records() as db:
        exported = statements(db.load(result.attempt_id))
    assert queued(result.attempt_id) == exported  # the same statements, ids and order as `export -f xapi`
    assert [s["verb"]["display"]["en"] for s in exported][-1] == "completed"
    assert "Ada" not in json.dumps(exported)


def test_a_journey_in_progress_queues_nothing_until_it_ends(clinic):
    session, result = play(clinic, seed=2, stop=2)
    assert queued() == []
    play(clinic, seed=3)  # a new journey of the same story: the one left behind is abandoned
    with records() as db:
        verbs = [row["verb"] for row in db.read("SELECT verb FROM outbox WHERE attempt_id = ? ORDER BY seq",
                                                (result.attempt_id,))]
    assert verbs == ["launched", "responded", "responded", "terminated"]


@contextmanager
def schema_one() -> Iterator[None]:
    """Within it, records are written as the version before the outbox wrote them: schema 1, nothing queued."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", database.MIGRATIONS[:1])
        patch.setattr(outbox, "queue", lambda *args: 0)
        yield


def test_the_migration_queues_the_attempts_already_finished_and_keeps_every_row(clinic):
    with schema_one():
        _, done = play(clinic, seed=1)
        play(clinic, seed=2, stop=1)
        with records() as db:
            assert db.connection.execute("PRAGMA user_version").fetchone()[0] == 1
            before = [dict(row) for row in db.read("SELECT * FROM attempts ORDER BY id")]
    with records() as db:
        assert db.connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert [dict(row) for row in db.read("SELECT * FROM attempts ORDER BY id")] == before
        exported = statements(db.load(done.attempt_id))
    assert queued() == exported  # the finished attempt's statements; none of the one still in progress


def test_a_damaged_record_does_not_stop_the_migration(clinic):
    with schema_one():
        _, first = play(clinic, seed=1)
        _, second = play(clinic, seed=2)
    with sqlite3.connect(database.records_path()) as raw:
        raw.execute("UPDATE attempts SET record = '{\"broken\": true}' WHERE id = ?", (first.attempt_id,))
    raw.close()
    with records() as db:
        rows = db.read("SELECT DISTINCT attempt_id FROM outbox")
        assert [row["attempt_id"] for row in rows] == [second.attempt_id]
        assert len(db.attempts()) == 2


def test_states_and_counts(clinic):
    _, result = play(clinic, seed=1)
    with records() as db:
        rows = outbox.waiting(db.connection, 100)
        with db.write() as connection:
            outbox.mark_failed(connection, [rows[0].seq], "no answer")
            outbox.mark_sent(connection, [r.seq for r in rows[1:-1]], "2026-03-01T10:00:00.000Z")
            outbox.mark_rejected(connection, rows[-1].seq, "HTTP 400: bad")
        assert outbox.counts(db.connection) == {"pending": 1, "sent": len(rows) - 2, "rejected": 1}
        assert outbox.last_error(db.connection) == "no answer"
        [item] = outbox.rejected(db.connection)
        assert (item.statement_id, item.reason, item.attempt_id) == (rows[-1].statement_id, "HTTP 400: bad",
                                                                      result.attempt_id)
        with db.write() as connection:
            assert outbox.requeue_rejected(connection) == 1
        assert outbox.counts(db.connection)["pending"] == 2


# --- the LRS's address, credentials and reasons --------------------------------------------------------------


def test_the_statements_resource_of_an_lrs_address():
    assert statements_url("http://127.0.0.1:8100") == "http://127.0.0.1:8100/xAPI/statements"
    assert statements_url("https://lrs.example.org/xAPI/") == "https://lrs.example.org/xAPI/statements"
    assert statements_url("https://lrs.example.org/data/xapi") == "https://lrs.example.org/data/xapi/statements"
    assert statements_url("https://lrs.example.org/xAPI/statements") == "https://lrs.example.org/xAPI/statements"
    for bad in ("ftp://lrs.example.org", "lrs.example.org", "http://lrs.example.org:port"):
        with pytest.raises(ValueError, match="LRS address"):
            statements_url(bad)
    for with_credentials in ("https://me:secret@lrs.example.org/xAPI/", "https://me@lrs.example.org/"):
        with pytest.raises(ValueError, match="holds a user name or password.*MMJOURNEY_LRS_PASSWORD"):
            statements_url(with_credentials)


def test_credentials_from_the_environment_else_the_config_file(tmp_path):
    config = tmp_path / "lrs.toml"
    with pytest.raises(ValueError, match="no LRS credentials: set MMJOURNEY_LRS_USER"):
        credentials({}, config)
    assert credentials({"MMJOURNEY_LRS_USER": "u", "MMJOURNEY_LRS_PASSWORD": "p"}, config) == ("u", "p")
    config.write_text('user = "teacher"\npassword = "from file"\n')
    os.chmod(config, 0o600)
    assert credentials({}, config) == ("teacher", "from file")
    assert credentials({"MMJOURNEY_LRS_PASSWORD": "env"}, config) == ("teacher", "env")
    config.write_text('user = "teacher"\npassword = 12\n')
    with pytest.raises(ValueError, match="password must be text"):
        credentials({}, config)
    config.write_text('user = "teacher"\npassword = \n')
    with pytest.raises(ValueError, match="cannot be read"):
        credentials({}, config)


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_config_file_others_can_read_is_refused(tmp_path):
    config = tmp_path / "lrs.toml"
    config.write_text('user = "teacher"\npassword = "secret"\n')
    os.chmod(config, 0o644)
    with pytest.raises(ValueError, match="others may read it.*chmod 600"):
        credentials({}, config)


def test_the_reason_an_lrs_gives():
    fastapi = json.dumps({"detail": [{"type": "missing", "loc": ["body", 0, "actor"], "msg": "Field required"}]})
    assert reason(Answer(422, fastapi)) == "HTTP 422: actor: Field required"
    assert reason(Answer(400, '{"message": "Invalid\\n  verb"}')) == "HTTP 400: Invalid verb"
    assert reason(Answer(400, "")) == "HTTP 400: no reason given"
    assert reason(Answer(400, "x" * 2000)).endswith("…") and len(reason(Answer(400, "x" * 2000))) < 520


def test_the_sync_command_needs_an_address_or_status(capsys):
    from mmjourney.cli import main

    assert main(["sync"]) == 2
    assert "give --lrs URL" in capsys.readouterr().err
    assert main(["sync", "--lrs", "http://127.0.0.1:9"]) == 2
    assert "no LRS credentials" in capsys.readouterr().err
    assert main(["sync", "--status"]) == 0
    assert "0 records files" in capsys.readouterr().out


def test_sync_never_creates_records(private_data_dir: Path):
    from mmjourney.cli import main

    assert main(["sync", "--status"]) == 0
    assert not private_data_dir.exists()


def test_serve_takes_the_lrs_and_its_credentials_from_the_environment(monkeypatch, capsys):
    from mmjourney import cli, serve

    calls = []
    monkeypatch.setattr(serve, "serve", lambda *args, **kwargs: calls.append(kwargs) or 0)
    assert cli.main(["serve", "--lrs", "https://lrs.example.org/xAPI/"]) == 2
    assert "no LRS credentials" in capsys.readouterr().err and not calls
    assert cli.main(["serve", "--lrs", "https://teacher:secret@lrs.example.org/xAPI/"]) == 2
    assert "holds a user name or password" in capsys.readouterr().err and not calls
    monkeypatch.setenv("MMJOURNEY_LRS_USER", "teacher")
    monkeypatch.setenv("MMJOURNEY_LRS_PASSWORD", "secret")
    assert cli.main(["serve", "--lrs", "https://lrs.example.org/xAPI/"]) == 0
    lrs = calls[-1]["lrs"]
    assert (lrs.url, lrs.user, lrs.password) == ("https://lrs.example.org/xAPI/statements", "teacher", "secret")
    assert "secret" not in repr(lrs)
