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


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbered(paragraph, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml

    numpr = parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    paragraph._p.get_or_add_pPr().append(numpr)


def test_word_automatic_numbers_are_written_out(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        '</w:abstractNum>'
    ))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    outline = [(0, "提高公开质量"), (1, "重点领域"), (2, "加强政策解读"), (2, "做好回应关切"),
               (1, "平台建设"), (2, "优化政府网站"), (0, "加强组织保障"), (2, "落实责任")]
    for ilvl, text in outline:
        _numbered(document.add_paragraph(text), 90, ilvl)
    document.add_paragraph("一项", style="List Number")
    document.add_paragraph("二项", style="List Number")
    document.add_paragraph("没有编号的段落")
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    assert read_document(path).text.split("\n") == [
        "一、提高公开质量",
        "（一）重点领域",
        "1.加强政策解读",
        "2.做好回应关切",
        "（二）平台建设",
        "1.优化政府网站",
        "二、加强组织保障",
        "1.落实责任",
        "1.一项",
        "2.二项",
        "没有编号的段落",
    ]


def test_damaged_list_numbering_falls_back_and_the_text_is_read(tmp_path: Path) -> None:
    """numbering.xml with levels that are not numbers, a 5,000-digit start and a huge letter count
    (a damaged or hostile file): the paragraphs still read, numbered as best Word's data allows."""
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="91">'
        f'<w:lvl w:ilvl="x"><w:start w:val="{"9" * 5000}"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="999999"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
        '</w:abstractNum>'
    ))
    numbering.append(parse_xml(
        f'<w:num {W_NS} w:numId="91"><w:abstractNumId w:val="91"/>'
        '<w:lvlOverride w:ilvl="²"><w:startOverride w:val="-3"/></w:lvlOverride></w:num>'
    ))
    paragraph = document.add_paragraph("加强政策解读")
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="zero"/><w:numId w:val="91"/></w:numPr>'))
    _numbered(document.add_paragraph("做好回应关切"), 91, 1)
    path = tmp_path / "damaged.docx"
    document.save(str(path))
    assert read_document(path).text.split("\n") == ["1.加强政策解读", "999999）做好回应关切"]
