"""xAPI statements for one attempt: a JSON array that a Learning Record Store accepts.

Follows the MedBiquitous virtual-patient xAPI profile (https://w3id.org/xapi/virtual-patient)
where it fits: the story is a simulation activity, the actor is an Agent identified by an
`account` (here a pseudonym, never the learner's name), the profile is listed under
`context.contextActivities.category`, and each decision is `responded`.

- launched: the learner began the story (timestamp: when the attempt started);
- responded: one per decision made in this attempt (none for the decisions "try again from here" carried
  over from an earlier attempt: that attempt's statements said them), on the decision point as a
  cmi.interaction "choice" activity, with the response, the expert's choice as correctResponsesPattern,
  score and success; an NGN item made of parts (a matrix) is a "matching" activity instead: its parts
  are the sources, their options the targets, and an answer pairs them ("row[.]column[,]row2[.]column"); a
  drag-and-drop item is matching too (its slots the sources, its pool of tokens the targets), and an
  ordering item a "sequencing" activity, its tokens the choices and an answer their order
  ("a[,]c[,]b[,]d"). A highlight stays a "choice" with several picks (its phrases are the choices:
  selecting phrases of a note is choosing among them, and the note is only their setting), its item type
  and +/- rule as extensions.
  A trend item's table, as the learner read it, is the `exhibit` context extension of its statement: it is
  the situation this learner answered in (their own chart), not the activity, whose definition is the same for
  every learner and which an LRS keeps one copy of (xAPI 1.0.3, Part Two, "When the Object is an Activity":
  a statement with a differing definition may replace the stored one), nor a result, which says how the
  answer scored.
- completed: an ending was reached, with result.score, success (the record's verdict: the story's
  pass mark and no critical error), the critical errors, completion and duration, and which decisions
  were carried over from which attempt (its registration); or terminated when the attempt was left
  before the end (success false: it did not pass).

Every statement id is a UUIDv5 of the attempt's registration and what the statement says, so
exporting and uploading the same attempt twice gives identical statements (an LRS treats a
repeated identical statement as already stored).
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from ..journey.record import AnswerOption, AnswerPart, AttemptRecord, ChoiceOption, DecisionRecord
from ..story.model import UNIT_SEPARATOR

STATEMENT_NAMESPACE = uuid.UUID("6c0f3b7e-8a43-5d7e-9b1a-6d6a6f75726e")  # fixed: never change it
DEFAULT_HOMEPAGE = "https://mmjourney.invalid"  # no server: .invalid can never resolve (RFC 2606)
DEFAULT_BASE = "https://mmjourney.invalid/xapi"
PROFILE = "https://w3id.org/xapi/virtual-patient"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
PROFILE_TYPE = "http://adlnet.gov/expapi/activities/profile"
LANG = "en"

VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "responded": "http://adlnet.gov/expapi/verbs/responded",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
}


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration, e.g. PT1H2M3.5S (xAPI keeps 0.01 s precision)."""
    seconds = max(0.0, round(float(seconds), 2))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{int(hours)}H"
    if minutes:
        text += f"{int(minutes)}M"
    return text + f"{secs:g}S"


def _score(points: float, max_points: float) -> dict:
    points, max_points = float(points), float(max_points)
    scaled = round(points / max_points, 4) if max_points else 0.0
    return {"scaled": scaled, "raw": points, "min": 0.0, "max": max_points}


