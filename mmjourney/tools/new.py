"""`mmjourney new "Title"`: a commented starter story that already passes every check.

It has one of each part of the format (an automatic page with routes, a hub of once-only
choices, a greyed-out and a hidden choice, chance outcomes, a critical error, both kinds
of question, a time rule, an event with `resume`, two endings and two walkthroughs), so
an educator can change it rather than start from an empty file.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path

from ..story.text_safety import strip_controls, visible

SCHEMA_NAME = "mmjourney.schema.json"

TEMPLATE = """\
# yaml-language-server: $schema=__SCHEMA__
#
# __TITLE_COMMENT__: a starter story made by `mmjourney new`.
# Every part of the story format appears once, with a comment saying what it does.
# Change the words and the clinical content, keep the shape, and run after each change:
#
#   mmjourney validate __FILE__   the file's shape and connections
#   mmjourney check __FILE__      every journey played: dead ends, unreachable scenes...
#   mmjourney test __FILE__       the walkthroughs at the bottom still hold
#   mmjourney play __FILE__       play it yourself
#
# The guide: docs/authoring.md in the mmjourney project.

format_version: 1
# A stable id: saves and records refer to it, so keep it once learners have played.
id: __ID__
title: __TITLE__
version: "0.1"                # your version; increase it whenever you change the story
summary: >-
  Sam, 68, is on treatment for multiple myeloma. Today he is thirsty, muddled and
  has a fever coming. Replace this with what your story is about.
audience: [Nursing students]
difficulty: beginner          # beginner, intermediate or advanced
minutes: 5
authors: [Your Name]
# Before learners use the story, name the clinical reviewer and the date of the review
# (`mmjourney check` warns until you do):
# reviewed_by: [Name, role]
# reviewed_on: __TODAY__

# Learning objectives, in measurable words. Choices and questions list the ones they serve.
objectives:
  - id: spot_high_calcium
    text: Recognise the symptoms and results that point to high calcium.
  - id: fever_emergency
    text: Treat a temperature of 38 °C or more during treatment as an emergency.

# The sources feedback cites, by id. Replace them with the ones your content rests on.
references:
  imwg-2014:
    citation: International Myeloma Working Group 2014 updated criteria for the diagnosis of multiple myeloma
    url: http://medicalcriteria.com/web/multiple-myeloma/
  # A citation without a url. (A comment goes on a line of its own: after text, ' #' would end the text.)
  local-protocol: Your trust's neutropenic sepsis protocol

glossary:
  Hypercalcaemia: A raised level of calcium in the blood; in myeloma it comes from bone breakdown.

# Shared scenes can live in a fragment file that several stories include:
# includes:
#   - fragments/supportive-care.yaml

patient:
  name: Sam Patel
  age: 68
  history: |
    Multiple myeloma diagnosed two months ago, now in his first cycle of treatment.
    Lives with his wife.

# Numbers on the patient chart. `normal` marks values H or L; `visible: false` hides a score.
stats:
  calcium:
    label: Calcium (corrected)
    unit: mmol/L
    start: 2.9
    min: 1.5
    max: 4.5
    normal: [2.2, 2.6]
    decimals: 2
  temperature:
    label: Temperature
    unit: °C
    start: 36.8
    min: 34
    max: 42
    normal: [36.0, 37.5]
  trust:
    label: Trust in the team
    start: 5
    min: 0
    max: 10
    visible: false
    decimals: 0

# Yes/no facts with their starting value.
flags:
  on_fluids: false

start: assessment

