"""open_store and Store.transaction on real files: creation, refusal, rollback, locking."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from tracker.errors import DatabaseError
from tracker.store import open_store
from tracker.store.version import SCHEMA_VERSION


def test_new_database_is_user_only_wal_and_versioned(tmp_path: Path):
    path = tmp_path / "deeper" / "dir" / "t.db"
    store = open_store(str(path))
    store.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    conn.close()


def test_sqlite_url_works_too(tmp_path: Path):
    path = tmp_path / "u.db"
    store = open_store(f"sqlite:///{path}")
    with store.transaction(who="t", action="x") as session:
        assert session.execute(text("SELECT count(*) FROM task")).scalar() == 0
    store.close()
    assert path.exists()


def test_missing_file_without_create_is_one_sentence(tmp_path: Path):
    with pytest.raises(DatabaseError, match=r"no database at .*missing\.db; run `tracker import FILE`"):
        open_store(str(tmp_path / "missing.db"), create=False)
    assert not (tmp_path / "missing.db").exists()


def test_corrupt_file_is_refused(tmp_path: Path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite at all " * 200)
    with pytest.raises(DatabaseError, match="not a tracker database"):
        open_store(str(path))
    assert path.read_bytes().startswith(b"this is not sqlite")


def test_foreign_sqlite_database_is_refused(tmp_path: Path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a tracker database"):
        open_store(str(path))


def test_directory_and_unwritable_paths(tmp_path: Path):
    with pytest.raises(DatabaseError, match="is a directory"):
        open_store(str(tmp_path))
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # running as root: permissions do not bind
            pytest.skip("root ignores directory permissions")
        with pytest.raises(DatabaseError, match="cannot create the database"):
            open_store(str(locked / "t.db"))
    finally:
        locked.chmod(0o700)


def test_exception_rolls_back_the_whole_action(sqlite_store, db_path: Path):
    store = sqlite_store
    def failing_action():
        with store.transaction(who="t", action="x") as session:
            session.execute(text("INSERT INTO owner (name) VALUES ('局办公室')"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_action()
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM owner").fetchone()[0] == 0


def test_transaction_carries_action_id_and_who(store):
    with store.transaction(who="alice", action="note") as session:
        first = session.info["action_id"]
        assert session.info["who"] == "alice"
    with store.transaction(who="alice", action="note") as session:
        assert session.info["action_id"] != first


def test_locked_database_is_a_sentence_not_a_traceback(db_path: Path):
    store = open_store(str(db_path), busy_timeout_ms=200)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError, match=r"^the database is busy \(another tracker is writing\); try again$"), \
                store.transaction(who="t", action="x") as session:
            session.execute(text("INSERT INTO owner (name) VALUES ('x')"))
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()


def test_begin_immediate_takes_the_write_lock_at_once(sqlite_store, db_path: Path):
    store = sqlite_store
    """A transaction that only reads still holds the write lock: no read-then-write upgrade fails."""
    with store.transaction(who="t", action="x") as session:
        session.execute(text("SELECT count(*) FROM task")).scalar()
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
