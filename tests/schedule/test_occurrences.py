"""Rules → obligations: each rule shape's due dates and keys, per-owner sets, events, provisional counts."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.calendar import WorkCalendar
from tracker.errors import TrackerError
from tracker.model import Requirement, RequirementKind
from tracker.schedule import NO_OWNER_NOTE, EventFact, occurrences, summarize

CAL = WorkCalendar()


def recurring(count, period, **extra):
    return Requirement(kind=RequirementKind.RECURRING, source="…", count=count, period=period, **extra)


def dues(req, year=2024, **kwargs):
    return [(occ.key, occ.due.isoformat()) for occ in occurrences(req, year=year, calendar=CAL, **kwargs)]


D = date


@pytest.mark.parametrize(("count", "period", "expected"), [
    pytest.param(2, "year", [("2024-Y1", "2024-06-30"), ("2024-Y2", "2024-12-31")], id="twice a year"),
    pytest.param(1, "year", [("2024-Y1", "2024-12-31")], id="once a year"),
    pytest.param(3, "year", [("2024-Y1", "2024-04-30"), ("2024-Y2", "2024-08-31"), ("2024-Y3", "2024-12-31")],
                 id="three a year"),
    pytest.param(4, "year", [("2024-Y1", "2024-03-31"), ("2024-Y2", "2024-06-30"), ("2024-Y3", "2024-09-30"),
                             ("2024-Y4", "2024-12-31")], id="four a year"),
    pytest.param(5, "year", [("2024-Y1", "2024-03-31"), ("2024-Y2", "2024-05-31"), ("2024-Y3", "2024-08-31"),
                             ("2024-Y4", "2024-10-31"), ("2024-Y5", "2024-12-31")], id="five a year, month ends"),
    pytest.param(1, "quarter", [("2024-Q1", "2024-03-31"), ("2024-Q2", "2024-06-30"), ("2024-Q3", "2024-09-30"),
                                ("2024-Q4", "2024-12-31")], id="quarterly"),
    pytest.param(1, "half", [("2024-H1", "2024-06-30"), ("2024-H2", "2024-12-31")], id="half-yearly"),
    pytest.param(None, "quarter", [("2024-Q1", "2024-03-31"), ("2024-Q2", "2024-06-30"), ("2024-Q3", "2024-09-30"),
                                   ("2024-Q4", "2024-12-31")], id="no count means once"),
])
def test_recurring_due_dates(count, period, expected):
    assert dues(recurring(count, period)) == expected


def test_monthly_is_every_month_end_leap_february_included():
    got = dues(recurring(1, "month"))
    assert len(got) == 12
    assert got[1] == ("2024-M02", "2024-02-29")
    assert dues(recurring(1, "month"), year=2025)[1] == ("2025-M02", "2025-02-28")


def test_monthly_due_day_is_that_day_of_each_month_clamped():
    assert dues(recurring(1, "month", due_day=10))[:2] == [("2024-M01", "2024-01-10"), ("2024-M02", "2024-02-10")]
    assert dues(recurring(1, "month", due_day=31))[1] == ("2024-M02", "2024-02-29")


def test_quarter_due_day_falls_in_the_quarters_last_month():
    assert dues(recurring(1, "quarter", due_day=10))[0] == ("2024-Q1", "2024-03-10")


def test_two_per_quarter_split_each_quarter():
    got = dues(recurring(2, "quarter"))
    assert len(got) == 8
    assert got[:2] == [("2024-Q1-1", "2024-02-29"), ("2024-Q1-2", "2024-03-31")]


def test_weekly_ends_each_sunday_and_clips_the_last_week():
    occ = occurrences(recurring(1, "week"), year=2024, calendar=CAL)
    assert (occ[0].key, occ[0].period_start, occ[0].due) == ("2024-W01", D(2024, 1, 1), D(2024, 1, 7))
    assert all(o.due.weekday() == 6 for o in occ[:-1])
    assert (occ[-1].key, occ[-1].period_start, occ[-1].due) == ("2024-W53", D(2024, 12, 30), D(2024, 12, 31))
    # 2023-01-01 is a Sunday: week 1 is that one day
    assert occurrences(recurring(1, "week"), year=2023, calendar=CAL)[0].due == D(2023, 1, 1)


def test_fortnightly_counts_from_january_first():
    occ = occurrences(recurring(1, "fortnight"), year=2024, calendar=CAL)
    assert len(occ) == 26
    assert (occ[2].key, occ[2].period_start, occ[2].due) == ("2024-F03", D(2024, 1, 29), D(2024, 2, 11))
    assert occ[-1].due == D(2024, 12, 31)


def test_period_start_is_the_start_of_each_part():
    occ = occurrences(recurring(2, "year"), year=2024, calendar=CAL)
    assert [o.period_start for o in occ] == [D(2024, 1, 1), D(2024, 7, 1)]


def test_recurring_due_dates_stay_on_the_calendar_date_even_on_a_holiday():
    # 2024-06-30 is a Sunday; the plan's 6月底前 is kept as written, never moved
    occ = occurrences(recurring(2, "year"), year=2024, calendar=CAL)
    assert occ[0].due == D(2024, 6, 30)
    assert not occ[0].provisional


def test_year_without_calendar_data_still_schedules_recurring_rules():
    assert dues(recurring(2, "year"), year=2027) == [("2027-Y1", "2027-06-30"), ("2027-Y2", "2027-12-31")]


def test_deadline_and_next_year_offset():
    req = Requirement(kind=RequirementKind.DEADLINE, source="…", month=6, day=30)
    assert dues(req) == [("deadline", "2024-06-30")]
    nxt = Requirement(kind=RequirementKind.DEADLINE, source="…", month=1, day=31, year_offset=1)
    assert dues(nxt) == [("deadline", "2025-01-31")]


@pytest.mark.parametrize(("year", "expected"), [(2024, "2024-02-29"), (2025, "2025-02-28")])
def test_deadline_day_is_clamped_to_the_months_end(year, expected):
    req = Requirement(kind=RequirementKind.DEADLINE, source="…", month=2, day=30)
    assert dues(req, year=year) == [("deadline", expected)]


def test_per_owner_makes_one_set_per_owner():
    owners = ("局办公室", "社会救助科", "养老服务科")
    occ = occurrences(recurring(2, "year", per_owner=True), year=2024, owners=owners, calendar=CAL)
    assert len(occ) == 6
    assert {o.owner for o in occ} == set(owners)
    assert sorted(o.key for o in occ if o.owner == "社会救助科") == ["2024-Y1#社会救助科", "2024-Y2#社会救助科"]
    deadline = Requirement(kind=RequirementKind.DEADLINE, source="…", month=12, day=31, per_owner=True)
    assert [o.key for o in occurrences(deadline, year=2024, owners=owners, calendar=CAL)] == [
        "deadline#局办公室", "deadline#社会救助科", "deadline#养老服务科"]


def test_per_owner_without_owners_is_one_set_noted():
    occ = occurrences(recurring(1, "year", per_owner=True), year=2024, calendar=CAL)
    assert [(o.key, o.owner, o.note) for o in occ] == [("2024-Y1", None, NO_OWNER_NOTE)]


def test_after_event_one_obligation_per_event_on_working_days():
    req = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", event="文件发布", workdays=3)
    events = [EventFact(12, D(2024, 9, 27), ref="济民发〔2024〕12号"), EventFact(7, D(2024, 3, 1))]
    occ = occurrences(req, year=2024, events=events, calendar=CAL)
    assert [(o.key, o.due, o.event_id) for o in occ] == [
        ("event:7", D(2024, 3, 6), 7), ("event:12", D(2024, 10, 8), 12)]
    assert "济民发〔2024〕12号" in occ[1].note
    assert not occ[1].provisional


def test_after_event_in_calendar_days():
    req = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", days=15)
    assert dues(req, events=[EventFact(1, D(2024, 9, 27))]) == [("event:1", "2024-10-12")]


def test_calendar_days_ending_on_a_rest_day_end_on_the_next_working_day():
    """民法典 art. 203 (and the procedure laws): the last day of a period that is a rest day moves
    to the day after the rest. 09-20 + 15 → 10-05 (National Day) → 10-08; 06-01 + 15 → Sunday
    06-16 → 06-17; 09-27 + 15 → 10-12, a make-up Saturday, stays; 0 days is the event's own day."""
    req = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", days=15)
    (moved,) = occurrences(req, year=2024, events=[EventFact(1, D(2024, 9, 20), ref="X号")], calendar=CAL)
    assert (moved.due, moved.provisional) == (D(2024, 10, 8), False)
    assert moved.note == "X号; 15 days end on 2024-10-05, a rest day: moved to the next working day"
    assert dues(req, events=[EventFact(1, D(2024, 6, 1))]) == [("event:1", "2024-06-17")]
    (kept,) = occurrences(req, year=2024, events=[EventFact(1, D(2024, 9, 27))], calendar=CAL)
    assert (kept.due, kept.note) == (D(2024, 10, 12), "")
    same_day = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", days=0)
    assert dues(same_day, events=[EventFact(1, D(2024, 10, 3))]) == [("event:1", "2024-10-03")]
    # an override counts: a rest day the office made a working day is not moved
    working = WorkCalendar({D(2024, 10, 5): True})
    assert occurrences(req, year=2024, events=[EventFact(1, D(2024, 9, 20))], calendar=working)[0].due == D(2024, 10, 5)


