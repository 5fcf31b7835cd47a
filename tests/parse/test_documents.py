"""Whole small documents in shapes the seeds do not have: what a coordinator would check on each."""

from __future__ import annotations

from tracker.model import RequirementKind
from tracker.parse import parse

_FULL = str.maketrans({",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "(": "\uff08", ")": "\uff09"})


def fw(text: str) -> str:
    """The text as a Chinese document prints it, with full-width ，：；（）."""
    return text.translate(_FULL)


CITY_PLAN = fw("""某市2023年政务公开工作要点
为深入贯彻落实《中华人民共和国政府信息公开条例》,现提出如下工作要点。
一、总体要求
坚持以人民为中心,到2023年底,政务公开制度体系基本健全。
二、以政务公开助力经济稳进提质
(一)加强经济政策解读。围绕稳经济一揽子政策,及时发布政策解读材料,文件发布后3个工作日内完成解读发布。(市发展改革委、市财政局等按职责分工负责)
(二)做好市场准入信息公开。每季度更新市场准入负面清单执行情况。(市市场监管局牵头,各县(市、区)政府负责落实)
三、以政务公开促进民生保障
(三)加强就业信息公开。每月10日前公开上月就业创业补贴发放情况。(市人力资源社会保障局负责)
(四)推进基层政务公开标准化。年底前完成基层政务公开事项目录动态调整。(各县(市、区)政府负责)
""")


def test_three_level_city_plan_without_items():
    draft = parse(CITY_PLAN)
    assert draft.year == 2023
    assert [(t.number, t.path, t.title) for t in draft.tasks] == [
        ("（一）", ("二", "（一）"), "加强经济政策解读"),
        ("（二）", ("二", "（二）"), "做好市场准入信息公开"),
        ("（三）", ("三", "（三）"), "加强就业信息公开"),
        ("（四）", ("三", "（四）"), "推进基层政务公开标准化"),
    ]
    assert draft.tasks[0].owners.lead == ("市发展改革委", "市财政局")
    assert draft.tasks[1].owners.lead == ("市市场监管局",)
    assert draft.tasks[1].owners.support == ("各县（市、区）政府",)
    assert draft.tasks[3].owners.lead == ("各县（市、区）政府",)


def test_city_plan_rules_and_preamble_goal():
    tasks = parse(CITY_PLAN).tasks
    after = [r for r in tasks[0].requirements if r.kind is RequirementKind.AFTER_EVENT]
    assert [(r.event, r.workdays) for r in after] == [("文件发布", 3)]
    assert after[0].source == "文件发布后3个工作日内完成解读发布"  # the clause, not the sentence
    assert [(r.kind, r.period) for r in tasks[1].requirements] == [(RequirementKind.RECURRING, "quarter")]
    assert [(r.period, r.due_day) for r in tasks[2].requirements] == [("month", 10)]
    assert [(r.month, r.day) for r in tasks[3].requirements] == [(12, 31)]
    assert all(r.source in task.text for task in tasks for r in task.requirements)  # verbatim words
    # the preamble's goal "到2023年底…" is in no task
    assert all("到2023年底" not in task.text for task in tasks)


WEB_COPY_ONE_LINE = fw(
    "2024年某区政务公开工作要点 一、深化政策公开 1.做好政策解读。每半年开展一次政策解读效果评估(区政府办公室负责)。"
    "2.加强规范性文件管理。(区司法局负责) 二、强化平台建设 3.优化政府网站。每周开展一次网站自查(区政务服务中心负责)。"
)


def test_a_web_page_with_the_whole_plan_on_one_line():
    draft = parse(WEB_COPY_ONE_LINE)
    assert [(t.path, t.title) for t in draft.tasks] == [
        (("一", "1"), "做好政策解读"), (("一", "2"), "加强规范性文件管理"), (("二", "3"), "优化政府网站")]
    assert [t.owners.lead for t in draft.tasks] == [("区政府办公室",), ("区司法局",), ("区政务服务中心",)]
    assert [(r.kind, r.period) for r in draft.tasks[2].requirements] == [(RequirementKind.RECURRING, "week")]
