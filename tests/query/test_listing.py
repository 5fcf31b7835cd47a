"""`tracker tasks --status overdue|due_soon` reads lines, and they are exactly the task views' lines.

`tracker.query.listing.task_lines` finds overdue and due-soon tasks in SQL and reads only what the
table shows; `tasks_as_of` derives every obligation of every task. Over dozens of dates on the demo
database (completions, late ones, a waiver, events, per-owner rules) and on a small synthetic city
with filters, both must give the same tasks, in the same order, with the same units, rule words
(done counts included), next due date and status — in Chinese and in English.
"""

from __future__ import annotations

from datetime import date

from jining_builder import dates, filter_cases

from tracker import query
from tracker.model import Status
from tracker.query.listing import line_of, task_lines


def check_day(conn, as_of: date, status: Status | None, within: int = 5, lang: str = "zh", **filters) -> int:
    calendar = query.load_calendar(conn)
    views = [line_of(v) for v in query.tasks_as_of(conn, as_of=as_of, status=status, within=within,
                                                   lang=lang, **filters)]
    lines = task_lines(conn, as_of=as_of, status=status, calendar=calendar, within=within, lang=lang, **filters)
    assert lines == views, (as_of, status)
    return len(lines)


def test_demo_lines_equal_the_views_on_50_dates(demo_db):
    conn = query.connect(str(demo_db))
    try:
        overdue = [check_day(conn, day, Status.OVERDUE) for day in dates(date(2024, 1, 2), date(2025, 3, 31), 50)]
        soon = [check_day(conn, day, Status.DUE_SOON, lang="en") for day in dates(date(2024, 1, 2), date(2025, 3, 31), 50)]
        assert sum(1 for n in overdue if n) >= 30  # not vacuous
        assert 0 in overdue
        assert any(soon)
        assert check_day(conn, date(2024, 7, 1), Status.OVERDUE) == 2  # tasks 8 and 12
        lines = task_lines(conn, as_of=date(2024, 7, 1), status=Status.OVERDUE, calendar=query.load_calendar(conn))
        assert [(line.number, line.next_due) for line in lines] == [("8", date(2024, 6, 30)), ("12", date(2024, 6, 30))]
        assert any("已完成" in rule for line in lines for rule in line.rules)
    finally:
        conn.close()


EVERY = [None, *Status]


def test_demo_every_status_and_no_filter_equal_the_views_on_40_dates(demo_db):
    conn = query.connect(str(demo_db))
    try:
        seen: dict[Status | None, int] = {}
        for day in dates(date(2024, 1, 2), date(2025, 3, 31), 40):
            for status in EVERY:
                seen[status] = seen.get(status, 0) + check_day(conn, day, status, lang="en" if day.day % 2 else "zh")
        # not vacuous: every status occurs on some date, and the unfiltered list has every task
        assert all(seen[s] for s in Status), seen
        assert seen[None] == 40 * 15
    finally:
        conn.close()


def test_city_every_status_equals_the_views_with_filters(city_db):
    conn = query.connect(str(city_db))
    try:
        late_or_soon = 0
        for day in dates(date(2024, 1, 1), date(2025, 12, 31), 40):
            for status in EVERY:
                found = [check_day(conn, day, status, **filters) for filters in filter_cases(conn)]
                if status in (Status.OVERDUE, Status.DUE_SOON):
                    late_or_soon += found[0]  # the unfiltered case
        assert late_or_soon > 300  # not vacuous
    finally:
        conn.close()
