"""Problems found in story files, reported the way a compiler reports them.

One line each, `file:line:col: error: message`, so editors and terminals can jump to
the spot. Messages are written in an educator's terms, not Python's.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Literal

from .text_safety import visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based, None when the problem concerns the whole file
    column: int | None  # 1-based
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        # Messages quote YAML values and file names, which may hold terminal controls; every
        # reader of a Problem (terminal, game, JSON) gets them made visible, once, here.
        object.__setattr__(self, "file", visible(self.file))
        object.__setattr__(self, "message", visible(self.message))

    def __str__(self) -> str:
        return f"{location(self.file, self.line, self.column)}: {self.severity}: {self.message}"


def location(file: str, line: int | None, column: int | None) -> str:
    """`file`, `file:line` or `file:line:col`, as compilers and editors write it."""
    if line is None:
        return file
    return f"{file}:{line}" if column is None else f"{file}:{line}:{column}"


class StoryError(Exception):
    """A story could not be loaded; `problems` says every reason found, errors first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _order(problem: Problem) -> tuple:
    return (problem.severity != "error", problem.file, problem.line or 0, problem.column or 0)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A '; did you mean ...?' suffix for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
