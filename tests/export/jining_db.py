"""A real SQLite file with the Jining 2024 plan imported through the parser and the store.

Progress as a coordinator would record it: owners assigned (局办公室 leads; 政策法规科 supports
task 8; three units on task 15), task 12's first-quarter check done on 2024-03-28, a note on
task 8 in June. As of 2024-07-01 tasks 8 (first evaluation due 06-30) and 12 (Q2 check due 06-30)
are overdue.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from tracker.parse import parse
from tracker.store import actions, open_store

SEED = Path(__file__).resolve().parent.parent / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"
_CACHE: dict[str, bytes] = {}


def _build(path: Path) -> None:
    draft = parse(SEED.read_text(encoding="utf-8"))
    store = open_store(str(path))
    try:
        with store.transaction(who="test", action="import", now=datetime(2024, 1, 5, tzinfo=UTC)) as s:
            actions.import_plan(session=s, draft=draft, source_name=SEED.name)
        with store.transaction(who="test", action="assign", now=datetime(2024, 1, 6, tzinfo=UTC)) as s:
            for n in range(1, 16):
                support = {8: ["政策法规科"], 15: ["养老服务科", "社会救助科"]}.get(n, [])
                task = actions.find_task(session=s, ref=str(n))
                actions.assign_owners(session=s, task=task, lead=["局办公室"], support=support)
        with store.transaction(who="test", action="done", now=datetime(2024, 3, 28, tzinfo=UTC)) as s:
            actions.mark_done(session=s, task=actions.find_task(session=s, ref="12"), rule=None,
                              on=date(2024, 3, 28), evidence="一季度网站检查报告")
        with store.transaction(who="test", action="note", now=datetime(2024, 6, 20, tzinfo=UTC)) as s:
            actions.add_note(session=s, task=actions.find_task(session=s, ref="8"),
                             text="已制定政策评价方案", on=date(2024, 6, 20))
    finally:
        store.close()


def jining_db(path: Path) -> Path:
    """Write the Jining database at `path` (built once per test session, then copied)."""
    if "db" not in _CACHE:
        scratch = path.with_name("jining-build.db")
        _build(scratch)
        _CACHE["db"] = scratch.read_bytes()
    path.write_bytes(_CACHE["db"])
    return path


def copy_to(src: Path, dst: Path) -> Path:
    """Copy a database file (tests that need two states of one database)."""
    shutil.copyfile(src, dst)
    return dst
