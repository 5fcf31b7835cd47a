"""The TUI's own messages: small dataclasses that widgets post and screens or the app handle."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tracker.model import Status


@dataclass
class StatusPicked(Message):
    """A status count in the header was clicked: filter to it (None = show every status)."""

    status: Status | None


@dataclass
class FilterChanged(Message):
    """The filter bar changed: the table shows only tasks matching all of these."""

    text: str
    status: Status | None
    owner: str | None
    section: str | None


@dataclass
class OpenTask(Message):
    """Open the task screen for this task."""

    task_id: int
