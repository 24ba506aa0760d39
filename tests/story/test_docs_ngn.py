"""Every NGN example in docs/authoring.md (a block that starts `# NGN example: TYPE`) is a scene an educator can
paste into a story: put into a small story of its own, it validates and plays to full marks."""

from __future__ import annotations

import re

import yaml

from mmjourney.engine import debrief
from mmjourney.journey import expert_path
from mmjourney.story import load_story, validate_file

from ..conftest import REPO

GUIDE = REPO / "docs" / "authoring.md"
# What the examples cite and where they go on: the rest of a story around one example scene.
AROUND = """\
format_version: 1
id: ngn-example
title: NGN example
version: "1"
summary: One NGN item from the authoring guide.
audience: [nurses]
difficulty: beginner
minutes: 1
authors: [mmjourney docs]
objectives:
  - {id: hypercalcaemia_cues, text: Recognise the cues of hypercalcaemia}
references:
  nice-ng35: NICE NG35, Myeloma diagnosis and management
patient: {name: Maggie Example, age: 67}
"""
HANDOVER = {"handover": {"phase": "Diagnosis", "text": "You hand over.", "ending": {"kind": "good", "title": "Done"}}}


# The examples named for a form of an item type rather than the type itself.
TYPES = {"drop-down table": "cloze", "highlight table": "highlight"}


def examples() -> dict[str, str]:
    blocks = re.findall(r"```yaml\n(# NGN example: ([\w -]+)\n.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return {kind: text for text, kind in blocks}


def test_each_ngn_item_type_has_an_example():
    assert {"matrix", "matrix_multiple", "cloze", "drop-down table", "rationale", "bow_tie", "highlight",
            "highlight table", "drag_cloze", "ordering"} <= set(examples())


def test_each_example_validates_and_plays_to_full_marks(tmp_path):
    for kind, text in examples().items():
        scenes = yaml.safe_load(text)
        (first,) = scenes
        assert scenes[first]["question"]["type"] == TYPES.get(kind, kind)
        story = yaml.safe_load(AROUND)
        story.update(start=first, scenes={**scenes, **HANDOVER})
        path = tmp_path / f"{kind.replace(' ', '-')}.yaml"
        path.write_text(yaml.safe_dump(story, allow_unicode=True, sort_keys=False), encoding="utf-8")
        assert [str(p) for p in validate_file(path)] == [], kind
        session = expert_path(load_story(path))
        assert session.ended and debrief(session).overall.percent == 100.0, kind
