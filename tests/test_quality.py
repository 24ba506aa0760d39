"""The quality gate: import-linter, ruff and mypy, each with its configuration in pyproject.toml.

The import contracts hold the layers of docs/architecture.md in place (function-level imports count too);
tests/test_layers.py adds what only a running interpreter can see. Each tool runs as a subprocess of this
interpreter, and a failure shows the tool's own output.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What ruff checks: the whole tree (the package, the tests, the benchmarks), with the rules in pyproject.toml.
RUFF_PATHS = (".",)

# What mypy checks (the same packages get check_untyped_defs in pyproject.toml).
MYPY_PATHS = ("mmjourney/story", "mmjourney/engine", "mmjourney/journey", "mmjourney/classroom", "mmjourney/records",
              "mmjourney/lti",
              "mmjourney/lazy.py")

# The distributions the gate needs; all of them are in the `test` extra.
TOOLS = ("ruff", "mypy", "types-PyYAML", "import-linter")


def _require_tools() -> None:
    missing = []
    for name in TOOLS:
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: install the test extras with "
                    f"python3 -m pip install '.[test]'", pytrace=False)


def _run(tool: str, *args: str) -> str:
    """Run `python ARGS` in the repository; fail with the tool's output unless it succeeds."""
    _require_tools()
    env = dict(os.environ)
    # The tools must read this checkout, never an installed copy of mmjourney.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        pytest.fail(f"{tool} failed (exit {result.returncode}):\n{output}", pytrace=False)
    return output


# import-linter's `lint-imports` command, run by this interpreter (the package has no `python -m` entry).
LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def test_import_contracts_are_kept():
    output = _run("lint-imports", "-c", LINT_IMPORTS, "--no-cache", "--no-logo", str(ROOT / "pyproject.toml"))
    assert "Contracts:" in output and " 0 kept" not in output, output


def test_ruff_finds_nothing():
    _run("ruff", "-m", "ruff", "check", "--no-cache", *RUFF_PATHS)


def test_mypy_finds_nothing():
    _run("mypy", "-m", "mypy", *MYPY_PATHS)
