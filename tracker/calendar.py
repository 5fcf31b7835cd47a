"""The Chinese working-day calendar: which days are working days, and counting them.

Semantics. A working day (工作日) is Monday–Friday, minus the statutory holidays (法定节假日),
plus the make-up workdays (调休上班日) on which offices work a Saturday or Sunday. The holidays and
make-up days come from the `chinesecalendar` package (module `chinese_calendar`), which transcribes
the State Council General Office's notice published each year for the next, 国务院办公厅关于
××××年部分节假日安排的通知 (`source_notice(year)` gives the title); version 1.11 covers 2004–2026.
On top of the package data come the user's overrides (`tracker calendar set 2027-01-01 holiday`), which always win.

A year the package does not cover is never guessed: its days are counted on weekends alone
(Monday–Friday work, Saturday–Sunday rest, plus any overrides), and every count that crosses it
is marked provisional with a plain-words reason (`provisional_reason`). The State Council
publishes next year's arrangement each November, usually before a package release, so a
coordinator can enter it as overrides; the year still counts as "without data" (`has_data` is
about the package only) until a package release covers it, and the reason then says the count
rests on those overrides.

Worked example: 2024-09-27 (a Friday) + 3 working days → 2024-10-08. The count starts the day
after: 09-28 Saturday rests, 09-29 Sunday is a make-up workday (1), 09-30 Monday works (2),
10-01..07 are the National Day holiday, 10-08 Tuesday works (3).

Pure: no clock, no I/O, no database; overrides are passed in as data.
"""

# No `from __future__ import annotations`: the NamedTuples below would then compile a
# ForwardRef per field at import (see the per-file-ignores in pyproject.toml).


from bisect import bisect_left
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import NamedTuple

import chinese_calendar  # ~14 ms, on every path that schedules: cheap enough to load at import

from tracker.errors import UsageError

_NOTICE = "国务院办公厅关于{year}年部分节假日安排的通知"


class _Year(NamedTuple):
    """One year of the calendar, precomputed: a working-day flag and a running count per day."""

    first: int
    """Ordinal of 1 January."""
    flags: bytes
    """flags[i] == 1 when day `first + i` is a working day."""
    cum: tuple[int, ...]
    """cum[i] = working days from 1 January up to and including day i (non-decreasing)."""

    @property
    def total(self) -> int:
        """Working days in the whole year."""
        return self.cum[-1]


