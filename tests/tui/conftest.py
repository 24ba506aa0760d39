from __future__ import annotations

import io

import pytest
from rich.console import Console

from mmjourney.engine import Session
from mmjourney.journey import Ask, Fill, Read, expert_path, prompt_of
from mmjourney.story import load_story

from ..conftest import FIXTURES, REPO
from ..helpers import shown_numbers

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
    prompt = prompt_of(session)
    if isinstance(prompt, Read):
        return ["enter"]
    if isinstance(prompt, Fill):
        return fill_keys(prompt, action) + ["s"]
    keys = [str(number) for number in shown_numbers(prompt, action)]
    return keys + (["s"] if isinstance(prompt, Ask) and not prompt.single else [])


def fill_keys(prompt: Fill, action) -> list[str]:
    """The keys that answer an item in parts: each part's number (a matrix keeps the cursor's column, a
    drop-down opens at its first option), then to the option as shown and Space, for every pick."""
    keys: list[str] = []
    for number, view in enumerate(prompt.parts, 1):
        for at, option in enumerate(view.options):
            if view.part.unit(option.id) not in action.options:
                continue
            if prompt.grid:  # back to the first column, then along the row
                keys += [str(number), *["left"] * len(view.options), *["right"] * at, "space"]
            else:
                keys += [str(number), *["down"] * at, "space"]
    return keys


def expert_actions(story, seed=0):
    return expert_path(story, seed).actions


__all__ = ["FIXTURES", "TUTORIAL", "keys_for", "expert_actions", "screen_text"]
