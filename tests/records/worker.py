"""A separate mmjourney process for the fault tests: `python -m tests.records.worker MODE ...`.

Modes:
  writer N      wait for "go" on stdin, then record N finished journeys; print "done".
  killable      record 5 journeys ("committed ID" after each), then 3 decisions of another ("mid ID"),
                then decide and undo its 4th decision forever (the parent kills it with SIGKILL).
  fill-disk     record journeys until the disk is full, then check what was kept (prints JSON).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mmjourney.engine import Session
from mmjourney.journey import expert_path
from mmjourney.records import AttemptWriter, Recorded, records
from mmjourney.story import load_story

CLINIC = Path(__file__).resolve().parents[1] / "fixtures" / "clinic.yaml"


def journey(story, seed: int, actions, report=None) -> Recorded:
    """Play and record one journey; the Recorded of its last keep (the failed one, if a keep failed)."""
    session = Session(story, seed)
    writer = AttemptWriter()  # one per journey, as a player keeps it
    result = Recorded(None)
    for action in actions:
        session.apply(action)
        result = writer.keep(session)
        if not result.ok:
            print(f"not recorded: {result.message}", file=sys.stderr, flush=True)
            return result
        if report:
            report(result.attempt_id)
    return result


def main(mode: str, *args: str) -> None:
    story = load_story(CLINIC)
    actions = expert_path(story).actions
    if mode == "writer":
        print("ready", flush=True)
        sys.stdin.readline()
        for seed in range(int(args[0])):
            journey(story, seed, actions)
        print("done", flush=True)
    elif mode == "killable":
        for seed in range(1, 6):
            print(f"committed {journey(story, seed, actions).attempt_id}", flush=True)
        session = Session(story)
        writer = AttemptWriter()
        for action in actions[:3]:
            session.apply(action)
            result = writer.keep(session)
        print(f"mid {result.attempt_id}", flush=True)
        while True:  # keep writing to the journey in progress: decide, then take it back
            session.apply(actions[3])
            print(f"decisions {writer.keep(session).attempt_id} 4", flush=True)
            session.undo()
            print(f"decisions {writer.keep(session).attempt_id} 3", flush=True)
    elif mode == "fill-disk":
        kept, message = [], None
        ballast = Path(args[0]) / "ballast"
        for seed in range(10_000):
            # The message the learner would see is the failed keep's own: a later, smaller write may still fit.
            result = journey(story, seed, actions)
            if not result.ok:
                message = result.message
                break
            kept.append(result.attempt_id)
            try:
                with ballast.open("ab") as out:  # eat the space faster than records alone would
                    out.write(b"\0" * 16384)
            except OSError:
                pass
        from argparse import Namespace

        from mmjourney.records.cli import export_main

        try:  # now fill the disk to the last byte
            with ballast.open("ab") as out:
                while True:
                    out.write(b"\0" * 1024)
                    out.flush()
        except OSError:
            pass
        session = Session(story, 99)
        session.apply(actions[0])
        still = AttemptWriter().keep(session)
        export_status = export_main(Namespace(list=False, attempt=kept[-1], last=False, format="html",
                                              out=str(Path(args[0]) / "debrief.html"), account=None, homepage=None))
        leftovers = sorted(p.name for p in Path(args[0]).iterdir() if p.name.startswith(".debrief"))
        ballast.unlink()  # space comes back: everything committed before must be there
        with records() as db:
            found = [row["id"] for row in db.attempts() if row["status"] == "completed"]
            check = db.connection.execute("PRAGMA quick_check").fetchone()[0]
        print(json.dumps({"kept": kept, "found": found, "message": message, "check": check,
                          "still_ok": still.ok, "still_message": still.message,
                          "export_status": export_status, "exported": (Path(args[0]) / "debrief.html").exists(),
                          "leftovers": leftovers}))


if __name__ == "__main__":
    main(*sys.argv[1:])
