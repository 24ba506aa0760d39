"""Classroom mode in a real browser: `mmjourney serve` driven by headless Chromium.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run) and is driven by
Playwright pointed at that system browser; Playwright never downloads a browser of its own.
What the page shows is read from the terminal output the browser receives over its
websocket, since xterm.js draws text on a canvas.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from ..conftest import REPO

MATRIX = REPO / "tests" / "items" / "browser-matrix.yaml"
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


@contextmanager
def serving(data: Path, *arguments: str):
    """`mmjourney serve` on a free port with `data` as its data folder, stopped at the end."""
    port = free_port()
    env = {**os.environ, "MMJOURNEY_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "mmjourney", "serve", "--port", str(port), *arguments],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, process)
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def server(tmp_path):
    with serving(tmp_path / "classroom") as (port, process):
        yield port, process, tmp_path / "classroom"


@pytest.fixture
def matrix_server(tmp_path):
    """The classroom with one story of the educator's own: a matrix item and an ending."""
    (tmp_path / "stories").mkdir()
    shutil.copy(MATRIX, tmp_path / "stories" / MATRIX.name)
    with serving(tmp_path / "classroom", "--stories", str(tmp_path / "stories")) as (port, process):
        yield port, process, tmp_path / "classroom"


class Tab:
    """One browser tab on the classroom: what the page shows is read from the terminal output it receives."""

    def __init__(self, browser, port: int | None = None, *, url: str | None = None) -> None:
        """The classroom on `port`, or `url` (a learning platform's launch, which redirects to the game): then
        any server on this machine may answer, the platform's as well as the game's."""
        self.received: list[bytes | str] = []
        self.outside: list[str] = []
        self.local = f"http://127.0.0.1:{port}/" if url is None else "http://127.0.0.1:"
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.route("**/*", self.local_only)
        self.page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: self.received.append(frame)))
        self.page.goto(url or self.local)
        if url is None:
            self.page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=30_000)

    def local_only(self, route) -> None:
        # The classroom runs offline: anything not on this machine is refused and noted.
        if route.request.url.startswith(self.local):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def screen_text(self) -> str:
        raw = b"".join(f if isinstance(f, bytes) else f.encode() for f in self.received)
        return " ".join(ANSI.sub(b" ", raw).decode("utf-8", "ignore").split())

    def shows(self, text: str, seconds: float) -> bool:
        """Whether `text` appears within `seconds`."""
        deadline = time.monotonic() + seconds
        while text not in self.screen_text():
            if time.monotonic() >= deadline:
                return False
            self.page.wait_for_timeout(200)
        return True

    def wait_for_text(self, text: str, seconds: float = 40) -> None:
        assert self.shows(text, seconds), (f"{text!r} never appeared in the browser; the screen ends with: "
                                           f"{self.screen_text()[-600:]!r}")

    def key_of(self, option: str) -> str:
        """The number key of the option whose text starts so: options are shown in an order shuffled
        for each journey, so a learner (and this test) reads the number off the screen."""
        self.wait_for_text(option)
        found = re.findall(r"(\d+)\. " + re.escape(option), self.screen_text())
        assert found, f"{option!r} is not shown as a numbered option"
        return found[-1]

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def sign_in(self, name: str, secret: str) -> None:
        """A new learner signs in: name, then the secret twice; the title screen follows."""
        self.wait_for_text("Type your name or a pseudonym")
        self.page.locator(".xterm-helper-textarea").focus()
        self.page.keyboard.type(name)
        self.press("Enter")
        self.wait_for_text("New learner: choose a secret")
        for _ in range(2):  # the secret, then the same again
            self.page.keyboard.type(secret)
            self.press("Enter")
        self.wait_for_text("Play a scenario")


@contextmanager
def chromium():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        try:
            yield browser
        finally:
            browser.close()


