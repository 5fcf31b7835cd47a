"""A task-division workbook (header on row 3, merged owner column) reads back row by row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tracker.ingest import TABLE_COLUMNS, read_document

DATA = [
    ("1", "提高公开质量", "加强重点任务落实信息公开", "每季度至少公开1次", "局办公室", datetime(2024, 12, 31)),
    ("2", None, "推进政策解读", "文件发布后3个工作日内", None, None),
    ("3", "深化政策解读", "回应社会关切", "及时回应", None, None),
    ("4", None, "公开年度报告", "次年1月31日前", "政策法规科", "持续"),
]


@pytest.fixture
def plan_xlsx(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "2024年某某市民政局政务公开工作要点任务分工表"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["序号", "板块", "工作任务", "具体要求", "责任单位", "完成时限"])
    for row in DATA:
        sheet.append([float(row[0]), *row[1:]])  # 序号 typed as a number, as Excel does
    sheet.append([])
    sheet.merge_cells("B4:B5")  # 板块 spans tasks 1-2
    sheet.merge_cells("B6:B7")  # and 3-4
    sheet.merge_cells("E4:E6")  # 局办公室 owns tasks 1-3
    path = tmp_path / "division.xlsx"
    workbook.save(path)
    return path


def test_xlsx_rows_have_every_owner_filled(plan_xlsx: Path) -> None:
    result = read_document(plan_xlsx)
    assert (result.format, result.encoding) == ("xlsx", None)
    assert result.rows is not None
    assert result.rows[0] == TABLE_COLUMNS
    rows = [dict(zip(TABLE_COLUMNS, row, strict=True)) for row in result.rows[1:]]
    assert [r["序号"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["责任单位"] for r in rows] == ["局办公室", "局办公室", "局办公室", "政策法规科"]
    assert [r["板块"] for r in rows] == ["提高公开质量", "提高公开质量", "深化政策解读", "深化政策解读"]
    assert rows[0]["完成时限"] == "2024-12-31"
    assert rows[1]["具体要求"] == "文件发布后3个工作日内"
    assert all(len(row) == len(TABLE_COLUMNS) for row in result.rows)


def test_xlsx_text_has_title_then_header_then_rows(plan_xlsx: Path) -> None:
    lines = read_document(plan_xlsx).text.split("\n")
    assert lines[0] == "2024年某某市民政局政务公开工作要点任务分工表"
    assert lines[1] == "序号 | 板块 | 工作任务 | 具体要求 | 责任单位 | 完成时限"
    assert lines[2] == "1 | 提高公开质量 | 加强重点任务落实信息公开 | 每季度至少公开1次 | 局办公室 | 2024-12-31"
    assert lines[3] == "2 | 提高公开质量 | 推进政策解读 | 文件发布后3个工作日内 | 局办公室"
    assert len(lines) == 6


def test_xlsx_two_row_header_and_traditional_names(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["序號", "工作任務", "責任單位", None, "完成時限"])
    sheet.append([None, None, "牽頭單位", "配合單位", None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("E1:E2")
    sheet.append([1, "公開財政預決算", "財務科", "各科室", "6月底前"])
    path = tmp_path / "two_rows.xlsx"
    workbook.save(path)
    result = read_document(path)
    assert result.rows is not None
    row = dict(zip(TABLE_COLUMNS, result.rows[1], strict=True))
    assert (row["工作任务"], row["牵头单位"], row["配合单位"], row["完成时限"]) == (
        "公开财政预决算", "财务科", "各科室", "6月底前")
    assert len(result.rows) == 2


def test_xlsx_without_task_header_is_text_with_a_warning(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["2024年工作要点"])
    sheet.append(["一、提高公开质量"])
    path = tmp_path / "plain.xlsx"
    workbook.save(path)
    result = read_document(path)
    assert result.text == "2024年工作要点\n一、提高公开质量"
    assert result.rows is None
    assert len(result.warnings) == 1
    assert "No task-division header" in result.warnings[0]


def test_xlsx_cell_text_stays_literal(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["序号", "工作任务", "责任单位"])
    sheet.append([1, "-做好 [b]公开[/b] @局", "+局办公室"])
    path = tmp_path / "literal.xlsx"
    workbook.save(path)
    rows = read_document(path).rows
    assert rows is not None
    assert rows[1][TABLE_COLUMNS.index("工作任务")] == "-做好 [b]公开[/b] @局"
    assert rows[1][TABLE_COLUMNS.index("责任单位")] == "+局办公室"


def test_parser_reads_the_xlsx_rendering_with_owners(plan_xlsx: Path) -> None:
    from tracker.parse import parse

    draft = parse(read_document(plan_xlsx).text)
    assert [(t.number, t.title, t.owners.lead) for t in draft.tasks] == [
        ("1", "加强重点任务落实信息公开", ("局办公室",)),
        ("2", "推进政策解读", ("局办公室",)),
        ("3", "回应社会关切", ("局办公室",)),
        ("4", "公开年度报告", ("政策法规科",)),
    ]