class WorkCalendar:
    """Working days on the Chinese calendar: package data for 2004–2026, then user overrides.

    `overrides` maps a date to True (a working day) or False (a day off); an override wins over
    the package whatever the package says. Everything is computed once per year and cached, so
    `is_workday` is a dictionary lookup and an index, and counting over a range is a subtraction.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        """Build a calendar; `UsageError` if an override is not a date mapped to True or False."""
        self._overrides: dict[int, dict[date, bool]] = {}
        for day, working in (overrides or {}).items():
            _check_override(day, working)
            self._overrides.setdefault(day.year, {})[day] = working
        self._years: dict[int, _Year] = {}
        self._covered: dict[int, bool] = {}

    # -- what the package knows ---------------------------------------------------------------

    def has_data(self, year: int) -> bool:
        """True when the `chinesecalendar` package has the State Council arrangement for `year`.

        Overrides do not count: a year known only through overrides answers False, and counts
        over it stay provisional. The package's NotImplementedError is caught once per year.
        """
        known = self._covered.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
                known = True
            except NotImplementedError:
                known = False
            self._covered[year] = known
        return known

    def has_overrides(self, year: int) -> bool:
        """True when the user entered at least one override (`tracker calendar set`) in `year`:
        with `has_data`, whether anything beyond weekends tells that year's working days."""
        return bool(self._overrides.get(year))

    def provisional_reason(self, start: date, end: date) -> str | None:
        """Why a date counted over the days from `start` to `end` is provisional; None if it is not.

        The order of `start` and `end` does not matter. None means every year touched has
        package data. Otherwise one sentence names the years without data, e.g. "no holiday
        data for 2027 (the State Council publishes it each November): counted on weekends only;
        add the arrangement with `tracker calendar set`".
        """
        low, high = sorted((start.year, end.year))
        missing = [year for year in range(low, high + 1) if not self.has_data(year)]
        if not missing:
            return None
        years = _join_years(missing)
        overridden = sum(len(self._overrides.get(year, {})) for year in missing)
        if overridden:
            return (f"no holiday data for {years} in the calendar package (the State Council "
                    f"publishes it each November): counted on weekends and your {overridden} "
                    f"calendar override(s) only; check them with `tracker calendar show {missing[0]}`")
        return (f"no holiday data for {years} (the State Council publishes it each November): "
                "counted on weekends only; add the arrangement with `tracker calendar set`")

    # -- single days ----------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """True when `day` is a working day: an override if any, else package data, else Mon–Fri."""
        year = self._year(day.year)
        return year.flags[day.toordinal() - year.first] == 1

    def holidays(self, year: int) -> list[tuple[date, str]]:
        """Days off in `year` beyond plain weekends, by date, as (date, name).

        The package's holiday days (including the weekend days inside a holiday period, as the
        State Council notice lists them), named in Chinese ("春节", "国庆节"), plus overrides
        marking a day off (name ""; the caller keeps override names), minus days an override
        makes a working day. Empty for a year without package data and without overrides.
        """
        rows: dict[date, str] = {}
        if self.has_data(year):
            rows = {day: _chinese_name(value) for day, value in chinese_calendar.holidays.items()
                    if day.year == year}
        return self._merge(rows, year, working=False)

    def makeup_workdays(self, year: int) -> list[tuple[date, str]]:
        """Make-up working days (调休上班日) of `year`, by date, as (date, name of the holiday).

        Package make-up days ("国庆节" for 2024-09-29) plus overrides marking a working day
        (name ""), minus days an override makes a day off.
        """
        rows: dict[date, str] = {}
        if self.has_data(year):
            rows = {day: _chinese_name(value) for day, value in chinese_calendar.workdays.items()
                    if day.year == year}
        return self._merge(rows, year, working=True)

    # -- counting -------------------------------------------------------------------------------

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n ≥ 1).

        The count starts the day after `start`: `start` itself never counts, whether or not it
        is a working day, so 2024-10-07 (a holiday Monday) + 1 → 2024-10-08, and a Friday + 1
        → the next working day (a make-up Sunday if there is one). Example: 2024-09-27 + 3 →
        2024-10-08 (09-29 is a make-up workday, 10-01..07 are holidays). The result always
        satisfies `workdays_between(start, result) == n`. Unlike chinese_calendar's
        `find_workday`, no "includes today" rule applies. `UsageError` if n < 1.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise UsageError(f"{n!r} working days is not a valid allowance: "
                             "count at least 1 working day after the event.",
                             zh=f"{n!r} 个工作日不是有效的期限: 事件后的期限至少为 1 个工作日。")
        year = self._year(start.year)
        wanted = year.cum[start.toordinal() - year.first] + n
        number = start.year
        while wanted > year.total:
            wanted -= year.total
            number += 1
            year = self._year(number)
        return date.fromordinal(year.first + bisect_left(year.cum, wanted))

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative when end < start.

        Exactly: the number of working days d with start < d ≤ end; when end < start, minus the
        number with end < d ≤ start (so f(a, b) == -f(b, a), and f(a, a) == 0). A Friday to the
        following Saturday is 0; 2024-09-27 → 2024-10-08 is 3.
        """
        if end < start:
            return -self.workdays_between(end, start)
        first = self._year(start.year)
        before = first.cum[start.toordinal() - first.first]
        if end.year == start.year:
            return first.cum[end.toordinal() - first.first] - before
        last = self._year(end.year)
        whole = sum(self._year(number).total for number in range(start.year, end.year))
        return whole + last.cum[end.toordinal() - last.first] - before

    # -- internals ------------------------------------------------------------------------------

    def _year(self, number: int) -> _Year:
        cached = self._years.get(number)
        if cached is None:
            cached = self._years[number] = self._build(number)
        return cached

    def _build(self, number: int) -> _Year:
        first = date(number, 1, 1)
        size = (date(number + 1, 1, 1) - first).days if number < 9999 else 365
        flags = bytearray(1 if (first + timedelta(days=i)).weekday() < 5 else 0 for i in range(size))
        base = first.toordinal()
        if self.has_data(number):
            for table, working in ((chinese_calendar.holidays, 0), (chinese_calendar.workdays, 1)):
                for day in table:
                    if day.year == number:
                        flags[day.toordinal() - base] = working
        for day, is_working in self._overrides.get(number, {}).items():
            flags[day.toordinal() - base] = 1 if is_working else 0
        cum: list[int] = []
        running = 0
        for flag in flags:
            running += flag
            cum.append(running)
        return _Year(first=base, flags=bytes(flags), cum=tuple(cum))

    def _merge(self, rows: dict[date, str], year: int, *, working: bool) -> list[tuple[date, str]]:
        for day, is_working in self._overrides.get(year, {}).items():
            if is_working == working:
                rows.setdefault(day, "")
            else:
                rows.pop(day, None)
        return sorted(rows.items())


def source_notice(year: int) -> str:
    """The title of the State Council notice a year's holiday data transcribes."""
    return _NOTICE.format(year=year)


def _check_override(day: object, working: object) -> None:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise UsageError(f"Calendar override key {day!r} is not a date: "
                         "an override maps a calendar date (2027-01-01) to a working day or a holiday.",
                         zh=f"日历调整中的 {day!r} 不是日期: 每项日历调整应把一个日期 (如 2027-01-01) "
                            "设为上班或放假。")
    if not isinstance(working, bool):
        raise UsageError(f"Calendar override for {day.isoformat()} is {working!r}: "
                         "it must be True (working day) or False (holiday).",
                         zh=f"{day.isoformat()} 的日历调整是 {working!r}: 应为 True (上班) 或 False (放假)。")


def _chinese_name(value: str) -> str:
    try:
        return str(chinese_calendar.Holiday(value).chinese)
    except ValueError:  # a name a future package adds outside the enum: keep its English words
        return value


def _join_years(years: list[int]) -> str:
    words = [str(year) for year in years]
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
