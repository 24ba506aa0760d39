"""The records database: created versioned and in WAL mode, upgraded by migrations, and robust to
damaged, foreign or newer files (moved aside or left alone, with a message, never a traceback)."""

from __future__ import annotations

import sqlite3

import pytest

from mmjourney.journey.expert import expert_path
from mmjourney.records import database, open_records, recording, records, records_path
from mmjourney.records.database import APPLICATION_ID, RecordsUnavailable

from .conftest import play


def count_attempts(path=None) -> int:
    with records(path) as db:
        return len(db.attempts())


def test_a_new_database_is_versioned_marked_and_in_wal_mode(private_data_dir):
    with records() as db:
        assert db.notice is None
        assert db.path == private_data_dir / "records" / "records.sqlite3"
        c = db.connection
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert c.execute("PRAGMA user_version").fetchone()[0] == database.schema_version() == 2
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"meta", "attempts", "decisions", "scores", "outbox"} <= tables


def test_an_empty_file_is_simply_a_new_database():
    path = records_path()
    path.parent.mkdir(parents=True)
    path.touch()
    with records() as db:
        assert db.notice is None
    assert not list(path.parent.glob("*.foreign-*")) and not list(path.parent.glob("*.corrupt-*"))


def test_a_migration_upgrades_an_old_database_and_keeps_its_rows(clinic, monkeypatch):
    play(clinic)
    assert count_attempts() == 1

    def add_notes(connection):
        connection.execute("ALTER TABLE attempts ADD COLUMN note TEXT")
        connection.execute("UPDATE attempts SET note = 'migrated'")

    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, add_notes])
    with records() as db:
        assert db.connection.execute("PRAGMA user_version").fetchone()[0] == len(database.MIGRATIONS)
        assert db.read("SELECT note FROM attempts")[0]["note"] == "migrated"
        assert len(db.attempts()) == 1


def test_a_failing_migration_rolls_back_and_leaves_the_old_version(clinic, monkeypatch):
    play(clinic)

    def broken(connection):
        connection.execute("ALTER TABLE attempts ADD COLUMN half_done TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, broken])
    with pytest.raises(RecordsUnavailable, match="input/output error"):
        open_records()
    monkeypatch.setattr(database, "MIGRATIONS", database.MIGRATIONS[:-1])
    with records() as db:
        assert db.connection.execute("PRAGMA user_version").fetchone()[0] == len(database.MIGRATIONS)
        columns = [r[1] for r in db.connection.execute("PRAGMA table_info(attempts)")]
        assert "half_done" not in columns
        assert len(db.attempts()) == 1


def test_records_from_a_newer_version_are_left_untouched(clinic):
    play(clinic)
    path = records_path()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(RecordsUnavailable, match="newer version of mmjourney.*left untouched"):
        open_records()
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.corrupt-*"))


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_new_one_started(clinic):
    path = records_path()
    path.parent.mkdir(parents=True)
    garbage = b"this is not SQLite at all\n" * 200
    path.write_bytes(garbage)
    with records() as db:
        assert "was damaged" in db.notice and "kept as records.sqlite3.corrupt-" in db.notice
        assert db.attempts() == []
    kept = list(path.parent.glob("records.sqlite3.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == garbage
    play(clinic)  # and recording works in the new one
    assert count_attempts() == 1


def test_a_database_with_damaged_pages_is_caught_by_the_check_and_set_aside(clinic):
    for seed in range(3):
        play(clinic, seed=seed)
    path = records_path()
    with records() as db:
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.connection.execute("PRAGMA page_size").fetchone()[0]
        pages = db.connection.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 3
    data = bytearray(path.read_bytes())
    for page in range(2, pages):  # keep the header page, scribble over the b-tree pages
        data[page * page_size - page_size + 8: page * page_size - 8] = b"\xa5" * (page_size - 16)
    path.write_bytes(bytes(data))
    with records() as db:
        assert "was damaged" in db.notice
        assert db.attempts() == []
    assert len(list(path.parent.glob("records.sqlite3.corrupt-*"))) == 1


def test_a_writer_that_meets_damage_opens_the_records_afresh_and_the_damage_is_set_aside(clinic):
    session, _ = play(clinic, stop=2, record=False)
    writer = recording.AttemptWriter()
    first = writer.keep(session)
    assert first.ok
    path = records_path()
    with records() as db:
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.connection.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[page_size + 8:] = b"\xa5" * (len(data) - page_size - 8)  # everything past the header page
    path.write_bytes(bytes(data))
    session.apply(expert_path(clinic).actions[len(session.actions)])
    results = [writer.keep(session) for _ in range(2)]
    writer.close()
    # The damage is met (on this decision or at the reopen), the file set aside, a new one started.
    assert any("damaged" in (r.message or "") for r in results)
    assert results[-1].ok
    assert len(list(path.parent.glob("records.sqlite3.corrupt-*"))) == 1
    with records() as db:
        assert [row["decisions"] for row in db.attempts()] == [len(session.actions)]


def test_a_foreign_sqlite_file_is_moved_aside_with_its_data_kept():
    path = records_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE contacts (name TEXT)")
        other.execute("INSERT INTO contacts VALUES ('somebody else''s data')")
    other.close()
    with records() as db:
        assert "belonged to another program" in db.notice
        assert db.attempts() == []
    kept = list(path.parent.glob("records.sqlite3.foreign-*"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as again:
        assert again.execute("SELECT name FROM contacts").fetchone()[0] == "somebody else's data"
    again.close()


def test_a_folder_that_cannot_be_created_is_reported_in_words(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RecordsUnavailable, match="cannot be opened"):
        open_records(blocker / "records" / "records.sqlite3")


def test_meta_values_and_installation_id_persist():
    with records() as db:
        first = db.installation_id()
        db.set_meta("learner", "Ada")
    with records() as db:
        assert db.installation_id() == first and len(first) == 32
        assert db.get_meta("learner") == "Ada"
        db.set_meta("learner", None)
        assert db.get_meta("learner") is None
