"""The class's learners: who may open which folder, shared by every game process of `mmjourney serve`.

Each learner has a random id, and their saves and records live in `learners/<id>/` under the class's
data folder: the folder never comes from what was typed, so no name (however it is spelt or folded)
can reach another learner's folder. A learner proves who they are with a secret they chose on their
first visit, or with a one-time code from the educator's roster. Secrets and codes are kept only as
salted scrypt hashes.

Every browser tab runs its own game process, so the registry file is read and written under a file
lock, and written atomically. A damaged registry is set aside, never overwritten; the learners it
listed keep their folders, which nobody can reach again until the educator restores the file.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import secrets
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..journey.files import read_small_text, set_aside, write_json_atomic
from .names import LearnerName, check_name

FORMAT = "mmjourney-learners"
VERSION = 1
MAX_REGISTRY_BYTES = 16 * 1024 * 1024

MIN_SECRET_LENGTH = 4
MAX_SECRET_LENGTH = 200
# scrypt's cost: n=2**14, r=8 takes 16 MB and some tens of milliseconds, which is slow enough to make
# guessing a stolen file's secrets expensive and quick enough for a class signing in at once.
SCRYPT_COST = (2**14, 8, 1)

TRIES_BEFORE_WAIT = 5
FIRST_WAIT_SECONDS = 30
LONGEST_WAIT_SECONDS = 15 * 60

# Codes are read aloud and copied from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8

# The same words whether the name or the secret was wrong, so a refusal tells a guesser nothing.
NO_MATCH = "That name and secret do not match. Check both and try again."


class SignInRefused(Exception):
    """The learner may not go on; the message says why, in words safe to show anyone."""


class SecretProblem(ValueError):
    """A secret that cannot be chosen, with the reason."""


@dataclass(frozen=True)
class Learner:
    """A signed-in learner: `id` names their folder, `name` is the name shown in their records."""

    id: str
    name: str


@dataclass(frozen=True)
class Lookup:
    """What the name screen asks next for a typed name.

    `step` is "choose" (a new learner chooses a secret), "secret" (a returning learner types it, or a
    new code from the educator), "code" (a roster learner's first visit) or "unknown" (the class has
    a roster and the name is not on it). `note` tells of a damaged registry that was set aside.
    """

    name: LearnerName
    step: str
    note: str | None = None


@dataclass(frozen=True)
class RosterAdded:
    """What loading a roster did: the codes made up here (name, code), how many learners are new, and
    a note if a damaged registry was set aside."""

    made: list[tuple[str, str]]
    added: int
    note: str | None


def check_secret(typed: str) -> str:
    """The secret as it is hashed (NFKC, so the same word typed on another keyboard matches)."""
    secret = unicodedata.normalize("NFKC", typed)
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in secret):
        raise SecretProblem("The secret contains a control or invisible character. Please type another.")
    if len(secret) < MIN_SECRET_LENGTH:
        raise SecretProblem(f"Please choose a secret of at least {MIN_SECRET_LENGTH} characters.")
    if len(secret) > MAX_SECRET_LENGTH:
        raise SecretProblem(f"Please choose a secret of at most {MAX_SECRET_LENGTH} characters.")
    return secret


def normal_code(typed: str) -> str:
    """A roster code as compared: case, spaces and hyphens do not matter."""
    return "".join(char for char in typed.upper() if char not in " -")


def new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def hash_secret(secret: str, cost: tuple[int, int, int] = SCRYPT_COST) -> dict:
    n, r, p = cost
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_maxmem(n, r), dklen=32)
    return {"salt": salt.hex(), "hash": digest.hex(), "n": n, "r": r, "p": p}


def matches(secret: str, stored: dict) -> bool:
    """Whether `secret` is the one hashed in `stored` (compared in constant time)."""
    n, r, p = stored["n"], stored["r"], stored["p"]
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=bytes.fromhex(stored["salt"]), n=n, r=r, p=p,
                            maxmem=_maxmem(n, r), dklen=32)
    return hmac.compare_digest(digest, bytes.fromhex(stored["hash"]))


def _maxmem(n: int, r: int) -> int:
    return 128 * r * n + 1024 * 1024


class Registry:
    """The learners of the class whose data folder is `data_dir` (the file `learners.json` in it).

    `roster`: the educator loaded a roster, so only the names on it may join, with their code.
    `cost` (scrypt n, r, p) applies to new hashes; each stored hash keeps its own.
    """

    def __init__(self, data_dir: Path, *, roster: bool = False, cost: tuple[int, int, int] = SCRYPT_COST,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(data_dir) / "learners.json"
        self.roster = roster
        self.cost = cost
        self.clock = clock

    # --- the name screen's steps --------------------------------------------------------------

    def look_up(self, typed: str) -> Lookup:
        """What to ask a learner who typed `typed`; raises NameProblem if the name cannot be used."""
        name = check_name(typed)
        with self._locked() as (data, note):
            entry = _find(data, name)
        if entry is None:
            return Lookup(name, "unknown" if self.roster else "choose", note)
        if entry["secret"] is None:
            return Lookup(name, "code", note)
        return Lookup(name, "secret", note)

    def sign_in(self, name: LearnerName, typed: str) -> Learner | None:
        """The learner whose secret `typed` is; None if it was instead their one-time code, so they
        must now choose a secret (`register(..., code=typed)`). Raises SignInRefused."""
        with self._locked() as (data, _):
            entry = self._entry_to_try(data, name)
            secret = unicodedata.normalize("NFKC", typed)
            if entry["secret"] is not None and matches(secret, entry["secret"]):
                self._succeeded(entry)
                self._save(data)
                return Learner(entry["id"], entry["name"])
            if entry["code"] is not None and matches(normal_code(typed), entry["code"]):
                return None
            self._failed(entry)
            self._save(data)
        raise SignInRefused(NO_MATCH)

    def check_code(self, name: LearnerName, typed: str) -> None:
        """Raises SignInRefused unless `typed` is the learner's one-time code (it is not used up yet)."""
        with self._locked() as (data, _):
            entry = self._entry_to_try(data, name)
            if entry["code"] is not None and matches(normal_code(typed), entry["code"]):
                return
            self._failed(entry)
            self._save(data)
        raise SignInRefused("That code does not match this name. Check both, or ask your teacher.")

    def register(self, name: LearnerName, secret: str, *, code: str | None = None) -> Learner:
        """A new learner with the secret they chose; with `code`, the roster learner the code is for
        (the code is then used up). Raises SecretProblem or SignInRefused."""
        chosen = check_secret(secret)
        with self._locked() as (data, _):
            entry = _find(data, name)
            if code is None:
                if entry is not None:  # someone else took the name since the name screen looked
                    raise SignInRefused("That name is already taken. Type your secret, or choose another name.")
                if self.roster:
                    raise SignInRefused("This name is not on the class list. Ask your teacher.")
                entry = self._new_entry(data, name)
            else:
                entry = self._entry_to_try(data, name)
                if entry["code"] is None or not matches(normal_code(code), entry["code"]):
                    self._failed(entry)
                    self._save(data)
                    raise SignInRefused("That code is no longer valid. Ask your teacher.")
                entry["used_codes"].append(entry["code"])
                entry["code"] = None
            entry["secret"] = hash_secret(chosen, self.cost)
            self._succeeded(entry)
            self._save(data)
            return Learner(entry["id"], entry["name"])

    # --- learners launched from a learning platform (LTI) -----------------------------------------

    def platform_learner(self, issuer: str, subject: str, name: str | None) -> Learner:
        """The learner a learning platform launched: found by the platform's issuer and its id for them
        (`sub`), never by a name, so they type none and no typed name reaches their folder (the key of
        their entry holds a colon, which no typed name can). The name shown follows the platform's
        latest; without one, the start of their folder id stands in."""
        key = "lti:" + hashlib.sha256(f"{issuer}\0{subject}".encode()).hexdigest()
        with self._locked() as (data, _):
            entry = next((entry for entry in data["learners"] if entry["key"] == key), None)
            if entry is None:
                entry = self._new_entry(data, LearnerName("", key))
            entry["name"] = name or f"Learner {entry['id'][:6]}"
            self._save(data)
            return Learner(entry["id"], entry["name"])

    # --- the educator's roster ----------------------------------------------------------------

    def add_from_roster(self, rows: list[tuple[LearnerName, str | None]]) -> RosterAdded:
        """Adds the roster's learners.

        A learner already registered keeps their secret. A code given in the roster that they have not
        used yet becomes their new one-time code, which is how an educator helps a learner who forgot
        their secret; a code already used is ignored, so loading the same roster again changes nothing.
        """
        made: list[tuple[str, str]] = []
        added = 0
        with self._locked() as (data, note):
            for name, code in rows:
                entry = _find(data, name)
                if entry is None:
                    entry = self._new_entry(data, name)
                    added += 1
                    if code is None:
                        code = new_code()
                        made.append((name.shown, code))
                    entry["code"] = hash_secret(normal_code(code), self.cost)
                elif code is not None and not any(matches(normal_code(code), old)
                                                  for old in [entry["code"], *entry["used_codes"]] if old):
                    entry["code"] = hash_secret(normal_code(code), self.cost)
            self._save(data)
        return RosterAdded(made, added, note)

    # --- inside the lock ----------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[tuple[dict, str | None]]:
        """The registry's contents, read under an exclusive lock that other game processes wait for."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A separate lock file: the registry itself is replaced on every write, so a lock on it would
        # be held on a file that is no longer the registry.
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self._read()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> tuple[dict, str | None]:
        try:
            text = read_small_text(self.path, MAX_REGISTRY_BYTES)
        except FileNotFoundError:
            return _empty(), None
        try:
            data = json.loads(text)
            _check(data)
            return data, None
        except (ValueError, RecursionError) as error:
            kept = set_aside(self.path)
            return _empty(), (f"The class's list of learners ({self.path}) was damaged ({error}) and was kept "
                              f"as {kept.name}; learners on it must join again. Tell your teacher.")

    def _save(self, data: dict) -> None:
        write_json_atomic(self.path, data)

    def _new_entry(self, data: dict, name: LearnerName) -> dict:
        taken = {entry["id"] for entry in data["learners"]}
        learner_id = secrets.token_hex(8)
        while learner_id in taken or (self.path.parent / "learners" / learner_id).exists():
            learner_id = secrets.token_hex(8)
        entry: dict = {"id": learner_id, "name": name.shown, "key": name.key, "secret": None, "code": None,
                 "used_codes": [], "failures": 0, "wait_until": 0.0,
                 "joined": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock()))}
        data["learners"].append(entry)
        return entry

    def _entry_to_try(self, data: dict, name: LearnerName) -> dict:
        entry = _find(data, name)
        if entry is None:
            raise SignInRefused(NO_MATCH)
        wait = entry["wait_until"] - self.clock()
        if wait > 0:
            minutes = max(1, round(wait / 60))
            raise SignInRefused(f"Too many wrong tries for this name. Try again in about {minutes} minute"
                                f"{'s' if minutes != 1 else ''}, or ask your teacher.")
        return entry

    def _failed(self, entry: dict) -> None:
        entry["failures"] += 1
        extra = entry["failures"] - TRIES_BEFORE_WAIT
        if extra >= 0:
            entry["wait_until"] = self.clock() + min(FIRST_WAIT_SECONDS * 2 ** min(extra, 16), LONGEST_WAIT_SECONDS)

    @staticmethod
    def _succeeded(entry: dict) -> None:
        entry["failures"] = 0
        entry["wait_until"] = 0.0


def class_list(data_dir: Path) -> dict[str, str]:
    """The class's learners as {folder id: name}, read for the educator's report.

    Only reads: no lock is taken (the registry is always replaced whole, so a read sees one version)
    and a damaged file is left where it is. Raises ValueError saying what is wrong with it.
    """
    path = Path(data_dir) / "learners.json"
    try:
        text = read_small_text(path, MAX_REGISTRY_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ValueError(f"it cannot be read ({error.strerror or error})") from None
    try:
        data = json.loads(text)
        _check(data)
    except RecursionError:
        raise ValueError("it is not a list of learners") from None
    return {entry["id"]: entry["name"] for entry in data["learners"]}


def _empty() -> dict:
    return {"format": FORMAT, "version": VERSION, "learners": []}


def _find(data: dict, name: LearnerName) -> dict | None:
    return next((entry for entry in data["learners"] if entry["key"] == name.key), None)


HASH_FIELDS: dict[str, type] = {"salt": str, "hash": str, "n": int, "r": int, "p": int}
# Beyond these a hash could not have been made by this program, and checking it could exhaust memory.
HASH_LIMITS = {"n": 2**20, "r": 32, "p": 16}
ENTRY_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str, "name": str, "key": str, "used_codes": list, "failures": int, "wait_until": (int, float), "joined": str,
}


def _check(data: object) -> None:
    """Raises ValueError unless `data` is a registry this version can use."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("learners"), list):
        raise ValueError("it is not a list of learners")
    if data.get("version") != VERSION:
        raise ValueError(f"it has version {data.get('version')!r}, this mmjourney reads version {VERSION}")
    for entry in data["learners"]:
        if not isinstance(entry, dict) or any(not isinstance(entry.get(field), kind)
                                              for field, kind in ENTRY_FIELDS.items()):
            raise ValueError("a learner's entry is incomplete")
        if not all(c in "0123456789abcdef" for c in entry["id"]) or len(entry["id"]) != 16:
            raise ValueError("a learner's id is not one this program made")
        for stored in [entry.get("secret"), entry.get("code"), *entry["used_codes"]]:
            if stored is not None and not _is_hash(stored):
                raise ValueError("a learner's secret is incomplete")


def _is_hash(stored: object) -> bool:
    if not isinstance(stored, dict) or any(not isinstance(stored.get(field), kind)
                                           for field, kind in HASH_FIELDS.items()):
        return False
    try:
        bytes.fromhex(stored["salt"] + stored["hash"])
    except ValueError:
        return False
    return all(1 <= stored[field] <= limit for field, limit in HASH_LIMITS.items())
