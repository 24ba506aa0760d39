"""No control character from a story file, a YAML value or a file name reaches the terminal.

Each command runs as a user runs it, on a story whose texts hold terminal escapes (written as
YAML escapes), a file whose name holds one, and a value YAML echoes back in its error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mmjourney.tools.new import starter_story

from .conftest import run_cli

RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def assert_clean(result) -> None:
    for stream in (result.stdout, result.stderr):
        for char in RAW:
            assert char not in stream, (char, stream)


@pytest.fixture
def stories(tmp_path) -> Path:
    text = starter_story("Hostile")
    text = text.replace('title: "Hostile"', 'title: "Hostile \\e]0;PWNED\\e\\\\ story\\u202e"')
    text = text.replace("  name: Sam Patel", '  name: "Sam \\x9b2J \\e]52;c;eA==\\a Patel"')
    text = text.replace("  - name: Expert path", '  - name: "Expert \\e[2J path"')
    text = text.replace("      title: Safe at home", '      title: "Safe \\e]8;;http://evil.invalid\\e\\\\ at home"')
    (tmp_path / "hostile.yaml").write_text(text, encoding="utf-8")
    # A story that fails: its name holds an ESC, and YAML echoes a value that holds one too.
    broken = text.replace("minutes: 5", 'minutes: 5\nreviewed_on: !!timestamp "2026-02-30 \\e]0;ECHOED\\e\\\\"')
    (tmp_path / "b\x1b[2J.yaml").write_text(broken, encoding="utf-8")
    return tmp_path


def test_validate(stories):
    result = run_cli("validate", stories)
    assert result.returncode == 1
    assert_clean(result)
    assert "b\\x1b[2J.yaml:" in result.stdout and "'2026-02-30 \\x1b]0;ECHOED\\x1b\\'" in result.stdout
    assert "control characters removed from this text: ESC (U+001B), RLO (U+202E)" in result.stdout


@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["randomtest", "-n", "50"],
                                     ["randomtest", "-n", "50", "--json"], ["test"]])
def test_author_tools(stories, command):
    result = run_cli(*command, stories)
    assert_clean(result)
    assert "b\\" in result.stdout + result.stderr  # the bad file is named, its ESC made visible


def test_graph_and_new(stories, tmp_path):
    assert_clean(run_cli("graph", stories / "hostile.yaml"))
    assert_clean(run_cli("graph", stories / "b\x1b[2J.yaml"))
    assert_clean(run_cli("graph", tmp_path / "missing\x1b]0;X.yaml"))
    made = run_cli("new", "\x1b]0;X\x1b\\ title", "--out", tmp_path / "n\x1bx.yaml")
    assert made.returncode == 0
    assert_clean(made)
    assert run_cli("validate", tmp_path / "n\x1bx.yaml").returncode == 0


def test_play_plain(stories):
    result = run_cli("play", "--plain", stories / "hostile.yaml")  # stdin is empty: the player stops
    assert_clean(result)
    assert "Sam 2J ]52;c;eA== Patel" in result.stdout
    assert_clean(run_cli("play", "--plain", stories / "b\x1b[2J.yaml"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_is_refused_at_once_by_every_command(tmp_path):
    fifo = tmp_path / "story.yaml"
    os.mkfifo(fifo)
    for command in (["validate"], ["check"], ["graph"], ["randomtest", "-n", "1"], ["test"], ["play", "--plain"]):
        result = run_cli(*command, fifo, timeout=30)
        assert result.returncode == 1, command
        assert "not a regular file" in result.stdout + result.stderr, command
