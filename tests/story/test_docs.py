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


def guide_example(story_id: str) -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    (found,) = [b for b in blocks if f"\nid: {story_id}\n" in b]
    return found


def test_the_worked_hub_passes_its_time_once(tmp_path):
    """Section 8's hub: the three weeks pass on the page before it, however often the learner comes back."""
    from mmjourney.engine import Session
    from mmjourney.tools.check import check_file
    from mmjourney.tools.walkthroughs import run_story

    path = tmp_path / "hub.yaml"
    path.write_text(guide_example("hub-calf-call"), encoding="utf-8")
    story = load_story(path)
    assert all(result.passed for result in run_story(story))
    assert [f.code for f in check_file(path).findings] == ["not-reviewed"]  # no hub warning, no learner-view one
    session = Session(story)
    session.proceed()  # the clinic
    session.proceed()  # "Three weeks later"
    assert (session.scene_id, session.day) == ("calf_call", 21)
    session.choose("ask_breath")
    assert (session.scene_id, session.day) == ("calf_call", 21)
    assert "She is not short of breath" in session.scene_text and "aspirin" not in session.scene_text
    session.choose("ask_aspirin")
    assert session.day == 21 and "She stopped her aspirin" in session.scene_text
    assert [view.id for view in session.choices()] == ["same_day_scan", "rest_and_wait", "gp_next_week"]
    session.choose("same_day_scan")
    assert session.ended and session.day == 21
