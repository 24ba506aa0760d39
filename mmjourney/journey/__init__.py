"""What every front end does around a decision. Never imports textual or rich.

- `prompt_of(session)`: what the current scene asks (Read, Choose, Ask, Fill or Ended).
- `Journey`: start, resume, branch, decide, undo, the mode policy and persistence.
- `Workspace`: where a learner's things live, passed in from the entry point.
- `expert_path(story)`: the story played as the expert would.
- `preview_of(story, "scene")`: an author's preview (`play --from`), started part of the way in.

Modules imported by name (not re-exported here, so a front end loads only what it uses):
- `record`: `AttemptRecord` and its parts, to and from the stored JSON; `attempt`: `build_record`,
  `session_record`; `debrief_view`: `DebriefView`, the one debrief every renderer shows;
  `text`: score, percent, stat and time wording; `exhibit`: `trend_of`, a question's trend table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:  # what type checkers see; at run time the names load on first use
    from .expert import expert_path as expert_path
    from .journey import Journey as Journey
    from .journey import ModePolicy as ModePolicy
    from .journey import Replayed as Replayed
    from .journey import ResumeProblem as ResumeProblem
    from .preview import Preview as Preview
    from .preview import PreviewError as PreviewError
    from .preview import preview_of as preview_of
    from .prompt import Ask as Ask
    from .prompt import Choose as Choose
    from .prompt import Ended as Ended
    from .prompt import Fill as Fill
    from .prompt import Prompt as Prompt
    from .prompt import Read as Read
    from .prompt import prompt_of as prompt_of
    from .prompt import shown_order as shown_order
    from .workspace import Workspace as Workspace

# Loaded on first use, so importing `journey.workspace` at start-up (the app does) does not load the
# story format and the engine before the title screen is drawn.
_EXPORTS = {
    "expert_path": "expert",
    "Journey": "journey", "ModePolicy": "journey", "Replayed": "journey", "ResumeProblem": "journey",
    "Preview": "preview", "PreviewError": "preview", "preview_of": "preview",
    "Ask": "prompt", "Choose": "prompt", "Ended": "prompt", "Fill": "prompt", "Prompt": "prompt", "Read": "prompt",
    "prompt_of": "prompt", "shown_order": "prompt",
    "Workspace": "workspace",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS, globals())
