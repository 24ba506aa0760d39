"""docs/embedding.md: its host runs as written, with neither textual nor rich imported."""

from __future__ import annotations

import re
import subprocess
import sys

from ..conftest import REPO


def test_the_documented_host_plays_the_tutorial_without_textual_or_rich():
    text = (REPO / "docs" / "embedding.md").read_text(encoding="utf-8")
    code = re.search(r"## A host in about 20 lines.*?```python\n(.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) <= 25
    check = code + (
        "\nimport sys\n"
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules, 'a UI library was imported'\n"
        "print('UI-free')\n")
    result = subprocess.run([sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Ending:" in result.stdout and "| score:" in result.stdout and "UI-free" in result.stdout
