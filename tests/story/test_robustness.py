"""Hostile and malformed story files end in the loader's own clear errors, never a traceback.

Three groups:

* every input of the public YAML test suite (valid YAML that is not a story, and invalid YAML);
* adversarial files: alias bombs, oversized and deeply nested files, binary and non-UTF-8
  bytes, tags that would run code, and values PyYAML cannot convert;
* `includes` that try to leave the story's folder.

Each must give at least one problem of severity "error" with a non-empty message, at a line
where the input has one, quickly (a behavioural guarantee: under 2 seconds) and, where the
input is built to blow up memory, within a bounded amount of it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from mmjourney.story import Problem, StoryError, load_story, validate_file
from mmjourney.story.text_safety import visible

# Seconds of CPU per file: CPU time, not wall time, so that a machine busy with other work does not
# fail a test whose point is that a hostile file cannot make validation run on and on.
TIME_LIMIT = 2.0
MEMORY_LIMIT = 200 * 2**20  # bytes, tracemalloc peak

# The repository is cloned with `shared/` beside it: /work/main/tests/story -> /work/shared.
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "yaml-test-suite"
CORPUS_CASES = (
    sorted(p.parent.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("in.yaml")) if CORPUS.is_dir() else []
)

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def check_well_formed(problems: list[Problem], display: str, line_count: int | None = None) -> list[Problem]:
    """At least one error; every problem names the file, says something, and points inside it."""
    errors = errors_of(problems)
    assert errors, f"expected an error, got {problems!r}"
    for problem in problems:
        assert problem.severity in ("error", "warning")
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert problem.file == display, problem
        if problem.line is not None:
            assert problem.line >= 1, problem
            if line_count is not None:
                assert problem.line <= line_count + 1, problem
        if problem.column is not None:
            assert problem.line is not None and problem.column >= 1, problem
    return errors


def timed_validate(path: Path, display: str | None = None) -> tuple[list[Problem], float]:
    start = time.process_time()
    problems = validate_file(path, display)
    return problems, time.process_time() - start


def peak_memory_of_validate(path: Path) -> int:
    """tracemalloc's peak while validating (a separate run, since tracing slows everything down)."""
    tracemalloc.start()
    try:
        validate_file(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def single_error(problems: list[Problem], display: str) -> Problem:
    errors = check_well_formed(problems, display)
    assert len(errors) == 1, errors
    return errors[0]


# --- the YAML test suite ------------------------------------------------------------------------


def _has_content(text: str) -> bool:
    """Whether any line holds more than white space or a comment."""
    return any(line.strip() and not line.strip().startswith("#") for line in text.splitlines())


def _root_node(text: str):
    try:
        return yaml.compose(text, Loader=_Composer)
    except yaml.YAMLError:
        return None


def test_corpus_is_there():
    if not CORPUS.is_dir():
        pytest.skip(f"YAML test-suite corpus not found at {CORPUS}")
    assert len(CORPUS_CASES) >= 300, f"only {len(CORPUS_CASES)} cases under {CORPUS}"


@pytest.mark.parametrize(
    "case",
    CORPUS_CASES
    or [pytest.param(None, marks=pytest.mark.skip(reason=f"YAML test-suite corpus not found at {CORPUS}"))],
)
def test_yaml_test_suite_case(case):
    folder = CORPUS / case
    path = folder / "in.yaml"
    display = f"yaml-test-suite/{case}/in.yaml"
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    line_count = text.count("\n") + 1

    problems, elapsed = timed_validate(path, display)

    errors = check_well_formed(problems, display, line_count)
    assert elapsed < TIME_LIMIT
    with pytest.raises(StoryError) as refused:
        load_story(path, display)
    assert refused.value.errors
    if (folder / "error").exists():
        # Invalid YAML: the author must be told where.
        assert all(p.line is not None for p in errors), errors
        return
    if not _has_content(text):
        # Nothing but comments and white space: there is no line to point at, so say what is wrong.
        assert any("mapping" in p.message and ("nothing" in p.message or "empty" in p.message) for p in errors)
        return
    # Valid YAML with content, but not a story: every error points at a line of the input.
    assert all(p.line is not None for p in errors), errors
    root = _root_node(text)
    if root is None:
        return
    for p in errors:
        if p.message.startswith(("missing required field", "a story file must be a mapping")):
            # A document missing fields (or not a mapping at all) is pointed at where it starts.
            assert p.line == root.start_mark.line + 1, (p, root.start_mark)
        elif p.message.startswith("unknown field") and isinstance(root, yaml.MappingNode):
            # An unknown top-level field is pointed at its key (quoted with its controls made visible).
            key_lines = {
                k.start_mark.line + 1
                for k, _ in root.value
                if isinstance(k, yaml.ScalarNode) and p.message.startswith(f"unknown field '{visible(k.value)}'")
            }
            assert p.line in key_lines, (p, key_lines)


# --- adversarial files --------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def billion_laughs() -> str:
    lines = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb(tmp_path):
    path = write(tmp_path, "bomb.yaml", billion_laughs())
    problems, elapsed = timed_validate(path, "bomb.yaml")
    error = single_error(problems, "bomb.yaml")
    assert elapsed < TIME_LIMIT
    assert "alias" in error.message.lower() and "not allowed" in error.message
    assert (error.line, error.column) == (2, 8)  # the first '*a'
    assert peak_memory_of_validate(path) < MEMORY_LIMIT


def test_alias_bomb_inside_a_story_field(tmp_path):
    text = "id: bomb\ntitle: Bomb\nglossary:\n" + textwrap.indent(billion_laughs(), "  ")
    path = write(tmp_path, "bomb.yaml", text)
    problems, elapsed = timed_validate(path, "bomb.yaml")
    error = single_error(problems, "bomb.yaml")
    assert elapsed < TIME_LIMIT
    assert "alias" in error.message.lower() and error.line == 5
    assert peak_memory_of_validate(path) < MEMORY_LIMIT


def test_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:  # 50 MB, sparse: nothing is really written
        handle.write(b"id: big\ntitle: Big\n")
        handle.truncate(50 * 2**20)
    problems, elapsed = timed_validate(path, "big.yaml")
    error = single_error(problems, "big.yaml")
    assert elapsed < TIME_LIMIT
    assert "MB" in error.message and "limited to 16 MB" in error.message
    # Had the file been read, its NUL bytes would have been reported as a binary file instead,
    # and reading would have needed at least the 16 MB buffer.
    assert "binary" not in error.message
    assert peak_memory_of_validate(path) < 2**20


DEPTH = 10_000

DEEP = {
    "flow sequence": "[" * DEPTH + "]" * DEPTH,
    # Compact nested block sequences ("- - - x"): 10,000 levels without 50 MB of indentation.
    # (Nested flow mappings are left to the test below: libyaml is quadratic in flow depth.)
    "block sequence": "- " * DEPTH + "x\n",
    "block sequence in a field": "id: deep\nsummary:\n  " + "- " * DEPTH + "x\n",
    "block mappings": "".join(" " * i + "a:\n" for i in range(1000)) + " " * 1000 + "b: 1\n",
}


@pytest.mark.parametrize("kind", DEEP)
def test_deep_nesting(tmp_path, kind):
    path = write(tmp_path, "deep.yaml", DEEP[kind])
    problems, elapsed = timed_validate(path, "deep.yaml")
    errors = check_well_formed(problems, "deep.yaml")
    assert elapsed < TIME_LIMIT
    assert all(p.line is not None for p in errors)
    # Either refused for its depth, or read and found not to be a story.
    assert any(
        "deep" in p.message or "mapping" in p.message or "missing required field" in p.message for p in errors
    ), errors
    assert peak_memory_of_validate(path) < MEMORY_LIMIT


_VALIDATE_IN_CHILD = """
import json, sys, time
from mmjourney.story import validate_file
start = time.process_time()
problems = validate_file(sys.argv[1], sys.argv[2])
print(json.dumps({"elapsed": time.process_time() - start,
                  "errors": [[p.line, p.message] for p in problems if p.severity == "error"]}))
"""
# Wall seconds before a child that goes on and on is stopped: far above the CPU limit, as a busy
# machine can take several seconds only to start Python and import.
CHILD_TIMEOUT = 30


def validate_in_child(path: Path, display: str) -> tuple[list[list], float]:
    """validate_file in a child process, so that a crash, or a run that goes on and on, fails
    the test rather than the whole test run. Returns the errors as [line, message], and the
    CPU time validate_file took as the child measured it."""
    try:
        child = subprocess.run(
            [sys.executable, "-c", _VALIDATE_IN_CHILD, str(path), display],
            capture_output=True, text=True, timeout=CHILD_TIMEOUT, cwd=Path(__file__).resolve().parents[2],
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"validate_file was still running after {CHILD_TIMEOUT:g} s (limit {TIME_LIMIT:g} s)")
    assert child.returncode == 0, f"validate_file crashed the process (exit {child.returncode}): {child.stderr[-800:]}"
    result = json.loads(child.stdout)
    return result["errors"], result["elapsed"]


VERY_DEEP = {
    # LOADER BUG: from about 25,000 levels (a 50 KB file) PyYAML's C composer recurses past
    # the end of the C stack and the process dies with SIGSEGV; no exception to catch.
    "100,000 block": "- " * 100_000 + "x\n",
    "100,000 flow": "[" * 100_000 + "]" * 100_000,
    # LOADER BUG: libyaml's time grows with the square of the flow depth (about 6 s for this
    # 80 KB file), so the depth must be limited before libyaml sees the text.
    "20,000 flow mappings": "{a: " * 20_000 + "1" + "}" * 20_000,
}


@pytest.mark.parametrize("kind", VERY_DEEP)
def test_very_deep_nesting(tmp_path, kind):
    path = write(tmp_path, "deep.yaml", VERY_DEEP[kind])
    errors, elapsed = validate_in_child(path, "deep.yaml")
    assert errors and all(line is not None and message for line, message in errors), errors
    assert elapsed < TIME_LIMIT


def test_binary_file(tmp_path):
    data = random.Random(20261121).randbytes(4096)  # random bytes, the same every run
    data = data[:1000] + b"\n\n\0" + data[1000:]  # with a NUL for certain
    path = write(tmp_path, "binary.yaml", data)
    problems, elapsed = timed_validate(path, "binary.yaml")
    error = single_error(problems, "binary.yaml")
    assert elapsed < TIME_LIMIT
    assert "binary" in error.message and "NUL" in error.message
    assert error.line == data.count(b"\n", 0, data.index(b"\0")) + 1


def test_latin1_text(tmp_path):
    path = write(tmp_path, "latin1.yaml", "id: cafe\ntitle: caf\xe9\n".encode("latin-1"))
    problems, elapsed = timed_validate(path, "latin1.yaml")
    error = single_error(problems, "latin1.yaml")
    assert elapsed < TIME_LIMIT
    assert "UTF-8" in error.message and "0xe9" in error.message
    assert (error.line, error.column) == (2, 11)


def test_utf16_text(tmp_path):
    path = write(tmp_path, "utf16.yaml", "id: x\n".encode("utf-16"))
    error = single_error(validate_file(path, "utf16.yaml"), "utf16.yaml")
    assert "binary" in error.message or "UTF-8" in error.message


@pytest.mark.parametrize(
    "text", ["", "\n\n   \n", "# only\n   # comments\n\n#here\n"], ids=["empty", "blank", "comments"]
)
def test_file_with_nothing_in_it(tmp_path, text):
    path = write(tmp_path, "empty.yaml", text)
    problems, elapsed = timed_validate(path, "empty.yaml")
    error = single_error(problems, "empty.yaml")
    assert elapsed < TIME_LIMIT
    assert "mapping" in error.message and ("nothing" in error.message or "empty" in error.message)


def test_tab_indentation(tmp_path):
    path = write(tmp_path, "tab.yaml", "id: tabs\nscenes:\n\tintro:\n\t\tphase: One\n")
    problems, elapsed = timed_validate(path, "tab.yaml")
    error = single_error(problems, "tab.yaml")
    assert elapsed < TIME_LIMIT
    assert "tab" in error.message.lower()
    assert error.line == 3


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("id: first\ntitle: T\nid: second\n", "id", 3),
        ("id: x\nscenes:\n  one: {phase: A, text: a}\n  two: {phase: B, text: b}\n  one: {phase: C, text: c}\n",
         "one", 5),
        ("id: x\nflags: {a: true, b: false, a: false}\n", "a", 2),
    ],
    ids=["top level", "nested", "flow"],
)
def test_duplicate_keys(tmp_path, text, key, line):
    path = write(tmp_path, "dup.yaml", text)
    problems, elapsed = timed_validate(path, "dup.yaml")
    error = single_error(problems, "dup.yaml")
    assert elapsed < TIME_LIMIT
    assert "twice" in error.message and f"'{key}'" in error.message
    assert error.line == line


