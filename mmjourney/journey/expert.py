"""The expert path: the story played by taking the best-rated open choice and the right
answers at every step, the yardstick of the debrief, the tests and the author tools."""

from __future__ import annotations

from ..engine import Action, ActionError, Session
from ..story import LoadedStory
from .prompt import Ended, prompt_of

MAX_EXPERT_STEPS = 500


def expert_path(story: LoadedStory, seed: int = 0, after=()) -> Session:
    """Play `story` as the expert would; `after` is a journey so far to continue from
    ("what would the expert do from here?")."""
    session = Session(story, seed, "practice")
    session.replay(after)
    for _ in range(MAX_EXPERT_STEPS):
        prompt = prompt_of(session)
        if isinstance(prompt, Ended):
            break
        action: Action | None = prompt.expert()
        if action is None:
            raise ActionError(f"the expert path is stuck in scene '{session.scene_id}': no choice is open")
        session.apply(action)
    return session
