"""Schema 3 in the store: annual reports scheduled in the next year, a task's audit history by index,
the office of a new plan, and the v2 → v3 upgrade keeping every row."""

from __future__ import annotations

import sqlite3
from datetime import date

from store_drafts import V4_UNDONE, jining, rows

from tracker import query
from tracker.store import actions as A
from tracker.store import open_store
from tracker.store.version import SCHEMA_VERSION


def test_an_annual_report_schedules_its_commitments_in_the_following_year(store, db_url):
    report = jining(title="2023年政府信息公开工作年度报告")._replace(kind="annual_report", year=2023)
    with store.transaction(who="t", action="import") as session:
        result = A.import_plan(session=session, draft=report, source_name="annual.txt")
    assert result.year == 2024
    assert rows(db_url, "SELECT year FROM plan") == [(2024,)]
    assert ("2024-Q1", "2024-03-31") in rows(db_url, "SELECT key, due FROM obligation")


def test_an_annual_reports_year_can_still_be_given(store, db_url):
    report = jining()._replace(kind="annual_report", year=2023)
    with store.transaction(who="t", action="import") as session:
        assert A.import_plan(session=session, draft=report, source_name="a.txt", year=2023).year == 2023


def test_a_workplan_keeps_its_own_year(store, db_url):
    with store.transaction(who="t", action="import") as session:
        assert A.import_plan(session=session, draft=jining(), source_name="j.txt").year == 2024


def test_every_audit_row_about_a_task_carries_its_task_and_plan(imported, db_url):
    with imported.transaction(who="t", action="done") as session:
        A.mark_done(session=session, task=A.find_task(session=session, ref="12"), rule=None,
                    on=date(2024, 3, 1), evidence=None)
    with imported.transaction(who="t", action="waive") as session:
        A.waive(session=session, task=A.find_task(session=session, ref="13"), rule=None, reason="r")
    task12, task13 = (rows(db_url, "SELECT id FROM task WHERE number = ?", n)[0][0] for n in ("12", "13"))
    assert rows(db_url, "SELECT task_id, plan_id FROM auditentry WHERE entity = 'completion'") == [(task12, 1)]
    assert rows(db_url, "SELECT task_id, plan_id FROM auditentry WHERE entity = 'waiver'") == [(task13, 1)]
    assert rows(db_url, "SELECT count(*) FROM auditentry WHERE entity IN ('task', 'requirement', 'taskowner') "
                        "AND (task_id IS NULL OR plan_id IS NULL)") == [(0,)]
    assert rows(db_url, "SELECT DISTINCT office_id FROM plan") == [(1,)]
    conn = query.connect(db_url)
    try:
        history = query.task_detail(conn, task12, as_of=date(2024, 7, 1)).history
    finally:
        conn.close()
    assert [h.action for h in history] == ["done", "import"]


def test_a_tasks_history_is_an_index_lookup(sqlite_store, db_path):
    with sqlite_store.transaction(who="t", action="import") as session:
        A.import_plan(session=session, draft=jining(), source_name="j.txt")
    conn = sqlite3.connect(db_path)
    plan = " ".join(r[-1] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT action_id FROM auditentry WHERE task_id = 8"))
    conn.close()
    assert "USING INDEX ix_auditentry_task_id" in plan


def test_a_v2_database_is_upgraded_with_offices_and_audit_scope(db_path):
    store = open_store(str(db_path))
    with store.transaction(who="t", action="import") as session:
        A.import_plan(session=session, draft=jining(), source_name="j.txt")
    store.close()
    conn = sqlite3.connect(db_path)  # make it look like schema 2: no offices, no audit scope
    expected = conn.execute("SELECT id, task_id, plan_id FROM auditentry ORDER BY id").fetchall()
    for sql in (*V4_UNDONE, "DROP TABLE membership", "DROP TABLE app_user", "DROP TABLE office",
                "DROP INDEX ix_plan_office_id", "ALTER TABLE plan DROP COLUMN office_id",
                "DROP INDEX ix_auditentry_task_id", "DROP INDEX ix_auditentry_plan_id",
                "ALTER TABLE auditentry DROP COLUMN task_id", "ALTER TABLE auditentry DROP COLUMN plan_id",
                "UPDATE meta SET value = '2' WHERE key = 'schema_version'"):
        conn.execute(sql)
    conn.commit()
    conn.close()
    open_store(str(db_path)).close()
    assert rows(db_path, "SELECT value FROM meta") == [(str(SCHEMA_VERSION),)]
    assert rows(db_path, "SELECT id, name FROM office") == [(1, "default")]
    assert rows(db_path, "SELECT office_id FROM plan") == [(1,)]
    assert rows(db_path, "SELECT id, task_id, plan_id FROM auditentry ORDER BY id") == expected