def test_multi_document_stream(tmp_path):
    path = write(tmp_path, "multi.yaml", "id: one\ntitle: One\n---\nid: two\n---\nid: three\n")
    problems, elapsed = timed_validate(path, "multi.yaml")
    error = single_error(problems, "multi.yaml")
    assert elapsed < TIME_LIMIT
    assert "one document" in error.message
    assert error.line == 3


@pytest.mark.parametrize(
    "template",
    [
        "id: !!python/object/apply:builtins.open [{sentinel}, w]\n",
        "id: x\ntitle: !!python/object/new:builtins.open [{sentinel}, w]\n",
        "!!python/object:builtins.object {{}}\n",
        "id: !!python/name:os.system\n",
        "id: !include {sentinel}\n",
    ],
    ids=["apply", "new", "object", "name", "custom"],
)
def test_python_tags_are_refused_not_run(tmp_path, template):
    sentinel = tmp_path / "pwned"
    text = template.format(sentinel=json.dumps(str(sentinel)))
    path = write(tmp_path, "tag.yaml", text)
    problems, elapsed = timed_validate(path, "tag.yaml")
    error = single_error(problems, "tag.yaml")
    assert elapsed < TIME_LIMIT
    assert not sentinel.exists(), "a YAML tag ran code"
    assert "tag" in error.message and "not allowed" in error.message
    assert error.line == text.count("\n", 0, text.index("!")) + 1


