"""`mmjourney check` warns, at the line and column to change, about texts the game at 80x24 does not show whole."""

from __future__ import annotations

from pathlib import Path

from mmjourney.tools.check import check_file

from .conftest import line_of, run_cli

STORY = Path(__file__).parents[1] / "tui" / "fixtures" / "learner-view.yaml"
CODES = ("option-too-long", "stat-label-too-long", "numbered-list", "too-many-options")


def test_each_learner_view_warning_is_located_and_explained():
    found = [f for f in check_file(STORY, max_seconds=30).findings if f.code in CODES]
    line = lambda needle: line_of(STORY, needle)  # noqa: E731
    assert {(f.severity, f.code, f.line, f.column, f.message) for f in found} == {
        ("warning", "stat-label-too-long", line("Creatinine (estimated) today"), 16,
         "the label of stat 'creatinine' is 28 characters, and the game's patient chart is 27 wide (from 80 to 129 "
         "columns): the label wraps onto a second line and pushes the chart's last line out of view, so a value or "
         "a normal range below it is not shown (with many stats, the label is cut short instead). Shorten it to 27 "
         "characters; the scene's text can say more."),
        ("warning", "numbered-list", line("1. Check her calcium"), 7,
         "scene 'ward' has a numbered list in its text ('1. Check her calcium'), and its choices are numbered too: "
         "learners take the list's numbers for the keys that pick an option. Write the list with '- ' bullets "
         "instead."),
        ("warning", "too-many-options", line("    choices:"), 5,
         "scene 'ward' has 10 choices; the number keys reach 9, so in the game option 10 and later have no number "
         "and are reached only with the arrow keys. Keep to 9, or split the decision over two scenes."),
        ("warning", "option-too-long", line("ENDSPILL"), 9,
         "choice 'spills' is too long for the game's list of choices at 80x24: with its category it takes 11 lines "
         "of 39 characters there, and the list shows 10, so learners never see all of it at once. Shorten it (put "
         "the detail in the feedback or the scene's text)."),
        ("warning", "option-too-long", line("ENDOVER"), 23,
         "option 'over8' of question 'today' is too long for the game at 80x24: it takes 8 lines of 35 characters "
         "there, and the list of options shows 7, so learners never see all of it at once. Shorten it (put the "
         "detail in the feedback or the scene's text), or the prompt."),
    }


def test_a_long_prompt_leaves_less_room_for_the_options(tmp_path):
    long_prompt = ("Which of these findings need action today rather than at the next routine review, given "
                   "everything you know about her history, her tablets, her son and her night on the ward so far?")
    path = tmp_path / "story.yaml"
    path.write_text(STORY.read_text(encoding="utf-8").replace("prompt: Which of these apply today?",
                                                                 f"prompt: {long_prompt}"), encoding="utf-8")
    messages = [f.message for f in check_file(path, max_seconds=30).findings if f.code == "option-too-long"]
    assert ("option 'fit7' of question 'today' is too long for the game at 80x24: it takes 7 lines of 35 characters "
            "there, and the list of options shows 5 (the prompt above it takes 5 of the decision area's 11 lines), so "
            "learners never see all of it at once. Shorten it (put the detail in the feedback or the scene's text), "
            "or the prompt.") in messages
    huge = tmp_path / "huge.yaml"
    huge.write_text(path.read_text(encoding="utf-8").replace(long_prompt, " ".join([long_prompt] * 3)),
                    encoding="utf-8")
    (finding,) = [f for f in check_file(huge, max_seconds=30).findings if f.code == "option-too-long"
                  and "prompt" in f.message and "no room" in f.message]
    assert finding.line == line_of(huge, "prompt: Which") and finding.message.startswith(
        "the prompt of question 'today' takes 13 lines of the game's decision area at 80x24, which has 11: no room "
        "is left to show its options.")


def test_the_command_prints_them_as_warnings():
    result = run_cli("check", STORY, "--max-seconds", "30")
    assert f"{STORY}:{line_of(STORY, '1. Check her calcium')}:7: warning: scene 'ward' has a numbered list" \
        in result.stdout
    assert result.returncode == 0  # warnings only
