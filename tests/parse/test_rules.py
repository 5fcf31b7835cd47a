"""The rule phrases of 政务公开 plans → Requirements: a named corpus, the Jining tasks, fuzzing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.model import PERIODS, Requirement, RequirementKind
from tracker.parse.rules import REGULARLY_WARNING, extract_requirements

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"  # as tests/conftest.py names it
JINING = SEEDS / "workplan_2024_jining_minzheng.txt"

# ----- expected rules, written as the fields that matter for their kind ----------------------


def R(count: int, period: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "recurring", "count": count, "period": period, **extra}


def A(event: str | None, *, workdays: int | None = None, days: int | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"kind": "after_event", "event": event}
    rule.update({"workdays": workdays} if workdays is not None else {"days": days})
    return rule


def D(month: int, day: int, year_offset: int = 0, **extra: Any) -> dict[str, Any]:
    return {"kind": "deadline", "month": month, "day": day, "year_offset": year_offset, **extra}


ONGOING = {"kind": "ongoing"}

_FIELDS = {
    "recurring": ("count", "period", "per_owner", "due_day"),
    "after_event": ("event", "workdays", "days"),
    "deadline": ("month", "day", "year_offset", "per_owner"),
    "ongoing": (),
}
_DEFAULTS = {"per_owner": False, "due_day": None, "workdays": None, "days": None}


def shape(rule: Requirement, expected: dict[str, Any]) -> dict[str, Any]:
    """The rule's fields for its kind; `what`/`source` only when the expectation names them."""
    out: dict[str, Any] = {"kind": rule.kind.value}
    for name in _FIELDS[rule.kind.value]:
        value = getattr(rule, name)
        if name in expected or value != _DEFAULTS.get(name, object()):
            out[name] = value
    for name in ("what", "source"):
        if name in expected:
            out[name] = getattr(rule, name)
    return out


# ----- the corpus: (name, text, expected rules) ----------------------------------------------

