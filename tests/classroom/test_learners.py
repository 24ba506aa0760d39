"""The class registry: joining, signing in, waiting after wrong tries, roster codes, several processes."""

from __future__ import annotations

import json
import multiprocessing
import re

import pytest

from mmjourney.classroom import Registry, RosterError, SecretProblem, SignInRefused, check_name, load_roster
from mmjourney.classroom.learners import TRIES_BEFORE_WAIT

FAST = (2**4, 1, 1)  # scrypt made cheap for the tests; the stored hash carries its own cost


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def registry(tmp_path, clock):
    return Registry(tmp_path, cost=FAST, clock=clock)


def test_a_new_learner_joins_and_comes_back_with_their_secret(registry, tmp_path):
    lookup = registry.look_up(" Ada Lovelace ")
    assert lookup.step == "choose" and lookup.note is None
    ada = registry.register(lookup.name, "tea and cake")
    assert re.fullmatch(r"[0-9a-f]{16}", ada.id) and ada.name == "Ada Lovelace"
    again = registry.look_up("ADA  lovelace")
    assert again.step == "secret"
    assert registry.sign_in(again.name, "tea and cake") == ada
    stored = (tmp_path / "learners.json").read_text()
    assert "tea and cake" not in stored  # only a salted hash is kept
    assert json.loads(stored)["learners"][0]["secret"]["n"] == FAST[0]


def test_each_learner_gets_a_folder_of_their_own_whatever_the_names(registry):
    ids = {registry.register(registry.look_up(name).name, "1234").id for name in ("Zoë Martin", "Zoé Martin",
                                                                                 "Zo Martin", "李明", "Мария")}
    assert len(ids) == 5


def test_a_wrong_secret_is_refused_in_neutral_words(registry):
    name = registry.look_up("Bob").name
    registry.register(name, "right secret")
    with pytest.raises(SignInRefused) as refused:
        registry.sign_in(name, "wrong secret")
    assert "do not match" in str(refused.value) and "Bob" not in str(refused.value)


def test_a_taken_name_cannot_be_registered_again(registry):
    first = registry.look_up("Bob").name
    registry.register(first, "first secret")
    with pytest.raises(SignInRefused, match="already taken"):
        registry.register(registry.look_up("BOB").name, "second secret")


def test_secrets_must_be_long_enough_and_visible(registry):
    name = registry.look_up("Cy").name
    with pytest.raises(SecretProblem, match="at least 4"):
        registry.register(name, "abc")
    with pytest.raises(SecretProblem, match="invisible"):
        registry.register(name, "ab\u200bcd")


def test_wrong_tries_make_the_name_wait_even_for_the_right_secret(registry, clock, tmp_path):
    name = registry.look_up("Dee").name
    registry.register(name, "correct horse")
    for _ in range(TRIES_BEFORE_WAIT):
        with pytest.raises(SignInRefused, match="do not match"):
            registry.sign_in(name, "guess")
    with pytest.raises(SignInRefused, match="Too many wrong tries"):
        registry.sign_in(name, "correct horse")
    # The wait is kept in the file, so another game process (another tab) waits too.
    other = Registry(tmp_path, cost=FAST, clock=clock)
    with pytest.raises(SignInRefused, match="Too many wrong tries"):
        other.sign_in(name, "correct horse")
    clock.now += 31
    assert other.sign_in(name, "correct horse").name == "Dee"
    # A success starts the count again.
    for _ in range(TRIES_BEFORE_WAIT - 1):
        with pytest.raises(SignInRefused, match="do not match"):
            registry.sign_in(name, "guess")
    assert registry.sign_in(name, "correct horse").name == "Dee"


def test_each_wrong_try_after_the_limit_doubles_the_wait(registry, clock):
    name = registry.look_up("Eve").name
    registry.register(name, "secret!")
    for _ in range(TRIES_BEFORE_WAIT):
        with pytest.raises(SignInRefused):
            registry.sign_in(name, "nope")
    clock.now += 31
    with pytest.raises(SignInRefused, match="do not match"):
        registry.sign_in(name, "nope")
    clock.now += 31
    with pytest.raises(SignInRefused, match="Too many wrong tries"):  # 60 s this time
        registry.sign_in(name, "secret!")


