"""Where a part of a loaded story is written: file, line and column, fragments included.

A loaded story is the main file with its fragments merged in. The tools report findings
against data paths of the merged story, such as ('scenes', 'fever', 'choices', 0, 'if');
this finds the file that path came from and its line and column there, the same way the
loader reports its own problems.
"""

from __future__ import annotations

from pathlib import Path

from ..story import LoadedStory, Problem
from ..story.model import MERGED_LISTS, MERGED_MAPPINGS
from ..story.yaml_source import Locator, YamlSourceError, parse_yaml, read_text


class _File:
    def __init__(self, display: str, path: Path) -> None:
        self.display = display
        try:
            self.text, _ = read_text(path, display)
            self.data = parse_yaml(self.text, display)
        except YamlSourceError:  # changed on disk since it loaded: report without lines
            self.text, self.data = "", {}
        if not isinstance(self.data, dict):
            self.data = {}
        self._locator: Locator | None = None

    def locate(self, path: tuple, at_key: bool) -> tuple[int | None, int | None]:
        if not self.text:
            return None, None
        if self._locator is None:
            self._locator = Locator(self.text)
        return self._locator.locate(path, at_key)

    def locate_text_line(self, path: tuple, index: int) -> tuple[int | None, int | None]:
        if not self.text:
            return None, None
        if self._locator is None:
            self._locator = Locator(self.text)
        return self._locator.locate_text_line(path, index)


class SourceMap:
    """Maps data paths of a loaded story to `Problem`s with file, line and column."""

    def __init__(self, story: LoadedStory, display: str | None = None) -> None:
        self.display = display or str(story.path)
        self.main = _File(self.display, Path(story.path))
        self.origins: dict[tuple, tuple[_File, tuple]] = {}
        story_dir = Path(story.path).resolve().parent
        offsets = {kind: len(self.main.data.get(kind) or ()) for kind in MERGED_LISTS}
        for name in story.model.includes:
            fragment = _File(str(Path(self.display).parent / name), story_dir / name)
            for kind in MERGED_MAPPINGS:
                for key in fragment.data.get(kind) or {}:
                    self.origins.setdefault((kind, key), (fragment, (kind, key)))
            for kind in MERGED_LISTS:
                items = fragment.data.get(kind) or []
                for index in range(len(items)):
                    self.origins[(kind, offsets[kind] + index)] = (fragment, (kind, index))
                offsets[kind] += len(items)

    def file_of(self, path: tuple) -> str:
        origin = self.origins.get(tuple(path[:2]))
        return origin[0].display if origin else self.main.display

    def _source(self, path: tuple) -> tuple[_File, tuple]:
        """The file a part of the merged story comes from, and its path in that file."""
        origin = self.origins.get(tuple(path[:2]))
        if origin is None:
            return self.main, tuple(path)
        source, prefix = origin
        return source, prefix + tuple(path[2:])

    def where(self, path: tuple, at_key: bool = False) -> tuple[str, int | None, int | None]:
        source, local = self._source(path)
        line, column = source.locate(local, at_key) if local else (None, None)
        return source.display, line, column

    def where_text_line(self, path: tuple, index: int) -> tuple[str, int | None, int | None]:
        """Where line `index` (from 0) of the text at `path` is written."""
        source, local = self._source(path)
        line, column = source.locate_text_line(local, index)
        return source.display, line, column

    def problem(self, path: tuple, message: str, severity: str = "error", at_key: bool = False) -> Problem:
        file, line, column = self.where(path, at_key)
        return Problem(file, line, column, message, severity)
