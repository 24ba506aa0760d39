"""A highlight item's note in the records (issue 15): kept with the answer as the learner read it (its words, each
phrase's id and text, in order), shown with the learner's marks in the debrief (view model, TUI and plain player)
and the Markdown and HTML exports; a highlight table keeps nothing extra, and older records without a note still
load and replay."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey.debrief_view import DebriefView, Decisions, NoteMark
from mmjourney.journey.record import AttemptRecord, NotePiece
from mmjourney.records import records
from mmjourney.records.exports import render
from mmjourney.records.verify import Mismatch, check_replay
from mmjourney.story import load_story

from .conftest import keep

HIGHLIGHT = Path(__file__).parents[1] / "items" / "highlight.yaml"
PICKED = ("temp", "ate", "paracetamol")  # two right, one wrong; 'shivers' missed, 'walked' rightly left alone
MARKED = ("Husband reports she [ ] has been shivering ✗ after lunch and measured [x] 38.2 °C ✓ an hour ago. She "
          "[x] ate a small lunch ✗ at midday and [ ] walked to the door to meet the post. He gave her [x] paracetamol "
          "✓ before he rang.")


@pytest.fixture(scope="module")
def story():
    return load_story(HIGHLIGHT)


@pytest.fixture
def attempt(story):
    session = Session(story)
    session.apply(Action("answer", "note", options=PICKED))
    session.apply(Action("answer", "results", options=("lactate",)))
    kept = keep(session)
    with records() as db:
        return db.load(kept.attempt_id)


def test_the_record_keeps_the_note_as_read_and_a_table_keeps_nothing_extra(attempt):
    note, table = attempt.decisions
    assert note.to_json()["note"] == [
        {"text": "Husband reports she "}, {"phrase": "shivers", "text": "has been shivering"},
        {"text": " after lunch and measured "}, {"phrase": "temp", "text": "38.2 °C"}, {"text": " an hour ago. She "},
        {"phrase": "ate", "text": "ate a small lunch"}, {"text": " at midday and "},
        {"phrase": "walked", "text": "walked"}, {"text": " to the door to meet the post. He gave her "},
        {"phrase": "paracetamol", "text": "paracetamol"}, {"text": " before he rang."}]
    assert note.note[1] == NotePiece("has been shivering", "shivers")
    assert table.note == () and "note" not in table.to_json()
    assert AttemptRecord.from_json(json.loads(json.dumps(attempt.to_json()))) == attempt


def test_a_replay_agrees_and_an_older_record_without_the_note_still_loads_and_replays(story, attempt):
    check_replay(attempt, story)
    data = attempt.to_json()
    older = copy.deepcopy(data)
    older["decisions"][0].pop("note")
    loaded = AttemptRecord.from_json(older)
    assert loaded.decisions[0].note == () and json.dumps(loaded.to_json()) == json.dumps(older)
    check_replay(loaded, story)
    assert "The note as you marked it" not in render(loaded, "md")
    data["decisions"][0]["note"][0]["text"] = "Wife reports she "  # edited by hand: not what a replay gives
    with pytest.raises(Mismatch, match="the decisions do not match a replay of them"):
        check_replay(AttemptRecord.from_json(data), story)


@pytest.mark.parametrize("edit, message", [
    (lambda n: n[1].update(phrase="fever"), r"decisions\[0\]\.note\[1\]\.phrase should be the id of a phrase the "
     r"answer offered, once, but 'fever' is not one of the answer's options"),
    (lambda n: n[3].update(phrase="shivers"), r"decisions\[0\]\.note\[3\]\.phrase should be the id of a phrase the "
     r"answer offered, once, but 'shivers' is shown twice"),
    (lambda n: n[0].update(text=None), r"decisions\[0\]\.note\[0\]\.text should be text, but it is"),
    (lambda n: n[1].update(phrase=7), r"decisions\[0\]\.note\[1\]\.phrase should be text, but it is the number 7"),
    (lambda n: n.append("walked"), r"decisions\[0\]\.note\[11\] should be an object with named values"),
])
def test_a_damaged_note_is_refused_naming_the_field(attempt, edit, message):
    data = attempt.to_json()
    edit(data["decisions"][0]["note"])
    with pytest.raises(ValueError, match=message):
        AttemptRecord.from_json(data)


def test_the_view_marks_each_phrase_in_signs_and_words(attempt):
    decisions = DebriefView.of(attempt).section("decisions")
    assert isinstance(decisions, Decisions)
    note, table = decisions.items
    assert "".join(piece.shown for piece in note.note) == MARKED and table.note == ()
    assert [(p.sign, p.words, p.tone) for p in note.note if p.phrase] == [
        ("✗", "not selected, but it matters", "bad"), ("✓", "selected, right", "good"),
        ("✗", "selected, wrong", "bad"), ("", "not selected", "plain"), ("✓", "selected, right", "good")]
    assert NoteMark("after lunch").shown == "after lunch"


def test_the_debriefs_show_the_note_as_marked(story, attempt):
    from mmjourney.plain import play_plain
    from mmjourney.tui.debrief_text import section_content

    text = section_content(DebriefView.of(attempt).section("decisions")).plain
    assert f"   The note as you marked it:\n   {MARKED}\n   [x] you selected it, [ ] you did not; ✓ right" in text

    out = io.StringIO()
    play_plain(story, seed=0, mode="assessment", stdin=io.StringIO("2 3 5\nyes\n4\nyes\n\n"), stdout=out)
    said = out.getvalue()
    said = said[said.index("Your decisions beside the expert's"):]
    assert "    The note as you marked it:\n      Husband reports she [\u00a0]\u00a0has been shivering ✗ after" in said
    assert " ".join(said.split()).count(MARKED) == 1  # the no-break spaces keep each box to its phrase
    assert "[ ]\n" not in said


def test_markdown_shows_the_note_under_the_question(attempt):
    text = render(attempt, "md")
    assert ("- **Question:** Select the findings in the note that mean Hana must come in now.\n"
            "- **The note as you marked it:** Husband reports she **\\[ \\] has been shivering** ✗ after lunch and "
            "measured **\\[x\\] 38.2 °C** ✓ an hour ago.") in text
    assert "**\\[ \\] walked** to the door" in text
    assert "  - *\\[x\\] you selected it, \\[ \\] you did not; ✓ right, ✗ wrong or missed.*\n- **Expert's" in text


def test_html_marks_the_selected_phrases_and_says_each_mark_in_words(attempt):
    page = render(attempt, "html")
    start = page.index('<p class="note">')
    note = page[start:page.index("</p>", start)]
    assert ('<mark class="phrase"><span aria-hidden="true">[x] </span>38.2 °C</mark> '
            '<span class="good" aria-hidden="true">✓</span><span class="visually-hidden"> (selected, right)</span>'
            ) in note
    assert ('<span class="phrase"><span aria-hidden="true">[ ] </span>has been shivering</span> <span class="bad" '
            'aria-hidden="true">✗</span><span class="visually-hidden"> (not selected, but it matters)</span>') in note
    assert note.count("<mark") == 3 and ".visually-hidden {" in page