def test_two_decisions_by_keyboard_in_a_real_browser(server, tmp_path):
    port, process, data = server
    with chromium() as browser:
        tab = Tab(browser, port)
        tab.sign_in("Ada Learner", "tea and cake")
        assert "Playing as Ada Learner" in tab.screen_text() and "tea and cake" not in tab.screen_text()
        tab.press("p")
        tab.wait_for_text("Tutorial: first shift")
        tab.press("Enter")  # the tutorial is first in the list
        tab.wait_for_text("Welcome to your first shift")
        tab.press("Enter")  # its welcome page has a Continue button
        tab.wait_for_text("Maggie arrives")

        key = tab.key_of("Ask about thirst")  # decision 1, the expert's
        tab.received.clear()
        tab.press(key)
        tab.wait_for_text("What happened")
        tab.wait_for_text("Rating: Best choice")
        tab.received.clear()  # from here on, only the next scene's list of options
        tab.press("Enter")
        key = tab.key_of("Assess her back pain")  # decision 2
        tab.received.clear()
        tab.press(key)
        tab.wait_for_text("What happened")
        tab.page.screenshot(path=str(tmp_path / "classroom.png"))

        # Export: the learner gets a browser download and never types a path on the server.
        tab.press("Escape")
        tab.wait_for_text("Play a scenario")
        tab.press("r")
        tab.wait_for_text("Your progress")
        tab.received.clear()
        tab.press("e")
        tab.wait_for_text("downloads in your browser")
        assert "Save to" not in tab.screen_text()
        with tab.page.expect_download(timeout=30_000) as download_info:
            tab.press("Tab", "Enter")  # from the formats to the Download button
        download = download_info.value
        saved = tmp_path / "downloaded.html"
        download.save_as(saved)

    assert download.suggested_filename == "mmjourney-tutorial-first-shift-attempt-1.html"
    assert "Ada Learner" in saved.read_text() and "<html" in saved.read_text()

    assert (tmp_path / "classroom.png").stat().st_size > 10_000
    # The web font link in textual-serve's page is the only outside request, and refusing it did no harm.
    assert all("fonts.googleapis.com" in url for url in tab.outside), tab.outside
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


# The answer given by keys, row by row (the rows keep their written order): the row's number, then its column,
# Expected on the left; and how the row reads once set, the cursor on the answer. The fourth row is wrong.
MATRIX_ANSWER = (
    ("1", "Drowsy and muddled", "Expected"),
    ("2", "Thirsty and passing a lot of urine", "Expected"),
    ("3", "Tingling around the mouth", "Not expected"),
    ("4", "A temperature of 38.6 °C", "Expected"),
)
SET = {"Expected": "▸ (•) Expected ( ) Not expected", "Not expected": "( ) Expected ▸ (•) Not expected"}


def test_an_ngn_matrix_answered_by_keys_in_a_real_browser(matrix_server, tmp_path):
    """A learner answers an NGN item in parts by keys in the browser, and the result file kept on the server has
    each part scored."""
    port, _, data = matrix_server
    with chromium() as browser:
        tab = Tab(browser, port)
        tab.sign_in("Bo Learner", "milk and honey")
        tab.press("p")
        tab.wait_for_text("Matrix in the browser")
        tab.received.clear()
        tab.press("End")  # the educator's own stories come after the bundled ones
        tab.wait_for_text("Four findings to sort")  # its details: the story under the cursor
        tab.received.clear()
        tab.press("Enter")
        tab.wait_for_text("Tingling around the mouth")
        for number, row, column in MATRIX_ANSWER:
            # A row at a time, each seen set before the next keys. The grid is drawn a moment before it takes
            # the keys (its focus comes after the first refresh), so on a loaded machine the first keys can reach
            # the screen instead (Space scrolls the story): a row not seen set is keyed again. That is safe,
            # as a matrix row's Space sets its answer, never unsets it.
            for _ in range(5):
                tab.received.clear()
                tab.press(number, "ArrowLeft", *(["ArrowRight"] if column == "Not expected" else []), "Space")
                if tab.shows(f"{row} {SET[column]}", 8):
                    break
            else:
                raise AssertionError(f"row {number} was never seen set: {tab.screen_text()[-600:]!r}")
        tab.received.clear()
        tab.press("s")
        tab.wait_for_text("Score: 3 of 4")  # the feedback: three rows of four right
        tab.received.clear()
        tab.press("Enter")
        tab.wait_for_text("Settled")
        tab.received.clear()
        tab.press("Enter")
        tab.wait_for_text("Debrief")
        tab.received.clear()
        tab.press("e")
        tab.wait_for_text("downloads in your browser")
        with tab.page.expect_download(timeout=30_000) as download_info:
            tab.press("ArrowDown", "ArrowDown", "Enter", "Tab", "Enter")  # the result file (JSON), then Download
        download = download_info.value

    assert download.suggested_filename.endswith(".result.json")
    (learner,) = (data / "learners").iterdir()
    result = json.loads((learner / "exports" / download.suggested_filename).read_text(encoding="utf-8"))
    (answer,) = result["attempt"]["decisions"]
    assert answer["response"] == ["drowsy:expected", "thirst:expected", "tingling:not_expected", "fever:expected"]
    assert (answer["points"], answer["max_points"]) == (3, 4)
    assert [(part["id"], [o["id"] for o in part["options"] if o["correct"]]) for part in answer["parts"]] == [
        ("drowsy", ["expected"]), ("thirst", ["expected"]), ("tingling", ["not_expected"]),
        ("fever", ["not_expected"])]


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
