"""Learner names: which typed names are one learner, and which names are refused and why (review F2/F3)."""

from __future__ import annotations

import pytest

from mmjourney.classroom import NameProblem, check_name


def test_case_and_spaces_do_not_make_another_learner():
    assert check_name("Alice").key == check_name("alice").key == check_name(" ALICE ").key
    assert check_name("  Ana \u00a0  Maria ").shown == "Ana Maria"


def test_accents_make_another_learner():
    keys = {check_name(name).key for name in ("Zoë Martin", "Zoé Martin", "Zo Martin")}
    assert len(keys) == 3


def test_the_same_letter_typed_another_way_is_the_same_learner():
    assert check_name("Zoe\u0308").key == check_name("Zoë").key  # decomposed and composed
    assert check_name("\uff21lice").key == check_name("Alice").key  # full-width A
    assert check_name("O\u2019Brien").key == check_name("O'Brien").key  # the apostrophes look the same


@pytest.mark.parametrize("name", ["李明", "Мария", "محمد", "山田はな", "김민준", "Δήμητρα", "Jean-Luc O'Neil", "Ada 2"])
def test_names_in_one_script_are_welcome(name):
    assert check_name(name).shown == name


@pytest.mark.parametrize("name, reason", [
    ("B\u200bob", "invisible character"),
    ("Bob\u202e 001%", "text-direction control"),
    ("Ali\u2066ce", "text-direction control"),
    ("Bo\x00b", "control character"),
    ("Bob\x1b[31m", "control character"),
    ("\u3164", "invisible character"),
    ("\u0412\u043eb", "mixes Cyrillic and Latin"),  # Cyrillic В and о, Latin b
    ("\u0391lice", "mixes Greek and Latin"),
    ("[b]Grace", "only letters, digits"),
    ("   ", "type your name"),
    ("--", "at least one letter or digit"),
    ("x" * 61, "at most 60"),
])
def test_look_alike_and_unsafe_names_are_refused_with_a_reason(name, reason):
    with pytest.raises(NameProblem, match=reason):
        check_name(name)


def test_the_length_is_counted_after_trimming():
    assert check_name("  " + "x" * 60 + "  ").shown == "x" * 60
