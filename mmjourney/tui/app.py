"""The mmjourney app: screens, themes, settings and the command palette.

Only the title screen is imported at start; the story and engine stacks load when the
player first needs them, so the first paint comes quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from ..journey.workspace import Workspace


def attempt_writer(workspace: Workspace):
    """The Workspace's recorder; the records are loaded on first use (they are not needed to start)."""
    from ..records import attempt_writer as writer

    return writer(workspace)


HIGH_CONTRAST = Theme(
    name="mmjourney-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    warning="#ffaa00",
    error="#ff5555",
    success="#55ff55",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
)


class MMJourneyApp(App):
    """Title -> picker -> play -> feedback -> debrief, plus glossary and help."""

    TITLE = "mmjourney"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, *, stories_dir: Path | None = None, story_path: Path | None = None,
                 seed: int = 0, mode: str = "practice", watch_settings: bool = True,
                 bundled_dir: Path | None = None, classroom: bool | None = None,
                 workspace: Workspace | None = None, catalog: Path | None = None) -> None:
        super().__init__()
        # Where this learner's things live; the entry point normally hands it in. In classroom
        # mode (every `mmjourney serve` tab) each learner names themselves first and gets a
        # Workspace of their own, and no browser client ever chooses a path on the server.
        self.workspace = workspace or Workspace.from_environment(stories=stories_dir, classroom=classroom,
                                                                 recorder=attempt_writer)
        self.classroom = self.workspace.classroom
        self.bundled_dir = bundled_dir  # None: the stories that ship with the package
        self.catalog = catalog  # a classroom server's checked story list (mmjourney serve); None: scan the shelf
        self.start_story = story_path
        self.seed = seed
        self.mode = mode
        self.register_theme(HIGH_CONTRAST)
        self._settings = self.workspace.load_settings() if watch_settings else {}
        self._remember_settings = watch_settings
        theme = self._settings.get("theme")
        if theme in self.available_themes:
            self.theme = theme

    def get_default_screen(self) -> Screen:
        from .screens.title import TitleScreen

        return TitleScreen()

    def on_mount(self) -> None:
        if self.classroom:
            from .screens.learner import LearnerScreen

            self.push_screen(LearnerScreen())
        if self.start_story is not None:
            self.call_after_refresh(self.open_story, self.start_story)

    def watch_theme(self, theme: str) -> None:
        if getattr(self, "_remember_settings", False) and self._settings.get("theme") != theme:
            self._settings["theme"] = theme
            try:
                self.workspace.save_settings(self._settings)
            except OSError:
                self.notify("Could not save the theme setting.", severity="warning")

    # --- navigation used by the screens --------------------------------------------------------

    def open_picker(self) -> None:
        from .screens.picker import PickerScreen

        self.push_screen(PickerScreen(self.workspace.stories_dir, self.bundled_dir, self.catalog))

    def open_story(self, path: Path, mode: str | None = None) -> None:
        """Start a story file directly (mmjourney play STORY)."""
        from ..story import StoryError, load_story
        from .screens.messages import MessageScreen

        try:
            story = load_story(path)
        except StoryError as error:
            self.push_screen(MessageScreen("This story cannot be played", "\n".join(map(str, error.errors[:10]))))
            return
        self.start_session(story, mode or self.mode)

    def start_session(self, story, mode: str, seed: int | None = None) -> None:
        from ..journey import Journey

        self.play(Journey.start(story, self.seed if seed is None else seed, mode, self.workspace))

    def play(self, journey) -> None:
        """Show `journey` in the play screen (a new one, a resumed one or a branch)."""
        from .screens.play import PlayScreen

        if journey.note:
            self.notify(journey.note, title="Story changed", timeout=8, markup=False)
        self.push_screen(PlayScreen(journey))

    def open_debrief(self, journey) -> None:
        from .screens.debrief import DebriefScreen

        self.push_screen(DebriefScreen(journey))

    def export_journey(self, journey) -> None:
        """Bring `journey`'s attempt up to date in the records and offer its export: the debrief's 'e' key."""
        messages = journey.record(journey.snapshot())
        if journey.attempt_id is None:
            self.notify(" ".join(messages) or "There is nothing to export yet.", severity="warning", markup=False)
            return
        for message in messages:
            self.notify(message, markup=False)
        self.open_export(journey.attempt_id)

    def open_export(self, attempt_id: int) -> None:
        from .screens.export import ExportScreen

        self.push_screen(ExportScreen(attempt_id))

    def open_attempt(self, attempt_id: int) -> None:
        """A past attempt's debrief, from the records alone."""
        from .screens.attempt import AttemptScreen

        self.push_screen(AttemptScreen(attempt_id))

    def ask_learner_name(self, current: str | None, then: Callable[[str | None], None]) -> None:
        from .screens.learner_name import LearnerNameScreen

        self.push_screen(LearnerNameScreen(current), then)

    def continue_journey(self) -> None:
        from .screens.resume import resume_autosave

        resume_autosave(self)

    def open_progress(self) -> None:
        from .screens.progress import ProgressScreen

        self.push_screen(ProgressScreen())

    def open_glossary(self, glossary: dict[str, str] | None = None) -> None:
        from .screens.glossary import GlossaryScreen

        self.push_screen(GlossaryScreen(glossary or {}))

    def open_help(self) -> None:
        from .screens.help import HelpScreen

        # Installed once and kept: rendering the help's Markdown is the slow part.
        if not self.is_screen_installed("help"):
            self.install_screen(HelpScreen(), "help")
        self.push_screen("help")

    def back_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Play a story", "Choose a scenario to play", self.open_picker)
        yield SystemCommand("Your progress", "Attempts, scores and past debriefs", self.open_progress)
        yield SystemCommand("Glossary", "Look up a term", lambda: self.open_glossary(getattr(screen, "glossary", None)))
        yield SystemCommand("Help", "Keys, modes and scoring", self.open_help)
        yield SystemCommand("Back to the title screen", "Leave the current screen", self.back_to_title)
        yield SystemCommand("High-contrast theme", "Switch to the high-contrast colours",
                            lambda: setattr(self, "theme", HIGH_CONTRAST.name))
        if hasattr(screen, "action_undo"):
            yield SystemCommand("Undo last decision", "Practice mode only", screen.action_undo)
