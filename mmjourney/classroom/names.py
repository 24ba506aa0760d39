"""Learner names in a classroom: what is accepted, and when two typed names are the same learner.

A name is untrusted text typed (or pasted) into a browser. It is shown to the educator in reports and
gradebooks, so it must not be able to look like someone else's: invisible characters, bidi controls and
letters from two alphabets that look alike (Latin "o" and Cyrillic "о") are refused with a reason
rather than cleaned up silently. Names written in any one script are welcome.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_NAME_LENGTH = 60

# Punctuation people really have in names; anything else (brackets, emoji, symbols) could be used to
# make a name look like another or like markup, and no one needs it to be told apart.
NAME_PUNCTUATION = frozenset("-'.\u2010\u2019_")
# Drawn the same as the ASCII one: folded together so "O'Brien" and "O’Brien" are one learner.
SAME_LOOKING = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-"})
# Letters that draw as nothing (Hangul fillers, the braille blank): a name made of them looks empty.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# Scripts that are written together in one name: Japanese names mix kanji and kana, Korean ones may
# use hanja. Any other mixture of two scripts in one name is refused as a possible look-alike.
WRITTEN_TOGETHER = (frozenset({"Han", "Hiragana", "Katakana"}), frozenset({"Han", "Hangul"}))
# The first word of a letter's Unicode name is its script, except for these.
SCRIPT_ALIASES = {"CJK": "Han", "IDEOGRAPHIC": "Han", "KATAKANA-HIRAGANA": "Katakana"}
NO_SCRIPT = frozenset({"MODIFIER"})  # modifier letters such as the apostrophe-like U+02BC


class NameProblem(ValueError):
    """A name that cannot be used, with the reason in the learner's words."""


@dataclass(frozen=True)
class LearnerName:
    """A checked name: `shown` is what reports show, `key` what two names are compared by."""

    shown: str
    key: str


def check_name(typed: str) -> LearnerName:
    """The name a learner typed, checked and normalised; raises NameProblem saying what to change.

    The name is NFKC-normalised (so a full-width or decomposed letter is the ordinary one) and runs of
    white space become one space. Two names are the same learner when their keys are equal: the key
    also ignores case. Accents are kept, so "Zoë", "Zoé" and "Zo" are three learners.
    """
    for char in typed:
        category = unicodedata.category(char)
        if category == "Cc":
            raise NameProblem("The name contains a control character. Please type it again by hand.")
        if category == "Cf" or char in INVISIBLE_LETTERS:
            raise NameProblem("The name contains an invisible character or a text-direction control "
                              f"({_codepoint(char)}). Please type it again by hand.")
        if category in ("Co", "Cs", "Cn"):
            raise NameProblem(f"The name contains a character that cannot be shown ({_codepoint(char)}).")
    shown = " ".join(unicodedata.normalize("NFKC", typed).split())
    if not shown:
        raise NameProblem("Please type your name or a pseudonym.")
    if len(shown) > MAX_NAME_LENGTH:
        raise NameProblem(f"Please use at most {MAX_NAME_LENGTH} characters.")
    scripts: set[str] = set()
    for char in shown:
        category = unicodedata.category(char)
        if category[0] == "L":
            script = _script(char)
            if script:
                scripts.add(script)
        elif category[0] not in "MN" and char != " " and char not in NAME_PUNCTUATION:
            raise NameProblem(f"Please use only letters, digits, spaces, hyphens, apostrophes, dots and "
                              f"underscores (not {char!r}).")
    if not any(unicodedata.category(char)[0] in "LN" for char in shown):
        raise NameProblem("Please type a name with at least one letter or digit.")
    if len(scripts) > 1 and not any(scripts <= together for together in WRITTEN_TOGETHER):
        mixed = " and ".join(sorted(scripts))
        raise NameProblem(f"The name mixes {mixed} letters, which can make it look like someone else's "
                          "name. Please write it in one alphabet.")
    key = unicodedata.normalize("NFKC", shown.casefold().translate(SAME_LOOKING))
    return LearnerName(shown, key)


def _script(letter: str) -> str | None:
    words = unicodedata.name(letter, "").split(" ")
    first = words[0]
    if first in NO_SCRIPT:
        return None
    return SCRIPT_ALIASES.get(first, first.title())


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"
