"""Radio buttons whose state reads without colour: (•) chosen, ( ) not (review finding 9).

Textual draws a radio button's state as the same dot in two colours, which a magnifier, a
monochrome terminal or a screen capture cannot tell apart.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton


class MarkedRadioButton(RadioButton):
    DEFAULT_CSS = """
    MarkedRadioButton > .toggle--button { color: $foreground; background: transparent; }
    MarkedRadioButton.-on > .toggle--button { color: $text-success; text-style: bold; }
    """

    @property
    def _button(self) -> Content:
        return Content.styled("(•)" if self.value else "( )", self.get_visual_style("toggle--button"))
