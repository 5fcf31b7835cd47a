"""Store fixtures: an opened store on each engine (SQLite file, PostgreSQL database), the Jining-shaped plan imported.

`store` and `imported` are parametrized over both engines through `db_url` (tests/pg_fixture.py);
the PostgreSQL half is skipped, with the reason shown, when no server can be started.
`sqlite_store` is for the tests of SQLite's own machinery (file modes, locks, WAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_fixture import db_url, pg_url  # noqa: F401 - fixtures
from store_drafts import jining

from tracker.store import open_store
from tracker.store.actions import import_plan
from tracker.store.engine import Store


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:  # noqa: F811 - the imported fixture
    s = open_store(db_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    s = open_store(str(db_path))
    yield s
    s.close()


@pytest.fixture
def imported(store: Store) -> Store:
    with store.transaction(who="test", action="import") as session:
        import_plan(session=session, draft=jining(), source_name="jining.txt")
    return store

