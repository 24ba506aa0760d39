"""Load-and-validate speed against a bare YAML parse, and engine steps per second.

    python benchmarks/bench_load.py [--scenes 5000] [--repeat 3]

Generates a synthetic but valid story (5,000 scenes by default), then times, in the same
run, `yaml.load(text, Loader=yaml.CSafeLoader)` of that file (the floor: no story loader
can be faster than parsing the YAML) and `mmjourney.story.load_story` on it (which parses,
checks every field, cross-reference and expression, and compiles the expressions).
Targets: load ratio <= 1.5; >= 20,000 choose() calls per second.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import yaml

from mmjourney.engine import Action, Session
from mmjourney.journey import Choose, Ended, prompt_of
from mmjourney.story import load_story

CATEGORIES = ["observation", "chemotherapy", "targeted", "transplant", "maintenance", "supportive",
              "assessment", "communication"]
RATINGS = ["best", "acceptable", "poor", "harmful"]
STEPS = ["recognize_cues", "analyze_cues", "prioritize_hypotheses", "generate_solutions", "take_action",
         "evaluate_outcomes"]


def synthetic_story(scenes: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    story = {
        "id": "synthetic", "title": "Synthetic benchmark story", "version": "1", "summary": "Generated.",
        "audience": ["benchmarks"], "difficulty": "advanced", "minutes": 600, "authors": ["bench_load.py"],
        "objectives": [{"id": f"obj{i}", "text": f"Objective {i}"} for i in range(5)],
        "references": {f"ref-{i}": f"Reference {i}, Journal {2000 + i}" for i in range(20)},
        "patient": {"name": "Synthetic Patient", "age": 64, "history": "Generated for benchmarking."},
        "stats": {
            "calcium": {"label": "Calcium", "unit": "mmol/L", "start": 2.4, "min": 1.5, "max": 4.5,
                        "normal": [2.2, 2.6], "decimals": 2},
            "creatinine": {"label": "Creatinine", "unit": "µmol/L", "start": 90, "min": 30, "max": 900,
                           "normal": [45, 110], "decimals": 0},
            "haemoglobin": {"label": "Haemoglobin", "unit": "g/L", "start": 120, "min": 40, "max": 180,
                            "normal": [115, 165], "decimals": 0},
            "pain": {"label": "Pain", "start": 3, "min": 0, "max": 10, "decimals": 0},
            "trust": {"label": "Trust", "start": 5, "min": 0, "max": 10, "visible": False},
        },
        "flags": {"on_treatment": False, "on_fluids": False, "fever": False},
        "dynamics": [
            {"id": "progression", "while": "not on_treatment", "per": "week", "effects": ["calcium += 0.05"]},
            {"id": "recovery", "while": "on_treatment and haemoglobin < 130", "per": "day",
             "effects": ["haemoglobin += 0.5"]},
        ],
        "events": [{"id": "hypercalcaemia", "when": "calcium > 3.4 and not on_fluids", "scene": "crisis"}],
        "start": "s0",
        "scenes": {},
    }
    scenes_out = story["scenes"]
    for i in range(scenes):
        later = [f"s{min(i + k, scenes - 1)}" for k in (1, 2, 3)]
        if i == scenes - 1:
            scenes_out[f"s{i}"] = {"phase": "End", "text": "The journey ends here.",
                                   "ending": {"title": "The end", "kind": "good"}}
            continue
        scene = {
            "phase": rng.choice(["Diagnosis", "Induction", "Transplant", "Maintenance", "Relapse"]),
            "text": f"Scene {i}. The patient's situation develops; you review the chart and talk with them.",
            "advance": f"{rng.randint(1, 3)} days",
        }
        if i % 10 == 7:
            scene["next"] = later[0]
        elif i % 10 == 3:
            scene["question"] = {
                "id": f"q{i}", "type": "select_all", "prompt": "Which findings need action today?",
                "step": rng.choice(STEPS), "objectives": [f"obj{i % 5}"], "references": [f"ref-{i % 20}"],
                "options": [{"id": f"o{k}", "text": f"Finding {k}", "correct": k % 2 == 0,
                             "rationale": f"Because of reason {k}."} for k in range(4)],
                "goto": later[0],
            }
        else:
            scene["on_enter"] = [f"pain += {rng.randint(0, 2)}"]
            scene["choices"] = [
                {
                    "id": f"c{i}_{k}", "label": f"Option {k} in scene {i}", "category": rng.choice(CATEGORIES),
                    "rating": RATINGS[k], "step": rng.choice(STEPS), "objectives": [f"obj{(i + k) % 5}"],
                    **({"if": f"calcium < {rng.uniform(2.5, 4.4):.2f} or visited(s{max(i - 1, 0)})"} if k else {}),
                    "effects": [f"calcium -= {rng.uniform(0, 0.3):.2f}", f"trust += {k % 2}",
                                "on_treatment = true" if k == 0 else "on_fluids = true"],
                    "feedback": {"outcome": f"Outcome of option {k}.", "rationale": "Evidence says so.",
                                 "nursing": "Watch urine output and pain.", "references": [f"ref-{(i + k) % 20}"]},
                    "goto": later[k % 3],
                }
                for k in range(3)
            ]
        scenes_out[f"s{i}"] = scene
    scenes_out["crisis"] = {
        "phase": "Emergency", "text": "Calcium is dangerously high and the patient is confused.",
        "choices": [{"id": "crisis_fluids", "label": "IV fluids and calcium-lowering treatment",
                     "category": "supportive", "rating": "best", "step": "take_action",
                     "objectives": ["obj0"], "effects": ["on_fluids = true", "calcium -= 0.8"],
                     "feedback": {"outcome": "Calcium falls.", "rationale": "Rehydrate first.",
                                  "references": ["ref-0"]},
                     "goto": "resume"}],
    }
    return story


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def engine_steps_per_second(story, seconds: float = 2.0) -> tuple[float, int]:
    rng = random.Random(7)
    steps = journeys = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        session = Session(story, seed=journeys)
        journeys += 1
        for _ in range(200):
            prompt = prompt_of(session)
            if isinstance(prompt, Ended):
                break
            if isinstance(prompt, Choose):
                action = Action("choose", rng.choice([v.id for v in prompt.open]))
            else:
                action = prompt.expert()  # a page continues; a question gets its right answer (o0 and o2)
            session.apply(action)
            steps += 1
    return steps / (time.perf_counter() - started), journeys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.yaml"
        path.write_text(yaml.safe_dump(synthetic_story(args.scenes), sort_keys=False, allow_unicode=True))
        size = path.stat().st_size
        floor = best_of(args.repeat, lambda: yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
        ours = best_of(args.repeat, lambda: load_story(path))
        story = load_story(path)
    print(f"story: {args.scenes} scenes, {size / 1e6:.1f} MB of YAML")
    print(f"floor  yaml.load(CSafeLoader): {floor * 1000:8.1f} ms")
    print(f"ours   load_story (validated): {ours * 1000:8.1f} ms")
    print(f"load ratio: {ours / floor:.2f}  (target <= 1.5)")
    rate, journeys = engine_steps_per_second(story)
    print(f"engine: {rate:,.0f} steps per second over {journeys} journeys  (target >= 20,000 choose() calls/s)")


if __name__ == "__main__":
    main()
