"""Learner names in a gradebook that look like one another, or hide characters.

A result file's learner name is whatever its maker typed. "Bob", "Воb" (a Cyrillic В and о) and
"B\u200bob" (a zero-width space) are three learners to a program and one to an educator reading the
gradebook, so a forged attempt could hide beside a real one, or one learner could look like two.
The report does not merge such rows (they may really be two people); it flags them so an educator
looks twice.

`skeleton(name)` is what a name looks like: NFKC (full-width and compatibility letters become the
ordinary ones), invisible characters removed, Cyrillic and Greek letters that are drawn like Latin
ones replaced by those, a few Latin look-alikes folded together, then case ignored. It is a small,
hand-written subset of Unicode's confusables (UTS #39) covering the alphabets a class is likely to
mix; it errs towards flagging.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from ..story.text_safety import has_controls

# Drawn like a Latin letter (upper case first: case is folded only after mapping, because Cyrillic "В"
# looks like "B" while its lower case "в" does not look like "b").
_LOOK_ALIKE = str.maketrans({
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y", "Һ": "h",
    "а": "a", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "Ӏ": "l", "ү": "y", "ё": "ë", "ї": "ï",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "α": "a",
    "υ": "u", "ϲ": "c", "ϳ": "j",
    # Latin letters and digits drawn alike in many fonts
    "I": "l", "1": "l", "|": "l", "0": "O", "ı": "i", "ɑ": "a", "ɡ": "g", "ʏ": "y", "ʜ": "h",
    "\u2019": "'", "\u02bc": "'", "`": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-",
})
# Pairs of Latin letters read as one.
_LOOK_ALIKE_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
# Letters that draw as nothing (Hangul fillers, the braille blank), beside the format characters (Cf).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _INVISIBLE_LETTERS


def hidden_characters(name: str) -> bool:
    """Whether `name` holds control, bidi or invisible characters (none of which a real name needs)."""
    return has_controls(name) or any(_invisible(char) for char in name)


def reveal(name: str) -> str:
    """`name` with every control or invisible character written as an escape, so the educator sees it."""
    return "".join(f"\\u{ord(c):04x}" if _invisible(c) or has_controls(c) else c for c in name)


def skeleton(name: str) -> str:
    """What `name` looks like on the page: two names with the same skeleton are easy to mistake."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if not _invisible(char) and not has_controls(char))
    text = " ".join(text.translate(_LOOK_ALIKE).split()).casefold()
    for pair, single in _LOOK_ALIKE_PAIRS:
        text = text.replace(pair, single)
    return text


def same_name(name: str) -> str:
    """How names are told apart when they are meant to be the same (case and compatibility forms ignored)."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def look_alikes(names: list[str]) -> dict[str, list[str]]:
    """For each name, the other names that differ from it but look like it (in the order given)."""
    by_look: dict[str, dict[str, str]] = defaultdict(dict)
    for name in names:
        by_look[skeleton(name)].setdefault(same_name(name), name)
    found = {}
    for name in names:
        others = [other for key, other in by_look[skeleton(name)].items() if key != same_name(name)]
        if others:
            found[name] = others
    return found
