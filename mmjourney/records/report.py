"""Class reports for educators: a gradebook and per-item statistics.

Two sources, marked apart in every output:

- **the classroom server** (`--classroom DATA_DIR`): each learner's records database in the class's data
  folder, read directly and read-only. The learner's name comes from the class list (learners.json) by
  folder id, never from what a record says. This is the educator's own evidence.
- **self-reported files**: JSON result files that learners exported on their own machines and handed in.
  Each is refused, with the reason, when it was damaged or edited after export (the integrity hash), is
  not a result file, holds values of the wrong kind, does not add up, or disagrees with a replay of its
  decisions in its story (when that story is on this machine). A file that passes is still only as
  trustworthy as the machine it was made on: whoever owns that machine can forge one.

Nothing in one file or one learner's records can stop the report: every problem becomes a line naming
the file or learner and the reason, and the rest are reported.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from ..journey.debrief_view import UNDONE_CRITICAL_ERROR
from ..journey.record import AnswerOption, AttemptRecord, DecisionRecord
from ..journey.text import count_text, percent_text, when
from ..journey.workspace import Workspace
from ..story.text_safety import strip_controls, visible
from .database import RecordsUnavailable, open_read_only
from .exports import RESULT_FORMAT, RESULT_VERSION, integrity_hash
from .lookalike import hidden_characters, look_alikes, reveal
from .verify import Mismatch, StoryShelf, verify

if TYPE_CHECKING:
    from rich.console import JustifyMethod

MAX_RESULT_BYTES = 20 * 1024 * 1024

SERVER = "classroom server"
SELF_REPORTED = "self-reported file"

GRADEBOOK_COLUMNS = [
    "learner", "learner_key", "source", "story_id", "story_title", "story_versions", "attempts", "completed",
    "abandoned", "unfinished", "modes", "assessment_attempts", "undos", "best_percent", "latest_percent",
    "latest_mode", "latest_ending", "latest_critical_errors", "critical_errors_total", "safety", "passed",
    "undone_critical_errors", "endings_found", "first_started", "last_played", "checks", "warnings",
]
NOT_FINISHED = "not finished"
ITEM_COLUMNS = ["story_id", "item", "item_type", "prompt", "responses", "learners", "best_share", "critical_rate",
                "choices", "scores", "most_missed"]
# What the report calls each kind of item (a record names a question by its type in the format).
ITEM_TYPES = {"single_best": "single best answer", "select_all": "select all that apply", "select_n": "select N",
              "matrix": "matrix multiple choice", "matrix_multiple": "matrix multiple response",
              "highlight": "highlight",
              "drag_cloze": "drag-and-drop cloze",
              "drag_rationale": "drag-and-drop rationale",
              "ordering": "ordering"}
MOST_MISSED = 3  # the units listed as most missed, per item


class ResultError(Exception):
    """Why a file was not accepted as a result file."""


@dataclass(frozen=True)
class Rejected:
    """A result file, or a classroom learner's records (`learner` set), that could not be used, and why."""

    path: Path
    reason: str
    learner: str | None = None


@dataclass(frozen=True)
class Entry:
    """One attempt in the report, with where it came from.

    `record`'s texts hold no control characters (AttemptRecord.from_json removes them). `identity`
    groups a learner's attempts: their folder id in a classroom, else the name they gave (ignoring
    case) or their pseudonym. `hidden_in_name`: the name as written held control or invisible characters.
    """

    record: AttemptRecord
    source: str  # SERVER or SELF_REPORTED
    origin: Path  # the result file, or the learner's records database
    identity: tuple[str, str]
    check: str = ""  # how far a self-reported file could be checked
    hidden_in_name: bool = False


@dataclass(frozen=True)
class Duplicate:
    path: Path
    same_as: Path


@dataclass
class ClassResults:
    entries: list[Entry] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)  # attempt uuid -> file or records database
    files: int = 0  # result files used
    class_learners: int = 0  # classroom learners whose records were read

    @property
    def records(self) -> list[AttemptRecord]:
        return [entry.record for entry in self.entries]

    def add(self, entry: Entry) -> bool:
        """Count the attempt, unless it was counted already (then False: the same attempt counts once)."""
        first = self.sources.get(entry.record.uuid)
        if first is not None:
            self.duplicates.append(Duplicate(entry.origin, first))
            return False
        self.sources[entry.record.uuid] = entry.origin
        self.entries.append(entry)
        return True


