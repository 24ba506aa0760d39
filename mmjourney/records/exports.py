"""Exports of one attempt: Markdown, a self-contained HTML debrief, a JSON result file, xAPI statements.

Every export is built from the attempt record alone (journey.record), so it works without the
story file; the Markdown and HTML debriefs render the sections of journey.debrief_view. Story text
is untrusted: Markdown escapes it, HTML passes every piece through html.escape, and the HTML page
allows no scripts or outside resources at all.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import time
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..journey.debrief_view import (
    CARRIED_OVER,
    CRITICAL_ERROR,
    LABELS,
    NOTE_LEGEND,
    NOTHING_HELD_BACK,
    STATUS_TEXT,
    CriticalErrors,
    DebriefView,
    DecisionLine,
    Decisions,
    HeldBack,
    Labs,
    NoteMark,
    Outcome,
    Overall,
    References,
    ScoreGroup,
    Summary,
    flag_legend,
    trend_titles,
)
from ..journey.files import write_text_atomic as write_file_atomic
from ..journey.record import AttemptRecord, Trend
from ..journey.text import FLAG_WORDS, duration_text, time_spent_text, when
from .charts import score_bar_svg, stat_chart_svg

FORMATS = ("md", "html", "json", "xapi")
EXTENSIONS = {"md": "md", "html": "html", "json": "result.json", "xapi": "xapi.json"}
RESULT_FORMAT = "mmjourney-result"
RESULT_VERSION = 1
CANONICAL_FORM = "JSON, keys sorted, no spaces (separators ',' and ':'), UTF-8, without the 'integrity' member"



class ExportError(Exception):
    """An export that cannot be made; the message says why."""


# --- shared wording ----------------------------------------------------------------------------------


def contents_note(record: AttemptRecord, fmt: str) -> str:
    """What an export contains, in plain words (every export says it)."""
    who = f'the learner name "{record.learner}"' if record.learner else "no learner name (none was given)"
    if fmt == "xapi":
        who = (f"a pseudonymous account id ({record.learner_key}) instead of any name; "
               "the learner name is not included")
    return (f"This file contains {who}; the story played ({record.story.title}, version "
            f"{record.story.version}); the mode and seed; every decision with the time it was made; the "
            "scores, critical errors and ending. It was made by mmjourney on this computer: nothing was sent "
            "anywhere.")


# --- Markdown ---------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def md(text: object) -> str:
    """Story text as literal Markdown: special characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def to_markdown(record: AttemptRecord) -> str:
    story = record.story
    view = DebriefView.of(record)
    learner = md(record.learner) if record.learner else "*not given*"
    lines = [
        f"# Debrief: {md(story.title)}", "", f"> {md(story.disclaimer)}", "",
        f"- **Learner:** {learner}",
        f"- **Story:** {md(story.id)}, version {md(story.version)} (content hash `{story.content_hash[:12]}`)",
        f"- **Mode:** {record.mode}, seed {record.seed}",
        f"- **Started:** {when(record.started_at)}; **ended:** {when(record.ended_at)}; "
        f"**time spent:** {time_spent_text(record.duration_seconds)}; "
        f"**time in the story:** {duration_text(record.story_days)}",
        f"- **Status:** {STATUS_TEXT.get(record.status, record.status)}", "",
    ]
    for section in view.sections:
        lines += _MD_SECTIONS[type(section)](section)
    lines += ["## About this file", "", md(contents_note(record, "md")), ""]
    return "\n".join(lines)


def _md_summary(summary: Summary) -> list[str]:
    return [f"## {summary.heading}", "", *(f"- **{row.label}:** {md(row.text)}" for row in summary.rows), ""]


def _md_outcome(outcome: Outcome) -> list[str]:
    if outcome.title is None:
        return [f"## {outcome.heading}", "", md(outcome.summary), ""]
    lines = [f"## {outcome.heading}", "", f"**{md(outcome.title)}** ({md(outcome.kind)} ending)", ""]
    for paragraph in outcome.paragraphs:
        lines += [f"> {md(paragraph)}", ">"]
    return lines[:-1] + [""] if outcome.paragraphs else lines


def _md_overall(overall: Overall) -> list[str]:
    return ["## Scores", "", f"**{overall.heading}:** {overall.line.score}", ""]


def _md_group(group: ScoreGroup) -> list[str]:
    lines = [f"### {group.heading}", "", "| | Score | % |", "|---|---|---|"]
    lines += [f"| {md(line.label)} | {line.points} | {line.percent} |" for line in group.lines]
    return lines + [""]


