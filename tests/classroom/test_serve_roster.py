"""`mmjourney serve --roster`: the roster is loaded once at start-up and each tab's game is told of it."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from mmjourney import serve as serving
from mmjourney.classroom import Registry


@pytest.fixture
def no_server(monkeypatch):
    """The classroom server does not listen: the commands it would have run for each tab are kept instead."""
    started: list[str] = []
    monkeypatch.setattr(serving.ClassroomServer, "serve", lambda server: started.append(server.command))
    return started


def test_the_roster_is_loaded_and_passed_to_each_game(tmp_path, private_data_dir, no_server, capsys, monkeypatch):
    monkeypatch.setenv("MMJOURNEY_STORIES", str(serving.Path(__file__).parents[1] / "fixtures"))
    roster = tmp_path / "class.csv"
    roster.write_text("name\nAda\n", encoding="utf-8")
    assert serving.serve(roster=str(roster)) == 0
    out = capsys.readouterr().out
    assert "Roster class.csv: 1 new learner added." in out and "  Ada: " in out
    (command,) = no_server
    assert shlex.split(command)[-2:] == ["--roster", str(roster.resolve())]
    assert Registry(private_data_dir, roster=True).look_up("ada").step == "code"


def test_a_bad_roster_stops_the_server_before_it_starts(tmp_path, no_server, capsys):
    roster = tmp_path / "class.csv"
    roster.write_text("name\nB\u200bob\n", encoding="utf-8")
    assert serving.serve(roster=str(roster)) == 2
    assert f"error: {roster}:2: The name contains an invisible character" in capsys.readouterr().err
    assert no_server == []


def test_the_game_entry_point_takes_the_roster():
    help_text = subprocess.run([sys.executable, "-m", "mmjourney.tui", "--help"], capture_output=True, text=True,
                               check=True).stdout
    assert "--roster ROSTER" in help_text
