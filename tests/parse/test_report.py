"""Annual-report corpus: commitments (not problems) become tasks; headline figures are read."""

from __future__ import annotations

import pytest
from punctuation import FORMS, fw

from tracker.parse import no_tasks_reason, parse

TITLE = "某市民政局2023年政府信息公开工作年度报告\n一、总体情况\n概述。\n"

REPORTS = [
    ("problems_then_next_step_paragraph",
     "五、存在的主要问题及改进情况\n还存在一定差距,一是公开的形式还不够丰富;二是公众号功能还需进一步创新完善。\n"
     "下一步,我局将进一步提高工作实效。一是持续提升公开水平。按要求做好。二是加强解读创新。三是完善平台建设。\n"
     "六、其他需要报告的事项\n无。",
     ["持续提升公开水平", "加强解读创新", "完善平台建设"]),
    ("problem_and_measure_subsections",
     "五、存在的主要问题及改进情况 (一)存在的主要问题。主要表现在:一是政策解读的形式上还有待完善;"
     "二是关注率不高。 (二)2023年改进情况。针对上年度问题,一是组织学习,二是定期抽查,取得成效。 "
     "(三)2024年进一步改进措施。2024年将重点抓好三项工作:一是进一步加强队伍建设。二是贯彻落实公开制度。"
     "三是积极推进网上公开。 六、其他需要报告的事项 无",
     ["进一步加强队伍建设", "贯彻落实公开制度", "积极推进网上公开"]),
    ("verb_led_items_under_a_problem_lead_in",
     "五、存在的主要问题及改进情况\n但仍然存在公开质量不高情况。一是提升政策文件公开质量。文件发布时间与成文时间"
     "间隔不超过20个工作日。二是加强政策解读质量。\n六、其他需要报告的事项\n无。",
     ["提升政策文件公开质量", "加强政策解读质量"]),
    ("next_step_with_bracketed_items",
     "五、存在的主要问题及改进情况\n一是公开不够及时。\n下一步,我局将做好以下工作:(一)加强平台建设。(二)推进政策解读。\n"
     "六、其他需要报告的事项\n无。",
     ["加强平台建设", "推进政策解读"]),
    ("next_step_then_numbered_runs",
     "五、存在的主要问题及改进情况\n(一)存在问题\n公开形式单一。\n(二)改进措施\n下一步,我局将重点做好以下工作。\n"
     "1.加强平台建设。按要求完成。\n2.推进政策解读。\n六、其他需要报告的事项\n无。",
     ["加强平台建设", "推进政策解读"]),
    ("first_second",
     "五、存在的主要问题及改进情况\n下一步,我局将:第一,加强平台建设;第二,推进政策解读。\n六、其他需要报告的事项\n无。",
     ["加强平台建设", "推进政策解读"]),
    ("problems_only",
     "五、存在的主要问题及改进情况\n存在一些不容忽视的问题。一是少数科室认识不足,工作被动应付;"
     "二是有的公开内容不规范。\n这些问题都需要认真研究,切实解决。",
     []),
    ("future_measures_under_an_improvement_heading",
     "五、存在的主要问题及改进情况\n(一)存在问题。公开形式单一。\n(二)改进情况。下一步,我局将重点做好以下工作:"
     "一是加强政策解读;二是优化网站栏目。\n六、其他需要报告的事项\n无。",
     ["加强政策解读", "优化网站栏目"]),
    ("past_improvements_are_not_commitments",
     "五、存在的主要问题及改进情况\n(一)存在问题。公开形式单一。\n(二)改进情况。针对上年度问题,一是组织学习,"
     "二是定期抽查,取得明显成效。\n六、其他需要报告的事项\n无。",
     []),
    ("separate_measures_section",
     "五、存在问题\n还存在宣传培训不足、认识不深等问题,均有待解决。\n六、改进措施\n下一步,我局将进一步提高认识。"
     "一是规范流程,建立长效机制。二是创新途径,丰富公开形式。三是强化管理,服务公众。四是进一步制定信息管理制度。\n"
     "七、其他需要报告的事项\n无。",
     ["规范流程,建立长效机制", "创新途径,丰富公开形式", "强化管理,服务公众", "进一步制定信息管理制度"]),
    ("measures_announced_after_the_problems",
     "五、存在的主要问题及改进情况\n目前还存在一些不足:一是部分科室主动公开意识仍需加强;二是公开内容有待规范;"
     "三是公开渠道还应进一步拓宽。为此,我们将采取以下措施积极改进。\n(一)继续加强配套制度建设,促进工作规范化。\n"
     "(二)做好财政预决算公开。全面公开重点领域信息。\n六、其他需要报告的事项\n无。",
     ["继续加强配套制度建设,促进工作规范化", "做好财政预决算公开"]),
    ("numbered_items_under_a_plan_heading",
     "五、存在的主要问题及改进情况\n(一)存在问题。公开不够及时。\n(二)下一步工作计划\n1.加强公开平台建设。\n"
     "2.推进政策解读。\n六、其他需要报告的事项\n无。",
     ["加强公开平台建设", "推进政策解读"]),
]
REPORT_TEXT = {row[0]: row[1] for row in REPORTS}


@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in REPORTS],
                         ids=[row[0] for row in REPORTS])
