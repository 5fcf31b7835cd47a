"""Task-division tables (pipe lines, as tracker.ingest renders .xlsx/.docx tables) → one task a row."""

from __future__ import annotations

import pytest

from tracker.model import RequirementKind
from tracker.parse import parse

TABLE = """2024年某市政务公开工作任务分工表
序号 | 工作任务 | 具体要求 | 责任单位 | 配合单位 | 完成时限
1 | 推进政策解读 | 文件发布后3个工作日内发布解读材料 | 办公室牵头,各科室配合 | | 长期坚持
2 | 加强网站检查 | 每季度开展一次内容检查 | 信息中心 | 办公室 | 2024年6月底前
3 | 公开预决算 | 按规定公开部门预决算 | 财务科、审计科等 | | 2024年12月底前
"""


def test_each_row_is_a_task_with_its_number_title_and_owners():
    draft = parse(TABLE)
    assert [(t.number, t.title) for t in draft.tasks] == [
        ("1", "推进政策解读"), ("2", "加强网站检查"), ("3", "公开预决算")]
    assert draft.tasks[0].owners.lead == ("办公室",)
    assert draft.tasks[0].owners.support == ("各科室",)
    assert draft.tasks[1].owners.lead == ("信息中心",)
    assert draft.tasks[1].owners.support == ("办公室",)
    assert draft.tasks[2].owners.lead == ("财务科", "审计科")


def test_rules_come_from_the_text_and_the_deadline_cell():
    tasks = parse(TABLE).tasks
    first = {rule.kind for rule in tasks[0].requirements}
    assert RequirementKind.AFTER_EVENT in first
    deadlines = [r for r in tasks[1].requirements if r.kind is RequirementKind.DEADLINE]
    assert [(r.month, r.day) for r in deadlines] == [(6, 30)]
    assert any(r.kind is RequirementKind.RECURRING and r.period == "quarter"
               for r in tasks[1].requirements)


def test_section_rows_and_empty_section_cells_carry_down_but_owners_do_not():
    text = """序号 | 工作任务 | 责任单位
一、提高公开质量 | |
1 | 做好甲工作 | 局办公室
2 | 做好乙工作 |
二、强化平台建设 | |
3 | 做好丙工作 | 信息中心
"""
    draft = parse(text)
    assert [(s.number, s.title) for s in draft.sections] == [("一", "提高公开质量"),
                                                             ("二", "强化平台建设")]
    assert [t.path for t in draft.tasks] == [("一", "1"), ("一", "2"), ("二", "3")]
    assert [t.owners.lead for t in draft.tasks] == [("局办公室",), (), ("信息中心",)]


def test_unnumbered_rows_are_numbered_by_position():
    text = "板块 | 工作任务 | 牵头单位\n公开质量 | 做好甲工作 | 局办公室\n公开质量 | 做好乙工作 | 局办公室\n"
    draft = parse(text)
    assert [t.number for t in draft.tasks] == ["1", "2"]
    assert [(s.number, s.title) for s in draft.sections] == [("一", "公开质量")]


def test_header_table_of_a_web_page_is_not_a_task_table():
    text = ("索 引 号 | 1137/2024-02054 | 公开方式 | 主动公开 |\n发布机构 | 某市民政局 |\n"
            "2024年某市民政局政务公开工作要点\n一、重点任务\n1.做好甲工作。")
    assert [t.title for t in parse(text).tasks] == ["做好甲工作"]


