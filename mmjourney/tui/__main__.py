"""Run the full-screen player directly: what each `mmjourney serve` browser tab starts.

Under textual-serve the game's input and output are pipes, not a terminal, so this entry
point skips the terminal check that `mmjourney play` makes to choose the plain player.
"""

import argparse

from ..journey import Workspace
from .app import MMJourneyApp, attempt_writer

parser = argparse.ArgumentParser(prog="python -m mmjourney.tui")
parser.add_argument("--stories", help="your own story folder")
parser.add_argument("--data-dir", help="the data folder (default: the environment's, else the platform's)")
parser.add_argument("--classroom", action="store_true", help="ask who is playing first (mmjourney serve)")
args = parser.parse_args()
workspace = Workspace.from_environment(stories=args.stories, data_dir=args.data_dir,
                                       classroom=args.classroom or None, recorder=attempt_writer)
MMJourneyApp(workspace=workspace).run()
