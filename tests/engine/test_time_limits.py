"""One decision moves the clock at most 4 × 3,650 days, so time rules cannot freeze the game (F9).

The engine applies the time rules day by day. An advance is limited to ten years (3,650 days);
a decision can add its own, a chance outcome's, its scene's and an interrupting event scene's.
"""

from __future__ import annotations

import time

from mmjourney.engine import Session
from mmjourney.story import load_story, validate_file
from mmjourney.story.model import MAX_ADVANCE_DAYS

RULES = 100


def story(tmp_path, advance: str):
    rules = "\n".join(f"  - {{id: r{i}, while: x < 1000000, effects: x += 1}}" for i in range(RULES))
    text = f"""\
format_version: 1
id: slow
title: Slow decision
version: "1"
summary: Every advance at the maximum.
audience: tests
difficulty: beginner
minutes: 1
authors: tests
objectives: [{{id: wait, text: Wait}}]
patient: {{name: Test Patient, age: 60}}
stats:
  x: {{label: X, start: 0, min: 0, max: 1000000}}
dynamics:
{rules}
start: first
scenes:
  first:
    phase: P
    text: Wait?
    choices:
      - {{id: wait, label: Wait, category: observation, rating: best, step: take_action, objectives: [wait],
         advance: {advance}, feedback: {{outcome: Time passes., rationale: Waiting.}}, goto: later}}
  later: {{phase: P, text: Later., advance: {advance}, ending: {{title: Later, kind: good}}}}
"""
    path = tmp_path / "slow.yaml"
    path.write_text(text)
    return path


def test_an_advance_beyond_ten_years_is_refused(tmp_path):
    path = story(tmp_path, str(MAX_ADVANCE_DAYS + 1))
    errors = [p for p in validate_file(path) if p.severity == "error"]
    assert [p.message for p in errors] == [f"must be at most {MAX_ADVANCE_DAYS}, found {MAX_ADVANCE_DAYS + 1}"] * 2
    months = [p.message for p in validate_file(story(tmp_path, "131 months")) if p.severity == "error"]
    assert months == [f"must be at most {MAX_ADVANCE_DAYS}, found {131 * 28}"] * 2


def test_a_decision_at_the_limits_with_a_hundred_daily_rules_takes_well_under_seconds(tmp_path):
    loaded = load_story(story(tmp_path, f"{MAX_ADVANCE_DAYS} days"))
    session = Session(loaded)
    began = time.perf_counter()
    session.choose("wait")
    assert session.day == 2 * MAX_ADVANCE_DAYS and session.ended
    assert time.perf_counter() - began < 3  # about 0.5 s on one core; it was 6 s at 100 years
