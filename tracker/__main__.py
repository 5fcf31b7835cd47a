"""`python -m tracker` → the command line (never run files inside tracker/ as scripts)."""

from __future__ import annotations

from tracker.cli import main

raise SystemExit(main())
