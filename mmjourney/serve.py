"""Classroom mode: `mmjourney serve` plays the full game in web browsers through textual-serve.

Each browser tab gets its own game process. The game asks for a learner name first and
keeps that learner's autosave and records in a folder of their own, so a class can share
one machine. Nothing is fetched from the internet: textual-serve ships its scripts and
styles; its page also links a web font, which simply falls back to a local one offline.

What this module adds to textual-serve's server, and why (docs/classroom.md says it for educators):
- Origin check: a browser lets any web page open a websocket to any address, so without it a
  page on another site, open in the teacher's browser, could drive a game. Only pages served by
  this server (or by --public-url, behind a reverse proxy) may open one.
- Host check on loopback: a site whose name is made to point at 127.0.0.1 (DNS rebinding) would
  pass the Origin check, so a loopback server answers only to loopback names and addresses.
- An optional class code (--password or MMJOURNEY_CLASS_PASSWORD): a login form sets a signed
  cookie; failed tries are rate-limited per address.
- Limits: concurrent games, terminal size (a 20000x20000 terminal took 2 GB), and the memory of
  each game process (applied by the game itself, see mmjourney/tui/__main__.py).
- The story folder is checked once at start-up into a catalog the game processes list from, so a
  tab does not re-load every story when its picker opens.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import ipaddress
import json
import logging
import re
import secrets
import shlex
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .lti.launch import DEEP_LINKING, MODES, Claims, LaunchRefused
from .story.text_safety import visible

if TYPE_CHECKING:
    from .library import Listing
    from .lti.config import Platform
    from .lti.store import Launch
    from .records.lrs import LRS

log = logging.getLogger("textual-serve")  # textual-serve's log: a game's failure is told where its own are

PASSWORD_ENV = "MMJOURNEY_CLASS_PASSWORD"
MAX_LEARNERS = 40
MAX_WIDTH, MAX_HEIGHT = 300, 100  # cells; a large monitor at a small font is about 250x70
MIN_WIDTH, MIN_HEIGHT = 10, 4
MEMORY_MB = 1024  # per game process; one uses about 65 MB, the largest bundled story far less than this
MAX_STORY_BYTES = 2 * 1024 * 1024  # the largest bundled story is 0.1 MB; 13 MB took 43 s and 1 GB to load
SESSION_SECONDS = 12 * 3600
COOKIE = "mmjourney_class"
MAX_FORM_BYTES = 4096
MAX_PING_CHARS = 64
MAX_ENVELOPE_CHARS = 200
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
LTI_OPEN = frozenset({"/lti/login", "/lti/launch", "/lti/jwks"})  # reached from a platform's pages
LOGIN_SECONDS = 600  # from a platform's login to its launch
MAX_LTI_FORM_BYTES = 64 * 1024  # an id_token with a platform's many claims is some kilobytes
PICKING_SECONDS = 3600  # an instructor's choice of story for a deep link


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (names are resolved, as the server will)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def _is_loopback_name(name: str) -> bool:
    """Whether a Host header names this machine, without asking DNS (which a rebinding site controls)."""
    if name.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def public_origin(url: str) -> str:
    """The browser Origin of a public URL (`https://class.example.org/` -> `https://class.example.org`)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--public-url must be an http:// or https:// address, not {url!r}")
    default = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"--public-url has a port that is not a number: {url!r}") from None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a client asked for (query text or JSON), within bounds; defaults when unusable."""
    return _clamp(width, 80, MIN_WIDTH, MAX_WIDTH), _clamp(height, 24, MIN_HEIGHT, MAX_HEIGHT)


def _clamp(value: object, default: int, least: int, most: int) -> int:
    if isinstance(value, str) and len(value) <= 8:
        try:
            value = int(value)
        except ValueError:
            return default
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(least, min(most, value))


def game_command(stories: str | None, roster: str | None = None, *, data_dir: Path | None = None,
                 catalog: Path | None = None, memory_mb: int = MEMORY_MB, launched: list[str] | None = None) -> str:
    """The command textual-serve starts for each browser tab (`launched`: the arguments a platform's launch
    adds: the learner's folder id, the story's path from the catalog, the mode)."""
    parts = [sys.executable, "-m", "mmjourney.tui", "--classroom", "--memory-mb", str(memory_mb), *(launched or [])]
    if stories:
        parts += ["--stories", str(Path(stories).resolve())]
    if data_dir is not None:
        parts += ["--data-dir", str(data_dir)]
    if catalog is not None:
        parts += ["--catalog", str(catalog)]
    if roster:
        parts += ["--roster", str(Path(roster).resolve())]
    return " ".join(shlex.quote(part) for part in parts)


def serve(host: str = "127.0.0.1", port: int = 8000, stories: str | None = None, roster: str | None = None, *,
          public_url: str | None = None, password: str | None = None, max_learners: int = MAX_LEARNERS,
          memory_mb: int = MEMORY_MB, lrs: LRS | None = None, lti: list[str] | None = None) -> int:
    from .journey import Workspace
    from .library import Catalog, vet, write_catalog

    workspace = Workspace.from_environment(stories=stories)
    data = workspace.data_dir.resolve()
    catalog = data / "server" / "story-catalog.json"
    command = game_command(stories, roster, data_dir=data, catalog=catalog, memory_mb=memory_mb)
    try:
        server = ClassroomServer(command, host=host, port=port, public_url=public_url, password=password,
                                 max_learners=max_learners)
    except ValueError as error:
        print(f"mmjourney serve: {error}", file=sys.stderr)
        return 2
    try:
        listings, refused = vet(workspace.own_stories, None, MAX_STORY_BYTES)
    except OSError as error:
        print(f"mmjourney serve: the story folder cannot be read: {error}", file=sys.stderr)
        return 1
    print("Stories checked at start-up:")
    for listing in listings:
        print(f"  offered  {visible(listing.title)}  ({visible(str(listing.path))})")
    for path, reason in refused:
        print(f"  REFUSED  {visible(str(path))}: {visible(reason)}")
    if not listings:
        print("mmjourney serve: no story can be played; fix the refused ones above.", file=sys.stderr)
        return 1
    write_catalog(catalog, Catalog(listings, MAX_STORY_BYTES))
    if lti:
        from .lti.config import ConfigError, load_platform

        try:
            platforms = [load_platform(Path(path)) for path in lti]
        except ConfigError as error:
            print(f"mmjourney serve: {error}", file=sys.stderr)
            return 2
        server.lti = LTITool(platforms, data, listings, launched_command=lambda extra: game_command(
            stories, roster, data_dir=data, catalog=catalog, memory_mb=memory_mb, launched=extra))
    if roster:
        # Loaded once here, not by each tab's game, so the codes made up for it are shown to the educator.
        from .classroom import RosterError, load_roster

        try:
            print("\n".join(load_roster(Path(roster), data)))
        except RosterError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2

    if not server.loopback_only and password is None:
        print(f"WARNING: serving on {host}: anyone who can reach port {port} on this machine's network can "
              "open the game with no class code. They can join as new learners (or, with a roster, try its "
              "codes), guess learners' secrets (slowed after 5 wrong tries), fill this machine's disk "
              "with journeys, and see the names learners type. Set a class code with --password (or the "
              f"{PASSWORD_ENV} environment variable), or keep the default 127.0.0.1 unless everyone on "
              "the network is trusted.", file=sys.stderr)
    if not server.loopback_only and not (public_url or "").startswith("https:"):
        print("NOTE: games and the class code travel unencrypted. On a shared network put a reverse proxy "
              "with TLS in front and pass --public-url (see docs/classroom.md).", file=sys.stderr)
    shown_host = "THIS-MACHINE'S-ADDRESS" if host in ("0.0.0.0", "::", "") else host
    address = server.public_url if public_url else f"http://{shown_host}:{port}"
    print(f"mmjourney classroom: open {address} in a browser (Ctrl+C stops the server).")
    print(f"  Up to {max_learners} learners at once; "
          + ("learners type the class code first." if password else "no class code."))
    print(f"  The class's journeys and records are kept in {visible(str(data))}")
    print(f"  Collect the class's results with: mmjourney report --classroom {shlex.quote(visible(str(data)))}")
    if server.lti is not None:
        print(f"  LTI 1.3: platforms register the tool with the values of docs/lms.md, at {address}:")
        print(f"    login {address}/lti/login   launch {address}/lti/launch   keys {address}/lti/jwks")
        for platform in server.lti.platforms:
            print(f"    {visible(platform.name)}: client id {visible(platform.client_id)} "
                  f"({visible(str(platform.path))})")
        if not (public_url or "").startswith("https:") and not server.loopback_only:
            print("NOTE: learning platforms open tools over https://: pass --public-url with the https:// address "
                  "of a reverse proxy in front of this server.", file=sys.stderr)
        server.lti.scorekeeper.start()
    relay = None
    if lrs is not None:
        from .records.lrs import Courier, Relay, insecure

        print(f"  Finished attempts are sent to the LRS at {visible(lrs.url)} (see: mmjourney sync --status).")
        if insecure(lrs):
            print("NOTE: the LRS address starts with http://: its password travels unencrypted.", file=sys.stderr)
        relay = Relay(Courier(lrs), data)
        relay.start()
    try:
        server.serve()
    finally:
        if relay is not None:
            relay.stop()
        if server.lti is not None:
            server.lti.scorekeeper.stop.set()
    return 0


@dataclass
class LoginLimiter:
    """At most `tries` failed class codes per client address per `window` seconds.

    The table is bounded: when it is full and nothing in it has expired, every login waits,
    which slows a guesser with many addresses at the price of a short wait for the class.
    """

    tries: int = 10
    window: float = 60.0
    addresses: int = 1024
    failures: dict[str, deque[float]] = field(default_factory=dict)

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self.failures.get(address, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def allowed(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if address not in self.failures and len(self.failures) >= self.addresses:
            for known in list(self.failures):
                if not self._recent(known, now):
                    del self.failures[known]
            if len(self.failures) >= self.addresses:
                return False
        return len(self._recent(address, now)) < self.tries

    def failed(self, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        times = self._recent(address, now)
        times.append(now)
        self.failures[address] = times


class ClassroomServer(Server):
    """textual-serve's server with the checks and limits a classroom needs (see the module docstring)."""

    def __init__(self, command: str, *, host: str = "127.0.0.1", port: int = 8000, public_url: str | None = None,
                 password: str | None = None, max_learners: int = MAX_LEARNERS) -> None:
        # Without --public-url the page's own URLs follow the address the browser used (see
        # handle_index), so textual-serve's guess from --host (useless for 0.0.0.0) is not used.
        self.origin = public_origin(public_url) if public_url else None
        super().__init__(command, host=host, port=port, title="mmjourney",
                         public_url=public_url.strip().rstrip("/") if public_url else None)
        self.loopback_only = is_loopback(host)
        self.password_digest = hashlib.sha256(password.encode()).digest() if password else None
        self.max_learners = max_learners
        self.learners = 0  # open game websockets
        self.cookie_key = secrets.token_bytes(32)  # new each run: a restart signs everyone out
        self.limiter = LoginLimiter()
        self.lti: LTITool | None = None  # serve --lti: the server is also an LTI 1.3 tool

    # --- who may connect ---------------------------------------------------------------------

    def page_origin(self, request: web.Request) -> str | None:
        """The origin this request's pages are served from, or None if its Host is not acceptable."""
        if self.origin is not None:
            return self.origin
        host = request.host
        if self.loopback_only and not _is_loopback_name(request.url.host or ""):
            return None
        return f"{request.scheme}://{host}".lower()

    def base_url(self, request: web.Request) -> str:
        return self.public_url if self.origin is not None else f"{request.scheme}://{request.host}"

    def signed_in(self, request: web.Request) -> bool:
        token = request.cookies.get(COOKIE, "")
        expires, _, signature = token[:100].partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(signature, self.sign(expires))

    def sign(self, text: str) -> str:
        return hmac.new(self.cookie_key, text.encode(), hashlib.sha256).hexdigest()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()

        @web.middleware
        async def guard(request: web.Request, handler):
            origin = self.page_origin(request)
            if origin is None:
                return _page(421, "Wrong address", "This classroom server answers only at 127.0.0.1 or localhost.")
            # A platform's login and launch come from the platform's pages (the launch is its form, posted
            # here), and its key set is fetched by anyone: they are checked by what they carry instead.
            from_platform = self.lti is not None and request.path in LTI_OPEN
            game = request.path == "/ws" or request.path.startswith("/ws/")
            if (game or request.method != "GET") and not from_platform:
                # Browsers send Origin with every websocket and form post; anything else is not our page.
                if request.headers.get("Origin", "").lower() != origin:
                    return _page(403, "Refused", "This page is not from the classroom server.")
            # A launched game's page and websocket carry the launch's token, checked by their handlers, in
            # place of the class code: the platform said who the learner is.
            # textual-serve's scripts and styles hold nothing of the class's, and a launched page needs them.
            launched = self.lti is not None and request.path.startswith(("/lti/", "/ws/", "/static/"))
            if (self.password_digest is not None and request.path != "/login" and not launched
                    and not self.signed_in(request)):
                if request.method == "GET" and request.path == "/":
                    raise web.HTTPSeeOther("/login")
                return _page(401, "Class code needed", "Open the classroom's address and type the class code.")
            return await handler(request)

        app.middlewares.append(guard)
        app.router.add_get("/login", self.handle_login_page)
        app.router.add_post("/login", self.handle_login)
        if self.lti is not None:
            app.router.add_route("*", "/lti/login", self.handle_lti_login)
            app.router.add_post("/lti/launch", self.handle_lti_launch)
            app.router.add_get("/lti/jwks", self.handle_lti_jwks)
            app.router.add_get("/lti/play/{token}", self.handle_lti_play)
            app.router.add_post("/lti/deep-link", self.handle_deep_link)
            app.router.add_get("/ws/{token}", self.handle_launched_websocket)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """serve() has already said where to connect; textual-serve's banner would only repeat it."""

    # --- pages -----------------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.Response:
        return self.game_page(request, "/ws")

    def game_page(self, request: web.Request, websocket_path: str) -> web.Response:
        if self.learners >= self.max_learners:
            return _page(503, "The class is full", f"This server has room for {self.max_learners} games at once, "
                         "and all are in use. Reload this page when someone has finished, or ask your educator.")
        base = self.base_url(request)
        scheme, rest = base.split(":", 1)
        context = {
            "font_size": _clamp(request.query.get("fontsize", "16"), 16, 8, 48),
            "app_websocket_url": f"{'wss' if scheme == 'https' else 'ws'}:{rest}{websocket_path}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_login_page(self, request: web.Request) -> web.Response:
        if self.password_digest is None or self.signed_in(request):
            raise web.HTTPSeeOther("/")
        return _login_page(200, "")

    async def handle_login(self, request: web.Request) -> web.Response:
        if self.password_digest is None:
            raise web.HTTPSeeOther("/")
        address = request.remote or "unknown"
        if not self.limiter.allowed(address):
            return _login_page(429, "Too many wrong tries. Wait a minute, then try again.")
        body = await request.content.read(MAX_FORM_BYTES + 1)
        if len(body) > MAX_FORM_BYTES:
            return _login_page(413, "That is far too long to be the class code.")
        given = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4).get("code", [""])[0]
        if not hmac.compare_digest(hashlib.sha256(given.encode()).digest(), self.password_digest):
            self.limiter.failed(address)
            return _login_page(401, "That is not the class code. Check it with your educator.")
        expires = str(int(time.time()) + SESSION_SECONDS)
        response = web.Response(status=303, headers={"Location": "/"})
        response.set_cookie(COOKIE, f"{expires}.{self.sign(expires)}", max_age=SESSION_SECONDS, path="/",
                            httponly=True, samesite="Lax", secure=self.base_url(request).startswith("https:"))
        return response

    # --- the game websocket ----------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        return await self.run_game(request, self.command)

    async def handle_launched_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The game of a platform's launch: the learner, story and mode the launch's token stands for."""
        assert self.lti is not None
        launch = await asyncio.to_thread(self.lti.store.launch, request.match_info["token"])
        command = self.lti.command(launch) if launch is not None else None
        if command is None:
            return await _closed(request, WSCloseCode.POLICY_VIOLATION,
                                 "This launch has expired. Open the activity again from the course.")
        return await self.run_game(request, command)

    async def run_game(self, request: web.Request, command: str) -> web.WebSocketResponse:
        """textual-serve's websocket handler, with the class's limits, for a game started by `command`."""
        if self.learners >= self.max_learners:
            return await _closed(request, WSCloseCode.TRY_AGAIN_LATER,
                                 f"The class is full ({self.max_learners} learners).")
        self.learners += 1
        try:
            width, height = clamp_size(request.query.get("width", "80"), request.query.get("height", "24"))
            websocket = web.WebSocketResponse(heartbeat=15)
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = AppService(command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                         close=websocket.close, download_manager=self.download_manager,
                                         debug=self.debug)
                await app_service.start(width, height)
                await self._process_messages(websocket, app_service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # as textual-serve does: one game's failure must not stop the server
                log.exception(error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket
        finally:
            self.learners -= 1

    # --- LTI 1.3 (serve --lti) -----------------------------------------------------------------

    async def handle_lti_login(self, request: web.Request) -> web.Response:
        """OIDC login initiation (LTI 1.3, 5.1.1): the platform names itself and the learner's hint; the tool
        sends the browser back to the platform's authorization URL with a state and a nonce kept here."""
        assert self.lti is not None
        fields = dict(request.query) if request.method == "GET" else await _form(request)
        if fields is None:
            return _page(413, "Launch refused", "The login request is far too large.")
        base = self.base_url(request)
        try:
            location = await asyncio.to_thread(self.lti.login, fields, base)
        except LaunchRefused as error:
            return _page(400, "This activity cannot start", str(error))
        raise web.HTTPFound(location)

    async def handle_lti_launch(self, request: web.Request) -> web.Response:
        assert self.lti is not None
        fields = await _form(request)
        if fields is None:
            return _page(413, "Launch refused", "The launch is far too large.")
        base = self.base_url(request)
        try:
            claims = await asyncio.to_thread(self.lti.verify, fields.get("id_token", ""), fields.get("state", ""))
            if claims.message_type == DEEP_LINKING:
                return _html_page(200, "Choose a story for this link", self.lti.picking_form(claims))
            token = await asyncio.to_thread(self.lti.launch, claims)
        except LaunchRefused as error:
            return _page(403, "This activity cannot start", str(error))
        raise web.HTTPSeeOther(f"{base}/lti/play/{token}")

    async def handle_lti_play(self, request: web.Request) -> web.Response:
        assert self.lti is not None
        if await asyncio.to_thread(self.lti.store.launch, request.match_info["token"]) is None:
            return _page(403, "This activity has expired", "Open it again from the course.")
        return self.game_page(request, f"/ws/{request.match_info['token']}")

    async def handle_lti_jwks(self, request: web.Request) -> web.Response:
        assert self.lti is not None
        return web.json_response(self.lti.jwks())

    async def handle_deep_link(self, request: web.Request) -> web.Response:
        assert self.lti is not None
        fields = await _form(request)
        if fields is None:
            return _page(413, "Refused", "The choice is far too large.")
        try:
            return_url, answer = self.lti.deep_link(fields, f"{self.base_url(request)}/lti/launch")
        except LaunchRefused as error:
            return _page(400, "The link cannot be made", str(error))
        form = (f'<form method="post" action="{html.escape(return_url)}" id="answer">'
                f'<input type="hidden" name="JWT" value="{html.escape(answer)}">'
                '<button type="submit">Add the link to the course</button></form>'
                "<script>document.getElementById('answer').submit()</script>")
        return _html_page(200, "Adding the link to the course", form)

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service) -> None:
        """textual-serve's message loop, with each message checked instead of trusted."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            # Every real message is a short envelope around one string or a size: anything more, such
            # as deep nesting (RecursionError in the parser), is dropped before it is parsed.
            if len(JSON_STRING.sub("", message.data)) > MAX_ENVELOPE_CHARS:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
            elif kind == "ping" and isinstance(data, str) and len(data) <= MAX_PING_CHARS:
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()


def _page(status: int, title: str, text: str) -> web.Response:
    return web.Response(status=status, content_type="text/html", text=_html(title, f"<p>{html.escape(text)}</p>"))


def _login_page(status: int, message: str) -> web.Response:
    form = (f"<p class=message>{html.escape(message)}</p>" if message else "") + (
        '<form method="post" action="/login">'
        '<label for="code">Class code</label> '
        '<input id="code" name="code" type="password" autocomplete="off" autofocus required maxlength="200"> '
        '<button type="submit">Start</button></form>'
        "<p>Your educator gives you the class code.</p>")
    return web.Response(status=status, content_type="text/html", text=_html("mmjourney classroom", form))


def _html(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            "<style>body{font:18px system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;"
            "background:#0c181f;color:#eee}input,button{font:inherit;padding:.3em}.message{color:#fc6}</style>"
            f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>")


class LTITool:
    """What `serve --lti` adds to the server: the registered platforms and their key sets, the stories a
    link may open (the catalog checked at start-up, by story id), the tool's store and the grade sender."""

    def __init__(self, platforms: list[Platform], data: Path, listings: list[Listing],
                 launched_command: Callable[[list[str]], str]) -> None:
        import jwt

        from .lti.grades import Scorekeeper
        from .lti.store import Store

        self.platforms = platforms
        self.data = data
        self.stories: dict[str, Listing] = {}
        for listing in listings:  # the first of an id, as the picker lists it
            self.stories.setdefault(listing.story_id, listing)
        self.store = Store(data / "server" / "lti.sqlite3")
        self.launched_command = launched_command
        # PyJWT's client keeps each platform's key set for 5 minutes, and fetches it again (at most every
        # 30 s) when a token names a key it does not hold: platforms rotate their keys.
        self.key_sets = {p.ident: jwt.PyJWKClient(p.jwks_url, lifespan=300, timeout=10) for p in platforms}
        self.scorekeeper = Scorekeeper(self.store, data, {p.ident: p for p in platforms})
        self.picking: dict[str, tuple[Claims, float]] = {}  # deep linking requests waiting for a choice

    def jwks(self) -> dict:
        keys = {p.key.kid: p.key.public_jwk() for p in self.platforms}
        return {"keys": list(keys.values())}

    def login(self, fields: dict[str, str], base: str) -> str:
        """Where to send the browser for a platform's login request (its authorization URL, with a new state
        and nonce kept for LOGIN_SECONDS); raises LaunchRefused."""
        issuer, hint, target = fields.get("iss"), fields.get("login_hint"), fields.get("target_link_uri")
        if not issuer or not hint or not target:
            raise LaunchRefused("The platform's login request lacks iss, login_hint or target_link_uri.")
        candidates = [p for p in self.platforms if p.issuer == issuer
                      and fields.get("client_id") in (None, "", p.client_id)]
        if not candidates:
            raise LaunchRefused(f"The platform {issuer!r} (client id {fields.get('client_id')!r}) is not registered "
                                "here. Its administrator must give a platform file to mmjourney serve --lti.")
        if len(candidates) > 1:
            raise LaunchRefused(f"Several registrations have the issuer {issuer!r}: the platform must send its "
                                "client_id with the login.")
        platform = candidates[0]
        ours, theirs = urlsplit(base), urlsplit(target)
        if (theirs.scheme, theirs.netloc) != (ours.scheme, ours.netloc):
            raise LaunchRefused(f"The link's target {target[:200]!r} is not this server ({base}): check the tool's "
                                "URLs in the platform.")
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.store.add_state(state, nonce, platform.ident, LOGIN_SECONDS)
        query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
                 "client_id": platform.client_id, "redirect_uri": f"{base}/lti/launch", "login_hint": hint,
                 "state": state, "nonce": nonce}
        if fields.get("lti_message_hint"):
            query["lti_message_hint"] = fields["lti_message_hint"]
        separator = "&" if urlsplit(platform.auth_login_url).query else "?"
        return platform.auth_login_url + separator + urlencode(query)

    def verify(self, token: str, state: str) -> Claims:
        from .lti.launch import verify

        return verify(token, state, self.platforms, self.store,
                      lambda platform, jwt_text: self.key_sets[platform.ident].get_signing_key_from_jwt(jwt_text).key)

    def launch(self, claims: Claims) -> str:
        """A resource link launch accepted: the learner's folder (found by the platform's id for them),
        the story and mode, kept under a new token for the game page; returns the token."""
        from .classroom import Registry
        from .lti.launch import clean_name, story_and_mode
        from .lti.store import Launch
        from .records.database import now_iso

        lineitem = claims.lineitem()
        story, mode = story_and_mode(claims, self.stories, graded=lineitem is not None)
        learner = Registry(self.data).platform_learner(claims.platform.issuer, claims.subject,
                                                       clean_name(claims.learner_name()))
        token = secrets.token_urlsafe(32)
        self.store.add_launch(token, Launch(claims.platform.ident, claims.subject, learner.id, story, mode,
                                            lineitem if mode == "assessment" else None, now_iso()), SESSION_SECONDS)
        return token

    def command(self, launch: Launch) -> str | None:
        """The game of a launch; None when its story is no longer offered (the server restarted without it)."""
        listing = self.stories.get(launch.story_id)
        if listing is None:
            return None
        return self.launched_command(["--learner", launch.learner_id, "--story", str(listing.path),
                                      "--mode", launch.mode])

    def picking_form(self, claims: Claims) -> str:
        """The instructor's choice of story and mode for a deep link, as HTML; the request waits here."""
        now = time.time()
        for key, (_, expires) in list(self.picking.items()):
            if expires < now:
                del self.picking[key]
        token = secrets.token_urlsafe(32)
        self.picking[token] = (claims, now + PICKING_SECONDS)
        stories = "".join(f'<option value="{html.escape(story_id)}">{html.escape(visible(listing.title))}</option>'
                          for story_id, listing in sorted(self.stories.items(), key=lambda item: item[1].title))
        return ('<form method="post" action="/lti/deep-link">'
                f'<input type="hidden" name="pick" value="{token}">'
                f'<p><label for="story">Story</label> <select id="story" name="story">{stories}</select></p>'
                '<p><label for="mode">Mode</label> <select id="mode" name="mode">'
                '<option value="assessment">assessment (graded: the score goes to the gradebook)</option>'
                '<option value="practice">practice (not graded)</option></select></p>'
                '<button type="submit">Add to the course</button></form>')

    def deep_link(self, fields: dict[str, str], launch_url: str) -> tuple[str, str]:
        """The platform's return URL and the signed link for the instructor's choice; raises LaunchRefused."""
        from .lti.deep_linking import response_token

        waiting = self.picking.pop(fields.get("pick", ""), None)
        if waiting is None or waiting[1] < time.time():
            raise LaunchRefused("This choice has expired. Add the activity again from the course.")
        claims = waiting[0]
        story, mode = fields.get("story", ""), fields.get("mode", "")
        if story not in self.stories or mode not in MODES:
            raise LaunchRefused("Choose one of the stories and modes offered.")
        return (claims.deep_linking_settings()["deep_link_return_url"],
                response_token(claims, launch_url, story, self.stories[story].title, mode))


async def _form(request: web.Request) -> dict[str, str] | None:
    """A posted form's fields (the first value of each); None when it is larger than any real one."""
    body = await request.content.read(MAX_LTI_FORM_BYTES + 1)
    if len(body) > MAX_LTI_FORM_BYTES:
        return None
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=40)
    return {key: values[0] for key, values in fields.items()}


async def _closed(request: web.Request, code: int, message: str) -> web.WebSocketResponse:
    websocket = web.WebSocketResponse()
    await websocket.prepare(request)
    await websocket.close(code=code, message=message.encode())
    return websocket


def _html_page(status: int, title: str, body_html: str) -> web.Response:
    return web.Response(status=status, content_type="text/html", text=_html(title, body_html))
