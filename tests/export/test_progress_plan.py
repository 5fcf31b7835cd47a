"""plan_import, pure: what a returned row means, decided without a database."""

from __future__ import annotations

from datetime import date, datetime

from ledger_fixtures import AS_OF, sample_tasks

from tracker.export.cells import RowId
from tracker.export.progress import (
    Exported,
    Returned,
    ReturnedRow,
    describe,
    open_rule,
    plan_import,
)
from tracker.model import Status

TODAY = date(2024, 7, 3)


def returned(*rows: ReturnedRow, exported=None) -> Returned:
    return Returned(as_of=AS_OF, owner=None, rows=rows, exported=exported or {})


CURRENT = {t.task_id: t for t in sample_tasks()}


def row(task_id: int, version: int, *, progress="", done=None, evidence="", as_of=AS_OF, n=5,
        title: str | None = None) -> ReturnedRow:
    """A returned row showing its task's number and title (as exported), unless told otherwise."""
    return ReturnedRow(excel_row=n, row_id=RowId(task_id, version, as_of), label=str(task_id),
                       progress=progress, done=done, evidence=evidence,
                       title=CURRENT[task_id].title if title is None else title)


def test_open_rule_is_the_one_due_first():
    assert open_rule(CURRENT[8]) == 1       # 2024-06-30 (rule 1) before 12-31 (rule 2)
    assert open_rule(CURRENT[13]) is None   # all done
    assert open_rule(CURRENT[1]) is None    # waived


def test_changes_and_refusals_row_by_row():
    plan = plan_import(returned(
        row(8, 3, progress="新进展", done=datetime(2024, 7, 2), evidence="报告", n=5),
        row(12, 1, evidence="3月28日:检查报告Q1", n=6),                 # exported text, unchanged
        row(13, 1, done="2024-07-02", n=7),                            # nothing open any more
        row(6, 2, progress="x", n=8),                                  # version moved 2 → 1? refused
        row(6, 1, progress="y", as_of=date(2024, 6, 30), n=9),          # from another month's ledger
        row(12, 1, done="2024-08-01", n=10),                           # in the future
        exported={12: Exported(1, "", "3月28日:检查报告Q1")}), CURRENT, today=TODAY)
    assert [(c.excel_row, c.note, c.done_on, c.rule_index, c.evidence) for c in plan.changes] == [
        (5, "新进展", date(2024, 7, 2), 1, "报告")]
    assert plan.unchanged == 1
    reasons = {r.excel_row: (r.conflict, r.reason) for r in plan.refused}
    assert reasons[7][0] is True
    assert "already recorded done or waived" in reasons[7][1]
    assert reasons[8][0] is True
    assert "version 2 → 1" in reasons[8][1]
    assert reasons[9][0] is False
    assert "another date" in reasons[9][1]
    assert reasons[10][0] is False
    assert "in the future" in reasons[10][1]
    lines = describe(plan, "en")
    assert lines[0] == "1 row(s) to apply:"
    assert "  row 5 task 8 完成日期: “” → “2024-07-02” (rule 1)" in lines


def test_removed_task_is_refused():
    plan = plan_import(returned(row(8, 3, progress="p")), CURRENT, today=TODAY, removed=frozenset({8}))
    assert plan.refused[0].reason == "the task is no longer in the plan"


def test_same_plan_is_decided_by_origin_and_by_title_only_without_one():
    from tracker.export.data import PlanStamp
    from tracker.export.progress import same_plan

    recorded = PlanStamp(1, "2024年要点", "a" * 32)
    assert same_plan(recorded, PlanStamp(1, "2024年要点(修订)", "a" * 32))  # retitled by a re-import
    assert not same_plan(recorded, PlanStamp(1, "2024年要点", "b" * 32))  # imported into another database
    assert not same_plan(recorded, PlanStamp(2, "2024年要点", "a" * 32))
    assert not same_plan(recorded, None)
    assert same_plan(PlanStamp(1, "2024年要点"), PlanStamp(1, "2024年要点", "c" * 32))  # older than the audit
    assert not same_plan(PlanStamp(1, "2024年要点"), PlanStamp(1, "另一计划"))


def test_a_completion_before_the_plan_year_is_that_rows_refusal_and_the_others_apply():
    """2023 typed for 2024: refused and listed before anything is written, like `tracker done --on`
    refuses it — while the other rows of the workbook still apply (it used to abort them all)."""
    plan = plan_import(returned(row(8, 3, done="2023-06-28", n=5), row(12, 1, progress="新进展", n=6)),
                       CURRENT, today=TODAY, plan_years={1: 2024})
    assert [c.excel_row for c in plan.changes] == [6]
    [refusal] = plan.refused
    assert (refusal.excel_row, refusal.conflict) == (5, False)
    assert refusal.text("zh") == "完成日期 2023-06-28 早于计划年度 2024; 请核对完成日期"
    assert refusal.text("en") == "完成日期 2023-06-28 is before the plan's year 2024; check the completion date"
    in_year = plan_import(returned(row(8, 3, done="2024-01-01", n=5)), CURRENT, today=TODAY,
                          plan_years={1: 2024})
    assert [c.done_on for c in in_year.changes] == [date(2024, 1, 1)]
    assert not in_year.refused


def test_a_row_an_earlier_import_applied_is_already_imported_not_a_conflict():
    """The same workbook imported again after one row was corrected: the rows applied the first
    time moved their tasks' versions — by exactly their own writes, and what they wrote is what
    the task holds now — so they count as already imported, not as [冲突]."""
    t8, t12 = CURRENT[8], CURRENT[12]
    y1 = t8.obligations[0]._replace(status=Status.DONE, done_on=date(2024, 7, 2), evidence="报告")
    after = {  # what the first import wrote: task 8 a note and a completion (3 → 5), task 12 a note (1 → 2)
        8: t8._replace(version=5, last_note="新进展", obligations=(y1, *t8.obligations[1:])),
        12: t12._replace(version=2, last_note="二季度检查已完成"),
    }
    again = returned(row(8, 3, progress="新进展", done=datetime(2024, 7, 2), evidence="报告", n=5),
                     row(12, 1, progress="二季度检查已完成", n=6))
    plan = plan_import(again, after, today=TODAY)
    assert (plan.changes, plan.refused, plan.already_applied) == ((), (), 2)
    assert describe(plan) == ["已导入过 2 行, 未重复写入。"]
    assert describe(plan, "en") == ["2 row(s) already imported, not written again."]
    # anything else changed since is a conflict, as before: another note after ours (12 → version 3),
    # another change that left our note last (an owner changed: 8 → version 6), another date recorded
    moved = {
        8: after[8]._replace(version=6),
        12: after[12]._replace(version=3, last_note="协调员记录"),
    }
    plan = plan_import(again, moved, today=TODAY)
    assert plan.already_applied == 0
    assert [(r.excel_row, r.conflict) for r in plan.refused] == [(5, True), (6, True)]
    other_day = {8: after[8]._replace(obligations=(y1._replace(done_on=date(2024, 7, 1)), *t8.obligations[1:]))}
    plan = plan_import(returned(again.rows[0]), other_day, today=TODAY)
    assert (plan.already_applied, [r.conflict for r in plan.refused]) == (0, [True])
