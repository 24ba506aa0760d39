"""Exports of one attempt: Markdown, a self-contained HTML debrief, a JSON result file, xAPI statements.

Every export is built from the attempt record alone (see recording.build_record), so it works
without the story file. Story text is untrusted: Markdown escapes it, HTML passes every piece
through html.escape, and the HTML page allows no scripts or outside resources at all.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import time
from pathlib import Path

from .. import __version__
from ..engine import STEP_LABELS, clock_text, duration_text
from ..journey.files import write_text_atomic as write_file_atomic
from .charts import score_bar_svg, stat_chart_svg

FORMATS = ("md", "html", "json", "xapi")
EXTENSIONS = {"md": "md", "html": "html", "json": "result.json", "xapi": "xapi.json"}
RESULT_FORMAT = "mmjourney-result"
RESULT_VERSION = 1
CANONICAL_FORM = "JSON, keys sorted, no spaces (separators ',' and ':'), UTF-8, without the 'integrity' member"

STATUS_TEXT = {"completed": "completed", "abandoned": "left before the end", "in_progress": "not finished yet"}
RATING_TEXT = {"best": "best", "acceptable": "acceptable", "poor": "poor", "harmful": "harmful"}


class ExportError(Exception):
    """An export that cannot be made; the message says why."""


# --- shared wording ----------------------------------------------------------------------------------


def exportable(record: dict) -> dict:
    """The record without what only makes sense on this machine (local id, story file path)."""
    return {k: v for k, v in record.items() if k != "local"}


def contents_note(record: dict, fmt: str) -> str:
    """What an export contains, in plain words (every export says it)."""
    learner = record.get("learner")
    who = f'the learner name "{learner}"' if learner else "no learner name (none was given)"
    if fmt == "xapi":
        who = (f"a pseudonymous account id ({record.get('learner_key')}) instead of any name; "
               "the learner name is not included")
    return (f"This file contains {who}; the story played ({record['story']['title']}, version "
            f"{record['story']['version']}); the mode and seed; every decision with the time it was made; the "
            "scores, critical errors and ending. It was made by mmjourney on this computer: nothing was sent "
            "anywhere.")


def when(stamp: str | None) -> str:
    """'2026-03-01 14:05 UTC' from a stored time."""
    if not stamp:
        return "unknown"
    return f"{stamp[:10]} {stamp[11:16]} UTC"


def minutes_text(seconds: float | None) -> str:
    seconds = float(seconds or 0)
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def score_text(tally: dict | None) -> str:
    if not tally or not tally.get("max_points"):
        return "no scored decisions"
    percent = tally.get("percent")
    text = f"{tally['points']:g} of {tally['max_points']:g}"
    return text + (f" ({percent:.0f}%)" if percent is not None else "")


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def objective_texts(record: dict) -> dict[str, str]:
    return {o["id"]: o["text"] for o in record["story"].get("objectives", [])}


def verdict(decision: dict) -> str:
    if decision.get("rating"):
        return RATING_TEXT.get(decision["rating"], decision["rating"])
    return f"{decision['points']:g} of {decision['max_points']:g}"


def expert_text(decision: dict) -> str:
    if decision.get("matched_expert"):
        return "same as yours"
    return "; ".join(decision.get("expert_labels") or []) or "no better option was open"


def stat_series(record: dict, name: str) -> tuple[list[int], list[float]]:
    chart = record.get("chart") or []
    return [p["day"] for p in chart], [p["values"][name] for p in chart if name in p["values"]]


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


# --- Markdown ---------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def md(text: object) -> str:
    """Story text as literal Markdown: special characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def to_markdown(record: dict) -> str:
    story = record["story"]
    scores = record["scores"]
    lines = [f"# Debrief: {md(story['title'])}", "",
             f"> {md(story.get('disclaimer', 'Educational simulation, not medical advice.'))}", ""]
    learner = md(record["learner"]) if record.get("learner") else "*not given*"
    lines += [
        f"- **Learner:** {learner}",
        f"- **Story:** {md(story['id'])}, version {md(story['version'])} (content hash `{story['content_hash'][:12]}`)",
        f"- **Mode:** {record['mode']}, seed {record['seed']}",
        f"- **Started:** {when(record['started_at'])}; **ended:** {when(record.get('ended_at'))}; "
        f"**time spent:** {minutes_text(record.get('duration_seconds'))}; "
        f"**time in the story:** {duration_text(record.get('story_days', 0))}",
        f"- **Status:** {STATUS_TEXT.get(record['status'], record['status'])}",
        "", "## Outcome", "",
    ]
    ending = record.get("ending")
    if ending:
        lines += [f"**{md(ending['title'])}** ({ending['kind']} ending)", ""]
        for paragraph in _paragraphs(ending.get("text", "")):
            lines += [f"> {md(paragraph)}", ">"]
        lines[-1] = ""
    else:
        lines += ["The journey did not reach an ending.", ""]
    lines += ["## Scores", "", f"**Overall:** {score_text(scores['overall'])}", ""]
    for heading, group, names in (("By clinical-judgment step", "by_step", STEP_LABELS),
                                  ("By learning objective", "by_objective", objective_texts(record)),
                                  ("By category", "by_category", {})):
        if not scores[group]:
            continue
        lines += [f"### {heading}", "", "| | Score | % |", "|---|---|---|"]
        for key, tally in scores[group].items():
            lines.append(f"| {md(names.get(key, key))} | {tally['points']:g} of {tally['max_points']:g} | "
                         f"{percent_text(tally.get('percent'))} |")
        lines.append("")
    lines += ["## Critical errors", ""]
    if record["critical_errors"]:
        lines += [f"- Decision {c['number']}: {md(c['label'])}" for c in record["critical_errors"]]
    else:
        lines.append("None.")
    lines += ["", "## Key labs over the journey", "",
              "| Lab | Start | End | Lowest | Highest | Normal range |", "|---|---|---|---|---|---|"]
    for stat in story.get("stats", []):
        _, values = stat_series(record, stat["name"])
        if not values:
            continue
        d = stat["decimals"]
        normal = f"{_number(stat['normal'][0], d)} to {_number(stat['normal'][1], d)}" if stat.get("normal") else "–"
        unit = f" ({md(stat['unit'])})" if stat.get("unit") else ""
        lines.append(f"| {md(stat['label'])}{unit} | {_number(values[0], d)} | {_number(values[-1], d)} | "
                     f"{_number(min(values), d)} | {_number(max(values), d)} | {normal} |")
    lines += ["", "## Your decisions beside the expert's", ""]
    for decision in record["decisions"]:
        critical = " — **CRITICAL ERROR**" if decision.get("critical") else ""
        lines += [f"### {decision['number']}. {md('; '.join(decision['response_labels']))} "
                  f"({verdict(decision)}){critical}", ""]
        lines.append(f"- **When:** {clock_text(decision['day'])} of the story"
                     + (f"; decided {when(decision['decided_at'])}" if decision.get("decided_at") else ""))
        if decision["kind"] == "answer":
            lines.append(f"- **Question:** {md(decision['prompt'])}")
        lines.append(f"- **Expert's choice:** {md(expert_text(decision))}")
        for label, key in (("What happened", "outcome"), ("Why", "rationale"), ("Nursing considerations", "nursing")):
            if decision.get(key):
                lines.append(f"- **{label}:** {md(decision[key])}")
        if decision.get("chance_text"):
            lines.append(f"- **This time:** {md(decision['chance_text'])}")
        if decision["kind"] == "answer":
            for option in decision["options"]:
                mark = "picked, " if option["id"] in decision["response"] else ""
                right = "correct" if option.get("correct") else "not correct"
                lines.append(f"  - {md(option['label'])} ({mark}{right}): {md(option.get('rationale', ''))}")
        if decision.get("references"):
            lines.append(f"- **References:** {', '.join(md(r) for r in decision['references'])}")
        lines.append("")
    references = story.get("references") or {}
    if references:
        lines += ["## References", ""]
        for ref, entry in references.items():
            url = entry.get("url") or ""
            if re.fullmatch(r"https?://[^\s<>]+", url):
                url = f" <{url}>"  # an autolink, only for web addresses
            elif url:
                url = f" ({md(url)})"
            lines.append(f"- **{md(ref)}**: {md(entry['citation'])}{url}")
        lines.append("")
    lines += ["## About this file", "", md(contents_note(record, "md")), ""]
    return "\n".join(lines)


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text or "") if p.strip()]


