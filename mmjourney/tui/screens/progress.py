"""Your progress: attempts per story, best and latest score, endings and objectives, the score trend.

A past attempt opens in the attempt screen and exports in the export dialog, through the app
(`open_attempt`, `open_export`): screens never import one another. Story text and learner names
are shown as literal text (Content, Text), never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from ...journey.text import count_text, local_time, percent_text
from ...records.database import RecordsUnavailable, records
from ...records.progress import StoryProgress, story_progress
from ...story.text_safety import strip_controls
from ..untrusted import shown, shown_lines
from ..widgets.chart import BARS
from ..widgets.footer import KeyFooter


def _score_style(percent: float | None) -> str:
    if percent is None:
        return "dim"
    return "$success" if percent >= 80 else "$warning" if percent >= 50 else "$error"


class TrendChart(Widget):
    """Overall score of each completed attempt as a column of blocks, oldest on the left."""

    DEFAULT_CSS = "TrendChart { height: 8; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scores: list[float] = []

    def show(self, scores: list[float]) -> None:
        self.scores = list(scores)
        self.refresh()

    def render(self) -> Content:
        if not self.scores:
            return Content("No finished attempt yet: the trend appears after the first ending.")
        rows = max(2, self.size.height - 2)
        columns = max(1, (self.size.width - 5) // 3)
        shown = self.scores[-columns:]
        first = len(self.scores) - len(shown) + 1
        parts: list = []
        labels = {rows: "100", rows // 2 + 1: " 50", 1: "  0"}
        for row in range(rows, 0, -1):
            parts.append(f"{labels.get(row, '   ')}│")
            for score in shown:
                height = max(0.0, min(100.0, score)) / 100 * rows
                fill = height - (row - 1)
                block = "█" if fill >= 1 else BARS[round(fill * 8)] if fill > 0 else " "
                parts += [(block * 2, _score_style(score)), " "]
            parts.append("\n")
        parts.append("   └" + "─" * (3 * len(shown)) + "\n    ")
        for number in range(first, first + len(shown)):
            parts.append(f"{number:<3}"[:3] if number < 100 else f"{number % 100:02d} ")
        return Content.assemble(*parts)


class ProgressScreen(Screen):
    """What a learner has done so far, story by story."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("o", "open", "Open debrief"),
        Binding("e", "export", "Export"),
        Binding("n", "learner", "Learner name"),
        Binding("s", "switch", "Switch learner"),
    ]

    DEFAULT_CSS = """
    ProgressScreen { layout: vertical; }
    #progress-heading { padding: 0 1; height: auto; }
    #progress-notice { padding: 0 1; color: $warning; height: auto; }
    #progress-stories { height: auto; max-height: 9; margin: 0 1; }
    #progress-body { height: 1fr; margin: 0 1; }
    #progress-left { width: 1fr; height: 100%; }
    #progress-trend { height: 9; border: round $primary; padding: 0 1; }
    #progress-facts { height: 1fr; padding: 0 1; overflow-y: auto; }
    #progress-attempts { width: 1fr; height: 100%; border: round $secondary; }
    ProgressScreen.-narrow #progress-body { layout: vertical; }
    ProgressScreen.-narrow #progress-left, ProgressScreen.-narrow #progress-attempts { width: 100%; height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.stories: list[StoryProgress] = []
        self.notice: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="progress-heading")
        yield Static(id="progress-notice")
        yield DataTable(id="progress-stories", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="progress-body"):
            with Vertical(id="progress-left"):
                yield TrendChart(id="progress-trend")
                yield Static(id="progress-facts")
            yield OptionList(id="progress-attempts")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#progress-trend").border_title = "Score trend"
        self.query_one("#progress-attempts").border_title = "Attempts (Enter: debrief)"
        table = self.query_one(DataTable)
        table.add_columns("Story", "Attempts", "Best", "Latest", "Endings", "Objectives")
        table.focus()  # the records are read when the screen shows (on_screen_resume), and again on return

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 70, "-narrow")

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            with records(self.app.workspace.records_path) as db:
                # A file set aside is news once, but it stays on this screen for as long as it is open.
                self.notice = db.notice or (self.notice if self.notice and "kept as" in self.notice else None)
                self.stories = story_progress(db)
        except RecordsUnavailable as error:
            self.notice = str(error)
            self.stories = []
        self.show_heading()
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for progress in self.stories:
            table.add_row(
                Text(shown(progress.title)),
                Text(str(len(progress.attempts)), justify="right"),
                Text(percent_text(progress.best), justify="right"),
                Text(percent_text(progress.latest), justify="right"),
                Text(f"{len(progress.endings_found)} of {progress.endings_total}"),
                Text(f"{progress.objectives_mastered} of {len(progress.objectives)}"),
                key=progress.story_id,
            )
        if self.stories:
            table.move_cursor(row=min(cursor, len(self.stories) - 1))
            self.show_story(self.stories[table.cursor_row])
        else:
            self.show_story(None)

    def show_heading(self) -> None:
        name = self.app.workspace.learner or self.saved_learner()
        who = Content.assemble(("Learner: ", "bold"), shown(name)) if name else Content.assemble(
            ("No learner name", "bold"), " (optional: n to add one)")
        if self.app.classroom:  # a shared seat: say whose progress this is, and how to leave it
            who = Content.assemble(("Playing as ", "bold"), shown(name or ""),
                                   "   Not you? Switch learner (s)" if self.app.can_switch_learner else "")
        self.query_one("#progress-heading", Static).update(Content.assemble(
            ("Your progress", "bold $accent"), "   ", who))
        notice = self.query_one("#progress-notice", Static)
        notice.update(Content(shown_lines(self.notice or "")))
        notice.display = bool(self.notice)

    def saved_learner(self) -> str | None:
        from ...records import get_learner

        return get_learner(self.app.workspace.records_path)

    def selected(self) -> StoryProgress | None:
        table = self.query_one(DataTable)
        if not self.stories or table.cursor_row is None or not 0 <= table.cursor_row < len(self.stories):
            return None
        return self.stories[table.cursor_row]

    @on(DataTable.RowHighlighted, "#progress-stories")
    def story_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.stories):
            self.show_story(self.stories[event.cursor_row])

    @on(DataTable.RowSelected, "#progress-stories")
    def story_selected(self) -> None:
        attempts = self.query_one("#progress-attempts", OptionList)
        if attempts.option_count:
            attempts.focus()

    def show_story(self, progress: StoryProgress | None) -> None:
        trend = self.query_one(TrendChart)
        facts = self.query_one("#progress-facts", Static)
        attempts = self.query_one("#progress-attempts", OptionList)
        attempts.clear_options()
        if progress is None:
            trend.border_title = "Score trend"
            trend.show([])
            facts.update(Content("No attempts recorded yet. Play a scenario: every decision is kept here, on this "
                                 "computer only."))
            return
        trend.border_title = Content.assemble("Score trend: ", shown(progress.title))
        trend.show(progress.trend)
        parts: list = [("Endings found: ", "bold"), f"{len(progress.endings_found)} of {progress.endings_total}"]
        if progress.endings_found:
            parts += [" (", ", ".join(map(shown, progress.endings_found)), ")"]
        parts += ["\n", ("Objectives mastered: ", "bold"),
                  f"{progress.objectives_mastered} of {len(progress.objectives)}"]
        missing = [text for objective_id, text in progress.objectives if objective_id not in progress.mastered]
        if missing and progress.completed:
            parts += ["\n", ("Still to master: ", "bold"), strip_controls("; ".join(missing))]
        facts.update(Content.assemble(*parts))
        for attempt in reversed(progress.attempts):
            steps = f"{attempt.decisions} step{'s' if attempt.decisions != 1 else ''}"
            status = attempt.ending_title if attempt.finished else (
                f"left after {steps}" if attempt.status == "abandoned" else f"unfinished, {steps} so far")
            errors = attempt.critical_errors
            # A share of a journey not played to its end means nothing yet: no percentage, no pass.
            result = ((f"{percent_text(attempt.percent):>5}", _score_style(attempt.percent)),
                      ("  passed", "$success") if attempt.passed else ("  not passed", "$warning")
                      ) if attempt.finished else (("not finished", "dim"),)
            label = Content.assemble(
                (f"#{attempt.id:<4}", "bold"), local_time(attempt.started_at), "  ", *result, "\n",
                "     ", (shown(status or ""), "italic"), f" · {shown(attempt.mode)}",
                (f"\n     Unsafe: {count_text(errors, 'critical error')}", "$error") if errors else "")
            attempts.add_option(Option(label, id=str(attempt.id)))
        attempts.highlighted = 0

    def current_attempt(self) -> int | None:
        attempts = self.query_one("#progress-attempts", OptionList)
        if attempts.highlighted is None or not attempts.option_count:
            return None
        return int(attempts.get_option_at_index(attempts.highlighted).id)

    @on(OptionList.OptionSelected, "#progress-attempts")
    def attempt_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.open_attempt(int(event.option.id))

    def action_open(self) -> None:
        attempt = self.current_attempt()
        if attempt is not None:
            self.app.open_attempt(attempt)

    def action_export(self) -> None:
        attempt = self.current_attempt()
        if attempt is None:
            self.app.notify("There is no attempt to export yet.")
            return
        self.app.open_export(attempt)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Switching learners is a classroom thing (as on the title screen): on one's own computer there is
        # no one to switch to, and the key is not offered.
        return self.app.can_switch_learner or action != "switch"

    def action_switch(self) -> None:
        if self.app.can_switch_learner:
            self.app.switch_learner()

    def action_learner(self) -> None:
        if self.app.workspace.learner:
            self.app.notify("In classroom mode the name you typed at the start is used.", markup=False)
            return
        self.app.ask_learner_name(self.saved_learner(), lambda _: self.show_heading())
