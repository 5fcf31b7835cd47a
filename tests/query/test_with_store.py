"""The read path over a database the real store wrote: `tracker import` of the Jining plan, then
the write commands, then tasks_as_of / task_detail / the audit log and the overdue query plan."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from tracker import query
from tracker.cli import main
from tracker.model import Status

JINING_SEED = Path(__file__).resolve().parents[1] / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"


def cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture
def imported(db_path, monkeypatch):
    """The Jining plan imported with `tracker import`; today is 2024-07-01."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    cli("import", str(JINING_SEED))
    conn = query.connect(str(db_path))
    yield conn
    conn.close()


def statuses(conn, as_of):
    return {v.number: v.status for v in query.tasks_as_of(conn, as_of=as_of)}


def test_imported_plan_8_and_12_overdue_until_done(imported):
    overdue = query.tasks_as_of(imported, as_of=date(2024, 7, 1), status=Status.OVERDUE)
    assert [v.number for v in overdue] == ["8", "12"]
    cli("done", "8", "--rule", "1", "--on", "2024-07-01", "--evidence", "评价报告")
    cli("done", "12", "--on", "2024-03-29")
    cli("done", "12", "--on", "2024-06-28")
    assert query.tasks_as_of(imported, as_of=date(2024, 7, 1), status=Status.OVERDUE) == []
    view = next(v for v in query.tasks_as_of(imported, as_of=date(2024, 7, 1)) if v.number == "8")
    assert (view.obligations[0].status, view.obligations[0].evidence) == (Status.DONE_LATE, "评价报告")
    # as of the day before the completion it did not exist yet
    assert statuses(imported, date(2024, 6, 30))["8"] is Status.DUE_SOON


def test_event_for_task_6_through_the_store(imported):
    cli("event", "6", "--on", "2024-09-27", "--ref", "济民发〔2024〕12号")
    assert statuses(imported, date(2024, 9, 26))["6"] is Status.ON_TRACK  # the event has not happened
    assert statuses(imported, date(2024, 10, 7))["6"] is Status.DUE_SOON
    assert statuses(imported, date(2024, 10, 8))["6"] is Status.DUE_SOON
    assert statuses(imported, date(2024, 10, 9))["6"] is Status.OVERDUE


def test_task_15_one_obligation_per_assigned_owner(imported):
    cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科", "--support", "养老服务科")
    view = next(v for v in query.tasks_as_of(imported, as_of=date(2024, 7, 1)) if v.number == "15")
    assert [o.owner for o in view.obligations] == ["局办公室", "政策法规科", "养老服务科"]
    assert [v.number for v in query.tasks_as_of(imported, as_of=date(2024, 7, 1), owner="养老服务科")] == ["15"]


def test_history_and_log_name_what_was_done(imported, db_path):
    cli("done", "8", "--rule", "1", "--on", "2024-07-01")
    cli("note", "8", "第一次评价已完成")
    task8 = query.find_task_id(imported, "8")
    history = query.task_detail(imported, task8, as_of=date(2024, 7, 1)).history
    assert [h.action for h in history] == ["note", "done", "import"]
    assert history[1].summary == "任务8: 完成 规则1 2024-Y1 于2024-07-01"
    assert history[2].summary.startswith("导入计划: 2024年济宁市民政局政务公开工作要点")
    cli("undo")
    log = query.audit_log(imported, limit=2)
    assert [e.action for e in log] == ["undo", "note"]
    assert log[1].undone


def test_the_overdue_query_uses_the_indexes(imported):
    plan = [row[3] for row in imported.execute(
        "EXPLAIN QUERY PLAN " + query.OVERDUE_TASK_IDS_SQL,
        {"as_of": "2024-07-01", "next_day": "2024-07-02"})]
    # the open obligations are reached through done_on (the earliest completion's date), not by
    # probing the completions of every obligation already due
    assert "SEARCH o USING COVERING INDEX ix_obligation_open (done_on=? AND due<?)" in plan
    assert "SEARCH o USING COVERING INDEX ix_obligation_open (done_on>?)" in plan
    assert not any(" c USING " in line for line in plan)
    assert any(line.startswith("SEARCH w USING INDEX ix_waiver_requirement_id") for line in plan)
    on_obligations = [line for line in plan if line.startswith(("SCAN o", "SEARCH o"))]
    assert on_obligations
    assert all("INDEX" in line for line in on_obligations), plan  # never a full table scan


def test_reading_while_a_writer_holds_the_database(imported, db_path):
    import sqlite3

    writer = sqlite3.connect(db_path, isolation_level=None)
    assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # the store's mode
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE task SET removed = 1 WHERE number = '8'")
    try:
        reader = query.connect(str(db_path))   # opens and reads at once, no "database is locked"
        overdue = query.tasks_as_of(reader, as_of=date(2024, 7, 1), status=Status.OVERDUE)
        assert [v.number for v in overdue] == ["8", "12"]  # the uncommitted change is not seen
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
