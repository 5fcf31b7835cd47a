"""User-typed dates: every accepted form, and the errors that name them."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import (
    check_window,
    month_end,
    parse_date,
    parse_month,
    parse_past_date,
    parse_today,
)
from tracker.errors import UsageError

TODAY = date(2024, 7, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-08", date(2024, 10, 8)),
        ("2024/10/8", date(2024, 10, 8)),
        ("2024年10月8日", date(2024, 10, 8)),
        ("２０２４年１０月８日", date(2024, 10, 8)),
        ("10月8日", date(2024, 10, 8)),
        ("today", TODAY),
        ("今天", TODAY),
        ("yesterday", date(2024, 6, 30)),
        ("昨天", date(2024, 6, 30)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text, today=TODAY) == expected


def test_a_date_that_does_not_exist_says_so():
    with pytest.raises(UsageError, match="2024-02-30 does not exist"):
        parse_date("2024-02-30", today=TODAY)


@pytest.mark.parametrize("text", ["", "next week", "2024-10", "13-"])
def test_garbage_names_the_accepted_forms(text):
    with pytest.raises(UsageError, match="2024年10月8日"):
        parse_date(text, today=TODAY)


def test_month_and_month_end():
    assert parse_month("2024-10") == (2024, 10)
    assert parse_month("2024年2月") == (2024, 2)
    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2024, 12) == date(2024, 12, 31)
    with pytest.raises(UsageError):
        parse_month("2024-13")


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("\x00", "“\\x00”"),
        ("10\n下周", "“10\\n下周”"),
        ("\x1b[2J下周", "“\\x1b[2J下周”"),
        ("1\u202e0-8", "“1\\u202e0-8”"),
        ("下周\t", "“下周\\t”"),
    ],
)
def test_a_wrong_date_is_repeated_with_its_control_characters_escaped(typed, quoted):
    with pytest.raises(UsageError) as error:
        parse_date(typed, today=TODAY)
    message = str(error.value)
    assert message.startswith(f"{quoted} is not a date; use 2024-10-08")
    assert message.isprintable()


def test_a_long_wrong_date_is_cut_to_40_characters():
    with pytest.raises(UsageError) as error:
        parse_date("下" * 39 + "周" * 1000, today=TODAY)
    assert str(error.value).startswith("“" + "下" * 39 + "周…” is not a date")


def test_a_wrong_month_is_repeated_the_same_way():
    with pytest.raises(UsageError, match=r"^“2024\\x00-10” is not a month"):
        parse_month("2024\x00-10")


@pytest.mark.parametrize("text", ["", "  ", "\u3000"])
def test_an_empty_date_says_it_is_empty(text):
    with pytest.raises(UsageError, match=r"^the date is empty; use 2024-10-08"):
        parse_date(text, today=TODAY)


def test_a_past_date_may_be_today_or_earlier_never_later():
    assert parse_past_date("today", today=TODAY, what="a note") == TODAY
    assert parse_past_date("2024-06-30", today=TODAY, what="a note") == date(2024, 6, 30)
    with pytest.raises(UsageError, match=r"^a completion dated 2099-01-01 is after today \(2024-07-01\); "
                                         r"record it once it has happened\.$"):
        parse_past_date("2099-01-01", today=TODAY, what="a completion")
    with pytest.raises(UsageError, match=r"^a note dated 2024-07-02 is after today"):
        parse_past_date("tomorrow", today=TODAY, what="a note")


def test_a_future_month_day_without_a_year_asks_for_the_year():
    with pytest.raises(UsageError, match=r"^“12月28日” was read as 2024-12-28 \(this year\), which is after today "
                                         r"\(2024-07-01\); write the year, e.g. 2023年12月28日\.$"):
        parse_past_date("12月28日", today=TODAY, what="a completion")


@pytest.mark.parametrize(("call", "zh"), [
    (lambda: parse_date("", today=TODAY),
     "日期为空; 请用 2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, today/今天 或 yesterday/昨天。"),
    (lambda: parse_date("soon\x00", today=TODAY),
     "“soon\\x00”不是日期; 请用 2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, today/今天 或 yesterday/昨天。"),
    (lambda: parse_date("2023年2月29日", today=TODAY), "日历上没有 2023-02-29 这一天。"),
    (lambda: parse_date("9999-12-31", today=TODAY), "9999-12-31 超出范围; tracker 只接受 1900–2199 年的日期。"),
    (lambda: parse_past_date("2099-01-01", today=TODAY, what="a completion"),
     "完成日期 2099-01-01 晚于今天 (2024-07-01); 请在发生后再登记。"),
    (lambda: parse_past_date("tomorrow", today=TODAY, what="a note"),
     "进展日期 2024-07-02 晚于今天 (2024-07-01); 请在发生后再登记。"),
    (lambda: parse_past_date("12月28日", today=TODAY, what="a completion"),
     "“12月28日”按今年算是 2024-12-28, 晚于今天 (2024-07-01); 请写上年份, 如 2023年12月28日。"),
    (lambda: parse_month("2024-13"), "“2024-13”不是月份; 请用 2024-10 或 2024年10月。"),
    (lambda: parse_month("2200年1月"), "“2200年1月”超出范围; tracker 只接受 1900–2199 年的月份。"),
    (lambda: parse_today("2024-7-1"),
     "TRACKER_TODAY “2024-7-1”不是 ISO 日期 (如 2024-07-01); 取消这个环境变量即可使用今天的日期。"),
    (lambda: parse_today("0001-01-01"), "TRACKER_TODAY 0001-01-01 超出范围; 请用 1900–2199 年的日期。"),
    (lambda: check_window(367, "--within"), "--within 应为 0 到 366 之间的工作日数, 不能是 367。"),
])
def test_every_date_error_has_its_chinese_sentence_with_the_same_facts(call, zh):
    """Chinese is what a user reads by default; the English sentence stays `str()` (logs, --lang en)."""
    with pytest.raises(UsageError) as caught:
        call()
    assert caught.value.text("zh") == zh
    assert caught.value.text("en") == str(caught.value)
