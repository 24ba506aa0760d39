"""`mmjourney check` on stories built to contain each defect it reports, and on clean ones."""

from __future__ import annotations

import json

import pytest

from mmjourney.story import load_story
from mmjourney.tools import check as check_module
from mmjourney.tools.check import check_file, check_story
from mmjourney.tools.explore import explore

from .conftest import FIXTURES, TOOLS_FIXTURES, line_of, run_cli

DEFECTS = TOOLS_FIXTURES / "defects.yaml"
ENDLESS = TOOLS_FIXTURES / "endless.yaml"


@pytest.fixture(scope="module")
def defects():
    return check_file(DEFECTS)


def found(result, code):
    return [f for f in result.findings if f.code == code]


def test_each_defect_is_reported_once_with_its_code_and_line(defects):
    line = lambda needle, n=1: line_of(DEFECTS, needle, n)  # noqa: E731
    got = sorted((f.code, f.severity, f.line) for f in defects.findings)
    assert got == sorted([
        ("unreachable-objective", "error", line("- id: never_taught")),
        ("dead-end", "error", line("  stuck:")),
        ("unreachable-ending", "error", line("  ending_poor:")),
        ("no-way-out", "error", line("  loop_a:")),
        ("unreachable-scene", "error", line("  orphan:")),
        ("unreachable-ending", "error", line("  ending_lost:")),
        ("not-reviewed", "warning", line("authors:")),
        ("reference-unused-in-play", "warning", line("  orphan-ref:")),
        ("stat-pinned", "warning", line("  calcium: {label")),
        ("no-reference", "warning", line("feedback: {outcome: Nothing.")),
        ("blank-rationale", "warning", line("feedback: {outcome: Nothing.")),
        ("never-available", "warning", line("if: calcium < 2.0")),
        ("never-available", "warning", line("if: calcium < 1.6")),
        ("no-reference", "warning", line("    question:")),
        ("route-never-taken", "warning", line("      - if: calcium < 1.6")),
        ("repeat-not-scored", "warning", line("- id: to_loop_b")),  # the loop comes back to each of them
        ("repeat-not-scored", "warning", line("- id: to_loop_a")),
        # Its best choices are the shortest: the shortest player passes. They are also written first, but the
        # game shuffles them, so the first player only guesses and is not flagged.
        ("naive-strategy", "warning", line("id: defects")),
    ])
    assert all(f.file == str(DEFECTS) and f.column for f in defects.findings)


def test_messages_say_what_is_wrong_and_how_to_get_there(defects):
    (dead,) = found(defects, "dead-end")
    assert "in scene 'stuck', after overload_calcium -> to_stuck, no choice is open" in dead.message
    assert "'leave_stuck' is hidden (on_fluids)" in dead.message
    assert dead.steps == ("overload_calcium", "to_stuck")
    (loop,) = found(defects, "no-way-out")
    assert "every path goes round scenes 'loop_a', 'loop_b' forever" in loop.message
    assert loop.steps == ("enter_loop",)
    greyed, hidden = found(defects, "never-available")
    assert greyed.message.startswith("choice 'greyed_forever' is always greyed out: its condition 'calcium < 2.0'")
    assert hidden.message.startswith("choice 'hidden_forever' is never offered")
    (pinned,) = found(defects, "stat-pinned")
    assert "stat 'calcium' is pinned at its maximum of 4.5 mmol/L (normal range 2.2 to 2.6)" in pinned.message
    assert pinned.steps == ("overload_calcium",)
    orphan, = found(defects, "unreachable-scene")
    assert "nothing leads to it" in orphan.message
    lost, poor = sorted(found(defects, "unreachable-ending"), key=lambda f: f.message)
    assert "the only ways in are scene 'orphan', which is unreachable too" in lost.message
    assert "a route of scene 'outcome' that is never taken" in poor.message


def test_coverage_counts_what_the_exploration_reached(defects):
    assert defects.coverage == {"scenes": (8, 11), "choices": (9, 12), "endings": (1, 3), "objectives": (1, 2)}
    assert defects.complete and defects.states > 0 and defects.errors == 6 and defects.warnings == 12


def test_a_clean_story_reports_nothing_and_covers_everything():
    result = check_file(TOOLS_FIXTURES / "clean.yaml")
    assert [str(f) for f in result.findings] == []
    assert all(hit == total for hit, total in result.coverage.values())


