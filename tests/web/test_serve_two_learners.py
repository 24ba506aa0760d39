"""Two learners with secrets on one classroom server, in a real browser (see test_serve_browser.py for the
setup): each sees only their own journey, a wrong secret opens nothing, the right one brings the journey back.

One server and one browser for the module; each page is a learner at a seat (its own game process).
"""

from __future__ import annotations

import json
import re
import time

import pytest

from .test_serve_browser import ANSI, CHROMIUM, sync_api
from .test_serve_browser_guard import start_server, stop

ADA, ADA_SECRET = "Ada Learner", "tea and cake"
BEN, BEN_SECRET = "Ben Other", "bens own secret"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    data = tmp_path_factory.mktemp("two-learners") / "class"
    port, server = start_server(data)
    try:
        yield port, data
    finally:
        stop(server)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


class Seat:
    """One browser page on the classroom: what its terminal was sent, and the keys typed there."""

    def __init__(self, browser, port: int) -> None:
        self.received: list[bytes] = []
        self.page = browser.new_page(viewport={"width": 1100, "height": 750})
        local = f"http://127.0.0.1:{port}/"
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local)
                        else route.abort())
        self.page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: self.received.append(frame)))
        self.page.goto(local)
        self.page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=30_000)
        self.wait_for("Type your name or a pseudonym")
        self.page.locator(".xterm-helper-textarea").focus()

    def text(self) -> str:
        raw = b"".join(f if isinstance(f, bytes) else f.encode() for f in self.received)
        return " ".join(ANSI.sub(b" ", raw).decode("utf-8", "ignore").split())

    def wait_for(self, text: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.text():
            shown = re.sub("[▔▁▎▊█▀▄ ]{3,}", " ", self.text())[-3000:]
            assert time.monotonic() < deadline, f"{text!r} never appeared in the browser: {shown}"
            self.page.wait_for_timeout(150)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def choose_secret(self, secret: str) -> None:
        """A new learner's secret, typed twice. Keys typed before the game has moved to the second box
        would still go to the first, so the second typing waits for that box to be drawn with the cursor."""
        self.received.clear()
        self.type(secret)
        self.wait_for("he same secret again")  # "T he same…": the cursor is on its placeholder
        self.type(secret)

    def close(self) -> None:
        self.page.close()


def test_each_learner_sees_only_their_own_journey_and_a_wrong_secret_opens_nothing(classroom, browser):
    port, data = classroom
    ada = Seat(browser, port)
    ada.type(ADA)
    ada.wait_for("New learner: choose a secret")
    ada.choose_secret(ADA_SECRET)
    ada.wait_for(f"Playing as {ADA}")
    ada.page.keyboard.press("p")
    ada.wait_for("Tutorial: first shift")
    ada.page.keyboard.press("Enter")
    ada.wait_for("Welcome to your first shift")
    ada.page.keyboard.press("Enter")
    ada.wait_for("Maggie arrives")
    ada.wait_for("Ask about thirst")
    found = re.findall(r"(\d+)\. Ask about thirst", ada.text())  # options are shown in a shuffled order
    ada.page.keyboard.press(found[-1])  # a decision: Ada's journey now has something to continue
    ada.wait_for("What happened")

    # Ben, at another seat while Ada's game is still open.
    ben = Seat(browser, port)
    ben.type(BEN)
    ben.wait_for("New learner: choose a secret")
    ben.choose_secret(BEN_SECRET)
    ben.wait_for(f"Playing as {BEN}")
    assert "Continue: " not in ben.text() and "Maggie" not in ben.text()

    # Ben tries Ada's name with a wrong secret: refused, and nothing of hers reaches his screen.
    ben.page.keyboard.press("s")  # Not you? Switch learner
    ben.wait_for("Type your name or a pseudonym")
    ben.received.clear()
    ben.type(ADA)
    ben.wait_for("Type your secret")
    ben.type("not her secret")
    ben.wait_for("That name and secret do not match")
    ben.page.wait_for_timeout(500)  # anything that would follow a sign-in has had time to arrive
    seen = ben.text()
    assert f"Playing as {ADA}" not in seen and "Continue: " not in seen
    assert "Maggie" not in seen and "Play a scenario" not in seen
    ben.close()
    ada.close()

    # Ada, at a new seat, with her own secret: her journey is there to continue.
    again = Seat(browser, port)
    again.type(ADA)
    again.wait_for("Type your secret")
    again.type(ADA_SECRET)
    again.wait_for(f"Playing as {ADA}")
    again.wait_for("Continue: ")
    again.close()

    registry = json.loads((data / "learners.json").read_text())
    ids = {entry["name"]: entry["id"] for entry in registry["learners"]}
    assert set(ids) == {ADA, BEN} and ids[ADA] != ids[BEN]  # one folder id each, never the typed name
    assert ADA_SECRET not in json.dumps(registry) and BEN_SECRET not in json.dumps(registry)
    ada_saves = data / "learners" / ids[ADA] / "saves"
    assert any('"choose"' in save.read_text() for save in ada_saves.rglob("*.json"))  # her decision
    ben_saves = data / "learners" / ids[BEN] / "saves"
    assert not ben_saves.exists() or not any(ben_saves.iterdir())  # Ben never played, nor opened Ada's
