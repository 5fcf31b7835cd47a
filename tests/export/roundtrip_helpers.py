"""Helpers of the round-trip tests: run the CLI, fill a workbook as an office would, read the DB."""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from tracker.cli import main
from tracker.parse import parse
from tracker.store import actions, open_store

COL = {"progress": 12, "done": 13, "evidence": 14, "title": 3, "id": 16}  # 1-based columns on 工作台账

PLAN_A = """2024年某某区司法局政务公开工作要点

一、提高公开质量

1. 推进行政执法公示。每季度更新行政执法信息。

2. 加强普法宣传公开。年底前公开普法责任清单。

3. 规范依申请公开办理。原则上每年至少开展2次依申请公开业务培训。
"""
"""Another office's plan of three tasks: its task ids 1–3 are also tasks of the Jining database."""


class Terminal(io.StringIO):
    """A stdin someone types into (a terminal), for the y/N question."""

    def isatty(self) -> bool:
        return True


def run(argv, monkeypatch, today="2024-07-03", stdin: str | None = None, tty: bool = False):
    monkeypatch.setenv("TRACKER_TODAY", today)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", Terminal(stdin) if tty else io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def export_for_office(tmp_path: Path, monkeypatch, name: str = "office.xlsx") -> Path:
    path = tmp_path / name
    code, _, err = run(["export", "--for-owner", "局办公室", "--as-of", "2024-07-01", "--out", str(path)],
                       monkeypatch, today="2024-07-01")
    assert (code, err) == (0, "")
    return path


def edit(path: Path, change: Callable, name: str = "filled.xlsx") -> Path:
    """Open the workbook as a spreadsheet program would, let `change(wb)` edit it, save a copy."""
    wb = load_workbook(path)
    change(wb)
    filled = path.with_name(name)
    wb.save(filled)
    return filled


def fill(path: Path, rows: dict[str, dict[str, object]], name: str = "filled.xlsx") -> Path:
    """What the office does in Excel: type into the blue columns of some rows (by 序号), save."""
    def change(wb) -> None:
        ws = wb["工作台账"]
        for row in ws.iter_rows(min_row=4):
            for key, value in (rows.get(row[0].value) or {}).items():
                cell = ws.cell(row=row[0].row, column=COL[key])
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    return edit(path, change, name)


def db_rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def plan_a_db(path: Path) -> Path:
    """A real database holding only PLAN_A (imported through the parser and the store)."""
    store = open_store(str(path))
    try:
        with store.transaction(who="test", action="import", now=datetime(2024, 1, 8, tzinfo=UTC)) as s:
            actions.import_plan(session=s, draft=parse(PLAN_A), source_name="plan_a.txt")
    finally:
        store.close()
    return path
