"""Throughput of the pure date engine: calendar counts, occurrences() and obligation_status().

A synthetic city: 40 offices x 60 tasks x 3 years (2024-2026), each task one rule drawn from the
shapes plans use, until about 100k obligations. Run: `.venv/bin/python bench/calendar_bench.py`.
Prints each figure as an operation count, the best of 3 runs, and a rate.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from tracker.calendar import WorkCalendar
from tracker.model import Requirement, RequirementKind
from tracker.schedule import EventFact, _recurring_base, obligation_status, occurrences, task_status

R = RequirementKind
RULES = [
    Requirement(kind=R.RECURRING, source="每年至少2次", count=2, period="year"),
    Requirement(kind=R.RECURRING, source="每季度", count=1, period="quarter"),
    Requirement(kind=R.RECURRING, source="每月10日前", count=1, period="month", due_day=10),
    Requirement(kind=R.RECURRING, source="每月", count=1, period="month"),
    Requirement(kind=R.RECURRING, source="各科室每年1篇", count=1, period="year", per_owner=True),
    Requirement(kind=R.DEADLINE, source="6月底前", month=6, day=30),
    Requirement(kind=R.AFTER_EVENT, source="3个工作日内", event="文件发布", workdays=3),
    Requirement(kind=R.AFTER_EVENT, source="15日内", event="文件发布", days=15),
    Requirement(kind=R.ONGOING, source="持续"),
    Requirement(kind=R.RECURRING, source="每周", count=1, period="week"),
    Requirement(kind=R.RECURRING, source="各科室每月", count=1, period="month", per_owner=True),
]
OWNERS = ("局办公室", "政策法规科", "社会救助科")


def _jobs(rng: random.Random) -> list[tuple[Requirement, int, list[EventFact]]]:
    jobs = []
    event_id = 0
    for _office in range(40):
        for year in (2024, 2025, 2026):
            for _task in range(60):
                req = rng.choice(RULES)
                events = []
                if req.kind is R.AFTER_EVENT:
                    for _ in range(rng.randint(4, 16)):
                        event_id += 1
                        events.append(EventFact(event_id, date(year, 1, 1) + timedelta(days=rng.randrange(365))))
                jobs.append((req, year, events))
    return jobs


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _line(what: str, count: int, seconds: float) -> None:
    print(f"{what:<52} {count:>8,} in {seconds * 1000:8.1f} ms  = {count / seconds:>12,.0f}/s")


def main() -> None:
    rng = random.Random(2024)
    starts = [date(2024, 1, 1) + timedelta(days=rng.randrange(3 * 365)) for _ in range(100_000)]
    ns = [rng.randint(1, 20) for _ in starts]
    ends = [s + timedelta(days=rng.randrange(-60, 400)) for s in starts]
    cal = WorkCalendar()

    cold = _best(lambda: WorkCalendar().is_workday(date(2024, 7, 1)), repeat=5)
    print(f"{'calendar: first lookup of a year (builds its table)':<52} {cold * 1000:8.2f} ms")
    _line("calendar.is_workday", len(starts), _best(lambda: [cal.is_workday(s) for s in starts]))
    _line("calendar.add_workdays (n = 1..20)", len(starts),
          _best(lambda: [cal.add_workdays(s, n) for s, n in zip(starts, ns, strict=True)]))
    _line("calendar.workdays_between (spans -60..400 days)", len(starts),
          _best(lambda: [cal.workdays_between(s, e) for s, e in zip(starts, ends, strict=True)]))

    jobs = _jobs(rng)
    occs: list = []

    def schedule() -> None:
        occs.clear()
        _recurring_base.cache_clear()  # each run builds its period tables afresh, as a new process would
        for req, year, events in jobs:
            occs.extend(occurrences(req, year=year, owners=OWNERS, events=events, calendar=cal))

    t_occ = _best(schedule)
    _line(f"schedule.occurrences ({len(jobs):,} rules)", len(occs), t_occ)

    as_of = date(2025, 7, 1)
    t_status = _best(lambda: [obligation_status(o, as_of=as_of, calendar=cal) for o in occs])
    _line("schedule.obligation_status", len(occs), t_status)
    statuses = [obligation_status(o, as_of=as_of, calendar=cal) for o in occs]
    t_task = _best(lambda: [task_status(statuses[i:i + 14]) for i in range(0, len(statuses), 14)])
    _line("schedule.task_status (groups of 14)", len(statuses) // 14, t_task)


if __name__ == "__main__":
    main()
