"""YAML layout slips in clinical prose get one message each, in an educator's words, at the cause.

Each test makes one slip the new-author review met (../shared/reviews/2026-11-new-author.md, section 3)
in a small valid story and asserts the exact line `validate` prints: file, line, column and message.
The last tests replay the public YAML test suite, to show that these explanations change the words of
errors only: every input libyaml reads is read exactly as before.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml

from mmjourney.story import validate_file, yaml_prose
from mmjourney.story.yaml_source import YamlSourceError, parse_yaml
from mmjourney.tools.check import check_file

from .test_robustness import CORPUS, CORPUS_CASES
from .test_validate import BASE

# Where the slips go in BASE: the first scene's text (line 23, value at column 11) and the first
# choice's label (line 26, value at column 16).
TEXT = "    text: Hello."
LABEL = "        label: Go on"


def messages(tmp_path, text: str, name: str = "story.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [str(problem) for problem in validate_file(path, name)]


def with_line(old: str, new: str, story: str = BASE) -> str:
    assert story.count(old) == 1, old
    return story.replace(old, new)


# --- quotes ---------------------------------------------------------------------------------------

# A scene 40 lines long after the first, whose last label is quoted: an unclosed quote in the first
# scene's label runs on to that label's opening quote, where YAML used to report it.
LATER_SCENES = "".join(
    f"  later{i}:\n    phase: Later\n    text: Page {i}.\n    next: two\n" for i in range(8)
) + textwrap.indent(textwrap.dedent("""\
    three:
      phase: Later
      text: The last call.
      choices:
        - id: ring
          label: "Amber: ring the team"
          category: communication
          rating: best
          step: take_action
          feedback: {outcome: ok, rationale: fine}
          goto: two
"""), "  ")


def test_an_unclosed_quote_is_reported_where_it_opens_not_where_yaml_stops(tmp_path):
    story = with_line(LABEL, '        label: "Go on') + LATER_SCENES
    assert story.splitlines()[75] == '        label: "Amber: ring the team"'  # line 76, 50 lines on
    assert messages(tmp_path, story) == [
        'story.yaml:26:16: error: this " opens a text in quotes that is not closed on its line, so YAML reads on '
        'to line 76 as part of the same text; put the closing " where the text ends',
    ]


def test_an_unclosed_quote_in_the_title_runs_into_the_next_line(tmp_path):
    assert messages(tmp_path, with_line("title: Mini", 'title: "Mini')) == [
        'story.yaml:2:8: error: this " opens a text in quotes that is not closed on its line, so YAML reads on '
        'to line 3 as part of the same text; put the closing " where the text ends',
    ]


def test_an_unclosed_quote_before_a_block_of_text(tmp_path):
    # The quote swallows the block below, up to an apostrophe in it, where YAML stumbles.
    story = with_line(TEXT, "    text: '|\n      Sam is thirsty.\n      He's muddled.")
    assert messages(tmp_path, story) == [
        "story.yaml:23:11: error: this ' opens a text in quotes that is not closed on its line, so YAML reads on to "
        "line 25 as part of the same text; put the closing ' where the text ends",
    ]


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quote_never_closed_is_reported_where_it_opens(tmp_path, quote):
    assert messages(tmp_path, with_line(LABEL, f"        label: {quote}Go on")) == [
        f"story.yaml:26:16: error: this {quote} opens a text in quotes that is never closed; put the closing "
        f"{quote} where the text ends",
    ]


def test_an_apostrophe_inside_single_quotes(tmp_path):
    assert messages(tmp_path, with_line(LABEL, "        label: 'Call 3: I've come out'")) == [
        "story.yaml:26:26: error: the apostrophe in \"I've\" ends the text in single quotes; inside single "
        "quotes write it twice (I''ve), or put the whole text in double quotes",
    ]


def test_a_quote_mark_inside_double_quotes(tmp_path):
    assert messages(tmp_path, with_line(LABEL, '        label: "He said "no" to the drip"')) == [
        'story.yaml:26:25: error: this " ends the text in double quotes, before \'no\'; inside double quotes '
        'write \\" for a quote mark, or put the whole text in single quotes',
    ]


def test_text_quoted_only_in_part(tmp_path):
    assert messages(tmp_path, with_line(LABEL, '        label: "Amber" ring the team')) == [
        'story.yaml:26:22: error: the text in quotes ends at this ", but the line goes on after it; put the '
        "whole text in quotes",
    ]


@pytest.mark.parametrize("pair", ["“Go: on”", "‘Go: on’"])
def test_curly_quotes_from_a_word_processor(tmp_path, pair):
    assert messages(tmp_path, with_line(LABEL, f"        label: {pair}")) == [
        f"story.yaml:26:16: error: {pair[0]} and {pair[-1]} are curly quotes (as a word processor types them), "
        "not YAML quotes, so the ': ' in this text is read as a new field; put the text in straight quotes \"…\"",
    ]


def test_curly_quotes_around_text_without_a_colon_are_simply_text(tmp_path):
    assert messages(tmp_path, with_line(LABEL, "        label: “Go on”")) == []


def test_a_colon_in_plain_text_keeps_its_message(tmp_path):
    assert messages(tmp_path, with_line(LABEL, "        label: Amber: ring the team")) == [
        "story.yaml:26:21: error: YAML syntax: a ':' where YAML did not expect one; put text containing ': ' in "
        "quotes, or check the indentation",
    ]


# --- a missing '- ' -------------------------------------------------------------------------------

SECOND_CHOICE = """\
      - id: stay
        label: Stay
        category: assessment
        rating: best
        step: take_action
        feedback: {outcome: ok, rationale: fine}
        goto: two
