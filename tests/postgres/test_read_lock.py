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

BUSY = ("tracker: 数据库正忙: 另一个 tracker 程序正在写入 (如开着的 `tracker tui`、定时运行的 `tracker remind` "
        "或正在进行的导入); 本次操作没有改动任何数据, 请稍后重试。")
BUSY_EN = "tracker: the database is busy (another tracker is writing); try again"


@pytest.mark.parametrize(("argv", "busy"), [
    (("tasks",), BUSY), (("plans",), BUSY), (("show", "A局:8"), BUSY), (("remind", "--as-of", "2024-07-01"), BUSY),
    (("--lang", "en", "tasks"), BUSY_EN)])
def test_a_read_under_a_table_lock_is_busy_after_the_timeout(city, argv, busy):  # noqa: F811
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
    assert done.stderr.strip() == busy
    assert time.monotonic() - started < 30


def test_an_unreachable_server_on_the_read_path_is_one_clean_sentence():
    for lang, start, end in (("zh", "tracker: 无法连接数据库 postgresql+psycopg://127.0.0.1:1/x (", ")。"),
                             ("en", "tracker: cannot connect to the database postgresql+psycopg://127.0.0.1:1/x (", ").")):
        err = io.StringIO()
        argv = ["--lang", lang, "--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x", "tasks"]
        assert main(argv, out=io.StringIO(), err=err) == 5
        text = err.getvalue().strip()
        assert text.startswith(start)
        assert text.endswith(end)
        assert "\t" not in text
        assert "\n" not in text
        assert "secret" not in text
