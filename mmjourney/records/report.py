"""Class reports for educators: a gradebook and per-item statistics from collected result files.

No server: learners hand in the JSON result files they exported; this reads them, rejects any
that were edited, damaged or are not result files (with the reason), and summarises the rest.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..journey.record import AnswerOption, AttemptRecord
from ..journey.text import percent_text, when
from .exports import RESULT_FORMAT, RESULT_VERSION, integrity_hash

MAX_RESULT_BYTES = 20 * 1024 * 1024

GRADEBOOK_COLUMNS = [
    "learner", "learner_key", "story_id", "story_title", "story_versions", "attempts", "completed", "abandoned",
    "unfinished", "assessment_attempts", "best_percent", "latest_percent", "latest_mode", "latest_ending",
    "latest_critical_errors", "critical_errors_total", "endings_found", "first_started", "last_played",
]
ITEM_COLUMNS = ["story_id", "item", "prompt", "responses", "learners", "best_share", "critical_rate", "choices"]


class ResultError(Exception):
    """Why a file was not accepted as a result file."""


@dataclass(frozen=True)
class Rejected:
    path: Path
    reason: str


@dataclass
class ClassResults:
    records: list[AttemptRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)  # attempt uuid -> file


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


def read_result(path: Path) -> AttemptRecord:
    """The attempt inside a result file, after checking its format, integrity hash and every field."""
    path = Path(path)
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
    try:
        return AttemptRecord.from_json(document.get("attempt"))
    except ValueError as error:
        raise ResultError(f"the attempt inside is incomplete or damaged ({error})") from None


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


def collect(paths) -> ClassResults:
    results = ClassResults()
    for path in result_files(paths):
        if not path.exists():
            results.rejected.append(Rejected(path, "no such file"))
            continue
        try:
            record = read_result(path)
        except ResultError as error:
            results.rejected.append(Rejected(path, str(error)))
            continue
        if record.uuid in results.sources:
            results.duplicates.append(path)  # the same attempt handed in twice counts once
            continue
        results.sources[record.uuid] = path
        results.records.append(record)
    return results


# --- the gradebook -------------------------------------------------------------------------------------


def learner_identity(record: AttemptRecord) -> tuple[str, str]:
    """Attempts are grouped by the name a learner gave, or else by their pseudonymous id."""
    name = (record.learner or "").strip()
    return ("name", name.casefold()) if name else ("key", record.learner_key)


def learner_label(record: AttemptRecord) -> str:
    return (record.learner or "").strip() or f"(no name) {record.learner_key}"


def gradebook(records: list[AttemptRecord]) -> list[dict]:
    """One row per learner and story."""
    groups: dict[tuple, list[AttemptRecord]] = defaultdict(list)
    for record in records:
        groups[(learner_identity(record), record.story.id)].append(record)
    rows = []
    for (_, story_id), attempts in groups.items():
        attempts.sort(key=lambda r: (r.started_at, r.uuid))
        completed = [r for r in attempts if r.status == "completed"]
        finished_order = sorted(completed, key=lambda r: (r.ended_at or r.started_at, r.uuid))
        latest = finished_order[-1] if finished_order else None
        latest_percent = latest.scores.overall.percent if latest else None
        percents = [p for p in (r.scores.overall.percent for r in completed) if p is not None]
        last = attempts[-1]
        rows.append({
            "learner": learner_label(last),
            "learner_key": last.learner_key,
            "story_id": story_id,
            "story_title": last.story.title,
            "story_versions": " ".join(sorted({r.story.version for r in attempts})),
            "attempts": len(attempts),
            "completed": len(completed),
            "abandoned": sum(1 for r in attempts if r.status == "abandoned"),
            "unfinished": sum(1 for r in attempts if r.status == "in_progress"),
            "assessment_attempts": sum(1 for r in attempts if r.mode == "assessment"),
            "best_percent": round(max(percents), 1) if percents else None,
            "latest_percent": round(latest_percent, 1) if latest_percent is not None else None,
            "latest_mode": latest.mode if latest else None,
            "latest_ending": latest.ending.title if latest and latest.ending else None,
            "latest_critical_errors": len(latest.critical_errors) if latest else None,
            "critical_errors_total": sum(len(r.critical_errors) for r in attempts),
            "endings_found": len({r.ending.title if r.ending else None for r in completed}),
            "first_started": attempts[0].started_at,
            "last_played": max(r.ended_at or r.updated_at or r.started_at for r in attempts),
        })
    rows.sort(key=lambda row: (row["story_id"], row["learner"].casefold()))
    return rows


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

    @property
    def best_share(self) -> float | None:
        return None if not self.responses else self.best / self.responses

    @property
    def critical_rate(self) -> float | None:
        return None if not self.responses else self.critical / self.responses

    def choices_text(self) -> str:
        ordered = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return "; ".join(f"{self.labels.get(k, k)} [{self.marks.get(k, '?')}]: {n}" for k, n in ordered)


def item_statistics(records: list[AttemptRecord]) -> list[ItemStats]:
    """How each decision point and question went across the class."""
    items: dict[tuple, ItemStats] = {}
    for record in records:
        story = record.story
        for decision in record.decisions:
            key = (story.id, decision.kind, decision.item)
            stats = items.get(key)
            if stats is None:
                stats = items[key] = ItemStats(story.id, story.title, decision.item, decision.kind,
                                               decision.prompt or decision.item, first_seen=(story.id, decision.number))
            for option in decision.options:
                stats.labels.setdefault(option.id, option.label)
                if isinstance(option, AnswerOption):
                    stats.marks.setdefault(option.id, "correct" if option.correct else "incorrect")
                else:
                    stats.marks.setdefault(option.id, option.rating)
            stats.responses += 1
            stats.learners.add(learner_identity(record))
            stats.best += 1 if decision.matched_expert else 0
            stats.critical += 1 if decision.critical else 0
            for picked in decision.response:
                stats.counts[picked] = stats.counts.get(picked, 0) + 1
    return sorted(items.values(), key=lambda s: s.first_seen)


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
            s.story_id, s.item, s.prompt, s.responses, len(s.learners),
            "" if s.best_share is None else round(s.best_share, 3),
            "" if s.critical_rate is None else round(s.critical_rate, 3), s.choices_text())])
    return out.getvalue()


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


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
        story_rows = [row for row in rows if row["story_id"] == story_id]
        book = Table(title=Text(f"Gradebook: {story_rows[0]['story_title']}"), title_justify="left")
        for heading, justify in (("Learner", "left"), ("Attempts", "right"), ("Best", "right"),
                                 ("Latest", "right"), ("Latest ending", "left"), ("Critical errors", "right"),
                                 ("Last played", "left")):
            book.add_column(heading, justify=justify)
        for row in story_rows:
            unfinished = row["attempts"] - row["completed"]
            attempts = f"{row['attempts']}" + (f" ({unfinished} unfinished)" if unfinished else "")
            book.add_row(*(Text(str(v)) for v in (
                row["learner"], attempts, percent_text(row["best_percent"]),
                percent_text(row["latest_percent"]), row["latest_ending"] or "–", row["critical_errors_total"],
                row["last_played"][:10])))
        tables.append(book)
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
            table.add_row(Text(s.prompt, style="bold"), Text(str(s.responses)), Text(""), Text(_share(s.best_share)),
                          Text(_share(s.critical_rate)))
            for option, count in sorted(s.counts.items(), key=lambda kv: (-kv[1], kv[0])):
                table.add_row(Text(f"  • {s.labels.get(option, option)} [{s.marks.get(option, '?')}]"),
                              Text(str(count)), Text(_share(count / s.responses)), Text(""), Text(""))
        tables.append(table)
    return tables


def report_html(rows: list[dict], items: list[ItemStats], results: ClassResults) -> str:
    e = lambda v: html.escape("" if v is None else str(v), quote=True)  # noqa: E731
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           "<title>mmjourney class report</title><style>",
           "body{font:14px/1.4 system-ui,Arial,sans-serif;margin:1.5rem;color:#1d1d1f}"
           "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccd;padding:.25rem .5rem;"
           "text-align:left;vertical-align:top}th{background:#f2f4f6}td.n{text-align:right}"
           ".note{color:#5f6368}.bad{color:#b3261e}@media print{tr{break-inside:avoid}}",
           "</style></head><body><h1>Class report</h1>",
           f"<p class=\"note\">{len(results.records)} attempts from {len(results.sources)} result files. Made by "
           "mmjourney on this computer from the files given; nothing was sent anywhere. It contains learner names "
           "as the learners typed them.</p>"]
    if results.rejected:
        out.append("<h2>Files not counted</h2><ul>")
        out += [f'<li class="bad">{e(r.path.name)}: {e(r.reason)}</li>' for r in results.rejected]
        out.append("</ul>")
    out.append("<h2>Gradebook</h2><table><thead><tr>" + "".join(
        f"<th>{e(h)}</th>" for h in ("Learner", "Story", "Attempts", "Completed", "Best", "Latest", "Latest ending",
                                     "Critical errors", "Last played")) + "</tr></thead><tbody>")
    for row in rows:
        out.append(f"<tr><td>{e(row['learner'])}</td><td>{e(row['story_title'])}</td>"
                   f"<td class=n>{row['attempts']}</td><td class=n>{row['completed']}</td>"
                   f"<td class=n>{e(percent_text(row['best_percent']))}</td>"
                   f"<td class=n>{e(percent_text(row['latest_percent']))}</td><td>{e(row['latest_ending'] or '–')}</td>"
                   f"<td class=n>{row['critical_errors_total']}</td><td>{e(when(row['last_played']))}</td></tr>")
    out.append("</tbody></table><h2>Items</h2>")
    by_story: dict[str, list[ItemStats]] = defaultdict(list)
    for s in items:
        by_story[s.story_id].append(s)
    for story_items in by_story.values():
        out.append(f"<h3>{e(story_items[0].story_title)}</h3><table><thead><tr><th>Item</th><th>Responses</th>"
                   "<th>Chose best</th><th>Critical errors</th><th>Choices taken (rating): times</th></tr></thead><tbody>")
        for s in story_items:
            choices = "<br>".join(f"{e(s.labels.get(k, k))} <em>[{e(s.marks.get(k, '?'))}]</em>: {n}"
                                  for k, n in sorted(s.counts.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(f"<tr><td>{e(s.prompt)}</td><td class=n>{s.responses}</td><td class=n>{_share(s.best_share)}</td>"
                       f"<td class=n>{_share(s.critical_rate)}</td><td>{choices}</td></tr>")
        out.append("</tbody></table>")
    out.append("</body></html>\n")
    return "\n".join(out)
