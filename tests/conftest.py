from __future__ import annotations

from pathlib import Path

import pytest

from mmjourney.story import load_story

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Each test gets its own data folder: autosaves and settings never touch the user's or leak."""
    monkeypatch.setenv("MMJOURNEY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MMJOURNEY_STORIES", str(tmp_path / "my-stories"))
    return tmp_path / "data"


@pytest.fixture(scope="session")
def clinic():
    """The small test story that uses every construct (tests/fixtures/clinic.yaml)."""
    return load_story(FIXTURES / "clinic.yaml")


@pytest.fixture(autouse=True)
def seed_zero_for_new_journeys(monkeypatch):
    """A journey started without a seed gets a fresh random one in the game; in tests it is 0, so what a
    test presses is what it meant (a command run as a subprocess says `--seed 0` itself)."""
    monkeypatch.setattr("mmjourney.journey.journey.fresh_seed", lambda: 0)
