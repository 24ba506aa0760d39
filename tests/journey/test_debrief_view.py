"""One debrief view model: every renderer shows the same sections, in the same order, with the same headings."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace

import pytest

from mmjourney.engine import STEP_LABELS, Session
from mmjourney.journey import Journey
from mmjourney.journey.attempt import session_record
from mmjourney.journey.debrief_view import HEADINGS, SECTION_ORDER, DebriefView
from mmjourney.journey.record import UndoneDecision
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
    summary, outcome = view.sections[:2]
    headings = [s.heading for s in view.sections[2:]]
    assert "By learning objective" in headings and "Decisions to revisit" in headings
    for name, text in renderings(record, worst).items():
        assert outcome.title in text, name
        verdict = ["Unsafe: 1 critical error", "Not passed (pass mark 80%; a critical error fails the journey "
                   "whatever the score)"]
        assert in_order(text, [summary.heading, *verdict, outcome.title, *headings]), (name, headings)
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
    assert view.section("outcome").title is None
    assert view.section("outcome").summary == "The journey did not reach an ending (not finished yet)."
    assert view.section("summary").passing == "Not passed: not finished (pass mark 80%)"
    for name, text in renderings(session_record(session)).items():
        assert "did not reach an ending" in text, name
        assert "2 of 2 so far (not finished)" in text and "100%" not in text, name  # no percentage yet


def test_decisions_tell_the_expert_choice_and_the_verdict(worst):
    view = DebriefView.of(session_record(worst))
    first = view.section("decisions").items[0]
    assert (first.response, first.verdict, first.expert) == ("Wait and see", "harmful", "Start IV fluids")
    quiz = next(line for line in view.section("decisions").items if line.question is not None)
    assert quiz.verdict == "1 of 2"  # a question has no rating: its points
    assert [o.label for o in quiz.options if o.picked] == list(quiz.record.response_labels)
    assert all(o.mark.startswith("picked, ") == o.picked for o in quiz.options)


def test_the_result_opens_every_debrief_and_undone_critical_errors_are_shown(worst, clinic):
    record = session_record(worst)
    undone = UndoneDecision(0, 1, "choose", "arrival", "Wait and see", "harmful", True, 0.0, 1.0, None,
                            "2026-03-01T10:02:00.000Z")
    record = replace(record, undos=2, undone=(undone,))
    for name, text in renderings(record).items():
        assert in_order(text, ["Summary", "Unsafe: 1 critical error", "2 decisions taken back (1 undone critical "
                               "error)", "Critical errors", "Undone critical error: Wait and see (decision 1, taken "
                               "back 2026-03-01 10:02 UTC)"]), name
    expert, _ = play(clinic, record=False)
    summary = DebriefView.of(session_record(expert)).section("summary")
    assert (summary.safety, summary.passing, summary.undos) == ("Safe", "Passed", "")


def test_what_held_you_back_is_the_learners_own_decisions_that_were_not_the_best(worst, clinic):
    held = DebriefView.of(session_record(worst)).section("held_back")
    assert held.text(held.items[0]) == "Decision 1: Wait and see (harmful); expert's choice: Start IV fluids"
    assert all(not line.record.matched_expert for line in held.items)
    expert, _ = play(clinic, record=False)
    nothing = DebriefView.of(session_record(expert)).section("held_back")
    assert nothing.items == ()
    for name, text in renderings(session_record(expert)).items():
        assert "Nothing: every decision was the best one open." in text, name


def test_steps_are_shown_in_the_models_order_even_from_an_older_record(worst):
    record = session_record(worst)
    older = replace(record, scores=replace(record.scores, by_step=dict(reversed(record.scores.by_step.items()))))
    labels = [line.label for line in DebriefView.of(older).section("by_step").lines]
    assert labels == [label for step, label in STEP_LABELS.items() if step in record.scores.by_step]
    for name, text in renderings(older).items():
        assert in_order(text, labels), name


def test_a_decision_is_dated_by_the_journey_day_the_status_bar_showed(worst):
    """One clock: the debrief said 'Month 1, week 2, day 4' where the player had said 'Journey day 11'."""
    record = session_record(worst)
    decision = record.decisions[1]
    assert decision.day > 0
    shown = renderings(record)
    for name in ("markdown", "html", "debrief screen"):
        assert f"Journey day {decision.day + 1}" in shown[name], name
        assert "Month 1" not in shown[name], name
