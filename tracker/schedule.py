"""Rules → obligations with due dates, and an obligation's status as of a date (pure).

`occurrences` turns one `Requirement` of a task into its `Occurrence`s for the plan's year;
`obligation_status` derives one obligation's `Status` as of a date; `task_status` picks a task's
most urgent; `summarize` words a rule for people ("每年2次", "发文后3个工作日").

Decisions, stated once:
- Due dates of recurring and deadline rules are calendar dates, as the plan writes them (6月底前
  → 06-30), and are never moved to a working day, even when they fall on a weekend or holiday:
  State documents set deadlines by calendar date, and offices file ahead of a holiday. Only
  after-event allowances ("3个工作日内") are counted on the working-day calendar.
- Counts over a year without holiday data are provisional (see `tracker.calendar`); recurring
  and deadline dates never need holiday data, so they are never provisional.

Pure: plain data in and out; the as-of date is always an argument, the clock is never read.
"""

# No `from __future__ import annotations`: the NamedTuples below would then compile a
# ForwardRef per field at import (see the per-file-ignores in pyproject.toml).


from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from tracker.calendar import WorkCalendar
from tracker.dates import month_end
from tracker.errors import UsageError
from tracker.model import PERIODS, Occurrence, Requirement, RequirementKind, Status

_MONTHS_IN = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_CODE = {"year": "Y", "half": "H", "quarter": "Q", "month": "M", "fortnight": "F", "week": "W"}
NO_OWNER_NOTE = "no owner assigned"
"""`Occurrence.note` of a per-owner rule's obligations when the task has no owner yet."""


class EventFact(NamedTuple):
    """A logged event (文件发布 on a date) as the schedule needs it."""

    event_id: int
    on: date
    """The day the event happened; the allowance counts from the day after."""
    ref: str | None = None
    """The document's reference (文号, "济民发〔2024〕12号"), carried into the obligation's note."""
    requirement_id: int | None = None
    """The rule the event was logged against, if the user said; the query layer filters on it."""


class _Part(NamedTuple):
    """One obligation's slot in a recurring rule: key stem, start of the slot, due date."""

    key: str
    start: date
    due: date


# ---------------------------------------------------------------------------------------------
# Occurrences
# ---------------------------------------------------------------------------------------------


def occurrences(req: Requirement, *, year: int, owners: Sequence[str] = (),
                events: Sequence[EventFact] = (), calendar: WorkCalendar) -> list[Occurrence]:
    """Every obligation one rule sets in the plan's `year`, sorted by due date (ongoing: one, undated).

    - recurring: `count` per `period` (see `_recurring_parts` for the dates and keys);
    - deadline: date(year + year_offset, month, day), key "deadline"; a day past the month's end
      is clamped to it (2-30 → 02-29 in 2024, 02-28 in 2025); month None → 12, day None → the
      month's last day;
    - after_event: one per event given (all of them: the caller passes the task's events), due
      `workdays` working days after the event (`WorkCalendar.add_workdays`) or `days` calendar
      days after it — moved to the next working day when that last day is a rest day (noted);
      key "event:<id>"; provisional, with the reason in `note`, when the count crossed (or
      ended in) a year without holiday data; `note` also carries the event's reference. A rule
      with neither allowance gets an undated obligation whose note says so;
    - ongoing: one Occurrence(key="ongoing", due=None).
    `per_owner` (recurring, deadline, after_event) repeats the set once per owner, in the order
    given, with key suffix "#<owner>" and `owner` set; with no owners there is one set, owner
    None, noted "no owner assigned". `UsageError` for a rule the schedule cannot place (unknown
    period, count < 1, month 13).
    """
    kind = _kind(req)
    if kind is RequirementKind.ONGOING:
        return [Occurrence(key="ongoing", due=None)]
    if kind is RequirementKind.RECURRING:
        base = list(_recurring_base(req.period, req.count, req.due_day, year))
    elif kind is RequirementKind.DEADLINE:
        base = [Occurrence(key="deadline", due=deadline_date(req, year))]
    else:
        base = [_after_event(req, event, calendar)
                for event in sorted(events, key=lambda e: (e.on, e.event_id))]
    result = _per_owner(base, owners) if req.per_owner else base
    return sorted(result, key=lambda occ: occ.due or date.max)


@lru_cache(maxsize=4096)
def _recurring_base(period: str | None, count: int | None, due_day: int | None,
                    year: int) -> tuple[Occurrence, ...]:
    # Cached: a city's 100k obligations come from a few dozen distinct (period, count, due_day,
    # year) shapes; building them once took occurrences() from ~190k to 600k–950k obligations/s
    # (bench/calendar_bench.py).
    req = Requirement(kind=RequirementKind.RECURRING, source="", period=period, count=count, due_day=due_day)
    return tuple(Occurrence(key=part.key, due=part.due, period_start=part.start)
                 for part in _recurring_parts(req, year))


