"""`tracker restore` while another process commits: every committed row survives somewhere.

The current database is copied aside and then replaced by the backup. A commit that lands between
the two would be in neither file: restore holds the write lock from before the aside copy until the
backup is in place, so the aside copy is exactly what is replaced.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tracker.cli import main

WRITER = r"""
import random, sqlite3, sys, time
db, stop = sys.argv[1], sys.argv[2]
import os
conn = sqlite3.connect(db, isolation_level=None, timeout=30)
conn.execute("PRAGMA busy_timeout = 30000")
n = 0
while not os.path.exists(stop):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO owner (name) VALUES (?)", (f"writer {n}",))
    conn.execute("COMMIT")
    print(n, flush=True)  # only after COMMIT returned: this row is committed
    n += 1
    time.sleep(random.uniform(0.0005, 0.005))
conn.close()
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def writer_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM owner WHERE name LIKE 'writer %'")}
    finally:
        conn.close()


def test_restore_beside_a_committing_writer_loses_no_committed_row(demo_db: Path, tmp_path: Path):
    saved = tmp_path / "saved.db"
    code, _, err = run("--db", str(demo_db), "backup", "--out", str(saved))
    assert code == 0, err
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(demo_db), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)
        for _ in range(8):
            code, _, err = run("--db", str(demo_db), "restore", str(saved), "--yes")
            assert code == 0, err
            time.sleep(0.05)
    finally:
        stop.touch()
        out, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    committed = {f"writer {n}" for n in out.split()}
    assert len(committed) > 50  # the writer really ran through the restores
    asides = sorted(demo_db.parent.glob("tracker.db.before-restore-*"))
    assert len(asides) == 8
    kept = writer_names(demo_db).union(*(writer_names(a) for a in asides))
    lost = sorted(committed - kept, key=lambda s: int(s.split()[1]))
    assert not lost, f"{len(lost)} committed row(s) are in neither the database nor a copy aside: {lost[:10]}"
