"""A class opening the classroom server at once: time to first frame, memory and CPU per learner tab.

    python benchmarks/bench_classroom.py [--tabs 10 20 30] [--stagger 0.3] [--quick]

Starts `mmjourney serve` on 127.0.0.1 with a temporary data folder and opens learner tabs without a
browser, the way textual-serve's page does (static/js/textual.js): GET the page and its script and
style, read the websocket address from the page, open it with the terminal size in the query and the
page's Origin, then send the size message and a ping. Each tab is a game process of its own.

Measured for each number of tabs N, all opened at once (and, with --stagger S, opened S seconds
apart): the time from a tab's first request to its first frame (the first terminal output of more
than 10 bytes, when the page's -first-byte class hides its loading screen) and to its first full
screen (the name prompt read in that output); the server's memory (RSS and PSS summed over the server
and its game processes, read from /proc) and CPU time per tab for the opening; then, every tab typing at
once, each step of a new learner's way into the tutorial and one decision (key to the screen it leads to,
CPU time per tab), the memory again with the story open, and the CPU an open tab uses while its learner
reads. The floor is one tab alone in the same run: ratio = median first frame at N / one tab's. The
sizing table is derived from these figures.

Bounded: every wait has a time-out, no round starts after --deadline (300 s) and none runs past --limit
(600 s), and the server is stopped at the end. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")
WEBSOCKET_URL = re.compile(r'data-session-websocket-url="([^"]+)"')
NAME_PROMPT = "Type your name or a pseudonym"  # the classroom game's first screen (tui/screens/learner.py)
NEXT_PROMPT = "choose a secret"  # the screen after a new learner's name
FIRST_BYTES = 10  # textual.js: a binary message longer than this shows the terminal
WIDTH, HEIGHT = 120, 36  # a laptop browser window at the default font
TAB_SECONDS = 180.0  # one tab's wait for a screen, however busy the machine
TICKS = os.sysconf("SC_CLK_TCK")
NO_SERVER = 3  # the exit status when `mmjourney serve` cannot start here (tests/web/test_bench_classroom.py skips)


class NoServer(RuntimeError):
    """`mmjourney serve` did not start: nothing was measured."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(data: Path, max_learners: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "MMJOURNEY_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "mmjourney", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--max-learners", str(max_learners)],
                              env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise NoServer(f"mmjourney serve exited at start-up:\n{server.stderr.read() if server.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, port
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise NoServer(f"mmjourney serve did not listen on 127.0.0.1:{port} within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the server's processes, from /proc ---------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and every process descended from it (the game processes textual-serve starts)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        tree += children
        frontier = children
    return tree


def cpu_seconds(root: int) -> float:
    """User and system CPU time of the tree, with that of its children that have ended and been waited for."""
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])  # utime stime cutime cstime
    return total / TICKS


def memory_mib(root: int) -> tuple[float, float]:
    """Resident memory (RSS) and proportional share (PSS, shared pages split between their users) of the tree,
    in MiB."""
    rss = pss = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def game_count(root: int) -> int:
    games = 0
    for pid in process_tree(root):
        try:
            if b"mmjourney.tui" in Path(f"/proc/{pid}/cmdline").read_bytes():
                games += 1
        except OSError:
            continue
    return games


# --- a learner's tab, as textual.js opens it ------------------------------------------------------------


@dataclass
class Tab:
    index: int
    received: bytearray = field(default_factory=bytearray)
    opened: float = 0.0  # perf_counter at the page request
    first_frame: float | None = None  # seconds from `opened`
    first_screen: float | None = None
    websocket: aiohttp.ClientWebSocketResponse | None = None
    reader: asyncio.Task | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    step_start: int = 0  # where in `received` the screen of the last key sent begins

    def text(self, start: int = 0) -> str:
        return " ".join(ANSI.sub(b" ", bytes(self.received[start:])).decode("utf-8", "ignore").split())

    async def wait_for(self, words: str, start: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        # Only the output's last 64 KiB is searched each time (it is searched at every message, and the words
        # are found in the frame that draws them), so that this client's own CPU time stays small.
        while words not in self.text(max(start, len(self.received) - 65536)):
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0 or self.reader is None or self.reader.done():
                raise TimeoutError(f"tab {self.index}: {words!r} not shown within {seconds:.0f} s")
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                continue


async def read(tab: Tab, websocket: aiohttp.ClientWebSocketResponse) -> None:
    async for message in websocket:
        if message.type == aiohttp.WSMsgType.BINARY:
            tab.received += message.data
            if tab.first_frame is None and len(message.data) > FIRST_BYTES:
                tab.first_frame = time.perf_counter() - tab.opened
            tab.changed.set()
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.ERROR):
            break
    tab.changed.set()


