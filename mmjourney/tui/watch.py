"""`mmjourney play STORY --watch`: the game reloads the story each time its file is saved.

For authors at work: edit the YAML in one window, play in the other. When the story file
(or a fragment it includes) changes on disk, the story is loaded again and the decisions
made so far are replayed on it, as far as they still fit. If the file now has errors, they
are shown inside the game, one `file:line:col` line each, until a save fixes them; the
game never exits because of them.

The key v shows the variables beside the game in place of the chart and the timeline: every
stat (hidden ones too), every flag, the story clock and the last decisions with their events,
updated after every decision and reload (Inky's variable view).
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..journey.variables import Variables, variables_of
from .app import MMJourneyApp
from .screens.play import PlayScreen
from .widgets.footer import KeyFooter

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
        yield KeyFooter()

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


def variables_content(variables: Variables) -> Content:
    """The variables as the panel shows them: story text as text, never as markup."""
    parts: list = [("Clock ", "bold"), f"day {variables.day + 1}, {variables.clock}\n",
                   ("Scene ", "bold"), variables.scene, "\n\n", ("Stats", "bold underline"), "\n"]
    for stat in variables.stats:
        parts += [(stat.name, "bold"), f" {stat.value}", (" hidden" if stat.hidden else "", "italic $warning"), "\n",
                  (f"  {stat.label}", "dim"), "\n"]
    if variables.flags:
        parts += ["\n", ("Flags", "bold underline"), "\n"]
        for name, value in variables.flags:
            parts += [(name, "bold"), " ", ("true", "$success") if value else ("false", "dim"), "\n"]
    parts += ["\n", ("Last decisions", "bold underline"), "\n"]
    parts += [f"{line}\n" for line in variables.recent] or [("none yet", "dim")]
    return Content.assemble(*parts).rstrip()


class WatchPlayScreen(PlayScreen):
    """The play screen of the watch mode: the variables panel (v) can stand in for the chart and timeline."""

    BINDINGS = [Binding("v", "variables", "Variables")]
    DEFAULT_CSS = """
    WatchPlayScreen #watch-variables { width: 40; border-left: solid $warning; padding: 0 1; display: none; }
    WatchPlayScreen.-variables #watch-variables { display: block; }
    WatchPlayScreen.-variables #play-side { display: none; }
    WatchPlayScreen.-narrow #watch-variables { width: 100%; height: 10; border-left: none;
                                               border-top: solid $warning; }
    """

    async def on_mount(self) -> None:
        # Beside the story, where the chart and the timeline are: the panel is their author's version.
        self.set_class(self.app.show_variables, "-variables")
        panel = VerticalScroll(Static(id="watch-variables-text"), id="watch-variables")
        await self.query_one("#play-body").mount(panel)
        self.show_variables()

    async def show_scene(self) -> None:
        await super().show_scene()
        self.show_variables()

    async def show_feedback(self, consequence) -> None:
        await super().show_feedback(consequence)
        self.show_variables()

    def show_variables(self) -> None:
        found = self.query("#watch-variables-text")
        if found:
            found.first(Static).update(variables_content(variables_of(self.session)))

    def action_variables(self) -> None:
        self.app.show_variables = not self.app.show_variables
        self.set_class(self.app.show_variables, "-variables")


class WatchingApp(MMJourneyApp):
    """The usual app, plus a watch on one story file and the fragments it includes."""

    def __init__(self, *, story_path: Path, poll_seconds: float = POLL_SECONDS, **kwargs) -> None:
        super().__init__(story_path=story_path, **kwargs)
        self.watched = Path(story_path)
        self.poll_seconds = poll_seconds
        self._includes: list[Path] = []
        self._signature = self._stat()
        self.show_variables = False  # the variables panel (v), kept as the story reloads

    def play_screen(self, journey) -> PlayScreen:
        return WatchPlayScreen(journey)

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
            self.switch_screen(self.play_screen(journey))
        else:
            self.push_screen(self.play_screen(journey))
        if current is None and journey.preview is not None:
            # The play screen says where the preview starts, under the scene's heading; a toast only when
            # the way there no longer fits the story.
            if replay.reason:
                self.notify(f"Only {replay.replayed} of {replay.total} decisions on the way fit the story now: "
                            f"{replay.reason}.", title="Preview", severity="warning", timeout=10, markup=False)
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
