"""Author-tool speed: randomtest playthroughs per second, and `mmjourney check` on the whole curriculum.

    python benchmarks/bench_explore.py [-n 20000] [--repeat 3]

The anchor is ChoiceScript's randomtest, at about 2,300 playthroughs per second on its
7-scene sample game on this class of machine. Targets:

- randomtest on a story of that size (the 8-scene starter story `mmjourney new` writes):
  at least 10,000 playthroughs per second;
- randomtest on the tutorial and on the largest bundled story: reported;
- `mmjourney check` on every bundled story: under 5 seconds, with states explored per second.

randomtest reuses the result of a decision already played in the same situation (the
engine is deterministic); the `engine every step` column plays every decision with the
engine, as ChoiceScript does, for comparison. Times are the best of --repeat runs; the
machine's other load shows in the CPU column of the check.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from mmjourney.story import load_story
from mmjourney.story.loader import is_fragment
from mmjourney.story.yaml_source import parse_yaml
from mmjourney.tools.check import check_file
from mmjourney.tools.new import starter_story
from mmjourney.tools.output import default_jobs, run_files
from mmjourney.tools.randomtest import run

REPO = Path(__file__).resolve().parents[1]
STORIES = REPO / "stories"
ANCHOR = 2_300  # ChoiceScript randomtest, playthroughs per second, 7-scene sample game
TARGET = 10_000
CHECK_TARGET = 5.0


def bundled() -> list[Path]:
    return sorted(p for p in STORIES.glob("*.yaml")
                  if not is_fragment(parse_yaml(p.read_text(encoding="utf-8"), p.name)))


def best_rate(story, playthroughs: int, repeat: int, cache: bool) -> float:
    best = 0.0
    for seed in range(repeat):
        result = run(story, playthroughs, seed=seed, cache=cache)
        assert not result.failures, result.failures
        best = max(best, result.per_second)
    return best


def bench_randomtest(label: str, path: Path, playthroughs: int, repeat: int, target: int | None = None) -> None:
    story = load_story(path)
    cached = best_rate(story, playthroughs, repeat, cache=True)
    fresh = best_rate(story, max(playthroughs // 10, 200), repeat, cache=False)
    scenes = len(story.model.scenes)
    verdict = "" if target is None else f"  (target >= {target:,}: {'met' if cached >= target else 'NOT met'})"
    print(f"randomtest  {label:<34} {scenes:>3} scenes  {cached:>9,.0f}/s   engine every step {fresh:>7,.0f}/s"
          f"   {cached / ANCHOR:5.1f}x ChoiceScript{verdict}")


def bench_check(repeat: int) -> None:
    files = [(path, f"stories/{path.name}") for path in bundled()]
    jobs = default_jobs(len(files))
    best = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        children = os.times()
        results = run_files(check_file, files, (200_000,), jobs)
        after = os.times()
        wall = time.perf_counter() - wall
        cpu = (time.process_time() - cpu) + (after.children_user - children.children_user) + \
              (after.children_system - children.children_system)
        assert all(r.errors == 0 for r in results), [str(f) for r in results for f in r.findings]
        if best is None or wall < best[0]:
            best = (wall, cpu, results)
    wall, cpu, results = best
    states = sum(r.states for r in results)
    print(f"check       {len(files)} bundled stories, {jobs} process{'es' if jobs > 1 else ''}: {wall:.2f} s wall, "
          f"{cpu:.2f} s CPU, {states:,} states, {states / wall:,.0f} states per second "
          f"(target < {CHECK_TARGET:.0f} s: {'met' if wall < CHECK_TARGET else 'NOT met'})")
    for result in sorted(results, key=lambda r: -r.seconds):
        rate = result.states / result.seconds if result.seconds else 0
        print(f"            {result.file:<42} {result.states:>7,} states {result.seconds:6.2f} s "
              f"{rate:>8,.0f} per second")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="playthroughs per measurement (default 20,000)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"anchor: ChoiceScript randomtest ~{ANCHOR:,} playthroughs/s on its 7-scene sample game")
    with tempfile.TemporaryDirectory() as folder:
        starter = Path(folder) / "starter.yaml"
        starter.write_text(starter_story("Benchmark starter", starter), encoding="utf-8")
        bench_randomtest("starter story (mmjourney new)", starter, args.n, args.repeat, TARGET)
    bench_randomtest("tutorial-first-shift", STORIES / "tutorial-first-shift.yaml", args.n, args.repeat)
    largest = max(bundled(), key=lambda p: p.stat().st_size)
    bench_randomtest(f"largest: {largest.stem}", largest, args.n, args.repeat)
    bench_check(args.repeat)


if __name__ == "__main__":
    main()
