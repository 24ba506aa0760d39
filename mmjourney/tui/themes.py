"""The three themes the title screen offers: dark (the default), light and high contrast.

Textual's own dark and light themes draw the values a learner must notice with the least
contrast on the screen: the red "H" reaches 3.4:1 on dark, the orange "L" and the scene
titles 1.5:1 on light, the blue border titles 1.9:1 (review finding 9). These themes keep the
same look but lift every colour used for text (flags, titles, ratings, border titles, muted
notes) to at least WCAG's 4.5:1 on the backgrounds it is drawn on; tests/tui/test_contrast.py
checks them. The other built-in themes stay in the command palette for whoever wants them.
"""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="mmjourney-dark",
    primary="#4c9aef",
    secondary="#7aa7d6",
    accent="#ffb454",
    warning="#ffc44d",
    error="#ff7388",
    success="#5fd38a",
    foreground="#e0e0e0",
    background="#121212",
    surface="#1e1e1e",
    panel="#262a30",
    dark=True,
    variables={"text-muted": "#a6a6a6", "footer-key-foreground": "#ffb454"},
)

LIGHT = Theme(
    name="mmjourney-light",
    primary="#0b5cad",
    secondary="#4b5fa8",
    accent="#9a4a00",
    warning="#8a5300",
    error="#b3261e",
    success="#1b6e33",
    foreground="#1c1c1c",
    background="#f7f7f7",
    surface="#ececec",
    panel="#e1e5ea",
    dark=False,
    variables={"text-muted": "#555555", "footer-key-foreground": "#0b5cad"},
)

HIGH_CONTRAST = Theme(
    name="mmjourney-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    warning="#ffaa00",
    error="#ff5555",
    success="#55ff55",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
    variables={"text-muted": "#d0d0d0"},
)

# What the title screen offers, in its order: (theme, the button's label, its key).
OFFERED = ((DARK, "Dark", "d"), (LIGHT, "Light", "l"), (HIGH_CONTRAST, "High contrast", "k"))
DEFAULT = DARK.name
