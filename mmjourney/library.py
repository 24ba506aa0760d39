"""The stories a player can choose from: bundled ones and their own, each checked.

A story that fails validation is still listed, with its first error, so an educator
sees why it cannot be played instead of wondering where it went.

A classroom server checks its stories once at start-up and writes a catalog (what the picker
shows, plus each story's path and content hash); its game processes list from that catalog and
load only the story a learner chooses, instead of every tab re-loading every story.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .journey.files import read_small_text, write_json_atomic
from .paths import bundled_stories_dir
from .story import LoadedStory, Problem, StoryError, load_story, story_files
from .story.loader import is_fragment
from .story.text_safety import visible
from .story.yaml_source import YamlSourceError, parse_yaml, read_text


@dataclass(frozen=True)
class StoryEntry:
    path: Path
    source: str  # "bundled" or "yours"
    story: LoadedStory | None
    problem: Problem | None = None

    @property
    def title(self) -> str:
        # A loaded story's title is already free of control characters; a file name may hold them.
        return self.story.model.title if self.story else visible(self.path.name)

    @property
    def playable(self) -> bool:
        return self.story is not None


def _entry(path: Path, source: str) -> StoryEntry | None:
    try:
        text, _ = read_text(path, str(path))
        if is_fragment(parse_yaml(text, str(path))):
            return None  # fragments are parts of stories, not stories
    except YamlSourceError:
        pass  # load_story reports it properly below
    try:
        return StoryEntry(path, source, load_story(path))
    except StoryError as error:
        return StoryEntry(path, source, None, error.errors[0] if error.errors else error.problems[0])


def _story_paths(user_dir: Path | None, bundled_dir: Path | None):
    """(path, source) of every YAML file on the shelf, bundled ones first (tutorial first), then the user's."""
    found = []
    for folder, source in ((bundled_dir or bundled_stories_dir(), "bundled"), (user_dir, "yours")):
        if folder is not None and folder.is_dir():
            found += [(path, source) for path in story_files(folder)]
    return sorted(found, key=lambda f: (f[1] != "bundled", not f[0].name.startswith("tutorial"), f[0].name))


def scan(user_dir: Path | None = None, bundled_dir: Path | None = None) -> list[StoryEntry]:
    """Bundled stories first (tutorial first), then the user's, each sorted by file name."""
    entries = (_entry(path, source) for path, source in _story_paths(user_dir, bundled_dir))
    return [entry for entry in entries if entry is not None]


# --- the classroom catalog -----------------------------------------------------------------------

CATALOG_VERSION = 1
MAX_CATALOG_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Listing:
    """A playable story as the picker shows it, without the story itself (which is loaded when chosen)."""

    path: Path
    source: str
    content_hash: str
    story_id: str  # the learner's results are kept by story id
    title: str
    summary: str
    difficulty: str
    minutes: int
    audience: tuple[str, ...]
    objectives: tuple[str, ...]
    disclaimer: str

    @classmethod
    def of(cls, entry: StoryEntry) -> Listing:
        assert entry.story is not None, "only playable stories are listed"
        return cls.of_story(entry.story, entry.source)

    @classmethod
    def of_story(cls, story: LoadedStory, source: str) -> Listing:
        model = story.model
        return cls(Path(story.path), source, story.content_hash, model.id, model.title, model.summary,
                   model.difficulty, model.minutes, tuple(model.audience), tuple(o.text for o in model.objectives),
                   model.disclaimer)

    def to_json(self) -> dict:
        return {**asdict(self), "path": str(self.path), "audience": list(self.audience),
                "objectives": list(self.objectives)}

    @classmethod
    def from_json(cls, data: object) -> Listing:
        """Raises ValueError unless `data` has exactly the shape to_json writes."""
        if not isinstance(data, dict) or set(data) != {f for f in cls.__dataclass_fields__}:
            raise ValueError("a catalog entry has other fields than expected")
        texts = ("path", "source", "content_hash", "story_id", "title", "summary", "difficulty", "disclaimer")
        lists = ("audience", "objectives")
        if not (all(isinstance(data[k], str) for k in texts)
                and isinstance(data["minutes"], int) and not isinstance(data["minutes"], bool)
                and all(isinstance(data[k], list) and all(isinstance(t, str) for t in data[k]) for k in lists)):
            raise ValueError("a catalog entry has a value of the wrong type")
        return cls(**{**data, "path": Path(data["path"]), "audience": tuple(data["audience"]),
                      "objectives": tuple(data["objectives"])})


@dataclass(frozen=True)
class Catalog:
    stories: list[Listing]
    max_story_bytes: int  # a story that has grown past this since it was checked is not loaded


def vet(user_dir: Path | None, bundled_dir: Path | None, max_bytes: int):
    """Load every story once: (listings of the playable ones, [(path, reason)] for each refused one).

    A file over `max_bytes` is refused without being read: parsing a 13 MB story took 43 s and 1 GB.
    """
    listings: list[Listing] = []
    refused: list[tuple[Path, str]] = []
    for path, source in _story_paths(user_dir, bundled_dir):
        try:
            size = os.stat(path).st_size
        except OSError as error:
            refused.append((path, f"cannot be read ({error.strerror})"))
            continue
        if size > max_bytes:
            refused.append((path, f"the file is {size / 2**20:.1f} MB; the classroom server takes stories "
                                  f"of at most {max_bytes / 2**20:g} MB"))
            continue
        entry = _entry(path, source)
        if entry is None:
            continue  # a fragment: the stories that include it were checked with it
        if entry.story is None:
            refused.append((path, str(entry.problem)))
        else:
            listings.append(Listing.of(entry))
    return listings, refused


def write_catalog(path: Path, catalog: Catalog) -> None:
    write_json_atomic(path, {"catalog": CATALOG_VERSION, "max_story_bytes": catalog.max_story_bytes,
                             "stories": [listing.to_json() for listing in catalog.stories]})


def read_catalog(path: Path) -> Catalog:
    """The catalog a classroom server wrote; raises ValueError (plain words) or OSError if it cannot be used."""
    try:
        data = json.loads(read_small_text(path, MAX_CATALOG_BYTES))
    except RecursionError:
        raise ValueError("the story catalog is nested too deeply") from None
    if not (isinstance(data, dict) and data.get("catalog") == CATALOG_VERSION
            and isinstance(data.get("stories"), list) and type(data.get("max_story_bytes")) is int):
        raise ValueError("the story catalog is not one this version of mmjourney wrote")
    return Catalog([Listing.from_json(item) for item in data["stories"]], data["max_story_bytes"])


def load_listed(listing: Listing, max_bytes: int) -> tuple[LoadedStory, bool]:
    """Load a listed story to play it: (the story, whether it changed since it was listed).

    A story edited since the server checked it is checked again here, as it loads; one that has
    grown past the size limit is refused before it is read. Raises StoryError.
    """
    try:
        size = os.stat(listing.path).st_size
    except OSError as error:
        raise StoryError([Problem(str(listing.path), None, None, f"cannot be read ({error.strerror})")]) from None
    if size > max_bytes:
        raise StoryError([Problem(str(listing.path), None, None,
                                  f"the file has grown to {size / 2**20:.1f} MB since the server checked it; "
                                  f"the classroom takes stories of at most {max_bytes / 2**20:g} MB")])
    story = load_story(listing.path)
    return story, story.content_hash != listing.content_hash
