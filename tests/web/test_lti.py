"""`mmjourney serve --lti`: a real OIDC login and launch from a test platform, and the score sent back.

The platform lives in this file: its own RSA key, and a small HTTP server on 127.0.0.1 that serves its
key set (JWKS), its authorization endpoint (which answers a login with a launch form holding a signed
id_token, as Canvas and Moodle do), its token endpoint (which checks the tool's signed grant request
against the tool's own /lti/jwks) and a line item's scores endpoint, which records what it is sent.
The tool is the real `mmjourney serve` started as a subprocess.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..conftest import REPO
from .test_serve_browser import CHROMIUM, Tab, chromium
from .test_serve_browser_guard import start_server, stop

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
CLIENT_ID, DEPLOYMENT = "mmjourney-tool-1", "deployment-1"
STORIES = REPO / "tests" / "items" / "lti"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LMS:
    """A learning platform just big enough to launch a tool and take its scores."""

    def __init__(self) -> None:
        self.key = new_key()
        self.kid = "platform-key-1"
        self.scores: list[dict] = []
        self.grants: list[dict] = []
        self.issued: set[str] = set()
        self.down = False
        self.tool_jwks: str | None = None  # the tool's key set, once the tool runs
        self.kept_tool_keys: dict = {}  # a tool's key set this platform serves itself (a tool with no server)
        self.users = {"learner-7": {"name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace"}}
        self.link_custom = {"story": "lti-one-choice", "mode": "assessment"}
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/jwks":
                    self.answer(200, json.dumps(platform.jwks()), "application/json")
                elif url.path == "/kept-tool-jwks":
                    self.answer(200, json.dumps(platform.kept_tool_keys), "application/json")
                elif url.path == "/auth":
                    token = platform.id_token(query["login_hint"], query["nonce"])
                    self.answer(200, launch_form(query["redirect_uri"], token, query["state"]), "text/html")
                else:
                    self.answer(404, "not here")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/token":
                    self.answer(*platform.token(dict(urllib.parse.parse_qsl(body.decode()))))
                elif self.path == "/lineitems/7/lineitem/scores":
                    self.answer(*platform.score(self.headers, body))
                else:
                    self.answer(404, "not here")

            def answer(self, status: int, text: str, kind: str = "text/plain") -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.url
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def claims(self, user: str, nonce: str) -> dict:
        now = int(time.time())
        return {
            "iss": self.issuer, "aud": CLIENT_ID, "sub": user, "iat": now, "exp": now + 300, "nonce": nonce,
            **self.users.get(user, {}),
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT, LTI + "target_link_uri": self.target,
            LTI + "resource_link": {"id": "link-1", "title": "Calcium assessment"},
            LTI + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            LTI + "custom": dict(self.link_custom),
            AGS: {"scope": [SCORE_SCOPE], "lineitem": f"{self.url}/lineitems/7/lineitem",
                  "lineitems": f"{self.url}/lineitems"},
        }

    def id_token(self, user: str, nonce: str, key: rsa.RSAPrivateKey | None = None, **changes) -> str:
        claims = {**self.claims(user, nonce), **changes}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def token(self, form: dict[str, str]) -> tuple[int, str, str]:
        """The client-credentials grant: the tool's assertion must be signed by a key from its own JWKS."""
        assertion = form.get("client_assertion", "")
        try:
            key = jwt.PyJWKClient(self.tool_jwks or "").get_signing_key_from_jwt(assertion).key
            claims = jwt.decode(assertion, key, algorithms=["RS256"], audience=f"{self.url}/token",
                                issuer=CLIENT_ID)
        except jwt.PyJWTError as error:
            return 401, json.dumps({"error": "invalid_client", "error_description": str(error)}), "application/json"
        assert claims["sub"] == CLIENT_ID and form["grant_type"] == "client_credentials"
        self.grants.append({**form, "claims": claims})
        access = secrets.token_urlsafe(16)
        self.issued.add(access)
        return 200, json.dumps({"access_token": access, "token_type": "Bearer", "expires_in": 3600,
                                "scope": form.get("scope")}), "application/json"

    def score(self, headers, body: bytes) -> tuple[int, str]:
        if self.down:
            return 503, "the gradebook is down for maintenance"
        if headers.get("Authorization", "").removeprefix("Bearer ") not in self.issued:
            return 401, "no valid access token"
        if headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
            return 415, "not a score"
        self.scores.append(json.loads(body))
        return 200, "{}"