CORPUS: list[tuple[str, str, list[dict[str, Any]]]] = [
    # recurring: counts per period, in Arabic or Chinese numerals
    ("year_count_arabic", "原则上每年至少开展2次专题性政策评价工作",
     [R(2, "year", what="开展专题性政策评价", source="原则上每年至少开展2次专题性政策评价工作")]),
    ("year_count_verb_first", "每年至少听取1次政务公开工作汇报",
     [R(1, "year", what="听取政务公开工作汇报")]),
    ("within_year_min_after", "年内组织政务公开培训不少于1次", [R(1, "year", what="组织政务公开培训")]),
    ("year_count_chinese", "每年开展两次政务公开专题培训", [R(2, "year")]),
    ("year_count_ten", "每年编发政务公开工作简报不少于十期", [R(10, "year")]),
    ("whole_year_four", "全年召开新闻发布会不少于4场", [R(4, "year")]),
    ("whole_year_min_first", "全年不少于4次", [R(4, "year")]),
    ("year_du", "每年度至少组织1次政府开放日活动", [R(1, "year")]),
    ("half_year_once", "每半年向社会公开一次工作进展", [R(1, "half")]),
    ("once_a_half", "政务公开工作会议半年一次", [R(1, "half")]),
    ("once_a_year_minimum", "政务公开专题培训一年不少于两次", [R(2, "year")]),
    ("each_half_year", "上、下半年各开展1次政务公开专项检查", [R(1, "half")]),
    ("each_half_with_year", "每年上半年、下半年各召开一次新闻发布会", [R(1, "half")]),
    ("one_month_one", "坚持一月一调度、一季一通报", [R(1, "month", what="调度"), R(1, "quarter", what="通报")]),
    ("one_year_one_review", "政务公开工作一年一评估", [R(1, "year")]),
    ("january_first", "自一月一日起执行", []),
    ("once_a_year_noun", "一年一度的政府开放日", []),
    ("twice_a_year", "政府开放日活动原则上一年两次", [R(2, "year", what="政府开放日活动")]),
    ("quarter_no_count", "每季度对政府网站内容进行检索检查",
     [R(1, "quarter", what="对政府网站内容进行检索检查", source="每季度对政府网站内容进行检索检查")]),
    ("by_quarter", "按季度报送政务公开工作进展情况", [R(1, "quarter")]),
    ("every_three_months", "每3个月更新一次主动公开目录", [R(1, "quarter")]),
    ("every_three_months_cn", "每三个月开展一次网站自查", [R(1, "quarter")]),
    ("every_two_weeks", "每两周调度一次重点任务进展", [R(1, "fortnight")]),
    ("biweekly", "双周通报政务新媒体更新情况", [R(1, "fortnight")]),
    ("half_month", "每半月更新一次政策问答库", [R(1, "fortnight")]),
    ("every_week_xingqi", "每个星期巡查一次政务新媒体", [R(1, "week")]),
    ("weekly", "每周更新政策问答库", [R(1, "week", what="更新政策问答库")]),
    ("weekly_weekday", "每周五前报送本周舆情", [R(1, "week", what="报送本周舆情")]),
    ("weekly_once_is_count", "每周一次调度", [R(1, "week")]),
    ("monthly", "每月更新公开指南", [R(1, "month")]),
    ("monthly_count", "每月至少发布2篇政策解读", [R(2, "month")]),
    ("period_enumeration", "按月、季、半年、年度报送工作进展",
     [R(1, "month"), R(1, "quarter"), R(1, "half"), R(1, "year")]),
    ("period_enumeration_anzhao", "按照月度、季度、年度报送统计数据",
     [R(1, "month"), R(1, "quarter"), R(1, "year")]),
    ("monthly_on_day", "每月15日更新政策问答库", [R(1, "month", due_day=15, what="更新政策问答库")]),
    ("monthly_due_day", "每月10日前报送上月政务信息", [R(1, "month", due_day=10, what="报送上月政务信息")]),
    ("quarter_first_month_de", "每个季度的第一个月10日前报送上季度情况", [R(1, "quarter", due_day=10)]),
    ("quarter_first_month_due", "每季度首月10日前报送上季度工作台账", [R(1, "quarter", due_day=10)]),
    ("annual_report_yearly", "每年发布政府信息公开工作年度报告", [R(1, "year")]),
    ("items_with_minimum", "各县区、各部门全年报送政务公开信息不少于10条", [R(10, "year", per_owner=True)]),
    ("items_without_minimum", "每年公开政策问答10条", []),
    ("due_day_with_count", "民生实事项目进展情况每月25日前在政府网站更新一次",
     [R(1, "month", due_day=25, what="在政府网站更新")]),
    ("month_first_ten_days", "每月上旬报送上月舆情分析", [R(1, "month", due_day=10)]),
    ("subject_joins_short_what", "首页栏目信息原则上每两周更新一次",
     [R(1, "fortnight", what="首页栏目信息更新")]),
    ("month_end_word", "每月月底前报送工作台账", [R(1, "month", what="报送工作台账")]),
    ("last_workday", "每月最后一个工作日前报送", [R(1, "month")]),
    ("due_next_month", "每月数据于次月10日前报送", [R(1, "month", due_day=10)]),
    ("month_by_month", "逐月更新重点任务落实情况", [R(1, "month")]),
    ("month_end_due", "每月底前报送舆情监测报告", [R(1, "month", what="报送舆情监测报告")]),
    ("quarter_end_due_after", "于每季度结束后15日内报送工作进展", [R(1, "quarter", due_day=15)]),
    ("new_media_fortnight", "政务新媒体每两周至少更新一次", [R(1, "fortnight")]),
    ("twice_or_more", "每年开展两次以上政策执行情况评估", [R(2, "year", what="开展政策执行情况评估")]),
    ("monthly_press", "原则上每月至少举办1场新闻发布会", [R(1, "month")]),
    # one obligation per owner
    ("per_owner_sections",
     "各科室、单位年内至少向国家级、省级主流媒体或“政务公开工作交流”等平台投稿一篇政务公开宣传稿",
     [R(1, "year", per_owner=True, what="投稿政务公开宣传稿")]),
    ("per_owner_counties", "各县区每季度至少报送1篇政务公开信息", [R(1, "quarter", per_owner=True)]),
    ("per_owner_departments_deadline", "各部门于6月底前报送自查报告", [D(6, 30, per_owner=True)]),
    ("object_is_not_owner", "每年对各单位开展1次检查", [R(1, "year", per_owner=False)]),
    # after an event, in working days or calendar days
    ("after_publication", "文件发布后,应于3个工作日内关联发布解读材料",
     [A("文件发布", workdays=3) | {"what": "关联发布解读材料",
                                   "source": "文件发布后,应于3个工作日内关联发布解读材料"}]),
    ("after_application", "收到申请之日起20个工作日内予以答复",
     [A("收到申请", workdays=20) | {"what": "予以答复"}]),
    ("between_two_dates", "文件发布时间与成文时间间隔不超过20个工作日", [A("成文", workdays=20)]),
    ("calendar_days", "自收到之日起15日内作出处理", [A("收到", days=15)]),
    ("calendar_days_tian", "对网民留言,收到后5天内予以回复", [A("收到", days=5)]),
    ("event_verb_qi", "自文件印发起3个工作日内在政府网站发布", [A("文件印发", workdays=3)]),
    ("workdays_chinese", "政策文件印发后三个工作日内在政府网站发布", [A("政策文件印发", workdays=3)]),
    ("workdays_no_event", "对公众关切在5个工作日内作出回应", [A(None, workdays=5)]),
    ("event_after_modal", "解读材料应当在政策文件公开后3个工作日内发布",
     [A("政策文件公开", workdays=3) | {"what": "解读材料发布"}]),
    ("statute_article_26", "属于主动公开范围的政府信息,应当自该政府信息形成或者变更之日起20个工作日内及时公开",
     [A("该政府信息形成或者变更", workdays=20)]),
    ("after_meeting", "常务会议审议通过的政策文件,原则上会后3个工作日内在政府网站发布", [A("会议", workdays=3)]),
    ("message_reply", "在收到群众留言后5个工作日内答复", [A("收到群众留言", workdays=5)]),
    ("owner_note_not_in_source", "文件发布后,应于3个工作日内关联发布解读材料(责任单位:局办公室)",
     [A("文件发布", workdays=3) | {"source": "文件发布后,应于3个工作日内关联发布解读材料"}]),
    # deadlines
    ("year_end", "年底前完成政务公开事项标准目录编制", [D(12, 31, what="完成政务公开事项标准目录编制")]),
    ("year_end_publish", "年底前将评价结果和运用情况向社会公开", [D(12, 31)]),
    ("june_end", "6月底前完成网站栏目调整", [D(6, 30)]),
    ("sept_30", "9月30日前完成自查", [D(9, 30)]),
    ("december_chinese", "十二月底前报送工作总结", [D(12, 31)]),
    ("mid_october", "10月中旬前完成自查整改", [D(10, 20)]),
    ("first_half", "上半年完成政务公开专区建设", [D(6, 30)]),
    ("second_half_in", "于下半年完成平台迁移", [D(12, 31)]),
    ("first_quarter", "一季度完成年度报告发布", [D(3, 31)]),
    ("first_quarter_end", "第一季度末前报送工作方案", [D(3, 31)]),
    ("next_year", "次年1月31日前报送年度工作总结", [D(1, 31, 1)]),
    ("next_year_end", "明年年底前完成全部整改", [D(12, 31, 1)]),
    ("each_year_date", "每年1月31日前发布上一年度政府信息公开工作年度报告", [D(1, 31)]),
    ("explicit_year", "2024年11月底前完成目录梳理", [D(11, 30)]),
    ("within_year_done", "年内完成政府网站集约化改造", [D(12, 31)]),
    ("february_end", "2月底前完成年度报告编制", [D(2, 28)]),
    ("each_year_month", "每年5月开展政务公开宣传周活动", [D(5, 31, what="开展政务公开宣传周活动")]),
    ("each_year_month_day", "每年5月15日举办政府开放日", [D(5, 15)]),
    ("each_year_report_due", "政府信息公开工作年度报告于每年1月31日前向社会公布", [D(1, 31)]),
    ("year_year_end", "2020年年底前初步建成事项目录体系", [D(12, 31)]),
    ("each_year_first_quarter", "每年第一季度完成目录更新", [D(3, 31)]),
    ("and_each_first_quarter", "并于每年第一季度对目录进行更新", [D(3, 31)]),
    ("cell_year_end", "对规范性文件进行全面清理。完成时限:年底前。",
     [D(12, 31, what="对规范性文件进行全面清理")]),
    ("cell_month_without_before", "做好解读。完成时限:2024年6月。", [D(6, 30)]),
    ("cell_date_without_before", "做好解读。完成时限:6月30日。", [D(6, 30)]),
    ("cell_first_half", "做好解读。完成时限:上半年。", [D(6, 30)]),
    ("cell_quarterly", "做好解读。完成时限:每季度。", [R(1, "quarter")]),
    ("cell_whole_year", "做好解读。完成时限:全年。", [ONGOING | {"what": "做好解读"}]),
    ("cell_ongoing", "做好解读。完成时限:持续推进。", [ONGOING | {"what": "做好解读"}]),
    ("counties_deadline", "各地区各部门要于2024年6月底前完成自查", [D(6, 30, per_owner=True)]),
    # numeric dates: a deadline only with 前/之前/以前, 截止 or in a time-limit cell
    ("iso_cell", "做好解读。完成时限:2024-09-30。", [D(9, 30, what="做好解读")]),
    ("iso_cell_before", "做好解读。完成时限:2024-9-30前。", [D(9, 30)]),
    ("iso_dots_before", "2024.9.30前完成网站改版", [D(9, 30, source="2024.9.30前完成网站改版")]),
    ("iso_slashes_before", "各科室于2024/9/30前报送自查报告", [D(9, 30, per_owner=True)]),
    ("iso_dashes_zhiqian", "2024-09-30之前完成目录梳理", [D(9, 30)]),
    ("iso_cut_off", "报送材料截止时间:2024-10-15", [D(10, 15)]),
    ("iso_cut_off_plain", "截止2024/11/30报送工作总结", [D(11, 30)]),
    ("iso_in_passing", "根据2024-01-15印发的通知做好解读", []),
    ("iso_issued_before", "对2024-01-15前印发的文件进行清理", []),
    ("iso_around", "2024-09-30前后组织开放日", []),
    ("iso_as_of", "截止2023-12-31,共受理申请5件", []),
    ("iso_not_a_date", "2024.13.1前完成", []),
    ("cut_off_month_day", "截止6月30日完成部门预算公开", [D(6, 30)]),
    ("cut_off_month_end", "截止9月底报送自查报告", [D(9, 30)]),
    ("cut_off_next_year", "截止次年1月31日报送年度报告", [D(1, 31, year_offset=1)]),
    ("cut_off_as_of_fact", "截止6月30日,共发布政府信息120条", []),
    ("cut_off_with_before", "截止6月30日前完成自查", [D(6, 30)]),
    ("month_dot_day_before", "9.30前完成决算公开", [D(9, 30)]),
    ("month_dot_day_zhiqian", "各科室于6.30之前报送材料", [D(6, 30, per_owner=True)]),
    ("month_dot_day_not_a_day", "9.31前完成", []),
    ("dotted_outline_number", "按照3.1前期准备的要求", []),
    ("decimal_before_after", "在2.5前后完成", []),
    ("iso_version_number", "升级至2024.1.15.2版本前完成测试", []),
    # a time-limit cell restating the task's text adds no rule; the same words once
    ("cell_restates_period", "每季度检查政府网站。完成时限:每季度。",
     [R(1, "quarter", source="每季度检查政府网站")]),
    ("cell_restates_deadline", "年底前做好解读。完成时限:年底前。", [D(12, 31, source="年底前做好解读")]),
    ("cell_restates_iso", "9月30日前完成自查。完成时限:2024-09-30。", [D(9, 30, source="9月30日前完成自查")]),
    ("cell_names_period_of_count", "各县区每季度至少报送2篇信息。完成时限:每季度。",
     [R(2, "quarter", per_owner=True, source="各县区每季度至少报送2篇信息")]),
    ("cell_adds_due_day", "每月更新公开目录。完成时限:每月10日前。",
     [R(1, "month", due_day=10, what="更新公开目录", source="每月10日前")]),
    ("cell_other_deadline", "6月底前完成自查。完成时限:年底前。", [D(6, 30), D(12, 31)]),
    ("cell_other_period", "每月更新目录。完成时限:每季度。", [R(1, "month"), R(1, "quarter")]),
    ("cell_restates_allowance", "文件印发后3个工作日内发布解读材料。完成时限:3个工作日内。",
     [A("文件印发", workdays=3) | {"source": "文件印发后3个工作日内发布解读材料"}]),
    ("cell_restates_calendar_days", "收到申请之日起15日内答复。完成时限:15日内。", [A("收到申请", days=15)]),
    ("cell_restates_event_and_allowance", "文件印发后3个工作日内发布解读材料。完成时限:文件印发后3个工作日内。",
     [A("文件印发", workdays=3) | {"source": "文件印发后3个工作日内发布解读材料"}]),
    ("cell_adds_event", "在5个工作日内作出回应。完成时限:文件发布后5个工作日内。",
     [A("文件发布", workdays=5) | {"what": "作出回应", "source": "文件发布后5个工作日内"}]),
    ("cell_other_event", "文件印发后3个工作日内发布解读材料。完成时限:会后3个工作日内。",
     [A("文件印发", workdays=3), A("会议", workdays=3)]),
    ("cell_other_allowance", "收到申请之日起15日内答复。完成时限:15个工作日内。",
     [A("收到申请", days=15), A(None, workdays=15)]),
    ("same_words_twice", "每季度检查网站;每季度检查网站", [R(1, "quarter")]),
    ("two_obligations_one_shape", "每年至少听取1次汇报,每年至少组织1次培训",
     [R(1, "year", what="听取汇报"), R(1, "year", what="组织培训")]),
    # ongoing
    ("keep_on", "持续做好政策解读工作", [ONGOING]),
    ("normalised", "常态化开展政府开放日活动", [ONGOING]),
    ("timely", "及时回应社会关切", [ONGOING]),
    ("long_term", "长期坚持公开承诺事项办理进展", [ONGOING]),
    ("dynamic", "动态更新政务公开事项目录", [ONGOING]),
    ("dynamic_management", "对权责清单实行动态管理", [ONGOING | {"what": "对权责清单实行动态管理"}]),
    ("instant", "即时更新办事指南", [ONGOING]),
    ("regularly", "定期组织开放活动", [ONGOING]),
    ("ongoing_yields_to_dated", "持续做好解读工作,每季度通报一次解读情况", [R(1, "quarter")]),
    ("regularly_with_period", "定期(每季度)研究政务公开工作", [R(1, "quarter")]),
    ("one_ongoing_only", "持续做好公开工作。及时回应关切。常态化开展评价。", [ONGOING]),
    ("irregularly", "不定期开展网站抽查", [ONGOING]),
    ("table_cell_ongoing", "积极做好政策解读工作。持续推进", [ONGOING]),
    # not rules
    ("past_fact_le", "今年以来开展了4次政策解读活动", []),
    ("past_fact_total", "全年共召开新闻发布会1场", []),
    ("past_fact_already", "每年已开展2次培训", []),
    ("inspection_finding", "检查发现3个网站未按要求每季度开展自查", []),
    ("inspection_not_timely", "部分栏目更新不及时", []),
    ("penalty_threshold", "对超过办理时限5个工作日的,予以通报", []),
    ("extension_cap", "需要延长答复期限的,应当经负责人同意并告知申请人,延长的期限最长不得超过20个工作日", []),
    ("average_time", "依申请公开平均办理时间不超过10个工作日", []),
    ("condition_not_duty", "未在3个工作日内答复的,予以通报", []),
    ("consultation_minimum", "征求意见期限一般不少于30日", []),
    ("publicity_period", "公示期为5个工作日", []),
    ("effective_date", "本办法自2024年1月1日起施行", []),
    ("article_number", "依据条例第二十六条规定办理", []),
    ("hotline", "充分收集12345政务服务便民热线等渠道反映的需求", []),
    ("document_number", "根据济民发〔2024〕12号文件要求", []),
    ("goal_year_end", "到2025年底,政务公开标准体系基本建成", []),
    ("goal_year_end_before", "到2025年底前,基本建成全覆盖的政务公开标准体系", []),
    ("percentage", "每年办结率达到95%以上", []),
    ("action_plan", "聚力实施山东民政事业高质量发展“1261”行动计划", []),
    ("two_subsidies", "做好残疾人“两项补贴”信息公开", []),
    ("old_and_young", "加强“一老一小”服务保障有关政策推送", []),
    ("three_sync", "认真落实政策解读“三同步”工作机制", []),
    ("three_reviews", "严格落实政府信息公开“三审三校”制度", []),
    ("party_congress", "深入学习贯彻党的二十大精神", []),
    ("plan_noun_yearly", "纳入局年度绩效考核,按年度计划推进", []),
    ("as_of_date", "截至2023年12月31日前共受理申请15件", []),
    ("annual_report_noun", "纳入部门政府信息公开工作年度报告予以公开", []),
    ("quarter_noun", "总结一季度工作情况", []),
    ("within_a_week", "收到群众留言后一周内予以回复", [A("收到群众留言", days=7)]),
    ("hours_whole_days", "对重要政务舆情,在24小时内予以回应", [A(None, days=1)]),
    ("hours_after_event", "重大突发事件发生后48小时内举行新闻发布会", [A("重大突发事件发生", days=2)]),
    ("hours_not_whole_days", "最迟在5小时内发布权威信息", []),
    ("office_hours", "工作时间为每周一至周五", []),
    ("at_least_without_count", "每季度至少对政务新媒体进行一轮检查", [R(1, "quarter")]),
    ("at_least_no_number", "每月至少更新政策问答库", [R(1, "month")]),
    ("months_unsupported", "收到后3个月内办结", []),
    ("content_not_within", "在首页更新近3日内容", []),
    ("within_then_deploy", "收到通知后3个工作日内部署落实", [A("收到通知", workdays=3)]),
    ("around_date", "9月30日前后组织开放日", []),
    ("once_only", "一次性告知申请人需补正的材料", []),
    ("every_two_years", "每两年开展一次评估", []),
    ("yearly_quantity", "每年新增就业5000人", []),
    ("dated_documents", "对2023年底前印发的规范性文件进行清理", []),
    ("already_done_by", "已于6月底前完成网站改版", []),
    ("gradually", "逐年提高公开质量", []),
    ("every_two_months", "每两个月开展一次检查", [R(6, "year", what="开展检查", source="每两个月开展一次检查")]),
    ("every_two_months_arabic_due", "每2个月10日前报送工作台账", [R(6, "year", due_day=10, what="报送工作台账")]),
    ("every_two_months_no_count", "各科室每两个月更新一次栏目信息", [R(6, "year", per_owner=True)]),
    ("every_two_months_twice", "每两个月至少开展2次检查", []),  # 2 in each two months: warned, not read
    ("every_other_month", "每隔两个月开展一次检查", []),  # 每隔两个月: every two or every three?
    ("daily", "每日更新疫情信息", []),
    ("by_age", "按年龄段分类公开养老服务信息", []),
    ("by_cycle", "按周期开展评估", []),
    ("by_season", "按季节调整开放时间", []),
    ("plain_sentence", "加强人员梯队建设,配备专职工作人员负责政务公开工作", []),
    # liberal input: full-width digits and half-width parentheses
    ("fullwidth_digits", "每年至少开展２次专题性政策评价", [R(2, "year") | {"source": "每年至少开展２次专题性政策评价"}]),
    ("halfwidth_parens", "文件发布后,应于3个工作日内关联发布解读材料(责任单位:局办公室)",
     [A("文件发布", workdays=3)]),
]


