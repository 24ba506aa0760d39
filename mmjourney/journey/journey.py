"""The Journey: one learner's play-through of a story, as every front end drives it.

Ink's host loop in our terms: `prompt()` says what the scene asks, `decide(action)` acts,
`undo()`/`go_back(n)` take decisions back where the mode allows, and `persist()` keeps the
autosave and the records. The mode rules live in `ModePolicy`, and the ways a journey begins
(start, resume, branch, from a record, reload) are the classmethods here, so the players,
the watch mode and the debrief build journeys one way.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from ..engine import Action, ActionError, Consequence, Mode, Session, restore, to_document
from ..engine.saves import SaveDocument, SaveError, SaveMismatch, check_document
from ..story import LoadedStory, StoryError, load_story
from .attempt import session_record
from .fields import Fields
from .files import MAX_SAVE_BYTES, read_small_text, set_aside, write_json_atomic
from .preview import Preview
from .prompt import Prompt, prompt_of
from .record import AttemptRecord, CarriedOver
from .workspace import AttemptKeeper, Workspace


def read_save(path: Path) -> dict:
    """Read a save file; a damaged one is set aside and reported with SaveError."""
    path = Path(path)
    try:
        doc = json.loads(read_small_text(path, MAX_SAVE_BYTES))
        check_document(doc)
        carried_of(doc)
        return doc
    except (ValueError, UnicodeDecodeError, RecursionError, SaveError) as error:
        kept = set_aside(path)
        raise SaveError(f"the save file {path.name} is damaged ({error}); it was kept as {kept.name}") from None


def carried_of(doc: dict) -> CarriedOver | None:
    """The decisions a saved journey begun with "try again from here" carried over from an earlier attempt
    (none for any other journey); ValueError naming the field if the save's note of them is damaged."""
    if "carried_over" not in doc:
        return None
    return CarriedOver.read(Fields(doc["carried_over"], "carried_over")).upto(len(doc["actions"]))


def fresh_seed() -> int:
    """A new journey's seed when none is asked for. The seed decides the luck of chance outcomes and the
    order options are shown in, so each new attempt gets its own: a learner who replays a story cannot
    win by remembering where the right option was. A seed given on purpose (`--seed`) replays exactly."""
    return secrets.randbelow(1_000_000)


@dataclass(frozen=True)
class ModePolicy:
    """What a mode allows: the one place that knows practice from assessment."""

    mode: Mode

    @property
    def feedback_after_each(self) -> bool:
        """Feedback right after each decision (practice), or only in the debrief (assessment)."""
        return self.mode == "practice"

    @property
    def can_undo(self) -> bool:
        """Undo and going back to an earlier decision."""
        return self.mode == "practice"

    @property
    def records_first(self) -> bool:
        """Assessment: the records are the source of truth. Each decision is recorded before the
        autosave is written (and before it is shown), and Continue trusts the records over the autosave."""
        return self.mode == "assessment"

    @property
    def shows_ratings(self) -> bool:
        """Ratings beside past decisions in the journey timeline."""
        return self.mode == "practice"

    @property
    def title(self) -> str:
        return "Practice" if self.mode == "practice" else "Assessment"


@dataclass(frozen=True)
class Replayed:
    """How far a journey's decisions replayed against a (possibly changed) story."""

    replayed: int
    total: int
    reason: str = ""  # why the next decision did not fit, if one did not


@dataclass
class ResumeProblem:
    """Why the autosave cannot simply be resumed, and what can still be done."""

    message: str
    story: LoadedStory | None = None  # the loaded story, when restarting it is possible
    doc: dict | None = None
    usable: int = 0  # decisions that still fit a changed story
    mode: Mode = "practice"
    path: Path | None = None  # the save, when its decisions can still be used


