"""The words plans use for periods, counts and dates, as regular-expression pieces and lookups.

Pure vocabulary for `tracker.parse.rules`: which spellings mean which `PERIODS` value
(每季度 / 按季度 / 每3个月 → "quarter"), the numeral pattern counts are written in, and the
month/day arithmetic of deadlines (6月底 → 6-30). Nothing here matches a whole rule.
"""

from __future__ import annotations

import re

from tracker.parse.numerals import to_int

NUM = r"(?:\d{1,4}|[零〇一二两三四五六七八九十百]{1,4})"
"""A count or day number as plans write it: Arabic (after 1:1 full-width folding) or Chinese."""

# Spelling → period. Alternation order matters (longest first), so the regex is built from this
# list in order. Only *periodic* spellings are here: bare 年度/季度 are nouns (年度报告), never periods.
_PERIOD_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("每半年度", "half"), ("每半年", "half"), ("按半年度", "half"), ("按半年", "half"),
    ("每6个月", "half"), ("每六个月", "half"), ("每个半年", "half"),
    ("每一个季度", "quarter"), ("每个季度", "quarter"), ("每一季度", "quarter"),
    ("每季度", "quarter"), ("每季", "quarter"), ("按季度", "quarter"), ("按季", "quarter"),
    ("每3个月", "quarter"), ("每三个月", "quarter"),
    ("每半个月", "fortnight"), ("每半月", "fortnight"), ("每两周", "fortnight"),
    ("每2周", "fortnight"), ("每隔一周", "fortnight"), ("双周", "fortnight"),
    ("每一个星期", "week"), ("每个星期", "week"), ("每星期", "week"), ("每一周", "week"),
    ("每周", "week"), ("按周", "week"),
    ("每一个月", "month"), ("每个月", "month"), ("每月度", "month"), ("每月", "month"),
    ("按月度", "month"), ("按月", "month"), ("逐月", "month"), ("逐季度", "quarter"), ("逐季", "quarter"),
    ("每一年", "year"), ("每年度", "year"), ("每年", "year"), ("按年度", "year"), ("按年", "year"),
)
PERIOD_OF: dict[str, str] = dict(_PERIOD_SPELLINGS)
"""Periodic spelling → `PERIODS` value."""

PERIODIC = "|".join(re.escape(spelling) for spelling, _ in _PERIOD_SPELLINGS)
"""Regex alternation of every periodic spelling, longest first."""

YEAR_SPAN = r"(?:年(?<![一二两三四五六七八九十个\d]年)内|全年|年度内|当年内|本年度内|今年内)"
"""Words that bound a count to the plan's year without being periodic (年内不少于1次); not
三年内 (within three years). Every branch opens with a literal so the regex engine can skip ahead."""

ENUM_TOKEN = r"(?:半年度|半年|季度|季|月度|月|年度|年|周)"
"""One member of an enumeration of periods after 按/每: 按月、季、半年、年度."""

_ENUM_PERIOD = {"半年度": "half", "半年": "half", "季度": "quarter", "季": "quarter",
                "月度": "month", "月": "month", "年度": "year", "年": "year", "周": "week"}

_COUNT_CAP = {"year": 60, "half": 30, "quarter": 15, "month": 10, "fortnight": 5, "week": 5}
"""Above these a number is a quantity of things (500条信息), not a count of occasions: no rule."""

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Last day of each month. February is 28: the plan's year is unknown here, and the earlier
date is the safe one for a deadline (a leap year's 2月底 comes a day early)."""

_QUARTER_END = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
_TEN_DAY_END = {"上旬": 10, "中旬": 20}


def enum_period(token: str) -> str:
    """The period of one enumeration token ("季" → "quarter"); KeyError for a non-token."""
    return _ENUM_PERIOD[token]


def number(text: str | None) -> int | None:
    """A numeral as int, or None when absent or not a number (to_int's edge cases included)."""
    if not text:
        return None
    return to_int(text)


def plausible_count(count: int | None, period: str) -> bool:
    """True when `count` can be a number of occasions per `period` (1 ≤ count ≤ the cap)."""
    return count is not None and 1 <= count <= _COUNT_CAP[period]


def month_end(month: int) -> int:
    """The last day of `month` (February → 28, see `_MONTH_DAYS`)."""
    return _MONTH_DAYS[month - 1]


def valid_day(month: int | None, day: int | None) -> bool:
    """True when month/day name a real date in some year (2月29日 is accepted)."""
    if month is None or day is None or not 1 <= month <= 12:
        return False
    return 1 <= day <= (29 if month == 2 else _MONTH_DAYS[month - 1])


def quarter_end(numeral: str) -> int | None:
    """The last month of the quarter named by 一/二/三/四 (or 1–4); None for anything else."""
    return _QUARTER_END.get(numeral)


def part_day(month: int, part: str | None) -> int:
    """The due day for 底/末/下旬 (month end), 上旬 (10th), 中旬 (20th) of `month`."""
    return _TEN_DAY_END.get(part or "", month_end(month))
