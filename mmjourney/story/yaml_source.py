"""Reading untrusted YAML safely, and finding where things are in it.

Loading is the fast path: libyaml's safe parser builds plain dicts and lists with no
line numbers, because most files are fine. Only when something must be reported does
`Locator` parse the text again into nodes, which carry line and column.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .problems import Problem

MAX_FILE_BYTES = 16 * 1024 * 1024

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise YamlSourceError(Problem(
                display, None, None,
                f"file is {size / 1e6:.1f} MB; story files are limited to {MAX_FILE_BYTES // 2**20} MB",
            ))
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
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
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"'{key}' appears twice in the same mapping; the second would silently replace the first",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


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


def _yaml_problem(error: yaml.YAMLError, text: str, display: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        line, column = _line_col(text, error.position)
        return Problem(display, line, column, f"character #x{error.character:04x} is not allowed in YAML text")
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
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        found = line[mark.column] if mark.column < len(line) else ""
        message = _HINTS["found a tab character that violates indentation"] if found == "\t" else (
            f"'{found}' cannot start a value here; put the text in quotes" if found else message)
    return Problem(display, mark.line + 1, mark.column + 1, message)


def _reject_aliases(text: str, display: str) -> None:
    # An alias can make a few lines expand into billions of items ("billion laughs"), and
    # stories do not need them: shared parts go in included fragments instead.
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise YamlSourceError(Problem(
                display, mark.line + 1, mark.column + 1,
                "YAML aliases (*name) are not allowed in story files; write the part out, or put shared "
                "parts in a fragment file and list it under includes",
            ))


def parse_yaml(text: str, display: str) -> object:
    """Parse one YAML document safely into plain Python data."""
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


class Locator:
    """Finds the line and column of a path like ('scenes', 'intro', 'choices', 0, 'goto')."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: yaml.Node | None = None

    def _tree(self) -> yaml.Node | None:
        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=_Base)
            except (yaml.YAMLError, RecursionError):
                return None
        return self._root

    def _walk(self, path: tuple, at_key: bool) -> tuple[yaml.Node | None, yaml.Mark | None]:
        """The node at `path` (None if the path leaves the file) and the mark to report."""
        node = self._tree()
        if node is None:
            return None, None
        mark = node.start_mark
        for index, step in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        mark = key_node.start_mark if (last and at_key) else value_node.start_mark
                        node = value_node
                        break
                else:
                    return None, mark
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                mark = node.start_mark
            else:
                return None, mark
        return node, mark

    def locate(self, path: tuple, at_key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at `path`, or of its key when `at_key`.

        When the path leads somewhere that does not exist (a missing field), this gives
        the deepest part that does, which is where the author has to add it.
        """
        _, mark = self._walk(path, at_key)
        return (None, None) if mark is None else (mark.line + 1, mark.column + 1)

    def locate_in_scalar(self, path: tuple, offset: int) -> tuple[int | None, int | None]:
        """Where character `offset` of a one-line scalar's text is; else where the scalar starts."""
        node, mark = self._walk(path, False)
        if mark is None:
            return None, None
        line, column = mark.line + 1, mark.column + 1
        if isinstance(node, yaml.ScalarNode) and node.style not in ("|", ">") and (
            node.start_mark.line == node.end_mark.line
        ):
            column += offset + (1 if node.style in ("'", '"') else 0)
        return line, column