@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in CORPUS], ids=[row[0] for row in CORPUS])
def test_corpus(text: str, expected: list[dict[str, Any]]) -> None:
    rules, _ = extract_requirements(text)
    assert [shape(rule, want) for rule, want in zip(rules, expected, strict=False)] == expected[: len(rules)]
    assert len(rules) == len(expected), [shape(rule, {}) for rule in rules]
    for rule in rules:
        assert rule.source, rule
        assert rule.source in text


_WIDE = str.maketrans({",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09",
                       "%": "\uff05"})
"""ASCII clause punctuation → the full-width forms documents (and tracker.ingest) use."""


@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in CORPUS], ids=[row[0] for row in CORPUS])
def test_corpus_in_full_width_punctuation(text: str, expected: list[dict[str, Any]]) -> None:
    """The same rules, with sources in the document's own (full-width) characters."""
    wide = text.translate(_WIDE)
    rules, warnings = extract_requirements(wide)
    narrow_rules, narrow_warnings = extract_requirements(text)
    assert [rule._replace(source="", what="") for rule in rules] == [
        rule._replace(source="", what="") for rule in narrow_rules]
    assert [rule.source for rule in rules] == [rule.source.translate(_WIDE) for rule in narrow_rules]
    assert [rule.what for rule in rules] == [rule.what.translate(_WIDE) for rule in narrow_rules]
    assert warnings == narrow_warnings


