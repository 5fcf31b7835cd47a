"""Fixtures of the read-path tests: the Jining plan in a real SQLite file, fresh per test; the demo
database and a small synthetic city (shared, read only) for the fast reads' equality checks."""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from jining_builder import JiningDb

from tracker import query
from tracker.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def jining_template(tmp_path_factory: pytest.TempPathFactory) -> JiningDb:
    """Built once per session (the schema needs sqlmodel, ~335 ms); tests get a copy."""
    return JiningDb.build(tmp_path_factory.mktemp("template") / "jining.db")


@pytest.fixture
def jining(jining_template: JiningDb, db_path: Path) -> JiningDb:
    """A fresh copy of the Jining database at the test's `db_path` (also TRACKER_DB)."""
    return jining_template.copy_to(db_path)


@pytest.fixture
def conn(jining: JiningDb) -> Iterator[sqlite3.Connection]:
    """A read connection (tracker.query.connect) to the test's Jining database."""
    connection = query.connect(str(jining.path))
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    out, err = io.StringIO(), io.StringIO()
    assert main(["--db", str(path), "demo"], out=out, err=err) == 0, err.getvalue()
    return path


@pytest.fixture(scope="session")
def city_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from city import build_city
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path_factory.mktemp("city") / "city.db"
    build_city(path, offices=3, tasks=8, years=(2024, 2025), undone_share=0.2)
    return path
