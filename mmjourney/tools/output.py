"""Shared by the author commands: finding the files, printing lines, running files in parallel.

Everything printed goes through `rich.text.Text`, never markup, because story text and
file names are untrusted; file names are shown through `visible`, so a control character
in one is written as an escape instead of being obeyed by the terminal. Colours appear on
a terminal and disappear when piped.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Callable, Iterable

from rich.console import Console
from rich.text import Text

from ..story import story_files
from ..story.text_safety import visible

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}
# What json.dumps leaves raw that a terminal may obey: DEL, the C1 controls, the bidi controls.
_JSON_CONTROL = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def console(stderr: bool = False) -> Console:
    return Console(highlight=False, soft_wrap=True, stderr=stderr)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def json_text(document: object) -> str:
    """`document` as indented JSON whose text holds no control character a terminal would obey.

    json.dumps escapes the C0 controls itself; DEL, the C1 controls and the bidi controls are
    written as \\u escapes too, which any JSON reader turns back into the same strings.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _JSON_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def finding_line(finding) -> Text:
    """`file:line:col: severity: message`, the severity coloured."""
    line = Text(str(finding))
    line.highlight_words([f" {finding.severity}: "], SEVERITY_STYLE.get(finding.severity, ""))
    return line


def gather(paths: Iterable[str], out: Console) -> tuple[list[tuple[Path, str]], int]:
    """The story files under the given paths with the names to show; and how many paths are missing."""
    files, missing = [], 0
    for given in paths:
        root = Path(given)
        if not root.exists():
            out.print(Text(f"{visible(given)}: error: no such file or folder", style="red"))
            missing += 1
            continue
        for path in story_files(root):
            display = str(path) if path == root else str(Path(given) / path.relative_to(root))
            files.append((path, visible(display)))
    return files, missing


def default_jobs(files: int) -> int:
    return max(1, min(files, os.cpu_count() or 1))


_progress_queue = None


def _init_worker(queue) -> None:
    global _progress_queue
    _progress_queue = queue


def report_progress(display: str, done: int) -> None:
    """Called inside a worker process: tell the parent how far this file has got."""
    if _progress_queue is not None:
        _progress_queue.put((display, done))


def run_files(task: Callable, files: list[tuple[Path, str]], args: tuple, jobs: int,
              on_progress: Callable[[str, int], None] | None = None, on_done: Callable | None = None) -> list:
    """Run `task(path, display, *args, progress)` for each file, in `jobs` processes; results in file order.

    `task` must be a module-level function so that worker processes can run it. It receives a
    progress callback `progress(done)` or None.
    """
    results: list = [None] * len(files)
    if jobs <= 1 or len(files) <= 1:
        for number, (path, display) in enumerate(files):
            callback = (lambda done, *_, d=display: on_progress(d, done)) if on_progress else None
            results[number] = task(str(path), display, *args, callback)
            if on_done:
                on_done(results[number])
        return results
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    queue = context.SimpleQueue() if on_progress else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(queue,)) as pool:
        futures = {pool.submit(task, str(path), display, *args, _QueueProgress(display) if on_progress else None):
                   number for number, (path, display) in enumerate(files)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            while queue is not None and not queue.empty():
                on_progress(*queue.get())
            for future in done:
                results[futures[future]] = future.result()
                if on_done:
                    on_done(results[futures[future]])
    return results


class _QueueProgress:
    """A picklable progress callback that reports through the worker's queue."""

    def __init__(self, display: str) -> None:
        self.display = display

    def __call__(self, done: int, *_ignored) -> None:
        report_progress(self.display, done)


class LiveProgress:
    """A Rich progress bar on standard error, shown only on a terminal and only once a run takes a while."""

    DELAY = 0.5

    def __init__(self, total_files: int, unit: str, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total = total_files
        self.unit = unit
        self.began = time.perf_counter()
        self.counts: dict[str, int] = {}
        self.files_done = 0
        self.progress = None
        self.task = None

    def update(self, display: str, done: int) -> None:
        self.counts[display] = done
        self._refresh()

    def file_done(self, *_ignored) -> None:
        self.files_done += 1
        self._refresh()

    def _refresh(self) -> None:
        if not self.enabled:
            return
        if self.progress is None:
            if time.perf_counter() - self.began < self.DELAY:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                                     MofNCompleteColumn(), TextColumn("files"), TimeElapsedColumn(),
                                     console=console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("", total=self.total)
        total = sum(self.counts.values())
        self.progress.update(self.task, completed=self.files_done,
                             description=f"{total:,} {self.unit}")

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
