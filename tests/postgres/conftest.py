"""PostgreSQL tests: the cluster fixtures (tests/pg_fixture.py) and the Jining plan stored on either engine."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))  # store_drafts: the Jining-shaped draft

from pg_fixture import db_url, pg_url  # noqa: F401 - fixtures
