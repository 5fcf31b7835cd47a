"""User-typed dates: every accepted form, and the errors that name them."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import month_end, parse_date, parse_month, parse_past_date
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
