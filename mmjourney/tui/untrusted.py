"""Text the game did not write, made safe for the terminal before any widget shows it.

Story files and stored attempts are cleaned when they are read, but learner names, file paths,
records' summary columns and error messages are not: an ESC in any of them would reach the terminal
(retitle the window, set the clipboard, clear the screen), and a bidi control would reorder
what is shown (finding F5). Neither Rich nor Textual removes them.

* `shown(text)`: one-line things that must be exact (names, titles, paths): each control as
  an escape such as `\\x1b` (`story.text_safety.visible`).
* `shown_lines(text)`: messages of several lines: the same, line by line.

Stored attempts need nothing here: `AttemptRecord.from_json` removes the controls from every
text of a record, whether it comes from the records or from a result file.
"""

from __future__ import annotations

from ..story.text_safety import visible


def shown(text: object) -> str:
    return visible(str(text))


def shown_lines(text: object) -> str:
    return "\n".join(visible(line) for line in str(text).split("\n"))
