"""Property: any sequence of actions, undone one by one, passes back through every earlier state."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_drafts import dump, jining

from tracker.errors import TrackerError
from tracker.store import actions as A
from tracker.store import open_store

STEPS = {
    "done12": (A.mark_done, {"task_ref": "12", "rule": None, "on": date(2024, 4, 1), "evidence": None}),
    "done8": (A.mark_done, {"task_ref": "8", "rule": 1, "on": date(2024, 7, 1), "evidence": "e"}),
    "event6": (A.log_event, {"task_ref": "6", "on": date(2024, 9, 27), "ref": None, "rule": None}),
    "note1": (A.add_note, {"task_ref": "1", "text": "进展", "on": date(2024, 6, 3)}),
    "assign15": (A.assign_owners, {"task_ref": "15", "lead": ["局办公室"], "support": ["政策法规科"]}),
    "assign6": (A.assign_owners, {"task_ref": "6", "lead": ["政策法规科"], "support": []}),
    "waive13": (A.waive, {"task_ref": "13", "rule": None, "reason": "r"}),
    "rule13": (A.correct_rule, {"task_ref": "13", "rule": 1, "add": False, "remove": False,
                                "changes": {"count": 2}}),
    "holiday": (A.set_calendar_override, {"day": date(2024, 10, 8), "kind": "holiday"}),
    "workday": (A.set_calendar_override, {"day": date(2024, 10, 8), "kind": "workday"}),
}


def apply(store, name: str) -> bool:
    fn, kw = STEPS[name]
    kw = dict(kw)
    try:
        with store.transaction(who="p", action=name) as session:
            if "task_ref" in kw:
                kw["task"] = A.find_task(session=session, ref=kw.pop("task_ref"))
            result = fn(session=session, **kw)
    except TrackerError:  # e.g. "already waived", "all obligations done": nothing written
        return False
    # False or a result with changed False: a no-op (the override already set, the rule already so)
    return result is not False and getattr(result, "changed", True)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=6))
def test_undo_walks_back_through_every_state(names):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.db"
        store = open_store(str(path))
        try:
            with store.transaction(who="p", action="import") as session:
                A.import_plan(session=session, draft=jining(), source_name="j.txt")
            states = [dump(path)]
            for name in names:
                before = dump(path)
                if apply(store, name):
                    states.append(dump(path))
                else:
                    assert dump(path) == before  # a refused action leaves no trace
            for expected in reversed(states[:-1]):
                with store.transaction(who="p", action="undo") as session:
                    A.undo_last(session=session)
                assert dump(path) == expected
        finally:
            store.close()