scenes:
  # A hub: `once: true` choices disappear after use and lead back here; the last choice
  # stays greyed out (`if` + `disabled_reason`) until the assessment is done.
  assessment:
    phase: Treatment
    title: Sam arrives
    text: |
      Sam is thirsty and a little muddled. Look at his **calcium** on the chart, then
      assess him before anything else.
    choices:
      - id: ask_symptoms
        label: Ask about thirst, urine, bowels and confusion
        category: assessment
        once: true
        effects: trust += 1
        rating: best
        step: recognize_cues
        objectives: [spot_high_calcium]
        feedback:
          outcome: He is thirsty, up at night to pass urine and constipated.
          rationale: These, with a raised calcium, are the typical picture of high calcium.
          nursing: Ask his wife too; confusion is easy to miss in yourself.
          references: [imwg-2014]
        goto: assessment
      - id: tell_wife
        label: Go over what you found with his wife
        category: communication
        if: trust >= 6              # hidden until the condition holds (no disabled_reason)
        once: true
        rating: acceptable
        step: generate_solutions
        objectives: [spot_high_calcium]
        feedback:
          outcome: She had noticed the muddled evenings too.
          rationale: Carers often see changes first.
          references: [imwg-2014]
        goto: assessment
      - id: report_to_doctor
        label: Tell the doctor what you found
        category: communication
        if: chosen(ask_symptoms)
        disabled_reason: Ask about his symptoms first.
        rating: best
        step: analyze_cues
        objectives: [spot_high_calcium]
        feedback:
          outcome: The doctor sees Sam straight away.
          rationale: Linking the symptoms to the result turns cues into a problem to act on.
          references: [imwg-2014]
        goto: priority

  # A single best answer question: exactly one option is correct; 1 point or 0.
  priority:
    phase: Treatment
    text: The doctor asks what you think matters most today.
    question:
      id: first_problem
      type: single_best
      prompt: Which problem comes first for Sam?
      step: prioritize_hypotheses
      objectives: [spot_high_calcium]
      options:
        - id: high_calcium
          text: High calcium with dehydration
          correct: true
          rationale: It explains the thirst, the urine and the confusion, and it harms the kidneys.
        - id: constipation
          text: Constipation
          correct: false
          rationale: Part of the high-calcium picture, not the cause.
      references: [imwg-2014]
      goto: plan

  # Choices with effects, time passing, chance outcomes and a critical error.
  plan:
    phase: Treatment
    text: Intravenous saline is prescribed. What do you do?
    # The best choice is not the longest: a learner must not be able to win by picking the
    # longest label every time (`mmjourney check` looks). The game shuffles the choices for
    # each journey, so their place tells nothing; under `order: fixed` it would, and check
    # would look at where the best choice is written too.
    choices:
      - id: send_home
        label: Send him home to drink more
        category: supportive
        rating: harmful
        critical: true              # listed separately in the debrief
        step: take_action
        objectives: [spot_high_calcium]
        effects: calcium += 0.3
        feedback:
          outcome: He goes home and is admitted two days later, drowsy.
          rationale: Symptomatic high calcium needs intravenous fluids, not advice to drink.
          references: [imwg-2014]
        goto: teaching
      - id: start_fluids
        label: Start the saline with a fluid balance chart
        category: supportive
        effects: [on_fluids = true, calcium -= 0.2]
        advance: 1 day              # the time the decision takes
        rating: best
        step: take_action
        objectives: [spot_high_calcium]
        feedback:
          outcome: Overnight his calcium starts to fall.
          rationale: Rehydration comes first in high calcium.
          nursing: Watch for fluid overload.
          references: [imwg-2014]
        goto: teaching
        chance:                     # seeded luck: weights 80 and 20 mean 80% and 20%
          - weight: 80
            text: The night passes quietly.
          - weight: 20
            text: Despite good care, his temperature rises to 38.4 °C in the night.
            effects: temperature = 38.4
      - id: oral_fluids
        label: Encourage drinks on the ward and recheck his calcium tomorrow
        category: supportive
        effects: calcium += 0.1
        rating: poor
        step: take_action
        objectives: [spot_high_calcium]
        feedback:
          outcome: He drinks what he can, but his calcium stays high.
          rationale: Drinking cannot replace the fluid lost; symptomatic high calcium needs intravenous saline.
          references: [imwg-2014]
        goto: teaching

  # An event scene: shown when the event below fires; `goto: resume` carries on to the
  # scene the player was heading for.
  fever_call:
    phase: Treatment
    title: A call in the night
    text: "Sam's wife phones: his temperature is 38.4 °C."
    choices:
      - id: come_in_now
        label: Ask him to come in now for assessment and antibiotics
        category: supportive
        effects: temperature = 37.2
        rating: best
        step: take_action
        objectives: [fever_emergency]
        feedback:
          outcome: He is seen within the hour and antibiotics start.
          rationale: Fever on treatment may be a serious infection; treatment must start quickly.
          references: [local-protocol]
        goto: resume
      - id: paracetamol_and_wait
        label: Advise paracetamol tonight and a phone call first thing in the morning
        category: supportive
        rating: harmful
        critical: true
        step: take_action
        objectives: [fever_emergency]
        feedback:
          outcome: By morning he is unwell and needs admission.
          rationale: Masking a fever on treatment delays treatment of a possible infection.
          references: [local-protocol]
        goto: ending_poor

  # A select-all-that-apply question: +1 per correct pick, -1 per wrong one, never below 0.
  teaching:
    phase: Treatment
    text: Before he goes home, you teach him what to watch for.
    question:
      id: phone_now
      type: select_all
      prompt: Which of these should Sam phone about straight away?
      step: generate_solutions
      objectives: [fever_emergency]
      options:
        - id: fever
          text: A temperature of 38 °C or more
          correct: true
          rationale: Fever on treatment can be the first sign of a serious infection.
        - id: confusion
          text: New confusion or drowsiness
          correct: true
          rationale: It can mean his calcium is rising again.
        - id: tiredness
          text: Feeling a little tired after treatment
          correct: false
          rationale: Expected; he can mention it at his next visit.
      references: [imwg-2014, local-protocol]
      goto: review

  # `next` moves on without a decision; routes pick the first that holds.
  review:
    phase: Follow-up
    advance: 1 week                 # time that passes before this scene
    text: A week later, the team reviews how Sam has done.
    next:
      - if: calcium > 2.9 or chosen(send_home)
        goto: ending_poor
      - goto: ending_good

  ending_good:
    phase: Follow-up
    text: Sam's calcium is back to normal and he knows when to phone.
    ending:
      title: Safe at home
      kind: good                    # good, mixed or poor

  ending_poor:
    phase: Follow-up
    text: Sam was admitted; earlier treatment would have spared him.
    ending:
      title: Admitted to hospital
      kind: poor

