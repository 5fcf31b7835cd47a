"""Reminder benchmark: cold `tracker remind` on a city database, beside `python -c pass`.

Run: .venv/bin/python bench/remind_bench.py [--db CITY.db] [--stress] [--regular] [--as-of 2025-07-01] [--runs 7]

Without --db it builds the synthetic city (bench/city.py `build_city`, ~100k obligations, 5% of
the past-due ones left undone; `--stress`: a third, the first city's load) in a temporary
directory. Sources are compiled first and the subprocesses run without PYTHONDONTWRITEBYTECODE
(bench/coldstart.py: a real install has .pyc files). `--regular` also times the command from a
regular (non-editable) install in a throwaway venv. Every figure is the minimum of `--runs`
fresh processes, output thrown away:

- `python -c pass`: the interpreter's own start-up, the floor;
- `python -c "import tracker.cli"`: what the entry point costs before any command runs;
- cold `tracker remind` (text), `--format json`, and `--mail --dry-run` (builds every message,
  sends nothing), and the same for one office's plan (`--plan`) and one unit (`--owner`) — the
  command the crontab line runs, through the virtual environment's own
  `tracker` script (a version-manager shim would add ~90 ms);
- the floor: a cold `python -c` that fetches the same obligations with one raw sqlite3 query
  and prints them; and bench/bare_remind.py, the least any Python remind must do (argparse, one
  query with the lead units, grouped by owner, laid out and printed; no calendar, no records), on
  each install, without and with `--calendar` (the Chinese working-day calendar the issue
  requires: silence on holidays, working days left, escalation after 5 working days);
- in process: that raw query, the fast read `tracker.query.reminders.reminder_rows` and
  `collect_reminders` on it (what the command runs), and the old path — `tasks_as_of` for the
  overdue and due-soon candidates, then `collect` — to show where the time goes.

Target (issue 6): cold `tracker remind` within 6× `python -c pass`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from coldstart import bench_env, best_of, compile_sources, regular_install  # noqa: E402

from tracker import query  # noqa: E402 - after the path is set, so the bench runs from a checkout
from tracker.model import Status  # noqa: E402
from tracker.query.reminders import owner_emails, reminder_rows  # noqa: E402
from tracker.remind import collect, collect_reminders  # noqa: E402

TARGET = 6.0

# The floor: the same overdue and due-soon obligations fetched with one raw query (open = no
# completion on or before as_of — `done_on`, the earliest completion's date, kept by triggers —,
# no waiver created by then, its event already happened), with the lead units of their tasks —
# what any implementation must at least read.
RAW_SQL = """
SELECT o.plan_id, p.title, t.number, t.title, o.requirement_id, o.key, o.due, o.owner,
       (SELECT group_concat(ow.name, '、') FROM taskowner tow JOIN owner ow ON ow.id = tow.owner_id
        WHERE tow.task_id = t.id AND tow.role = 'lead')
FROM obligation o
JOIN task t ON t.id = o.task_id AND t.removed = 0
JOIN requirement r ON r.id = o.requirement_id AND r.removed = 0
JOIN plan p ON p.id = o.plan_id
WHERE (o.done_on IS NULL OR o.done_on > :as_of) AND o.due < :limit
  AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = o.requirement_id
                  AND w.created_at < :next_day)
  AND (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id AND e."on" <= :as_of))
