"""The least any Python `tracker tasks --status overdue` must do, cold: a floor for bench/read_bench.py.

Run: python bench/bare_tasks.py tasks DB AS_OF   (stdlib only; prints the table)

It parses its arguments with argparse, finds the tasks with an open obligation due before the
date and each one's earliest (the same conditions and the same four queries as
`tracker.query.listing`), reads their numbers, titles, lead and supporting units and rules (kind,
count, period, and how many obligations of a recurring rule were done), and prints one row per
task in columns aligned by display width (Chinese characters are two cells wide; each distinct
cell is measured once, as tracker's `render_table` does). No working-day calendar, no rule
wording beyond the raw columns, no cutting of long cells, no error handling: what tracker does on
top of this is the measured difference.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import unicodedata

OPEN = """
SELECT o.task_id, o.due FROM obligation o CROSS JOIN requirement r
WHERE (o.done_on IS NULL OR o.done_on > :as_of) AND o.due < :as_of AND r.id = o.requirement_id AND r.removed = 0
  AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = o.requirement_id AND w.created_at < :next_day)
  AND (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id AND e."on" <= :as_of))
"""
TASKS = """
SELECT t.id, t.number, t.title FROM task t WHERE t.removed = 0 AND t.id IN (SELECT value FROM json_each(:ids))
ORDER BY t.plan_id, t.position, t.id
"""
UNITS = """
SELECT tow.task_id, tow.role, ow.name FROM taskowner tow JOIN owner ow ON ow.id = tow.owner_id
WHERE tow.task_id IN (SELECT value FROM json_each(:ids)) ORDER BY tow.id
"""
RULES = """
SELECT r.task_id, r.kind, r.count, r.period,
       CASE WHEN r.kind = 'recurring' THEN (SELECT count(*) FROM obligation o
                                            WHERE o.requirement_id = r.id AND o.done_on <= :as_of) END
FROM requirement r WHERE r.removed = 0 AND r.task_id IN (SELECT value FROM json_each(:ids))
ORDER BY r.task_id, r.position, r.id
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="bare_tasks")
    command = parser.add_subparsers(dest="command").add_parser("tasks")
    command.add_argument("db")
    command.add_argument("as_of")
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    params = {"as_of": args.as_of, "next_day": args.as_of + "T"}  # (any text after the day)
    due: dict[int, str] = {}
    for task_id, day in conn.execute(OPEN, params):  # each task's earliest (ISO dates sort as text)
        if day < due.get(task_id, "9999"):
            due[task_id] = day
    params["ids"] = "[" + ",".join(map(str, due)) + "]"
    units: dict[int, tuple[list[str], list[str]]] = {}
    for task_id, role, name in conn.execute(UNITS, params):
        units.setdefault(task_id, ([], []))[role == "support"].append(name)
    rules: dict[int, list[str]] = {}
    for task_id, kind, count, period, done in conn.execute(RULES, params):
        rules.setdefault(task_id, []).append(f"{kind} {count or ''} {period or ''}"
                                             + (f" · {done}" if done is not None else ""))
    widths: dict[str, int] = {}
    cells: dict[tuple[str, int], str] = {}  # each distinct cell padded once, as tracker's table does

    def cell(text: str, width: int) -> str:
        padded = cells.get((text, width))
        if padded is None:
            used = 0
            for char in text:
                w = widths.get(char)
                if w is None:
                    w = widths[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
                used += w
            padded = cells[text, width] = text + " " * max(0, width - used)
        return padded

    out = [f"截至 {args.as_of}"]
    for task_id, number, title in conn.execute(TASKS, params):
        lead, support = units.get(task_id, ([], []))
        owners = "、".join(lead) or "未指定"
        owners += f" / {'、'.join(support)}" if support else ""
        out.append("  ".join((cell(number, 6), cell(title, 30), cell(owners, 24),
                              cell("; ".join(rules.get(task_id, ())), 30), cell(due[task_id], 12), "✖ 逾期")))
    out.append(f"{len(out) - 1}项任务")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
