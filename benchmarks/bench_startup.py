"""Start-up time and memory of the game against a bare Textual app, and key-press latency.

    python benchmarks/bench_startup.py [--runs 7]

Each run starts a fresh Python process that imports the app the way the `mmjourney`
command does, shows its first screen headless, and exits right after the first paint,
printing its time since the parent launched it and its peak memory (ru_maxrss). The floor
is a minimal Textual app with one Static, measured alternately in the same run.
Targets: time ratio <= 1.3, memory ratio <= 1.5; key press to next screen update,
median under 50 ms (measured as processing time over a whole played tutorial).
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
        self.exit()

app = Bare()
app.run(headless=True, size=(100, 30))
print(json.dumps({"seconds": app.result, "kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
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
        self.exit()

app = Timed()
app.run(headless=True, size=(100, 30))
print(json.dumps({"seconds": app.result, "kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def launch(code: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", code, repr(time.time())], capture_output=True, text=True,
                         env=env, cwd=REPO, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup(runs: int) -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "MMJOURNEY_DATA_DIR": data, "PYTHONPATH": str(REPO)}
        launch(BARE, env), launch(OURS, env)  # warm the file cache and bytecode for both
        bare, ours = [], []
        for _ in range(runs):
            bare.append(launch(BARE, env))
            ours.append(launch(OURS, env))
    bare_s = statistics.median(r["seconds"] for r in bare)
    ours_s = statistics.median(r["seconds"] for r in ours)
    bare_m = statistics.median(r["kib"] for r in bare)
    ours_m = statistics.median(r["kib"] for r in ours)
    print(f"first paint: bare Textual {bare_s * 1000:6.0f} ms   mmjourney {ours_s * 1000:6.0f} ms   "
          f"time ratio {ours_s / bare_s:.2f}  (target <= 1.3)")
    print(f"peak memory: bare Textual {bare_m / 1024:6.1f} MiB  mmjourney {ours_m / 1024:6.1f} MiB  "
          f"memory ratio {ours_m / bare_m:.2f}  (target <= 1.5)")


async def key_latency() -> dict[str, list[float]]:
    """Processing time of each key press while a player plays the tutorial in practice mode.

    Measured as CPU time from the press until the app is idle again, so the test pilot's
    idle polling (it sleeps in 20 ms steps) is not counted as latency.
    """
    from mmjourney.engine import Session
    from mmjourney.journey import Ask, Choose, expert_path, prompt_of
    from mmjourney.story import load_story
    from mmjourney.tui.app import MMJourneyApp

    story = load_story(REPO / "stories" / "tutorial-first-shift.yaml")
    app = MMJourneyApp(story_path=story.path, watch_settings=False)
    timings: dict[str, list[float]] = {"navigate": [], "decide": [], "dismiss feedback": []}
    replica = Session(story)

    async def press(kind: str, key: str) -> None:
        started = time.process_time()
        await pilot.press(key)
        await pilot.pause()
        # The screen is laid out and painted by a timer after the messages are handled: wait for it
        # too, or a key's layout is counted against the next key. Sleeping costs no CPU time.
        await asyncio.sleep(0.05)
        await pilot.pause()
        timings[kind].append(time.process_time() - started)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for action in expert_path(story).actions:
            prompt = prompt_of(replica)
            if isinstance(prompt, Choose):
                await press("navigate", "down")
                await press("navigate", "up")
                await press("decide", str([v.id for v in prompt.choices].index(action.id) + 1))
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
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    startup(args.runs)
    with tempfile.TemporaryDirectory() as data:
        os.environ["MMJOURNEY_DATA_DIR"] = data
        timings = asyncio.run(key_latency())
    every = [t for kind in timings.values() for t in kind]
    print(f"key press to next screen update (tutorial played by keys, practice mode): median "
          f"{statistics.median(every) * 1000:.0f} ms over {len(every)} presses  (target: median < 50 ms)")
    for kind, values in timings.items():
        print(f"  {kind:17} median {statistics.median(values) * 1000:5.0f} ms, worst {max(values) * 1000:5.0f} ms, "
              f"{len(values)} presses")


if __name__ == "__main__":
    main()
