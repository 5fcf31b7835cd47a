"""`tracker event` on a rule in calendar days whose last day rests: the line says the date was moved,
as a fact, not as the reason for a provisional date (it once labelled every note part 暂定)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tracker.cli import main

JINING = Path(__file__).resolve().parents[1] / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def fifteen_days(db_path, monkeypatch):
    """The Jining plan with task 9 given a rule "申请受理后15日" (calendar days)."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-10-01")
    assert cli("import", str(JINING))[0] == 0
    assert cli("rule", "9", "--add", "--kind", "after_event", "--days", "15", "--event", "申请受理")[0] == 0
    return db_path


def test_a_period_ending_in_national_day_is_due_on_the_next_working_day(fifteen_days):
    assert cli("event", "9", "--on", "2024-09-20", "--ref", "测试1号") == (
        0, "已记录事件: 任务9 2024-09-20 测试1号 — 规则2 应于2024-10-08 "
           "(15日期满的 2024-10-05 为休息日, 顺延至其后第一个工作日)\n", "")
    assert cli("--lang", "en", "event", "9", "--on", "2024-09-21") == (
        0, "event logged: task 9 2024-09-21 — rule 2 due 2024-10-08 "
           "(15 days end on 2024-10-06, a rest day: moved to the next working day)\n", "")
    code, out, _ = cli("show", "9", "--as-of", "2024-10-08")
    assert code == 0
    assert "event:1  应于2024-10-08  ▲ 临期  今日到期  测试1号; 15日期满的 2024-10-05 为休息日, 顺延至其后第一个工作日" in out
    code, out, _ = cli("tasks", "--status", "overdue", "--as-of", "2024-10-08")
    assert "\n9 " not in out  # due 10-08, not overdue since 10-06


def test_a_moved_date_in_a_year_without_holiday_data_says_both(fifteen_days, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2026-12-25")
    code, out, _ = cli("event", "9", "--on", "2026-12-18")
    assert code == 0
    assert out == ("已记录事件: 任务9 2026-12-18 — 规则2 应于2027-01-04 (15日期满的 2027-01-02 为休息日, "
                   "顺延至其后第一个工作日; 暂定: 日历包没有2027年的节假日安排 (国务院办公厅每年11月公布): "
                   "仅按周末计算; 请用 `tracker calendar set` 补充)\n")
