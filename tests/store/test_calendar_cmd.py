"""`tracker calendar show|set|import` through tracker.cli.main, with overrides stored and obligations recomputed."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from tracker.cli import main

JINING = Path(__file__).resolve().parents[1] / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-23")


def test_show_a_year_with_data_needs_no_database(db_path):
    code, out, _ = cli("calendar", "show", "2024")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["2024年 工作日历", "来源: 国务院办公厅关于2024年部分节假日安排的通知"]
    assert "  2024-10-07 周一 国庆节" in lines
    assert "  2024-09-29 周日 国庆节" in lines[lines.index("调休上班日:"):]
    assert not db_path.exists()


def test_show_a_year_without_data_says_so(db_path):
    code, out, _ = cli("--lang", "en", "calendar", "show", "2031")
    assert code == 0
    assert "the calendar package has no holiday data for 2031" in out
    assert "provisional" in out


def test_set_marks_overrides_and_recomputes_deadlines(db_path):
    cli("import", str(JINING))
    cli("event", "6", "--on", "2024-09-27")
    assert cli("calendar", "set", "2024-10-08", "holiday", "--name", "调整") == (0, "已设置: 2024-10-08 放假 调整\n", "")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT due FROM obligation WHERE key LIKE 'event:%'").fetchall() == [("2024-10-09",)]
    conn.close()
    _, out, _ = cli("calendar", "show", "2024", "--json")
    shown = json.loads(out)
    assert {"date": "2024-10-08", "weekday": 2, "name": "调整", "override": True} in shown["holidays"]
    assert shown["has_data"] is True


def test_import_file_all_or_nothing(db_path, tmp_path):
    good = tmp_path / "2027.csv"
    good.write_text("# 2027 arrangement\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n\n", encoding="utf-8")
    assert cli("calendar", "import", str(good)) == (0, "已导入 2 条日历设置 (来自 2027.csv)\n", "")
    code, out, _ = cli("calendar", "show", "2027")
    assert "  2027-01-01 周五 元旦 [自定义]" in out
    assert "  2027-02-06 周六 春节 [自定义]" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("2027-05-01,holiday,劳动节\n2027-05-02,holiday\n2027-02-30,holiday\n", encoding="utf-8")
    code, out, err = cli("calendar", "import", str(bad))
    assert (code, out) == (3, "")
    assert err == ("tracker: bad.csv line 3: “2027-02-30,holiday” is not DATE,holiday|workday[,name] "
                   "(e.g. 2027-01-01,holiday,元旦); nothing was imported.\n")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM calendaroverride").fetchone() == (2,)
    conn.close()


def test_set_rejects_an_impossible_date(db_path):
    assert cli("calendar", "set", "2027-02-30", "holiday") == (
        2, "", "tracker: 2027-02-30 does not exist on the calendar.\n")
