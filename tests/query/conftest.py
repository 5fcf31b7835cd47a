"""Fixtures of the read-path tests: the Jining plan in a real SQLite file, fresh per test."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from jining_builder import JiningDb

from tracker import query


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
