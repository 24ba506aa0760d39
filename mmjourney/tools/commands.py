"""The author commands behind `mmjourney check|randomtest|test|graph|new`: arguments in, lines out.

`cli.py` parses the arguments and calls these; the work itself is in the modules beside
this one, which return plain results that these functions print (or dump as JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from rich.text import Text

from .output import LiveProgress, console, default_jobs, finding_line, gather, plural, run_files


def _summary_style(errors: int) -> str:
    return "red" if errors else "green"


# --- check ------------------------------------------------------------------------------------


def check(args: argparse.Namespace) -> int:
    from .check import check_file

    out = console()
    files, missing = gather(args.paths, out if not args.json else console(stderr=True))
    jobs = args.jobs or default_jobs(len(files))
    live = LiveProgress(len(files), "states explored", enabled=not args.json)
    began = time.perf_counter()
    try:
        results = run_files(check_file, files, (args.max_states,), jobs, on_progress=live.update,
                            on_done=live.file_done)
    finally:
        live.stop()
    wall = time.perf_counter() - began
    errors = missing + sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    stories = [r for r in results if not r.fragment]
    states = sum(r.states for r in stories)
    if args.json:
        doc = {"files": [r.to_json() for r in results], "errors": errors, "warnings": warnings,
               "missing": missing, "states": states, "seconds": round(wall, 4),
               "states_per_second": round(states / wall) if wall > 0 else None}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 1 if errors or not stories else 0
    for result in results:
        for finding in result.findings:
            out.print(finding_line(finding))
        if result.coverage:
            rate = result.states / result.seconds if result.seconds > 0 else 0
            parts = [f"{what} {hit}/{total}" for what, (hit, total) in result.coverage.items()]
            line = Text(f"{result.file}: ")
            line.append(f"{plural(result.states, 'state')} explored in {result.seconds:.2f} s "
                        f"({rate:,.0f} per second)" + ("" if result.complete else ", stopped at the budget"),
                        style="dim")
            line.append("; covered: " + ", ".join(parts))
            out.print(line)
    rate = states / wall if wall > 0 else 0
    summary = (f"{plural(len(stories), 'story', 'stories')} checked: {plural(errors, 'error')}, "
               f"{plural(warnings, 'warning')}; {plural(states, 'state')} in {wall:.2f} s "
               f"({rate:,.0f} states per second)")
    out.print(Text(summary, style=_summary_style(errors)))
    if not stories and not missing:
        out.print(Text("no story files found", style="red"))
    return 1 if errors or not stories else 0


# --- test ---------------------------------------------------------------------------------------


def _banner(out, text: str, style: str) -> None:
    width = max(40, min(out.width, 100))
    pad = max(2, width - len(text) - 2)
    out.print(Text(f"{'=' * (pad // 2)} {text} {'=' * (pad - pad // 2)}", style=style))


def test(args: argparse.Namespace) -> int:
    from .walkthroughs import walk_file

    out = console()
    files, missing = gather(args.paths, out)
    began = time.perf_counter()
    passed = failed = broken = 0
    failures = []
    without = []
    for path, display in files:
        found = walk_file(path, display)
        if found.fragment:
            continue
        if found.problems:
            broken += 1
            out.print(Text.assemble(display, " ", ("ERROR", "bold red"), " (the story does not load)"))
            failures.extend(found.problems)
            continue
        if not found.results:
            without.append(display)
            out.print(Text.assemble(display, " ", ("SKIPPED", "yellow"), " (no walkthroughs)"))
            continue
        for result in found.results:
            line = Text(result.node_id + " ")
            if result.passed:
                passed += 1
                line.append("PASSED", style="bold green")
                score = "" if result.score is None else f", {result.score:.4g}%"
                critical = f", {plural(result.critical, 'critical error')}" if result.critical else ""
                line.append(f" ({result.ending}{score}{critical})", style="dim")
            else:
                failed += 1
                line.append("FAILED", style="bold red")
                failures.append(result.failure)
            out.print(line)
    if failures:
        _banner(out, "FAILURES", "red")
        for finding in failures:
            out.print(finding_line(finding))
    parts = []
    if failed:
        parts.append(f"{failed} failed")
    parts.append(f"{passed} passed")
    if broken:
        parts.append(plural(broken, "story", "stories") + " not loading")
    if without:
        parts.append(plural(len(without), "story", "stories") + " without walkthroughs")
    if missing:
        parts.append(plural(missing, "missing path"))
    seconds = time.perf_counter() - began
    bad = failed or broken or missing or not passed
    _banner(out, f"{', '.join(parts)} in {seconds:.2f}s", "red" if bad else "green")
    return 1 if bad else 0


# --- new ----------------------------------------------------------------------------------------


def new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .new import starter_story

    text = starter_story(args.title, args.out)
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    err = console(stderr=True)
    if out.exists() and not args.force:
        err.print(Text(f"{out}: error: the file already exists; choose another name, or add --force to replace it",
                       style="red"))
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        err.print(Text(f"{out}: error: cannot write the file ({error.strerror})", style="red"))
        return 1
    err.print(Text(f"wrote {out}. Next: mmjourney check {out}   then   mmjourney play {out}", style="green"))
    return 0
