"""Import benchmark: `tracker import` of the Jining plan cold, and the bulk import of a synthetic city.

Run: .venv/bin/python bench/import_bench.py [--runs 5] [--offices 40]

Printed beside their floors, so the overhead reads as a ratio:
- cold `tracker import plans/2024-jining-minzheng.txt` into a new database (a fresh process each
  run) beside `python -c pass` and `python -c "import sqlmodel"` (the ORM's import alone);
- the city (bench/city.py: offices × 3 years × 60 tasks, ~100k obligations at 40 offices) imported
  through `tracker.store` (one transaction per plan, audit rows, obligations computed by
  `tracker.schedule`) beside a raw sqlite3 `executemany` of exactly the rows that import wrote
  (every table, audit log included) into an empty database with the same schema, in one
  transaction. Target: within 5× the raw insert.
Figures are the minimum of --runs runs (the city: of --city-runs).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from city import city_drafts, import_city  # noqa: E402 - after the path is set


def cold(argv: list[str], runs: int, env: dict[str, str], before=None) -> float:
    """Minimum wall time in ms of a fresh process (which must exit 0); `before` runs untimed first."""
    best = float("inf")
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=True)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def raw_copy_seconds(source: Path, target: Path) -> tuple[float, int]:
    """Time a raw executemany of every row of `source` into an empty `target` with the same schema."""
    src = sqlite3.connect(source)
    schema = [sql for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
    tables = [name for (name,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    data = {name: src.execute(f'SELECT * FROM "{name}"').fetchall() for name in tables}
    src.close()
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = NORMAL")
    for sql in schema:
        dst.execute(sql)
    start = time.perf_counter()
    dst.execute("BEGIN IMMEDIATE")
    for name, rows in data.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            dst.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
    dst.execute("COMMIT")
    elapsed = time.perf_counter() - start
    dst.close()
    return elapsed, sum(len(r) for r in data.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--city-runs", type=int, default=2)
    parser.add_argument("--offices", type=int, default=40)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "jining.db"
    env = {**os.environ, "TRACKER_DB": str(db), "PYTHONPATH": str(ROOT)}

    def fresh() -> None:
        for extra in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            extra.unlink(missing_ok=True)

    py = [sys.executable]
    plan = str(ROOT / "plans" / "2024-jining-minzheng.txt")
    rows = [
        ("python -c pass", cold([*py, "-c", "pass"], args.runs, env)),
        ("python -c 'import sqlmodel'", cold([*py, "-c", "import sqlmodel"], args.runs, env)),
        ("tracker import (Jining, new db)", cold([*py, "-m", "tracker", "import", plan], args.runs, env, fresh)),
        ("tracker import (same file again)", cold([*py, "-m", "tracker", "import", plan], args.runs, env)),
    ]
    floor = rows[0][1]
    print(f"cold commands (min of {args.runs}):")
    for name, ms in rows:
        print(f"  {name:36s} {ms:8.1f} ms  {ms / floor:5.1f}× python -c pass")

    drafts = city_drafts(args.offices)
    best_import, best_raw, total = float("inf"), float("inf"), 0
    for run in range(args.city_runs):
        city = tmp / f"city{run}.db"
        best_import = min(best_import, import_city(city, drafts))
        raw, total = raw_copy_seconds(city, tmp / f"raw{run}.db")
        best_raw = min(best_raw, raw)
    conn = sqlite3.connect(tmp / "city0.db")
    counts = conn.execute("SELECT (SELECT count(*) FROM plan), (SELECT count(*) FROM task), "
                          "(SELECT count(*) FROM obligation), (SELECT count(*) FROM auditentry)").fetchone()
    conn.close()
    print(f"city: {counts[0]} plans, {counts[1]} tasks, {counts[2]} obligations, {counts[3]} audit rows "
          f"({total} rows in all)")
    print(f"  tracker.store import (1 tx per plan)   {best_import:8.2f} s")
    print(f"  raw sqlite3 executemany, same rows     {best_raw:8.2f} s")
    print(f"  ratio {best_import / best_raw:.1f}× (target ≤ 5×)")


if __name__ == "__main__":
    main()
