"""The JSON Schema of the story format, for editors' autocomplete and error flagging."""

from __future__ import annotations

from .model import Fragment, Story


def story_json_schema() -> dict:
    """A schema that accepts a story file or a fragment file."""
    story = Story.model_json_schema(by_alias=True)
    fragment = Fragment.model_json_schema(by_alias=True)
    definitions = {**story.pop("$defs", {}), **fragment.pop("$defs", {})}
    definitions["Story"] = story
    definitions["Fragment"] = fragment
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mmjourney story",
        "description": "A branching scenario for the mmjourney training game, or a fragment that stories include.",
        "anyOf": [{"$ref": "#/$defs/Story"}, {"$ref": "#/$defs/Fragment"}],
        "$defs": definitions,
    }
