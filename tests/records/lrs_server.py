"""A real Learning Record Store for the tests: Ralph (PyPI `ralph-malph`) on 127.0.0.1, file-system backend.

`start_ralph(folder)` runs this file as a script in a process of its own, with one account (HTTP Basic,
bcrypt-hashed in Ralph's auth file) and its statements in `folder/lrs/fs_lrs.jsonl`, and waits until it
answers. Ralph's file-system backend writes in create mode, so only its first POST would succeed: the
launcher below sets the backend's default operation to append before Ralph loads.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

USER, PASSWORD = "mmjourney", "lrs-test-secret"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Ralph:
    process: subprocess.Popen
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, user: str = USER, password: str = PASSWORD) -> tuple[int, dict]:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request = urllib.request.Request(self.url + path, headers={
            "Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def statements(self, agent: dict | None = None) -> list[dict]:
        """The statements the LRS returns (for one agent, if given), through its xAPI query API."""
        query = {"limit": "100"} | ({"agent": json.dumps(agent)} if agent else {})
        status, body = self.get("/xAPI/statements?" + urllib.parse.urlencode(query))
        assert status == 200, body
        return body["statements"]

    def stored(self) -> list[dict]:
        """Every statement in the backend's file, one per line, duplicates included."""
        path = self.folder / "lrs" / "fs_lrs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_ralph(folder: Path, port: int | None = None) -> Ralph:
    import bcrypt  # Ralph's `lrs` extra brings it

    folder.mkdir(parents=True, exist_ok=True)
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    (folder / "auth.json").write_text(json.dumps([{"username": USER, "hash": hashed, "scopes": ["all"],
                                                   "agent": {"mbox": "mailto:mmjourney@example.org"}}]))
    port = port or free_port()
    env = dict(os.environ, RALPH_APP_DIR=str(folder / "app"), RALPH_AUTH_FILE=str(folder / "auth.json"),
               RALPH_RUNSERVER_BACKEND="fs", RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(folder / "lrs"))
    log = open(folder / "ralph.log", "wb")
    process = subprocess.Popen([sys.executable, __file__, str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    ralph = Ralph(process, port, folder)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Ralph stopped at start:\n{(folder / 'ralph.log').read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{ralph.url}/__heartbeat__", timeout=2):
                return ralph
        except OSError:
            time.sleep(0.1)
    ralph.stop()
    raise RuntimeError(f"Ralph did not answer in {START_SECONDS} s:\n{(folder / 'ralph.log').read_text()}")


if __name__ == "__main__":
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND  # see the module docstring

    import uvicorn

    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
