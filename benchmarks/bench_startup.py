"""Start-up time and memory of the game against a bare Textual app, and key-press latency.

    python benchmarks/bench_startup.py [--runs 7]

Each run starts a fresh Python process that imports the app the way the `mmjourney`
command does, shows its first screen headless, and exits right after the first paint,
printing its time since the parent launched it and its peak memory (ru_maxrss). The floor
is a minimal Textual app with one Static, measured alternately in the same run.
Targets: time ratio <= 1.2, memory ratio <= 1.5; key press to the frame that shows its result,
median under 50 ms for each kind of key (navigate, decide, dismiss feedback) over a whole played
tutorial, printed beside a bare Textual app's figure measured in the same run. Also printed, not
targets: when the screen stopped changing (Textual lays out again when a scroll area's size changes)
and the CPU time until the app is idle.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD_PRELUDE = """
import json, resource, sys, time
launched = float(sys.argv[1])
"""

BARE = CHILD_PRELUDE + """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        self.result = time.time() - launched
        self.cpu = time.process_time()
        self.exit()

app = Bare()
app.run(headless=True, size=(100, 30))
print(json.dumps({"seconds": app.result, "cpu": app.cpu, "kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

OURS = CHILD_PRELUDE + """
import mmjourney.cli  # what the console script imports first
from mmjourney.tui.app import MMJourneyApp

class Timed(MMJourneyApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.done)  # after the title screen's first refresh
    def done(self):
        self.result = time.time() - launched
        self.cpu = time.process_time()
        self.exit()

app = Timed()
app.run(headless=True, size=(100, 30))
print(json.dumps({"seconds": app.result, "cpu": app.cpu, "kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def launch(code: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", code, repr(time.time())], capture_output=True, text=True,
                         env=env, cwd=REPO, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup(runs: int) -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "MMJOURNEY_DATA_DIR": data, "PYTHONPATH": str(REPO)}
        # As installed: pip compiles a package's bytecode, as Textual's is. Where the environment forbids
        # writing bytecode, every run of ours compiled its modules from source and bare Textual's did not.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        launch(BARE, env), launch(OURS, env)  # warm the file cache and bytecode for both
        bare, ours = [], []
        for _ in range(runs):
            bare.append(launch(BARE, env))
            ours.append(launch(OURS, env))
    bare_s = statistics.median(r["seconds"] for r in bare)
    ours_s = statistics.median(r["seconds"] for r in ours)
    bare_c = statistics.median(r["cpu"] for r in bare)
    ours_c = statistics.median(r["cpu"] for r in ours)
    bare_m = statistics.median(r["kib"] for r in bare)
    ours_m = statistics.median(r["kib"] for r in ours)
    print(f"first paint: bare Textual {bare_s * 1000:6.0f} ms   mmjourney {ours_s * 1000:6.0f} ms   "
          f"time ratio {ours_s / bare_s:.2f}  (target <= 1.2)")
    print(f"CPU to it:   bare Textual {bare_c * 1000:6.0f} ms   mmjourney {ours_c * 1000:6.0f} ms   "
          f"CPU ratio  {ours_c / bare_c:.2f}  (steadier than wall time on a busy machine)")
    print(f"peak memory: bare Textual {bare_m / 1024:6.1f} MiB  mmjourney {ours_m / 1024:6.1f} MiB  "
          f"memory ratio {ours_m / bare_m:.2f}  (target <= 1.5)")


class Frames:
    """When the app paints, and which paints come from a layout pass.

    Textual has no public after-paint hook, so the benchmark wraps the two private methods that paint
    (`App._display`) and lay out (`Screen._refresh_layout`) for the length of the run.
    """

    def __init__(self) -> None:
        self.painted: list[tuple[float, bool]] = []  # (perf_counter, painted by a layout pass)
        self.in_layout = False

    def install(self):
        from textual.app import App
        from textual.screen import Screen

        display, refresh_layout = App._display, Screen._refresh_layout
        frames = self

        def painting(app, screen, update) -> None:
            if update is not None:
                frames.painted.append((time.perf_counter(), frames.in_layout))
            display(app, screen, update)

        def laying_out(screen, *args, **kwargs) -> None:
            frames.in_layout = True
            try:
                refresh_layout(screen, *args, **kwargs)
            finally:
                frames.in_layout = False

        App._display, Screen._refresh_layout = painting, laying_out
        return lambda: (setattr(App, "_display", display), setattr(Screen, "_refresh_layout", refresh_layout))

    def since(self, started: float) -> tuple[float, float] | None:
        """After a key pressed at `started`: when its result was shown (the first frame of a layout pass, or
        the first frame at all when the key needed no layout, as moving the highlight), and when the screen
        stopped changing (the last frame). None when nothing was painted: the key changed nothing."""
        after = [(at, layout) for at, layout in self.painted if at > started]
        if not after:
            return None
        shown = next((at for at, layout in after if layout), after[0][0])
        return shown - started, after[-1][0] - started


async def settle(pilot) -> None:
    await pilot.pause()
    # The screen is laid out and painted by a timer after the messages are handled: wait for it too, or
    # a key's layout is counted against the next key. Sleeping costs no CPU time.
    await asyncio.sleep(0.05)
    await pilot.pause()


async def floor_latency(presses: int) -> list[float]:
    """The floor: a bare Textual app in which a key replaces a paragraph of text, key to that frame."""
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        BINDINGS = [("n", "next", "Next")]

        def compose(self):
            yield Static("Hello", id="text")

        def action_next(self) -> None:
            self.count = getattr(self, "count", 0) + 1
            self.query_one("#text", Static).update(f"Page {self.count}\n" + "A line of a story. " * 40)

    frames, shown = Frames(), []
    uninstall = frames.install()
    try:
        async with Bare().run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            for _ in range(presses):
                started = time.perf_counter()
                await pilot.press("n")
                await settle(pilot)
                painted = frames.since(started)
                assert painted is not None, "the bare app painted nothing after a key"
                shown.append(painted[0])
    finally:
        uninstall()
    return shown


async def key_latency() -> dict[str, dict[str, list[float]]]:
    """Each key press while a player plays the tutorial in practice mode, three ways: until its result is
    shown (wall time from the press to the frame that shows it), until the screen stops changing (the
    last frame), and the CPU time the app spends until it is idle again (the pilot's idle polling sleeps,
    so it is not counted)."""
    from mmjourney.engine import Session
    from mmjourney.journey import Ask, Choose, Fill, expert_path, prompt_of
    from mmjourney.story import load_story
    from mmjourney.tui.app import MMJourneyApp

    story = load_story(REPO / "stories" / "tutorial-first-shift.yaml")
    # The same seed as the replica that says which key comes next: chance outcomes and the order of the
    # options must be the ones the keys are chosen for.
    app = MMJourneyApp(story_path=story.path, seed=0, watch_settings=False)
    kinds = ("navigate", "decide", "dismiss feedback")
    timings = {way: {kind: [] for kind in kinds} for way in ("shown", "settled", "cpu")}
    replica = Session(story, 0)
    frames = Frames()

    async def press(kind: str, key: str) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        await pilot.press(key)
        await settle(pilot)
        for _ in range(20 if kind != "navigate" else 2):  # a busy machine's refresh timer may fire late: wait
            if frames.since(started) is not None:
                break
            await settle(pilot)
        timings["cpu"][kind].append(time.process_time() - cpu)
        painted = frames.since(started)
        if painted is None and kind == "navigate":
            return  # a move that changed nothing (Left in a grid's first column): nothing to wait for
        assert painted is not None, f"nothing was painted after {kind} ({key!r}) on {app.screen!r}, {app.focused!r}"
        timings["shown"][kind].append(painted[0])
        timings["settled"][kind].append(painted[1])

    uninstall = frames.install()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for action in expert_path(story).actions:
                prompt = prompt_of(replica)
                if isinstance(prompt, Choose):
                    await press("navigate", "down")
                    await press("navigate", "up")
                    await press("decide", str([v.id for v in prompt.choices].index(action.id) + 1))
                elif isinstance(prompt, Fill):  # an item in parts: to each part by its number, Space on the pick
                    for number, view in enumerate(prompt.parts, 1):
                        for at, option in enumerate(view.options):
                            if view.part.unit(option.id) in action.options:
                                moves = (["left"] * len(view.options) + ["right"] * at if prompt.grid
                                         else ["down"] * at)
                                for key in [str(number), *moves, "space"]:
                                    await press("navigate", key)
                    await press("decide", "s")
                elif isinstance(prompt, Ask):
                    ids = [o.id for o in prompt.options]
                    keys = [str(ids.index(o) + 1) for o in action.options]
                    if not prompt.single:
                        for key in keys:
                            await press("navigate", key)
                        keys = ["s"]
                    await press("decide", keys[0])
                else:
                    await press("decide", "enter")
                replica.apply(action)
                if action.kind != "next":
                    await press("dismiss feedback", "enter")
    finally:
        uninstall()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    startup(args.runs)
    with tempfile.TemporaryDirectory() as data:
        os.environ["MMJOURNEY_DATA_DIR"] = data
        timings = asyncio.run(key_latency())
        floor = statistics.median(asyncio.run(floor_latency(20)))

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:4.0f}"

    every = [t for kind in timings["shown"].values() for t in kind]
    print(f"key press to the frame that shows its result (tutorial played by keys, practice mode): median "
          f"{statistics.median(every) * 1000:.0f} ms over {len(every)} presses  (target: median < 50 ms per kind)")
    print(f"  floor: a bare Textual app replacing a paragraph on a key press, {floor * 1000:.0f} ms")
    print("  kind               shown  (ratio to floor)  settled   CPU until idle   worst shown   presses")
    for kind, shown in timings["shown"].items():
        print(f"  {kind:17} {ms(shown)} ms  ({statistics.median(shown) / floor:4.1f})          "
              f"{ms(timings['settled'][kind])} ms   {ms(timings['cpu'][kind])} ms          "
              f"{max(shown) * 1000:5.0f} ms   {len(shown)}")

if __name__ == "__main__":
    main()