def _clean(value):
    """xAPI forbids null values: drop them (and empty maps) everywhere."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in cleaned.items() if v != {}}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def statements(record: AttemptRecord, *, homepage: str = DEFAULT_HOMEPAGE, account: str | None = None,
               base: str = DEFAULT_BASE) -> list[dict]:
    """The attempt as xAPI 1.0.3 statements, in the order they happened."""
    story = record.story
    base = base.rstrip("/")
    registration = str(uuid.UUID(hex=record.uuid))
    story_iri = f"{base}/stories/{quote(story.id, safe='')}"
    actor = {"objectType": "Agent", "account": {"homePage": homepage, "name": account or record.learner_key}}
    story_activity = {
        "objectType": "Activity",
        "id": story_iri,
        "definition": {"name": {LANG: story.title}, "type": SIMULATION},
    }
    extensions = {
        f"{base}/extensions/story-version": story.version,
        f"{base}/extensions/content-hash": story.content_hash,
        f"{base}/extensions/mode": record.mode,
        f"{base}/extensions/seed": record.seed,
    }
    category = [{"objectType": "Activity", "id": PROFILE, "definition": {"type": PROFILE_TYPE}}]

    def statement(key: str, verb: str, obj: dict, timestamp: str, result: dict | None = None,
                  parent: bool = False, more_context: dict | None = None) -> dict:
        context = {"registration": registration, "platform": "mmjourney", "language": LANG,
                   "contextActivities": {"category": category}, "extensions": {**extensions, **(more_context or {})}}
        if parent:
            context["contextActivities"] = {"parent": [{"objectType": "Activity", "id": story_iri}],
                                            "category": category}
        return _clean({
            "id": str(uuid.uuid5(STATEMENT_NAMESPACE, f"{registration}/{key}")),
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {LANG: verb}},
            "object": obj,
            "result": result,
            "context": context,
            "timestamp": timestamp,
        })

    out = [statement("launched", "launched", story_activity, record.started_at)]
    for decision in record.decisions:
        if decision.carried_over:
            continue  # replayed from an earlier attempt, whose own statement says it: an LRS counts it once
        out.append(statement(
            f"responded/{decision.position}/{'|'.join(decision.response)}", "responded",
            _decision_activity(story_iri, base, decision), decision.decided_at or record.started_at,
            result={
                "response": _response(decision),
                "success": decision.matched_expert,
                "score": _score(decision.points, decision.max_points),
                "extensions": {f"{base}/extensions/rating": decision.rating,
                               f"{base}/extensions/critical-error": decision.critical},
            },
            parent=True,
            more_context={f"{base}/extensions/exhibit": decision.exhibit.to_json()} if decision.exhibit else None))
    overall = record.scores.overall
    ended = record.ended_at or record.updated_at
    if record.status == "completed":
        ending = record.ending
        out.append(statement("completed", "completed", story_activity, ended, result={
            "score": _score(overall.points, overall.max_points),
            "success": record.verdict.passed,
            "completion": True,
            "duration": iso_duration(record.duration_seconds),
            "extensions": {f"{base}/extensions/ending": ending.scene if ending else None,
                           f"{base}/extensions/ending-kind": ending.kind if ending else None,
                           **_verdict_extensions(record, base)},
        }))
    elif record.status == "abandoned":
        out.append(statement("terminated", "terminated", story_activity, ended, result={
            "score": _score(overall.points, overall.max_points), "success": False, "completion": False,
            "duration": iso_duration(record.duration_seconds), "extensions": _verdict_extensions(record, base)}))
    return out


def _verdict_extensions(record: AttemptRecord, base: str) -> dict:
    """The verdict behind `success`, with the critical errors by name and the decisions taken back, so an
    LRS shows why an attempt did not pass."""
    return {
        f"{base}/extensions/safe": record.verdict.safe,
        f"{base}/extensions/pass-mark": record.verdict.pass_mark,
        f"{base}/extensions/critical-errors": len(record.critical_errors),
        f"{base}/extensions/critical-error-decisions": [{"decision": c.number, "label": c.label}
                                                         for c in record.critical_errors],
        f"{base}/extensions/undos": record.undos,
        f"{base}/extensions/undone-critical-errors": [{"decision": u.number, "label": u.label,
                                                       "undone_at": u.undone_at}
                                                      for u in record.undone if u.critical],
        f"{base}/extensions/carried-over": _carried_over(record),
    }


def _carried_over(record: AttemptRecord) -> dict | None:
    """The decisions "try again from here" carried over, and the registration of the attempt they were made in."""
    carried = record.carried_over
    if carried is None:
        return None
    return {"decisions": [d.number for d in record.decisions if d.carried_over],
            "from_registration": str(uuid.UUID(hex=carried.from_attempt)) if carried.from_attempt else None}


def _target(decision: DecisionRecord, part: AnswerPart, option: str) -> str:
    """A matching target's id: a matrix's column as it is (every row shares them), else 'part:option' (each
    part has options of its own, whose ids may repeat from part to part)."""
    shared = len({tuple((o.id, o.label) for o in p.options) for p in decision.parts}) == 1
    return option if shared else f"{part.id}{UNIT_SEPARATOR}{option}"


def _pairs(decision: DecisionRecord, units) -> str:
    """Unit ids ('row:column') as xAPI matching pairs: 'row[.]column[,]row2[.]column'."""
    chosen = set(units)
    return "[,]".join(f"{part.id}[.]{_target(decision, part, o.id)}" for part in decision.parts
                      for o in part.options if f"{part.id}{UNIT_SEPARATOR}{o.id}" in chosen)


def _response(decision: DecisionRecord) -> str:
    if decision.parts and decision.question_type == "ordering":
        return _sequence(decision, decision.response)
    return _pairs(decision, decision.response) if decision.parts else "[,]".join(decision.response)


# How NCSBN scores each NGN item made of parts, said in its matching activity (xAPI's matching has no rule of its
# own), and a highlight, said in its choice activity.
SCORING_RULES = {
    "matrix": "0/1 per row",
    "matrix_multiple": "+1 per right cell ticked, -1 per wrong cell, each column never below 0, summed",
    "cloze": "0/1 per blank",
    "rationale": "1 point per linked pair (the first blank with each other one) when both are right",
    "bow_tie": "0/1 per slot: 1 condition, 2 actions, 2 parameters",
    "highlight": "+1 per right phrase selected, -1 per wrong phrase, never below 0",
    "drag_cloze": "0/1 per slot",
    "drag_rationale": "1 point per linked pair (the first slot with each other one) when both are right",
    "ordering": "0/1 per position",
}


def _activity(story_iri: str, base: str, decision: DecisionRecord, interaction: str, patterns: list[str],
              **definition) -> dict:
    """The decision point as a cmi.interaction activity: the same for every learner (an LRS keeps one copy of
    its definition). An NGN item also says its type and how NCSBN scores it (xAPI has no field for that)."""
    extensions = ({f"{base}/extensions/item-type": decision.question_type,
                   f"{base}/extensions/scoring-rule": SCORING_RULES[decision.question_type]}
                  if decision.question_type in SCORING_RULES else {})
    return {
        "objectType": "Activity",
        "id": f"{story_iri}/items/{quote(decision.item, safe='')}",
        "definition": {
            "name": {LANG: decision.prompt or decision.item},
            "type": INTERACTION,
            "interactionType": interaction,
            "correctResponsesPattern": patterns,
            **definition,
            **({"extensions": extensions} if extensions else {}),
        },
    }


def _sequence(decision: DecisionRecord, units) -> str:
    """An ordering item's answer (unit ids 'position:token') as an xAPI sequencing response: 'a[,]c[,]b[,]d'."""
    chosen = set(units)
    return "[,]".join(o.id for part in decision.parts for o in part.options
                      if f"{part.id}{UNIT_SEPARATOR}{o.id}" in chosen)