def _recurring_parts(req: Requirement, year: int) -> list[_Part]:
    """The slots of a recurring rule in `year`: `count` (default 1) equal parts of each period.

    Periods: year; half (H1, H2); quarter (Q1–Q4); month (M01–M12); fortnight — 14-day periods
    from 1 January (F01–F26; F26 runs on to 31 December, so it has 15 or 16 days); week — Monday
    to Sunday (W01 starts 1 January and W-last ends 31 December, both possibly short; these are
    the year's own week numbers, not ISO weeks).
    A period of L months split in c ≤ L parts: part k ends with month ⌈k·L/c⌉ of the period
    and is due on that month's last day, or on its `due_day` (clamped to the month's end:
    每月31日前 → 02-29). So 2/year → 06-30, 12-31; 3/year → 04-30, 08-31, 12-31; 5/year (12 does
    not divide by 5) → the ends of March, May, August, October, December. c parts of a shorter
    period (2 per month, 2 per week, 24 per year) split its days: part k ends on day ⌈k·D/c⌉;
    `due_day` is then ignored.
    Keys: "2024-Y1".."2024-Y<c>" for a yearly count; "2024-H1", "2024-Q3", "2024-M03",
    "2024-F03", "2024-W05" for one per period, "2024-Q3-2" for the 2nd of several in it.
    """
    period = req.period or "year"
    if period not in PERIODS:
        raise UsageError(f"“{period}” is not a period a rule can repeat over; use one of {', '.join(PERIODS)}.",
                         zh=f"“{period}”不是有效的重复周期; 请用 {', '.join(PERIODS)} 之一。")
    count = 1 if req.count is None else req.count
    if count < 1:
        raise UsageError(f"A recurring rule needs at least 1 time per period, not {count}.",
                         zh=f"周期性规则每个周期至少 1 次, 不能是 {count} 次。")
    if req.due_day is not None and not 1 <= req.due_day <= 31:
        raise UsageError(f"Day {req.due_day} is not a day of the month; a due day is 1 to 31.",
                         zh=f"每期到期日 {req.due_day} 无效; 应为 1 到 31 日中的一天。")
    parts: list[_Part] = []
    for number, (start, end) in enumerate(_periods(period, year), start=1):
        width = 2 if period in ("month", "fortnight", "week") else 1
        stem = f"{year}-{_CODE[period]}{number:0{width}d}"
        for index, (part_start, due) in enumerate(_split(start, end, period, count, req.due_day), start=1):
            if period == "year":
                key = f"{year}-Y{index}"
            else:
                key = stem if count == 1 else f"{stem}-{index}"
            parts.append(_Part(key=key, start=part_start, due=due))
    return parts


def deadline_date(req: Requirement, year: int) -> date:
    """A deadline rule's due date: date(year + year_offset, month, day), day clamped to the month.

    年底前 (month 12, day 31) → 12-31; 2月30日前 → 02-29 in a leap year, 02-28 otherwise;
    次年1月31日前 (year_offset 1) → the next year's 01-31. `UsageError` for a month outside 1–12 or a day outside 1–31.
    """
    month = 12 if req.month is None else req.month
    if not 1 <= month <= 12:
        raise UsageError(f"Month {month} does not exist; a deadline's month is 1 to 12.",
                         zh=f"截止月份 {month} 无效; 应为 1 到 12 月。")
    target = year + req.year_offset
    last = month_end(target, month)
    if req.day is None:
        return last
    if not 1 <= req.day <= 31:
        raise UsageError(f"Day {req.day} is not a day of the month; a deadline's day is 1 to 31.",
                         zh=f"截止日 {req.day} 无效; 应为 1 到 31 日中的一天。")
    return last.replace(day=min(req.day, last.day))


def _kind(req: Requirement) -> RequirementKind:
    try:
        return RequirementKind(req.kind)
    except ValueError:
        kinds = ", ".join(kind.value for kind in RequirementKind)
        raise UsageError(f"“{req.kind}” is not a kind of rule; use one of {kinds}.",
                         zh=f"“{req.kind}”不是有效的规则类型; 请用 {kinds} 之一。") from None


