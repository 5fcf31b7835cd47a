"""`obligation.done_on` (the earliest completion's date) is kept by triggers on both engines.

The read path finds open obligations through it (`tracker.store.triggers`), so a wrong copy would
show done work as overdue. Every way a completion or an obligation changes is driven here through
the store's real actions (done, undo, re-import, rule corrections, events), on SQLite and
PostgreSQL, and the copy is compared with the completions each time.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from store_drafts import V4_UNDONE, V4_UNDONE_PG, jining, rows
from test_undo import ACTIONS, run

from tracker import query
from tracker.store import actions as A
from tracker.store import open_store
from tracker.store.check import check
from tracker.store.version import SCHEMA_VERSION

_DISAGREE = ("SELECT o.requirement_id, o.key, o.done_on FROM obligation o WHERE o.done_on IS DISTINCT FROM "
             "(SELECT min(c.done_on) FROM completion c WHERE c.requirement_id = o.requirement_id "
             "AND c.obligation_key = o.key)")

def disagreeing(db: str) -> list[tuple]:
    conn = query.connect(db)
    try:
        return list(conn.execute(_DISAGREE).fetchall())
    finally:
        conn.close()


def done_on(db: str, task: str, key: str) -> str | None:
    conn = query.connect(db)
    try:
        row = conn.execute("SELECT o.done_on FROM obligation o JOIN task t ON t.id = o.task_id "
                           "WHERE t.number = ? AND o.key = ?", (task, key)).fetchone()
    finally:
        conn.close()
    if row is None:
        return "no such due date"
    return None if row[0] is None else str(row[0])


def test_done_then_undo_sets_and_clears_the_first_completion_date(imported, db_url):
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 4, 2), evidence=None)
    assert done_on(db_url, "12", "2024-Q1") == "2024-04-02"
    assert done_on(db_url, "12", "2024-Q2") is None
    with imported.transaction(who="t", action="undo") as session:
        A.undo_last(session=session)
    assert done_on(db_url, "12", "2024-Q1") is None
    assert disagreeing(db_url) == []


def test_an_earlier_completion_wins_and_deleting_it_falls_back(imported, db_url):
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 4, 2), evidence=None)
    from sqlalchemy import text

    with imported.transaction(who="t", action="sql") as session:  # a hand-written correction
        session.execute(text(
            "INSERT INTO completion (requirement_id, obligation_key, done_on, evidence, recorded_by, recorded_at) "
            "SELECT requirement_id, obligation_key, '2024-03-20', 'earlier', 't', recorded_at FROM completion"))
    assert done_on(db_url, "12", "2024-Q1") == "2024-03-20"
    with imported.transaction(who="t", action="sql") as session:
        session.execute(text("UPDATE completion SET done_on = '2024-03-25' WHERE evidence = 'earlier'"))
    assert done_on(db_url, "12", "2024-Q1") == "2024-03-25"
    with imported.transaction(who="t", action="sql") as session:
        session.execute(text("DELETE FROM completion WHERE evidence = 'earlier'"))
    assert done_on(db_url, "12", "2024-Q1") == "2024-04-02"
    assert disagreeing(db_url) == []


@pytest.mark.parametrize(("name", "fn", "kw"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_every_action_and_its_undo_keep_the_dates_right(imported, db_url, name, fn, kw):
    for ref, on in (("12", date(2024, 4, 2)), ("12", date(2024, 7, 5)), ("8", date(2024, 5, 1)),
                    ("13", date(2024, 6, 1)), ("15", date(2024, 3, 1))):
        run(imported, A.mark_done, task_ref=ref, rule=1, on=on, evidence=None)
    run(imported, A.log_event, task_ref="6", on=date(2024, 9, 27), ref=None, rule=None)
    run(imported, A.mark_done, task_ref="6", rule=None, on=date(2024, 10, 8), evidence=None)
    run(imported, fn, **kw)
    assert disagreeing(db_url) == []
    with imported.transaction(who="t", action="undo") as session:
        A.undo_last(session=session)
    assert disagreeing(db_url) == []


def test_recomputed_obligations_find_their_completions_again(imported, db_url):
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 4, 2), evidence=None)
    # the quarterly rule becomes monthly and back: the 2024-Q1 row is deleted, then inserted anew
    run(imported, A.correct_rule, task_ref="12", rule=1, add=False, remove=False, changes={"period": "month"})
    assert done_on(db_url, "12", "2024-Q1") == "no such due date"
    run(imported, A.correct_rule, task_ref="12", rule=1, add=False, remove=False, changes={"period": "quarter"})
    assert done_on(db_url, "12", "2024-Q1") == "2024-04-02"  # the due date is back, and done
    assert disagreeing(db_url) == []


def test_a_schema_3_database_gets_the_dates_from_its_completions(db_path):
    store = open_store(str(db_path))
    with store.transaction(who="t", action="import") as session:
        A.import_plan(session=session, draft=jining(), source_name="j.txt")
    for on in (date(2024, 4, 2), date(2024, 7, 3)):
        run(store, A.mark_done, task_ref="12", rule=None, on=on, evidence="x")
    store.close()
    conn = sqlite3.connect(db_path)
    for sql in V4_UNDONE:
        conn.execute(sql)
    conn.commit()
    conn.close()
    assert "done_on" not in [r[1] for r in rows(db_path, "PRAGMA table_info(obligation)")]
    open_store(str(db_path)).close()
    assert rows(db_path, "SELECT value FROM meta") == [(str(SCHEMA_VERSION),)]
    assert rows(db_path, "SELECT key, done_on FROM obligation WHERE done_on IS NOT NULL ORDER BY key") == [
        ("2024-Q1", "2024-04-02"), ("2024-Q2", "2024-07-03")]
    assert {r[0] for r in rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'trigger'")} >= {
        "completion_insert_done_on", "obligation_insert_done_on"}
    assert not {"ix_obligation_due", "ix_obligation_due_task"} & {
        r[0] for r in rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert disagreeing(str(db_path)) == []


def test_a_schema_3_database_is_upgraded_by_the_first_read_on_both_engines(imported, db_url):
    for on in (date(2024, 4, 2), date(2024, 7, 3)):
        run(imported, A.mark_done, task_ref="12", rule=None, on=on, evidence="x")
    from sqlalchemy import text

    postgres = imported.engine.dialect.name == "postgresql"
    with imported.engine.begin() as conn:  # as an older tracker left it
        for sql in V4_UNDONE_PG if postgres else V4_UNDONE:
            conn.execute(text(sql))
    imported.close()
    conn = query.connect(db_url)  # `tracker remind` from cron, first thing after the upgrade
    try:
        views = {v.number: v for v in query.tasks_as_of(conn, as_of=date(2024, 7, 10))}
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        conn.close()
    assert version == str(SCHEMA_VERSION)
    assert [ob.done_on for ob in views["12"].obligations[:2]] == [date(2024, 4, 2), date(2024, 7, 3)]
    assert disagreeing(db_url) == []
    store = open_store(db_url)  # and the triggers are back: a new completion is seen
    try:
        run(store, A.mark_done, task_ref="12", rule=None, on=date(2024, 10, 9), evidence=None)
    finally:
        store.close()
    assert done_on(db_url, "12", "2024-Q3") == "2024-10-09"


def test_check_reports_dates_that_disagree(sqlite_store, db_path):
    with sqlite_store.transaction(who="t", action="import") as session:
        A.import_plan(session=session, draft=jining(), source_name="j.txt")
    run(sqlite_store, A.mark_done, task_ref="12", rule=None, on=date(2024, 4, 2), evidence=None)
    assert {f.name: f.count for f in check(db_path)}["first-completion dates"] == 0
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE obligation SET done_on = NULL")  # as if the triggers had been bypassed
    conn.commit()
    conn.close()
    assert {f.name: f.count for f in check(db_path)}["first-completion dates"] == 1


def test_an_upgrade_another_process_finished_meanwhile_is_not_run_twice(db_path, monkeypatch):
    """Two cron jobs right after tracker was upgraded: both read schema 3; the first migrates. The
    second must see, under the write lock, that the step is done (not fail on "duplicate column")."""
    from tracker.store import migrate

    open_store(str(db_path)).close()  # the current schema already: the other process's work
    real = migrate.read_version
    calls = []

    def stale_first(conn, where):
        calls.append(where)
        return 3 if len(calls) == 1 else real(conn, where)  # the first read happened before it

    monkeypatch.setattr(migrate, "read_version", stale_first)
    open_store(str(db_path)).close()
    assert len(calls) == 1 + SCHEMA_VERSION - 3  # re-read under the lock before each step, each skipped
    assert rows(db_path, "SELECT value FROM meta") == [(str(SCHEMA_VERSION),)]
