"""The debrief's summary card, verdict tones, objective lines and lab trends, the same in every renderer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mmjourney.journey.attempt import session_record
from mmjourney.journey.debrief_view import DebriefView, Lab, points_tone
from mmjourney.journey.record import StatInfo, UndoneDecision

from ..records.conftest import play
from .test_debrief_view import renderings


@pytest.fixture
def worst(clinic):
    session, _ = play(clinic, policy="worst", record=False)
    return session


def rows(record) -> list[tuple[str, str, str]]:
    return [(row.label, row.text, row.tone) for row in DebriefView.of(record).section("summary").rows]


def test_the_card_says_outcome_score_safety_pass_mode_and_undo(worst, clinic):
    record = session_record(worst)
    assert [label for label, _, _ in rows(record)] == ["Outcome", "Score", "Safety", "Pass", "Mode", "Undo"]
    card = dict((label, (text, tone)) for label, text, tone in rows(record))
    assert card["Safety"] == ("Unsafe: 1 critical error", "harm")
    assert card["Pass"][1] == "bad" and card["Pass"][0].startswith("Not passed")
    assert card["Undo"] == ("not used", "plain")
    expert, _ = play(clinic, record=False)
    card = dict((label, (text, tone)) for label, text, tone in rows(session_record(expert)))
    assert (card["Safety"], card["Pass"]) == (("Safe", "good"), ("Passed", "good"))
    assert card["Outcome"][1] == "good" and card["Outcome"][0].endswith("(good ending)")


def test_the_card_shows_what_was_taken_back_and_assessment_has_no_undo_row(worst, clinic):
    undone = UndoneDecision(0, 1, "choose", "arrival", "Wait and see", "harmful", True, 0.0, 1.0, None,
                            "2026-03-01T10:02:00.000Z")
    record = replace(session_record(worst), undos=1, undone=(undone,))
    assert rows(record)[-1] == ("Undo", "1 decision taken back (1 undone critical error)", "bad")
    for name, text in renderings(record).items():
        assert "1 decision taken back (1 undone critical error)" in text, name
    assessed, _ = play(clinic, mode="assessment", record=False)
    assert [label for label, _, _ in rows(session_record(assessed))][-1] == "Mode"


def test_an_unfinished_journey_shows_no_percentage_in_the_card(clinic):
    session, _ = play(clinic, stop=2, record=False)
    card = dict((label, text) for label, text, _ in rows(session_record(session)))
    assert card["Score"] == "2 of 2 so far (not finished)"
    assert card["Outcome"].startswith("The journey did not reach an ending")


def test_verdicts_have_a_tone_beside_their_words(worst):
    lines = DebriefView.of(session_record(worst)).section("decisions").items
    tones = {line.verdict: line.tone for line in lines if line.record.rating}
    assert tones["harmful"] == "harm"
    assert (points_tone(2, 2), points_tone(1, 2), points_tone(0, 2)) == ("good", "fair", "bad")


def test_objective_lines_have_no_full_stop_before_the_colon(worst):
    record = session_record(worst)
    story = replace(record.story, objectives=tuple(replace(o, text=o.text + ".") for o in record.story.objectives))
    record = replace(record, story=story)
    for name, text in renderings(record).items():
        assert ".:" not in text, name
        assert "Give fluids for high calcium" in text, name


HB = StatInfo("hb", "Haemoglobin", "g/L", (115, 165), 0, 40, 200)


def test_a_lab_reads_start_end_and_normal_range():
    assert Lab(HB, (0, 1, 2), (98, 96, 94)).summary == "98 -> 94 g/L (normal 115 to 165)"
    dipped = Lab(HB, (0, 1, 2), (98, 80, 94))
    assert dipped.summary == "98 -> 94 g/L (normal 115 to 165; lowest 80 on the way)"
    assert dipped.scale == (80, 165)  # the normal range is part of the scale, so a small fall looks small
    assert Lab(replace(HB, normal=None, unit=""), (0, 1), (3, 4)).summary == "3 -> 4"


def test_the_html_card_gives_each_value_its_tone_as_a_class(worst):
    from mmjourney.records.exports import to_html

    page = to_html(session_record(worst))
    assert '<dt>Safety</dt><dd class="harm">Unsafe: 1 critical error</dd>' in page
    assert '<dt>Outcome</dt><dd class="fair">Readmitted (mixed ending)</dd>' in page