async def open_tab(session: aiohttp.ClientSession, base: str, tab: Tab, delay: float) -> Tab:
    await asyncio.sleep(delay)
    tab.opened = time.perf_counter()
    async with session.get(f"{base}/") as response:
        response.raise_for_status()
        page = await response.text()
    found = WEBSOCKET_URL.search(page)
    if found is None:
        raise RuntimeError("the classroom page names no websocket (data-session-websocket-url)")
    for asset in ("js/textual.js", "css/xterm.css"):  # what the browser fetches before its script runs
        async with session.get(f"{base}/static/{asset}") as response:
            await response.read()
    tab.websocket = await session.ws_connect(f"{found.group(1)}?width={WIDTH}&height={HEIGHT}", origin=base,
                                             max_msg_size=0)
    await tab.websocket.send_str(json.dumps(["resize", {"width": WIDTH, "height": HEIGHT}]))
    await tab.websocket.send_str(json.dumps(["ping", str(int(time.time() * 1000))]))
    tab.reader = asyncio.create_task(read(tab, tab.websocket))
    await tab.wait_for(NAME_PROMPT, 0, TAB_SECONDS)
    tab.first_screen = time.perf_counter() - tab.opened
    return tab


SECRET = "tea and cake"
# A new learner's way from the name prompt into the tutorial's first scene, as tests/web/test_serve_two_learners.py
# plays it in a browser, then one page and one decision: the step, what is typed, and the words on the screen it
# leads to. The second typing of the secret waits for the second box ("T he same...": the cursor sits on its
# placeholder's first letter). The decision's key is the number its option has on that tab's screen (options are
# shuffled). Every step up to the story's first scene happens once when a class arrives; the last two are playing.
PLAY = (("name", "{name}\r", "choose a secret"), ("secret", SECRET + "\r", "he same secret again"),
        ("secret again", SECRET + "\r", "Playing as"), ("picker", "p", "Tutorial: first shift"),
        ("open story", "\r", "Welcome to your first shift"), ("next page", "\r", "Ask about thirst"),
        ("decide", "{thirst}", "What happened"))
PLAYING = ("next page", "decide")
THIRST = re.compile(r"(\d+)\. Ask about thirst")


@dataclass
class Round:
    tabs: int
    stagger: float
    first_frames: list[float]
    first_screens: list[float]
    open_cpu_per_tab: float  # CPU seconds
    rss_per_tab: float  # MiB, at the name prompt
    pss_per_tab: float
    changes: dict[str, list[float]]  # every tab typing at once: key to the screen it leads to, by step of PLAY
    change_cpu_per_tab: dict[str, float]  # CPU seconds per tab, by step
    playing_rss_per_tab: float  # MiB, with the tutorial's first scene open
    playing_pss_per_tab: float
    reading_cpu_share: float  # of one core, per open tab, while nobody types


async def class_round(server: subprocess.Popen, base: str, number: int, count: int, stagger: float,
                      settle: float) -> Round:
    """`count` tabs opened at once (or `stagger` s apart), taken into the tutorial together, measured, closed."""
    root = server.pid
    before_rss, before_pss = memory_mib(root)
    before_cpu = cpu_seconds(root)
    timeout = aiohttp.ClientTimeout(total=None, connect=30, sock_read=None)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        tabs = [Tab(index) for index in range(count)]
        try:
            await asyncio.gather(*(open_tab(session, base, tab, index * stagger) for index, tab in enumerate(tabs)))
            open_cpu = cpu_seconds(root) - before_cpu
            await asyncio.sleep(settle)  # the first screens' last frames and the collector's work
            rss, pss = memory_mib(root)

            async def step(tab: Tab, keys: str, shown: str) -> float:
                assert tab.websocket is not None
                options = THIRST.findall(tab.text(tab.step_start)) if "{thirst}" in keys else ["?"]
                if not options:
                    raise RuntimeError(f"tab {tab.index}: the option 'Ask about thirst' has no number on screen")
                keys = keys.format(name=f"Learner r{number} t{tab.index}", thirst=options[-1])
                start = tab.step_start = len(tab.received)
                sent = time.perf_counter()
                await tab.websocket.send_str(json.dumps(["stdin", keys]))
                await tab.wait_for(shown, start, TAB_SECONDS)
                return time.perf_counter() - sent

            changes: dict[str, list[float]] = {}
            change_cpu: dict[str, float] = {}
            for name, keys, shown in PLAY:
                cpu = cpu_seconds(root)
                changes[name] = await asyncio.gather(*(step(tab, keys, shown) for tab in tabs))
                change_cpu[name] = (cpu_seconds(root) - cpu) / count
            await asyncio.sleep(settle)
            playing_rss, playing_pss = memory_mib(root)
            cpu = cpu_seconds(root)
            await asyncio.sleep(settle)
            reading = (cpu_seconds(root) - cpu) / settle / count
        finally:
            for tab in tabs:
                if tab.websocket is not None:
                    await tab.websocket.close()
                if tab.reader is not None:
                    await asyncio.wait([tab.reader], timeout=10)
    deadline = time.monotonic() + 30  # textual-serve stops each tab's game when its websocket closes
    while game_count(root) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return Round(count, stagger, [t.first_frame or 0.0 for t in tabs], [t.first_screen or 0.0 for t in tabs],
                 open_cpu / count, (rss - before_rss) / count, (pss - before_pss) / count, changes, change_cpu,
                 (playing_rss - before_rss) / count, (playing_pss - before_pss) / count, reading)


