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
from mmjourney.records.report import collect, gradebook, item_statistics, items_csv

from ..conftest import FIXTURES
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
    assert (ada["safety"], ada["passed"]) == ("safe", "yes")  # the latest finished attempt's verdict
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
    stats = {(s.story_id, s.item): s for s in item_statistics(results.entries)}
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
    rows = gradebook(collect(good).entries)
    assert [r["learner"] for r in rows] == ["Ada", "Ben"]


def test_report_on_nothing_usable_says_so(tmp_path, capsys):
    missing = tmp_path / "nope.json"
    status, _, err = run(["report", str(missing)], capsys)
    assert status == 1 and "nope.json: rejected: no such file" in err
    assert "no attempts could be used" in err


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


# --- forged files: numbers that do not add up, and numbers that a replay contradicts ---------------------


def _recount(attempt: dict) -> None:
    """What a careful forger does after changing decisions: every tally recomputed to agree with them."""
    def tally(decisions):
        points = sum(d["points"] for d in decisions)
        most = sum(d["max_points"] for d in decisions)
        return {"points": points, "max_points": most, "decisions": len(decisions),
                "percent": None if not most else round(100 * points / most, 2)}

    decisions = attempt["decisions"]
    scores = attempt["scores"]
    scores["overall"] = tally(decisions)
    scores["by_step"] = {k: tally([d for d in decisions if d["step"] == k]) for k in scores["by_step"]}
    scores["by_objective"] = {k: tally([d for d in decisions if k in d["objectives"]]) for k in scores["by_objective"]}
    scores["by_category"] = {k: tally([d for d in decisions if d["category"] == k]) for k in scores["by_category"]}
    attempt["critical_errors"] = [c for c in attempt["critical_errors"]
                                  if any(d["position"] == c["position"] and d["critical"] for d in decisions)]
    safe = not attempt["critical_errors"]
    attempt["verdict"].update(safe=safe, passed=safe and attempt["status"] == "completed"
                              and (scores["overall"]["percent"] or 0) >= attempt["verdict"]["pass_mark"])


def _all_best(attempt: dict) -> None:
    for d in attempt["decisions"]:
        d.update(points=d["max_points"], critical=False, rating="best" if d["rating"] else None, matched_expert=True)
    _recount(attempt)


@pytest.fixture
def worst_results(clinic, tutorial_story, tmp_path):
    """A poor attempt at the clinic (a test story, not bundled) and at the tutorial (bundled), as result files."""
    folder = tmp_path / "handed-in"
    folder.mkdir()
    for name, story in (("clinic", clinic), ("tutorial", tutorial_story)):
        _, result = play(story, policy="worst", learner="Mallory", clock=stamp)
        (folder / f"{name}.json").write_text(export_attempt(result.attempt_id, "json"), encoding="utf-8")
    return folder


def test_forged_numbers_that_do_not_add_up_are_refused_by_name(worst_results, capsys):
    folder = worst_results
    good = folder / "clinic.json"
    forged = folder / "forged"
    forged.mkdir()

    def overall(**values):
        return lambda a: a["scores"]["overall"].update(values)

    _forged(good, forged / "999.json", overall(percent=999, points=0))
    _forged(good, forged / "too-many-points.json", lambda a: a["decisions"][0].update(points=7))
    _forged(good, forged / "overall.json", lambda a: a["scores"]["overall"].update(
        points=a["scores"]["overall"]["max_points"], percent=100.0))
    _forged(good, forged / "no-criticals.json", lambda a: a.update(critical_errors=[]))
    _forged(good, forged / "dropped.json", lambda a: a["decisions"].pop(0))
    _forged(good, forged / "step.json", lambda a: a["scores"]["by_step"].popitem())
    _forged(good, forged / "ending.json", lambda a: a.update(ending=None))
    _forged(good, forged / "passed.json", lambda a: a["verdict"].update(passed=True))
    _forged(good, forged / "safe.json", lambda a: a["verdict"].update(safe=True))
    _forged(good, forged / "pass-mark.json", lambda a: a["verdict"].update(pass_mark=120))
    _forged(good, forged / "undone.json", lambda a: a.update(undos=0, undone=[dict(
        a["decisions"][0], label="Wait and see", undone_at=a["started_at"]) for _ in range(1)]))
    status, out, err = run(["report", str(forged), str(good)], capsys)
    assert status == 1 and "Traceback" not in err
    rejected = {line.split(": rejected: ")[0].rsplit("/", 1)[-1]: line.split(": rejected: ")[1]
                for line in err.splitlines() if ": rejected: " in line}
    assert rejected["999.json"].startswith("scores.overall: the percent (999) does not match its points (0 of ")
    assert rejected["too-many-points.json"] == "decisions[0]: 7 points is outside 0 to its maximum of 1"
    assert rejected["overall.json"].startswith("scores.overall does not add up from the decisions")
    assert rejected["no-criticals.json"] == "the critical errors listed are not the decisions marked critical"
    assert rejected["dropped.json"].startswith("the ") and "do not match the" in rejected["dropped.json"]
    assert rejected["step.json"].startswith("scores.by_step does not match the decisions")
    assert rejected["ending.json"] == "the attempt is marked completed but reached no ending"
    assert rejected["passed.json"].startswith("the verdict says passed, but the score (")
    assert rejected["safe.json"] == "the verdict says safe, but the attempt has 1 critical error"
    assert rejected["pass-mark.json"] == "the pass mark (120%) is outside 0 to 100"
    assert rejected["undone.json"] == "1 decision listed as undone, but no undo is counted"
    assert len(rejected) == 11
    assert "1 attempts by 1 learners from 1 result files." in out


