"""Turn pydantic's validation errors into messages an educator can act on."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .problems import did_you_mean

_KIND_OF_VALUE = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "a mapping of fields",
    type(None): "nothing (an empty value)",
}


@dataclass(frozen=True)
class SchemaIssue:
    path: tuple
    message: str
    at_key: bool = False


def _kind(value: object) -> str:
    return _KIND_OF_VALUE.get(type(value), type(value).__name__)


def _unwrap(annotation):
    """Strip Annotated and Optional so we can see the model or container underneath."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _fields_by_alias(model: type[BaseModel]) -> dict[str, object]:
    return {(info.alias or name): info.annotation for name, info in model.model_fields.items()}


def model_at(root: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The model class that describes the mapping at `path`, if there is one."""
    current = root
    for step in path:
        if isinstance(current, type) and issubclass(current, BaseModel):
            annotation = _fields_by_alias(current).get(step)
            if annotation is None:
                return None
            current = _unwrap(annotation)
        else:
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            if origin in (list, tuple) and isinstance(step, int):  # tuple[X, ...]: a scene's paragraphs
                current = _unwrap(args[0])
            elif origin is dict:
                current = _unwrap(args[1])
            else:
                return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _choices_from(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def describe(error: ErrorDetails, root: type[BaseModel]) -> SchemaIssue:
    """One pydantic error dict as a SchemaIssue with a plain-words message."""
    path = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if path and path[-1] == "[key]":
        path = path[:-1]
        return SchemaIssue(path, f"'{path[-1]}' is not a valid name: use letters, digits and underscores, "
                                 "starting with a letter", at_key=True)
    if kind == "extra_forbidden":
        field = path[-1]
        model = model_at(root, path[:-1])
        known = list(_fields_by_alias(model)) if model else []
        hint = did_you_mean(str(field), known)
        if not hint and known:
            hint = f"; allowed here: {', '.join(known)}"
        return SchemaIssue(path, f"unknown field '{field}'{hint}", at_key=True)
    if kind == "missing":
        return SchemaIssue(path[:-1], f"missing required field '{path[-1]}'")
    if kind == "string_type" and isinstance(value, bool):
        return SchemaIssue(path, "expected text, but YAML read this as true/false (yes, no, on and off "
                                 "mean true/false in YAML): put the text in quotes")
    if kind == "string_pattern_mismatch":
        return SchemaIssue(path, f"'{value}' is not a valid id: use letters, digits and underscores, "
                                 "starting with a letter (story and reference ids may also use '-' and '.')")
    if kind == "string_too_short":
        return SchemaIssue(path, "this must not be empty")
    if kind == "literal_error":
        options = _choices_from(ctx.get("expected", ""))
        hint = did_you_mean(str(value), options)
        return SchemaIssue(path, f"'{value}' is not one of: {', '.join(options)}{hint}")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if not path:
            return SchemaIssue(path, f"a story file must be a mapping of fields (id:, title:, scenes: ...), "
                                     f"but this file holds {_kind(value)}")
        return SchemaIssue(path, f"expected a mapping of fields (name: value lines), found {_kind(value)}")
    if kind in ("list_type", "tuple_type"):
        return SchemaIssue(path, f"expected a list (lines starting with '- ', or [a, b]), found {_kind(value)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return SchemaIssue(path, f"expected a whole number, found {_kind(value)} '{value}'")
    if kind in ("float_type", "float_parsing"):
        return SchemaIssue(path, f"expected a number, found {_kind(value)} '{value}'")
    if kind in ("bool_type", "bool_parsing"):
        return SchemaIssue(path, f"expected true or false, found {_kind(value)} '{value}'")
    if kind == "string_type":
        return SchemaIssue(path, f"expected text, found {_kind(value)}")
    if kind in ("greater_than_equal", "greater_than"):
        return SchemaIssue(path, f"must be at least {ctx.get('ge', ctx.get('gt'))}, found {value}")
    if kind in ("less_than_equal", "less_than"):
        return SchemaIssue(path, f"must be at most {ctx.get('le', ctx.get('lt'))}, found {value}")
    if kind == "too_short":
        count = ctx.get("min_length")
        return SchemaIssue(path, f"needs at least {count} item{'s' if count != 1 else ''}")
    if kind == "too_long":
        return SchemaIssue(path, f"has too many items: at most {ctx.get('max_length')}")
    if kind.startswith("date"):
        return SchemaIssue(path, f"expected a date like 2026-11-01, found '{value}'")
    if kind == "value_error":
        return SchemaIssue(path, str(ctx.get("error", error["msg"])))
    return SchemaIssue(path, error["msg"])


def describe_all(error: ValidationError, root: type[BaseModel]) -> list[SchemaIssue]:
    return [describe(e, root) for e in error.errors(include_url=False)]