# --- the report ---------------------------------------------------------------------------------------


def machine(load_before: str) -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown processor")
    total = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                 if line.startswith("MemTotal:"))
    return (f"{model}, {os.cpu_count()} cores, {total / 1024 ** 2:.0f} GiB, Linux {os.uname().release}; "
            f"load average (1, 5, 15 min) before {load_before}, after {load_average()}: work other than this "
            "benchmark's slows its wall times, less its CPU times")


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.0f} ms"


def report(alone: list[Round], rounds: list[Round], server_mib: tuple[float, float], load_before: str,
           target: float, pace: float) -> None:
    floor = statistics.median(r.first_frames[0] for r in alone)
    floor_screen = statistics.median(r.first_screens[0] for r in alone)
    print(f"Measured on this machine: {machine(load_before)}")
    print(f"  the server alone (no tab open): RSS {server_mib[0]:.0f} MiB, PSS {server_mib[1]:.0f} MiB; this "
          f"benchmark's own client used {time.process_time():.1f} CPU-s in all")
    print(f"  floor, one tab alone (median of {len(alone)}): first frame {ms(floor)}, "
          f"first screen {ms(floor_screen)}")
    print()
    print("  Opening: every tab requests the page, then its game starts; 'first frame' is the first terminal output,")
    print("  'first screen' the name prompt drawn; ratio = median first frame / one tab alone's.")
    print("  tabs  start      first frame: median    worst  ratio | first screen: median    worst |  CPU per tab")
    for r in alone[:1] + rounds:
        print(f"  {r.tabs:4}  {start_label(r.tabs, r.stagger):10} {ms(statistics.median(r.first_frames)):>20} "
              f"{ms(max(r.first_frames))} {statistics.median(r.first_frames) / floor:5.1f} | "
              f"{ms(statistics.median(r.first_screens)):>20} {ms(max(r.first_screens))} | "
              f"{r.open_cpu_per_tab:9.2f} s")
    print()
    print(f"  Signing in and playing: every tab at once takes each step ({', '.join(name for name, _, _ in PLAY)});")
    print("  per step: key to the screen it leads to, median / worst, and the CPU time per tab.")
    print("  tabs  start      " + "".join(f"{name:>24}" for name, _, _ in PLAY))
    for r in alone[:1] + rounds:
        print(f"  {r.tabs:4}  {start_label(r.tabs, r.stagger):10} " + "".join(
            f"{statistics.median(r.changes[name]) * 1000:6.0f} /{max(r.changes[name]) * 1000:6.0f} ms "
            f"{r.change_cpu_per_tab[name] * 1000:4.0f} ms" for name, _, _ in PLAY))
    print()
    print("  Memory per tab (server and its games, less the idle server), and the CPU of an open tab while its")
    print("  learner reads (nobody types).")
    print("  tabs  start       RSS / PSS at the name prompt   RSS / PSS in the tutorial   CPU while reading")
    for r in alone[:1] + rounds:
        print(f"  {r.tabs:4}  {start_label(r.tabs, r.stagger):10} {r.rss_per_tab:9.0f} / {r.pss_per_tab:3.0f} MiB"
              f"{r.playing_rss_per_tab:22.0f} / {r.playing_pss_per_tab:3.0f} MiB"
              f"{r.reading_cpu_share * 100:14.2f} % of a core")
    at_once = [r for r in rounds if r.stagger == 0] or alone
    pss = statistics.median(r.playing_pss_per_tab for r in at_once)
    rss = statistics.median(r.playing_rss_per_tab for r in at_once)
    arriving = [name for name, _, _ in PLAY if name not in PLAYING]
    open_cpu = statistics.median(r.open_cpu_per_tab + sum(r.change_cpu_per_tab[name] for name in arriving)
                                 for r in at_once)
    change_cpu = statistics.median(r.change_cpu_per_tab[name] for r in at_once for name in PLAYING)
    reading = statistics.median(r.reading_cpu_share for r in at_once)
    playing_share = reading + change_cpu / pace
    print()
    print(f"Sizing, derived from the figures above (medians over the at-once rounds), measured on this machine "
          f"({os.cpu_count()} cores shared with other work while it ran, so CPU figures are upper bounds):")
    print(f"  per GiB of memory, tutorial open: {1024 / pss:4.0f} learners by PSS ({pss:.0f} MiB a tab), "
          f"{1024 / rss:4.0f} by RSS ({rss:.0f} MiB a tab, shared pages counted in every tab)")
    print(f"  per core, a class arriving at once, every learner in a story within {target:g} s: "
          f"{target / open_cpu:4.0f} learners ({open_cpu:.2f} CPU-s from opening a tab to a story's first scene)")
    print(f"  per core, playing (a page or a decision every {pace:g} s a learner, {change_cpu * 1000:.0f} ms CPU "
          f"each, {reading * 100:.2f} % of a core while reading): {1 / playing_share:4.0f} learners")


