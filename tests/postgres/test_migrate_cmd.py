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
    code, out, err = cli("migrate", jining_sqlite, pg_url)  # in Chinese, what each table holds
    assert (code, err) == (0, "")
    assert out.startswith("已复制: 计划 1, 板块 5, 单位 ")
    assert ", 任务 15, " in out
    assert "进展 " in out
    assert "操作记录 " in out
    assert cli("--db", jining_sqlite, "note", "8", "第二次评价已完成")[0] == 0
    code, out, _ = cli("--lang", "en", "migrate", jining_sqlite, pg_url)
    assert (code, out) == (0, "copied: progressnote 1, auditentry 2\n")
    assert q(pg_url, "SELECT text FROM progressnote WHERE text = '第二次评价已完成'") == [("第二次评价已完成",)]


def test_office_option_and_undo_stops_at_the_copy(jining_sqlite, pg_url):
    assert cli("--db", pg_url, "users", "add-office", "济宁市民政局")[0] == 0
    assert cli("migrate", jining_sqlite, pg_url, "--office", "济宁市民政局")[0] == 0
    assert q(pg_url, "SELECT o.name FROM plan p JOIN office o ON o.id = p.office_id") == [("济宁市民政局",)]
    code, _, err = cli("--lang", "en", "--db", pg_url, "undo")
    assert (code, err) == (2, "tracker: the last change copied another database in (tracker migrate); "
                              "it cannot be undone.\n")


def test_same_source_and_target_and_missing_source(tmp_path, jining_sqlite):
    assert cli("migrate", jining_sqlite, jining_sqlite) == (
        2, "", "tracker: 源数据库和目标数据库是同一个; 请指定两个不同的数据库。\n")
    assert cli("--lang", "en", "migrate", jining_sqlite, jining_sqlite) == (
        2, "", "tracker: the source and the target are the same database; name two different ones.\n")
    code, _, err = cli("migrate", str(tmp_path / "none.db"), jining_sqlite)
    assert (code, err) == (5, f"tracker: 找不到数据库 {tmp_path / 'none.db'}; 请先运行 `tracker import FILE` 或 "
                              "`tracker demo`。\n")
    code, _, err = cli("--lang", "en", "migrate", str(tmp_path / "none.db"), jining_sqlite)
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


def test_completions_of_after_event_rules_follow_their_events_new_ids(jining_sqlite, tmp_path, pg_url):
    """QA: the copied completion kept "event:1" while its event became event 4 on the target, so it
    matched nothing (the obligation showed overdue) or another event's obligation."""
    second = str(tmp_path / "second.db")
    assert cli("--db", second, "demo")[0] == 0
    for office in ("甲局", "乙局"):
        assert cli("--db", pg_url, "users", "add-office", office)[0] == 0
    assert cli("migrate", jining_sqlite, pg_url, "--office", "甲局")[0] == 0
    assert cli("migrate", second, pg_url, "--office", "乙局")[0] == 0  # its events get new ids here
    events = "SELECT count(*) FROM completion WHERE obligation_key LIKE 'event:%'"
    assert q(second, events)[0][0] > 0
    assert q(pg_url, events)[0][0] == 2 * q(second, events)[0][0]
    unmatched = ("SELECT c.obligation_key FROM completion c LEFT JOIN obligation o "
                 "ON o.requirement_id = c.requirement_id AND o.key = c.obligation_key WHERE o.id IS NULL")
    assert q(pg_url, unmatched) == []
    done = ("SELECT t.number, o.key, o.done_on FROM obligation o JOIN task t ON t.id = o.task_id "
            "JOIN plan p ON p.id = o.plan_id JOIN office f ON f.id = p.office_id {where} "
            "ORDER BY t.position, o.due, o.done_on")
    by_event = ("SELECT e.\"on\", e.ref, o.done_on FROM obligation o JOIN event e ON e.id = o.event_id "
                "JOIN task t ON t.id = e.task_id JOIN plan p ON p.id = t.plan_id JOIN office f ON f.id = p.office_id "
                "{where} ORDER BY e.\"on\", e.ref")
    assert q(pg_url, by_event.format(where="WHERE f.name = '乙局'")) == q(second, by_event.format(where=""))
    assert len(q(pg_url, done.format(where="WHERE f.name = '乙局' AND o.done_on IS NOT NULL"))) == len(
        q(second, done.format(where="WHERE o.done_on IS NOT NULL")))
    # and a second run still finds them copied (the mapped key is the natural key)
    assert cli("--lang", "en", "migrate", second, pg_url, "--office", "乙局") == (0, "nothing new to copy.\n", "")


def test_an_unknown_office_is_refused_naming_the_offices(jining_sqlite, pg_url):
    """QA: `--office 不存在局` (misspelt) silently made an office nobody can see."""
    assert cli("--db", pg_url, "users", "add-office", "民政局")[0] == 0
    code, out, err = cli("--lang", "en", "migrate", jining_sqlite, pg_url, "--office", "不存在局")
    assert (code, out) == (2, "")
    assert err == ("tracker: the target has no office “不存在局” (its offices: default、民政局); check the spelling, "
                   "add it first with `tracker users add-office 不存在局`, or pass --create-office.\n")
    assert q(pg_url, "SELECT name FROM office ORDER BY id") == [("default",), ("民政局",)]
    assert q(pg_url, "SELECT count(*) FROM plan") == [(0,)]
    assert cli("migrate", jining_sqlite, pg_url, "--office", "民政局")[0] == 0
    assert q(pg_url, "SELECT o.name FROM plan p JOIN office o ON o.id = p.office_id") == [("民政局",)]
    # the copied history is the office's: its coordinator reads it, and their undo stops at the copy
    assert q(pg_url, "SELECT DISTINCT o.name FROM auditentry a JOIN office o ON o.id = a.office_id") == [("民政局",)]


def test_create_office_makes_the_named_office(jining_sqlite, pg_url):
    """`--create-office` is the explicit way to copy into an office the target does not have yet."""
    code, _, err = cli("migrate", jining_sqlite, pg_url, "--office", "教育局", "--create-office")
    assert (code, err) == (0, "")
    assert q(pg_url, "SELECT o.name FROM plan p JOIN office o ON o.id = p.office_id") == [("教育局",)]


def test_an_unknown_office_on_a_sqlite_target_points_to_create_office(jining_sqlite, tmp_path):
    """`tracker users` manages PostgreSQL roles: on a SQLite target the refusal names the way that works."""
    target = f"sqlite:///{tmp_path / 'target.db'}"
    assert cli("migrate", jining_sqlite, target)[0] == 0
    code, _, err = cli("--lang", "en", "migrate", jining_sqlite, target, "--office", "不存在局")
    assert code == 2
    assert err == ("tracker: the target has no office “不存在局” (its offices: default); check the spelling, "
                   "or pass --create-office to create it.\n")
    assert cli("migrate", jining_sqlite, target, "--office", "不存在局") == (
        2, "", "tracker: 目标数据库中没有机关“不存在局” (已有的机关: default); 请检查拼写, "
               "或加 --create-office 新建它。\n")
