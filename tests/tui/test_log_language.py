"""The TUI words the audit trail in its language, as `tracker log` does: a stored action ("note",
"assign") by its label, in the undo question, the undo's message and the task screen's history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static
from tui_helpers import notifications, pressed_on, query_db, run_cli, select_task, settle

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dialogs import ConfirmDialog
from tracker.tui.screens.task import TaskScreen

NOTE = "已开展第一次专题评价的准备工作"

WORDS = {
    "zh": {"ask": "撤销上一步: 进展 (任务8: 进展 " + NOTE, "done": "已撤销: 进展 (任务8: 进展 " + NOTE,
           "history": ("  进展  任务8: 进展", "  责任单位  任务8: 牵头 局办公室", "  导入计划  导入计划: "),
           "raw": ("  note  ", "  assign  ", "  import  ")},
    "en": {"ask": "undo the last action: note (任务8: 进展 " + NOTE, "done": "undone: note (任务8: 进展 " + NOTE,
           "history": ("  note  任务8: 进展", "  assign  任务8: 牵头 局办公室", "  import  导入计划: "),
           "raw": ("  进展  ", "  责任单位  ", "  导入计划  ")},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_undo_names_the_action_in_the_tui_language(make_app: Callable[..., TrackerApp], jining_db: Path,
                                                        lang: str) -> None:
    run_cli(jining_db, "note", "8", NOTE, "--on", "2024-06-20")
    words = WORDS[lang]
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert str(app.screen.query_one(".hint", Static).render()).startswith(words["ask"])
        await pilot.press("enter")
        await settle(pilot)
        assert notifications(app)[-1].startswith(words["done"])
    assert query_db(jining_db, "SELECT DISTINCT undone FROM auditentry WHERE action = 'note'") == [(1,)]
    # what is stored stays the command's name, in the undo line too (older trackers read it)
    assert query_db(jining_db, "SELECT summary FROM auditentry WHERE action = 'undo'")[0][0].startswith(
        "撤销: note (任务8: 进展 ")


async def test_undo_asks_about_the_change_it_reverses_not_a_repair(make_app: Callable[..., TrackerApp],
                                                                  jining_db: Path) -> None:
    # `tracker check --repair` recomputed a due date after the note: undo passes over the repair line,
    # so the question names the note (what `undo_last` reverts), not the repair
    run_cli(jining_db, "note", "8", NOTE, "--on", "2024-06-20")
    query_db(jining_db, "UPDATE obligation SET due = '2024-06-29' WHERE key = '2024-Y1'")
    run_cli(jining_db, "check", "--repair")
    assert query_db(jining_db, "SELECT count(*) FROM auditentry WHERE action = 'repair'") == [(1,)]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert str(app.screen.query_one(".hint", Static).render()).startswith(WORDS["zh"]["ask"])
        await pilot.press("enter")
        await settle(pilot)
    assert query_db(jining_db, "SELECT DISTINCT action, undone FROM auditentry WHERE action IN ('note', 'repair') "
                               "ORDER BY id") == [("note", 1), ("repair", 0)]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_task_history_words_each_action(make_app: Callable[..., TrackerApp], jining_db: Path,
                                                  lang: str) -> None:
    run_cli(jining_db, "note", "8", NOTE, "--on", "2024-06-20")
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_task(pilot, "8")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        facts = str(app.screen.query_one("#task-facts", Static).render())
    history = facts[facts.index({"zh": "历史记录", "en": "History"}[lang]):]
    for line in WORDS[lang]["history"]:
        assert line in history
    for raw in WORDS[lang]["raw"]:
        assert raw not in history


async def test_undo_asks_about_what_it_reverses_when_the_clock_disagrees(make_app: Callable[..., TrackerApp],
                                                                        jining_db: Path) -> None:
    """QA: in the demo database, `d` on task 12 then `u` asked about task 1's note (stamped ahead of
    the clock, 01:00 UTC, by `tracker demo`) while undo reversed task 12's completion. The question
    now names what `undo_last` reverses — the last action by audit order — and OK reverses just that."""
    run_cli(jining_db, "note", "1", "11月公开重点工作进展1条", "--on", "2024-07-01")
    query_db(jining_db, "UPDATE auditentry SET at = '2099-01-01 01:00:00.000000', who = 'demo' WHERE action = 'note'")
    app = make_app()
    async with pressed_on(app, "12", "d") as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert any(m.startswith("已记录完成: 任务12") for m in notifications(app))
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        asked = str(app.screen.query_one(".hint", Static).render())
        assert asked.startswith("撤销上一步: 完成 (任务12: ")
        assert "任务1:" not in asked
        await pilot.press("enter")
        await settle(pilot)
        assert notifications(app)[-1].startswith("已撤销: 完成 (任务12: ")
    assert query_db(jining_db, "SELECT DISTINCT action, undone FROM auditentry WHERE action IN ('note', 'done') "
                               "ORDER BY action") == [("done", 1), ("note", 0)]


async def test_undo_reverses_nothing_when_another_action_came_after_the_question(
        make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    run_cli(jining_db, "note", "8", NOTE, "--on", "2024-06-20")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert str(app.screen.query_one(".hint", Static).render()).startswith(WORDS["zh"]["ask"])
        run_cli(jining_db, "note", "12", "另一终端记录的进展", "--on", "2024-06-21")  # while the question is open
        await pilot.press("enter")
        await settle(pilot)
        assert notifications(app)[-1].startswith("最近一步已变为 进展 (任务12: 进展 另一终端记录的进展")
        assert "没有撤销任何内容: 请重新按 u" in notifications(app)[-1]
    assert query_db(jining_db, "SELECT DISTINCT undone FROM auditentry WHERE action IN ('note', 'undo')") == [(0,)]


async def test_undo_with_nothing_to_undo_says_so(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    query_db(jining_db, "UPDATE auditentry SET undone = 1")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert notifications(app)[-1] == "没有可撤销的修改。"
