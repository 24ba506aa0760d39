"""The complete example in docs/authoring.md is a story that loads and plays: educators copy it."""

from __future__ import annotations

import re

from mmjourney.engine import debrief
from mmjourney.journey import expert_path
from mmjourney.story import load_story, validate_file

from ..conftest import REPO

GUIDE = REPO / "docs" / "authoring.md"


def complete_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [b for b in blocks if b.startswith("# yaml-language-server") and "\nscenes:" in b and "\nid:" in b]


def test_the_guide_has_a_complete_example():
    assert len(complete_examples()) >= 1


def test_the_complete_example_validates_and_plays(tmp_path):
    for number, text in enumerate(complete_examples()):
        path = tmp_path / f"example{number}.yaml"
        path.write_text(text, encoding="utf-8")
        assert [str(p) for p in validate_file(path) if p.severity == "error"] == []
        session = expert_path(load_story(path))
        assert session.ended and debrief(session).overall.percent == 100.0