def _md_critical(errors: CriticalErrors) -> list[str]:
    items = [f"- Decision {c.number}: {md(c.label)}" for c in errors.items] or [errors.none_text]
    undone = [f"- {md(errors.undone_text(u))}" for u in errors.undone]
    return [f"## {errors.heading}", "", *items, *([""] + undone if undone else []), ""]


def _md_held_back(held: HeldBack) -> list[str]:
    items = [f"- {md(held.text(line))}" for line in held.items] or [NOTHING_HELD_BACK]
    return [f"## {held.heading}", "", *items, ""]


def _md_labs(labs: Labs) -> list[str]:
    lines = [f"## {labs.heading}", "", "| Lab | Start | End | Lowest | Highest | Normal range |",
             "|---|---|---|---|---|---|"]
    for lab in labs.labs:
        values = lab.values
        lines.append(f"| {md(lab.title)} | {lab.number(values[0])} | {lab.number(values[-1])} | "
                     f"{lab.number(min(values))} | {lab.number(max(values))} | {lab.normal_text or '–'} |")
    return lines + [""]


def _md_decisions(decisions: Decisions) -> list[str]:
    lines = [f"## {decisions.heading}", ""]
    for line in decisions.items:
        d = line.record
        critical = f" — **{CRITICAL_ERROR}**" if d.critical else ""
        carried = f" — *{CARRIED_OVER}*" if line.carried else ""
        lines += [f"### {d.number}. {md(line.response)} ({line.verdict}){critical}{carried}", ""]
        lines.append(f"- **When:** {line.story_time}"
                     + (f"; decided {when(d.decided_at)}" if d.decided_at else ""))
        if line.question is not None:
            lines.append(f"- **{LABELS['question']}:** {md(line.question)}")
        if line.exhibit is not None:
            lines += _md_trend(line.exhibit)
        if line.note:
            lines += _md_note(line.note)
        lines.append(f"- **{LABELS['expert']}:** {md(line.expert)}")
        lines += [f"- **{LABELS[key]}:** {md(text)}" for key, text in line.details]
        lines += [f"  - {md(o.label)} ({o.mark}): {md(o.rationale)}" for o in line.options]
        if line.parts:
            lines += ["", f"| {line.part_heading} | Your answer | Right answer | | Why |", "|---|---|---|---|---|"]
            lines += [f"| {md(p.label)} | {md(p.picked_text)} | {md(p.right_text)} | {p.mark} | {md(p.why)} |"
                      for p in line.parts]
            lines.append("")
        if d.references:
            lines.append(f"- **{LABELS['references']}:** {', '.join(md(r) for r in d.references)}")
        lines.append("")
    return lines


def _md_note(note: tuple[NoteMark, ...]) -> list[str]:
    """A highlight's note as the learner marked it: each phrase in bold with its box and sign, '**[x] 38.2 °C** ✓',
    then what the signs mean (signs and words, no colour)."""
    text = "".join(_MD_SPECIAL.sub(r"\\\1", piece.text) if not piece.phrase
                   else f"**{md(f'{piece.box} {piece.text}')}**" + (f" {piece.sign}" if piece.sign else "")
                   for piece in note)
    return [f"- **{LABELS['note']}:** {' '.join(text.split())}", f"  - *{md(NOTE_LEGEND)}*"]


def _md_trend(trend: Trend) -> list[str]:
    """The table a trend item was answered from, a row per day, each value with its flag in letters."""
    lines = [f"- **{LABELS['exhibit']}:**", "", "| Day | " + " | ".join(md(t) for t in trend_titles(trend)) + " |",
             "|---|" + "---|" * len(trend.columns)]
    for row in trend.rows:
        lines.append(f"| Day {row.day} | " + " | ".join(f"{number} {flag}".rstrip()
                                                       for number, flag in trend.cells(row)) + " |")
    legend = flag_legend(trend)
    return lines + ([""] + [legend] if legend else []) + [""]


def _md_references(references: References) -> list[str]:
    lines = [f"## {references.heading}", ""]
    for ref in references.items:
        # A web address becomes an autolink; any other address is only text.
        url = f" <{ref.web_url}>" if ref.web_url else f" ({md(ref.url)})" if ref.url else ""
        lines.append(f"- **{md(ref.id)}**: {md(ref.citation)}{url}")
    return lines + [""]


