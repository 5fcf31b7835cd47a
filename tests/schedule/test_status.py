"""An obligation's status as of a date, and a task's most urgent status."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.calendar import WorkCalendar
from tracker.model import Occurrence, Status
from tracker.schedule import obligation_status, task_status

CAL = WorkCalendar()
D = date


def status(due, as_of, **kwargs):
    return obligation_status(Occurrence(key="k", due=due), as_of=as_of, calendar=CAL, **kwargs)


def test_due_today_is_due_soon_not_overdue():
    assert status(D(2024, 6, 30), D(2024, 6, 30)) is Status.DUE_SOON


def test_the_day_after_is_overdue():
    assert status(D(2024, 6, 30), D(2024, 7, 1)) is Status.OVERDUE


def test_due_today_compares_whole_dates_not_the_day_of_month():
    assert status(D(2024, 7, 1), D(2024, 8, 1)) is Status.OVERDUE
    assert status(D(2024, 8, 1), D(2024, 7, 1)) is Status.ON_TRACK
    assert status(D(2023, 7, 1), D(2024, 7, 1)) is Status.OVERDUE


def test_the_jining_task_6_story():
    # event 2024-09-27 + 3 working days → due 2024-10-08
    due = CAL.add_workdays(D(2024, 9, 27), 3)
    assert status(due, D(2024, 10, 7)) is Status.DUE_SOON
    assert status(due, D(2024, 10, 8)) is Status.DUE_SOON
    assert status(due, D(2024, 10, 9)) is Status.OVERDUE


def test_window_counts_working_days_not_calendar_days():
    # as of Friday 2024-09-20, due 2024-09-30: working days after the 20th up to the 30th are
    # 09-23..27 (5), 09-29 make-up Sunday (6), 09-30 (7) → outside a 5-day window
    assert status(D(2024, 9, 30), D(2024, 9, 20)) is Status.ON_TRACK
    assert status(D(2024, 9, 27), D(2024, 9, 20)) is Status.DUE_SOON  # exactly 5
    assert status(D(2024, 9, 29), D(2024, 9, 20), within=6) is Status.DUE_SOON
    # across the National Day week, 10 calendar days are 1 working day
    assert status(D(2024, 10, 8), D(2024, 9, 30), within=1) is Status.DUE_SOON


def test_within_zero_only_today():
    assert status(D(2024, 7, 2), D(2024, 7, 1), within=0) is Status.ON_TRACK
    assert status(D(2024, 7, 1), D(2024, 7, 1), within=0) is Status.DUE_SOON


@pytest.mark.parametrize(("done_on", "expected"), [
    pytest.param(D(2024, 6, 30), Status.DONE, id="on the due date"),
    pytest.param(D(2024, 5, 1), Status.DONE, id="early"),
    pytest.param(D(2024, 7, 2), Status.DONE_LATE, id="late"),
])
def test_done_and_done_late(done_on, expected):
    assert status(D(2024, 6, 30), D(2024, 7, 10), done_on=done_on) is expected


def test_a_completion_after_as_of_does_not_exist_yet():
    assert status(D(2024, 6, 30), D(2024, 7, 1), done_on=D(2024, 7, 5)) is Status.OVERDUE


def test_waived_wins():
    assert status(D(2024, 6, 30), D(2024, 7, 1), waived=True) is Status.WAIVED


def test_ongoing_needs_a_note_this_month():
    ongoing = Occurrence(key="ongoing", due=None)
    as_of = D(2024, 7, 15)

    def check(note_on):
        return obligation_status(ongoing, as_of=as_of, calendar=CAL, last_note_on=note_on)

    assert check(None) is Status.NO_UPDATE
    assert check(D(2024, 7, 1)) is Status.ON_TRACK
    assert check(D(2024, 6, 30)) is Status.NO_UPDATE  # last month does not count
    assert check(D(2023, 7, 10)) is Status.NO_UPDATE  # same month, another year
    assert check(D(2024, 7, 20)) is Status.NO_UPDATE  # later this month: not written yet


def test_ongoing_done_is_done():
    ongoing = Occurrence(key="ongoing", due=None)
    assert obligation_status(ongoing, as_of=D(2024, 7, 1), calendar=CAL, done_on=D(2024, 6, 1)) is Status.DONE


def test_task_status_is_the_most_urgent():
    assert task_status([Status.DONE, Status.OVERDUE, Status.DUE_SOON]) is Status.OVERDUE
    assert task_status([Status.DONE, Status.ON_TRACK, Status.NO_UPDATE]) is Status.NO_UPDATE
    assert task_status([Status.DONE, Status.DONE_LATE, Status.WAIVED]) is Status.DONE_LATE
    assert task_status(iter([Status.WAIVED])) is Status.WAIVED
    assert task_status([]) is Status.ON_TRACK
