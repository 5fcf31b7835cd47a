"""Per-office access on PostgreSQL, enforced by the database: row-level security keyed to the user.

Office A's coordinator, connected with their own role and writing SQL by hand, cannot read or
change office B's rows, and cannot claim to be someone else through `tracker.user`. The shared
application role may speak for a person (TRACKER_USER); an admin sees every office.
"""

from __future__ import annotations

import psycopg
import pytest
from pg_fixture import pg_cluster
from store_drafts import jining

from tracker import query
from tracker.cli import main
from tracker.store import actions as A
from tracker.store import open_store


def cli(*argv: str) -> int:
    import io

    return main(list(argv), out=io.StringIO(), err=io.StringIO())


def _import(url: str, user: str, title: str, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_USER", user)
    store = open_store(url)
    with store.transaction(who=user, action="import") as session:
        A.import_plan(session=session, draft=jining(title=title), source_name=f"{title}.txt")
    store.close()
    monkeypatch.delenv("TRACKER_USER")


@pytest.fixture
def city(pg_url, monkeypatch):
    """Offices A and B with a coordinator each, a city admin, and one plan per office."""
    cluster = pg_cluster()
    open_store(pg_url).close()
    for argv in (("add-office", "office_a"), ("add-office", "office_b"), ("add-user", "coord_a"),
                 ("add-user", "coord_b"), ("add-user", "city_admin", "--admin"),
                 ("grant", "coord_a", "office_a"), ("grant", "coord_b", "office_b")):
        assert cli("--db", pg_url, "users", *argv) == 0
    database = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(cluster.dsn(database), autocommit=True) as conn:  # the shared application login
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tracker_web') "
                     "THEN CREATE ROLE tracker_web LOGIN IN ROLE tracker_app; END IF; END $$")
    app_url = cluster.url(database, "tracker_web")
    _import(app_url, "coord_a", "2024年A局政务公开工作要点", monkeypatch)
    _import(app_url, "coord_b", "2024年B局政务公开工作要点", monkeypatch)
    return {"cluster": cluster, "db": database, "app_url": app_url}


def as_role(city, role: str) -> psycopg.Connection:
    return psycopg.connect(city["cluster"].dsn(city["db"], role), autocommit=True)


def test_plans_landed_in_their_coordinators_offices(city):
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT o.name, p.title FROM plan p JOIN office o ON o.id = p.office_id "
                            "ORDER BY o.name").fetchall() == [("office_a", "2024年A局政务公开工作要点"),
                                                              ("office_b", "2024年B局政务公开工作要点")]


def test_a_coordinator_reads_only_their_office_even_by_hand(city):
    with as_role(city, "coord_a") as conn:
        assert conn.execute("SELECT title FROM plan").fetchall() == [("2024年A局政务公开工作要点",)]
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (15,)
        assert conn.execute("SELECT count(DISTINCT plan_id) FROM obligation").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM requirement").fetchone() == (7,)
        assert conn.execute("SELECT count(*) FROM taskowner").fetchone()[0] > 0
        b_rows = conn.execute("SELECT count(*) FROM auditentry WHERE summary LIKE '%B局%'").fetchone()
        assert b_rows == (0,)
        # claiming to be the admin through the setting changes nothing for an office's own role
        conn.execute("SELECT set_config('tracker.user', 'city_admin', false)")
        assert conn.execute("SELECT count(*) FROM plan").fetchone() == (1,)


