"""The views read the same on both engines: remind (text, JSON), tasks, show, plans, log, export.

The Jining demo (`tracker demo`) is made in SQLite and copied into PostgreSQL with `tracker
migrate`; every read command must then print the same thing on both (history aside: the copy
adds its own audit line).
"""

from __future__ import annotations

import io

import pytest
from pg_fixture import create_database, drop_database, pg_cluster

from tracker.cli import main


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The demo in SQLite and its copy in PostgreSQL, made once: the tests here only read."""
    cluster = pg_cluster()
    name = create_database(cluster)
    pg_url = cluster.url(name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACKER_TODAY", "2024-07-01")
        path = str(tmp_path_factory.mktemp("both") / "jining.db")
        code, _, err = cli("--db", path, "demo")
        assert code == 0, err
        assert cli("migrate", path, pg_url)[0] == 0
    yield path, pg_url
    drop_database(cluster, name)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")


@pytest.mark.parametrize("argv", [
    ("remind",), ("remind", "--format", "json"), ("remind", "--within", "20", "--owner", "局办公室"),
    ("remind", "--fail-on-overdue"), ("--lang", "en", "remind"),
    ("tasks",), ("tasks", "--status", "overdue"), ("tasks", "--status", "due_soon", "--within", "30"),
    ("tasks", "--json"), ("--lang", "en", "tasks", "--owner", "政策法规科"),
    ("show", "6"), ("show", "12", "--as-of", "2024-03-01"), ("plans",), ("owners",),
], ids=lambda a: " ".join(a))
def test_the_same_output_on_sqlite_and_postgresql(both, argv):
    sqlite, pg = both
    on_sqlite = cli("--db", sqlite, *argv)
    on_pg = cli("--db", pg, *argv)
    assert on_sqlite[0] in (0, 1)
    assert on_sqlite == on_pg


def test_remind_says_something_and_the_log_differs_only_by_the_copy(both):
    sqlite, pg = both
    code, out, _ = cli("--db", pg, "remind")
    assert code == 0
    assert "逾期" in out
    log_sqlite = cli("--db", sqlite, "log", "--limit", "100")[1].splitlines()
    log_pg = cli("--db", pg, "log", "--limit", "100")[1].splitlines()
    assert len(log_pg) == len(log_sqlite) + 1
    assert "复制自另一数据库" in log_pg[0] or "复制自另一数据库" in log_pg[1]
    assert [line for line in log_pg if "复制自另一数据库" not in line] == log_sqlite


def test_the_ledger_workbook_from_postgresql_equals_the_one_from_sqlite(both, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    sqlite, pg = both
    books = []
    for db, name in ((sqlite, "s.xlsx"), (pg, "p.xlsx")):
        code, _, err = cli("--db", db, "export", "--out", str(tmp_path / name))
        assert code == 0, err
        wb = openpyxl.load_workbook(tmp_path / name)
        books.append({ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets})
    assert books[0] == books[1]


def test_the_sqlite_read_path_never_loads_psycopg(both):
    import subprocess
    import sys

    probe = ("import sys\nfrom tracker.cli import main\n"
             f"code = main(['--db', {both[0]!r}, 'tasks', '--status', 'overdue'])\n"
             "print('PSYCOPG', code, 'psycopg' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={"TRACKER_TODAY": "2024-07-01", "PATH": "/usr/bin:/bin"})
    assert result.stdout.splitlines()[-1] == "PSYCOPG 0 False"
