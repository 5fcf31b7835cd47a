"""`tracker migrate`: an office's SQLite database (the Jining demo) copied into PostgreSQL intact, idempotently."""

from __future__ import annotations

import io

import pytest

from tracker.cli import main

TABLES = ("office", "plan", "section", "owner", "task", "taskowner", "requirement", "event", "completion",
          "waiver", "progressnote", "calendaroverride", "obligation", "auditentry")


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def q(db: str, sql: str) -> list[tuple]:
    from tracker import query

    conn = query.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def jining_sqlite(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    path = tmp_path / "jining.db"
    code, _, err = cli("--db", str(path), "demo")
    assert code == 0, err
    return str(path)


def test_jining_moves_intact_and_a_second_run_copies_nothing(jining_sqlite, pg_url):
    code, out, err = cli("--lang", "en", "migrate", f"sqlite:///{jining_sqlite}", pg_url)
    assert (code, err) == (0, "")
    assert out.startswith("copied: plan 1, section 5, owner ")
    assert "task 15" in out
    counts = {t: (q(jining_sqlite, f"SELECT count(*) FROM {t}"), q(pg_url, f"SELECT count(*) FROM {t}"))
              for t in TABLES}
    differing = {t: c for t, c in counts.items() if t != "auditentry" and c[0] != c[1]}
    assert differing == {}
    src_audit, dst_audit = counts["auditentry"][0][0][0], counts["auditentry"][1][0][0]
    assert dst_audit == src_audit + 1  # plus the migrate line
    # a sample of rows, compared by content (ids may differ)
    for sql in ("SELECT number, path, title, text, removed, version FROM task ORDER BY position",
                "SELECT t.number, r.position, r.kind, r.source, r.count, r.period, r.month, r.day "
                "FROM requirement r JOIN task t ON t.id = r.task_id ORDER BY t.position, r.position",
                "SELECT obligation_key, done_on, evidence, recorded_by FROM completion ORDER BY done_on, obligation_key",
                'SELECT t.number, o.key, o.due, o.owner FROM obligation o JOIN task t ON t.id = o.task_id '
                "ORDER BY t.position, o.key",
                'SELECT "on", text, author FROM progressnote ORDER BY "on", text',
                "SELECT reason FROM waiver ORDER BY reason",
                "SELECT action, summary FROM auditentry WHERE entity != 'migrate' ORDER BY at, summary"):
        assert q(jining_sqlite, sql) == q(pg_url, sql), sql
    # the same views on both engines
    assert cli("--db", jining_sqlite, "tasks", "--status", "overdue") == cli("--db", pg_url, "tasks", "--status", "overdue")
    assert cli("--db", jining_sqlite, "show", "8")[1].split("历史记录")[0] == cli("--db", pg_url, "show", "8")[1].split("历史记录")[0]
    # idempotent
    before = {t: q(pg_url, f"SELECT count(*) FROM {t}") for t in TABLES}
    assert cli("--lang", "en", "migrate", f"sqlite:///{jining_sqlite}", pg_url) == (0, "nothing new to copy.\n", "")
    assert {t: q(pg_url, f"SELECT count(*) FROM {t}") for t in TABLES} == before


def test_only_what_is_new_is_copied_on_a_second_run(jining_sqlite, pg_url):
    assert cli("migrate", jining_sqlite, pg_url)[0] == 0
    assert cli("--db", jining_sqlite, "note", "8", "第二次评价已完成")[0] == 0
    code, out, _ = cli("--lang", "en", "migrate", jining_sqlite, pg_url)
    assert (code, out) == (0, "copied: progressnote 1, auditentry 2\n")
    assert q(pg_url, "SELECT text FROM progressnote WHERE text = '第二次评价已完成'") == [("第二次评价已完成",)]


def test_office_option_and_undo_stops_at_the_copy(jining_sqlite, pg_url):
    assert cli("migrate", jining_sqlite, pg_url, "--office", "济宁市民政局")[0] == 0
    assert q(pg_url, "SELECT o.name FROM plan p JOIN office o ON o.id = p.office_id") == [("济宁市民政局",)]
    code, _, err = cli("--lang", "en", "--db", pg_url, "undo")
    assert (code, err) == (2, "tracker: the last change copied another database in (tracker migrate); "
                              "it cannot be undone.\n")


def test_same_source_and_target_and_missing_source(tmp_path, jining_sqlite):
    assert cli("migrate", jining_sqlite, jining_sqlite)[0] == 2
    code, _, err = cli("migrate", str(tmp_path / "none.db"), jining_sqlite)
    assert code == 5
    assert "no database at" in err


def test_a_plan_whose_numbering_repeats_keeps_its_tasks_apart(tmp_path, pg_url):
    from store_drafts import jining, task

    from tracker.store import actions as A
    from tracker.store import open_store

    first, again = task(8), task(8)._replace(title="重复编号的另一项", text="重复编号的另一项。")
    draft = jining(tasks=(task(1), first, again, task(12)))
    path = str(tmp_path / "repeat.db")
    store = open_store(path)
    with store.transaction(who="t", action="import") as session:
        A.import_plan(session=session, draft=draft, source_name="repeat.txt")
    store.close()
    assert cli("migrate", path, pg_url)[0] == 0
    for sql in ("SELECT number, path, title FROM task ORDER BY position",
                "SELECT t.position, r.position, r.kind FROM requirement r JOIN task t ON t.id = r.task_id "
                "ORDER BY t.position, r.position",
                "SELECT t.position, o.key, o.due FROM obligation o JOIN task t ON t.id = o.task_id "
                "ORDER BY t.position, o.key"):
        assert q(path, sql) == q(pg_url, sql), sql
    assert len(q(pg_url, "SELECT id FROM task WHERE number = '8'")) == 2
