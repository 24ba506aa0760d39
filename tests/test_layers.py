"""story/, engine/ and journey/ are pure Python: they must never import Textual or Rich (see docs/architecture.md).

The import contracts in pyproject.toml (run by tests/test_quality.py) check the same statically; the
sys.modules test here checks what a running interpreter really loads.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mmjourney"


@pytest.mark.parametrize("layer", ["story", "engine", "journey", "classroom"])
def test_layer_source_never_imports_textual(layer):
    for path in (PACKAGE / layer).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            assert not any(n.split(".")[0] in ("textual", "rich") for n in names), f"{path}:{node.lineno}"


def test_importing_the_engine_loads_no_textual():
    code = ("import sys, mmjourney.engine, mmjourney.story, mmjourney.classroom, mmjourney.journey.attempt, "
            "mmjourney.journey.debrief_view, mmjourney.journey.text; "
            "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_story_files_are_never_evaluated_as_code():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec", "compile"), f"{path}:{node.lineno}"
            if isinstance(node, ast.Attribute) and node.attr in ("unsafe_load", "full_load", "UnsafeLoader"):
                raise AssertionError(f"{path}:{node.lineno} uses an unsafe YAML loader")