def test_calendar_days_ending_in_a_year_without_data_are_provisional():
    """Whether 2027-01-04 rests is not known until the arrangement for 2027 is in: said, not guessed."""
    req = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", days=15)
    (occ,) = occurrences(req, year=2026, events=[EventFact(1, D(2026, 12, 20))], calendar=CAL)
    assert (occ.due, occ.provisional) == (D(2027, 1, 4), True)
    assert "no holiday data for 2027" in occ.note


def test_after_event_without_events_has_no_obligation():
    req = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", workdays=3)
    assert occurrences(req, year=2024, calendar=CAL) == []


def test_after_event_crossing_a_year_without_data_is_provisional_and_says_why():
    req = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", workdays=3)
    occ = occurrences(req, year=2026, events=[EventFact(3, D(2026, 12, 30), ref="X号")], calendar=CAL)
    assert occ[0].due == D(2027, 1, 4)  # 12-31 (1), 2027-01-01 Friday counted as working (2), 01-04 (3)
    assert occ[0].provisional
    assert "X号" in occ[0].note
    assert "2027" in occ[0].note


def test_ongoing_is_one_undated_obligation():
    req = Requirement(kind=RequirementKind.ONGOING, source="持续")
    occ = occurrences(req, year=2024, calendar=CAL)
    assert [(o.key, o.due) for o in occ] == [("ongoing", None)]