def _decision_activity(story_iri: str, base: str, decision: DecisionRecord) -> dict:
    options = decision.options
    correct = [o.id for o in options if isinstance(o, AnswerOption) and o.correct]
    if decision.parts and decision.question_type == "ordering":
        return _activity(story_iri, base, decision, "sequencing", [_sequence(decision, correct)],
                         choices=[{"id": o.id, "description": {LANG: o.label}} for o in decision.parts[0].options])
    if decision.parts:
        targets = {_target(decision, part, o.id): o.label for part in decision.parts for o in part.options}
        return _activity(story_iri, base, decision, "matching", [_pairs(decision, correct)],
                         source=[{"id": part.id, "description": {LANG: part.label}} for part in decision.parts],
                         target=[{"id": target, "description": {LANG: label}} for target, label in targets.items()])
    if decision.kind == "answer":
        several = decision.question_type in ("select_all", "select_n", "highlight")
        patterns = ["[,]".join(correct)] if several else correct
    else:
        # The activity is the decision point, the same for every learner: its best-rated choices.
        patterns = [o.id for o in options if isinstance(o, ChoiceOption) and o.rating == "best"]
    return _activity(story_iri, base, decision, "choice", patterns,
                     choices=[{"id": o.id, "description": {LANG: o.label}} for o in options])
