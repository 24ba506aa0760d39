"""Sending the outbox to a Learning Record Store: `mmjourney sync --lrs URL` and `serve --lrs URL`.

xAPI 1.0.3 over HTTP with the standard library: statements are POSTed in batches to the LRS's
statements resource with `X-Experience-API-Version: 1.0.3` and HTTP Basic credentials.

What each answer means for the statements a request carried:
- 2xx: accepted (an LRS answers 204, or 200 with the stored ids; a repeated identical statement
  is skipped by the LRS, so re-sending is harmless);
- 409: the LRS already holds a statement with that id; the id is ours (deterministic, see xapi.py),
  so the statement counts as delivered, with the LRS's words kept as a note;
- 400, 413, 422 (a bad statement, a request too large): the batch is split in halves and each sent
  again, down to the one statement the LRS refuses, which is kept as rejected with the LRS's reason;
- 401, 403: the credentials were refused: the run stops, nothing is marked rejected;
- no answer (refused connection, timeout), 5xx or 429: tried again after a pause that doubles each
  time; if it still fails the run stops and the statements wait for the next one;
- any other 4xx (404: no LRS at that address): the run stops, nothing is marked rejected.

Credentials come from MMJOURNEY_LRS_USER and MMJOURNEY_LRS_PASSWORD, or from `lrs.toml` in the data
folder; never from the command line, and a URL that carries them is refused.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

from ..journey.files import read_private_file
from . import outbox
from .database import Records, RecordsUnavailable, now_iso, open_records

USER_ENV = "MMJOURNEY_LRS_USER"
PASSWORD_ENV = "MMJOURNEY_LRS_PASSWORD"
CONFIG_NAME = "lrs.toml"  # in the data folder
MAX_CONFIG_BYTES = 64 * 1024
XAPI_VERSION = "1.0.3"
BATCH = 50  # statements per request: an attempt of a long story is about 40
TIMEOUT = 30.0  # seconds for one request
RETRY_PAUSES = (1.0, 2.0, 4.0)  # between the tries of one request (sync); serve backs off between rounds
MAX_REASON_CHARS = 500
SPLIT = (400, 409, 413, 422)  # answers about one statement of a batch: find it by halving
RETRY = (408, 425, 429)  # answers that mean "not now"


class LRSError(Exception):
    """Why statements could not be delivered now, in plain words; none of them was marked rejected."""


class CredentialsRefused(LRSError):
    """The LRS answered 401 or 403: the user name or password is wrong, or lacks the right to write."""


class Unreachable(LRSError):
    """No answer, or the LRS could not take the statements now (5xx, 429), after every try."""


@dataclass(frozen=True)
class LRS:
    """Where statements go, and the credentials to send them with."""

    url: str  # the statements resource
    user: str
    password: str = field(repr=False)


def statements_url(url: str) -> str:
    """The statements resource of an LRS given by its xAPI endpoint (`https://lrs.example.org/xAPI/`) or,
    for Ralph and others that serve xAPI under /xAPI/, by its address alone (`http://127.0.0.1:8100`).

    Raises ValueError for anything but an http(s) address, and for one that holds credentials."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the LRS address must start with http:// or https://, not {url!r}")
    if "@" in parts.netloc:
        raise ValueError("the LRS address holds a user name or password; give the address alone and put the "
                         f"credentials in {USER_ENV} and {PASSWORD_ENV} or in the data folder's {CONFIG_NAME}")
    try:
        _ = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        raise ValueError(f"the LRS address has a port that is not a number: {url!r}") from None
    path = parts.path.rstrip("/")
    if not path:
        path = "/xAPI/statements"
    elif not path.endswith("/statements"):
        path += "/statements"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def credentials(environ: Mapping[str, str], config: Path) -> tuple[str, str]:
    """The user name and password: each from the environment if set there, else from the config file.

    Raises ValueError (plain words) when either is missing or the file cannot be used."""
    user, password = environ.get(USER_ENV) or None, environ.get(PASSWORD_ENV) or None
    if user is None or password is None:
        settings = _read_config(config)
        user = user or settings.get("user")
        password = password or settings.get("password")
    if not user or not password:
        raise ValueError(f"no LRS credentials: set {USER_ENV} and {PASSWORD_ENV}, or write user and password "
                         f"in {config}")
    return user, password


def _read_config(path: Path) -> dict[str, str]:
    try:
        content = read_private_file(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ValueError(f"{path} cannot be read: {error.strerror}") from None
    except ValueError as problem:
        raise ValueError(f"{path} holds the LRS password, but {problem}") from None
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path} cannot be read: {error}") from None
    found: dict[str, str] = {key: data[key] for key in ("user", "password") if key in data}
    for key, value in found.items():
        if not isinstance(value, str):
            raise ValueError(f"{path}: {key} must be text in quotes")
    return found


