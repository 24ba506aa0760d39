"""Classroom mode in a real browser: `mmjourney serve` driven by headless Chromium.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run) and is driven by
Playwright pointed at that system browser; Playwright never downloads a browser of its own.
What the page shows is read from the terminal output the browser receives over its
websocket, since xterm.js draws text on a canvas.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from ..conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser test (see .ci/run)")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited early:\n{server.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {seconds} s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "MMJOURNEY_DATA_DIR": str(tmp_path / "classroom"), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "mmjourney", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, process)
        yield port, process, tmp_path / "classroom"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_decisions_by_keyboard_in_a_real_browser(server, tmp_path):
    port, process, data = server
    received: list[bytes] = []
    outside: list[str] = []

    def screen_text() -> str:
        raw = b"".join(f if isinstance(f, bytes) else f.encode() for f in received)
        return " ".join(ANSI.sub(b" ", raw).decode("utf-8", "ignore").split())

    def wait_for_text(text: str, page, seconds: float = 40) -> None:
        deadline = time.monotonic() + seconds
        while text not in screen_text():
            assert time.monotonic() < deadline, (f"{text!r} never appeared in the browser; the screen "
                                                 f"ends with: {screen_text()[-600:]!r}")
            page.wait_for_timeout(200)

    def key_of(option: str, page) -> str:
        """The number key of the option whose text starts so: options are shown in an order shuffled
        for each journey, so a learner (and this test) reads the number off the screen."""
        wait_for_text(option, page)
        found = re.findall(r"(\d+)\. " + re.escape(option), screen_text())
        assert found, f"{option!r} is not shown as a numbered option"
        return found[-1]

    def local_only(route) -> None:
        # The classroom runs offline: anything not on this machine is refused and noted.
        if route.request.url.startswith(f"http://127.0.0.1:{port}/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", local_only)
        page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=30_000)
        wait_for_text("Type your name or a pseudonym", page)
        page.locator(".xterm-helper-textarea").focus()

        page.keyboard.type("Ada Learner")
        page.keyboard.press("Enter")
        wait_for_text("New learner: choose a secret", page)
        for _ in range(2):  # the secret, then the same again
            page.keyboard.type("tea and cake")
            page.keyboard.press("Enter")
        wait_for_text("Play a scenario", page)
        assert "Playing as Ada Learner" in screen_text() and "tea and cake" not in screen_text()
        page.keyboard.press("p")
        wait_for_text("Tutorial: first shift", page)
        page.keyboard.press("Enter")  # the tutorial is first in the list
        wait_for_text("Welcome to your first shift", page)
        page.keyboard.press("Enter")  # its welcome page has a Continue button
        wait_for_text("Maggie arrives", page)

        key = key_of("Ask about thirst", page)  # decision 1, the expert's
        received.clear()
        page.keyboard.press(key)
        wait_for_text("What happened", page)
        wait_for_text("Rating: Best choice", page)
        received.clear()  # from here on, only the next scene's list of options
        page.keyboard.press("Enter")
        key = key_of("Assess her back pain", page)  # decision 2
        received.clear()
        page.keyboard.press(key)
        wait_for_text("What happened", page)
        page.screenshot(path=str(tmp_path / "classroom.png"))

        # Export: the learner gets a browser download and never types a path on the server.
        page.keyboard.press("Escape")
        wait_for_text("Play a scenario", page)
        page.keyboard.press("r")
        wait_for_text("Your progress", page)
        received.clear()
        page.keyboard.press("e")
        wait_for_text("downloads in your browser", page)
        assert "Save to" not in screen_text()
        with page.expect_download(timeout=30_000) as download_info:
            page.keyboard.press("Tab")  # from the formats to the Download button
            page.keyboard.press("Enter")
        download = download_info.value
        saved = tmp_path / "downloaded.html"
        download.save_as(saved)
        browser.close()

    assert download.suggested_filename == "mmjourney-tutorial-first-shift-attempt-1.html"
    assert "Ada Learner" in saved.read_text() and "<html" in saved.read_text()

    assert (tmp_path / "classroom.png").stat().st_size > 10_000
    # The web font link in textual-serve's page is the only outside request, and refusing it did no harm.
    assert all("fonts.googleapis.com" in url for url in outside), outside
    # The learner's journey was saved in their own folder, named by the id the registry gave them.
    (learner,) = (data / "learners").iterdir()
    assert re.fullmatch(r"[0-9a-f]{16}", learner.name)
    (autosave,) = (learner / "saves").glob("*.journey.json")
    assert autosave.is_file() and '"choose"' in autosave.read_text()
    # The copy of the export stays in the learner's own folder, and nothing at all was written
    # outside it (the server's own data folder holds only the registry, the learners' folders and the story
    # catalog).
    assert (learner / "exports" / download.suggested_filename).read_bytes() == saved.read_bytes()
    outside_learner = [p.relative_to(data).as_posix() for p in data.rglob("*")
                       if p.is_file() and learner not in p.parents]
    assert sorted(outside_learner) == ["learners.json", "learners.json.lock", "server/story-catalog.json"]
    assert "tea and cake" not in (data / "learners.json").read_text()
    # The server shuts down cleanly on SIGTERM.
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0


def test_binding_beyond_loopback_warns(tmp_path):
    from mmjourney.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")
    port = free_port()
    env = {**os.environ, "MMJOURNEY_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "mmjourney", "serve", "--host", "0.0.0.0", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, process)
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    assert "WARNING: serving on 0.0.0.0: anyone who can reach port" in errors
