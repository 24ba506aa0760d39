"""Matrix items (NGN matrix multiple choice and matrix multiple response, issue 15) in every layer: the format and
its checks, NCSBN scoring (0/1 per row; +/- per cell, each column floored at 0), the Prompt, the naive players and
random play, walkthroughs, records, exports and xAPI, the full-screen player's grid and the plain player."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mmjourney.engine import Action, ActionError, Session, debrief
from mmjourney.journey import Fill, prompt_of
from mmjourney.story import load_story, validate_file
from mmjourney.tools.strategies import NAIVE
from mmjourney.tools.walkthroughs import run_story

from .helpers import findings_after_edit

MATRIX = Path(__file__).parent / "items" / "matrix.yaml"
RIGHT_FITS = ("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:not_expected")
RIGHT_CAUSES = ("constipation:calcium", "creatinine:kidney", "breathless:anaemia", "tired:calcium", "tired:kidney",
                "tired:anaemia")


@pytest.fixture(scope="module")
def story():
    return load_story(MATRIX)


def answer(story, fits=RIGHT_FITS, causes=None) -> Session:
    session = Session(story)
    session.apply(Action("answer", "fits", options=fits))
    if causes is not None:
        session.apply(Action("answer", "causes", options=causes))
    return session


# --- scoring, worked examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fits, points", [
    (RIGHT_FITS, 4.0),
    (("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:expected"), 3.0),
    (("drowsy:not_expected", "thirst:not_expected", "tingling:expected", "fever:expected"), 0.0),
])
def test_a_matrix_scores_one_point_per_right_row(story, fits, points):
    consequence = answer(story, fits).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 4.0)


@pytest.mark.parametrize("causes, points", [
    (RIGHT_CAUSES, 6.0),
    # High calcium: 2 right cells, 1 wrong; Kidney injury: the same; Anaemia: none: 1 + 1 + 0
    (("constipation:calcium", "constipation:kidney", "creatinine:kidney", "breathless:calcium", "tired:calcium",
      "tired:kidney"), 2.0),
    # every cell ticked: 6 right, 6 wrong
    (tuple(f"{row}:{column}" for row in ("constipation", "creatinine", "breathless", "tired")
           for column in ("calcium", "kidney", "anaemia")), 0.0),
    # only wrong cells: each column floors at 0
    (("constipation:anaemia", "breathless:kidney"), 0.0),
    # each column scores on its own: High calcium +1; Anaemia 0 right, 2 wrong, floors at 0 (not -1 over the grid)
    (("constipation:calcium", "constipation:anaemia", "creatinine:anaemia"), 1.0),
    # nothing ticked at all is an answer too (a row may be left empty): nothing earned
    ((), 0.0),
])
def test_a_matrix_multiple_response_scores_plus_minus_with_a_floor_of_zero_per_column(story, causes, points):
    consequence = answer(story, RIGHT_FITS, causes).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 6.0)


def test_only_every_row_right_is_fully_correct(story):
    assert answer(story).state.stats["calcium"] == pytest.approx(3.0)  # on_correct
    wrong = ("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:expected")
    assert answer(story, wrong).state.stats["calcium"] == pytest.approx(3.1)


@pytest.mark.parametrize("fits, message", [
    (RIGHT_FITS[:3], "answer every row: 'A temperature of 38.6 °C with a cough' has no answer yet"),
    (RIGHT_FITS + ("fever:expected",), "'A temperature of 38.6 °C with a cough' takes 1 answer: you picked 2"),
    (("drowsy:maybe",), "'drowsy:maybe' is not an option of question 'fits'"),
])
def test_a_matrix_takes_one_answer_in_every_row(story, fits, message):
    with pytest.raises(ActionError, match=message):
        answer(story, fits)


def test_walkthroughs_answer_by_row_and_column(story):
    results = run_story(story)
    assert len(results) == 2 and all(r.passed for r in results), [r.failure for r in results]


# --- the format's checks ----------------------------------------------------------------------------------------


SOURCE = MATRIX.read_text(encoding="utf-8")
FEVER_ROW = ("        - {id: fever, text: A temperature of 38.6 °C with a cough, correct: not_expected,\n"
             "           rationale: Fever points to infection; look for it.}\n")


@pytest.mark.parametrize("old, new, message", [
    (FEVER_ROW, "", "a matrix has 4 to 10 rows (NGN sizes), found 3"),
    ("        - {id: anaemia, text: Anaemia}\n",
     "        - {id: anaemia, text: Anaemia}\n        - {id: other, text: Something else}\n",
     "a matrix has 2 or 3 columns (NGN sizes), found 4"),
    ("correct: not_expected,\n           rationale: Fever", "correct: not_expectd,\n           rationale: Fever",
     "row 'fever' names column 'not_expectd', which this question does not have; did you mean 'not_expected'?"),
    ("correct: not_expected,\n           rationale: Fever", "correct: [expected, not_expected],\n"
     "           rationale: Fever", "row 'fever' has 2 right columns: a matrix row has exactly one"),
    ("correct: [anaemia], rationale: Too", "correct: [], rationale: Too",
     "row 'breathless' has no right column: a matrix_multiple row has at least one"),
    ("        - {id: tingling,", "        - {id: drowsy,", "row id 'drowsy' appears twice in this question"),
    ("      type: matrix\n", "      type: single_best\n", "`columns` is only for matrix and matrix_multiple questions"),
    ("      type: matrix\n", "      type: single_best\n", "a single_best question needs at least two options"),
    ("      columns:\n        - {id: expected", "      options: []\n      columns:\n        - {id: expected", None),
    ("      - fits: [drowsy:expected, thirst:expected, tingling:not_expected, fever:not_expected]\n",
     "      - fits: [drowsy:expected, thirst:expected, tingling:not_expected, fevr:not_expected]\n",
     "'fevr:not_expected' is not an answer of question 'fits': write each pick as row:option"),
    ("      - fits: [drowsy:expected, thirst:expected, tingling:not_expected, fever:not_expected]\n",
     "      - fits: [drowsy:expected, thirst:expected, tingling:not_expected]\n",
     "question 'fits': row 'fever' takes 1 answer, found 0"),
])
def test_the_checks_speak_an_educators_words(old, new, message, tmp_path):
    path = tmp_path / "matrix.yaml"
    problems = findings_after_edit(SOURCE, old, new, path)
    if message is None:  # an empty options list on a matrix is no error: options are simply not used
        assert not [p for p in problems if "error" in p], problems
    else:
        assert any(message in p for p in problems), problems


def test_a_matrix_multiple_whose_every_cell_is_right_is_refused(tmp_path):
    text = SOURCE
    for row in ("constipation", "creatinine", "breathless"):
        start = text.index(f"{{id: {row},")
        end = text.index("rationale:", start)
        text = text[:start] + text[start:end].replace(text[start:end][text[start:end].index("correct:"):],
                                                      "correct: [calcium, kidney, anaemia], ") + text[end:]
    path = tmp_path / "matrix.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate_file(path)]
    assert any("every cell of this matrix is right" in p for p in problems), problems



def test_a_matrix_multiple_column_right_in_every_row_is_refused(tmp_path):
    """Each column is scored on its own (+/- per column): a column right in every row scores for ticking it
    top to bottom, whatever the rows say."""
    text = SOURCE
    for row in ("constipation", "creatinine", "breathless"):
        start = text.index(f"{{id: {row},")
        end = text.index("rationale:", start)
        right = text[start:end][text[start:end].index("correct: [") + len("correct: ["):]
        text = text[:start] + text[start:end].replace(f"correct: [{right}", f"correct: [kidney, {right}") + text[end:]
    path = tmp_path / "matrix.yaml"
    path.write_text(text.replace("correct: [kidney, kidney]", "correct: [kidney]"), encoding="utf-8")
    problems = [str(p) for p in validate_file(path)]
    assert any("column 'kidney' is right in every row" in p for p in problems), problems
    assert not any("every cell of this matrix is right" in p for p in problems), problems
    assert not any("column 'calcium'" in p or "column 'anaemia'" in p for p in problems), problems


def test_the_schema_knows_the_matrix():
    from mmjourney.story.schema import story_json_schema

    question = story_json_schema()["$defs"]["Question"]["properties"]
    assert {"matrix", "matrix_multiple"} <= set(question["type"]["enum"])
    assert "columns" in question and "rows" in question


# --- the Prompt and the tools --------------------------------------------------------------------------------------


def test_the_prompt_is_a_fill_with_rows_shuffled_and_columns_in_place(story):
    orders = set()
    for seed in range(8):
        prompt = prompt_of(Session(story, seed))
        assert isinstance(prompt, Fill) and prompt.grid and prompt.instruction == "One answer in each row"
        assert all([o.id for o in view.options] == ["expected", "not_expected"] for view in prompt.parts)
        orders.add(tuple(view.part.id for view in prompt.parts))
    assert len(orders) > 1, "the rows are never shuffled"


def test_the_prompt_turns_shown_numbers_into_an_answer_in_the_written_order(story):
    prompt = prompt_of(Session(story, 3))
    picks = [(number, 1 if view.part.id in ("drowsy", "thirst") else 2)
             for number, view in enumerate(prompt.parts, 1)]
    assert prompt.answer(reversed(picks)).options == RIGHT_FITS == prompt.expert().options
    assert prompt.problem(prompt.answer(picks[:2])).startswith("answer every row")
    assert prompt.problem(prompt.expert()) is None


def test_the_tools_explore_a_right_and_a_wrong_answer_when_being_right_matters(story):
    moves = prompt_of(Session(story)).moves()  # on_correct changes the calcium
    assert moves[0].options == RIGHT_FITS and len(moves) == 2
    session = Session(story)
    session.apply(moves[1])
    assert session.history[-1].points == 3.0
    fixed = prompt_of(answer(story))
    assert isinstance(fixed, Fill) and len(fixed.moves()) == 1  # nothing follows from the causes' answer


def test_naive_players_answer_every_row_by_their_rule(story):
    prompt = prompt_of(Session(story))
    for strategy in NAIVE:
        action = strategy.action(prompt)
        assert prompt.problem(action) is None, strategy.name
    first = next(s for s in NAIVE if s.name == "first").action(prompt)
    assert all(unit.endswith(":expected") for unit in first.options)  # columns keep their place


def test_random_play_gives_answers_the_game_takes(story):
    from mmjourney.tools.randomtest import run

    result = run(story, 300, seed=1)
    assert result.playthroughs == 300 and not result.failures


# --- records, exports, xAPI ----------------------------------------------------------------------------------------


def test_the_record_keeps_each_row_and_reads_back(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.journey.record import AttemptRecord

    record = session_record(answer(story, RIGHT_FITS, RIGHT_CAUSES[:3]))
    decision = record.decisions[0]
    assert decision.question_type == "matrix" and [p.id for p in decision.parts] == [
        "drowsy", "thirst", "tingling", "fever"]
    assert decision.options[0].id == "drowsy:expected"
    assert decision.options[0].label == "Drowsy and muddled since yesterday: Expected"
    data = record.to_json()
    assert AttemptRecord.from_json({**data, "uuid": "0" * 32}).decisions == record.decisions


def test_the_debrief_shows_each_row_beside_its_key(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.journey.debrief_view import DebriefView

    wrong = ("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:expected")
    view = DebriefView.of(session_record(answer(story, wrong, RIGHT_CAUSES[:3])))
    first, second = view.section("decisions").items
    assert first.response == "3 of 4 rows right" and first.expert == "the right answer in every row"
    fever = first.parts[-1]
    assert (fever.picked_text, fever.right_text, fever.mark) == ("Expected", "Not expected", "✗ wrong")
    assert second.parts[-1].picked_text == "nothing" and second.verdict == "3 of 6"
    assert debrief(answer(story, wrong, RIGHT_CAUSES)).overall.percent == pytest.approx(90.0)


def test_markdown_and_html_show_the_grid_against_the_key(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.records.exports import to_html, to_markdown

    wrong = ("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:expected")
    record = session_record(answer(story, wrong, RIGHT_CAUSES))
    markdown = to_markdown(record)
    assert "| Row | Your answer | Right answer | | Why |" in markdown
    assert ("| A temperature of 38.6 °C with a cough | Expected | Not expected | ✗ wrong | Fever points to infection; "
            "look for it. |") in markdown
    assert "| Tired all the time | High calcium; Kidney injury; Anaemia | High calcium; Kidney injury; Anaemia | " \
           "✓ right |" in markdown
    page = to_html(record)
    assert "<th>Row</th><th>Your answer</th><th>Right answer</th>" in page
    assert '<td class="bad">✗ wrong</td>' in page and '<td class="good">✓ right</td>' in page


def test_the_xapi_statement_is_a_matching_of_rows_to_columns(story):
    from mmjourney.records import records
    from mmjourney.records.xapi import statements

    from .records.conftest import keep

    wrong = ("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:expected")
    kept = keep(answer(story, wrong, RIGHT_CAUSES))
    with records() as db:
        batch = statements(db.load(kept.attempt_id))
    matched = [s for s in batch if s["object"].get("definition", {}).get("interactionType") == "matching"]
    assert len(matched) == 2
    definition = matched[0]["object"]["definition"]
    assert definition["correctResponsesPattern"] == [
        "drowsy[.]expected[,]thirst[.]expected[,]tingling[.]not_expected[,]fever[.]not_expected"]
    assert [s["id"] for s in definition["source"]] == ["drowsy", "thirst", "tingling", "fever"]
    assert [t["id"] for t in definition["target"]] == ["expected", "not_expected"]
    assert matched[0]["result"]["response"] == \
        "drowsy[.]expected[,]thirst[.]expected[,]tingling[.]not_expected[,]fever[.]expected"
    assert matched[0]["result"]["score"]["raw"] == 3 and matched[0]["result"]["score"]["max"] == 4
    assert "tired[.]calcium[,]tired[.]kidney[,]tired[.]anaemia" in matched[1]["result"]["response"]


# --- the full-screen player --------------------------------------------------------------------------------------


async def test_the_grid_is_played_with_arrows_and_space():
    from mmjourney.tui.app import MMJourneyApp
    from mmjourney.tui.widgets.parts import PartsGrid

    from .tui.conftest import screen_text

    app = MMJourneyApp(story_path=MATRIX, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#play-parts", PartsGrid)
        assert app.screen.focused is grid and app.screen.query_one("#play-decision").border_title == \
            "One answer in each row"
        prompt = prompt_of(app.screen.session)
        await pilot.press("space", "right", "space")  # the second Space moves row 1's answer to the other column
        await pilot.pause()
        assert grid.picked_in(0) == {"not_expected"} and grid.cursor == (0, 1)
        await pilot.press("down")  # the column is kept from row to row
        await pilot.pause()
        assert grid.cursor == (1, 1)
        await pilot.press("3", "left")  # a number goes to its row
        await pilot.pause()
        assert grid.cursor == (2, 0)
        await pilot.press("s")  # two rows have no answer: the game says so and nothing is committed
        await pilot.pause()
        assert not app.screen.session.history
        text = screen_text(app)
        assert "Submit answer (s)" in text and "arrows move" in text
        for number, view in enumerate(prompt.parts, 1):
            column = "right" if view.part.id in ("tingling", "fever") else "left"
            await pilot.press(str(number), "left", "left", *([column] if column == "right" else []), "space")
        await pilot.press("s")
        await pilot.pause()
        consequence = app.screen.session.history[-1]
        assert (consequence.points, consequence.max_points) == (4.0, 4.0)
        assert consequence.picked == RIGHT_FITS


async def test_a_matrix_multiple_row_ticks_and_unticks_any_cells():
    from mmjourney.tui.app import MMJourneyApp
    from mmjourney.tui.widgets.parts import PartsGrid

    app = MMJourneyApp(story_path=MATRIX, watch_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.journey.decide(Action("answer", "fits", options=RIGHT_FITS))
        app.screen.redraw()
        await pilot.pause()
        await pilot.pause()
        grid = app.screen.query_one("#play-parts", PartsGrid)
        await pilot.press("4", "space", "right", "space", "right", "space", "left", "space")  # tired: tick, untick
        await pilot.pause()
        assert grid.picked_in(3) == {"calcium", "anaemia"}
        await pilot.press("s")
        await pilot.pause()
        consequence = app.screen.session.history[-1]
        assert consequence.picked == ("tired:calcium", "tired:anaemia") and consequence.points == 2.0


async def test_the_feedback_marks_each_row():
    from mmjourney.tui.app import MMJourneyApp

    from .tui.conftest import screen_text

    app = MMJourneyApp(story_path=MATRIX, watch_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wrong = ("drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:expected")
        app.screen.act(Action("answer", "fits", options=wrong))
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "Score: 3 of 4" in text and "The rows" in text
        assert "✗ wrong  A temperature of 38.6 °C with a cough: Expected  right answer: Not expected" in text
        assert "✓ right  Drowsy and muddled since yesterday: Expected" in text


# --- the plain player ---------------------------------------------------------------------------------------------


def test_the_plain_player_takes_row_and_letter_and_reads_the_answer_back(story):
    from mmjourney.plain import play_plain

    prompt = prompt_of(Session(story, 0))
    right = " ".join(f"{n}{'a' if v.part.id in ('drowsy', 'thirst') else 'b'}" for n, v in enumerate(prompt.parts, 1))
    lines = ["1a 2b", "1a 9b", "1c", "1ab", "1a 1b", right, "no", right, "yes", "1a 2b 3c 4abc", "y", ""]
    out = io.StringIO()
    play_from = io.StringIO("".join(f"{line}\n" for line in lines))
    play_plain(story, seed=0, stdin=play_from, stdout=out)
    text = out.getvalue()
    assert "The answers for every row: a. Expected; b. Not expected." in text
    assert "Type each row's number with the letter of its answer, for example 1a 2b 3a." in text
    assert "Answer every row:" in text and "has no answer yet." in text
    assert "'9b': there are 4 rows." in text and "'1c': row 1 has answers a to b." in text
    assert "'1ab': row 1 takes one letter." in text and "'1b': row 1 is answered twice" in text
    assert "You answered:\n  Row 1, " in text and text.count("You answered:") == 3
    assert "Score: 4 of 4." in text
    flat = " ".join(text.split())  # as heard: where a line wraps does not matter
    assert "for example 1a 2ab 3abc. A row you leave out has nothing ticked." in flat
    assert "Row 4, Tired all the time: you answered High calcium; Kidney injury; Anaemia, right." in flat
    assert "Decision 1: 4 of 4 rows right. Rated 4 of 4." in flat


def test_help_says_how_to_answer_in_rows():
    from mmjourney.plain.commands import help_lines

    assert "type each row's or blank's number with the letter of its answer, for example 1a 2b 3a" in \
        help_lines(True)[0]


async def test_story_text_in_a_matrix_is_never_read_as_markup(tmp_path):
    from mmjourney.tui.app import MMJourneyApp

    from .tui.conftest import screen_text

    text = SOURCE.replace("Drowsy and muddled since yesterday", "'[TODO] drowsy [/b] plan [b]x [/'").replace(
        "{id: expected, text: Expected}", "{id: expected, text: 'dose [mg]'}")
    path = tmp_path / "matrix.yaml"
    path.write_text(text, encoding="utf-8")
    app = MMJourneyApp(story_path=path, watch_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "[TODO] drowsy [/b] plan [b]x [/" in shown and "( ) dose [mg]" in shown
