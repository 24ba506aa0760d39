"""The key bar at the bottom of every screen, redrawn only when the keys it shows change.

Textual's Footer rebuilds all its keys whenever a screen's bindings *may* have changed: on every
focus change and every change of a reactive that affects bindings (an option list's highlight,
for one). On the play screen that was a few rebuilds per key press, the largest part of a
decision's cost. This footer compares what it would show with what it shows, and rebuilds only
when they differ, once per refresh however many changes were announced.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._update_keys)

    async def _update_keys(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shown = tuple((binding.key, binding.description, enabled, tooltip)
                      for _, binding, enabled, tooltip in self.screen.active_bindings.values() if binding.show)
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
