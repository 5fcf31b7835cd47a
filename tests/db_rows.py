"""Read rows back from either engine in tests: a SQLite file (path) or a PostgreSQL URL.

Through `tracker.query.connect`, so rows come back as `sqlite3` gives them on both engines (dates
as ISO text, booleans 0/1): one assertion serves both halves of a parametrized test.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker.query import connect, is_postgres


def rows(db: Path | str, sql: str, *params: object) -> list[tuple]:
    """The rows of one query (`?` placeholders) on either engine."""
    if not is_postgres(str(db)):
        conn = sqlite3.connect(db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    pg = connect(str(db))
    try:
        return pg.execute(sql, params).fetchall()
    finally:
        pg.close()


def tables(db: Path | str) -> list[str]:
    """The database's table names, sorted."""
    if is_postgres(str(db)):
        return [r[0] for r in rows(db, "SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'public' ORDER BY table_name")]
    return sorted(r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'"))
