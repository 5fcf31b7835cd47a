"""The TUI shows every error in its language: a tracker error's own sentence (Chinese unless
--lang en), and the TUI's own lines (internal error, a database it cannot read) from its labels."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_helpers import notifications, pressed_on, settle

from tracker.errors import ConflictError, DatabaseError, NotFoundError
from tracker.tui.app import TrackerApp
from tracker.tui.labels import conflict_text
from tracker.tui.screens.dialogs import PathDialog
from tracker.tui.screens.task import TaskScreen

LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


async def _enter_path(app: TrackerApp, pilot: Pilot[int], key: str, path: Path) -> None:
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(app.screen, PathDialog)
    app.screen.query_one("#path", Input).value = str(path)
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


@LANGS
async def test_an_export_that_cannot_be_written_says_why(make_app: Callable[..., TrackerApp], tmp_path: Path,
                                                         lang: str) -> None:
    folder = tmp_path / "台账.xlsx"
    folder.mkdir()
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _enter_path(app, pilot, "x", folder)
        expected = {
            "zh": f"{folder} 是目录; 请指定其中的一个文件名, 如 {folder / '工作台账.xlsx'}。",
            "en": f"{folder} is a directory; give a file name inside it, such as {folder / '工作台账.xlsx'}.",
        }[lang]
        assert notifications(app)[-1] == expected
        assert list(folder.iterdir()) == []


@LANGS
async def test_an_export_beside_an_open_workbook_says_where_it_went(make_app: Callable[..., TrackerApp],
                                                                    tmp_path: Path, lang: str) -> None:
    target = tmp_path / "ledger.xlsx"
    target.write_bytes(b"open in WPS")
    (tmp_path / "~$ledger.xlsx").write_bytes(b"")
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _enter_path(app, pilot, "x", target)
        moved = tmp_path / "ledger-1.xlsx"
        expected = {
            "zh": f"已导出到 {moved} (ledger.xlsx 已在其他程序中打开 (锁文件 ~$ledger.xlsx))",
            "en": f"written to {moved} (ledger.xlsx is open in another program (lock file ~$ledger.xlsx))",
        }[lang]
        assert notifications(app)[-1] == expected
        assert moved.exists()


@LANGS
async def test_a_plan_file_that_cannot_be_read_says_what_it_is(make_app: Callable[..., TrackerApp],
                                                               tmp_path: Path, jining_db: Path, lang: str) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _enter_path(app, pilot, "i", plan)
        expected = {
            "zh": "plan.txt 看起来是 PDF 文档, 不是文本文件; 请把其中的文字复制到 .txt 文件, 或导出为 .docx。",
            "en": "plan.txt looks like a PDF document, not a text file; copy its text into a .txt file or export "
                  "it as .docx.",
        }[lang]
        assert notifications(app)[-1] == expected
        assert app.is_running


@LANGS
async def test_a_database_that_cannot_be_read_keeps_the_screen(make_app: Callable[..., TrackerApp],
                                                               lang: str) -> None:
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        def locked() -> int:
            raise DatabaseError("the database is locked.", zh="数据库被占用。")

        def broken() -> int:
            raise sqlite3.InterfaceError("Cannot operate on a closed database.")  # not one sql_errors knows

        app._read_data_version = locked  # type: ignore[method-assign]
        app.poll()
        app._read_data_version = broken  # type: ignore[method-assign]
        app.poll()
        await pilot.pause()
        expected = {
            "zh": ["数据库被占用。 屏幕上仍是原来的内容。",
                   "无法读取数据库 (Cannot operate on a closed database.); 屏幕上仍是原来的内容。"],
            "en": ["the database is locked. The screen shows what it had.",
                   "the database could not be read (Cannot operate on a closed database.); the screen shows what "
                   "it had."],
        }[lang]
        assert notifications(app)[-2:] == expected
        assert app.is_running


@LANGS
async def test_a_task_that_cannot_be_read_says_so_on_its_screen(make_app: Callable[..., TrackerApp],
                                                                monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    def gone(self: TrackerApp, task_id: int) -> None:
        raise NotFoundError(f"there is no task {task_id}.", zh=f"没有任务{task_id}。")

    app = make_app(lang=lang)
    async with pressed_on(app, "8", "enter") as pilot:
        assert isinstance(app.screen, TaskScreen)
        monkeypatch.setattr(TrackerApp, "detail", gone)
        app.screen.refresh_detail()
        await pilot.pause()
        head = str(app.screen.query_one("#task-head", Static).render())
        task_id = app.screen.task_id
        assert head == {"zh": f"没有任务{task_id}。", "en": f"there is no task {task_id}."}[lang]


def test_a_conflict_that_names_no_task_is_its_own_sentence() -> None:
    exc = ConflictError("the plan changed while importing.", zh="导入时计划已被修改。")
    assert conflict_text(exc, "zh") == "导入时计划已被修改。"
    assert conflict_text(exc, "en") == "the plan changed while importing."
    named = ConflictError("task 8 changed.", zh="任务8已被修改。", task="8", expected=1, current=2)
    assert conflict_text(named, "zh").startswith("任务8在您打开后已被他人修改(版本1 → 2)")
