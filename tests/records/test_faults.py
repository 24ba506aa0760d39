"""Faults the records must survive: two writers at once, a kill -9 mid-attempt, a full disk.

Damaged, foreign and newer database files are covered in test_database.py. Each fault must
keep everything already committed, keep the app working, and surface as a message, never a
traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from argparse import Namespace
from pathlib import Path

import pytest

from mmjourney.engine import Session
from mmjourney.journey import expert_path
from mmjourney.records import AttemptWriter, database, records
from mmjourney.records.cli import export_main

from ..conftest import REPO
from .conftest import keep, play, stamp


def worker(*args, data_dir, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "MMJOURNEY_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "tests.records.worker", *args], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kwargs)


def completed_ids() -> list[int]:
    with records() as db:
        return [row["id"] for row in db.attempts() if row["status"] == "completed"]


def test_two_connections_writing_at_once_both_commit(clinic):
    """One window holds a write transaction; the other's recording waits for it instead of failing."""
    play(clinic)
    holding = threading.Event()

    def hold_the_lock():
        with records() as db, db.write() as connection:
            connection.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
            holding.set()
            time.sleep(0.6)

    other = threading.Thread(target=hold_the_lock)
    other.start()
    assert holding.wait(5)
    started = time.monotonic()
    _, result = play(clinic, seed=1)
    waited = time.monotonic() - started
    other.join()
    assert result.ok and result.message is None
    assert waited >= 0.3  # it really had to wait for the other writer
    assert len(completed_ids()) == 2
    with records() as db:
        assert db.get_meta("held") == "yes"


def test_two_app_processes_recording_at_the_same_time_lose_nothing(private_data_dir):
    writers = [worker("writer", "8", data_dir=private_data_dir) for _ in range(2)]
    for process in writers:
        assert process.stdout.readline().strip() == "ready"
    for process in writers:  # start both at once
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in writers:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert out.strip() == "done" and "Traceback" not in err
        assert "not recorded" not in err, err
    with records() as db:
        rows = db.attempts()
        assert db.connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert len(rows) == 16 and all(row["status"] == "completed" and row["decisions"] == 6 for row in rows)
    assert len({row["uuid"] for row in rows}) == 16
    # Neither window mistook the other's half-created file for a damaged or foreign one.
    assert sorted(p.name for p in database.records_path().parent.iterdir() if ".sqlite3." in p.name) == []


OPEN_AT = """
import sys, time
from mmjourney.records.database import RecordsUnavailable, records
while time.time() < float(sys.argv[1]):
    pass
try:
    with records() as db:
        db.installation_id()
    print("ok")
except RecordsUnavailable as error:
    print(error)
"""


