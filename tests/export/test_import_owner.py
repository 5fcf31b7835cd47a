"""import-progress on the demo database: whose obligation a 完成日期 credits, and one dated before its event."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from roundtrip_helpers import db_rows, fill, run

TODAY = "2024-07-15"


def _completions(db: Path, number: str) -> list[tuple]:
    return db_rows(db, "SELECT c.obligation_key, c.done_on, c.evidence FROM completion c JOIN requirement r "
                       "ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id "
                       f"WHERE t.number = '{number}' ORDER BY c.obligation_key")


@pytest.fixture
def demo(db_path: Path, monkeypatch) -> Path:
    """The demo database as of 2024-07-15, with tasks 6 and 15 recorded done nowhere."""
    code, _, err = run(["demo"], monkeypatch, today=TODAY)
    assert code == 0, err
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM completion WHERE requirement_id IN (SELECT r.id FROM requirement r "
                     "JOIN task t ON t.id = r.task_id WHERE t.number IN ('6', '15'))")
    return db_path


def _export(tmp_path: Path, monkeypatch, *owner: str) -> Path:
    path = tmp_path / "ledger.xlsx"
    args = ["--for-owner", *owner] if owner else []
    code, _, err = run(["export", *args, "--out", str(path)], monkeypatch, today=TODAY)
    assert (code, err) == (0, "")
    return path


def test_a_units_ledger_credits_that_units_obligation(demo, tmp_path, monkeypatch):
    path = _export(tmp_path, monkeypatch, "养老服务科")
    filled = fill(path, {"15": {"done": datetime(2024, 7, 10), "evidence": "养老服务科投稿"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch, today=TODAY)
    assert (code, err) == (0, ""), out
    assert _completions(demo, "15") == [("2024-Y1#养老服务科", "2024-07-10", "养老服务科投稿")]
    assert "任务15 完成日期: “” → “2024-07-10” (规则1 养老服务科)" in out


def test_a_ledger_of_all_units_does_not_guess_whose_per_unit_obligation(demo, tmp_path, monkeypatch):
    path = _export(tmp_path, monkeypatch)
    filled = fill(path, {"15": {"done": datetime(2024, 7, 10)}, "12": {"progress": "二季度检查已完成"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch, today=TODAY)
    assert code == 3  # the row is invalid (the unit is not said), not a conflict
    assert "filled.xlsx 有 1 行填写有误, 未应用" in err
    assert ("  第18行 任务15 [无效]: 该任务的规则1按单位各计一项, 仍有 3 个单位未完成 (局办公室、政策法规科、养老服务科); "
            "这份全部单位的汇总台账无法确定该完成日期属于哪个单位, 因此未应用: 请让各单位交回本单位的台账 "
            "(`tracker export --for-owner UNIT`), 或用 `tracker done 1:15 --owner UNIT` 登记完成。") in out.splitlines()
    assert _completions(demo, "15") == []  # no unit was credited
    assert db_rows(demo, "SELECT text FROM progressnote ORDER BY id DESC LIMIT 1") == [("二季度检查已完成",)]


def test_a_completion_before_its_event_is_refused_alone(demo, tmp_path, monkeypatch):
    path = _export(tmp_path, monkeypatch, "局办公室")
    filled = fill(path, {"6": {"done": datetime(2024, 6, 20), "evidence": "解读材料"},
                         "12": {"progress": "二季度检查已完成"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch, today=TODAY)
    assert code == 3
    assert "--on" not in out + err
    assert "未应用 1 行:" in out
    assert "任务6 [无效]: 完成日期 2024-06-20 早于规则1事项 event:1 的起算事件日期 (2024-06-28); 请核对完成日期。" in out
    assert "已导入 1 行: 进展 1 条, 完成 0 项。" in out
    assert _completions(demo, "6") == []
    assert db_rows(demo, "SELECT text FROM progressnote ORDER BY id DESC LIMIT 1") == [("二季度检查已完成",)]


def test_a_completion_before_the_plans_year_is_refused_alone(demo, tmp_path, monkeypatch):
    """A year typed wrong (2023 in a 2024 ledger) used to stop the whole import at the write, naming
    `--on`, an option import-progress does not have; now it is that row's refusal, shown first."""
    path = _export(tmp_path, monkeypatch, "局办公室")
    filled = fill(path, {"6": {"done": datetime(2023, 7, 10)}, "12": {"progress": "二季度检查已完成"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch, today=TODAY)
    assert code == 3
    assert "--on" not in out + err
    assert "任务6 [无效]: 完成日期 2023-07-10 早于计划年度 2024; 请核对完成日期。" in out
    assert "已导入 1 行: 进展 1 条, 完成 0 项。" in out
    assert _completions(demo, "6") == []
    assert db_rows(demo, "SELECT text FROM progressnote ORDER BY id DESC LIMIT 1") == [("二季度检查已完成",)]
