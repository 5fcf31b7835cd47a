"""o on the task screen: the latest completion shown is taken back after a question naming it
(`tracker reopen`), the changes after it stay, and u puts it back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static
from tui_helpers import notifications, query_db, row_of, run_cli, select_task, settle

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dialogs import ConfirmDialog
from tracker.tui.screens.task import TaskScreen

_DONE = ("SELECT t.number, c.obligation_key, c.done_on FROM completion c JOIN requirement r ON r.id = "
         "c.requirement_id JOIN task t ON t.id = r.task_id ORDER BY c.id")


async def test_o_takes_back_the_latest_completion_after_a_question_and_u_restores_it(
        make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    run_cli(jining_db, "done", "8", "--rule", "1", "--on", "2024-07-01")  # the mistake
    run_cli(jining_db, "note", "12", "本季度检查已完成")  # two changes after it
    run_cli(jining_db, "done", "12", "--on", "2024-03-28")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert row_of(app, "8")["status"] != "✖ 逾期"
        await select_task(pilot, "8")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "撤回完成: 任务8 规则1 2024-Y1 (原完成于2024-07-01)?" in str(
            app.screen.query_one(".hint", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, _DONE) == [("12", "2024-Q1", "2024-03-28")]
        assert "已撤回完成: 任务8 规则1 (2024-Y1; 原完成于2024-07-01)" in notifications(app)
        assert query_db(jining_db, "SELECT text FROM progressnote") == [("本季度检查已完成",)]
        await pilot.press("o")  # nothing done on task 8 any more: said, no question
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        assert notifications(app)[-1] == "这个任务没有已完成的事项, 无可撤回"
        await pilot.press("escape")
        await settle(pilot)
        assert row_of(app, "8")["status"] == "✖ 逾期"  # overdue again as of 2024-07-01

        await select_task(pilot, "8")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "撤回完成" in str(app.screen.query_one(".hint", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, _DONE) == [("8", "2024-Y1", "2024-07-01"), ("12", "2024-Q1", "2024-03-28")]
        assert row_of(app, "8")["status"] != "✖ 逾期"


async def test_o_cancelled_writes_nothing(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    run_cli(jining_db, "done", "12", "--on", "2024-03-28")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_task(pilot, "12")
        await pilot.press("enter", "o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        assert query_db(jining_db, _DONE) == [("12", "2024-Q1", "2024-03-28")]
