"""The story map (`mmjourney graph --out story.html`) in a real browser, opened from a file with every
request outside that file refused: it must draw itself offline. See test_serve_browser.py for the setup."""

from __future__ import annotations

from ..tools.conftest import STORIES, run_cli
from ..tools.test_graph_html import INJECTION, injected_story
from .test_serve_browser import CHROMIUM, sync_api


def open_offline(path, check):
    """Open `path` in headless Chromium, every request not for a file refused and noted; run `check(page)`."""
    outside: list[str] = []
    errors: list[str] = []

    def files_only(route) -> None:
        if route.request.url.startswith("file://"):
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
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", files_only)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            check(page)
        finally:
            browser.close()
    assert outside == [], f"the map asked the network for {outside}"
    assert errors == [], errors


def test_a_35_scene_map_draws_offline_and_shows_a_scene_on_click(tmp_path):
    out = tmp_path / "transplant-road.html"
    result = run_cli("graph", STORIES / "transplant-road.yaml", "--out", out, "--max-seconds", "5")
    assert result.returncode == 0, result.stderr
    written = out.read_text(encoding="utf-8")
    expected = written.count('<g class="node ')
    assert expected >= 35

    def check(page) -> None:
        assert page.locator("svg g.node").count() == expected
        drawn = page.locator("svg g.node").first.bounding_box()
        assert drawn and drawn["width"] > 50 and drawn["height"] > 20  # laid out and rendered, not just present
        assert page.locator("svg path.edge").count() > expected
        start = page.locator("svg g.node.start")
        start.click()
        panel = page.locator(f"#d-{start.get_attribute('data-node')}")
        assert panel.is_visible() and "Daniel" in panel.inner_text()
        page.locator("#zoom-out").click()
        assert page.locator("#map svg").bounding_box()["width"] < page.evaluate("document.querySelector('#map svg')"
                                                                               ".viewBox.baseVal.width")

    open_offline(out, check)


def test_story_markup_shows_as_text_and_never_runs(tmp_path):
    out = tmp_path / "injected.html"
    result = run_cli("graph", injected_story(tmp_path), "--out", out)
    assert result.returncode == 0, result.stderr

    def check(page) -> None:
        assert page.evaluate("window.injected") is None
        assert page.locator("img").count() == 0 and page.locator("script").count() == 1
        start = page.locator("svg g.node.start")
        start.click()
        panel = page.locator(f"#d-{start.get_attribute('data-node')}")
        assert INJECTION in panel.inner_text()  # the scene text and the choice label, read as written
        assert page.evaluate("window.injected") is None

    open_offline(out, check)
