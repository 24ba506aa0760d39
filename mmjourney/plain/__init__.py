"""A line-by-line player on stdin/stdout, for screen readers, scripts and pipes.

    printf '1\\n3\\n' | mmjourney play --plain story.yaml
    mmjourney play --plain          # continue a journey, or choose a story by number

Modules: `player` (the journey: scenes, decisions, feedback, commands), `shelf` (continue or
choose a story), `debrief`, `markdown` (story Markdown as plain lines), `words` (signs and
places said in words), `commands` (what can be typed at any prompt), `glossary`.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..journey import Journey, Preview, Workspace
from ..story import LoadedStory
from .player import PlainPlayer
from .shelf import Shelf

__all__ = ["PlainPlayer", "play_from_shelf", "play_plain"]


def play_plain(story: LoadedStory, seed: int | None = None, mode: str = "practice",
               stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, workspace: Workspace | None = None,
               preview: Preview | None = None) -> int:
    """Play `story` from its beginning, or from where an author's `preview` starts (`play --from`)."""
    journey = (Journey.start(story, seed, mode, workspace) if preview is None
               else Journey.previewing(story, preview, seed, mode, workspace))
    return PlainPlayer(journey, stdin, stdout).run()


def play_from_shelf(workspace: Workspace, seed: int | None = None, mode: str = "practice",
                    stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Offer the unfinished journeys to continue, then the stories to start, and play the one chosen."""
    return Shelf(workspace, stdin, stdout).play(seed, mode)
