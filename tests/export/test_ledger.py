"""The ledger workbook, read back with openpyxl: values, looks, print settings, safety."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from jining_db import jining_db
from ledger_fixtures import AS_OF, TITLE, sample_tasks
from openpyxl import load_workbook

from tracker.errors import OutputError
from tracker.export import SHEETS, LedgerData, default_path, export_ledger, write_ledger
from tracker.export.cells import parse_row_id
from tracker.export.style import display_width

LEDGER_HEAD = ["序号", "板块", "工作任务", "具体内容", "规则/时限", "牵头单位", "配合单位", "应完成",
               "已完成", "下次到期", "状态", "进展情况", "完成日期", "完成佐证", "备注", "ID"]


@pytest.fixture
def book(tmp_path: Path, ledger_data: LedgerData):
    result = write_ledger(ledger_data, tmp_path / "exports" / "1-2024-07-工作台账.xlsx")
    assert result.path == result.requested
    assert result.reason is None
    return load_workbook(result.path)


def rows_of(ws, first: int = 4) -> list[tuple]:
    return list(ws.iter_rows(min_row=first, values_only=True))


def test_sheets_in_order_and_hidden_marker(book):
    assert book.sheetnames == [*SHEETS, "_tracker"]
    assert book["_tracker"].sheet_state == "veryHidden"
    assert book["_tracker"]["A1"].value == "tracker-ledger"
    assert all(book[name].sheet_state == "visible" for name in SHEETS)
    assert book.security.lockStructure


def test_ledger_header_and_rows(book):
    ws = book["工作台账"]
    assert ws["A1"].value == f"{TITLE} 工作台账"
    assert ws["A2"].value == "截至2024年7月1日"
    assert "A1:O1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[3]] == LEDGER_HEAD
    rows = {r[0]: r for r in rows_of(ws)}
    assert list(rows) == ["1", "6", "8", "12", "13"]
    row8 = rows["8"]
    assert row8[2] == "深化重大决策公众参与"
    assert row8[4] == "①每年至少2次,已完成0次,6月30日到期未完成\n②12月31日前"
    assert row8[5:7] == ("局办公室", "政策法规科")
    assert row8[7:9] == (1, 0)
    assert row8[9] == datetime(2024, 6, 30)
    assert row8[10] == "逾期"
    assert row8[11] == "7月1日:+已征求意见 -待评价"
    assert rows["12"][4] == "每季度,已完成1次,6月30日到期未完成"
    assert rows["12"][13] == "3月28日:检查报告Q1"
    assert rows["6"][4] == "发文后3个工作日,已完成0次,下次7月3日前"
    assert rows["1"][4] == "持续,不适用(本年度无此类事项)"


def test_dates_are_real_dates_with_iso_format(book):
    ws = book["工作台账"]
    cell = next(r[9] for r in ws.iter_rows(min_row=4) if r[0].value == "8")
    assert cell.is_date
    assert cell.number_format == "yyyy-mm-dd"


def test_formula_like_text_stays_literal(book):
    ws = book["工作台账"]
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "1")
    assert row[2].value == '=HYPERLINK("http://evil","加强重点任务落实信息公开")'
    assert row[2].data_type == "s"
    done = book["本月完成"]
    evidence = done.cell(row=4, column=9)
    assert evidence.value == '=HYPERLINK("http://x.gov.cn","会议纪要")'
    assert evidence.data_type == "s"
    note = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "8")[11]
    assert note.value.startswith("7月1日:+")
    assert note.data_type == "s"
    for sheet in book.worksheets:
        for r in sheet.iter_rows():
            assert all(c.data_type != "f" for c in r)


def test_status_fills(book):
    ws = book["工作台账"]
    fills = {r[0].value: r[10].fill.fgColor.rgb for r in ws.iter_rows(min_row=4)}
    assert fills["8"].endswith("FFC7CE")   # 逾期 red
    assert fills["6"].endswith("FFEB9C")   # 临期 yellow
    assert fills["13"].endswith("C6EFCE")  # 已完成 green
    assert fills["1"].endswith("D9D9D9")   # 不适用 grey
    header = ws["A3"]
    assert header.font.b
    assert header.font.name == "宋体"
    assert header.border.left.style == "thin"
    assert ws["D4"].alignment.wrap_text


def test_freeze_filter_and_print_setup(book):
    for name in ("工作台账", "逾期事项", "临期事项", "本月完成", "督办通报"):
        ws = book[name]
        assert ws.freeze_panes == "A4", name
        assert ws.auto_filter.ref.startswith("A3:"), name
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$3"
        assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"
    assert book["工作台账"].auto_filter.ref == "A3:P8"


def test_hidden_protected_id_column(book):
    ws = book["工作台账"]
    assert ws.column_dimensions["P"].hidden
    assert ws.protection.sheet
    ids = {r[0]: parse_row_id(r[15]) for r in rows_of(ws)}
    assert ids["8"].task_id == 8
    assert ids["8"].version == 3
    assert ids["8"].as_of == AS_OF
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "8")
    assert row[15].protection.locked
    assert not row[11].protection.locked
    assert not row[12].protection.locked
    assert not row[13].protection.locked
    assert row[2].protection.locked


def test_overdue_due_soon_and_done_sheets(book):
    overdue = rows_of(book["逾期事项"])
    assert [(r[1], r[5], r[6]) for r in overdue] == [("8", datetime(2024, 6, 30), 1),
                                                    ("12", datetime(2024, 6, 30), 1)]
    assert book["逾期事项"]["G4"].fill.fgColor.rgb.endswith("FFC7CE")
    soon = rows_of(book["临期事项"])
    assert [(r[1], r[6], r[7]) for r in soon] == [("6", 2, "临期")]
    done = rows_of(book["本月完成"])
    assert [(r[1], r[6], r[7]) for r in done] == [("13", datetime(2024, 7, 1), "已完成")]


def test_supervision_ranks_worst_first(book):
    rows = rows_of(book["督办通报"])
    assert rows[0][:8] == (1, "局办公室", 4, 0, 2, 0, 2, 0.5)
    assert [r[1] for r in rows] == ["局办公室", "政策法规科", "未指定"]


def test_summary_counts_rates_and_chart(book):
    ws = book["汇总"]
    values = list(ws.iter_rows(values_only=True))
    status_rows = {r[0]: r[1] for r in values if r[0] in ("逾期", "临期", "已完成", "不适用", "合计")}
    assert status_rows == {"逾期": 2, "临期": 1, "已完成": 1, "不适用": 1, "合计": 5}
    sections = {r[0]: r[1:7] for r in values if r[0] and str(r[0]).startswith("四、强化")}
    assert sections["四、强化平台建设和规范管理"] == (1, 2, 1, 0.5, 1, 0)
    changes = {r[0]: r[1] for r in values if r[0] and str(r[0]).startswith(("本月", "30天"))}
    assert changes == {"本月完成事项": 1, "本月新增逾期事项": 2, "本月报送进展(条)": 1, "30天内到期事项": 1}
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.type == "col"
    assert [sr.val.numRef.f for sr in chart.series] == ["'汇总'!$D$17:$D$21", "'汇总'!$G$17:$G$21",
                                                         "'汇总'!$F$17:$F$21"]  # 已完成, 临期, 逾期
    assert values[15][:7] == ("板块", "任务数", "应完成", "已完成", "完成率", "逾期", "临期")


def test_empty_ledger_is_not_an_error(tmp_path: Path):
    data = LedgerData(title=TITLE, as_of=AS_OF, tasks=[])
    result = write_ledger(data, tmp_path / "empty.xlsx")
    wb = load_workbook(result.path)
    assert wb["逾期事项"]["A4"].value == "无逾期事项"
    assert wb["工作台账"]["A4"].value == "无任务"


def test_cjk_widths_count_two():
    assert display_width("abc") == 3
    assert display_width("工作台账") == 8
    assert display_width("ＡＢ") == 4
    assert display_width("短\n长一点的行") == 10


def test_ledger_widths_fit_chinese(book):
    ws = book["工作台账"]
    assert ws.column_dimensions["C"].width == 30  # 工作任务 titles are wider than 14 chars → capped
    assert ws.column_dimensions["A"].width >= 6


def test_default_path():
    assert default_path(plan="1", as_of=date(2024, 10, 31)) == Path("exports/1-2024-10-工作台账.xlsx")
    assert default_path(plan="1", as_of=date(2024, 10, 31), owner="局/办 公室") == \
        Path("exports/1-2024-10-局_办_公室-工作台账.xlsx")


def test_excel_lock_file_gives_fallback_name(tmp_path: Path, ledger_data: LedgerData):
    target = tmp_path / "1-2024-07-工作台账.xlsx"
    target.write_bytes(b"the one open in Excel")
    (tmp_path / ("~$" + target.name)).write_bytes(b"lock")
    result = write_ledger(ledger_data, target)
    assert result.path == tmp_path / "1-2024-07-工作台账-1.xlsx"
    assert "open in another program" in (result.reason or "")
    assert target.read_bytes() == b"the one open in Excel"
    assert load_workbook(result.path)["工作台账"]["A4"].value == "1"


def test_permission_error_on_rename_gives_fallback(tmp_path: Path, ledger_data: LedgerData,
                                                   monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "a.xlsx"
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == target:
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = write_ledger(ledger_data, target)
    assert result.path == tmp_path / "a-1.xlsx"
    assert "locked" in (result.reason or "")
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a-1.xlsx"]  # no temp file left behind


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_directory_is_a_sentence(tmp_path: Path, ledger_data: LedgerData):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write in"):
            write_ledger(ledger_data, locked / "x.xlsx")
    finally:
        locked.chmod(0o700)


def test_not_xlsx_refused(tmp_path: Path, ledger_data: LedgerData):
    with pytest.raises(OutputError, match=r"\.xlsx"):
        write_ledger(ledger_data, tmp_path / "x.csv")


def test_many_tasks_multi_plan_labels(tmp_path: Path):
    tasks = sample_tasks()
    other = [t._replace(plan_id=2, plan_title="2024年另一计划", task_id=t.task_id + 100) for t in tasks]
    data = LedgerData(title="全部计划", as_of=AS_OF, tasks=tasks + other)
    wb = load_workbook(write_ledger(data, tmp_path / "all.xlsx").path)
    labels = [r[0] for r in rows_of(wb["工作台账"])]
    assert labels[:2] == ["1:1", "1:6"]
    assert "2:8" in labels
    summary = [r[0] for r in wb["汇总"].iter_rows(values_only=True)]
    assert "二、各计划完成情况" in summary
    assert "2024年另一计划" in summary


def test_export_ledger_into_a_directory_writes_the_default_name_there(tmp_path: Path):
    db = jining_db(tmp_path / "j.db")
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    result = export_ledger(str(db), as_of=date(2024, 7, 31), plan=None, out=folder)
    assert result.path == result.requested == folder / "1-2024-07-工作台账.xlsx"
    assert result.path.is_file()


@pytest.mark.parametrize("name", ["out.xlsx", "out"])
def test_write_ledger_to_a_directory_is_a_sentence_for_the_tui(tmp_path: Path, ledger_data: LedgerData, name: str):
    """The TUI's export dialog calls write_ledger: it showed "internal error (IsADirectoryError)"; a
    directory is called one whatever its name ends in."""
    folder = tmp_path / name
    folder.mkdir()
    with pytest.raises(OutputError, match="is a directory; give a file name inside it"):
        write_ledger(ledger_data, folder)
    assert list(folder.iterdir()) == []
