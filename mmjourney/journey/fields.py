"""Reading untrusted JSON objects field by field: a wrong type is a ValueError that names the field.

Result files come from learners' machines, so every value is checked before it is trusted, and the
message says which field is wrong in words an educator can act on ("decisions[0].options[1] should
be an object, but it is the number 2"), never a KeyError or TypeError from deep inside a report.
Numbers are returned as they were read (an int stays an int), so a record written back out is
byte-identical to the one read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
Number = int | float


def describe(value: object) -> str:
    """What a JSON value is, in plain words."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (yes/no)"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Fields:
    """One JSON object and where it sits in the record (for the messages)."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise ValueError(f"{where or 'the record'} should be an object with named values, "
                             f"but it is {describe(data)}")
        self.data = data
        self.where = where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str) -> object:
        if key not in self.data:
            raise ValueError(f"{self._name(key)} is missing")
        return self.data[key]

    def _check(self, key: str, value: object, ok: bool, wanted: str) -> None:
        if not ok:
            raise ValueError(f"{self._name(key)} should be {wanted}, but it is {describe(value)}")

    def text(self, key: str) -> str:
        value = self._get(key)
        self._check(key, value, isinstance(value, str), "text")
        return value  # type: ignore[return-value]

    def optional_text(self, key: str) -> str | None:
        value = self._get(key)
        self._check(key, value, value is None or isinstance(value, str), "text or empty")
        return value  # type: ignore[return-value]

    def one_of(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self._get(key)
        self._check(key, value, value in allowed, "one of " + ", ".join(allowed))
        return value  # type: ignore[return-value]

    def number(self, key: str) -> Number:
        value = self._get(key)
        self._check(key, value, is_number(value), "a number")
        return value  # type: ignore[return-value]

    def optional_number(self, key: str) -> Number | None:
        value = self._get(key)
        self._check(key, value, value is None or is_number(value), "a number or empty")
        return value  # type: ignore[return-value]

    def integer(self, key: str) -> int:
        value = self._get(key)
        self._check(key, value, isinstance(value, int) and not isinstance(value, bool), "a whole number")
        return value  # type: ignore[return-value]

    def flag(self, key: str) -> bool:
        value = self._get(key)
        self._check(key, value, isinstance(value, bool), "true or false")
        return value  # type: ignore[return-value]

    def _list(self, key: str) -> list:
        value = self._get(key)
        self._check(key, value, isinstance(value, list), "a list")
        return value  # type: ignore[return-value]

    def texts(self, key: str) -> tuple[str, ...]:
        items = self._list(key)
        for index, item in enumerate(items):
            self._check(f"{key}[{index}]", item, isinstance(item, str), "text")
        return tuple(items)

    def optional_texts(self, key: str) -> tuple[str | None, ...]:
        items = self._list(key)
        for index, item in enumerate(items):
            self._check(f"{key}[{index}]", item, item is None or isinstance(item, str), "text or empty")
        return tuple(items)

    def numbers(self, key: str) -> tuple[Number, ...]:
        items = self._list(key)
        for index, item in enumerate(items):
            self._check(f"{key}[{index}]", item, is_number(item), "a number")
        return tuple(items)

    def optional_numbers(self, key: str) -> tuple[Number, ...] | None:
        return None if self._get(key) is None else self.numbers(key)

    def objects(self, key: str, read: Callable[[Fields], T]) -> tuple[T, ...]:
        return tuple(read(Fields(item, f"{self._name(key)}[{index}]")) for index, item in enumerate(self._list(key)))

    def object(self, key: str, read: Callable[[Fields], T]) -> T:
        return read(Fields(self._get(key), self._name(key)))

    def optional_object(self, key: str, read: Callable[[Fields], T]) -> T | None:
        value = self._get(key)
        return None if value is None else read(Fields(value, self._name(key)))

    def named_objects(self, key: str, read: Callable[[Fields], T]) -> dict[str, T]:
        """A JSON object of objects, in its order: {name: read(value)}."""
        group = Fields(self._get(key), self._name(key))
        return {name: read(Fields(value, group._name(name))) for name, value in group.data.items()}

    def named_numbers(self, key: str) -> dict[str, Number]:
        group = Fields(self._get(key), self._name(key))
        for name, value in group.data.items():
            group._check(name, value, is_number(value), "a number")
        return dict(group.data)
