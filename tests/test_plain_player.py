"""The plain player as a listener hears it: transcripts of whole journeys, driven by typed lines.

Story Markdown is rendered (no "star star"), signs are words, what a decision led to is told in
the order it happened, a scene is read once, and the commands work at every prompt.
"""

from __future__ import annotations

import io
import re
import shutil

import pytest

from mmjourney.engine import Session
from mmjourney.journey import Fill, Journey, Workspace, expert_path, prompt_of
from mmjourney.plain import PlainPlayer, play_from_shelf
from mmjourney.plain.commands import parse_command
from mmjourney.plain.markdown import inline_text, markdown_lines
from mmjourney.plain.words import plain_wording, spoken_unit, spoken_value
from mmjourney.records import attempt_writer
from mmjourney.story import load_story

from .conftest import FIXTURES, REPO
from .helpers import plain_parts_answer, shown_numbers

TUTORIAL = REPO / "stories" / "tutorial-first-shift.yaml"


@pytest.fixture(scope="module")
def tutorial():
    return load_story(TUTORIAL)


def expert_lines(story, mode="practice") -> list[str]:
    """What a learner types to follow the expert path: a number (or numbers) per decision, '' on a page."""
    replay, lines = Session(story, 0, mode), []
    for action in expert_path(story).actions:
        prompt = prompt_of(replay)
        if isinstance(prompt, Fill):  # an item in parts: '1a 2b ...', then yes when it is read back
            lines += [plain_parts_answer(prompt, action), "yes"]
        else:
            lines.append(",".join(str(n) for n in shown_numbers(prompt, action)))
        replay.apply(action)
    return lines


def transcript(story, lines, mode="practice", workspace=None) -> tuple[str, Journey]:
    journey = Journey.start(story, 0, mode, workspace)
    out = io.StringIO()
    PlainPlayer(journey, io.StringIO("".join(f"{line}\n" for line in lines)), out).run()
    return out.getvalue(), journey


@pytest.fixture(scope="module")
def expert_transcript(tutorial):
    return transcript(tutorial, expert_lines(tutorial))[0]


def test_markdown_is_read_as_words(tutorial, expert_transcript):
    assert "**" not in expert_transcript and "*so*" not in expert_transcript
    assert not re.search(r"^\s*#", expert_transcript, re.M)
    assert "and so thirsty" in expert_transcript and "Welcome to the haematology day unit." in expert_transcript
    # the history's list items are lines of their own, their words under their words
    assert "\n- At diagnosis: haemoglobin 98 g/L" in expert_transcript


def test_markdown_renderer_keeps_structure_and_drops_marks():
    text = ("# Plan\n\nGive **IV** *fluids* and see [NICE](https://nice.org.uk) or <https://x.org>.\n\n"
            "- first item\n- second\n  1. nested one\n  2. nested two\n\n> a quote\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert markdown_lines(text) == [
        "Plan", "",
        "Give IV fluids and see NICE (https://nice.org.uk) or https://x.org.", "",
        "- first item", "- second", "  1. nested one", "  2. nested two", "",
        "  a quote", "",
        "a; b", "1; 2",
    ]
    assert inline_text("Start **IV** fluids *now*") == "Start IV fluids now"
    long = markdown_lines("See https://example.org/a-very-long-address-that-must-not-be-broken-by-wrapping-at-all "
                          "for more.", width=40)
    assert "https://example.org/a-very-long-address-that-must-not-be-broken-by-wrapping-at-all" in long[1]


def test_story_text_about_the_full_screen_gets_the_plain_equivalent(expert_transcript):
    assert "beside the story" not in expert_transcript and "help screen" not in expert_transcript
    assert "The patient chart (type chart at any prompt to hear it) shows" in " ".join(expert_transcript.split())
    assert "Typing help lists the commands." in expert_transcript
    assert plain_wording("Her daughter sits beside the bed.") == "Her daughter sits beside the bed."


def test_signs_are_said_as_words(tutorial, expert_transcript):
    assert "Calcium (corrected): 2.95 millimoles per litre, high (normal 2.20 to 2.60)" in expert_transcript
    assert "Haemoglobin: 98 grams per litre, low (normal 115 to 155)" in expert_transcript
    assert "Back pain score: 6 out of 10, high" in expert_transcript
    assert "Neutrophils: 1.9 times 10 to the 9 per litre, low" in expert_transcript
    for sign in (">>", "!!", "->", "===", "---", " H;", " L;"):
        assert sign not in expert_transcript, sign
    assert "Rating: best." in expert_transcript
    assert spoken_unit("×10⁶/kg") == "times 10 to the 6 per kilogram" and spoken_unit("/5") == "out of 5"
    assert spoken_unit("mL/min/1.73m²") == "millilitres per minute per 1.73 square metres"
    assert spoken_unit("mg/dL") == "milligrams per decilitre" and spoken_unit("°C") == "degrees Celsius"
    assert spoken_unit("cycles") == "cycles"  # a word is said as written