# --- reading and checking result files -----------------------------------------------------------------

MAX_NESTING = 32  # a result file nests about six deep; far deeper is damage or an attack on the parser
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


def _nested_too_deeply(text: str) -> bool:
    """Whether brackets nest deeper than MAX_NESTING, found without parsing (the parser would recurse).

    Strings are removed, then innermost bracket pairs peeled off one level per pass.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(MAX_NESTING):
        brackets, peeled = _EMPTY_PAIR.subn("", brackets)
        if not peeled:
            return False  # all peeled, or mismatched brackets that the JSON parser will refuse
    return bool(brackets)


def _read_document(path: Path) -> dict:
    """A result file's JSON, after checking its format and integrity hash."""
    try:
        if path.stat().st_size > MAX_RESULT_BYTES:
            raise ResultError("the file is too large to be a result file")
        raw = path.read_bytes()
    except OSError as error:
        raise ResultError(f"cannot be read ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ResultError("not an mmjourney result file (it is not JSON text)") from None
    if _nested_too_deeply(text):
        raise ResultError("not an mmjourney result file (its values are nested far too deeply)")
    try:
        document = json.loads(text)
    except ValueError:
        raise ResultError("not an mmjourney result file (it is not JSON text)") from None
    if isinstance(document, list) and document and isinstance(document[0], dict) and "verb" in document[0]:
        raise ResultError("these are xAPI statements (for a Learning Record Store), not a result file; "
                          "export results with --format json")
    if not isinstance(document, dict) or document.get("format") != RESULT_FORMAT:
        raise ResultError("not an mmjourney result file")
    if document.get("version") != RESULT_VERSION:
        raise ResultError(f"result file version {document.get('version')!r} is not supported "
                          f"(this mmjourney reads version {RESULT_VERSION})")
    integrity = document.get("integrity")
    if not isinstance(integrity, dict) or integrity.get("algorithm") != "sha256" or \
            not isinstance(integrity.get("hash"), str):
        raise ResultError("the integrity hash is missing, so changes to the file cannot be ruled out")
    try:
        expected = integrity_hash(document)
    except (TypeError, ValueError):
        raise ResultError("the file holds values that cannot be checked") from None
    if expected != integrity["hash"]:
        raise ResultError("the integrity hash does not match: the file was changed after it was exported")
    return document


def _attempt_of(document: dict) -> AttemptRecord:
    try:
        return AttemptRecord.from_json(document.get("attempt"))
    except ValueError as error:
        raise ResultError(f"the attempt inside is incomplete or damaged ({error})") from None


def read_result(path: Path) -> AttemptRecord:
    """The attempt inside a result file, after checking its format, integrity hash and every field."""
    return _attempt_of(_read_document(Path(path)))


def _name_as_written(document: dict) -> str:
    attempt = document.get("attempt")
    learner = attempt.get("learner") if isinstance(attempt, dict) else None
    return learner if isinstance(learner, str) else ""


def _file_entry(path: Path, shelf: StoryShelf) -> Entry:
    document = _read_document(path)
    record = _attempt_of(document)
    try:
        check = verify(record, shelf)
    except Mismatch as mismatch:
        raise ResultError(str(mismatch)) from None
    name = (record.learner or "").strip()
    identity = ("name", name.casefold()) if name else ("key", record.learner_key)
    return Entry(record, SELF_REPORTED, path, identity, check, hidden_characters(_name_as_written(document)))


def result_files(paths) -> list[Path]:
    """Files given, and the *.json files directly inside folders given."""
    found = []
    for given in paths:
        given = Path(given)
        if given.is_dir():
            found += sorted(p for p in given.glob("*.json") if p.is_file() and not p.name.startswith("."))
        else:
            found.append(given)
    return found


def _unexpected(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "its values are nested far too deeply to be read"
    if isinstance(error, MemoryError):
        return "it is too large to be read"
    return f"it could not be checked ({error.__class__.__name__}: {error})"


# --- reading a classroom's records on the server ------------------------------------------------------


def _learner_entries(results: ClassResults, folder_id: str, name: str | None, path: Path) -> None:
    # The class list was written by the server from checked names, but it is a file an editor can reach.
    label = strip_controls(name) if name else f"(not on the class list) {folder_id}"
    try:
        db = open_read_only(path)
    except RecordsUnavailable as error:
        results.rejected.append(Rejected(path, str(error), label))
        return
    try:
        results.class_learners += 1
        for row in db.attempts():
            try:
                record = db.load(row["id"])
            except RecordsUnavailable as error:
                results.rejected.append(Rejected(path, str(error), label))
                continue
            # The class list says who this is; what the record says was typed on some screen.
            record = replace(record, learner=label)
            results.add(Entry(record, SERVER, path, ("learner", folder_id), "",
                              name is not None and hidden_characters(name)))
    finally:
        db.close()


def _read_classroom(results: ClassResults, data_dir: Path, names: Mapping[str, str]) -> None:
    folders = data_dir / "learners"
    try:
        found = sorted(p.name for p in folders.iterdir() if p.is_dir())
    except OSError as error:
        results.rejected.append(Rejected(folders, f"the learners' folders cannot be listed ({error.strerror})",
                                         "(every learner)"))
        return
    for folder_id in found:
        name = names.get(folder_id)
        path = Workspace(data_dir).for_learner(folder_id, name or "").records_path
        if not path.exists():
            continue  # signed in but never decided anything: no records yet
        try:
            _learner_entries(results, folder_id, name, path)
        except Exception as error:  # one learner's records must never stop the class's report
            results.rejected.append(Rejected(path, _unexpected(error), name or folder_id))


def collect(paths=(), *, classroom: Path | None = None, class_list: Mapping[str, str] | None = None,
            stories: Path | None = None) -> ClassResults:
    """Every usable attempt: a classroom's records (`classroom`: its data folder, `class_list`: folder
    id -> name) first, then the result files in `paths`; refused ones with the reason.

    `stories`: a folder of stories besides the bundled ones, to replay result files in.
    """
    results = ClassResults()
    if classroom is not None:
        _read_classroom(results, Path(classroom), class_list or {})
    shelf = StoryShelf(Path(stories) if stories else None)
    for path in result_files(paths):
        if not path.exists():
            results.rejected.append(Rejected(path, "no such file"))
            continue
        try:
            entry = _file_entry(path, shelf)
        except ResultError as error:
            results.rejected.append(Rejected(path, str(error)))
            continue
        except Exception as error:  # one learner's file must never stop the class's report
            results.rejected.append(Rejected(path, _unexpected(error)))
            continue
        if results.add(entry):
            results.files += 1
    return results


# --- the gradebook -------------------------------------------------------------------------------------


def learner_label(record: AttemptRecord) -> str:
    return (record.learner or "").strip() or f"(no name) {record.learner_key}"


MODE_ORDER = ("practice", "assessment")


def _warnings(rows: list[dict], hidden: list[bool]) -> None:
    """Flag rows whose learner names look alike, or hide characters (`hidden`: as first written)."""
    alike = look_alikes(list(dict.fromkeys(row["learner"] for row in rows)))
    for row, hid in zip(rows, hidden, strict=True):
        found = [f"looks like: {other}" for other in alike.get(row["learner"], [])]
        if hid or hidden_characters(row["learner"]):
            found.insert(0, f"name has hidden characters: {reveal(row['learner'])}")
        row["warnings"] = "; ".join(found)


def _safety(record: AttemptRecord) -> str:
    """'safe', or 'unsafe: 2 critical errors'."""
    errors = len(record.critical_errors)
    return "safe" if record.verdict.safe else f"unsafe: {count_text(errors, 'critical error')}"


def _latest(row: dict) -> str:
    """The latest score, or 'not finished' when no attempt reached an ending (no percentage yet)."""
    return percent_text(row["latest_percent"]) if row["completed"] else NOT_FINISHED


def _made_in(record: AttemptRecord, decision: DecisionRecord, counted: set[str]) -> bool:
    """Whether the report counts `decision` in `record`: a decision "try again from here" carried over from an
    earlier attempt counts in that attempt when the report has it (`counted`: the uuids it has), else here."""
    return not (decision.carried_over and record.carried_over is not None
                and record.carried_over.from_attempt in counted)


def gradebook(entries: list[Entry]) -> list[dict]:
    """One row per learner, story and source."""
    counted = {entry.record.uuid for entry in entries}
    groups: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.source, entry.identity, entry.record.story.id)].append(entry)
    rows = []
    for (source, _, story_id), group in groups.items():
        group.sort(key=lambda e: (e.record.started_at, e.record.uuid))
        attempts = [e.record for e in group]
        completed = [r for r in attempts if r.status == "completed"]
        finished_order = sorted(completed, key=lambda r: (r.ended_at or r.started_at, r.uuid))
        latest = finished_order[-1] if finished_order else None
        latest_percent = latest.scores.overall.percent if latest else None
        percents = [p for p in (r.scores.overall.percent for r in completed) if p is not None]
        last = attempts[-1]
        modes = {r.mode for r in attempts}
        rows.append({
            "learner": learner_label(last),
            "learner_key": last.learner_key,
            "source": source,
            "story_id": story_id,
            "story_title": last.story.title,
            "story_versions": " ".join(sorted({r.story.version for r in attempts})),
            "attempts": len(attempts),
            "completed": len(completed),
            "abandoned": sum(1 for r in attempts if r.status == "abandoned"),
            "unfinished": sum(1 for r in attempts if r.status == "in_progress"),
            "modes": ", ".join(m for m in MODE_ORDER if m in modes),
            "assessment_attempts": sum(1 for r in attempts if r.mode == "assessment"),
            "undos": sum(r.undos for r in attempts),
            "best_percent": round(max(percents), 1) if percents else None,
            "latest_percent": round(latest_percent, 1) if latest_percent is not None else None,
            "latest_mode": latest.mode if latest else None,
            "latest_ending": latest.ending.title if latest and latest.ending else None,
            "latest_critical_errors": len(latest.critical_errors) if latest else None,
            "critical_errors_total": sum(1 for r in attempts for d in r.decisions
                                         if d.critical and _made_in(r, d, counted)),
            # The latest finished attempt's verdict: what the learner can do now, not what they once did.
            "safety": _safety(latest) if latest else NOT_FINISHED,
            "passed": ("yes" if latest.verdict.passed else "no") if latest else NOT_FINISHED,
            "undone_critical_errors": "; ".join(f"{UNDONE_CRITICAL_ERROR}: {u.label} (decision {u.number})"
                                                for r in attempts for u in r.undone if u.critical),
            "endings_found": len({r.ending.title if r.ending else None for r in completed}),
            "first_started": attempts[0].started_at,
            "last_played": max(r.ended_at or r.updated_at or r.started_at for r in attempts),
            "checks": "; ".join(dict.fromkeys(e.check for e in group if e.check)),
        })
    _warnings(rows, [any(e.hidden_in_name for e in group) for group in groups.values()])
    rows.sort(key=lambda row: (row["story_id"], row["learner"].casefold(), row["source"]))
    return rows


