"""Outline corpus: each numbering style and shape of plan → the tasks a coordinator would list."""

from __future__ import annotations

import pytest
from punctuation import FORMS, cn, fw

from tracker.parse import parse
from tracker.parse.outline import lead_phrase

HEAD = "2024年某市民政局政务公开工作要点\n"




def listing(text: str) -> list[str]:
    """Each task as "path title", as the outline shows it."""
    return [f"{'/'.join(task.path)} {task.title}" for task in parse(HEAD + text).tasks]


OUTLINES = [
    ("two_level", "一、提高公开质量\n1.加强信息公开。做好甲。\n2.做好解读。\n二、强化平台\n3.优化网站。",
     ["一/1 加强信息公开", "一/2 做好解读", "二/3 优化网站"]),
    ("three_level", "一、总体要求\n坚持公开为常态。\n二、重点任务\n(一)推进决策公开\n1.做好甲工作。\n"
     "2.做好乙工作。\n(二)加强政策解读\n1.做好丙工作。",
     ["二/(一)/1 做好甲工作", "二/(一)/2 做好乙工作", "二/(二)/1 做好丙工作"]),
    ("three_level_without_items", "一、重点任务\n(一)推进决策公开。扩大公众参与。\n"
     "(二)加强政策解读。丰富解读形式。\n二、保障措施\n(一)加强组织领导。明确专人负责。",
     ["一/(一) 推进决策公开", "一/(二) 加强政策解读", "二/(一) 加强组织领导"]),
    ("half_width_parens", "一、重点任务\n(一)推进决策公开。扩大公众参与。",
     ["一/(一) 推进决策公开"]),
    ("items_mid_line", "一、重点任务\n1.做好甲工作。2.做好乙工作;3.做好丙工作。",
     ["一/1 做好甲工作", "一/2 做好乙工作", "一/3 做好丙工作"]),
    ("item_after_an_owner_annotation", "一、重点任务\n1.做好甲工作。(责任单位:局办公室)2.做好乙工作。(责任单位:信息中心)",
     ["一/1 做好甲工作", "一/2 做好乙工作"]),
    ("numbers_that_are_not_items", "一、重点任务\n1.在2024.1版基础上落实第1.2条,开通12345热线。\n2.做好乙。",
     ["一/1 在2024.1版基础上落实第1.2条,开通12345热线", "一/2 做好乙"]),
    ("dun_and_fullwidth_points", "一.重点任务\n1、做好甲工作。\n2．做好乙工作。",
     ["一/1 做好甲工作", "一/2 做好乙工作"]),
    ("part_sections", "第一部分 公开重点\n1.做好甲。\n第二部分 平台建设\n2.做好乙。",
     ["一/1 做好甲", "二/2 做好乙"]),
    ("numbering_restarts_per_section", "一、甲\n1.做好甲。\n2.做好乙。\n二、乙\n1.做好丙。",
     ["一/1 做好甲", "一/2 做好乙", "二/1 做好丙"]),
    ("items_without_sections", "1.做好甲工作。\n2.做好乙工作。", ["1 做好甲工作", "2 做好乙工作"]),
    ("preamble_carries_no_tasks", "一、指导思想\n以新思想为指导。\n二、工作目标\n1.到2025年底基本建成。\n"
     "三、重点任务\n1.做好甲工作。", ["三/1 做好甲工作"]),
    ("goals_and_tasks_section_is_not_preamble", "一、指导思想和工作目标\n1.到2025年底基本建成。\n"
     "二、工作目标和任务\n1.做好甲工作。", ["二/1 做好甲工作"]),
    ("spaced_inline_markers", "一、总体情况 概述。 (一)主动公开 1、做好甲工作。 2、做好乙工作。",
     ["一/(一)/1 做好甲工作", "一/(一)/2 做好乙工作"]),
    ("section_only_plan", "一、加强组织领导。明确专人负责。\n二、强化考核。纳入年度考核。",
     ["一 加强组织领导", "二 强化考核"]),
    ("items_starting_with_a_date", "一、公开\n1.做好甲。\n2.12月底前完成乙。\n3.6月30日前公开丙。\n"
     "4.9月30日前完成丁。\n5.2025年底前完成戊。\n6.9.30前完成己。",
     ["一/1 做好甲", "一/2 12月底前完成乙", "一/3 6月30日前公开丙", "一/4 9月30日前完成丁",
      "一/5 2025年底前完成戊", "一/6 9.30前完成己"]),
    ("dated_items_mid_line_continue_the_numbering", "一、公开\n1.做好甲。2.12月底前完成乙。3.9.30前完成丙。",
     ["一/1 做好甲", "一/2 12月底前完成乙", "一/3 9.30前完成丙"]),
    ("decimals_and_month_days_are_not_items", "一、公开\n1.增长2.5%,于9.30前完成甲。2.5前后开展。3.1前期准备。"
     "9.30前完成乙。7.3月底前完成丙。\n9.30前报送。\n2.做好丁。",
     ["一/1 增长2.5%,于9.30前完成甲", "一/2 做好丁"]),
    ("heading_only_sections_carry_nothing", "一、重点任务\n1.做好甲。\n二、其他事项", ["一/1 做好甲"]),
]


