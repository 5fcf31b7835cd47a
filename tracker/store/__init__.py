"""tracker.store — the database edge: open a database, one transaction per user action.

This `__init__` imports only the standard library, so `tracker.store.version` can be read by the
plain-SQL read path without loading the ORM (sqlmodel ~335 ms). `open_store` and `Store` load it
when called. Writes go through `tracker.store.actions` (keyword-only, take a session, never commit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.store.engine import Store

__all__ = ["Store", "open_store"]


def open_store(db: str, *, create: bool = True, busy_timeout_ms: int | None = None) -> Store:
    """Open (and with `create`, make) the database at a path or SQLAlchemy URL, migrated to date.

    A new SQLite file is created with mode 0600 and its parent directory. Every failure is a
    `DatabaseError` with one sentence: a missing file with `create=False`, an unreadable path, a
    corrupt or non-SQLite file, a database from a newer tracker ("… was written by a newer tracker
    (schema N); upgrade tracker"), or one locked by another writer longer than the busy timeout.
    """
    # sqlalchemy/sqlmodel cost ~335 ms to import: only commands that write pay for it.
    from tracker.errors import without_password
    from tracker.store import engine as eng
    from tracker.store.migrate import check_and_upgrade

    path = eng.sqlite_path(db)
    if path is not None:
        eng.prepare_file(path, create=create)
    where = str(path) if path is not None else without_password(db)
    engine = eng.make_engine(db, busy_timeout_ms=busy_timeout_ms or eng.BUSY_TIMEOUT_MS)
    try:
        eng.set_wal(engine)
        check_and_upgrade(engine, where)
    except Exception as exc:
        engine.dispose()
        mapped = eng.translate(exc, where)
        if mapped is not None:
            raise mapped from None
        raise
    return eng.Store(engine, where)


def __getattr__(name: str) -> type[Store]:
    """PEP 562: `tracker.store.Store` is imported on first use, not with the package."""
    if name == "Store":
        from tracker.store.engine import Store

        return Store
    raise AttributeError(name)
