"""The main screen's widgets, one per module: the task table, the status counts, the filter bar."""

from __future__ import annotations
