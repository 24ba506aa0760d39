"""`mmjourney randomtest`: seeded random playthroughs, counts, and failures that can be reproduced."""

from __future__ import annotations

import json

import pytest

from mmjourney.engine import Action, Session
from mmjourney.story import load_story
from mmjourney.tools.randomtest import run

from .conftest import FIXTURES, TOOLS_FIXTURES, line_of, run_cli

DEFECTS = TOOLS_FIXTURES / "defects.yaml"
CLEAN = TOOLS_FIXTURES / "clean.yaml"


@pytest.fixture(scope="module")
def defects():
    return load_story(DEFECTS)


def test_stuck_and_endless_playthroughs_are_reported_with_their_decisions(defects):
    result = run(defects, 400, seed=3, max_steps=200)
    failures = {f.kind: f for f in result.failures}
    assert set(failures) == {"dead-end", "no-ending"}
    stuck = failures["dead-end"]
    assert stuck.scene == "stuck" and stuck.steps[-1] == "to_stuck" and stuck.count > 1
    assert "got stuck in scene 'stuck': no choice is open there" in stuck.message
    endless = failures["no-ending"]
    assert endless.scene in ("loop_a", "loop_b") and len(endless.steps) == 200
    assert "reached no ending after 200 decisions" in endless.message


def test_the_reported_decisions_reproduce_the_failure(defects):
    (stuck,) = [f for f in run(defects, 50, seed=11).failures if f.kind == "dead-end"]
    session = Session(defects)
    for step in stuck.steps:
        session.apply(Action("choose", step))
    assert session.scene_id == "stuck" and not any(v.enabled for v in session.choices())
    # ... and so does the same run again, playthrough for playthrough.
    again = [f for f in run(defects, stuck.playthrough, seed=11).failures if f.kind == "dead-end"]
    assert again[0].playthrough == stuck.playthrough and again[0].steps == stuck.steps


def test_counts_per_scene_choice_and_ending_prefer_what_was_used_least():
    story = load_story(CLEAN)
    result = run(story, 1_000, seed=0)
    assert result.failures == [] and result.playthroughs == 1_000
    assert all(result.scenes.values()) and all(result.choices.values()) and all(result.endings.values())
    assert sum(result.endings.values()) == 1_000
    # Least used first: 'wait' and 'check_obs' (the two open at the start) are taken equally often.
    assert abs(result.choices["wait"] - result.choices["check_obs"]) <= 1
    assert result.scores["poor"] == (0.0, 50.0) and result.scores["good"] == (100.0, 100.0)


def test_reusing_results_changes_nothing_but_the_speed():
    story = load_story(FIXTURES / "clinic.yaml")
    cached = run(story, 300, seed=5)
    fresh = run(story, 300, seed=5, cache=False)
    for part in ("scenes", "choices", "endings", "scores", "decisions"):
        assert getattr(cached, part) == getattr(fresh, part), part
    assert cached.engine_steps < fresh.engine_steps == fresh.decisions


def test_seeds_decide_the_run():
    story = load_story(FIXTURES / "clinic.yaml")
    assert run(story, 200, seed=1).choices == run(story, 200, seed=1).choices
    assert run(story, 200, seed=1).scores != run(story, 200, seed=2).scores


def test_an_engine_failure_ends_the_playthrough_and_is_reported(monkeypatch):
    story = load_story(FIXTURES / "clinic.yaml")

    def broken(state):
        raise ValueError("boom")

    monkeypatch.setitem(story.conditions, story.model.scenes["wrap"].next[0].condition, broken)
    result = run(story, 100, seed=0)
    (failure,) = result.failures
    # Every playthrough that reaches 'wrap' fails there; the others end in intensive care first.
    assert failure.kind == "engine-failure" and failure.scene == "wrap"
    assert failure.count == 100 - sum(result.endings.values()) and failure.count > 50
    assert "ValueError: boom" in failure.message


def test_the_command_reports_counts_warnings_and_failures():
    result = run_cli("randomtest", DEFECTS, "-n", "300", "--seed", "4", "--max-steps", "100")
    assert result.returncode == 1
    out = result.stdout
    assert "300 playthroughs in " in out and "scenes visited 8/11, choices taken 9/12" in out
    assert f"{DEFECTS}:{line_of(DEFECTS, '  orphan:')}:3: warning: scene 'orphan' was never visited in 300 " \
           "playthroughs" in out
    assert f"{DEFECTS}:{line_of(DEFECTS, '- id: greyed_forever')}:9: warning: choice 'greyed_forever' was never " \
           "taken" in out
    stuck = next(line for line in out.splitlines() if "got stuck in scene 'stuck'" in line)
    assert stuck.startswith(f"{DEFECTS}:{line_of(DEFECTS, '  stuck:')}:3: error: playthrough ")
    assert f"To reproduce it: mmjourney randomtest {DEFECTS} -n " in stuck and "--seed 4" in stuck
    assert out.splitlines()[-1].startswith("1 story, 300 playthroughs with seed 4") and \
        out.splitlines()[-1].endswith(": 2 failures")
    assert "\x1b[" not in out


def test_the_command_passes_a_clean_story_and_lists_every_count():
    result = run_cli("randomtest", CLEAN, "-n", "500", "--counts")
    assert result.returncode == 0, result.stdout
    assert f"{CLEAN}:{line_of(CLEAN, '  clinic:')}:3: scene 'clinic': " in result.stdout
    assert "warning" not in result.stdout and result.stdout.splitlines()[-1].endswith(": 0 failures")


def test_json_output(tmp_path):
    result = run_cli("randomtest", "--json", CLEAN, DEFECTS, "-n", "200", "--max-steps", "50")
    doc = json.loads(result.stdout)
    assert result.returncode == 1 and doc["playthroughs"] == 400 and doc["failures"] == 2
    clean, defects = doc["files"]
    assert clean["failures"] == [] and sum(clean["endings"].values()) == 200
    assert {f["kind"] for f in defects["failures"]} == {"dead-end", "no-ending"}
