"""Task-division tables (pipe lines, as tracker.ingest renders .xlsx/.docx tables) → one task a row."""

from __future__ import annotations

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


def test_section_rows_and_merged_owner_cells_carry_down():
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
    assert [t.owners.lead for t in draft.tasks] == [("局办公室",), ("局办公室",), ("信息中心",)]


def test_unnumbered_rows_are_numbered_by_position():
    text = "板块 | 工作任务 | 牵头单位\n公开质量 | 做好甲工作 | 局办公室\n公开质量 | 做好乙工作 | 局办公室\n"
    draft = parse(text)
    assert [t.number for t in draft.tasks] == ["1", "2"]
    assert [(s.number, s.title) for s in draft.sections] == [("一", "公开质量")]


def test_header_table_of_a_web_page_is_not_a_task_table():
    text = ("索 引 号 | 1137/2024-02054 | 公开方式 | 主动公开 |\n发布机构 | 某市民政局 |\n"
            "2024年某市民政局政务公开工作要点\n一、重点任务\n1.做好甲工作。")
    assert [t.title for t in parse(text).tasks] == ["做好甲工作"]
