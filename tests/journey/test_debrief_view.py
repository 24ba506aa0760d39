"""One debrief view model: every renderer shows the same sections, in the same order, with the same headings."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace

import pytest

from mmjourney.engine import Session
from mmjourney.journey import Journey
from mmjourney.journey.attempt import session_record
from mmjourney.journey.debrief_view import HEADINGS, SECTION_ORDER, DebriefView
from mmjourney.plain import PlainPlayer
from mmjourney.records.exports import to_html, to_markdown
from mmjourney.tui.debrief_text import section_content
from mmjourney.tui.screens.attempt import record_content

from ..records.conftest import play


def html_text(page: str) -> str:
    return html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S))


def plain_debrief(session: Session) -> str:
    out = io.StringIO()
    PlainPlayer(Journey(session), stdout=out).show_debrief()
    return out.getvalue()


def renderings(record, session=None) -> dict[str, str]:
    view = DebriefView.of(record)
    shown = {
        "markdown": to_markdown(record),
        "html": html_text(to_html(record)),
        "attempt screen": record_content(record).plain,
        "debrief screen": section_content(*view.sections).plain,
    }
    if session is not None:
        shown["plain player"] = plain_debrief(session)
    return shown


def in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


@pytest.fixture
def worst(clinic):
    session, _ = play(clinic, policy="worst", record=False)
    return session


def test_sections_come_in_the_one_fixed_order(worst):
    view = DebriefView.of(session_record(worst))
    keys = [s.key for s in view.sections]
    assert keys == list(SECTION_ORDER)  # the worst journey has something in every section
    assert [s.heading for s in view.sections] == [HEADINGS[k] for k in keys]


def test_every_renderer_shows_the_same_sections_in_the_same_order(worst):
    record = session_record(worst)
    view = DebriefView.of(record)
    outcome = view.sections[0]
    headings = [s.heading for s in view.sections[1:]]
    assert "By learning objective" in headings
    for name, text in renderings(record, worst).items():
        assert outcome.title in text, name
        assert in_order(text, [outcome.title, *headings]), (name, headings)
        assert "By objective:" not in text, name


def test_empty_groups_are_left_out_everywhere(worst):
    record = session_record(worst)
    record = replace(record, scores=replace(record.scores, by_category={}), critical_errors=())
    view = DebriefView.of(record)
    assert "by_category" not in [s.key for s in view.sections]
    for name, text in renderings(record).items():
        assert "By category" not in text, name
        assert "Critical errors" in text and "None." in text, name  # "none" is itself worth reading


def test_an_unfinished_attempt_says_so_instead_of_an_ending(clinic):
    session, _ = play(clinic, stop=2, record=False)
    view = DebriefView.of(session_record(session))
    assert view.sections[0].title is None
    assert view.sections[0].summary == "The journey did not reach an ending (not finished yet)."
    for name, text in renderings(session_record(session)).items():
        assert "did not reach an ending" in text, name


def test_decisions_tell_the_expert_choice_and_the_verdict(worst):
    view = DebriefView.of(session_record(worst))
    first = view.section("decisions").items[0]
    assert (first.response, first.verdict, first.expert) == ("Wait and see", "harmful", "Start IV fluids")
    quiz = next(line for line in view.section("decisions").items if line.question is not None)
    assert quiz.verdict == "1 of 2"  # a question has no rating: its points
    assert [o.label for o in quiz.options if o.picked] == list(quiz.record.response_labels)
    assert all(o.mark.startswith("picked, ") == o.picked for o in quiz.options)
