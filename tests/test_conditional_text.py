"""Scene text that follows the path (issue 16), in every layer: the format and its checks in an educator's
words, the engine's text for the state, both players, the record and its exports, `check` and `test`; and the
British spellings of the clinical-judgment steps."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mmjourney.engine import Action, Session
from mmjourney.story import load_story, validate_file

CONDITIONAL = Path(__file__).parent / "items" / "conditional-text.yaml"
SOURCE = CONDITIONAL.read_text(encoding="utf-8")

ON_THE_WAY = "They are in the car on the way to the unit."
AT_HOME = "She is shivering under a blanket at home."
HOT = "Her temperature is now 39.0 °C."


@pytest.fixture(scope="module")
def story():
    return load_story(CONDITIONAL)


def after(story, choice: str) -> Session:
    session = Session(story)
    session.choose(choice)
    return session


def problems_in(tmp_path, text: str) -> list[str]:
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(problem) for problem in validate_file(path, "story.yaml")]


def line_of(text: str) -> int:
    return SOURCE.splitlines().index(text) + 1


# --- the engine: the text for the state the scene is shown in --------------------------------------------


def test_a_paragraph_shows_its_text_when_its_condition_holds_and_its_else_otherwise(story):
    attended = after(story, "attend")
    assert attended.scene_text == f"Ana's husband rings back an hour later.\n\n{ON_THE_WAY}"
    masked = after(story, "paracetamol")
    assert masked.scene_text == f"Ana's husband rings back an hour later.\n\n{AT_HOME}\n\n{HOT}"


def test_history_conditions_pick_the_ending_text(story):
    session = after(story, "paracetamol")
    session.proceed()
    assert session.scene_text.endswith("You lie awake thinking about the call.")
    session = after(story, "attend")
    session.proceed()
    assert session.scene_text.endswith("You hand over a safe call.")


def test_one_text_reads_as_written_and_tools_see_every_branch(story):
    scenes = story.model.scenes
    assert Session(story).scene_text == "Ana rings with a temperature of 38.4 °C."
    assert all(part in scenes["call_back"].full_text for part in (ON_THE_WAY, AT_HOME, HOT))


def test_every_written_text_says_where_it_is_written(story):
    scenes = story.model.scenes
    assert scenes["call"].written_texts() == [((), "Ana rings with a temperature of 38.4 °C.")]
    assert scenes["call_back"].written_texts() == [
        ((0,), "Ana's husband rings back an hour later."), ((1, "text"), ON_THE_WAY), ((1, "else"), AT_HOME),
        ((2, "text"), HOT),
    ]


def test_text_conditions_are_watched_so_the_tools_see_every_paragraph(story):
    # Exploration tells apart journeys whose text differs, so `check` can say which paragraphs are ever shown.
    assert "paracetamol" in story.watched_choices


# --- the format and its checks ---------------------------------------------------------------------------

TEMPERATURE_IF = "      - if: temperature > 38.5"


@pytest.mark.parametrize("old, new, expected", [
    (TEMPERATURE_IF, "      - if: temprature > 38.5",
     f"story.yaml:{line_of(TEMPERATURE_IF)}:13: error: unknown name 'temprature': declare it under stats or flags; did "
     "you mean 'temperature'?"),
    (TEMPERATURE_IF, "      - if: temperature >> 38.5",
     f"story.yaml:{line_of(TEMPERATURE_IF)}:26: error: "),
    ("      - if: told_to_attend", "      - if: told_to_atend",
     f"story.yaml:{line_of('      - if: told_to_attend')}:13: error: unknown name 'told_to_atend': declare it under "
     "stats or flags; did you mean 'told_to_attend'?"),
    ("      - if: chosen(paracetamol)", "      - if: chosen(paracetmol)",
     f"story.yaml:{line_of('      - if: chosen(paracetamol)')}:20: error: "),
])
def test_a_paragraph_condition_is_checked_like_a_route_condition(tmp_path, old, new, expected):
    text = SOURCE.replace(old, new, 1)
    assert text != SOURCE
    found = problems_in(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_else_without_if_is_explained(tmp_path):
    text = SOURCE.replace("      - The shift ends.", "      - text: The shift ends.\n        else: Tired.", 1)
    assert problems_in(tmp_path, text) == [
        f"story.yaml:{line_of('      - The shift ends.') + 1}:15: error: 'else' is shown when the paragraph's 'if' "
        "does not hold, and this paragraph has no 'if': add one, or remove the 'else'",
    ]


def test_a_paragraph_with_if_outside_a_list_says_to_make_a_list(tmp_path):
    old = "    text: Ana rings with a temperature of 38.4 °C."
    text = SOURCE.replace(old, "    text:\n      if: told_to_attend\n      text: Ana rings.", 1)
    assert problems_in(tmp_path, text) == [
        f"story.yaml:{line_of(old) + 1}:7: error: a paragraph with 'if:' goes in a list of paragraphs: start it "
        "with '- ' on the line below 'text:'",
    ]


def test_a_misspelt_paragraph_field_gets_a_did_you_mean(tmp_path):
    text = SOURCE.replace("        else: You hand over a safe call.", "        otherwise: You hand over a safe call.")
    found = problems_in(tmp_path, text)
    assert len(found) == 1 and "unknown field 'otherwise'; allowed here: if, text, else" in found[0], found


def test_an_empty_paragraph_is_refused_where_it_is(tmp_path):
    old = "      - Ana's husband rings back an hour later."
    found = problems_in(tmp_path, SOURCE.replace(old, '      - ""', 1))
    assert found == [f"story.yaml:{line_of(old)}:9: error: this must not be empty"]


def test_every_branch_is_held_to_the_text_limit(tmp_path):
    from mmjourney.story.loader import MAX_TEXT_CHARS

    old = "        else: She is shivering under a blanket at home."
    found = problems_in(tmp_path, SOURCE.replace(old, f"        else: {'x' * (MAX_TEXT_CHARS + 1)}", 1))
    assert len(found) == 1 and found[0].startswith(f"story.yaml:{line_of(old)}:15: error: this text is "), found


@pytest.mark.parametrize("british, canonical", [
    ("recognise_cues", "recognize_cues"), ("analyse_cues", "analyze_cues"),
    ("prioritise_hypotheses", "prioritize_hypotheses"),
])
def test_british_spellings_of_the_steps_keep_one_canonical_id(tmp_path, british, canonical):
    text = SOURCE.replace("step: recognise_cues", f"step: {british}", 1)
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_story(path)
    assert loaded.model.scenes["call"].choices[0].step == canonical
    assert after(loaded, "attend").history[-1].step == canonical


def test_a_misspelt_step_is_still_named(tmp_path):
    found = problems_in(tmp_path, SOURCE.replace("step: analyse_cues", "step: analyse_cue", 1))
    assert len(found) == 1 and "'analyse_cue' is not one of:" in found[0] and found[0].endswith(
        "did you mean 'analyze_cues'?"), found


def test_the_schema_accepts_both_spellings_and_text_paragraphs():
    import jsonschema
    import yaml

    from mmjourney.story.schema import story_json_schema

    validator = jsonschema.Draft202012Validator(story_json_schema())
    data = yaml.safe_load(SOURCE)
    data["reviewed_on"] = str(data["reviewed_on"])
    assert [e.message for e in validator.iter_errors(data)] == []
    data["scenes"]["end"]["text"][1]["iff"] = "true"
    assert not validator.is_valid(data)


# --- tools ------------------------------------------------------------------------------------------------


def test_walkthroughs_and_check_pass(story):
    from mmjourney.tools.check import check_file
    from mmjourney.tools.walkthroughs import run_story

    assert all(result.passed for result in run_story(story))
    report = check_file(CONDITIONAL)
    assert [str(f) for f in report.findings if f.severity == "error"] == []
    assert report.coverage["scenes"] == (3, 3)


@pytest.mark.parametrize("old, new, where, message", [
    (TEMPERATURE_IF, "      - if: temperature > 41", TEMPERATURE_IF,
     "this paragraph is never shown: its condition 'temperature > 41' is false whenever scene 'call_back' is "
     "reached; learners never read it"),
    ("      - if: told_to_attend", "      - if: temperature > 36",
     "        else: She is shivering under a blanket at home.",
     "this 'else' is never shown: the paragraph's condition 'temperature > 36' holds whenever scene 'call_back' "
     "is reached; learners never read it"),
])
def test_check_names_a_paragraph_no_journey_shows(tmp_path, old, new, where, message):
    from mmjourney.tools.check import check_file

    path = tmp_path / "story.yaml"
    path.write_text(SOURCE.replace(old, new, 1), encoding="utf-8")
    found = [f for f in check_file(path, "story.yaml").findings if f.code == "paragraph-never-shown"]
    assert [str(f) for f in found] == [f"story.yaml:{line_of(where)}:{where.index(':') + 3}: warning: {message}"]


# --- the record, the debrief and the exports: the text that was shown --------------------------------------


def test_the_record_keeps_the_ending_text_the_learner_read(story):
    from mmjourney.journey.attempt import session_record
    from mmjourney.records.exports import to_html, to_markdown

    session = after(story, "paracetamol")
    session.proceed()
    record = session_record(session)
    assert record.ending is not None
    assert record.ending.text == "The shift ends.\n\nYou lie awake thinking about the call."
    for export in (to_markdown(record), to_html(record)):
        assert "You lie awake thinking about the call." in export
        assert "You hand over a safe call." not in export


# --- the players ---------------------------------------------------------------------------------------------


def test_the_plain_player_shows_the_paragraphs_of_the_path(story):
    from mmjourney.journey import prompt_of
    from mmjourney.plain import play_plain

    from .helpers import shown_numbers

    prompt = prompt_of(Session(story, seed=0))
    number = shown_numbers(prompt, Action("choose", "attend"))[0]
    out = io.StringIO()
    play_plain(story, seed=0, stdin=io.StringIO(f"{number}\n\n\n\n"), stdout=out)
    text = out.getvalue()
    assert ON_THE_WAY in text and "You hand over a safe call." in text
    assert AT_HOME not in text and HOT not in text and "You lie awake" not in text


async def test_the_full_screen_player_shows_the_paragraphs_of_the_path(story):
    from mmjourney.tui.app import MMJourneyApp

    from .tui.conftest import keys_for, screen_text

    app = MMJourneyApp(story_path=CONDITIONAL, watch_settings=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        session = app.screen.session
        await pilot.press(*keys_for(session, Action("choose", "paracetamol")))
        await pilot.pause()
        await pilot.press("enter")  # past the practice feedback
        await pilot.pause()
        assert app.screen.session.scene_id == "call_back"
        shown = screen_text(app)
        assert AT_HOME in shown and HOT in shown and ON_THE_WAY not in shown