def test_full_width_owner_note_is_not_in_source() -> None:
    text = "文件发布后\uff0c应于3个工作日内关联发布解读材料\uff08责任单位\uff1a局办公室\uff09"
    rules, _ = extract_requirements(text)
    assert [rule.source for rule in rules] == ["文件发布后\uff0c应于3个工作日内关联发布解读材料"]
    assert [rule.what for rule in rules] == ["关联发布解读材料"]


def test_corpus_names_are_unique() -> None:
    names = [row[0] for row in CORPUS]
    assert len(names) == len(set(names))


def test_regularly_warns_only_without_a_period() -> None:
    assert extract_requirements("定期组织开放活动")[1] == (REGULARLY_WARNING,)
    assert extract_requirements("定期(每季度)研究政务公开工作")[1] == ()
    assert extract_requirements("持续做好政策解读工作")[1] == ()


def test_every_two_months_more_than_once_warns() -> None:
    rules, warnings = extract_requirements("每两个月至少开展2次检查")
    assert rules == ()
    assert warnings == ("task text says “每两个月至少开展2次” (more than once every two months): "
                        "set the rule with `tracker rule`",)


@pytest.mark.parametrize(("text", "year_offset"), [
    ("2024年11月底前完成目录梳理", 0), ("2025年3月底前完成目录梳理", 1),
    ("2024-09-30前完成目录梳理", 0), ("2025.3.31前完成目录梳理", 1),
    ("做好解读。完成时限:2025-03-31。", 1), ("做好解读。完成时限:2025年3月。", 1),
    ("2025年年底前完成整改", 1), ("次年1月31日前报送", 1),
])
def test_a_named_year_is_read_against_the_plan_year(text: str, year_offset: int) -> None:
    rules, warnings = extract_requirements(text, year=2024)
    assert [(rule.kind, rule.year_offset) for rule in rules] == [(RequirementKind.DEADLINE, year_offset)]
    assert warnings == ()