def test_huge_single_line_scalar(tmp_path):
    path = write(tmp_path, "line.yaml", "id: long\ntitle: " + "x" * (10 * 2**20) + "\n")
    problems, elapsed = timed_validate(path, "line.yaml")
    errors = check_well_formed(problems, "line.yaml")
    assert elapsed < TIME_LIMIT
    # Refused before its shape is checked: the players would take seconds to lay such a text out.
    (error,) = errors
    assert (error.line, error.column) == (2, 8)
    assert error.message.startswith("this text is 10,485,760 characters long; a text is limited to 20,000")


def test_huge_single_line_of_many_small_items(tmp_path):
    """A 200 KB line of 100,000 tiny items is read and reported within the time limit.

    libyaml needs about 7 microseconds an item, so item count, not file size, sets the time:
    the next test shows that files with millions of items are refused before parsing."""
    path = write(tmp_path, "items.yaml", "id: items\nglossary: [" + "0," * 100_000 + "0]\n")
    errors, elapsed = validate_in_child(path, "items.yaml")
    assert errors and all(line is not None and message for line, message in errors), errors
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f} s"


def test_millions_of_items_are_refused_before_parsing(tmp_path):
    path = write(tmp_path, "items.yaml", "id: items\nglossary: [" + "0," * 2_000_000 + "0]\n")
    errors, elapsed = validate_in_child(path, "items.yaml")
    assert len(errors) == 1 and "values" in errors[0][1], errors
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f} s"


