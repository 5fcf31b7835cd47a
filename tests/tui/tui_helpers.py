"""Helpers of the TUI tests: build the Jining database through the real CLI, drive and read the app."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from io import StringIO
from pathlib import Path

from textual.pilot import Pilot

from tracker import cli
from tracker.tui.app import TrackerApp
from tracker.tui.widgets.task_table import TaskTable

ROOT = Path(__file__).resolve().parents[2]
JINING_PLAN = ROOT / "plans" / "2024-jining-minzheng.txt"
STAMP = "2024-01-15 09:00:00.000000"
AS_OF = date(2024, 7, 1)
"""The as-of date of every test (as tests/conftest.py): the first working day after the H1 deadline."""


def run_cli(db: Path, *argv: str) -> str:
    """Run one tracker command on `db`; fail the test with its stderr when it does not exit 0."""
    out, err = StringIO(), StringIO()
    code = cli.main(["--db", str(db), *argv], out=out, err=err)
    assert code == 0, f"tracker {' '.join(argv)} exited {code}: {err.getvalue()}"
    return out.getvalue()


def build_jining(db: Path) -> None:
    """The Jining 2024 plan imported with `tracker import`, owners set on tasks 2, 8 and 15.

    The audit rows get a fixed time and author, so the task screen's history is the same on
    every run (snapshots compare it).
    """
    run_cli(db, "import", str(JINING_PLAN))
    run_cli(db, "assign", "2", "--lead", "养老服务科")
    run_cli(db, "assign", "8", "--lead", "局办公室", "--support", "政策法规科")
    run_cli(db, "assign", "15", "--lead", "局办公室", "--support", "政策法规科", "--support", "养老服务科")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE auditentry SET at = ?, who = 'coordinator'", (STAMP,))
    conn.close()


def copy_db(src: Path, dst: Path) -> Path:
    """Copy a closed SQLite database file (and its WAL, if one was left)."""
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + "-wal"))
    return dst


async def settle(pilot: Pilot[int]) -> None:
    """Let pending loads (worker threads) finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table_rows(app: TrackerApp) -> list[list[str]]:
    """The task table's rows as plain strings, as shown."""
    table = app.screen.query_one(TaskTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def numbers(app: TrackerApp) -> list[str]:
    """The task numbers in the table, top to bottom."""
    return [row[0] for row in table_rows(app)]


def row_of(app: TrackerApp, number: str) -> dict[str, str]:
    """One row by task number, as {column key: text}."""
    keys = ("number", "section", "title", "owners", "rule", "due", "status")
    for row in table_rows(app):
        if row[0] == number:
            return dict(zip(keys, row, strict=True))
    raise AssertionError(f"task {number} is not in the table: {numbers(app)}")


def query_db(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows of a query on the database file, read with plain sqlite3 (what the user would check)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(sql, params).fetchall()
    conn.close()
    return rows


_KEY_NAMES = {"-": "minus", " ": "space", "/": "slash", ".": "full_stop", ":": "colon", "_": "underscore"}


async def type_text(pilot: Pilot[int], text: str) -> None:
    """Type `text` key by key into the focused widget (Chinese characters as an input method sends them)."""
    for char in text:
        await pilot.press(_KEY_NAMES.get(char, char))


async def select_task(pilot: Pilot[int], number: str) -> None:
    """Put the table cursor on task `number` (with the arrow keys, as a user would)."""
    app = pilot.app
    assert isinstance(app, TrackerApp)
    table = app.screen.query_one(TaskTable)
    table.focus()
    target = numbers(app).index(number)
    while table.cursor_row < target:
        await pilot.press("down")
    while table.cursor_row > target:
        await pilot.press("up")
    await pilot.pause()
    assert table.current_task_id() is not None


def notifications(app: TrackerApp) -> list[str]:
    """The messages shown to the user so far (newest last)."""
    return [n.message for n in app._notifications]


@asynccontextmanager
async def pressed_on(app: TrackerApp, number: str, key: str,
                     size: tuple[int, int] = (100, 30)) -> AsyncIterator[Pilot[int]]:
    """Run `app`, select task `number`, press `key` (an action's key) and let the screen settle."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await select_task(pilot, number)
        await pilot.press(key)
        await settle(pilot)
        yield pilot