"""


def test_a_missing_dash_before_a_choice(tmp_path):
    story = with_line("      - id: go\n", SECOND_CHOICE + "        id: go\n")
    assert messages(tmp_path, story) == [
        "story.yaml:32:9: error: 'id' appears twice in one choice; did you forget '- ' before this choice?",
    ]


def test_a_missing_dash_before_an_option(tmp_path):
    question = textwrap.dedent("""\
        three:
          phase: Q
          text: Which?
          question:
            id: which
            type: single_best
            prompt: Which is right?
            step: take_action
            goto: two
            options:
              - id: right
                text: This one
                correct: true
                rationale: Yes.
                id: wrong
                text: That one
                correct: false
                rationale: No.
        """)
    story = BASE + textwrap.indent(question, "  ")
    assert messages(tmp_path, story) == [
        "story.yaml:53:11: error: 'id' appears twice in one option; did you forget '- ' before this option?",
    ]


def test_a_missing_dash_before_a_route(tmp_path):
    story = BASE + "  three:\n    phase: X\n    text: t\n    next:\n      - if: done\n        goto: one\n" \
                   "        if: not done\n        goto: two\n"
    assert messages(tmp_path, story) == [
        "story.yaml:45:9: error: 'if' appears twice in one route; did you forget '- ' before this route?",
    ]


def test_a_missing_dash_before_the_first_choice(tmp_path):
    story = with_line("    choices:\n      - id: go\n", "    choices:\n        id: go\n").replace(
        "        goto: two\n", "        goto: two\n" + SECOND_CHOICE)
    assert messages(tmp_path, story) == [
        "story.yaml:25:9: error: this choice has no '- ' in front, but the next one has: did you forget '- ' "
        "before this choice?",
    ]


def test_a_missing_dash_between_two_ids_of_a_walkthrough(tmp_path):
    story = BASE + "walkthroughs:\n  - name: Expert\n    choices:\n      - go\n        stay\n    ending: two\n"
    assert messages(tmp_path, story) == [
        "story.yaml:42:9: error: 'go stay' is not a valid id: use letters, digits and underscores, starting with a "
        "letter (story and reference ids may also use '-' and '.'); did you forget '- ' before 'stay'?",
    ]


def test_one_field_written_twice_is_a_duplicate_not_a_missing_dash(tmp_path):
    story = with_line("        rating: best\n", "        rating: best\n        rating: poor\n")
    assert messages(tmp_path, story) == [
        "story.yaml:29:9: error: 'rating' appears twice in the same mapping; the second would silently replace "
        "the first",
    ]


# --- a one-line value starting with a character YAML reserves -------------------------------------

STARTS = {
    "**Saturday.** You ring back.": "'**' (Markdown bold) cannot start a value here: YAML reads '*' as a "
                                    "reference to another part of the file",
    "*Saturday* you ring back.": "'*' cannot start a value here: YAML reads it as a reference to another part "
                                 "of the file",
    "& then you ring back.": "'&' cannot start a value here: YAML reads it as a name given to this part of "
                             "the file",
    "> 24 hours since his call.": "'>' cannot start a value here: YAML reads it as the start of a block of "
                                  "text on the lines below",
    "| pain score 7": "'|' cannot start a value here: YAML reads it as the start of a block of text on the "
                      "lines below",
    "[Saturday] You ring back.": "'[' cannot start a value here: YAML reads it as the start of a list",
    "{Saturday} You ring back.": "'{' cannot start a value here: YAML reads it as the start of a group of fields",
    "!Important: ring back.": "'!' cannot start a value here: YAML reads '!Important:' as a type tag, and tags "
                              "are not allowed in story files",
    "% of patients who call back": "'%' cannot start a value here: YAML reads it as a directive",
    "@Daniel rings back.": "'@' cannot start a value here: YAML keeps it for future use",
    "`call back` now": "'`' cannot start a value here: YAML keeps it for future use",
}


@pytest.mark.parametrize("text", STARTS)
def test_text_starting_with_a_reserved_character(tmp_path, text):
    assert messages(tmp_path, with_line(TEXT, f"    text: {text}")) == [
        f"story.yaml:23:11: error: {STARTS[text]}; put the whole text in quotes",
    ]


@pytest.mark.parametrize("text", STARTS)
def test_the_same_text_in_quotes_or_in_a_block_is_fine(tmp_path, text):
    quoted = '"' + text.replace('"', '\\"') + '"'
    assert messages(tmp_path, with_line(TEXT, f"    text: {quoted}")) == []
    assert messages(tmp_path, with_line(TEXT, f"    text: |\n      {text}")) == []


def test_a_star_in_a_file_that_has_an_ampersand_elsewhere(tmp_path):
    # Any '&' makes the loader look for anchors and aliases first; '*Saturday' names no anchor, so it is text.
    story = with_line(TEXT, "    text: *Saturday").replace("label: Go on", "label: Go & see")
    assert messages(tmp_path, story) == [
        "story.yaml:23:11: error: '*' cannot start a value here: YAML reads it as a reference to another part of "
        "the file; put the whole text in quotes",
    ]


def test_a_real_alias_is_still_refused_as_one(tmp_path):
    story = with_line(TEXT, "    text: &greeting Hello.").replace("text: Bye.", "text: *greeting")
    assert messages(tmp_path, story) == [
        "story.yaml:37:11: error: YAML aliases (*name) are not allowed in story files; write the part out, or put "
        "shared parts in a fragment file and list it under includes",
    ]


def test_python_tags_keep_their_own_message(tmp_path):
    assert messages(tmp_path, with_line(TEXT, "    text: !!python/name:os.system")) == [
        "story.yaml:23:11: error: YAML tags such as 'tag:yaml.org,2002:python/name:os.system' are not allowed in "
        "story files",
    ]


def test_text_that_is_only_a_bracketed_word(tmp_path):
    # A scene's text may be a list of paragraphs, but only one with an `if:` paragraph means that.
    assert messages(tmp_path, with_line(TEXT, "    text: [Saturday]")) == [
        "story.yaml:23:11: error: expected text, found a list; a list of paragraphs is for text that changes with "
        "the path, with at least one '- if: ...' paragraph (text that starts with '[' needs quotes)",
    ]


def test_an_unclosed_bracket_in_a_list_keeps_its_message(tmp_path):
    assert messages(tmp_path, with_line("        objectives: [obj]", "        objectives: [obj")) == [
        "story.yaml:31:16: error: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)",
    ]


# --- slips YAML accepts: warnings -----------------------------------------------------------------


def test_a_hash_that_cuts_a_label_short(tmp_path):
    assert messages(tmp_path, with_line(LABEL, "        label: Tell him to dial 999 now #1 priority")) == [
        "story.yaml:26:41: warning: the text ends before ' #1 priority': ' #' starts a comment in YAML, so "
        "learners never see it; put the whole text in quotes, or move the comment to a line of its own",
    ]


@pytest.mark.parametrize("story, line", [
    (BASE + "glossary:\n  DVT: Deep vein thrombosis # a clot in a deep vein\n", 40),
    (BASE.replace("  ref: A reference", "  ref: A reference # page 12"), 13),
], ids=["glossary", "citation"])
def test_a_hash_in_a_glossary_entry_or_a_citation(tmp_path, story, line):
    column = story.splitlines()[line - 1].index(" #") + 2
    (message,) = messages(tmp_path, story)
    assert message.startswith(f"story.yaml:{line}:{column}: warning: the text ends before ' # ")


@pytest.mark.parametrize("line", [
    '        label: "Tell him to dial 999 now #1 priority"',     # quoted: the '#' is text
    "        label: Tell him to dial 999 now#1",                 # no space before '#': text too
    "        label: |\n          Tell him to dial 999 now #1",   # a block keeps every character
    "        label: Go on\n        # a comment of its own",
])
def test_no_warning_where_the_hash_is_text_or_a_comment_of_its_own(tmp_path, line):
    assert messages(tmp_path, with_line(LABEL, line)) == []


def test_comments_after_flags_numbers_and_conditions_are_fine(tmp_path):
    story = BASE.replace("  done: false", "  done: false        # set when the patient goes home") \
        .replace("if: calcium > 2", "if: calcium > 2    # above the normal range") \
        .replace("minutes: 1", "minutes: 1  # a short one")
    assert messages(tmp_path, story) == []


def test_check_shows_the_hash_warning_too(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(with_line(LABEL, "        label: Tell him to dial 999 now #1 priority"), encoding="utf-8")
    findings = [f for f in check_file(path, "story.yaml").findings if f.code == "validate"]
    assert [(f.line, f.column, f.severity) for f in findings] == [(26, 41, "warning")]
    assert findings[0].message.startswith("the text ends before ' #1 priority'")


def test_a_word_taken_as_an_anchor(tmp_path):
    assert messages(tmp_path, with_line(TEXT, "    text: &then you ring back.")) == [
        "story.yaml:23:11: warning: '&then' is read as a YAML anchor (a name for this value), so learners never "
        "see it; put the whole text in quotes",
    ]


def test_a_version_that_loses_its_last_zero(tmp_path):
    assert messages(tmp_path, with_line('version: "1"', "version: 1.10")) == [
        "story.yaml:3:10: warning: version 1.10 is read as the number 1.1, so the story would be version '1.1'; "
        'put it in quotes to keep it as written: version: "1.10"',
    ]


@pytest.mark.parametrize("version", ['"1.10"', "1.0", "2", "0.1"])
def test_a_version_read_as_written_is_fine(tmp_path, version):
    assert messages(tmp_path, with_line('version: "1"', f"version: {version}")) == []


def test_a_story_with_no_slip_is_not_parsed_a_second_time(tmp_path, monkeypatch):
    """The warnings look at a story's events only when a cheap search finds a line that may need it."""
    def parse_again(text):
        raise AssertionError("parsed a second time")

    monkeypatch.setattr(yaml_prose, "_value_events", parse_again)
    story = BASE.replace("  done: false", "  done: false   # set when the patient goes home") \
        .replace("text: Hello.", "text: Hello & welcome.")
    assert messages(tmp_path, story) == []


