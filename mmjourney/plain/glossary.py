"""The glossary a plain-player learner looks terms up in: the story's own terms, then the common set."""

from __future__ import annotations

from pathlib import Path

from ..story.yaml_source import parse_yaml

# The common terms every story's glossary includes (the full-screen glossary reads the same file).
COMMON = Path(__file__).resolve().parents[1] / "data" / "glossary.yaml"


def glossary_of(story_terms: dict[str, str]) -> dict[str, str]:
    """The story's terms first, then the common ones it does not define itself."""
    terms = dict(story_terms)
    data = parse_yaml(COMMON.read_text(encoding="utf-8"), COMMON.name)
    for term, meaning in data.items():
        terms.setdefault(str(term), str(meaning))
    return terms


def look_up(terms: dict[str, str], query: str) -> list[str]:
    """The terms that match `query`: the one of that name, else those that start with it or contain it."""
    wanted = query.casefold()
    exact = [term for term in terms if term.casefold() == wanted]
    if exact:
        return exact
    starting = [term for term in terms if term.casefold().startswith(wanted)]
    return starting or [term for term in terms if wanted in term.casefold()]
