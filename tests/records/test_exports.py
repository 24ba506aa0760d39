"""Exports of an attempt: file contents for Markdown, HTML, the JSON result file and xAPI."""

from __future__ import annotations

import json
import re
import uuid
from argparse import Namespace
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from mmjourney.records import records
from mmjourney.records.cli import add_commands, export_main
from mmjourney.records.exports import export_attempt, integrity_hash, render, result_document
from mmjourney.records.report import ResultError, read_result
from mmjourney.records.xapi import VERBS, iso_duration, statements
from mmjourney.story import load_story

from .conftest import keep, play, stamp

TRAP = Path(__file__).parent / "fixtures" / "html-trap.yaml"


@pytest.fixture
def finished(clinic):
    _, result = play(clinic, policy="worst", learner="Ada", clock=lambda n: stamp(n))
    return result.attempt_id


@pytest.fixture
def trap():
    story = load_story(TRAP)
    _, result = play(story, policy="worst", learner="<b>Eve</b> =HYPERLINK(\"x\")", clock=lambda n: stamp(n))
    return result.attempt_id


def load(attempt_id):
    with records() as db:
        return db.load(attempt_id)


def run(argv, capsys):
    import argparse

    parser = argparse.ArgumentParser(prog="mmjourney")
    add_commands(parser.add_subparsers())
    args = parser.parse_args(argv)
    status = args.run(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- Markdown ----------------------------------------------------------------------------------------


def test_markdown_debrief_has_every_part(finished):
    text = export_attempt(finished, "md")
    for heading in ("# Debrief: Test clinic", "## Outcome", "## Scores", "### By clinical-judgment step",
                    "### By learning objective", "### By category", "## Critical errors",
                    "## Key labs over the journey",
                    "## Your decisions beside the expert's", "## References", "## About this file"):
        assert heading in text
    assert "- **Learner:** Ada" in text
    assert "- Decision 1: Wait and see" in text  # the critical error
    assert "### 1. Wait and see (harmful) — **CRITICAL ERROR**" in text
    assert "- **Expert's choice:** Start IV fluids" in text
    assert "- **Why:** Untreated hypercalcaemia worsens." in text
    assert "| Calcium (mmol/L) | 3.00 |" in text
    assert "| Give fluids for high calcium |" in text
    assert "- **imwg**: IMWG 2014 criteria" in text
    assert "decided 2026-03-01 10:01 UTC" in text
    assert 'This file contains the learner name "Ada"' in text and "nothing was sent anywhere" in text


def test_markdown_escapes_story_text(trap):
    text = export_attempt(trap, "md")
    assert "- **good**: A real guideline <https://example.org/guideline?a=1&b=2>" in text  # a web link
    assert "(javascript:alert(1))" in text and "<javascript:" not in text  # any other address is only text
    ours = re.sub(r"^>( |$)", "", text, flags=re.M).replace("<https://example.org/guideline?a=1&b=2>", "")
    assert not re.search(r"(?<!\\)[<>]", ours), "every < and > from the story is escaped"
    assert r"\<script\>alert('label')\</script\>" in text
    assert r"\[x\](javascript:alert(1)) \*\*bold\*\*" in text
    assert r"\| pipe \* star \_under\_ \`tick\` \[/" in text


# --- HTML ------------------------------------------------------------------------------------------


class Collector(HTMLParser):
    VOID = {"meta", "br", "img", "col", "rect", "circle", "line", "polyline", "path", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.text, self.attrs, self.problems = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unexpected </{tag}> with {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    collector.close()
    return collector


def test_html_debrief_is_one_self_contained_page(finished):
    page = export_attempt(finished, "html")
    doc = parse(page)
    assert doc.problems == [] and doc.stack == []
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page  # nothing may load from elsewhere, no script may run
    assert "script" not in doc.tags and "link" not in doc.tags and "img" not in doc.tags and "iframe" not in doc.tags
    assert not [v for k, v in doc.attrs if k in ("src", "href") and v and not v.startswith("#")]
    assert "@media print" in page and "break-inside: avoid" in page
    text = " ".join(" ".join(doc.text).split())
    for part in ("Debrief: Test clinic", "Outcome", "Readmitted", "mixed ending", "Overall score: 3 of 6 (50%)",
                 "By clinical-judgment step", "Take action", "By learning objective", "Give fluids for high calcium",
                 "Critical errors", "Decision 1: Wait and see", "Key labs over the journey",
                 "Your decisions beside the expert's", "Wait and see (harmful) CRITICAL ERROR",
                 "Expert's choice Start IV fluids", "Why: Untreated hypercalcaemia worsens.",
                 "IMWG 2014 criteria", "About this file", 'the learner name "Ada"', "nothing was sent anywhere"):
        assert part in text, part


def test_html_charts_are_inline_svg_one_per_visible_lab(finished):
    page = export_attempt(finished, "html")
    record = load(finished)
    charts = re.findall(r"<figure>.*?</figure>", page, re.S)
    assert len(charts) == len(record.story.stats) == 2
    calcium = charts[0]
    assert "Calcium" in calcium and "<svg" in calcium and "<polyline" in calcium and "normal 2.20 to 2.60" in calcium
    points = re.search(r'<polyline points="([^"]+)"', calcium).group(1).split()
    assert len(points) == len(record.chart)
    values = record.stat_values("calcium")
    assert f"{values[0]:.2f}" in calcium and f"{values[-1]:.2f}" in calcium
    assert 'aria-label="Calcium (mmol/L): from 3.00 to' in calcium


def test_html_escapes_every_piece_of_story_text(trap):
    page = export_attempt(trap, "html")
    doc = parse(page)
    assert doc.problems == [] and doc.stack == []
    assert "script" not in doc.tags and "img" not in doc.tags and "u" not in doc.tags and "i" not in doc.tags
    assert not any(k.startswith("on") for k, _ in doc.attrs)
    assert "javascript:" not in " ".join(v or "" for _, v in doc.attrs)
    text = " ".join(doc.text)
    for literal in ("<script>alert('title')</script> Trap & [TODO] [b]x", "Label <script>alert('label')</script>",
                    "Outcome </td></tr></table><script>alert('outcome')</script>", "Rationale \" onmouseover=",
                    "Nursing ]]> <!-- comment", "Prompt <script>alert('prompt')</script>", "Option <b>one</b>",
                    "Citation <a href='javascript:alert(1)'>click</a> [/", "javascript:alert(1)",
                    "The end <script>alert('ending')</script>", "Second paragraph & [TODO].",
                    "Level <svg onload=alert(1)>", "<b>Eve</b>"):
        assert literal in text, literal
    links = [v for k, v in doc.attrs if k == "href"]
    assert links == ["https://example.org/guideline?a=1&b=2"]  # only http(s) references become links


# --- JSON result file ---------------------------------------------------------------------------------


def test_json_result_file_holds_the_record_and_a_checkable_hash(finished, tmp_path):
    text = export_attempt(finished, "json")
    document = json.loads(text)
    assert document["format"] == "mmjourney-result" and document["version"] == 1
    assert "local" not in document["attempt"]
    record = load(finished)
    assert document["attempt"] == record.to_json()
    assert document["integrity"]["algorithm"] == "sha256"
    assert document["integrity"]["hash"] == integrity_hash(document)
    assert "not a determined forger" in document["integrity"]["note"]
    assert 'the learner name "Ada"' in document["contains"]
    path = tmp_path / "result.json"
    path.write_text(text)
    assert read_result(path) == record


@pytest.mark.parametrize("edit", [
    lambda d: d["attempt"]["scores"]["overall"].update(percent=100.0),
    lambda d: d["attempt"].update(learner="Somebody else"),
    lambda d: d["attempt"]["decisions"][0].update(rating="best"),
    lambda d: d["attempt"]["critical_errors"].clear(),
    lambda d: d.update(created_at="2020-01-01T00:00:00Z"),
], ids=["score", "learner", "rating", "critical-errors", "created"])
def test_any_edit_to_a_result_file_is_detected(finished, tmp_path, edit):
    document = json.loads(export_attempt(finished, "json"))
    edit(document)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document, indent=1))
    with pytest.raises(ResultError, match="integrity hash does not match"):
        read_result(path)


def test_reformatting_a_result_file_is_not_mistaken_for_tampering(finished, tmp_path):
    document = json.loads(export_attempt(finished, "json"))
    path = tmp_path / "compact.json"
    path.write_text(json.dumps(document, separators=(",", ":"), ensure_ascii=True))
    assert read_result(path).status == "completed"


# --- xAPI ------------------------------------------------------------------------------------------------

IRI = r"^[a-z][a-z0-9+.-]*:[^\s]+$"
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
LANG_MAP = {"type": "object", "minProperties": 1, "patternProperties": {r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$":
                                                                        {"type": "string"}},
            "additionalProperties": False}
EXTENSIONS = {"type": "object", "propertyNames": {"pattern": IRI}}
ACTIVITY = {
    "type": "object", "required": ["id"], "additionalProperties": False,
    "properties": {
        "objectType": {"const": "Activity"}, "id": {"type": "string", "pattern": IRI},
        "definition": {"type": "object", "additionalProperties": False, "properties": {
            "name": LANG_MAP, "description": LANG_MAP, "type": {"type": "string", "pattern": IRI},
            "interactionType": {"enum": ["true-false", "choice", "fill-in", "long-fill-in", "matching",
                                         "performance", "sequencing", "likert", "numeric", "other"]},
            "correctResponsesPattern": {"type": "array", "items": {"type": "string"}},
            "choices": {"type": "array", "items": {"type": "object", "required": ["id", "description"],
                                                   "additionalProperties": False,
                                                   "properties": {"id": {"type": "string", "pattern": r"^\S+$"},
                                                                  "description": LANG_MAP}}},
            "extensions": EXTENSIONS}}},
}
# The core of the xAPI 1.0.3 statement rules an LRS enforces (Data 2.4), as a JSON Schema.
STATEMENT = {
    "type": "object", "required": ["id", "actor", "verb", "object", "timestamp"], "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": UUID},
        "actor": {"type": "object", "required": ["objectType", "account"], "additionalProperties": False,
                  "properties": {"objectType": {"const": "Agent"},
                                 "account": {"type": "object", "required": ["homePage", "name"],
                                             "additionalProperties": False,
                                             "properties": {"homePage": {"type": "string", "pattern": r"^https?://"},
                                                            "name": {"type": "string", "minLength": 1}}}}},
        "verb": {"type": "object", "required": ["id", "display"], "additionalProperties": False,
                 "properties": {"id": {"type": "string", "pattern": IRI}, "display": LANG_MAP}},
        "object": ACTIVITY,
        "result": {"type": "object", "additionalProperties": False, "properties": {
            "score": {"type": "object", "additionalProperties": False, "properties": {
                "scaled": {"type": "number", "minimum": -1, "maximum": 1}, "raw": {"type": "number"},
                "min": {"type": "number"}, "max": {"type": "number"}}},
            "success": {"type": "boolean"}, "completion": {"type": "boolean"}, "response": {"type": "string"},
            "duration": {"type": "string", "pattern": r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?"
                                                      r"(?:\d+(?:\.\d+)?S)?)?$"},
            "extensions": EXTENSIONS}},
        "context": {"type": "object", "additionalProperties": False, "properties": {
            "registration": {"type": "string", "pattern": UUID},
            "contextActivities": {"type": "object", "additionalProperties": False, "properties": {
                k: {"type": "array", "items": ACTIVITY} for k in ("parent", "grouping", "category", "other")}},
            "platform": {"type": "string"}, "language": {"type": "string"}, "extensions": EXTENSIONS}},
        "timestamp": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"},
    },
}