def test_a_consistent_forgery_is_refused_when_its_story_is_here_to_replay(worst_results, capsys):
    folder = worst_results
    forged = folder / "forged"
    forged.mkdir()
    _forged(folder / "tutorial.json", forged / "tutorial-perfect.json", _all_best)
    _forged(folder / "clinic.json", forged / "clinic-perfect.json", _all_best)
    _forged(folder / "tutorial.json", forged / "tutorial-other-choice.json",
            lambda a: a["decisions"][0].update(response=["made_up"]) or a["actions"][
                a["decisions"][0]["position"]].update(id="made_up"))
    status, out, err = run(["report", str(forged), "--csv", str(folder / "book.csv")], capsys)
    rejected = {line.split(": rejected: ")[0].rsplit("/", 1)[-1]: line.split(": rejected: ")[1]
                for line in err.splitlines() if ": rejected: " in line}
    # The tutorial is bundled: a replay of the decisions gives the real scores.
    assert rejected["tutorial-perfect.json"].startswith("the scores do not match a replay of the decisions (100.0% in "
                                                        "the file, ")
    scene = json.loads((folder / "tutorial.json").read_text())["attempt"]["decisions"][0]["scene"]
    assert rejected["tutorial-other-choice.json"] == (f"decisions[0] names 'made_up', which is not an option in "
                                                      f"scene '{scene}' of the story")
    # The clinic is not on this machine: its numbers add up, so it is counted, and says it was not replayed.
    assert status == 1 and set(rejected) == {"tutorial-perfect.json", "tutorial-other-choice.json"}
    row = next(csv.DictReader(io.StringIO((folder / "book.csv").read_text(encoding="utf-8"))))
    assert row["source"] == "self-reported file" and row["best_percent"] == "100.0"
    assert row["checks"] == "not replayed: story not on this machine"
    assert "not verifiable" in out

    # Given the story folder, the clinic forgery is replayed and refused too.
    status, _, err = run(["report", str(forged / "clinic-perfect.json"), "--stories", str(FIXTURES)], capsys)
    assert status == 1
    assert "clinic-perfect.json: rejected: the scores do not match a replay of the decisions" in err


def test_genuine_files_pass_the_replay(worst_results, tutorial_story, capsys):
    folder = worst_results
    status, out, err = run(["report", str(folder), "--stories", str(FIXTURES), "--csv", str(folder / "book.csv")],
                           capsys)
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO((folder / "book.csv").read_text(encoding="utf-8"))))
    assert [r["checks"] for r in rows] == ["replayed: matches"] * 2
    assert {r["modes"] for r in rows} == {"practice"} and {r["undos"] for r in rows} == {"0"}
    assert all(int(r["critical_errors_total"]) > 0 for r in rows)


def test_an_unexpected_error_in_one_file_becomes_its_rejection(worst_results, monkeypatch, capsys):
    from mmjourney.records import report

    folder = worst_results
    real = report.verify

    def verify(record, shelf):
        if record.story.id == "test-clinic":
            raise TypeError("'<' not supported between instances of 'str' and 'int'")
        return real(record, shelf)

    monkeypatch.setattr(report, "verify", verify)
    status, out, err = run(["report", str(folder)], capsys)
    assert status == 1 and "Traceback" not in err
    assert (f"{folder / 'clinic.json'}: rejected: it could not be checked (TypeError: '<' not supported between "
            "instances of 'str' and 'int')") in err.splitlines()
    assert "1 attempts by 1 learners from 1 result files." in out and "Tutorial" in out


# --- learner names that look alike, and control characters -------------------------------------------


