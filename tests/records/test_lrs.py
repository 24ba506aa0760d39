"""Sending the records' statements to a real Learning Record Store: Ralph, started here on 127.0.0.1.

What an educator relies on: the statements arrive and can be found by learner; sending again stores
nothing twice; with the LRS down, play goes on and the statements are delivered later; a statement the
LRS rejects is kept with its reason; wrong credentials are said to be wrong. The classroom server sends
continuously and stops cleanly on SIGTERM. A small HTTP server of the test's own stands in for an LRS only
for the answers Ralph does not give on request (a 503, a 404).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mmjourney.cli import main
from mmjourney.records import AttemptWriter, outbox, records
from mmjourney.records.lrs import LRS, Courier, CredentialsRefused, Relay, Unreachable, deliver_all, statements_url
from mmjourney.records.xapi import statements

from .conftest import play
from .lrs_server import PASSWORD, USER, Ralph, free_port, start_ralph

REPO = Path(__file__).resolve().parents[2]

if importlib.util.find_spec("ralph") is None or importlib.util.find_spec("uvicorn") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Ralph for the LRS tests: it is in the `test` extra (pyproject.toml)")
    pytest.skip("Ralph is not installed (python3 -m pip install '.[test]')", allow_module_level=True)


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    lrs = start_ralph(tmp_path_factory.mktemp("ralph"))
    yield lrs
    lrs.stop()


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("MMJOURNEY_LRS_USER", USER)
    monkeypatch.setenv("MMJOURNEY_LRS_PASSWORD", PASSWORD)


def sync(*args: str) -> int:
    return main(["sync", *args])


def actor() -> dict:
    """The learner of this test's records, as their statements name them."""
    with records() as db:
        return json.loads(db.read("SELECT statement FROM outbox LIMIT 1")[0]["statement"])["actor"]


def exported() -> list[dict]:
    """Every statement of the finished attempts, as `mmjourney export --format xapi` gives them."""
    with records() as db:
        return [s for row in db.attempts() if row["status"] != "in_progress" for s in statements(db.load(row["id"]))]


def states() -> dict[str, int]:
    with records() as db:
        return outbox.counts(db.connection)


def test_statements_arrive_and_can_be_found_by_learner(clinic, ralph, credentials, capsys):
    play(clinic, seed=1, learner="Ada")  # the expert: passes
    play(clinic, seed=2, policy="worst", learner="Ada")  # a critical error: does not pass
    play(clinic, seed=3, stop=1, learner="Ada")  # in progress: nothing to send yet
    sent = exported()
    assert sync("--lrs", ralph.url) == 0
    out = capsys.readouterr().out
    assert f"Sent {len(sent)} statements to {ralph.url}/xAPI/statements." in out
    assert states() == {"pending": 0, "sent": len(sent), "rejected": 0}

    found = ralph.statements(actor())
    assert sorted(s["id"] for s in found) == sorted(s["id"] for s in sent)
    assert {s["actor"]["account"]["name"] for s in found} == {actor()["account"]["name"]}
    assert "Ada" not in json.dumps(found)  # a pseudonymous account, never the name
    extension = "https://mmjourney.invalid/xapi/extensions/"
    ends = sorted((s for s in found if s["verb"]["display"]["en"] == "completed"), key=lambda s: s["timestamp"])
    assert [(s["result"]["success"], s["result"]["extensions"][extension + "safe"]) for s in ends] == \
        [(True, True), (False, False)]  # pass and safety verdict
    assert ends[1]["result"]["extensions"][extension + "critical-errors"] >= 1
    assert ends[1]["result"]["extensions"][extension + "critical-error-decisions"]
    assert ralph.statements({"account": {"homePage": "https://mmjourney.invalid", "name": "mmj-nobody"}}) == []

    assert sync("--status") == 0
    assert f"sent     {len(sent):>7}" in capsys.readouterr().out


