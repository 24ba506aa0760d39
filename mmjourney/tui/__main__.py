"""Run the full-screen player directly: what each `mmjourney serve` browser tab starts.

Under textual-serve the game's input and output are pipes, not a terminal, so this entry
point skips the terminal check that `mmjourney play` makes to choose the plain player.
"""

import argparse
import resource
from pathlib import Path

from ..journey import Workspace
from .app import MMJourneyApp, attempt_writer

parser = argparse.ArgumentParser(prog="python -m mmjourney.tui")
parser.add_argument("--stories", help="your own story folder")
parser.add_argument("--data-dir", help="the data folder (default: the environment's, else the platform's)")
parser.add_argument("--classroom", action="store_true", help="ask who is playing first (mmjourney serve)")
parser.add_argument("--catalog", type=Path, help="the story list `mmjourney serve` checked at start-up")
parser.add_argument("--memory-mb", type=int, help="the most memory this game may use (mmjourney serve)")
parser.add_argument("--roster", type=Path, help="the class roster `mmjourney serve` loaded: only names on it may join")
# A launch from a learning platform (serve --lti): the server checked it, chose the learner's folder and the
# story from its catalog, and starts the game with them; the learner types no name.
parser.add_argument("--learner", help="the folder id of the learner a platform launched (serve --lti)")
parser.add_argument("--story", type=Path, help="the story the launch opens, from the server's catalog")
parser.add_argument("--mode", choices=["practice", "assessment"], default="practice")
args = parser.parse_args()
if args.memory_mb:  # a tab that runs away (a huge story or terminal) fails alone instead of starving the class
    limit = args.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
workspace = Workspace.from_environment(stories=args.stories, data_dir=args.data_dir,
                                       classroom=args.classroom or None, recorder=attempt_writer)
if args.learner:
    from ..classroom import class_list

    workspace = workspace.for_learner(args.learner, class_list(workspace.data_dir)[args.learner])
MMJourneyApp(workspace=workspace, catalog=args.catalog, roster=args.roster, story_path=args.story, mode=args.mode,
             story_intro=args.story is not None, launched=bool(args.learner)).run()
