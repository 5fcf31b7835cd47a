"""tracker — run an office's yearly disclosure plan (政务公开工作要点).

This module holds the version only and imports nothing: `tracker remind` runs from cron every
working morning, and every import here would be paid on each run.
"""

from __future__ import annotations

__version__ = "0.1.0"
