"""Re-importing a revised plan: matching, reporting, and keeping every bit of history."""

from __future__ import annotations

from datetime import date

from store_drafts import jining, rows, task

from tracker.model import Owners, Requirement, RequirementKind
from tracker.store import actions as A
from tracker.store.reimport import OldTask, match


def revised():
    """Task 6 reworded, task 14 dropped, a new task 16 added, task 12 now twice a quarter."""
    tasks = [task(n) for n in range(1, 16) if n != 14]
    tasks[5] = task(6, text="推进政策解读规范化。文件发布后,应于3个工作日内关联发布解读材料,并报送备案。")
    tasks[11] = tasks[11]._replace(requirements=(
        Requirement(kind=RequirementKind.RECURRING, source="每季度检查2次", count=2, period="quarter"),))
    tasks.append(task(15).__class__(number="16", path=("五", "16"), title="新增任务", text="新增任务。年底前完成。",
                                    requirements=(Requirement(kind=RequirementKind.DEADLINE, source="年底前",
                                                              month=12, day=31),)))
    return jining(tasks=tuple(tasks))


def run(store, fn, **kw):
    with store.transaction(who="t", action="x") as session:
        if "task_ref" in kw:
            kw["task"] = A.find_task(session=session, ref=kw.pop("task_ref"))
        return fn(session=session, **kw)


def test_match_is_pure_and_prefers_path_and_title():
    old = [OldTask(1, "1", ("一", "1"), "甲", "甲。"), OldTask(2, "2", ("一", "2"), "乙", "乙。"),
           OldTask(3, "3", ("一", "3"), "丙", "丙。")]
    drafts = (task(1, "甲", "甲。"), task(2, "乙", "乙。")._replace(number="3", path=("一", "3")),
              task(4, "丁", "丁。"))
    found = match(old, drafts)
    assert [(o.task_id, d.number) for o, d in found.pairs] == [(1, "1"), (2, "3")]
    assert [o.task_id for o, _ in found.changed] == [2]  # renumbered: same title, new path
    assert [d.title for d in found.added] == ["丁"]
    assert [o.task_id for o in found.removed] == [3]


def test_dry_run_reports_and_writes_nothing(imported, db_url):
    before = rows(db_url, "SELECT count(*) FROM auditentry")
    report = run(imported, A.import_plan, draft=revised(), source_name="jining.txt", dry_run=True)
    assert (report.added, report.removed) == (["16 新增任务"], ["14 任务标题14"])
    assert report.changed == ["6 任务标题6"]
    assert rows(db_url, "SELECT count(*) FROM auditentry") == before


def test_revised_plan_keeps_history_and_manual_corrections(imported, db_url):
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 3, 30), evidence="记录")
    run(imported, A.add_note, task_ref="6", text="已解读", on=date(2024, 5, 1))
    run(imported, A.log_event, task_ref="6", on=date(2024, 9, 27), ref=None, rule=None)
    run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["养老服务科"])
    run(imported, A.correct_rule, task_ref="13", rule=1, add=False, remove=False, changes={"count": 3})
    run(imported, A.add_note, task_ref="14", text="将被删除的任务的进展", on=date(2024, 5, 1))

    report = run(imported, A.import_plan, draft=revised(), source_name="jining.txt")

    assert (report.created, report.unchanged) == (False, False)
    assert (report.added, report.changed, report.removed) == (["16 新增任务"], ["6 任务标题6"], ["14 任务标题14"])
    # task ids are kept; history stays attached
    assert rows(db_url, "SELECT id, text FROM task WHERE number = '6'")[0][1].endswith("并报送备案。")
    assert rows(db_url, "SELECT count(*) FROM progressnote WHERE task_id = 6") == [(1,)]
    assert rows(db_url, "SELECT count(*) FROM event WHERE task_id = 6") == [(1,)]
    assert rows(db_url, "SELECT obligation_key FROM completion") == [("2024-Q1",)]
    # removed task kept with its note
    assert rows(db_url, "SELECT removed FROM task WHERE number = '14'") == [(1,)]
    assert rows(db_url, "SELECT count(*) FROM progressnote WHERE task_id = 14") == [(1,)]
    # manual owners and manual rule survive (the draft has no owners for 15 and count 1 for 13)
    assert rows(db_url, "SELECT w.name FROM taskowner o JOIN owner w ON w.id = o.owner_id "
                         "WHERE o.task_id = 15 ORDER BY o.id") == [("局办公室",), ("养老服务科",)]
    assert rows(db_url, "SELECT count, origin FROM requirement WHERE task_id = 13 AND removed = 0") == [(3, "manual")]
    # parsed rule of 12 updated in place (same id → the Q1 completion still refers to it)
    assert rows(db_url, "SELECT id, count FROM requirement WHERE task_id = 12") == [(5, 2)]
    keys = [k for (k,) in rows(db_url, "SELECT key FROM obligation WHERE task_id = 12 ORDER BY due, key")]
    assert keys[:3] == ["2024-Q1-1", "2024-Q1-2", "2024-Q2-1"]
    assert len(keys) == 8
    # new task scheduled, removed task unscheduled
    assert rows(db_url, "SELECT o.due FROM obligation o JOIN task t ON t.id = o.task_id WHERE t.number = '16'") == [
        ("2024-12-31",)]
    assert rows(db_url, "SELECT count(*) FROM obligation o JOIN task t ON t.id = o.task_id WHERE t.number = '14'") \
        == [(0,)]


def test_reimport_twice_is_unchanged_and_old_file_again_brings_tasks_back(imported, db_url):
    run(imported, A.import_plan, draft=revised(), source_name="jining.txt")
    assert run(imported, A.import_plan, draft=revised(), source_name="jining.txt").unchanged
    back = run(imported, A.import_plan, draft=jining(), source_name="jining.txt")
    assert back.added == []
    assert "14 任务标题14" in back.changed
    assert rows(db_url, "SELECT removed FROM task WHERE number = '14'") == [(0,)]
    assert rows(db_url, "SELECT removed FROM task WHERE number = '16'") == [(1,)]


def test_parsed_owners_follow_the_document_when_not_assigned_by_hand(imported, db_url):
    tasks = list(jining().tasks)
    tasks[7] = tasks[7]._replace(owners=Owners(lead=("政策法规科",), support=("局办公室",)))
    run(imported, A.import_plan, draft=jining(tasks=tuple(tasks)), source_name="jining.txt")
    assert rows(db_url, "SELECT w.name, o.role FROM taskowner o JOIN owner w ON w.id = o.owner_id "
                         "WHERE o.task_id = 8 ORDER BY o.id") == [("政策法规科", "lead"), ("局办公室", "support")]
    assert rows(db_url, "SELECT version FROM task WHERE id = 8") == [(2,)]


def test_next_years_plan_in_a_file_of_the_same_name_is_a_new_plan(imported, db_url):
    report = run(imported, A.import_plan, draft=jining(title="2025年济宁市民政局政务公开工作要点", year=2025),
                 source_name="jining.txt")
    assert (report.created, report.plan_id) == (True, 2)
    assert rows(db_url, "SELECT count(*) FROM task WHERE removed = 0") == [(30,)]