@pytest.mark.parametrize("req", [
    pytest.param(recurring(1, "decade"), id="unknown period"),
    pytest.param(recurring(0, "year"), id="zero count"),
    pytest.param(Requirement(kind=RequirementKind.DEADLINE, source="…", month=13, day=1), id="month 13"),
])
def test_rules_the_schedule_cannot_place_are_refused(req):
    with pytest.raises(TrackerError):
        occurrences(req, year=2024, calendar=CAL)


@pytest.mark.parametrize(("req", "zh", "en"), [
    (recurring(2, "year"), "每年2次", "2 times a year"),
    (recurring(1, "quarter"), "每季度", "quarterly"),
    (recurring(1, "month", due_day=10), "每月10日前", "monthly, by day 10"),
    (Requirement(kind=RequirementKind.AFTER_EVENT, source="…", event="发文", workdays=3),
     "发文后3个工作日", "3 working days after 发文"),
    (Requirement(kind=RequirementKind.DEADLINE, source="…", month=12, day=31), "12月31日前", "by 12-31"),
    (Requirement(kind=RequirementKind.DEADLINE, source="…", month=1, day=31, year_offset=1),
     "次年1月31日前", "by 01-31 of the next year"),
    (Requirement(kind=RequirementKind.ONGOING, source="…"), "持续", "ongoing"),
    (recurring(1, "year", per_owner=True), "每年1次(各责任单位各1次)", "once a year (1 per owner)"),
])
def test_summarize(req, zh, en):
    assert summarize(req) == zh
    assert summarize(req, "en") == en


