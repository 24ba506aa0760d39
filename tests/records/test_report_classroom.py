"""`mmjourney report --classroom`: a class played on the server; the educator reads every learner's records there.

The class is built as `mmjourney serve` builds it: learners join through the class registry, each gets a
folder by id, and their journeys are recorded by an AttemptWriter into that folder's records.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random

import pytest

from mmjourney.classroom import Registry, class_list
from mmjourney.journey import Workspace
from mmjourney.records import AttemptWriter
from mmjourney.records.cli import add_commands
from mmjourney.records.exports import export_attempt
from mmjourney.records.report import SELF_REPORTED, SERVER, collect

from .conftest import play, stamp

FAST = (2**4, 1, 1)  # scrypt made cheap for the tests


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # whole lines and names in the tables


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="mmjourney")
    add_commands(parser.add_subparsers(), class_list=class_list)
    args = parser.parse_args(argv)
    status = args.run(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def join(data, name: str):
    registry = Registry(data, cost=FAST)
    return registry.register(registry.look_up(name).name, "a secret")


def play_as(data, learner, story, *, typed=None, **options):
    """A journey in the learner's own Workspace; `typed`: what the record says instead of their name."""
    path = Workspace(data).for_learner(learner.id, learner.name).records_path
    writer = AttemptWriter(path, typed or learner.name)
    try:
        return play(story, writer=writer, **options)
    finally:
        writer.close()


@pytest.fixture
def server(tmp_path, clinic):
    data = tmp_path / "class"
    ada, ben, cat = join(data, "Ada"), join(data, "Ben"), join(data, "Cat")
    play_as(data, ada, clinic, policy="worst", clock=stamp)
    play_as(data, ada, clinic, policy="expert", seed=1, clock=lambda n: stamp(n, day=2))
    # The record says "Ada": the class list, not the record, says who played.
    play_as(data, ben, clinic, typed="Ada", policy="random", rng=random.Random(1), clock=stamp)
    play_as(data, ben, clinic, policy="expert", stop=2, mode="assessment", clock=lambda n: stamp(n, day=3))
    join(data, "Dan")  # joined, never played: no records at all
    cat_db = Workspace(data).for_learner(cat.id, cat.name).records_path
    cat_db.parent.mkdir(parents=True)
    cat_db.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)  # damaged
    return data, {"Ada": ada, "Ben": ben, "Cat": cat}


def _files(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def test_the_report_reads_every_learners_records_on_the_server(server, tmp_path, capsys):
    data, learners = server
    before = _files(data)
    book = tmp_path / "book.csv"
    status, out, err = run(["report", "--classroom", str(data), "--csv", str(book), "--html",
                            str(tmp_path / "page.html")], capsys)
    assert status == 1  # Cat's records could not be read
    cat_path = Workspace(data).for_learner(learners["Cat"].id, "Cat").records_path
    assert err.splitlines()[0] == (f"learner Cat ({cat_path}): not read: The records cannot be read: "
                                   "the records file is damaged.")
    assert "4 attempts by 2 learners from the classroom server (2 learners' records)." in out
    assert "not verifiable" not in out
    rows = list(csv.DictReader(io.StringIO(book.read_text(encoding="utf-8"))))
    assert [(r["learner"], r["source"], r["attempts"], r["completed"], r["unfinished"], r["modes"])
            for r in rows] == [("Ada", SERVER, "2", "2", "0", "practice"),
                               ("Ben", SERVER, "2", "1", "1", "practice, assessment")]
    assert rows[0]["best_percent"] == "100.0" and rows[0]["checks"] == "" and rows[0]["warnings"] == ""
    assert int(rows[0]["critical_errors_total"]) > 0
    # Read-only: no learner's file was created, changed, upgraded or set aside.
    assert _files(data) == before
    assert not (Workspace(data).for_learner(learners["Ben"].id, "x").records_path.parent.parent / "saves").exists()


def test_records_and_result_files_together_are_told_apart(server, tmp_path, clinic, capsys):
    data, learners = server
    handed_in = tmp_path / "handed-in"
    handed_in.mkdir()
    # Ada also hands in an attempt she exported from the server: it counts once, as the server's.
    ada_db = Workspace(data).for_learner(learners["Ada"].id, "Ada").records_path
    from mmjourney.records import records

    with records(ada_db) as db:
        first = db.attempts()[0]["id"]
    (handed_in / "ada.json").write_text(export_attempt(first, "json", path=ada_db), encoding="utf-8")
    # Eve studied at home.
    _, result = play(clinic, learner="Eve", policy="expert", clock=stamp)
    (handed_in / "eve.json").write_text(export_attempt(result.attempt_id, "json"), encoding="utf-8")

    results = collect([handed_in], classroom=data, class_list=class_list(data))
    assert [(e.record.learner, e.source) for e in results.entries if e.record.learner in ("Eve",)] == [
        ("Eve", SELF_REPORTED)]
    assert [d.path.name for d in results.duplicates] == ["ada.json"]

    book = tmp_path / "book.csv"
    status, out, err = run(["report", str(handed_in), "--classroom", str(data), "--csv", str(book)], capsys)
    assert status == 1
    assert f"{handed_in / 'ada.json'}: skipped: the same attempt as {ada_db}" in err
    assert "5 attempts by 3 learners from 1 result files and the classroom server (2 learners' records)." in out
    assert "Self-reported files are not verifiable" in out
    sources = {r["learner"]: (r["source"], r["checks"]) for r in csv.DictReader(io.StringIO(book.read_text()))}
    assert sources == {"Ada": (SERVER, ""), "Ben": (SERVER, ""),
                       "Eve": (SELF_REPORTED, "not replayed: story not on this machine")}


def test_the_data_folder_comes_from_the_environment(server, monkeypatch, capsys):
    data, _ = server
    monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(data))
    status, out, _ = run(["report", "--classroom", "--mode", "practice"], capsys)
    assert status == 1 and "3 attempts by 2 learners from the classroom server" in out


