"""The play screen: the scene, the patient chart, the decision, and the journey so far."""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ...engine import Action, ActionError, Consequence
from ...journey import Ask, Choose, Ended, Fill, Journey, Read, layout
from ...journey.exhibit import trend_of
from ...journey.text import journey_day, patient_text
from ..widgets.chart import PatientChart
from ..widgets.decision import ChoiceList, TickList, option_row
from ..widgets.exhibit import trend_content
from ..widgets.footer import KeyFooter
from ..widgets.parts import PartsGrid
from .patient import PatientScreen

CONTINUE = "-continue"  # the option that closes feedback; never a choice id (those start with a letter)
NARROW = 72  # below this width the chart moves under the story instead of beside it
WIDE = 130  # from this width the story keeps a readable line length (about 90 columns)
TALL = 40  # from this height the decision sits right under a short scene, not at the bottom


def number_mark(number: int) -> str:
    return f"{number}." if number <= layout.NUMBER_KEYS else "  "  # number keys reach nine options; arrows all



class PlayScreen(Screen):
    # The sizes `mmjourney check` measures texts against (journey/layout.py); the rest is in app.tcss, whose
    # rules (the tall, wide and narrow layouts) take precedence over these.
    DEFAULT_CSS = f"""
    #play-side {{ width: {layout.SIDE_WIDTH}; }}
    #play-chart {{ padding: 0 {layout.CHART_PADDING}; }}
    #play-decision {{ max-height: {layout.DECISION_SHARE}%; padding: 0 {layout.DECISION_PADDING}; }}
    #play-decision OptionList {{ max-height: {layout.CHOICE_LIST_VH}vh; }}
    #play-decision #play-select, #play-decision #play-single {{ max-height: {layout.ANSWER_LIST_VH}vh; }}
    #play-decision #play-parts {{ max-height: {layout.PARTS_LIST_VH}vh; }}
    """
    BINDINGS = [
        Binding("u", "undo", "Undo"),
        Binding("t", "timeline", "Timeline"),
        Binding("s", "submit", "Submit", show=False),
        Binding("g", "glossary", "Glossary"),
        Binding("h", "history", "Patient"),
        Binding("question_mark", "help", "Help"),
        # The story pane scrolls whatever has focus (a list would take these keys for its cursor);
        # Space stays the tick key in a select-all list or an item in parts (check_action), Enter always
        # takes Continue.
        Binding("pageup", "story('page_up')", "Scroll up", show=False, priority=True),
        Binding("pagedown", "story('page_down')", "Scroll down", show=False, priority=True),
        Binding("space", "story('page_down', 'space')", "Scroll down", show=False, priority=True),
        Binding("home", "story('home')", "Top", show=False, priority=True),
        Binding("end", "story('end')", "End", show=False, priority=True),
        Binding("enter", "continue", "Continue", show=False, priority=True),
        # Keys typed ahead while the decision area is being replaced (see typed_ahead).
        *[Binding(key, f"typed_ahead('{key}')", show=False, priority=True) for key in ("up", "down", "left", "right")],
        Binding("escape", "leave", "Title"),
        # Priority, as the keys above: a number typed ahead must keep its place among them (typed_ahead).
        *[Binding(str(n), f"number({n})", show=False, priority=True) for n in range(1, layout.NUMBER_KEYS + 1)],
    ]

    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey
        self.session = journey.session
        # Practice-mode feedback on the last decision, shown in place of the scene until read.
        self.feedback: Consequence | None = None
        # The scene now shown was reached by an event that interrupted: its heading says so.
        self.interrupted = False
        # Keys pressed between a decision and the focus reaching the next decision's list, kept to press
        # again there: a browser on a busy connection sends the keys typed ahead in one burst, and they would
        # page the story (the pane has focus for that moment) instead of answering the item they were for.
        self.typed_ahead: list[str] | None = None
        self.story_path = journey.story_path
        self.glossary = dict(journey.story.model.glossary)

    def check_action(self, action: str, parameters) -> bool | None:
        # Assessment mode has no undo: hide the key rather than offer something that says no.
        if action == "undo" and not self.journey.policy.can_undo:
            return False
        if action == "typed_ahead":
            return self.typed_ahead is not None
        if action == "story" and parameters[1:] == ("space",) and self.typed_ahead is not None:
            return True  # kept for the next list (action_story)
        if action == "story" and getattr(self.focused, "id", None) == "play-timeline":
            return False  # the learner went to the timeline to move in it
        if action == "story" and parameters[1:] == ("space",) and self.space_ticks:
            return False  # Space ticks the option under the cursor (PageDown still pages the story)
        if action == "continue":
            return self.continue_target() is not None  # otherwise Enter is the focused widget's
        return True

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="play-bar")
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                with VerticalScroll(id="play-story"):
                    yield Static(id="play-scene-title")
                    yield Static(id="play-notice")
                    yield Static(id="play-text")
                    yield Static(id="play-exhibit")
                    yield Static(id="play-passage")
                    yield Static(id="play-feedback")
                yield Static(id="play-more")
                yield Vertical(id="play-decision")
            with Vertical(id="play-side"):
                yield PatientChart(self.session, id="play-chart")
                yield OptionList(id="play-timeline")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.record_in_background()  # the attempt carries on in the records, after Continue
        self.query_one("#play-timeline").border_title = "Journey"
        self.query_one("#play-decision").border_title = "Your decision"
        self.on_mount_story_scroll()
        await self.show_scene()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.set_class(event.size.width >= WIDE, "-wide")
        self.set_class(event.size.height >= TALL, "-tall")
        self.call_after_refresh(self.show_exhibit)
        self.call_after_refresh(self.show_more_mark)

    def show_exhibit(self) -> None:
        """A trend item's table of the patient's own readings, under the scene it asks about, its columns as
        wide as the story pane allows (drawn again when the screen is resized)."""
        story, exhibit = self.query("#play-story"), self.query("#play-exhibit")
        if not story or not exhibit:
            return  # called after a resize, on a screen replaced before it was drawn (a watch-mode reload)
        trend = trend_of(self.session)
        width = story.first(VerticalScroll).scrollable_content_region.width
        exhibit.first(Static).update(trend_content(trend, width) if trend else "")

    def show_more_mark(self) -> None:
        """Say when the story pane has more below than it shows: the learner may not see a scroll bar."""
        story, mark = self.query("#play-story"), self.query("#play-more")
        if story and mark:  # both, or a screen replaced before it was drawn (a watch-mode reload)
            pane = story.first(VerticalScroll)
            # A line kept for the mark, updated without a layout pass (this runs after every scene).
            mark.first(Static).update(
                ("more below: PgDn" if self.space_ticks else "more below: PgDn or Space")
                if pane.scroll_y < pane.max_scroll_y else "", layout=False)

    @property
    def space_ticks(self) -> bool:
        """Space ticks or sets an option here (a select-all list, an item in parts), so it does not page."""
        return isinstance(self.focused, (TickList, PartsGrid))

    def on_mount_story_scroll(self) -> None:
        self.watch(self.query_one("#play-story", VerticalScroll), "scroll_y", lambda _: self.show_more_mark(),
                   init=False)

    # --- showing the journey -------------------------------------------------------------------

    def redraw(self) -> None:
        """Show the current scene once the current message is handled (widgets are replaced)."""
        self.keep_typed_ahead()
        self.call_next(self.show_scene)

    def keep_typed_ahead(self) -> None:
        """From now until the next decision's list has focus, keep the keys meant for it (focus_decision)."""
        if self.typed_ahead is None:
            self.typed_ahead = []

    def action_typed_ahead(self, key: str) -> bool:
        """Keep `key` for the next decision's list while that list is being put in place: whether it was kept."""
        if self.typed_ahead is None:
            return False
        self.typed_ahead.append(key)
        return True

    async def show_scene(self) -> None:
        if not self.query("#play-scene-title"):
            # Not there: the screen was replaced before it was first drawn (the watch mode reloads a
            # story), or, on a busy machine, its nested panes are not mounted yet: then try once drawn.
            if self.is_attached:
                self.call_after_refresh(self.show_scene)
            return
        session = self.session
        model = session.story.model
        scene = session.scene
        policy = self.journey.policy
        self.set_class(not policy.feedback_after_each, "-assessment")
        # One line at 80 columns, the most useful first: the title is what a narrow screen cuts.
        # An author's preview says so beside the mode, where it stays in view at 80 columns.
        mode = (policy.title, "italic") if self.journey.preview is None else (
            f"{policy.title} preview, not recorded", "bold italic")
        self.query_one("#play-bar", Static).update(Content.assemble(
            (journey_day(session.day), "bold"), "  ·  ", scene.phase, "  ·  ", mode, "  ·  ", model.title,
        ))
        title = scene.heading
        self.query_one("#play-scene-title", Static).update(
            Content.assemble(("Interrupted: ", "bold reverse"), title) if self.interrupted else Content(title))
        self.show_opening_notice()
        # Rich renders the scene's Markdown into one widget: much cheaper than a widget per block,
        # and like Textual's Markdown it never reads story text as console markup.
        self.query_one("#play-text", Static).update(RichMarkdown(session.scene_text))
        self.show_exhibit()
        self.show_reading(feedback=False)
        self.query_one(PatientChart).refresh_from(session)
        self.show_timeline()
        await self.show_decision()

    def show_opening_notice(self) -> None:
        """Where an author's preview started, or what "try again from here" carried over: said under the
        heading of the scene the journey began at, while it is there (a toast would cover the options at 80x24)."""
        said = self.journey.opening_notice
        notice = self.query_one("#play-notice", Static)
        notice.update(Content(said or ""))
        notice.display = said is not None

    def show_reading(self, feedback: bool) -> None:
        """Show either the scene's text or the feedback on the last decision in the story pane."""
        self.query_one("#play-text").display = not feedback
        self.query_one("#play-exhibit").display = not feedback and trend_of(self.session) is not None
        self.query_one("#play-feedback").display = feedback
        self.query_one("#play-story").scroll_home(animate=False)
        self.call_after_refresh(self.show_more_mark)

    async def show_feedback(self, consequence: Consequence) -> None:
        """Practice mode: what happened and why, beside the chart that shows the change."""
        from .feedback import consequence_content

        self.feedback = consequence
        self.show_passage(None)
        self.query_one("#play-scene-title", Static).update(Content.assemble("Feedback: ", consequence.label))
        self.show_opening_notice()
        self.query_one("#play-feedback", Static).update(consequence_content(self.session, consequence))
        self.show_reading(feedback=True)
        self.query_one(PatientChart).refresh_from(self.session)
        self.show_timeline()
        area = self.query_one("#play-decision", Vertical)
        area.border_title = "Feedback"
        area.border_subtitle = ""
        existing = area.query("#play-choices")
        if existing:
            # Reuse the focused list so focus (and the footer's key list) does not change:
            # rebuilding the footer is the slowest part of a screen update.
            choices = existing.first(OptionList)
            choices.clear_options()
            choices.add_option(Option(Content("Continue (Enter)"), id=CONTINUE))
            choices.highlighted = 0
            self.focus_decision()  # it has the focus: only the keys typed ahead are pressed again
            return
        # After a question too, the same one-row Continue as after a choice: one control to learn.
        await area.remove_children()
        await area.mount(ChoiceList(Option(Content("Continue (Enter)"), id=CONTINUE), id="play-choices"))
        self.call_after_refresh(self.focus_decision)

    def show_timeline(self) -> None:
        """The decisions so far. Only new ones are added (a whole rebuild after an undo or a branch):
        the list is redrawn after every key that decides, so it must stay cheap as it grows."""
        timeline = self.query_one("#play-timeline", OptionList)
        entries = [c for c in self.session.history if c.kind != "next"]
        if not entries:
            # Before the first decision the panel introduces the patient, and says where the history is.
            timeline.clear_options()
            timeline.add_option(Option(Content.assemble(
                ("Patient: ", "bold"), patient_text(self.session.story.model.patient), "\n",
                ("Press h for the history.", "italic")), id="patient", disabled=True))
            return
        ids = [str(c.index) for c in entries]
        shown = [timeline.get_option_at_index(i).id for i in range(timeline.option_count)]
        if ids[:len(shown)] != shown:
            timeline.clear_options()
            shown = []
        options = []
        for consequence in entries[len(shown):]:
            label = Content.assemble(f"{consequence.number}. ", consequence.label)
            if self.journey.policy.shows_ratings and consequence.rating:
                label = Content.assemble(label, (f" ({consequence.rating})", "dim"))
            options.append(Option(label, id=str(consequence.index)))
        if options:
            timeline.add_options(options)
        if timeline.option_count:
            timeline.highlighted = timeline.option_count - 1

    async def show_decision(self) -> None:
        area = self.query_one("#play-decision", Vertical)
        area.border_subtitle = ""  # only an item made of parts says its keys there
        self.show_passage(None)
        prompt = self.journey.prompt()
        existing = area.query("#play-choices")
        if isinstance(prompt, Choose) and existing:
            # Most scenes are choices: refill the list in place rather than rebuild it.
            choices = existing.first(OptionList)
            choices.clear_options()
            choices.add_options(self.choice_options(prompt))
            choices.highlighted = 0 if choices.option_count else None
            area.border_title = "Your decision"
            self.call_after_refresh(self.focus_decision)
            return
        await area.remove_children()
        if isinstance(prompt, Ended):
            area.border_title = "The end"
            await area.mount_all([Static(Content.assemble(("Ending: ", "bold"), prompt.ending.title)),
                                  Button("See the debrief", id="debrief", variant="primary")])
        elif isinstance(prompt, Read):
            area.border_title = "Your decision"
            await area.mount(Button("Continue", id="continue", variant="primary"))
        elif isinstance(prompt, Ask):
            await area.mount_all(self.question_widgets(area, prompt))
            if prompt.highlight:
                self.show_passage(area.query_one("#play-select", TickList))
        elif isinstance(prompt, Fill):
            await area.mount_all(self.fill_widgets(area, prompt))
            self.show_passage(area.query_one("#play-parts", PartsGrid))
        else:
            area.border_title = "Your decision"
            await area.mount(ChoiceList(*self.choice_options(prompt), id="play-choices"))
        self.call_after_refresh(self.focus_decision)

    def choice_options(self, prompt: Choose) -> list[Option]:
        return [Option(option_row(number_mark(n), v.choice.label, "" if v.enabled else f"Not available: {v.reason}",
                                  v.choice.category), id=v.id, disabled=not v.enabled)
                for n, v in enumerate(prompt.choices, 1)]

    def question_widgets(self, area, prompt: Ask) -> list:
        area.border_title = prompt.instruction
        widgets = [Static(Content(prompt.question.prompt), id="play-prompt")]
        if prompt.highlight:
            # The note is under the scene, its phrases numbered; its keys on the border, where they cost no line.
            area.border_subtitle = "number or arrows · Space selects · s submits"
        if not prompt.single:
            # The submit button comes first so it stays in view at 80x24 however long the options are.
            widgets += [Button("Submit answer (s)", id="submit", variant="primary", compact=True),
                        TickList([(o.id, o.text) for o in prompt.options], limit=prompt.picks, id="play-select")]
        else:
            options = [Option(option_row(number_mark(n), o.text), id=o.id) for n, o in enumerate(prompt.options, 1)]
            widgets.append(ChoiceList(*options, id="play-single"))
        return widgets

    def fill_widgets(self, area, prompt: Fill) -> list:
        """An item made of parts: the question, how to move, Submit (first, so it stays in view at 80x24), the grid."""
        area.border_title = prompt.instruction
        # Its keys on the border, where they cost no line of the grid at 80x24.
        area.border_subtitle = "arrows move · Space sets · s submits"
        return [Static(Content(prompt.question.prompt), id="play-prompt"),
                Button("Submit answer (s)", id="submit", variant="primary", compact=True),
                PartsGrid(prompt.parts, prompt.grid, prompt.pool, id="play-parts")]

    def on_parts_grid_changed(self, event: PartsGrid.Changed) -> None:
        event.stop()
        self.show_passage(self.query_one("#play-parts", PartsGrid))

    def on_tick_list_changed(self, event: TickList.Changed) -> None:
        event.stop()
        self.show_passage(self.query_one("#play-select", TickList))

    def show_passage(self, picks: PartsGrid | TickList | None) -> None:
        """A cloze or rationale item's sentence under the scene, each blank showing its number and the learner's
        pick so far in the grid (the sentence is read as it will stand); a highlight's note, each phrase with its
        number and whether it is selected in the tick list, by a glyph ([x] or [ ]) as well as its style;
        nothing without either."""
        prompt = self.journey.prompt()
        passage = self.query_one("#play-passage", Static)
        pieces = prompt.passage() if isinstance(prompt, (Fill, Ask)) and picks is not None else []
        if not pieces:
            if passage.display:  # hidden already: an update would only ask for another layout
                passage.update("")
                passage.display = False
            return
        parts: list = []
        for piece in pieces:
            if isinstance(piece, str):
                parts.append(piece)
            elif isinstance(prompt, Ask) and isinstance(picks, TickList):
                option = prompt.options[piece - 1]
                chosen = option.id in picks.selected
                parts += [(f"[{'x' if chosen else ' '}] {piece}: ", "bold"),
                          (option.text, "bold reverse" if chosen else "underline")]
            elif isinstance(prompt, Fill) and isinstance(picks, PartsGrid):
                view = prompt.parts[piece - 1]
                picked = "; ".join(o.text for o in view.options if o.id in picks.picked_in(piece - 1))
                parts += [(f"[{piece}: ", "bold"), (picked or "…", "bold underline"), ("]", "bold")]
        passage.update(Content.assemble(*parts))
        passage.display = True

    def focus_decision(self) -> None:
        keys, self.typed_ahead = self.typed_ahead or [], None
        for selector in ("#play-choices", "#play-select", "#play-single", "#play-parts", "Button"):
            found = self.query(f"#play-decision {selector}")
            if found:
                found.first().focus()
                break
        if keys:  # once the list is drawn: its cursor is placed on its first paint
            self.call_after_refresh(self.press_again, keys)

    def press_again(self, keys: list[str]) -> None:
        """Do what each key typed ahead does in the decision's list, in the order typed."""
        found = self.query("#play-decision OptionList")  # every list there is one: choices, ticks, a grid
        if not found:
            return
        target = found.first(OptionList)
        for key in keys:
            if key.isdigit():
                self.action_number(int(key))
            elif key == "space" and isinstance(target, (TickList, PartsGrid)):
                target.action_select()
            elif key in ("left", "right") and isinstance(target, PartsGrid):
                target.action_move(-1 if key == "left" else 1)
            elif key == "up":
                target.action_cursor_up()
            elif key == "down":
                target.action_cursor_down()

    # --- acting ---------------------------------------------------------------------------------

    def act(self, action: Action) -> None:
        """Run one decision, keep it, then show feedback (practice) or the next scene."""
        try:
            consequence = self.journey.decide(action)
        except ActionError as error:
            self.app.notify(str(error), severity="warning", markup=False)
            return
        self.keep()
        self.interrupted = bool(consequence.events)
        if self.journey.policy.feedback_after_each and consequence.kind != "next":
            self.keep_typed_ahead()
            self.call_next(self.show_feedback, consequence)
        else:
            self.redraw()

    def keep(self) -> None:
        """After every decision: the autosave now (so what the screen shows survives a killed
        game), the records in a worker thread (the slow part, off the key path). In assessment the
        records are the source of truth, so they are written first, before the decision is shown."""
        if self.journey.policy.records_first:
            self.tell(self.journey.persist())
            return
        self.tell(self.journey.save())
        self.record_in_background()

    def record_in_background(self) -> None:
        snapshot = self.journey.snapshot()

        def record() -> None:
            messages = self.journey.record(snapshot)
            if messages:
                self.app.call_from_thread(self.tell, messages)

        self.run_worker(record, thread=True, group="records", name="records")

    def tell(self, messages: list[str]) -> None:
        for message in messages:
            self.app.notify(message, severity="warning", timeout=10, markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        list_id = event.option_list.id
        if event.option.id == CONTINUE:
            self.close_feedback()
        elif list_id == "play-choices":
            self.act(Action("choose", event.option.id))
        elif list_id == "play-single":
            prompt = self.journey.prompt()
            if isinstance(prompt, Ask):
                self.act(Action("answer", prompt.question.id, options=(event.option.id,)))
        elif list_id == "play-timeline":
            self.go_back_to(int(event.option.id))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            self.act(Action("next"))
        elif event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "debrief":
            self.open_debrief()

    def close_feedback(self) -> None:
        self.feedback = None
        self.redraw()

    def open_debrief(self) -> None:
        self.app.open_debrief(self.journey)

    def action_number(self, number: int) -> None:
        if self.action_typed_ahead(str(number)):
            return
        if self.feedback is not None:
            return  # the keys belong to the next scene, once the feedback has been read
        prompt = self.journey.prompt()
        if isinstance(prompt, Ask) and not prompt.single:
            ticks = self.query_one("#play-select", TickList)
            if number <= ticks.option_count:
                ticks.highlighted = number - 1
                ticks.toggle_index(number - 1)
            return
        if isinstance(prompt, Fill):
            grid = self.query_one("#play-parts", PartsGrid)
            if number <= grid.option_count:
                grid.go_to_part(number - 1)  # a number goes to its row or blank; the arrows and Space answer it
            return
        lists = self.query("#play-choices, #play-single")
        if not lists:
            return
        options = lists.first(OptionList)
        if number <= options.option_count:
            view = prompt.numbered(number) if isinstance(prompt, Choose) else None
            if view is not None and not view.enabled:
                self.app.notify(f"Not available: {view.reason}", severity="warning", markup=False)
                return
            options.highlighted = number - 1
            options.action_select()

    def action_submit(self) -> None:
        if self.feedback is not None:
            return
        prompt = self.journey.prompt()
        if isinstance(prompt, Ask) and not prompt.single:
            picked = self.query_one("#play-select", TickList).selected
            self.act(Action("answer", prompt.question.id, options=tuple(picked)))
        elif isinstance(prompt, Fill):
            self.act(prompt.answer_of(self.query_one("#play-parts", PartsGrid).selected))

    def action_undo(self) -> None:
        try:
            self.journey.undo()
        except ActionError as error:
            self.app.notify(str(error), severity="warning" if not self.journey.policy.can_undo else "information")
            return
        self.feedback = None
        self.interrupted = False
        self.keep()
        self.redraw()
        self.app.notify("Went back one decision.")

    def action_timeline(self) -> None:
        timeline = self.query_one("#play-timeline", OptionList)
        if not any(c.kind != "next" for c in self.session.history):
            self.app.notify("No decisions yet.")
            return
        timeline.focus()

    def go_back_to(self, index: int) -> None:
        from .messages import AskScreen

        if not self.journey.policy.can_undo:
            self.app.notify("Going back is not available in assessment mode.", severity="warning")
            return
        label = self.session.history[index].label
        number = self.session.history[index].number

        def decided(answer: str | None) -> None:
            if answer == "back":
                self.journey.undo(index)
                self.feedback = None
                self.interrupted = False
                self.keep()
                self.redraw()

        self.app.push_screen(AskScreen("Go back?", f"Go back to just before decision {number}: {label}?\n"
                                       "Decisions after it will be undone.",
                                       [("back", "Go back"), ("cancel", "Cancel")]), decided)

    def action_story(self, how: str, key: str = "") -> None:
        """Scroll the story pane; `key` names Space, which gives way to ticking (check_action)."""
        if key and self.action_typed_ahead(key):
            return
        pane = self.query_one("#play-story", VerticalScroll)
        {"page_up": pane.scroll_page_up, "page_down": pane.scroll_page_down,
         "home": pane.scroll_home, "end": pane.scroll_end}[how](animate=False)

    def continue_target(self) -> str | None:
        """What Enter continues, whatever has focus: the feedback, a page to read on, or the debrief."""
        if self.feedback is not None:
            return "feedback"
        if self.is_current and getattr(self.focused, "id", None) != "play-timeline":  # picking a step to go back to
            prompt = self.journey.prompt()
            if isinstance(prompt, Read):
                return "next"
            if isinstance(prompt, Ended):
                return "debrief"
        return None

    def action_continue(self) -> None:
        target = self.continue_target()
        if target == "feedback":
            self.close_feedback()
        elif target == "next":
            self.act(Action("next"))
        elif target == "debrief":
            self.open_debrief()

    def action_history(self) -> None:
        self.app.push_screen(PatientScreen(self.session.story.model.patient))

    def action_help(self) -> None:
        self.app.open_help()

    def action_glossary(self) -> None:
        self.app.open_glossary(self.glossary)

    def action_leave(self) -> None:
        if self.journey.preview is not None:
            self.app.notify("A preview is not saved: run mmjourney play --from again to see it again.")
        else:
            self.app.notify("Your journey is saved: choose Continue on the title screen to resume.")
        self.app.back_to_title()
