"""`undo` reverses exactly the last action: table dumps before and after are equal."""

from __future__ import annotations

from datetime import date

import pytest
from store_drafts import dump, jining, rows
from test_reimport import revised

from tracker.errors import UsageError
from tracker.store import actions as A


def run(store, fn, **kw):
    with store.transaction(who="t", action=fn.__name__) as session:
        if "task_ref" in kw:
            kw["task"] = A.find_task(session=session, ref=kw.pop("task_ref"))
        return fn(session=session, **kw)


ACTIONS = [
    ("done", A.mark_done, {"task_ref": "12", "rule": None, "on": date(2024, 4, 2), "evidence": "x"}),
    ("event", A.log_event, {"task_ref": "6", "on": date(2024, 9, 27), "ref": "济民发〔2024〕12号", "rule": None}),
    ("note", A.add_note, {"task_ref": "1", "text": "进展", "on": date(2024, 6, 1)}),
    ("assign", A.assign_owners, {"task_ref": "15", "lead": ["局办公室"], "support": ["养老服务科", "新科室"]}),
    ("waive", A.waive, {"task_ref": "13", "rule": None, "reason": "不适用"}),
    ("rule", A.correct_rule, {"task_ref": "13", "rule": 1, "add": False, "remove": False, "changes": {"count": 4}}),
    ("rule_add", A.correct_rule, {"task_ref": "1", "rule": None, "add": True, "remove": False,
                                  "changes": {"kind": "deadline", "month": 6, "day": 30}}),
    ("calendar", A.set_calendar_override, {"day": date(2024, 10, 8), "kind": "holiday", "name": "测试"}),
    ("reimport", A.import_plan, {"draft": revised(), "source_name": "jining.txt"}),
]


@pytest.mark.parametrize(("name", "fn", "kw"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_undo_restores_every_table_exactly(imported, db_url, name, fn, kw):
    # some history first, so undo has to pick the right action
    run(imported, A.log_event, task_ref="6", on=date(2024, 3, 1), ref=None, rule=None)
    run(imported, A.assign_owners, task_ref="15", lead=["局办公室"], support=["政策法规科"])
    before = dump(db_url)
    run(imported, fn, **kw)
    assert dump(db_url) != before
    with imported.transaction(who="t", action="undo") as session:
        summary = A.undo_last(session=session)
    assert summary.startswith(fn.__name__)
    assert dump(db_url) == before


def test_undo_twice_walks_back_and_never_undoes_an_undo(imported, db_url):
    start = dump(db_url)
    run(imported, A.add_note, task_ref="1", text="一", on=date(2024, 6, 1))
    middle = dump(db_url)
    run(imported, A.add_note, task_ref="1", text="二", on=date(2024, 6, 2))
    with imported.transaction(who="t", action="undo") as s:
        A.undo_last(session=s)
    assert dump(db_url) == middle
    with imported.transaction(who="t", action="undo") as s:
        A.undo_last(session=s)
    assert dump(db_url) == start
    assert rows(db_url, "SELECT count(*) FROM auditentry WHERE action = 'undo'") == [(2,)]


def test_undo_of_the_first_import_empties_the_database_and_then_there_is_nothing(store, db_url):
    empty = dump(db_url)
    run(store, A.import_plan, draft=jining(), source_name="j.txt")
    with store.transaction(who="t", action="undo") as s:
        A.undo_last(session=s)
    assert dump(db_url) == empty
    with pytest.raises(UsageError, match="there is nothing to undo"), store.transaction(who="t", action="undo") as s:
        A.undo_last(session=s)
