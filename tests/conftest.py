from __future__ import annotations

from pathlib import Path

import pytest

from mmjourney.story import load_story

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def clinic():
    """The small test story that uses every construct (tests/fixtures/clinic.yaml)."""
    return load_story(FIXTURES / "clinic.yaml")
