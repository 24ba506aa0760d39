"""`mmjourney test`: walkthroughs played, with pytest-like lines and located failures."""

from __future__ import annotations

import shutil

import pytest

from mmjourney.story import load_story
from mmjourney.tools.walkthroughs import run_story, walk_file

from .conftest import FIXTURES, TOOLS_FIXTURES, line_of, run_cli

FAILING = """
walkthroughs:
  - name: Expert path
    choices:
      - give_fluids
      - check_temp: {outcome: 1}
      - quiz_time
      - crab_quiz: [calcium, renal]
      - best_quiz: cultures
    ending: home
    score: [100, 100]
  - name: Wrong ending
    choices: [wait, check_temp: {outcome: 1}, quiz_time, crab_quiz: [rash], best_quiz: paracetamol]
    ending: home
  - name: Greyed out
    choices: [give_fluids, quiz_time]
    ending: home
  - name: Hidden
    choices: [secret]
    ending: home
  - name: Not here
    choices: [give_fluids, best_quiz: cultures]
    ending: home
  - name: Score out of range
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, crab_quiz: [calcium], best_quiz: cultures]
    ending: home
    score: [100, 100]
  - name: Stops early
    choices: [give_fluids]
    ending: home
  - name: Too many steps
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, crab_quiz: [calcium], best_quiz: cultures, wait]
    ending: home
  - name: Once only
    choices: [give_fluids, check_temp: {outcome: 1}, check_temp]
    ending: home
  - name: Question skipped
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, best_quiz: cultures]
    ending: home
"""


