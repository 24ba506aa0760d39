"""Run the full-screen player directly: what each `mmjourney serve` browser tab starts.

Under textual-serve the game's input and output are pipes, not a terminal, so this entry
point skips the terminal check that `mmjourney play` makes to choose the plain player.
"""

import argparse
from pathlib import Path

from ..journey import Workspace
from .app import MMJourneyApp, keep_record

parser = argparse.ArgumentParser(prog="python -m mmjourney.tui")
parser.add_argument("--stories", help="your own story folder")
parser.add_argument("--data-dir", help="the data folder (default: the environment's, else the platform's)")
parser.add_argument("--classroom", action="store_true", help="ask who is playing first (mmjourney serve)")
parser.add_argument("--roster", type=Path, help="the class roster `mmjourney serve` loaded: only names on it may join")
args = parser.parse_args()
workspace = Workspace.from_environment(stories=args.stories, data_dir=args.data_dir,
                                       classroom=args.classroom or None, recorder=keep_record)
MMJourneyApp(workspace=workspace, roster=args.roster).run()
