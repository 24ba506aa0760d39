"""Highlight items (NGN: select the phrases of a note, or the rows of a results table, that matter, issue 15) in
every layer: the format and its checks, NCSBN scoring (+/-: +1 per right phrase selected, -1 per wrong one, never
below 0), the Prompt, the tools, records, exports and xAPI, the full-screen player and the plain player."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey import Ask, prompt_of
from mmjourney.story import load_story, validate_file
from mmjourney.tools.strategies import NAIVE
from mmjourney.tools.walkthroughs import run_story

from .helpers import findings_after_edit

HIGHLIGHT = Path(__file__).parent / "items" / "highlight.yaml"
NOTE = ("shivers", "temp", "paracetamol")  # in the note's order: the right answer
TABLE = ("neutrophils", "lactate")


@pytest.fixture(scope="module")
def story():
    return load_story(HIGHLIGHT)


def answer(story, picked, item: str = "note", before=()) -> Session:
    session = Session(story)
    for action in before:
        session.apply(action)
    session.apply(Action("answer", item, options=picked))
    return session


@pytest.mark.parametrize("picked, points", [
    (NOTE, 3.0),  # every right phrase: the maximum is the number of right phrases
    (("shivers", "temp"), 2.0),  # a right phrase left out costs only its own point
    (("shivers", "temp", "paracetamol", "ate"), 2.0),  # 3 right - 1 wrong
    (("temp", "ate"), 0.0),  # 1 right - 1 wrong
    (("temp", "ate", "walked"), 0.0),  # 1 right - 2 wrong is -1: the floor is 0
    (("ate", "walked"), 0.0),
])
def test_a_highlight_scores_plus_minus_with_a_floor_of_zero(story, picked, points):
    consequence = answer(story, picked).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 3.0)


def test_a_highlight_table_scores_its_rows_the_same_way(story):
    note = Action("answer", "note", options=NOTE)
    scored = [(c.points, c.max_points) for c in (answer(story, picked, "results", (note,)).history[-1]
                                                  for picked in (TABLE, TABLE + ("platelets",),
                                                                 ("platelets", "haemoglobin", "lactate")))]
    assert scored == [(2.0, 2.0), (1.0, 2.0), (0.0, 2.0)]


def test_only_the_right_phrases_exactly_are_fully_correct(story):
    assert answer(story, NOTE).state.stats["temperature"] == pytest.approx(36.5)
    assert answer(story, NOTE + ("ate",)).state.stats["temperature"] == pytest.approx(36.8)


def test_walkthroughs_answer_by_phrase_ids(story):
    results = run_story(story)
    assert len(results) == 2 and all(r.passed for r in results), [r.failure for r in results]


def test_the_prompt_keeps_the_notes_order_and_numbers_its_phrases(story):
    for seed in range(5):  # never shuffled: the note puts its phrases where they are
        prompt = prompt_of(Session(story, seed))
        assert isinstance(prompt, Ask) and prompt.highlight and not prompt.single and prompt.picks is None
        assert [o.id for o in prompt.options] == ["shivers", "temp", "ate", "walked", "paracetamol"]
    assert prompt.instruction == "Select every phrase that applies"
    assert prompt.passage()[:4] == ["Husband reports she ", 1, " after lunch and measured ", 2]
    assert prompt.expert().options == NOTE
    table = prompt_of(answer(story, NOTE))
    assert isinstance(table, Ask) and table.instruction == "Select every row that applies" and table.passage() == []
    assert [o.text for o in table.options][:2] == ["Haemoglobin: 112 g/L", "Neutrophils: 0.4 x 10^9/L"]


SOURCE = HIGHLIGHT.read_text(encoding="utf-8")
WALKED = "        - {id: walked, text: walked, rationale: Being up and about does not rule sepsis out.}\n"
ATE = "        - {id: ate, text: ate a small lunch, rationale: Eating says little about infection.}\n"


@pytest.mark.parametrize("old, new, message", [
    ("{walked} to the door", "{walker} to the door",
     "the text has {walker}, but the question has no phrase 'walker'; did you mean 'walked'?"),
    ("{walked} to the door", "walked to the door", "phrase 'walked' does not appear in the text: write {walked} "
                                                   "where it goes"),
    ("He gave her {paracetamol}", "He gave her {temp}", "the text has {temp} 2 times: each phrase sits in one place"),
    (ATE + WALKED, "", "a highlight has 4 to 10 phrases to select from (NGN sizes), found 3"),
    (WALKED, WALKED.replace("rationale:", "correct: true, rationale:") + ATE.replace("rationale:", "correct: true, "
                                                                                                 "rationale:"),
     "phrase id 'ate' appears twice in this question"),
    ("{id: temp, text: 38.2 °C,", "{id: temp, label: Temperature, text: 38.2 °C,",
     "phrase 'temp' has a label, which only a highlight table (without `text`) shows"),
    ("{id: platelets, label: Platelets, text:", "{id: platelets, text:",
     "phrase 'platelets' has no label: a highlight table (a highlight without `text`) shows each phrase as a row "
     "with its label"),
    ("      type: highlight\n      prompt: Select the results", "      type: select_all\n      prompt: Select the "
                                                                "results", "`phrases` is only for highlight questions; "
                                                                           "this one is select_all"),
    ("      - note: [shivers, temp, paracetamol]", "      - note: [shiver, temp, paracetamol]",
     "'shiver' is not an option of question 'note'; did you mean 'shivers'?"),
])
def test_the_checks_speak_an_educators_words(old, new, message, tmp_path):
    path = tmp_path / "highlight.yaml"
    problems = findings_after_edit(SOURCE, old, new, path)
    located = rf"{re.escape(str(path))}:\d+:\d+: (error|warning): "  # file:line:col, as every finding
    assert any(message in p and re.match(located, p) for p in problems), problems


@pytest.mark.parametrize("rows, message", [
    ({"neutrophils": False, "lactate": False}, "no phrase of this highlight is right: mark the ones that matter"),
    ({"haemoglobin": True, "platelets": True}, "every phrase of this highlight is right, so selecting everything "
                                               "scores full marks: add phrases that do not matter"),
])
def test_a_highlight_has_right_phrases_and_not_only_right_ones(rows, message, tmp_path):
    text = SOURCE
    for row, right in rows.items():
        start = text.index(f"{{id: {row},")
        line = text[start:text.index("\n", start)]
        changed = line.replace(" correct: true,", "") if not right else line.replace(", rationale:",
                                                                                      ", correct: true, rationale:")
        text = text.replace(line, changed)
    path = tmp_path / "highlight.yaml"
    path.write_text(text, encoding="utf-8")
    assert any(message in str(p) for p in validate_file(path)), [str(p) for p in validate_file(path)]


def test_naive_players_and_random_play_take_it(story):
    from mmjourney.tools.randomtest import run

    prompt = prompt_of(Session(story))
    assert isinstance(prompt, Ask)
    for strategy in NAIVE:
        action = strategy.action(prompt)
        assert action is not None and action.options and set(action.options) <= {o.id for o in prompt.options}
    result = run(story, 200, seed=1)
    assert result.playthroughs == 200 and not result.failures


def test_the_debrief_exports_and_report_show_each_phrase_beside_the_key(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.journey.debrief_view import DebriefView
    from mmjourney.records.exports import to_markdown

    record = session_record(answer(story, ("temp", "ate", "walked")))
    (line,) = DebriefView.of(record).section("decisions").items
    assert line.verdict == "0 of 3" and line.record.question_type == "highlight"
    assert [(o.label, o.mark) for o in line.options][:3] == [
        ("has been shivering", "correct"), ("38.2 °C", "picked, correct"), ("ate a small lunch", "picked, not correct")]
    assert "  - paracetamol (correct): Paracetamol can mask the fever; it is no reason to wait." in to_markdown(record)


def test_the_xapi_statement_is_a_choice_of_several_phrases(story):
    from mmjourney.records import records
    from mmjourney.records.xapi import statements

    from .records.conftest import keep

    kept = keep(answer(story, ("shivers", "temp", "ate")))
    with records() as db:
        batch = statements(db.load(kept.attempt_id))
    (item,) = [s for s in batch if s["object"].get("definition", {}).get("interactionType")]
    definition = item["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["shivers[,]temp[,]paracetamol"]
    assert [c["id"] for c in definition["choices"]] == ["shivers", "temp", "ate", "walked", "paracetamol"]
    extensions = {key.rsplit("/", 1)[1]: value for key, value in definition["extensions"].items()}
    assert extensions == {"item-type": "highlight",
                          "scoring-rule": "+1 per right phrase selected, -1 per wrong phrase, never below 0"}
    assert item["result"]["response"] == "shivers[,]temp[,]ate"
    assert item["result"]["score"]["raw"] == 1 and item["result"]["success"] is False


async def test_the_note_marks_each_phrase_as_it_is_selected_by_keys():
    from mmjourney.tui.app import MMJourneyApp

    from .tui.conftest import screen_text

    app = MMJourneyApp(story_path=HIGHLIGHT, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "[ ] 2: 38.2 °C" in screen_text(app)
        await pilot.press("2", "down", "down", "down", "space", "1", "1")  # 2 and 5 ticked; 1 ticked and unticked
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "[x] 2: 38.2 °C" in shown and "[ ] 1: has been shivering" in shown and "[x] 5: paracetamol" in shown
        assert "Submit answer (s)" in shown
        await pilot.press("s")
        await pilot.pause()
        consequence = app.screen.session.history[-1]
        assert consequence.picked == ("temp", "paracetamol") and consequence.points == 2.0


def test_the_plain_player_numbers_the_phrases_and_reads_the_answer_back(story):
    from mmjourney.plain import play_plain

    lines = ["2 7", "2 4 5", "no", "1,2 5", "yes", "", "2 3 4", "yes", ""]
    out = io.StringIO()
    play_plain(story, seed=0, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    flat = " ".join(out.getvalue().split())
    assert "(select every phrase that applies)" in flat
    assert ("Husband reports she [phrase 1: has been shivering] after lunch and measured [phrase 2: 38.2 °C] an hour "
            "ago.") in flat
    assert "The phrases you can select: 1. has been shivering 2. 38.2 °C 3. ate a small lunch" in flat
    assert "Type the number of every phrase you select, separated by spaces, for example 1 3." in flat
    assert "'2 7' is not numbers from 1 to 5, separated by spaces." in flat
    assert "You selected 3 of 5: 2, 38.2 °C. 4, walked. 5, paracetamol. Type yes to submit" in flat
    assert "You selected 3 of 5: 1, has been shivering. 2, 38.2 °C. 5, paracetamol." in flat
    assert "Score: 3 of 3." in flat and "4. walked (not correct): Being up and about" in flat
    assert "The rows you can select: 1. Haemoglobin: 112 g/L 2. Neutrophils: 0.4 x 10^9/L" in flat
    assert "Score: 1 of 2." in flat and "3. Platelets: 142 x 10^9/L (you selected it, not correct): Normal." in flat
