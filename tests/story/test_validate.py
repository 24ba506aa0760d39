"""Each class of problem the validator reports, with its location and wording."""

from __future__ import annotations

import textwrap

import pytest

from mmjourney.story import StoryError, load_story, validate_file

BASE = """\
id: mini
title: Mini
version: "1"
summary: A minimal story.
audience: [tests]
difficulty: beginner
minutes: 1
authors: [tests]
objectives:
  - id: obj
    text: Do the right thing
references:
  ref: A reference
patient: {name: Bo, age: 60}
stats:
  calcium: {label: Calcium, start: 2.5, min: 1, max: 5}
flags:
  done: false
start: one
scenes:
  one:
    phase: Start
    text: Hello.
    choices:
      - id: go
        label: Go on
        category: assessment
        rating: best
        step: take_action
        objectives: [obj]
        effects: [calcium += 0.1]
        if: calcium > 2
        feedback: {outcome: ok, rationale: fine, references: [ref]}
        goto: two
  two:
    phase: End
    text: Bye.
    ending: {title: Done, kind: good}
"""


def problems_for(tmp_path, text, name="story.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return validate_file(path, name)


def only_error(tmp_path, text):
    errors = [p for p in problems_for(tmp_path, text) if p.severity == "error"]
    assert len(errors) == 1, [str(p) for p in errors]
    return errors[0]


def test_base_story_is_clean(tmp_path):
    assert problems_for(tmp_path, BASE) == []


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    problem = only_error(tmp_path, BASE.replace("title: Mini", "title: [Mini"))
    assert problem.line is not None and problem.column is not None
    assert "YAML syntax" in problem.message


def test_tab_indentation_is_explained(tmp_path):
    problem = only_error(tmp_path, BASE.replace("    phase: Start", "\tphase: Start"))
    assert "tab" in problem.message
    assert problem.line == 22


def test_unknown_field_with_did_you_mean_points_at_the_key(tmp_path):
    problem = only_error(tmp_path, BASE.replace("        label: Go on", "        lable: Go on\n        label: Go on"))
    assert problem.message == "unknown field 'lable'; did you mean 'label'?"
    assert (problem.line, problem.column) == (26, 9)


def test_missing_field_points_at_the_mapping(tmp_path):
    problem = only_error(tmp_path, BASE.replace("        category: assessment\n", ""))
    assert problem.message == "missing required field 'category'"
    assert problem.line == 25


def test_wrong_type(tmp_path):
    problem = only_error(tmp_path, BASE.replace("minutes: 1", "minutes: ten"))
    assert "whole number" in problem.message and "ten" in problem.message
    assert problem.line == 7


def test_yes_no_read_as_boolean_is_explained(tmp_path):
    problem = only_error(tmp_path, BASE.replace("title: Mini", "title: yes"))
    assert "quotes" in problem.message and problem.line == 2


def test_bad_category_suggests_the_right_one(tmp_path):
    problem = only_error(tmp_path, BASE.replace("category: assessment", "category: asessment"))
    assert "did you mean 'assessment'?" in problem.message


def test_duplicate_scene_id(tmp_path):
    text = BASE + "  one:\n    phase: X\n    text: again\n    next: two\n"
    problem = only_error(tmp_path, text)
    assert "appears twice" in problem.message and problem.line == 39
    assert not problem.message.startswith("YAML syntax")


def test_duplicate_choice_id_across_scenes(tmp_path):
    text = BASE.replace("    ending: {title: Done, kind: good}", textwrap.indent(textwrap.dedent("""\
        choices:
          - id: go
            label: Again
            category: assessment
            rating: best
            step: take_action
            feedback: {outcome: ok, rationale: fine}
            goto: one
        """), "    "))
    problem = only_error(tmp_path, text)
    assert "already used" in problem.message and problem.line == 39


def test_dangling_goto_with_suggestion(tmp_path):
    problem = only_error(tmp_path, BASE.replace("goto: two", "goto: tow"))
    assert problem.message == "goto: unknown scene 'tow'; did you mean 'two'?"
    assert (problem.line, problem.column) == (34, 15)


def test_unknown_reference_and_objective(tmp_path):
    text = BASE.replace("references: [ref]", "references: [reff]").replace("objectives: [obj]", "objectives: [objj]")
    messages = sorted(p.message for p in problems_for(tmp_path, text) if p.severity == "error")
    assert messages == [
        "unknown objective 'objj'; did you mean 'obj'?",
        "unknown reference 'reff'; did you mean 'ref'?",
    ]


def test_unknown_name_in_expression_points_into_the_expression(tmp_path):
    problem = only_error(tmp_path, BASE.replace("if: calcium > 2", "if: calcum > 2"))
    assert problem.message == "unknown name 'calcum': declare it under stats or flags; did you mean 'calcium'?"
    assert (problem.line, problem.column) == (32, 13)


def test_expression_syntax_error(tmp_path):
    problem = only_error(tmp_path, BASE.replace("if: calcium > 2", "if: calcium > (2"))
    assert "')'" in problem.message
    assert problem.line == 32


def test_type_mismatch(tmp_path):
    problem = only_error(tmp_path, BASE.replace("if: calcium > 2", "if: calcium and done"))
    assert "true/false" in problem.message and "number" in problem.message
    problem = only_error(tmp_path, BASE.replace("calcium += 0.1", "done += 1"))
    assert "flag" in problem.message


def test_value_outside_declared_bounds(tmp_path):
    problem = only_error(tmp_path, BASE.replace("calcium += 0.1", "calcium = 9"))
    assert "outside calcium's declared range 1 to 5" in problem.message
    problem = only_error(tmp_path, BASE.replace("start: 2.5, min: 1", "start: 7, min: 1"))
    assert "start 7 is outside" in problem.message and problem.line == 16


def test_scene_with_no_way_out(tmp_path):
    problem = only_error(tmp_path, BASE.replace("    ending: {title: Done, kind: good}\n", ""))
    assert "has no way out" in problem.message and problem.line == 35


def test_scene_with_two_ways_out(tmp_path):
    problem = only_error(tmp_path, BASE.replace("    ending: {title: Done, kind: good}",
                                                "    ending: {title: Done, kind: good}\n    next: one"))
    assert "exactly one of" in problem.message


def test_reserved_word_as_stat(tmp_path):
    problem = only_error(tmp_path, BASE.replace("  done: false", "  day: false").replace("calcium and done", ""))
    assert "reserved" in problem.message


def test_resume_outside_an_event(tmp_path):
    problem = only_error(tmp_path, BASE.replace("goto: two", "goto: resume"))
    assert "resume" in problem.message


def test_include_outside_the_folder(tmp_path):
    (tmp_path / "inner").mkdir()
    (tmp_path / "outside.yaml").write_text("fragment: x\n")
    path = tmp_path / "inner" / "story.yaml"
    path.write_text(BASE + "includes: [../outside.yaml]\n")
    problems = validate_file(path, "inner/story.yaml")
    assert len(problems) == 1
    assert "outside this story's folder" in problems[0].message
    assert problems[0].file == "inner/story.yaml" and problems[0].line == 39


def test_problems_in_a_fragment_name_the_fragment(tmp_path):
    (tmp_path / "frag.yaml").write_text(
        "fragment: shared\nscenes:\n  extra:\n    phase: X\n    text: t\n    next: nowhere\n"
    )
    problems = problems_for(tmp_path, BASE + "includes: [frag.yaml]\n")
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("frag.yaml", 6, "goto: unknown scene 'nowhere'"),
    ]


