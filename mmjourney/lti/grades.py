"""Assignment and Grade Services: an assessment's score sent to the platform's gradebook when it ends.

The game processes know nothing of LTI: they keep each learner's attempts in the learner's records as
always. The server's Scorekeeper thread looks, every few seconds, at the records of the learners a
platform launched into an assessment with a gradebook column; each completed assessment attempt of
that story that ended after the launch is kept in the tool's store as a grade to send (once per
attempt), and every grade waiting is sent:

1. an access token from the platform's token URL, by the OAuth 2 client-credentials grant with a JWT
   signed by the tool's key (RFC 7523), for the AGS score scope; kept until it is about to expire;
2. a POST of the score to the line item's `/scores`: scoreGiven and scoreMaximum (the attempt's points),
   activityProgress Completed, gradingProgress FullyGraded, the time the attempt ended, and a comment
   with the safety verdict.

A platform that cannot be reached, or answers 5xx or 429, gets the grade again later (the wait doubles
up to an hour): the grade is in the store's file, so a restart of the server loses nothing. A platform
that refuses a score (400, 403, 404, 422) has its reason kept with it and said on the terminal.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jwt

from ..records.database import RecordsUnavailable, now_iso, open_read_only
from .config import Platform
from .launch import SCORE_SCOPE
from .store import Grade, Launch, Store

TIMEOUT = 30.0
GRANT_LIFETIME = 300  # seconds the tool's signed grant request is good for
RETRY_FIRST, RETRY_LONGEST = 10.0, 3600.0
LAUNCH_GRACE = 24 * 3600.0  # an attempt started in a launch may end this long after the launch has lapsed
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
REFUSED = (400, 403, 404, 405, 409, 410, 413, 415, 422)
MAX_REASON_CHARS = 500


class GradeError(Exception):
    """A score could not be delivered now; it waits for the next try."""


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


def request(url: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT) -> Answer:
    """POST `body`; the platform's answer, or GradeError when none comes."""
    message = urllib.request.Request(url, data=body, method="POST", headers={**headers, "User-Agent": "mmjourney"})
    try:
        with urllib.request.urlopen(message, timeout=timeout) as response:
            return Answer(response.status, response.read(64 * 1024).decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.read(64 * 1024).decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise GradeError(f"no answer from {url} ({getattr(reason, 'strerror', None) or reason})") from None


def said(answer: Answer) -> str:
    """What the platform said, in one line, with the status."""
    text = " ".join(answer.text.split()) or "no reason given"
    try:
        data = json.loads(answer.text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        words = [str(data[key]) for key in ("error", "error_description", "message", "reason") if key in data]
        text = ": ".join(words) or text
    return f"HTTP {answer.status}: {text[:MAX_REASON_CHARS]}"


def scores_url(lineitem: str) -> str:
    """The scores service of a line item: its path with `/scores` added, before any query (AGS 2.0, 3.4)."""
    parts = urllib.parse.urlsplit(lineitem)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def client_assertion(platform: Platform, now: float | None = None) -> str:
    """The tool's signed request for a token (RFC 7523): it is both issuer and subject."""
    now = time.time() if now is None else now
    claims = {"iss": platform.client_id, "sub": platform.client_id, "aud": platform.token_audience,
              "iat": int(now), "exp": int(now) + GRANT_LIFETIME, "jti": secrets.token_urlsafe(24)}
    return jwt.encode(claims, platform.key.private, algorithm="RS256", headers={"kid": platform.key.kid})


def grade_of(launch: Launch, attempt_uuid: str, record) -> Grade | None:
    """The score to send for a finished assessment attempt (an AttemptRecord); None when it scored nothing."""
    overall = record.scores.overall
    if overall.max_points <= 0:
        return None
    verdict = record.verdict
    critical = len(record.critical_errors)
    safety = "Safe: no critical error." if verdict.safe else (
        f"Unsafe: {critical} critical error{'s' if critical != 1 else ''}.")
    passed = "Passed" if verdict.passed else "Not passed"
    ending = f" Ending: {record.ending.title}." if record.ending is not None else ""
    comment = (f"{safety} {passed} (pass mark {verdict.pass_mark:g}%, score {overall.percent or 0:g}%)."
               f"{ending} Story: {record.story.title}.")
    return Grade(attempt_uuid, launch.platform, launch.lineitem or "", launch.subject, launch.learner_id,
                 float(max(overall.points, 0)), float(overall.max_points), comment,
                 record.ended_at or record.updated_at)


@dataclass
class Scorekeeper:
    """Finds the scores of launched assessments in the learners' records and sends them (see the docstring).

    `stop` ends the thread between requests and cuts a pause short (the server's Ctrl+C)."""

    store: Store
    data_dir: Path
    platforms: dict[str, Platform]
    interval: float = 5.0
    log: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))
    stop: threading.Event = field(default_factory=threading.Event)
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # platform -> (access token, expiry)
    told: set[str] = field(default_factory=set)  # problems already said on the terminal, each once

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name="mmjourney-lti-grades", daemon=True)
        thread.start()
        return thread

    def _run(self) -> None:
        while not self.stop.is_set():
            self.round()
            self.stop.wait(self.interval)

    def round(self) -> None:
        """Queue the scores of newly ended attempts, then send every grade that is due."""
        self.collect()
        self.send(time.time())

    # --- finding scores ------------------------------------------------------------------------------

    def collect(self) -> int:
        """Keep a grade for each completed assessment attempt of a graded launch; returns how many are new."""
        launches = self.store.graded_launches(time.time() - LAUNCH_GRACE)
        new = 0
        for learner_id in sorted({launch.learner_id for launch in launches}):
            mine = [launch for launch in launches if launch.learner_id == learner_id]
            path = self.data_dir / "learners" / learner_id / "records" / "records.sqlite3"
            if not path.is_file():
                continue
            try:
                records = open_read_only(path)
            except RecordsUnavailable as error:
                self._tell(f"LTI grades: the records of learner {learner_id} cannot be read: {error}")
                continue
            try:
                new += self._collect(records, mine)
            except RecordsUnavailable as error:
                self._tell(f"LTI grades: the records of learner {learner_id} cannot be read: {error}")
            finally:
                records.close()
        return new

    def _collect(self, records, launches: list[Launch]) -> int:
        new = 0
        for story_id in sorted({launch.story_id for launch in launches}):
            of_story = [launch for launch in launches if launch.story_id == story_id]  # by launch time
            for row in records.attempts(story_id):
                if row["mode"] != "assessment" or row["status"] != "completed" or not row["ended_at"]:
                    continue
                # The launch the attempt ended under: the last one before it ended (a journey can be left
                # and continued from a later launch).
                before = [launch for launch in of_story if launch.launched_at <= row["ended_at"]]
                if not before:
                    continue
                grade = grade_of(before[-1], row["uuid"], records.load(row["id"]))
                if grade is not None and self.store.queue_grade(grade):
                    new += 1
        return new

    # --- sending them --------------------------------------------------------------------------------

    def send(self, now: float) -> None:
        for grade in self.store.due_grades(now):
            if self.stop.is_set():
                return
            platform = self.platforms.get(grade.platform)
            if platform is None:
                self._tell(f"LTI grades: a score waits for a platform no longer given to --lti ({grade.lineitem}).")
                continue
            try:
                answer = self._post(platform, grade)
            except GradeError as error:
                self._failed(grade, str(error))
                continue
            if 200 <= answer.status < 300:
                self.store.grade_sent(grade.attempt_uuid, now_iso())
                self.told.discard(platform.ident)
            elif answer.status == 401:
                self.tokens.pop(platform.ident, None)  # revoked or expired early: a new one next time
                self._failed(grade, f"the platform refused the access token ({said(answer)})")
            elif answer.status in REFUSED:
                reason = said(answer)
                self.store.grade_refused(grade.attempt_uuid, reason)
                self.log(f"LTI grades: {platform.name} refused a score for {grade.lineitem}: {reason}")
            else:
                self._failed(grade, f"{platform.name} could not take the score now ({said(answer)})")

    def _post(self, platform: Platform, grade: Grade) -> Answer:
        score = {"userId": grade.subject, "scoreGiven": grade.score_given, "scoreMaximum": grade.score_maximum,
                 "activityProgress": "Completed", "gradingProgress": "FullyGraded", "timestamp": grade.timestamp,
                 "comment": grade.comment}
        return request(scores_url(grade.lineitem), json.dumps(score).encode(),
                       {"Content-Type": SCORE_TYPE, "Authorization": f"Bearer {self._token(platform)}"})

    def _token(self, platform: Platform) -> str:
        kept = self.tokens.get(platform.ident)
        if kept is not None and kept[1] > time.time():
            return kept[0]
        body = urllib.parse.urlencode({
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion(platform), "scope": SCORE_SCOPE}).encode()
        answer = request(platform.token_url, body, {"Content-Type": "application/x-www-form-urlencoded"})
        if answer.status != 200:
            raise GradeError(f"{platform.name}'s token URL refused the tool ({said(answer)}): check that the "
                             f"platform has the tool's key (its JWKS URL) and client id {platform.client_id}")
        try:
            data = json.loads(answer.text)
            token, lifetime = data["access_token"], float(data.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise GradeError(f"{platform.name}'s token URL did not answer with an access token") from None
        if not isinstance(token, str):
            raise GradeError(f"{platform.name}'s token URL did not answer with an access token")
        # Renewed a little before the platform's expiry, so no request carries a token that lapses in flight.
        self.tokens[platform.ident] = (token, time.time() + max(lifetime - 30, 0))
        return token

    def _failed(self, grade: Grade, problem: str) -> None:
        wait = min(RETRY_FIRST * 2 ** min(grade.tries, 16), RETRY_LONGEST)
        self.store.grade_failed(grade.attempt_uuid, problem, time.time() + wait)
        self._tell(f"LTI grades: {problem}. The score waits and is sent again later.", key=grade.platform)

    def _tell(self, text: str, key: str | None = None) -> None:
        """Say a problem once (per platform when `key` is given) until it has gone away."""
        mark = key or text
        if mark not in self.told:
            self.told.add(mark)
            self.log(text)
