"""The reminders' fast read says exactly what the task views say is overdue or due soon.

`tracker.query.reminders.reminder_rows` reads only the open overdue and due-soon obligations; the
task views (`tasks_as_of`) derive every obligation's status. Over dozens of dates on the Jining
demo database (completions, late completions, a waiver, events, a corrected rule, per-owner
rules) and on a small synthetic city (bench/city.py), both must name the same obligations with
the same status, due date, owner and rule, and the digests built from them must be equal.
"""

from __future__ import annotations

from datetime import date

import pytest
from jining_builder import dates, filter_cases

from tracker import query
from tracker.model import Status
from tracker.query.reminders import owner_emails, reminder_rows
from tracker.remind import collect, collect_reminders

REMINDED = (Status.OVERDUE, Status.DUE_SOON)


def from_views(conn, as_of: date, within: int, **filters) -> list[tuple]:
    """What the task views say a reminder speaks about, as comparable tuples."""
    return sorted(
        (t.task_id, ob.requirement_id, ob.rule_index, ob.key, ob.due, ob.status, ob.owner, ob.provisional,
         ob.note, t.plan_id, t.plan_title, t.number, t.title, t.lead)
        for t in query.tasks_as_of(conn, as_of=as_of, within=within, **filters)
        for ob in t.obligations if ob.status in REMINDED and ob.due is not None)


def from_fast_read(conn, as_of: date, within: int, **filters) -> list[tuple]:
    calendar = query.load_calendar(conn)
    return sorted(
        (r.task_id, r.requirement_id, r.rule_index, r.key, r.due, r.status, r.owner, r.provisional, r.note,
         r.plan_id, r.plan_title, r.number, r.title, r.lead)
        for r in reminder_rows(conn, as_of=as_of, calendar=calendar, within=within, **filters))


def check_day(conn, as_of: date, within: int = 5, **filters) -> int:
    views = from_views(conn, as_of, within, **filters)
    assert from_fast_read(conn, as_of, within, **filters) == views, as_of
    return len(views)


def test_demo_fast_read_equals_the_task_views_on_50_dates(demo_db):
    conn = query.connect(str(demo_db))
    try:
        seen = [check_day(conn, day) for day in dates(date(2024, 1, 2), date(2025, 3, 31), 50)]
        # the comparison is not vacuous: many days have something to say, some have nothing
        assert sum(1 for n in seen if n) >= 30
        assert 0 in seen
        assert check_day(conn, date(2024, 7, 1)) == 3  # tasks 8 and 12 overdue, task 6 due soon
        assert check_day(conn, date(2024, 7, 1), within=0) == 2
    finally:
        conn.close()


def test_city_fast_read_equals_the_task_views_with_filters(city_db):
    conn = query.connect(str(city_db))
    try:
        total = 0
        for day in dates(date(2024, 1, 1), date(2025, 12, 31), 50):
            counts = [check_day(conn, day, **filters) for filters in filter_cases(conn)]
            total += counts[0]  # the unfiltered case
        assert total > 1000
    finally:
        conn.close()


@pytest.mark.parametrize("as_of", [date(2024, 7, 1), date(2024, 9, 30), date(2025, 1, 10), date(2024, 3, 25)])
def test_the_digest_from_the_fast_read_equals_the_digest_from_the_views(demo_db, city_db, as_of):
    for db in (demo_db, city_db):
        conn = query.connect(str(db))
        try:
            calendar = query.load_calendar(conn)
            emails = owner_emails(conn)
            assert emails == {o.name: o.email for o in query.list_owners(conn)}
            views = [t for s in REMINDED for t in query.tasks_as_of(conn, as_of=as_of, status=s)]
            for lang in ("zh", "en"):
                rows = reminder_rows(conn, as_of=as_of, calendar=calendar, lang=lang)
                old = collect(views, as_of=as_of, calendar=calendar, emails=emails, lang=lang)
                new = collect_reminders(rows, as_of=as_of, calendar=calendar, emails=emails)
                assert new == old
                assert [g.items for g in new.owners] == [g.items for g in old.owners]
        finally:
            conn.close()
