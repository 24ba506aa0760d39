"""Bow-tie items (NGN: one condition, two actions to take, two parameters to monitor, issue 15) in every layer: the
format and its checks, NCSBN scoring (0/1 per slot, 5 in all), the Prompt, the tools, records, exports and xAPI,
the full-screen player's lists and the plain player."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mmjourney.engine import Action, ActionError, Session
from mmjourney.journey import Fill, prompt_of
from mmjourney.story import load_story
from mmjourney.tools.strategies import NAIVE
from mmjourney.tools.walkthroughs import run_story

from .helpers import findings_after_edit

BOW_TIE = Path(__file__).parent / "items" / "bowtie.yaml"
RIGHT = ("condition:hypercalcaemia", "actions:saline", "actions:falls", "parameters:calcium_level", "parameters:urine")


@pytest.fixture(scope="module")
def story():
    return load_story(BOW_TIE)


def answer(story, picked) -> Session:
    session = Session(story)
    session.apply(Action("answer", "bow", options=picked))
    return session


@pytest.mark.parametrize("picked, points", [
    (RIGHT, 5.0),
    # one of two actions and one of two parameters: each right pick is a point, a wrong one costs nothing
    (("condition:hypercalcaemia", "actions:saline", "actions:furosemide", "parameters:calcium_level",
      "parameters:glucose"), 3.0),
    (("condition:sepsis", "actions:saline", "actions:falls", "parameters:calcium_level", "parameters:urine"), 4.0),
    (("condition:sepsis", "actions:milk", "actions:ibuprofen", "parameters:glucose", "parameters:inr"), 0.0),
])
def test_a_bow_tie_scores_one_point_per_slot(story, picked, points):
    consequence = answer(story, picked).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 5.0)


def test_only_all_five_right_is_fully_correct(story):
    assert answer(story, RIGHT).state.stats["calcium"] == pytest.approx(3.1)
    wrong = RIGHT[:4] + ("parameters:glucose",)
    assert answer(story, wrong).state.stats["calcium"] == pytest.approx(3.3)


@pytest.mark.parametrize("picked, message", [
    (RIGHT[:2] + RIGHT[3:], "'Actions to take' takes 2 answers: you picked 1"),
    (RIGHT + ("actions:milk",), "'Actions to take' takes 2 answers: you picked 3"),
    (RIGHT[1:], "answer every list: 'Condition most likely' has no answer yet"),
])
def test_each_list_takes_its_number_of_answers(story, picked, message):
    with pytest.raises(ActionError, match=message):
        answer(story, picked)


def test_walkthroughs_answer_by_list_and_option(story):
    results = run_story(story)
    assert len(results) == 2 and all(r.passed for r in results), [r.failure for r in results]


SOURCE = BOW_TIE.read_text(encoding="utf-8")
MILK = "          - {id: milk, text: Encourage milky drinks for her bones}\n"
INR = "          - {id: inr, text: INR}\n"
PEAK = "          - {id: peak_flow, text: Peak flow}\n"
GLUCOSE = "          - {id: glucose, text: Blood glucose}\n"
PARAMETERS = SOURCE[SOURCE.index("      parameters:\n"):SOURCE.index("      goto: ending\n")]


@pytest.mark.parametrize("old, new, message", [
    ("{id: falls, text: Keep her safe from falls while she is drowsy, correct: true}",
     "{id: falls, text: Keep her safe from falls while she is drowsy}",
     "a bow-tie's actions list has 2 right options (`correct: true`), found 1"),
    ("{id: compression, text: Spinal cord compression}", "{id: compression, text: Cord compression, correct: true}",
     "a bow-tie's condition list has 1 right option (`correct: true`), found 2"),
    (GLUCOSE + PEAK + INR, "", "a bow-tie's parameters list has 4 to 6 options, found 2"),
    (MILK, MILK + MILK.replace("milk", "tea") + MILK.replace("milk", "juice"),
     "a bow-tie's actions list has 4 to 6 options, found 7"),
    (MILK, MILK.replace("milk", "saline"), "actions option id 'saline' appears twice in this question"),
    (PARAMETERS, "", "a bow_tie question needs `condition` (3 to 5 options, 1 right), `actions` (4 to 6, 2 right) and "
     "`parameters` (4 to 6, 2 right), each with its options and a rationale; missing: parameters"),
    ("      type: bow_tie\n", "      type: single_best\n", "`condition` is only for bow_tie questions"),
    ("      - bow: [condition:hypercalcaemia, actions:saline, actions:falls, parameters:calcium_level, "
     "parameters:urine]\n", "      - bow: [condition:hypercalcaemia, actions:saline, parameters:calcium_level, "
     "parameters:urine, parameters:glucose]\n", "question 'bow': list 'actions' takes 2 answers, found 1"),
    ("      - bow: [condition:hypercalcaemia, actions:saline, actions:falls,", "      - bow: [condition:hypercalcemia, "
     "actions:saline, actions:falls,", "did you mean 'condition:hypercalcaemia'?"),
])
def test_the_checks_speak_an_educators_words(old, new, message, tmp_path):
    path = tmp_path / "bowtie.yaml"
    problems = findings_after_edit(SOURCE, old, new, path)
    assert any(message in p for p in problems), problems


def test_the_prompt_keeps_the_three_lists_and_shuffles_each(story):
    places = set()
    for seed in range(10):
        prompt = prompt_of(Session(story, seed))
        assert isinstance(prompt, Fill) and not prompt.grid
        assert prompt.instruction == "1 condition, 2 actions, 2 parameters"
        assert [(view.part.id, view.part.picks) for view in prompt.parts] == [
            ("condition", 1), ("actions", 2), ("parameters", 2)]
        places.add(tuple(tuple(o.id for o in view.options) for view in prompt.parts))
    assert len(places) == 10


def test_naive_players_pick_as_many_as_each_list_asks_and_random_play_is_taken(story):
    from mmjourney.tools.randomtest import run

    prompt = prompt_of(Session(story))
    for strategy in NAIVE:
        assert prompt.problem(strategy.action(prompt)) is None, strategy.name
    result = run(story, 300, seed=1)
    assert result.playthroughs == 300 and not result.failures


def test_the_debrief_and_exports_mark_a_half_right_list(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.journey.debrief_view import DebriefView
    from mmjourney.records.exports import to_html, to_markdown

    half = ("condition:hypercalcaemia", "actions:saline", "actions:furosemide", "parameters:calcium_level",
            "parameters:urine")
    record = session_record(answer(story, half))
    (line,) = DebriefView.of(record).section("decisions").items
    assert line.response == "2 of 3 lists right" and line.verdict == "4 of 5"
    actions = line.parts[1]
    assert actions.mark == "◐ 1 of 2 right" and actions.tone == "fair"
    assert actions.why.startswith("It dries her out further. Rehydration treats the cause")
    assert ("| Actions to take | Start intravenous 0.9% saline as prescribed; Give furosemide before any fluid | "
            "Start intravenous 0.9% saline as prescribed; Keep her safe from falls while she is drowsy | "
            "◐ 1 of 2 right |") in to_markdown(record)
    assert '<td class="fair">◐ 1 of 2 right</td>' in to_html(record)


def test_the_xapi_statement_matches_each_list_to_its_picks(story):
    from mmjourney.records import records
    from mmjourney.records.xapi import statements

    from .records.conftest import keep

    kept = keep(answer(story, RIGHT))
    with records() as db:
        batch = statements(db.load(kept.attempt_id))
    (item,) = [s for s in batch if s["object"].get("definition", {}).get("interactionType")]
    definition = item["object"]["definition"]
    assert definition["interactionType"] == "matching"
    assert [s["id"] for s in definition["source"]] == ["condition", "actions", "parameters"]
    assert definition["correctResponsesPattern"] == [
        "condition[.]condition:hypercalcaemia[,]actions[.]actions:saline[,]actions[.]actions:falls[,]"
        "parameters[.]parameters:calcium_level[,]parameters[.]parameters:urine"]
    assert item["result"]["response"] == definition["correctResponsesPattern"][0]
    assert item["result"]["score"]["raw"] == 5 and item["result"]["success"] is True


async def test_the_lists_take_one_then_two_and_two_by_keys():
    from mmjourney.tui.app import MMJourneyApp
    from mmjourney.tui.widgets.parts import PartsGrid

    app = MMJourneyApp(story_path=BOW_TIE, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#play-parts", PartsGrid)
        prompt = prompt_of(app.screen.session)

        def keys_to(index: int, option: str) -> list[str]:
            at = grid.cursor[1]
            return ["down"] * ([o.id for o in prompt.parts[index].options].index(option) - at)

        await pilot.press(*keys_to(0, "hypercalcaemia"), "space")  # the condition, then the actions open
        await pilot.pause()
        assert grid.cursor == (1, 0)
        await pilot.press("right")  # no: back to the actions with Left, past the parameters with Right
        await pilot.press("left")
        await pilot.pause()
        assert grid.cursor == (1, 0)
        for option in ("saline", "falls", "milk"):  # a third tick is refused while two stand
            await pilot.press(*keys_to(1, option), "space")
            await pilot.pause()
            if option == "falls":
                assert grid.cursor == (2, 0)  # two ticked: the parameters open
                await pilot.press("left")
                await pilot.pause()
        assert grid.picked_in(1) == {"saline", "falls"}
        await pilot.press("right")
        for option in ("calcium_level", "urine"):
            await pilot.press(*keys_to(2, option), "space")
            await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        consequence = app.screen.session.history[-1]
        assert consequence.picked == RIGHT and consequence.points == 5.0


def test_the_plain_player_takes_a_letter_then_two_and_two(story):
    from mmjourney.plain import play_plain

    prompt = prompt_of(Session(story, 0))

    def letters(index: int, *ids: str) -> str:
        options = [o.id for o in prompt.parts[index].options]
        return "".join("abcdef"[options.index(i)] for i in ids)

    half = f"1{letters(0, 'hypercalcaemia')} 2{letters(1, 'saline', 'furosemide')} " \
           f"3{letters(2, 'calcium_level', 'urine')}"
    lines = ["1a 2a 3ab", half, "yes", ""]
    out = io.StringIO()
    play_plain(story, seed=0, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    flat = " ".join(out.getvalue().split())
    assert "(1 condition, 2 actions, 2 parameters)" in flat
    assert "1. Condition most likely: a. " in flat and "2. Actions to take: a. " in flat
    assert ("Type each list's number with the letters of its answers (1 in list 1, 2 in list 2, 2 in list 3), for "
            "example 1a 2ab 3ab.") in flat
    assert "'Actions to take' takes 2 answers: you picked 1." in flat
    assert "Score: 4 of 5." in flat
    assert ("List 2, Actions to take: you answered Start intravenous 0.9% saline as prescribed; Give furosemide "
            "before any fluid, 1 of 2 right; the answers are") in flat or (
        "List 2, Actions to take: you answered Give furosemide before any fluid; Start intravenous 0.9% saline as "
        "prescribed, 1 of 2 right; the answers are") in flat
