"""The TUI's screens, one per module: the main list, one task, and the dialogs."""

from __future__ import annotations
