"""collect → Digest → text / JSON / HTML, on hand-built views (pure: no database)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from remind_views import PLAN, jining_like, ob, rule, task

from tracker.calendar import WorkCalendar
from tracker.model import Owners, RequirementKind, Status
from tracker.remind import collect
from tracker.remind.render import HtmlFormatter, JsonFormatter, TextFormatter, occurrence_words

AS_OF = date(2024, 7, 1)
CAL = WorkCalendar()
EMAILS = {"局办公室": "office@example.gov.cn", "养老服务科": None, "政策法规科": "law@example.gov.cn"}


def digest(**kw):
    return collect(jining_like(), as_of=AS_OF, calendar=CAL, emails=EMAILS, **kw)


def test_routes_items_to_lead_owners_per_owner_obligations_and_the_unassigned_group():
    d = digest()
    assert [g.owner for g in d.owners] == ["养老服务科", "局办公室", None]
    office = d.owners[1]
    assert office.email == "office@example.gov.cn"
    # overdue first, oldest due first; then due soon; quiet and done obligations are not there
    assert [(i.task, i.key) for i in office.items] == [
        ("12", "2024-Q1"), ("8", "2024-Y1"), ("12", "2024-Q2"), ("13", "deadline")]
    # the supporting unit 政策法规科 of task 8 hears nothing; 养老服务科 hears its own per-owner
    # obligation of task 15 and task 13, which it co-leads
    assert [(i.task, i.key) for i in d.owners[0].items] == [
        ("15", "deadline#养老服务科"), ("13", "deadline")]
    assert [(i.task, i.owner) for i in d.owners[2].items] == [("14", None)]


def test_counts_days_late_in_calendar_days_and_days_left_in_working_days():
    d = digest()
    items = {(i.task, i.key): i for i in d.items}
    assert items["8", "2024-Y1"].days_late == 1          # due Sunday 06-30, as of Monday
    assert items["8", "2024-Y1"].workdays_late == 1
    assert items["12", "2024-Q1"].days_late == 92
    assert items["13", "deadline"].workdays_left == 2     # Tue 07-02, Wed 07-03
    assert items["14", "deadline"].workdays_left == 0     # due today: due, not overdue
    assert items["14", "deadline"].days_late is None
    assert (d.overdue, d.due_soon) == (4, 2)              # task 13 counted once, not per owner


def test_escalates_items_overdue_by_more_than_n_working_days_once_each():
    d = digest(escalate_after=5)
    assert [(i.task, i.key) for i in d.escalated] == [("12", "2024-Q1"), ("15", "deadline#养老服务科")]
    assert digest(escalate_after=100).escalated == ()
    # exactly N working days late is not yet "more than N"
    d1 = digest(escalate_after=1)
    assert ("8", "2024-Y1") not in [(i.task, i.key) for i in d1.escalated]
    assert ("8", "2024-Y1") in [(i.task, i.key) for i in digest(escalate_after=0).escalated]


def test_owner_filter_keeps_one_group_and_its_escalations():
    d = digest(owner="养老服务科")
    assert [g.owner for g in d.owners] == ["养老服务科"]
    assert [(i.task, i.key) for i in d.escalated] == [("15", "deadline#养老服务科")]
    assert digest(owner="无此单位").empty


def test_nothing_due_is_an_empty_digest_and_prints_nothing():
    quiet = [task(1, "1", "无事", owners=Owners(lead=("局办公室",)), rules=(rule(1),),
                  obligations=(ob(1, "2024-Y1", date(2024, 12, 31), Status.ON_TRACK),))]
    d = collect(quiet, as_of=AS_OF, calendar=CAL)
    assert d.empty
    assert d.owners == ()
    assert d.escalated == ()
    assert TextFormatter().digest(d) == ""


EXPECTED_TEXT = f"""\
政务公开提醒 2024-07-01: 逾期4项、临期2项

养老服务科 (逾期1项、临期1项)
  [逾期11天] {PLAN} 任务15 强化工作创新 — 6月20日前(各责任单位各1次) 应于2024-06-20
  [剩2个工作日] {PLAN} 任务13 强化工作保障 — 7月3日前 应于2024-07-03

局办公室 (逾期3项、临期1项)
  [逾期92天] {PLAN} 任务12 推进政府网站和政务新媒体管理 — 每季度 (第1季度) 应于2024-03-31
  [逾期1天] {PLAN} 任务8 深化重大决策公众参与 — 每年2次 (第1次) 应于2024-06-30
  [逾期1天] {PLAN} 任务12 推进政府网站和政务新媒体管理 — 每季度 (第2季度) 应于2024-06-30
  [剩2个工作日] {PLAN} 任务13 强化工作保障 — 7月3日前 应于2024-07-03

