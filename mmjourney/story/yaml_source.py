"""Reading untrusted YAML safely, and finding where things are in it.

Loading is the fast path: libyaml's safe parser builds plain dicts and lists with no
line numbers, because most files are fine. Only when something must be reported does
`Locator` parse the text again into nodes, which carry line and column.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from .problems import Problem
from .yaml_prose import explain, item_noun, leading_character, starts_new_item

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 200  # stories nest about ten levels; libyaml's parser recurses on the C stack
MAX_ITEMS = 1_000_000  # roughly twice the values of a 5,000-scene story
MAX_INT_DIGITS = 18

try:  # libyaml's C parser when PyYAML was built with it, else the pure-Python one (same API, slower)
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Base  # type: ignore[assignment]  # one base class either way


class YamlSourceError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: Path, display: str) -> tuple[str, bytes]:
    """Read a file as UTF-8 text within the size limit; returns (text, raw bytes)."""
    try:
        # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer;
        # then only a regular file is read (a FIFO would block, /dev/zero would never end).
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(handle, "rb") as file:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                what = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe or device"
                raise YamlSourceError(Problem(display, None, None,
                                              f"this is {what}, not a regular file; give the path of a story file"))
            if info.st_size > MAX_FILE_BYTES:
                raise YamlSourceError(Problem(
                    display, None, None,
                    f"file is {info.st_size / 1e6:.1f} MB; story files are limited to {MAX_FILE_BYTES // 2**20} MB",
                ))
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise YamlSourceError(Problem(display, None, None, f"cannot read the file: {error.strerror}")) from None
    if len(raw) > MAX_FILE_BYTES:  # grew while we looked, or a device that reports no size
        raise YamlSourceError(Problem(display, None, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MB"))
    if b"\0" in raw:
        index = raw.index(b"\0")
        line = raw.count(b"\n", 0, index) + 1
        raise YamlSourceError(Problem(
            display, line, None, "this looks like a binary file, not a YAML story (it contains NUL bytes)"
        ))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlSourceError(Problem(
            display, line, column,
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as UTF-8 in your editor",
        )) from None
    return text, raw


class _RepeatedKey(yaml.constructor.ConstructorError):
    """A field named twice in one mapping; `new_item` when the second looks like the start of a list item."""

    def __init__(self, key: object, key_mark, mapping_mark, new_item: bool) -> None:
        super().__init__(None, None,
                         f"'{key}' appears twice in the same mapping; the second would silently replace the first",
                         key_mark)
        self.key, self.key_mark, self.mapping_mark, self.new_item = key, key_mark, mapping_mark, new_item


class _StoryLoader(_Base):
    """libyaml's safe loader, except that a repeated key is an error instead of a silent overwrite."""

    def construct_mapping(self, node, deep=False):
        # Mirrors yaml's SafeConstructor.construct_mapping with one check added; keeping it
        # inline rather than wrapping it costs nothing on the fast path.
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain name or number, not a list or mapping", key_node.start_mark
                ) from None
            if repeated:
                keys = [k.value if isinstance(k, yaml.ScalarNode) else None for k, _ in node.value]
                position = next(i for i, (k, _) in enumerate(node.value) if k is key_node)
                raise _RepeatedKey(key, key_node.start_mark, node.start_mark, starts_new_item(keys, position))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node):
        # Python refuses to print integers of thousands of digits; no story needs more than 18.
        if len(node.value.lstrip("+-0").replace("_", "")) > MAX_INT_DIGITS + 2:
            raise yaml.constructor.ConstructorError(None, None, "this number is far too large", node.start_mark)
        return super().construct_yaml_int(node)


_StoryLoader.add_constructor("tag:yaml.org,2002:int", _StoryLoader.construct_yaml_int)


_HINTS = {
    "found character '\\t' that cannot start any token": "tabs cannot indent YAML; use spaces",
    "found a tab character that violates indentation": "tabs cannot indent YAML; use spaces",
    "mapping values are not allowed here": (
        "a ':' where YAML did not expect one; put text containing ': ' in quotes, or check the indentation"
    ),
    "mapping values are not allowed in this context": (
        "a ':' where YAML did not expect one; put text containing ': ' in quotes, or check the indentation"
    ),
    "but found another document": "a story file holds one document; remove the extra '---' line",
}


def _source_line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if index < len(lines) else ""


