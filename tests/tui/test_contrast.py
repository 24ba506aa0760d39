"""Every colour the app draws text in reaches WCAG's 4.5:1 on the backgrounds it is drawn on, in each
theme the title screen offers (review finding 9: the red H was 3.4:1, the Journey title 1.9:1, the
light theme's orange 1.5:1)."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from mmjourney.tui import themes
from mmjourney.tui.app import MMJourneyApp

# Theme colours used for text: body text, muted notes (the disclaimer), titles ($accent), H and
# critical flags and poor ratings ($error), L flags and partial results ($warning), good results
# ($success, $text-success), the footer's keys, and borders that carry a title ($primary round
# the decision area and dialogs, $secondary round the journey timeline).
TEXT = ("foreground", "text-muted", "accent", "error", "warning", "success", "text-success", "text-error",
        "text-warning", "footer-key-foreground", "primary", "secondary")
# What they are drawn on: the screen, dialogs, and panels (the footer, the buttons' wells).
BACKGROUNDS = ("background", "surface", "panel")
AA = 4.5


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(one: Color, other: Color) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def drawn(colors: dict[str, str], name: str, on: Color) -> Color:
    """The colour `name` shows as on `on`: "auto 60%" is the background's contrasting text, 60 % opaque."""
    value = colors[name]
    if value.startswith("auto"):
        color = on.get_contrast_text(float(value.split()[1].rstrip("%")) / 100)
    else:
        color = Color.parse(value)
    return on + color if color.a < 1 else color


def failures(theme) -> list[str]:
    colors = theme.to_color_system().generate()
    found = []
    for background in BACKGROUNDS:
        ground = Color.parse(colors[background])
        for name in TEXT:
            ratio = contrast(drawn(colors, name, ground), ground)
            if ratio < AA:
                found.append(f"${name} on ${background}: {ratio:.1f}:1")
    primary = Color.parse(colors["primary"])  # the highlighted option and the focused button
    on_primary = primary + primary.get_contrast_text(0.87)
    if contrast(on_primary, primary) < AA:
        found.append(f"text on $primary: {contrast(on_primary, primary):.1f}:1")
    return found


@pytest.mark.parametrize("theme", [offered for offered, _, _ in themes.OFFERED], ids=lambda t: t.name)
def test_every_text_colour_reads_on_every_background(theme):
    assert failures(theme) == []


def test_the_check_finds_what_the_review_measured():
    """The same arithmetic flags Textual's own themes where the review measured them."""
    dark, light = failures(BUILTIN_THEMES["textual-dark"]), failures(BUILTIN_THEMES["textual-light"])
    assert "$error on $background: 3.4:1" in dark and "$secondary on $background: 1.9:1" in dark
    assert "$warning on $background: 1.5:1" in light and "$accent on $background: 1.5:1" in light


async def test_the_game_starts_in_the_readable_dark_theme_and_offers_the_three():
    app = MMJourneyApp(watch_settings=False)
    async with app.run_test(size=(80, 24)):
        assert app.theme == themes.DEFAULT == themes.DARK.name
        assert {t.name for t, _, _ in themes.OFFERED} <= set(app.available_themes)
