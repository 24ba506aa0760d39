"""Package names loaded on first use, so importing one module of a package stays cheap.

A package's `__init__` runs whenever any of its modules is imported: the app imports
`journey.workspace` at start-up, and the `mmjourney` command `records.cli`, and neither should
load the story format, the engine or SQLite before it needs them.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable


def lazy_names(package: str, exports: dict[str, str], namespace: dict[str, Any]) -> \
        tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, whose name N lives in module `exports[N]`.
    A name once loaded is kept in the package's `namespace`, so Python finds it directly next time."""

    def getattr_(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return getattr_, dir_
