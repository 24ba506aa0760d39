"""`mmjourney serve --lti` against a platform built from PyPI's `lti1p3platform` (not one written here).

The platform is the package's own code, wired to a small HTTP server on 127.0.0.1 the way a learning
platform wires it to its web framework: its registration of the tool (its own RSA key, the tool's login,
launch and key set URLs), its OIDC login initiation (the course link a learner clicks), its launch (it
checks the tool's answer to the login and signs the id_token), its token endpoint (it checks the tool's
signed grant against the tool's /lti/jwks and signs an access token) and its Assignment and Grade Services
scores endpoint (it checks that access token and takes the score). What this file adds is only what the
package leaves to the platform: who is signed in, the course's link (its custom parameters and gradebook
column), and where a received score is kept. The tool is the real `mmjourney serve --lti` as a subprocess.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..conftest import REPO
from .test_lti import play_to_the_gradebook
from .test_serve_browser import CHROMIUM
from .test_serve_browser_guard import start_server, stop

ltiplatform = pytest.importorskip("lti1p3platform.ltiplatform", reason="lti1p3platform (the test extra)")
from lti1p3platform.exceptions import LtiException, PreflightRequestValidationException  # noqa: E402
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract  # noqa: E402
from lti1p3platform.oidc_login import OIDCLoginAbstract  # noqa: E402
from lti1p3platform.registration import Registration  # noqa: E402
from lti1p3platform.request import Request, TRequest  # noqa: E402
from lti1p3platform.score import UpdateScoreStatus  # noqa: E402
from lti1p3platform.service_connector import AssignmentsGradesService  # noqa: E402

CLIENT_ID, DEPLOYMENT = "mmjourney-on-lti1p3platform", "deployment-7"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
STORIES = REPO / "tests" / "items" / "lti"
USERS = {"learner-7": "Ada Lovelace", "learner-8": "Grace Hopper"}
LINKS = {"link-1": {"title": "Calcium assessment", "custom": {"story": "lti-one-choice", "mode": "assessment"},
                    "lineitem": "7"}}


def pem(key: rsa.RSAPrivateKey) -> tuple[str, str]:
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class WebRequest(Request):
    """The package's request object, filled from http.server's request (its framework adapters do the same)."""

    def build_metadata(self, request: dict[str, Any]) -> TRequest:
        return request  # type: ignore[return-value]


class ForgerRegistration(Registration):
    """A registration with another private key that claims the platform's key id: a forger's tokens."""

    def __init__(self, kid: str | None) -> None:
        self.claimed_kid = kid

    def get_kid(self) -> str | None:
        return self.claimed_kid


class Platform:
    """The platform, made of lti1p3platform's classes; `received` is its gradebook."""

    def __init__(self) -> None:
        self.private_pem, self.public_pem = pem(new_key())
        self.forger_pem = pem(new_key())[0]
        self.received: list[dict] = []  # each score as the platform's AGS service took it
        self.token_answers: list[tuple[int, dict]] = []
        self.forge = False
        self.id_token_expiration = 5 * 60  # the package's default
        self.tool_url = ""
        self.tool_keys: dict | None = None  # the tool's key set, fetched once by the package and kept
        platform = self

        class Conf(ltiplatform.LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs: Any) -> None:
                self._registration = self.get_registration_by_params(**kwargs)

            def get_registration_by_params(self, **kwargs: Any) -> Registration:
                registration = ForgerRegistration(platform.kid) if kwargs.get("forged") else Registration()
                registration.set_iss(platform.url).set_client_id(CLIENT_ID).set_deployment_id(DEPLOYMENT) \
                    .set_launch_url(f"{platform.tool_url}/lti/launch") \
                    .set_oidc_login_url(f"{platform.tool_url}/lti/login") \
                    .set_tool_key_set_url(f"{platform.tool_url}/lti/jwks") \
                    .set_platform_public_key(platform.public_pem) \
                    .set_platform_private_key(platform.forger_pem if kwargs.get("forged") else platform.private_pem)
                if platform.tool_keys is not None:
                    registration.set_tool_key_set(platform.tool_keys)  # type: ignore[arg-type]
                return registration

        class Login(OIDCLoginAbstract):
            def set_lti_message_hint(self, **kwargs: Any) -> None:
                self._lti_message_hint = kwargs["link"]

            def get_redirect(self, url: str) -> tuple[int, dict[str, str], str]:
                return 302, {"Location": url}, ""

        class Launch(LTIAdvantageMessageLaunchAbstract):
            def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
                # What the package leaves to the platform: the signed-in user must be the login's hint,
                # the answer must come back to the tool's registered launch URL, and the link is the hint's.
                user, link_id = preflight_response.get("login_hint"), preflight_response.get("lti_message_hint")
                if user not in USERS or link_id not in LINKS:
                    raise PreflightRequestValidationException("unknown user or link")
                if preflight_response.get("redirect_uri") != f"{platform.tool_url}/lti/launch":
                    raise PreflightRequestValidationException("redirect_uri is not the tool's launch URL")
                link = LINKS[link_id]
                self.set_user_data(user, [LEARNER_ROLE], full_name=USERS[user])
                self.set_resource_link_claim(link_id, title=link["title"])
                self.set_launch_context_claim("course-1", context_title="Myeloma nursing")
                self.set_custom_parameters_claim(dict(link["custom"]))
                self.set_ags(f"{platform.url}/lineitems", f"{platform.url}/lineitems/{link['lineitem']}/lineitem",
                             allow_creating_lineitems=False)
                self.set_id_token_expiration(platform.id_token_expiration)

            def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> tuple[int, dict, str]:
                form = (f'<form method="post" action="{html.escape(launch_data["launch_url"])}" id="f">'
                        f'<input type="hidden" name="id_token" value="{html.escape(launch_data["id_token"])}">'
                        f'<input type="hidden" name="state" value="{html.escape(launch_data["state"])}"></form>'
                        "<script>document.getElementById('f').submit()</script>")
                return 200, {"Content-Type": "text/html"}, form

        class Grades(AssignmentsGradesService):
            def update_score(self, line_item_id: str, score: Any) -> UpdateScoreStatus:
                platform.received.append({"lineitem": line_item_id, **score})
                return UpdateScoreStatus.SUCCESS

            def find_lineitems(self, *args: Any, **kwargs: Any) -> Any:
                raise NotImplementedError

            def find_lineitem(self, *args: Any, **kwargs: Any) -> Any:
                raise NotImplementedError

            def create_lineitem(self, *args: Any, **kwargs: Any) -> Any:
                raise NotImplementedError

            def update_lineitem(self, *args: Any, **kwargs: Any) -> Any:
                raise NotImplementedError

            def delete_lineitem(self, *args: Any, **kwargs: Any) -> Any:
                raise NotImplementedError

            def get_results(self, *args: Any, **kwargs: Any) -> Any:
                raise NotImplementedError

        conf = Conf

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.handle_any("GET", b"")

            def do_POST(self) -> None:
                self.handle_any("POST", self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def handle_any(self, method: str, body: bytes) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                form = dict(urllib.parse.parse_qsl(body.decode())) if method == "POST" else {}
                request = WebRequest({"method": method, "form_data": form, "get_data": query,
                                      "headers": self.headers, "content_type": self.headers.get("Content-Type"),
                                      "path": url.path, "json": None})
                try:
                    answer = platform.route(method, url.path, query, form, body, request, conf, Login, Launch,
                                            Grades)
                except (PreflightRequestValidationException, LtiException) as error:
                    answer = 400, {"Content-Type": "text/plain"}, f"refused: {error!r}"
                self.answer(*answer)

            def answer(self, status: int, headers: dict[str, str], text: str) -> None:
                data = text.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.kid = Registration().set_platform_private_key(self.private_pem).get_kid()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, method, path, query, form, body, request, conf, Login, Launch, Grades):
        json_kind = {"Content-Type": "application/json"}
        if method == "GET" and path == "/jwks":  # the platform's public key set, for the tool
            return 200, json_kind, json.dumps(conf().get_jwks())
        if method == "GET" and path.startswith("/course/"):  # a learner clicks the course's link
            login = Login(request, conf())
            login.set_lti_message_hint(link=path.removeprefix("/course/"))
            return login.initiate_login(query["user"])
        if method == "GET" and path == "/auth":  # the tool's answer to the login: the launch
            return Launch(request, conf(forged=self.forge)).lti_launch()
        if method == "POST" and path == "/token":  # the tool asks for an access token
            made = conf()
            try:
                answer = made.get_access_token(form)
            except Exception as error:  # the package raises its own errors and PyJWT's
                self.token_answers.append((401, {"error": repr(error)}))
                return 401, json_kind, json.dumps({"error": "invalid_client", "error_description": repr(error)})
            self.tool_keys = made.get_registration().get_tool_key_set()
            self.token_answers.append((200, {key: answer[key] for key in ("token_type", "expires_in", "scope")}))
            return 200, json_kind, json.dumps(answer)
        match = re.fullmatch(r"/lineitems/(\w+)/lineitem/scores", path)
        if method == "POST" and match:  # the AGS scores service
            request.request["json"] = json.loads(body)
            service = Grades(request, conf(), f"{self.url}/lineitems", f"{self.url}/lineitems/{match[1]}/lineitem",
                             allow_creating_lineitems=False)
            response = service.handle_resp(service.handle_update_score, line_item_id=match[1])
            return response.code, {"Content-Type": response.media_type}, json.dumps({"status": response.message})
        return 404, {"Content-Type": "text/plain"}, "not here"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def platform():
    made = Platform()
    yield made
    made.close()