_MD_SECTIONS: dict[type, Callable[[Any], list[str]]] = {
    Summary: _md_summary, Outcome: _md_outcome, Overall: _md_overall, ScoreGroup: _md_group,
    CriticalErrors: _md_critical, HeldBack: _md_held_back, Labs: _md_labs,
    Decisions: _md_decisions, References: _md_references}


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
table.trend { width: auto; } table.trend caption { text-align: left; font-weight: 600; padding: .2rem 0; }
.overall { font-size: 1.1rem; }
dl.summary { font-size: 1.1rem; border: 1px solid var(--line); border-radius: 4px; padding: .5rem .8rem; }
dl.summary dd.good, dl.summary dd.fair, dl.summary dd.bad, dl.summary dd.harm { font-weight: 600; }
.good { color: var(--good); } .fair { color: var(--warn); } .bad, ul.undone { color: var(--bad); }
dd.harm { color: #fff; background: var(--bad); padding: 0 .35rem; justify-self: start; border-radius: 3px; }
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
p.note { margin: .25rem 0; border-left: 4px solid var(--line); padding: .1rem .7rem; }
.phrase { font-weight: 600; } mark.phrase { background: #fff1a8; color: inherit; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
                   white-space: nowrap; }
.about { margin-top: 2rem; padding: .6rem .8rem; border: 1px dashed var(--line); color: var(--muted); }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  figure, tr, .pair, dl.facts, section.decision h3 { break-inside: avoid; }
  section.decision h3 { break-after: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
  th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .critical, dd.harm { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
}
"""


def e(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def to_html(record: AttemptRecord) -> str:
    story = record.story
    view = DebriefView.of(record)
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # Nothing outside this file may load, and no script may run: the page is only to be read and printed.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Debrief: {e(story.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Debrief: {e(story.title)}</h1>",
        f"<p class=\"disclaimer\">{e(story.disclaimer)}</p>",
        '<dl class="facts">',
        f"<dt>Learner</dt><dd>{e(record.learner) if record.learner else '<em>not given</em>'}</dd>",
        f"<dt>Story</dt><dd>{e(story.id)}, version {e(story.version)} "
        f"<span class=\"small\">(content hash {e(story.content_hash[:12])})</span></dd>",
        f"<dt>Mode</dt><dd>{e(record.mode)}, seed {e(record.seed)}</dd>",
        f"<dt>Started</dt><dd>{e(when(record.started_at))}</dd>",
        f"<dt>Ended</dt><dd>{e(when(record.ended_at))} ({e(STATUS_TEXT.get(record.status, record.status))})</dd>",
        f"<dt>Time spent</dt><dd>{e(time_spent_text(record.duration_seconds))}; "
        f"{e(duration_text(record.story_days))} in the story</dd>",
        "</dl>",
    ]
    for section in view.sections:
        out += _HTML_SECTIONS[type(section)](section)
    out += [f'<p class="about"><strong>About this file.</strong> {e(contents_note(record, "html"))} '
            f"Made with mmjourney {e(__version__)}.</p>", "</body></html>", ""]
    return "\n".join(out)


def _html_summary(summary: Summary) -> list[str]:
    # Each value's class is its tone (good, fair, bad, harm, plain): the words say the verdict too.
    rows = "".join(f'<dt>{e(row.label)}</dt><dd class="{row.tone}">{e(row.text)}</dd>' for row in summary.rows)
    return [f'<h2 id="summary">{e(summary.heading)}</h2>', f'<dl class="facts summary">{rows}</dl>']


def _html_outcome(outcome: Outcome) -> list[str]:
    out = [f'<h2 id="outcome">{e(outcome.heading)}</h2>']
    if outcome.title is None:
        return out + [f"<p>{e(outcome.summary)}</p>"]
    return out + [f'<p class="ending">{e(outcome.title)} <span class="small">({e(outcome.kind)} ending)</span></p>',
                  '<div class="ending-text">' + "".join(f"<p>{e(p)}</p>" for p in outcome.paragraphs) + "</div>"]


def _html_overall(overall: Overall) -> list[str]:
    return ['<h2 id="scores">Scores</h2>',
            f'<p class="overall"><strong>{e(overall.heading)}:</strong> {e(overall.line.score)} '
            f'{score_bar_svg(overall.line.tally.percent if overall.line.finished else None, width=180)}</p>']


def _html_group(group: ScoreGroup) -> list[str]:
    out = [f"<h3>{e(group.heading)}</h3>",
           "<table><thead><tr><th></th><th>Score</th><th>%</th><th></th></tr></thead><tbody>"]
    for line in group.lines:
        percent = line.tally.percent if line.finished else None
        out.append(f"<tr><td>{e(line.label)}</td><td class=\"num\">{e(line.points)}</td>"
                   f"<td class=\"num\">{e(line.percent)}</td><td>{score_bar_svg(percent)}</td></tr>")
    return out + ["</tbody></table>"]


def _html_critical(errors: CriticalErrors) -> list[str]:
    out = [f'<h2 id="critical">{e(errors.heading)}</h2>']
    if errors.items:
        out.append("<ul>" + "".join(f"<li>Decision {c.number}: {e(c.label)}</li>" for c in errors.items) + "</ul>")
    else:
        out.append(f"<p>{e(errors.none_text)}</p>")
    if errors.undone:
        out.append('<ul class="undone">' + "".join(f"<li>{e(errors.undone_text(u))}</li>" for u in errors.undone)
                   + "</ul>")
    return out


def _html_held_back(held: HeldBack) -> list[str]:
    out = [f'<h2 id="held-back">{e(held.heading)}</h2>']
    if not held.items:
        return out + [f"<p>{e(NOTHING_HELD_BACK)}</p>"]
    return out + ["<ul>" + "".join(f"<li>{e(held.text(line))}</li>" for line in held.items) + "</ul>"]


def _html_labs(labs: Labs) -> list[str]:
    out = [f'<h2 id="labs">{e(labs.heading)}</h2>',
           '<p class="small">Each point is the value after one step of the journey: decision numbers run along '
           "the top, the day of the story along the bottom. The shaded band is the normal range; values outside "
           "it are hollow squares.</p>", '<div class="charts">']
    for lab in labs.labs:
        normal = f' <span class="small">normal {e(lab.normal_text)}</span>' if lab.normal_text else ""
        out.append(f"<figure><figcaption>{e(lab.title)}{normal}</figcaption>"
                   f"{stat_chart_svg(lab, labs.markers)}</figure>")
    return out + ["</div>"]


def _html_decision(line: DecisionLine) -> str:
    d = line.record
    css = f"rating-{d.rating}" if d.rating else "rating-score"
    critical = f' <span class="critical">{CRITICAL_ERROR}</span>' if d.critical else ""
    carried = f' <em class="small">({CARRIED_OVER})</em>' if line.carried else ""
    expert = f'<span class="same">{e(line.expert)}</span>' if d.matched_expert else e(line.expert)
    question = (f'<p class="question"><strong>{LABELS["question"]}:</strong> {e(line.question)}</p>'
                if line.question is not None else "")
    if line.exhibit is not None:
        question += _html_trend(line.exhibit)
    if line.note:
        question += _html_note(line.note)
    why = [f"<p><strong>{LABELS[key]}:</strong> {e(text)}</p>" for key, text in line.details]
    if line.options:
        why.append('<ul class="options">' + "".join(f"<li>{e(o.label)} <em>({o.mark})</em>: {e(o.rationale)}</li>"
                                                  for o in line.options) + "</ul>")
    if line.parts:
        why.append(f"<table><thead><tr><th>{e(line.part_heading)}</th><th>Your answer</th>"
                   "<th>Right answer</th><th></th><th>Why</th></tr></thead><tbody>"
                   + "".join(f'<tr><td>{e(p.label)}</td><td>{e(p.picked_text)}</td><td>{e(p.right_text)}</td>'
                             f'<td class="{p.tone}">{e(p.mark)}</td><td>{e(p.why)}</td>'
                             "</tr>" for p in line.parts) + "</tbody></table>")
    if d.references:
        why.append(f"<p class=\"small\">{LABELS['references']}: {e(', '.join(d.references))}</p>")
    stamp = f' <span class="small">· decided {e(when(d.decided_at))}</span>' if d.decided_at else ""
    return (f'<section class="decision"><h3>{d.number}. <span class="small">{e(line.story_time)}</span>{stamp}</h3>'
            f'{question}<div class="pair"><div class="you"><div class="label">Your decision</div>'
            f'{e(line.response)} <span class="{css}">({e(line.verdict)})</span>{critical}{carried}</div>'
            f'<div class="expert"><div class="label">{e(LABELS["expert"])}</div>{expert}</div></div>'
            f'<div class="why">{"".join(why)}</div></section>')


def _html_note(note: tuple[NoteMark, ...]) -> str:
    """A highlight's note as the learner marked it: a selected phrase in <mark>, every phrase with its box and sign
    for the eye and, for a screen reader (which the signs would only confuse), its mark in words."""
    pieces = []
    for piece in note:
        if not piece.phrase:
            pieces.append(e(piece.text))
            continue
        tag = "mark" if piece.picked else "span"
        sign = f' <span class="{piece.tone}" aria-hidden="true">{e(piece.sign)}</span>' if piece.sign else ""
        pieces.append(f'<{tag} class="phrase"><span aria-hidden="true">{e(piece.box)} </span>{e(piece.text)}</{tag}>'
                      f'{sign}<span class="visually-hidden"> ({e(piece.words)})</span>')
    return (f'<p class="note"><strong>{e(LABELS["note"])}:</strong> {"".join(pieces)}</p>'
            f'<p class="small" aria-hidden="true">{e(NOTE_LEGEND)}</p>')


def _html_trend(trend: Trend) -> str:
    """The table a trend item was answered from: a caption, column and row headers a screen reader announces
    with each value, and every flag in letters with its meaning in words (the legend, and the abbreviation's
    title), never colour alone."""
    heads = "".join(f'<th scope="col">{e(title)}</th>' for title in trend_titles(trend))
    rows = []
    for row in trend.rows:
        cells = "".join(f'<td class="num">{e(number)}'
                        + (f' <abbr title="{e(FLAG_WORDS[flag])}">{e(flag)}</abbr>' if flag else "") + "</td>"
                        for number, flag in trend.cells(row))
        rows.append(f'<tr><th scope="row">Day {row.day}</th>{cells}</tr>')
    legend = flag_legend(trend)
    caption = f"{LABELS['exhibit']}: the patient's readings, oldest first"
    return (f'<table class="trend"><caption>{e(caption)}</caption>'
            f'<thead><tr><th scope="col">Day</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table>" + (f'<p class="small">{e(legend)}</p>' if legend else ""))


def _html_decisions(decisions: Decisions) -> list[str]:
    return [f'<h2 id="decisions">{e(decisions.heading)}</h2>', *map(_html_decision, decisions.items)]


def _html_references(references: References) -> list[str]:
    out = [f'<h2 id="references">{e(references.heading)}</h2>', "<ul>"]
    for ref in references.items:
        link = f" {e(ref.url)}" if ref.url else ""
        if ref.web_url:
            link = f' <a href="{e(ref.web_url)}">{e(ref.web_url)}</a>'  # only web addresses become links
        out.append(f"<li><strong>{e(ref.id)}</strong>: {e(ref.citation)}{link}</li>")
    return out + ["</ul>"]


_HTML_SECTIONS: dict[type, Callable[[Any], list[str]]] = {
    Summary: _html_summary, Outcome: _html_outcome, Overall: _html_overall, ScoreGroup: _html_group,
    CriticalErrors: _html_critical, HeldBack: _html_held_back,
    Labs: _html_labs, Decisions: _html_decisions, References: _html_references}


# --- JSON result file with an integrity hash -----------------------------------------------------------


def canonical_bytes(document: dict) -> bytes:
    body = {k: v for k, v in document.items() if k != "integrity"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def integrity_hash(document: dict) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def result_document(record: AttemptRecord, created_at: str | None = None) -> dict:
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
        "attempt": record.to_json(),
    }
    if record.local is not None:
        document["attempts_at_story"] = {"this_attempt": record.local.attempt_number,
                                         "made": record.local.attempts_at_story}
    document["integrity"] = {"algorithm": "sha256", "canonical_form": CANONICAL_FORM,
                             "hash": integrity_hash(document),
                             "note": "Detects accidental or naive edits, not a determined forger."}
    return document


def to_json(record: AttemptRecord) -> str:
    return json.dumps(result_document(record), indent=1, ensure_ascii=False) + "\n"


# --- one entry point -----------------------------------------------------------------------------------


def render(record: AttemptRecord, fmt: str, **options) -> str:
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


def default_filename(record: AttemptRecord, fmt: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", record.story.id)[:60]
    number = record.local.attempt_id if record.local else record.uuid[:8]
    return f"mmjourney-{safe}-attempt-{number}.{EXTENSIONS[fmt]}"


def write_text_atomic(path: Path, text: str) -> None:
    """Write an export so that a crash or a full disk leaves no half-written file behind."""
    write_file_atomic(path, text, private=False)  # an export is meant to be handed on
