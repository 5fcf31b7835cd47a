"""`tracker demo`: a fresh database where every status shows, as of 2024-07-01 and as of "today"."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from tracker.cli import main
from tracker.model import Status


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def statuses(as_of: str) -> dict[str, str]:
    code, out, err = cli("tasks", "--json", "--as-of", as_of)
    assert code == 0, err
    return {t["number"]: t["status"] for t in json.loads(out)}


@pytest.mark.parametrize("today", ["2024-07-01", "2026-11-23", "2031-03-10"])
def test_demo_shows_every_status(db_path, monkeypatch, today):
    monkeypatch.setenv("TRACKER_TODAY", today)
    code, out, _ = cli("demo")
    assert code == 0
    assert out.startswith(f"演示数据库已建好: {db_path}\n")
    for as_of in {"2024-07-01", today}:
        assert set(statuses(as_of).values()) == {s.value for s in Status}, as_of


def test_demo_tells_the_story_of_the_issue(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-23")
    cli("demo")
    early = statuses("2024-07-01")
    assert (early["8"], early["12"], early["6"], early["15"], early["11"]) == (
        "overdue", "overdue", "due_soon", "done", "waived")
    _, out, _ = cli("tasks", "--json", "--as-of", "2024-10-07")
    task6 = next(t for t in json.loads(out) if t["number"] == "6")
    assert [(o["due"], o["status"]) for o in task6["obligations"]] == [
        ("2024-07-03", "done"), ("2024-10-08", "due_soon")]  # the 10-08 completion is not there yet
    _, out, _ = cli("tasks", "--json")
    task15 = next(t for t in json.loads(out) if t["number"] == "15")
    assert len(task15["obligations"]) == 3  # one per unit


def test_demo_refuses_to_overwrite_without_force(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    assert cli("demo")[0] == 0
    cli("note", "1", "我的真实数据")
    code, out, err = cli("demo")
    assert (code, out) == (2, "")
    assert err == f"tracker: {db_path} 已存在, 演示会替换它。要替换请加 --force, 或用 --db 指定另一个文件。\n"
    code, out, err = cli("--lang", "en", "demo")
    assert (code, out) == (2, "")
    assert err == (f"tracker: {db_path} already exists; the demo would replace it. Add --force to do so, "
                   "or give another file with --db.\n")
    assert cli("demo", "--force")[0] == 0
    code, out, _ = cli("log", "--json", "--limit", "200")
    assert "我的真实数据" not in out


def test_demo_credits_each_unit_its_own_contribution(db_path, monkeypatch):
    """Task 15 is one obligation per unit: each unit's 投稿 completes that unit's, not the first one left."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    assert cli("demo")[0] == 0
    from db_rows import rows

    got = rows(db_path, "SELECT c.obligation_key, c.evidence FROM completion c JOIN requirement r "
                        "ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id WHERE t.number = '15' "
                        "ORDER BY c.done_on")
    assert got == [(f"2024-Y1#{unit}", f"{unit}投稿《政务公开看山东》") for unit in ("局办公室", "政策法规科", "养老服务科")]


def test_demo_onto_a_directory_is_one_sentence(tmp_path, monkeypatch):
    """Exit 5, the database error every other command gives a directory (QA: demo said 2)."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    folder = tmp_path / "d"
    folder.mkdir()
    assert cli("--db", str(folder), "tasks")[0] == 5
    for force in ((), ("--force",)):
        code, out, err = cli("--db", str(folder), "demo", *force)
        assert (code, out) == (5, "")
        assert err == f"tracker: {folder} 是目录; 请为演示指定一个数据库文件, 如 --db {folder}/demo.db。\n"
        code, out, err = cli("--lang", "en", "--db", str(folder), "demo", *force)
        assert (code, out) == (5, "")
        assert err == f"tracker: {folder} is a directory; give the demo a database file, e.g. --db {folder}/demo.db.\n"
    assert folder.is_dir()


def test_demo_never_stamps_a_change_after_now(db_path, monkeypatch):
    """QA: run before 09:00 Beijing time (01:00 UTC), the demo stamped today's note at 01:00 UTC —
    in the future — so the user's next change (task 12 done) came below it in `tracker log`, and
    the TUI asked to undo the note while undo reversed the completion."""
    from datetime import UTC, datetime, timedelta

    from db_rows import rows

    from tracker.commands import demo_cmd
    from tracker.store import actions, open_store

    now = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)  # 00:30 on 11-24 in Beijing
    monkeypatch.setattr(demo_cmd, "_now", lambda: now)
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-24")
    assert cli("demo")[0] == 0
    assert rows(db_path, "SELECT max(at) FROM auditentry")[0][0] <= "2026-11-23 16:30:00.000000"
    assert rows(db_path, "SELECT at FROM auditentry WHERE action = 'note' ORDER BY id DESC LIMIT 1") == [
        ("2026-11-23 16:30:00.000000",)]
    store = open_store(str(db_path))  # the user's next change, a minute later
    with store.transaction(who="coordinator", action="done", now=now + timedelta(minutes=1)) as s:
        actions.mark_done(session=s, task=actions.find_task(session=s, ref="12"), rule=None,
                          on=date(2026, 11, 24), evidence="四季度检查")
    store.close()
    code, out, _ = cli("log", "--json", "--limit", "2")
    assert code == 0
    assert [(e["who"], e["action"]) for e in json.loads(out)] == [("coordinator", "done"), ("demo", "note")]
    code, out, _ = cli("undo")
    assert (code, out.startswith("已撤销: 完成 (任务12: ")) == (0, True), out
