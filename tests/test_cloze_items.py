"""Drop-down items (NGN drop-down cloze, drop-down table and drop-down rationale, issue 15) in every layer: the
format and its checks, NCSBN scoring (0/1 per blank; a rationale's point per linked pair: the first blank with
each other one), the Prompt, the tools, records, exports and xAPI, the full-screen player's drop-downs and the
plain player."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mmjourney.engine import Action, ActionError, Session
from mmjourney.journey import Fill, prompt_of
from mmjourney.journey.prompt import sentence
from mmjourney.story import load_story, validate_file
from mmjourney.tools.strategies import NAIVE
from mmjourney.tools.walkthroughs import run_story

from .helpers import findings_after_edit

CLOZE = Path(__file__).parent / "items" / "cloze.yaml"
RIGHT_SENTENCE = ("severity:moderate", "treatment:saline")
RIGHT_TABLE = ("calcium:high", "creatinine:high", "potassium:within")
RIGHT_RISK = ("risk:kidney", "first_cue:creatinine", "second_cue:urine")


@pytest.fixture(scope="module")
def story():
    return load_story(CLOZE)


def answer(story, *answers) -> Session:
    session = Session(story)
    for question, picked in zip(("how_high", "results_table", "main_risk"), answers, strict=False):
        session.apply(Action("answer", question, options=picked))
    return session


# --- scoring, worked examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("picked, points", [
    (RIGHT_SENTENCE, 2.0),
    (("severity:moderate", "treatment:furosemide"), 1.0),
    (("severity:mild", "treatment:oral"), 0.0),
])
def test_a_cloze_scores_one_point_per_right_blank(story, picked, points):
    consequence = answer(story, picked).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 2.0)


@pytest.mark.parametrize("picked, points", [
    (RIGHT_RISK, 2.0),
    # the risk with one of its two findings: one linked pair right, one point
    (("risk:kidney", "first_cue:creatinine", "second_cue:back"), 1.0),
    (("risk:kidney", "first_cue:haemoglobin", "second_cue:urine"), 1.0),
    # both findings right, but the risk they are linked to is wrong: no pair is right
    (("risk:fracture", "first_cue:creatinine", "second_cue:urine"), 0.0),
    (("risk:fracture", "first_cue:haemoglobin", "second_cue:back"), 0.0),
])
def test_a_triad_earns_a_point_for_each_finding_linked_right_to_the_risk(story, picked, points):
    consequence = answer(story, RIGHT_SENTENCE, RIGHT_TABLE, picked).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 2.0)


def test_a_drop_down_table_scores_each_row(story):
    consequence = answer(story, RIGHT_SENTENCE, ("calcium:high", "creatinine:within", "potassium:within")).history[-1]
    assert (consequence.points, consequence.max_points) == (2.0, 3.0)


def test_on_correct_needs_every_blank(story):
    assert answer(story, RIGHT_SENTENCE).state.stats["calcium"] == pytest.approx(3.1)
    assert answer(story, ("severity:moderate", "treatment:oral")).state.stats["calcium"] == pytest.approx(3.2)


@pytest.mark.parametrize("picked, message", [
    (("severity:moderate",), "answer every blank: 'Blank 2' has no answer yet"),
    (RIGHT_SENTENCE + ("treatment:oral",), "'Blank 2' takes 1 answer: you picked 2"),
])
def test_each_blank_takes_one_answer(story, picked, message):
    with pytest.raises(ActionError, match=message):
        answer(story, picked)


def test_walkthroughs_answer_by_blank_and_option(story):
    results = run_story(story)
    assert len(results) == 2 and all(r.passed for r in results), [r.failure for r in results]


# --- the format's checks ----------------------------------------------------------------------------------------


SOURCE = CLOZE.read_text(encoding="utf-8")
DIET = "            - {id: diet, text: a low-calcium diet}\n"
ORAL = "            - {id: oral, text: oral fluids alone}\n"
SENTENCE = ("      text: Her calcium shows {severity} hypercalcaemia, and the first treatment to expect is "
            "{treatment}.\n")
RISK_TEXT = "      text: Ada is most at risk of {risk}, as shown by her {first_cue} and her {second_cue}.\n"
EXTRA_OPTIONS = "".join(f"            - {{id: more{n}, text: more {n}}}\n" for n in range(2))


@pytest.mark.parametrize("old, new, message", [
    (DIET + ORAL, "", "blank 'treatment' has 2 options: a drop-down has 3 to 5 (NGN sizes)"),
    (ORAL, ORAL + EXTRA_OPTIONS, "blank 'treatment' has 6 options: a drop-down has 3 to 5 (NGN sizes)"),
    ("{id: diet, text: a low-calcium diet}", "{id: diet, text: a low-calcium diet, correct: true}",
     "blank 'treatment' has 2 right options: mark exactly one `correct: true`"),
    ("{id: oral, text: oral fluids alone}", "{id: diet, text: oral fluids alone}",
     "option id 'diet' appears twice in blank 'treatment'"),
    (SENTENCE, SENTENCE.replace("{treatment}", "{treatmnt}"),
     "the text has {treatmnt}, but the question has no blank 'treatmnt'; did you mean 'treatment'?"),
    (SENTENCE, SENTENCE.replace("{treatment}", "saline"),
     "blank 'treatment' does not appear in the text: write {treatment} where it goes"),
    (SENTENCE, SENTENCE.replace("{treatment}", "{treatment} or {treatment}"),
     "the text has {treatment} 2 times: each blank sits in one place"),
    ("          label: Creatinine 150 µmol/L (normal 45 to 90)\n", "",
     "blank 'creatinine' has no label: a drop-down table (a cloze without `text`) shows each blank as a row"),
    (RISK_TEXT, "", "a rationale question needs `text` with 2 or 3 blanks"),
    ("        - id: potassium\n", "        - id: sodium\n          label: Sodium\n          options: [{id: a, text: a, "
     "correct: true}, {id: b, text: b}, {id: c, text: c}]\n          rationale: r.\n        - id: potassium\n",
     "a cloze question has 1 to 3 blanks, found 4"),
    ("      type: cloze\n      prompt: Complete the handover.",
     "      type: matrix\n      prompt: Complete the handover.",
     "`text` is only for cloze, rationale, highlight, drag_cloze and drag_rationale questions; this one is matrix"),
    ("      - how_high: [severity:moderate, treatment:saline]\n", "      - how_high: [severity:moderate]\n",
     "question 'how_high': blank 'treatment' takes 1 answer, found 0"),
])
def test_the_checks_speak_an_educators_words(old, new, message, tmp_path):
    path = tmp_path / "cloze.yaml"
    problems = findings_after_edit(SOURCE, old, new, path)
    assert any(message in p for p in problems), problems


def test_a_rationale_has_two_or_three_blanks(tmp_path):
    start = SOURCE.index("        - id: second_cue\n")
    end = SOURCE.index("      goto: ending\n", start)
    text = SOURCE[:start] + SOURCE[end:]
    text = text.replace(" and her {second_cue}", "").replace("      - main_risk: [risk:kidney, first_cue:creatinine, "
                                                             "second_cue:urine]\n", "      - main_risk: [risk:kidney, "
                                                             "first_cue:creatinine]\n")
    start = text.index("        - id: first_cue\n")
    end = text.index("      goto: ending\n", start)
    text = text[:start] + text[end:]
    text = text.replace(", as shown by her {first_cue}", "")
    path = tmp_path / "cloze.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate_file(path)]
    assert any("a rationale question has 2 to 3 blanks, found 1" in p for p in problems), problems


# --- the Prompt and the tools --------------------------------------------------------------------------------------


def test_the_blanks_follow_the_text_and_each_blanks_options_are_shuffled_on_their_own(story):
    question = story.model.scenes["sentence"].question
    assert [part.id for part in question.parts] == ["severity", "treatment"]
    key_places = set()
    for seed in range(12):
        prompt = prompt_of(Session(story, seed))
        assert isinstance(prompt, Fill) and not prompt.grid and prompt.instruction == "One option in each blank"
        assert [view.part.id for view in prompt.parts] == ["severity", "treatment"]
        key_places.add(tuple([o.correct for o in view.options].index(True) for view in prompt.parts))
    assert len(key_places) > 3, "the blanks' keys move together"
    assert prompt.passage() == ["Her calcium shows ", 1, " hypercalcaemia, and the first treatment to expect is ", 2,
                                "."]


def test_a_table_keeps_its_rows_and_the_sentence_reads_the_answer(story):
    session = answer(story, RIGHT_SENTENCE)
    table = prompt_of(session)
    assert isinstance(table, Fill) and table.instruction == "One option in each row" and table.passage() == []
    assert [view.part.label for view in table.parts][0] == "Corrected calcium 3.2 mmol/L (normal 2.2 to 2.6)"
    assert [o.id for o in table.parts[0].options] == ["high", "within", "low"]  # order: fixed
    question = story.model.scenes["sentence"].question
    assert sentence(question, ("treatment:oral",)) == ("Her calcium shows … hypercalcaemia, and the first treatment "
                                                       "to expect is oral fluids alone.")


def test_naive_players_and_random_play_give_answers_the_game_takes(story):
    from mmjourney.tools.randomtest import run

    for question in ("sentence", "results", "risk"):
        session = Session(story)
        while session.scene_id != question:
            session.apply(prompt_of(session).expert())
        prompt = prompt_of(session)
        for strategy in NAIVE:
            assert prompt.problem(strategy.action(prompt)) is None, (question, strategy.name)
    result = run(story, 300, seed=1)
    assert result.playthroughs == 300 and not result.failures


# --- records, exports, xAPI ----------------------------------------------------------------------------------------


def test_the_exports_show_each_blank_beside_its_key_with_the_options_own_rationale(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.records.exports import to_markdown

    record = session_record(answer(story, ("severity:none", "treatment:saline"), RIGHT_TABLE, RIGHT_RISK))
    markdown = to_markdown(record)
    assert "| Blank | Your answer | Right answer | | Why |" in markdown
    assert ("| Blank 1 | no real, as myeloma runs high | moderate, needing treatment today | ✗ wrong | A high calcium "
            "is never normal. Between 3.0 and 3.5 mmol/L with symptoms needs treatment today. |") in markdown
    assert "### 3. 3 of 3 blanks right (2 of 2)" in markdown


def test_the_xapi_statements_match_blanks_to_their_options(story):
    from mmjourney.records import records
    from mmjourney.records.xapi import statements

    from .records.conftest import keep

    kept = keep(answer(story, RIGHT_SENTENCE, RIGHT_TABLE, ("risk:kidney", "first_cue:creatinine", "second_cue:back")))
    with records() as db:
        batch = statements(db.load(kept.attempt_id))
    sentence_item, table, risk = [s for s in batch if s["object"].get("definition", {}).get("interactionType")]
    definition = sentence_item["object"]["definition"]
    assert definition["interactionType"] == "matching"
    assert definition["correctResponsesPattern"] == ["severity[.]severity:moderate[,]treatment[.]treatment:saline"]
    assert "severity:mild" in [t["id"] for t in definition["target"]]
    # a table's rows share their options: each is one target
    assert [t["id"] for t in table["object"]["definition"]["target"]] == ["high", "within", "low"]
    rule = risk["object"]["definition"]["extensions"]
    assert "1 point per linked pair (the first blank with each other one) when both are right" in rule.values()
    assert "rationale" in rule.values()
    # the risk with the creatinine is one linked pair right, the back pain is not: 1 of 2, and not the expert's
    assert (risk["result"]["score"]["raw"], risk["result"]["score"]["max"]) == (1, 2)
    assert risk["result"]["success"] is False


# --- the full-screen player --------------------------------------------------------------------------------------


async def test_drop_downs_open_one_at_a_time_and_the_sentence_shows_the_picks():
    from mmjourney.tui.app import MMJourneyApp
    from mmjourney.tui.widgets.parts import PartsGrid

    from .tui.conftest import screen_text

    app = MMJourneyApp(story_path=CLOZE, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#play-parts", PartsGrid)
        prompt = prompt_of(app.screen.session)
        assert "[1: …]" in screen_text(app) and "[2: …]" in screen_text(app)
        key = [o.correct for o in prompt.parts[0].options].index(True)
        await pilot.press(*["down"] * key, "space")  # sets blank 1 and opens blank 2
        await pilot.pause()
        assert grid.cursor == (1, 0) and grid.picked_in(0) == {"moderate"}
        passage = app.screen.query_one("#play-passage").content.plain
        assert passage.startswith("Her calcium shows [1: moderate, needing treatment today] hypercalcaemia")
        await pilot.press("up")  # from blank 2's first option back into blank 1, at its last option
        await pilot.pause()
        assert grid.cursor == (0, 2)
        await pilot.press("right")  # the next blank, opened at its first option
        await pilot.pause()
        assert grid.cursor == (1, 0)
        key = [o.correct for o in prompt.parts[1].options].index(True)
        await pilot.press(*["down"] * key, "space", "s")
        await pilot.pause()
        consequence = app.screen.session.history[-1]
        assert consequence.picked == RIGHT_SENTENCE and consequence.points == 2.0
        feedback = app.screen.query_one("#play-feedback").content.plain
        assert ("The right answer reads: Her calcium shows moderate, needing treatment today hypercalcaemia, and the "
                "first treatment to expect is intravenous 0.9% saline.") in feedback
        assert not app.screen.query_one("#play-passage").display  # the sentence gives way to the feedback


async def test_a_number_opens_its_blank_and_submit_refuses_an_unanswered_one():
    from mmjourney.tui.app import MMJourneyApp
    from mmjourney.tui.widgets.parts import PartsGrid

    app = MMJourneyApp(story_path=CLOZE, watch_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#play-parts", PartsGrid)
        await pilot.press("2", "down", "space")
        await pilot.pause()
        assert grid.cursor == (1, 1) and grid.picked_in(1)  # the last blank stays open once set
        await pilot.press("s")
        await pilot.pause()
        assert not app.screen.session.history  # blank 1 has no answer


# --- the plain player ---------------------------------------------------------------------------------------------


def test_the_plain_player_reads_the_sentence_and_each_blanks_options(story):
    from mmjourney.plain import play_plain

    def letters(session, right):
        prompt = prompt_of(session)
        return " ".join(f"{n}{'abcde'[[o.id for o in v.options].index(r.split(':')[1])]}"
                        for n, (v, r) in enumerate(zip(prompt.parts, right, strict=True), 1))

    session = Session(story, 0)
    first = letters(session, RIGHT_SENTENCE)
    session.apply(Action("answer", "how_high", options=RIGHT_SENTENCE))
    table = letters(session, RIGHT_TABLE)
    session.apply(Action("answer", "results_table", options=RIGHT_TABLE))
    risk = letters(session, ("risk:kidney", "first_cue:creatinine", "second_cue:back"))
    out = io.StringIO()
    lines = [first, "yes", table, "yes", risk, "yes", ""]
    play_plain(story, seed=0, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    flat = " ".join(out.getvalue().split())
    assert ("Her calcium shows (blank 1) hypercalcaemia, and the first treatment to expect is (blank 2).") in flat
    assert "1. Blank 1: a. " in flat and "Type each blank's number with the letter of its answer" in flat
    assert ("It reads: Her calcium shows moderate, needing treatment today hypercalcaemia, and the first treatment "
            "to expect is intravenous 0.9% saline.") in flat
    assert "Type each row's number with the letter of its answer" in flat  # the drop-down table
    assert "Row 1, Corrected calcium 3.2 mmol/L (normal 2.2 to 2.6): Above the normal range." in flat
    assert "(one per blank; each scored with the first)" in flat
    assert "Score: 1 of 2." in flat and "Blank 3: you answered back pain on moving, wrong;" in flat