def learner_count(entries: list[Entry]) -> int:
    return len({(e.source, e.identity) for e in entries})


# --- per-item statistics ----------------------------------------------------------------------------------


@dataclass
class ItemStats:
    story_id: str
    story_title: str
    item: str
    kind: str
    prompt: str
    responses: int = 0
    best: int = 0
    critical: int = 0
    learners: set = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)  # option id -> label
    marks: dict[str, str] = field(default_factory=dict)  # option id -> rating or correct/incorrect
    counts: dict[str, int] = field(default_factory=dict)  # option id -> times chosen
    first_seen: tuple = ()
    item_type: str = "decision"
    # How many responses scored each 'points of max' (questions: their NCSBN partial credit).
    scores: dict[tuple[float, float], int] = field(default_factory=dict)
    # A question's scored units (an option, or a matrix cell 'row:column') and how often each was missed: a
    # right one left out or a wrong one picked.
    missed: dict[str, int] = field(default_factory=dict)

    @property
    def best_share(self) -> float | None:
        return None if not self.responses else self.best / self.responses

    @property
    def critical_rate(self) -> float | None:
        return None if not self.responses else self.critical / self.responses

    def choices_text(self) -> str:
        ordered = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return "; ".join(f"{self.labels.get(k, k)} [{self.marks.get(k, '?')}]: {n}" for k, n in ordered)

    def scores_text(self) -> str:
        """'0 of 3: 2; 2 of 3: 5; 3 of 3: 10', lowest score first."""
        return "; ".join(f"{points:g} of {most:g}: {n}" for (points, most), n in sorted(self.scores.items()))

    def most_missed(self) -> list[tuple[str, int]]:
        """The units missed most often (label, times), most first; none for decisions between choices."""
        ordered = sorted(self.missed.items(), key=lambda kv: (-kv[1], kv[0]))[:MOST_MISSED]
        return [(self.labels.get(unit, unit), n) for unit, n in ordered]

    def most_missed_text(self) -> str:
        return "; ".join(f"{label}: missed {n} of {self.responses}" for label, n in self.most_missed())


