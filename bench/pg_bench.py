"""PostgreSQL beside SQLite on the synthetic city: the overdue listing and the city-wide export, as a ratio.

    .venv/bin/python bench/pg_bench.py [--db city.db] [--pg postgresql+psycopg://…] [--runs 5]

The city (bench/city.py: 40 offices × 3 years × 60 tasks, ~100k obligations) is built in SQLite,
or an existing one is reused with --db, then copied into PostgreSQL with `tracker migrate`'s copy
(timed too). Without --pg a throwaway cluster is started (tests/pg_fixture.py: initdb in a temp
dir, as the `postgres` user when root) and removed afterwards. Figures are the best of --runs:

- overdue, in process: `tracker.query.tasks_as_of(conn, status=OVERDUE)` on an open connection;
- overdue, cold: a fresh `tracker tasks --status overdue` process, as cron or a shell runs it;
- export: `tracker.export.export_ledger(db, plan="all")`, the city-wide workbook.

With the throwaway cluster a third row, "pg (RLS)", reads as an office coordinator through a
`tracker_app` login, so the row-level security policies are in force (the superuser of the first
PostgreSQL row bypasses them): the cost of the policies.

Both servers are on this machine (PostgreSQL over loopback TCP, fsync off in the throwaway
cluster), so the ratio measures the engines and drivers, not a network.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench", ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from coldstart import best_of  # noqa: E402 - bench/ is on the path now


def copy_to_pg(sqlite_path: str, pg_url: str) -> tuple[float, dict[str, int]]:
    """`tracker migrate` sqlite → pg; returns the seconds taken and the rows copied per table."""
    from tracker.store import open_store
    from tracker.store.transfer import copy_database

    start = time.perf_counter()
    source, target = open_store(sqlite_path, create=False), open_store(pg_url)
    try:
        with source.engine.connect() as src, target.transaction(who="bench", action="migrate") as session:
            counts = copy_database(src, session)
    finally:
        source.close()
        target.close()
    return time.perf_counter() - start, counts


def overdue_in_process(db: str, as_of: date, runs: int) -> tuple[float, int]:
    """Best time of the overdue listing on one open connection, and how many tasks it listed."""
    from tracker import query
    from tracker.model import Status

    conn = query.connect(db)
    try:
        found = len(query.tasks_as_of(conn, as_of=as_of, status=Status.OVERDUE))
        ms = best_of(runs, lambda: query.tasks_as_of(conn, as_of=as_of, status=Status.OVERDUE))
    finally:
        conn.close()
    return ms, found


def overdue_cold(db: str, as_of: date, runs: int) -> float:
    """Best wall time of a fresh `tracker tasks --status overdue` process."""
    env = {**os.environ, "TRACKER_DB": db, "TRACKER_LOG_DIR": tempfile.gettempdir()}
    argv = [sys.executable, "-m", "tracker", "tasks", "--status", "overdue", "--as-of", as_of.isoformat()]
    return best_of(runs, lambda: subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=True))


def export_city(db: str, as_of: date, runs: int, out_dir: Path) -> float | None:
    """Best time of the city-wide ledger export; None when tracker.export is not there."""
    try:
        from tracker.export import export_ledger
    except ImportError:
        return None
    return best_of(runs, lambda: export_ledger(db, as_of=as_of, plan="all", out=out_dir / "city.xlsx"))


def coordinator_url(pg_url: str) -> str:
    """A URL through a `tracker_app` login, speaking for a coordinator of the "default" office (every
    city plan is there), so row-level security is in force (the superuser bypasses it)."""
    import psycopg

    from tracker.store import open_store
    from tracker.store.offices import add_user, grant

    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_app') "
                     "THEN CREATE ROLE bench_app LOGIN IN ROLE tracker_app; END IF; END $$")
    store = open_store(pg_url)
    with store.transaction(who="bench", action="users") as session:
        add_user(session=session, name="bench_coord", admin=False)
        grant(session=session, user="bench_coord", office="default")
    store.close()
    os.environ["TRACKER_USER"] = "bench_coord"
    return pg_url.replace("//postgres@", "//bench_app@", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing city SQLite database (default: build one)")
    parser.add_argument("--pg", help="an empty PostgreSQL database URL (default: a throwaway cluster)")
    parser.add_argument("--as-of", default="2025-07-01")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    cluster = None
    if args.db:
        sqlite_db = args.db
    else:
        from city import build_city

        sqlite_db = str(work / "city.db")
        print("building the city in SQLite …", build_city(sqlite_db), flush=True)
    pg_url = args.pg
    if pg_url is None:
        import pg_fixture

        started = pg_fixture._start()
        if isinstance(started, str):
            sys.exit(f"no PostgreSQL: {started}")
        cluster = started
        pg_url = cluster.url(pg_fixture.create_database(cluster))
    try:
        seconds, counts = copy_to_pg(sqlite_db, pg_url)
        print(f"migrate sqlite → postgresql: {seconds:.1f} s "
              f"({counts['task']} tasks, {counts['completion']} completions, {counts['auditentry']} audit rows; "
              "obligations recomputed on the target)")
        rows = []
        engines = [("sqlite", sqlite_db), ("postgresql", pg_url)]
        if cluster is not None:
            engines.append(("pg (RLS)", coordinator_url(pg_url)))
        for name, db in engines:
            in_proc, found = overdue_in_process(db, as_of, args.runs)
            cold = overdue_cold(db, as_of, args.runs)
            export = export_city(db, as_of, max(1, args.runs // 2), work)
            rows.append((name, in_proc, found, cold, export))
        print(f"\nas of {as_of}, best of {args.runs}")
        print(f"{'engine':<11} {'overdue (in process)':>21} {'tasks':>6} {'overdue (cold CLI)':>19} {'city export':>12}")
        for name, in_proc, found, cold, export in rows:
            shown = f"{export:.0f} ms" if export is not None else "n/a"
            print(f"{name:<11} {in_proc:>18.0f} ms {found:>6} {cold:>16.0f} ms {shown:>12}")
        (_, s_in, s_found, s_cold, s_exp) = rows[0]
        print()
        for name, p_in, p_found, p_cold, p_exp in rows[1:]:
            assert s_found == p_found, "every engine must list the same overdue tasks"
            print(f"{name} / sqlite: overdue in process {p_in / s_in:.2f}×, cold CLI {p_cold / s_cold:.2f}×"
                  + (f", city export {p_exp / s_exp:.2f}×" if s_exp and p_exp else ""))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