@FORMS
@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in OUTLINES],
                         ids=[row[0] for row in OUTLINES])
def test_outline(text, expected, form):
    if form == "fullwidth":
        assert listing(fw(text)) == [fw(line) for line in expected]
    else:
        assert listing(text) == [cn(line) for line in expected]


def test_sub_items_stay_inside_their_task():
    draft = parse(HEAD + "一、重点任务\n1.做好甲工作。(1)子项一;(2)子项二。\n①细项\n2.做好乙。")
    assert [t.number for t in draft.tasks] == ["1", "2"]
    assert "(1)子项一" in draft.tasks[0].text  # sub-item brackets are kept as printed
    assert "①细项" in draft.tasks[0].text


def test_task_text_is_the_whole_item_across_lines():
    draft = parse(HEAD + "一、重点任务\n1.做好甲工作。第一句。\n第二段。\n2.做好乙。")
    assert draft.tasks[0].text == "做好甲工作。第一句。\n第二段。"


def test_sections_are_listed_with_their_titles():
    draft = parse(HEAD + "一、提高公开质量\n1.做好甲。\n二、强化平台建设\n2.做好乙。")
    assert [(s.number, s.title) for s in draft.sections] == [("一", "提高公开质量"),
                                                             ("二", "强化平台建设")]


@pytest.mark.parametrize(("text", "warning"), [
    ("1.做好甲。\n2.做好乙。\n4.做好丁。", "task numbering skips: 2 is followed by 4"),
    ("1.做好甲。\n2.做好乙。\n2.做好丙。", "task numbering repeats: 2 is followed by 2"),
], ids=["skip", "repeat"])
def test_numbering_gaps_are_warned_but_kept(text, warning):
    draft = parse(HEAD + text)
    assert len(draft.tasks) == 3
    assert warning in draft.warnings


def test_a_task_starting_with_a_date_keeps_its_own_owner_and_deadline():
    """QA: "2.12月底前…" was refused as an item (a decimal), so items 2 and 3 became rules of task 1
    and their owners merged into its, without a warning."""
    draft = parse("某局2025年政务公开工作要点\n一、公开\n1.做好文件公开工作。(办公室负责)\n"
                  "2.12月底前完成目录编制。(法规股负责)\n3.6月30日前公开年度报告。(办公室负责)\n")
    assert [(t.number, t.owners.lead, [(r.kind, r.month, r.day) for r in t.requirements])
            for t in draft.tasks] == [
        ("1", ("办公室",), []),
        ("2", ("法规股",), [("deadline", 12, 31)]),
        ("3", ("办公室",), [("deadline", 6, 30)]),
    ]
    assert draft.warnings == ()


def test_continuous_numbering_across_sections_gives_no_warning():
    draft = parse(HEAD + "一、甲\n1.做好甲。\n二、乙\n2.做好乙。")
    assert draft.warnings == ()


def test_no_numbered_items_gives_no_tasks_and_a_warning():
    draft = parse("这是一份普通的通知。请各单位认真执行。")
    assert draft.tasks == ()
    assert any("no numbered tasks" in warning for warning in draft.warnings)


@pytest.mark.parametrize(("text", "title"), [
    ("推进政策解读规范化。明确解读范围。", "推进政策解读规范化"),
    ("按照市政府统一部署和工作要求全面推进基层政务公开标准化规范化建设,进一步提高公开质量;做好其他工作。",
     "按照市政府统一部署和工作要求全面推进基层政务公开标准化规范化建设"),
    ("围绕年度重点工作任务,全面推进决策、执行、管理、服务、结果公开并及时发布相关政策解读材料和回应社会关切情况",
     "围绕年度重点工作任务"),
], ids=["first_sentence", "cut_at_semicolon", "cut_at_comma"])
def test_lead_phrase(text, title):
    assert lead_phrase(text) == title