def no_nulls(value) -> bool:
    if isinstance(value, dict):
        return all(v is not None and no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return value is not None


def test_xapi_statements_are_valid_and_tell_the_attempt(finished):
    record = load(finished)
    batch = json.loads(export_attempt(finished, "xapi"))
    assert isinstance(batch, list)
    for statement in batch:
        jsonschema.validate(statement, STATEMENT)
        assert no_nulls(statement)
        score = statement.get("result", {}).get("score")
        if score:
            assert score["min"] <= score["raw"] <= score["max"]
    verbs = [s["verb"]["id"] for s in batch]
    assert verbs == [VERBS["launched"]] + [VERBS["responded"]] * len(record.decisions) + [VERBS["completed"]]
    registration = str(uuid.UUID(hex=record.uuid))
    assert {s["context"]["registration"] for s in batch} == {registration}
    assert {s["actor"]["account"]["name"] for s in batch} == {record.learner_key}
    assert "Ada" not in json.dumps(batch)  # pseudonymous: the name never goes out
    assert all(s["context"]["contextActivities"]["category"][0]["id"] == "https://w3id.org/xapi/virtual-patient"
               for s in batch)
    assert batch[0]["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/simulation"
    assert batch[0]["timestamp"] == record.started_at
    first = batch[1]
    assert first["object"]["definition"]["interactionType"] == "choice"
    assert first["object"]["definition"]["correctResponsesPattern"] == ["give_fluids"]
    assert first["result"] == {"response": "wait", "success": False,
                               "score": {"scaled": 0.0, "raw": 0.0, "min": 0.0, "max": 1.0},
                               "extensions": {"https://mmjourney.invalid/xapi/extensions/rating": "harmful",
                                              "https://mmjourney.invalid/xapi/extensions/critical-error": True}}
    assert first["context"]["contextActivities"]["parent"][0]["id"] == batch[0]["object"]["id"]
    quiz = next(s for s in batch[1:-1] if s["object"]["id"].endswith("/items/crab_quiz"))
    assert quiz["object"]["definition"]["correctResponsesPattern"] == ["calcium[,]renal"]
    completed = batch[-1]["result"]
    assert completed["completion"] is True and completed["success"] is False  # a critical error, 50%
    extension = "https://mmjourney.invalid/xapi/extensions/"
    assert completed["extensions"][extension + "safe"] is False
    assert completed["extensions"][extension + "pass-mark"] == 80.0
    assert completed["extensions"][extension + "critical-error-decisions"] == [
        {"decision": c.number, "label": c.label} for c in record.critical_errors]
    assert completed["score"] == {"scaled": 0.5, "raw": 3.0, "min": 0.0, "max": 6.0}
    assert completed["duration"] == "PT5M0S" or completed["duration"] == "PT5M"  # five minutes of play
    assert batch[-1]["timestamp"] == record.ended_at


def test_xapi_ids_are_deterministic_so_uploading_twice_is_harmless(finished):
    once = export_attempt(finished, "xapi")
    again = export_attempt(finished, "xapi")
    assert once == again
    ids = [s["id"] for s in json.loads(once)]
    assert len(ids) == len(set(ids))


def test_xapi_for_an_expert_journey_succeeds_and_for_an_abandoned_one_terminates(clinic):
    _, expert = play(clinic, seed=1)
    batch = statements(load(expert.attempt_id))
    assert batch[-1]["result"]["success"] is True and batch[-1]["result"]["score"]["scaled"] == 1.0
    session, _ = play(clinic, seed=2, stop=2)
    left = keep(session, abandoned=True)
    batch = statements(load(left.attempt_id), account="student-42", homepage="https://lms.example.edu")
    assert [s["verb"]["display"]["en"] for s in batch] == ["launched", "responded", "responded", "terminated"]
    assert batch[-1]["result"]["completion"] is False and batch[-1]["result"]["success"] is False  # not passed
    assert batch[0]["actor"]["account"] == {"homePage": "https://lms.example.edu", "name": "student-42"}
    for statement in batch:
        jsonschema.validate(statement, STATEMENT)


def test_xapi_keeps_old_statements_when_a_decision_is_undone(clinic):
    from mmjourney.engine import Session
    from mmjourney.journey import expert_path
    from mmjourney.records import AttemptWriter

    actions = expert_path(clinic).actions
    session = Session(clinic)
    writer = AttemptWriter()
    session.apply(actions[0])
    session.apply(actions[1])
    first = writer.keep(session)
    before = {s["id"]: s for s in statements(load(first.attempt_id))}
    session.undo()
    session.apply(actions[1])
    after = {s["id"]: s for s in statements(load(writer.keep(session).attempt_id))}
    writer.close()
    for statement_id in set(before) & set(after):
        assert before[statement_id] == after[statement_id]  # an LRS never sees one id with two contents


def test_iso_durations():
    assert iso_duration(0) == "PT0S"
    assert iso_duration(59.5) == "PT59.5S"
    assert iso_duration(3723) == "PT1H2M3S"


# --- the export command ----------------------------------------------------------------------------------


def test_export_command_writes_each_format_and_says_what_it_contains(finished, tmp_path, capsys):
    for fmt in ("md", "html", "json", "xapi"):
        out = tmp_path / f"attempt.{fmt}"
        status, stdout, stderr = run(["export", "--last", "--format", fmt, "--out", str(out)], capsys)
        assert status == 0 and stdout == ""
        assert f"Wrote {out}" in stderr and "nothing was sent anywhere" in stderr
        written = out.read_text(encoding="utf-8")
        if fmt == "json":  # the same but for the time of export
            assert json.loads(written)["attempt"] == json.loads(render(load(finished), fmt))["attempt"]
        else:
            assert written == render(load(finished), fmt)
    assert "pseudonymous account id" in run(["export", "-f", "xapi", "-o", str(tmp_path / "x.json")], capsys)[2]
    status, stdout, _ = run(["export", str(finished), "--format", "md"], capsys)
    assert status == 0 and stdout.startswith("# Debrief: Test clinic")


def test_export_command_lists_attempts(finished, capsys):
    status, stdout, _ = run(["export", "--list"], capsys)
    assert status == 0 and "Test clinic" in stdout and "completed" in stdout and "50%" in stdout


def test_export_command_explains_what_is_missing(capsys):
    status, _, stderr = run(["export", "--format", "md"], capsys)
    assert status == 1 and "no finished or abandoned attempt" in stderr and "Traceback" not in stderr
    status, _, stderr = run(["export", "7", "--format", "md"], capsys)
    assert status == 1 and "There is no attempt 7" in stderr


def test_export_command_survives_a_damaged_records_file(finished, capsys):
    from mmjourney.records import database

    path = database.records_path()
    path.write_bytes(b"\0garbage" * 1000)
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    status, _, stderr = run(["export", "--last", "--format", "md"], capsys)
    assert status == 1 and "was damaged; it was kept as" in stderr and "Traceback" not in stderr


def test_result_document_is_stable_for_the_same_record(finished):
    record = load(finished)
    a = result_document(record, created_at="2026-03-01T12:00:00Z")
    b = result_document(record, created_at="2026-03-01T12:00:00Z")
    assert a == b


def test_export_main_accepts_a_plain_namespace(finished, capsys):
    status = export_main(Namespace(list=False, attempt=finished, last=False, format="md", out=None,
                                   account=None, homepage=None))
    assert status == 0 and "# Debrief" in capsys.readouterr().out


def _chromium() -> str | None:
    import shutil

    return next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)


@pytest.mark.skipif(_chromium() is None, reason="needs a headless Chromium")
def test_a_browser_renders_and_prints_the_html_debrief(finished, tmp_path):
    """Smoke test in a real browser: a screenshot with content, and a printed PDF of several pages.

    (How it looks was checked by eye on such screenshots; this keeps the page loadable and printable.)
    """
    import subprocess

    page = tmp_path / "debrief.html"
    page.write_text(export_attempt(finished, "html"), encoding="utf-8")
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}"]
    shot, pdf = tmp_path / "debrief.png", tmp_path / "debrief.pdf"
    subprocess.run([*base, "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=90)
    subprocess.run([*base, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=90)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 40_000  # a blank page compresses to a few kilobytes
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 2


def test_a_result_file_says_which_attempt_at_the_story_it_is_and_how_many_were_made(clinic):
    play(clinic, seed=1)
    _, second = play(clinic, seed=2)
    session, _ = play(clinic, seed=3, stop=2)
    keep(session, abandoned=True)
    document = json.loads(export_attempt(second.attempt_id, "json"))
    assert document["attempts_at_story"] == {"this_attempt": 2, "made": 3}