def item_statistics(entries: list[Entry]) -> list[ItemStats]:
    """How each decision point and question went across the class.

    A decision that "try again from here" carried over from an earlier attempt counts once, in that attempt,
    when the report has it; otherwise (its file was not handed in) in the attempt that carried it."""
    items: dict[tuple, ItemStats] = {}
    counted = {entry.record.uuid for entry in entries}
    for entry in entries:
        record = entry.record
        story = record.story
        for decision in record.decisions:
            if not _made_in(record, decision, counted):
                continue
            key = (story.id, decision.kind, decision.item)
            stats = items.get(key)
            if stats is None:
                stats = items[key] = ItemStats(
                    story.id, story.title, decision.item, decision.kind, decision.prompt or decision.item,
                    first_seen=(story.id, decision.number),
                    item_type=ITEM_TYPES.get(decision.question_type or "", decision.question_type or "decision"))
            for option in decision.options:
                stats.labels.setdefault(option.id, option.label)
                if isinstance(option, AnswerOption):
                    stats.marks.setdefault(option.id, "correct" if option.correct else "incorrect")
                else:
                    stats.marks.setdefault(option.id, option.rating)
            stats.responses += 1
            stats.learners.add((entry.source, entry.identity))
            stats.best += 1 if decision.matched_expert else 0
            stats.critical += 1 if decision.critical else 0
            for picked in decision.response:
                stats.counts[picked] = stats.counts.get(picked, 0) + 1
            score = (float(decision.points), float(decision.max_points))
            stats.scores[score] = stats.scores.get(score, 0) + 1
            for option in decision.options:
                if isinstance(option, AnswerOption) and (option.id in decision.response) != option.correct:
                    stats.missed[option.id] = stats.missed.get(option.id, 0) + 1
    return sorted(items.values(), key=lambda s: s.first_seen)


