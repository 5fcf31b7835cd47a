"""The benches' bare floors do the same job as the commands they stand beside.

bench/bare_tasks.py and bench/bare_remind.py are what README and docs/perf.md compare the
whole-city `tracker tasks --status overdue` and `tracker remind` against. The comparison only
means something while they list the same tasks and route the same items to the same owners: on a
small synthetic city, they must.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from tracker import query

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 7, 1)


def _run(*argv: str) -> str:
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout


def _tracker(db: Path, *argv: str) -> str:
    return _run("-m", "tracker", "--db", str(db), *argv, "--as-of", AS_OF.isoformat())


def test_bare_tasks_lists_the_overdue_tasks_tracker_lists(city_db):
    ours = _tracker(city_db, "tasks", "--status", "overdue")
    bare = _run(str(ROOT / "bench" / "bare_tasks.py"), "tasks", str(city_db), AS_OF.isoformat())
    # tracker names a task "PLAN:NUMBER" when several plans show; the bare table prints the number
    listed = re.findall(r"^\d+:(\S+)\s", ours, re.MULTILINE)
    assert len(listed) > 10
    assert re.findall(r"^(\d+)\s", bare, re.MULTILINE) == listed  # the same tasks, in the same order
    assert re.search(r"^(\d+)项任务", bare, re.MULTILINE)[1] == re.search(r"^(\d+)项任务", ours, re.MULTILINE)[1]


def test_bare_remind_routes_the_same_items_to_the_same_owners(city_db):
    conn = query.connect(str(city_db))
    try:
        limit = query.load_calendar(conn).add_workdays(AS_OF, 6)
    finally:
        conn.close()
    ours = _tracker(city_db, "remind")
    bare = _run(str(ROOT / "bench" / "bare_remind.py"), "remind", str(city_db), AS_OF.isoformat(),
                limit.isoformat(), (AS_OF + timedelta(days=1)).isoformat())
    groups = [(name, int(overdue) + int(soon))
              for name, overdue, soon in re.findall(r"^(\S+) \(逾期(\d+)项、临期(\d+)项\)$", ours, re.MULTILINE)]
    bare_groups = [(name, int(n)) for name, n in re.findall(r"^(\S+) \((\d+)项\)$", bare, re.MULTILINE)]
    assert len(groups) > 3
    assert bare_groups == groups


def test_bare_remind_with_the_calendar_escalates_what_tracker_escalates(city_db):
    """`--calendar` is the floor with the working-day calendar: as of 2025-10-09, just after the
    National Day holiday (10-01..08), what fell due on 09-30 is 9 calendar days but 1 working day
    late: tracker does not escalate it, nor does the floor with the calendar (without, it would)."""
    day = date(2025, 10, 9)
    conn = query.connect(str(city_db))
    try:
        limit = query.load_calendar(conn).add_workdays(day, 6)
    finally:
        conn.close()
    ours = _run("-m", "tracker", "--db", str(city_db), "remind", "--as-of", day.isoformat())
    argv = [str(ROOT / "bench" / "bare_remind.py"), "remind", str(city_db), day.isoformat(),
            limit.isoformat(), (day + timedelta(days=1)).isoformat()]
    escalated = int(re.search(r"^督办: 逾期超过5个工作日 (\d+)项$", ours, re.MULTILINE)[1])
    with_calendar = int(re.search(r"^督办 (\d+)项$", _run(*argv, "--calendar"), re.MULTILINE)[1])
    in_calendar_days = int(re.search(r"^督办 (\d+)项$", _run(*argv), re.MULTILINE)[1])
    assert 0 < escalated == with_calendar < in_calendar_days
    # on a Saturday tracker and the floor with the calendar both stay silent
    saturday = ["remind", str(city_db), "2025-07-05", "2025-07-14", "2025-07-06"]
    assert _run(str(ROOT / "bench" / "bare_remind.py"), *saturday, "--calendar") == ""
