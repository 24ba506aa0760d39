"""Load a story file (and the fragments it includes) into a checked, ready-to-run story."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, ValidationError

from .checks import Finding, check_story
from .expressions import Compiled, State
from .model import MERGED_LISTS, MERGED_MAPPINGS, Fragment, Story
from .problems import Problem, StoryError
from .schema_errors import describe_all
from .text_safety import controls_in, has_controls, strip_controls
from .yaml_prose import prose_warnings, schema_hint
from .yaml_source import Locator, YamlSourceError, parse_yaml, read_text

MAX_INCLUDES = 32
# One text of a story (a scene, a feedback, a label) in characters: about ten printed pages.
# The players wrap and lay out every text they show, which takes seconds for a text of millions.
MAX_TEXT_CHARS = 20_000
STORY_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadedStory:
    """A story that passed every check, with its expressions compiled for the engine."""

    model: Story = field(repr=False)
    path: Path
    content_hash: str
    conditions: dict[str, Compiled] = field(repr=False)
    effects: dict[str, Callable[[State], None]] = field(repr=False)
    # Scenes reachable without an event; entering one ends an event's detour.
    main_scenes: frozenset[str] = field(repr=False)
    # The history that conditions, once-only choices and once-only entries can see (exploration keys on it).
    watched_scenes: frozenset[str] = field(repr=False)
    watched_choices: frozenset[str] = field(repr=False)
    watched_questions: frozenset[str] = field(repr=False)
    # The questions whose answer changes the story: the options that matter, and whether being right does.
    answer_matters: dict[str, tuple[frozenset[str], bool]] = field(repr=False)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.model.id


@dataclass
class _Source:
    """One file's text, and where things are in it (worked out only when needed)."""

    display: str
    text: str
    raw: bytes
    notes: list[Problem] = field(default_factory=list)  # warnings about the file's own text
    _locator: Locator | None = None

    def problem(self, path: tuple, message: str, *, at_key=False, offset=None, severity="error") -> Problem:
        if self._locator is None:
            self._locator = Locator(self.text)
        if offset is None:
            line, column = self._locator.locate(path, at_key)
        else:
            line, column = self._locator.locate_in_scalar(path, offset)
        return Problem(self.display, line, column, message, severity)


def _read(path: Path, display: str) -> tuple[_Source, object]:
    try:
        text, raw = read_text(path, display)
        source, data = _Source(display, text, raw), parse_yaml(text, display)
    except YamlSourceError as error:
        raise StoryError([error.problem]) from None
    source.notes.extend(prose_warnings(text, data, display))
    # A short file with no backslash (YAML's escapes) and no control written in it has nothing to screen.
    if len(text) > MAX_TEXT_CHARS or "\\" in text or has_controls(text):
        data = _screen(data, (), source)
        if any(note.severity == "error" for note in source.notes):
            raise StoryError(source.notes)
    return source, data


def _screen(data: object, path: tuple, source: _Source) -> object:
    """`data` with terminal controls removed from every text (noting each), and over-long texts refused.

    Done once, on the plain data YAML gave, so nothing downstream (the game, exports, the
    tools) ever holds such a character; changed in place, as the data is ours alone.
    """
    if isinstance(data, str):
        return _screen_text(data, path, source, at_key=False)
    if isinstance(data, list):
        for index, item in enumerate(data):
            data[index] = _screen(item, path + (index,), source)
        return data
    if isinstance(data, dict):
        if not any(isinstance(key, str) and has_controls(key) for key in data):
            for key, value in data.items():
                data[key] = _screen(value, path + (key,), source)
            return data
        screened: dict = {}
        for key, value in data.items():
            clean = _screen_text(key, path + (key,), source, at_key=True) if isinstance(key, str) else key
            if clean in screened:
                source.notes.append(source.problem(path + (key,), f"'{clean}' appears twice in the same mapping "
                                                                  "once its control characters are removed",
                                                   at_key=True))
                continue
            screened[clean] = _screen(value, path + (key,), source)
        return screened
    return data


def _screen_text(text: str, path: tuple, source: _Source, at_key: bool) -> str:
    if len(text) > MAX_TEXT_CHARS:
        source.notes.append(source.problem(
            path, f"this text is {len(text):,} characters long; a text is limited to {MAX_TEXT_CHARS:,} "
                  "characters: split it over several scenes", at_key=at_key))
    if not has_controls(text):
        return text
    source.notes.append(source.problem(
        path, f"control characters removed from this text: {', '.join(controls_in(text))}; a terminal would "
              "obey them (retitle the window, change the clipboard), so retype that part of the text",
        at_key=at_key, severity="warning"))
    return strip_controls(text)


def _validate(model: type[BaseModel], source: _Source, data: object):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [source.problem(i.path, i.message, at_key=i.at_key) for i in describe_all(error, model)]
        raise StoryError([*source.notes, *(replace(p, message=schema_hint(p.message, source.text, p.line, p.column))
                                           for p in problems)]) from None


def is_fragment(data: object) -> bool:
    return isinstance(data, dict) and "fragment" in data


def _include_path(story_dir: Path, name: str) -> tuple[Path | None, str]:
    """The include's real path, or None and the reason it cannot be used."""
    try:
        if Path(name).is_absolute():
            return None, f"'{name}' is an absolute path; includes are written relative to the story's folder"
        target = (story_dir / name).resolve()
        if not target.is_relative_to(story_dir):
            return None, (
                f"'{name}' is outside this story's folder; includes must be files in the same folder or below it"
            )
        if not target.is_file():
            return None, f"included file '{name}' does not exist"
        return target, ""
    except (OSError, ValueError, RuntimeError) as error:  # NUL bytes, names too long, symlink loops
        return None, f"'{name[:80]}' cannot be used as an include ({type(error).__name__}: {str(error)[:80]})"