def test_sending_again_stores_no_duplicates(clinic, ralph, credentials, capsys):
    play(clinic, seed=1)
    assert sync("--lrs", ralph.url) == 0
    stored = len(ralph.stored())
    count = len(ralph.statements(actor()))
    # An answer lost on the way back: the LRS has them, the records still say they wait.
    with records() as db, db.write() as connection:
        connection.execute("UPDATE outbox SET state = 'pending'")
    assert sync("--lrs", ralph.url) == 0
    assert len(ralph.stored()) == stored and len(ralph.statements(actor())) == count
    assert states()["pending"] == 0
    # A statement whose id the LRS already holds with other content (409): delivered, with the LRS's words.
    with records() as db, db.write() as connection:
        row = connection.execute("SELECT seq, statement FROM outbox ORDER BY seq LIMIT 1").fetchone()
        changed = json.loads(row[1]) | {"timestamp": "2020-01-01T00:00:00.000Z"}
        connection.execute("UPDATE outbox SET state = 'pending', statement = ? WHERE seq = ?",
                           (json.dumps(changed), row[0]))
    assert sync("--lrs", ralph.url) == 0
    assert "(1 the LRS already held)" in capsys.readouterr().out
    with records() as db:
        note = db.read("SELECT state, last_error FROM outbox WHERE seq = ?", (row[0],))[0]
    assert note["state"] == "sent" and "the LRS already held this id (HTTP 409: Differing" in note["last_error"]
    assert len(ralph.stored()) == stored


def test_with_the_lrs_down_statements_wait_and_are_delivered_later(clinic, tmp_path, credentials, capsys):
    port = free_port()  # nothing listens there yet
    url = f"http://127.0.0.1:{port}"
    play(clinic, seed=1)
    courier = Courier(LRS(statements_url(url), USER, PASSWORD), pauses=(0.01,))
    with records() as db:
        done = courier.deliver(db)
        assert isinstance(done.stopped, Unreachable) and "no answer from" in str(done.stopped)
        rows = db.read("SELECT attempts, last_error FROM outbox")
    assert {(row["attempts"], row["last_error"].split(" (")[0]) for row in rows} == \
        {(2, f"no answer from {url}/xAPI/statements")}  # a first try and one more, then left waiting
    play(clinic, seed=2)  # play goes on offline
    waiting = states()["pending"]
    assert sync("--status") == 0
    assert "Why the last try failed:" in capsys.readouterr().out

    ralph = start_ralph(tmp_path / "ralph", port)
    try:
        assert sync("--lrs", url) == 0
        assert states() == {"pending": 0, "sent": waiting, "rejected": 0}
        assert len(ralph.statements(actor())) == waiting == len(exported())
    finally:
        ralph.stop()


def test_a_rejected_statement_is_kept_with_the_lrs_reason(clinic, ralph, credentials, capsys):
    _, result = play(clinic, seed=1, learner="Ada")
    with records() as db, db.write() as connection:
        seq, text = connection.execute("SELECT seq, statement FROM outbox ORDER BY seq LIMIT 1 OFFSET 2").fetchone()
        broken = json.loads(text)
        del broken["actor"]  # as a stricter LRS, or a future mistake, might find a statement
        connection.execute("UPDATE outbox SET statement = ? WHERE seq = ?", (json.dumps(broken), seq))
    total = len(exported())
    assert sync("--lrs", ralph.url) == 1
    out = capsys.readouterr().out
    assert f"Sent {total - 1} statements" in out and "The LRS rejected 1" in out
    assert states() == {"pending": 0, "sent": total - 1, "rejected": 1}
    assert len(ralph.statements(actor())) == total - 1  # the others of the batch went through

    assert sync("--status") == 0
    out = capsys.readouterr().out
    assert "rejected       1" in out
    assert (f"attempt {result.attempt_id} (Test clinic, Ada, started " in out
            and f"responded {broken['id']}: HTTP 422: actor: Field required" in out)
    # Kept, not sent again by itself; after --retry-rejected it is tried once more (and refused again).
    assert sync("--lrs", ralph.url) == 0
    assert sync("--retry-rejected", "--lrs", ralph.url) == 1
    assert "1 rejected statement is back in the queue." in capsys.readouterr().out
    with records() as db:
        row = db.read("SELECT state, attempts, reason FROM outbox WHERE seq = ?", (seq,))[0]
    assert (row["state"], row["attempts"], row["reason"]) == ("rejected", 2, "HTTP 422: actor: Field required")


