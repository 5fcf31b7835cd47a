"""connect(): what the read path opens, and the one sentence it says when it cannot."""

from __future__ import annotations

import sqlite3

import pytest
from jining_builder import create_schema

from tracker import query
from tracker.errors import DatabaseError
from tracker.store.version import SCHEMA_VERSION


def test_a_path_and_a_sqlite_url_open_the_same_database(jining):
    for db in (str(jining.path), f"sqlite:///{jining.path}"):
        conn = query.connect(db)
        assert [p.title for p in query.list_plans(conn)] == ["2024年济宁市民政局政务公开工作要点"]
        conn.close()


def test_the_read_connection_never_writes(conn):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM task")


def test_a_missing_file_says_how_to_make_one(tmp_path):
    missing = tmp_path / "nope.db"
    with pytest.raises(DatabaseError, match=r"no database at .*nope\.db; run `tracker import FILE` or `tracker demo` first"):
        query.connect(str(missing))
    assert not missing.exists()  # reading never creates the file


@pytest.mark.parametrize("url", ["mysql://h/db", "oracle://h/db"])
def test_other_databases_are_refused_on_the_read_path(url):
    with pytest.raises(DatabaseError, match="supports SQLite and PostgreSQL databases, not"):
        query.connect(url)


@pytest.mark.parametrize("url", ["postgresql://u@127.0.0.1:1/tracker", "postgresql+psycopg://u:secret@127.0.0.1:1/db"])
def test_an_unreachable_postgresql_server_is_one_sentence_without_the_password(url):
    with pytest.raises(DatabaseError, match=r"^cannot connect to the database postgresql.*127\.0\.0\.1:1/") as caught:
        query.connect(url)
    assert "secret" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_directory_is_not_a_database(tmp_path):
    with pytest.raises(DatabaseError, match="is a directory"):
        query.connect(str(tmp_path))


def test_a_corrupt_file_is_refused(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database, it is a note" * 200)
    with pytest.raises(DatabaseError, match="not a readable tracker database"):
        query.connect(str(bad))


def test_another_programs_database_is_refused(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (id INTEGER)")
    conn.close()
    with pytest.raises(DatabaseError, match="is not a tracker database"):
        query.connect(str(other))


def test_a_newer_schema_is_refused(tmp_path):
    newer = tmp_path / "newer.db"
    create_schema(newer, version=SCHEMA_VERSION + 1)
    with pytest.raises(DatabaseError, match=rf"newer tracker \(schema {SCHEMA_VERSION + 1}.*upgrade tracker"):
        query.connect(str(newer))


def test_read_errors_become_one_sentence(conn):
    with pytest.raises(DatabaseError, match="could not be read"), query.sql_errors():
        conn.execute("SELECT nothing FROM nowhere")