def test_a_critical_flag_is_said_as_words(tutorial):
    """Beyond a stat's critical limit the chart flags LL or HH; the plain player says it in words."""
    stat = tutorial.model.stats["neutrophils"].model_copy(update={"critical": (0.5, None)})
    assert spoken_value(stat, 0.1).endswith(", critically low")
    assert spoken_value(stat, 1.0).endswith(", low")


def test_the_event_is_told_by_title_after_the_decision_that_led_to_it(expert_transcript):
    out = expert_transcript
    happened = out.index("What happened: Maggie repeats the list back to you")
    chance = out.index("Then: Despite good care, that evening her temperature reads 38.4")
    changed = out.index("Temperature: from 36.9 to 38.4 degrees Celsius, high", chance)
    event = out.index("Interrupted: Triage call: fever at home")
    assert happened < chance < changed < event
    assert "fever_call" not in out and "event '" not in out


def test_assessment_tells_the_event_after_recording_the_decision(tutorial):
    out, _ = transcript(tutorial, expert_lines(tutorial, "assessment"), "assessment")
    event = out.index("Interrupted: Triage call: fever at home")
    assert out.rindex("Decision recorded; its feedback comes in the debrief.", 0, event) < event
    assert "Rating:" not in out.split("Debrief")[0]


def test_a_decision_inside_a_scene_brings_back_only_its_title_and_choices(expert_transcript):
    out = expert_transcript
    assert out.count("Scene: Day 8 of cycle 1: Maggie arrives") == 1
    assert out.count("Back to: Day 8 of cycle 1: Maggie arrives") == 3
    assert out.count("Maggie walks in slowly") == 1
    back = out.index("Back to: Day 8 of cycle 1: Maggie arrives")
    assert re.match(r"Back to: .*\n  1\. ", out[back:])  # straight to the choices
    assert out.count("Patient chart:") == 1  # then only what changed


def test_the_commands_work_at_a_prompt_and_lose_nothing(tutorial):
    lines = expert_lines(tutorial)
    typed = [lines[0], "what now", "help", "chart", "repeat", "glossary CRAB", "g", "glossary zzz", "?",
             *lines[1:3]]
    out, journey = transcript(tutorial, typed)
    choices = out.index("Scene: Day 8 of cycle 1")
    after = out[choices:]
    assert "'what now' is not a number from 1 to 5. Type a number from 1 to 5, or help for the commands." in after
    assert "- repeat (or r): hear the scene again" in after and "- glossary (or g): glossary TERM" in after
    assert after.count("Patient chart:") == 2  # the chart command, and the repeated scene
    assert after.count("Maggie walks in slowly") == 2
    assert "CRAB: The organ damage" in after
    assert re.search(r"Glossary terms \(\d+\): .*CRAB; ", after)
    assert "No glossary term matches 'zzz'." in after
    assert [a.id for a in journey.session.actions][:3] == [a.id for a in expert_path(tutorial).actions[:3]]


def test_undo_and_a_page_that_is_not_a_choice(tutorial):
    lines = expert_lines(tutorial)
    out, journey = transcript(tutorial, ["1", lines[0], lines[1], "undo", lines[1]])
    assert "This page has no choices: press Enter to go on, or type help." in out
    assert "Went back one decision." in out
    assert len(journey.session.actions) == 2
    out, _ = transcript(tutorial, [lines[0], "u"], "assessment")
    assert "Cannot undo: Undo is not available in assessment mode." in out
    assert "- undo (or u): not available in assessment mode" in transcript(tutorial, ["help"], "assessment")[0]


def test_commands_are_words_or_their_first_letter():
    assert parse_command("G  m-protein ").argument == "m-protein"
    assert parse_command("Chart").name == "chart" and parse_command("?").name == "help"
    assert parse_command("3") is None and parse_command("repeat the scene") is None


