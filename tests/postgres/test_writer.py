"""`tracker.query.connect(db, writable=True)`: the plain-SQL writer (the reminder sent-log) on both engines."""

from __future__ import annotations

import sqlite3

import pytest
from db_rows import rows

from tracker import query
from tracker.errors import DatabaseError
from tracker.store import open_store

INSERT = ("INSERT INTO sentreminder (day, recipient, owner, digest, status, error, at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)")
ROW = ("2024-07-01", "a@example.gov.cn", "局办公室", "d1", "sent", "", "2024-07-01 08:00:00.000000")


def test_a_writer_commits_and_rolls_back_its_own_transactions(db_url):
    open_store(db_url).close()
    conn = query.connect(db_url, writable=True)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(INSERT, ROW)
        conn.execute("COMMIT")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(INSERT, (*ROW[:3], "d2", *ROW[4:]))
        conn.execute("ROLLBACK")
        assert conn.execute("SELECT day, digest, at FROM sentreminder").fetchall() == [
            ("2024-07-01", "d1", "2024-07-01 08:00:00.000000")]
    finally:
        conn.close()
    assert rows(db_url, "SELECT count(*) FROM sentreminder") == [(1,)]


def test_the_read_connection_cannot_write(db_url):
    open_store(db_url).close()
    conn = query.connect(db_url)
    try:
        with pytest.raises((DatabaseError, sqlite3.OperationalError), match=r"read-only|readonly"):
            conn.execute(INSERT, ROW)
    finally:
        conn.close()
    assert rows(db_url, "SELECT count(*) FROM sentreminder") == [(0,)]
