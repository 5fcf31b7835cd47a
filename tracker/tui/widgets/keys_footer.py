"""The footer of keys, redrawn only when the keys it shows change.

Textual's Footer rebuilds all its key widgets whenever the focused widget changes, even when the
keys shown stay the same (the table and the filter box show the same keys here). Measured at
start-up: about 120 ms of a ~270 ms first screen went to four such rebuilds of 17 keys.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """A Footer that skips a rebuild when the shown keys, their labels and states are unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild (as Footer does) only when what it would show differs from what it shows."""
        shown = tuple((key, binding.description, enabled)
                      for key, (_node, binding, enabled, _tip) in screen.active_bindings.items() if binding.show)
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
