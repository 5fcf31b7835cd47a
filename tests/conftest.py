"""Shared fixtures: where the seed documents are, the fixed as-of date, a fresh database file, and the
demo database (built once per session, copied fresh into each test that asks for it)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from io import StringIO
from pathlib import Path

import pytest

from tracker.cli import main

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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by `tracker demo` (the Jining plan with months of progress), built once."""
    path = tmp_path_factory.mktemp("demo") / "template.db"
    err = StringIO()
    assert main(["--db", str(path), "demo"], out=StringIO(), err=err) == 0, err.getvalue()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, db_path: Path) -> Path:
    """A fresh copy of the demo database at the per-test `db_path` (TRACKER_DB points at it)."""
    shutil.copyfile(demo_template, db_path)
    db_path.chmod(0o600)
    return db_path
