"""The mmjourney app: screens, themes, settings and the command palette.

Only the title screen is imported at start; the story and engine stacks load when the
player first needs them, so the first paint comes quickly. While the learner reads the title
screen a worker warms them up (imports, the story shelf), so the picker and Continue open at
once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from textual import work
from textual.app import App, SystemCommand
from textual.command import CommandListItem, SimpleProvider
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import ThemeProvider

from ..journey.workspace import Workspace
from . import themes
from .untrusted import shown_lines

if TYPE_CHECKING:
    from ..journey.preview import Preview
    from .shelf import Shelf


def attempt_writer(workspace: Workspace):
    """The Workspace's recorder; the records are loaded on first use (they are not needed to start)."""
    from ..records import attempt_writer as writer

    return writer(workspace)


# In classroom mode, the screen modes (each a screen stack of its own) of the name screen and of
# the learner who signed in.
SIGN_IN_MODE = "sign-in"
LEARNER_MODE = "learner"

class MMJourneyApp(App):
    """Title -> picker -> play -> feedback -> debrief, plus glossary and help."""

    TITLE = "mmjourney"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, *, stories_dir: Path | None = None, story_path: Path | None = None,
                 seed: int | None = None, mode: str = "practice", watch_settings: bool = True,
                 story_intro: bool = False,
                 bundled_dir: Path | None = None, classroom: bool | None = None,
                 workspace: Workspace | None = None, catalog: Path | None = None,
                 roster: Path | None = None, warm_up: bool | None = None, launched: bool = False,
                 preview: Preview | None = None) -> None:
        super().__init__()
        # Where this learner's things live; the entry point normally hands it in. In classroom
        # mode (every `mmjourney serve` tab) each learner signs in first and gets a Workspace of
        # their own, and no browser client ever chooses a path on the server.
        self.workspace = workspace or Workspace.from_environment(stories=stories_dir, classroom=classroom,
                                                                 recorder=attempt_writer)
        self.classroom = self.workspace.classroom
        # The class's own Workspace, which holds the learners' registry and their folders: each
        # learner who signs in gets one inside it, and "Switch learner" comes back to it.
        self.class_workspace = self.workspace
        self.roster = roster  # `serve --roster` loaded it into the registry: only names on it may join
        # A learner a learning platform launched (serve --lti): the platform said who they are, so the
        # game offers no way to sign in as anyone else.
        self.launched = launched
        self.classroom_mode: str | None = None
        self.bundled_dir = bundled_dir  # None: the stories that ship with the package
        self.catalog = catalog  # a classroom server's checked story list (mmjourney serve); None: scan the shelf
        self.start_story = story_path
        self.story_intro = story_intro  # show the story's summary and objectives before its first scene
        self.preview = preview  # an author's preview of story_path (`play --from`): where it starts
        self.seed = seed
        self.mode = mode
        self.warm_up = warm_up  # None: when running for real, not in a headless test
        self._shelf: Shelf | None = None
        for theme, _, _ in themes.OFFERED:
            self.register_theme(theme)
        self.choose_theme(themes.DEFAULT)  # a saved choice (use_settings) wins
        self.first_theme = self.theme
        self._settings: dict = {}
        self._remember_settings = watch_settings
        if not self.needs_learner:
            self.use_settings()

    @property
    def needs_learner(self) -> bool:
        """Classroom mode before anyone signed in: nothing may be played, read or saved yet, since the
        only folder there is to use is the class's own, shared by everyone."""
        return self.classroom and self.workspace.learner is None

    def use_settings(self) -> None:
        self._settings = self.workspace.load_settings() if self._remember_settings else {}
        theme = self._settings.get("theme")
        if theme in self.available_themes:
            self.choose_theme(theme)

    def choose_theme(self, name: str) -> None:
        """Use the theme `name`. Before the app runs, without what setting `App.theme` queues: a re-parse of
        every style rule, which made the first paint about 12 ms later, on top of the parse that reads them
        anyway. What the theme decides is set here instead: the app's theme classes and the CSS variables
        the stylesheet will be parsed with (the ANSI colour filter only matters to light themes)."""
        if self.is_running:
            self.theme = name
            return
        theme = self.get_theme(name)
        assert theme is not None, name
        self.set_reactive(App.theme, name)
        classes = {old: False for old in self.classes if old.startswith("-theme-")}
        self.update_classes({**classes, f"-theme-{name}": True, "-dark-mode": theme.dark,
                             "-light-mode": not theme.dark}, update=False)
        self.stylesheet.set_variables(self.get_css_variables())
        if not theme.dark:
            self._refresh_truecolor_filter(self.ansi_theme)

    def get_default_screen(self) -> Screen:
        if self.classroom:
            return Screen()  # a blank stage: the name screen comes at mount, in a mode of its own
        from .screens.title import TitleScreen

        return TitleScreen()

    def learner_screen(self) -> Screen:
        from ..classroom import Registry
        from .screens.learner import LearnerScreen

        return LearnerScreen(Registry(self.class_workspace.data_dir, roster=self.roster is not None))

    def on_mount(self) -> None:
        if self.classroom:  # the entry point may hand in a learner's Workspace: then they are signed in
            self.enter_classroom_mode(SIGN_IN_MODE if self.needs_learner else LEARNER_MODE)
        if self.start_story is not None:
            self.call_after_refresh(self.open_story, self.start_story)
        elif not self.needs_learner:
            self.warm_up_later()

    def warm_up_later(self) -> None:
        """Warm up after the next paint, when running for real (or asked to). A classroom game waits for
        the learner to sign in: a thread importing while the name screen takes their keys made it miss
        them on a busy server, and whose shelf to scan is known only then."""
        if self.warm_up or (self.warm_up is None and not self.is_headless):
            self.call_after_refresh(self.warm_up_screens, self.shelf)

    @property
    def shelf(self) -> Shelf:
        """The current learner's story shelf (their own stories and the bundled ones), kept while it is theirs."""
        from .shelf import Shelf

        user_dir = self.workspace.stories_dir
        if self._shelf is None or (self._shelf.user_dir, self._shelf.bundled_dir) != (user_dir, self.bundled_dir):
            self._shelf = Shelf(user_dir, self.bundled_dir)
        return self._shelf

    @work(thread=True, exclusive=True, group="warm-up")
    def warm_up_screens(self, shelf: Shelf) -> None:
        """Import what the picker and the play screen need and scan the shelf, after the first paint,
        so the first "Play" and "Continue" do not wait for them (review latency table)."""
        from .screens import picker, play  # noqa: F401 (imported for their import time only)

        if self.catalog is None:
            shelf.entries()

    def enter_classroom_mode(self, mode: str) -> None:
        """Classroom: show the name screen (SIGN_IN_MODE) or the signed-in learner's title screen
        (LEARNER_MODE), each a screen mode of its own, made afresh, and drop the other with all its
        screens. So nothing ("Back to the title", Escape) on the name screen can reach a title screen,
        and after "Switch learner" nothing of the previous learner's is left on any screen."""
        from .screens.title import TitleScreen

        previous = self.classroom_mode
        self.add_mode(mode, self.learner_screen if mode == SIGN_IN_MODE else TitleScreen)
        self.switch_mode(mode)
        if previous is not None:
            self.remove_mode(previous)
        self.classroom_mode = mode

    def sign_in(self, learner_id: str, name: str) -> None:
        """Classroom: `name` signed in; from now on everything is read from and kept in their folder."""
        self.workspace = self.class_workspace.for_learner(learner_id, name)
        self.use_settings()
        self.enter_classroom_mode(LEARNER_MODE)
        self.warm_up_later()

    @property
    def can_switch_learner(self) -> bool:
        return self.classroom and not self.launched

    def switch_learner(self) -> None:
        """Classroom: back to the name screen; the next learner sees only their own things."""
        if not self.can_switch_learner:
            return
        self.workspace = self.class_workspace
        self._settings = {}
        self.theme = self.first_theme
        self.enter_classroom_mode(SIGN_IN_MODE)

    def refused_without_learner(self) -> bool:
        """Whether a classroom game with no learner yet was asked to play or open records (and refused)."""
        if self.needs_learner:
            self.notify("Type your name first.", severity="warning")
            return True
        return False

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification's text with its control characters shown as escapes, never obeyed: they
        quote file paths, story notes and error messages (finding F5)."""
        super().notify(shown_lines(message), title=shown_lines(title), severity=severity, timeout=timeout,
                       markup=markup)

    def watch_theme(self, theme: str) -> None:
        if not getattr(self, "_remember_settings", False) or self.needs_learner:
            return  # still starting, or in a classroom with no learner's folder to keep it in
        if self._settings.get("theme") != theme:
            self._settings["theme"] = theme
            try:
                self.workspace.save_settings(self._settings)
            except OSError:
                self.notify("Could not save the theme setting.", severity="warning")

    # --- navigation used by the screens --------------------------------------------------------

    def open_picker(self) -> None:
        if self.refused_without_learner():
            return
        from .screens.picker import PickerScreen

        self.push_screen(PickerScreen(self.shelf, self.catalog))

    def open_story(self, path: Path, mode: str | None = None) -> None:
        """Start a story file directly (mmjourney play STORY)."""
        if self.refused_without_learner():
            return
        from ..story import StoryError, load_story
        from .screens.messages import MessageScreen

        try:
            story = load_story(path)
        except StoryError as error:
            self.push_screen(MessageScreen("This story cannot be played", "\n".join(map(str, error.errors[:10]))))
            return
        mode = mode or self.mode
        if self.preview is not None:
            from ..journey import Journey

            self.play(Journey.previewing(story, self.preview, self.seed, mode, self.workspace))
            return
        if not self.story_intro:
            self.start_session(story, mode)
            return
        from ..library import Listing
        from .screens.intro import StoryIntroScreen

        self.push_screen(StoryIntroScreen(Listing.of_story(story, "file"), mode),
                         lambda start: self.start_session(story, mode) if start else None)

    def start_session(self, story, mode: str, seed: int | None = None) -> None:
        if self.refused_without_learner():
            return
        from ..journey import Journey

        self.play(Journey.start(story, self.seed if seed is None else seed, mode, self.workspace))

    def play(self, journey) -> None:
        """Show `journey` in the play screen (a new one, a resumed one or a branch)."""
        if self.refused_without_learner():
            return
        if journey.note:
            self.notify(journey.note, title="Continuing your journey", timeout=8, markup=False)
        self.push_screen(self.play_screen(journey))

    def play_screen(self, journey) -> Screen:
        """The screen that plays `journey` (the watch mode's has the variables panel)."""
        from .screens.play import PlayScreen

        return PlayScreen(journey)

    def open_debrief(self, journey) -> None:
        if self.refused_without_learner():
            return
        from .screens.debrief import DebriefScreen

        self.push_screen(DebriefScreen(journey))

    def export_journey(self, journey) -> None:
        """Bring `journey`'s attempt up to date in the records and offer its export: the debrief's 'e' key."""
        if self.refused_without_learner():
            return
        messages = journey.record(journey.snapshot())
        if journey.attempt_id is None:
            self.notify(" ".join(messages) or "There is nothing to export yet.", severity="warning", markup=False)
            return
        for message in messages:
            self.notify(message, markup=False)
        self.open_export(journey.attempt_id)

    def open_export(self, attempt_id: int) -> None:
        if self.refused_without_learner():
            return
        from .screens.export import ExportScreen

        self.push_screen(ExportScreen(attempt_id))

    def open_attempt(self, attempt_id: int) -> None:
        """A past attempt's debrief, from the records alone."""
        if self.refused_without_learner():
            return
        from .screens.attempt import AttemptScreen

        self.push_screen(AttemptScreen(attempt_id))

    def ask_learner_name(self, current: str | None, then: Callable[[str | None], None]) -> None:
        if self.refused_without_learner():
            return
        from .screens.learner_name import LearnerNameScreen

        self.push_screen(LearnerNameScreen(current), then)

    def continue_journey(self) -> None:
        if self.refused_without_learner():
            return
        from .screens.resume import choose_journey

        choose_journey(self)

    def open_progress(self) -> None:
        if self.refused_without_learner():
            return
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

    # --- the command palette, with PageUp and PageDown made safe (widgets/palette.py) -----------------

    def action_command_palette(self) -> None:
        from .widgets.palette import SafeCommandPalette  # loaded when first opened, not at start-up

        if self.use_command_palette and not SafeCommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def search_commands(self, commands: Sequence[CommandListItem], placeholder: str = "Search for commands…"):
        from .widgets.palette import SafeCommandPalette

        return self.push_screen(SafeCommandPalette(providers=[SimpleProvider(self.screen, commands)],
                                                   placeholder=placeholder))

    def search_themes(self) -> None:
        from .widgets.palette import SafeCommandPalette

        self.push_screen(SafeCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.needs_learner:
            return  # on the name screen: nothing of a learner's until someone signs in
        yield SystemCommand("Play a story", "Choose a scenario to play", self.open_picker)
        yield SystemCommand("Your progress", "Attempts, scores and past debriefs", self.open_progress)
        yield SystemCommand("Glossary", "Look up a term", lambda: self.open_glossary(getattr(screen, "glossary", None)))
        yield SystemCommand("Help", "Keys, modes and scoring", self.open_help)
        yield SystemCommand("Back to the title screen", "Leave the current screen", self.back_to_title)
        yield SystemCommand("High-contrast theme", "Switch to the high-contrast colours",
                            lambda: setattr(self, "theme", themes.HIGH_CONTRAST.name))
        if hasattr(screen, "action_undo"):
            yield SystemCommand("Undo last decision", "Practice mode only", screen.action_undo)
