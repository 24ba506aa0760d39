"""The `mmjourney` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__


def _validate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.text import Text

    from .story import story_files, validate_file
    from .story.text_safety import visible

    console = Console(highlight=False, soft_wrap=True)
    errors = warnings = files = 0
    for given in args.paths:
        root = Path(given)
        if not root.exists():
            console.print(Text(f"{visible(given)}: error: no such file or folder", style="red"))
            errors += 1
            continue
        for path in story_files(root):
            files += 1
            display = str(path) if path == root else str(Path(given) / path.relative_to(root))
            for problem in validate_file(path, display):  # a Problem shows its file and message visibly
                style = "bold red" if problem.severity == "error" else "yellow"
                line = Text(str(problem))
                line.highlight_words([f" {problem.severity}: "], style)
                console.print(line)
                if problem.severity == "error":
                    errors += 1
                else:
                    warnings += 1
    summary = f"{files} file{'s' if files != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, " \
              f"{warnings} warning{'s' if warnings != 1 else ''}"
    console.print(Text(summary, style="red" if errors else "green"))
    return 1 if errors or not files else 0


def _schema(args: argparse.Namespace) -> int:
    from .story.schema import story_json_schema

    text = json.dumps(story_json_schema(), indent=2) + "\n"
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)  # as `new --out` does: the guide's first command in a new folder
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _workspace(args: argparse.Namespace):
    """The learner's Workspace, built once here from the arguments and the environment."""
    from .journey import Workspace
    from .records import attempt_writer

    return Workspace.from_environment(stories=getattr(args, "stories", None), recorder=attempt_writer)


def _play(args: argparse.Namespace) -> int:
    full_screen = not args.plain and sys.stdin.isatty() and sys.stdout.isatty()
    if args.start_from is not None and not args.story:
        print("mmjourney play --from needs a story file: mmjourney play STORY.yaml --from SCENE", file=sys.stderr)
        return 2
    if args.watch and not (args.story and full_screen):
        print("mmjourney play --watch needs a story file and the full-screen player on a terminal "
              "(not --plain, not a pipe)", file=sys.stderr)
        return 2
    story = preview = None
    if args.start_from is not None:
        story = _load(Path(args.story))
        if story is None:
            print("mmjourney play --from needs a story without errors: fix them and try again", file=sys.stderr)
            return 1
        preview = _preview(story, args.start_from)
        if preview is None:
            return 2
    if args.watch:
        from .tui.watch import WatchingApp

        WatchingApp(story_path=Path(args.story), workspace=_workspace(args), seed=args.seed, mode=args.mode,
                    preview=preview).run()
        return 0
    if full_screen:
        from .tui.app import MMJourneyApp

        MMJourneyApp(workspace=_workspace(args), story_path=Path(args.story) if args.story else None,
                     seed=args.seed, mode=args.mode, story_intro=preview is None, preview=preview).run()
        return 0
    from .plain import play_from_shelf, play_plain

    workspace = _workspace(args)
    if not args.story:
        return play_from_shelf(workspace, seed=args.seed, mode=args.mode)
    story = story or _load(Path(args.story))
    if story is None:
        return 1
    return play_plain(story, seed=args.seed, mode=args.mode, workspace=workspace, preview=preview)


def _load(path: Path):
    """The story at `path`, or None after printing its errors."""
    from .story import StoryError, load_story

    try:
        return load_story(path)
    except StoryError as error:
        for problem in error.errors:
            print(problem, file=sys.stderr)
        return None


def _preview(story, start_from: str):
    """The preview `--from` asks for, or None after saying why there is none (as file: error: ...)."""
    from .journey import PreviewError, preview_of
    from .story.text_safety import visible

    if ":" not in start_from and sys.stderr.isatty():  # a large story takes a while to search
        print(f"Looking for the shortest way to scene '{visible(start_from)}'...", file=sys.stderr)
    try:
        return preview_of(story, start_from)
    except PreviewError as error:
        print(f"{visible(str(story.path))}: error: --from: {visible(str(error))}", file=sys.stderr)
        return None


