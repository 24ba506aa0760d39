"""Untrusted text on a terminal: control characters removed from prose, shown as escapes in messages.

Story files, file names and learner names come from many hands. A terminal obeys control
characters (ESC starts sequences that retitle the window, set the clipboard or clear the
screen; C1 controls do the same in one byte) and bidi controls reorder what is shown, so
text that says one thing can display another. Neither Rich nor Textual removes them.

Two helpers, one for each kind of text:

* `strip_controls(text)` for prose that is read (story text): the controls go, line
  breaks and tabs stay, and the words read as before.
* `visible(text)` for one-line things that must be exact (file names, names, messages that
  quote a value): each control becomes an escape such as `\\x1b` or `\\u202e`, so nothing
  is hidden and nothing is obeyed. Line breaks are escaped too, so one message is one line.
"""

from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, the C1 controls, and the bidi embeddings,
# overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_PROSE_CONTROL = re.compile(f"[{_CONTROLS}]")
_LINE_CONTROL = re.compile(f"[\t\n{_CONTROLS}]")

_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_C1_NAMES = (
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGC SCI CSI ST OSC PM APC"
).split()
_BIDI_NAMES = {"\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
               "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI"}


def has_controls(text: str) -> bool:
    """Whether `strip_controls` would change `text`."""
    return _PROSE_CONTROL.search(text) is not None


def strip_controls(text: str) -> str:
    """Prose without the control characters a terminal would obey; line breaks and tabs are kept."""
    return _PROSE_CONTROL.sub("", text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """One line with every control character written as an escape: `\\x1b`, `\\x0a`, `\\u202e`.

    Applying it twice gives the same text: its output holds no control characters.
    """
    return _LINE_CONTROL.sub(_escape, text)


def control_name(char: str) -> str:
    """`ESC (U+001B)`: a control character as an educator can look it up."""
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = _C1_NAMES[code - 0x80]
    else:
        name = _BIDI_NAMES.get(char, "control")
    return f"{name} (U+{code:04X})"


def controls_in(text: str) -> list[str]:
    """The names of the different control characters in `text`, in the order they first appear."""
    return list(dict.fromkeys(control_name(m.group()) for m in _PROSE_CONTROL.finditer(text)))
