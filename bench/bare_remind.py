"""The least any Python `tracker remind` must do, as a cold process: a floor for bench/remind_bench.py.

Run: python bench/bare_remind.py remind DB AS_OF LIMIT NEXT_DAY [--calendar]   (prints the digest)

It parses its arguments with argparse (as the issue allows), reads the open overdue and due-soon
obligations with their task, rule and lead units in one sqlite3 query (the same conditions as
`tracker.query.reminders`), groups them by owner, sorts each group, lays out one line per item and
a 督办 list, and prints. It has no working-day calendar (days late are calendar days, escalation
after 7 of them), no typed records, no rule wording beyond the raw columns, no error handling:
what tracker does on top of this is the measured difference.

`--calendar` adds the one thing the issue requires that the stdlib cannot do: the Chinese
working-day calendar (`tracker.calendar.WorkCalendar`, i.e. the `chinesecalendar` package, with
the database's overrides). It then stays silent on a non-working day, says "剩N个工作日" for due-soon
items and escalates after 5 *working* days late, as `tracker remind` does. That is the floor any
`tracker remind` meeting the issue must stand on (stdlib + tracker.calendar only; run it with
tracker importable).
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date

SQL = """
SELECT o.key, o.owner, o.due, t.plan_id, t.number, t.title, r.kind, r.count, r.period,
       (SELECT group_concat(ow.name, char(31)) FROM taskowner tow JOIN owner ow ON ow.id = tow.owner_id
        WHERE tow.task_id = t.id AND tow.role <> 'support')
FROM obligation o JOIN task t ON t.id = o.task_id JOIN requirement r ON r.id = o.requirement_id
WHERE (o.done_on IS NULL OR o.done_on > :as_of) AND o.due < :limit
  AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = o.requirement_id
                  AND w.created_at < :next_day)
  AND (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id AND e."on" <= :as_of))
  AND t.removed = 0 AND r.removed = 0
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="bare_remind")
    command = parser.add_subparsers(dest="command").add_parser("remind")
    for name in ("db", "as_of", "limit", "next_day"):
        command.add_argument(name)
    command.add_argument("--calendar", action="store_true")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    calendar = None
    if args.calendar:
        from tracker.calendar import WorkCalendar

        calendar = WorkCalendar({date.fromisoformat(day): kind == "workday"
                                 for day, kind in conn.execute("SELECT day, kind FROM calendaroverride")})
        if not calendar.is_workday(as_of):
            return
    rows = conn.execute(SQL, {"as_of": args.as_of, "limit": args.limit, "next_day": args.next_day}).fetchall()
    plans = dict(conn.execute("SELECT id, title FROM plan"))
    groups: dict[str | None, list[tuple]] = {}
    escalated, late = [], {}
    for key, owner, due, plan_id, number, title, kind, count, period, leads in rows:
        known = late.get(due)
        if known is None:
            day = date.fromisoformat(due)
            days = (as_of - day).days
            if calendar is None:
                known = late[due] = (f"逾期{days}天" if days > 0 else "临期", days > 7)
            elif days > 0:
                known = late[due] = (f"逾期{days}天", calendar.workdays_between(day, as_of) > 5)
            else:
                known = late[due] = (f"剩{calendar.workdays_between(as_of, day)}个工作日", False)
        tag, escalate = known
        line = f"  [{tag}] {plans[plan_id]} 任务{number} {title} — {kind} {count or ''} {period or ''} ({key}) 应于{due}"
        for name in (owner,) if owner else (leads.split("\x1f") if leads else (None,)):
            groups.setdefault(name, []).append((due, plan_id, number, key, line))
        if escalate:
            escalated.append((due, plan_id, number, key, f"{line} — {owner or leads or '未指定'}"))
    out = [f"政务公开提醒 {as_of}: {len(rows)}项"]
    for name in sorted(groups, key=lambda n: (n is None, n or "")):
        items = sorted(groups[name])
        out += ["", f"{name or '未指定责任单位'} ({len(items)}项)", *(item[-1] for item in items)]
    escalated.sort()
    out += ["", f"督办 {len(escalated)}项", *(item[-1] for item in escalated)]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
