"""QA: an assign re-keys a per-owner rule's obligations (2024-Y1 → 2024-Y1#UNIT), and no recorded
completion may be lost on the way — on both engines, with `undo` exact."""

from __future__ import annotations

from datetime import date

import pytest
from store_drafts import dump, rows
from test_undo import run

from tracker.errors import UsageError
from tracker.store import actions as A


def completions(db) -> list[tuple]:
    return rows(db, "SELECT c.obligation_key, c.done_on FROM completion c JOIN requirement r "
                    "ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id WHERE t.number = '15' "
                    "ORDER BY c.done_on")


def unmatched(store) -> int:
    with store.transaction(who="t", action="read") as session:
        return A.unmatched_completions(session=session, task=A.find_task(session=session, ref="15"))


def undo(store) -> str:
    with store.transaction(who="t", action="undo") as session:
        return A.undo_last(session=session)


def test_a_completion_made_before_any_unit_is_credited_to_the_first_lead_unit(imported, db_url):
    run(imported, A.mark_done, task_ref="15", rule=None, on=date(2024, 5, 1), evidence="投稿")
    before = dump(db_url)
    result = run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科", "养老服务科"])
    assert result.changed
    assert result.recredited == (A.Recredited(1, "2024-Y1", "2024-Y1#局办公室", "局办公室", date(2024, 5, 1)),)
    assert completions(db_url) == [("2024-Y1#局办公室", "2024-05-01")]
    assert unmatched(imported) == 0
    assert sorted(rows(db_url, "SELECT key, done_on FROM obligation WHERE key LIKE '2024-Y1#%'")) == sorted(
        [("2024-Y1#局办公室", "2024-05-01"), ("2024-Y1#政策法规科", None), ("2024-Y1#养老服务科", None)])
    undo(imported)
    assert dump(db_url) == before  # the completion is back on 2024-Y1, done as before


def test_a_removed_units_completion_goes_to_the_first_open_owner_and_undo_restores_it(imported, db_url):
    run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科", "养老服务科"])
    run(imported, A.mark_done, task_ref="15", rule=None, on=date(2024, 5, 1), evidence=None, owner="局办公室")
    run(imported, A.mark_done, task_ref="15", rule=None, on=date(2024, 6, 1), evidence=None, owner="养老服务科")
    before = dump(db_url)
    result = run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科"])
    assert [(m.old_key, m.new_key) for m in result.recredited] == [("2024-Y1#养老服务科", "2024-Y1#政策法规科")]
    assert completions(db_url) == [("2024-Y1#局办公室", "2024-05-01"), ("2024-Y1#政策法规科", "2024-06-01")]
    assert unmatched(imported) == 0
    undo(imported)
    assert dump(db_url) == before


def test_a_unit_renamed_keeps_its_completion(imported, db_url):
    run(imported, A.assign_owners, task_ref="15", lead=["办公室"], support=[])
    run(imported, A.mark_done, task_ref="15", rule=None, on=date(2024, 5, 1), evidence=None)
    run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科"])
    assert completions(db_url) == [("2024-Y1#局办公室", "2024-05-01")]


def test_an_assign_that_would_leave_a_completion_nowhere_is_refused_and_writes_nothing(imported, db_url):
    run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科"])
    run(imported, A.mark_done, task_ref="15", rule=None, on=date(2024, 5, 1), evidence=None, owner="局办公室")
    run(imported, A.mark_done, task_ref="15", rule=None, on=date(2024, 6, 1), evidence=None, owner="政策法规科")
    before, audit = dump(db_url), rows(db_url, "SELECT count(*) FROM auditentry")
    with pytest.raises(UsageError, match="would count for nothing") as caught:
        run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=[])
    assert caught.value.zh == ("规则1的 2024-Y1#政策法规科 完成记录 (2024-06-01) 将无处计入: 政策法规科不再是任务15的责任单位, "
                               "而各责任单位的 2024-Y1 都已完成; 未做任何修改 (请保留政策法规科为责任单位)。")
    assert (dump(db_url), rows(db_url, "SELECT count(*) FROM auditentry")) == (before, audit)


def test_an_assign_leaves_a_rule_changes_orphans_where_they_are(imported, db_url):
    """A completion a rule correction left without its obligation (2024-Q1 of a rule made twice a
    year) is that correction's to restore (`undo`); an assign does not move it."""
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 3, 28), evidence=None)
    run(imported, A.correct_rule, task_ref="12", rule=1, add=False, remove=False, changes={"count": 2, "period": "year"})
    result = run(imported, A.assign_owners, task_ref="12", lead=["局办公室"], support=[])
    assert result.changed
    assert result.recredited == ()
    assert rows(db_url, "SELECT obligation_key FROM completion") == [("2024-Q1",)]
