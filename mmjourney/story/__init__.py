"""The story format: YAML files -> checked, located, ready-to-run stories. Never imports textual.

Names load on first use (see mmjourney/lazy.py): the app imports `story.text_safety` at start-up
to show untrusted text safely, and that must not load the YAML loader and the model with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:  # what type checkers see; at run time the names load on first use
    from .loader import LoadedStory as LoadedStory
    from .loader import load_story as load_story
    from .loader import story_files as story_files
    from .loader import validate_file as validate_file
    from .problems import Problem as Problem
    from .problems import StoryError as StoryError

_EXPORTS = {
    "LoadedStory": "loader", "load_story": "loader", "story_files": "loader", "validate_file": "loader",
    "Problem": "problems", "StoryError": "problems",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_names(__name__, _EXPORTS, globals())