def _load_fragments(story: Story, main: _Source, path: Path) -> list[tuple[str, _Source, Fragment]]:
    story_dir = path.resolve().parent
    main_display_dir = Path(main.display).parent
    loaded, problems, seen = [], [], set()
    if len(story.includes) > MAX_INCLUDES:
        raise StoryError([main.problem(("includes",), f"at most {MAX_INCLUDES} includes are allowed")])
    for i, name in enumerate(story.includes):
        where = ("includes", i)
        target, reason = _include_path(story_dir, name)
        if target is None:
            problems.append(main.problem(where, reason))
            continue
        if target.suffix.lower() not in STORY_SUFFIXES:
            problems.append(main.problem(where, f"'{name}' is not a .yaml file"))
            continue
        if target == path.resolve() or target in seen:
            problems.append(main.problem(where, f"'{name}' is included twice (or is this file itself)"))
            continue
        seen.add(target)
        try:
            source, data = _read(target, str(main_display_dir / name))
            if isinstance(data, dict) and "includes" in data:
                raise StoryError([source.problem(("includes",), "a fragment cannot include other files; list "
                                                                "every fragment in the story itself", at_key=True)])
            if not is_fragment(data):
                raise StoryError([source.problem((), "an included file must be a fragment: start it with a "
                                                     "'fragment:' line saying what it holds")])
            loaded.append((name, source, _validate(Fragment, source, data)))
        except StoryError as error:
            problems.extend(error.problems)
    if problems:
        raise StoryError(problems)
    return loaded


def _merge(story: Story, main: _Source, fragments) -> tuple[Story, dict[tuple, tuple[_Source, tuple]], list[Problem]]:
    """Fold fragments into the story; remember which file each merged part came from."""
    origins: dict[tuple, tuple[_Source, tuple]] = {}
    problems: list[Problem] = []
    update: dict[str, object] = {}
    for kind in MERGED_MAPPINGS:
        mapping = dict(getattr(story, kind))
        for _, source, fragment in fragments:
            for key, value in getattr(fragment, kind).items():
                if key in mapping:
                    first = origins.get((kind, key), (main,))[0].display
                    problems.append(source.problem((kind, key), f"'{key}' is already defined in {first}",
                                                   at_key=True))
                    continue
                mapping[key] = value
                origins[(kind, key)] = (source, (kind, key))
        update[kind] = mapping
    for kind in MERGED_LISTS:
        items = list(getattr(story, kind))
        for _, source, fragment in fragments:
            for index, value in enumerate(getattr(fragment, kind)):
                origins[(kind, len(items))] = (source, (kind, index))
                items.append(value)
        update[kind] = items
    return story.model_copy(update=update), origins, problems


def _finding_problem(finding: Finding, main: _Source, origins) -> Problem:
    source, path = main, finding.path
    origin = origins.get(finding.path[:2])
    if origin is not None:
        source, prefix = origin
        path = prefix + finding.path[2:]
    return source.problem(path, finding.message, at_key=finding.at_key, offset=finding.offset,
                          severity=finding.severity)


def load_story(path: str | Path, display: str | None = None) -> LoadedStory:
    """Load and check a story file; raises StoryError listing every problem found."""
    path = Path(path)
    main, data = _read(path, display or str(path))
    if is_fragment(data):
        raise StoryError([main.problem((), "this is a fragment, not a story: stories list it under includes, "
                                           "and it cannot be played on its own")])
    return _build(path, main, data)


def validate_file(path: str | Path, display: str | None = None) -> list[Problem]:
    """Every problem in one file, story or fragment; warnings only when it loads."""
    path = Path(path)
    try:
        main, data = _read(path, display or str(path))
        if is_fragment(data):
            _validate(Fragment, main, data)  # the stories that include it check the rest
            return main.notes
        return _build(path, main, data).warnings
    except StoryError as error:
        return error.problems


def _build(path: Path, main: _Source, data: object) -> LoadedStory:
    story = _validate(Story, main, data)
    fragments = _load_fragments(story, main, path)
    story, origins, problems = _merge(story, main, fragments)
    problems = main.notes + [note for _, source, _ in fragments for note in source.notes] + problems
    result = check_story(story)
    problems += [_finding_problem(f, main, origins) for f in result.findings]
    if any(p.severity == "error" for p in problems):
        raise StoryError(problems)
    digest = hashlib.sha256(main.raw)
    for name, source, _ in fragments:
        digest.update(b"\0" + name.encode() + b"\0" + source.raw)
    return LoadedStory(
        model=story,
        path=path,
        content_hash=digest.hexdigest(),
        conditions=result.conditions,
        effects=result.effects,
        main_scenes=result.main_scenes,
        watched_scenes=result.watched_scenes,
        watched_choices=result.watched_choices,
        watched_questions=result.watched_questions,
        answer_matters=result.answer_matters,
        warnings=sorted(problems, key=lambda p: (p.file, p.line or 0)),
    )


def story_files(root: Path) -> list[Path]:
    """The YAML files under a folder, in a stable order; anything else given is a file to read.

    A FIFO or a device named on the command line is returned too, so that reading it says
    "not a regular file" instead of the file being silently skipped.
    """
    if not root.is_dir():
        return [root] if root.exists() else []
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in STORY_SUFFIXES and p.is_file())