# --- what the report says about itself ---------------------------------------------------------------

TRUST_NOTE = ("Rows from the classroom server were read from the learners' records on the server. Rows from "
              "self-reported files are not verifiable: a learner who owns the computer a file was made on can "
              "forge it (its integrity hash only shows accidental damage). Checks says how far each file "
              "could be checked.")


def summary(results: ClassResults, entries: list[Entry] | None = None) -> str:
    """`12 attempts by 4 learners from 3 result files and the classroom server (2 learners' records).`"""
    entries = results.entries if entries is None else entries
    sources = []
    if results.files:
        sources.append(f"{results.files} result files")
    if results.class_learners:
        sources.append(f"the classroom server ({results.class_learners} learners' records)")
    return (f"{len(entries)} attempts by {learner_count(entries)} learners from "
            f"{' and '.join(sources) or 'nothing usable'}.")


def rejected_line(rejected: Rejected, full: bool = True) -> str:
    """`in/ben.json: rejected: why` for a file; `learner Ada (path): not read: why` for classroom records.
    (`full`: the whole path of a file, else its name.) Control characters in it are not yet made visible."""
    if rejected.learner is not None:
        return f"learner {rejected.learner} ({rejected.path}): not read: {rejected.reason}"
    return f"{rejected.path if full else rejected.path.name}: rejected: {rejected.reason}"


# --- output ------------------------------------------------------------------------------------------------


def _csv_cell(value) -> object:
    # A cell starting with = + - @ is a formula to a spreadsheet: learner-typed text must stay text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def gradebook_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GRADEBOOK_COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(row[c]) for c in GRADEBOOK_COLUMNS])
    return out.getvalue()


