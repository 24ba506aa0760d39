"""docs/deployment.md: its commands are ones mmjourney accepts, and its nginx configuration does what the page says
(a browser's tabs stay on one classroom server, the websocket gets through) when nginx is installed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from mmjourney.cli import build_parser

from ..conftest import REPO
from .test_serve_browser import free_port, wait_for_port

DOC = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


def test_the_serve_commands_are_ones_mmjourney_accepts():
    commands = [line for block in blocks("sh") for line in block.replace("\\\n", " ").splitlines()
                if "mmjourney serve" in line]
    assert commands
    for line in commands:
        words = shlex.split(line.split("#")[0])
        words = words[next(i for i, word in enumerate(words) if word == "mmjourney") + 1:]
        args = build_parser().parse_args(words)
        assert args.public_url == "https://class.example.org" and args.lrs.startswith("https://")


def test_the_sizing_section_has_measured_figures():
    section = DOC[DOC.index("## How many learners a server holds"):DOC.index("## Routing")]
    assert "SIZING" not in section  # the placeholder was replaced by a run's figures
    assert re.search(r"Measured on .*\d+ cores", section)
    assert re.search(r"\| *\d+ *\|", section)  # a table of numbers


NGINX = shutil.which("nginx")


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx): the configuration of "
                                         "docs/deployment.md is checked only where it can run")
def test_the_nginx_configuration_keeps_a_browser_on_one_server(tmp_path):
    import asyncio

    import aiohttp

    proxy = free_port()
    servers: list[tuple[int, subprocess.Popen]] = []
    for name in ("one", "two"):
        port = free_port()
        env = {**os.environ, "MMJOURNEY_DATA_DIR": str(tmp_path / name), "PYTHONPATH": str(REPO)}
        servers.append((port, subprocess.Popen(
            [sys.executable, "-m", "mmjourney", "serve", "--port", str(port),
             "--public-url", f"https://localhost:{proxy}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
    nginx = None
    try:
        for port, process in servers:
            wait_for_port(port, process)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=localhost", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                       check=True, capture_output=True)
        [config] = blocks("nginx")
        config = config.split("server {\n    listen 80;")[0]  # the redirect from port 80 needs root's port
        config = re.sub(r"(    server class\d\.internal:8000.*\n)+",
                        "".join(f"    server 127.0.0.1:{port} max_fails=2 fail_timeout=30s;\n"
                                for port, _ in servers), config)
        config = (config.replace("listen 443 ssl;", f"listen 127.0.0.1:{proxy} ssl;")
                  .replace("server_name class.example.org;", "server_name localhost;")
                  .replace("/etc/ssl/class.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
                  .replace("/etc/ssl/class.example.org/privkey.pem", str(tmp_path / "key.pem")))
        assert "internal" not in config and "class.example.org" not in config
        temp = tmp_path / "nginx-temp"
        temp.mkdir()
        (tmp_path / "nginx.conf").write_text(
            f"daemon off;\npid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
            "events {}\nhttp {\n"
            f"    access_log off;\n    client_body_temp_path {temp}/body;\n    proxy_temp_path {temp}/proxy;\n"
            f"    fastcgi_temp_path {temp}/fastcgi;\n    uwsgi_temp_path {temp}/uwsgi;\n"
            f"    scgi_temp_path {temp}/scgi;\n{config}}}\n")
        check = subprocess.run([NGINX, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        nginx = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_for_port(proxy, nginx)
        base = f"https://localhost:{proxy}"
        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE

        # Each new browser gets an id of its own, and keeps it.
        def route(jar: CookieJar) -> str:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                                 urllib.request.HTTPSHandler(context=insecure))
            with opener.open(base + "/", timeout=30) as response:
                assert response.status == 200 and b"data-session-websocket-url" in response.read()
            return next(cookie.value for cookie in jar if cookie.name == "mmjourney_server")

        jars = [CookieJar() for _ in range(6)]
        ids = [route(jar) for jar in jars]
        assert len(set(ids)) == len(ids) and [route(jar) for jar in jars] == ids

        def games() -> list[int]:
            """How many games each classroom server runs (its child processes)."""
            return [len(Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split())
                    for _, process in servers]

        async def tab(session: aiohttp.ClientSession) -> aiohttp.ClientWebSocketResponse:
            """A browser's tab through the proxy: its page, then its websocket, until the game's first screen."""
            async with session.get(base + "/", ssl=insecure) as page:
                url = re.search(r'data-session-websocket-url="([^"]+)"', await page.text())[1]
            assert url == f"wss://localhost:{proxy}/ws"
            websocket = await session.ws_connect(url + "?width=80&height=24", origin=base, ssl=insecure)
            received, deadline = b"", time.monotonic() + 60
            while b"pseudonym" not in received:
                assert time.monotonic() < deadline, received[-500:]
                message = await websocket.receive(timeout=60)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                received += message.data
            return websocket

        async def tabs_of(browser_id: str) -> list[int]:
            """Four tabs of one browser (its cookie), all open, with other browsers' requests between them:
            where their games run. (Without the routing, nginx's round robin would spread them.)"""
            async with aiohttp.ClientSession(cookies={"mmjourney_server": browser_id}) as session:
                tabs = [await tab(session)]
                for _ in range(3):
                    async with aiohttp.ClientSession() as other, other.get(base + "/", ssl=insecure) as page:
                        assert page.status == 200
                    tabs.append(await tab(session))
                running = games()
                for websocket in tabs:
                    await websocket.close()
            deadline = time.monotonic() + 30
            while sum(games()) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            return running

        for browser_id in ids[:3]:
            assert sorted(asyncio.run(tabs_of(browser_id))) == [0, 4]  # all on one server
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=15)
        for _, process in servers:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
