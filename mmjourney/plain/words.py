"""What the plain player says in words where the full-screen player shows a sign or a place.

A listener hears "H" as a letter and "×10⁹/L" as a string of symbols; and a story written for
both players may say the chart is "beside the story", which is true only on the full screen.
"""

from __future__ import annotations

import re

from ..journey.record import Trend, TrendRow
from ..journey.text import FLAG_WORDS, flag_for, number_text, range_text
from ..story.model import Stat

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_POWER = re.compile(r"×\s*10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)")
_OUT_OF = re.compile(r"^/\s*(\d+)$")

# Unit symbols a screen reader spells out or reads as "slash": said as words, plural before "per" and
# singular after it ("millimoles per litre"). A symbol not listed is kept as written.
_AMOUNTS = {"mmol": "millimoles", "µmol": "micromoles", "umol": "micromoles", "mol": "moles", "g": "grams",
            "mg": "milligrams", "µg": "micrograms", "mcg": "micrograms", "ng": "nanograms", "mL": "millilitres",
            "L": "litres", "mmHg": "millimetres of mercury", "°C": "degrees Celsius", "%": "percent",
            "U": "units", "IU": "international units", "mEq": "milliequivalents"}
_PER = {"L": "litre", "dL": "decilitre", "mL": "millilitre", "kg": "kilogram", "min": "minute", "h": "hour",
        "day": "day", "d": "day", "m²": "square metre", "1.73m²": "1.73 square metres"}

# Wording of the full-screen player's layout in story text, and what is true in the plain player.
# Only whole phrases are replaced, so a story that says "her daughter sits beside her" is untouched.
UI_WORDING = (
    (re.compile(r"\(beside the story\)"), "(type chart at any prompt to hear it)"),
    (re.compile(r"\bbeside the story\b"), "read out when you type chart"),
    (re.compile(r"\b([Tt])he help screen lists the keys\b"), r"\1yping help lists the commands"),
    (re.compile(r"\b([Tt])he help screen\b"), r"\1he help command"),
)


def plain_wording(text: str) -> str:
    """Story text with the full-screen player's places ("beside the story") said as the plain player has them."""
    for pattern, words in UI_WORDING:
        text = pattern.sub(words, text)
    return text


def spoken_unit(unit: str) -> str:
    """'mmol/L' as 'millimoles per litre', '×10⁹/L' as 'times 10 to the 9 per litre', '/10' as 'out of 10'."""
    out_of = _OUT_OF.match(unit)
    if out_of:
        return f"out of {out_of.group(1)}"
    unit = _POWER.sub(lambda m: f"times 10 to the {m.group(1).translate(_SUPERSCRIPT)} ", unit)
    amount, *per = unit.split("/")
    head, _, symbol = amount.rpartition(" ")
    words = [f"{head} {_AMOUNTS.get(symbol, symbol)}".strip()]
    words += [f"per {_PER.get(part.strip(), part.strip())}" for part in per]
    return " ".join(word for word in words if word)


def spoken_value(stat: Stat, value: float) -> str:
    """'2.95 mmol/L, high': the value, its unit in words and its flag as a word."""
    text = f"{number_text(value, stat.decimals)} {spoken_unit(stat.unit)}".rstrip()
    flag = flag_for(value, stat.normal, stat.critical)
    return f"{text}, {FLAG_WORDS.get(flag, flag)}" if flag else text


def spoken_readings(trend: Trend, row: TrendRow) -> str:
    """A day of a trend table: 'Calcium 3.40 millimoles per litre, critically high; Creatinine 190 micromoles
    per litre, high'."""
    said = []
    for column, (number, flag) in zip(trend.columns, trend.cells(row), strict=True):
        text = f"{column.label} {number} {spoken_unit(column.unit)}".rstrip()
        said.append(f"{text}, {FLAG_WORDS.get(flag, flag)}" if flag else text)
    return "; ".join(said)


def stat_line(stat: Stat, value: float) -> str:
    """'Calcium (corrected): 2.95 mmol/L, high (normal 2.20 to 2.60)'."""
    normal = f" (normal {range_text(stat.normal, stat.decimals)})" if stat.normal else ""
    return f"{stat.label}: {spoken_value(stat, value)}{normal}"
