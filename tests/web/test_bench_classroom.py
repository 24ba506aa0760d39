"""The classroom benchmark's smoke run: one tab alone and two at once, and its figures printed.

The benchmark (benchmarks/bench_classroom.py) starts its own `mmjourney serve` on 127.0.0.1 and speaks
textual-serve's page and websocket itself, so no browser is needed. Its figures are not checked against
targets here (a shared machine makes them vary); that it measures and prints them is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from ..conftest import REPO

pytest.importorskip("textual_serve", reason="textual-serve is not installed: the classroom server cannot start")
NO_SERVER = 3  # benchmarks/bench_classroom.py's exit status when `mmjourney serve` cannot start


def test_the_quick_run_opens_tabs_and_prints_its_figures(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp_path)}
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_classroom.py"), "--quick", "--tabs", "2"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    if run.returncode == NO_SERVER:
        pytest.skip(f"textual-serve could not start the classroom server here: {run.stderr.strip()[-500:]}")
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    assert "Measured on this machine:" in out and f"{os.cpu_count()} cores" in out
    assert re.search(r"floor, one tab alone \(median of 1\): first frame +\d+ ms, first screen +\d+ ms", out)
    # A row for one tab alone and one for two at once, in the opening table (its ratio is against the floor).
    assert re.search(r"^ +1 +alone +\d+ ms +\d+ ms +1\.0 \|", out, re.M), out
    assert re.search(r"^ +2 +at once +\d+ ms +\d+ ms +\d+\.\d \|", out, re.M), out
    # Memory per tab is measured: a game process is tens of MiB, not nothing.
    memory = re.search(r"^ +2 +at once +(\d+) / +(\d+) MiB +(\d+) / +(\d+) MiB", out, re.M)
    assert memory and all(int(value) > 5 for value in memory.groups()), out
    for line in ("per GiB of memory, tutorial open:", "per core, a class arriving at once",
                 "per core, playing"):
        assert re.search(re.escape(line) + r".*: +\d+ learners|" + re.escape(line) + r" +\d+ learners", out), line
    assert not list(tmp_path.glob("mmjourney-bench-classroom-*"))  # its data folder is removed