# --- HTML --------------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; --accent: #0b57d0;
        --good: #1e7d32; --warn: #a15c00; --bad: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 0 auto; padding: 1.5rem; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.disclaimer { color: var(--muted); font-style: italic; margin: .2rem 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.ending { font-size: 1.15rem; font-weight: 600; }
.ending-text { border-left: 4px solid var(--line); padding: .1rem .9rem; color: #333; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
.overall { font-size: 1.1rem; }
.rating-best { color: var(--good); font-weight: 600; } .rating-acceptable { color: var(--warn); font-weight: 600; }
.rating-poor, .rating-harmful { color: var(--bad); font-weight: 600; }
.critical { display: inline-block; color: #fff; background: var(--bad); font-weight: 700; font-size: .75rem;
            padding: 0 .35rem; border-radius: 3px; margin-left: .3rem; }
.same { color: var(--good); }
.small { font-size: .85rem; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: .8rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 4px; padding: .4rem; }
figcaption { font-weight: 600; font-size: .9rem; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
ul.options { margin: .2rem 0 0 1rem; padding: 0; }
section.decision { border: 1px solid var(--line); border-radius: 4px; margin: .6rem 0; padding: .4rem .7rem; }
section.decision h3 { margin: 0 0 .3rem; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: .3rem .9rem; margin-bottom: .3rem; }
.pair > div { padding: .3rem .5rem; border-left: 4px solid var(--line); }
.pair .label { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.pair .you { border-left-color: var(--accent); }
.pair .expert { border-left-color: var(--good); }
.why p, p.question { margin: .25rem 0; }
.about { margin-top: 2rem; padding: .6rem .8rem; border: 1px dashed var(--line); color: var(--muted); }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  figure, tr, .pair, dl.facts, section.decision h3 { break-inside: avoid; }
  section.decision h3 { break-after: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
  th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .critical { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
}
"""


def e(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def to_html(record: dict) -> str:
    story = record["story"]
    scores = record["scores"]
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # Nothing outside this file may load, and no script may run: the page is only to be read and printed.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Debrief: {e(story['title'])}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Debrief: {e(story['title'])}</h1>",
        f"<p class=\"disclaimer\">{e(story.get('disclaimer', ''))}</p>",
        '<dl class="facts">',
        f"<dt>Learner</dt><dd>{e(record['learner']) if record.get('learner') else '<em>not given</em>'}</dd>",
        f"<dt>Story</dt><dd>{e(story['id'])}, version {e(story['version'])} "
        f"<span class=\"small\">(content hash {e(story['content_hash'][:12])})</span></dd>",
        f"<dt>Mode</dt><dd>{e(record['mode'])}, seed {e(record['seed'])}</dd>",
        f"<dt>Started</dt><dd>{e(when(record['started_at']))}</dd>",
        f"<dt>Ended</dt><dd>{e(when(record.get('ended_at')))} "
        f"({e(STATUS_TEXT.get(record['status'], record['status']))})</dd>",
        f"<dt>Time spent</dt><dd>{e(minutes_text(record.get('duration_seconds')))}; "
        f"{e(duration_text(record.get('story_days', 0)))} in the story</dd>",
        "</dl>",
        '<h2 id="outcome">Outcome</h2>',
    ]
    ending = record.get("ending")
    if ending:
        out.append(f'<p class="ending">{e(ending["title"])} <span class="small">({e(ending["kind"])} ending)</span></p>')
        out.append('<div class="ending-text">' + "".join(f"<p>{e(p)}</p>" for p in _paragraphs(ending.get("text", "")))
                   + "</div>")
    else:
        out.append("<p>The journey did not reach an ending.</p>")
    overall = scores["overall"]
    out += ['<h2 id="scores">Scores</h2>',
            f'<p class="overall"><strong>Overall:</strong> {e(score_text(overall))} '
            f'{score_bar_svg(overall.get("percent"), width=180)}</p>']
    for heading, group, names in (("By clinical-judgment step", "by_step", STEP_LABELS),
                                  ("By learning objective", "by_objective", objective_texts(record)),
                                  ("By category", "by_category", {})):
        if not scores[group]:
            continue
        out += [f"<h3>{e(heading)}</h3>", "<table><thead><tr><th></th><th>Score</th><th>%</th><th></th></tr></thead>"
                "<tbody>"]
        for key, tally in scores[group].items():
            out.append(f"<tr><td>{e(names.get(key, key))}</td><td class=\"num\">{tally['points']:g} of "
                       f"{tally['max_points']:g}</td><td class=\"num\">{e(percent_text(tally.get('percent')))}</td>"
                       f"<td>{score_bar_svg(tally.get('percent'))}</td></tr>")
        out.append("</tbody></table>")
    out.append('<h2 id="critical">Critical errors</h2>')
    if record["critical_errors"]:
        out.append("<ul>" + "".join(f"<li>Decision {c['number']}: {e(c['label'])}</li>"
                                    for c in record["critical_errors"]) + "</ul>")
    else:
        out.append("<p>None.</p>")
    out += ['<h2 id="labs">Key labs over the journey</h2>',
            '<p class="small">Each point is the value after one step of the journey: decision numbers run along '
            "the top, the day of the story along the bottom. The shaded band is the normal range; values outside "
            "it are hollow squares.</p>", '<div class="charts">']
    markers = [(d["position"], d["number"]) for d in record["decisions"]]
    for stat in story.get("stats", []):
        days, values = stat_series(record, stat["name"])
        if values:
            d = stat["decimals"]
            normal = (f' <span class="small">normal {_number(stat["normal"][0], d)} to '
                      f'{_number(stat["normal"][1], d)}</span>' if stat.get("normal") else "")
            out.append(f"<figure><figcaption>{e(stat['label'])}"
                       f"{' (' + e(stat['unit']) + ')' if stat.get('unit') else ''}{normal}</figcaption>"
                       f"{stat_chart_svg(stat, days, values, markers)}</figure>")
    out += ["</div>", '<h2 id="decisions">Your decisions beside the expert\'s</h2>']
    for decision in record["decisions"]:
        rating = decision.get("rating")
        css = f"rating-{rating}" if rating else "rating-score"
        critical = ' <span class="critical">CRITICAL ERROR</span>' if decision.get("critical") else ""
        expert = (f'<span class="same">{e(expert_text(decision))}</span>' if decision.get("matched_expert")
                  else e(expert_text(decision)))
        why = []
        question = (f'<p class="question"><strong>Question:</strong> {e(decision["prompt"])}</p>'
                    if decision["kind"] == "answer" else "")
        for label, key in (("What happened", "outcome"), ("This time", "chance_text"), ("Why", "rationale"),
                           ("Nursing considerations", "nursing")):
            if decision.get(key):
                why.append(f"<p><strong>{label}:</strong> {e(decision[key])}</p>")
        if decision["kind"] == "answer":
            items = []
            for option in decision["options"]:
                mark = "picked, " if option["id"] in decision["response"] else ""
                right = "correct" if option.get("correct") else "not correct"
                items.append(f"<li>{e(option['label'])} <em>({mark}{right})</em>: "
                             f"{e(option.get('rationale', ''))}</li>")
            why.append('<ul class="options">' + "".join(items) + "</ul>")
        if decision.get("references"):
            why.append(f"<p class=\"small\">References: {e(', '.join(decision['references']))}</p>")
        stamp = f' <span class="small">· decided {e(when(decision["decided_at"]))}</span>' if decision.get(
            "decided_at") else ""
        out.append(
            f'<section class="decision"><h3>{decision["number"]}. <span class="small">'
            f"{e(clock_text(decision['day']))}</span>{stamp}</h3>{question}"
            f'<div class="pair"><div class="you"><div class="label">Your decision</div>'
            f"{e('; '.join(decision['response_labels']))} "
            f'<span class="{css}">({e(verdict(decision))})</span>{critical}</div>'
            f'<div class="expert"><div class="label">Expert\'s choice</div>{expert}</div></div>'
            f'<div class="why">{"".join(why)}</div></section>')
    references = story.get("references") or {}
    if references:
        out += ['<h2 id="references">References</h2>', "<ul>"]
        for ref, entry in references.items():
            url = entry.get("url")
            link = f' <a href="{e(url)}">{e(url)}</a>' if url and url.startswith(("https://", "http://")) else (
                f" {e(url)}" if url else "")
            out.append(f"<li><strong>{e(ref)}</strong>: {e(entry['citation'])}{link}</li>")
        out.append("</ul>")
    out += [f'<p class="about"><strong>About this file.</strong> {e(contents_note(record, "html"))} '
            f"Made with mmjourney {e(__version__)}.</p>", "</body></html>", ""]
    return "\n".join(out)


# --- JSON result file with an integrity hash -----------------------------------------------------------


def canonical_bytes(document: dict) -> bytes:
    body = {k: v for k, v in document.items() if k != "integrity"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def integrity_hash(document: dict) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def result_document(record: dict, created_at: str | None = None) -> dict:
    """The attempt record as a result file an educator can collect, with an integrity hash.

    The hash is plain SHA-256 over a canonical form: it shows that a file was edited by hand or
    damaged on the way, not that it was not forged by someone who recomputes the hash.
    """
    document = {
        "format": RESULT_FORMAT,
        "version": RESULT_VERSION,
        "created_at": created_at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "created_by": f"mmjourney {__version__}",
        "contains": contents_note(record, "json"),
        "attempt": exportable(record),
    }
    document["integrity"] = {"algorithm": "sha256", "canonical_form": CANONICAL_FORM,
                             "hash": integrity_hash(document),
                             "note": "Detects accidental or naive edits, not a determined forger."}
    return document


def to_json(record: dict) -> str:
    return json.dumps(result_document(record), indent=1, ensure_ascii=False) + "\n"


# --- one entry point -----------------------------------------------------------------------------------


def render(record: dict, fmt: str, **options) -> str:
    if fmt == "md":
        return to_markdown(record)
    if fmt == "html":
        return to_html(record)
    if fmt == "json":
        return to_json(record)
    if fmt == "xapi":
        from .xapi import statements

        return json.dumps(statements(record, **options), indent=1, ensure_ascii=False) + "\n"
    raise ExportError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")


def export_attempt(attempt_id: int | None, fmt: str, *, path: Path | None = None, **options) -> str:
    """The export of attempt `attempt_id` (None: the last finished or abandoned one) as text.

    Raises ExportError (message in plain words) when there is no such attempt or the records
    cannot be read.
    """
    from .database import RecordsUnavailable, records

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    try:
        with records(path) as db:
            if attempt_id is None:
                attempt_id = db.last_attempt_id()
                if attempt_id is None:
                    raise ExportError("There is no finished or abandoned attempt in the records yet.")
            record = db.load(attempt_id)
    except RecordsUnavailable as error:
        raise ExportError(str(error)) from None
    return render(record, fmt, **options)


def default_filename(record: dict, fmt: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", record["story"]["id"])[:60]
    number = (record.get("local") or {}).get("attempt_id") or record["uuid"][:8]
    return f"mmjourney-{safe}-attempt-{number}.{EXTENSIONS[fmt]}"


def write_text_atomic(path: Path, text: str) -> None:
    """Write an export so that a crash or a full disk leaves no half-written file behind."""
    write_file_atomic(path, text, private=False)  # an export is meant to be handed on
