"""The working-day calendar: package data, make-up days, counting rules, years without data, overrides."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.calendar import WorkCalendar, source_notice
from tracker.errors import TrackerError

CAL = WorkCalendar()


def test_worked_example_national_day_2024():
    # 09-28 Sat off, 09-29 Sun make-up (1), 09-30 Mon (2), 10-01..07 holiday, 10-08 Tue (3)
    assert CAL.add_workdays(date(2024, 9, 27), 3) == date(2024, 10, 8)
    assert CAL.workdays_between(date(2024, 9, 27), date(2024, 10, 8)) == 3


@pytest.mark.parametrize(("day", "working"), [
    pytest.param(date(2024, 9, 29), True, id="make-up Sunday counts"),
    pytest.param(date(2024, 2, 4), True, id="Spring Festival make-up Sunday"),
    pytest.param(date(2024, 10, 7), False, id="National Day holiday Monday"),
    pytest.param(date(2024, 2, 12), False, id="Spring Festival holiday Monday"),
    pytest.param(date(2024, 7, 1), True, id="plain Monday"),
    pytest.param(date(2024, 7, 6), False, id="plain Saturday"),
    pytest.param(date(2025, 1, 1), False, id="New Year's Day on a Wednesday"),
])
def test_is_workday(day, working):
    assert CAL.is_workday(day) is working


def test_start_day_never_counts_even_a_holiday():
    assert CAL.add_workdays(date(2024, 10, 7), 1) == date(2024, 10, 8)
    assert CAL.add_workdays(date(2024, 10, 6), 1) == date(2024, 10, 8)
    # a working day as start: the next working day, not itself
    assert CAL.add_workdays(date(2024, 7, 1), 1) == date(2024, 7, 2)


def test_friday_plus_one_lands_on_a_makeup_saturday():
    # 2024-10-12 (Saturday) is a make-up workday after National Day
    assert CAL.add_workdays(date(2024, 10, 11), 1) == date(2024, 10, 12)


def test_year_turns_over_past_new_years_day():
    # 2025-01-01 is a holiday (Wednesday): 01-02 (1), 01-03 (2), 01-06 Monday (3)
    assert CAL.add_workdays(date(2024, 12, 31), 3) == date(2025, 1, 6)
    assert CAL.workdays_between(date(2024, 12, 31), date(2025, 1, 6)) == 3


def test_workdays_between_edges():
    friday, saturday = date(2024, 7, 5), date(2024, 7, 6)
    assert CAL.workdays_between(friday, saturday) == 0
    assert CAL.workdays_between(friday, friday) == 0
    assert CAL.workdays_between(date(2024, 10, 8), date(2024, 9, 27)) == -3
    # a whole year: 2024 had 251 working days by the State Council arrangement
    assert CAL.workdays_between(date(2023, 12, 31), date(2024, 12, 31)) == 251


def test_spring_festival_2024_spans_eight_days_off():
    assert CAL.add_workdays(date(2024, 2, 9), 1) == date(2024, 2, 18)  # Sunday make-up day
    assert [d for d, _ in CAL.holidays(2024) if d.month == 2] == [date(2024, 2, d) for d in range(10, 18)]


def test_holidays_and_makeup_days_are_named():
    assert (date(2024, 10, 1), "国庆节") in CAL.holidays(2024)
    assert (date(2024, 9, 29), "国庆节") in CAL.makeup_workdays(2024)
    assert CAL.holidays(2027) == []
    assert source_notice(2025) == "国务院办公厅关于2025年部分节假日安排的通知"


def test_year_without_data_counts_weekends_only_and_says_so():
    cal = WorkCalendar()
    assert not cal.has_data(2027)
    assert cal.has_data(2024)
    assert cal.is_workday(date(2027, 1, 1))  # a Friday; no holiday data, so not guessed
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
    reason = cal.provisional_reason(date(2026, 12, 31), date(2027, 1, 1))
    assert reason is not None
    assert "2027" in reason
    assert "weekends only" in reason
    assert "tracker calendar set" in reason
    assert cal.provisional_reason(date(2024, 9, 27), date(2024, 10, 8)) is None


def test_provisional_reason_names_every_missing_year():
    reason = WorkCalendar().provisional_reason(date(2028, 3, 1), date(2026, 5, 1))
    assert reason is not None
    assert "2027 and 2028" in reason


def test_overrides_win():
    cal = WorkCalendar({date(2027, 1, 1): False, date(2027, 1, 2): True, date(2024, 10, 7): True})
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 2))  # a Saturday made a working day
    assert cal.is_workday(date(2024, 10, 7))  # overrides beat package data too
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 2)
    assert cal.holidays(2027) == [(date(2027, 1, 1), "")]
    assert cal.makeup_workdays(2027) == [(date(2027, 1, 2), "")]
    assert date(2024, 10, 7) not in dict(cal.holidays(2024))
    # the year is still without package data: counts over it stay provisional, and say why
    reason = cal.provisional_reason(date(2027, 1, 1), date(2027, 1, 4))
    assert reason is not None
    assert "override" in reason


@pytest.mark.parametrize("overrides", [
    pytest.param({"2027-01-01": False}, id="string key"),
    pytest.param({datetime(2027, 1, 1): False}, id="datetime key"),
    pytest.param({date(2027, 1, 1): "holiday"}, id="string value"),
    pytest.param({date(2027, 1, 1): 0}, id="int value"),
])
def test_bad_overrides_are_refused_with_the_rule(overrides):
    with pytest.raises(TrackerError, match="working day"):
        WorkCalendar(overrides)


@pytest.mark.parametrize("n", [0, -1])
def test_add_workdays_needs_at_least_one(n):
    with pytest.raises(TrackerError, match="at least 1") as caught:
        CAL.add_workdays(date(2024, 1, 1), n)
    assert caught.value.text("zh") == f"{n} 个工作日不是有效的期限: 事件后的期限至少为 1 个工作日。"


@pytest.mark.parametrize(("overrides", "zh"), [
    ({"2027-01-01": False}, "日历调整中的 '2027-01-01' 不是日期: 每项日历调整应把一个日期 (如 2027-01-01) 设为上班或放假。"),
    ({date(2027, 1, 1): 0}, "2027-01-01 的日历调整是 0: 应为 True (上班) 或 False (放假)。"),
])
def test_bad_overrides_are_said_in_chinese_too(overrides, zh):
    """Not reachable from the command line (stored overrides are read as booleans): the library's
    callers still get both sentences."""
    with pytest.raises(TrackerError) as caught:
        WorkCalendar(overrides)
    assert caught.value.text("zh") == zh
    assert caught.value.text("en") == str(caught.value)


def test_counts_agree_with_day_by_day_walk():
    """The prefix-count shortcut must agree with walking the days one by one."""
    start = date(2023, 12, 20)
    walked = 0
    for offset in range(1, 800):
        day = start + timedelta(days=offset)
        walked += CAL.is_workday(day)
        assert CAL.workdays_between(start, day) == walked


@settings(max_examples=150, deadline=None)
@given(start=st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31)), n=st.integers(1, 40))
def test_add_workdays_properties(start, n):
    result = CAL.add_workdays(start, n)
    assert result > start
    assert CAL.is_workday(result)
    assert CAL.workdays_between(start, result) == n
    assert CAL.workdays_between(result, start) == -n


def test_missing_year_is_asked_of_the_package_once(monkeypatch):
    import chinese_calendar

    calls = []
    real = chinese_calendar.is_workday

    def counting(day):
        calls.append(day.year)
        return real(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    cal = WorkCalendar()
    for offset in range(0, 365, 7):
        cal.is_workday(date(2027, 1, 1) + timedelta(days=offset))
        cal.provisional_reason(date(2027, 1, 1), date(2027, 12, 31))
    assert calls == [2027]


def test_has_overrides_is_per_year():
    cal = WorkCalendar({date(2027, 1, 1): False})
    assert cal.has_overrides(2027)
    assert not cal.has_overrides(2026)
    assert not WorkCalendar().has_overrides(2027)
