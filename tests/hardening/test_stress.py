"""Mixed-load stress: a TUI-like writer, a CLI writer, `tracker remind` and `tracker export` at once.

Issue 7, "Concurrency". Real OS processes on one SQLite file made by `tracker demo`, for a bounded
time (`TRACKER_STRESS_SECONDS`, default 15 s of load; about 25 s in all on a busy 2-core machine):

- the TUI-like writer reads task 8's view through `tracker.query` (its version), sometimes "thinks"
  a moment, then adds a note in one `Store.transaction` with `expected_version`; inside that
  transaction (which holds the write lock) it also reads the stored version, so it knows exactly
  which of its edits were made from an old version — every one of those must be refused;
- the CLI writer runs `tracker.cli.main(["note", "8", "cli-N"])` in its own process, in a loop;
- `python -m tracker remind --format json` and `python -m tracker export --out l-N.xlsx` in loops.

Asserted afterwards: no stderr mentions "locked" or "Traceback"; every exit code is 0 (or 6 with the
conflict sentence); every note reported saved is in the database and no refused one is; the remind
output is JSON every time; every workbook opens; `PRAGMA integrity_check` is ok. No timed
assertions. Figures are printed (`-s`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

CONFLICT_SENTENCE = "was changed by someone else since you opened it"
TASK = "8"

TUI_WRITER = textwrap.dedent("""
    import json, sys, time
    from datetime import date
    from sqlalchemy import text as sql
    from tracker import query
    from tracker.errors import ConflictError
    from tracker.store import open_store
    from tracker.store.actions import add_note, get_task

    db, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    conn = query.connect(db)
    task_id = query.find_task_id(conn, "8")
    store = open_store(db)
    saved, refused, stale_made, stale_saved, i = [], [], 0, 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version = query.tasks_by_ids(conn, [task_id], as_of=date(2024, 7, 1))[0].version
        text = f"tui-{i}"
        i += 1
        if i % 2 == 0:
            time.sleep(0.03)  # the user reads the screen: a CLI note may land in between
        stale = False
        try:
            with store.transaction(who="tui", action="note") as s:
                task = get_task(session=s, task_id=task_id)
                stored = s.execute(sql("SELECT version FROM task WHERE id = :t"), {"t": task_id}).scalar()
                stale = stored != version
                stale_made += stale
                add_note(session=s, task=task, text=text, on=date(2024, 7, 1), expected_version=version)
            saved.append(text)
            stale_saved += stale
        except ConflictError as exc:
            refused.append([text, str(exc), stale])
    store.close()
    conn.close()
    with open(out, "w") as f:
        json.dump({"saved": saved, "refused": refused, "stale_made": stale_made,
                   "stale_saved": stale_saved}, f)
""")

CLI_WRITER = textwrap.dedent("""
    import io, json, sys, time
    from tracker.cli import main

    db, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    runs, i = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = f"cli-{i}"
        i += 1
        o, e = io.StringIO(), io.StringIO()
        rc = main(["--db", db, "note", "8", text], out=o, err=e)
        runs.append([text, rc, o.getvalue(), e.getvalue()])
    with open(out, "w") as f:
        json.dump(runs, f)
""")

LOOP = textwrap.dedent("""
    import json, subprocess, sys, time

    seconds, out, argv = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
    runs, n = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        args = [a.replace("{n}", str(n)) for a in argv]
        p = subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, text=True,
                           timeout=120, check=False)
        runs.append([args, p.returncode, p.stdout, p.stderr])
        n += 1
    with open(out, "w") as f:
        json.dump(runs, f)
