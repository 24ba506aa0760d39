"""The educator's roster: a CSV file with a `name` column and an optional `code` column.

`mmjourney serve --roster class.csv` loads it into the class's registry once, at start-up. A learner
on it joins with their one-time code and then chooses a secret; names not on it cannot join. Codes the
file does not give are made up and written for the educator to hand out.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..journey.files import read_small_text
from .learners import Registry, normal_code
from .names import LearnerName, NameProblem, check_name

MAX_ROSTER_BYTES = 1024 * 1024
MIN_CODE_LENGTH = 6


class RosterError(ValueError):
    """A roster that cannot be used: the message names the file, the line and the problem."""


def read_roster(path: Path) -> list[tuple[LearnerName, str | None]]:
    """The roster's learners, each with the code the educator gave, if any."""
    path = Path(path)
    try:
        text = read_small_text(path, MAX_ROSTER_BYTES).removeprefix("\ufeff")  # a spreadsheet's BOM
    except FileNotFoundError:
        raise RosterError(f"{path}: no such file") from None
    except (OSError, ValueError) as error:
        reason = "it is not UTF-8 text (save it as 'CSV UTF-8')" if isinstance(error, UnicodeDecodeError) else error
        raise RosterError(f"{path}: cannot be read: {reason}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().casefold() for cell in next(reader)]
    except StopIteration:
        raise RosterError(f"{path}: the file is empty; its first line must name the columns, e.g. name,code") \
            from None
    except csv.Error as error:
        raise RosterError(f"{path}:1: {error}") from None
    if "name" not in header:
        raise RosterError(f"{path}:1: there is no 'name' column; the first line must name the columns, "
                          "e.g. name,code")
    name_at = header.index("name")
    code_at = header.index("code") if "code" in header else None
    rows: list[tuple[LearnerName, str | None]] = []
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            cell = cells[name_at] if name_at < len(cells) else ""
            try:
                name = check_name(cell)
            except NameProblem as problem:
                raise RosterError(f"{path}:{line}: {problem}") from None
            if name.key in seen_names:
                raise RosterError(f"{path}:{line}: {name.shown!r} is the same learner as line "
                                  f"{seen_names[name.key]}; give each learner one line")
            seen_names[name.key] = line
            code = normal_code(cells[code_at]) if code_at is not None and code_at < len(cells) else ""
            if code:
                if len(code) < MIN_CODE_LENGTH or not code.isalnum() or not code.isascii():
                    raise RosterError(f"{path}:{line}: the code must be at least {MIN_CODE_LENGTH} letters "
                                      "(A-Z) or digits; leave it empty to have one made up")
                if code in seen_codes:
                    raise RosterError(f"{path}:{line}: the same code as line {seen_codes[code]}; each "
                                      "learner needs their own")
                seen_codes[code] = line
            rows.append((name, code or None))
    except csv.Error as error:
        raise RosterError(f"{path}:{reader.line_num}: {error}") from None
    if not rows:
        raise RosterError(f"{path}: there are no learners in it")
    return rows


def load_roster(path: Path, data_dir: Path) -> list[str]:
    """Adds the roster at `path` to the class in `data_dir`; returns what to tell the educator.

    Codes made up here are also appended to `<roster>-codes.csv` beside the roster (readable by its
    owner only), since they are kept nowhere else in a form anyone can read.
    """
    path = Path(path)
    result = Registry(data_dir, roster=True).add_from_roster(read_roster(path))
    made, added = result.made, result.added
    lines = [result.note] if result.note else []
    lines.append(f"Roster {path.name}: {added} new learner{'s' if added != 1 else ''} added.")
    if made:
        codes = path.with_name(f"{path.stem}-codes.csv")
        lines.append("One-time codes to hand out (each learner types it on their first visit):")
        lines += [f"  {name}: {code}" for name, code in made]
        try:
            _append_codes(codes, made)
            lines.append(f"These codes were also written to {codes}.")
        except OSError as error:
            lines.append(f"Could not write them to {codes} ({error.strerror}): copy them from here.")
    return lines


def _append_codes(path: Path, made: list[tuple[str, str]]) -> None:
    # Appended, never replaced: earlier codes not yet used are still valid and listed nowhere else.
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(handle, "a", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        if out.tell() == 0:
            writer.writerow(["name", "code"])
        writer.writerows(made)
