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
args = parser.parse_args()
if args.memory_mb:  # a tab that runs away (a huge story or terminal) fails alone instead of starving the class
    limit = args.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
workspace = Workspace.from_environment(stories=args.stories, data_dir=args.data_dir,
                                       classroom=args.classroom or None, recorder=attempt_writer)
MMJourneyApp(workspace=workspace, catalog=args.catalog, roster=args.roster).run()
