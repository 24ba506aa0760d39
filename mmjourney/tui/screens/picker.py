"""Choose a scenario and a mode. Stories that fail validation are listed with their first error.

Each story shows its difficulty, its length and the learner's best result, so a newcomer sees
where to start and a returning learner what is left (review finding 14).

In a classroom tab the list comes from the catalog the server wrote after checking every story
once; only the chosen story is loaded, off the UI thread. Elsewhere the list comes from the
app's shelf (tui/shelf.py), scanned once and again only when a story file changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, RadioSet, Static
from textual.widgets.option_list import Option

from ...journey.text import percent_text
from ...library import Listing, StoryEntry
from ...story import LoadedStory
from ..shelf import Shelf
from ..story_card import story_card
from ..widgets.footer import KeyFooter
from ..widgets.marks import MarkedRadioButton


@dataclass(frozen=True)
class Best:
    """The learner's best finished attempt at a story."""

    percent: float | None
    passed: bool  # any finished attempt passed (pass mark reached, no critical error)
    attempts: int


def best_results(records_path: Path) -> tuple[dict[str, Best], str | None]:
    """Best result per story id from the learner's records, or why they cannot be read. No records
    yet (a first game) is not a problem, and reading never creates them."""
    from ...records.database import RecordsUnavailable, records

    if not records_path.exists():
        return {}, None
    try:
        with records(records_path) as db:
            rows = [row for row in db.attempts() if row["status"] == "completed"]
    except RecordsUnavailable as error:
        return {}, f"Your results cannot be shown: {error}"
    found: dict[str, Best] = {}
    for row in rows:
        was = found.get(row["story_id"], Best(None, False, 0))
        scores = [p for p in (was.percent, row["percent"]) if p is not None]
        found[row["story_id"]] = Best(max(scores) if scores else None, was.passed or bool(row["passed"]),
                                      was.attempts + 1)
    return found, None


def badge(listing: Listing, best: Best | None) -> str:
    """'beginner · 8 min · ✓ 97%': what the list shows under each title (a tick, not colour, for a pass)."""
    parts = [listing.difficulty, f"{listing.minutes} min"]
    if best is not None:
        parts.append(("✓ " if best.passed else "best ") + percent_text(best.percent))
    return " · ".join(parts)


@dataclass(frozen=True)
class Row:
    """One line of the list: a playable story's listing (with the story if already loaded), or a broken file."""

    listing: Listing | None
    story: LoadedStory | None = None  # when the scan has loaded it already
    broken: StoryEntry | None = None

    @property
    def title(self) -> str:
        return self.listing.title if self.listing else self.broken.path.name


class PickerScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "toggle_mode", "Mode"),
    ]

    def __init__(self, shelf: Shelf, catalog: Path | None = None) -> None:
        super().__init__()
        self.shelf = shelf
        self.catalog = catalog
        self.max_story_bytes = 0  # set from the catalog
        self.entries: list[Row] = []
        self.best: dict[str, Best] = {}
        self.results_problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Choose a scenario", id="picker-heading")
        with Horizontal(id="picker-body"):
            with Vertical(id="picker-left"):
                yield OptionList(Option("Loading stories...", disabled=True), id="picker-list")
                with RadioSet(id="picker-mode"):
                    yield MarkedRadioButton("Practice", value=True, id="practice")
                    yield MarkedRadioButton("Assessment", id="assessment")
            with VerticalScroll(id="picker-details"):
                yield Static(id="picker-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#picker-list").focus()
        self.load_library()

    @work(thread=True, exclusive=True)
    def load_library(self) -> None:
        from ...library import read_catalog

        problem = None
        if self.catalog is None:
            rows = [Row(Listing.of(e), e.story) if e.playable else Row(None, broken=e) for e in self.shelf.entries()]
        else:
            try:
                catalog = read_catalog(self.catalog)
            except (OSError, ValueError) as error:
                rows, problem = [], (f"The class's story list cannot be read ({error}). Ask your educator to "
                                     "restart the classroom server.")
            else:
                self.max_story_bytes = catalog.max_story_bytes
                rows = [Row(listing) for listing in catalog.stories]
        best, self.results_problem = best_results(self.app.workspace.records_path)
        self.app.call_from_thread(self.show_entries, rows, best, problem)

    def show_entries(self, entries: list[Row], best: dict[str, Best], problem: str | None = None) -> None:
        self.entries = entries
        self.best = best
        if problem:
            self.query_one("#picker-text", Static).update(Content(problem))
        stories = self.query_one(OptionList)
        stories.clear_options()
        for index, entry in enumerate(entries):
            label = Content(entry.title)
            if entry.listing is None:
                label = Content.assemble(label, (" (cannot be played: see details)", "italic"))
            else:
                if entry.listing.source == "yours":
                    label = Content.assemble(label, (" (your story)", "italic"))
                label = Content.assemble(label, "\n", (badge(entry.listing, best.get(entry.listing.story_id)),
                                                        "italic"))
            stories.add_option(Option(label, id=str(index)))
        if not entries:
            stories.add_option(Option("No stories found.", disabled=True))
            return
        stories.highlighted = 0

    @property
    def mode(self) -> str:
        return "assessment" if self.query_one("#assessment", MarkedRadioButton).value else "practice"

    def action_toggle_mode(self) -> None:
        other = "#practice" if self.mode == "assessment" else "#assessment"
        self.query_one(other, MarkedRadioButton).value = True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.describe(self.entries[int(event.option.id)])

    def describe(self, entry: Row) -> None:
        text = self.query_one("#picker-text", Static)
        if entry.listing is None:
            text.update(Content.assemble((entry.broken.path.name, "bold"), "\n\nThis story has a problem and "
                                         "cannot be played until it is fixed:\n\n", str(entry.broken.problem)))
            return
        text.update(story_card(entry.listing, self.mode, mode_label="Mode (m to switch)",
                               best=self.best_text(self.best.get(entry.listing.story_id))))

    def best_text(self, best: Best | None) -> str:
        if self.results_problem:
            return self.results_problem
        if best is None:
            return "not finished yet"
        passed = "passed" if best.passed else "not passed yet"
        return f"{percent_text(best.percent)} ({passed}), {best.attempts} finished attempt{'s' * (best.attempts != 1)}"

    def on_radio_set_changed(self) -> None:
        """The details name the mode chosen."""
        stories = self.query_one("#picker-list", OptionList)
        if self.entries and stories.highlighted is not None:
            self.describe(self.entries[stories.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        entry = self.entries[int(event.option.id)]
        if entry.story is not None:
            self.app.start_session(entry.story, self.mode)
        elif entry.listing is not None:
            self.open_listed(entry.listing, self.mode)
        else:
            self.app.notify("Fix the problem shown on the right first.", severity="warning")

    @work(thread=True, exclusive=True, group="open")
    def open_listed(self, listing: Listing, mode: str) -> None:
        """Load the one story chosen from the class's catalog (checked again if it changed since)."""
        from ...library import load_listed
        from ...story import StoryError

        try:
            story, changed = load_listed(listing, self.max_story_bytes)
        except StoryError as error:
            self.app.call_from_thread(self.app.notify, "This story cannot be played now: "
                                      + str((error.errors or error.problems)[0]), severity="error", timeout=15,
                                      markup=False)
            return
        if changed:
            self.app.call_from_thread(self.app.notify, "This story was edited since the class started; it was "
                                      "checked again and can be played.", timeout=8)
        self.app.call_from_thread(self.app.start_session, story, mode)
