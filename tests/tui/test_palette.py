"""The command palette: PageUp and PageDown never end the game (finding F8, a Textual bug: `KeyError: 0`
in `OptionList._move_page` when the keys come before the palette's list is laid out)."""

from __future__ import annotations

import asyncio

import pytest
from textual import events

from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.title import TitleScreen

from .conftest import FIXTURES, screen_text


def burst(app, *keys: str) -> None:
    """Keys arriving together, as from a terminal (pilot.press waits for the app between keys)."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.mark.parametrize("keys", [
    ("ctrl+p", "pageup"), ("ctrl+p", "pagedown"), ("ctrl+p", "pageup", "pagedown", "pageup"),
    ("ctrl+p", "h", "e", "pagedown"), ("ctrl+p", "h", "e", "pageup"),
], ids="-".join)
async def test_page_keys_in_a_fresh_palette_do_not_crash(keys):
    app = MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, *keys)
        await pilot.pause()
        await asyncio.sleep(0.3)  # the palette gathers its commands in the background
        await pilot.press("pageup", "pagedown", "h", "pagedown", "pageup")  # and once laid out, typed into
        await pilot.pause()
        assert app.is_running and "Help" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
    assert app.return_code in (None, 0)


async def test_page_keys_still_move_through_the_commands():
    app = MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await asyncio.sleep(0.3)
        await pilot.pause()
        commands = app.screen.query_one("CommandList")
        assert commands.option_count > 3 and commands.highlighted == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert commands.highlighted > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert commands.highlighted == 0


async def test_the_theme_search_is_the_safe_palette_too():
    app = MMJourneyApp(bundled_dir=FIXTURES, watch_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.search_themes()
        burst(app, "pagedown", "pageup")
        await pilot.pause()
        assert app.is_running
