"""The classroom server's checks and limits, through aiohttp's test client (no browser).

The game each websocket starts is replaced by a tiny stand-in that reports the terminal size it
was given and echoes what it receives, so the checks are tested without starting Textual.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from mmjourney.serve import (
    COOKIE,
    MAX_HEIGHT,
    MAX_WIDTH,
    ClassroomServer,
    LoginLimiter,
    clamp_size,
    game_command,
    public_origin,
)

FAKE_GAME = r"""
import json, os, sys
out, stdin = sys.stdout.buffer, sys.stdin.buffer
def send(text):
    data = text.encode()
    out.write(b"D" + len(data).to_bytes(4, "big") + data)
    out.flush()
out.write(b"__GANGLION__\n")
send(f"size {os.environ['COLUMNS']}x{os.environ['ROWS']};")
while kind := stdin.read(1):
    payload = stdin.read(int.from_bytes(stdin.read(4), "big"))
    if kind == b"M" and json.loads(payload)["type"] == "quit":
        break
    send(("meta " if kind == b"M" else "stdin ") + payload.decode() + ";")
"""


@pytest.fixture
def fake_game(tmp_path):
    script = tmp_path / "fake_game.py"
    script.write_text(FAKE_GAME)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


async def client_for(server: ClassroomServer) -> TestClient:
    client = TestClient(TestServer(await server._make_app(), host="127.0.0.1"))
    await client.start_server()
    return client


async def closed(client: TestClient, server: ClassroomServer) -> None:
    """Close the client once every game the server started has ended (none outlives the test's loop)."""
    async with asyncio.timeout(10):
        while server.learners:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # textual-serve does not wait for a game to exit; the stand-in exits at once
    await client.close()


def own_origin(client: TestClient) -> str:
    return f"http://127.0.0.1:{client.port}"


async def received(websocket, until: str, seconds: float = 10) -> str:
    """What the game sent until `until` appears (the stand-in ends each report with ';')."""
    text = ""
    async with asyncio.timeout(seconds):
        while until not in text:
            message = await websocket.receive()
            assert message.type == aiohttp.WSMsgType.BINARY, message
            text += message.data.decode()
    return text


# --- pure helpers ---------------------------------------------------------------------------------

def test_public_origin_is_what_a_browser_sends():
    assert public_origin("https://Class.Example.org/mmjourney/") == "https://class.example.org"
    assert public_origin("https://class.example.org:443") == "https://class.example.org"
    assert public_origin("http://10.0.0.5:8000") == "http://10.0.0.5:8000"
    assert public_origin("http://[::1]:8000/") == "http://[::1]:8000"
    for bad in ("class.example.org", "ftp://class.example.org", "https://", "http://host:port"):
        with pytest.raises(ValueError):
            public_origin(bad)


def test_terminal_sizes_are_clamped():
    assert clamp_size("20000", "20000") == (MAX_WIDTH, MAX_HEIGHT)
    assert clamp_size("-5", "0") == (10, 4)
    assert clamp_size("120", "40") == (120, 40)
    assert clamp_size(150, 50) == (150, 50)
    # Anything that is not a plain whole number gets the default size, without converting huge text.
    assert clamp_size("9" * 5000, "x") == (80, 24)
    assert clamp_size(True, 3.5) == (80, 24)
    assert clamp_size(None, [1]) == (80, 24)


def test_the_login_limiter_forgets_old_failures_and_stays_small():
    limiter = LoginLimiter(tries=3, window=60, addresses=2)
    for second in range(3):
        assert limiter.allowed("a", now=second)
        limiter.failed("a", now=second)
    assert not limiter.allowed("a", now=10)
    assert limiter.allowed("a", now=61)  # the first failure has expired
    limiter.failed("a", now=61)
    limiter.failed("b", now=61)
    assert not limiter.allowed("c", now=62)  # the table is full of recent failures: everyone waits
    assert limiter.allowed("c", now=200)  # expired entries make room
    assert len(limiter.failures) <= 2


def test_the_game_command_carries_the_limits(tmp_path):
    command = shlex.split(game_command(None, data_dir=tmp_path, catalog=tmp_path / "c.json", memory_mb=512))
    assert command[1:] == ["-m", "mmjourney.tui", "--classroom", "--memory-mb", "512", "--data-dir", str(tmp_path),
                           "--catalog", str(tmp_path / "c.json")]


# --- origin and host ------------------------------------------------------------------------------

async def test_websockets_from_other_origins_are_refused(fake_game):
    server = ClassroomServer(fake_game)
    client = await client_for(server)
    try:
        for headers in ({}, {"Origin": "http://evil.example"}, {"Origin": "http://127.0.0.2:%d" % client.port},
                        {"Origin": "null"}):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect("/ws", headers=headers)
            assert refused.value.status == 403
        websocket = await client.ws_connect("/ws?width=100&height=30", headers={"Origin": own_origin(client)})
        assert "size 100x30;" in await received(websocket, ";")
        await websocket.close()
    finally:
        await closed(client, server)


async def test_a_loopback_server_answers_only_to_loopback_names(fake_game):
    server = ClassroomServer(fake_game)
    client = await client_for(server)
    try:
        # A site whose name now points at 127.0.0.1 (DNS rebinding) would send its own name as Host.
        response = await client.get("/", headers={"Host": f"evil.example:{client.port}"})
        assert response.status == 421
        for host in ("localhost", "127.0.0.1", "[::1]"):
            response = await client.get("/", headers={"Host": f"{host}:{client.port}"})
            assert response.status == 200
            assert f'data-session-websocket-url="ws://{host}:{client.port}/ws"' in await response.text()
    finally:
        await closed(client, server)


async def test_behind_a_proxy_only_the_public_url_may_connect(fake_game):
    server = ClassroomServer(fake_game, host="127.0.0.1", public_url="https://class.example.org/")
    client = await client_for(server)
    try:
        page = await (await client.get("/", headers={"Host": "class.example.org"})).text()
        assert 'data-session-websocket-url="wss://class.example.org/ws"' in page
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await client.ws_connect("/ws", headers={"Origin": own_origin(client)})
        websocket = await client.ws_connect("/ws", headers={"Origin": "https://class.example.org"})
        assert "size 80x24;" in await received(websocket, ";")
        await websocket.close()
    finally:
        await closed(client, server)


# --- limits ---------------------------------------------------------------------------------------

async def test_terminal_size_is_clamped_at_start_and_on_resize(fake_game):
    server = ClassroomServer(fake_game)
    client = await client_for(server)
    try:
        websocket = await client.ws_connect("/ws?width=20000&height=20000", headers={"Origin": own_origin(client)})
        assert f"size {MAX_WIDTH}x{MAX_HEIGHT};" in await received(websocket, ";")
        # Malformed messages are ignored (not crashes), and the connection keeps working.
        for junk in ("[" * 100_000, '["stdin", ' + "[" * 5000 + "]", "{}", "[]", '["stdin", 5]', '["resize", "big"]',
                     '["ping", "' + "x" * 500 + '"]'):
            await websocket.send_str(junk)
        await websocket.send_str(json.dumps(["resize", {"width": 99999, "height": "50"}]))
        resized = await received(websocket, ";")
        assert json.loads(resized.removeprefix("meta ").rstrip(";")) == {"type": "resize", "width": MAX_WIDTH,
                                                                          "height": 50}
        await websocket.send_str(json.dumps(["stdin", "a\ud800b"]))
        assert "stdin a?b;" in await received(websocket, ";")
        await websocket.close()
    finally:
        await closed(client, server)


async def test_over_the_learner_limit_the_class_is_full(fake_game):
    server = ClassroomServer(fake_game, max_learners=1)
    client = await client_for(server)
    origin = {"Origin": own_origin(client)}
    try:
        first = await client.ws_connect("/ws", headers=origin)
        await received(first, ";")
        page = await client.get("/")
        assert page.status == 503 and "The class is full" in await page.text()
        second = await client.ws_connect("/ws", headers=origin)
        ending = await second.receive()
        assert ending.type == aiohttp.WSMsgType.CLOSE and ending.data == aiohttp.WSCloseCode.TRY_AGAIN_LATER
        assert "full" in ending.extra
        await first.close()
        async with asyncio.timeout(10):
            while server.learners:
                await asyncio.sleep(0.05)
        assert (await client.get("/")).status == 200
    finally:
        await closed(client, server)


# --- the class code -------------------------------------------------------------------------------

async def test_the_class_code_is_asked_before_anything_else(fake_game):
    server = ClassroomServer(fake_game, password="blue heron 42")
    client = await client_for(server)
    origin = {"Origin": own_origin(client)}
    try:
        response = await client.get("/", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/login"
        assert 'name="code"' in await (await client.get("/login")).text()
        for path in ("/ws", "/download/anything", "/static/js/textual.js"):
            assert (await client.get(path, headers=origin)).status == 401
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await client.ws_connect("/ws", headers=origin)

        wrong = await client.post("/login", data={"code": "blue heron 41"}, headers=origin, allow_redirects=False)
        assert wrong.status == 401 and "not the class code" in await wrong.text()
        foreign = await client.post("/login", data={"code": "blue heron 42"},
                                    headers={"Origin": "http://evil.example"}, allow_redirects=False)
        assert foreign.status == 403
        huge = await client.post("/login", data={"code": "x" * 10_000}, headers=origin, allow_redirects=False)
        assert huge.status == 413
        assert COOKIE not in client.session.cookie_jar.filter_cookies(client.make_url("/"))

        right = await client.post("/login", data={"code": "blue heron 42"}, headers=origin, allow_redirects=False)
        assert right.status == 303 and right.headers["Location"] == "/"
        cookie = right.cookies[COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
        assert (await client.get("/")).status == 200
        websocket = await client.ws_connect("/ws", headers=origin)
        assert "size 80x24;" in await received(websocket, ";")
        await websocket.close()

        # A forged or altered cookie is refused.
        expires, _, signature = cookie.value.partition(".")
        client.session.cookie_jar.clear()
        client.session.cookie_jar.update_cookies({COOKIE: f"{int(expires) + 3600}.{signature}"}, client.make_url("/"))
        assert (await client.get("/", allow_redirects=False)).status == 303
    finally:
        await closed(client, server)


async def test_wrong_class_codes_are_rate_limited(fake_game):
    server = ClassroomServer(fake_game, password="blue heron 42")
    client = await client_for(server)
    origin = {"Origin": own_origin(client)}
    try:
        statuses = [(await client.post("/login", data={"code": f"guess {n}"}, headers=origin)).status
                    for n in range(10)]
        assert statuses == [401] * 10
        blocked = await client.post("/login", data={"code": "blue heron 42"}, headers=origin, allow_redirects=False)
        assert blocked.status == 429 and "Wait a minute" in await blocked.text()
    finally:
        await closed(client, server)