def test_a_coordinator_cannot_change_another_office_by_hand(city):
    with as_role(city, "postgres") as conn:
        b_plan = conn.execute("SELECT id FROM plan WHERE title LIKE '%B局%'").fetchone()[0]
        b_task = conn.execute("SELECT t.id FROM task t JOIN requirement r ON r.task_id = t.id "
                              "WHERE t.plan_id = %s ORDER BY t.id LIMIT 1", (b_plan,)).fetchone()[0]
        b_rules = conn.execute("SELECT count(*) FROM requirement WHERE task_id = %s", (b_task,)).fetchone()[0]
    assert b_rules > 0
    with as_role(city, "coord_a") as conn:
        assert conn.execute("UPDATE task SET title = 'hacked' WHERE plan_id = %s", (b_plan,)).rowcount == 0
        assert conn.execute("DELETE FROM requirement WHERE task_id = %s", (b_task,)).rowcount == 0
        assert conn.execute("UPDATE plan SET office_id = (SELECT id FROM office WHERE name = 'office_a') "
                            "WHERE id = %s", (b_plan,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO progressnote (task_id, \"on\", text, author, created_at) "
                         "VALUES (%s, '2024-06-01', 'x', 'a', now())", (b_task,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO membership (user_id, office_id) SELECT u.id, o.id FROM app_user u, office o "
                         "WHERE u.name = 'coord_a' AND o.name = 'office_b'")
        # their own office stays writable
        a_plan = conn.execute("SELECT id FROM plan").fetchone()[0]
        assert conn.execute("UPDATE task SET title = title WHERE plan_id = %s", (a_plan,)).rowcount == 15
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT count(*) FROM task WHERE title = 'hacked'").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM requirement WHERE task_id = %s", (b_task,)).fetchone()[0] == b_rules
        assert conn.execute("SELECT office_id FROM plan WHERE id = %s", (b_plan,)).fetchone() != (
            conn.execute("SELECT id FROM office WHERE name = 'office_a'").fetchone())
        assert conn.execute("SELECT count(*) FROM progressnote").fetchone() == (0,)


def test_tracker_through_the_app_role_speaks_for_the_user(city, monkeypatch):
    for user, titles in (("coord_a", ["2024年A局政务公开工作要点"]), ("coord_b", ["2024年B局政务公开工作要点"]),
                         ("city_admin", ["2024年B局政务公开工作要点", "2024年A局政务公开工作要点"]),
                         ("stranger", [])):
        monkeypatch.setenv("TRACKER_USER", user)
        conn = query.connect(city["app_url"])
        try:
            assert [p.title for p in query.list_plans(conn)] == titles, user
        finally:
            conn.close()


def test_a_coordinator_cannot_edit_another_offices_task_through_tracker(city, monkeypatch):
    from tracker.errors import NotFoundError

    monkeypatch.setenv("TRACKER_USER", "coord_a")
    store = open_store(city["app_url"])
    try:
        with pytest.raises(NotFoundError, match="there is no plan “B局”"), \
                store.transaction(who="coord_a", action="note") as session:
            A.find_task(session=session, ref="B局:8")
    finally:
        store.close()


def test_a_refused_change_through_tracker_is_one_sentence(city, monkeypatch):
    from sqlalchemy import text

    from tracker.errors import DatabaseError

    with as_role(city, "postgres") as conn:
        b_task = conn.execute("SELECT t.id FROM task t JOIN plan p ON p.id = t.plan_id "
                              "WHERE p.title LIKE '%B局%' LIMIT 1").fetchone()[0]
    monkeypatch.setenv("TRACKER_USER", "coord_a")
    store = open_store(city["app_url"])
    try:
        with pytest.raises(DatabaseError, match=r"^the database postgresql\+psycopg://127\.0\.0\.1:\d+/\w+ refused the "
                                                r"change: new row violates row-level security policy .*\(a coordinator "
                                                r"may change only their own offices' plans\)\.$"), \
                store.transaction(who="coord_a", action="note") as session:
            session.execute(text("INSERT INTO progressnote (task_id, \"on\", text, author, created_at) "
                                 "VALUES (:t, '2024-06-01', 'x', 'a', now())"), {"t": b_task})
    finally:
        store.close()


def test_a_task_locked_by_another_writer_is_busy_not_a_traceback(city, monkeypatch):
    from tracker.errors import DatabaseError

    with as_role(city, "postgres") as other:
        other.execute("BEGIN")
        other.execute("SELECT * FROM task FOR UPDATE")
        monkeypatch.setenv("TRACKER_USER", "city_admin")
        store = open_store(city["app_url"], busy_timeout_ms=300)
        try:
            with pytest.raises(DatabaseError, match=r"^the database is busy \(another tracker is writing\); try again$"), \
                    store.transaction(who="x", action="note") as session:
                A.find_task(session=session, ref="A局:8")
        finally:
            store.close()
            other.execute("ROLLBACK")


def test_an_unreachable_server_is_one_sentence_without_the_password():
    assert cli("--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x", "note", "8", "x") == 5


def test_a_temporary_table_cannot_fake_ownership_or_admin_rights(city):
    """pg_temp comes first in a default search_path: the policies' functions must not look there."""
    with as_role(city, "coord_a") as conn:
        conn.execute("CREATE TEMP TABLE plan (id integer)")
        conn.execute("CREATE TEMP TABLE app_user (id integer, name text, is_admin boolean)")
        conn.execute("INSERT INTO pg_temp.app_user VALUES (1, 'coord_a', true)")
        conn.execute("SELECT set_config('tracker.user', 'city_admin', false)")
        assert conn.execute("SELECT count(*) FROM public.plan").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM public.task").fetchone() == (15,)


def test_an_owner_that_may_not_create_roles_is_told_what_to_run(monkeypatch):
    """Roles are cluster-wide and other tests made tracker's: look for roles nobody made instead."""
    from pg_fixture import create_database, drop_database

    from tracker.errors import DatabaseError
    from tracker.store import offices

    monkeypatch.setattr(offices, "APP_ROLE", "tracker_app_absent")
    monkeypatch.setattr(offices, "COORDINATOR_ROLE", "tracker_coordinator_absent")
    cluster = pg_cluster()
    name = create_database(cluster)
    with psycopg.connect(cluster.dsn(name), autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plain_owner') "
                     "THEN CREATE ROLE plain_owner LOGIN; END IF; END $$")
        conn.execute("GRANT ALL ON SCHEMA public TO plain_owner")
    try:
        with pytest.raises(DatabaseError, match=r"^the roles tracker_app_absent and tracker_coordinator_absent do "
                                                r"not exist and this account may not create roles; create them once "
                                                r"as a superuser: CREATE ROLE tracker_app_absent NOLOGIN; "
                                                r"CREATE ROLE tracker_coordinator_absent NOLOGIN;$"):
            open_store(cluster.url(name, "plain_owner"))
        with psycopg.connect(cluster.dsn(name), autocommit=True) as conn:  # all or nothing: no table left
            assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
    finally:
        drop_database(cluster, name)
