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
    assert err == ("tracker: bad.csv 第3行: “2027-02-30,holiday”不符合 日期,放假|上班[,名称] 的格式 "
                   "(如 2027-01-01,放假,元旦); 没有导入任何内容。\n")
    assert cli("--lang", "en", "calendar", "import", str(bad)) == (
        3, "", "tracker: bad.csv line 3: “2027-02-30,holiday” is not DATE,holiday|workday[,name] "
               "(e.g. 2027-01-01,holiday,元旦); nothing was imported.\n")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM calendaroverride").fetchone() == (2,)
    conn.close()


def test_set_rejects_an_impossible_date(db_path):
    assert cli("calendar", "set", "2027-02-30", "holiday") == (2, "", "tracker: 日历上没有 2027-02-30 这一天。\n")
    assert cli("--lang", "en", "calendar", "set", "2027-02-30", "holiday") == (
        2, "", "tracker: 2027-02-30 does not exist on the calendar.\n")


def audit_rows(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT count(*) FROM auditentry").fetchone()[0])
    finally:
        conn.close()


def test_setting_an_override_already_set_changes_nothing_and_says_so(db_path):
    cli("import", str(JINING))
    assert cli("calendar", "set", "2024-10-08", "holiday", "--name", "调整")[0] == 0
    before = audit_rows(db_path)
    assert cli("calendar", "set", "2024-10-08", "holiday", "--name", "调整") == (
        0, "未变化: 2024-10-08 已是放假 调整\n", "")
    assert cli("--lang", "en", "calendar", "set", "2024-10-08", "放假", "--name", "调整") == (
        0, "unchanged: 2024-10-08 is already a holiday 调整\n", "")
    assert audit_rows(db_path) == before
    assert cli("undo")[1].startswith("已撤销: 日历调整 (日历: 2024-10-08 放假 调整")


@pytest.mark.parametrize(("word", "stored", "said"), [
    ("放假", "holiday", "放假"), ("休息", "holiday", "放假"), ("上班", "workday", "上班"), ("调休", "workday", "上班"),
    ("WORKDAY", "workday", "上班")])
def test_set_takes_the_chinese_words_for_a_kind(db_path, word, stored, said):
    assert cli("calendar", "set", "2027-10-09", word) == (0, f"已设置: 2027-10-09 {said}\n", "")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT kind FROM calendaroverride").fetchall() == [(stored,)]
    conn.close()


def test_set_an_unknown_kind_is_one_sentence(db_path):
    assert cli("calendar", "set", "2027-10-09", "周末") == (
        2, "", "tracker: “周末”不是有效的类型; 请用 holiday (放假, 休息) 或 workday (上班, 调休)。\n")
    assert cli("--lang", "en", "calendar", "set", "2027-10-09", "周末") == (
        2, "", "tracker: “周末” is not a kind of day; use holiday (放假, 休息) or workday (上班, 调休).\n")


def test_importing_the_same_arrangement_again_is_unchanged_and_writes_no_audit_row(db_path, tmp_path):
    arrangement = tmp_path / "2027.csv"
    arrangement.write_text("2027-01-01,放假,元旦\n2027-02-06,调休,春节\n", encoding="utf-8")
    assert cli("calendar", "import", str(arrangement)) == (0, "已导入 2 条日历设置 (来自 2027.csv)\n", "")
    before = audit_rows(db_path)
    assert cli("calendar", "import", str(arrangement)) == (0, "未变化: 2027.csv 的 2 条日历设置均已存在\n", "")
    assert audit_rows(db_path) == before
    arrangement.write_text("2027-01-01,放假,元旦\n2027-02-07,上班,春节\n", encoding="utf-8")
    assert cli("calendar", "import", str(arrangement)) == (
        0, "已导入 1 条日历设置 (来自 2027.csv); 另有1条已是如此, 未变化\n", "")


@pytest.mark.parametrize("text", ["", "\n\n", "# 2027年安排 (待国务院公布)\n"])
def test_an_import_file_without_lines_changes_nothing_and_says_so(db_path, tmp_path, text):
    empty = tmp_path / "empty.csv"
    empty.write_text(text, encoding="utf-8")
    assert cli("calendar", "import", str(empty)) == (
        0, "empty.csv 中没有日历设置行 (格式: 2027-01-01,放假,元旦); 未做任何修改\n", "")
    assert not db_path.exists() or audit_rows(db_path) == 0


def test_an_import_file_saved_as_gb18030_is_read(db_path, tmp_path):
    excel = tmp_path / "2027安排.csv"
    excel.write_bytes("2027-01-01,放假,元旦\r\n2027-02-06,上班,春节调休\r\n".encode("gb18030"))  # Excel/WPS on Windows
    assert cli("calendar", "import", str(excel)) == (0, "已导入 2 条日历设置 (来自 2027安排.csv)\n", "")
    _, out, _ = cli("calendar", "show", "2027")
    assert "  2027-01-01 周五 元旦 [自定义]" in out
    assert "  2027-02-06 周六 春节调休 [自定义]" in out


def test_one_undo_of_a_calendar_import_names_every_line_it_reverses(db_path, tmp_path):
    """QA: an undo of a two-line import reversed both but named one (已撤销: 日历调整 (日历: 2027-02-07 …)),
    and `tracker log` showed the import as that one line."""
    arrangement = tmp_path / "2027.csv"
    arrangement.write_text("2027-02-07,上班,春节\n2027-02-20,workday,春节\n", encoding="utf-8")
    assert cli("calendar", "import", str(arrangement))[0] == 0
    said = "日历: 2个日历调整 (来自 2027.csv) — 2027-02-07 上班 春节, 2027-02-20 上班 春节"
    assert cli("log", "--limit", "1")[1].endswith(f"  日历调整  {said}\n")
    code, out, _ = cli("undo")
    assert (code, out.startswith(f"已撤销: 日历调整 ({said}; ")) == (0, True)
    assert cli("log", "--limit", "2")[1].splitlines()[1].endswith(f"  日历调整  {said}  [已撤销]")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM calendaroverride").fetchone() == (0,)
    finally:
        conn.close()
