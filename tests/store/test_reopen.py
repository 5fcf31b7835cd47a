"""`reopen` takes back one obligation's completion, on SQLite and PostgreSQL: the triggers clear
(or fall back) its `done_on`, later changes stay, and `undo` right after restores every table."""

from __future__ import annotations

from datetime import date

import pytest
from store_drafts import dump, rows
from test_done_on import disagreeing, done_on
from test_undo import run

from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.store import actions as A


def test_reopen_takes_back_one_completion_after_later_changes_and_undo_restores_it(imported, db_url):
    run(imported, A.mark_done, task_ref="8", rule=1, on=date(2024, 7, 1), evidence="误记")
    run(imported, A.add_note, task_ref="12", text="进展", on=date(2024, 6, 1))
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 3, 28), evidence=None)
    assert done_on(db_url, "8", "2024-Y1") == "2024-07-01"
    before = dump(db_url)
    result = run(imported, A.reopen, task_ref="8", rule=1)
    assert result == A.ReopenResult("8", 1, "2024-Y1", date(2024, 6, 30), date(2024, 7, 1), 1)
    assert done_on(db_url, "8", "2024-Y1") is None  # the trigger on delete, on both engines
    assert done_on(db_url, "12", "2024-Q1") == "2024-03-28"  # the later changes stay
    assert rows(db_url, "SELECT text FROM progressnote") == [("进展",)]
    assert rows(db_url, "SELECT obligation_key FROM completion") == [("2024-Q1",)]
    assert disagreeing(db_url) == []
    assert rows(db_url, "SELECT DISTINCT action, entity FROM auditentry WHERE action = 'reopen' ORDER BY entity") == [
        ("reopen", "completion"), ("reopen", "task")]
    with imported.transaction(who="t", action="undo") as session:
        summary = A.undo_last(session=session)
    assert summary.startswith("reopen (任务8: 撤回完成 规则1 2024-Y1 原完成于2024-07-01; t ")
    assert dump(db_url) == before  # the same row: id, evidence, recorder
    assert done_on(db_url, "8", "2024-Y1") == "2024-07-01"
    assert disagreeing(db_url) == []


def test_reopen_takes_the_latest_completed_obligation_unless_a_key_chooses(imported, db_url):
    for on in (date(2024, 3, 28), date(2024, 6, 20), date(2024, 6, 25)):
        run(imported, A.mark_done, task_ref="12", rule=None, on=on, evidence=None)
    assert run(imported, A.reopen, task_ref="12", rule=None).key == "2024-Q3"
    assert run(imported, A.reopen, task_ref="12", rule=None, key="2024-Q1").key == "2024-Q1"
    assert rows(db_url, "SELECT obligation_key FROM completion") == [("2024-Q2",)]
    assert [done_on(db_url, "12", k) for k in ("2024-Q1", "2024-Q2", "2024-Q3")] == [None, "2024-06-20", None]
    assert disagreeing(db_url) == []


def test_every_completion_row_of_the_obligation_goes_and_undo_puts_them_all_back(imported, db_url):
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 4, 2), evidence=None)
    from sqlalchemy import text

    with imported.transaction(who="t", action="sql") as session:  # recorded twice (by hand)
        session.execute(text(
            "INSERT INTO completion (requirement_id, obligation_key, done_on, evidence, recorded_by, recorded_at) "
            "SELECT requirement_id, obligation_key, '2024-03-20', 'earlier', 't', recorded_at FROM completion"))
    before = dump(db_url)
    result = run(imported, A.reopen, task_ref="12", rule=None)
    assert (result.key, result.done_on, result.removed) == ("2024-Q1", date(2024, 3, 20), 2)
    assert done_on(db_url, "12", "2024-Q1") is None
    with imported.transaction(who="t", action="undo") as session:
        A.undo_last(session=session)
    assert dump(db_url) == before
    assert done_on(db_url, "12", "2024-Q1") == "2024-03-20"


def test_a_per_owner_rule_reopens_that_units_obligation(imported, db_url):
    run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科", "养老服务科"])
    for unit, day in (("政策法规科", 10), ("局办公室", 20)):
        run(imported, A.mark_done, task_ref="15", rule=None, on=date(2024, 6, day), evidence=None, owner=unit)
    assert run(imported, A.reopen, task_ref="15", rule=None, owner="政策法规科").key == "2024-Y1#政策法规科"
    assert rows(db_url, "SELECT obligation_key FROM completion") == [("2024-Y1#局办公室",)]
    with pytest.raises(UsageError, match="nothing of 养老服务科 under rule 1 of task 15 is done; the done ones are "
                                         r"2024-Y1#局办公室 \(done 2024-06-20\)"):
        run(imported, A.reopen, task_ref="15", rule=None, owner="养老服务科")
    with pytest.raises(NotFoundError, match="“财务科” is not a unit of rule 1 of task 15"):
        run(imported, A.reopen, task_ref="15", rule=None, owner="财务科")
    with pytest.raises(UsageError, match="belongs to 局办公室, not 政策法规科"):
        run(imported, A.reopen, task_ref="15", rule=None, key="2024-Y1#局办公室", owner="政策法规科")
    assert disagreeing(db_url) == []


def test_refusals_write_nothing(imported, db_url):
    run(imported, A.mark_done, task_ref="12", rule=None, on=date(2024, 3, 28), evidence=None)
    before = dump(db_url)
    audit = rows(db_url, "SELECT count(*) FROM auditentry")
    for kw, error, words in (
            ({"task_ref": "8", "rule": None}, UsageError, "nothing of task 8 is done"),
            ({"task_ref": "8", "rule": 1}, UsageError, "nothing of rule 1 of task 8 is done"),
            ({"task_ref": "8", "rule": 3}, NotFoundError, "task 8 has no rule 3"),
            ({"task_ref": "12", "rule": None, "key": "2024-Q2"}, UsageError, "obligation 2024-Q2 of rule 1 of "
                                                                             "task 12 is not done"),
            ({"task_ref": "12", "rule": None, "key": "2024-Q9"}, NotFoundError, "has no obligation “2024-Q9”"),
            ({"task_ref": "12", "rule": None, "owner": "局办公室"}, UsageError, "drop --owner"),
            ({"task_ref": "12", "rule": None, "expected_version": 1}, ConflictError, "changed by someone else")):
        with pytest.raises(error, match=words):
            run(imported, A.reopen, **kw)
    assert dump(db_url) == before
    assert rows(db_url, "SELECT count(*) FROM auditentry") == audit
