"""Units belong to one office (schema 5): two offices' 局办公室 are two units, each with its own address.

Until schema 4 a unit's name was one unit for the whole database, so on a city's shared database
every office's 局办公室 was one row with one address: one office setting it redirected the others'
reminders. Here, on both engines: a schema-4 database whose 局办公室 leads tasks of two offices is
split by the upgrade (each office's tasks keep their unit, each unit the address); afterwards the
store finds and creates units within the task's office, and lists name a shared name with its office.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text
from store_drafts import rows
from test_undo import run

from tracker.cli import main
from tracker.store import actions as A
from tracker.store import open_store

ADDRESS = "office@example.gov.cn"

V5_UNDONE = (  # SQLite: the owner table as schema 4 had it, one row per name
    "UPDATE taskowner SET owner_id = (SELECT min(o2.id) FROM owner o1 JOIN owner o2 ON o2.name = o1.name "
    "WHERE o1.id = taskowner.owner_id)",
    "CREATE TABLE owner_v4 (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, email VARCHAR)",
    "INSERT INTO owner_v4 SELECT id, name, email FROM owner WHERE id IN (SELECT min(id) FROM owner GROUP BY name)",
    "DROP TABLE owner",
    "ALTER TABLE owner_v4 RENAME TO owner",
    "UPDATE meta SET value = '4' WHERE key = 'schema_version'",
)
V5_UNDONE_PG = (
    "UPDATE taskowner SET owner_id = (SELECT min(o2.id) FROM owner o1 JOIN owner o2 ON o2.name = o1.name "
    "WHERE o1.id = taskowner.owner_id)",
    "DELETE FROM owner WHERE id NOT IN (SELECT min(id) FROM owner GROUP BY name)",
    "DROP POLICY IF EXISTS office_scope ON owner",
    "ALTER TABLE owner NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE owner DISABLE ROW LEVEL SECURITY",
    "DROP INDEX uq_owner_office_name",
    "ALTER TABLE owner DROP COLUMN office_id",
    "ALTER TABLE owner ADD CONSTRAINT owner_name_key UNIQUE (name)",
    "UPDATE meta SET value = '4' WHERE key = 'schema_version'",
)


def _second_office(store) -> tuple[int, int]:
    """Task 12 moved into a plan of a second office, B局; 局办公室 leads task 6 (office 1) and task 12.
    Returns (B局's id, its plan's id)."""
    run(store, A.assign_owners, task_ref="12", lead=["局办公室"], support=["政策法规科"])
    with store.engine.begin() as conn:
        office = conn.execute(text("INSERT INTO office (name) VALUES ('B局') RETURNING id")).scalar_one()
        plan = conn.execute(text(
            'INSERT INTO "plan" (office_id, kind, title, issuer, year, source_name, source_sha256, imported_at, '
            "version) SELECT :o, kind, title || '(B局)', issuer, year, source_name, source_sha256 || 'b', "
            'imported_at, version FROM "plan" WHERE id = 1 RETURNING id'), {"o": office}).scalar_one()
        task = conn.execute(text("SELECT id FROM task WHERE number = '12'")).scalar_one()
        conn.execute(text("UPDATE task SET plan_id = :p WHERE id = :t"), {"p": plan, "t": task})
        conn.execute(text("UPDATE obligation SET plan_id = :p WHERE task_id = :t"), {"p": plan, "t": task})
    return office, plan


def _lead_unit(db: str, number: str) -> tuple:
    return tuple(rows(db, "SELECT o.office_id, o.name, o.email FROM taskowner tow JOIN owner o ON o.id = tow.owner_id "
                      "JOIN task t ON t.id = tow.task_id WHERE t.number = ? AND tow.role = 'lead'", number)[0])


def test_upgrading_splits_a_unit_two_offices_shared(imported, db_url):
    office, plan = _second_office(imported)
    postgres = imported.engine.dialect.name == "postgresql"
    with imported.engine.begin() as conn:  # as schema 4 left it: one 局办公室, with one address
        for sql in V5_UNDONE_PG if postgres else V5_UNDONE:
            conn.execute(text(sql))
        conn.execute(text("UPDATE owner SET email = :e WHERE name = '局办公室'"), {"e": ADDRESS})
        conn.execute(text("INSERT INTO owner (name) VALUES ('闲置科室')"))  # a unit no task uses
        assert conn.execute(text("SELECT count(*) FROM owner WHERE name = '局办公室'")).scalar_one() == 1
    imported.close()

    store = open_store(db_url)  # the upgrade
    try:
        assert _lead_unit(db_url, "6") == (1, "局办公室", ADDRESS)
        assert _lead_unit(db_url, "12") == (office, "局办公室", ADDRESS)  # its own office's, same address
        assert rows(db_url, "SELECT office_id FROM owner WHERE name = '政策法规科'") == [(office,)]  # B's tasks only
        assert rows(db_url, "SELECT office_id FROM owner WHERE name = '闲置科室'") == [(1,)]  # no task: default
        before = rows(db_url, "SELECT count(*) FROM owner")
        # a task of office B given 局办公室 and a new unit: B's 局办公室 is found, the new one is B's
        run(store, A.assign_owners, task_ref=f"{plan}:12", lead=["局办公室"], support=["新科室"])
        assert rows(db_url, "SELECT count(*) FROM owner") == [(before[0][0] + 1,)]
        assert rows(db_url, "SELECT office_id FROM owner WHERE name = '新科室'") == [(office,)]
        with pytest.raises(Exception, match=r"(?i)unique"), store.engine.begin() as conn:
            conn.execute(text("INSERT INTO owner (office_id, name) VALUES (:o, '局办公室')"), {"o": office})
    finally:
        store.close()


def test_lists_name_a_shared_unit_with_its_office_and_setting_it_needs_that_name(imported, db_url):
    office, _ = _second_office(imported)
    with imported.engine.begin() as conn:  # office B's own 局办公室 (what an upgrade or B's import makes)
        unit = conn.execute(text("INSERT INTO owner (office_id, name) VALUES (:o, '局办公室') RETURNING id"),
                            {"o": office}).scalar_one()
        conn.execute(text("UPDATE taskowner SET owner_id = :u WHERE task_id = (SELECT id FROM task WHERE number = '12') "
                          "AND role = 'lead'"), {"u": unit})
    imported.close()

    def cli(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(["--db", db_url, *argv], out=out, err=err), out.getvalue(), err.getvalue()

    code, _, err = cli("owners", "局办公室", "--email", ADDRESS)
    assert code == 2
    assert err == "tracker: “局办公室”是多个机关都有的单位; 请指定其中一个: 局办公室（default）、局办公室（B局）。\n"
    assert "“局办公室” is a unit of several offices; name one: 局办公室（default）、局办公室（B局）." in cli(
        "--lang", "en", "owners", "局办公室", "--email", ADDRESS)[2]
    assert cli("owners", "局办公室（B局）", "--email", "b@example.gov.cn")[0] == 0
    code, out, _ = cli("owners")
    assert "局办公室（B局）\tb@example.gov.cn\t1" in out
    assert "局办公室（default）\t-\t1" in out
    assert cli("owners", "局办公室")[1].count("局办公室（") == 2  # a shared name lists every office's
    code, out, _ = cli("owners", "局办公室（B局）", "--json")
    assert '"name": "局办公室（B局）"' in out
    assert '"office": "B局"' in out
    assert "default" not in out
    # a task of the default office cannot be given B局's unit; its own it can, by name or label
    code, _, err = cli("assign", "1:6", "--lead", "局办公室（B局）")
    assert code == 2
    assert err == "tracker: “局办公室（B局）”是B局的单位; 任务6属于default, 只能由default的单位负责。\n"
    assert "“局办公室（B局）” is a unit of B局; task 6 belongs to default" in cli(
        "--lang", "en", "assign", "1:6", "--lead", "局办公室（B局）")[2]
    assert cli("assign", "1:6", "--lead", "局办公室（default）", "--support", "政策法规科")[0] == 0
    assert rows(db_url, "SELECT count(*) FROM owner WHERE name LIKE '%（%'") == [(0,)]
    code, out, _ = cli("tasks", "--as-of", "2024-07-01", "--owner", "局办公室（B局）")
    assert code == 0
    assert "局办公室（B局）" in out
    assert "局办公室（default）" not in out  # task 6 is the other office's
    code, out, _ = cli("tasks", "--as-of", "2024-07-01", "--owner", "局办公室")  # every office's
    assert "局办公室（B局）" in out
    assert "局办公室（default）" in out
