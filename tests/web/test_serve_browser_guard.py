"""Classroom trust in a real browser: a page from another origin cannot start a game, and with a
class code the page asks for it before the game starts. See test_serve_browser.py for the setup."""

from __future__ import annotations

import http.server
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ..conftest import REPO
from .test_serve_browser import CHROMIUM, free_port, sync_api, wait_for_port

CODE = "blue heron 42"


def start_server(data: Path, *extra: str, env: dict[str, str] | None = None):
    port = free_port()
    environment = {**os.environ, "MMJOURNEY_DATA_DIR": str(data), "PYTHONPATH": str(REPO), **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "mmjourney", "serve", "--port", str(port), *extra],
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_port(port, process)
    return port, process


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


def new_page(browser, allowed: tuple[str, ...]):
    """A page that may only reach `allowed` (the classroom works offline; the web font is refused)."""
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort())
    return page


def game_processes(catalog: Path) -> list[int]:
    """The game processes this server started (their command names its catalog)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"mmjourney.tui" in command and str(catalog).encode() in command and entry.name.isdigit():
            found.append(int(entry.name))
    return found


def test_a_page_from_another_origin_cannot_start_a_game(browser, tmp_path):
    port, server = start_server(tmp_path / "class")
    # The other site: a page on 127.0.0.2 that tries to open the classroom's websocket.
    page_html = f"""<!DOCTYPE html><title>waiting</title><script>
      const ws = new WebSocket("ws://127.0.0.1:{port}/ws?width=80&height=24");
      ws.onopen = () => {{ document.title = "opened"; }};
      ws.onclose = () => {{ if (document.title !== "opened") document.title = "refused"; }};
    </script>""".encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args):
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        page = new_page(browser, (f"http://127.0.0.2:{other.server_port}/",))
        page.goto(f"http://127.0.0.2:{other.server_port}/")
        page.wait_for_function("document.title !== 'waiting'", timeout=15_000)
        assert page.title() == "refused"
        assert game_processes(tmp_path / "class" / "server" / "story-catalog.json") == []
        # The classroom's own page still starts a game.
        page = new_page(browser, (f"http://127.0.0.1:{port}/",))
        page.goto(f"http://127.0.0.1:{port}/?fontsize=99999")
        page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=30_000)
        page.close()
    finally:
        other.shutdown()
        stop(server)


def test_with_a_class_code_the_page_asks_for_it_before_the_game_starts(browser, tmp_path):
    data = tmp_path / "class"
    port, server = start_server(data, "--host", "127.0.0.1", "--memory-mb", "700",
                                env={"MMJOURNEY_CLASS_PASSWORD": CODE})
    received: list[bytes] = []
    try:
        page = new_page(browser, (f"http://127.0.0.1:{port}/",))
        page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
        page.goto(f"http://127.0.0.1:{port}/")
        assert page.url == f"http://127.0.0.1:{port}/login"
        assert page.locator("label[for=code]").inner_text() == "Class code"
        assert game_processes(data / "server" / "story-catalog.json") == []

        page.fill("#code", "blue heron")
        page.click("button[type=submit]")
        assert "not the class code" in page.content() and received == []

        page.fill("#code", CODE)
        page.click("button[type=submit]")
        page.wait_for_url(f"http://127.0.0.1:{port}/")
        page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=30_000)
        assert received  # the game is talking to the page
        (game,) = game_processes(data / "server" / "story-catalog.json")
        limits = Path(f"/proc/{game}/limits").read_text()
        assert re.search(r"Max address space\s+%d\s+%d" % (700 * 2**20, 700 * 2**20), limits), limits
        page.close()
    finally:
        stop(server)
    out = server.stdout.read()
    assert "learners type the class code first" in out and f"mmjourney report --classroom {data}" in out
