"""The command palette, with a guard around a Textual bug (checked in 8.2.8).

PageUp or PageDown while the palette's list holds commands that have not been laid out yet
(ctrl+p then PageUp, as one burst of keys) raises `KeyError: 0` in
`OptionList._move_page`, which reads the line of the highlighted option from a cache that is
only filled once the list has a size; the game then exits. Here a page move before the list is
laid out goes to the first or last command instead, and a page move never ends the game.
"""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

_INSTEAD = {"page_up": "first", "page_down": "last"}


class SafeCommandPalette(CommandPalette):
    """Textual's command palette, whose PageUp and PageDown never crash."""

    def _action_command_list(self, action: str) -> None:
        if action in _INSTEAD:
            commands = self.query_one(CommandList)
            if not commands.scrollable_content_region:  # not laid out yet: `_move_page` would fail
                action = _INSTEAD[action]
            else:
                try:
                    super()._action_command_list(action)
                except KeyError:  # the same cache, out of step with the options in some other way
                    super()._action_command_list(_INSTEAD[action])
                return
        super()._action_command_list(action)
