"""Property-based fuzz of `tracker.dates.parse_date`: any text gives a date or a UsageError, nothing else.

Fixed budget (300 examples per property, no deadline) so CI time stays bounded.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker.dates import FIRST_YEAR, LAST_YEAR, parse_date, parse_month
from tracker.errors import UsageError

BUDGET = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
DATEISH = st.text(alphabet="0123456789０１２３４５６７８９-/.年月日 \t今天昨明todayesrw٢٠", max_size=24)


def _outcome(text: str, today: date) -> date | str:
    try:
        return parse_date(text, today=today)
    except UsageError as exc:  # the only error allowed: one sentence for the user
        message = str(exc)
        # (the text typed is echoed with control characters escaped, cut to 40 characters)
        assert any(words in message for words in ("is not a date; use 2024-10-08", "does not exist on the calendar",
                                                  "is out of range; tracker takes dates in 1900–2199",
                                                  "the date is empty; use 2024-10-08")), message
        chinese = exc.text("zh")  # what the user reads by default: the same one line, in Chinese
        assert any(words in chinese for words in ("不是日期; 请用 2024-10-08", "这一天。",
                                                  "超出范围; tracker 只接受 1900–2199 年的日期",
                                                  "日期为空; 请用 2024-10-08")), chinese
        assert "\n" not in chinese, chinese
        assert "\r" not in chinese, chinese
        return message


@BUDGET
@given(text=st.text(max_size=40), today=TODAYS)
@example(text="0000-01-01", today=date(2024, 7, 1))
@example(text="9999999999-1-1", today=date(2024, 7, 1))
@example(text="2024-02-30", today=date(2024, 7, 1))
@example(text="\x00", today=date(2024, 7, 1))
def test_any_text_is_a_date_or_a_usage_error(text: str, today: date) -> None:
    result = _outcome(text, today)
    assert isinstance(result, date | str)


@BUDGET
@given(text=DATEISH, today=TODAYS)
@example(text="٢٠٢٤-٠٧-٠١", today=date(2024, 7, 1))
@example(text="2月29日", today=date(2023, 7, 1))
def test_date_like_text_is_a_date_or_a_usage_error(text: str, today: date) -> None:
    result = _outcome(text, today)
    if isinstance(result, date):
        assert abs(result.year - today.year) <= 10_000


@BUDGET
@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)), today=TODAYS)
def test_every_real_date_reads_back_in_each_written_form(day: date, today: date) -> None:
    """A date in the years tracker takes reads back from each form; one outside them is refused
    in each form (9999-12-31 once parsed, then overflowed a day later inside the date arithmetic)."""
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日",
                 f" {day.year}年 {day.month}月{day.day}日 "):
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            assert parse_date(text, today=today) == day
        else:
            with pytest.raises(UsageError, match="out of range"):
                parse_date(text, today=today)


@pytest.mark.parametrize("text", ["2024-02-30", "2023年2月29日", "2024/13/01", "2024-00-10"])
def test_a_day_that_does_not_exist_is_refused_not_moved(text: str) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        parse_date(text, today=date(2024, 7, 1))


@BUDGET
@given(text=st.text(max_size=30))
def test_any_text_is_a_month_or_a_usage_error(text: str) -> None:
    try:
        year, month = parse_month(text)
    except UsageError:
        return
    assert 1 <= month <= 12
    assert FIRST_YEAR <= year <= LAST_YEAR
