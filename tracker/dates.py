"""Dates as users type them: 2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, today/今天, yesterday/昨天.

Pure: "today" is an argument, resolved by the entry point, so every test can fix it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from tracker.errors import UsageError, escaped_char

_FULL = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_WORDS = {"today": 0, "今天": 0, "今日": 0, "yesterday": -1, "昨天": -1, "昨日": -1, "tomorrow": 1, "明天": 1}
_FORMS = "2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, today/今天 or yesterday/昨天"
_FORMS_ZH = "2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, today/今天 或 yesterday/昨天"
_WHAT_ZH = {"a completion": "完成", "a note": "进展"}
"""`parse_past_date`'s `what` (the English its callers pass) in the Chinese sentence."""

FIRST_YEAR, LAST_YEAR = 1900, 2199
"""The years a date may fall in. Far wider than any plan (the holiday data starts in 2004), and
far enough from `date.max` that a deadline counted from any accepted date still exists: 9999-12-31
was accepted once and `--as-of` then failed one day later, inside the date arithmetic."""
MAX_WINDOW = 366
"""The most working days a window (`--within`, `--escalate-after`) may span: over a year ahead
says nothing a plan can use, and a count of millions of days only ends in an overflow."""


_SHOWN_MAX = 40
_UNSEEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Unicode categories a terminal would not show as one visible character: controls (NUL, ESC,
newline), format marks (zero-width space, bidi overrides), surrogates, private and unassigned."""


def shown(text: str, cap: int = _SHOWN_MAX) -> str:
    """`text` made safe to repeat in a one-line message: each invisible or control character
    written as Python would escape it (NUL → \\x00, newline → \\n, U+202E → \\u202e), and
    at most `cap` characters of it, followed by "…" when it was longer. Visible text, Chinese
    included, is shown as typed."""
    head = text[:cap]
    escaped = "".join(escaped_char(char) if unicodedata.category(char) in _UNSEEN else char for char in head)
    return escaped + ("…" if len(text) > cap else "")


def _fullwidth_to_ascii(text: str) -> str:
    return text.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})


def parse_date(text: str, *, today: date) -> date:
    """Read a date the way a coordinator writes it; raise `UsageError` naming the accepted forms.

    A month-day without a year ("10月8日") is in `today`'s year. A date that does not exist
    (2024-02-30) is an error that says so, never silently moved. The error repeats what was typed
    through `shown` (control characters escaped, at most 40 characters), so it stays one line.
    """
    value = _fullwidth_to_ascii(text).strip().lower()
    if not value:  # `--as-of ""` once meant today without a word: a script's empty variable
        raise UsageError(f"the date is empty; use {_FORMS}.", zh=f"日期为空; 请用 {_FORMS_ZH}。")
    if value in _WORDS:
        return today + timedelta(days=_WORDS[value])
    match = _FULL.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _MONTH_DAY.match(value)
        if not match:
            raise UsageError(f"“{shown(text)}” is not a date; use {_FORMS}.",
                             zh=f"“{shown(text)}”不是日期; 请用 {_FORMS_ZH}。")
        year = today.year
        month, day = (int(g) for g in match.groups())
    try:
        found = date(year, month, day)
    except ValueError:
        raise UsageError(f"{year}-{month:02d}-{day:02d} does not exist on the calendar.",
                         zh=f"日历上没有 {year}-{month:02d}-{day:02d} 这一天。") from None
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise UsageError(f"{found.isoformat()} is out of range; tracker takes dates in {FIRST_YEAR}–{LAST_YEAR}.",
                         zh=f"{found.isoformat()} 超出范围; tracker 只接受 {FIRST_YEAR}–{LAST_YEAR} 年的日期。")
    return found


def without_year(text: str) -> bool:
    """True when `text` is a month and day with no year ("10月8日", "10/8"): `parse_date` put it in
    today's year, which the caller may want to question."""
    return bool(_MONTH_DAY.match(_fullwidth_to_ascii(text).strip()))


def parse_past_date(text: str, *, today: date, what: str) -> date:
    """`parse_date` for the day something happened (`what`: "a completion", "a note"): a day after
    `today` is `UsageError` — it has not happened yet, and a status as of any later date would
    count it. When the typed form had no year ("12月28日" read as this year), the sentence says
    so and asks for the year, since last December is the likelier meaning. The Chinese sentence
    names `what` through `_WHAT_ZH` ("a completion" → 完成日期, "a note" → 进展日期)."""
    found = parse_date(text, today=today)
    if found <= today:
        return found
    if without_year(text):
        raise UsageError(f"“{shown(text)}” was read as {found} (this year), which is after today ({today}); "
                         f"write the year, e.g. {found.year - 1}年{found.month}月{found.day}日.",
                         zh=f"“{shown(text)}”按今年算是 {found}, 晚于今天 ({today}); "
                            f"请写上年份, 如 {found.year - 1}年{found.month}月{found.day}日。")
    raise UsageError(f"{what} dated {found} is after today ({today}); record it once it has happened.",
                     zh=f"{_WHAT_ZH.get(what, what)}日期 {found} 晚于今天 ({today}); 请在发生后再登记。")


def parse_month(text: str) -> tuple[int, int]:
    """Read a month ("2024-10", "2024/10", "2024年10月") → (year, month); `UsageError` if not one."""
    match = _YEAR_MONTH.match(_fullwidth_to_ascii(text))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(f"“{shown(text)}” is not a month; use 2024-10 or 2024年10月.",
                         zh=f"“{shown(text)}”不是月份; 请用 2024-10 或 2024年10月。")
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(f"“{shown(text)}” is out of range; tracker takes months in {FIRST_YEAR}–{LAST_YEAR}.",
                         zh=f"“{shown(text)}”超出范围; tracker 只接受 {FIRST_YEAR}–{LAST_YEAR} 年的月份。")
    return year, int(match.group(2))


def parse_today(text: str) -> date:
    """TRACKER_TODAY (an ISO date that fixes "today" for reproducible runs) → the date;
    `UsageError` naming the variable when it is not one."""
    try:
        found = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"TRACKER_TODAY “{shown(text)}” is not an ISO date (2024-07-01); "
                         "unset it to use today's date.",
                         zh=f"TRACKER_TODAY “{shown(text)}”不是 ISO 日期 (如 2024-07-01); "
                            "取消这个环境变量即可使用今天的日期。") from None
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise UsageError(f"TRACKER_TODAY {found.isoformat()} is out of range; use a date in {FIRST_YEAR}–{LAST_YEAR}.",
                         zh=f"TRACKER_TODAY {found.isoformat()} 超出范围; 请用 {FIRST_YEAR}–{LAST_YEAR} 年的日期。")
    return found


def check_window(value: int, option: str) -> int:
    """A window of working days given on the command line (`--within 5`): `value` when it is
    0 to `MAX_WINDOW`, else `UsageError` naming `option`."""
    if not 0 <= value <= MAX_WINDOW:
        raise UsageError(f"{option} takes a number of working days from 0 to {MAX_WINDOW}, not {value}.",
                         zh=f"{option} 应为 0 到 {MAX_WINDOW} 之间的工作日数, 不能是 {value}。")
    return value


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)