def test_xlsx_task_list_with_merged_cells_end_to_end(tmp_path):
    import openpyxl

    from tracker.ingest import read_document

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年政务公开重点任务分工表"])
    sheet.append([])
    sheet.append(["序号", "板块", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"])
    sheet.append([1, "一、提高公开质量", "推进政策解读", "文件发布后3个工作日内关联发布解读材料", "局办公室", "各科室",
                  "长期坚持"])
    sheet.append([2, None, "网站检查", "每季度对网站内容检查一次", None, "信息中心", "2024年12月底前"])
    sheet.append([3, "二、平台建设", "开放日", "每年至少开展2次政府开放日活动", "机关党委", "", "2024年11月底前"])
    sheet.merge_cells("B4:B5")
    sheet.merge_cells("E4:E5")
    book.save(tmp_path / "plan.xlsx")

    draft = parse(read_document(tmp_path / "plan.xlsx").text)
    assert draft.title == "2024年政务公开重点任务分工表"
    assert [(s.number, s.title) for s in draft.sections] == [("一", "提高公开质量"), ("二", "平台建设")]
    assert [(t.path, t.title, t.owners.lead, t.owners.support) for t in draft.tasks] == [
        (("一", "1"), "推进政策解读", ("局办公室",), ("各科室",)),
        (("一", "2"), "网站检查", ("局办公室",), ("信息中心",)),
        (("二", "3"), "开放日", ("机关党委",), ()),
    ]
    assert [(r.kind, r.month, r.day) for r in draft.tasks[2].requirements
            if r.kind is RequirementKind.DEADLINE] == [(RequirementKind.DEADLINE, 11, 30)]


def test_docx_with_a_division_table_end_to_end(tmp_path):
    import docx

    from tracker.ingest import read_document

    document = docx.Document()
    document.add_paragraph("2024年某局政务公开工作任务分工")
    table = document.add_table(rows=3, cols=4)
    for row, values in zip(table.rows, [("序号", "工作任务", "责任单位", "完成时限"),
                                        ("1", "更新公开目录", "办公室牵头,各科室配合", "2024年6月底前"),
                                        ("2", "组织政务公开培训", "办公室", "年内不少于1次")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(tmp_path / "plan.docx"))

    draft = parse(read_document(tmp_path / "plan.docx").text)
    assert [(t.number, t.title, t.owners.lead, t.owners.support) for t in draft.tasks] == [
        ("1", "更新公开目录", ("办公室",), ("各科室",)), ("2", "组织政务公开培训", ("办公室",), ())]
    assert [(r.kind, r.count, r.period) for r in draft.tasks[1].requirements] == [
        (RequirementKind.RECURRING, 1, "year")]


def test_web_copy_with_a_merged_first_column():
    # A web page's table: the 工作任务 column is merged over several rows, so those rows arrive
    # one cell short; the task numbers are printed in the 具体要求 cells.
    text = """2024年某中心政务公开工作任务分工
工作任务 | 具体要求 | 责任部门 |
一、做好预决算公开。 | 1.按时公开本中心预算、决算。 | 财务科 |
二、做好网站专栏信息公开。 | 2.及时更新专栏概况信息。 | 办公室 |
3.每季度更新一次微信公众号信息。 | 办公室牵头,各科室配合 | |
三、加强政策解读。 | 4.文件发布后3个工作日内发布解读材料(需添加咨询方式)。 | 各科室 |
"""
    draft = parse(text)
    assert [(s.number, s.title) for s in draft.sections] == [
        ("一", "做好预决算公开"), ("二", "做好网站专栏信息公开"), ("三", "加强政策解读")]
    assert [(t.path, t.title) for t in draft.tasks] == [
        (("一", "1"), "按时公开本中心预算、决算"),
        (("二", "2"), "及时更新专栏概况信息"),
        (("二", "3"), "每季度更新一次微信公众号信息"),
        (("三", "4"), "文件发布后3个工作日内发布解读材料(需添加咨询方式)"),
    ]
    assert [(t.owners.lead, t.owners.support) for t in draft.tasks] == [
        (("财务科",), ()), (("办公室",), ()), (("办公室",), ("各科室",)), (("各科室",), ())]
    assert draft.warnings == ()


def test_a_number_printed_before_a_date_in_a_text_cell():
    # "6.12月底前…": item 6 whose text starts with a date, not the decimal 6.12
    text = """2024年某中心政务公开工作任务分工
工作任务 | 具体要求 | 责任部门 |
一、做好目录编制。 | 5.做好目录梳理。 | 办公室 |
二、做好年度报告。 | 6.12月底前完成目录编制。 | 法规股 |
三、做好网站建设。 | 7.2024年9月30日前完成网站适老化改造。 | 信息中心 |
"""
    draft = parse(text)
    assert [(t.path, t.title) for t in draft.tasks] == [
        (("一", "5"), "做好目录梳理"),
        (("二", "6"), "12月底前完成目录编制"),
        (("三", "7"), "2024年9月30日前完成网站适老化改造"),
    ]
    assert [[(r.month, r.day) for r in t.requirements] for t in draft.tasks] == [[], [(12, 31)], [(9, 30)]]


def test_short_column_names():
    text = "序号 | 任务 | 措施 | 责任单位 | 时限\n1 | 政策解读 | 每半年开展一次解读评估 | 办公室 | 全年\n"
    draft = parse(text)
    assert [(t.title, t.owners.lead) for t in draft.tasks] == [("政策解读", ("办公室",))]
    assert [(r.kind, r.period) for r in draft.tasks[0].requirements][:1] == [("recurring", "half")]


QUARTERLY = """2024年某市政务公开工作任务分工表
序号 | 工作任务 | 责任单位 | 完成时限
1 | 每季度检查政府网站 | 市政府办公室 | 每季度
2 | 年底前完成目录编制 | 市政府办公室 | 2024年12月底前
3 | 更新公开指南 | 市政府办公室 | 每季度
"""


def _shapes(task):
    return [(r.kind, r.count, r.period, r.month, r.day, r.year_offset, r.source) for r in task.requirements]


def test_a_time_limit_cell_restating_the_text_is_one_rule():
    tasks = parse(QUARTERLY).tasks
    assert _shapes(tasks[0]) == [(RequirementKind.RECURRING, 1, "quarter", None, None, 0, "每季度检查政府网站")]
    assert _shapes(tasks[1]) == [(RequirementKind.DEADLINE, None, None, 12, 31, 0, "年底前完成目录编制")]
    # a cell that is the only word on the period is the rule
    assert _shapes(tasks[2]) == [(RequirementKind.RECURRING, 1, "quarter", None, None, 0, "每季度")]


def test_xlsx_time_limit_cells_restating_or_dated_end_to_end(tmp_path):
    from datetime import datetime

    import openpyxl

    from tracker.ingest import read_document

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年某市政务公开工作任务分工表"])
    sheet.append(["序号", "工作任务", "责任单位", "完成时限"])
    sheet.append([1, "每季度检查政府网站", "市政府办公室", "每季度"])
    sheet.append([2, "完成政务公开专区建设", "市政府办公室", datetime(2024, 9, 30)])
    sheet.append([3, "完成平台迁移", "市政府办公室", datetime(2025, 3, 31)])
    sheet.append([4, "完成网站改版", "市政府办公室", datetime(2023, 3, 31)])
    book.save(tmp_path / "plan.xlsx")

    draft = parse(read_document(tmp_path / "plan.xlsx").text)
    assert draft.year == 2024
    first, second, third, fourth = draft.tasks
    assert _shapes(first) == [(RequirementKind.RECURRING, 1, "quarter", None, None, 0, "每季度检查政府网站")]
    assert _shapes(second) == [(RequirementKind.DEADLINE, None, None, 9, 30, 0, "完成时限:2024-09-30")]
    assert second.requirements[0].what == "完成政务公开专区建设"
    assert _shapes(third) == [(RequirementKind.DEADLINE, None, None, 3, 31, 1, "完成时限:2025-03-31")]
    assert fourth.requirements == ()
    assert [w for w in draft.warnings if w.startswith("task 4:")] == [
        "task 4: “完成时限:2023-03-31” names the year 2023, not the plan's year 2024: it was not "
        "read as a deadline; set one with `tracker rule` if it is one"]


AFTER_EVENT_ROWS = [
    ("序号", "工作任务", "具体要求", "责任单位", "完成时限"),
    ("1", "推进政策解读", "文件印发后3个工作日内发布解读材料", "办公室", "3个工作日内"),
    ("2", "依申请公开", "收到申请之日起15日内予以答复", "办公室", "15日内"),
    ("3", "回应关切", "在5个工作日内作出回应", "办公室", "文件发布后5个工作日内"),
    ("4", "会议解读", "文件印发后3个工作日内发布解读材料", "办公室", "会后3个工作日内"),
]


def _after_event_table(tmp_path, kind):
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["2024年某局政务公开工作任务分工表"])
        for row in AFTER_EVENT_ROWS:
            sheet.append(list(row))
        book.save(tmp_path / "plan.xlsx")
    else:
        import docx

        document = docx.Document()
        document.add_paragraph("2024年某局政务公开工作任务分工表")
        table = document.add_table(rows=len(AFTER_EVENT_ROWS), cols=len(AFTER_EVENT_ROWS[0]))
        for row, values in zip(table.rows, AFTER_EVENT_ROWS, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
        document.save(str(tmp_path / "plan.docx"))
    return tmp_path / f"plan.{kind}"


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_time_limit_cell_restating_an_allowance_is_one_rule(tmp_path, kind):
    """QA: 文件印发后3个工作日内… beside a 完成时限 cell 3个工作日内 gave two after-event rules (the
    cell's with no event), so every logged event made two obligations."""
    from tracker.ingest import read_document

    tasks = parse(read_document(_after_event_table(tmp_path, kind)).text).tasks
    assert [[(r.event, r.workdays, r.days, r.what, r.source) for r in t.requirements] for t in tasks] == [
        [("文件印发", 3, None, "发布解读材料", "文件印发后3个工作日内发布解读材料")],
        [("收到申请", None, 15, "予以答复", "收到申请之日起15日内予以答复")],
        # the cell names the event the text leaves out: its rule, with the text's what
        [("文件发布", 5, None, "作出回应", "文件发布后5个工作日内")],
        # another event is another rule
        [("文件印发", 3, None, "发布解读材料", "文件印发后3个工作日内发布解读材料"),
         ("会议", 3, None, "会议解读", "会后3个工作日内")],
    ]


def test_prose_deadlines_with_numeric_dates():
    text = """2024年某局政务公开工作要点
一、重点任务
1.完成目录梳理。完成时限:2024-09-30。
2.网站改版于2024.9.30前完成。
3.根据2024-01-15印发的通知做好解读工作。
4.每两个月开展一次网站检查。
"""
    tasks = parse(text).tasks
    assert [_shapes(task) for task in tasks] == [
        [(RequirementKind.DEADLINE, None, None, 9, 30, 0, "完成时限:2024-09-30")],
        [(RequirementKind.DEADLINE, None, None, 9, 30, 0, "网站改版于2024.9.30前完成")],
        [],
        [(RequirementKind.RECURRING, 6, "year", None, None, 0, "每两个月开展一次网站检查")],
    ]


def test_annual_report_commitments_are_dated_in_the_year_after_the_report():
    from tracker.parse import _rules_year, read_meta

    meta = read_meta("某局2023年政府信息公开工作年度报告\n")
    assert (meta.kind, meta.year, _rules_year(meta)) == ("annual_report", 2023, 2024)


CELL_HEADER = ["序号", "板块", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"]
CELL_ROWS = [
    ["1", "一、提高公开质量", "推进政策解读", "文件发布后3个工作日内关联发布解读材料。", "局办公室", "各科室", "长期坚持"],
    ["2", "一、提高公开质量", "加强网站检查", "每季度对网站内容检查一次。", "信息中心", "办公室", "2024年12月底前"],
    ["3", "一、提高公开质量", "公开预决算", "按规定公开部门预决算。", "财务科", "审计科", "2024年12月底前"],
    ["4", "二、强化平台建设", "办好开放日", "每年至少开展2次政府开放日活动。", "机关党委", "各科室", "2024年11月底前"],
    ["5", "二、强化平台建设", "规范新媒体", "每月对政务新媒体进行检查。", "信息中心", "办公室", "长期坚持"],
    ["6", "二、强化平台建设", "更新公开指南", "及时更新政府信息公开指南。", "法规科", "办公室", "2024年6月底前"],
]
CELL_TITLE = "2024年某局政务公开工作任务分工表\n"


def _cell_copy(rows: list[list[str]], row_end: str) -> str:
    """The table as a web page copy gives it: "cell |" one per line, `row_end` after each row."""
    return CELL_TITLE + "".join("".join(f"{cell} |\n" for cell in row) + row_end for row in [CELL_HEADER, *rows])


def _read(tmp_path, text):
    from tracker.ingest import read_document
    from tracker.parse.contract import to_json

    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    draft = parse(read_document(tmp_path / "plan.txt").text)
    return draft, to_json(draft)


@pytest.mark.parametrize("row_end", ["", "|\n"], ids=["no_row_ends", "pipe_row_ends"])
def test_a_table_copied_one_cell_per_line_reads_like_its_pipe_copy(tmp_path, row_end):
    """A 板块 column of 一、/二、 values made the outline reader take the table for two sections."""
    piped, expected = _read(tmp_path, CELL_TITLE + "".join(" | ".join(row) + "\n" for row in [CELL_HEADER, *CELL_ROWS]))
    draft, data = _read(tmp_path, _cell_copy(CELL_ROWS, row_end))
    assert len(draft.tasks) == 6
    assert (data["sections"], data["tasks"]) == (expected["sections"], expected["tasks"])
    assert [t.owners.lead for t in draft.tasks][:2] == [("局办公室",), ("信息中心",)]
    assert not draft.warnings
    assert len(piped.tasks) == 6


@pytest.mark.parametrize("row_end", ["", "|\n"], ids=["no_row_ends", "pipe_row_ends"])
def test_a_merged_section_cell_copied_one_cell_per_line(tmp_path, row_end):
    """The merged 板块 cell is given on its section's first row only; text after the table is not a cell."""
    rows = [row[:1] + row[2:] if row[0] not in ("1", "4") else row for row in CELL_ROWS]
    draft, _ = _read(tmp_path, _cell_copy(rows, row_end) + "三、保障措施\n各科室要高度重视。\n")
    assert [(t.path, t.title, t.owners.lead) for t in draft.tasks][3:] == [
        (("二", "4"), "办好开放日", ("机关党委",)), (("二", "5"), "规范新媒体", ("信息中心",)),
        (("二", "6"), "更新公开指南", ("法规科",))]
    assert [t.path[0] for t in draft.tasks] == ["一"] * 3 + ["二"] * 3


def test_a_table_copied_one_cell_per_line_without_numbers_is_warned_about(tmp_path):
    rows = [row[1:] for row in CELL_ROWS]
    draft, _ = _read(tmp_path, CELL_TITLE + "".join("".join(f"{cell}\n" for cell in row) for row in [CELL_HEADER[1:], *rows]))
    assert any("copied one cell per line" in w and "was not read" in w for w in draft.warnings)