def test_plain_continue_offers_the_unfinished_journey_first(tutorial, tmp_path):
    workspace = Workspace.from_environment(data_dir=tmp_path / "data", stories=tmp_path / "none",
                                           recorder=attempt_writer)
    lines = expert_lines(tutorial)
    first = io.StringIO()
    play_from_shelf(workspace, 0, stdin=io.StringIO("".join(f"{x}\n" for x in ["x", "1", *lines[:3], "q"])),
                    stdout=first)
    assert "'x' is not a number from 1 to 8. Type a number, or q to quit." in first.getvalue()
    assert "Your journey is saved: run mmjourney play --plain again and choose it under Continue." in first.getvalue()
    out = io.StringIO()
    play_from_shelf(workspace, stdin=io.StringIO("".join(f"{x}\n" for x in ["1", *lines[3:]])), stdout=out)
    text = out.getvalue()
    assert text.startswith("Continue an unfinished journey:\n  1. Tutorial: first shift, practice, 3 steps, saved ")
    assert "Start a story:\n  2. Tutorial: first shift (beginner, about 8 minutes)" in text
    assert "Continuing your journey: 3 steps so far." in text
    assert "The end:" in text and "(100%)" in text
    assert workspace.saved_journeys() == []  # finished: nothing left to continue


def test_continuing_a_journey_whose_story_file_is_gone(tmp_path):
    workspace = Workspace.from_environment(data_dir=tmp_path / "data", stories=tmp_path / "none")
    shutil.copytree(FIXTURES, tmp_path / "copy")
    copy = tmp_path / "copy" / "clinic.yaml"
    journey = Journey.start(load_story(copy), 0, "practice", workspace)
    journey.decide(expert_path(journey.story).actions[0])
    journey.save()
    copy.unlink()
    out = io.StringIO()
    assert play_from_shelf(workspace, stdin=io.StringIO("1\n"), stdout=out) == 1
    assert "Cannot simply continue: The story of the saved journey cannot be loaded:" in out.getvalue()


def test_the_command_continues_a_journey_left_in_a_pipe(tutorial):
    """`mmjourney play --plain` with no story file, as a learner runs it: Continue is offered first."""
    import os
    import subprocess
    import sys

    def run(*args, stdin):
        return subprocess.run([sys.executable, "-m", "mmjourney", "play", "--plain", "--seed", "0", *args],
                              input=stdin, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)

    lines = expert_lines(tutorial)
    left = run(str(TUTORIAL), stdin="\n".join(lines[:2]) + "\n")
    assert left.returncode == 0 and "choose it under Continue" in left.stdout
    again = run(stdin="1\nchart\nq\n")
    assert again.returncode == 0, again.stderr
    assert "1. Tutorial: first shift, practice, 2 steps" in again.stdout
    assert "Continuing your journey: 2 steps so far." in again.stdout
    assert "Back to:" not in again.stdout  # a continued journey starts with its scene read in full


def test_the_debrief_reads_without_signs(expert_transcript):
    debrief = expert_transcript[expert_transcript.index("\nDebrief\n"):]
    assert "Summary: Safe. Passed." in debrief and "Overall score: 27 of 27 (100%)." in debrief
    assert "Back pain score, out of 10: from 6 to 2" in debrief and "->" not in debrief
    assert ".:" not in debrief
    assert "Decision 1: Ask about thirst" in debrief and "Rated best." in debrief


def test_time_alone_is_one_line_not_a_heading_over_nothing(tmp_path):
    """A new author's finding: 'How the patient changed (over 1 day):' with nothing under it."""
    from dataclasses import replace

    from mmjourney.engine import Action
    from mmjourney.journey import Journey, Workspace
    from mmjourney.plain.player import PlainPlayer

    from .conftest import FIXTURES

    story = load_story(FIXTURES / "clinic.yaml")
    journey = Journey.start(story, 0, "practice", Workspace(tmp_path))
    consequence = journey.session.apply(Action("choose", "give_fluids"))
    assert consequence.day_after > consequence.day_before
    out = io.StringIO()
    PlainPlayer(journey, io.StringIO(), out).changes(replace(consequence, changes=()))
    said = out.getvalue()
    assert "How the patient changed" not in said and "Time passed: " in said


def test_an_untitled_ending_is_headed_by_its_own_words_and_its_phase_still_said():
    clinic = load_story(FIXTURES / "clinic.yaml")
    out, journey = transcript(clinic, expert_lines(clinic), "assessment")
    assert journey.session.scene_id == "home" and journey.session.scene.title == ""
    assert "Scene: Home safely\nMaintenance. Journey day" in out
