"""User-typed dates: every accepted form, and the errors that name them."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import month_end, parse_date, parse_month
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
