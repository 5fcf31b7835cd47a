"""Crash safety: SIGKILL a running `tracker import` / `tracker export` at random moments, many times.

After every kill the database must open, pass SQLite's integrity check and our consistency checks
(`tracker.store.check.check`), and hold either the whole import or none of it — compared row by
row with the state a complete run leaves. An export killed at any moment leaves the target either
absent (or the previous complete workbook) or a complete workbook openpyxl reads, and never a
stray file that looks like a workbook.

Most runs are forked from a pre-warmed launcher (`kill_zygote.py`) so the random moments fall in
the work, not in Python's start-up; a few are plain `python -m tracker` subprocesses, start-up and
all. Each scenario runs for a time budget (TRACKER_KILL_SECONDS scales it, default 1.0: about 50 s
in all) and prints how many kill points it tried and how many left something inconsistent.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tracker.store.check import check as check_database

HERE = Path(__file__).resolve().parent
SCALE = float(os.environ.get("TRACKER_KILL_SECONDS", "1.0"))
SEED = int(os.environ.get("TRACKER_KILL_SEED", "20240701"))

_NUMS = "一二三四五六七八九十"


def _cn(i: int) -> str:
    if i <= 10:
        return _NUMS[i - 1]
    if i < 20:
        return "十" + _NUMS[i - 11]
    return _NUMS[i // 10 - 1] + "十" + (_NUMS[i % 10 - 1] if i % 10 else "")


def synthetic_plan(sections: int = 20, per: int = 25, *, revision: bool = False) -> str:
    """A plan of sections × per tasks, each with three rules and two owners.

    The revision rewords every 5th task, drops the last section and adds a new one.
    """
    lines = ["2024年合成市测试局政务公开工作要点", ""]
    n = 0
    for s in range(1, sections + 1):
        if revision and s == sections:
            lines.append(f"{_cn(s)}、新增板块")
            for t in range(per):
                n += 1
                lines.append(f"{n}.新增第{t + 1}项工作。每月至少公开1次。(牵头单位:局办公室)")
            continue
        lines.append(f"{_cn(s)}、第{s}板块重点工作")
        for _ in range(per):
            n += 1
            verb = "深化" if revision and n % 5 == 0 else "推进"
            lines.append(f"{n}.{verb}第{n}项公开工作。每季度至少公开1次相关信息,文件发布后3个工作日内"
                         f"发布解读材料,6月底前完成专项梳理。(牵头单位:局办公室;配合单位:第{s}科)")
    return "\n".join(lines) + "\n"


# --- the launcher --------------------------------------------------------------------------------


class Launcher:
    """Talks to kill_zygote.py: start a tracker run, kill it, reap it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.proc = subprocess.Popen([sys.executable, str(HERE / "kill_zygote.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env={**os.environ, **env})
        assert self._read() == "ready"

    def _read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def _send(self, request: object) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def start(self, argv: list[str]) -> int:
        return int(self._send({"run": argv, "env": self.env}))

    def wait(self, pid: int) -> str:
        return self._send({"wait": pid})

    def run_killed_after(self, argv: list[str], delay: float, *, after: Path | None = None) -> bool:
        """Run argv, SIGKILL it `delay` seconds after it starts (or after a file matching the glob
        `after` appears anew); True if the kill landed (it was still running)."""
        seen = set(after.parent.glob(after.name)) if after is not None else set()
        pid = self.start(argv)
        if after is not None:
            limit = time.monotonic() + 30
            while not set(after.parent.glob(after.name)) - seen and time.monotonic() < limit:
                time.sleep(0.001)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return self.wait(pid) == "killed 9"

    def timed_run(self, argv: list[str]) -> float:
        started = time.monotonic()
        pid = self.start(argv)
        status = self.wait(pid)
        assert status == "exit 0", status
        return time.monotonic() - started

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def launcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launcher]:
    logs = tmp_path_factory.mktemp("logs")
    env = {"TRACKER_LOG_DIR": str(logs), "TRACKER_TODAY": "2024-07-01", "TRACKER_LANG": "en"}
    launch = Launcher(env)
    yield launch
    launch.close()


# --- what a database holds -----------------------------------------------------------------------


def state(db: Path) -> tuple[object, ...]:
    """The user-visible content, ids and timestamps left out: equal states mean equal plans."""
    if not db.exists():
        return ()
    conn = sqlite3.connect(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "task" not in tables:
            return ()
        if conn.execute("SELECT count(*) FROM task").fetchone()[0] == 0:
            return ()
        return (
            sorted(conn.execute("SELECT path, title, text, removed, version FROM task")),
            sorted(conn.execute("SELECT t.path, r.position, r.kind, r.removed FROM requirement r "
                                "JOIN task t ON t.id = r.task_id")),
            sorted(conn.execute("SELECT t.path, o.key, o.due FROM obligation o JOIN task t ON t.id = o.task_id")),
            sorted(conn.execute("SELECT t.path, w.name, o.role FROM taskowner o JOIN task t ON t.id = o.task_id "
                                "JOIN owner w ON w.id = o.owner_id")),
            conn.execute('SELECT count(*) FROM "plan"').fetchone()[0],
            conn.execute("SELECT count(DISTINCT action_id) FROM auditentry").fetchone()[0],
        )
    except sqlite3.DatabaseError as exc:
        return (f"unreadable: {exc}",)
    finally:
        conn.close()


def problems_after_kill(db: Path, allowed: list[tuple[object, ...]]) -> list[str]:
    """Everything wrong with the database after a kill (empty when all is well)."""
    found = []
    if db.exists():
        for finding in check_database(db):
            if not finding.ok:
                found.append(f"{finding.name}: {finding.problem}")
    if state(db) not in allowed:
        found.append("the database holds part of an import")
    if db.exists():
        from tracker.store import open_store

        try:
            open_store(str(db), create=False).close()
        except Exception as exc:  # any failure to reopen is what this test looks for
            found.append(f"cannot reopen: {exc}")
    return found


@dataclass
class Tally:
    """Kill points tried and what they left."""

    name: str
    tried: int = 0
    finished: int = 0
    bad: list[str] = field(default_factory=list)

    def report(self) -> str:
        return (f"kill test [{self.name}]: {self.tried} kill points tried, {len(self.bad)} left the "
                f"result inconsistent ({self.finished} runs finished before the kill)")


def _fresh(db: Path, template: Path | None) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if template is not None:
        shutil.copyfile(template, db)


def _kill_loop(launcher: Launcher, tally: Tally, argv: list[str], db: Path, template: Path | None,
               allowed: list[tuple[object, ...]], span: float, budget: float, rng: random.Random) -> None:
    deadline = time.monotonic() + budget * SCALE
    while time.monotonic() < deadline or tally.tried < 5:
        _fresh(db, template)
        if launcher.run_killed_after(argv, rng.uniform(0, span)):
            tally.tried += 1
            bad = problems_after_kill(db, allowed)
            if bad:
                tally.bad.append(f"#{tally.tried}: {bad}")
        else:
            tally.finished += 1
            assert state(db) == allowed[-1]


# --- the tests -----------------------------------------------------------------------------------


def test_killed_import_leaves_all_or_nothing(launcher: Launcher, tmp_path: Path):
    plan = tmp_path / "plan.txt"
    plan.write_text(synthetic_plan(), encoding="utf-8")
    db = tmp_path / "t.db"
    argv = ["--db", str(db), "import", str(plan)]
    span = launcher.timed_run(argv) * 1.1
    whole = state(db)
    assert len(whole[0]) == 500  # type: ignore[arg-type]
    tally = Tally("import, new database")
    _kill_loop(launcher, tally, argv, db, None, [(), whole], span, 15, random.Random(SEED))
    # and the real entry point, start-up included, a few times
    for delay in random.Random(SEED + 1).sample([x / 10 for x in range(2, 40)], 3):
        _fresh(db, None)
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "--db", str(db), "import", str(plan)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, **launcher.env})
        time.sleep(delay)
        proc.kill()
        if proc.wait() == -signal.SIGKILL:
            tally.tried += 1
            bad = problems_after_kill(db, [(), whole])
            if bad:
                tally.bad.append(f"subprocess after {delay}s: {bad}")
    print(tally.report())
    print("\n".join(tally.bad))
    assert tally.bad == []


def test_killed_reimport_leaves_the_old_plan_or_the_new_one(launcher: Launcher, tmp_path: Path):
    old_dir, new_dir = tmp_path / "v1", tmp_path / "v2"
    old_dir.mkdir()
    new_dir.mkdir()
    (old_dir / "plan.txt").write_text(synthetic_plan(), encoding="utf-8")
    (new_dir / "plan.txt").write_text(synthetic_plan(revision=True), encoding="utf-8")
    template = tmp_path / "v1.db"
    launcher.timed_run(["--db", str(template), "import", str(old_dir / "plan.txt")])
    conn = sqlite3.connect(template)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = state(template)
    db = tmp_path / "t.db"
    _fresh(db, template)
    argv = ["--db", str(db), "import", str(new_dir / "plan.txt")]
    span = launcher.timed_run(argv) * 1.1
    after = state(db)
    assert after != before
    tally = Tally("re-import of a revised plan")
    _kill_loop(launcher, tally, argv, db, template, [before, after], span, 12, random.Random(SEED + 2))
    print(tally.report())
    print("\n".join(tally.bad))
    assert tally.bad == []


def _workbook_problems(target: Path, rows: int) -> list[str]:
    if not target.exists():
        return []
    import openpyxl

    try:
        wb = openpyxl.load_workbook(target)
    except Exception as exc:  # a half-written workbook is exactly what this looks for
        return [f"unreadable workbook: {type(exc).__name__}: {exc}"]
    try:
        names = wb.sheetnames
        if len(names) < 3:
            return [f"workbook with only {names}"]
        ledger = wb[names[2]] if "工作台账" not in names else wb["工作台账"]
        if ledger.max_row is None or ledger.max_row < rows:
            return [f"ledger has {ledger.max_row} rows, expected ≥ {rows}"]
    finally:
        wb.close()
    return []


def test_killed_export_leaves_no_half_workbook(launcher: Launcher, tmp_path: Path):
    plan = tmp_path / "plan.txt"
    plan.write_text(synthetic_plan(), encoding="utf-8")
    db = tmp_path / "t.db"
    launcher.timed_run(["--db", str(db), "import", str(plan)])
    before = state(db)
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    target = out_dir / "ledger.xlsx"
    argv = ["--db", str(db), "export", "--as-of", "2024-07-01", "--out", str(target)]
    span = launcher.timed_run(argv) * 1.1
    assert _workbook_problems(target, 500) == []
    complete = target.read_bytes()
    temp = out_dir / ".~tracker-*"  # the export's temporary file: its save phase starts here
    started = time.monotonic()
    launcher.run_killed_after(argv, 0, after=temp)
    save_span = max(0.05, span - (time.monotonic() - started))
    for leftover in out_dir.glob(temp.name):
        leftover.unlink()
    rng = random.Random(SEED + 3)
    tally = Tally("export")
    deadline = time.monotonic() + 12 * SCALE
    runs = 0
    while time.monotonic() < deadline or tally.tried < 5:
        runs += 1
        if runs % 2:
            target.write_bytes(complete)  # half the runs overwrite a previous ledger
        else:
            target.unlink(missing_ok=True)
        in_save = runs % 3 != 0  # two runs in three are killed while the workbook is being saved
        killed = (launcher.run_killed_after(argv, rng.uniform(0, save_span), after=temp) if in_save
                  else launcher.run_killed_after(argv, rng.uniform(0, span)))
        if not killed:
            tally.finished += 1
            continue
        tally.tried += 1
        bad = _workbook_problems(target, 500)
        visible = [p.name for p in out_dir.iterdir() if p.name != target.name and not p.name.startswith(".")]
        if visible:
            bad.append(f"stray files: {visible}")
        if bad:
            tally.bad.append(f"#{tally.tried}: {bad}")
    hidden = [p.name for p in out_dir.iterdir() if p.name.startswith(".")]
    print(tally.report())
    print(f"kill test [export]: {len(hidden)} hidden temporary files left by killed exports "
          f"(names like {hidden[:1]})")
    assert state(db) == before  # an export writes nothing to the database
    assert tally.bad == []


def test_the_checks_would_catch_a_partial_import(launcher: Launcher, tmp_path: Path):
    """The kill tests can fail: half an import, or a damaged file, is reported."""
    plan = tmp_path / "plan.txt"
    plan.write_text(synthetic_plan(sections=2, per=5), encoding="utf-8")
    db = tmp_path / "t.db"
    launcher.timed_run(["--db", str(db), "import", str(plan)])
    whole = state(db)
    assert problems_after_kill(db, [(), whole]) == []
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM obligation WHERE task_id IN (SELECT id FROM task WHERE path LIKE '二/%')")
    conn.commit()
    conn.close()
    found = problems_after_kill(db, [(), whole])
    assert found[-1] == "the database holds part of an import"
    assert found[:-1] == ["due dates: 25 stored due date(s) disagree with the rules (25 missing)"]  # check sees it too
    db.write_bytes(db.read_bytes()[:4096])
    assert any("integrity" in p for p in problems_after_kill(db, [(), whole]))