@pytest.mark.parametrize("req", [
    pytest.param(Requirement(kind="weekly", source="…"), id="unknown kind"),
    pytest.param(Requirement(kind=RequirementKind.DEADLINE, source="…", month=6, day=45), id="day 45"),
])
def test_malformed_rules_are_a_sentence_not_a_traceback(req):
    with pytest.raises(TrackerError, match=r"use one of|1 to 31"):
        occurrences(req, year=2024, calendar=CAL)


@pytest.mark.parametrize(("req", "zh"), [
    (recurring(1, "decade"), "“decade”不是有效的重复周期; 请用 year, half, quarter, month, fortnight, week 之一。"),
    (recurring(0, "year"), "周期性规则每个周期至少 1 次, 不能是 0 次。"),
    (recurring(1, "month", due_day=32), "每期到期日 32 无效; 应为 1 到 31 日中的一天。"),
    (Requirement(kind=RequirementKind.DEADLINE, source="…", month=13, day=1), "截止月份 13 无效; 应为 1 到 12 月。"),
    (Requirement(kind=RequirementKind.DEADLINE, source="…", month=6, day=45), "截止日 45 无效; 应为 1 到 31 日中的一天。"),
    (Requirement(kind="weekly", source="…"),
     "“weekly”不是有效的规则类型; 请用 recurring, after_event, deadline, ongoing 之一。"),
    (Requirement(kind=RequirementKind.AFTER_EVENT, source="…", days=-1), "-1 天不是有效的期限: 事件后的期限应为 0 天或以上。"),
])
def test_a_rule_the_schedule_cannot_place_is_said_in_chinese_too(req, zh):
    """The Chinese sentence carries the same value as the English one (which stays `str()`)."""
    events = [EventFact(1, date(2024, 3, 1))]
    with pytest.raises(TrackerError) as caught:
        occurrences(req, year=2024, calendar=CAL, events=events)
    assert caught.value.text("zh") == zh
    assert caught.value.text("en") == str(caught.value)
    assert not any("\u4e00" <= char <= "\u9fff" for char in str(caught.value))


def test_a_due_day_no_month_has_is_refused_on_the_command_line_in_the_users_language(demo_db):
    """`tracker rule … --due-day 40`: the schedule's own sentence, Chinese by default; nothing written."""
    import sqlite3
    from io import StringIO

    from tracker.cli import main

    def rules() -> int:
        conn = sqlite3.connect(demo_db)
        try:
            return int(conn.execute("SELECT count(*) FROM requirement").fetchone()[0])
        finally:
            conn.close()

    before = rules()
    argv = ["rule", "12", "--add", "--kind", "recurring", "--count", "1", "--period", "month", "--due-day", "40"]
    for lang, said in (("zh", "tracker: 每期到期日 40 无效; 应为 1 到 31 日中的一天。\n"),
                       ("en", "tracker: Day 40 is not a day of the month; a due day is 1 to 31.\n")):
        out, err = StringIO(), StringIO()
        assert main(["--lang", lang, *argv], out=out, err=err) == 2
        assert (out.getvalue(), err.getvalue()) == ("", said)
    assert rules() == before


def test_summarize_never_raises_on_an_unknown_kind():
    assert summarize(Requirement(kind="weekly", source="每周一次")) == "每周一次"


PERIOD_COUNTS = {"year": 1, "half": 2, "quarter": 4, "month": 12, "fortnight": 26}


@settings(max_examples=60, deadline=None)
@given(period=st.sampled_from(sorted(PERIOD_COUNTS)), count=st.integers(1, 30),
       due_day=st.one_of(st.none(), st.integers(1, 31)), year=st.integers(2004, 2030))
def test_recurring_parts_cover_the_year_in_order(period, count, due_day, year):
    occ = occurrences(recurring(count, period, due_day=due_day), year=year, calendar=CAL)
    assert len(occ) == PERIOD_COUNTS[period] * count
    assert len({o.key for o in occ}) == len(occ)
    assert all(date(year, 1, 1) <= o.period_start <= o.due <= date(year, 12, 31) for o in occ)
    assert [o.due for o in occ] == sorted(o.due for o in occ)
    if due_day is None:
        assert occ[-1].due == date(year, 12, 31)
