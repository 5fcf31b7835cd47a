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
