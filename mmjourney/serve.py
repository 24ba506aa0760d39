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

import hashlib
import hmac
import html
import ipaddress
import json
import re
import secrets
import shlex
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server

from .story.text_safety import visible

if TYPE_CHECKING:
    from .records.lrs import LRS

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
                 catalog: Path | None = None, memory_mb: int = MEMORY_MB) -> str:
    """The command textual-serve starts for each browser tab."""
    parts = [sys.executable, "-m", "mmjourney.tui", "--classroom", "--memory-mb", str(memory_mb)]
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
          memory_mb: int = MEMORY_MB, lrs: LRS | None = None) -> int:
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
            if request.path == "/ws" or request.method != "GET":
                # Browsers send Origin with every websocket and form post; anything else is not our page.
                if request.headers.get("Origin", "").lower() != origin:
                    return _page(403, "Refused", "This page is not from the classroom server.")
            if self.password_digest is not None and request.path != "/login" and not self.signed_in(request):
                if request.method == "GET" and request.path == "/":
                    raise web.HTTPSeeOther("/login")
                return _page(401, "Class code needed", "Open the classroom's address and type the class code.")
            return await handler(request)

        app.middlewares.append(guard)
        app.router.add_get("/login", self.handle_login_page)
        app.router.add_post("/login", self.handle_login)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """serve() has already said where to connect; textual-serve's banner would only repeat it."""

    # --- pages -----------------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.Response:
        if self.learners >= self.max_learners:
            return _page(503, "The class is full", f"This server has room for {self.max_learners} games at once, "
                         "and all are in use. Reload this page when someone has finished, or ask your educator.")
        base = self.base_url(request)
        scheme, rest = base.split(":", 1)
        context = {
            "font_size": _clamp(request.query.get("fontsize", "16"), 16, 8, 48),
            "app_websocket_url": f"{'wss' if scheme == 'https' else 'ws'}:{rest}/ws",
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
        if self.learners >= self.max_learners:
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER,
                                  message=f"The class is full ({self.max_learners} learners).".encode())
            return websocket
        self.learners += 1
        try:
            width, height = clamp_size(request.query.get("width", "80"), request.query.get("height", "24"))
            clamped = request.clone(rel_url=request.rel_url.update_query(width=width, height=height))
            return await super().handle_websocket(clamped)
        finally:
            self.learners -= 1

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
