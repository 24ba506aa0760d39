"""`mmjourney play FILE --from SCENE` (or 'WALKTHROUGH:STEP') as an author runs it: output piped, so the plain
player plays the preview."""

from __future__ import annotations

import os
import subprocess
import sys

from mmjourney.journey import Journey, ResumeProblem, Workspace

from .conftest import REPO

PREVIEW = "tests/items/preview.yaml"


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "mmjourney", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)


def test_a_preview_starts_at_the_scene_says_so_and_keeps_nothing(tmp_path):
    result = run("play", "--plain", "--seed", "0", PREVIEW, "--from", "ward", stdin="1\n\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ("Preview from scene 'ward': the 1 decision on the way there was made for you. A preview is not saved "
            "or recorded: it adds no attempt to your records.") in out
    assert out.index("Preview from scene 'ward'") < out.index("On the ward.")
    assert "Pat arrives" not in out and "What first?" not in out  # the way there is not read out
    assert "Your journey is saved" not in out
    assert isinstance(Journey.resume(Workspace.from_environment()), ResumeProblem)  # nothing to Continue
    assert not Workspace.from_environment().records_path.exists()


def test_from_a_walkthrough_step():
    result = run("play", "--plain", PREVIEW, "--from", "Lab call:2", stdin="")
    assert result.returncode == 0, result.stderr
    assert "Preview from walkthrough 'Lab call' after step 2: the 2 decisions on the way there were made for you." \
        in result.stdout and "On the ward." in result.stdout


def test_a_misspelt_scene_gets_a_did_you_mean_and_an_unreachable_one_is_named():
    result = run("play", PREVIEW, "--from", "wrd")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"{PREVIEW}: error: --from: the story has no scene 'wrd'; did you mean 'ward'?\n"
    result = run("play", PREVIEW, "--from", "icu")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{PREVIEW}: error: --from: scene 'icu' cannot be reached: no journey from the "
                                    "start leads there")
    result = run("play", PREVIEW, "--from", "Expert path:7")
    assert result.returncode == 2
    assert result.stderr == f"{PREVIEW}: error: --from: walkthrough 'Expert path' has 2 steps, not 7\n"


def test_from_needs_a_story_file_that_loads(tmp_path):
    result = run("play", "--from", "ward")
    assert result.returncode == 2 and "--from needs a story file" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text((REPO / PREVIEW).read_text(encoding="utf-8").replace("goto: review", "goto: reveiw"),
                      encoding="utf-8")
    result = run("play", str(broken), "--from", "ward")
    assert result.returncode == 1
    assert "error: goto: unknown scene 'reveiw'; did you mean 'review'?" in result.stderr
    assert result.stderr.endswith("mmjourney play --from needs a story without errors: fix them and try again\n")
