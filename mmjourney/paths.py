"""Where stories live: the bundled curriculum, wherever the package is installed."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_stories_dir() -> Path:
    """The bundled `stories/` folder: inside the package when installed, beside it in a checkout."""
    installed = _PACKAGE / "stories"
    return installed if installed.is_dir() else _PACKAGE.parent / "stories"
