"""The author commands behind `mmjourney check|randomtest|test|graph|new`: arguments in, lines out.

`cli.py` parses the arguments and calls these; the work itself is in the modules beside
this one, which return plain results that these functions print (or dump as JSON).
"""

from __future__ import annotations

import argparse
import sys
import time

from rich.text import Text

from ..story.text_safety import visible
from .output import LiveProgress, console, default_jobs, finding_line, gather, json_text, plural, run_files


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
        results = run_files(check_file, files, (args.max_states, args.max_seconds), jobs, on_progress=live.update,
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
        sys.stdout.write(json_text(doc))
        return 1 if errors or not stories else 0
    for result in results:
        for finding in result.findings:
            out.print(finding_line(finding))
        if result.coverage:
            rate = result.states / result.seconds if result.seconds > 0 else 0
            parts = [f"{what} {hit}/{total}" for what, (hit, total) in result.coverage.items()]
            line = Text(f"{result.file}: ")
            line.append(f"{plural(result.states, 'state')} explored in {result.seconds:.2f} s "
                        f"({rate:,.0f} per second)" + ("" if result.complete else f"; {result.stopped}"),
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
    shown = visible(args.out)
    err = console(stderr=True)
    if out.exists() and not args.force:
        err.print(Text(f"{shown}: error: the file already exists; choose another name, or add --force to replace it",
                       style="red"))
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        err.print(Text(f"{shown}: error: cannot write the file ({error.strerror})", style="red"))
        return 1
    err.print(Text(f"wrote {shown}. Next: mmjourney check {shown}   then   mmjourney play {shown}", style="green"))
    return 0


# --- randomtest ---------------------------------------------------------------------------------


def _located(result, key: str, severity: str, message: str):
    from .check import Finding

    file, line, column = result.where.get(key, (result.file, None, None))
    return Finding(file, line, column, severity, "randomtest", message)


def randomtest(args: argparse.Namespace) -> int:
    from .randomtest import randomtest_file
    from .strategies import NAMES

    out = console()
    files, missing = gather(args.paths, out if not args.json else console(stderr=True))
    jobs = args.jobs or default_jobs(len(files))
    strategies = ("random", *NAMES) if args.strategies == "all" else (args.strategy,)
    live = LiveProgress(len(files) * len(strategies), "playthroughs", enabled=not args.json)
    began = time.perf_counter()
    results = []
    try:
        for strategy in strategies:
            results += run_files(randomtest_file, files, (args.n, args.seed, args.max_steps, not args.no_cache,
                                                          args.max_seconds, strategy), jobs,
                                 on_progress=live.update, on_done=live.file_done)
    finally:
        live.stop()
    wall = time.perf_counter() - began
    stories = [r for r in results if not r.fragment and not r.problems]
    broken = [r for r in results if r.problems and r.strategy == strategies[0]]  # each file's problems once
    failures = sum(len(r.failures) for r in stories) + len(broken) + missing
    total = sum(r.playthroughs for r in stories)
    if args.json:
        doc = {"files": [r.to_json() for r in results], "playthroughs": total, "seconds": round(wall, 4),
               "failures": failures}
        sys.stdout.write(json_text(doc))
        return 1 if failures or not stories else 0
    for result in broken:
        for problem in result.problems:
            out.print(finding_line(problem))
    if len(strategies) > 1:
        _print_strategies(out, stories, args)
    else:
        for result in stories:
            _print_randomtest(out, result, args)
    rate = total / wall if wall > 0 else 0
    count = len(stories) // len(strategies)
    how = "" if strategies == ("random",) else f", {'strategy' if len(strategies) == 1 else 'strategies'} " \
        + ", ".join(strategies)
    summary = (f"{plural(count, 'story', 'stories')}, {plural(total, 'playthrough')} with seed {args.seed}{how} "
               f"in {wall:.2f} s ({rate:,.0f} per second): {plural(failures, 'failure')}")
    out.print(Text(summary, style=_summary_style(failures)))
    return 1 if failures or not stories else 0


def _summary_text(summary) -> str:
    """`score 41 to 46%, good ending 100.0%, pass 0.0%` for a strategy's Summary."""
    score = "no ending" if summary.low is None else f"{summary.low:.0f} to {summary.high:.0f}%"
    unended = f", no ending {summary.share(summary.unended):.1f}%" if summary.unended else ""
    return (f"score {score}, good ending {summary.share(summary.good):.1f}%, pass {summary.share(summary.passed):.1f}%"
            + unended)


def _print_strategies(out, results, args) -> None:
    """One table per story: each strategy's score range, good endings and passes; then any failures."""
    from .itemwriting import does_well

    by_file: dict[str, list] = {}
    for result in results:
        by_file.setdefault(result.file, []).append(result)
    for file, rows in by_file.items():
        mark = rows[0].summary.pass_mark
        out.print(Text(f"{file}: ", style="bold").append(
            f"pass = {mark:g}% or more with no critical error", style="dim"))
        out.print(Text(f"  {'strategy':<10}{'playthroughs':>13}  {'score':<12}{'good ending':>12}{'pass':>8}"
                       f"{'no ending':>11}"))
        for result in rows:
            summary = result.summary
            score = "-" if summary.low is None else f"{summary.low:.0f} to {summary.high:.0f}%"
            line = Text(f"  {result.strategy:<10}{summary.playthroughs:>13,}  {score:<12}"
                        f"{summary.share(summary.good):>11.1f}%{summary.share(summary.passed):>7.1f}%"
                        f"{summary.share(summary.unended):>10.1f}%")
            if result.strategy != "random" and does_well(summary):  # as `check` would warn
                line.stylize("yellow")
            out.print(line)
        for result in rows:
            if result.stopped:
                out.print(finding_line(_located(result, "", "warning", f"{result.strategy}: {result.stopped}")))
            _print_failures(out, result)


MAX_SHOWN_STEPS = 30


def _print_randomtest(out, result, args) -> None:
    head = Text(f"{result.file}: ", style="bold")
    naive = result.strategy != "random"
    how = (f"the strategy '{result.strategy}' with seeds {result.seed:,} to {result.seed + result.playthroughs - 1:,}"
           if naive else f"the engine played {result.engine_steps:,} of {result.decisions:,} decisions, the rest "
           "were reused")
    head.append(f"{plural(result.playthroughs, 'playthrough')} in {result.seconds:.2f} s "
                f"({result.per_second:,.0f} per second); {how}", style="dim")
    out.print(head)
    if result.stopped:
        out.print(finding_line(_located(result, "", "warning", result.stopped)))
    count = max(result.playthroughs, 1)
    width = max((len(name) for name in result.endings), default=0)
    for name, hits in sorted(result.endings.items(), key=lambda item: -item[1]):
        low, high = result.scores.get(name, (None, None))
        score = f"  score {low:.0f} to {high:.0f}%" if low is not None else ""
        line = Text(f"  ending {name.ljust(width)} {hits:>9,} {100 * hits / count:6.1f}%{score}")
        if not hits:
            line.stylize("yellow")
        out.print(line)
    if result.summary is not None:
        who = f"a learner who {_naive(result.strategy)}" if naive else "random play"
        out.print(Text(f"  {who}: {_summary_text(result.summary)} (pass = {result.summary.pass_mark:g}% or more "
                       "with no critical error)"))
    if naive:  # one rule takes one road: what it never visits says nothing about the story
        _print_failures(out, result)
        return
    scenes_hit = sum(1 for n in result.scenes.values() if n)
    choices_hit = sum(1 for n in result.choices.values() if n)
    out.print(Text(f"  scenes visited {scenes_hit}/{len(result.scenes)}, choices taken "
                   f"{choices_hit}/{len(result.choices)}"))
    rare = sorted(((n, c) for c, n in result.choices.items() if n), key=lambda item: item[0])[:3]
    if rare:
        out.print(Text("  least taken: " + ", ".join(f"'{c}' {n:,}" for n, c in rare), style="dim"))
    if args.counts:
        for key, (file, line, column) in sorted(result.where.items(), key=lambda item: (item[1][0], item[1][1] or 0)):
            kind, name = key.split(":", 1)
            number = result.scenes.get(name, 0) if kind == "scene" else result.choices.get(name, 0)
            word = "visit" if kind == "scene" else "time"
            out.print(Text(f"{file}:{line}:{column}: {kind} '{name}': {plural(number, word)}"))
    for name, visits in result.scenes.items():
        if not visits:
            out.print(finding_line(_located(result, f"scene:{name}", "warning",
                                            f"scene '{name}' was never visited in "
                                            f"{plural(result.playthroughs, 'playthrough')}")))
    for name, taken in result.choices.items():
        if not taken and result.scenes.get(result.choice_scenes.get(name, ""), 0):
            out.print(finding_line(_located(result, f"choice:{name}", "warning",
                                            f"choice '{name}' was never taken in "
                                            f"{plural(result.playthroughs, 'playthrough')}")))
    _print_failures(out, result)


def _naive(name: str) -> str:
    from .strategies import strategy_named

    return strategy_named(name).description


def _print_failures(out, result) -> None:
    how = "" if result.strategy == "random" else f" --strategy {result.strategy}"
    for failure in result.failures:
        more = f" ({plural(failure.count - 1, 'more playthrough')} failed the same way)" if failure.count > 1 else ""
        steps = [_flow(s) for s in failure.steps[:MAX_SHOWN_STEPS]]
        if len(failure.steps) > MAX_SHOWN_STEPS:
            steps.append(f"... {len(failure.steps) - MAX_SHOWN_STEPS:,} more")
        message = (f"playthrough {failure.playthrough:,} {failure.message}{more}. To reproduce it: mmjourney "
                   f"randomtest {result.file} -n {failure.playthrough} --seed {result.seed}{how}; the decisions "
                   f"were [{', '.join(steps)}]")
        out.print(finding_line(_located(result, f"scene:{failure.scene}", "error", message)))


def _flow(step: str) -> str:
    """A step in walkthrough notation as an item of a YAML flow list."""
    return f"{{{step}}}" if ":" in step else step


# --- graph ----------------------------------------------------------------------------------------


def graph(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..story import StoryError, load_story
    from .graph import RENDERED, GraphvizMissing, explore_and_build, render, to_dot, to_mermaid
    from .graph_html import to_html

    err = console(stderr=True)
    shown, shown_out = visible(args.path), visible(args.out or "")
    out_path = Path(args.out) if args.out else None
    suffix = out_path.suffix.lower() if out_path else ""
    fmt = args.format or ("dot" if suffix in RENDERED or suffix in (".dot", ".gv")
                          else "html" if suffix in (".html", ".htm") else "mermaid")
    if suffix in RENDERED and fmt != "dot":
        err.print(Text(f"{shown_out}: error: {visible(suffix)} images are drawn by Graphviz: for a map with "
                       f"nothing to install, write --out {visible(out_path.with_suffix('.html').name)} "
                       f"(any web browser opens it), or --out {visible(out_path.with_suffix('.md').name)} for Mermaid",
                       style="red"))
        return 1
    try:
        story = load_story(args.path, shown)
    except StoryError as error:
        for problem in error.errors:
            err.print(finding_line(problem))
        return 1
    except OSError as error:
        err.print(Text(f"{shown}: error: {error.strerror}", style="red"))
        return 1
    drawn = explore_and_build(story, args.max_states, args.max_seconds)
    if not drawn.complete:
        err.print(Text(f"{shown}: warning: exploration {drawn.stopped}; parts marked unreachable may only be "
                       "beyond that budget", style="yellow"))
    text = to_dot(drawn) if fmt == "dot" else to_html(drawn) if fmt == "html" else to_mermaid(drawn)
    if out_path is None:
        sys.stdout.write(text)
        return 0
    try:
        if suffix in RENDERED:
            render(text, RENDERED[suffix], str(out_path))
        else:
            if fmt == "mermaid" and suffix == ".md":
                text = "```mermaid\n" + text + "```\n"
            out_path.write_text(text, encoding="utf-8")
    except GraphvizMissing as missing:
        err.print(Text(f"{shown_out}: error: {missing}", style="red"))
        return 1
    except (OSError, RuntimeError) as error:
        err.print(Text(f"{shown_out}: error: {visible(str(getattr(error, 'strerror', None) or error))}", style="red"))
        return 1
    err.print(Text(f"wrote {shown_out}", style="green"))
    return 0