@pytest.mark.parametrize("text", ["2023年11月底前完成目录梳理", "2023-09-30前完成目录梳理",
                                  "做好解读。完成时限:2023-09-30。", "2026年年底前完成整改"])
def test_a_year_not_the_plan_year_or_the_next_warns_and_sets_no_rule(text: str) -> None:
    rules, warnings = extract_requirements(text, year=2024)
    assert rules == ()
    assert len(warnings) == 1
    assert "not the plan's year 2024" in warnings[0]
    assert extract_requirements(text)[0]  # without the plan's year, the date is read (offset 0)


# ----- the Jining plan, task by task ----------------------------------------------------------


def jining_tasks() -> dict[str, str]:
    """Task number → task text, cut at the "N." that start lines of the seed plan."""
    text = JINING.read_text(encoding="utf-8")
    parts = re.split(r"\n(?=\d{1,2}\.)", text)
    return {part.split(".", 1)[0]: part.split(".", 1)[1] for part in parts[1:]}


DATED = {RequirementKind.RECURRING, RequirementKind.AFTER_EVENT, RequirementKind.DEADLINE}


def test_jining_has_fifteen_tasks() -> None:
    assert list(jining_tasks()) == [str(n) for n in range(1, 16)]


def test_jining_task_6_after_publication() -> None:
    rules, _ = extract_requirements(jining_tasks()["6"])
    assert [shape(rule, {"what": 1, "source": 1}) for rule in rules] == [
        A("文件发布", workdays=3) | {"what": "关联发布解读材料",
                                     "source": "文件发布后,应于3个工作日内关联发布解读材料"}
    ]