def configure(url: str, environ: Mapping[str, str], data_dir: Path) -> LRS:
    """The LRS of `--lrs URL`, with the credentials from the environment or the data folder's lrs.toml.
    Raises ValueError (plain words)."""
    target = statements_url(url)
    user, password = credentials(environ, data_dir / CONFIG_NAME)
    return LRS(target, user, password)


def insecure(lrs: LRS) -> bool:
    """Would the password travel unencrypted over a network (http:// to another machine)?"""
    parts = urlsplit(lrs.url)
    return parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1")


# --- one request ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


def post(lrs: LRS, texts: list[str], timeout: float = TIMEOUT) -> Answer:
    """POST statements (their JSON texts) as one array; raises Unreachable when no answer comes."""
    token = base64.b64encode(f"{lrs.user}:{lrs.password}".encode()).decode()
    request = urllib.request.Request(
        lrs.url, data=("[" + ",".join(texts) + "]").encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "X-Experience-API-Version": XAPI_VERSION,
                 "Authorization": f"Basic {token}", "User-Agent": "mmjourney"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, _text(response.read(64 * 1024)))
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, _text(error.read(64 * 1024)))
    except urllib.error.URLError as error:
        raise Unreachable(f"no answer from {lrs.url} ({_why(error.reason)})") from None
    except (OSError, ValueError) as error:  # a timeout while reading, a connection reset, a bad status line
        raise Unreachable(f"no answer from {lrs.url} ({_why(error)})") from None


