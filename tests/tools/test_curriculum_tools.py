"""The bundled curriculum passes `mmjourney check` and `mmjourney test`, run as CI runs them."""

from __future__ import annotations

import re

import pytest

from mmjourney.story import load_story
from mmjourney.story.loader import is_fragment
from mmjourney.story.yaml_source import parse_yaml

from .conftest import STORIES, run_cli

BUNDLED = sorted(p for p in STORIES.glob("*.yaml") if not is_fragment(parse_yaml(p.read_text(encoding="utf-8"),
                                                                                    p.name)))


def test_check_passes_on_the_bundled_stories():
    # A test of the stories, not of speed (benchmarks/ time the explorer): no time limit to trip on a busy machine.
    result = run_cli("check", "stories", "--max-seconds", "900", timeout=1200)
    assert result.returncode == 0, result.stdout
    summary = result.stdout.splitlines()[-1]
    assert re.match(rf"{len(BUNDLED)} stories checked: 0 errors, 0 warnings; ", summary), result.stdout
    for path in BUNDLED:
        covered = next(line for line in result.stdout.splitlines() if line.startswith(f"stories/{path.name}: "))
        for what, hit, total in re.findall(r"(\w+) (\d+)/(\d+)", covered.split("covered: ")[1]):
            assert hit == total, f"{path.name}: {what} {hit}/{total}"


def test_the_walkthroughs_pass_on_the_bundled_stories():
    result = run_cli("test", "stories")
    assert result.returncode == 0, result.stdout
    assert "FAILED" not in result.stdout and "SKIPPED" not in result.stdout
    walks = sum(len(load_story(path).model.walkthroughs) for path in BUNDLED)
    assert re.search(rf"=+ {walks} passed in [\d.]+s =+$", result.stdout.strip()), result.stdout


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_each_story_walks_the_expert_path_and_a_critical_error(path):
    story = load_story(path)
    model = story.model
    walks = model.walkthroughs
    good = [w for w in walks if model.scenes[w.ending].ending.kind == "good" and w.score == (100, 100)]
    assert good, "no expert walkthrough to a good ending with full marks"
    critical = {c.id for s in model.scenes.values() for c in s.choices or () if c.critical}
    worse = [w for w in walks if model.scenes[w.ending].ending.kind != "good"
             and any(step.id in critical for step in w.choices)]
    assert worse, "no walkthrough with a critical error and a worse ending"
