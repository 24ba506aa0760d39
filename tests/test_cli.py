"""The `mmjourney` command as a user runs it: through a subprocess, output piped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mmjourney.engine import Action, Session
from mmjourney.journey import Fill, expert_path, prompt_of
from mmjourney.story import load_story

from .conftest import FIXTURES, REPO
from .helpers import plain_parts_answer, shown_numbers

TUTORIAL = REPO / "stories" / "tutorial-first-shift.yaml"


def run(*args, stdin="", cwd=REPO, isolated=False):
    flags = ["-I"] if isolated else []
    env = {**os.environ, "PYTHONPATH": str(REPO)} if not isolated else None
    return subprocess.run([sys.executable, *flags, "-m", "mmjourney", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_validate_bundled_stories_is_clean():
    result = run("validate", "stories")
    assert result.returncode == 0, result.stdout
    assert "0 errors" in result.stdout


def test_validate_reports_problems_as_file_line_col_without_colour(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "clinic.yaml").read_text().replace("goto: quiz\n", "goto: quizz\n"))
    result = run("validate", str(bad), "missing.yaml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{bad}:107:15: error: goto: unknown scene 'quizz'; did you mean 'quiz'?" in lines
    assert "missing.yaml: error: no such file or folder" in lines
    assert "\x1b[" not in result.stdout


def test_validate_folder_checks_fragments_too(tmp_path):
    (tmp_path / "frag.yaml").write_text("fragment: broken\nscenes: [1, 2]\n")
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    assert "frag.yaml:2:9: error: expected a mapping of fields" in result.stdout


def test_schema_out_makes_its_folder_as_the_guide_s_first_command_needs(tmp_path):
    """The authoring tutorial starts with `schema --out docs/...` in a new folder: no traceback there."""
    result = run("schema", "--out", "docs/mmjourney.schema.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "docs" / "mmjourney.schema.json").read_text())["$defs"]["Story"]


def test_schema_is_json_schema_for_stories_and_fragments():
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    story = schema["$defs"]["Story"]
    assert {"id", "title", "scenes", "start"} <= set(story["required"])
    assert story["additionalProperties"] is False
    assert "if" in schema["$defs"]["Choice"]["properties"]


def expert_keys(story, first: str | None = None) -> str:
    """The lines a player would type to follow the expert path (after choice `first`, if given)."""
    replay, lines = Session(story), []
    if first:
        replay.choose(first)
    expert = expert_path(story, after=replay.actions)
    for action in expert.actions[len(replay.actions):]:
        prompt = prompt_of(replay)
        if isinstance(prompt, Fill):  # an item in parts: '1a 2b ...', then yes when it is read back
            lines += [plain_parts_answer(prompt, action), "yes"]
        else:
            lines.append(",".join(str(number) for number in shown_numbers(prompt, action)))  # "" on a page
        replay.apply(action)
    return "\n".join(lines) + "\n"


def test_plain_player_plays_the_tutorial_to_the_debrief():
    story = load_story(TUTORIAL)
    result = run("play", "--plain", "--seed", "0", str(TUTORIAL), stdin=expert_keys(story))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert story.model.title in out and " ".join(story.model.disclaimer.split()) in out
    assert "The end:" in out and "(100%)" in out
    assert "Traceback" not in result.stderr


def test_plain_player_stops_cleanly_at_end_of_input():
    result = run("play", "--plain", str(TUTORIAL), stdin="")
    assert result.returncode == 0 and "Stopped before the end" in result.stdout


def test_installed_package_finds_its_bundled_stories(tmp_path):
    code = "from mmjourney.paths import bundled_stories_dir as d; print(d())"
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    folder = Path(out.stdout.strip())
    assert (folder / "tutorial-first-shift.yaml").is_file()
    assert (folder / "fragments" / "supportive-care.yaml").is_file()


def test_piped_play_uses_the_plain_player_and_saves_for_continue(tmp_path):
    story = load_story(TUTORIAL)
    keys = expert_keys(story).splitlines()
    result = run("play", "--seed", "0", str(TUTORIAL), stdin="\n".join(keys[:3]) + "\n")  # no --plain: stdout is a pipe
    assert result.returncode == 0 and "Stopped before the end" in result.stdout
    from mmjourney.journey import Journey, Workspace

    restored = Journey.resume(Workspace.from_environment())
    assert restored.session.story.model.id == story.model.id
    assert len(restored.session.actions) == 3


def test_plain_debrief_names_the_expert_choice_in_words():
    story = load_story(FIXTURES / "clinic.yaml")
    wait = shown_numbers(prompt_of(Session(story)), Action("choose", "wait"))[0]
    keys = f"{wait}\n" + expert_keys(story, first="wait")  # a harmful first decision, then the expert's
    result = run("play", "--plain", "--seed", "0", str(FIXTURES / "clinic.yaml"), stdin=keys)
    assert "The end:" in result.stdout
    assert "Expert's choice: Start IV fluids" in result.stdout


def test_choosing_a_story_on_a_pipe_and_running_out_of_input():
    result = run(stdin="")
    assert result.returncode == 1 and "No story chosen." in result.stdout and "Traceback" not in result.stderr
    result = run(stdin="1\n")
    assert result.returncode == 0 and "Story: Tutorial: first shift" in result.stdout


def test_serve_takes_the_class_code_from_the_environment_and_checks_its_limits(monkeypatch):
    import pytest

    from mmjourney import cli, serve

    calls = []
    monkeypatch.setattr(serve, "serve", lambda *args, **kwargs: calls.append((args, kwargs)) or 0)
    monkeypatch.setenv("MMJOURNEY_CLASS_PASSWORD", "blue heron")
    assert cli.main(["serve", "--max-learners", "12"]) == 0
    assert calls[-1][1] == {"public_url": None, "password": "blue heron", "max_learners": 12}
    assert cli.main(["serve", "--password", "given", "--memory-mb", "512"]) == 0
    assert calls[-1][1]["password"] == "given" and calls[-1][1]["memory_mb"] == 512
    for bad in (["--max-learners", "0"], ["--memory-mb", "-5"], ["--max-learners", "many"]):
        with pytest.raises(SystemExit):
            cli.main(["serve", *bad])
