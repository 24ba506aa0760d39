"""`mmjourney report` on a generated class: learners on their own machines export result files,
the educator reports on the folder, which also holds a tampered file and files that are not results."""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from pathlib import Path

import pytest

from mmjourney.records import records
from mmjourney.records.cli import add_commands
from mmjourney.records.exports import export_attempt
from mmjourney.records.report import collect, gradebook, item_statistics

from ..tui.conftest import TUTORIAL
from .conftest import keep, play, stamp

INJECTION = "=HYPERLINK(\"http://x\",\"pay\")"
CLASS = [
    # learner, story, [(policy, seed, rng, finished?)]
    ("Ada", "clinic", [("worst", 0, 1, True), ("random", 1, 2, True), ("expert", 2, 3, True)]),
    ("Ben", "clinic", [("random", 0, 4, True), ("random", 0, 5, True)]),
    ("Chen", "clinic", [("expert", 0, 6, False), ("worst", 3, 7, True)]),
    (None, "clinic", [("expert", 1, 8, True)]),
    (INJECTION, "clinic", [("random", 4, 9, True)]),
    ("<script>alert(1)</script>", "tutorial", [("expert", 0, 10, True)]),
    ("Ada", "tutorial", [("worst", 0, 11, True)]),
]


@pytest.fixture(scope="module")
def tutorial_story():
    from mmjourney.story import load_story

    return load_story(TUTORIAL)


