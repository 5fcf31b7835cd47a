"""Schema versions: a v1 database (the first released schema) is upgraded with its data; newer is refused."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from store_drafts import rows

from tracker.errors import DatabaseError
from tracker.store import actions as A
from tracker.store import open_store
from tracker.store.version import SCHEMA_VERSION

V1_SCHEMA = Path(__file__).parent / "data" / "schema_v1.sql"


def make_v1(path: Path) -> None:
    """A database exactly as schema 1 wrote it, with a plan, a parsed rule, a completion and obligations."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA.read_text())
    conn.executescript("""
        INSERT INTO meta VALUES ('schema_version', '1');
        INSERT INTO "plan" (id, kind, title, issuer, year, source_name, source_sha256, imported_at, version)
            VALUES (1, 'workplan', '2024年计划', '某局', 2024, 'p.txt', 'abc', '2024-01-05 08:00:00', 1);
        INSERT INTO task (id, plan_id, number, path, title, text, position, removed, version)
            VALUES (1, 1, '12', '四/12', '检查', '每季度检查。', 1, 0, 1);
        INSERT INTO requirement (id, task_id, position, kind, source, what, count, period, per_owner,
                                 year_offset, origin, removed)
            VALUES (1, 1, 1, 'recurring', '每季度', '检查', 1, 'quarter', 0, 0, 'parsed', 0);
        INSERT INTO completion (requirement_id, obligation_key, done_on, recorded_by, recorded_at)
            VALUES (1, '2024-Q1', '2024-03-30', 'old', '2024-03-30 09:00:00');
        INSERT INTO obligation (requirement_id, task_id, plan_id, key, due, provisional, note)
            VALUES (1, 1, 1, '2024-Q1', '2024-03-31', 0, ''), (1, 1, 1, '2024-Q1', '2024-03-31', 0, '');
    """)
    conn.commit()
    conn.close()


def test_v1_database_is_upgraded_in_place_and_keeps_its_data(db_path):
    make_v1(db_path)
    open_store(str(db_path)).close()
    assert rows(db_path, "SELECT value FROM meta") == [(str(SCHEMA_VERSION),)]
    assert rows(db_path, "SELECT id, parsed_index FROM requirement") == [(1, 1)]
    assert rows(db_path, "SELECT obligation_key, done_on, recorded_by FROM completion") == [
        ("2024-Q1", "2024-03-30", "old")]
    indexes = {r[0] for r in rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_obligation_req_key", "ix_completion_req_key", "ix_progressnote_task_on"} <= indexes
    assert rows(db_path, "SELECT count(*) FROM obligation") == [(1,)]  # the duplicate derived row dropped
    assert rows(db_path, "SELECT key, done_on FROM obligation") == [("2024-Q1", "2024-03-30")]  # schema 4


def test_the_read_path_upgrades_an_older_database_once(db_path):
    from tracker import query
    from tracker.model import Status

    make_v1(db_path)
    conn = query.connect(str(db_path))  # e.g. `tracker remind` from cron, right after an upgrade
    try:
        views = query.tasks_as_of(conn, as_of=date(2024, 4, 1))
    finally:
        conn.close()
    assert [(v.number, v.obligations[0].status) for v in views] == [("12", Status.DONE)]
    assert rows(db_path, "SELECT value FROM meta") == [(str(SCHEMA_VERSION),)]


def test_an_older_database_that_cannot_be_written_is_a_sentence(db_path):
    import os

    from tracker import query

    make_v1(db_path)
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files")
    db_path.chmod(0o444)
    with pytest.raises(DatabaseError, match=r"has schema 1; this tracker reads schema .* could not"):
        query.connect(str(db_path))


def test_upgraded_database_works_with_the_actions(db_path):
    make_v1(db_path)
    store = open_store(str(db_path))
    with store.transaction(who="t", action="recompute") as s:
        A.recompute_obligations(session=s)
    with store.transaction(who="t", action="done") as s:
        result = A.mark_done(session=s, task=A.find_task(session=s, ref="12"), rule=None,
                             on=date(2024, 7, 1), evidence=None)
    store.close()
    assert result.key == "2024-Q2"  # Q1 was done under schema 1 and stays done


def test_opening_twice_migrates_once(db_path):
    make_v1(db_path)
    open_store(str(db_path)).close()
    before = rows(db_path, "SELECT * FROM requirement")
    open_store(str(db_path)).close()
    assert rows(db_path, "SELECT * FROM requirement") == before


def test_newer_schema_is_refused_untouched(db_path):
    open_store(str(db_path)).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = ?", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match=rf"written by a newer tracker \(schema {SCHEMA_VERSION + 1}\); "
                                            "upgrade tracker"):
        open_store(str(db_path))
    assert rows(db_path, "SELECT value FROM meta") == [(str(SCHEMA_VERSION + 1),)]
    assert len(db_path.read_bytes()) == len(before)