def test_wrong_credentials_are_reported_as_such_and_nothing_is_rejected(clinic, ralph, monkeypatch, capsys):
    play(clinic, seed=1)
    monkeypatch.setenv("MMJOURNEY_LRS_USER", USER)
    monkeypatch.setenv("MMJOURNEY_LRS_PASSWORD", "not-the-password")
    waiting = states()["pending"]
    assert sync("--lrs", ralph.url) == 1
    captured = capsys.readouterr()
    assert ("the LRS refused the credentials (HTTP 401: Invalid authentication credentials): check "
            "MMJOURNEY_LRS_USER and MMJOURNEY_LRS_PASSWORD") in captured.err
    assert "Nothing was marked as rejected" in captured.err
    assert "not-the-password" not in captured.out + captured.err
    assert f"{waiting} statements still wait in the queue." in captured.out
    assert states() == {"pending": waiting, "sent": 0, "rejected": 0}
    with records() as db:
        assert isinstance(Courier(LRS(statements_url(ralph.url), "nobody", "x")).deliver(db).stopped,
                          CredentialsRefused)

    # From the data folder's lrs.toml, private to its owner, the right ones work.
    monkeypatch.delenv("MMJOURNEY_LRS_USER")
    monkeypatch.delenv("MMJOURNEY_LRS_PASSWORD")
    config = records_folder() / "lrs.toml"
    config.write_text(f'user = "{USER}"\npassword = "{PASSWORD}"\n', encoding="utf-8")
    config.chmod(0o600)
    assert sync("--lrs", ralph.url) == 0
    assert states() == {"pending": 0, "sent": waiting, "rejected": 0}


def records_folder() -> Path:
    with records() as db:
        return db.path.parent.parent


# --- answers Ralph does not give on request: a small HTTP server of the test's own --------------------------


