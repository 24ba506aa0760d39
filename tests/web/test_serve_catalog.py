"""The classroom server checks its stories once at start-up and writes the catalog its games list from."""

from __future__ import annotations

import json
import shutil

import pytest

from mmjourney import serve as serve_module
from mmjourney.library import Catalog, load_listed, read_catalog, vet, write_catalog
from mmjourney.story import StoryError

from ..conftest import REPO

TUTORIAL = REPO / "stories" / "tutorial-first-shift.yaml"


@pytest.fixture
def shelf(tmp_path):
    """A bundled folder with the tutorial, and the teacher's folder with one good, one broken, one huge story."""
    bundled, mine = tmp_path / "bundled", tmp_path / "mine"
    for folder in (bundled, mine):
        shutil.copytree(TUTORIAL.parent / "fragments", folder / "fragments")  # the tutorial includes some
    text = TUTORIAL.read_text()
    (bundled / TUTORIAL.name).write_text(text)
    (mine / "copy.yaml").write_text(text.replace("id: tutorial-first-shift", "id: my-copy"))
    (mine / "broken.yaml").write_text(text.replace("id: tutorial-first-shift", "id: broken")
                                      .replace("difficulty: beginner", "difficulty: beginer"))
    (mine / "huge.yaml").write_text("# padding\n" * 300_000)
    return bundled, mine


def test_vet_refuses_broken_and_oversize_stories_without_reading_the_big_ones(shelf):
    bundled, mine = shelf
    listings, refused = vet(mine, bundled, max_bytes=1024 * 1024)
    assert [(listing.source, listing.path.name) for listing in listings] == [("bundled", TUTORIAL.name),
                                                                             ("yours", "copy.yaml")]
    reasons = {path.name: reason for path, reason in refused}
    assert set(reasons) == {"broken.yaml", "huge.yaml"}
    assert "'beginer' is not one of" in reasons["broken.yaml"]
    assert "2.9 MB" in reasons["huge.yaml"] and "at most 1 MB" in reasons["huge.yaml"]


def test_the_catalog_round_trips_and_refuses_what_it_did_not_write(shelf, tmp_path):
    listings, _ = vet(None, shelf[0], max_bytes=1024 * 1024)
    path = tmp_path / "server" / "story-catalog.json"
    write_catalog(path, Catalog(listings, 1024 * 1024))
    assert read_catalog(path) == Catalog(listings, 1024 * 1024)
    good = json.loads(path.read_text())
    for damage in ({**good, "catalog": 2}, {**good, "stories": [{**good["stories"][0], "minutes": "5"}]},
                   {**good, "stories": [{**good["stories"][0], "extra": 1}]}, [1] * 3, "[" * 100_000):
        path.write_text(damage if isinstance(damage, str) else json.dumps(damage))
        with pytest.raises(ValueError):
            read_catalog(path)


def test_a_listed_story_is_checked_again_if_it_changed(shelf):
    bundled, _ = shelf
    (listing,), _ = vet(None, bundled, max_bytes=1024 * 1024)
    story, changed = load_listed(listing, 1024 * 1024)
    assert story.content_hash == listing.content_hash and not changed
    listing.path.write_text(listing.path.read_text().replace('title: "', 'title: "Edited ', 1))
    story, changed = load_listed(listing, 1024 * 1024)
    assert changed and story.model.title.startswith("Edited")
    listing.path.write_text(listing.path.read_text() + "#" * 2 * 1024 * 1024)
    with pytest.raises(StoryError, match="grown to 2.1 MB"):
        load_listed(listing, 1024 * 1024)
    listing.path.unlink()
    with pytest.raises(StoryError, match="cannot be read"):
        load_listed(listing, 1024 * 1024)


def test_serve_prints_the_stories_the_data_folder_and_how_to_collect_results(shelf, tmp_path, monkeypatch, capsys):
    _, mine = shelf
    started = []
    monkeypatch.setattr(serve_module.ClassroomServer, "serve", lambda server: started.append(server))
    monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(tmp_path / "class\x1b]0;x"))
    monkeypatch.setattr(serve_module, "MAX_STORY_BYTES", 1024 * 1024)
    assert serve_module.serve("0.0.0.0", 8123, str(mine), password="heron", max_learners=7, memory_mb=300) == 0
    out, err = capsys.readouterr()
    assert "offered  Tutorial: first shift" in out and "copy.yaml" in out
    assert "REFUSED" in out and "broken.yaml" in out and "huge.yaml" in out
    assert "\x1b" not in out  # the folder name's escape sequence is not printed raw
    data = (tmp_path / "class\x1b]0;x").resolve()
    assert "Collect the class's results with: mmjourney report --classroom" in out
    assert "Up to 7 learners at once; learners type the class code first." in out
    assert "WARNING" not in err and "NOTE: games and the class code travel unencrypted" in err
    (server,) = started
    assert "--memory-mb 300" in server.command and "--catalog" in server.command
    catalog = read_catalog(data / "server" / "story-catalog.json")
    assert [listing.path.name for listing in catalog.stories][-1] == "copy.yaml"


def test_serve_warns_what_an_open_class_allows(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(serve_module.ClassroomServer, "serve", lambda server: None)
    monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(tmp_path))
    assert serve_module.serve("0.0.0.0", 8123) == 0
    err = capsys.readouterr().err
    for words in ("join as new learners", "guess learners' secrets", "fill this machine's disk", "see the names",
                  "--password", "MMJOURNEY_CLASS_PASSWORD"):
        assert words in err
    assert serve_module.serve("127.0.0.1", 8123, public_url="ftp://nope") == 2
    assert "--public-url must be an http:// or https:// address" in capsys.readouterr().err
