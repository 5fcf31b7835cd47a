"""Shared fixtures: where the seed documents are, the fixed as-of date, a fresh database file, and the
demo database (built once per session, copied fresh into each test that asks for it)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from io import StringIO
from pathlib import Path

import pytest

from tracker.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
PLANS = ROOT / "plans"
JINING = SEEDS / "workplan_2024_jining_minzheng.txt"
AS_OF = date(2024, 7, 1)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite file per test, also exported as TRACKER_DB for CLI runs."""
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.setenv("TRACKER_LOG_DIR", str(tmp_path / "log"))
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by `tracker demo` (the Jining plan with months of progress), built once."""
    path = tmp_path_factory.mktemp("demo") / "template.db"
    err = StringIO()
    assert main(["--db", str(path), "demo"], out=StringIO(), err=err) == 0, err.getvalue()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, db_path: Path) -> Path:
    """A fresh copy of the demo database at the per-test `db_path` (TRACKER_DB points at it)."""
    shutil.copyfile(demo_template, db_path)
    db_path.chmod(0o600)
    return db_path


# --- snapshots on several workers ------------------------------------------------------------------
# ./test runs the suite on pytest-xdist workers (`--dist loadgroup`). syrupy 4 (pinned by
# pytest-textual-snapshot) then checks nothing for unused snapshots: each worker sees only its own
# tests and the controller none. So every test of a file that uses snapshots is put in one group (one
# worker runs them all), that worker's syrupy report is whole for those files, and the worker hands
# its unused snapshots to the controller, which fails the run on them as syrupy does in one process
# (or, with --snapshot-update, the worker deletes them as syrupy would).

_UNUSED = "tracker_unused_snapshots"


def _grouped_worker(config: pytest.Config) -> bool:
    """A pytest-xdist worker of a `--dist loadgroup` run (xdist tells its workers so by this option)."""
    return hasattr(config, "workerinput") and bool(config.getoption("loadgroup", False))


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups into the node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _grouped_worker(config):
        return
    files = {item.path for item in items if "snapshot" in getattr(item, "fixturenames", ())}
    for item in items:
        if item.path in files:
            item.add_marker(pytest.mark.xdist_group(f"snapshots-{item.path.name}"))


_unused_on_workers: list[str] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker, after syrupy's own hook (tryfirst) made its report: send its unused snapshots on.
    The controller: fail the run when a worker found some (syrupy's exit status 1)."""
    config = session.config
    if _unused_on_workers and not config.option.warn_unused_snapshots:
        session.exitstatus |= 1
    syrupy = getattr(config, "_syrupy", None)
    if not _grouped_worker(config) or syrupy is None or not syrupy.report.num_unused:
        return
    if config.option.update_snapshots:
        syrupy.remove_unused_snapshots(unused_snapshot_collections=syrupy.report.unused,
                                       used_snapshot_collections=syrupy.report.used)
        return
    config.workeroutput[_UNUSED] = sorted(  # type: ignore[attr-defined]
        f"{Path(collection.location).relative_to(config.rootpath)}: {snapshot.name}"
        for collection in syrupy.report.unused for snapshot in collection)


@pytest.hookimpl(optionalhook=True)  # xdist's hook: the controller hears that a worker finished
def pytest_testnodedown(node: object, error: object) -> None:
    _unused_on_workers.extend(getattr(node, "workeroutput", {}).get(_UNUSED, []))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if not _unused_on_workers:
        return
    terminalreporter.write_sep("-", "snapshot report summary (from the xdist workers)")
    terminalreporter.write_line(f"{len(_unused_on_workers)} snapshots unused"
                                + ("" if config.option.warn_unused_snapshots else
                                   "; re-run with --snapshot-update to delete them") + ":")
    for line in _unused_on_workers:
        terminalreporter.write_line(f"  {line}")
