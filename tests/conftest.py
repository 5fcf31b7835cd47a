"""Shared fixtures: where the seed documents are, the fixed as-of date, a fresh database file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
PLANS = ROOT / "plans"
JINING = SEEDS / "workplan_2024_jining_minzheng.txt"
AS_OF = date(2024, 7, 1)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite file per test, also exported as TRACKER_DB for CLI runs."""
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.setenv("TRACKER_LOG_DIR", str(tmp_path / "log"))
    return path
