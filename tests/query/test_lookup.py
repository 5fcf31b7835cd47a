"""Plans, owners, task references, one task in full, and the audit trail."""

from __future__ import annotations

import json
from datetime import date

import pytest
from jining_builder import TASKS

from tracker import query
from tracker.errors import NotFoundError, UsageError
from tracker.model import Status

AS_OF = date(2024, 7, 1)


def test_list_plans_newest_first_with_live_task_counts(jining, conn):
    jining.add_plan("2025年济宁市民政局政务公开工作要点", {"1": TASKS["1"]}, year=2025)
    jining.remove_task("3")
    assert [(p.plan_id, p.year, p.task_count) for p in query.list_plans(conn)] == [(2, 2025, 1), (1, 2024, 14)]


def test_resolve_plan_by_id_or_title_part(jining, conn):
    assert query.resolve_plan(conn, None).plan_id == 1
    jining.add_plan("2025年济宁市民政局政务公开工作要点", {"1": TASKS["1"]}, year=2025)
    assert query.resolve_plan(conn, "2").year == 2025
    assert query.resolve_plan(conn, "2024年").plan_id == 1
    with pytest.raises(UsageError, match=r"2 plans are stored; choose one with --plan or PLAN:NUMBER: 2 \(2025年"):
        query.resolve_plan(conn, None)
    with pytest.raises(UsageError, match="matches 2 plans"):
        query.resolve_plan(conn, "济宁")
    with pytest.raises(NotFoundError, match=r"there is no plan “北京”; stored plans: 2 \(2025年.*1 \(2024年"):
        query.resolve_plan(conn, "北京")


def test_task_references(jining, conn):
    assert query.find_task_id(conn, "8") == jining.task_id("8")
    assert query.find_task_id(conn, "1:8") == jining.task_id("8")
    assert query.find_task_id(conn, "1:二/6") == jining.task_id("6")
    assert query.find_task_id(conn, "12", plan="济宁") == jining.task_id("12")
    with pytest.raises(NotFoundError, match=r"no task “99” in plan 1; valid numbers: 1, 2, 3, .*, 15\."):
        query.find_task_id(conn, "99")
    with pytest.raises(NotFoundError, match="there is no plan “7”"):
        query.find_task_id(conn, "7:8")


def test_a_removed_task_cannot_be_named(jining, conn):
    jining.remove_task("8")
    with pytest.raises(NotFoundError, match="valid numbers: 1, 2, 3, 4, 5, 6, 7, 9,"):
        query.find_task_id(conn, "8")


def test_several_plans_need_a_plan_in_the_reference(jining, conn):
    second = jining.add_plan("2025年济宁市民政局政务公开工作要点", {"8": TASKS["8"]}, year=2025)
    with pytest.raises(UsageError, match="choose one with --plan or PLAN:NUMBER"):
        query.find_task_id(conn, "8")
    assert query.find_task_id(conn, f"{second}:8") == jining.task_id("8", plan_id=second)


def test_owners_and_unknown_owner(conn):
    assert [(o.name, o.task_count) for o in query.list_owners(conn)] == [
        ("养老服务科", 2), ("局办公室", 15), ("政策法规科", 2)]
    assert query.check_owner(conn, "局办公室") == "局办公室"
    with pytest.raises(NotFoundError, match="there is no unit “财务科”; known units: 养老服务科, 局办公室, 政策法规科"):
        query.check_owner(conn, "财务科")


def test_task_detail_has_events_and_notes_up_to_as_of(jining, conn):
    jining.event("6", date(2024, 9, 27), ref="济民发〔2024〕12号")
    jining.event("6", date(2024, 11, 4), ref="济民发〔2024〕20号")
    jining.note("6", "解读材料已随文报送", date(2024, 9, 27))
    jining.note("6", "第二份文件解读中", date(2024, 11, 5))
    detail = query.task_detail(conn, jining.task_id("6"), as_of=date(2024, 10, 9))
    assert [(e.on, e.ref) for e in detail.events] == [(date(2024, 9, 27), "济民发〔2024〕12号")]
    assert [n.text for n in detail.notes] == ["解读材料已随文报送"]
    assert [(o.due, o.status) for o in detail.task.obligations] == [(date(2024, 10, 8), Status.OVERDUE)]
    with pytest.raises(NotFoundError) as caught:
        query.task_detail(conn, 999, as_of=AS_OF)
    assert (str(caught.value), caught.value.text("zh")) == ("there is no task with id 999.", "没有 ID 为 999 的任务。")


def test_history_gathers_the_actions_that_touched_the_task(jining, conn):
    task8, rule8 = jining.task_id("8"), jining.rule_id("8")
    jining.audit("a1", "2024-07-01 09:00:00", "import", "task", task8, json.dumps({"id": task8}), "导入计划")
    jining.audit("a1", "2024-07-01 09:00:00", "import", "task", jining.task_id("9"), "{}", "")
    jining.audit("a2", "2024-07-02 10:00:00", "done", "completion", 1,
                 json.dumps({"requirement_id": rule8, "obligation_key": "2024-Y1"}), "已记录完成: 任务8")
    jining.audit("a2", "2024-07-02 10:00:00", "done", "obligation", 1, json.dumps({"task_id": task8}), "")
    jining.audit("a3", "2024-07-03 11:00:00", "note", "progressnote", 5,
                 json.dumps({"task_id": jining.task_id("12")}), "进展: 任务12")
    jining.audit("a4", "2024-07-04 11:00:00", "note", "progressnote", 6, "not json", "bad row")
    history = query.task_detail(conn, task8, as_of=AS_OF).history
    assert [(h.action, h.summary) for h in history] == [("done", "已记录完成: 任务8"), ("import", "导入计划")]
    log = query.audit_log(conn, limit=3)
    assert [h.summary for h in log] == ["bad row", "进展: 任务12", "已记录完成: 任务8"]


@pytest.mark.parametrize("ref", ["2", "4", "0", "02"])
def test_a_number_names_a_plan_by_id_only_never_a_digit_of_its_title(conn, ref):
    """ "2024年…" contains 2 and 4: a number that is no plan's id must not fall back to the title
    (`tracker show 2:1` read plan 1, and `PLAN:NUMBER` could have written to the wrong plan)."""
    with pytest.raises(NotFoundError, match=rf"there is no plan “{ref}”; stored plans: 1 \(2024年"):
        query.resolve_plan(conn, ref)


def test_a_four_digit_number_names_the_plan_of_that_year_as_the_store_does(jining, conn):
    second = jining.add_plan("2025年济宁市民政局政务公开工作要点", {"1": TASKS["1"]}, year=2025)
    assert query.resolve_plan(conn, "2025").plan_id == second
    assert query.resolve_plan(conn, "2024").plan_id == 1
    with pytest.raises(NotFoundError, match=r"there is no plan “2023”; stored plans: 2 \(2025年.*1 \(2024年"):
        query.resolve_plan(conn, "2023")
    jining.add_plan("2025年济宁市民政局政务公开工作要点(修订)", {"1": TASKS["1"]}, year=2025)
    with pytest.raises(UsageError, match=r"“2025” matches 2 plans; use the id: 3 \(2025年.*2 \(2025年"):
        query.resolve_plan(conn, "2025")
