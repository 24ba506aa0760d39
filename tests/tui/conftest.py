from __future__ import annotations

import io

import pytest
from rich.console import Console

from mmjourney.engine import Session
from mmjourney.journey import expert_path
from mmjourney.story import load_story

from ..conftest import FIXTURES, REPO

TUTORIAL = REPO / "stories" / "tutorial-first-shift.yaml"


@pytest.fixture(scope="session")
def tutorial():
    return load_story(TUTORIAL)


def screen_text(app) -> str:
    """What the terminal shows now, as plain text (the same rendering as a screenshot)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def keys_for(session: Session, action) -> list[str]:
    """The keys a player presses to perform `action` in the play screen."""
    scene = session.scene
    if action.kind == "next":
        return ["enter"]
    if action.kind == "answer":
        ids = [o.id for o in scene.question.options]
        numbers = [str(ids.index(o) + 1) for o in action.options]
        return numbers + (["s"] if scene.question.type == "select_all" else [])
    visible = [v.id for v in session.choices()]
    return [str(visible.index(action.id) + 1)]


def expert_actions(story, seed=0):
    return expert_path(story, seed).actions


__all__ = ["FIXTURES", "TUTORIAL", "keys_for", "expert_actions", "screen_text"]
