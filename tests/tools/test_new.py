"""`mmjourney new`: a commented starter story that validates, checks clean and passes its walkthroughs."""

from __future__ import annotations

import datetime

from mmjourney.story import load_story, validate_file
from mmjourney.tools.check import check_file
from mmjourney.tools.new import schema_reference, slug, starter_story
from mmjourney.tools.walkthroughs import walk_file

from .conftest import REPO, run_cli


def test_the_starter_story_uses_every_construct_and_is_clean_apart_from_the_review(tmp_path):
    path = tmp_path / "fever.yaml"
    path.write_text(starter_story("Fever at home", path, today=datetime.date(2026, 11, 21)), encoding="utf-8")
    assert validate_file(path) == []
    model = load_story(path).model
    assert model.id == "fever-at-home" and model.title == "Fever at home"
    scenes = model.scenes.values()
    assert any(s.next and len(s.next) > 1 for s in scenes)
    assert {s.question.type for s in scenes if s.question} == {"select_all", "single_best"}
    choices = [c for s in scenes for c in s.choices or ()]
    assert any(c.once for c in choices) and any(c.chance for c in choices) and any(c.critical for c in choices)
    assert any(c.disabled_reason for c in choices) and any(c.condition and not c.disabled_reason for c in choices)
    assert any(c.goto == "resume" for c in choices) and any(c.advance for c in choices)
    assert model.dynamics and model.events and len(model.walkthroughs) >= 2
    assert {s.ending.kind for s in scenes if s.ending} == {"good", "poor"}
    assert [f.code for f in check_file(path).findings] == ["not-reviewed"]
    assert all(r.passed for r in walk_file(path).results)
    reviewed = path.read_text(encoding="utf-8").replace("# reviewed_by:", "reviewed_by:").replace(
        "# reviewed_on:", "reviewed_on:")
    path.write_text(reviewed, encoding="utf-8")
    assert check_file(path).findings == []


def test_titles_become_ids_and_yaml_safe_titles():
    assert slug("Fever at home!") == "fever-at-home"
    assert slug("  ***  ") == "my-story"
    text = starter_story('He said: "no" # not a comment')
    assert 'title: "He said: \\"no\\" # not a comment"' in text


def test_the_modeline_points_at_the_nearest_schema(tmp_path):
    assert schema_reference(REPO / "stories" / "new.yaml") == "../docs/mmjourney.schema.json"
    assert schema_reference(REPO / "stories" / "deeper" / "new.yaml") == "../../docs/mmjourney.schema.json"
    assert schema_reference(tmp_path / "new.yaml") == "../docs/mmjourney.schema.json"


def test_the_command_prints_or_writes_and_never_overwrites(tmp_path):
    printed = run_cli("new", "Fever at home")
    assert printed.returncode == 0 and printed.stdout.startswith("# yaml-language-server: $schema=")
    out = tmp_path / "fever.yaml"
    written = run_cli("new", "Fever at home", "--out", out)
    assert written.returncode == 0 and out.read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert f"mmjourney check {out}" in out.read_text(encoding="utf-8")
    again = run_cli("new", "Other", "--out", out)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert "Fever at home" in out.read_text(encoding="utf-8")
    assert run_cli("new", "Other", "--out", out, "--force").returncode == 0