def test_control_character(tmp_path):
    path = write(tmp_path, "ctrl.yaml", "id: x\ntitle: bell\x07\n")
    error = single_error(validate_file(path, "ctrl.yaml"), "ctrl.yaml")
    assert "#x0007" in error.message and error.line == 2


def test_a_list_as_a_key(tmp_path):
    path = write(tmp_path, "key.yaml", "id: x\n? [a, b]\n: 1\n")
    error = single_error(validate_file(path, "key.yaml"), "key.yaml")
    assert "key" in error.message and error.line == 2


# --- a minimal valid story ----------------------------------------------------------------------

STORY = """\
id: mini
title: Mini
version: "1"
summary: A minimal story.
audience: [tests]
difficulty: beginner
minutes: 1
authors: [tests]
objectives:
  - id: obj
    text: Do the right thing
patient: {name: Bo, age: 60}
start: one
scenes:
  one:
    phase: Start
    text: Hello.
    choices:
      - id: go
        label: Go on
        category: assessment
        rating: best
        step: take_action
        objectives: [obj]
        feedback: {outcome: ok, rationale: fine}
        goto: two
  two:
    phase: End
    text: Bye.
    ending: {title: Done, kind: good}
"""
STORY_LINES = STORY.count("\n")
FRAGMENT = "fragment: Shared glossary\nglossary:\n  Term: A word.\n"