@FORMS
def test_commitments(text, expected, form):
    draft = parse(fw(TITLE + text) if form == "fullwidth" else TITLE + text)
    assert draft.kind == "annual_report"
    assert [task.title for task in draft.tasks] == (
        [fw(title) for title in expected] if form == "fullwidth" else expected)
    assert list(draft.commitments) == [task.text for task in draft.tasks]
    section = "六" if "六、改进措施" in text else "五"
    assert [task.path for task in draft.tasks] == [(section, str(i)) for i in range(1, len(expected) + 1)]


SHARED_PROBLEMS = {
    2: "我局…还存在一些不足:一是主动公开的及时性有待提高;二是政策解读质量不高。",
    3: "我局…还存在一些不足:一是主动公开的及时性有待提高;二是政策解读质量不高;三是政务新媒体管理不够规范。",
}
SHARED_MEASURES = ("针对上述问题,下一步将重点做好以下工作:一是加强信息发布管理,信息形成之日起20个工作日内予以公开;"
                   "二是提升政策解读质量,每季度开展1次解读质量自查;三是推进政务新媒体规范管理,每月对政务新媒体进行检查。")


@pytest.mark.parametrize("problems", [2, 3])
@pytest.mark.parametrize("joined", ["same_paragraph", "own_line"])
@FORMS
def test_problems_and_commitments_in_one_paragraph(problems, joined, form):
    """A lead-in in the middle of a paragraph starts the commitments: the 一是… before it are the
    problems, the 一是… after it the commitments, all three of them."""
    body = SHARED_PROBLEMS[problems] + ("" if joined == "same_paragraph" else "\n") + SHARED_MEASURES
    text = TITLE + "五、存在的主要问题及改进情况\n" + body + "\n六、其他需要报告的事项\n无。"
    draft = parse(fw(text) if form == "fullwidth" else text)
    expected = ["加强信息发布管理,信息形成之日起20个工作日内予以公开", "提升政策解读质量,每季度开展1次解读质量自查",
                "推进政务新媒体规范管理,每月对政务新媒体进行检查"]
    assert [task.title for task in draft.tasks] == (
        [fw(title) for title in expected] if form == "fullwidth" else expected)
    assert [task.path for task in draft.tasks] == [("五", "1"), ("五", "2"), ("五", "3")]
    assert not draft.warnings


@pytest.mark.parametrize("measures", ["下一步,我局将:(一)加强平台建设;(二)推进政策解读。",
                                      "今后将做好以下工作:1.加强平台建设;2.推进政策解读。"],
                         ids=["bracketed", "numbered"])
def test_commitments_in_another_numbering_after_problems_in_one_paragraph(measures):
    text = (TITLE + "五、存在的主要问题及改进情况\n还存在一些不足:一是公开有待提高;二是解读不高;三是管理不够规范。"
            + measures + "\n六、其他需要报告的事项\n无。")
    assert [task.title for task in parse(text).tasks] == ["加强平台建设", "推进政策解读"]


def test_report_without_commitments_says_so():
    draft = parse(TITLE + REPORT_TEXT["problems_only"])
    assert any("no numbered improvement commitments" in w for w in draft.warnings)


def test_why_a_report_has_no_tasks():
    """`tracker import` of a report with no commitments said "is it a work-point plan?"."""
    reason = no_tasks_reason(parse(TITLE + REPORT_TEXT["problems_only"]), "r.txt")
    assert reason.startswith("r.txt is an annual report (年度报告) that states no numbered improvement commitments")
    assert "work-point plan" not in reason
    assert "no section on problems" in no_tasks_reason(parse(TITLE + "二、主动公开政府信息情况\n无。"), "r.txt")
    assert no_tasks_reason(parse("今天天气很好。"), "n.txt") == (
        "n.txt has no numbered tasks (1. 2. … or (一) (二) …); is it a work-point plan?")


def test_commitment_rules_come_from_the_rules_reader():
    draft = parse(TITLE + REPORT_TEXT["verb_led_items_under_a_problem_lead_in"])
    rules = draft.tasks[0].requirements
    assert [(r.kind, r.workdays) for r in rules] == [("after_event", 20)]


STATISTICS = [
    ("proactive", "2020年,主动公开政府信息1123条(项),涉及机构信息7条。", {"主动公开政府信息": 1123}),
    ("interpretation_and_press", "全年发布信息384条,其中召开新闻发布会1次,政策解读14条。",
     {"召开新闻发布会": 1, "政策解读": 14}),
    ("applications", "2020年接到依申请公开政府信息8件,均按时答复。", {"接到依申请公开政府信息": 8}),
    ("channels", "通过政府门户网站公开信息213条,通过政务微信公开信息431条。",
     {"通过政府门户网站公开信息": 213, "通过政务微信公开信息": 431}),
    ("thousands_separator", "全年主动公开政府信息1,123条。", {"主动公开政府信息": 1123}),
    ("not_headline_figures", "发放补贴40.4万元,办理投诉47件,参保率达98.66%。", {}),
]


@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in STATISTICS],
                         ids=[row[0] for row in STATISTICS])
@FORMS
def test_statistics(text, expected, form):
    text = TITLE.replace("概述。", text)
    draft = parse(fw(text) if form == "fullwidth" else text)
    assert draft.statistics == expected


def test_a_workplan_that_mentions_the_annual_report_is_a_workplan():
    draft = parse("2024年某局政务公开工作要点\n一、重点任务\n1.将工作要点落实情况纳入政府信息公开工作年度报告予以公开。")
    assert draft.kind == "workplan"
    assert draft.statistics == {}
