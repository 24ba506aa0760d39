"""Run the full-screen player directly: what each `mmjourney serve` browser tab starts.

Under textual-serve the game's input and output are pipes, not a terminal, so this entry
point skips the terminal check that `mmjourney play` makes to choose the plain player.
"""

import argparse
from pathlib import Path

from .app import MMJourneyApp

parser = argparse.ArgumentParser(prog="python -m mmjourney.tui")
parser.add_argument("--stories", help="your own story folder")
args = parser.parse_args()
MMJourneyApp(stories_dir=Path(args.stories) if args.stories else None).run()
