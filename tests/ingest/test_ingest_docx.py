"""A .docx built here with python-docx reads back in document order, tables as rows."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tracker.ingest import TABLE_COLUMNS, read_document


@pytest.fixture
def plan_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_heading("2024年某某市民政局政务公開工作要點", level=1)
    document.add_paragraph("一、提高公开质量")
    document.add_paragraph("1．加强重点任务落实信息公开。(牵头单位:局办公室)")
    document.add_paragraph("")
    table = document.add_table(rows=4, cols=4)
    for col, head in enumerate(["序号", "工作任务", "责任科室", "完成时限"]):
        table.cell(0, col).text = head
    rows = [("1", "推进政策解读", "局办公室", "文件发布后3个工作日内"),
            ("2", "做好回应关切", "", "持续"),
            ("3", "公开年度报告", "政策法规科", "次年1月31日前")]
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # 局办公室 spans rows 1-2 (vertical merge)
    document.add_paragraph("二、深化政策公开与解读回应")
    document.add_paragraph("5.推进政策集中统一公开。")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


def test_docx_reads_paragraphs_and_table_in_document_order(plan_docx: Path) -> None:
    result = read_document(plan_docx)
    assert (result.format, result.encoding) == ("docx", None)
    assert result.text.split("\n") == [
        "2024年某某市民政局政务公开工作要点",
        "一、提高公开质量",
        "1.加强重点任务落实信息公开。（牵头单位:局办公室）",
        "",
        "序号 | 工作任务 | 责任科室 | 完成时限",
        "1 | 推进政策解读 | 局办公室 | 文件发布后3个工作日内",
        "2 | 做好回应关切 | 局办公室 | 持续",
        "3 | 公开年度报告 | 政策法规科 | 次年1月31日前",
        "二、深化政策公开与解读回应",
        "5.推进政策集中统一公开。",
    ]
    assert result.warnings == ()


def test_docx_task_table_becomes_canonical_rows(plan_docx: Path) -> None:
    rows = read_document(plan_docx).rows
    assert rows is not None
    assert rows[0] == TABLE_COLUMNS
    by_column = [dict(zip(TABLE_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["序号"] for r in by_column] == ["1", "2", "3"]
    assert [r["责任单位"] for r in by_column] == ["局办公室", "局办公室", "政策法规科"]
    assert by_column[0]["完成时限"] == "文件发布后3个工作日内"
    assert by_column[1]["工作任务"] == "做好回应关切"


def test_docx_horizontal_merge_gives_the_cell_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "跨两列的说明"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 2).text = "备注"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    result = read_document(path)
    assert result.text == "跨两列的说明 | 备注"
    assert result.rows is None


def test_docx_without_tables_has_no_rows(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("2024年政务公开工作要点")
    path = tmp_path / "plain.docx"
    document.save(str(path))
    result = read_document(path)
    assert (result.text, result.rows) == ("2024年政务公开工作要点", None)