def test_jining_task_8_two_per_year_and_year_end() -> None:
    rules, _ = extract_requirements(jining_tasks()["8"])
    assert [shape(rule, {"source": 1}) for rule in rules] == [
        R(2, "year", source="原则上每年至少开展2次专题性政策评价工作"),
        D(12, 31, source="年底前将评价结果和运用情况向社会公开"),
    ]


def test_jining_task_12_quarterly() -> None:
    rules, warnings = extract_requirements(jining_tasks()["12"])
    assert [shape(rule, {}) for rule in rules] == [R(1, "quarter")]
    assert warnings == (REGULARLY_WARNING,)  # "定期报告等工作" names no period


def test_jining_task_13_two_yearly_rules() -> None:
    rules, _ = extract_requirements(jining_tasks()["13"])
    assert [shape(rule, {"what": 1}) for rule in rules] == [
        R(1, "year", what="听取政务公开工作汇报"),
        R(1, "year", what="组织政务公开培训"),
    ]


def test_jining_task_15_one_per_owner_per_year() -> None:
    rules, _ = extract_requirements(jining_tasks()["15"])
    assert [shape(rule, {}) for rule in rules] == [R(1, "year", per_owner=True)]


@pytest.mark.parametrize("number", ["1", "3", "7", "10", "14"])
def test_jining_tasks_without_dated_rule(number: str) -> None:
    rules, _ = extract_requirements(jining_tasks()[number])
    assert not [rule for rule in rules if rule.kind in DATED]
    assert len(rules) <= 1


