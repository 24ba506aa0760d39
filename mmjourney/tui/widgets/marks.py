"""Radio buttons whose state reads without colour: (•) chosen, ( ) not (review finding 9).

Textual draws a radio button's state as the same dot in two colours, which a magnifier, a
monochrome terminal or a screen capture cannot tell apart.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton


class MarkedRadioButton(RadioButton):
    @property
    def _button(self) -> Content:
        # In the text's own colours: Textual's button well is drawn near the background's colour.
        return Content.styled("(•)", "bold $text-success") if self.value else Content.styled("( )", "$foreground")