def items_csv(items: list[ItemStats]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ITEM_COLUMNS)
    for s in items:
        writer.writerow([_csv_cell(v) for v in (
            s.story_id, s.item, s.item_type, s.prompt, s.responses, len(s.learners),
            "" if s.best_share is None else round(s.best_share, 3),
            "" if s.critical_rate is None else round(s.critical_rate, 3), s.choices_text(), s.scores_text(),
            s.most_missed_text())])
    return out.getvalue()


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


GRADEBOOK_TITLES = {SERVER: "from the classroom server", SELF_REPORTED: "from self-reported files (not verifiable)"}


def _gradebook_table(rows: list[dict], source: str):
    """One story's gradebook from one source (a table each keeps the columns few enough for a terminal)."""
    from rich.table import Table
    from rich.text import Text

    files = source == SELF_REPORTED
    book = Table(title=Text(f"Gradebook: {rows[0]['story_title']}, {GRADEBOOK_TITLES[source]}"),
                 title_justify="left")
    # The dates and the rest are in the CSV and HTML gradebooks: a terminal has room for few columns.
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Learner", "left"), ("Mode", "left"), ("Attempts", "right"), ("Undos", "right"), ("Best", "right"),
        ("Latest", "right"), ("Latest ending", "left"), ("Critical errors", "right"), ("Safety", "left"),
        ("Passed", "left"),
        *((("Checks", "left"),) if files else ()))
    for heading, justify in columns:
        book.add_column(heading, justify=justify)
    for row in rows:
        unfinished = row["attempts"] - row["completed"]
        attempts = f"{row['attempts']}" + (f" ({unfinished} unfinished)" if unfinished else "")
        learner = Text(row["learner"])
        if row["warnings"]:
            learner.append("\n⚠ " + row["warnings"].replace("; ", "\n⚠ "), style="bold yellow")
        cells = [row["modes"], attempts, row["undos"], percent_text(row["best_percent"]), _latest(row),
                 row["latest_ending"] or "–", row["critical_errors_total"], row["safety"], row["passed"]]
        book.add_row(learner, *(Text(str(v)) for v in cells + ([row["checks"] or "–"] if files else [])))
    return book


def rich_tables(rows: list[dict], items: list[ItemStats]) -> list:
    """Rich renderables, story by story; every cell is a Text, so learner and story text is never markup."""
    from rich.table import Table
    from rich.text import Text

    tables = []
    stories = list(dict.fromkeys(row["story_id"] for row in rows))
    by_story: dict[str, list[ItemStats]] = defaultdict(list)
    for s in items:
        by_story[s.story_id].append(s)
    for story_id in stories:
        for source in (SERVER, SELF_REPORTED):
            source_rows = [row for row in rows if row["story_id"] == story_id and row["source"] == source]
            if source_rows:
                tables.append(_gradebook_table(source_rows, source))
        story_items = by_story.get(story_id)
        if not story_items:
            continue
        table = Table(title=Text(f"Items: {story_items[0].story_title}"), title_justify="left")
        table.add_column("Decision or question, then each choice taken [its rating]")
        table.add_column("Times", justify="right")
        table.add_column("Share", justify="right")
        table.add_column("Chose best", justify="right")
        table.add_column("Critical errors", justify="right")
        for s in story_items:
            heading = Text(s.prompt, style="bold")
            heading.append(f" ({s.item_type})", style="italic")
            table.add_row(heading, Text(str(s.responses)), Text(""), Text(_share(s.best_share)),
                          Text(_share(s.critical_rate)))
            for option, count in sorted(s.counts.items(), key=lambda kv: (-kv[1], kv[0])):
                table.add_row(Text(f"  • {s.labels.get(option, option)} [{s.marks.get(option, '?')}]"),
                              Text(str(count)), Text(_share(count / s.responses)), Text(""), Text(""))
            if s.item_type != "decision":
                table.add_row(Text(f"  Scores: {s.scores_text()}", style="italic"), *(Text("") for _ in range(4)))
                for label, n in s.most_missed():
                    table.add_row(Text(f"  Missed: {label}", style="italic"), Text(str(n)),
                                  Text(_share(n / s.responses)), Text(""), Text(""))
        tables.append(table)
    return tables