def test_jining_every_source_is_verbatim() -> None:
    for text in jining_tasks().values():
        for rule in extract_requirements(text)[0]:
            assert rule.source in text


def test_chuzhou_report_interval_is_twenty_workdays() -> None:
    text = (SEEDS / "annual_2021_chuzhou_langya_renshe.txt").read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines() if "成文时间间隔" in line)
    rules, _ = extract_requirements(sentence)
    assert [shape(rule, {}) for rule in rules if rule.kind is RequirementKind.AFTER_EVENT] == [
        A("成文", workdays=20)
    ]


# ----- never raises ---------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("每年月季度半周双按内前后底末日天工作个次篇期场至少不超过于起之自收到文件发布定期持续及时各科室单位")
    + list("0123456789０１２３一二两三四十百,,。;;:()()、“”《》 \n%第号〔〕上下旬小时时限完成")
    + ["\uff0c", "\uff1b", "\uff1a", "\uff08", "\uff09", "\u3000"]
)


def assert_well_formed(rule: Requirement, text: str) -> None:
    """What every rule promises, whatever the text: verbatim source, short what, sane fields."""
    assert rule.source
    assert rule.source in text
    assert len(rule.what) <= 40
    if rule.kind is RequirementKind.RECURRING:
        assert rule.period in PERIODS
        assert rule.count is not None
        assert rule.count >= 1
        assert rule.due_day is None or 1 <= rule.due_day <= 31
    elif rule.kind is RequirementKind.AFTER_EVENT:
        assert (rule.workdays is None) != (rule.days is None)
        assert 1 <= (rule.workdays or rule.days or 0) <= 366
    elif rule.kind is RequirementKind.DEADLINE:
        assert rule.month is not None
        assert rule.day is not None
        assert date(2024, rule.month, rule.day)  # a real date (2024 is a leap year)
        assert rule.year_offset in (0, 1)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.text(_ALPHABET, max_size=80)))