@pytest.fixture
def classroom(tmp_path, monkeypatch, clinic, tutorial_story):
    """Each learner plays on their own machine (data folder) and hands in JSON result files."""
    folder = tmp_path / "handed-in"
    folder.mkdir()
    stories = {"clinic": clinic, "tutorial": tutorial_story}
    expected = []
    for number, (learner, story_name, attempts) in enumerate(CLASS):
        monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(tmp_path / f"machine-{number}"))
        for n, (policy, seed, rng, finished) in enumerate(attempts):
            session, result = play(stories[story_name], seed=seed, policy=policy, rng=random.Random(rng),
                                   learner=learner, stop=None if finished else 2,
                                   clock=lambda step, n=n, number=number: stamp(step, day=1 + n + number))
            if not finished:
                result = keep(session, learner, abandoned=True, now=stamp(59, day=1 + n + number))
            with records() as db:
                record = db.load(result.attempt_id)
            expected.append(record)
            name = f"{learner or 'anon'}-{story_name}-{n}.json".replace("/", "_").replace("<", "").replace(">", "")
            (folder / name).write_text(export_attempt(result.attempt_id, "json"), encoding="utf-8")
    # What an educator's folder also ends up holding.
    ben = json.loads((folder / "Ben-clinic-1.json").read_text())
    ben["attempt"]["scores"]["overall"]["percent"] = 100.0
    (folder / "Ben-clinic-1-improved.json").write_text(json.dumps(ben), encoding="utf-8")
    (folder / "Ada-clinic-0-copy.json").write_text((folder / "Ada-clinic-0.json").read_text(), encoding="utf-8")
    (folder / "package.json").write_text('{"name": "not a result"}', encoding="utf-8")
    monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(tmp_path / "machine-1"))
    with records() as db:
        last = db.last_attempt_id()
    (folder / "ben-statements.json").write_text(export_attempt(last, "xapi"), encoding="utf-8")
    (folder / "notes.json").write_bytes(b"\xff\xfe not even text")
    return folder, expected


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="mmjourney")
    add_commands(parser.add_subparsers())
    args = parser.parse_args(argv)
    status = args.run(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_report_on_a_class_with_a_tampered_file(classroom, tmp_path, capsys):
    folder, expected = classroom
    book, items, page = tmp_path / "gradebook.csv", tmp_path / "items.csv", tmp_path / "report.html"
    status, out, err = run(["report", str(folder), "--csv", str(book), "--items-csv", str(items),
                            "--html", str(page)], capsys)
    assert status == 1  # some files were refused
    assert "Traceback" not in err
    rejected = {line.split(": rejected: ")[0].rsplit("/", 1)[-1]: line.split(": rejected: ")[1]
                for line in err.splitlines() if ": rejected: " in line}
    assert rejected == {
        "Ben-clinic-1-improved.json": "the integrity hash does not match: the file was changed after it was exported",
        "package.json": "not an mmjourney result file",
        "ben-statements.json": "these are xAPI statements (for a Learning Record Store), not a result file; "
                               "export results with --format json",
        "notes.json": "not an mmjourney result file (it is not JSON text)",
    }
    skipped = [line for line in err.splitlines() if ": skipped: the same attempt as " in line]
    assert len(skipped) == 1 and skipped[0].count("Ada-clinic-0") == 2  # a copy handed in twice counts once
    assert f"{len(expected)} attempts by 6 learners from {len(expected)} result files." in out
    assert "Gradebook" in out and "Items: Test clinic" in out and "Items: Tutorial: first shift" in out

    rows = list(csv.DictReader(io.StringIO(book.read_text(encoding="utf-8"))))
    order = [(r["story_id"], r["learner"].removeprefix("'").casefold()) for r in rows]
    assert order == sorted(order)
    by = {(r["learner"], r["story_id"]): r for r in rows}
    assert len(rows) == 7
    ada = by[("Ada", "test-clinic")]
    ada_attempts = expected[0:3]
    percents = [a.scores.overall.percent for a in ada_attempts]
    assert ada["attempts"] == "3" and ada["completed"] == "3"
    assert float(ada["best_percent"]) == round(max(percents), 1)
    assert float(ada["latest_percent"]) == round(percents[-1], 1) == 100.0
    assert ada["latest_ending"] == "Home safely"
    assert ada["critical_errors_total"] == str(sum(len(a.critical_errors) for a in ada_attempts))
    chen = by[("Chen", "test-clinic")]
    assert chen["attempts"] == "2" and chen["completed"] == "1" and chen["abandoned"] == "1"
    assert float(chen["latest_percent"]) == round(expected[6].scores.overall.percent, 1)
    assert ("'" + INJECTION, "test-clinic") in by  # a formula stays text in a spreadsheet
    anonymous = [r for r in rows if r["learner"].startswith("(no name) mmj-")]
    assert len(anonymous) == 1
    assert by[("Ada", "tutorial-first-shift")]["attempts"] == "1"

    item_rows = list(csv.DictReader(io.StringIO(items.read_text(encoding="utf-8"))))
    arrival = next(r for r in item_rows if r["story_id"] == "test-clinic" and r["item"] == "arrival")
    clinic_records = [r for r in expected if r.story.id == "test-clinic"]
    firsts = [r.decisions[0] for r in clinic_records]
    assert arrival["responses"] == str(len(firsts))
    assert float(arrival["best_share"]) == round(sum(d.response == ("give_fluids",) for d in firsts) / len(firsts), 3)
    assert float(arrival["critical_rate"]) == round(sum(d.response == ("wait",) for d in firsts) / len(firsts), 3)
    assert "Start IV fluids [best]: " in arrival["choices"] and "Wait and see [harmful]: " in arrival["choices"]

    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Ben-clinic-1-improved.json" in html and "integrity hash does not match" in html
    assert "Start IV fluids" in html and "Gradebook" in html


def test_statistics_count_every_choice_and_answer(classroom):
    folder, expected = classroom
    results = collect([folder])
    assert len(results.records) == len(expected) and len(results.duplicates) == 1
    stats = {(s.story_id, s.item): s for s in item_statistics(results.records)}
    quiz = stats[("test-clinic", "crab_quiz")]
    answered = [d for r in expected if r.story.id == "test-clinic" for d in r.decisions
                if d.item == "crab_quiz"]
    assert quiz.responses == len(answered)
    assert sum(quiz.counts.values()) == sum(len(d.response) for d in answered)
    assert quiz.best == sum(1 for d in answered if d.response == ("calcium", "renal"))
    assert quiz.marks == {"calcium": "correct", "renal": "correct", "rash": "incorrect"}
    for s in stats.values():
        assert 0 <= s.best_share <= 1 and 0 <= s.critical_rate <= 1
        assert s.responses >= len(s.learners)


def test_gradebook_in_assessment_mode_only(classroom, capsys):
    folder, _ = classroom
    status, _, err = run(["report", str(folder), "--mode", "assessment"], capsys)
    assert status == 1 and "none in assessment mode" in err


def test_report_with_only_good_files_exits_zero(classroom, tmp_path, capsys):
    folder, _ = classroom
    good = [p for p in folder.iterdir() if p.name in ("Ada-clinic-0.json", "Ben-clinic-0.json")]
    status, out, err = run(["report", *map(str, good)], capsys)
    assert status == 0 and err == "" and "Ada" in out and "Ben" in out
    rows = gradebook(collect(good).records)
    assert [r["learner"] for r in rows] == ["Ada", "Ben"]


def test_report_on_nothing_usable_says_so(tmp_path, capsys):
    missing = tmp_path / "nope.json"
    status, _, err = run(["report", str(missing)], capsys)
    assert status == 1 and "nope.json: rejected: no such file" in err
    assert "no result files could be used" in err


def test_a_result_with_a_recomputed_hash_but_broken_structure_is_refused(classroom, tmp_path):
    from mmjourney.records.exports import integrity_hash
    from mmjourney.records.report import ResultError, read_result

    folder, _ = classroom
    document = json.loads((folder / "Ada-clinic-0.json").read_text())
    document["attempt"]["decisions"][0]["points"] = "lots"
    document["integrity"]["hash"] = integrity_hash(document)
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ResultError, match="incomplete or damaged"):
        read_result(path)
    assert Path(path).exists()


