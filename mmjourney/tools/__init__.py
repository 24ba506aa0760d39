"""What authors and educators run on stories: exploration and checks, built on the engine's API."""