# --- the YAML test suite: valid YAML is read as before ----------------------------------------------

VALID_CASES = [case for case in CORPUS_CASES if not (CORPUS / case / "error").exists()]
# What the loader refused before these explanations, and still refuses (some now in other words).
REFUSALS = ("aliases (*name) are not allowed", "appears twice", "tags are not allowed", "tags such as",
            "a key must be a plain name")


@pytest.mark.parametrize(
    "case",
    VALID_CASES or [pytest.param(None, marks=pytest.mark.skip(reason=f"YAML test-suite corpus not found at {CORPUS}"))],
)
def test_valid_yaml_reads_as_libyaml_reads_it(case):
    text = (CORPUS / case / "in.yaml").read_text(encoding="utf-8")
    try:
        expected = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # beyond libyaml: the loader reports it as an error, as before
    except Exception:  # noqa: BLE001 - a value PyYAML cannot convert, such as a date that does not exist
        return
    try:
        data = parse_yaml(text, "in.yaml")
    except YamlSourceError as refused:
        assert any(reason in refused.problem.message for reason in REFUSALS), refused.problem
        return
    assert repr(data) == repr(expected)
    lines = text.count("\n") + 1
    for warning in yaml_prose.prose_warnings(text, data, "in.yaml"):
        assert warning.severity == "warning" and 1 <= warning.line <= lines, warning


def test_fields_indented_under_a_text_by_mistake_get_no_bracket_hint(tmp_path):
    story = with_line(TEXT, "    text:\n      first: Hello.")
    assert messages(tmp_path, story) == ["story.yaml:24:7: error: expected text, found a mapping of fields"]


def test_a_list_item_in_braces_with_a_repeated_field_is_a_duplicate(tmp_path):
    # Written on one line in braces, the item has its '- '; the second 'id' is a plain duplicate.
    story = with_line("  - id: obj\n    text: Do the right thing", "  - {id: obj, id: aim, text: Do the right thing}")
    assert messages(tmp_path, story) == [
        "story.yaml:10:15: error: 'id' appears twice in the same mapping; the second would silently replace "
        "the first",
    ]
