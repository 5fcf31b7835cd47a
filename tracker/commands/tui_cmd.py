"""`tracker tui [--plan P] [--as-of DATE]`: start the coordinator's terminal UI."""

from __future__ import annotations

import argparse
import os

from tracker.commands import Context
from tracker.dates import parse_date


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run the TUI until the user quits; 0 on a clean exit.

    The database, the plan and the date are checked before the first frame: a missing database or
    an unknown plan is one sentence on stderr (a `TrackerError` caught by `tracker.cli`), not a
    broken screen. "Today" is `ctx.today`, resolved by the entry point.
    """
    # textual costs ~181 ms to import here: only `tracker tui` pays for it.
    from tracker.tui.app import TrackerApp

    as_of = ctx.today if args.as_of is None else parse_date(args.as_of, today=ctx.today)
    who = os.environ.get("USER") or "coordinator"
    app = TrackerApp(ctx.db, today=ctx.today, as_of=as_of, plan=args.plan, lang=ctx.lang, who=who)
    result = app.run()
    return int(result or 0)
