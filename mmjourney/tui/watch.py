"""`mmjourney play STORY --watch`: the game reloads the story each time its file is saved.

For authors at work: edit the YAML in one window, play in the other. When the story file
(or a fragment it includes) changes on disk, the story is loaded again and the decisions
made so far are replayed on it, as far as they still fit. If the file now has errors, they
are shown inside the game, one `file:line:col` line each, until a save fixes them; the
game never exits because of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from .app import MMJourneyApp

POLL_SECONDS = 0.5
MAX_SHOWN = 40


class ProblemsScreen(Screen):
    """The errors that stop the watched story loading; replaced as soon as a save fixes them."""

    BINDINGS = [Binding("escape", "leave", "Title")]
    DEFAULT_CSS = """
    ProblemsScreen #watch-problems { padding: 1 2; }
    ProblemsScreen #watch-title { text-style: bold; color: $error; }
    ProblemsScreen #watch-hint { color: $text-muted; margin-bottom: 1; }
    ProblemsScreen #watch-lines { border: round $error; padding: 0 1; height: 1fr; }
    """

    def __init__(self, path: Path, lines: list[str]) -> None:
        super().__init__()
        self.path = path
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="watch-problems"):
            yield Static(Content.assemble(("The story has errors: ", "bold"), str(self.path)), id="watch-title")
            yield Static(Content("Fix them in your editor and save: the game reloads by itself and replays "
                                 "your decisions."), id="watch-hint")
            with VerticalScroll(id="watch-lines"):
                yield Static(Content(self.text()), id="watch-text")
        yield Footer()

    def text(self) -> str:
        shown = self.lines[:MAX_SHOWN]
        more = len(self.lines) - len(shown)
        return "\n".join(shown) + (f"\n... and {more} more" if more > 0 else "")

    def show(self, lines: list[str]) -> None:
        self.lines = lines
        if self.is_mounted:
            self.query_one("#watch-text", Static).update(Content(self.text()))

    def action_leave(self) -> None:
        self.app.back_to_title()


class WatchingApp(MMJourneyApp):
    """The usual app, plus a watch on one story file and the fragments it includes."""

    def __init__(self, *, story_path: Path, poll_seconds: float = POLL_SECONDS, **kwargs) -> None:
        super().__init__(story_path=story_path, **kwargs)
        self.watched = Path(story_path)
        self.poll_seconds = poll_seconds
        self._includes: list[Path] = []
        self._signature = self._stat()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(self.poll_seconds, self.check_for_changes)

    # --- noticing a save --------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        return [self.watched, *self._includes]

    def _stat(self) -> tuple:
        found = []
        for path in self._files():
            try:
                info = os.stat(path)
                found.append((str(path), info.st_mtime_ns, info.st_size))
            except OSError:
                found.append((str(path), None, None))
        return tuple(found)

    def check_for_changes(self) -> bool:
        """Reload if the story or one of its fragments changed on disk; True when it did."""
        signature = self._stat()
        if signature == self._signature:
            return False
        self._signature = signature
        self.open_story(self.watched)
        return True

    # --- loading, replaying, showing problems ------------------------------------------------------

    def open_story(self, path: Path, mode: str | None = None) -> None:
        if Path(path) != self.watched:
            super().open_story(path, mode)
            return
        from ..story import StoryError, load_story

        try:
            story = load_story(path)
        except StoryError as error:
            self.show_problems([str(problem) for problem in error.problems])
            return
        self._includes = [Path(path).resolve().parent / name for name in story.model.includes]
        self._signature = self._stat()
        self.replace_journey(story, mode)

    def show_problems(self, lines: list[str]) -> None:
        screen = next((s for s in self.screen_stack if isinstance(s, ProblemsScreen)), None)
        if screen is None:
            self.push_screen(ProblemsScreen(self.watched, lines))
        else:
            screen.show(lines)

    def replace_journey(self, story, mode: str | None = None) -> None:
        """Show the reloaded story, with the decisions made so far replayed as far as they fit (on the
        first load, a preview's way to where it starts)."""
        from ..journey import Journey
        from .screens.play import PlayScreen

        current = next((s for s in reversed(self.screen_stack) if isinstance(s, PlayScreen)), None)
        if current is not None:
            old = current.session
            journey, replay = Journey.replaying(story, old.seed, old.mode, old.actions, self.workspace,
                                                current.journey.preview)
        else:
            journey, replay = Journey.replaying(story, self.seed, mode or self.mode,
                                                self.preview.actions if self.preview else (), self.workspace,
                                                self.preview)
        anchor = current if current is not None else next(
            (s for s in self.screen_stack if isinstance(s, ProblemsScreen)), None)
        if anchor is not None:
            while self.screen is not anchor:
                self.pop_screen()
            self.switch_screen(PlayScreen(journey))
        else:
            self.push_screen(PlayScreen(journey))
        if current is None and journey.preview is not None:
            notice = journey.preview.notice + (f" Only {replay.replayed} of {replay.total} decisions fit the story "
                                               f"now: {replay.reason}." if replay.reason else "")
            self.notify(notice, title="Preview", severity="warning" if replay.reason else "information",
                        timeout=10, markup=False)
        elif replay.total:
            if replay.reason:
                message = (f"Reloaded {story.path.name}: replayed {replay.replayed} of {replay.total} decisions; "
                           f"{replay.reason}.")
                self.notify(message, title="Story reloaded", severity="warning", timeout=10, markup=False)
            else:
                self.notify(f"Reloaded {story.path.name}: replayed all {replay.total} decisions.",
                            title="Story reloaded", markup=False)
        elif current is not None:
            self.notify(f"Reloaded {story.path.name}.", title="Story reloaded", markup=False)
