"""The database's own sentences — schema, backup, users, migrate — in Chinese by default, English with --lang en.

Each case runs the command twice: without `--lang` (what a coordinator sees) and with `--lang en`
(the sentence the log and developers read), and both name the same facts (paths, numbers, commands).
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from tracker.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def both(*argv: str) -> tuple[tuple[int, str], tuple[int, str]]:
    """(exit code, stderr) in Chinese, then in English."""
    zh, en = run(*argv), run("--lang", "en", *argv)
    return (zh[0], zh[2]), (en[0], en[2])


def set_schema(db: Path, version: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.commit()
    conn.close()


def test_a_database_from_a_newer_tracker_on_the_write_and_read_paths(demo_db: Path):
    set_schema(demo_db, "99")
    zh, en = both("note", "8", "进展")
    assert zh == (5, f"tracker: {demo_db} 由更新版本的 tracker 写入 (数据库版本 99); 请升级 tracker "
                     "(当前版本的 tracker 只能读取版本 6 及更早的数据库)。\n")
    assert en == (5, f"tracker: {demo_db} was written by a newer tracker (schema 99); upgrade tracker "
                     "(this one reads schema 6 and older).\n")
    zh, en = both("tasks")
    assert zh == (5, f"tracker: {demo_db} 由更新版本的 tracker 写入 (数据库版本 99, 当前版本的 tracker 只能读取"
                     "版本 6 及更早的数据库); 请升级 tracker。\n")
    assert en == (5, f"tracker: {demo_db} was written by a newer tracker (schema 99, this one reads up to 6); "
                     "upgrade tracker.\n")


def test_a_sqlite_file_of_another_program_is_not_taken_for_ours(db_path: Path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    zh, en = both("note", "8", "进展")
    assert zh == (5, f"tracker: {db_path} 不是 tracker 数据库 (里面有别的表); 请用 --db 另选一个文件。\n")
    assert en == (5, f"tracker: {db_path} is not a tracker database (it has other tables); choose another file "
                     "with --db.\n")
    zh, en = both("tasks")
    assert zh == (5, f"tracker: {db_path} 不是 tracker 数据库 (其中没有数据库版本); 请用 --db 指定一个新的文件路径, "
                     "再运行 `tracker import FILE`。\n")
    assert en == (5, f"tracker: {db_path} is not a tracker database (it has no schema version); run "
                     "`tracker import FILE` on a new path.\n")


def test_backup_keep_must_not_be_negative(demo_db: Path):
    zh, en = both("backup", "--keep", "-1")
    assert zh == (2, "tracker: --keep 应为 0 或更大的天数, 不能是 -1。\n")
    assert en == (2, "tracker: --keep must be 0 or more days, not -1.\n")


def test_migrate_into_the_same_database_is_refused(demo_db: Path):
    zh, en = both("migrate", str(demo_db), str(demo_db))
    assert zh == (2, "tracker: 源数据库和目标数据库是同一个; 请指定两个不同的数据库。\n")
    assert en == (2, "tracker: the source and the target are the same database; name two different ones.\n")


@pytest.mark.parametrize(("argv", "chinese", "english"), [
    (("grant", "wang"), "`tracker users grant` 需要 USER OFFICE; 实际给出了 1 个名称。",
     "`tracker users grant` takes USER OFFICE; got 1 name(s)."),
    (("list", "all"), "`tracker users list` 不需要名称; 实际给出了 1 个名称。",
     "`tracker users list` takes no names; got 1 name(s)."),
    (("add-office", "民政局", "--admin"), "--admin 只能与 add-user 一起使用。", "--admin goes with add-user only."),
])
def test_users_mistakes_in_both_languages(demo_db: Path, argv: tuple[str, ...], chinese: str, english: str):
    zh, en = both("users", *argv)
    assert zh == (2, f"tracker: {chinese}\n")
    assert en == (2, f"tracker: {english}\n")


def test_backup_and_restore_lines_in_both_languages(demo_db: Path, tmp_path: Path):
    saved = tmp_path / "saved.db"
    assert run("backup", "--out", str(saved)) == (0, f"已备份: {saved}\n", "")
    assert run("--lang", "en", "backup", "--out", str(saved)) == (0, f"backup written: {saved}\n", "")
    code, out, err = run("restore", str(saved), "--yes")
    assert (code, err) == (0, "")
    aside = next(demo_db.parent.glob("tracker.db.before-restore-*"))
    assert out == f"已恢复: {demo_db} (15项任务); 原数据库另存为 {aside}\n"
    missing = tmp_path / "none.db"
    zh, en = both("restore", str(missing), "--yes")
    assert zh == (3, f"tracker: 找不到备份文件 {missing}; 请给出 tracker 备份文件 (.db) 的路径。\n")
    assert en == (3, f"tracker: no backup file at {missing}; give the path of a tracker backup (.db).\n")


def test_restore_given_a_folder_says_it_is_one_and_names_the_newest_backup_in_it(demo_db: Path, tmp_path: Path):
    """QA: `restore DIR` said 找不到备份文件 ("not found") for a folder that exists."""
    folder = tmp_path / "backups"
    folder.mkdir()
    zh, en = both("restore", str(folder), "--yes")
    assert zh == (3, f"tracker: {folder} 是文件夹, 不是备份文件; 请给出备份文件本身的路径。\n")
    assert en == (3, f"tracker: {folder} is a folder, not a backup file; give the backup's own path.\n")
    assert run("backup", "--out", str(folder))[0] == 0
    [made] = folder.glob("*.db")
    assert both("restore", str(folder), "--yes")[0] == (
        3, f"tracker: {folder} 是文件夹, 不是备份文件; 请给出备份文件本身的路径。其中最新的备份是 {made}。\n")