""")


def _seconds() -> float:
    return float(os.environ.get("TRACKER_STRESS_SECONDS", "15"))


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TRACKER_DB=str(db), TRACKER_TODAY="2024-07-01")
    return env


def _notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT text FROM progressnote")]
    finally:
        conn.close()


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _run_all(procs: dict[str, subprocess.Popen[str]], timeout: float) -> dict[str, str]:
    errs = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, f"{name} exited {proc.returncode}: {err}{out}"
        errs[name] = err
    return errs


def test_tui_cli_remind_and_export_together_lose_nothing_and_refuse_stale_edits(demo_db: Path,
                                                                             tmp_path: Path) -> None:
    """Four kinds of process on one file: no "locked", no traceback, no lost note, every stale edit refused."""
    from openpyxl import load_workbook  # ~96 ms; only to read the exported workbooks back

    seconds = _seconds()
    env = _env(demo_db)
    scripts = {name: tmp_path / f"{name}.py" for name in ("tui", "cli", "loop")}
    scripts["tui"].write_text(TUI_WRITER)
    scripts["cli"].write_text(CLI_WRITER)
    scripts["loop"].write_text(LOOP)
    results = {name: tmp_path / f"{name}.json" for name in ("tui", "cli", "remind", "export")}
    exports = tmp_path / "exports"
    exports.mkdir()
    before = set(_notes(demo_db))
    commands = {
        "tui": [str(scripts["tui"]), str(demo_db), str(seconds), str(results["tui"])],
        "cli": [str(scripts["cli"]), str(demo_db), str(seconds), str(results["cli"])],
        "remind": [str(scripts["loop"]), str(seconds), str(results["remind"]),
                   "remind", "--as-of", "2024-07-01", "--format", "json"],
        "export": [str(scripts["loop"]), str(seconds), str(results["export"]),
                   "export", "--as-of", "2024-07-01", "--out", str(exports / "l-{n}.xlsx")],
    }
    procs = {name: subprocess.Popen([sys.executable, *argv], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
             for name, argv in commands.items()}
    errs = _run_all(procs, timeout=seconds + 180)
    for name, err in errs.items():
        assert err == "", f"{name} wrote to stderr: {err}"

    tui: dict[str, Any] = json.loads(results["tui"].read_text())
    cli: list[list[Any]] = json.loads(results["cli"].read_text())
    remind: list[list[Any]] = json.loads(results["remind"].read_text())
    export: list[list[Any]] = json.loads(results["export"].read_text())

    # Every run of every command: exit 0, or 6 carrying the conflict sentence; nothing "locked".
    for name, runs in (("cli", [[r[0], r[1], r[2], r[3]] for r in cli]), ("remind", remind), ("export", export)):
        assert runs, f"{name} never ran"
        for args, rc, out, err in runs:
            assert "locked" not in (out + err).lower(), (name, args, err)
            assert "Traceback" not in out + err, (name, args, err)
            assert rc == 0 or (rc == 6 and CONFLICT_SENTENCE in err), (name, args, rc, err)
    for _args, _rc, out, _err in remind:
        json.loads(out)  # valid JSON every time
    for args, rc, _out, _err in export:
        if rc == 0:
            workbook = load_workbook(args[-1], read_only=True)
            assert workbook.sheetnames, args[-1]
            workbook.close()
    assert not [p for p in exports.iterdir() if not p.name.startswith("l-")], "temporary files left behind"

    # No lost change, no phantom: saved notes are all there, refused ones are not.
    cli_saved = [r[0] for r in cli if r[1] == 0]
    cli_refused = [r[0] for r in cli if r[1] != 0]
    tui_refused = [r[0] for r in tui["refused"]]
    notes = _notes(demo_db)
    new = [n for n in notes if n not in before]
    assert sorted(new) == sorted(tui["saved"] + cli_saved)
    assert not set(tui_refused + cli_refused) & set(notes)
    assert len(new) == len(set(new)), "a note was written twice"

    # Every edit made from an old version was refused with the sentence; none from a current one was.
    for _text, message, stale in tui["refused"]:
        assert CONFLICT_SENTENCE in message
        assert stale, f"a current edit was refused: {message}"
    assert tui["stale_saved"] == 0, "an edit from an old version was saved (silent overwrite)"
    assert tui["stale_made"] == len(tui["refused"])
    assert _integrity(demo_db) == "ok"

    print(f"\nstress {seconds:g} s: {len(new)} notes written ({len(tui['saved'])} TUI-like, {len(cli_saved)} CLI), "
          f"{len(tui['refused'])} conflicts detected out of {tui['stale_made']} conflicting edits made, "
          f"{len(remind)} remind runs, {len(export)} exports, 0 'locked', integrity ok")


TWO_READERS = textwrap.dedent("""
    import sys
    from datetime import date
    from tracker import query
    from tracker.errors import ConflictError
    from tracker.store import open_store
    from tracker.store.actions import add_note, get_task

    db, name, gate, go = sys.argv[1:5]
    conn = query.connect(db)
    task_id = query.find_task_id(conn, "8")
    version = query.tasks_by_ids(conn, [task_id], as_of=date(2024, 7, 1))[0].version
    conn.close()
    open(gate, "w").write(str(version))  # "I have read the task"
    import os, time
    while not os.path.exists(go):
        time.sleep(0.01)
    store = open_store(db)
    try:
        with store.transaction(who=name, action="note") as s:
            add_note(session=s, task=get_task(session=s, task_id=task_id), text=f"edit by {name}",
                     on=date(2024, 7, 1), expected_version=version)
        print("saved")
    except ConflictError as exc:
        print("conflict:", exc)
    store.close()
""")


def test_two_writers_from_one_version_exactly_one_wins(demo_db: Path, tmp_path: Path) -> None:
    """Two processes read task 8 at the same version, then both add a note: one saved, one refused."""
    script = tmp_path / "two.py"
    script.write_text(TWO_READERS)
    go = tmp_path / "go"
    gates = {name: tmp_path / f"read-{name}" for name in ("tui", "cli")}
    procs = {name: subprocess.Popen([sys.executable, str(script), str(demo_db), name, str(gate), str(go)],
                                    env=_env(demo_db), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
             for name, gate in gates.items()}
    deadline = time.monotonic() + 120
    while not all(g.exists() and g.read_text() for g in gates.values()):
        assert time.monotonic() < deadline, "the writers never read the task"
        assert all(p.poll() is None for p in procs.values()), "a writer died before reading"
        time.sleep(0.02)
    assert len({g.read_text() for g in gates.values()}) == 1, "both must have read the same version"
    go.touch()
    outs = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert err == ""
        outs[name] = out.strip()
    winners = [n for n, o in outs.items() if o == "saved"]
    losers = [n for n, o in outs.items() if o.startswith("conflict:")]
    assert len(winners) == 1, outs
    assert len(losers) == 1, outs
    assert CONFLICT_SENTENCE in outs[losers[0]]
    notes = _notes(demo_db)
    assert f"edit by {winners[0]}" in notes
    assert f"edit by {losers[0]}" not in notes
    assert _integrity(demo_db) == "ok"
    print(f"\ntwo writers from one version: 1 conflict detected out of 1 conflicting edit ({outs[losers[0]]})")
