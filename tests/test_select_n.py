"""The select-N item type (NGN "select the N most important", issue 15) in every layer: the format and its
checks, NCSBN scoring (0/1 per scored unit), the Prompt, the naive players and random play, walkthroughs,
xAPI, the full-screen player (no more than N ticks) and the plain player."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mmjourney.engine import Action, ActionError, Session, debrief
from mmjourney.journey import Ask, prompt_of
from mmjourney.story import load_story, validate_file
from mmjourney.tools.strategies import NAIVE
from mmjourney.tools.walkthroughs import run_story

SELECT_N = Path(__file__).parent / "items" / "select-n.yaml"


@pytest.fixture(scope="module")
def story():
    return load_story(SELECT_N)


def answer(story, *picked: str) -> Session:
    session = Session(story)
    session.apply(Action("answer", "first_three", options=picked))
    return session


@pytest.mark.parametrize("picked, points", [
    (("saline", "obs", "balance"), 3.0),
    (("saline", "obs", "drinks"), 2.0),  # 0/1 per pick: no minus for the wrong one
    (("diuretic", "drinks", "nsaid"), 0.0),
])
def test_each_correct_pick_is_a_point_out_of_n(story, picked, points):
    consequence = answer(story, *picked).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 3.0)


def test_only_the_three_right_ones_are_fully_correct(story):
    assert answer(story, "saline", "obs", "balance").state.stats["calcium"] == pytest.approx(3.0)  # on_correct
    assert answer(story, "saline", "obs", "drinks").state.stats["calcium"] == pytest.approx(3.2)


@pytest.mark.parametrize("picked", [("saline", "obs"), ("saline", "obs", "balance", "drinks")])
def test_an_answer_of_another_size_is_refused(story, picked):
    with pytest.raises(ActionError, match="asks you to select 3: you picked"):
        answer(story, *picked)


def test_the_prompt_says_how_many_and_the_tools_explore_answers_of_that_size(story):
    prompt = prompt_of(Session(story))
    assert isinstance(prompt, Ask) and not prompt.single
    assert prompt.picks == 3 and prompt.instruction == "Select 3"
    assert all(len(action.options) == 3 for action in prompt.moves())


def test_naive_players_pick_n(story):
    prompt = prompt_of(Session(story))
    for strategy in NAIVE:
        assert len(strategy.action(prompt).options) == 3, strategy.name


def test_random_play_answers_with_n_options(story):
    from mmjourney.tools.randomtest import run

    result = run(story, 200, seed=1)
    assert result.playthroughs == 200 and not result.failures


SOURCE = SELECT_N.read_text(encoding="utf-8")
NSAID = "        - {id: nsaid, text: Give ibuprofen for her back pain, correct: false, rationale: Kidney harm.}\n"
DRINKS = ("        - {id: drinks, text: Encourage oral fluids and recheck tomorrow, correct: false, "
          "rationale: Too slow.}\n")


@pytest.mark.parametrize("old, new, message", [
    ("      select: 3\n", "", "a select_n question says how many options to pick"),
    ("      select: 3\n", "      select: 2\n", "the question asks to select 2 but has 3 correct options"),
    (NSAID, "", "to select 3, write at least 5 options"),
    ("      type: select_n\n", "      type: select_all\n", "`select` is only for select_n questions"),
    ("      - first_three: [saline, obs, balance]\n", "      - first_three: [saline, obs]\n",
     "asks to select 3: pick exactly 3 options, found 2"),
])
def test_the_checks_speak_an_educators_words(old, new, message, tmp_path):
    text = SOURCE.replace(old, new, 1)
    if old == NSAID:
        text = text.replace(DRINKS, "", 1)  # four options left to select three from
    assert text != SOURCE
    path = tmp_path / "select-n.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate_file(path)]
    assert any(message in p for p in problems), problems


def test_walkthroughs_assert_the_score_of_a_partly_right_answer(story):
    results = run_story(story)
    assert len(results) == 2 and all(r.passed for r in results), [r.failure for r in results]


def test_the_xapi_statement_is_a_choice_with_the_n_correct_options(story):
    from mmjourney.records import records
    from mmjourney.records.xapi import statements

    from .records.conftest import keep

    kept = keep(answer(story, "saline", "obs", "drinks"))
    with records() as db:
        batch = statements(db.load(kept.attempt_id))
    answered = [s for s in batch if s["object"].get("definition", {}).get("interactionType") == "choice"]
    assert answered, "no choice interaction for the select-N item"
    assert answered[0]["object"]["definition"]["correctResponsesPattern"] == ["saline[,]obs[,]balance"]
    assert answered[0]["result"]["score"]["raw"] == 2


async def test_the_player_lets_the_learner_tick_no_more_than_n(story):
    from mmjourney.tui.app import MMJourneyApp
    from mmjourney.tui.widgets.decision import TickList

    app = MMJourneyApp(story_path=SELECT_N, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ticks = app.screen.query_one("#play-select", TickList)
        assert app.screen.query_one("#play-decision").border_title == "Select 3"
        await pilot.press("1", "2", "3", "4")
        await pilot.pause()
        assert len(ticks.selected) == 3, "a fourth tick was taken"
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.session.history[-1].max_points == 3.0


def test_the_plain_player_asks_for_n_numbers(story):
    from mmjourney.plain import play_plain

    out = io.StringIO()
    play_plain(story, seed=0, stdin=io.StringIO("1 2\n1 2 3\n\n\n"), stdout=out)
    text = out.getvalue()
    assert "(select 3)" in text and "asks you to select 3: you picked 2" in text


def test_the_debrief_counts_it(story):
    report = debrief(answer(story, "saline", "obs", "drinks"))
    assert report.overall.percent == pytest.approx(66.67, abs=0.01)
