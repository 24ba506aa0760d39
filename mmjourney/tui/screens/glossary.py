"""A searchable glossary: the story's own terms first, then the common set."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.footer import KeyFooter

COMMON = Path(__file__).resolve().parents[2] / "data" / "glossary.yaml"


def common_terms() -> dict[str, str]:
    from ...story.yaml_source import parse_yaml

    data = parse_yaml(COMMON.read_text(encoding="utf-8"), COMMON.name)
    return {str(k): str(v) for k, v in data.items()}


class GlossaryScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, story_terms: dict[str, str]) -> None:
        super().__init__()
        terms = dict(story_terms)
        for term, meaning in common_terms().items():
            terms.setdefault(term, meaning)
        self.terms = terms

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search terms and definitions", id="glossary-search")
        with Horizontal():
            yield OptionList(id="glossary-terms")
            with VerticalScroll(id="glossary-definition"):
                yield Static(id="glossary-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show("")

    def show(self, query: str) -> None:
        query = query.strip().lower()
        matches = [t for t in self.terms if not query or query in t.lower() or query in self.terms[t].lower()]
        terms = self.query_one(OptionList)
        terms.clear_options()
        terms.add_options(Option(Content(term), id=term) for term in matches)
        if matches:
            terms.highlighted = 0
            self.define(matches[0])
        else:
            self.query_one("#glossary-text", Static).update(Content("No term matches your search."))

    def define(self, term: str) -> None:
        self.query_one("#glossary-text", Static).update(Content.assemble((term, "bold"), "\n\n", self.terms[term]))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    def on_input_submitted(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.define(event.option.id)
