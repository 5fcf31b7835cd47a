"""Every audit row belongs to an office (schema 6: `auditentry.office_id`), on both engines.

A row of a plan takes the plan's office, a unit's row its unit's, an undo note the office of the
change it undid; a schema-5 database is filled the same way by the upgrade. (Row-level security
and `undo` keyed to it on PostgreSQL: tests/postgres/test_office_audit.py.)
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from store_drafts import rows
from test_owner_offices import _second_office
from test_undo import run

from tracker.store import actions as A
from tracker.store import open_store

V6_UNDONE = ("DROP INDEX ix_auditentry_office_id", "ALTER TABLE auditentry DROP COLUMN office_id",
             "UPDATE meta SET value = '5' WHERE key = 'schema_version'")
V6_UNDONE_PG = ("DROP POLICY IF EXISTS office_scope ON auditentry", *V6_UNDONE)


def _history(store) -> int:
    """Changes of office 1 and of a second office (task 12's), plan-less ones among them; B's id."""
    office, plan = _second_office(store)
    run(store, A.assign_owners, task_ref=f"{plan}:12", lead=["B新科室"], support=[])
    run(store, A.set_owner_email, name="B新科室", email="new@b.example")
    run(store, A.add_note, task_ref="1:1", text="进展", on=date(2024, 6, 1))
    run(store, A.set_owner_email, name="B新科室", email="newer@b.example")
    with store.transaction(who="t", action="undo") as session:
        A.undo_last(session=session)
    return office


def _offices(db: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for summary, office in rows(db, "SELECT summary, office_id FROM auditentry"):
        key = ("undo" if summary.startswith("撤销") else "unit" if "B新科室" in summary
               else "note" if summary.startswith("任务1:") else "other")
        found.setdefault(key, set()).add(office)
    return found


def test_every_audit_row_has_its_office(imported, db_url):
    office = _history(imported)
    found = _offices(db_url)
    assert found["unit"] == {office}
    assert found["undo"] == {office}  # the undone change was B's unit's address
    assert found["note"] == {1}
    assert rows(db_url, "SELECT count(*) FROM auditentry WHERE office_id IS NULL") == [(0,)]


def test_upgrading_a_schema_5_database_gives_every_audit_row_its_office(imported, db_url):
    office = _history(imported)
    expected = _offices(db_url)
    postgres = imported.engine.dialect.name == "postgresql"
    with imported.engine.begin() as conn:
        for sql in V6_UNDONE_PG if postgres else V6_UNDONE:
            conn.execute(text(sql))
    imported.close()
    open_store(db_url).close()
    assert rows(db_url, "SELECT count(*) FROM auditentry WHERE office_id IS NULL") == [(0,)]
    found = _offices(db_url)
    assert found["unit"] == expected["unit"] == {office}
    assert found["note"] == {1}
    assert found["undo"] == {1}  # an undo note names no office: its writer's only one, else "default"
