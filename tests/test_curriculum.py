"""Walkthrough tests for every bundled story: the curriculum's teaching promises, checked by play.

For each story: it validates with no problems at all; the expert path (best-rated choices,
right answers) reaches a good ending with full marks; the worst path commits a critical
error and ends worse; exploring every choice and chance outcome reaches every scene and
every ending and finds no dead end.
"""

from __future__ import annotations

import pytest

from mmjourney.engine import RATING_ORDER, Action, Session, debrief
from mmjourney.journey import Ask, Choose, expert_path
from mmjourney.story import load_story, validate_file
from mmjourney.story.loader import is_fragment
from mmjourney.story.yaml_source import parse_yaml
from mmjourney.tools.explore import explore

from .conftest import REPO
from .helpers import play_by

STORIES = sorted(
    p for p in (REPO / "stories").glob("*.yaml")
    if not is_fragment(parse_yaml(p.read_text(encoding="utf-8"), p.name))
)
TUTORIAL = "tutorial-first-shift.yaml"


@pytest.fixture(scope="module", params=STORIES, ids=lambda p: p.stem)
def story(request):
    return load_story(request.param)


def test_there_is_a_curriculum():
    assert TUTORIAL in [p.name for p in STORIES]


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_story_has_no_problems_at_all(path):
    assert [str(p) for p in validate_file(path)] == []


def test_metadata_for_teaching(story):
    model = story.model
    assert 3 <= len(model.objectives) <= 6
    assert model.reviewed_by and model.reviewed_on
    assert model.disclaimer and model.glossary and model.references
    decisions = [s for s in model.scenes.values() if s.kind in ("choices", "question")]
    assert len(decisions) >= (5 if story.path.name == TUTORIAL else 15)
    kinds = {s.question.type for s in model.scenes.values() if s.question}
    assert kinds == {"select_all", "single_best"}
    assert any(c.chance for s in model.scenes.values() for c in s.choices or ())
    assert model.dynamics and model.events
    for scene in model.scenes.values():
        for choice in scene.choices or ():
            assert choice.feedback.references, f"choice '{choice.id}' cites no reference"
            assert choice.objectives, f"choice '{choice.id}' serves no objective"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_expert_path_reaches_a_good_ending_with_full_marks(story, seed):
    session = expert_path(story, seed)
    report = debrief(session)
    assert session.ended and report.ending_kind == "good"
    assert report.overall.percent == 100.0 and not report.critical_errors


def worst(prompt: Ask | Choose) -> Action:
    """The lowest-rated open choice, a critical one first; a wrong answer (the first option if none is wrong)."""
    if isinstance(prompt, Ask):
        wrong = next((o.id for o in prompt.options if not o.correct), prompt.options[0].id)
        return Action("answer", prompt.question.id, options=(wrong,))
    choice = max((v.choice for v in prompt.open), key=lambda c: (RATING_ORDER.index(c.rating), c.critical))
    return Action("choose", choice.id)


def test_a_path_with_a_critical_error_ends_worse(story):
    session = play_by(Session(story), worst)
    report = debrief(session)
    assert report.critical_errors, "the worst path makes no critical error"
    assert session.ended and report.ending_kind != "good"


def test_every_scene_and_ending_is_reachable_and_nothing_is_stuck(story):
    result = explore(story, max_states=200_000)
    scenes = story.model.scenes
    endings = {name for name, scene in scenes.items() if scene.kind == "ending"}
    assert result.complete, "exploration ran out of budget"
    assert len(endings) >= 3
    assert set(result.scenes) == set(scenes), f"unreachable: {sorted(set(scenes) - set(result.scenes))}"
    assert set(result.endings) == endings
    assert result.dead_ends == {}
