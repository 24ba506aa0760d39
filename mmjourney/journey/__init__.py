"""What every front end does around a decision. Never imports textual or rich.

- `prompt_of(session)`: what the current scene asks (Read, Choose, Ask or Ended).
- `expert_path(story)`: the story played as the expert would.
"""

from .expert import expert_path
from .prompt import Ask, Choose, Ended, Prompt, Read, prompt_of

__all__ = ["Ask", "Choose", "Ended", "Prompt", "Read", "expert_path", "prompt_of"]