def launch_form(action: str, token: str, state: str) -> str:
    """The page a platform answers a login with: a form that posts the id_token to the tool by itself."""
    return (f'<form method="post" action="{html.escape(action)}" id="f">'
            f'<input type="hidden" name="id_token" value="{html.escape(token)}">'
            f'<input type="hidden" name="state" value="{html.escape(state)}"></form>'
            "<script>document.getElementById('f').submit()</script>")


@pytest.fixture(scope="module")
def lms():
    platform = LMS()
    yield platform
    platform.close()


@pytest.fixture(scope="module")
def tool(lms, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lti")
    key = folder / "tool-key.pem"
    key.write_bytes(new_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    key.chmod(0o600)
    config = folder / "platform.toml"
    config.write_text(f'name = "Test platform"\nissuer = "{lms.issuer}"\nclient_id = "{CLIENT_ID}"\n'
                      f'deployment_ids = ["{DEPLOYMENT}"]\nauth_login_url = "{lms.url}/auth"\n'
                      f'token_url = "{lms.url}/token"\njwks_url = "{lms.url}/jwks"\nprivate_key = "tool-key.pem"\n')
    data = folder / "class"
    port, server = start_server(data, "--stories", str(STORIES), "--lti", str(config), "--password", "not-for-lti")
    base = f"http://127.0.0.1:{port}"
    lms.tool_jwks = f"{base}/lti/jwks"
    lms.target = f"{base}/lti/launch"
    try:
        yield base, data
    finally:
        stop(server)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(url: str, form: dict | None = None, origin: str | None = None) -> tuple[int, dict, str]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Origin": origin} if origin else {})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


def login(base: str, lms: LMS, user: str = "learner-7") -> dict[str, str]:
    """The platform's OIDC login initiation; the tool's redirect to the platform's authorization URL."""
    query = urllib.parse.urlencode({"iss": lms.issuer, "login_hint": user, "target_link_uri": f"{base}/lti/launch",
                                    "client_id": CLIENT_ID, "lti_deployment_id": DEPLOYMENT})
    status, headers, _ = call(f"{base}/lti/login?{query}")
    assert status == 302
    location = urllib.parse.urlsplit(headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{lms.url}/auth"
    return dict(urllib.parse.parse_qsl(location.query))


def launch(base: str, lms: LMS, token: str, state: str) -> tuple[int, dict, str]:
    return call(f"{base}/lti/launch", {"id_token": token, "state": state}, origin=lms.url)


def test_the_tool_publishes_its_key_and_starts_a_login_with_state_and_nonce(tool, lms):
    base, _ = tool
    keys = json.loads(call(f"{base}/lti/jwks")[2])["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")] and keys[0]["kid"]
    assert "d" not in keys[0]  # the public half only
    asked = login(base, lms)
    assert asked["response_type"] == "id_token" and asked["response_mode"] == "form_post"
    assert asked["scope"] == "openid" and asked["prompt"] == "none" and asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == f"{base}/lti/launch" and asked["login_hint"] == "learner-7"
    assert len(asked["state"]) >= 32 and len(asked["nonce"]) >= 32 and asked["state"] != login(base, lms)["state"]


def test_a_login_for_another_server_or_an_unknown_platform_is_refused(tool, lms):
    base, _ = tool
    query = {"iss": lms.issuer, "login_hint": "x", "target_link_uri": "https://elsewhere.example/steal"}
    status, _, text = call(f"{base}/lti/login?{urllib.parse.urlencode(query)}")
    assert status == 400 and "is not this server" in text
    query = {**query, "iss": "https://unknown.example", "target_link_uri": f"{base}/lti/launch"}
    status, _, text = call(f"{base}/lti/login?{urllib.parse.urlencode(query)}")
    assert status == 400 and "is not registered here" in text


@pytest.mark.parametrize("case, expected", [
    ("forged", "the token was forged or altered"),
    ("expired", "The launch has expired"),
    ("wrong audience", "addressed to another tool"),
    ("other nonce", "not the one its login sent"),
    ("unknown deployment", "deployment 'rogue'"),
    ("old version", "LTI version '1.1'"),
    ("no learner", "does not say who the learner is"),
    ("story not offered", "does not offer"),
    ("server path as story", "does not offer"),
])
def test_a_bad_launch_is_refused_with_the_reason(tool, lms, case, expected):
    base, _ = tool
    asked = login(base, lms)
    nonce, now = asked["nonce"], int(time.time())
    token = {
        "forged": lambda: lms.id_token("learner-7", nonce, key=new_key()),
        "expired": lambda: lms.id_token("learner-7", nonce, iat=now - 900, exp=now - 600),
        "wrong audience": lambda: lms.id_token("learner-7", nonce, aud="another-tool"),
        "other nonce": lambda: lms.id_token("learner-7", "a-nonce-of-another-login"),
        "unknown deployment": lambda: lms.id_token("learner-7", nonce, **{LTI + "deployment_id": "rogue"}),
        "old version": lambda: lms.id_token("learner-7", nonce, **{LTI + "version": "1.1"}),
        "no learner": lambda: lms.id_token("", nonce),
        "story not offered": lambda: lms.id_token("learner-7", nonce, **{LTI + "custom": {"story": "nope"}}),
        "server path as story": lambda: lms.id_token("learner-7", nonce,
                                                     **{LTI + "custom": {"story": "/etc/passwd"}}),
    }[case]()
    status, _, text = launch(base, lms, token, asked["state"])
    assert status == 403, text
    assert expected in html.unescape(text)


def test_a_replayed_launch_is_refused(tool, lms):
    base, data = tool
    asked = login(base, lms)
    token = lms.id_token("learner-7", asked["nonce"])
    status, headers, _ = launch(base, lms, token, asked["state"])
    assert status == 303 and re.fullmatch(rf"{base}/lti/play/[\w-]{{40,}}", headers["Location"])
    status, _, text = launch(base, lms, token, asked["state"])
    assert status == 403 and "already used" in text
    # The same token with the state of a fresh login: its nonce was used.
    status, _, text = launch(base, lms, token, login(base, lms)["state"])
    assert status == 403 and "already used" in text
    # The launch's page opens without the class code; a made-up token opens nothing.
    assert call(headers["Location"])[0] == 200
    assert call(f"{base}/lti/play/not-a-launch")[0] == 403


def test_the_learner_is_the_platforms_and_keeps_one_folder(tool, lms):
    base, data = tool
    for _ in range(2):
        asked = login(base, lms, "learner-42")
        lms.users["learner-42"] = {"name": "Zoë <b>Ng</b> \u202e"}
        assert launch(base, lms, lms.id_token("learner-42", asked["nonce"]), asked["state"])[0] == 303
    registry = json.loads((data / "learners.json").read_text())["learners"]
    mine = [entry for entry in registry if entry["name"] == "Zoë b Ng b"]
    assert len(mine) == 1 and mine[0]["key"].startswith("lti:") and mine[0]["secret"] is None



def play_to_the_gradebook(url: str, scored: Callable[[], bool]) -> None:
    """A learner opens the course link at `url` (the platform's launch): the link's story opens on its card, with
    no name screen and no class code; they start it, take its one choice and go on until the platform has a
    score (`scored`: the tool's grade sender looks every 5 s)."""
    with chromium() as browser:
        tab = Tab(browser, url=url)
        tab.page.wait_for_url(re.compile(r".*/lti/play/.*"), timeout=30_000)
        tab.wait_for_text("One choice for the gradebook", 30)
        assert "Type your name" not in tab.screen_text()
        tab.page.locator(".xterm-helper-textarea").focus()
        tab.press("Enter")  # Start
        tab.press(tab.key_of("Start the prescribed intravenous fluids"))
        deadline = time.monotonic() + 60
        while not scored():
            assert time.monotonic() < deadline, f"no score reached the platform: {tab.screen_text()[-1500:]}"
            if "Settled" not in tab.screen_text():
                tab.press("Enter")  # on past what the assessment shows between decisions
            tab.page.wait_for_timeout(500)

@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_a_launch_in_a_browser_plays_the_story_and_its_score_reaches_the_gradebook(tool, lms):
    base, data = tool
    # The platform's login initiation, as a learner's click on the course link makes it.
    query = urllib.parse.urlencode({"iss": lms.issuer, "login_hint": "learner-7", "client_id": CLIENT_ID,
                                    "target_link_uri": f"{base}/lti/launch"})
    play_to_the_gradebook(f"{base}/lti/login?{query}", lambda: bool(lms.scores))
    [score] = lms.scores
    assert score["userId"] == "learner-7"
    assert score["scoreGiven"] == score["scoreMaximum"] > 0
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["comment"].startswith("Safe: no critical error. Passed") and re.match(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", score["timestamp"])
    assert lms.grants[-1]["scope"] == SCORE_SCOPE
    learner = next(e for e in json.loads((data / "learners.json").read_text())["learners"]
                   if e["name"] == "Ada Lovelace")
    assert (data / "learners" / learner["id"] / "records" / "records.sqlite3").is_file()
    time.sleep(6)  # another round of the grade sender: the attempt is not sent twice
    assert len(lms.scores) == 1


def test_a_score_waits_while_the_platform_is_down_and_survives_a_restart(lms, tmp_path):
    from mmjourney.lti.config import load_platform
    from mmjourney.lti.grades import Scorekeeper
    from mmjourney.lti.store import Grade, Store

    key = tmp_path / "tool-key.pem"
    key.write_bytes(new_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    key.chmod(0o600)
    (tmp_path / "platform.toml").write_text(
        f'issuer = "{lms.issuer}"\nclient_id = "{CLIENT_ID}"\ndeployment_ids = ["{DEPLOYMENT}"]\n'
        f'auth_login_url = "{lms.url}/auth"\ntoken_url = "{lms.url}/token"\njwks_url = "{lms.url}/jwks"\n'
        'private_key = "tool-key.pem"\n')
    platform = load_platform(tmp_path / "platform.toml")
    # The platform checks the grant against the tool's key set; with no server running for this tool, the
    # platform was given its key set instead.
    lms.kept_tool_keys = {"keys": [platform.key.public_jwk()]}
    lms.tool_jwks, before = f"{lms.url}/kept-tool-jwks", lms.tool_jwks
    told: list[str] = []
    grade = Grade("a" * 32, platform.ident, f"{lms.url}/lineitems/7/lineitem", "learner-9", "0123456789abcdef",
                  3.0, 4.0, "Unsafe: 1 critical error. Not passed.", "2026-11-30T10:00:00.000Z")
    try:
        store = Store(tmp_path / "lti.sqlite3")
        assert store.queue_grade(grade) and not store.queue_grade(grade)
        lms.down = True
        Scorekeeper(store, tmp_path, {platform.ident: platform}, log=told.append).send(time.time())
        [waiting] = store.grades()
        assert waiting.state == "pending" and waiting.tries == 1 and "HTTP 503" in (waiting.last_error or "")
        assert any("down for maintenance" in line and "sent again later" in line for line in told)
        assert store.due_grades(time.time()) == []  # not before its wait is over
        lms.down = False
        count = len(lms.scores)
        # A new server (a new store object on the same file) sends what the old one could not.
        Scorekeeper(Store(tmp_path / "lti.sqlite3"), tmp_path, {platform.ident: platform},
                    log=told.append).send(time.time() + 3600)
        assert Store(tmp_path / "lti.sqlite3").grades()[0].state == "sent"
        assert lms.scores[count:] == [{
            "userId": "learner-9", "scoreGiven": 3.0, "scoreMaximum": 4.0, "activityProgress": "Completed",
            "gradingProgress": "FullyGraded", "timestamp": "2026-11-30T10:00:00.000Z",
            "comment": "Unsafe: 1 critical error. Not passed."}]
    finally:
        lms.down = False
        lms.tool_jwks = before


def test_platform_files_with_mistakes_are_refused_naming_the_file(tmp_path):
    from mmjourney.lti.config import ConfigError, load_platform

    config = tmp_path / "moodle.toml"
    config.write_text('issuer = "https://moodle.example.org"\nclient_id = 7\n')
    with pytest.raises(ConfigError, match=r"moodle.toml: client_id must be text in quotes"):
        load_platform(config)
    config.write_text('issuer = "https://moodle.example.org\n')
    with pytest.raises(ConfigError, match=r"moodle.toml: .*line 1, column"):
        load_platform(config)
    key = tmp_path / "key.pem"
    key.write_bytes(new_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    key.chmod(0o644)
    config.write_text('issuer = "https://moodle.example.org"\nclient_id = "7"\ndeployment_ids = ["1"]\n'
                      'auth_login_url = "https://moodle.example.org/mod/lti/auth.php"\n'
                      'token_url = "https://moodle.example.org/mod/lti/token.php"\n'
                      'jwks_url = "https://moodle.example.org/mod/lti/certs.php"\nprivate_key = "key.pem"\n')
    with pytest.raises(ConfigError, match=r"private key .*others may read it.*chmod 600"):
        load_platform(config)
    key.chmod(0o600)
    assert load_platform(config).token_audience == "https://moodle.example.org/mod/lti/token.php"


def test_deep_linking_lets_an_instructor_pick_the_story_and_mode(tool, lms):
    base, _ = tool
    asked = login(base, lms, "teacher-1")
    token = lms.id_token("teacher-1", asked["nonce"], **{
        LTI + "message_type": "LtiDeepLinkingRequest",
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
            "deep_link_return_url": f"{lms.url}/deep-link-return", "accept_types": ["ltiResourceLink"],
            "data": "platform-opaque-42"}})
    status, _, page = launch(base, lms, token, asked["state"])
    assert status == 200 and "One choice for the gradebook" in page
    pick = re.search(r'name="pick" value="([^"]+)"', page)[1]
    status, _, page = call(f"{base}/lti/deep-link", {"pick": pick, "story": "lti-one-choice", "mode": "assessment"},
                           origin=base)
    assert status == 200 and f'action="{lms.url}/deep-link-return"' in page
    answer = html.unescape(re.search(r'name="JWT" value="([^"]+)"', page)[1])
    key = jwt.PyJWKClient(f"{base}/lti/jwks").get_signing_key_from_jwt(answer).key
    claims = jwt.decode(answer, key, algorithms=["RS256"], audience=lms.issuer, issuer=CLIENT_ID)
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "platform-opaque-42"
    [item] = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["url"] == f"{base}/lti/launch" and item["custom"] == {"story": "lti-one-choice", "mode": "assessment"}
    assert item["lineItem"]["scoreMaximum"] == 100
    # The choice is used up: the same form posted again makes nothing.
    assert call(f"{base}/lti/deep-link", {"pick": pick, "story": "lti-one-choice", "mode": "practice"},
                origin=base)[0] == 400


def test_the_examples_in_docs_lms_md_work(tmp_path):
    """The platform file an administrator copies loads as written, and the link's story is a bundled one."""
    from mmjourney.library import vet
    from mmjourney.lti.config import load_platform

    section = (REPO / "docs" / "lms.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", section, re.S)[1]
    (tmp_path / "canvas.toml").write_text(example)
    key = tmp_path / "tool-key.pem"
    key.write_bytes(new_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    key.chmod(0o600)
    platform = load_platform(tmp_path / "canvas.toml")
    assert platform.client_id == "10000000000042" and platform.token_audience == platform.token_url
    custom = re.search(r"```\nstory=(\S+)\nmode=(\S+)\n```", section)
    listings, _ = vet(None, REPO / "stories", 2 * 2**20)
    assert custom[1] in {listing.story_id for listing in listings} and custom[2] == "assessment"
