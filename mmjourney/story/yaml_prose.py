"""YAML layout mistakes in clinical prose, named where they are made and in an educator's words.

Educators write prose into one-line YAML values, and the YAML parser answers their commonest slips in
its own terms, often lines away from the cause: an unclosed quote is noticed at the next quote mark in the
file, a missing '- ' as a repeated field, curly quotes from a word processor as a stray ':', Markdown
bold at the start of a value as an "alias". `explain` looks at the source around the parser's complaint
and, when it recognises the slip, says what it is and where it starts. `prose_warnings` covers slips
YAML accepts silently: a ' #' that cuts a label short, a version number that loses its last zero.

Everything here runs only when a problem is already being reported, or on the few files whose text
looks like such a slip (cheap searches decide), so a clean story loads as fast as before.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, cast

import yaml

from .problems import Problem

try:  # the same parser as yaml_source, so marks and events agree
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

Where = tuple[int, int, str]  # 1-based line and column, and the message

# The start of a line up to its value: indentation, any '- ' list markers, then 'key: ' if there is one.
# The key is matched lazily, so it ends at the first ': ' (a ': ' later on the line is the mistake).
_LINE_HEAD = re.compile(
    r"""[ \t]*(?:-[ \t]+)*(?:(?:[^\s#'"“‘”’\-?:,\[\]{}&*!|>%@`][^\n]*?|"[^"\n]*"|'[^'\n]*'):[ \t]+)?"""
)
_STRUCTURE = re.compile(r"""-(?:[ \t]|$)|[^\s#'"][^\n]*?:(?:[ \t]|$)""")
_CURLY = {"“": "“ and ”", "”": "“ and ”", "„": "„ and “", "‘": "‘ and ’", "’": "‘ and ’"}
_WHY = {
    "*": "YAML reads it as a reference to another part of the file",
    "&": "YAML reads it as a name given to this part of the file",
    ">": "YAML reads it as the start of a block of text on the lines below",
    "|": "YAML reads it as the start of a block of text on the lines below",
    "[": "YAML reads it as the start of a list",
    "{": "YAML reads it as the start of a group of fields",
    "%": "YAML reads it as a directive",
    "@": "YAML keeps it for future use",
    "`": "YAML keeps it for future use",
}
_QUOTE_IT = "put the whole text in quotes"

# The list a mapping is an item of, as an author names one item of it.
_ITEM_NOUNS = {
    "choices": "choice", "options": "option", "next": "route", "chance": "chance outcome",
    "objectives": "objective", "dynamics": "rule", "events": "event", "walkthroughs": "walkthrough",
}

# The fields learners read as text; a ' #' after their unquoted value silently ends the text.
_PROSE_FIELDS = frozenset({
    "title", "label", "text", "summary", "disclaimer", "history", "outcome", "rationale", "nursing", "prompt",
    "explanation", "phase", "citation", "disabled_reason", "note", "name", "unit", "fragment",
})
_PROSE_LISTS = frozenset({"audience", "authors", "reviewed_by"})
_PROSE_MAPPINGS = frozenset({"glossary", "references"})  # term -> text, id -> citation

# Lines that may hold text followed by ' #': a prose field, or any value of more than one word (a glossary
# entry, a citation). A flag or number with a comment after it (`on_fluids: false  # running`) does not match.
_COMMENT_AFTER_TEXT = re.compile(
    r"[ \t]*(?:-[ \t]+)*(?:(?:" + "|".join(sorted(_PROSE_FIELDS)) + r"):[ \t]+[^\s#'\"|>]"
    r"|[^\s#][^\n#]*?:[ \t]+[^\s#'\"|>\[{][^\n#]*?[ \t]+[^\s#])[^\n#]*[ \t]#"
)
# A value that starts with '&name': YAML takes the word as an anchor and drops it from the text.
_ANCHORED_VALUE = re.compile(r"[ \t]*(?:-[ \t]+)*(?:[^\s#][^\n]*?:[ \t]+)?&[^\s]")


def _any_line(text: str, markers: tuple[str, ...], pattern: re.Pattern) -> bool:
    """Whether a line holding one of `markers` matches `pattern` from its start.

    Only the few lines with a marker are tried: a pattern tried at every line start of a large story
    costs more than parsing it.
    """
    for marker in markers:
        found = text.find(marker)
        while found != -1:
            end = text.find("\n", found)
            end = len(text) if end == -1 else end
            if pattern.match(text, text.rfind("\n", 0, found) + 1, end):
                return True
            found = text.find(marker, end)
    return False


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _value_column(line: str) -> int:
    """Where the value of a `key: value` or `- value` line starts (0-based)."""
    return cast(re.Match, _LINE_HEAD.match(line)).end()  # never None: the pattern can match nothing


def _clip(text: str, size: int = 30) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def _quoted(text: str) -> str:
    """`text` shown in the message between the quote marks it does not contain."""
    return f"'{text}'" if "'" not in text else f'"{text}"'


def leading_character(line: str, column: int) -> str | None:
    """The message for a one-line value that starts, at `column`, with a character YAML reserves."""
    if _value_column(line) != column or column >= len(line):
        return None
    found = line[column]
    if found not in _WHY and found != "!":
        return None
    rest = line[column:]
    if rest.startswith("**"):
        return (f"'**' (Markdown bold) cannot start a value here: YAML reads '*' as a reference to another part "
                f"of the file; {_QUOTE_IT}")
    if found == "!":
        # Prose such as '!Important: ring back' is a word after the '!' and more words after it; a standard
        # ('!!str'), spelt-out ('!<...>') or named ('!e!foo') tag, or one on a block or list, is YAML on purpose.
        tag = rest.split()[0]
        if "!" in tag[1:] or tag.startswith("!<") or not re.match(r"[ \t]+[^\s>|\[{#]", rest[len(tag):]):
            return None
        return (f"'!' cannot start a value here: YAML reads {_quoted(tag)} as a type tag, and tags are not "
                f"allowed in story files; {_QUOTE_IT}")
    return f"'{found}' cannot start a value here: {_WHY[found]}; {_QUOTE_IT}"


def explain(error: yaml.YAMLError, text: str) -> Where | None:
    """The cause of a YAML error in an author's words, where it is; None when it is none of the slips known here."""
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    if mark is None:
        return None
    lines = text.splitlines()
    if problem == "found unexpected end of stream" and context.endswith("quoted scalar") and context_mark:
        quote = _line(lines, context_mark.line)[context_mark.column:context_mark.column + 1] or '"'
        return (context_mark.line + 1, context_mark.column + 1,
                f"this {quote} opens a text in quotes that is never closed; put the closing {quote} where the "
                "text ends")
    if isinstance(error, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
        found = _quote_slip(text, lines, mark)
        if found:
            return found
    found = _leading_slip(error, lines, problem, context, mark, context_mark)
    if found:
        return found
    if problem == "did not find expected key":
        found = _first_item_without_dash(lines, mark)
        if found:
            return found
    if problem.startswith("mapping values are not allowed"):
        line = _line(lines, mark.line)
        column = _value_column(line)
        if column < mark.column and line[column] in _CURLY:
            return (mark.line + 1, column + 1,
                    f"{_CURLY[line[column]]} are curly quotes (as a word processor types them), not YAML quotes, "
                    "so the ': ' in this text is read as a new field; put the text in straight quotes \"…\"")
    return None


def _leading_slip(error, lines, problem: str, context: str, mark, context_mark) -> Where | None:
    """A one-line value starting with a character YAML reads as syntax: '*', '&', '>', '[', '!' ..."""
    at = None
    if problem.startswith("found undefined alias") or problem == "found character that cannot start any token":
        at = mark.line, mark.column
    elif context in ("while scanning an alias", "while scanning an anchor", "while scanning a tag") and \
            context_mark is not None:
        at = context_mark.line, context_mark.column
    elif context == "while scanning a block scalar" and problem == "did not find expected comment or line break" \
            and context_mark is not None and context_mark.line == mark.line:
        at = context_mark.line, context_mark.column  # '> 24 hours': text on the line of the '>'; not a later tab
    elif problem.startswith("could not determine a constructor for the tag"):
        at = mark.line, mark.column
    elif isinstance(error, yaml.parser.ParserError):
        column = _value_column(_line(lines, mark.line))
        closed = _closing_bracket(_line(lines, mark.line), column)
        # '[Saturday] You ring back.': words after the list, on the line where YAML stumbles over them.
        words_after = closed is not None and re.match(r"[ \t]+\w", _line(lines, mark.line)[closed + 1:])
        if words_after and closed < mark.column:
            at = mark.line, column
    if at is None:
        return None
    message = leading_character(_line(lines, at[0]), at[1])
    return (at[0] + 1, at[1] + 1, message) if message else None


def _first_item_without_dash(lines: list[str], mark) -> Where | None:
    """The first item of a list written without its '- ', which YAML notices only at the second item's '- '.

        choices:
            id: ask           <- the fields of the first choice, with no '- '
            label: Ask ...
          - id: wait          <- YAML stops here
    """
    dash = mark.column
    if not _line(lines, mark.line)[dash:].startswith("- "):
        return None
    first = None
    for number in range(mark.line - 1, -1, -1):
        line = _line(lines, number)
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent > dash or (indent == dash and not stripped.startswith("-")):  # inside the item, even its lists
            first = number
            continue
        parent = re.fullmatch(r"(?:-[ \t]+)*([^\s#'\"][^:#]*):[ \t]*(?:#.*)?", stripped)
        if first is None or indent > dash or not parent:
            return None
        noun = _ITEM_NOUNS.get(parent.group(1), "item")
        column = len(_line(lines, first)) - len(_line(lines, first).lstrip(" "))
        return (first + 1, column + 1,
                f"this {noun} has no '- ' in front, but the next one has: did you forget '- ' before this {noun}?")
    return None


def _closing_bracket(line: str, column: int) -> int | None:
    """Where the '[' or '{' at `column` is closed on the same line (quotes ignored: this is a guess)."""
    if column >= len(line) or line[column] not in "[{":
        return None
    depth = 0
    for index in range(column, len(line)):
        if line[index] in "[{":
            depth += 1
        elif line[index] in "]}":
            depth -= 1
            if not depth:
                return index
    return None


def _quote_slip(text: str, lines: list[str], mark) -> Where | None:
    """A quote that runs on past its line, or a quote mark inside the quotes that ends the text early."""
    last: Any = None  # a quoted scalar token; its marks are always set
    try:
        for token in yaml.scan(text, Loader=_Base):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                last = token
    except yaml.YAMLError:
        pass  # the tokens before the error are all there is
    if last is None:
        return None
    start, end = last.start_mark, last.end_mark
    quote = last.style
    if start.line < end.line:
        opening = _line(lines, start.line)
        if _value_column(opening) != start.column:
            return None  # a quoted key, or a quote inside a bracketed list: not the text of a field
        # A quote left open runs on to the next quote mark in the file: over the fields below it (lines at
        # its own indentation or less), or at least up to the line where YAML stumbles just after it.
        key_column = len(opening) - len(opening.lstrip(" -\t"))
        swallowed = end.line == mark.line
        for number in range(start.line + 1, end.line + 1):
            line = _line(lines, number)
            stripped = line.lstrip(" \t")
            swallowed = swallowed or bool(
                stripped and len(line) - len(stripped) <= key_column and _STRUCTURE.match(stripped))
        if not swallowed:
            return None
        return (start.line + 1, start.column + 1,
                f"this {quote} opens a text in quotes that is not closed on its line, so YAML reads on to "
                f"line {end.line + 1} as part of the same text; put the closing {quote} where the text ends")
    line = _line(lines, end.line)
    after = line[end.column:]
    if end.line != mark.line or not after.strip() or after.lstrip()[0] in ":#,]}":
        return None
    closing = end.column  # the closing quote, 1-based
    word_after = cast(re.Match, re.match(r"\w*", after)).group()  # never None, as above
    if quote == "'" and word_after and line[end.column - 2:end.column - 1].isalpha():
        word = cast(re.Match, re.search(r"\w*$", line[:end.column - 1])).group() + "'" + word_after
        return (end.line + 1, closing,
                f"the apostrophe in \"{word}\" ends the text in single quotes; inside single quotes write it "
                f"twice ({word.replace(chr(39), chr(39) * 2)}), or put the whole text in double quotes")
    if quote == '"' and word_after:
        return (end.line + 1, closing,
                f"this \" ends the text in double quotes, before '{_clip(word_after)}'; inside double quotes "
                "write \\\" for a quote mark, or put the whole text in single quotes")
    return (end.line + 1, closing,
            f"the text in quotes ends at this {quote}, but the line goes on after it; {_QUOTE_IT}")


def schema_hint(message: str, text: str, line: int | None, column: int | None) -> str:
    """`message` about a value of the wrong shape, with the layout slip in the source that made it, if any.

    `text: [Saturday]` is a list to YAML; two ids on lines of their own whose second lost its '- ' are
    one value, 'start_fluids give_diuretic', to YAML. Seen only in the source, so added here.
    """
    if line is None or column is None:
        return message
    written = _line(text.splitlines(), line - 1)[column - 1:]
    if message.startswith("expected text, found") and written[:1] in ("[", "{"):
        return f"{message} (text that starts with '{written[0]}' needs quotes)"
    joined = re.match(r"'([^'\s]+) ([^'\s]+)[^']*' is not a valid id", message)
    if joined and written.strip() == joined.group(1):  # the value goes on, on the next line
        return f"{message}; did you forget '- ' before '{joined.group(2)}'?"
    return message


def _value_events(text: str) -> Iterator[tuple[tuple, Any]]:
    """Every value in the document with its path of keys and indexes, in file order (keys are not values).

    The events are typed Any: PyYAML's stubs make every mark optional, and the parser always sets them.
    (An isinstance() test narrows an event back to its stub type, so callers read its marks before one.)
    """
    frames: list[list] = []  # [path, current key or index, whether a key comes next (None in a list)]
    skip = 0  # inside a key that is a list or mapping itself: nothing there is addressable
    for event in yaml.parse(text, Loader=_Base):
        if skip:
            skip += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if not skip:
                frames[-1][2] = False
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
            _next(frames)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        if frames and frames[-1][2]:
            if isinstance(event, yaml.CollectionStartEvent):
                skip = 1
            else:
                frames[-1][1], frames[-1][2] = getattr(event, "value", None), False
            continue
        path = frames[-1][0] + (frames[-1][1],) if frames else ()
        yield path, event
        if isinstance(event, yaml.CollectionStartEvent):
            mapping = isinstance(event, yaml.MappingStartEvent)
            frames.append([path, None if mapping else 0, True if mapping else None])
        else:
            _next(frames)


def _next(frames: list[list]) -> None:
    if frames:
        if frames[-1][2] is None:
            frames[-1][1] += 1
        else:
            frames[-1][2] = True


def item_noun(text: str, mapping_start: int) -> str | None:
    """What one item of the list holding the mapping that starts at `mapping_start` is called, if it is in one."""
    # Only asked once the whole file has parsed (YAML builds values after reading every event), so this
    # second parse cannot fail.
    for path, event in _value_events(text):
        start = event.start_mark  # read before isinstance(): see _value_events
        if isinstance(event, yaml.MappingStartEvent) and start.index == mapping_start:
            if not path or not isinstance(path[-1], int) or event.flow_style:  # '- {id: a, id: b}' has its '- '
                return None
            return _ITEM_NOUNS.get(path[-2], "item") if len(path) > 1 else "item"
    return None


def starts_new_item(keys: list, repeated_at: int) -> bool:
    """Whether the key at `repeated_at`, seen before in the same mapping, starts an item of its own.

    A list item whose '- ' is missing merges into the item above: its first field repeats that item's
    first field (`id`), or several of its fields repeat. One repeated field alone is a plain duplicate.
    """
    before = set(keys[:repeated_at])
    again = {key for key in keys[repeated_at:] if key in before}
    return keys[repeated_at] == keys[0] or len(again) > 1


def _is_prose(path: tuple) -> bool:
    if not path:
        return False
    last = path[-1]
    if isinstance(last, int):
        return len(path) > 1 and path[-2] in _PROSE_LISTS
    return last in _PROSE_FIELDS or (len(path) == 2 and path[0] in _PROSE_MAPPINGS)


def prose_warnings(text: str, data: object, display: str) -> list[Problem]:
    """Slips YAML accepts without a word: text cut at ' #', a word taken as an anchor, a version losing a zero."""
    warnings = _version_warning(text, data, display)
    comments = _any_line(text, (" #", "\t#"), _COMMENT_AFTER_TEXT)
    anchors = _any_line(text, ("&",), _ANCHORED_VALUE)
    if not (comments or anchors):
        return warnings
    lines = text.splitlines()
    for path, event in _value_events(text):  # the file has parsed already, so this parse cannot fail
        start, end = event.start_mark, event.end_mark
        if not isinstance(event, yaml.ScalarEvent) or not _is_prose(path):
            continue
        if anchors and event.anchor is not None:
            warnings.append(Problem(display, start.line + 1, start.column + 1,
                                    f"'&{event.anchor}' is read as a YAML anchor (a name for this value), so "
                                    f"learners never see it; {_QUOTE_IT}", "warning"))
        if comments and event.style in (None, ""):  # plain text: '' from libyaml, None from PyYAML's own parser
            after = _line(lines, end.line)[end.column:]
            cut = re.match(r"[ \t]+#", after)
            if cut:
                comment = after[cut.end() - 1:].rstrip()
                warnings.append(Problem(
                    display, end.line + 1, end.column + cut.end(),
                    f"the text ends before ' {_clip(comment)}': ' #' starts a comment in YAML, so learners "
                    f"never see it; {_QUOTE_IT}, or move the comment to a line of its own", "warning"))
    return warnings


def _version_warning(text: str, data: object, display: str) -> list[Problem]:
    """`version: 1.10` is the number 1.1 to YAML, and the story would be version '1.1' everywhere."""
    if not isinstance(data, dict):
        return []
    value = data.get("version")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return []
    for path, event in _value_events(text):
        start = event.start_mark
        if path == ("version",) and isinstance(event, yaml.ScalarEvent):
            written = event.value
            if written == str(value):
                return []
            return [Problem(display, start.line + 1, start.column + 1,
                            f"version {written} is read as the number {value}, so the story would be version "
                            f"'{value}'; put it in quotes to keep it as written: version: \"{written}\"", "warning")]
    return []