def test_minimal_story_is_valid(tmp_path):
    assert validate_file(write(tmp_path, "story.yaml", STORY)) == []


# Values that match one of YAML's implicit types (or carry a standard tag) but cannot be
# converted: PyYAML raises plain Python errors for them, not YAML errors.
UNCONVERTIBLE = {
    "month 13": ("reviewed_on: 2026-13-01", "reviewed_on"),
    "30 February": ("reviewed_on: 2026-02-30", "reviewed_on"),
    "hour 25": ("reviewed_on: 2026-02-01 25:00:00", "reviewed_on"),
    "timestamp tag": ("reviewed_on: !!timestamp soon", "reviewed_on"),
    "empty int tag": ('minutes: !!int ""', "minutes"),
    "int tag on words": ("minutes: !!int ten", "minutes"),
    "float tag on words": ("minutes: !!float ten", "minutes"),
    "empty float tag": ('minutes: !!float ""', "minutes"),
    "bool tag on words": ("minutes: !!bool maybe", "minutes"),
    "5000-digit number": ("minutes: " + "9" * 5000, "minutes"),
    "4000-digit hex number": ("minutes: 0x" + "f" * 4000, "minutes"),
    "4000-digit hex as text": ("title: 0x" + "f" * 4000, "title"),  # may be accepted as text
}


@pytest.mark.parametrize("case", UNCONVERTIBLE)
def test_values_yaml_cannot_convert(tmp_path, case):
    """LOADER BUG: these escape validate_file as ValueError, IndexError, AttributeError or KeyError."""
    line, field = UNCONVERTIBLE[case]
    lines = STORY.splitlines()
    index = next((i for i, text in enumerate(lines) if text.startswith(f"{field}:")), len(lines))
    lines[index:index + 1] = [line]
    text = "\n".join(lines) + "\n"
    path = write(tmp_path, "story.yaml", text)
    problems, elapsed = timed_validate(path, "story.yaml")
    assert elapsed < TIME_LIMIT
    if field == "title" and not errors_of(problems):
        return
    errors = check_well_formed(problems, "story.yaml")
    assert [p.line for p in errors] == [index + 1], errors


# --- includes must stay in the story's folder ---------------------------------------------------