@pytest.fixture
def clinic_with_walkthroughs(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "clinic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + FAILING, encoding="utf-8")
    return path


def test_each_kind_of_failure_is_explained_at_the_step_to_blame(clinic_with_walkthroughs):
    path = clinic_with_walkthroughs
    results = run_story(load_story(path))
    outcome = {r.name: (r.passed, r.failure and (r.failure.line, r.failure.message)) for r in results}
    line = lambda needle, n=1: line_of(path, needle, n)  # noqa: E731
    prefix = "walkthrough '{}': "
    assert outcome["Expert path"] == (True, None)
    assert outcome["Wrong ending"] == (False, (line("ending: home", 2), prefix.format("Wrong ending") +
                                              "reached ending 'readmitted' (Readmitted, mixed) instead of 'home' "
                                              "(Home safely, good)"))
    assert outcome["Greyed out"] == (False, (line("choices: [give_fluids, quiz_time]"), prefix.format("Greyed out") +
                                             "step 2 ('quiz_time'): 'quiz_time' is greyed out at this point (Check "
                                             "the temperature first); its condition 'chosen(check_temp)' is false"))
    assert outcome["Hidden"][1][1].endswith("step 1 ('secret'): 'secret' is hidden in scene 'arrival' at this "
                                            "point: its condition 'trust > 8' is false")
    assert outcome["Not here"][1][1].endswith("step 2 ('best_quiz'): expected question 'best_quiz', but the journey "
                                              "is at scene 'ward', and open there: check_temp; greyed out: quiz_time")
    assert outcome["Score out of range"] == (False, (line("score: [100, 100]", 2), prefix.format("Score out of range")
                                                     + "scored 83.33%, expected 100 to 100%"))
    assert outcome["Stops early"][1][1].endswith("the walkthrough stops in scene 'ward' before any ending; open "
                                                 "there: check_temp; greyed out: quiz_time")
    assert outcome["Too many steps"][1][1].endswith("step 6 ('wait'): the journey has already ended at 'home' "
                                                    "(Home safely); remove the steps after it or check the earlier "
                                                    "ones")
    assert outcome["Once only"][1][1].endswith("step 3 ('check_temp'): 'check_temp' can be chosen only once, and it "
                                               "already was")
    assert outcome["Question skipped"][1][1].endswith("step 4 ('best_quiz'): expected question 'best_quiz', but the "
                                                      "journey is at scene 'quiz', and it asks question 'crab_quiz'")


def test_a_clean_story_passes_and_fragments_are_skipped():
    found = walk_file(TOOLS_FIXTURES / "clean.yaml")
    assert [(r.name, r.passed, r.ending, r.score, r.critical) for r in found.results] == [
        ("Expert", True, "good", 100.0, 0), ("Fever first", True, "good", 100.0, 0), ("Waiting", True, "poor", 0.0, 1)]
    assert walk_file(FIXTURES / "fragments" / "shared.yaml").fragment


def test_the_command_prints_pytest_like_lines(clinic_with_walkthroughs, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    result = run_cli("test", clinic_with_walkthroughs, TOOLS_FIXTURES / "clean.yaml", broken)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{clinic_with_walkthroughs}::Expert path PASSED (home, 100%)" in lines
    assert f"{clinic_with_walkthroughs}::Wrong ending FAILED" in lines
    assert f"{TOOLS_FIXTURES / 'clean.yaml'}::Waiting PASSED (poor, 0%, 1 critical error)" in lines
    assert f"{broken} ERROR (the story does not load)" in lines
    assert any(line.strip("= ").startswith("FAILURES") for line in lines)
    assert f"{clinic_with_walkthroughs}:{line_of(clinic_with_walkthroughs, 'ending: home', 2)}:13: error: " \
           "walkthrough 'Wrong ending': reached ending 'readmitted'" in result.stdout
    assert lines[-1].strip("= ").startswith("9 failed, 4 passed, 1 story not loading in ")
    assert "\x1b[" not in result.stdout


def test_the_command_passes_on_clean_stories_and_fails_when_nothing_ran(tmp_path):
    result = run_cli("test", TOOLS_FIXTURES / "clean.yaml")
    assert result.returncode == 0 and result.stdout.splitlines()[-1].strip("= ").startswith("3 passed in ")
    result = run_cli("test", FIXTURES / "clinic.yaml")
    assert result.returncode == 1 and f"{FIXTURES / 'clinic.yaml'} SKIPPED (no walkthroughs)" in result.stdout


VERDICTS = """
walkthroughs:
  - name: Safe and passed
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, crab_quiz: [calcium], best_quiz: cultures]
    ending: home
    safe: true
    passed: true
  - name: Said unsafe
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, crab_quiz: [calcium], best_quiz: cultures]
    ending: home
    safe: false
  - name: Said not passed
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, crab_quiz: [calcium], best_quiz: cultures]
    ending: home
    passed: false
  - name: Stricter pass mark
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, crab_quiz: [calcium], best_quiz: cultures]
    ending: home
    passed: true
"""


def test_walkthroughs_promise_safe_and_passed(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "clinic.yaml"
    path.write_text("pass_mark: 90\n" + path.read_text(encoding="utf-8") + VERDICTS, encoding="utf-8")
    outcome = {r.name: (r.passed, r.failure and (r.failure.line, r.failure.message))
               for r in run_story(load_story(path))}
    assert outcome["Said unsafe"] == (False, (line_of(path, "safe: false"), "walkthrough 'Said unsafe': expected an "
                                              "unsafe journey, but it has no critical error"))
    # 83.33% is short of this story's pass mark of 90%, so the promise of a pass is what fails.
    assert outcome["Said not passed"] == (True, None)
    assert outcome["Safe and passed"][1][1].endswith("expected it to pass, but it did not (83.33%, pass mark 90%)")
    assert outcome["Stricter pass mark"][0] is False


RENAMED = """
walkthroughs:
  - name: Renamed in the ward
    choices: [give_fluids, check_tmp, quiz_time]
    ending: home
  - name: Named from another scene
    choices: [quiz_tim]
    ending: home
  - name: Written wrong
    choices: [give_fluids, check_temp: {outcome: 3}]
    ending: hme
  - name: Still fine
    choices: [give_fluids, check_temp: {outcome: 1}, quiz_time, crab_quiz: [calcium, renal], best_quiz: cultures]
    ending: home
"""


def test_a_walkthrough_naming_a_missing_choice_fails_the_test_and_the_story_still_plays(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "clinic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + RENAMED, encoding="utf-8")
    story = load_story(path)  # loads: a walkthrough is a test of the story, not part of it
    assert story.model.walkthroughs
    # validate says so as warnings; the suggestion for a step comes only from the scene it is due in
    # ('quiz_tim' is close to 'quiz_time', a choice of another scene, so nothing is suggested there).
    assert {(p.severity, p.line, p.message) for p in story.warnings if "walkthrough" not in p.message} >= {
        ("warning", line_of(path, "check_tmp"), "unknown choice or question 'check_tmp'; did you mean 'check_temp'?"),
        ("warning", line_of(path, "[quiz_tim]"), "unknown choice or question 'quiz_tim'"),
        ("warning", line_of(path, "{outcome: 3}"),
         "choice 'check_temp' has 2 chance outcomes; outcome 3 does not exist"),
        ("warning", line_of(path, "ending: hme"), "unknown scene 'hme'; did you mean 'home'?"),
    }
    outcome = {r.name: (r.passed, r.failure and (r.failure.line, r.failure.message)) for r in run_story(story)}
    assert outcome["Renamed in the ward"] == (False, (line_of(path, "check_tmp"), (
        "walkthrough 'Renamed in the ward': step 2 ('check_tmp'): 'check_tmp' is not a choice in scene 'ward', "
        "where the journey is now; open there: check_temp; greyed out: quiz_time; did you mean 'check_temp'?")))
    assert outcome["Named from another scene"] == (False, (line_of(path, "[quiz_tim]"), (
        "walkthrough 'Named from another scene': step 1 ('quiz_tim'): 'quiz_tim' is not a choice in scene "
        "'arrival', where the journey is now; open there: wait, give_fluids")))
    # Written wrong: the step is reported before the ending, as playing would meet it first.
    assert outcome["Written wrong"] == (False, (line_of(path, "{outcome: 3}"), (
        "walkthrough 'Written wrong': choice 'check_temp' has 2 chance outcomes; outcome 3 does not exist")))
    assert outcome["Still fine"] == (True, None)
    result = run_cli("test", path)
    assert result.returncode == 1
    assert f"{path}::Renamed in the ward FAILED" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].strip("= ").startswith("3 failed, 1 passed in ")
    validated = run_cli("validate", path)
    assert validated.returncode == 0 and " 0 errors" in validated.stdout + validated.stderr