def write_roster(tmp_path, text):
    path = tmp_path / "class.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_roster_code_is_used_once_then_the_learner_has_a_secret(tmp_path, clock):
    roster = write_roster(tmp_path, "\ufeffName,Code\nAda,ADA-CODE-1\nBen,\n")
    data = tmp_path / "data"
    lines = load_roster(roster, data)
    assert lines[0] == "Roster class.csv: 2 new learners added."
    made = [line for line in lines if line.startswith("  Ben: ")]
    assert len(made) == 1 and "Ada" not in " ".join(lines[1:])
    ben_code = made[0].split(": ")[1]
    codes_file = tmp_path / "class-codes.csv"
    assert codes_file.read_text().splitlines() == ["name,code", f"Ben,{ben_code}"]
    assert codes_file.stat().st_mode & 0o077 == 0

    registry = Registry(data, roster=True, cost=FAST, clock=clock)
    assert registry.look_up("Zed").step == "unknown"  # not on the roster: cannot join
    with pytest.raises(SignInRefused, match="not on the class list"):
        registry.register(check_name("Zed"), "my secret")
    ada = registry.look_up("ada")
    assert ada.step == "code"
    with pytest.raises(SignInRefused, match="code does not match"):
        registry.check_code(ada.name, ben_code)
    registry.check_code(ada.name, "ada code 1")  # case, spaces and hyphens do not matter
    learner = registry.register(ada.name, "my own secret", code="ada-code-1")
    assert learner.name == "Ada"
    with pytest.raises(SignInRefused, match="no longer valid"):  # used up
        registry.register(ada.name, "another", code="ADA-CODE-1")
    assert registry.look_up("Ada").step == "secret"
    with pytest.raises(SignInRefused):
        registry.sign_in(ada.name, "ADA-CODE-1")
    assert registry.sign_in(ada.name, "my own secret") == learner
    # Loading the same roster again changes nothing: the used code does not come back.
    assert load_roster(roster, data) == ["Roster class.csv: 0 new learners added."]
    assert registry.look_up("Ada").step == "secret"
    with pytest.raises(SignInRefused):
        registry.sign_in(ada.name, "ADA-CODE-1")


def test_a_new_code_in_the_roster_lets_a_learner_who_forgot_choose_a_new_secret(tmp_path, clock):
    data = tmp_path / "data"
    load_roster(write_roster(tmp_path, "name,code\nAda,FIRST1\n"), data)
    registry = Registry(data, roster=True, cost=FAST, clock=clock)
    name = check_name("Ada")
    registry.register(name, "forgotten", code="FIRST1")
    load_roster(write_roster(tmp_path, "name,code\nAda,SECOND2\n"), data)
    assert registry.sign_in(name, "second2") is None  # the code: now choose a secret
    learner = registry.register(name, "remembered", code="SECOND2")
    assert registry.sign_in(name, "remembered") == learner
    with pytest.raises(SignInRefused):
        registry.sign_in(name, "forgotten")


@pytest.mark.parametrize("text, message", [
    ("", "class.csv: the file is empty"),
    ("learner,code\nAda,ABCDEF\n", "class.csv:1: there is no 'name' column"),
    ("name\nAda\nB\u200bob\n", "class.csv:3: The name contains an invisible character"),
    ("name\nAda\n ADA \n", "class.csv:3: 'ADA' is the same learner as line 2"),
    ("name,code\nAda,ABC\n", "class.csv:2: the code must be at least 6"),
    ("name,code\nAda,ABCDEF\nBen,abc-def\n", "class.csv:3: the same code as line 2"),
    ("name,code\n\n", "class.csv: there are no learners in it"),
])
def test_a_bad_roster_names_the_file_line_and_problem(tmp_path, text, message):
    with pytest.raises(RosterError) as error:
        load_roster(write_roster(tmp_path, text), tmp_path / "data")
    where, _, problem = message.partition(": ")
    text = str(error.value).removeprefix(f"{tmp_path}/")
    assert text.startswith(f"{where}: ") and problem in text
    assert not (tmp_path / "data" / "learners.json").exists()


def test_a_roster_that_is_not_utf8_is_explained(tmp_path):
    path = tmp_path / "class.csv"
    path.write_bytes("name\nZoë\n".encode("latin-1"))
    with pytest.raises(RosterError, match="not UTF-8"):
        load_roster(path, tmp_path / "data")


def test_a_damaged_registry_is_set_aside_not_overwritten(registry, tmp_path):
    path = tmp_path / "learners.json"
    path.write_text('{"format": "mmjourney-learners", "learners": [', encoding="utf-8")
    lookup = registry.look_up("Ada")
    assert lookup.step == "choose" and "was damaged" in lookup.note and "learners.json.corrupt-" in lookup.note
    kept = list(tmp_path.glob("learners.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text().endswith("[")
    registry.register(lookup.name, "a secret")
    assert registry.look_up("Ada").note is None


def test_a_registry_with_a_forged_folder_id_is_refused(registry, tmp_path):
    registry.register(registry.look_up("Ada").name, "a secret")
    path = tmp_path / "learners.json"
    data = json.loads(path.read_text())
    data["learners"][0]["id"] = "../../etc"
    path.write_text(json.dumps(data))
    assert "id is not one this program made" in registry.look_up("Ada").note


def _join(args):
    folder, number = args
    registry = Registry(folder, cost=FAST)
    return registry.register(registry.look_up(f"Learner {number}").name, "same secret").id


def test_learners_joining_at_once_from_several_processes_are_all_kept(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        ids = pool.map(_join, [(tmp_path, number) for number in range(16)])
    assert len(set(ids)) == 16
    registry = Registry(tmp_path, cost=FAST)
    for number in range(16):
        assert registry.sign_in(check_name(f"Learner {number}"), "same secret").id == ids[number]
