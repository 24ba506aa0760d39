"""Who is playing in a classroom (`mmjourney serve`). Never imports textual or rich.

- `check_name(typed)`: a learner name checked and normalised, or NameProblem with the reason.
- `Registry(data_dir)`: the class's learners, their folders (by random id) and their hashed secrets.
- `load_roster(path, data_dir)`: the educator's CSV roster added to the class, with one-time codes.
- `class_list(data_dir)`: the class's learners as {folder id: name}, read only (for `mmjourney report`).
"""

from .learners import Learner, Lookup, Registry, SecretProblem, SignInRefused, check_secret, class_list
from .names import LearnerName, NameProblem, check_name
from .roster import RosterError, load_roster, read_roster

__all__ = ["Learner", "LearnerName", "Lookup", "NameProblem", "Registry", "RosterError", "SecretProblem",
           "SignInRefused", "check_name", "check_secret", "class_list", "load_roster", "read_roster"]