def test_learners_off_the_class_list_and_a_damaged_list(server, capsys):
    data, learners = server
    registry = json.loads((data / "learners.json").read_text())
    registry["learners"] = [e for e in registry["learners"] if e["name"] != "Ben"]
    (data / "learners.json").write_text(json.dumps(registry))
    rows = {r["learner"]: r for r in _gradebook(data)}
    assert set(rows) == {"Ada", f"(not on the class list) {learners['Ben'].id}"}

    (data / "learners.json").write_text("{damaged")
    status, out, err = run(["report", "--classroom", str(data)], capsys)
    assert f"the class list {data / 'learners.json'} cannot be read" in err and "shown by folder id" in err
    assert (data / "learners.json").read_text() == "{damaged"  # left for the educator to restore
    assert learners["Ada"].id in out


def _gradebook(data):
    from mmjourney.records.report import gradebook

    return gradebook(collect([], classroom=data, class_list=class_list(data)).entries)


def test_a_class_with_look_alike_names_is_flagged(tmp_path, clinic):
    data = tmp_path / "class"
    # The registry refuses names that mix alphabets; one alphabet each can still look the same.
    latin, greek = join(data, "Ako"), join(data, "\u0391\u039a\u039f")
    play_as(data, latin, clinic, policy="expert", clock=stamp)
    play_as(data, greek, clinic, policy="worst", clock=stamp)
    rows = {r["learner"]: r["warnings"] for r in _gradebook(data)}
    assert rows == {"Ako": "looks like: \u0391\u039a\u039f", "\u0391\u039a\u039f": "looks like: Ako"}


def test_no_classroom_here_says_so(tmp_path, capsys):
    status, _, err = run(["report", "--classroom", str(tmp_path / "nowhere")], capsys)
    assert status == 1 and "holds no classroom learners" in err
    status, _, err = run(["report"], capsys)
    assert status == 2 and "give result files or folders, or --classroom" in err


def test_the_mmjourney_command_names_learners_from_the_class_list(server, capsys):
    from mmjourney.cli import main

    data, learners = server
    # Ben's records say "Ada"; only the class list knows him.
    assert main(["report", "--classroom", str(data)]) == 1
    out = capsys.readouterr().out
    assert "Ben" in out and learners["Ben"].id not in out


def test_records_from_a_newer_mmjourney_are_named_and_left_alone(server, clinic, capsys):
    import sqlite3

    from mmjourney.records.database import schema_version

    data, _ = server
    dan = join(data, "Dana")
    play_as(data, dan, clinic, policy="expert", clock=stamp)
    path = Workspace(data).for_learner(dan.id, dan.name).records_path
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 99")
    # A learner who signed in and saved a journey but never reached the records: nothing is created for them.
    eve = join(data, "Eve")
    saves = Workspace(data).for_learner(eve.id, eve.name).saves_dir
    saves.mkdir(parents=True)
    status, out, err = run(["report", "--classroom", str(data)], capsys)
    assert status == 1
    assert (f"learner Dana ({path}): not read: The records cannot be read: they were written by a newer mmjourney "
            f"(schema 99; this version reads {schema_version()}).") in err.splitlines()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 99
    assert not (saves.parent / "records").exists()
    assert "4 attempts by 2 learners" in out