class Journey:
    """A session with its mode policy, its Workspace and the story file it came from."""

    def __init__(self, session: Session, workspace: Workspace | None = None, note: str | None = None,
                 resumed_from: Path | None = None, preview: Preview | None = None,
                 carried: CarriedOver | None = None, reviewed: AttemptRecord | None = None) -> None:
        self.session = session
        # Begun with "try again from here": the first decisions were made in an earlier attempt, and its
        # record says so, so that no debrief, export or report counts them as made again.
        self.carried = carried
        # A recorded attempt replayed to show its full debrief: it is in the records already.
        self.reviewed = reviewed
        # An author's preview (`play --from`): started part of the way in, it is neither saved for
        # Continue nor recorded as an attempt, so no learner's records hold a result it made up.
        self.preview = preview
        # The save this journey was continued from, if it is not where the journey is kept now (an
        # older version's single autosave): it goes once the journey has been saved in its own place.
        self._resumed_from = resumed_from
        self.workspace = workspace  # None: nothing is kept (tools, tests, embedding hosts)
        self.policy = ModePolicy(session.mode)
        self.note = note  # something the learner should be told on the way in (a changed story)
        # The records are kept from a shadow copy of the journey, replayed to a snapshot of its
        # decisions, so a front end can record in a worker thread while the learner plays on.
        # One lock and a sequence number keep the records in decision order.
        self._shadow = Session(session.story, session.seed, session.mode)
        self._record_lock = threading.Lock()
        self._snapshots = 0
        self._recorded = -1
        self._keeper: AttemptKeeper | None = None  # made by the Workspace's recorder on the first record
        self.attempt_id: int | None = None  # this journey's attempt in the records, once recorded

    # --- the ways a journey begins ------------------------------------------------------------

    @classmethod
    def start(cls, story: LoadedStory, seed: int | None = None, mode: Mode = "practice",
              workspace: Workspace | None = None) -> Journey:
        """A new journey; with no seed, a fresh one (see fresh_seed)."""
        return cls(Session(story, fresh_seed() if seed is None else seed, mode), workspace)

    @classmethod
    def previewing(cls, story: LoadedStory, preview: Preview, seed: int | None = None, mode: Mode = "practice",
                   workspace: Workspace | None = None) -> Journey:
        """An author's preview: a journey with `preview`'s decisions already made (see journey.preview)."""
        session = Session(story, fresh_seed() if seed is None else seed, mode)
        session.replay(preview.actions)
        return cls(session, workspace, preview=preview)

    @classmethod
    def replaying(cls, story: LoadedStory, seed: int | None, mode: Mode, actions,
                  workspace: Workspace | None = None, preview: Preview | None = None) -> tuple[Journey, Replayed]:
        """A journey with `actions` replayed as far as they still fit `story` (a story edited since);
        with no seed, a fresh one. A preview's reload stays a preview."""
        session = Session(story, fresh_seed() if seed is None else seed, mode)
        actions = list(actions)
        fitted, error = session.replay_fitting(actions)
        reason = ""
        if error is not None:
            label = actions[fitted].id or "continue"
            reason = f"decision {fitted + 1} ('{label}') no longer fits: {error}"
        return cls(session, workspace, preview=preview), Replayed(fitted, len(actions), reason)

    @classmethod
    def resume(cls, workspace: Workspace, path: Path | None = None,
               story_override: LoadedStory | None = None) -> Journey | ResumeProblem:
        """Continue the journey saved at `path` (by default the most recently saved one), or say
        why it cannot be."""
        if path is None:
            saved = workspace.saved_journeys()
            if not saved:
                return ResumeProblem("There is no journey to continue.")
            path = saved[0].path
        try:
            doc = read_save(path)
        except FileNotFoundError:
            return ResumeProblem("There is no journey to continue.")
        except (SaveError, OSError) as error:
            return ResumeProblem(str(error))
        mode: Mode = doc.get("mode", "practice")
        story = story_override
        if story is None:
            try:
                story = load_story(Path(str(doc.get("story_path", ""))))
            except StoryError as error:
                first = error.errors[0] if error.errors else error.problems[0]
                return ResumeProblem(f"The story of the saved journey cannot be loaded:\n{first}")
        try:
            restored = restore(story, doc)
        except SaveMismatch as error:
            return ResumeProblem(str(error), story, doc, error.usable, mode, path)
        except SaveError as error:
            return ResumeProblem(str(error), story, mode=mode)
        journey = cls(restored.session, workspace, restored.note, resumed_from=path, carried=carried_of(doc))
        if journey.policy.records_first:
            return journey._trusting_the_records(path)
        return journey

    def _trusting_the_records(self, path: Path) -> Journey | ResumeProblem:
        """Assessment: continue from the records when the autosave disagrees with them (a save edited to
        take a decision back, say). The save is set aside, never trusted. A save that only goes further
        than the records (a decision whose recording failed, on a full disk) is kept: it takes nothing back."""
        workspace = self.workspace
        if workspace is None or workspace.recorder is None:
            return self
        keeper = workspace.recorder(workspace)
        session = self.session
        recorded = keeper.unfinished_actions(session.story.model.id, session.story.content_hash, session.seed,
                                             session.mode)
        saved = [a.to_json() for a in session.actions]
        if recorded is None or recorded == saved[:len(recorded)]:
            self._keeper = keeper
            return self
        try:
            kept = set_aside(path, "not-as-recorded")
        except OSError as error:
            return ResumeProblem(f"Your saved journey does not match your records, and it could not be set "
                                 f"aside: {error}")
        from_records = Session(session.story, session.seed, session.mode)
        try:
            from_records.replay([Action.from_json(a) for a in recorded])
        except (ActionError, KeyError, TypeError, ValueError) as error:
            return ResumeProblem(f"Your saved journey does not match your records (it was kept as {kept.name}), "
                                 f"and the recorded decisions no longer fit the story: {error}")
        journey = Journey(from_records, workspace, f"Your saved journey did not match your records, so it "
                          f"continues from your records ({len(recorded)} steps); the save was kept as {kept.name}.",
                          carried=self.carried.upto(len(recorded)) if self.carried else None)
        journey._keeper = keeper
        return journey

    @classmethod
    def resume_partly(cls, problem: ResumeProblem, workspace: Workspace) -> Journey:
        """After a story changed: the decisions that still fit it (`problem.usable`)."""
        assert problem.story is not None and problem.doc is not None
        carried = carried_of(problem.doc)
        return cls(restore(problem.story, problem.doc, upto=problem.usable).session, workspace,
                   resumed_from=problem.path, carried=carried.upto(problem.usable) if carried else None)

    @classmethod
    def reviewing(cls, session: Session, record: AttemptRecord, workspace: Workspace | None = None) -> Journey:
        """A recorded attempt, replayed into `session`, shown again in full (its debrief, and a way to try
        again from one of its decisions): it is not recorded a second time."""
        journey = cls(session, workspace, carried=record.carried_over, reviewed=record)
        journey.attempt_id = record.local.attempt_id if record.local is not None else None  # for its export
        return journey

    def branch(self, before: int) -> Journey:
        """A new practice journey from just before decision `before` (an index into the actions), its
        earlier decisions carried over from this attempt; a preview's branch is a preview too."""
        session = Session(self.session.story, self.session.seed, "practice")
        session.replay(self.session.actions[:before])
        # Decisions this journey itself carried over were first made in the attempt it names.
        inherited = self.carried is not None and before <= self.carried.actions
        source = self.carried.from_attempt if self.carried is not None and inherited else self._attempt_uuid()
        return Journey(session, self.workspace, preview=self.preview, carried=CarriedOver.of(before, source))

    def _attempt_uuid(self) -> str | None:
        """This journey's attempt in the learner's records, if it is kept there."""
        if self.preview is not None:
            return None
        return self.debrief_record().uuid or None

    def restarted(self, seed: int | None = None) -> Journey:
        """The same story and mode from the beginning: a new attempt, so a new seed unless one is given.
        A preview starts again where it started."""
        if self.preview is not None:
            return Journey.previewing(self.session.story, self.preview, seed, self.session.mode, self.workspace)
        return Journey.start(self.session.story, seed, self.session.mode, self.workspace)

    # --- reading ------------------------------------------------------------------------------

    @property
    def story(self) -> LoadedStory:
        return self.session.story

    @property
    def story_path(self) -> Path:
        return Path(self.session.story.path)

    @property
    def mode(self) -> Mode:
        return self.session.mode

    @property
    def ended(self) -> bool:
        return self.session.ended

    def prompt(self) -> Prompt:
        return prompt_of(self.session)

    @property
    def opening_notice(self) -> str | None:
        """What a player says under the heading of the scene a journey began at, while it is still there: where
        an author's preview started, or what "try again from here" carried over."""
        done = len(self.session.actions)
        if self.preview is not None:
            return self.preview.notice if done <= len(self.preview.actions) else None
        if self.carried is None or done != self.carried.actions:
            return None
        made = sum(1 for action in self.session.actions if action.kind != "next")
        start = f"Trying again from decision {made + 1}, in practice mode"
        if made == 0:
            return f"{start}."
        if made == 1:
            return f"{start}: decision 1 comes from your earlier attempt (the debrief marks it carried over)."
        return f"{start}: decisions 1 to {made} come from your earlier attempt (the debrief marks them carried over)."

    # --- acting -------------------------------------------------------------------------------

    def decide(self, action: Action) -> Consequence:
        """Perform one decision (raises ActionError if the scene does not allow it)."""
        return self.session.apply(action)

    def undo(self, to: int | None = None) -> None:
        """Take back the last decision, or go back to just before decision index `to`."""
        if not self.policy.can_undo:
            raise ActionError("Undo is not available in assessment mode.")
        if not self.session.actions:
            raise ActionError("There is no decision to undo yet.")
        self.session.undo(to)
        if self.carried is not None:
            self.carried = self.carried.upto(len(self.session.actions))

    # --- keeping it -----------------------------------------------------------------------------

    def persist(self) -> list[str]:
        """After every decision: the autosave (for Continue) and the learner's records, the records
        first in assessment (see ModePolicy.records_first).

        Never raises; returns what the learner should be told if something could not be kept.
        """
        if self.policy.records_first:
            return self.record(self.snapshot()) + self.save()
        return self.save() + self.record(self.snapshot())

    def save(self) -> list[str]:
        """The autosave, the journey's journal: small, so front ends write it before they show a
        decision, and a decision on the screen survives a killed game. At an ending it is removed
        (the records hold the finished attempt)."""
        workspace = self.workspace
        if workspace is None or self.preview is not None or self.reviewed is not None:
            return []
        path = workspace.autosave_path(self.story.model.id)
        try:
            if self.session.ended:
                path.unlink(missing_ok=True)
            else:
                write_json_atomic(path, self.save_document())
            if self._resumed_from is not None and self._resumed_from != path:
                self._resumed_from.unlink(missing_ok=True)
                self._resumed_from = None
        except OSError as error:
            return [f"Could not save your journey: {error}"]
        return []

    def snapshot(self) -> tuple[int, tuple[Action, ...]]:
        """The decisions so far, numbered, for `record` (which may run in another thread)."""
        self._snapshots += 1
        return self._snapshots, tuple(self.session.actions)

    def record(self, snapshot: tuple[int, tuple[Action, ...]], *, abandoned: bool = False) -> list[str]:
        """Bring the learner's records up to `snapshot` (with `abandoned`, mark the attempt left for
        good); safe to call from a worker thread. A snapshot older than one already recorded is skipped."""
        workspace = self.workspace
        if workspace is None or workspace.recorder is None or self.preview is not None or self.reviewed is not None:
            return []
        number, actions = snapshot
        carried = self.carried.upto(len(actions)) if self.carried is not None else None
        with self._record_lock:
            if number < self._recorded:
                return []
            self._recorded = number
            done = len(self._shadow.actions)
            if tuple(self._shadow.actions) == actions[:done]:
                for action in actions[done:]:  # the usual case: only the new decision is played
                    self._shadow.apply(action)
            else:  # an undo or a branch: start the shadow again
                self._shadow.replay(actions)
            if self._keeper is None:
                self._keeper = workspace.recorder(workspace)
            kept = self._keeper.keep(self._shadow, abandoned=abandoned, carried=carried)
            if kept.attempt_id is not None:
                self.attempt_id = kept.attempt_id
        return [kept.message] if kept.message else []

    def debrief_record(self) -> AttemptRecord:
        """The record a debrief shows: the one in the learner's records when the journey is kept there
        (it alone knows when each decision was made and which were taken back), else one built from the
        session (tools, tests and hosts without records). A reviewed attempt's is the record it came from."""
        if self.reviewed is not None:
            return self.reviewed
        self.record(self.snapshot())
        with self._record_lock:
            stored = self._keeper.stored() if self._keeper is not None and self.attempt_id is not None else None
        return stored if stored is not None else session_record(self.session, self.carried)

    def save_document(self) -> SaveDocument:
        doc = to_document(self.session)
        doc["story_path"] = str(self.story_path.resolve())
        if self.carried is not None:
            doc["carried_over"] = self.carried.to_json()
        return doc
