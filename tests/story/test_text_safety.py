"""Terminal control characters in story files: removed from the text at load, named in a warning.

A terminal obeys ESC sequences (retitle the window, set the clipboard, clear the screen), C1
controls and bidi overrides; a story file can hold them through YAML's escapes ("\\e", "\\x9b",
"\\u202e"). The loader removes them once, so the game, the exports and the tools never see them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mmjourney.story import Problem, StoryError, load_story, validate_file
from mmjourney.story.loader import MAX_TEXT_CHARS
from mmjourney.story.text_safety import control_name, controls_in, strip_controls, visible
from mmjourney.tools.new import starter_story

OSC_TITLE = "\x1b]0;PWNED\x1b\\"
OSC_CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLmludmFsaWQgfCBzaA==\x07"


def test_strip_controls_keeps_line_breaks_tabs_and_every_ordinary_character():
    text = "Ca²⁺ 2.9 mmol/L\n\tZoë — 李明 مرحبا \u200b\u00a0end"
    assert strip_controls(text) == text
    assert strip_controls(f"a{OSC_TITLE}b\x9b2Jc\u202ed\u2066e\x7f\r") == "a]0;PWNED\\b2Jcde"


def test_visible_writes_every_control_as_an_escape_on_one_line():
    assert visible(f"b{OSC_TITLE}.yaml") == "b\\x1b]0;PWNED\\x1b\\.yaml"
    assert visible("a\nb\tc\x9b\u202e") == "a\\x0ab\\x09c\\x9b\\u202e"
    assert visible(visible("x\x1by")) == visible("x\x1by")
    assert visible("Zoë 李明") == "Zoë 李明"


def test_controls_are_named_as_an_educator_can_look_them_up():
    assert control_name("\x1b") == "ESC (U+001B)"
    assert control_name("\x00") == "NUL (U+0000)"
    assert control_name("\x7f") == "DEL (U+007F)"
    assert control_name("\x9b") == "CSI (U+009B)"
    assert control_name("\u202e") == "RLO (U+202E)"
    assert control_name("\u2069") == "PDI (U+2069)"
    assert controls_in(f"{OSC_CLIPBOARD}{OSC_TITLE}") == ["ESC (U+001B)", "BEL (U+0007)"]


def test_a_problem_never_carries_a_control_character():
    problem = Problem("b\x1b[2J.yaml", 3, 4, "YAML cannot read the value '2026-02-30 \x1b]0;X\x07'")
    assert problem.file == "b\\x1b[2J.yaml"
    assert "\x1b" not in str(problem) and "\x07" not in str(problem)
    assert str(problem) == "b\\x1b[2J.yaml:3:4: error: YAML cannot read the value '2026-02-30 \\x1b]0;X\\x07'"


def hostile(tmp_path: Path) -> Path:
    """The starter story with terminal controls written (as YAML escapes) into its texts."""
    text = starter_story("Hostile")
    text = text.replace('title: "Hostile"', 'title: "Hostile \\e]0;PWNED\\e\\\\ story"')
    text = text.replace("  name: Sam Patel", '  name: "Sam \\x9b2J Patel"')
    text = text.replace("    text: The doctor asks what you think matters most today.",
                        '    text: "The doctor asks \\u202ewhat you think\\u202c matters most today."')
    text = text.replace("  - name: Expert path", '  - name: "Expert \\e]52;c;eA==\\a path"')
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_loader_removes_controls_from_every_text_and_says_where(tmp_path):
    path = hostile(tmp_path)
    story = load_story(path)
    model = story.model
    assert model.title == "Hostile ]0;PWNED\\ story"
    assert model.patient.name == "Sam 2J Patel"
    assert "\u202e" not in model.scenes["priority"].full_text
    assert model.walkthroughs[0].name == "Expert ]52;c;eA== path"
    warnings = {(p.line, p.message.split(";")[0]) for p in story.warnings if "control" in p.message}
    assert warnings == {
        (line_of(path, "title: \"Hostile"), "control characters removed from this text: ESC (U+001B)"),
        (line_of(path, "Sam \\x9b"), "control characters removed from this text: CSI (U+009B)"),
        (line_of(path, "\\u202ewhat"), "control characters removed from this text: RLO (U+202E), PDF (U+202C)"),
        (line_of(path, "name: \"Expert"), "control characters removed from this text: ESC (U+001B), BEL (U+0007)"),
    }
    title = next(p for p in story.warnings if "control" in p.message and p.line == line_of(path, "title: \""))
    assert (title.file, title.column, title.severity) == (str(path), 8, "warning")


def test_validate_lists_the_warnings_and_fragments_are_screened_too(tmp_path):
    (tmp_path / "parts.yaml").write_text(
        'fragment: shared\nglossary:\n  "Fever\\e[5m": "A temperature \\e[2Jof 38 °C or more"\n', encoding="utf-8")
    path = hostile(tmp_path)
    path.write_text(path.read_text().replace("\nobjectives:", "\nincludes: [parts.yaml]\nobjectives:", 1))
    problems = validate_file(path)
    assert not [p for p in problems if p.severity == "error"]
    fragment = [p for p in problems if p.file == str(tmp_path / "parts.yaml")]
    assert [(p.line, p.column) for p in fragment] == [(3, 3), (3, 17)]
    assert load_story(path).model.glossary["Fever[5m"] == "A temperature [2Jof 38 °C or more"
    # The fragment validated on its own says the same.
    assert [(p.line, p.column) for p in validate_file(tmp_path / "parts.yaml")] == [(3, 3), (3, 17)]


def test_keys_that_become_equal_once_screened_are_refused(tmp_path):
    (tmp_path / "parts.yaml").write_text('fragment: shared\nglossary:\n  "Fever": a\n  "Fever\\e": b\n',
                                         encoding="utf-8")
    (problem,) = [p for p in validate_file(tmp_path / "parts.yaml") if p.severity == "error"]
    assert (problem.line, problem.message) == (
        4, "'Fever' appears twice in the same mapping once its control characters are removed")


def test_a_story_that_fails_to_load_still_names_its_controls(tmp_path):
    path = hostile(tmp_path)
    path.write_text(path.read_text().replace("minutes: 5", "minutes: lots"))
    with pytest.raises(StoryError) as refused:
        load_story(path)
    assert any("control characters removed" in p.message for p in refused.value.problems)
    assert all("\x1b" not in str(p) for p in refused.value.problems)


def test_a_text_longer_than_the_limit_is_refused_where_it_is(tmp_path):
    path = hostile(tmp_path)
    long = "word " * (MAX_TEXT_CHARS // 5 + 1)
    path.write_text(path.read_text().replace("summary: >-", f"summary: {long}\nx_summary: >-"))
    with pytest.raises(StoryError) as refused:
        load_story(path)
    (error,) = refused.value.errors
    assert (error.line, error.column) == (line_of(path, "summary: word"), 10)
    assert error.message.startswith(f"this text is {len(long.strip()):,} characters long; a text is limited to "
                                    f"{MAX_TEXT_CHARS:,} characters")


def test_the_starter_story_of_a_title_with_controls_is_valid(tmp_path):
    path = tmp_path / "new.yaml"
    path.write_text(starter_story(f"{OSC_TITLE} Fever\u202e at home\x9b", "b\x1b[2J.yaml"), encoding="utf-8")
    assert "\x1b" not in path.read_text() and "\u202e" not in path.read_text()
    assert validate_file(path) == []
    assert load_story(path).model.title == "]0;PWNED\\ Fever at home"
