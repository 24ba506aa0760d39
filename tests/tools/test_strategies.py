"""Naive players and the item-writing checks: a story won by "always the longest" is flagged by
`check`, and `randomtest --strategy` shows how each naive player does."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey import prompt_of
from mmjourney.story import load_story
from mmjourney.tools.check import check_file, check_story
from mmjourney.tools.itemwriting import does_well
from mmjourney.tools.randomtest import run, run_strategy
from mmjourney.tools.strategies import (
    NAIVE,
    NAMES,
    Example,
    Summary,
    fixed_order,
    pass_mark,
    play,
    strategy_named,
    summarise,
)

from .conftest import TOOLS_FIXTURES, line_of, run_cli

LONGEST = TOOLS_FIXTURES / "longest.yaml"
CLEAN = TOOLS_FIXTURES / "clean.yaml"


@pytest.fixture(scope="module")
def longest():
    return load_story(LONGEST)


def picked_at(story, name: str, seed: int) -> str:
    """The choice `name` takes at the start of the journey with `seed`."""
    action = strategy_named(name).action(prompt_of(Session(story, seed)))
    assert action is not None
    return action.id


def picked(story, name: str, before=()) -> Action | None:
    session = Session(story)
    for action in before:
        session.apply(action)
    return strategy_named(name).action(prompt_of(session))


def test_each_strategy_picks_by_its_rule_among_the_open_choices(longest):
    assert [picked(longest, name).id for name in NAMES] == ["reassure", "ask_to_wait", "full_obs", "reassure"]
    # 'give_fluids' is shown last but greyed out: no learner can take it.
    clean = load_story(CLEAN)
    assert picked(clean, "last").id == "wait"


def test_ties_go_to_the_option_shown_first():
    texts = ["same", "four", "longer one", "tiny", "xy"]
    assert strategy_named("longest").order(texts)[:2] == [2, 0]
    assert strategy_named("shortest").order(texts)[:2] == [4, 0]
    assert strategy_named("first").order(texts) == [0, 1, 2, 3, 4]
    assert strategy_named("last").order(texts) == [4, 3, 2, 1, 0]


def test_questions_single_best_one_option_and_select_all_half_of_them(longest):
    to_question = [Action("choose", "full_obs")]
    single = {name: picked(longest, name, to_question).options for name in NAMES}
    assert single == {"first": ("pain",), "last": ("anxiety",), "longest": ("sepsis_first",),
                      "shortest": ("pain",)}
    to_select_all = to_question + [Action("answer", "main_problem", options=("sepsis_first",)),
                                   Action("choose", "antibiotics")]
    ticked = {name: picked(longest, name, to_select_all).options for name in NAMES}
    # Half of the four options, in the order shown.
    assert ticked == {"first": ("tired", "fever"), "last": ("hungry", "breathless"),
                      "longest": ("fever", "breathless"), "shortest": ("tired", "hungry")}


def test_only_the_longest_wins_a_story_whose_best_options_are_the_longest(longest):
    journey = play(longest, strategy_named("longest"), seed=3)
    assert (journey.ending, journey.kind, journey.percent, journey.critical) == ("good", "good", 100.0, 0)
    summaries = {s.strategy: s for s in summarise(longest, seeds=range(5))}
    assert list(summaries) == list(NAMES)
    assert summaries["longest"].good == summaries["longest"].passed == 5
    assert summaries["longest"].pass_example.number == 0
    for name in ("first", "last", "shortest"):
        summary = summaries[name]
        assert summary.good == summary.passed == 0 and summary.playthroughs == 5, name
        assert summary.high < 80


def test_seeds_change_only_the_luck():
    clean = load_story(CLEAN)
    shortest = [play(clean, strategy_named("shortest"), seed) for seed in range(20)]
    # 'check_obs' has a one-in-four chance of a fever, which the event scene then interrupts with.
    assert {"fever" in [c.scene for c in j.session.history] for j in shortest} == {True, False}
    assert all(j.ending == "poor" for j in shortest)


@pytest.fixture(scope="module")
def shuffled(tmp_path_factory):
    """The longest story as the game shows it by default: every order shuffled per journey."""
    path = tmp_path_factory.mktemp("shuffled") / "longest.yaml"
    text = LONGEST.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^ +order: fixed\n", "", text, flags=re.M), encoding="utf-8")
    story = load_story(path)
    assert not fixed_order(story) and fixed_order(load_story(LONGEST))
    return story


def test_under_the_shuffle_a_rule_of_position_finds_the_key_by_luck_and_a_rule_of_length_always(longest, shuffled):
    seeds = range(300)
    for story in (longest, shuffled):
        assert all(picked_at(story, "longest", seed) == "full_obs" for seed in seeds)
    for name in ("first", "last"):
        assert {picked_at(longest, name, seed) for seed in seeds} == {"reassure" if name == "first" else "ask_to_wait"}
        # Three choices at the triage: the shuffle puts the best one in any place about one time in three.
        share = sum(picked_at(shuffled, name, seed) == "full_obs" for seed in seeds) / len(seeds)
        assert abs(share - 1 / 3) < 0.08, (name, share)
    summaries = {s.strategy: s for s in summarise(shuffled)}
    assert summaries["longest"].passed == 50 and summaries["longest"].luck_good is None
    for name in ("first", "last"):
        summary = summaries[name]
        # With nothing in a fixed order, a rule of position is its own luck; it still wins now and then.
        assert 0 < summary.good < 25 and (summary.luck_good, summary.luck_passed) == (summary.good, summary.passed)
    assert [f.message.split(" passes")[0] for f in check_story(shuffled).findings if f.code == "naive-strategy"] \
        == ["a learner who always picks the longest option"]


def test_a_fixed_order_is_judged_against_the_luck_of_the_same_rule_shuffled(longest):
    first = summarise(longest, [strategy_named("first")])[0]
    # As written, 'first' always takes a wrong option; shuffled, the same seeds sometimes land on the keys.
    assert first.good == first.passed == 0 and first.luck_good > 0
    assert does_well(first) is None
    # The same rule on a story whose fixed order lists every key first: it wins far beyond its luck.
    keys_first = Summary("first", playthroughs=50, good=50, passed=50, luck_good=4, luck_passed=2,
                         good_example=Example(0, 100.0), pass_example=Example(0, 100.0))
    assert does_well(keys_first) == "passes"
    # Luck taken off, a rule of position that does only as well as a guess is not flagged, however often that is.
    guess = Summary("first", playthroughs=50, good=25, passed=25, luck_good=25, luck_passed=25,
                    good_example=Example(0, 100.0), pass_example=Example(0, 100.0))
    assert does_well(guess) is None
    # A rule of length has no luck to take off: passing in 6 seeds of 50 (12%) is a flaw, in 5 (10%) not yet.
    assert does_well(Summary("longest", playthroughs=50, passed=6, pass_example=Example(0, 100.0))) == "passes"
    assert does_well(Summary("longest", playthroughs=50, passed=5, pass_example=Example(0, 100.0))) is None


def test_a_journey_that_never_ends_or_gets_stuck_says_so():
    stuck = play(load_story(TOOLS_FIXTURES / "defects.yaml"), strategy_named("longest"), seed=0)
    assert stuck.ending is None and stuck.failure == "dead-end" and "scene 'stuck'" in stuck.message
    endless = play(load_story(TOOLS_FIXTURES / "endless.yaml"), strategy_named("first"), seed=0, max_steps=30)
    assert endless.failure == "no-ending" and len(endless.session.actions) == 30


def test_the_pass_mark_is_the_story_setting():
    assert pass_mark(load_story(CLEAN)) == 80.0  # the default
    assert pass_mark(SimpleNamespace(model=SimpleNamespace(pass_mark=60))) == 60.0
    summary = Summary("first", pass_mark=60.0)
    summary.add(0, "mixed", 65.0, 0)
    summary.add(1, "good", 95.0, 1)  # a critical error never passes
    assert (summary.passed, summary.good, summary.pass_example.number, summary.good_example.number) == (1, 1, 0, 1)


def test_summaries_stop_at_the_time_limit():
    summaries = summarise(load_story(CLEAN), max_seconds=0.0)
    assert all(s.stopped and s.playthroughs == 0 for s in summaries)


# --- check -------------------------------------------------------------------------------------


def test_check_flags_the_longest_options_and_the_naive_win():
    result = check_file(LONGEST)
    story_line = line_of(LONGEST, "id: longest")
    got = sorted((f.code, f.line) for f in result.findings)
    assert got == sorted([
        ("best-is-longest", story_line),
        ("naive-strategy", story_line),
        ("best-much-longer", line_of(LONGEST, "label: Check his temperature")),
        ("best-much-longer", line_of(LONGEST, "id: sepsis_first")),
        ("best-much-longer", line_of(LONGEST, "label: Take blood cultures")),
        ("best-much-longer", line_of(LONGEST, "label: Hand over the sepsis")),
    ])
    assert result.errors == 0 and all(f.severity == "warning" for f in result.findings)
    by_code = {f.code: f for f in result.findings}
    assert by_code["best-is-longest"].message.startswith(
        "the best choice has the longest label in 3 of the 3 choice scenes (more than a third)")
    naive = by_code["naive-strategy"]
    assert naive.message.startswith("a learner who always picks the longest option passes (80% or more with no "
                                    "critical error) with 100% at seed 0 (in 50 seeds: 50 good endings, 50 passes")
    assert "the key is longer, more specific or more complete than the distractors" in naive.message
    assert naive.steps == ("full_obs", "main_problem: [sepsis_first]", "antibiotics",
                           "phone_about: [fever, breathless]", "hand_over")
    much = [f for f in result.findings if f.code == "best-much-longer"]
    assert "in scene 'plan', the best choice 'antibiotics' is much longer than the others (76 characters; the " \
           "others 18 on average)" in "\n".join(f.message for f in much)


def test_check_reports_how_each_naive_player_did_and_respects_the_time_limit(longest):
    result = check_story(longest)
    assert [s.strategy for s in result.naive] == list(NAMES)
    assert all(s.playthroughs == 50 and not s.stopped for s in result.naive)
    hurried = check_story(longest, max_seconds=1e-9)
    (incomplete,) = [f for f in hurried.findings if f.code == "naive-incomplete"]
    assert "stopped by the time limit (--max-seconds) after 0 of 50 seeds" in incomplete.message
    assert not any(f.code == "naive-strategy" for f in hurried.findings)


def test_check_json_lists_the_naive_players():
    result = run_cli("check", "--json", LONGEST)
    assert result.returncode == 0  # warnings only
    (story,) = json.loads(result.stdout)["files"]
    naive = {entry["strategy"]: entry for entry in story["naive"]}
    assert list(naive) == list(NAMES)
    assert naive["longest"] == {"strategy": "longest", "pass_mark": 80.0, "playthroughs": 50, "score": [100.0, 100.0],
                                "good": 50, "passed": 50, "unended": 0,
                                "good_example": {"seed": 0, "percent": 100.0},
                                "pass_example": {"seed": 0, "percent": 100.0}, "luck": None, "stopped": False}
    assert naive["first"]["good"] == 0 and naive["first"]["good_example"] is None
    # Written in a fixed order, 'first' is also played shuffled on the same seeds: its luck, which it does not beat.
    assert naive["first"]["luck"]["good"] > 0 and naive["longest"]["luck"] is None
    codes = [f["code"] for f in story["findings"]]
    assert codes.count("naive-strategy") == 1 and codes.count("best-much-longer") == 4


# --- randomtest -----------------------------------------------------------------------------------


def test_randomtest_with_a_naive_strategy_counts_its_good_endings(longest):
    result = run_strategy(longest, "longest", 30, seed=7)
    assert result.strategy == "longest" and result.playthroughs == 30 and result.failures == []
    assert result.endings == {"good": 30, "poor": 0} and result.scores == {"good": (100.0, 100.0)}
    assert result.summary.good == result.summary.passed == 30 and result.summary.good_example.number == 1
    assert result.choices["full_obs"] == 30 and result.choices["reassure"] == 0
    first = run_strategy(longest, "first", 30)
    assert first.endings == {"good": 0, "poor": 30} and first.summary.good == 0


def test_a_naive_strategy_reports_dead_ends_but_not_its_own_loops():
    defects = load_story(TOOLS_FIXTURES / "defects.yaml")
    stuck = run_strategy(defects, "longest", 5)  # the longest labels lead into the dead end, whatever the order
    (failure,) = stuck.failures
    assert failure.kind == "dead-end" and failure.count == 5 and failure.steps == ("no_reference", "to_stuck")
    # The last choice shown at the arrival is the shuffle's: where it is the way into the loop, the rule goes
    # round it for good; that is the rule's doing, counted as no ending (as dead ends are), never a failure.
    looping = run_strategy(defects, "last", 20, max_steps=50)
    into_loop = sum(prompt_of(Session(defects, seed)).open[-1].id == "enter_loop" for seed in range(20))
    assert 0 < into_loop < 20 and all(failure.kind == "dead-end" for failure in looping.failures)
    assert looping.summary.unended == into_loop + sum(failure.count for failure in looping.failures)


def test_random_play_sums_up_good_endings_and_passes():
    result = run(load_story(CLEAN), 400, seed=0)
    summary = result.summary
    assert summary.strategy == "random" and summary.playthroughs == 400
    assert summary.good == result.endings["good"] and summary.passed == result.endings["good"]
    assert (summary.low, summary.high) == (0.0, 100.0)


def test_the_command_runs_one_strategy_or_all():
    one = run_cli("randomtest", LONGEST, "-n", "20", "--strategy", "longest")
    assert one.returncode == 0
    assert f"{LONGEST}: 20 playthroughs in " in one.stdout and "the strategy 'longest' with seeds 0 to 19" in one.stdout
    assert ("  a learner who always picks the longest option: score 100 to 100%, good ending 100.0%, pass 100.0% "
            "(pass = 80% or more with no critical error)") in one.stdout.splitlines()
    assert "was never visited" not in one.stdout  # one rule takes one road: no coverage warnings
    table = run_cli("randomtest", LONGEST, "-n", "20", "--strategies", "all")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[1].split() == ["strategy", "playthroughs", "score", "good", "ending", "pass", "no", "ending"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:7]}
    assert list(rows) == ["random", *NAMES]
    assert rows["longest"] == ["20", "100", "to", "100%", "100.0%", "100.0%", "0.0%"]
    assert rows["first"][-3:] == ["0.0%", "0.0%", "0.0%"]
    assert lines[-1].startswith("1 story, 100 playthroughs with seed 0, strategies random, first, last, longest, "
                                "shortest in ")


def test_the_command_json_names_the_strategy_of_each_result():
    result = run_cli("randomtest", "--json", LONGEST, CLEAN, "-n", "10", "--strategies", "all")
    assert result.returncode == 0
    files = json.loads(result.stdout)["files"]
    assert [(f["file"], f["strategy"]) for f in files] == [
        (str(path), name) for name in ("random", *NAMES) for path in (LONGEST, CLEAN)]
    longest = next(f for f in files if f["file"] == str(LONGEST) and f["strategy"] == "longest")
    assert longest["summary"]["good"] == 10 and longest["summary"]["score"] == [100.0, 100.0]
    assert longest["endings"] == {"good": 10, "poor": 0}


def test_strategies_listed_by_the_command_are_the_naive_players():
    from mmjourney.cli import RANDOMTEST_STRATEGIES

    assert RANDOMTEST_STRATEGIES == ("random", *(strategy.name for strategy in NAIVE))
