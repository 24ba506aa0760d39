"""Text the game did not write, made safe for the terminal before any widget shows it.

Story files are cleaned when they load, but records and result files made earlier, learner
names, file paths and error messages are not: an ESC in any of them would reach the terminal
(retitle the window, set the clipboard, clear the screen), and a bidi control would reorder
what is shown (finding F5). Neither Rich nor Textual removes them.

* `shown(text)`: one-line things that must be exact (names, titles, paths): each control as
  an escape such as `\\x1b` (`story.text_safety.visible`).
* `shown_lines(text)`: messages of several lines: the same, line by line.
* `clean_record(record)`: a stored attempt with the controls taken out of every text in it, as
  the story loader does for story text (`story.text_safety.strip_controls`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from ..story.text_safety import strip_controls, visible

T = TypeVar("T")


def shown(text: object) -> str:
    return visible(str(text))


def shown_lines(text: object) -> str:
    return "\n".join(visible(line) for line in str(text).split("\n"))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def clean_record(record: T) -> T:
    """`record` (an AttemptRecord, or any dataclass) with the controls removed from all its text."""
    return _clean(record)