ORDER BY o.due
"""



def cold(argv: list[str], runs: int, env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    """Minimum wall time of a fresh process (output discarded; its exit code must be in `ok`)."""
    def once() -> None:
        result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        if result.returncode not in ok:
            raise SystemExit(f"{' '.join(argv)} exited {result.returncode}: {result.stderr.decode()}")
    once()  # warm the OS file cache (and .pyc files) once; then measure
    return best_of(runs, once)


def tracker_argv() -> list[str]:
    """The virtual environment's `tracker` script, as the README's crontab line calls it."""
    script = Path(sys.executable).with_name("tracker")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing city database (default: build one)")
    parser.add_argument("--as-of", default="2025-07-01", help="as-of date (a working day)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--stress", action="store_true", help="build the stress city (a third undone)")
    parser.add_argument("--regular", action="store_true", help="also time a regular (non-editable) install")
    args = parser.parse_args()
    compile_sources()
    as_of = date.fromisoformat(args.as_of)
    tmp = tempfile.TemporaryDirectory()
    from city import given_or_built

    db = given_or_built(args.db, stress=args.stress, folder=Path(tmp.name))
    work = Path(tmp.name) / "remind.db"  # --mail --dry-run reads the sent-log; keep the original untouched
    shutil.copyfile(db, work)
    env = bench_env(TRACKER_DB=str(work), PYTHONPATH=str(ROOT),
                    TRACKER_CONFIG=str(Path(tmp.name) / "none.toml"),
                    TRACKER_COORDINATOR_EMAIL="coordinator@example.gov.cn",
                    TRACKER_LEADERSHIP_EMAIL="leaders@example.gov.cn")
    for var in ("TRACKER_SMTP_PASSWORD", "TRACKER_SMTP_PASSWORD_FILE"):
        env.pop(var, None)

    conn = query.connect(str(work))
    counts = conn.execute("SELECT (SELECT count(*) FROM plan), (SELECT count(*) FROM task), "
                          "(SELECT count(*) FROM obligation), (SELECT count(*) FROM owner)").fetchone()
    calendar = query.load_calendar(conn)
    one_plan = conn.execute("SELECT id, title FROM plan WHERE year = ? ORDER BY id LIMIT 1",
                            (as_of.year,)).fetchone()
    one_unit = conn.execute("SELECT name FROM owner ORDER BY id LIMIT 1").fetchone()[0]
    if not calendar.is_workday(as_of):
        raise SystemExit(f"{as_of} is not a working day: tracker remind would say nothing; pick another.")

    def candidates():
        return [t for s in (Status.OVERDUE, Status.DUE_SOON)
                for t in query.tasks_as_of(conn, as_of=as_of, status=s)]

    params = {"as_of": as_of.isoformat(), "next_day": (as_of + timedelta(days=1)).isoformat(),
              "limit": calendar.add_workdays(as_of, 6).isoformat()}
    raw_rows = conn.execute(RAW_SQL, params).fetchall()
    t_raw = best_of(args.runs, lambda: conn.execute(RAW_SQL, params).fetchall())
    tasks = candidates()
    emails = owner_emails(conn)
    digest = collect(tasks, as_of=as_of, calendar=calendar, emails=emails)
    t_query = best_of(args.runs, candidates)
    t_collect = best_of(args.runs, lambda: collect(tasks, as_of=as_of, calendar=calendar, emails=emails))
    fast = reminder_rows(conn, as_of=as_of, calendar=calendar)
    t_fast = best_of(args.runs, lambda: reminder_rows(conn, as_of=as_of, calendar=calendar))
    t_fast_collect = best_of(args.runs, lambda: collect_reminders(fast, as_of=as_of, calendar=calendar,
                                                                  emails=emails))
    conn.close()

    py = [sys.executable]
    t_pass = cold([*py, "-c", "pass"], args.runs, env)
    t_cli = cold([*py, "-c", "import tracker.cli"], args.runs, env)
    raw_probe = ("import sqlite3, sys\nconn = sqlite3.connect(sys.argv[1])\n"
                 f"rows = conn.execute({RAW_SQL!r}, {params!r}).fetchall()\n"
                 "sys.stdout.write('\\n'.join(' '.join(map(str, r)) for r in rows))")
    t_floor = cold([*py, "-c", raw_probe, str(work)], args.runs, env)
    bare = [str(ROOT / "bench" / "bare_remind.py"), "remind", str(work), params["as_of"], params["limit"],
            params["next_day"]]
    bare_lines = subprocess.run([*py, *bare], capture_output=True, text=True, check=True, env=env).stdout.count("\n")
    t_bare = cold([*py, *bare], args.runs, env)
    t_bare_cal = cold([*py, *bare, "--calendar"], args.runs, env)
    base = [*tracker_argv(), "remind", "--as-of", as_of.isoformat()]
    t_text = cold(base, args.runs, env)
    tracker_lines = subprocess.run(base, capture_output=True, text=True, check=True, env=env).stdout.count("\n")
    t_json = cold([*base, "--format", "json"], args.runs, env)
    t_dry = cold([*base, "--mail", "--dry-run"], args.runs, env)
    t_plan = cold([*base, "--plan", str(one_plan[0])], args.runs, env) if one_plan else float("nan")
    t_unit = cold([*base, "--owner", one_unit], args.runs, env)
    t_regular = t_regular_pass = t_regular_plan = t_regular_bare = t_regular_bare_cal = float("nan")
    if args.regular:
        # the editable install's finder (a .pth run by site) costs ~13 ms of every start, floor
        # included; a regular install is what an office runs from cron, beside its own floor
        script = regular_install(Path(tmp.name) / "venv")
        plain_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        t_regular_pass = cold([str(script.parent / "python"), "-c", "pass"], args.runs, plain_env)
        t_regular = cold([str(script), "remind", "--as-of", as_of.isoformat()], args.runs, plain_env)
        t_regular_bare = cold([str(script.parent / "python"), *bare], args.runs, plain_env)
        t_regular_bare_cal = cold([str(script.parent / "python"), *bare, "--calendar"], args.runs, plain_env)
        if one_plan:
            t_regular_plan = cold([str(script), "remind", "--as-of", as_of.isoformat(), "--plan",
                                   str(one_plan[0])], args.runs, plain_env)

    print(f"database: {counts[0]} plans, {counts[1]} tasks, {counts[2]} obligations, {counts[3]} units; "
          f"as of {as_of}: {len(tasks)} candidate tasks, {digest.overdue} overdue and "
          f"{digest.due_soon} due-soon items for {len(digest.owners)} owners, "
          f"{len(digest.escalated)} escalated")
    print(f"min of {args.runs} runs (ms)")
    rows = [
        ("python -c pass", t_pass),
        ("python -c 'import tracker.cli'", t_cli),
        (f"floor: python + sqlite3 raw query, print {len(raw_rows)} rows", t_floor),
        (f"floor: bench/bare_remind.py ({bare_lines} lines; tracker {tracker_lines})", t_bare),
        ("floor: bare_remind.py --calendar (working days)", t_bare_cal),
        ("tracker remind (text)", t_text),
        ("tracker remind --format json", t_json),
        ("tracker remind --mail --dry-run", t_dry),
        (f"tracker remind --plan {one_plan[0] if one_plan else '-'} (one office's plan)", t_plan),
        ("tracker remind --owner (one unit)", t_unit),
        ("regular install (--regular): python -c pass", t_regular_pass),
        ("regular install: bench/bare_remind.py", t_regular_bare),
        ("regular install: bare_remind.py --calendar", t_regular_bare_cal),
        ("regular install: tracker remind", t_regular),
        ("regular install: tracker remind --plan", t_regular_plan),
        ("  in process: raw query of the reminded obligations", t_raw),
        ("  in process: fast read reminder_rows", t_fast),
        ("  in process: collect_reminders", t_fast_collect),
        ("  in process, old path: tasks_as_of (overdue + due soon)", t_query),
        ("  in process, old path: collect on the views", t_collect),
    ]
    for name, ms in rows:
        floor = t_regular_pass if name.startswith("regular") else t_pass
        ratio = f"{ms / floor:5.1f}× its pass" if not name.startswith("  ") else ""
        print(f"  {name:<48} {ms:8.1f}  {ratio}")
    verdict = "within" if t_text <= TARGET * t_pass else "OVER"
    print(f"cold tracker remind (editable) = {t_text / t_pass:.1f}× python -c pass ({verdict} the {TARGET:.0f}× "
          f"target); {len(fast)} reminded obligations")
    if args.regular:
        for label, ms in (("tracker remind", t_regular), ("tracker remind --plan", t_regular_plan)):
            verdict = "within" if ms <= TARGET * t_regular_pass else "OVER"
            print(f"cold {label} (regular install) = {ms / t_regular_pass:.1f}× its python -c pass "
                  f"({verdict} the {TARGET:.0f}× target)")
        verdict = "within" if t_regular_bare_cal <= TARGET * t_regular_pass else "OVER"
        print(f"the floor with the working-day calendar (regular install) = "
              f"{t_regular_bare_cal / t_regular_pass:.1f}× its python -c pass ({verdict} the {TARGET:.0f}× target)")


if __name__ == "__main__":
    main()