def test_windows_creating_the_records_at_the_same_moment_all_succeed(tmp_path):
    """Switching a new file to WAL mode gets no busy wait from SQLite: opening must retry, not fail."""
    for round_ in range(3):
        data = tmp_path / f"round-{round_}"
        env = {**os.environ, "MMJOURNEY_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
        start = str(time.time() + 0.5)
        processes = [subprocess.Popen([sys.executable, "-c", OPEN_AT, start], env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for _ in range(4)]
        outcomes = [p.communicate(timeout=30) for p in processes]
        assert [out.strip() for out, _ in outcomes] == ["ok"] * 4, outcomes
        with records(data / "records" / "records.sqlite3") as db:
            assert db.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_mid_attempt_keeps_every_commit_and_the_journey_resumes(clinic, private_data_dir):
    process = worker("killable", data_dir=private_data_dir)
    committed = []
    for _ in range(5):
        line = process.stdout.readline().split()
        assert line and line[0] == "committed", process.stderr.read()
        committed.append(int(line[1]))
    mid = process.stdout.readline().split()
    assert mid[0] == "mid"
    mid_id = int(mid[1])
    for _ in range(30):  # let it write to the journey in progress for a while, then kill it without warning
        assert process.stdout.readline().split()[:2] == ["decisions", str(mid_id)]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    assert process.returncode == -signal.SIGKILL
    with records() as db:
        assert db.notice is None
        assert db.connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        by_id = {row["id"]: row for row in db.attempts()}
        assert all(by_id[i]["status"] == "completed" and by_id[i]["decisions"] == 6 for i in committed)
        killed = by_id[mid_id]
        assert killed["status"] == "in_progress" and killed["decisions"] in (3, 4)
        mid_record = db.load(mid_id)
        assert len(mid_record.decided_at) == killed["decisions"]
    # Continuing the killed journey (as from the autosave) carries on with the same attempt.
    actions = expert_path(clinic).actions
    resumed = Session(clinic)
    resumed.replay(actions[:killed["decisions"]])
    writer = AttemptWriter()
    for action in actions[killed["decisions"]:]:
        resumed.apply(action)
        result = writer.keep(resumed)
    writer.close()
    assert result.attempt_id == mid_id and result.message is None
    with records() as db:
        record = db.load(mid_id)
    assert record.status == "completed"
    assert record.decided_at[:killed["decisions"]] == mid_record.decided_at


def test_a_full_disk_loses_nothing_committed_and_recording_resumes_when_space_returns(clinic, monkeypatch):
    """SQLite's own 'database or disk is full' (SQLITE_FULL), raised by capping the file's pages."""
    play(clinic)
    real_connect = database._connect

    def no_room_to_grow(path):
        connection = real_connect(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return connection

    monkeypatch.setattr(database, "_connect", no_room_to_grow)
    session = Session(clinic, seed=9, mode="assessment")
    writer = AttemptWriter()
    results = []
    for n, action in enumerate(expert_path(clinic).actions, 1):
        session.apply(action)
        results.append(writer.keep(session, now=stamp(n)))
    failed = [r for r in results if not r.ok]
    assert failed, "the capped database should have run out of room"
    assert all(r.message == "Could not save to the records: the disk is full." for r in failed)
    monkeypatch.setattr(database, "_connect", real_connect)
    assert len(completed_ids()) == 1  # the attempt committed before is intact
    result = writer.keep(session, now=stamp(30))  # space is back: the whole journey is recorded at once
    assert result.ok
    with records() as db:
        record = db.load(result.attempt_id)
    assert record.status == "completed" and len(record.actions) == len(session.actions)
    # Decisions made while nothing could be written keep the time they were made.
    assert list(record.decided_at) == [stamp(n) for n in range(1, len(session.actions) + 1)]
    assert len(completed_ids()) == 2


def test_a_failing_disk_write_during_export_is_a_message_not_a_traceback(clinic, tmp_path, capsys, monkeypatch):
    play(clinic)
    import mmjourney.journey.files as saves

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saves.os, "fsync", full)  # the atomic writer that exports use
    out = tmp_path / "debrief.html"
    status = export_main(Namespace(list=False, attempt=None, last=True, format="html", out=str(out),
                                   account=None, homepage=None))
    err = capsys.readouterr().err
    assert status == 1 and "cannot write" in err and "the disk is full" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".debrief*"))


def _can_mount_tmpfs() -> bool:
    if sys.platform != "linux" or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && echo ok"],
                           capture_output=True, text=True)
    return probe.stdout.strip() == "ok"


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs Linux user namespaces to mount a small tmpfs")
def test_a_really_full_disk_on_a_tiny_tmpfs(tmp_path):
    """A 384 KiB tmpfs (mounted in a private user namespace, no root needed) fills up for real."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    script = (f"mount -t tmpfs -o size=384k tmpfs {mount} && "
              f"MMJOURNEY_DATA_DIR={mount}/data exec {sys.executable} -m tests.records.worker fill-disk {mount}")
    run = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=REPO, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["kept"], "some journeys fit before the disk filled"
    assert outcome["message"] == "Could not save to the records: the disk is full."
    assert set(outcome["kept"]) <= set(outcome["found"])  # every committed journey is still there
    assert outcome["check"] == "ok"
    assert not outcome["still_ok"] and "the disk is full" in outcome["still_message"]
    assert outcome["export_status"] == 1 and not outcome["exported"] and not outcome["leftovers"]
    assert "the disk is full" in run.stderr


def test_a_records_file_that_cannot_be_written_is_a_message(clinic, monkeypatch):
    """SQLite's own read-only refusal (the file opened read-only, as on a read-only share)."""
    play(clinic)

    def read_only(path):
        connection = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, isolation_level=None,
                                     check_same_thread=False)
        connection.execute("PRAGMA busy_timeout = 1000")
        return connection

    monkeypatch.setattr(database, "_connect", read_only)
    session, _ = play(clinic, seed=2, record=False)
    outcome = keep(session)
    assert not outcome.ok
    assert outcome.message == ("Could not save to the records: the records file cannot be written "
                               "(read-only or no permission).")
    with records() as db:  # reading still works
        assert len(db.attempts()) == 1


def test_records_that_cannot_be_opened_for_writing_can_still_be_read(clinic, monkeypatch):
    """A read-only data folder (a read-only share, a full or remounted disk): past attempts stay readable."""
    _, result = play(clinic)

    def refuse(path=None):
        raise database.RecordsUnavailable("The records cannot be opened: the records file cannot be written "
                                          "(read-only or no permission).")

    monkeypatch.setattr(database, "open_records", refuse)
    with records() as db:
        assert [row["id"] for row in db.attempts()] == [result.attempt_id]
        assert "can still be read, but nothing new can be saved" in db.notice
    from mmjourney.records import export_attempt

    assert export_attempt(result.attempt_id, "md").startswith("# Debrief: Test clinic")