def test_look_alike_and_hidden_names_are_flagged(worst_results, monkeypatch, capsys):
    folder = worst_results
    names = {"bob": "bob", "cyrillic": "\u0412\u043eb", "zero-width": "B\u200bob", "reversed": "Bob\u202e 001%",
             "ada": "Ada"}
    for file, name in names.items():
        _forged(folder / "clinic.json", folder / f"{file}.json",
                lambda a, name=name: a.update(learner=name, uuid=f"{abs(hash(name)):032x}"[-32:]))
    (folder / "tutorial.json").unlink()
    (folder / "clinic.json").unlink()
    monkeypatch.setenv("COLUMNS", "250")
    status, out, err = run(["report", str(folder), "--csv", str(folder / "book.csv"),
                            "--html", str(folder / "page.html")], capsys)
    assert status == 0, err
    rows = {r["learner"]: r for r in csv.DictReader(io.StringIO((folder / "book.csv").read_text(encoding="utf-8")))}
    assert rows["Ada"]["warnings"] == ""
    assert rows["bob"]["warnings"].startswith("looks like: \u0412\u043eb; looks like: B\u200bob")
    assert rows["\u0412\u043eb"]["warnings"].startswith("looks like: bob")
    assert rows["B\u200bob"]["warnings"].startswith("name has hidden characters: B\\u200bob; looks like: bob")
    # The bidi control was removed when the file was read; the row still says the name hid something.
    assert rows["Bob 001%"]["warnings"] == "name has hidden characters: Bob 001%"
    assert "\u202e" not in out and "\u202e" not in (folder / "page.html").read_text(encoding="utf-8")
    assert "looks like: bob" in out and "looks like: bob" in (folder / "page.html").read_text(encoding="utf-8")


ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202e"


def test_no_control_character_from_a_file_or_its_name_reaches_the_terminal(worst_results, monkeypatch, capsys):
    folder = worst_results
    _forged(folder / "clinic.json", folder / "evil.json",
            lambda a: a.update(learner=f"Eve{ESCAPES}", uuid="e" * 32) or a["story"].update(title=f"T{ESCAPES}"))
    (folder / "b\x1b[2J.json").write_text("not json", encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "250")
    status, out, err = run(["report", str(folder), "--csv", str(folder / "book.csv"),
                            "--items-csv", str(folder / "items.csv"), "--html", str(folder / "page.html")], capsys)
    assert status == 1
    assert "b\\x1b[2J.json: rejected: not an mmjourney result file (it is not JSON text)" in err
    for text in (out, err, *(p.read_text(encoding="utf-8") for p in folder.glob("*.*") if p.suffix != ".json")):
        assert not any(c in text for c in "\x1b\x07\x9b\u202e"), text
    assert "Eve]0;PWNED[2J31m" in out  # what is left is plain text


def test_export_prints_no_control_characters_from_the_records(clinic, capsys):
    play(clinic, learner=f"Eve{ESCAPES}", clock=stamp)
    for argv in (["export", "--last", "--format", "md"], ["export", "--last", "--format", "json"],
                 ["export", "--list"]):
        status, out, err = run(argv, capsys)
        assert status == 0, err
        assert not any(c in out + err for c in "\x1b\x07\x9b\u202e"), argv
    assert "Eve\\]0;PWNED\\[2J31m" in run(["export", "--last", "--format", "md"], capsys)[1]


def test_each_item_has_its_type_score_distribution_and_most_missed_units(classroom):
    """Issue 15: per item type, how the scores spread (NCSBN partial credit) and which units were missed."""
    folder, expected = classroom
    results = collect([folder])
    stats = {(s.story_id, s.item): s for s in item_statistics(results.entries)}
    quiz = stats[("test-clinic", "crab_quiz")]
    answered = [d for entry in results.entries if entry.record.story.id == "test-clinic"
                for d in entry.record.decisions if d.item == "crab_quiz"]
    assert quiz.item_type == "select all that apply"
    assert stats[("test-clinic", "arrival")].item_type == "decision"
    # Worked by hand from the answers: each response's score, and each unit's misses.
    spread: dict[tuple[float, float], int] = {}
    for d in answered:
        spread[(float(d.points), float(d.max_points))] = spread.get((float(d.points), float(d.max_points)), 0) + 1
    assert quiz.scores == spread and sum(quiz.scores.values()) == quiz.responses
    correct = {"calcium", "renal"}
    for unit in ("calcium", "renal", "rash"):
        missed = sum(1 for d in answered if (unit in d.response) != (unit in correct))
        assert quiz.missed.get(unit, 0) == missed, unit
    assert quiz.most_missed() == sorted(quiz.most_missed(), key=lambda pair: -pair[1])
    text = quiz.scores_text()
    assert all(f"{p:g} of {m:g}: {n}" in text for (p, m), n in spread.items())
    rows = list(csv.DictReader(io.StringIO(items_csv([quiz]))))
    assert rows[0]["item_type"] == "select all that apply" and rows[0]["scores"] == text
    assert rows[0]["most_missed"] == quiz.most_missed_text()
