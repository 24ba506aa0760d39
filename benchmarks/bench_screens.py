"""How long the title screen's ways out take, against a bare Textual screen switch.

    python benchmarks/bench_screens.py [--runs 5]

Each run starts a fresh Python process (so "first" is what a learner meets after launching the
game, once the title screen's warm-up is done) that drives the app headless with a Pilot and
times, from the key press until the screen shows the result and has drawn it:

- switching theme on the title screen (dark -> light -> high contrast -> dark);
- opening the picker until the stories are listed, the first time and again;
- Continue from the title until the saved journey's scene is shown, the first time and again.

The floor is a bare Textual app pushing a screen with a list and a footer, timed the same way
in the same process. Target: every action feels instant, under about 0.1 s and a ratio a few
times the floor at most.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STORY = REPO / "stories" / "when-it-comes-back.yaml"  # a long story: the heaviest Continue

CHILD = r'''
import asyncio, json, sys, time

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

results = {}


async def until(pilot, ready):
    """Until `ready()` and the screen has drawn itself after it (no idle polling, which only adds noise)."""
    while not ready():
        await asyncio.sleep(0.001)
    await pilot._wait_for_screen()
    drawn = asyncio.Event()
    pilot.app.screen.call_after_refresh(drawn.set)
    await drawn.wait()


def key(pilot, name):
    """Press `name` as the terminal driver would: Pilot.press also waits for idle CPU, which only adds noise."""
    async def press():
        pilot.app.post_message(events.Key(name, name if len(name) == 1 else None))
    return press


async def timed(name, pilot, act, ready):
    started = time.perf_counter()
    await act()
    await until(pilot, ready)
    results.setdefault(name, []).append(time.perf_counter() - started)


class Second(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self):
        yield Static("A second screen")
        yield OptionList(*[f"Option {n}" for n in range(10)])
        yield Footer()


class Bare(App):
    BINDINGS = [Binding("p", "push", "Push")]

    def compose(self):
        yield Static("Bare")
        yield OptionList(*[f"Item {n}" for n in range(7)])
        yield Footer()

    def action_push(self):
        self.push_screen(Second())


async def bare():
    app = Bare()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(5):
            await timed("bare screen switch", pilot, key(pilot, "p"), lambda: isinstance(app.screen, Second))
            await pilot.press("escape")
            await pilot.pause()


async def ours():
    from mmjourney.tui.app import MMJourneyApp

    app = MMJourneyApp(warm_up=True)  # as when run in a terminal (a headless app skips the warm-up)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # the warm-up starts after the first paint,
        await app.workers.wait_for_complete()  # and runs while the learner reads the title screen
        for theme in ("mmjourney-light", "mmjourney-high-contrast", "mmjourney-dark"):
            async def switch(theme=theme):
                app.theme = theme
            await timed("theme switch on the title", pilot, switch, lambda: True)

        def picker_listed():
            screen = app.screen
            return type(screen).__name__ == "PickerScreen" and bool(screen.entries)

        for name in ("picker, first open", "picker, again", "picker, again"):
            await timed(name, pilot, key(pilot, "p"), picker_listed)
            await pilot.press("escape")
            await pilot.pause()

        def playing():
            return type(app.screen).__name__ == "PlayScreen"

        for name in ("Continue, first", "Continue, again", "Continue, again"):
            await timed(name, pilot, key(pilot, "c"), playing)
            app.back_to_title()
            await pilot.pause()


asyncio.run(bare())
asyncio.run(ours())
print(json.dumps(results))
'''


def saved_journey(data_dir: Path) -> None:
    """A practice journey of the long story, twelve steps in, saved where Continue finds it."""
    from mmjourney.journey import Journey, expert_path
    from mmjourney.journey.workspace import Workspace
    from mmjourney.story import load_story

    story = load_story(STORY)
    journey = Journey.start(story, 0, "practice", Workspace(data_dir))
    for action in expert_path(story, 0).actions[:12]:
        journey.decide(action)
    assert not journey.save(), "the benchmark's journey could not be saved"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as prepared:
        saved_journey(Path(prepared))
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as data:
                shutil.copytree(prepared, data, dirs_exist_ok=True)  # each run starts from the same save
                env = {**os.environ, "MMJOURNEY_DATA_DIR": data, "PYTHONPATH": str(REPO)}
                out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env,
                                     cwd=REPO, check=True)
                for name, times in json.loads(out.stdout.strip().splitlines()[-1]).items():
                    results.setdefault(name, []).extend(times)
    floor = statistics.median(results.pop("bare screen switch"))
    print(f"{'bare Textual screen switch':28} median {floor * 1000:5.0f} ms   (the floor)")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:28} median {median * 1000:5.0f} ms, worst {max(times) * 1000:5.0f} ms, "
              f"ratio {median / floor:5.1f}")


if __name__ == "__main__":
    main()
