"""Classroom mode: `mmjourney serve` plays the full game in web browsers through textual-serve.

Each browser tab gets its own game process. The game asks for a learner name first and
keeps that learner's autosave and records in a folder of their own, so a class can share
one machine. Nothing is fetched from the internet: textual-serve ships its scripts and
styles; its page also links a web font, which simply falls back to a local one offline.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path




def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (names are resolved, as the server will)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def game_command(stories: str | None, roster: str | None = None) -> str:
    """The command textual-serve starts for each browser tab."""
    parts = [sys.executable, "-m", "mmjourney.tui", "--classroom"]
    if stories:
        parts += ["--stories", str(Path(stories).resolve())]
    if roster:
        parts += ["--roster", str(Path(roster).resolve())]
    return " ".join(shlex.quote(part) for part in parts)


def serve(host: str = "127.0.0.1", port: int = 8000, stories: str | None = None, roster: str | None = None) -> int:
    from textual_serve.server import Server

    if roster:
        # Loaded once here, not by each tab's game, so the codes made up for it are shown to the educator.
        from .classroom import RosterError, load_roster
        from .journey import Workspace

        try:
            print("\n".join(load_roster(Path(roster), Workspace.from_environment().data_dir)))
        except RosterError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    if not is_loopback(host):
        print(f"WARNING: serving on {host}: anyone who can reach port {port} on this machine's network can "
              "play, and see the names learners type. Use the default 127.0.0.1 unless the classroom "
              "network is trusted.", file=sys.stderr)
    print(f"mmjourney classroom: open http://{host}:{port} in a browser (Ctrl+C stops the server).")
    Server(game_command(stories, roster), host=host, port=port, title="mmjourney").serve()
    return 0
