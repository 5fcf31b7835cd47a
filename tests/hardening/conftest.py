"""Hardening fixtures: one demo database built per session, copied fresh into each test."""

from __future__ import annotations

import shutil
import sqlite3
from io import StringIO
from pathlib import Path

import pytest

from tracker.cli import main


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
