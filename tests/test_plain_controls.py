"""The plain player never passes a control character to the terminal, whatever the text's source (F5)."""

from __future__ import annotations

import io

from mmjourney.journey import Journey, Workspace
from mmjourney.plain import PlainPlayer, play_plain
from mmjourney.records import attempt_writer

RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def test_say_and_ask_strip_controls(clinic):
    out = io.StringIO()
    player = PlainPlayer(Journey.start(clinic, 0, "practice"), stdin=io.StringIO("2\n"), stdout=out)
    player.say("Ada \x1b]0;PWNED\x07 Lovelace \u202eevil\x9b2J")
    assert player.ask("Name \x1b[2J? ") == "2"
    assert out.getvalue() == "Ada ]0;PWNED Lovelace evil2J\nName [2J? "


def test_messages_that_quote_a_path_show_its_controls_as_escapes(clinic, tmp_path, capsys):
    blocked = tmp_path / "data\x1b]0;PWN\x07"
    blocked.write_text("not a folder")  # nothing can be saved inside it: the messages quote the path
    workspace = Workspace.from_environment(data_dir=blocked, recorder=attempt_writer)
    out = io.StringIO()
    play_plain(clinic, stdin=io.StringIO("1\n"), stdout=out, workspace=workspace)
    errors = capsys.readouterr().err
    assert "Could not save your journey" in errors and "\\x1b]0;PWN\\x07" in errors
    for char in RAW:
        assert char not in out.getvalue() and char not in errors
