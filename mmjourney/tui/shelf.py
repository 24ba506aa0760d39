"""The story shelf as the app keeps it: scanned once, scanned again only when a file changed.

Scanning parses and checks every story (about half a second for the bundled seven), which
made every opening of the picker, and Continue, lag (review latency table: 0.5-1.7 s). The
app warms the shelf while the title screen is read; the picker lists from it and Continue
takes the saved journey's story from it, as long as no story file changed since.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..library import StoryEntry, scan
from ..paths import bundled_stories_dir
from ..story import LoadedStory
from ..story.loader import story_files

Signature = tuple[tuple[str, int, int], ...]


class Shelf:
    def __init__(self, user_dir: Path | None, bundled_dir: Path | None) -> None:
        self.user_dir = user_dir
        self.bundled_dir = bundled_dir
        self._lock = threading.Lock()  # the warm-up worker and the picker's may ask at once
        self._signature: Signature | None = None
        self._entries: list[StoryEntry] = []

    def _signature_now(self) -> Signature:
        """Every story and fragment file's path, modification time and size: any edit changes it."""
        found = []
        for folder in (self.bundled_dir or bundled_stories_dir(), self.user_dir):
            for path in story_files(folder) if folder is not None and folder.is_dir() else ():
                try:
                    stat = path.stat()
                except OSError:
                    continue  # gone since it was listed: the scan will not find it either
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def entries(self) -> list[StoryEntry]:
        """Every story on the shelf, checked (scanning again only if a file changed)."""
        with self._lock:
            signature = self._signature_now()
            if signature != self._signature:
                self._entries = scan(self.user_dir, self.bundled_dir)
                self._signature = signature
            return list(self._entries)

    def story_at(self, path: Path) -> LoadedStory | None:
        """The story at `path` if the shelf has it loaded and no file changed since; never scans."""
        with self._lock:
            if self._signature is None or self._signature_now() != self._signature:
                return None
            wanted = path.resolve()
            return next((e.story for e in self._entries if e.story is not None and e.path.resolve() == wanted), None)