@pytest.fixture(scope="module")
def tool(platform, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lti-platform")
    key = folder / "tool-key.pem"
    key.write_text(pem(new_key())[0])
    key.chmod(0o600)
    config = folder / "platform.toml"
    config.write_text(f'name = "lti1p3platform"\nissuer = "{platform.url}"\nclient_id = "{CLIENT_ID}"\n'
                      f'deployment_ids = ["{DEPLOYMENT}"]\nauth_login_url = "{platform.url}/auth"\n'
                      f'token_url = "{platform.url}/token"\njwks_url = "{platform.url}/jwks"\n'
                      'private_key = "tool-key.pem"\n')
    data = folder / "class"
    port, server = start_server(data, "--stories", str(STORIES), "--lti", str(config), "--password", "not-for-lti")
    platform.tool_url = f"http://127.0.0.1:{port}"
    try:
        yield platform.tool_url, data
    finally:
        stop(server)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
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


def launch_form(platform: Platform, user: str = "learner-7", link: str = "link-1") -> dict[str, str]:
    """A learner's click on the course link, followed as a browser would up to the platform's launch form:
    platform login initiation → the tool's /lti/login → the platform's authorization endpoint."""
    status, headers, _ = call(f"{platform.url}/course/{link}?user={user}")
    assert status == 302 and headers["Location"].startswith(f"{platform.tool_url}/lti/login?")
    status, headers, text = call(headers["Location"])
    assert status == 302 and headers["Location"].startswith(f"{platform.url}/auth?"), text
    status, _, page = call(headers["Location"])
    assert status == 200, page
    fields = {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', page)}
    fields["action"] = html.unescape(re.search(r'action="([^"]+)"', page)[1])
    return fields


def post_launch(platform: Platform, fields: dict[str, str]) -> tuple[int, dict, str]:
    return call(fields["action"], {"id_token": fields["id_token"], "state": fields["state"]}, origin=platform.url)


def test_the_platforms_launch_opens_the_links_story_for_its_learner(tool, platform):
    base, data = tool
    fields = launch_form(platform, "learner-8")
    assert fields["action"] == f"{base}/lti/launch"
    status, headers, text = post_launch(platform, fields)
    assert status == 303, text
    play = headers["Location"]
    assert re.fullmatch(rf"{base}/lti/play/[\w-]{{40,}}", play) and call(play)[0] == 200
    # The learner is the platform's (its name, a key from its issuer and user id; no typed name, no secret),
    # and the launch holds the link's story and mode and the line item the package put in the AGS claim.
    [grace] = [e for e in json.loads((data / "learners.json").read_text())["learners"] if e["name"] == "Grace Hopper"]
    assert grace["key"].startswith("lti:") and grace["secret"] is None
    from mmjourney.lti.store import Store

    launch = Store(data / "server" / "lti.sqlite3").launch(play.rsplit("/", 1)[1])
    assert launch is not None
    assert (launch.subject, launch.learner_id, launch.story_id, launch.mode) == (
        "learner-8", grace["id"], "lti-one-choice", "assessment")
    assert launch.lineitem == f"{platform.url}/lineitems/7/lineitem"


def test_a_token_signed_by_another_key_is_refused(tool, platform):
    platform.forge = True  # the package signs with a key that is not the platform's, under the platform's kid
    try:
        fields = launch_form(platform)
    finally:
        platform.forge = False
    status, _, text = post_launch(platform, fields)
    assert status == 403 and "the token was forged or altered" in html.unescape(text)


def test_an_expired_token_is_refused(tool, platform):
    platform.id_token_expiration = -600  # the package stamps exp ten minutes before iat
    try:
        fields = launch_form(platform)
    finally:
        platform.id_token_expiration = 5 * 60
    status, _, text = post_launch(platform, fields)
    assert status == 403 and "The launch has expired" in html.unescape(text)


def test_a_replayed_nonce_is_refused(tool, platform):
    fields = launch_form(platform)
    assert post_launch(platform, fields)[0] == 303
    status, _, text = post_launch(platform, fields)  # the same form posted again
    assert status == 403 and "already used" in text
    # The same id_token with the state of a new login: its nonce was used.
    fresh = launch_form(platform)
    status, _, text = post_launch(platform, {**fields, "state": fresh["state"]})
    assert status == 403 and "already used" in text
    # The fresh login itself still launches.
    assert post_launch(platform, fresh)[0] == 303


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_a_learner_plays_from_the_course_link_and_the_platform_receives_the_score(tool, platform):
    base, data = tool
    # The learner's click in the course.
    play_to_the_gradebook(f"{platform.url}/course/link-1?user=learner-7", lambda: bool(platform.received))
    [score] = platform.received
    print("score as the platform received it:", json.dumps(score, indent=2))
    assert score["lineitem"] == "7" and score["userId"] == "learner-7"
    assert score["scoreGiven"] == score["scoreMaximum"] > 0
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["comment"].startswith("Safe: no critical error. Passed")
    assert "Story: One choice for the gradebook." in score["comment"]
    # The package's token endpoint checked the tool's grant against the tool's /lti/jwks and granted the score scope.
    assert platform.token_answers[-1] == (200, {"token_type": "bearer", "expires_in": 3600,
                                                "scope": "https://purl.imsglobal.org/spec/lti-ags/scope/score"})
    [ada] = [e for e in json.loads((data / "learners.json").read_text())["learners"] if e["name"] == "Ada Lovelace"]
    assert (data / "learners" / ada["id"] / "records" / "records.sqlite3").is_file()
    time.sleep(6)  # another round of the grade sender: the attempt is not sent twice
    assert len(platform.received) == 1