def test_fragment_scene_clashing_with_story_scene(tmp_path):
    (tmp_path / "frag.yaml").write_text("fragment: shared\nscenes:\n  two:\n    phase: X\n    text: t\n    next: one\n")
    problems = problems_for(tmp_path, BASE + "includes: [frag.yaml]\n")
    assert len(problems) == 1 and "already defined in story.yaml" in problems[0].message
    assert (problems[0].file, problems[0].line) == ("frag.yaml", 3)


def test_warnings_do_not_stop_loading(tmp_path):
    text = BASE.replace("  ref: A reference", "  ref: A reference\n  unused: Never cited")
    problems = problems_for(tmp_path, text)
    assert [p.severity for p in problems] == ["warning"]
    assert "never cited" in problems[0].message


def test_load_story_raises_with_every_problem(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(BASE.replace("goto: two", "goto: tow").replace("references: [ref]", "references: [reff]"))
    with pytest.raises(StoryError) as caught:
        load_story(path)
    assert len(caught.value.errors) == 2
    assert str(caught.value.errors[0]).startswith(f"{path}:")


def test_problem_format_is_file_line_col(tmp_path):
    problem = only_error(tmp_path, BASE.replace("goto: two", "goto: tow"))
    assert str(problem) == "story.yaml:34:15: error: goto: unknown scene 'tow'; did you mean 'two'?"


def test_next_shorthand_typo_points_at_the_value(tmp_path):
    problem = only_error(tmp_path, BASE.replace("    ending: {title: Done, kind: good}", "    next: oen"))
    assert problem.message == "goto: unknown scene 'oen'; did you mean 'one'?"
    assert (problem.line, problem.column) == (38, 11)


def test_last_route_must_be_unconditional(tmp_path):
    text = BASE.replace("    ending: {title: Done, kind: good}", "    next:\n      - if: done\n        goto: one")
    problem = only_error(tmp_path, text)
    assert "last route" in problem.message and problem.line == 39
