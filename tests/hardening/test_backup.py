"""`tracker backup`, `restore` and `check` on real SQLite files, read back with plain sqlite3."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import stat
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.store import backup as bk


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def count(path: Path, table: str = "task") -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_note(db: Path, text: str) -> None:
    code, _, err = run("--db", str(db), "note", "8", text, "--on", "2024-07-01")
    assert code == 0, err


# --- backup -------------------------------------------------------------------------------------


def test_backup_goes_to_dated_file_user_only_and_complete(demo_db: Path, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    code, out, err = run("backup")
    assert code == 0, err
    files = list((demo_db.parent / "backups").iterdir())
    assert len(files) == 1
    made = files[0]
    assert made.name.startswith("tracker-20240701-")
    assert made.suffix == ".db"
    assert str(made) in out
    assert mode(made) == 0o600
    assert mode(made.parent) == 0o700
    assert integrity(made) == "ok"
    assert count(made) == count(demo_db) > 0
    assert count(made, "completion") == count(demo_db, "completion") > 0
    # a single self-contained file: no journal or WAL beside it, no temporary left behind
    assert sqlite3.connect(made).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [p.name for p in made.parent.iterdir()] == [made.name]


def test_database_file_itself_is_user_only(db_path: Path):
    code, _, err = run("demo")
    assert code == 0, err
    assert mode(db_path) == 0o600


def test_backup_out_replaces_an_existing_file_with_a_whole_copy(demo_db: Path, tmp_path: Path):
    target = tmp_path / "elsewhere" / "copy.db"
    target.parent.mkdir()
    target.write_bytes(b"old contents")
    code, _, err = run("backup", "--out", str(target))
    assert code == 0, err
    assert integrity(target) == "ok"
    assert count(target) == count(demo_db)
    assert mode(target) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]


def test_backup_does_not_wait_for_an_open_write_and_holds_only_committed_data(demo_db: Path, tmp_path):
    before = count(demo_db, "progressnote")
    writer = sqlite3.connect(demo_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the TUI in the middle of a save
    writer.execute("INSERT INTO progressnote (task_id, \"on\", text, author, created_at) "
                   "SELECT id, '2024-07-01', 'uncommitted', 'x', '2024-07-01 10:00:00' FROM task LIMIT 1")
    started = time.monotonic()
    code, _, err = run("backup", "--out", str(tmp_path / "b.db"))
    elapsed = time.monotonic() - started
    writer.execute("COMMIT")
    writer.close()
    assert code == 0, err
    assert elapsed < 4  # the busy timeout is 5 s: it never waited for the writer
    assert count(tmp_path / "b.db", "progressnote") == before
    assert count(demo_db, "progressnote") == before + 1


def test_backup_while_a_writer_commits_is_always_a_consistent_snapshot(demo_db: Path, tmp_path):
    conn = sqlite3.connect(demo_db)
    start = dict(conn.execute("SELECT id, version FROM task"))
    conn.close()
    stop = threading.Event()
    written = []

    def write() -> None:  # each transaction adds one unit and bumps every task's version
        conn = sqlite3.connect(demo_db, isolation_level=None, timeout=5)
        n = 0
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO owner (name) VALUES (?)", (f"unit {n}",))
            conn.execute("UPDATE task SET version = version + 1")
            conn.execute("COMMIT")
            n += 1
        conn.close()
        written.append(n)

    thread = threading.Thread(target=write)
    thread.start()
    seen = []
    try:
        for i in range(5):
            out = bk.backup(demo_db, tmp_path / f"b{i}.db")
            assert integrity(out) == "ok"
            copy = sqlite3.connect(out)
            deltas = {v - start[i] for i, v in copy.execute("SELECT id, version FROM task")}
            units = copy.execute("SELECT count(*) FROM owner WHERE name LIKE 'unit %'").fetchone()[0]
            copy.close()
            assert deltas == {units}  # never half a transaction
            seen.append(units)
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join()
    assert written[0] > 0
    assert max(seen) > 0


def test_auto_backup_once_a_day_and_prunes_only_old_dated_backups(demo_db: Path, monkeypatch):
    backups = demo_db.parent / "backups"
    backups.mkdir(mode=0o700)
    old = backups / "tracker-20240501-080000.db"
    kept = backups / "tracker-20240615-080000.db"
    other = backups / "my-own-copy.db"
    for path in (old, kept, other):
        shutil.copyfile(demo_db, path)
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    code, out, err = run("backup", "--auto")
    assert code == 0, err
    today = sorted(backups.glob("tracker-20240701-*.db"))
    assert len(today) == 1
    assert not old.exists()
    assert kept.exists()
    assert other.exists()
    assert str(old) in out
    code, out, err = run("backup", "--auto")
    assert code == 0, err
    assert "已有备份" in out
    assert sorted(backups.glob("tracker-20240701-*.db")) == today
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-20")
    code, out, err = run("--lang", "en", "backup", "--auto", "--keep", "10")
    assert code == 0, err
    assert "backup written" in out
    assert not kept.exists()
    assert other.exists()
    assert len(list(backups.glob("tracker-2024072*.db"))) == 1


def test_prune_keeps_the_newest_backup_however_old(tmp_path: Path):
    for name in ("tracker-20200101-000000.db", "tracker-20200102-000000.db"):
        (tmp_path / name).write_bytes(b"x")
    deleted = bk.prune(tmp_path, keep_days=30, today=date(2024, 7, 1))
    assert [p.name for p in deleted] == ["tracker-20200101-000000.db"]
    assert [p.name for p in tmp_path.iterdir()] == ["tracker-20200102-000000.db"]


def test_backup_of_a_postgresql_url_says_to_use_pg_dump(tmp_path: Path):
    code, _, err = run("--db", "postgresql://u@localhost/tracker", "backup")
    assert code == 5
    assert "pg_dump" in err
    assert "Traceback" not in err


def test_check_of_a_postgresql_url_says_what_check_reads(tmp_path: Path):
    """QA: `tracker check` on PostgreSQL answered with backup's sentence about pg_dump."""
    code, out, err = run("--db", "postgresql://u@localhost/tracker", "check")
    assert (code, out) == (5, "")
    assert err.startswith("tracker: tracker check 只检查 SQLite 文件; PostgreSQL 由服务器自己保证完整性")
    assert "pg_dump" not in err
    code, out, err = run("--lang", "en", "--db", "postgresql://u@localhost/tracker", "check")
    assert (code, out) == (5, "")
    assert err.startswith("tracker: tracker check reads SQLite files; on PostgreSQL the server keeps integrity")


