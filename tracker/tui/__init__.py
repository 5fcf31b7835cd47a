"""tracker.tui — the coordinator's terminal UI (Textual): `tracker tui` starts `app.TrackerApp`.

This `__init__` imports nothing: textual costs ~181 ms to import here, and only `tracker tui`
pays for it (the cron path never loads this package).
"""

from __future__ import annotations
