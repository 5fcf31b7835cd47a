"""tracker.calendar — placeholder until its issue lands."""

from __future__ import annotations