def report_html(rows: list[dict], items: list[ItemStats], results: ClassResults,
                entries: list[Entry] | None = None) -> str:
    """The whole report as one page (`entries`: the attempts the rows were made from, if not all)."""
    e = lambda v: html.escape("" if v is None else str(v), quote=True)  # noqa: E731
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           "<title>mmjourney class report</title><style>",
           "body{font:14px/1.4 system-ui,Arial,sans-serif;margin:1.5rem;color:#1d1d1f}"
           "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccd;padding:.25rem .5rem;"
           "text-align:left;vertical-align:top}th{background:#f2f4f6}td.n{text-align:right}"
           ".note{color:#5f6368}.bad{color:#b3261e}@media print{tr{break-inside:avoid}}",
           "</style></head><body><h1>Class report</h1>",
           f"<p class=\"note\">{e(summary(results, entries))} Made by mmjourney on this computer; nothing was sent "
           "anywhere. It contains learner names: from the class list for the classroom server's records, as the "
           "learners typed them for result files.</p>",
           f"<p class=\"note\">{e(TRUST_NOTE)}</p>"]
    if results.rejected:
        out.append("<h2>Not counted</h2><ul>")
        out += [f'<li class="bad">{e(visible(rejected_line(r, full=False)))}</li>' for r in results.rejected]
        out.append("</ul>")
    out.append("<h2>Gradebook</h2><table><thead><tr>" + "".join(
        f"<th>{e(h)}</th>" for h in ("Learner", "Source", "Story", "Mode", "Attempts", "Completed", "Undos", "Best",
                                     "Latest", "Latest ending", "Critical errors", "Safety", "Passed",
                                     "Last played", "Checks")
    ) + "</tr></thead><tbody>")
    for row in rows:
        warnings = "".join(f'<br><span class="bad">⚠ {e(w)}</span>' for w in row["warnings"].split("; ") if w)
        out.append(f"<tr><td>{e(row['learner'])}{warnings}</td><td>{e(row['source'])}</td>"
                   f"<td>{e(row['story_title'])}</td><td>{e(row['modes'])}</td>"
                   f"<td class=n>{row['attempts']}</td><td class=n>{row['completed']}</td>"
                   f"<td class=n>{row['undos']}</td><td class=n>{e(percent_text(row['best_percent']))}</td>"
                   f"<td class=n>{e(_latest(row))}</td><td>{e(row['latest_ending'] or '–')}</td>"
                   f"<td class=n>{row['critical_errors_total']}</td><td>{e(row['safety'])}</td>"
                   f"<td>{e(row['passed'])}</td><td>{e(when(row['last_played']))}</td>"
                   f"<td>{e(row['checks'] or '–')}</td></tr>")
    out.append("</tbody></table><h2>Items</h2>")
    by_story: dict[str, list[ItemStats]] = defaultdict(list)
    for s in items:
        by_story[s.story_id].append(s)
    for story_items in by_story.values():
        out.append(f"<h3>{e(story_items[0].story_title)}</h3><table><thead><tr><th>Item</th><th>Type</th>"
                   "<th>Responses</th><th>Chose best</th><th>Critical errors</th><th>Choices taken (rating): times</th>"
                   "<th>Scores</th><th>Most missed</th></tr></thead><tbody>")
        for s in story_items:
            choices = "<br>".join(f"{e(s.labels.get(k, k))} <em>[{e(s.marks.get(k, '?'))}]</em>: {n}"
                                  for k, n in sorted(s.counts.items(), key=lambda kv: (-kv[1], kv[0])))
            missed = "<br>".join(f"{e(label)}: {n} of {s.responses}" for label, n in s.most_missed())
            out.append(f"<tr><td>{e(s.prompt)}</td><td>{e(s.item_type)}</td><td class=n>{s.responses}</td>"
                       f"<td class=n>{_share(s.best_share)}</td><td class=n>{_share(s.critical_rate)}</td>"
                       f"<td>{choices}</td><td>{e(s.scores_text()) if s.item_type != 'decision' else ''}</td>"
                       f"<td>{missed}</td></tr>")
        out.append("</tbody></table>")
    out.append("</body></html>\n")
    return "\n".join(out)
