"""Drag-and-drop cloze, drag-and-drop rationale and ordering items (NGN, issue 15) in every layer: the format and
its checks, the scoring (0/1 per slot or position; the rationale's point only when every slot is right), a token in
one slot at most, the Prompt's one pool, the tools, records, exports and xAPI, the full-screen player by keys and
the plain player."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mmjourney.engine import Action, ActionError, Session
from mmjourney.journey import Fill, prompt_of
from mmjourney.story import load_story, validate_file
from mmjourney.tools.strategies import NAIVE
from mmjourney.tools.walkthroughs import run_story

from .helpers import findings_after_edit

DRAGDROP = Path(__file__).parent / "items" / "dragdrop.yaml"
GAPS = ("condition:sepsis", "treatment:antibiotics", "time:one_hour")
WHY = ("action:now", "reason:deteriorate")
ORDER = ("1:assess", "2:cultures", "3:antibiotics", "4:observe")


@pytest.fixture(scope="module")
def story():
    return load_story(DRAGDROP)


def at(story, scene: str, seed: int = 0) -> Session:
    session = Session(story, seed)
    before = {"fever": (), "because": (("gaps", GAPS),), "order": (("gaps", GAPS), ("why", WHY))}[scene]
    for item, picked in before:
        session.apply(Action("answer", item, options=picked))
    return session


def answered(story, scene: str, item: str, picked) -> Session:
    session = at(story, scene)
    session.apply(Action("answer", item, options=tuple(picked)))
    return session


def ranked(*tokens: str) -> tuple[str, ...]:
    return tuple(f"{number}:{token}" for number, token in enumerate(tokens, 1))


@pytest.mark.parametrize("picked, points", [
    (GAPS, 3.0),
    (("condition:sepsis", "treatment:antibiotics", "time:next_day"), 2.0),  # a distractor in one slot
    (("condition:viral", "treatment:paracetamol", "time:next_day"), 0.0),
])
def test_a_drag_and_drop_cloze_scores_one_point_per_slot(story, picked, points):
    consequence = answered(story, "fever", "gaps", picked).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 3.0)


@pytest.mark.parametrize("picked, points", [(WHY, 1.0), (("action:now", "reason:resistant"), 0.0),
                                            (("action:later", "reason:deteriorate"), 0.0)])
def test_a_drag_and_drop_rationale_scores_its_pair_only_when_both_slots_are_right(story, picked, points):
    consequence = answered(story, "because", "why", picked).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 1.0)


@pytest.mark.parametrize("order, points", [
    (("assess", "cultures", "antibiotics", "observe"), 4.0),
    (("assess", "antibiotics", "cultures", "observe"), 2.0),  # A C B D for A B C D: the ends are in place
    (("cultures", "antibiotics", "observe", "assess"), 0.0),  # everything one place early: none in place
    (("observe", "antibiotics", "cultures", "assess"), 0.0),  # reversed
])
def test_an_ordering_item_scores_one_point_per_token_in_its_place(story, order, points):
    consequence = answered(story, "order", "first_hour", ranked(*order)).history[-1]
    assert (consequence.points, consequence.max_points) == (points, 4.0)


def test_only_a_fully_right_answer_is_correct(story):
    assert answered(story, "fever", "gaps", GAPS).state.stats["temperature"] == pytest.approx(38.0)
    wrong = ("condition:sepsis", "treatment:antibiotics", "time:next_day")
    assert answered(story, "fever", "gaps", wrong).state.stats["temperature"] == pytest.approx(38.4)


@pytest.mark.parametrize("scene, item, picked, message", [
    ("fever", "gaps", ("condition:sepsis", "treatment:sepsis", "time:one_hour"),
     "'suspected neutropenic sepsis' is placed in both 'Slot 1' and 'Slot 2': each goes in one slot only"),
    ("fever", "gaps", GAPS[:2], "answer every slot: 'Slot 3' has no answer yet"),
    ("order", "first_hour", ranked("assess", "assess", "antibiotics", "observe"),
     "'Assess her airway and circulation' is placed in both 'Position 1' and 'Position 2': each goes in one "
     "position only"),
])
def test_a_token_goes_in_one_part_only_and_every_part_takes_one(story, scene, item, picked, message):
    with pytest.raises(ActionError, match=message):
        answered(story, scene, item, picked)


def test_walkthroughs_answer_slot_token_and_an_order_by_its_tokens(story):
    results = run_story(story)
    assert len(results) == 2 and all(r.passed for r in results), [r.failure for r in results]


SOURCE = DRAGDROP.read_text(encoding="utf-8")
PARACETAMOL = ("        - {id: paracetamol, text: paracetamol alone, rationale: It hides the fever and treats "
               "nothing.}\n")
VIRAL = "        - {id: viral, text: a viral illness, rationale: Assuming a virus delays antibiotics.}\n"
NEXT_DAY = "        - {id: next_day, text: the next day}\n"
OBSERVE = ("        - {id: observe, text: Repeat her observations every 30 minutes, rationale: They show the "
           "response.}\n")


@pytest.mark.parametrize("old, new, message", [
    ("{id: time, correct: one_hour,", "{id: time, correct: one_hr,",
     "slot 'time' names token 'one_hr' as right, which the pool does not have; did you mean 'one_hour'?"),
    ("{id: time, correct: one_hour,", "{id: time, correct: sepsis,",
     "token 'sepsis' is right for slot 'condition' and for slot 'time', but each token goes in one slot only"),
    (PARACETAMOL + "        - {id: one_hour, text: one hour}\n" + NEXT_DAY, "",
     "a drag-and-drop pool has 4 to 10 tokens (NGN sizes), found 3"),
    ("        - {id: resistant, text: waiting makes the bacteria resistant}\n", "",
     "a drag-and-drop pool has 4 to 10 tokens (NGN sizes), found 3"),
    (PARACETAMOL, PARACETAMOL.replace("paracetamol", "viral"), "token id 'viral' appears twice in this question"),
    ("Treat Dee as {condition}", "Treat Dee as {conditon}",
     "the text has {conditon}, but the question has no slot 'conditon'; did you mean 'condition'?"),
    (OBSERVE, OBSERVE.replace("observe", "assess"), "token id 'assess' appears twice in this question"),
    (OBSERVE, OBSERVE.replace(", rationale: They show the response.", ""),
     "token 'observe' has no rationale: say why it comes at place 4"),
    (OBSERVE, "", "an ordering question ranks 4 to 6 tokens (NGN sizes), found 3"),
    ("      prompt: Put the nurse's first actions in order.\n",
     "      prompt: Put the nurse's first actions in order.\n      order: fixed\n",
     "an ordering question's tokens are written in the right order, so `order: fixed` would show the answer"),
    ("      type: ordering\n", "      type: single_best\n",
     "`tokens` is only for drag_cloze, drag_rationale and ordering questions"),
    ("      - first_hour: [assess, cultures, antibiotics, observe]\n",
     "      - first_hour: [assess, culture, antibiotics, observe]\n", "'culture' is not a token of question "
     "'first_hour': list the tokens by id, first to last; did you mean 'cultures'?"),
    ("      - first_hour: [assess, cultures, antibiotics, observe]\n",
     "      - first_hour: [assess, assess, antibiotics, observe]\n",
     "question 'first_hour': token 'assess' is listed twice; each has one place"),
    ("      - first_hour: [assess, cultures, antibiotics, observe]\n",
     "      - first_hour: [assess, cultures, antibiotics]\n",
     "question 'first_hour' ranks 4 tokens: list each once, first to last, found 3"),
    ("      - gaps: [condition:sepsis, treatment:antibiotics, time:one_hour]\n",
     "      - gaps: [condition:sepsis, treatment:sepsis, time:one_hour]\n",
     "question 'gaps': token 'sepsis' is placed in 2 slots; each token goes in one slot at most"),
])
def test_the_checks_speak_an_educators_words(old, new, message, tmp_path):
    path = tmp_path / "dragdrop.yaml"
    problems = findings_after_edit(SOURCE, old, new, path)
    assert any(message in p for p in problems), problems


def test_a_pool_without_distractors_is_refused(tmp_path):
    """Three tokens for three slots: the last slot is filled by the token left over (the pool is too small too)."""
    source = SOURCE.replace(PARACETAMOL, "").replace(VIRAL, "").replace(NEXT_DAY, "")
    path = tmp_path / "dragdrop.yaml"
    path.write_text(source, encoding="utf-8")
    problems = [str(p) for p in validate_file(path)]
    assert any("the pool has 3 tokens for 3 slots: add distractors" in p for p in problems), problems


def test_the_prompt_shows_one_pool_shuffled_once_for_every_slot(story):
    places = set()
    for seed in range(8):
        prompt = prompt_of(at(story, "fever", seed))
        assert isinstance(prompt, Fill) and prompt.pool and not prompt.grid
        assert [view.part.id for view in prompt.parts] == ["condition", "treatment", "time"]
        orders = {tuple(o.id for o in view.options) for view in prompt.parts}
        assert len(orders) == 1  # every slot lists the pool in the same order
        places |= orders
        ordering = prompt_of(at(story, "order", seed))
        assert [view.part.label for view in ordering.parts] == [f"Position {n}" for n in range(1, 5)]
    assert len(places) > 4


def test_the_tools_answer_with_each_token_once(story):
    from mmjourney.tools.randomtest import run

    for scene in ("fever", "because", "order"):
        prompt = prompt_of(at(story, scene))
        for strategy in NAIVE:
            assert prompt.problem(strategy.action(prompt)) is None, (scene, strategy.name)
        assert isinstance(prompt, Fill) and prompt.problem(prompt._one_wrong_placed()) is None
    result = run(story, 200, seed=1)
    assert result.playthroughs == 200 and not result.failures


def test_the_debrief_and_exports_show_each_slot_beside_its_key(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.journey.debrief_view import DebriefView
    from mmjourney.records.exports import to_html, to_markdown

    session = answered(story, "order", "first_hour", ranked("assess", "antibiotics", "cultures", "observe"))
    record = session_record(session)
    lines = DebriefView.of(record).section("decisions").items
    assert lines[0].response == "3 of 3 slots right" and lines[2].response == "2 of 4 positions right"
    assert lines[2].part_heading == "Position" and lines[2].verdict == "2 of 4"
    assert ("| Position 2 | Give the first dose of antibiotics | Take blood cultures | ✗ wrong | "
            "Cultures come before the first dose. |") in to_markdown(record)
    assert "<th>Position</th>" in to_html(record)


def test_xapi_matches_slots_to_tokens_and_sequences_an_order(story):
    from mmjourney.records import records
    from mmjourney.records.report import Entry, item_statistics
    from mmjourney.records.xapi import statements

    from .records.conftest import keep

    session = answered(story, "order", "first_hour", ranked("assess", "antibiotics", "cultures", "observe"))
    kept = keep(session)
    with records() as db:
        record = db.load(kept.attempt_id)
    batch = [s for s in statements(record) if s["verb"]["id"].endswith("/responded")]
    gaps, why, order = batch
    definition = gaps["object"]["definition"]
    assert definition["interactionType"] == "matching"
    assert [s["id"] for s in definition["source"]] == ["condition", "treatment", "time"]
    assert {t["id"] for t in definition["target"]} == {"sepsis", "viral", "antibiotics", "paracetamol", "one_hour",
                                                      "next_day"}
    assert definition["correctResponsesPattern"] == ["condition[.]sepsis[,]treatment[.]antibiotics[,]time[.]one_hour"]
    rules = {key.rsplit("/", 1)[1]: value for key, value in why["object"]["definition"]["extensions"].items()}
    assert rules == {"item-type": "drag_rationale",
                     "scoring-rule": "1 point per linked pair (the first slot with each other one) when both are right"}
    definition = order["object"]["definition"]
    assert definition["interactionType"] == "sequencing"
    assert [c["id"] for c in definition["choices"]] == ["assess", "cultures", "antibiotics", "observe"]
    assert definition["correctResponsesPattern"] == ["assess[,]cultures[,]antibiotics[,]observe"]
    assert order["result"]["response"] == "assess[,]antibiotics[,]cultures[,]observe"
    assert order["result"]["score"]["raw"] == 2 and order["result"]["success"] is False
    stats = {s.item: s for s in item_statistics([Entry(record, "server", DRAGDROP, ("learner", "me"))])}
    assert (stats["gaps"].item_type, stats["why"].item_type, stats["first_hour"].item_type) == (
        "drag-and-drop cloze", "drag-and-drop rationale", "ordering")
    assert stats["first_hour"].scores == {(2.0, 4.0): 1}


async def test_a_token_placed_again_moves_and_shows_where_it_is_by_keys():
    from mmjourney.tui.app import MMJourneyApp
    from mmjourney.tui.widgets.parts import PartsGrid

    app = MMJourneyApp(story_path=DRAGDROP, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#play-parts", PartsGrid)
        prompt = prompt_of(app.screen.session)
        pool = [o.id for o in prompt.parts[0].options]

        async def place(token: str) -> None:
            await pilot.press(*["down"] * (pool.index(token) - grid.cursor[1]), "space")
            await pilot.pause()

        await place("sepsis")  # slot 1 set: slot 2 opens
        assert grid.cursor == (1, 0) and grid.picked_in(0) == {"sepsis"}
        body = grid.get_option_at_index(1).prompt.body  # the open slot 2 marks the token placed in slot 1
        marks = {str(text): str(mark).strip("▸ ") for mark, text in body.cells}
        assert marks["suspected neutropenic sepsis"] == "(1)" and marks["a viral illness"] == "( )"
        await place("sepsis")  # placed again in slot 2: it moves from slot 1
        assert grid.picked_in(0) == set() and grid.picked_in(1) == {"sepsis"}
        assert "[2: suspected neutropenic sepsis]" in str(app.screen.query_one("#play-passage").render())
        await pilot.press("1")  # back to slot 1 by its number
        for token in ("antibiotics",):
            await place(token)
        await pilot.press("2")
        await place("sepsis")
        await place("one_hour")
        await pilot.press("s")
        await pilot.pause()
        consequence = app.screen.session.history[-1]
        assert consequence.picked == ("condition:antibiotics", "treatment:sepsis", "time:one_hour")
        assert consequence.points == 1.0


def test_the_plain_player_places_by_letters_refuses_a_token_twice_and_takes_an_order(story):
    from mmjourney.plain import play_plain

    session = Session(story, 0)

    def letters(scene: str, *ids: str) -> list[str]:
        options = [o.id for o in prompt_of(at(story, scene)).parts[0].options]
        return ["abcdefghij"[options.index(i)] for i in ids]

    gaps = letters("fever", "sepsis", "antibiotics", "one_hour")
    why = letters("because", "now", "deteriorate")
    order = letters("order", "assess", "antibiotics", "cultures", "observe")
    lines = [f"1{gaps[0]} 2{gaps[0]} 3{gaps[2]}", f"1{gaps[0]} 2{gaps[1]} 3{gaps[2]}", "yes", "",
             f"1{why[0]} 2{why[1]}", "yes", "",
             "a b", f"{order[0]} {order[0]} {order[2]} {order[3]}", " ".join(order), "yes", ""]
    out = io.StringIO()
    play_plain(story, seed=session.seed, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    flat = " ".join(out.getvalue().split())
    assert "Treat Dee as (slot 1) and give (slot 2) within (slot 3) of arrival." in flat
    assert "The tokens, each used once at most: a. " in flat
    assert ("Type each slot's number with the letter of its token, for example 1a 2b 3c. A token goes in one slot "
            "at most.") in flat
    assert ("'suspected neutropenic sepsis' is placed in both 'Slot 1' and 'Slot 2': each goes in one slot "
            "only.") in flat
    assert ("You answered: Slot 1: suspected neutropenic sepsis. Slot 2: intravenous broad-spectrum antibiotics. "
            "Slot 3: one hour. It reads: Treat Dee as suspected neutropenic sepsis and give intravenous "
            "broad-spectrum antibiotics within one hour of arrival.") in flat
    assert "Score: 3 of 3." in flat
    assert "Linked: a slot after the first scores only when the first is right too." in flat
    assert "The tokens, to put in order: a. " in flat
    assert "Type the 4 letters in order, first to last, for example d c b a; each letter once." in flat
    assert "You typed 2 letters: put all 4 in order, each once." in flat
    assert "'Assess her airway and circulation' is placed in both 'Position 1' and 'Position 2'" in flat
    assert ("You answered: Position 1: Assess her airway and circulation. Position 2: Give the first dose of "
            "antibiotics. Position 3: Take blood cultures. Position 4: Repeat her observations every 30 "
            "minutes.") in flat
    assert "Score: 2 of 4." in flat
    assert ("Position 2: you answered Give the first dose of antibiotics, wrong; the answer is Take blood "
            "cultures. Cultures come before the first dose.") in flat


def test_an_ordering_item_is_never_shown_in_its_right_order(story):
    """A shuffle leaves four tokens in the written (right) order once in 24 journeys: that learner would be shown
    the answer."""
    right = [token.id for token in story.model.scenes["order"].question.tokens]
    shown = set()
    for seed in range(120):
        session = Session(story, seed)
        session.replay([Action("answer", "gaps", options=GAPS), Action("answer", "why", options=WHY)])
        prompt = prompt_of(session)
        assert isinstance(prompt, Fill) and prompt.question.type == "ordering"
        order = [option.id for option in prompt.parts[0].options]
        assert order != right, seed
        shown.add(tuple(order))
    assert len(shown) > 12  # still shuffled: most of the other 23 orders appear