def _yaml_problem(error: yaml.YAMLError, text: str, display: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        line, column = _line_col(text, error.position)
        return Problem(display, line, column, f"character #x{error.character:04x} is not allowed in YAML text")
    if isinstance(error, _RepeatedKey) and error.new_item:
        noun = item_noun(text, error.mapping_mark.index)
        if noun:
            return Problem(display, error.key_mark.line + 1, error.key_mark.column + 1,
                           f"'{error.key}' appears twice in one {noun}; did you forget '- ' before this {noun}?")
    explained = explain(error, text)
    if explained:
        return Problem(display, *explained)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    message = _HINTS.get(problem, problem)
    context = getattr(error, "context", None)
    if context and problem not in _HINTS:
        message = f"{message} ({context})"
    if problem.startswith("could not determine a constructor for the tag"):
        message = f"YAML tags such as {problem.split('tag ')[-1]} are not allowed in story files"
    elif isinstance(error, (yaml.scanner.ScannerError, yaml.parser.ParserError, yaml.composer.ComposerError)):
        message = f"YAML syntax: {message}"
    if mark is None:
        return Problem(display, None, None, message)
    if problem == "found character that cannot start any token":
        source_line = _source_line(text, mark.line)
        found = source_line[mark.column] if mark.column < len(source_line) else ""
        message = _HINTS["found a tab character that violates indentation"] if found == "\t" else (
            f"'{found}' cannot start a value here; put the text in quotes" if found else message)
    return Problem(display, mark.line + 1, mark.column + 1, message)


def _reject_aliases(text: str, display: str) -> None:
    # An alias can make a few lines expand into billions of items ("billion laughs"), and
    # stories do not need them: shared parts go in included fragments instead.
    anchors = set()
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark  # the parser always sets it
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
            # '*Saturday' with no '&Saturday' before it is text starting with '*', not an attempt at an alias.
            prose = None if event.anchor in anchors or mark is None else leading_character(
                _source_line(text, mark.line), mark.column)
            raise YamlSourceError(Problem(
                display, line, column,
                prose or "YAML aliases (*name) are not allowed in story files; write the part out, or put shared "
                         "parts in a fragment file and list it under includes",
            ))
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            anchors.add(event.anchor)


_LINE_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_BRACKET = re.compile(r"[\[\]{}]")


def _check_shape(text: str, display: str) -> None:
    """Refuse absurd shapes before libyaml sees them: cheap text scans, no parsing.

    Deep nesting overflows libyaml's C stack (a crash no Python code can catch) and slows
    its flow parser quadratically; millions of tiny values take minutes and gigabytes.
    """
    if text.count(",") + text.count("\n") > MAX_ITEMS:
        raise YamlSourceError(Problem(display, None, None,
                                      f"the file holds more than {MAX_ITEMS:,} values; a story is far smaller"))
    # Block nesting needs indentation or a '- ', '? ' or ': ' on the same line for each level.
    block = max(map(len, _LINE_PREFIX.findall(text)), default=0)
    depth = 0
    for match in _BRACKET.finditer(text) if ("[" in text or "{" in text) else ():
        if match.group() in "[{":
            depth += 1
            if depth + block > MAX_DEPTH:
                line, column = _line_col(text, match.start())
                raise YamlSourceError(Problem(display, line, column,
                                              f"the YAML is nested more than {MAX_DEPTH} levels deep"))
        elif depth:
            depth -= 1
    if block > MAX_DEPTH:
        match = next(m for m in _LINE_PREFIX.finditer(text) if len(m.group()) == block)
        line, _ = _line_col(text, match.start())
        raise YamlSourceError(Problem(display, line, 1, f"the YAML is nested more than {MAX_DEPTH} levels deep"))


def _unconvertible(text: str, display: str, error: Exception) -> Problem:
    """Find the value that YAML could read but not convert (a 30 February, '!!int ten')."""
    try:
        root = yaml.compose(text, Loader=_Base)
        constructor = _StoryLoader("")
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                try:
                    constructor.construct_object(node, deep=True)
                except Exception:  # noqa: BLE001 - any failure here is the one we are looking for
                    mark = node.start_mark
                    return Problem(display, mark.line + 1, mark.column + 1,
                                   f"YAML cannot read the value '{node.value[:40]}' ({node.tag.split(':')[-1]})")
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))
            elif isinstance(node, yaml.MappingNode):
                stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
    except (yaml.YAMLError, RecursionError):
        pass
    return Problem(display, None, None, f"YAML cannot read a value in this file ({error})")


