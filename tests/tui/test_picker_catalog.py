"""A classroom tab lists the stories from the server's catalog and loads only the one chosen."""

from __future__ import annotations

import shutil

from mmjourney.library import Catalog, vet, write_catalog
from mmjourney.tui.app import MMJourneyApp
from mmjourney.tui.screens.picker import PickerScreen
from mmjourney.tui.screens.play import PlayScreen

from .conftest import TUTORIAL, screen_text


async def open_picker(app, pilot) -> None:
    await pilot.pause()
    await pilot.press("p")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_picker_lists_from_the_catalog_and_loads_the_chosen_story(tmp_path, monkeypatch):
    shelf = tmp_path / "shelf"
    shutil.copytree(TUTORIAL.parent, shelf)
    listings, _ = vet(None, shelf, max_bytes=1024 * 1024)
    catalog = tmp_path / "story-catalog.json"
    # Only the tutorial is listed: the picker must not scan the shelf.
    write_catalog(catalog, Catalog([x for x in listings if x.path.name == TUTORIAL.name], 1024 * 1024))
    loaded = []
    import mmjourney.library as library

    real_load = library.load_story
    monkeypatch.setattr(library, "load_story", lambda path: loaded.append(path.name) or real_load(path))
    app = MMJourneyApp(catalog=catalog, watch_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_picker(app, pilot)
        assert isinstance(app.screen, PickerScreen)
        text = screen_text(app)
        assert "Tutorial: first shift" in text and "Recognise the symptoms" in text
        assert "Watch and wait" not in text and loaded == []
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and loaded == [TUTORIAL.name]


async def test_an_unreadable_catalog_is_explained(tmp_path):
    catalog = tmp_path / "story-catalog.json"
    catalog.write_text("{not json")
    app = MMJourneyApp(catalog=catalog, watch_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_picker(app, pilot)
        text = " ".join(screen_text(app).replace("▎", " ").split())
        assert "No stories found." in text and "story list cannot be read" in text, text
