"""No lost updates (issue 7's row version, on both engines): a stale edit is a ConflictError, nothing written."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest
from store_drafts import jining, rows

from tracker.errors import ConflictError
from tracker.store import actions as A
from tracker.store import open_store
from tracker.store.versions import bump


@pytest.fixture
def stored(db_url):
    store = open_store(db_url)
    with store.transaction(who="t", action="import") as session:
        A.import_plan(session=session, draft=jining(), source_name="jining.txt")
    yield store
    store.close()


def edit(store, version, text="进展"):
    with store.transaction(who="t", action="note") as session:
        task = A.find_task(session=session, ref="8")
        A.add_note(session=session, task=task, text=text, on=date(2024, 6, 1), expected_version=version)


@pytest.mark.parametrize("action", ["note", "done", "event", "assign", "waive", "rule"])
def test_an_edit_from_an_old_version_is_refused_and_writes_nothing(stored, db_url, action):
    edit(stored, 1, "first")  # someone else: version 1 → 2
    before = rows(db_url, "SELECT count(*) FROM auditentry")
    calls = {
        "note": (A.add_note, {"text": "x", "on": date(2024, 6, 1)}),
        "done": (A.mark_done, {"rule": 1, "on": date(2024, 6, 1), "evidence": None}),
        "event": (A.log_event, {"on": date(2024, 6, 1), "ref": None, "rule": None}),
        "assign": (A.assign_owners, {"lead": ["局办公室"], "support": []}),
        "waive": (A.waive, {"rule": 1, "reason": "r"}),
        "rule": (A.correct_rule, {"rule": 1, "add": False, "remove": False, "changes": {"count": 3}}),
    }
    fn, kw = calls[action]
    ref = "6" if action == "event" else "8"
    if action == "event":
        with stored.transaction(who="t", action="note") as session:
            A.add_note(session=session, task=A.find_task(session=session, ref="6"), text="bump", on=date(2024, 6, 1))
        before = rows(db_url, "SELECT count(*) FROM auditentry")
    with pytest.raises(ConflictError, match=rf"^task {ref} was changed by someone else since you opened it "
                                            r"\(version 1 → 2\); reload and try again\.$"), \
            stored.transaction(who="t", action=action) as session:
        fn(session=session, task=A.find_task(session=session, ref=ref), expected_version=1, **kw)
    assert rows(db_url, "SELECT count(*) FROM auditentry") == before
    assert rows(db_url, "SELECT version FROM task WHERE number = ?", ref) == [(2,)]


def test_the_current_version_is_accepted_and_bumped(stored, db_url):
    edit(stored, 1)
    edit(stored, 2)
    assert rows(db_url, "SELECT version FROM task WHERE number = '8'") == [(3,)]
    assert rows(db_url, "SELECT count(*) FROM progressnote") == [(2,)]


def test_the_atomic_bump_catches_a_stale_task_object(stored, db_url):
    """A caller holding a Task read earlier (no lock) still cannot overwrite: the UPDATE's WHERE decides."""
    with stored.transaction(who="t", action="note") as session:
        task = A.find_task(session=session, ref="8")
    edit(stored, 1)  # the task moves on to version 2
    with pytest.raises(ConflictError, match=r"version 1 → 2"), stored.transaction(who="t", action="note") as session:
        bump(session, task, "x", expected_version=1)
    assert rows(db_url, "SELECT version FROM task WHERE number = '8'") == [(2,)]


WORKER = textwrap.dedent("""
    import sys, time
    from datetime import date
    from tracker.errors import ConflictError
    from tracker.store import open_store
    from tracker.store import actions as A
    url, name, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    store = open_store(url)
    while time.time() < start:
        time.sleep(0.001)
    try:
        with store.transaction(who=name, action="note") as session:
            task = A.find_task(session=session, ref="8")
            A.add_note(session=session, task=task, text="from " + name, on=date(2024, 6, 1), expected_version=1)
        print("won")
    except ConflictError as exc:
        print("conflict: " + str(exc))
    store.close()
""")


def test_processes_editing_one_task_from_one_version_exactly_one_wins(stored, db_url, tmp_path, capsys):
    """Several processes open task 8 at version 1 and save at the same moment: one note, the rest conflicts."""
    import time

    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    n = 5
    start = time.time() + 2.5  # every process has opened its store by then
    procs = [subprocess.Popen([sys.executable, str(script), db_url, f"w{i}", str(start)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(n)]
    outputs = [p.communicate(timeout=60) for p in procs]
    results = [out.strip() for out, _ in outputs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    won = [r for r in results if r == "won"]
    conflicts = [r for r in results if r.startswith("conflict: task 8 was changed by someone else")]
    assert (len(won), len(conflicts)) == (1, n - 1), results
    assert rows(db_url, "SELECT count(*) FROM progressnote") == [(1,)]
    assert rows(db_url, "SELECT version FROM task WHERE number = '8'") == [(2,)]
    with capsys.disabled():
        engine = "postgresql" if "://" in db_url else "sqlite"
        print(f"\n[{engine}] {len(conflicts)} conflicting edits detected out of {n - 1} made "
              f"(+1 that won)")


WRITER = textwrap.dedent("""
    import sys
    from datetime import date
    from tracker.store import open_store
    from tracker.store import actions as A
    store = open_store(sys.argv[1])
    for i in range(40):
        with store.transaction(who=sys.argv[2], action="note") as session:
            task = A.find_task(session=session, ref="8")  # read, then write: version + 1
            A.add_note(session=session, task=task, text=f"{sys.argv[2]} {i}", on=date(2024, 6, 1))
    store.close()
""")


def test_writers_acting_on_the_latest_version_lose_no_update(stored, db_url, tmp_path):
    """The CLI's way (no expected version): three processes, 40 edits each, every bump kept."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [subprocess.Popen([sys.executable, str(script), db_url, f"w{i}"], stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert rows(db_url, "SELECT count(*), count(DISTINCT text) FROM progressnote") == [(120, 120)]
    assert rows(db_url, "SELECT version FROM task WHERE number = '8'") == [(121,)]


def test_get_task_by_id_and_a_removed_or_missing_one(stored, db_url):
    from tracker.errors import NotFoundError

    task8 = rows(db_url, "SELECT id FROM task WHERE number = '8'")[0][0]
    with stored.transaction(who="t", action="note") as session:
        task = A.get_task(session=session, task_id=task8)
        A.add_note(session=session, task=task, text="x", on=date(2024, 6, 1), expected_version=task.version)
    assert rows(db_url, "SELECT version FROM task WHERE id = ?", task8) == [(2,)]
    with pytest.raises(NotFoundError, match="no longer exists"), stored.transaction(who="t", action="x") as session:
        A.get_task(session=session, task_id=9999)