def start_label(tabs: int, stagger: float) -> str:
    return "alone" if tabs == 1 else ("at once" if stagger == 0 else f"{stagger:g} s apart")


async def run(args: argparse.Namespace) -> None:
    started, load_before = time.monotonic(), load_average()
    with tempfile.TemporaryDirectory(prefix="mmjourney-bench-classroom-") as data:
        server, port = start_server(Path(data) / "class", max(args.tabs) + 1)
        base = f"http://127.0.0.1:{port}"
        try:
            await asyncio.sleep(1)
            rss, pss = memory_mib(server.pid)
            alone: list[Round] = []
            rounds: list[Round] = []
            starts = (0, args.stagger) if args.stagger else (0,)
            plan = [(1, 0.0)] * args.alone + [(count, stagger) for count in args.tabs for stagger in starts]
            for count, stagger in plan:
                elapsed = time.monotonic() - started
                if elapsed > args.deadline:
                    print(f"(the deadline of {args.deadline:g} s was reached: {count} tabs "
                          f"{start_label(count, stagger)} and the rounds after it were not run)")
                    break
                try:
                    measured = await asyncio.wait_for(
                        class_round(server, base, len(alone) + len(rounds), count, stagger, args.settle),
                        args.limit - elapsed)
                except TimeoutError:
                    print(f"(the limit of {args.limit:g} s was reached during {count} tabs "
                          f"{start_label(count, stagger)}: that round and the rounds after it are left out)")
                    break
                (alone if count == 1 and len(alone) < args.alone else rounds).append(measured)
        finally:
            stop_server(server)
    if not alone:
        raise SystemExit("bench_classroom: not even one tab alone was measured within the limit")
    report(alone, rounds, (rss, pss), load_before, args.target, args.pace)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, nargs="+", default=[10, 20, 30], help="numbers of tabs opened at once")
    parser.add_argument("--stagger", type=float, default=0.3,
                        help="also open each N with tabs this many seconds apart (0: at once only)")
    parser.add_argument("--alone", type=int, default=3, help="rounds of one tab alone (the floor)")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait after opening, and to read")
    parser.add_argument("--deadline", type=float, default=300.0, help="start no round after this many seconds")
    parser.add_argument("--limit", type=float, default=600.0,
                        help="stop the round under way after this many seconds, and report the rounds done")
    parser.add_argument("--target", type=float, default=10.0, help="sizing: first screen within this many seconds")
    parser.add_argument("--pace", type=float, default=10.0, help="sizing: seconds between a learner's screen changes")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 and 5 tabs, no staggered rounds")
    args = parser.parse_args()
    if args.quick:
        if args.tabs == parser.get_default("tabs"):
            args.tabs = [2, 5]
        args.stagger, args.alone, args.settle = 0.0, 1, 1.0
    if min(args.tabs) < 1 or args.alone < 1 or min(args.settle, args.pace, args.target, args.limit) <= 0:
        parser.error("--tabs, --alone, --settle, --target, --pace and --limit must be positive")
    try:
        asyncio.run(run(args))
    except NoServer as error:
        print(f"bench_classroom: {error}", file=sys.stderr)
        sys.exit(NO_SERVER)


if __name__ == "__main__":
    main()