def test_backup_of_a_missing_database_is_one_sentence(db_path: Path):
    code, _, err = run("backup")
    assert (code, err) == (5, f"tracker: 找不到数据库 {db_path}; 请先运行 `tracker import FILE` 或 `tracker demo`。\n")
    code, _, err = run("--lang", "en", "backup")
    assert (code, err) == (5, f"tracker: no database at {db_path}; run `tracker import FILE` or `tracker demo` "
                              "first.\n")


def test_backup_into_an_unwritable_place_is_an_output_error(demo_db: Path, tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run("backup", "--out", str(blocker / "b.db"))
    assert code in (5, 8)
    assert "Traceback" not in err
    assert err.startswith("tracker: ")


def test_backup_onto_the_database_itself_is_refused(demo_db: Path):
    before = digest(demo_db)
    code, _, err = run("backup", "--out", str(demo_db))
    assert (code, err) == (8, f"tracker: {demo_db} 就是数据库本身; 请用 --out 给备份另起一个名字。\n")
    assert digest(demo_db) == before


# --- restore ------------------------------------------------------------------------------------


def make_backup(db: Path, out: Path) -> Path:
    code, _, err = run("--db", str(db), "backup", "--out", str(out))
    assert code == 0, err
    return out


def test_restore_brings_back_the_backup_and_keeps_the_current_aside(demo_db: Path, tmp_path: Path,
                                                                  monkeypatch):
    saved = make_backup(demo_db, tmp_path / "saved.db")
    notes = count(demo_db, "progressnote")
    add_note(demo_db, "written after the backup")
    assert count(demo_db, "progressnote") == notes + 1
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-02")
    code, out, err = run("--lang", "en", "restore", str(saved), "--yes")
    assert code == 0, err
    assert count(demo_db, "progressnote") == notes
    aside = list(demo_db.parent.glob("tracker.db.before-restore-20240702-*"))
    assert len(aside) == 1
    assert str(aside[0]) in out
    assert count(aside[0], "progressnote") == notes + 1  # nothing lost: the newer state is kept
    assert mode(aside[0]) == 0o600
    assert mode(demo_db) == 0o600
    assert integrity(demo_db) == "ok"
    code, _, err = run("tasks", "--as-of", "2024-07-01")
    assert code == 0, err


def test_restore_is_seen_by_a_connection_that_was_already_open(demo_db: Path, tmp_path: Path):
    saved = make_backup(demo_db, tmp_path / "saved.db")
    add_note(demo_db, "after")
    tui = sqlite3.connect(demo_db)  # e.g. the TUI, left running
    before = tui.execute("SELECT count(*) FROM progressnote").fetchone()[0]
    code, _, err = run("restore", str(saved), "--yes")
    assert code == 0, err
    assert tui.execute("SELECT count(*) FROM progressnote").fetchone()[0] == before - 1
    tui.close()


def test_restore_asks_and_no_changes_nothing(demo_db: Path, tmp_path: Path, monkeypatch):
    saved = make_backup(demo_db, tmp_path / "saved.db")
    add_note(demo_db, "after")
    before = digest(demo_db)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, _ = run("restore", str(saved))
    assert code == 0
    assert "[y/N]" in out
    assert "未作任何修改" in out
    assert digest(demo_db) == before
    assert not list(demo_db.parent.glob("*.before-restore-*"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # cron: no answer means no
    assert run("restore", str(saved))[0] == 0
    assert digest(demo_db) == before


def truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def foreign(dst: Path) -> Path:
    conn = sqlite3.connect(dst)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    return dst


def newer(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    return dst


@pytest.mark.parametrize(("make", "words", "english"), [
    (lambda src, d: d / "missing.db", "找不到备份文件", "no backup file"),
    (lambda src, d: (d / "text.db").write_text("hello") and d / "text.db", "不是 SQLite 数据库", "not a SQLite"),
    (lambda src, d: truncated(src, d / "half.db"), "已损坏", "is damaged"),
    (lambda src, d: foreign(d / "foreign.db"), "不是 tracker 数据库", "not a tracker database"),
    (lambda src, d: newer(src, d / "newer.db"), "由更新版本的 tracker 写入 (数据库版本 99)", "newer tracker (schema 99)"),
], ids=["missing", "not-sqlite", "truncated", "foreign", "newer-schema"])
def test_restore_refuses_a_bad_file_before_touching_anything(demo_db: Path, tmp_path: Path, make, words, english):
    saved = make_backup(demo_db, tmp_path / "saved.db")
    bad = make(saved, tmp_path)
    before = digest(demo_db)
    code, _, err = run("restore", str(bad), "--yes")
    assert code == 3
    assert words in err
    assert str(bad) in err
    assert "Traceback" not in err
    code, _, err = run("--lang", "en", "restore", str(bad), "--yes")
    assert code == 3
    assert english in err
    assert digest(demo_db) == before
    assert sorted(p.name for p in demo_db.parent.iterdir() if p.name.startswith("tracker.db")) == [
        "tracker.db"]
    assert not list(demo_db.parent.glob(".tracker-*"))


def test_restore_over_a_corrupt_database_moves_it_aside_whole(demo_db: Path, tmp_path: Path):
    saved = make_backup(demo_db, tmp_path / "saved.db")
    demo_db.write_bytes(b"garbage" * 1000)
    code, _out, err = run("restore", str(saved), "--yes")
    assert code == 0, err
    assert integrity(demo_db) == "ok"
    assert count(demo_db) == count(saved)
    aside = list(demo_db.parent.glob("tracker.db.before-restore-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes() == b"garbage" * 1000


def test_restore_that_fails_midway_leaves_the_database_as_it_was(demo_db: Path, tmp_path: Path,
                                                                 monkeypatch):
    saved = make_backup(demo_db, tmp_path / "saved.db")
    add_note(demo_db, "after")
    before = digest(demo_db)
    real = bk._copy_database
    calls = []

    def failing(src, target):
        calls.append(target)
        if len(calls) == 2:  # staging succeeds; keeping the current db aside hits a full disk
            raise OSError(28, "No space left on device")
        real(src, target)

    monkeypatch.setattr(bk, "_copy_database", failing)
    code, _, err = run("restore", str(saved), "--yes")
    assert (code, err) == (8, f"tracker: 无法在 {demo_db} 旁另存当前数据库的副本: [Errno 28] No space left on "
                              "device; 没有恢复任何内容。\n")
    assert digest(demo_db) == before
    assert not list(demo_db.parent.glob("*.before-restore-*"))
    assert not list(demo_db.parent.glob(".tracker-*"))


def test_restore_into_a_missing_database_creates_it(tmp_path: Path, demo_template: Path):
    target = tmp_path / "new" / "tracker.db"
    code, _, err = run("--db", str(target), "restore", str(demo_template), "--yes")
    assert code == 0, err
    assert count(target) == count(demo_template)
    assert mode(target) == 0o600


# --- check --------------------------------------------------------------------------------------


def test_check_on_a_clean_database_says_ok_and_exits_0(demo_db: Path):
    code, out, err = run("check")
    assert code == 0, err
    lines = out.splitlines()
    assert lines
    assert all(line.startswith("正常: ") for line in lines)
    assert lines[:3] == ["正常: 完整性", "正常: 数据库版本", "正常: 表和列"]
    code, out, err = run("--lang", "en", "check")
    assert code == 0, err
    lines = out.splitlines()
    assert all(line.startswith("ok: ") for line in lines)
    assert "ok: integrity" in lines


def break_it(db: Path) -> None:
    conn = sqlite3.connect(db)  # foreign keys are off by default: orphans can be made
    task = conn.execute("SELECT id FROM task ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE task SET plan_id = 999 WHERE id = ?", (task,))
    conn.execute("INSERT INTO taskowner (task_id, owner_id, role, origin) VALUES (?, 4242, 'lead', 'manual')",
                 (task,))
    key = conn.execute("SELECT requirement_id, obligation_key FROM completion c WHERE EXISTS (SELECT 1 "
                       "FROM obligation o WHERE o.requirement_id = c.requirement_id AND "
                       "o.key = c.obligation_key) LIMIT 1").fetchone()
    conn.execute("DELETE FROM obligation WHERE requirement_id = ? AND key = ?", key)
    req = conn.execute("SELECT requirement_id FROM obligation LIMIT 1").fetchone()[0]
    conn.execute("UPDATE requirement SET removed = 1 WHERE id = ?", (req,))
    conn.execute("UPDATE owner SET office_id = 7 WHERE name = '政策法规科'")  # as if another office's unit
    conn.commit()
    conn.close()


def test_check_names_each_problem_and_what_to_do_and_exits_5(demo_db: Path):
    break_it(demo_db)
    code, out, _ = run("check")
    assert code == 5
    problems = [line for line in out.splitlines() if line.startswith("问题: ")]
    assert all(" — 处理: " in line for line in problems)
    text = "\n".join(problems)
    assert "问题: 1 项任务不属于任何计划 — 处理: 恢复备份 (`tracker restore FILE`) 或重新导入计划" in problems
    assert "1 条责任单位分配指向不存在的单位或任务" in text
    assert "条责任单位分配给任务指定了其他机关的单位" in text
    assert "条完成记录对应的到期日已不在规则中 (这些记录不计入完成)" in text
    assert "个到期日指向已删除或不存在的规则或任务 — 处理: 运行 `tracker check --repair`" in text
    assert "正常: 完整性" in out
    assert not any(word in text for word in ("task(s)", "problem", " do: "))  # no English left
    code, out, _ = run("--lang", "en", "check")
    assert code == 5
    problems = [line for line in out.splitlines() if line.startswith("problem: ")]
    assert all(" — do: " in line for line in problems)
    text = "\n".join(problems)
    assert "1 task(s) belong to no plan" in text
    assert "owner assignment(s) point at a unit or task that does not exist" in text
    assert "owner assignment(s) give a task a unit of another office" in text
    assert "record a due date the rule no longer has" in text
    assert "point at a rule or task that was removed" in text
    assert "ok: integrity" in out


def test_check_json_is_stable_and_machine_readable(demo_db: Path):
    break_it(demo_db)
    code, out, _ = run("check", "--json")
    assert code == 5
    data = json.loads(out)
    assert list(data) == ["ok", "database", "checks"]
    assert data["ok"] is False
    assert data["database"] == str(demo_db)
    by_name = {c["name"]: c for c in data["checks"]}
    assert by_name["integrity"]["ok"] is True
    assert by_name["tasks without a plan"] == {  # the name is the stable key; the sentences are the user's
        "name": "tasks without a plan", "ok": False, "count": 1,
        "problem": "1 项任务不属于任何计划", "do": "恢复备份 (`tracker restore FILE`) 或重新导入计划"}
    assert by_name["owner links"]["count"] == 1
    english = json.loads(run("--lang", "en", "check", "--json")[1])
    assert [c["name"] for c in english["checks"]] == list(by_name)
    assert english["checks"][list(by_name).index("tasks without a plan")]["problem"] == "1 task(s) belong to no plan"


def test_check_on_a_truncated_or_foreign_file(demo_db: Path, tmp_path: Path):
    half = truncated(demo_db, tmp_path / "half.db")
    code, out, err = run("--db", str(half), "check")
    assert code == 5
    assert out.startswith("问题: 数据库已损坏 (")
    assert "`tracker restore FILE`" in out
    assert "Traceback" not in err
    code, out, err = run("--db", str(foreign(tmp_path / "f.db")), "check")
    assert code == 5
    assert "问题: 数据库没有记录数据库版本 (可能不是 tracker 数据库) — 处理: 检查 --db 路径; 或恢复备份" in out
    code, out, err = run("--lang", "en", "--db", str(half), "check")
    assert code == 5
    assert out.startswith("problem: ")
    assert "restore" in out


def test_check_on_a_database_from_a_newer_tracker_says_upgrade(demo_db: Path, tmp_path: Path):
    code, out, _ = run("--db", str(newer(demo_db, tmp_path / "n.db")), "check")
    assert code == 5
    assert "问题: 数据库版本是 '99', 当前版本的 tracker 只能读取版本 1 到 " in out
    assert "请升级 tracker" in out
    code, out, _ = run("--lang", "en", "--db", str(tmp_path / "n.db"), "check")
    assert code == 5
    assert "problem: the schema version is '99'" in out
    assert "upgrade tracker" in out


def test_check_does_not_modify_the_database(demo_db: Path):
    before = digest(demo_db)
    run("check")
    assert digest(demo_db) == before


def test_backup_name_is_the_moment_given():
    assert bk.backup_name(datetime(2024, 7, 1, 9, 5, 3)) == "tracker-20240701-090503.db"


def test_backup_and_check_load_no_orm(demo_db: Path):
    """cron's daily `tracker backup --auto` stays cheap: plain sqlite3, no sqlalchemy/sqlmodel."""
    import subprocess
    import sys

    code = ("import sys; from tracker.cli import main; "
            f"assert main(['--db', {str(demo_db)!r}, 'backup', '--auto']) == 0; "
            f"assert main(['--db', {str(demo_db)!r}, 'check']) == 0; "
            "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'textual', 'openpyxl') if m in sys.modules); "
            "assert not heavy, heavy")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_backup_out_a_directory_writes_the_dated_file_into_it(demo_db: Path, tmp_path: Path):
    folder = tmp_path / "usb"
    folder.mkdir()
    code, out, err = run("backup", "--out", str(folder))
    assert (code, err) == (0, "")
    written = list(folder.iterdir())
    assert len(written) == 1
    assert written[0].name.startswith("tracker-")
    assert written[0].suffix == ".db"
    assert out == f"已备份: {written[0]}\n"
    assert count(written[0]) == count(demo_db)


@pytest.mark.parametrize("command", ["backup", "check"])
def test_a_database_that_is_a_directory_is_named_so(tmp_path: Path, command: str):
    folder = tmp_path / "d"
    folder.mkdir()
    code, out, err = run("--db", str(folder), command)
    assert (code, out) == (5, "")
    assert err == f"tracker: {folder} 是目录, 不是数据库文件; 请用 --db 指定数据库文件 (如 {folder}/tracker.db)。\n"
    code, out, err = run("--lang", "en", "--db", str(folder), command)
    assert (code, out) == (5, "")
    assert err == (f"tracker: {folder} is a directory, not a database; give the database file with --db "
                   f"(e.g. {folder}/tracker.db).\n")