def test_random_text_never_raises(text: str) -> None:
    rules, warnings = extract_requirements(text)
    for rule in rules:
        assert_well_formed(rule, text)
    assert all(isinstance(warning, str) for warning in warnings)
    assert sum(rule.kind is RequirementKind.ONGOING for rule in rules) <= 1


def test_corpus_rules_are_well_formed() -> None:
    for _, text, _ in CORPUS:
        for rule in extract_requirements(text)[0]:
            assert_well_formed(rule, text)


def test_run_on_text_reads_every_rule() -> None:
    """4,000 rules in one 20,000-character clause (no punctuation) are all read (the time this
    takes is printed by bench/parse_bench.py: about 0.4 s; a quadratic version took 15 s)."""
    rules, _ = extract_requirements("".join(f"每季度检查{n}号网站" for n in range(4000)))
    assert len(rules) == 4000


def test_prefilter_changes_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows skipped for lack of their words (`_NEEDS`) would have found nothing anyway; every
    row has its words listed."""
    from tracker.parse import rules as module

    assert set(module._NEEDS) == {name for name, _, _ in module.RULE_PATTERNS}
    texts = [row[1] for row in CORPUS] + list(jining_tasks().values())
    filtered = [extract_requirements(text) for text in texts]
    monkeypatch.setattr(module, "_NEEDS", {})
    assert [extract_requirements(text) for text in texts] == filtered