# Rules that change stats each day (or week) while their condition holds.
dynamics:
  - id: fluids_lower_calcium
    while: on_fluids
    effects: calcium = max(2.4, calcium - 0.1)

# Interruptions: when `when` becomes true after a decision, its scene is shown first.
events:
  - id: night_fever
    when: temperature >= 38
    scene: fever_call

# Paths with their expected ending and score; `mmjourney test` plays them. Pages with
# `next` continue by themselves; a question is answered as `question_id: [options]`;
# `choice_id: {outcome: 2}` forces the second chance outcome.
walkthroughs:
  - name: Expert path
    note: The best choice at every step, with the quiet night.
    choices:
      - ask_symptoms
      - report_to_doctor
      - first_problem: high_calcium
      - start_fluids: {outcome: 1}
      - phone_now: [fever, confusion]
    ending: ending_good
    score: [100, 100]
  - name: Fever handled well
    note: Bad luck with good care; the event interrupts and the player carries on.
    choices:
      - ask_symptoms
      - report_to_doctor
      - first_problem: high_calcium
      - start_fluids: {outcome: 2}
      - come_in_now
      - phone_now: [fever, confusion]
    ending: ending_good
    score: [100, 100]
  - name: Sent home to drink more
    note: A critical error leads to admission.
    choices:
      - ask_symptoms
      - report_to_doctor
      - first_problem: constipation
      - send_home
      - phone_now: [fever, tiredness]
    ending: ending_poor
    score: [30, 60]
"""


def slug(title: str) -> str:
    """A story id from a title: 'Fever at home!' -> 'fever-at-home'."""
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return text[:60].strip("-") or "my-story"


def schema_reference(out: Path | None) -> str:
    """The modeline's schema path: relative to the nearest docs/mmjourney.schema.json above the file."""
    if out is not None:
        folder = out.resolve().parent
        for parent in (folder, *folder.parents):
            candidate = parent / "docs" / SCHEMA_NAME
            if candidate.is_file():
                return Path(os.path.relpath(candidate, folder)).as_posix()
    return f"../docs/{SCHEMA_NAME}"


def starter_story(title: str, out: str | Path | None = None, today: datetime.date | None = None) -> str:
    """The starter story's text; `out` is where it will be written, as the author typed it."""
    # Control characters (a pasted ESC, say) would make the file invalid YAML, and are never meant.
    title = " ".join(strip_controls(title).split()) or "My story"
    shown = visible(str(out)) if out is not None else "my-story.yaml"
    out = Path(out) if out is not None else None
    text = TEMPLATE
    replacements = {
        "__SCHEMA__": schema_reference(out),
        "__TITLE_COMMENT__": title.replace("\n", " "),
        "__FILE__": shown if " " not in shown else json.dumps(shown),
        "__ID__": slug(title),
        "__TITLE__": json.dumps(title, ensure_ascii=False),
        "__TODAY__": (today or datetime.date.today()).isoformat(),
    }
    for key, value in replacements.items():
        text = text.replace(key, value)
    return text
