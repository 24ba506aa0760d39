"""What every front end does around a decision. Never imports textual or rich.

- `prompt_of(session)`: what the current scene asks (Read, Choose, Ask or Ended).
- `Journey`: start, resume, branch, decide, undo, the mode policy and persistence.
- `Workspace`: where a learner's things live, passed in from the entry point.
- `expert_path(story)`: the story played as the expert would.

Modules imported by name (not re-exported here, so a front end loads only what it uses):
- `record`: `AttemptRecord` and its parts, to and from the stored JSON; `attempt`: `build_record`,
  `session_record`; `debrief_view`: `DebriefView`, the one debrief every renderer shows;
  `text`: score, percent, stat and time wording.
"""

from .expert import expert_path
from .journey import Journey, ModePolicy, Replayed, ResumeProblem
from .prompt import Ask, Choose, Ended, Prompt, Read, prompt_of
from .workspace import Workspace

__all__ = ["Ask", "Choose", "Ended", "Journey", "ModePolicy", "Prompt", "Read", "Replayed", "ResumeProblem",
           "Workspace", "expert_path", "prompt_of"]