def test_findings_inside_a_fragment_point_into_the_fragment(tmp_path):
    (tmp_path / "fragments").mkdir()
    fragment = (FIXTURES / "fragments" / "shared.yaml").read_text(encoding="utf-8")
    uncited = "rationale: Delay kills.}"
    fragment = fragment.replace("rationale: Delay kills., references: [imwg]}", uncited)
    (tmp_path / "fragments" / "shared.yaml").write_text(fragment, encoding="utf-8")
    (tmp_path / "clinic.yaml").write_text((FIXTURES / "clinic.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = check_file(tmp_path / "clinic.yaml", "clinic.yaml")
    (in_fragment,) = [f for f in result.findings if f.file != "clinic.yaml"]
    assert in_fragment.file == "fragments/shared.yaml" and in_fragment.code == "no-reference"
    assert in_fragment.line == line_of(tmp_path / "fragments" / "shared.yaml", uncited)


def test_an_endless_story_stops_at_the_budget_and_says_so():
    result = check_file(ENDLESS, max_states=200)
    assert not result.complete and result.states == 200
    codes = {f.code: f for f in result.findings}
    assert codes["exploration-incomplete"].severity == "warning"
    assert ("stopped after 200 states / " in codes["exploration-incomplete"].message
            and "(the limit of 200 states): the story is too large to explore fully; results are partial"
            in codes["exploration-incomplete"].message)
    assert "busy around scene 'waiting'" in codes["exploration-incomplete"].message
    # With the budget spent, "never" is only "not within the budget": a warning, and it says so.
    assert codes["unreachable-ending"].severity == "warning"
    assert "not reached within the 200 states explored" in codes["unreachable-ending"].message
    assert result.errors == 0


def test_exploring_deep_journeys_costs_the_same_per_state():
    """Forking must not copy the journey's logs, or a long loop would take quadratic time."""
    story = load_story(ENDLESS)
    small = explore(story, max_states=1_000)
    large = explore(story, max_states=20_000)
    assert large.states == 20_000 and not large.complete
    assert large.seconds / large.states < 5 * max(small.seconds / small.states, 2e-5)


def test_an_engine_failure_is_reported_not_raised(clinic, monkeypatch):
    story = load_story(FIXTURES / "clinic.yaml")
    condition = story.model.scenes["wrap"].next[0].condition

    def broken(state):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(story.conditions, condition, broken)
    with pytest.raises(ZeroDivisionError):
        explore(story)  # plain exploration keeps the engine's errors loud
    result = check_story(story)
    (failure,) = [f for f in result.findings if f.code == "engine-failure"]
    assert failure.severity == "error" and "scene 'wrap'" in failure.message
    assert "ZeroDivisionError: boom" in failure.message and failure.steps


def test_the_command_prints_lines_and_a_summary_and_fails_on_errors():
    result = run_cli("check", DEFECTS)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{DEFECTS}:{line_of(DEFECTS, '  stuck:')}:3: error: dead end: in scene 'stuck'," in "\n".join(lines)
    assert lines[-1].startswith("1 story checked: 6 errors, 12 warnings; ")
    assert "covered: scenes 8/11, choices 9/12, endings 1/3, objectives 1/2" in result.stdout
    assert "\x1b[" not in result.stdout


def test_json_output_for_machines():
    result = run_cli("check", "--json", DEFECTS, TOOLS_FIXTURES / "clean.yaml", "--jobs", "2")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["errors"] == 6 and doc["warnings"] == 12
    defects, clean = doc["files"]
    assert defects["coverage"]["scenes"] == {"hit": 8, "total": 11}
    dead = next(f for f in defects["findings"] if f["code"] == "dead-end")
    assert dead["steps"] == ["overload_calcium", "to_stuck"] and dead["severity"] == "error"
    assert clean["findings"] == [] and clean["complete"] is True


def test_missing_paths_and_fragments(tmp_path):
    result = run_cli("check", tmp_path / "nowhere.yaml", FIXTURES / "fragments")
    assert result.returncode == 1
    assert f"{tmp_path / 'nowhere.yaml'}: error: no such file or folder" in result.stdout
    assert "0 stories checked" in result.stdout


def test_module_documents_every_code_it_reports(defects):
    for finding in defects.findings:
        assert finding.code in check_module.__doc__