def parse_yaml(text: str, display: str) -> object:
    """Parse one YAML document safely into plain Python data."""
    _check_shape(text, display)
    try:
        # Without an '&' there can be no anchor, so no alias: skip the extra scan.
        if "&" in text:
            _reject_aliases(text, display)
        loader = _StoryLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except YamlSourceError:
        raise
    except yaml.YAMLError as error:
        raise YamlSourceError(_yaml_problem(error, text, display)) from None
    except RecursionError:
        raise YamlSourceError(Problem(display, None, None, "the YAML is nested too deeply")) from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError) as error:
        # PyYAML's converters raise plain Python errors for values such as 2026-02-30.
        raise YamlSourceError(_unconvertible(text, display, error)) from None


def _same(step, element) -> bool:
    return step == element if isinstance(element, int) else str(step) == element


class Locator:
    """Finds the line and column of a path like ('scenes', 'intro', 'choices', 0, 'goto').

    It reads libyaml's event stream and stops as soon as the path is found, so an error
    near the top of a large file is located without walking the rest of it.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def _find(self, target: tuple, at_key: bool):
        """The event at `target` (or its key's event), else the deepest existing part of the path."""
        def on_path(path: tuple) -> bool:
            return len(path) <= len(target) and all(_same(t, p) for t, p in zip(target, path, strict=False))

        frames: list[list] = []  # [is_mapping, path, key or index, expecting a key]
        best = None
        skip = 0  # inside a mapping key that is itself a list or mapping: not addressable
        try:
            for event in yaml.parse(self.text, Loader=_Base):
                if skip:
                    if isinstance(event, yaml.CollectionStartEvent):
                        skip += 1
                    elif isinstance(event, yaml.CollectionEndEvent):
                        skip -= 1
                        if not skip:
                            frames[-1][3] = False
                    continue
                if isinstance(event, yaml.CollectionEndEvent):
                    path = frames.pop()[1]
                    if len(path) < len(target) and on_path(path):
                        return best  # the rest of the path is not in the file
                    self._advance(frames)
                    continue
                if not isinstance(event, yaml.NodeEvent):
                    continue
                if frames and frames[-1][0] and frames[-1][3]:  # a mapping key
                    if isinstance(event, yaml.CollectionStartEvent):
                        skip = 1
                        continue
                    frames[-1][2] = getattr(event, "value", None)
                    frames[-1][3] = False
                    if at_key and len(frames[-1][1]) + 1 == len(target) and on_path(frames[-1][1] + (frames[-1][2],)):
                        return event
                    continue
                path = frames[-1][1] + (frames[-1][2],) if frames else ()
                if on_path(path):
                    best = event
                    if len(path) == len(target):
                        return event
                if isinstance(event, yaml.CollectionStartEvent):
                    mapping = isinstance(event, yaml.MappingStartEvent)
                    frames.append([mapping, path, None if mapping else 0, mapping])
                else:
                    self._advance(frames)
        except (yaml.YAMLError, RecursionError):
            pass
        return best

    @staticmethod
    def _advance(frames: list[list]) -> None:
        if frames:
            if frames[-1][0]:
                frames[-1][3] = True
            else:
                frames[-1][2] += 1

    def locate(self, path: tuple, at_key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at `path`, or of its key when `at_key`.

        When the path leads somewhere that does not exist (a missing field), this gives
        the deepest part that does, which is where the author has to add it.
        """
        event = self._find(tuple(path), at_key)
        if event is None:
            return None, None
        return event.start_mark.line + 1, event.start_mark.column + 1

    def locate_in_scalar(self, path: tuple, offset: int) -> tuple[int | None, int | None]:
        """Where character `offset` of a one-line scalar's text is; else where the scalar starts."""
        event = self._find(tuple(path), False)
        if event is None:
            return None, None
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, yaml.ScalarEvent) and event.style not in ("|", ">") and (
            event.start_mark is not None and event.end_mark is not None
            and event.start_mark.line == event.end_mark.line
        ):
            column += offset + (1 if event.style in ("'", '"') else 0)
        return line, column

    def locate_text_line(self, path: tuple, index: int) -> tuple[int | None, int | None]:
        """Where line `index` (from 0) of a literal block (`|`) text starts in the file; else where the text
        starts: only a literal block keeps the lines of the file as the lines of its text."""
        event = self._find(tuple(path), False)
        if event is None:
            return None, None
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if not (isinstance(event, yaml.ScalarEvent) and event.style == "|"):
            return line, column
        source = self.text.splitlines()
        # The text's lines follow the `|` line one for one; a line of it sits at the block's indentation.
        number = line + 1 + index
        if number > len(source):
            return line, column
        written = event.value.split("\n")[index].strip()
        found = source[number - 1].find(written) if written else -1
        return number, found + 1 if found >= 0 else column

