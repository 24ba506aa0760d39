"""The 15-minute tutorial in docs/authoring.md shows real output: each step is replayed here, and so are
the prose slips of section 13.1 (made in the tutorial's story) and the quoting examples of section 5."""

from __future__ import annotations

import re
import textwrap

import pytest

from mmjourney.story.yaml_prose import prose_warnings
from mmjourney.story.yaml_source import parse_yaml
from mmjourney.tools import check as check_module

from .conftest import REPO, run_cli

GUIDE = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
TUTORIAL = GUIDE[GUIDE.index("## 12. Your first story"):GUIDE.index("## 13. Troubleshooting")]
TROUBLE = GUIDE[GUIDE.index("## 13. Troubleshooting"):]
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", TUTORIAL, re.S)
STORY = next(text for kind, text in BLOCKS if kind == "yaml" and text.startswith("# yaml-language-server"))
TIMING = re.compile(r"\d+(\.\d+)? ?s\b|per second")


def shown(output: str) -> list[str]:
    """The lines of an output that do not depend on the machine's speed."""
    return [line for line in output.splitlines() if line and not TIMING.search(line)]


def in_guide(lines: list[str]) -> None:
    for line in lines:
        assert line in TUTORIAL, f"the tutorial does not show this line:\n{line}"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "first-story.yaml").write_text(STORY, encoding="utf-8")
    return tmp_path


def edit(folder, old: str, new: str) -> None:
    path = folder / "stories" / "first-story.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_validate_steps(folder):
    result = run_cli("validate", "stories/first-story.yaml", cwd=folder)
    assert result.returncode == 0 and result.stdout.strip() in TUTORIAL
    edit(folder, "goto: first_step", "goto: first_stpe")
    result = run_cli("validate", "stories/first-story.yaml", cwd=folder)
    assert result.returncode == 1
    in_guide(shown(result.stdout))


def test_check_steps(folder):
    clean = run_cli("check", "stories/first-story.yaml", cwd=folder)
    assert clean.returncode == 0
    in_guide(shown(clean.stdout))
    condition = next(text for kind, text in BLOCKS if kind == "yaml" and text.lstrip().startswith("if: calcium"))
    edit(folder, "        category: supportive\n        effects: [on_fluids = true",
         "        category: supportive\n" + condition + "        effects: [on_fluids = true")
    broken = run_cli("check", "stories/first-story.yaml", cwd=folder)
    assert broken.returncode == 1
    in_guide(shown(broken.stdout))


def test_check_warns_when_the_best_choice_comes_first_every_time_in_a_fixed_order(folder):
    path = folder / "stories" / "first-story.yaml"
    text = path.read_text(encoding="utf-8")
    saline = text[text.index("      - id: start_saline\n"):text.index("  recovered:\n")].rstrip("\n") + "\n"
    path.write_text(text.replace(saline, "").replace("      - id: diuretic_first\n",
                                                     saline + "      - id: diuretic_first\n"), encoding="utf-8")
    # Written first but shuffled when shown: the first player only guesses, and check says nothing of it.
    shuffled = run_cli("check", "stories/first-story.yaml", cwd=folder)
    assert shuffled.returncode == 0 and "always picks" not in shuffled.stdout
    assert path.read_text(encoding="utf-8").count("    choices:\n") == 2
    edit(folder, "    choices:\n", "    order: fixed\n    choices:\n")
    edit(folder, "    text: The saline is prescribed. What do you do first?\n    choices:\n",
         "    text: The saline is prescribed. What do you do first?\n    order: fixed\n    choices:\n")
    result = run_cli("check", "stories/first-story.yaml", cwd=folder)
    assert result.returncode == 0 and "a learner who always picks the first option shown passes" in result.stdout
    in_guide(shown(result.stdout))


def test_test_steps(folder):
    walks = next(text for kind, text in BLOCKS if kind == "yaml" and text.startswith("walkthroughs:"))
    path = folder / "stories" / "first-story.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + walks, encoding="utf-8")
    passed = run_cli("test", "stories/first-story.yaml", cwd=folder)
    assert passed.returncode == 0
    in_guide(shown(passed.stdout))
    edit(folder, "choices: [send_home]", "choices: [ask_and_report, diuretic_first]")
    failed = run_cli("test", "stories/first-story.yaml", cwd=folder)
    assert failed.returncode == 1
    in_guide(shown(failed.stdout))


