"""store.actions on a real SQLite file: import, done, event, note, assign, waive, rule, calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from store_drafts import jining, rows

from tracker.errors import BadInputError, NotFoundError, UsageError
from tracker.store import actions as A


def act(store, action_name, fn, **kw):
    with store.transaction(who="tester", action=action_name) as session:
        if "task_ref" in kw:
            kw["task"] = A.find_task(session=session, ref=kw.pop("task_ref"))
        return fn(session=session, **kw)


def dues(path: Path, number: str) -> list[tuple]:
    return rows(path, "SELECT o.key, o.due, o.owner FROM obligation o JOIN task t ON t.id = o.task_id "
                      "WHERE t.number = ? ORDER BY o.due, o.key", number)


def test_first_import_stores_everything_and_schedules(store, db_url):
    with store.transaction(who="t", action="import") as session:
        report = A.import_plan(session=session, draft=jining(), source_name="jining.txt")
    assert (report.created, report.unchanged, report.tasks, report.sections, report.rules) == (True, False, 15, 5, 7)
    assert report.obligations == rows(db_url, "SELECT count(*) FROM obligation")[0][0] == 10
    assert dues(db_url, "12") == [("2024-Q1", "2024-03-31", None), ("2024-Q2", "2024-06-30", None),
                                   ("2024-Q3", "2024-09-30", None), ("2024-Q4", "2024-12-31", None)]
    assert rows(db_url, "SELECT path, section_id IS NOT NULL FROM task WHERE number = '6'") == [("二/6", 1)]
    assert rows(db_url, "SELECT w.name, o.role, o.origin FROM taskowner o JOIN owner w ON w.id = o.owner_id") == [
        ("局办公室", "lead", "parsed")]
    # every stored fact row is in the audit log under one action id
    assert rows(db_url, "SELECT count(DISTINCT action_id) FROM auditentry") == [(1,)]


def test_same_draft_again_is_unchanged_and_writes_nothing(imported, db_url):
    before = rows(db_url, "SELECT count(*) FROM auditentry")
    with imported.transaction(who="t", action="import") as session:
        report = A.import_plan(session=session, draft=jining(), source_name="jining.txt")
    assert report.unchanged
    assert report.plan_id == 1
    assert rows(db_url, "SELECT count(*) FROM auditentry") == before


def test_import_without_year_or_tasks_is_bad_input(store):
    with pytest.raises(BadInputError, match="--year"), store.transaction(who="t", action="import") as s:
        A.import_plan(session=s, draft=jining(year=None), source_name="x.txt")
    with pytest.raises(BadInputError, match="no numbered tasks"), store.transaction(who="t", action="import") as s:
        A.import_plan(session=s, draft=jining(tasks=()), source_name="x.txt")


def test_year_argument_supplies_the_missing_year(store, db_url):
    with store.transaction(who="t", action="import") as s:
        A.import_plan(session=s, draft=jining(year=None), source_name="x.txt", year=2025)
    assert ("2025-Q1", "2025-03-31", None) in dues(db_url, "12")


def test_find_task_by_number_and_plan_colon_number(imported):
    with imported.transaction(who="t", action="x") as s:
        assert A.find_task(session=s, ref="8").title == "任务标题8"
        assert A.find_task(session=s, ref="1:12").number == "12"
        with pytest.raises(NotFoundError, match=r"there is no task “99” in plan 1; valid numbers: 1, 2, .* 15\."):
            A.find_task(session=s, ref="99")
        with pytest.raises(NotFoundError, match=r"there is no plan “7”; stored plans: 1 \(2024年济宁市民政局政务公开工作要点\)"):
            A.find_task(session=s, ref="7:1")


def test_find_task_with_two_plans_asks_for_the_plan(imported):
    with imported.transaction(who="t", action="import") as s:
        A.import_plan(session=s, draft=jining(title="2025年济宁市民政局政务公开工作要点", year=2025),
                      source_name="j2025.txt")
    with imported.transaction(who="t", action="x") as s:
        # a usage error (exit 2), as `tracker show 8` says it; was NotFoundError (exit 4) on writes only
        with pytest.raises(UsageError, match=r"^2 plans are stored; choose one with --plan or PLAN:NUMBER: "
                                             r"2 \(2025年.*\); 1 \(2024年.*\)\.$"):
            A.find_task(session=s, ref="8")
        with pytest.raises(UsageError, match=r"^“济宁” matches 2 plans; use the id: 2 \(2025年.*\); 1 \(2024年.*\)\.$"):
            A.find_task(session=s, ref="8", plan="济宁")
        with pytest.raises(NotFoundError, match=r"^there is no plan “2023”; stored plans: 2 \(2025年.*\); 1 \(2024年"):
            A.find_task(session=s, ref="8", plan="2023")
        assert A.find_task(session=s, ref="8", plan="2025").plan_id == 2
        assert A.find_task(session=s, ref="8", plan="２０２５").plan_id == 2


def test_done_picks_the_earliest_open_obligation_and_says_if_late(imported, db_url):
    first = act(imported, "done", A.mark_done, task_ref="12", rule=None, on=date(2024, 3, 29), evidence="检查记录")
    second = act(imported, "done", A.mark_done, task_ref="12", rule=None, on=date(2024, 7, 2), evidence=None)
    assert (first.key, first.due, first.late) == ("2024-Q1", date(2024, 3, 31), False)
    assert (second.key, second.due, second.late) == ("2024-Q2", date(2024, 6, 30), True)
    assert rows(db_url, "SELECT obligation_key, done_on, evidence, recorded_by FROM completion ORDER BY id") == [
        ("2024-Q1", "2024-03-29", "检查记录", "tester"), ("2024-Q2", "2024-07-02", None, "tester")]
    assert rows(db_url, "SELECT version FROM task WHERE number = '12'") == [(3,)]


def test_done_with_several_rules_lists_them(imported):
    with pytest.raises(UsageError, match=r"task 8 has 2 rules; choose one with --rule K .*1: 每年2次 .*2: 12月31日前"):
        act(imported, "done", A.mark_done, task_ref="8", rule=None, on=date(2024, 7, 1), evidence=None)


def test_done_before_the_plan_year_and_when_nothing_is_open(imported, db_url):
    with pytest.raises(UsageError, match="before the plan's year 2024"):
        act(imported, "done", A.mark_done, task_ref="13", rule=None, on=date(2023, 12, 31), evidence=None)
    assert rows(db_url, "SELECT count(*) FROM completion") == [(0,)]
    act(imported, "done", A.mark_done, task_ref="13", rule=None, on=date(2024, 5, 1), evidence=None)
    with pytest.raises(UsageError, match="all obligations of rule 1 are already done"):
        act(imported, "done", A.mark_done, task_ref="13", rule=None, on=date(2024, 5, 2), evidence=None)
    with pytest.raises(NotFoundError, match="task 13 has no rule 5"):
        act(imported, "done", A.mark_done, task_ref="13", rule=5, on=date(2024, 5, 2), evidence=None)


def test_event_starts_an_obligation_three_working_days_later(imported, db_url):
    result = act(imported, "event", A.log_event, task_ref="6", on=date(2024, 9, 27), ref=None, rule=None)
    assert result.dues == ((1, date(2024, 10, 8), ""),)
    assert dues(db_url, "6")[0][1] == "2024-10-08"


def test_event_with_reference_and_on_a_task_without_event_rule(imported, db_url):
    with imported.transaction(who="t", action="event") as s:
        task = A.find_task(session=s, ref="6")
        result = A.log_event(session=s, task=task, on=date(2024, 9, 27), ref="济民发〔2024〕12号", rule=None)
    assert "济民发〔2024〕12号" in result.dues[0][2]
    with pytest.raises(UsageError, match="task 12 has no rule that starts on an event; add one with `tracker rule 12 --add"):
        act(imported, "event", A.log_event, task_ref="12", on=date(2024, 9, 27), ref=None, rule=None)


def test_note_is_stored_and_bumps_version(imported, db_url):
    act(imported, "note", A.add_note, task_ref="1", text=" 已公开3条 ", on=date(2024, 6, 5))
    assert rows(db_url, 'SELECT "on", text, author FROM progressnote') == [("2024-06-05", "已公开3条", "tester")]
    assert rows(db_url, "SELECT version FROM task WHERE number = '1'") == [(2,)]
    with pytest.raises(UsageError, match="the note is empty"):
        act(imported, "note", A.add_note, task_ref="1", text="  ", on=date(2024, 6, 5))


def test_assign_owners_makes_per_owner_obligations(imported, db_url):
    act(imported, "assign", A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科", "养老服务科"])
    assert dues(db_url, "15") == [("2024-Y1#养老服务科", "2024-12-31", "养老服务科"),
                                   ("2024-Y1#局办公室", "2024-12-31", "局办公室"),
                                   ("2024-Y1#政策法规科", "2024-12-31", "政策法规科")]
    assert rows(db_url, "SELECT DISTINCT origin FROM taskowner WHERE task_id = 15") == [("manual",)]
    with pytest.raises(UsageError, match="at least one lead"):
        act(imported, "assign", A.assign_owners, task_ref="15", lead=[" "], support=[])


def test_waive_and_waive_twice(imported, db_url):
    assert act(imported, "waive", A.waive, task_ref="13", rule=None, reason="本年度不开会") == 1
    assert rows(db_url, "SELECT reason, created_by FROM waiver") == [("本年度不开会", "tester")]
    with pytest.raises(UsageError, match="already waived"):
        act(imported, "waive", A.waive, task_ref="13", rule=None, reason="again")


def test_correct_rule_change_add_remove(imported, db_url):
    act(imported, "rule", A.correct_rule, task_ref="13", rule=1, add=False, remove=False, changes={"count": 2})
    assert [k for k, _, _ in dues(db_url, "13")] == ["2024-Y1", "2024-Y2"]
    k = act(imported, "rule", A.correct_rule, task_ref="13", rule=None, add=True, remove=False,
            changes={"kind": "deadline", "month": 2, "day": 29})  # 02-30 is refused (below)
    assert k == A.RuleResult(2)
    assert ("deadline", "2024-02-29", None) in dues(db_url, "13")
    act(imported, "rule", A.correct_rule, task_ref="13", rule=2, add=False, remove=True, changes={})
    assert ("deadline", "2024-02-29", None) not in dues(db_url, "13")
    with pytest.raises(UsageError, match="a recurring rule needs --period"):
        act(imported, "rule", A.correct_rule, task_ref="13", rule=None, add=True, remove=False,
            changes={"kind": "recurring", "count": 1})


def test_owner_email(imported):
    act(imported, "assign", A.assign_owners, task_ref="15", lead=["局办公室"], support=[])
    act(imported, "owners", A.set_owner_email, name="局办公室", email="office@example.gov.cn")
    with pytest.raises(NotFoundError, match="no unit named “财务科”; the units are 局办公室"):
        act(imported, "owners", A.set_owner_email, name="财务科", email="a@b.cn")
    with pytest.raises(UsageError, match="not a mail address"):
        act(imported, "owners", A.set_owner_email, name="局办公室", email="office")


def test_calendar_override_recomputes_event_deadlines(imported, db_url):
    act(imported, "event", A.log_event, task_ref="6", on=date(2024, 9, 27), ref=None, rule=None)
    act(imported, "calendar", A.set_calendar_override, day=date(2024, 10, 8), kind="holiday", name="test")
    assert dues(db_url, "6")[0][1] == "2024-10-09"
    with pytest.raises(UsageError, match="holiday or workday"):
        act(imported, "calendar", A.set_calendar_override, day=date(2024, 10, 8), kind="vacation")


def test_provisional_year_is_marked(store, db_url):
    with store.transaction(who="t", action="import") as s:
        A.import_plan(session=s, draft=jining(year=2031), source_name="j.txt")
    act(store, "event", A.log_event, task_ref="6", on=date(2031, 3, 6), ref=None, rule=None)
    provisional, note = rows(db_url, "SELECT provisional, note FROM obligation WHERE key LIKE 'event:%'")[0]
    assert provisional == 1
    assert "2031" in note


@pytest.mark.parametrize("deadline", [(2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31)])
def test_a_deadline_on_a_day_no_year_has_is_refused(imported, db_url, deadline):
    """QA: `rule 4 --rule 1 --kind deadline --deadline 02-30` was stored and shown as 2月30日前."""
    month, day = deadline
    before = rows(db_url, "SELECT * FROM requirement ORDER BY id")
    for add, rule in ((False, 1), (True, None)):
        with pytest.raises(UsageError, match=f"--deadline {month:02d}-{day} is not a day of the year") as caught:
            act(imported, "rule", A.correct_rule, task_ref="8", rule=rule, add=add, remove=False,
                changes={"kind": "deadline", "month": month, "day": day})
        assert caught.value.zh.startswith(f"--deadline {month:02d}-{day} 不是存在的日期: {month}月最多")
    assert rows(db_url, "SELECT * FROM requirement ORDER BY id") == before
    act(imported, "rule", A.correct_rule, task_ref="8", rule=1, add=False, remove=False,
        changes={"kind": "deadline", "month": 2, "day": 29})  # a day leap years have: accepted


def test_an_event_before_the_plans_year_is_recorded_and_reported(imported):
    """QA: an event of 2023-12-20 on a 2024 plan starts an obligation (due 2023-12-25): recorded, said."""
    early = act(imported, "event", A.log_event, task_ref="6", on=date(2023, 12, 20), ref=None, rule=None)
    assert (early.before_year, early.dues[0][1]) == (2024, date(2023, 12, 25))
    assert act(imported, "event", A.log_event, task_ref="6", on=date(2024, 1, 2), ref=None, rule=None).before_year is None


def test_an_address_a_unit_already_has_is_unchanged_and_writes_nothing(imported, db_url):
    act(imported, "assign", A.assign_owners, task_ref="15", lead=["局办公室"], support=[])
    assert act(imported, "owners", A.set_owner_email, name="局办公室", email="bgs@example.gov.cn") is True
    audit = rows(db_url, "SELECT count(*) FROM auditentry")
    assert act(imported, "owners", A.set_owner_email, name="局办公室", email=" bgs@example.gov.cn ") is False
    assert rows(db_url, "SELECT count(*) FROM auditentry") == audit
    assert act(imported, "owners", A.set_owner_email, name="局办公室", email=None) is True
    assert act(imported, "owners", A.set_owner_email, name="局办公室", email=None) is False


def test_an_undo_of_several_calendar_lines_names_them_all(imported, db_url):
    """QA: one undo reverses a two-line calendar import, but its sentence named one line."""
    lines = [(date(2027, 2, 7), "workday", "春节"), (date(2027, 2, 20), "workday", "春节")]
    with imported.transaction(who="t", action="calendar") as session:
        summary = A.calendar_summary(A.calendar_changes(session, lines), "2027.csv")
        for day, kind, name in lines:
            A.set_calendar_override(session=session, day=day, kind=kind, name=name, summary=summary)
    assert summary == "日历: 2个日历调整 (来自 2027.csv) — 2027-02-07 上班 春节, 2027-02-20 上班 春节"
    with imported.transaction(who="t", action="undo") as session:
        assert A.undo_last(session=session) == f"calendar ({summary}; t {session.info['now']:%Y-%m-%d %H:%M})"
    assert rows(db_url, "SELECT count(*) FROM calendaroverride") == [(0,)]
    # rows each with its own line (no aggregate stored) are still said to be several
    with imported.transaction(who="t", action="calendar") as session:
        for day, kind, name in lines:
            A.set_calendar_override(session=session, day=day, kind=kind, name=name)
    with imported.transaction(who="t", action="undo") as session:
        assert A.undo_last(session=session).startswith("calendar (日历: 2027-02-07 上班 春节 等2个日历调整; t ")
