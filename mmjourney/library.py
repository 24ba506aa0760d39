"""The stories a player can choose from: bundled ones and their own, each checked.

A story that fails validation is still listed, with its first error, so an educator
sees why it cannot be played instead of wondering where it went.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import bundled_stories_dir
from .story import LoadedStory, Problem, StoryError, load_story, story_files
from .story.loader import is_fragment
from .story.text_safety import visible
from .story.yaml_source import YamlSourceError, parse_yaml, read_text


@dataclass(frozen=True)
class StoryEntry:
    path: Path
    source: str  # "bundled" or "yours"
    story: LoadedStory | None
    problem: Problem | None = None

    @property
    def title(self) -> str:
        # A loaded story's title is already free of control characters; a file name may hold them.
        return self.story.model.title if self.story else visible(self.path.name)

    @property
    def playable(self) -> bool:
        return self.story is not None


def _entry(path: Path, source: str) -> StoryEntry | None:
    try:
        text, _ = read_text(path, str(path))
        if is_fragment(parse_yaml(text, str(path))):
            return None  # fragments are parts of stories, not stories
    except YamlSourceError:
        pass  # load_story reports it properly below
    try:
        return StoryEntry(path, source, load_story(path))
    except StoryError as error:
        return StoryEntry(path, source, None, error.errors[0] if error.errors else error.problems[0])


def scan(user_dir: Path | None = None, bundled_dir: Path | None = None) -> list[StoryEntry]:
    """Bundled stories first (tutorial first), then the user's, each sorted by file name."""
    entries = []
    for folder, source in ((bundled_dir or bundled_stories_dir(), "bundled"), (user_dir, "yours")):
        if folder is None or not folder.is_dir():
            continue
        for path in story_files(folder):
            entry = _entry(path, source)
            if entry is not None:
                entries.append(entry)
    return sorted(entries, key=lambda e: (e.source != "bundled", not e.path.name.startswith("tutorial"), e.path.name))