def test_randomtest_step(folder):
    result = run_cli("randomtest", "stories/first-story.yaml", "-n", "1000", cwd=folder)
    assert result.returncode == 0
    in_guide(shown(result.stdout))
    table = run_cli("randomtest", "stories/first-story.yaml", "-n", "100", "--strategies", "all", cwd=folder)
    assert table.returncode == 0 and len(shown(table.stdout)) == 7
    in_guide(shown(table.stdout))


def test_troubleshooting_lists_every_check_code():
    codes = re.findall(r"^  ([a-z-]+(?:, [a-z-]+)*),?$", check_module.__doc__, re.M)
    listed = {code for line in codes for code in line.split(", ")}
    assert {"dead-end", "no-way-out", "stat-pinned", "not-reviewed"} <= listed
    for code in listed:
        assert f"`{code}`" in TROUBLE, code


# The prose slips of section 13.1, each made in the tutorial story: the table shows the very line
# `validate` prints. A row whose new line drops the start of the old one (`- id:` -> `id:`) keeps the
# indentation, as deleting the `- ` in an editor and typing spaces does.
SLIPS_TABLE = TROUBLE[TROUBLE.index("The slips educators make most often"):TROUBLE.index("### 13.2")]
SLIPS = re.findall(r"^\| `([^`]+)`[^|]* \| `([^`]+)`[^|]* \| `([^`]+)` \|$", SLIPS_TABLE, re.M)


def test_the_troubleshooting_guide_shows_the_prose_slips():
    assert len(SLIPS) == 8


@pytest.mark.parametrize("old, new, printed", SLIPS, ids=[new for _, new, _ in SLIPS])
def test_each_prose_slip_prints_what_the_guide_shows(folder, old, new, printed):
    path = folder / "stories" / "first-story.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (number,) = [i for i, line in enumerate(lines) if line.strip() == old]
    start = lines[number].index(old)
    typed = " " * (len(old) - len(new)) + new if old.endswith(new) else new
    lines[number] = lines[number][:start] + typed + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = run_cli("validate", "stories/first-story.yaml", cwd=folder)
    first, summary = shown(result.stdout)
    assert first == printed
    error = ": error: " in printed
    assert summary == ("1 file checked: 1 error, 0 warnings" if error else "1 file checked: 0 errors, 1 warning")
    assert result.returncode == (1 if error else 0)


QUOTING = GUIDE[GUIDE.index("## 5. YAML in five minutes"):GUIDE.index("## 6. Every field explained")]


def test_the_quoting_examples_read_as_they_look():
    """Section 5's quoted lines: each gives exactly the text between its quotes ('' being one apostrophe),
    with no warning."""
    (block,) = re.findall(r"```yaml\n(.*?)```", QUOTING[QUOTING.index("**When to use quotes.**"):], re.S)
    lines = textwrap.dedent(block).splitlines()
    assert len(lines) == 8
    for line in lines:
        field, written = line.split(": ", 1)
        quote, inner = written[0], written[1:-1]
        assert quote in "'\"" and written[-1] == quote, line
        data = parse_yaml(line, "example")
        assert data == {field: inner.replace("''", "'") if quote == "'" else inner}, line
        assert prose_warnings(line, data, "example") == [], line


def test_the_watch_panel_and_play_from_show_what_the_guide_shows(folder):
    from mmjourney.engine import Session
    from mmjourney.journey.variables import variables_of
    from mmjourney.story import load_story
    from mmjourney.tui.watch import variables_content

    story = load_story(folder / "stories" / "first-story.yaml")
    panel = variables_content(variables_of(Session(story))).plain
    assert f"```\n{panel}\n```" in TUTORIAL
    result = run_cli("play", "stories/first-story.yaml", "--from", "first_stpe", cwd=folder)
    assert result.returncode == 2 and result.stdout == ""
    in_guide(result.stderr.splitlines())
    walks = next(text for kind, text in BLOCKS if kind == "yaml" and text.startswith("walkthroughs:"))
    path = folder / "stories" / "first-story.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + walks, encoding="utf-8")  # written by this minute
    for start in ("first_step", "Expert path:1"):  # the guide's two ways in, played on a pipe
        played = run_cli("play", "stories/first-story.yaml", "--from", start, cwd=folder)
        assert played.returncode == 0 and "Preview from " in played.stdout, played.stderr
        assert "The saline is prescribed. What do you do first?" in played.stdout
