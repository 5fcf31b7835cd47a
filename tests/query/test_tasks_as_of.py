"""tasks_as_of on the Jining plan in a real SQLite file: derived status as of a date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from jining_builder import by_number, obligations_of

from tracker import query
from tracker.model import Status

AS_OF = date(2024, 7, 1)


def test_task_8_and_12_are_overdue_as_of_july_first(conn):
    views = by_number(query.tasks_as_of(conn, as_of=AS_OF))
    assert views["8"].status is Status.OVERDUE
    assert views["12"].status is Status.OVERDUE
    assert obligations_of(views["8"]) == [("2024-Y1", "2024-06-30", "overdue"),
                                          ("2024-Y2", "2024-12-31", "on_track"),
                                          ("deadline", "2024-12-31", "on_track")]
    assert obligations_of(views["12"])[:2] == [("2024-Q1", "2024-03-31", "overdue"),
                                               ("2024-Q2", "2024-06-30", "overdue")]
    overdue = query.tasks_as_of(conn, as_of=AS_OF, status=Status.OVERDUE)
    assert [v.number for v in overdue] == ["8", "12"]


def test_completions_end_the_overdue_and_count_in_the_summary(jining, conn):
    jining.complete("8", "2024-Y1", date(2024, 7, 1), evidence="http://example.org/pj")
    jining.complete("12", "2024-Q1", date(2024, 3, 29))
    jining.complete("12", "2024-Q2", date(2024, 6, 28))
    views = by_number(query.tasks_as_of(conn, as_of=AS_OF))
    assert views["8"].status is Status.ON_TRACK
    assert views["12"].status is Status.ON_TRACK
    first = views["8"].obligations[0]
    assert (first.status, first.done_on, first.evidence) == (Status.DONE_LATE, AS_OF, "http://example.org/pj")
    assert views["12"].obligations[0].status is Status.DONE
    assert views["8"].rules[0].summary == "每年2次 · 已完成1"
    assert views["12"].rules[0].summary == "每季度 · 已完成2"
    assert query.tasks_as_of(conn, as_of=AS_OF, status=Status.OVERDUE) == []


def test_a_completion_dated_after_as_of_does_not_exist_yet(jining, conn):
    jining.complete("8", "2024-Y1", date(2024, 7, 5))
    assert by_number(query.tasks_as_of(conn, as_of=AS_OF))["8"].status is Status.OVERDUE
    later = by_number(query.tasks_as_of(conn, as_of=date(2024, 7, 5)))["8"]
    assert later.obligations[0].status is Status.DONE_LATE
    assert later.obligations[0].done_on == date(2024, 7, 5)


def test_the_earliest_completion_as_of_the_date_counts(jining, conn):
    jining.complete("8", "2024-Y1", date(2024, 7, 3))
    jining.complete("8", "2024-Y1", date(2024, 6, 20))
    first = by_number(query.tasks_as_of(conn, as_of=AS_OF))["8"].obligations[0]
    assert (first.status, first.done_on) == (Status.DONE, date(2024, 6, 20))


@pytest.mark.parametrize(("as_of", "status"), [
    (date(2024, 10, 7), Status.DUE_SOON),
    (date(2024, 10, 8), Status.DUE_SOON),   # due today is due, not overdue
    (date(2024, 10, 9), Status.OVERDUE),
])
def test_an_event_for_task_6_starts_a_3_working_day_clock(jining, conn, as_of, status):
    jining.event("6", date(2024, 9, 27), ref="济民发〔2024〕12号")
    view = by_number(query.tasks_as_of(conn, as_of=as_of))["6"]
    assert [(o.key.startswith("event:"), o.due) for o in view.obligations] == [(True, date(2024, 10, 8))]
    assert view.obligations[0].note == "济民发〔2024〕12号"
    assert view.status is status
    assert view.next_due == date(2024, 10, 8)


def test_the_due_soon_window_counts_working_days(jining, conn):
    jining.event("6", date(2024, 9, 27))
    # 09-30 → 10-08 is one working day ahead (10-01..07 are the National Day holiday)
    assert by_number(query.tasks_as_of(conn, as_of=date(2024, 9, 30), within=1))["6"].status is Status.DUE_SOON
    assert by_number(query.tasks_as_of(conn, as_of=date(2024, 9, 30), within=0))["6"].status is Status.ON_TRACK
    assert by_number(query.tasks_as_of(conn, as_of=date(2024, 10, 8), within=0))["6"].status is Status.DUE_SOON


def test_before_the_event_the_obligation_does_not_exist(jining, conn):
    jining.event("6", date(2024, 9, 27))
    view = by_number(query.tasks_as_of(conn, as_of=date(2024, 9, 26)))["6"]
    assert view.obligations == ()
    assert (view.status, view.next_due) == (Status.ON_TRACK, None)


def test_per_owner_task_15_has_one_obligation_per_owner(conn):
    view = by_number(query.tasks_as_of(conn, as_of=AS_OF))["15"]
    assert [(o.owner, o.due) for o in view.obligations] == [
        ("局办公室", date(2024, 12, 31)), ("政策法规科", date(2024, 12, 31)),
        ("养老服务科", date(2024, 12, 31))]
    assert (view.lead, view.support) == (("局办公室",), ("政策法规科", "养老服务科"))


def test_one_owner_done_leaves_the_others_open(jining, conn):
    jining.complete("15", "2024-Y1#政策法规科", date(2024, 5, 6))
    view = by_number(query.tasks_as_of(conn, as_of=date(2025, 1, 2)))["15"]
    assert [o.status for o in view.obligations] == [Status.OVERDUE, Status.DONE, Status.OVERDUE]


def test_a_waiver_exists_from_the_date_it_was_created(jining, conn):
    jining.waive("8", rule=1, reason="本年度无重大政策出台", at=datetime(2024, 7, 3, 16, 0))
    before = by_number(query.tasks_as_of(conn, as_of=date(2024, 7, 2)))["8"]
    on_the_day = by_number(query.tasks_as_of(conn, as_of=date(2024, 7, 3)))["8"]
    assert before.status is Status.OVERDUE
    assert before.rules[0].waived_reason is None
    assert [o.status for o in on_the_day.obligations[:2]] == [Status.WAIVED, Status.WAIVED]
    assert on_the_day.status is Status.ON_TRACK  # rule 2 (year-end deadline) is still open
    assert on_the_day.rules[0].waived_reason == "本年度无重大政策出台"
    assert on_the_day.next_due == date(2024, 12, 31)


def test_next_due_is_the_earliest_open_obligation(jining, conn):
    jining.complete("12", "2024-Q1", date(2024, 3, 29))
    assert by_number(query.tasks_as_of(conn, as_of=AS_OF))["12"].next_due == date(2024, 6, 30)
    assert by_number(query.tasks_as_of(conn, as_of=AS_OF))["5"].next_due is None


def test_ongoing_rules_want_a_note_each_month(jining, conn):
    jining.note("1", "已公开重点工作进展", date(2024, 7, 1))
    jining.note("1", "八月的进展", date(2024, 8, 2))
    views = by_number(query.tasks_as_of(conn, as_of=AS_OF))
    assert views["1"].status is Status.ON_TRACK
    assert views["1"].last_note == "已公开重点工作进展"   # the August note does not exist yet
    assert views["2"].status is Status.NO_UPDATE
    assert by_number(query.tasks_as_of(conn, as_of=date(2024, 9, 1)))["1"].status is Status.NO_UPDATE


def test_removed_tasks_and_rules_are_left_out(jining, conn):
    jining.remove_task("12")
    jining.remove_rule("8", 1)
    views = by_number(query.tasks_as_of(conn, as_of=AS_OF))
    assert "12" not in views
    assert [r.index for r in views["8"].rules] == [2]
    assert [o.key for o in views["8"].obligations] == ["deadline"]
    assert views["8"].status is Status.ON_TRACK


def test_owner_and_plan_filters(jining, conn):
    assert [v.number for v in query.tasks_as_of(conn, as_of=AS_OF, owner="政策法规科")] == ["8", "15"]
    assert query.tasks_as_of(conn, as_of=AS_OF, owner="养老服务科", status=Status.OVERDUE) == []
    assert len(query.tasks_as_of(conn, as_of=AS_OF, plan_id=jining.plan_id)) == 15
    assert query.tasks_as_of(conn, as_of=AS_OF, plan_id=99) == []


def test_tasks_come_in_outline_order_with_their_section(conn):
    views = query.tasks_as_of(conn, as_of=AS_OF)
    assert [v.number for v in views] == [str(n) for n in range(1, 16)]
    assert views[5].section == "二、深化政策公开与解读回应"
    assert views[5].path == ("二", "6")
    assert views[5].key == "1:6"


def test_english_summaries(conn):
    view = by_number(query.tasks_as_of(conn, as_of=AS_OF, lang="en"))["8"]
    assert view.rules[0].summary == "2 times a year · done 0"


def _dates(start: date, stop: date, step: int) -> list[date]:
    return [start + timedelta(days=d) for d in range(0, (stop - start).days, step)]


@pytest.mark.parametrize("status", [Status.OVERDUE, Status.DUE_SOON])
def test_the_sql_prefilter_finds_exactly_what_full_derivation_finds(jining, conn, status):
    jining.event("6", date(2024, 9, 27))
    jining.complete("12", "2024-Q1", date(2024, 4, 2))
    jining.complete("8", "2024-Y1", date(2024, 6, 30))
    jining.waive("13", reason="合并至年度报告", at=datetime(2024, 12, 20, 9))
    for as_of in [*_dates(date(2024, 3, 20), date(2025, 1, 10), 3), date(2024, 10, 8)]:
        for within in (0, 5):
            full = [v.number for v in query.tasks_as_of(conn, as_of=as_of, within=within)
                    if v.status is status]
            fast = [v.number for v in query.tasks_as_of(conn, as_of=as_of, within=within, status=status)]
            assert fast == full, (as_of, within)


def test_a_deadline_counted_without_holiday_data_is_provisional(jining, conn):
    from jining_builder import TASKS

    plan = jining.add_plan("2027年济宁市民政局政务公开工作要点", {"6": TASKS["6"]}, year=2027)
    jining.event("6", date(2027, 3, 1), ref="济民发〔2027〕3号", plan_id=plan)
    [view] = query.tasks_as_of(conn, as_of=date(2027, 3, 2), plan_id=plan)
    [ob] = view.obligations
    assert ob.due == date(2027, 3, 4)          # Monday 03-01 + 3 weekdays
    assert ob.provisional
    assert "no holiday data for 2027" in ob.note
    assert "济民发〔2027〕3号" in ob.note


def test_removed_tasks_and_rules_are_never_overdue(jining, conn):
    jining.remove_task("12")
    jining.remove_rule("8", 1)
    assert query.tasks_as_of(conn, as_of=AS_OF, status=Status.OVERDUE) == []
    assert conn.execute(query.OVERDUE_TASK_IDS_SQL, {"as_of": "2024-07-01", "next_day": "2024-07-02"}).fetchall() == []


def test_every_status_is_what_obligation_status_says(jining, conn):
    """The view builder calls obligation_status once per distinct (due, done, waived, note): the
    result must be the same as calling it for each obligation."""
    from tracker.model import Occurrence
    from tracker.schedule import obligation_status

    jining.event("6", date(2024, 9, 27), ref="济民发〔2024〕12号")
    jining.complete("12", "2024-Q1", date(2024, 4, 2))
    jining.complete("15", "2024-Y1#政策法规科", date(2024, 5, 6))
    jining.waive("13", reason="合并", at=datetime(2024, 8, 1, 9))
    jining.note("1", "进展", date(2024, 10, 3))
    calendar = query.load_calendar(conn)
    checked = 0
    for as_of in _dates(date(2024, 1, 5), date(2025, 1, 10), 11):
        for view in query.tasks_as_of(conn, as_of=as_of):
            note_on = date(2024, 10, 3) if view.number == "1" and as_of >= date(2024, 10, 3) else None
            for ob in view.obligations:
                occ = Occurrence(key=ob.key, due=ob.due, owner=ob.owner, provisional=ob.provisional,
                                 note=ob.note)
                direct = obligation_status(occ, as_of=as_of, calendar=calendar, done_on=ob.done_on,
                                           waived=ob.status is Status.WAIVED, last_note_on=note_on)
                assert ob.status is direct, (as_of, view.number, ob.key)
                checked += 1
    assert checked > 300
