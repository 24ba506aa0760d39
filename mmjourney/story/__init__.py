"""The story format: YAML files -> checked, located, ready-to-run stories. Never imports textual."""

from .loader import LoadedStory, load_story, story_files, validate_file
from .problems import Problem, StoryError

__all__ = ["LoadedStory", "Problem", "StoryError", "load_story", "story_files", "validate_file"]
