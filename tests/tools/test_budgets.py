"""The author tools stay bounded in time and memory on stories built to run them away (F9).

`check`, `graph` and `randomtest` stop after `--max-seconds` (60 by default) and say the
results are partial; exploring a long chain of scenes costs the same per state at any depth;
a story with hundreds of stats gets a smaller state budget; a story has at most 5,000 scenes.
"""

from __future__ import annotations

import time
import tracemalloc

from mmjourney.story import load_story, validate_file
from mmjourney.story.checks import MAX_SCENES
from mmjourney.tools.explore import MAX_STATE_VALUES, explore
from mmjourney.tools.randomtest import run

from .conftest import TOOLS_FIXTURES, run_cli

ENDLESS = TOOLS_FIXTURES / "endless.yaml"
CLEAN = TOOLS_FIXTURES / "clean.yaml"

HEADER = """\
format_version: 1
id: generated
title: Generated
version: "1"
summary: A story written by a test.
audience: tests
difficulty: beginner
minutes: 1
authors: tests
objectives: [{id: finish, text: Reach the end}]
patient: {name: Test Patient, age: 60}
"""


def chain(count: int, stats: int = 0) -> str:
    """A story of `count` scenes, each leading to the next, then one choice and an ending."""
    lines = [HEADER, "stats:" if stats else ""]
    lines += [f"  s{i}: {{label: S{i}, start: 1, min: 0, max: 10}}" for i in range(stats)]
    lines += ["start: p0", "scenes:"]
    lines += [f"  p{i}: {{phase: P, text: Page {i}., next: p{i + 1}}}" for i in range(count - 2)]
    lines.append(f"""\
  p{count - 2}:
    phase: P
    text: Last decision.
    choices:
      - {{id: finish, label: Finish, category: assessment, rating: best, step: take_action, objectives: [finish],
         feedback: {{outcome: Done., rationale: Done.}}, goto: end}}
  end: {{phase: P, text: The end., ending: {{title: End, kind: good}}}}
""")
    return "\n".join(lines)


def test_exploration_stops_at_its_time_limit_and_says_the_results_are_partial():
    story = load_story(ENDLESS)
    began = time.perf_counter()
    result = explore(story, max_states=10**9, max_seconds=0.3)
    assert time.perf_counter() - began < 3
    assert not result.complete and result.stopped_by == "seconds"
    assert result.stopped.startswith(f"stopped after {result.states:,} states / ")
    assert result.stopped.endswith("seconds (the time limit, --max-seconds): the story is too large to explore "
                                   "fully; results are partial")


def test_check_and_graph_stop_at_max_seconds():
    began = time.perf_counter()
    checked = run_cli("check", ENDLESS, "--max-states", "1000000000", "--max-seconds", "0.5")
    assert checked.returncode == 0, checked.stdout
    assert "results are partial" in checked.stdout and "Run again with a larger --max-seconds" in checked.stdout
    drawn = run_cli("graph", ENDLESS, "--max-states", "1000000000", "--max-seconds", "0.5")
    assert drawn.returncode == 0 and "results are partial" in drawn.stderr
    assert time.perf_counter() - began < 60  # two interpreters starting, and half a second each
    assert run_cli("check", ENDLESS, "--max-seconds", "0").returncode == 2


def test_randomtest_stops_at_max_seconds_with_the_playthroughs_done():
    result = run(load_story(CLEAN), 10**8, max_seconds=0.3)
    assert 0 < result.playthroughs < 10**8 and sum(result.endings.values()) == result.playthroughs
    assert result.stopped.startswith(f"stopped after {result.playthroughs:,} playthroughs / ")
    assert result.stopped.endswith("results are partial")
    shown = run_cli("randomtest", CLEAN, "-n", "100000000", "--max-seconds", "0.5")
    assert "warning: stopped after" in shown.stdout and shown.returncode == 0



def cpu_of(run):
    """What `run()` returns, and the CPU seconds it took: CPU time, not wall time, so that a busy machine does not
    make one depth look dearer than the other."""
    started = time.process_time()
    result = run()
    return result, time.process_time() - started

def test_a_long_chain_of_scenes_costs_the_same_per_state_at_any_depth(tmp_path):
    """F9: forking copied the visited set, and every scene kept its whole way there: quadratic."""
    short, long = tmp_path / "short.yaml", tmp_path / "long.yaml"
    short.write_text(chain(400))
    long.write_text(chain(4_000))
    small, small_cpu = cpu_of(lambda: explore(load_story(short)))
    story = load_story(long)
    large, large_cpu = cpu_of(lambda: explore(story))
    tracemalloc.start()  # a second run: tracing slows every allocation, so it is not timed
    explore(story)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert large.complete and large.states == 4_000 and set(large.endings) == {"end"}
    assert len(large.way_to(large.endings["end"])) == 3_999
    assert large_cpu / large.states < 5 * max(small_cpu / small.states, 2e-5)
    assert peak < 40 * 2**20


def test_a_story_with_hundreds_of_stats_gets_a_smaller_state_budget(tmp_path):
    path = tmp_path / "wide.yaml"
    path.write_text(chain(10, stats=300))
    result = explore(load_story(path), max_states=200_000)
    assert result.budget == MAX_STATE_VALUES // 301 and result.complete


def test_a_story_has_at_most_5000_scenes(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(chain(MAX_SCENES + 1))
    (error,) = [p for p in validate_file(path) if p.severity == "error"]
    assert error.message == ("the story has 5,001 scenes (with its fragments); a story may have at most 5,000: "
                             "split it into several stories")
    path.write_text(chain(MAX_SCENES))
    assert [p for p in validate_file(path) if p.severity == "error"] == []