def _forged(source: Path, target: Path, edit) -> Path:
    """A result file edited by hand with its hash recomputed: only the structure can give it away."""
    from mmjourney.records.exports import integrity_hash

    document = json.loads(source.read_text())
    edit(document["attempt"])
    document["integrity"]["hash"] = integrity_hash(document)
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def test_result_files_with_wrong_types_are_rejected_by_name_with_the_reason(clinic, tmp_path, capsys):
    folder = tmp_path / "handed-in"
    folder.mkdir()
    _, result = play(clinic, policy="worst", learner="Ada", clock=stamp)
    good = folder / "good.json"
    good.write_text(export_attempt(result.attempt_id, "json"), encoding="utf-8")
    _forged(good, folder / "ended.json", lambda a: a.update(ended_at=12345))
    _forged(good, folder / "options.json", lambda a: a["decisions"][0].update(options=[1, 2]))
    _forged(good, folder / "response.json", lambda a: a["decisions"][0].update(response=[[1]]))
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    status, out, err = run(["report", str(folder)], capsys)
    assert status == 1 and "Traceback" not in err
    rejected = {line.split(": rejected: ")[0].rsplit("/", 1)[-1]: line.split(": rejected: ")[1]
                for line in err.splitlines() if ": rejected: " in line}
    damaged = "the attempt inside is incomplete or damaged"
    assert rejected == {
        "ended.json": f"{damaged} (ended_at should be text or empty, but it is the number 12345)",
        "options.json": f"{damaged} (decisions[0].options[0] should be an object with named values, "
                        "but it is the number 1)",
        "response.json": f"{damaged} (decisions[0].response[0] should be text, but it is a list)",
        "deep.json": "not an mmjourney result file (its values are nested far too deeply)",
    }
    assert "1 attempts by 1 learners from 1 result files." in out and "Ada" in out


def test_nesting_is_measured_outside_strings(clinic, tmp_path):
    from mmjourney.records.report import read_result

    _, result = play(clinic, learner="[[[[" * 100 + "{{{{" * 100)  # brackets in text are only text
    path = tmp_path / "brackets.json"
    path.write_text(export_attempt(result.attempt_id, "json"), encoding="utf-8")
    assert read_result(path).learner.startswith("[[[[")