def _periods(period: str, year: int) -> list[tuple[date, date]]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    if period in _MONTHS_IN:
        size = _MONTHS_IN[period]
        return [(date(year, month, 1), month_end(year, month + size - 1)) for month in range(1, 13, size)]
    if period == "fortnight":
        starts = [first + timedelta(days=14 * k) for k in range(26)]
        ends = [start + timedelta(days=13) for start in starts[:-1]] + [last]
        return list(zip(starts, ends, strict=True))
    spans: list[tuple[date, date]] = []
    start = first
    while start <= last:
        end = min(start + timedelta(days=6 - start.weekday()), last)
        spans.append((start, end))
        start = end + timedelta(days=1)
    return spans


def _split(start: date, end: date, period: str, count: int, due_day: int | None) -> list[tuple[date, date]]:
    months = _MONTHS_IN.get(period)
    if months is not None and count <= months:
        slots: list[tuple[date, date]] = []
        for k in range(1, count + 1):
            first_month = start.month + -(-(k - 1) * months // count)
            last_month = start.month + -(-k * months // count) - 1
            due = month_end(start.year, last_month)
            if due_day is not None:
                due = due.replace(day=min(due_day, due.day))
            slots.append((date(start.year, first_month, 1), due))
        return slots
    days = (end - start).days + 1
    ends = [start + timedelta(days=-(-k * days // count) - 1) for k in range(1, count + 1)]
    starts = [start] + [min(prev + timedelta(days=1), cur) for prev, cur in pairwise(ends)]
    return list(zip(starts, ends, strict=True))


def _after_event(req: Requirement, event: EventFact, calendar: WorkCalendar) -> Occurrence:
    notes = [event.ref] if event.ref else []
    due: date | None
    provisional = False
    if req.workdays is not None:
        due = calendar.add_workdays(event.on, req.workdays)
        reason = calendar.provisional_reason(event.on, due)
        if reason:
            provisional = True
            notes.append(reason)
    elif req.days is not None:
        if req.days < 0:
            raise UsageError(f"{req.days} days is not an allowance; use 0 or more days after the event.",
                             zh=f"{req.days} 天不是有效的期限: 事件后的期限应为 0 天或以上。")
        due = event.on + timedelta(days=req.days)
        if req.days:
            # a period of calendar days whose last day is a rest day ends on the next working
            # day (民法典 art. 203; the procedure laws say the same): 09-20 + 15 days → 10-05,
            # inside National Day → 10-08. The note keeps the date the count itself reached; in
            # a year without holiday data whether that day rests is not known: provisional.
            last = due
            if not calendar.is_workday(last):
                due = calendar.add_workdays(last, 1)
                notes.append(f"{req.days} days end on {last.isoformat()}, a rest day: "
                             "moved to the next working day")  # MOVED_NOTE reads it
            reason = calendar.provisional_reason(last, due)
            if reason:
                provisional = True
                notes.append(reason)
    else:
        due = None
        notes.append("the rule gives no allowance in days; set one with `tracker rule`")
    return Occurrence(key=f"event:{event.event_id}", due=due, provisional=provisional,
                      note="; ".join(notes), event_id=event.event_id)


MOVED_NOTE = r"(?P<n>\d+) days end on (?P<d>\d{4}-\d\d-\d\d), a rest day: moved to the next working day"
"""The part of an obligation's note saying its calendar-day period was moved off a rest day, as a
regular expression (compiled where a note is read: tracker.i18n, `tracker event`)."""


def _per_owner(base: list[Occurrence], owners: Sequence[str]) -> list[Occurrence]:
    names = list(dict.fromkeys(owners))
    if not names:
        return [_with(occ, key=occ.key, owner=None, note=_join(occ.note, NO_OWNER_NOTE)) for occ in base]
    return [_with(occ, key=f"{occ.key}#{name}", owner=name, note=occ.note) for name in names for occ in base]


def _with(occ: Occurrence, *, key: str, owner: str | None, note: str) -> Occurrence:
    return Occurrence(key=key, due=occ.due, owner=owner, provisional=occ.provisional, note=note,
                      event_id=occ.event_id, period_start=occ.period_start)


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


# ---------------------------------------------------------------------------------------------
# Status as of a date
# ---------------------------------------------------------------------------------------------


def obligation_status(occ: Occurrence, *, as_of: date, calendar: WorkCalendar,
                      done_on: date | None = None, waived: bool = False, within: int = 5,
                      last_note_on: date | None = None) -> Status:
    """One obligation's status as of `as_of` (whole dates; nothing is stored).

    In order: waived → WAIVED. Done (a `done_on` on or before `as_of`; a later one does not
    exist yet and is ignored) → DONE if undated or done_on ≤ due, else DONE_LATE. Undated
    (ongoing) → ON_TRACK if `last_note_on` falls in as_of's month (and not after as_of), else
    NO_UPDATE. as_of > due → OVERDUE: an obligation due today is due, not overdue. Due within
    the next `within` working days, today included → DUE_SOON; precisely: due == as_of, or
    due > as_of and `calendar.workdays_between(as_of, due)` (working days after as_of up to and
    including due) ≤ within — so with within=5 a due date five working days ahead is due soon,
    and one on the weekend right after a Friday as_of is too. Otherwise ON_TRACK.
    """
    if waived:
        return Status.WAIVED
    due = occ.due
    if done_on is not None and done_on <= as_of:
        return Status.DONE if due is None or done_on <= due else Status.DONE_LATE
    if due is None:
        noted = (last_note_on is not None and last_note_on <= as_of
                 and (last_note_on.year, last_note_on.month) == (as_of.year, as_of.month))
        return Status.ON_TRACK if noted else Status.NO_UPDATE
    if as_of > due:
        return Status.OVERDUE
    if due == as_of or calendar.workdays_between(as_of, due) <= within:
        return Status.DUE_SOON
    return Status.ON_TRACK


def task_status(statuses: Iterable[Status]) -> Status:
    """A task's status: its most urgent obligation's (OVERDUE first); ON_TRACK with no obligations."""
    return min(statuses, key=lambda status: status.urgency, default=Status.ON_TRACK)


# ---------------------------------------------------------------------------------------------
# Words for people
# ---------------------------------------------------------------------------------------------

_ZH_PERIOD = {"year": "年", "half": "半年", "quarter": "季度", "month": "月", "fortnight": "两周", "week": "周"}
_EN_PERIOD = {"year": "year", "half": "half-year", "quarter": "quarter", "month": "month",
              "fortnight": "fortnight", "week": "week"}
_EN_EVERY = {"year": "yearly", "half": "half-yearly", "quarter": "quarterly", "month": "monthly",
             "fortnight": "fortnightly", "week": "weekly"}


@lru_cache(maxsize=4096)
def summarize(req: Requirement, lang: str = "zh") -> str:
    """A rule in a few words, Chinese by default ("每年2次", "每季度", "发文后3个工作日",
    "12月31日前", "持续", "每年1次(各责任单位各1次)"); `lang="en"` gives English
    ("2 times a year", "quarterly", "3 working days after 发文", "by 12-31", "ongoing").

    Document words (the event's name) are kept as written. Never raises: a rule with missing
    fields is worded with what it has. Cached: every list words the same few rules thousands of
    times (a city's tasks share them).
    """
    english = lang == "en"
    try:
        kind = _kind(req)
    except UsageError:
        return req.source or str(req.kind)
    if kind is RequirementKind.ONGOING:
        return "ongoing" if english else "持续"
    if kind is RequirementKind.DEADLINE:
        text = _summarize_deadline(req, english)
    elif kind is RequirementKind.AFTER_EVENT:
        text = _summarize_event(req, english)
    else:
        text = _summarize_recurring(req, english)
    if req.per_owner:
        count = (req.count or 1) if kind is RequirementKind.RECURRING else 1
        text += f" ({count} per owner)" if english else f"(各责任单位各{count}次)"
    return text


def _summarize_recurring(req: Requirement, english: bool) -> str:
    period = req.period if req.period in _ZH_PERIOD else "year"
    count = req.count or 1
    if english:
        text = (_EN_EVERY[period] if count == 1 and period != "year"
                else f"{'once' if count == 1 else f'{count} times'} a {_EN_PERIOD[period]}")
        return text + (f", by day {req.due_day}" if req.due_day else "")
    text = f"每{_ZH_PERIOD[period]}" if count == 1 and period != "year" else f"每{_ZH_PERIOD[period]}{count}次"
    if req.due_day:
        text += f"{req.due_day}日前" if period == "month" else f"(末月{req.due_day}日前)"
    return text


def _summarize_deadline(req: Requirement, english: bool) -> str:
    month = req.month or 12
    day = req.day or (31 if month == 12 else None)
    if english:
        when = f"{month:02d}-{day:02d}" if day else f"the end of month {month}"
        return f"by {when}" + (" of the next year" if req.year_offset else "")
    prefix = "次年" if req.year_offset == 1 else (f"{req.year_offset}年后" if req.year_offset else "")
    return f"{prefix}{month}月{day}日前" if day else f"{prefix}{month}月底前"


def _summarize_event(req: Requirement, english: bool) -> str:
    event = req.event or ("the event" if english else "事件")
    if req.workdays is not None:
        return f"{req.workdays} working days after {event}" if english else f"{event}后{req.workdays}个工作日"
    if req.days == 0:  # due on the event's own day
        return f"the day of {event}" if english else f"{event}当日"
    if req.days is not None:
        return f"{req.days} days after {event}" if english else f"{event}后{req.days}日"
    return f"after {event}" if english else f"{event}后"
