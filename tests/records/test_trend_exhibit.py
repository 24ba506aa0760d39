"""A trend item's table in the records: kept with the answer as the learner read it, shown in the debrief (TUI
and plain player), the Markdown and HTML exports, and xAPI; older records without it still load and replay."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from mmjourney.engine import Action, Session
from mmjourney.journey.debrief_view import DebriefView, Decisions
from mmjourney.journey.exhibit import trend_of
from mmjourney.journey.record import AttemptRecord
from mmjourney.records import records
from mmjourney.records.exports import render
from mmjourney.records.verify import Mismatch, check_replay
from mmjourney.records.xapi import statements
from mmjourney.story import load_story

from .conftest import play, stamp

TREND = Path(__file__).parents[1] / "items" / "trend.yaml"
# The answer moves the story on a day and, when right, raises her calcium: the chart after the answer is not
# the one the question showed.
LATER = ("      exhibit: {trend: [calcium, creatinine], readings: 3}\n",
         "      exhibit: {trend: [calcium, creatinine], readings: 3}\n      advance: 1 day\n"
         "      on_correct: [calcium += 0.5]\n")


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    path = tmp_path_factory.mktemp("trend") / "trend.yaml"
    path.write_text(TREND.read_text(encoding="utf-8").replace(*LATER), encoding="utf-8")
    return load_story(path)


@pytest.fixture
def attempt(story):
    """The expert's journey as the player records it, a keep after every step; its record, from the records."""
    _, result = play(story, policy="expert", learner="Ada", clock=stamp)
    with records() as db:
        return db.load(result.attempt_id)


def answer(record: AttemptRecord):
    return next(d for d in record.decisions if d.kind == "answer")


def test_the_record_keeps_the_table_the_learner_answered_from(story, attempt):
    session = Session(story)
    for choice in ("wait_a_day", "wait_again"):
        session.apply(Action("choose", choice))
    seen = trend_of(session)
    session.apply(Action("answer", "which_way", ("worse",)))
    assert answer(attempt).exhibit == seen
    # The chart moved on after the answer (a day later, her calcium raised): the record still has the question's.
    assert attempt.chart[-1].values["calcium"] == pytest.approx(3.4 + 0.1 + 0.5)
    assert answer(attempt).to_json()["exhibit"] == {
        "columns": [{"stat": "calcium", "label": "Calcium", "unit": "mmol/L", "decimals": 2},
                    {"stat": "creatinine", "label": "Creatinine", "unit": "µmol/L", "decimals": 0}],
        "rows": [{"day": day, "values": pytest.approx([calcium, creatinine]), "flags": flags}
                 for day, calcium, creatinine, flags in ((1, 3.2, 150, ["H", "H"]), (2, 3.3, 170, ["H", "H"]),
                                                         (3, 3.4, 190, ["HH", "H"]))]}
    assert all("exhibit" not in d.to_json() for d in attempt.decisions if d.kind == "choose")


def test_a_replay_agrees_and_an_older_record_without_the_table_still_loads_and_replays(story, attempt):
    check_replay(attempt, story)
    data = attempt.to_json()
    older = copy.deepcopy(data)
    for decision in older["decisions"]:
        decision.pop("exhibit", None)
    loaded = AttemptRecord.from_json(older)
    assert answer(loaded).exhibit is None and json.dumps(loaded.to_json()) == json.dumps(older)
    check_replay(loaded, story)
    assert "The trend you answered from" not in render(loaded, "md")
    # A table edited by hand does not match the replay.
    answer_json = next(d for d in data["decisions"] if d["kind"] == "answer")
    answer_json["exhibit"]["rows"][-1]["values"][0] = 2.4
    with pytest.raises(Mismatch, match="the decisions do not match a replay of them"):
        check_replay(AttemptRecord.from_json(data), story)


@pytest.mark.parametrize("edit, message", [
    (lambda t: t["rows"][0]["flags"].__setitem__(0, "HIGH"),
     r"decisions\[2\].exhibit.rows\[0\].flags\[0\] should be one of H, L, HH, LL or empty text, but it is 'HIGH'"),
    (lambda t: t["rows"][1]["values"].pop(),
     r"decisions\[2\].exhibit.rows\[1\] should have 2 values and 2 flags, one for each column"),
    (lambda t: t["columns"][0].update(decimals="two"),
     r"decisions\[2\].exhibit.columns\[0\].decimals should be a whole number, but it is text"),
])
def test_a_damaged_table_is_refused_naming_the_field(attempt, edit, message):
    data = attempt.to_json()
    edit(data["decisions"][2]["exhibit"])
    with pytest.raises(ValueError, match=message):
        AttemptRecord.from_json(data)


def test_markdown_shows_the_table_under_the_question(attempt):
    text = render(attempt, "md")
    table = ("- **The trend you answered from:**\n\n| Day | Calcium (mmol/L) | Creatinine (µmol/L) |\n|---|---|---|\n"
             "| Day 1 | 3.20 H | 150 H |\n| Day 2 | 3.30 H | 170 H |\n| Day 3 | 3.40 HH | 190 H |\n\n"
             "H: high; HH: critically high.\n")
    assert f"- **Question:** What do her readings show?\n{table}\n- **Expert's choice:**" in text


def test_html_shows_an_accessible_table(attempt):
    page = render(attempt, "html")
    start = page.index('<table class="trend">')
    table = page[start:page.index("</table>", start)]
    assert "<caption>The trend you answered from: the patient&#x27;s readings, oldest first</caption>" in table
    assert ('<th scope="col">Day</th><th scope="col">Calcium (mmol/L)</th><th scope="col">Creatinine (µmol/L)</th>'
            in table)
    assert ('<tr><th scope="row">Day 3</th><td class="num">3.40 <abbr title="critically high">HH</abbr></td>'
            '<td class="num">190 <abbr title="high">H</abbr></td></tr>') in table
    assert '<p class="small">H: high; HH: critically high.</p>' in page[start:]


def test_xapi_gives_the_table_as_context_of_the_answer_not_as_the_activity(attempt):
    responded = statements(attempt)[1:-1]
    answered = responded[2]
    assert answered["context"]["extensions"]["https://mmjourney.invalid/xapi/extensions/exhibit"] == \
        answer(attempt).exhibit.to_json()
    # The activity is every learner's: its definition does not carry one learner's chart.
    assert "exhibit" not in json.dumps(answered["object"]) and "3.4" not in json.dumps(answered["object"])
    assert all("https://mmjourney.invalid/xapi/extensions/exhibit" not in s["context"]["extensions"]
               for s in responded[:2])


def test_the_debriefs_show_the_table(story, attempt):
    from mmjourney.plain import play_plain
    from mmjourney.tui.debrief_text import section_content

    decisions = DebriefView.of(attempt).section("decisions")
    assert isinstance(decisions, Decisions)
    text = section_content(decisions).plain
    assert "   The trend you answered from\n" in text
    assert "   Day 3   3.40 HH       190 H" in text

    out = io.StringIO()
    play_plain(story, seed=0, mode="assessment", stdin=io.StringIO("1\n1\n1\n\n"), stdout=out)
    said = out.getvalue()
    said = said[said.index("Your decisions beside the expert's"):]
    assert "    The trend you answered from, 3 days:" in said
    assert ("      Day 3: Calcium 3.40 millimoles per litre, critically high; Creatinine 190 micromoles per litre, "
            "high.") in said