def _class_list(data_dir: Path):
    """`report --classroom` names learners from the class list; loaded only when a report asks for it."""
    from .classroom import class_list

    return class_list(data_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mmjourney",
        description="A training game about the multiple myeloma patient journey. "
                    "Educational simulation, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"mmjourney {__version__}")
    commands = parser.add_subparsers(dest="command")

    play = commands.add_parser("play", help="play a story")
    play.add_argument("story", nargs="?", help="a story file (default: choose from the bundled stories)")
    play.add_argument("--seed", type=int, help="seed for chance outcomes and the order options are shown in "
                                               "(default: a new one for each journey; the same seed replays it)")
    play.add_argument("--mode", choices=["practice", "assessment"], default="practice")
    play.add_argument("--watch", action="store_true",
                      help="for authors: reload the story each time its file is saved, replaying your decisions, "
                           "and show its errors in the game")
    play.add_argument("--from", dest="start_from", metavar="SCENE",
                      help="for authors: start at SCENE with the state of the shortest way there (fewest "
                           "decisions, the expert's on a tie), or after a walkthrough's step: --from 'Expert "
                           "path:3'. A preview: it is not saved or recorded")
    play.add_argument("--plain", action="store_true",
                      help="line-by-line player (screen readers, pipes); automatic when not on a terminal")
    play.add_argument("--stories", metavar="DIR", help="your own story folder (default: MMJOURNEY_STORIES or the "
                                                       "data folder)")
    play.set_defaults(run=_play)

    validate = commands.add_parser("validate", help="check story files and report every problem")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="story files or folders")
    validate.set_defaults(run=_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of the story format (for editors)")
    schema.add_argument("--out", help="write to this file instead of standard output")
    schema.set_defaults(run=_schema)
    _author_commands(commands)
    from .records.cli import add_commands as add_records_commands

    add_records_commands(commands, class_list=_class_list)

    serve = commands.add_parser("serve", help="classroom mode: play in web browsers (textual-serve)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this "
                                                           "machine only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--stories", metavar="DIR", help="an extra story folder to offer")
    serve.add_argument("--public-url", metavar="URL", help="the address learners open when a reverse proxy is in "
                                                           "front (e.g. https://class.example.org): only pages "
                                                           "from it may start games")
    serve.add_argument("--password", metavar="CODE", help="a class code learners type before playing (better: set "
                                                          "MMJOURNEY_CLASS_PASSWORD, which stays out of the shell "
                                                          "history)")
    serve.add_argument("--max-learners", type=_positive, metavar="N",
                       help="games running at once (default 40); more tabs are told the class is full")
    serve.add_argument("--memory-mb", type=_positive, metavar="MB",
                       help="the most memory one game may use (default 1024)")
    serve.add_argument("--roster", metavar="FILE", help="a CSV file with a name column (and optionally code): "
                                                        "only these learners may join, each with a one-time code")
    serve.add_argument("--lrs", metavar="URL", help="send the class's results to this Learning Record Store as "
                                                    "attempts finish (credentials: MMJOURNEY_LRS_USER and "
                                                    "MMJOURNEY_LRS_PASSWORD, or the data folder's lrs.toml)")
    serve.add_argument("--lti", metavar="CONFIG", action="append",
                       help="act as an LTI 1.3 tool for the learning platform registered in this TOML file "
                            "(repeat for several platforms; see docs/lms.md)")
    serve.set_defaults(run=_serve)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from .serve import PASSWORD_ENV, serve

    password = args.password if args.password is not None else os.environ.get(PASSWORD_ENV)
    limits: dict = {name: value for name, value in (("max_learners", args.max_learners),
                                                    ("memory_mb", args.memory_mb))
                    if value is not None}  # else serve's own defaults; and the LRS, when one is given
    if args.lti:
        limits["lti"] = args.lti
    if args.lrs:
        from .journey import Workspace
        from .records.lrs import configure

        try:
            limits["lrs"] = configure(args.lrs, os.environ, Workspace.from_environment(stories=args.stories).data_dir)
        except ValueError as error:
            print(f"mmjourney serve: {error}", file=sys.stderr)
            return 2
    return serve(args.host, args.port, args.stories, args.roster, public_url=args.public_url,
                 password=password or None, **limits)


def _command(name: str):
    """Run an author command from mmjourney.tools.commands, imported only when it is used."""
    def run(args: argparse.Namespace) -> int:
        from .tools import commands

        return getattr(commands, name)(args)

    return run


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds above 0")
    return value


# The choices of `randomtest --strategy`: random play, then the naive players of tools/strategies.py.
RANDOMTEST_STRATEGIES = ("random", "first", "last", "longest", "shortest")
MAX_SECONDS_HELP = "stop after this many seconds and say the results are partial (default 60)"


def _author_commands(commands) -> None:
    check = commands.add_parser(
        "check", help="play every reachable journey and report unreachable scenes, dead ends, loops and more",
        description="Explore every reachable situation of each story (each choice, chance outcome and event) "
                    "and report, as file:line:col lines: unreachable scenes, endings and objectives; choices "
                    "that are never available; dead ends; loops with no way out; stats pinned at a limit; and "
                    "clinical-content governance warnings. Exit status 1 when there are errors.")
    check.add_argument("paths", nargs="+", metavar="PATH", help="story files or folders")
    check.add_argument("--max-states", type=_positive, default=200_000, metavar="N",
                       help="stop exploring a story after N distinct situations (default 200,000)")
    check.add_argument("--max-seconds", type=_seconds, default=60.0, metavar="S", help=MAX_SECONDS_HELP)
    check.add_argument("--json", action="store_true", help="print the findings and coverage as JSON")
    check.add_argument("--jobs", type=_positive, metavar="N", help="check N files at once (default: one per CPU)")
    check.set_defaults(run=_command("check"))

    test = commands.add_parser(
        "test", help="play the walkthroughs written in stories and report pass or fail",
        description="Play every walkthrough listed under `walkthroughs:` in each story and check that it "
                    "reaches its ending with a score in its range. Exit status 1 if any fails.")
    test.add_argument("paths", nargs="+", metavar="PATH", help="story files or folders")
    test.set_defaults(run=_command("test"))

    randomtest = commands.add_parser(
        "randomtest", help="play many seeded random journeys and count scenes, choices and endings",
        description="Play N random journeys through each story with a seeded random generator, taking the open "
                    "choice used least so far, and count visits per scene, choice and ending. A journey that "
                    "gets stuck, never ends or meets an error is reported with the seed and the decisions that "
                    "reproduce it (exit status 1). With --strategy, a naive player decides instead; every run sums "
                    "up the score range, the share of good endings and the share of passes.")
    randomtest.add_argument("paths", nargs="+", metavar="PATH", help="story files or folders")
    randomtest.add_argument("-n", type=_positive, default=10_000, metavar="N",
                            help="playthroughs per story (default 10,000)")
    randomtest.add_argument("--seed", type=int, default=0, help="seed of the random choices (default 0)")
    randomtest.add_argument("--max-steps", type=_positive, default=1_000, metavar="N",
                            help="decisions before a journey counts as endless (default 1,000)")
    randomtest.add_argument("--max-seconds", type=_seconds, default=60.0, metavar="S", help=MAX_SECONDS_HELP)
    randomtest.add_argument("--counts", action="store_true", help="list the count for every scene and choice")
    randomtest.add_argument("--json", action="store_true", help="print the counts and failures as JSON")
    randomtest.add_argument("--jobs", type=_positive, metavar="N", help="test N files at once (default: one per CPU)")
    randomtest.add_argument("--no-cache", action="store_true",
                            help="play every decision with the engine instead of reusing results (slower)")
    how = randomtest.add_mutually_exclusive_group()
    how.add_argument("--strategy", choices=RANDOMTEST_STRATEGIES, default="random",
                     help="how each playthrough decides: random (the default: the choice used least so far), or a "
                          "naive player that always takes the first, last, longest or shortest option shown")
    how.add_argument("--strategies", choices=["all"],
                     help="'all': run every strategy and print a table of their scores, good endings and passes")
    randomtest.set_defaults(run=_command("randomtest"))

    graph = commands.add_parser(
        "graph", help="draw a story as a map: a web page any browser opens (--out story.html), Mermaid, "
                      "Graphviz DOT, or SVG, PNG or PDF with Graphviz",
        description="Print the story as a graph: scenes, choices labelled and coloured by rating, critical "
                    "errors, chance outcomes, routes, events, endings by kind, and (after exploring it) the "
                    "parts no journey reaches. --out FILE.html writes a map any web browser opens, offline, "
                    "with nothing to install; .svg (or .png, .pdf) draws it with Graphviz; .dot, .mmd and .md "
                    "write the text.")
    graph.add_argument("path", metavar="PATH", help="a story file")
    graph.add_argument("--format", choices=["mermaid", "dot", "html"],
                       help="mermaid (default), dot or html; chosen from --out's extension when left out")
    graph.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    graph.add_argument("--max-states", type=_positive, default=200_000, metavar="N",
                       help="exploration budget for marking unreachable parts (default 200,000)")
    graph.add_argument("--max-seconds", type=_seconds, default=60.0, metavar="S", help=MAX_SECONDS_HELP)
    graph.set_defaults(run=_command("graph"))

    new = commands.add_parser(
        "new", help="write a commented starter story that uses every part of the format",
        description="Write a starter story with one of each part of the format (choices, questions, chance, "
                    "an event, time rules, endings, walkthroughs), commented, that passes validate, check "
                    "and test. Without --out it is printed.")
    new.add_argument("title", help="the story's title, e.g. \"Fever at home\"")
    new.add_argument("--out", metavar="FILE", help="write it to FILE (refuses to replace a file without --force)")
    new.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new.set_defaults(run=_command("new"))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv or [])])
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`mmjourney ... | head`): stop quietly, as other tools do.
        sys.stdout = open(os.devnull, "w")
        return 141
