"""Read commands on PostgreSQL wait for a table lock as long as writes do (the busy timeout), then
say the same sentence — QA's `tracker tasks` under a `LOCK TABLE task` hung until killed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest
from test_rls import as_role, city  # noqa: F401 - fixture

from tracker.cli import main

BUSY = "tracker: the database is busy (another tracker is writing); try again"


@pytest.mark.parametrize("argv", [("tasks",), ("plans",), ("show", "A局:8"), ("remind", "--as-of", "2024-07-01")])
def test_a_read_under_a_table_lock_is_busy_after_the_timeout(city, argv):  # noqa: F811
    with as_role(city, "postgres") as other:
        other.execute("BEGIN")
        other.execute("LOCK TABLE task IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        try:
            done = subprocess.run([sys.executable, "-m", "tracker", "--db", city["app_url"], *argv],
                                  capture_output=True, text=True, timeout=30,
                                  env=os.environ | {"TRACKER_USER": "coord_a"}, check=False)
        finally:
            other.execute("ROLLBACK")
    assert done.returncode == 5, done.stderr
    assert done.stderr.strip() == BUSY
    assert time.monotonic() - started < 30


def test_an_unreachable_server_on_the_read_path_is_one_clean_sentence():
    err = io.StringIO()
    assert main(["--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x", "tasks"], out=io.StringIO(), err=err) == 5
    text = err.getvalue().strip()
    assert text.startswith("tracker: cannot connect to the database postgresql+psycopg://127.0.0.1:1/x (")
    assert text.endswith(").")
    assert "\t" not in text
    assert "\n" not in text
    assert "secret" not in text