class Scripted(BaseHTTPRequestHandler):
    """Answers each POST with the next status of the server's script (then 204), keeping what it got."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.got.append(({k.lower(): v for k, v in self.headers.items()}, json.loads(body)))  # type: ignore[attr-defined]
        status = self.server.script.pop(0) if self.server.script else 204  # type: ignore[attr-defined]
        self.send_response(status)
        text = b'{"detail": "busy"}' if status != 204 else b""
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def scripted():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    server.script, server.got = [], []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_busy_lrs_is_tried_again_after_a_pause(clinic, scripted):
    play(clinic, seed=1)
    scripted.script[:] = [503, 429]
    lrs = LRS(statements_url(f"http://127.0.0.1:{scripted.server_port}"), "u", "p")
    with records() as db:
        done = Courier(lrs, pauses=(0.01, 0.01)).deliver(db)
        rows = db.read("SELECT state, attempts, last_error FROM outbox")
    assert done.stopped is None and done.sent == len(rows)
    assert {(row["state"], row["attempts"], row["last_error"]) for row in rows} == {("sent", 3, None)}
    headers, body = scripted.got[-1]
    assert headers["x-experience-api-version"] == "1.0.3" and headers["authorization"].startswith("Basic ")
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert [s["id"] for s in body] == [s["id"] for s in exported()]


def test_an_address_that_is_no_lrs_marks_nothing_rejected(clinic, scripted):
    play(clinic, seed=1)
    scripted.script[:] = [404]
    lrs = LRS(statements_url(f"http://127.0.0.1:{scripted.server_port}/wrong"), "u", "p")
    with records() as db:
        done = Courier(lrs, pauses=()).deliver(db)
    assert "did not take statements (HTTP 404: busy): is it the address of an LRS" in str(done.stopped)
    assert states()["rejected"] == 0 and states()["sent"] == 0


def test_batches_are_limited(clinic, scripted):
    play(clinic, seed=1)
    play(clinic, seed=2)
    lrs = LRS(statements_url(f"http://127.0.0.1:{scripted.server_port}"), "u", "p")
    total = len(exported())
    done = deliver_all(Courier(lrs, batch=5), records_folder(), lambda path, text: None)
    assert done.sent == total and [len(body) for _, body in scripted.got] == [5] * (total // 5) + (
        [total % 5] if total % 5 else [])


def test_the_relay_waits_longer_while_the_lrs_is_busy_and_says_when_it_is_back(clinic, scripted):
    play(clinic, seed=1)
    scripted.script[:] = [503, 503, 503]
    logs: list[str] = []
    lrs = LRS(statements_url(f"http://127.0.0.1:{scripted.server_port}"), "u", "p")
    relay = Relay(Courier(lrs, pauses=()), records_folder(), interval=0.02, longest=0.1, log=logs.append)
    relay.start()
    deadline = time.monotonic() + 30
    while states()["pending"] and time.monotonic() < deadline:
        time.sleep(0.02)
    relay.stop()
    assert not relay.thread.is_alive()
    assert states()["pending"] == 0 and len(scripted.got) == 4
    assert len(logs) == 2  # the trouble once, however many rounds it lasts; then that it is over
    assert "the LRS could not take them now (HTTP 503: busy)" in logs[0]
    assert logs[1] == f"LRS sync: the LRS can be reached again ({states()['sent']} sent)."


# --- the classroom server ---------------------------------------------------------------------------------------


def test_the_classroom_server_sends_as_attempts_finish_and_stops_on_sigterm(clinic, ralph, tmp_path):
    data = tmp_path / "class"
    learner = data / "learners" / "a1b2c3" / "records" / "records.sqlite3"
    play(clinic, seed=1, writer=AttemptWriter(learner, learner="Ada"))
    env = dict(os.environ, MMJOURNEY_DATA_DIR=str(data), MMJOURNEY_LRS_USER=USER, MMJOURNEY_LRS_PASSWORD=PASSWORD,
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    server = subprocess.Popen([sys.executable, "-m", "mmjourney", "serve", "--port", str(free_port()),
                               "--lrs", ralph.url], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        with records(learner) as db:
            agent = json.loads(db.read("SELECT statement FROM outbox LIMIT 1")[0]["statement"])["actor"]
        first = wait_for(ralph, agent, 1)
        # A learner finishes another attempt while the class goes on: it follows by itself.
        play(clinic, seed=2, writer=AttemptWriter(learner, learner="Ada"))
        both = wait_for(ralph, agent, 2)
        assert len(both) > len(first)
        with records(learner) as db:
            assert outbox.counts(db.connection) == {"pending": 0, "sent": len(both), "rejected": 0}
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        assert server.wait(20) == 0
        assert time.monotonic() - started < 15
        out = server.stdout.read() if server.stdout else ""
        assert f"Finished attempts are sent to the LRS at {ralph.url}/xAPI/statements" in out
        assert "Traceback" not in out
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def wait_for(ralph: Ralph, agent: dict, attempts: int, seconds: float = 60) -> list[dict]:
    """The agent's statements once `attempts` completed attempts are in the LRS."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = ralph.statements(agent)
        if sum(s["verb"]["display"]["en"] == "completed" for s in found) >= attempts:
            return found
        time.sleep(0.25)
    raise AssertionError(f"{attempts} completed attempt(s) did not reach the LRS in {seconds} s")