未指定责任单位 (逾期0项、临期1项)
  [今日到期] {PLAN} 任务14 推进政务公开标准化建设 — 7月1日前 应于2024-07-01

督办: 逾期超过5个工作日 2项
  [逾期92天] {PLAN} 任务12 推进政府网站和政务新媒体管理 — 每季度 (第1季度) 应于2024-03-31 — 局办公室
  [逾期11天] {PLAN} 任务15 强化工作创新 — 6月20日前(各责任单位各1次) 应于2024-06-20 — 养老服务科
"""


def test_text_digest_exact():
    assert TextFormatter("zh").digest(digest()) == EXPECTED_TEXT


def test_text_digest_in_english():
    text = TextFormatter("en").digest(digest(lang="en"))
    assert text.splitlines()[0] == "Disclosure plan reminder 2024-07-01: 4 overdue, 2 due soon"
    assert f"  [1 day late] {PLAN} task 8 深化重大决策公众参与 — 2 times a year (no. 1) due 2024-06-30" in text
    assert f"  [due today] {PLAN} task 14 推进政务公开标准化建设 — by 07-01 due 2024-07-01" in text
    assert "no owner assigned (0 overdue, 1 due soon)" in text
    assert "Escalated: overdue by more than 5 working days, 2 item(s)" in text


def test_json_is_sorted_stable_and_complete():
    d = digest()
    out = JsonFormatter().digest(d)
    obj = json.loads(out)
    assert list(obj) == sorted(obj)
    assert obj["as_of"] == "2024-07-01"
    assert obj["workday"] is True
    assert [o["owner"] for o in obj["owners"]] == ["养老服务科", "局办公室", None]
    assert obj["owners"][1]["email"] == "office@example.gov.cn"
    assert obj["owners"][1]["items"][1] == {
        "days_late": 1, "due": "2024-06-30", "key": "2024-Y1", "owner": "局办公室", "plan": PLAN,
        "plan_id": 1, "provisional": False, "rule": "每年2次", "rule_no": 1, "status": "overdue", "task": "8",
        "title": "深化重大决策公众参与", "workdays_late": 1, "workdays_left": None}
    assert [e["key"] for e in obj["escalated"]] == ["2024-Q1", "deadline#养老服务科"]
    assert out == JsonFormatter().digest(digest())  # same input, same bytes


def test_html_escapes_document_text_and_has_a_row_per_item():
    evil = [task(1, "1", "<script>alert(1)</script> & “引号”", owners=Owners(lead=("<b>科</b>",)),
                 rules=(rule(1, kind=RequirementKind.DEADLINE, month=6, day=30),),
                 obligations=(ob(1, "deadline", date(2024, 6, 30), Status.OVERDUE),),
                 plan="=cmd|' /C calc'!A0")]
    d = collect(evil, as_of=AS_OF, calendar=CAL)
    page = HtmlFormatter().digest(d)
    assert "<script>" not in page
    assert "<b>科</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”" in page
    assert "&lt;b&gt;科&lt;/b&gt;" in page
    assert page.count("<tr>") == 2  # header + one item
    owner_page = HtmlFormatter().owner(d, d.owners[0])
    assert "&lt;b&gt;科&lt;/b&gt;" in owner_page
    assert "<script>" not in owner_page


def test_provisional_due_dates_say_so():
    t = task(1, "1", "明年的事", owners=Owners(lead=("局办公室",)),
             rules=(rule(1, kind=RequirementKind.DEADLINE, month=1, day=5),),
             obligations=(ob(1, "deadline", date(2027, 1, 5), Status.DUE_SOON, provisional=True),))
    d = collect([t], as_of=date(2027, 1, 4), calendar=CAL)
    assert "应于2027-01-05 (暂定)" in TextFormatter().digest(d)
    assert d.items[0].provisional


@pytest.mark.parametrize(("key", "zh", "en"), [
    ("2024-Y2", "第2次", "no. 2"), ("2024-Q3", "第3季度", "Q3"), ("2024-H1", "上半年", "H1"),
    ("2024-H2", "下半年", "H2"), ("2024-M03", "3月", "month 3"), ("2024-W05", "第5周", "week 5"),
    ("2024-F03", "第3个双周", "fortnight 3"), ("2024-Y1#局办公室", "第1次", "no. 1"),
    ("deadline", "", ""), ("event:12", "", ""), ("ongoing", "", "")])
def test_occurrence_words(key, zh, en):
    assert (occurrence_words(key, "zh"), occurrence_words(key, "en")) == (zh, en)
