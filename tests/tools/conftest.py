from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import FIXTURES, REPO

TOOLS_FIXTURES = Path(__file__).parent / "fixtures"
STORIES = REPO / "stories"
TUTORIAL = STORIES / "tutorial-first-shift.yaml"


def run_cli(*args, cwd=REPO, timeout=120, env_path: str | None = None) -> subprocess.CompletedProcess:
    """The `mmjourney` command as a user runs it, output piped (so no colour); `env_path` replaces PATH."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FORCE_COLOR", None)
    if env_path is not None:
        env["PATH"] = env_path
    return subprocess.run([sys.executable, "-m", "mmjourney", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing `needle`."""
    found = 0
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


__all__ = ["FIXTURES", "REPO", "STORIES", "TOOLS_FIXTURES", "TUTORIAL", "line_of", "run_cli"]
