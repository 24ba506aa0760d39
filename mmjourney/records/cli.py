"""`mmjourney export` and `mmjourney report`: registered by `add_commands(subparsers)` from mmjourney.cli.

Importing this module is cheap (argparse only); the records, exports and Rich load when a
command runs. File names, learner names and messages can hold control characters (a file named
by a learner, a name typed with an escape sequence): everything printed on the terminal passes
through `visible`, and the tables hold records whose texts were cleaned when they were read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

if TYPE_CHECKING:
    from rich.console import JustifyMethod

# Reads a class's list of learners ({folder id: name}) from its data folder; raises ValueError if it
# cannot. The classroom layer provides it (mmjourney.classroom.class_list): the records do not import it.
ClassList = Callable[[Path], Mapping[str, str]]

FORMATS = ("md", "html", "json", "xapi")  # the same as exports.FORMATS, kept here so parsing imports nothing


def add_commands(subparsers, *, class_list: ClassList | None = None) -> None:
    """Add the `export` and `report` subcommands to the `mmjourney` argument parser.

    `class_list` lets `report --classroom` name a classroom's learners (without it they are shown by
    folder id)."""
    export = subparsers.add_parser(
        "export", help="export a recorded attempt: Markdown, HTML debrief, JSON result file or xAPI statements",
        description="Export one recorded attempt. md: a Markdown debrief. html: a single self-contained HTML "
                    "debrief (charts of the labs, decisions beside the expert's, rationale, references) that "
                    "prints well. json: a result file for your educator, with an integrity hash. xapi: xAPI "
                    "statements (a JSON array) for a Learning Record Store, with a pseudonymous account instead "
                    "of your name. Nothing is sent anywhere: the export is written to FILE or printed.")
    export.add_argument("attempt", nargs="?", type=int, metavar="ATTEMPT",
                        help="the attempt's number, as shown by --list and in the Progress screen")
    export.add_argument("--last", action="store_true", help="the last finished or abandoned attempt (the default)")
    export.add_argument("--format", "-f", choices=FORMATS, default="md", help="export format (default md)")
    export.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--list", action="store_true", help="list the recorded attempts with their numbers")
    export.add_argument("--account", metavar="NAME",
                        help="xapi: account name to use (e.g. a student number) instead of the pseudonymous id")
    export.add_argument("--homepage", metavar="URL", help="xapi: the account's homePage "
                                                          "(default https://mmjourney.invalid)")
    export.set_defaults(run=export_main)

    report = subparsers.add_parser(
        "report", help="class report: gradebook and per-item statistics from a classroom server's records "
                       "or learners' JSON result files",
        description="Print a gradebook (one row per learner, story and source) and per-item statistics (how "
                    "often each choice was taken, share choosing the best option, critical-error rate). "
                    "--classroom reads every learner's records on this classroom server, read-only. "
                    "RESULT_FILES are result files exported with `mmjourney export --format json` (files or "
                    "folders of *.json): self-reported, so they are marked as such; any that were edited, do "
                    "not add up, disagree with a replay of their decisions (when their story is on this "
                    "machine) or are not result files are refused with the reason. Exit status 1 if anything "
                    "was refused or could not be read.")
    report.add_argument("files", nargs="*", metavar="RESULT_FILES", help="result files, or folders of them")
    report.add_argument("--classroom", nargs="?", const="", metavar="DATA_DIR",
                        help="read the records of every learner of the classroom server whose data folder is "
                             "DATA_DIR (default: MMJOURNEY_DATA_DIR, else the platform's data folder)")
    report.add_argument("--stories", metavar="DIR",
                        help="a folder of stories (besides the bundled ones) to replay result files in "
                             "(default: MMJOURNEY_STORIES, else the data folder's stories)")
    report.add_argument("--csv", metavar="FILE", help="write the gradebook as CSV")
    report.add_argument("--items-csv", metavar="FILE", help="write the per-item statistics as CSV")
    report.add_argument("--html", metavar="FILE", help="write the whole report as one HTML file")
    report.add_argument("--mode", choices=["practice", "assessment"], help="count only attempts in this mode")
    report.set_defaults(run=report_main, class_list=class_list)

    sync = subparsers.add_parser(
        "sync", help="send the recorded xAPI statements to a Learning Record Store (LRS), or show what waits",
        description="Send every xAPI statement of the records that the LRS has not accepted yet: the statements of "
                    "each finished attempt are queued in the records when it ends, so play works offline and "
                    "nothing is lost. Re-sending is harmless (each statement has a fixed id). The records are "
                    "those of the data folder (MMJOURNEY_DATA_DIR, else the platform's data folder), with every "
                    "classroom learner's. Credentials: MMJOURNEY_LRS_USER and MMJOURNEY_LRS_PASSWORD, or user and "
                    "password in the data folder's lrs.toml; never on the command line. Exit status 1 when "
                    "statements still wait or the LRS rejected some.")
    sync.add_argument("--lrs", metavar="URL", help="the LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI/ "
                                                   "(an address alone means its /xAPI/)")
    sync.add_argument("--status", action="store_true",
                      help="show how many statements wait, were sent or were rejected, and why each was rejected")
    sync.add_argument("--retry-rejected", action="store_true",
                      help="put the statements the LRS rejected back in the queue (after the LRS was fixed)")
    sync.set_defaults(run=sync_main)


def _err(message: str) -> None:
    from ..story.text_safety import visible

    print(visible(message), file=sys.stderr)


def _write(path: str, text: str) -> str | None:
    from .database import describe_error
    from .exports import write_text_atomic

    try:
        write_text_atomic(Path(path), text)
    except OSError as error:
        return f"cannot write {path}: {describe_error(error)}"
    return None


def export_main(args: argparse.Namespace) -> int:
    from .database import RecordsUnavailable, records
    from .exports import ExportError, contents_note, render

    if args.list:
        return _list_attempts()
    if args.attempt is not None and args.last:
        _err("mmjourney export: error: give an attempt number or --last, not both")
        return 2
    options = {}
    if args.format == "xapi":
        if args.account:
            options["account"] = args.account
        if args.homepage:
            options["homepage"] = args.homepage
    try:
        with records() as db:
            if db.notice:
                _err(db.notice)
            attempt_id = args.attempt if args.attempt is not None else db.last_attempt_id()
            if attempt_id is None:
                _err("mmjourney export: error: there is no finished or abandoned attempt in the records yet")
                return 1
            record = db.load(attempt_id)
        text = render(record, args.format, **options)
    except (RecordsUnavailable, ExportError) as error:
        _err(f"mmjourney export: error: {error}")
        return 1
    if args.out:
        problem = _write(args.out, text)
        if problem:
            _err(f"mmjourney export: error: {problem}")
            return 1
        _err(f"Wrote {args.out} ({args.format}, attempt {attempt_id}). {contents_note(record, args.format)}")
    else:
        sys.stdout.write(text)
    return 0


def _list_attempts() -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..journey.debrief_view import STATUS_TEXT
    from ..journey.text import percent_text, when
    from ..story.text_safety import visible
    from .database import RecordsUnavailable, records

    try:
        with records() as db:
            if db.notice:
                _err(db.notice)
            rows = db.attempts()
    except RecordsUnavailable as error:
        _err(f"mmjourney export: error: {error}")
        return 1
    console = Console(highlight=False)
    if not rows:
        console.print(Text("No attempts recorded yet."))
        return 0
    table = Table(title="Recorded attempts")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("#", "right"), ("Started", "left"), ("Story", "left"), ("Mode", "left"), ("Status", "left"),
        ("Score", "right"), ("Ending", "left"))
    for heading, justify in columns:
        table.add_column(heading, justify=justify)
    for row in rows:
        table.add_row(*(Text(visible(str(v))) for v in (
            row["id"], when(row["started_at"]), row["story_title"], row["mode"],
            STATUS_TEXT.get(row["status"], row["status"]), percent_text(row["percent"]), row["ending_title"] or "–")))
    console.print(table)
    return 0


def report_main(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.text import Text

    from ..journey.workspace import Workspace
    from .report import (
        collect,
        gradebook,
        gradebook_csv,
        item_statistics,
        items_csv,
        rejected_line,
        report_html,
        rich_tables,
        summary,
    )

    if args.classroom is None and not args.files:
        _err("mmjourney report: error: give result files or folders, or --classroom")
        return 2
    workspace = Workspace.from_environment(stories=args.stories, data_dir=args.classroom or None)
    classroom, names = None, {}
    if args.classroom is not None:
        classroom = workspace.data_dir
        if not (classroom / "learners").is_dir():
            _err(f"mmjourney report: error: {classroom} holds no classroom learners (no learners folder)")
            return 1
        if args.class_list is not None:
            try:
                names = args.class_list(classroom)
            except ValueError as error:
                _err(f"mmjourney report: the class list {classroom / 'learners.json'} cannot be read ({error}); "
                     "learners are shown by folder id")
    results = collect(args.files, classroom=classroom, class_list=names, stories=workspace.stories_dir)
    for rejected in results.rejected:
        _err(rejected_line(rejected))
    for duplicate in results.duplicates:
        _err(f"{duplicate.path}: skipped: the same attempt as {duplicate.same_as}")
    chosen = [entry for entry in results.entries if args.mode is None or entry.record.mode == args.mode]
    if not chosen:
        _err("mmjourney report: error: no attempts could be used"
             + (f" (none in {args.mode} mode)" if args.mode and results.entries else ""))
        return 1
    rows = gradebook(chosen)
    items = item_statistics(chosen)
    console = Console(highlight=False)
    console.print(Text(summary(results, chosen)))
    if results.files:
        console.print(Text("Self-reported files are not verifiable: whoever owns the computer a file was made "
                           "on can forge it. See the Checks column.", style="yellow"))
    for table in rich_tables(rows, items):
        console.print(table)
    failed = False
    for path, text in ((args.csv, lambda: gradebook_csv(rows)), (args.items_csv, lambda: items_csv(items)),
                       (args.html, lambda: report_html(rows, items, results, chosen))):
        if path:
            problem = _write(path, text())
            if problem:
                _err(f"mmjourney report: error: {problem}")
                failed = True
            else:
                _err(f"Wrote {path}.")
    return 1 if failed or results.rejected else 0


def sync_main(args: argparse.Namespace) -> int:
    import os

    from ..journey.workspace import Workspace
    from . import lrs
    from .outbox import requeue_rejected

    data = Workspace.from_environment().data_dir
    if args.status:
        if args.lrs or args.retry_rejected:
            _err("mmjourney sync: error: --status only shows the queue; give it alone")
            return 2
        return _sync_status(data)
    if not args.lrs and not args.retry_rejected:
        _err("mmjourney sync: error: give --lrs URL to send the statements, or --status to see what waits")
        return 2
    target = None
    if args.lrs:
        try:
            target = lrs.configure(args.lrs, os.environ, data)
        except ValueError as error:
            _err(f"mmjourney sync: error: {error}")
            return 2
        if lrs.insecure(target):
            _err("NOTE: the LRS address starts with http://: the password travels unencrypted.")
    troubles: list[str] = []

    def trouble(path: Path, message: str) -> None:
        troubles.append(f"{path}: {message}")
        _err(f"mmjourney sync: {path}: {message}")

    if args.retry_rejected:
        back = 0

        def requeue(path: Path, store) -> None:
            nonlocal back
            with store.write() as connection:
                back += requeue_rejected(connection)

        lrs.each_store(data, requeue, trouble)
        print(f"{back} rejected statement{'s are' if back != 1 else ' is'} back in the queue.")
    if target is None:
        return 1 if troubles else 0
    if not lrs.record_files(data):
        print(f"No records in {_shown(data)} yet: nothing to send.")
        return 0
    if not _waiting(data):
        print("Nothing waits to be sent: the LRS has accepted every statement of the finished attempts.")
        return 1 if troubles else 0
    done = lrs.deliver_all(lrs.Courier(target), data, trouble)
    delivered = done.sent + done.already
    if delivered:
        line = f"Sent {delivered} statement{'s' if delivered != 1 else ''} to {target.url}"
        print(line + (f" ({done.already} the LRS already held)." if done.already else "."))
    if done.rejected:
        print(f"The LRS rejected {done.rejected}: `mmjourney sync --status` shows its reasons.")
    if done.stopped is not None:
        _err(f"mmjourney sync: {done.stopped}")
    waiting = _waiting(data)
    if waiting:
        print(f"{waiting} statement{'s' if waiting != 1 else ''} still wait{'s' if waiting == 1 else ''} "
              "in the queue.")
    return 1 if done.stopped is not None or done.rejected or troubles or waiting else 0


def _shown(path: Path) -> str:
    from ..story.text_safety import visible

    return visible(str(path))


def _waiting(data: Path) -> int:
    from . import lrs
    from .outbox import counts

    total = 0

    def count(path: Path, store) -> None:
        nonlocal total
        total += counts(store.connection)["pending"]

    lrs.each_store(data, count, lambda path, message: None)
    return total


def _sync_status(data: Path) -> int:
    from ..journey.text import when
    from ..story.text_safety import visible
    from . import lrs, outbox

    totals = dict.fromkeys(outbox.STATES, 0)
    rejected: list[str] = []
    errors: list[str] = []
    unreadable = 0

    def look(path: Path, store) -> None:
        for state, number in outbox.counts(store.connection).items():
            totals[state] += number
        where = "" if path.parent.parent == data else f"learner folder {path.parent.parent.name}, "
        for item in outbox.rejected(store.connection):
            rejected.append(visible(f"  {where}attempt {item.attempt_id} ({item.story_title}, "
                                    f"{item.learner or 'no name'}, started {when(item.started_at)}), {item.verb} "
                                    f"{item.statement_id}: {item.reason}"))
        error = outbox.last_error(store.connection)
        if error:
            errors.append(visible(f"  {where or 'own records, '}{error}"))

    def trouble(path: Path, message: str) -> None:
        nonlocal unreadable
        unreadable += 1
        _err(f"mmjourney sync: {path}: {message}")

    files = lrs.record_files(data)
    lrs.each_store(data, look, trouble)
    print(f"Statements for the LRS in {_shown(data)} ({len(files)} records file{'s' if len(files) != 1 else ''}):")
    for state, label in (("pending", "waiting"), ("sent", "sent"), ("rejected", "rejected")):
        print(f"  {label:<9}{totals[state]:>7}")
    if errors:
        print("Why the last try failed:")
        print("\n".join(errors))
    if rejected:
        print("Rejected by the LRS, with its reasons (sent again after `mmjourney sync --retry-rejected`):")
        print("\n".join(rejected))
    return 1 if unreadable else 0