def story_with_includes(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    listed = "".join(f"  - {json.dumps(name)}\n" for name in names)
    return write(folder, "story.yaml", STORY + "includes:\n" + listed)


def include_error(problems: list[Problem], display: str, line: int) -> Problem:
    error = single_error(problems, display)
    assert (error.file, error.line) == (display, line), error
    return error


FIRST_INCLUDE = STORY_LINES + 2


def test_included_fragment_is_fine(tmp_path):
    stories = tmp_path / "stories"
    (stories / "parts").mkdir(parents=True)
    write(stories / "parts", "shared.yaml", FRAGMENT)
    assert validate_file(story_with_includes(stories, "parts/shared.yaml")) == []


def test_include_climbing_out_with_dotdot(tmp_path):
    write(tmp_path, "outside.yaml", FRAGMENT)
    path = story_with_includes(tmp_path / "stories", "../outside.yaml")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "'../outside.yaml'" in error.message and "outside this story's folder" in error.message


def test_include_climbing_out_from_a_subfolder(tmp_path):
    write(tmp_path, "outside.yaml", FRAGMENT)
    (tmp_path / "stories" / "parts").mkdir(parents=True)
    path = story_with_includes(tmp_path / "stories", "parts/../../outside.yaml")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "outside this story's folder" in error.message


def test_include_by_absolute_path(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    inside = write(stories, "shared.yaml", FRAGMENT)  # absolute even when it points inside
    path = story_with_includes(stories, str(inside.resolve()))
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "absolute path" in error.message


def test_include_through_a_symlink_pointing_outside(tmp_path):
    outside = write(tmp_path, "outside.yaml", FRAGMENT)
    stories = tmp_path / "stories"
    stories.mkdir()
    try:
        os.symlink(outside, stories / "link.yaml")
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"cannot make symlinks here: {error}")
    path = story_with_includes(stories, "link.yaml")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "'link.yaml'" in error.message and "outside this story's folder" in error.message


def test_include_through_a_symlinked_folder_pointing_outside(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    write(tmp_path / "elsewhere", "shared.yaml", FRAGMENT)
    stories = tmp_path / "stories"
    stories.mkdir()
    try:
        os.symlink(tmp_path / "elsewhere", stories / "parts", target_is_directory=True)
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"cannot make symlinks here: {error}")
    path = story_with_includes(stories, "parts/shared.yaml")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "outside this story's folder" in error.message


def test_include_of_a_missing_file(tmp_path):
    path = story_with_includes(tmp_path / "stories", "missing.yaml")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "'missing.yaml'" in error.message and "does not exist" in error.message


def test_include_of_a_file_that_is_not_yaml(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    write(stories, "notes.txt", FRAGMENT)
    path = story_with_includes(stories, "notes.txt")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "'notes.txt'" in error.message and "not a .yaml file" in error.message


def test_include_of_the_same_fragment_twice(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    write(stories, "shared.yaml", FRAGMENT)
    path = story_with_includes(stories, "shared.yaml", "./shared.yaml")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE + 1)
    assert "twice" in error.message


def test_include_of_the_story_itself(tmp_path):
    path = story_with_includes(tmp_path / "stories", "story.yaml")
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/story.yaml", FIRST_INCLUDE)
    assert "this file itself" in error.message


def test_fragment_that_includes_more_files(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    write(stories, "shared.yaml", FRAGMENT)
    write(stories, "nested.yaml", "fragment: Nested\nincludes: [shared.yaml]\n")
    path = story_with_includes(stories, "nested.yaml")
    # The fix belongs in the fragment, so the error names the fragment (as the story sees it)
    # and the line of its `includes`.
    error = include_error(validate_file(path, "stories/story.yaml"), "stories/nested.yaml", 2)
    assert "cannot include other files" in error.message


@pytest.mark.parametrize(
    "name, why",
    [
        ("a\0b.yaml", "a NUL character (written \\0 in YAML)"),
        ("a" * 300 + ".yaml", "a file name longer than the file system allows"),
        ("loop.yaml", "a symlink that points at itself"),
    ],
    ids=["NUL", "too long", "symlink loop"],
)
def test_hostile_include_names(tmp_path, name, why):
    """LOADER BUG: each escapes validate_file (ValueError, OSError, RuntimeError)."""
    stories = tmp_path / "stories"
    stories.mkdir()
    if name == "loop.yaml":
        try:
            os.symlink(stories / "loop.yaml", stories / "loop.yaml")
        except (OSError, NotImplementedError) as error:
            pytest.skip(f"cannot make symlinks here: {error}")
    path = story_with_includes(stories, name)
    problems, elapsed = timed_validate(path, "stories/story.yaml")
    include_error(problems, "stories/story.yaml", FIRST_INCLUDE)
    assert elapsed < TIME_LIMIT, why
