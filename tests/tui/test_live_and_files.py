"""Changes from another process show up by themselves; export, import and plan switching; paging."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList
from tui_helpers import AS_OF, ROOT, notifications, numbers, query_db, row_of, select_task, settle

from tracker.tui import app as app_module
from tracker.tui.app import Snapshot, TrackerApp
from tracker.tui.screens.dialogs import PathDialog, PlanDialog
from tracker.tui.widgets import task_table
from tracker.tui.widgets.task_table import TaskTable

SECOND_PLAN = """2024年济宁市民政局政务公开工作要点(补充)

一、补充任务

1. 公开养老服务补贴发放情况。每季度公开一次。

2. 更新社会救助政策问答。年底前完成。
"""


async def test_a_change_by_another_process_shows_up_by_itself(make_app: Callable[..., TrackerApp],
                                                              jining_db: Path) -> None:
    app = make_app(poll_seconds=0.2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert row_of(app, "12")["status"] == "✖ 逾期"
        env = os.environ | {"TRACKER_DB": str(jining_db), "PYTHONPATH": str(ROOT)}
        done = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "tracker", "done", "12", "--on", "2024-06-28"],
            env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 10
        while row_of(app, "12")["due"] == "03-31 逾期92天" and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert row_of(app, "12")["due"] == "06-30 逾期1天"  # Q1 done; the Q2 check is the late one now
        assert row_of(app, "12")["rule"].startswith("每季度 · 已完成1")
        assert app.is_running


async def test_export_writes_the_ledger_workbook(make_app: Callable[..., TrackerApp], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    app = make_app()
    target = tmp_path / "out" / "台账.xlsx"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PathDialog)
        path_input = app.screen.query_one("#path", Input)
        assert path_input.value.endswith("2024-07-工作台账.xlsx")  # the default name
        path_input.value = str(tmp_path / "ledger.txt")
        await pilot.pause()
        assert "xlsx" in str(app.screen.query_one("#problem").render())  # refused as you type
        path_input.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert target.exists()
        assert any(str(target) in m for m in notifications(app))
    book = load_workbook(target, read_only=True)
    assert "工作台账" in book.sheetnames
    book.close()


async def test_import_then_switch_plan_and_all_plans(make_app: Callable[..., TrackerApp], tmp_path: Path,
                                                    jining_db: Path) -> None:
    plan_file = tmp_path / "supplement.txt"
    plan_file.write_text(SECOND_PLAN, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, PathDialog)
        path_input = app.screen.query_one("#path", Input)
        path_input.value = str(tmp_path / "missing.txt")
        await pilot.pause()
        assert "没有这个文件" in str(app.screen.query_one("#problem").render())
        path_input.value = str(plan_file)
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, "SELECT count(*) FROM plan") == [(2,)]
        assert numbers(app) == ["1", "2"]  # the imported plan is shown
        assert "补充" in str(app.screen.query_one("#title-line").render())

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlanDialog)
        listing = app.screen.query_one("#plan", OptionList)
        assert listing.option_count == 3  # two plans and "all plans"
        await pilot.press("end", "enter")
        await settle(pilot)
        assert app.plan_id is None
        assert len(numbers(app)) == 17
        assert "全部计划" in str(app.screen.query_one("#title-line").render())


WARNED_PLAN = """2024年济宁市民政局政务公开工作要点(补充二)

一、补充任务

1. 定期更新政策问答库。

2. 更新社会救助政策问答。年底前完成。
"""


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "任务1: 任务正文写了“定期”, 但没有写明周期"), ("en", "task 1: task text says 定期 (regularly) without a period")])
async def test_an_import_shows_what_tracker_import_warns_about(make_app: Callable[..., TrackerApp],
                                                                 tmp_path: Path, jining_db: Path,
                                                                 lang: str, expected: str) -> None:
    """The TUI's import used to drop the parser's warnings (a 定期 task imported with no period,
    silently); it now shows them, as `tracker import` prints them after 注意:."""
    plan_file = tmp_path / "warned.txt"
    plan_file.write_text(WARNED_PLAN, encoding="utf-8")
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(plan_file)
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, "SELECT count(*) FROM plan") == [(2,)]
        warned = [m for m in notifications(app) if expected in m]
        assert len(warned) == 1, notifications(app)
        assert warned[0].startswith("注意 (1条):" if lang == "zh" else "warnings (1):")


def test_a_long_import_warning_list_is_cut_and_counted() -> None:
    from tracker.notes import Note
    from tracker.tui.actions import WARNINGS_SHOWN, import_warnings

    warnings = [Note(f"warning {i}", f"提示{i}") for i in range(WARNINGS_SHOWN + 3)]
    text = import_warnings(warnings, "zh")
    assert text.splitlines()[0] == f"注意 ({WARNINGS_SHOWN + 3}条):"
    assert text.count("• 提示") == WARNINGS_SHOWN
    assert text.splitlines()[-1] == "…另有3条; 用 `tracker parse FILE` 查看全部"
    assert "warning" not in text


async def test_a_long_list_is_paged_and_a_large_scope_streamed(make_app: Callable[..., TrackerApp],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task_table, "PAGE", 5)
    monkeypatch.setattr(TaskTable, "page_size", property(lambda self: 5))  # smaller than the screen
    monkeypatch.setattr(app_module, "FIRST_PAGE", 4)
    app = make_app()
    applied: list[tuple[bool, int]] = []
    original = app._apply

    def record(generation: int, snap: Snapshot, *drawn: object) -> None:
        applied.append((snap.complete, len(snap.tasks)))
        original(generation, snap, *drawn)  # type: ignore[arg-type]

    app._apply = record  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert applied[:2] == [(False, 4), (True, 15)]  # the first page, then the whole plan
        table = app.screen.query_one(TaskTable)
        assert (table.shown, table.total) == (5, 15)
        assert "显示 5/15 项" in str(app.screen.query_one("#table-info").render())
        await select_task(pilot, "4")  # near the end of the page: the next one is added
        assert table.shown == 10
        await pilot.press("ctrl+end")  # to the last row loaded: the rest comes in
        await settle(pilot)
        assert table.shown == 15
        assert "显示 15/15 项" in str(app.screen.query_one("#table-info").render())


def test_a_missing_database_is_one_sentence_before_any_screen(tmp_path: Path) -> None:
    from tracker.errors import DatabaseError

    with pytest.raises(DatabaseError, match="no database at"):
        TrackerApp(str(tmp_path / "none.db"), today=AS_OF)


def test_tracker_tui_command_reports_an_unknown_plan(jining_db: Path) -> None:
    env = os.environ | {"TRACKER_DB": str(jining_db), "PYTHONPATH": str(ROOT), "TRACKER_LANG": "zh"}
    run = subprocess.run([sys.executable, "-m", "tracker", "tui", "--plan", "不存在的计划"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 4
    assert run.stderr.startswith("tracker: ")  # one sentence in the user's language (the query layer's)
    assert "“不存在的计划”" in run.stderr
    assert "2024年济宁市民政局政务公开工作要点" in run.stderr  # the plan there is
    assert run.stderr.count("\n") == 1
    run = subprocess.run([sys.executable, "-m", "tracker", "tui", "--plan", "不存在的计划"],
                         env=env | {"TRACKER_LANG": "en"}, capture_output=True, text=True, timeout=60)
    assert run.returncode == 4
    assert run.stderr.startswith("tracker: there is no plan “不存在的计划”")
    assert "Traceback" not in run.stderr

