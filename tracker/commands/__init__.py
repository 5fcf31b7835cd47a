"""Command implementations, one module per group, loaded on demand by `tracker.cli`.

This package's `__init__` stays light (stdlib only, no `dataclasses`, no `json` until JSON is
printed): `tracker.cli` imports `Context` from here on every run, including cron's `tracker remind`.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, TextIO


class Context(NamedTuple):
    """What every command receives besides its arguments: resolved once, by `tracker.cli`."""

    today: date
    """The real date, or TRACKER_TODAY (ISO) for reproducible runs and tests."""
    db: str
    """The database path or URL, by precedence --db > TRACKER_DB > per-user data dir."""
    lang: str
    """"zh" or "en"."""
    out: TextIO
    err: TextIO


def print_json(value: object, out: TextIO) -> None:
    """Print a value as stable JSON: keys in the order given, UTF-8 text, dates as ISO strings."""
    import json  # ~2 ms: only the commands that print JSON pay for it

    out.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