def _why(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or reason.__class__.__name__


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def reason(answer: Answer) -> str:
    """What the LRS said, in one line: the `detail`, `message` or `error` of a JSON answer (FastAPI's
    list of field errors as `field: message`), else the text itself; always with the status."""
    said = answer.text.strip()
    try:
        data = json.loads(said)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("detail", "message", "error", "errorMessage"):
            if key in data:
                said = _said(data[key])
                break
    said = " ".join(said.split()) or "no reason given"
    if len(said) > MAX_REASON_CHARS:
        said = said[:MAX_REASON_CHARS - 1] + "…"
    return f"HTTP {answer.status}: {said}"


def _said(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_said(item) for item in value)
    if isinstance(value, dict) and "msg" in value:
        where = ".".join(str(part) for part in value.get("loc", ()) if part != "body" and not isinstance(part, int))
        return f"{where}: {value['msg']}" if where else str(value["msg"])
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# --- delivering a records file's outbox -----------------------------------------------------------------------


@dataclass
class Delivery:
    """What one run did: statements delivered, found already there (409), rejected; and why it stopped early."""

    sent: int = 0
    already: int = 0
    rejected: int = 0
    stopped: LRSError | None = None

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.already += other.already
        self.rejected += other.rejected
        self.stopped = self.stopped or other.stopped


@dataclass
class Courier:
    """Sends outboxes to one LRS: in batches, each request tried again after growing pauses.

    `stop` ends the run between requests and cuts a pause short (serve's SIGTERM)."""

    lrs: LRS
    batch: int = BATCH
    pauses: tuple[float, ...] = RETRY_PAUSES
    timeout: float = TIMEOUT
    stop: threading.Event = field(default_factory=threading.Event)

    def deliver(self, store: Records) -> Delivery:
        """Send every pending statement of one records file, in the order they were queued."""
        done = Delivery()
        after = 0
        try:
            while not self.stop.is_set():
                rows = outbox.waiting(store.connection, self.batch, after)
                if not rows:
                    break
                self._send(store, rows, done)
                after = rows[-1].seq
        except LRSError as error:
            done.stopped = error
        return done

    def _send(self, store: Records, rows: list[outbox.Waiting], done: Delivery) -> None:
        answer = self._answer(store, rows)
        seqs = [row.seq for row in rows]
        if 200 <= answer.status < 300:
            with store.write() as connection:
                outbox.mark_sent(connection, seqs, now_iso())
            done.sent += len(rows)
        elif answer.status in (401, 403):
            self._failed(store, seqs, f"credentials refused ({reason(answer)})")
            raise CredentialsRefused(f"the LRS refused the credentials ({reason(answer)}): check {USER_ENV} and "
                                     f"{PASSWORD_ENV} (or the data folder's {CONFIG_NAME}) and the account's right "
                                     "to write statements. Nothing was marked as rejected; the statements wait in "
                                     "the queue.")
        elif answer.status in SPLIT and len(rows) > 1:
            half = len(rows) // 2
            self._send(store, rows[:half], done)
            self._send(store, rows[half:], done)
        elif answer.status == 409:
            with store.write() as connection:
                outbox.mark_sent(connection, seqs, now_iso(), f"the LRS already held this id ({reason(answer)})")
            done.already += 1
        elif answer.status in SPLIT:
            with store.write() as connection:
                outbox.mark_rejected(connection, seqs[0], reason(answer))
            done.rejected += 1
        else:
            self._failed(store, seqs, reason(answer))
            raise LRSError(f"{self.lrs.url} did not take statements ({reason(answer)}): is it the address of an "
                           "LRS's xAPI endpoint? Nothing was marked as rejected; the statements wait in the queue.")

    def _answer(self, store: Records, rows: list[outbox.Waiting]) -> Answer:
        """The LRS's answer to these statements, trying again after each pause when there is none yet."""
        seqs = [row.seq for row in rows]
        pauses = list(self.pauses)
        while True:
            try:
                answer = post(self.lrs, [row.text for row in rows], self.timeout)
                if answer.status < 500 and answer.status not in RETRY:
                    return answer
                problem = f"the LRS could not take them now ({reason(answer)})"
            except Unreachable as error:
                problem = str(error)
            self._failed(store, seqs, problem)
            if not pauses or self.stop.wait(pauses.pop(0)):
                raise Unreachable(f"{problem}. The statements wait in the queue for the next try.")

    @staticmethod
    def _failed(store: Records, seqs: list[int], problem: str) -> None:
        with store.write() as connection:
            outbox.mark_failed(connection, seqs, problem)


# --- every records file of a data folder ----------------------------------------------------------------------


def record_files(data_dir: Path) -> list[Path]:
    """The records files of a data folder: its own, and on a classroom server each learner's."""
    own = data_dir / "records" / "records.sqlite3"
    try:
        learners = sorted(data_dir.glob("learners/*/records/records.sqlite3"))
    except OSError:
        learners = []
    return ([own] if own.is_file() else []) + [path for path in learners if path.is_file()]


def each_store(data_dir: Path, each: Callable[[Path, Records], None], trouble: Callable[[Path, str], None]) -> None:
    """Open every records file of the data folder in turn (upgrading it if it is older) for `each`;
    `trouble(path, message)` hears of a file that cannot be opened (the others are still done)."""
    for path in record_files(data_dir):
        try:
            store = open_records(path)
        except RecordsUnavailable as error:
            trouble(path, str(error))
            continue
        try:
            if store.notice:
                trouble(path, store.notice)
            each(path, store)
        except RecordsUnavailable as error:
            trouble(path, str(error))
        finally:
            store.close()


def deliver_all(courier: Courier, data_dir: Path, trouble: Callable[[Path, str], None]) -> Delivery:
    """Send every records file's outbox; stops at the first file where the LRS could not be used."""
    total = Delivery()

    def each(path: Path, store: Records) -> None:
        if total.stopped is None and not courier.stop.is_set():
            total.add(courier.deliver(store))

    each_store(data_dir, each, trouble)
    return total


# --- for the classroom server -------------------------------------------------------------------------------


class Relay:
    """`mmjourney serve --lrs`: the sync of the class's records, again and again, in a background thread.

    After a round that could not reach the LRS the next waits twice as long (up to `longest`); after a
    good round, `interval`. What changes is written to `log` (the server's terminal): the LRS out of
    reach, back again, statements rejected."""

    def __init__(self, courier: Courier, data_dir: Path, *, interval: float = 5.0, longest: float = 300.0,
                 log: Callable[[str], None] | None = None) -> None:
        self.courier = courier
        self.data_dir = data_dir
        self.interval = interval
        self.longest = longest
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.thread = threading.Thread(target=self._run, name="mmjourney-lrs", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the request in flight (at most one TIMEOUT; the thread never holds the process up)."""
        self.courier.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def _run(self) -> None:
        pause = self.interval
        problem: str | None = None
        told: set[str] = set()  # the records files' troubles already written: each is told once
        while not self.courier.stop.is_set():
            troubles: list[str] = []
            done = deliver_all(self.courier, self.data_dir, _noting(troubles))
            for text in sorted(set(troubles) - told):
                self.log(f"LRS sync: {text}")
            told = set(troubles)
            if done.rejected:
                self.log(f"LRS sync: the LRS rejected {done.rejected} statement(s); `mmjourney sync --status` "
                         "shows them with its reasons.")
            if done.stopped is not None:
                if str(done.stopped) != problem:
                    self.log(f"LRS sync: {done.stopped}")
                problem = str(done.stopped)
                pause = min(pause * 2, self.longest)
            else:
                if problem is not None:
                    self.log(f"LRS sync: the LRS can be reached again ({done.sent + done.already} sent).")
                problem = None
                pause = self.interval
            self.courier.stop.wait(pause)


def _noting(troubles: list[str]) -> Callable[[Path, str], None]:
    def note(path: Path, text: str) -> None:
        troubles.append(f"{path}: {text}")

    return note
