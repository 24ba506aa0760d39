"""The Textual player. Talks to the story and engine layers only through their public APIs."""
