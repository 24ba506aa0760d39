"""The JSON Schema that editors use agrees with the loader on real files."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from mmjourney.story.schema import story_json_schema

from ..conftest import FIXTURES, REPO

FILES = sorted((REPO / "stories").rglob("*.yaml")) + sorted(FIXTURES.rglob("*.yaml"))


@pytest.fixture(scope="module")
def validator():
    schema = story_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _stringify(value):
    """YAML dates become date objects; an editor's schema check sees them as strings."""
    if isinstance(value, dict):
        return {str(k): _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_bundled_and_fixture_files_match_the_schema(validator, path):
    data = _stringify(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


def test_schema_flags_an_unknown_field(validator):
    data = _stringify(yaml.safe_load((FIXTURES / "clinic.yaml").read_text()))
    data["scenes"]["arrival"]["choices"][0]["lable"] = "typo"
    assert not validator.is_valid(data)


def test_committed_schema_file_is_up_to_date():
    """docs/mmjourney.schema.json is what story modelines point editors at."""
    import json

    committed = json.loads((REPO / "docs" / "mmjourney.schema.json").read_text(encoding="utf-8"))
    assert committed == story_json_schema(), "run: mmjourney schema --out docs/mmjourney.schema.json"


def _properties(node, where=""):
    """Every (place, name, schema) of a property anywhere in the schema, nested definitions included."""
    if isinstance(node, dict):
        for name, value in (node.get("properties") or {}).items():
            yield f"{where}.{name}", value
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}" if key != "properties" else where)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value, where)


def test_every_field_has_help_for_the_editors_hover():
    """An editor shows a field's description on hover: a field without one shows only its name (issue 16)."""
    properties = list(_properties(story_json_schema()))
    assert len(properties) > 100  # the walk reaches the nested definitions
    missing = sorted(place for place, schema in properties if not str(schema.get("description", "")).strip())
    assert missing == [], f"fields without a description: {', '.join(missing)}"


@pytest.mark.parametrize("field", ["rating", "category", "label", "step"])
def test_the_fields_a_new_author_asked_about_say_what_they_mean(field):
    description = story_json_schema()["$defs"]["Choice"]["properties"][field]["description"]
    assert len(description.split()) >= 8, description
