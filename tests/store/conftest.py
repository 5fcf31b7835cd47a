"""Store fixtures: an opened store on the per-test SQLite file, the Jining-shaped plan imported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_drafts import jining

from tracker.store import open_store
from tracker.store.actions import import_plan
from tracker.store.engine import Store


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(str(db_path))
    yield s
    s.close()


@pytest.fixture
def imported(store: Store) -> Store:
    with store.transaction(who="test", action="import") as session:
        import_plan(session=session, draft=jining(), source_name="jining.txt")
    return store

