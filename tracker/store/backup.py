"""Copies of the SQLite database that are safe to take and safe to put back: backup, restore, check.

Plain `sqlite3` (no ORM: this module imports in a few milliseconds, so cron's daily
`tracker backup --auto` stays cheap). A backup is taken with SQLite's online backup API in one step,
so it is one consistent snapshot even while the TUI or cron write (WAL readers never block the
writer). Every file is written to a temporary name in the target directory (mode 0600), fsynced and
renamed, so a crash leaves either no backup or a whole one, never a half file with the real name.

Restore checks the file before anything is touched (SQLite header, `PRAGMA integrity_check`, our
`meta` table and a schema version this tracker can read), then, holding the database's write lock
throughout, keeps a complete copy of the current database aside (`<db>.before-restore-<timestamp>`)
and puts the backup's content in its place, so no commit can fall between the two. `check` runs the
integrity check and our own consistency checks and says, for each problem, what to do.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from tracker.errors import BadInputError, DatabaseError, OutputError
from tracker.store.version import SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_NAME = re.compile(r"^tracker-(\d{8})-(\d{6})(?:-\d+)?\.db$")
"""Names of dated backups (`tracker-YYYYMMDD-HHMMSS.db`); only these are ever pruned."""
DEFAULT_KEEP_DAYS = 30


# ---------------------------------------------------------------------------------------------
# Where the database is
# ---------------------------------------------------------------------------------------------


def database_file(db: str, *, refusal: tuple[str, str] | None = None) -> Path:
    """The SQLite file behind a path or `sqlite:///` URL.

    Any other URL (PostgreSQL …) raises `DatabaseError`: backups of those are the server's job
    (`refusal`, its English and Chinese sentences, replaces that one for a command that is not
    about backups). So does a
    directory (`--db ~/data`): "no database at ~/data" sent people looking for a missing file.
    """
    if "://" not in db:
        return _not_a_directory(Path(db).expanduser())
    scheme, _, rest = db.partition("://")
    if scheme.split("+")[0] == "sqlite" and rest.startswith("/"):
        path = rest[1:].split("?", 1)[0]
        if path and path != ":memory:":
            return _not_a_directory(Path(path))
    english, chinese = refusal or (
        "backup supports SQLite files; use pg_dump for PostgreSQL (or give the SQLite file with --db).",
        "备份只支持 SQLite 文件; PostgreSQL 数据库请用 pg_dump 备份 (或用 --db 指定 SQLite 文件)。")
    raise DatabaseError(english, zh=chinese)


def _not_a_directory(path: Path) -> Path:
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database; give the database file with --db "
                            f"(e.g. {path / 'tracker.db'}).",
                            zh=f"{path} 是目录, 不是数据库文件; 请用 --db 指定数据库文件 (如 {path / 'tracker.db'})。")
    return path


def existing_database(db: str) -> Path:
    """`database_file(db)`, which must exist and be a file (`DatabaseError` otherwise)."""
    path = database_file(db)
    if not path.is_file():
        raise DatabaseError(f"no database at {path}; run `tracker import FILE` or `tracker demo` first.",
                            zh=f"找不到数据库 {path}; 请先运行 `tracker import FILE` 或 `tracker demo`。")
    return path


def default_backup_dir(db_path: Path) -> Path:
    """`<db dir>/backups`, where dated and automatic backups go."""
    return db_path.parent / "backups"


def backup_name(now: datetime) -> str:
    """`tracker-YYYYMMDD-HHMMSS.db` for the moment given (the caller reads the clock)."""
    return f"tracker-{now:%Y%m%d-%H%M%S}.db"


# ---------------------------------------------------------------------------------------------
# Low-level file care
# ---------------------------------------------------------------------------------------------


def open_sqlite_file(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A plain connection with a busy timeout (a writer elsewhere waits us out, and we it)."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
    else:
        conn = sqlite3.connect(path, timeout=5.0)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (the directory entry); silently not possible on some filesystems."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # e.g. a filesystem that cannot fsync directories: the rename still happened
        pass
    finally:
        os.close(fd)


_CHOOSE_OUT = ("choose another place with --out", "请用 --out 另选位置")
"""What to do when a backup's directory cannot be written (`tracker backup` has --out)."""
_CHECK_FOLDER = ("check the folder's permissions", "请检查该目录的权限")
"""… and when the database's own directory cannot be (`tracker restore` writes beside it)."""


@contextlib.contextmanager
def _temp_file(directory: Path, prefix: str, advice: tuple[str, str] = _CHOOSE_OUT) -> Iterator[Path]:
    """A fresh empty file (mode 0600) in `directory`, removed on exit unless it was renamed away.

    `advice` (English, Chinese) says what to do when the directory cannot be written."""
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(f"cannot write in {directory}: {reason}; {advice[0]}.",
                          zh=f"无法在 {directory} 中写入: {reason}; {advice[1]}。") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _copy_database(src: sqlite3.Connection, target: Path) -> None:
    """Copy `src` into the (empty) file `target` in one backup step; the copy is a single file."""
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: one step, one consistent snapshot
        dst.execute("PRAGMA journal_mode = DELETE")  # self-contained: no -wal beside a backup
        dst.commit()
    finally:
        dst.close()
    _fsync_file(target)


def _io_error(exc: BaseException, where: Path) -> OutputError:
    text = getattr(exc, "strerror", None) or str(exc)
    return OutputError(f"cannot write the backup {where}: {text}; free some space or choose "
                       "another place with --out.",
                       zh=f"无法写入备份 {where}: {text}; 请腾出磁盘空间, 或用 --out 另选位置。")


# ---------------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------------


def backup(db_path: Path, out: Path) -> Path:
    """Write a consistent copy of the database at `db_path` to `out` (mode 0600); return `out`.

    Safe while others use the database. The copy goes to a temporary name beside `out`, is fsynced
    and renamed: a failure or a kill leaves no file named `out` (an existing `out` is replaced only
    by a complete copy). A full disk or unwritable place raises `OutputError`; a corrupt source
    raises `DatabaseError`.
    """
    if _same_file(out, db_path) or out.name in (f"{db_path.name}-wal", f"{db_path.name}-shm"):
        raise OutputError(f"{out} is the database itself; give the backup another name with --out.",
                          zh=f"{out} 就是数据库本身; 请用 --out 给备份另起一个名字。")
    src = _open_source(db_path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        src.close()
        raise _io_error(exc, out) from None
    try:
        with _temp_file(out.parent, ".tracker-backup-") as tmp:
            try:
                _copy_database(src, tmp)
            except sqlite3.DatabaseError as exc:
                if _is_disk_problem(exc):
                    raise _io_error(exc, out) from None
                raise DatabaseError(f"cannot copy {db_path}: {exc}; run `tracker check`.",
                                    zh=f"无法复制 {db_path}: {exc}; 请运行 `tracker check`。") from None
            except OSError as exc:
                raise _io_error(exc, out) from None
            os.chmod(tmp, 0o600)
            os.replace(tmp, out)
            _fsync_dir(out.parent)
    finally:
        src.close()
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _open_source(db_path: Path) -> sqlite3.Connection:
    if not db_path.is_file():
        raise DatabaseError(f"no database at {db_path}; run `tracker import FILE` or `tracker demo` first.",
                            zh=f"找不到数据库 {db_path}; 请先运行 `tracker import FILE` 或 `tracker demo`。")
    if not has_sqlite_header(db_path):
        raise DatabaseError(f"{db_path} is not a tracker database (the file is corrupt or not SQLite).",
                            zh=f"{db_path} 不是 tracker 数据库 (文件已损坏, 或不是 SQLite 数据库)。")
    try:
        return open_sqlite_file(db_path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {db_path}: {exc}.",
                            zh=f"无法打开数据库 {db_path}: {exc}。") from None


def _is_disk_problem(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("disk", "full", "i/o", "readonly", "unable to open"))


def unique_path(directory: Path, name: str) -> Path:
    """`directory/name`, or `…-1.db`, `…-2.db` when a backup of that second already exists."""
    path = directory / name
    stem = path.stem
    n = 1
    while path.exists():
        path = directory / f"{stem}-{n}.db"
        n += 1
    return path


def dated_backups(directory: Path) -> list[tuple[date, Path]]:
    """The dated backups (`tracker-YYYYMMDD-HHMMSS.db`) in `directory`, oldest first.

    Other files are never listed (so never pruned); a missing directory gives [].
    """
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = BACKUP_NAME.match(path.name)
        if match is None:
            continue
        try:
            day = datetime.strptime(match.group(1), "%Y%m%d").date()
        except ValueError:
            continue
        found.append((day, path))
    return sorted(found, key=lambda item: (item[0], item[1].name))


def has_backup_on(directory: Path, day: date) -> Path | None:
    """A dated backup taken on `day`, if there is one (what `--auto` looks for)."""
    for taken, path in dated_backups(directory):
        if taken == day:
            return path
    return None


def prune(directory: Path, *, keep_days: int, today: date) -> list[Path]:
    """Delete dated backups older than `keep_days` days before `today`; return what was deleted.

    Only `tracker-YYYYMMDD-HHMMSS.db` files are touched; a backup dated exactly `keep_days` ago is
    kept. The newest backup is always kept, however old, so pruning never leaves none.
    """
    if keep_days < 0:
        from tracker.errors import UsageError

        raise UsageError(f"--keep must be 0 or more days, not {keep_days}.",
                         zh=f"--keep 应为 0 或更大的天数, 不能是 {keep_days}。")
    backups = dated_backups(directory)
    cutoff = today - timedelta(days=keep_days)
    deleted = []
    for taken, path in backups[:-1]:
        if taken < cutoff:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                deleted.append(path)
    return deleted


# ---------------------------------------------------------------------------------------------
# Checking a file before it is restored
# ---------------------------------------------------------------------------------------------


def has_sqlite_header(path: Path) -> bool:
    """True when the file starts like a SQLite database (False for any other file, or none)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


@dataclass(frozen=True)
class BackupInfo:
    """What a checked backup holds (shown before asking to restore it)."""

    path: Path
    schema_version: int
    plans: int
    tasks: int


def verify_backup(path: Path) -> BackupInfo:
    """Check that `path` is a whole tracker database this tracker can read; never modifies it.

    Raises `BadInputError` naming what is wrong: missing, not SQLite, failing the integrity check,
    not a tracker database (no `meta` table / schema version), or written by a newer tracker.
    """
    if path.is_dir():
        newest = max(path.glob("*.db"), key=lambda p: p.stat().st_mtime, default=None)
        hint = f" The newest backup in it is {newest}." if newest else ""
        hint_zh = f"其中最新的备份是 {newest}。" if newest else ""
        raise BadInputError(f"{path} is a folder, not a backup file; give the backup's own path.{hint}",
                            zh=f"{path} 是文件夹, 不是备份文件; 请给出备份文件本身的路径。{hint_zh}")
    if not path.is_file():
        raise BadInputError(f"no backup file at {path}; give the path of a tracker backup (.db).",
                            zh=f"找不到备份文件 {path}; 请给出 tracker 备份文件 (.db) 的路径。")
    if not has_sqlite_header(path):
        raise BadInputError(f"{path} is not a SQLite database, so not a tracker backup.",
                            zh=f"{path} 不是 SQLite 数据库, 所以不是 tracker 备份。")
    try:
        conn = open_sqlite_file(path, readonly=True)
    except sqlite3.Error as exc:
        raise BadInputError(f"cannot open the backup {path}: {exc}.",
                            zh=f"无法打开备份 {path}: {exc}。") from None
    try:
        return _verify(conn, path)
    except sqlite3.Error as exc:
        raise BadInputError(f"the backup {path} is damaged ({exc}); choose another backup.",
                            zh=f"备份 {path} 已损坏 ({exc}); 请另选一个备份。") from None
    finally:
        conn.close()


def _verify(conn: sqlite3.Connection, path: Path) -> BackupInfo:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BadInputError(f"the backup {path} is damaged: it fails SQLite's integrity check ({problems[0]}); "
                            "choose another backup.",
                            zh=f"备份 {path} 已损坏: 未通过 SQLite 完整性检查 ({problems[0]}); 请另选一个备份。")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        raise BadInputError(f"{path} is a SQLite file but not a tracker database (no meta table).",
                            zh=f"{path} 是 SQLite 文件, 但不是 tracker 数据库 (没有 meta 表)。")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        version = int(row[0])
    except (TypeError, ValueError):
        raise BadInputError(f"{path} has no valid schema version; it was not written by tracker.",
                            zh=f"{path} 没有有效的数据库版本; 它不是 tracker 写入的。") from None
    if version > SCHEMA_VERSION:
        raise BadInputError(f"{path} was written by a newer tracker (schema {version}); upgrade tracker "
                            f"to restore it (this one reads schema {SCHEMA_VERSION} and older).",
                            zh=f"{path} 由更新版本的 tracker 写入 (数据库版本 {version}); 请升级 tracker 后再恢复 "
                               f"(当前版本的 tracker 只能读取版本 {SCHEMA_VERSION} 及更早的数据库)。")
    missing = {"plan", "task"} - tables
    if missing:
        raise BadInputError(f"{path} lacks the tables {', '.join(sorted(missing))}; it is not a whole "
                            "tracker database.",
                            zh=f"{path} 缺少表 {'、'.join(sorted(missing))}; 不是完整的 tracker 数据库。")
    plans = conn.execute('SELECT count(*) FROM "plan"').fetchone()[0]
    tasks = conn.execute("SELECT count(*) FROM task").fetchone()[0]
    return BackupInfo(path=path, schema_version=version, plans=plans, tasks=tasks)


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------


def aside_path(db_path: Path, now: datetime) -> Path:
    """`<db>.before-restore-YYYYMMDD-HHMMSS` (with -1, -2 … if taken), where the current db goes."""
    base = db_path.with_name(f"{db_path.name}.before-restore-{now:%Y%m%d-%H%M%S}")
    path, n = base, 1
    while path.exists():
        path = base.with_name(f"{base.name}-{n}")
        n += 1
    return path


def restore(backup_path: Path, db_path: Path, *, now: datetime) -> Path | None:
    """Replace the database at `db_path` with the checked backup; return where the old one went.

    The backup is verified first (`verify_backup`; `BadInputError` and nothing touched). A healthy
    current database is copied whole to `aside_path(...)` and the backup's content then replaces its
    own, all under one write lock (`_restore_in_place`): a commit elsewhere lands before the copy
    (and is kept aside) or after the restore, never in neither; a TUI or cron that has it open sees
    the restored data, and a failure or kill midway leaves it as it was. A current database that cannot be read
    (corrupt, not SQLite) is renamed aside with its -wal/-shm instead, and the checked copy renamed
    in. A missing current database is simply created from the backup (returns None).
    """
    verify_backup(backup_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder of {db_path}: {exc.strerror or exc}.",
                          zh=f"无法创建 {db_path} 所在的目录: {exc.strerror or exc}。") from None
    with _temp_file(db_path.parent, ".tracker-restore-", _CHECK_FOLDER) as staged:
        src = open_sqlite_file(backup_path, readonly=True)
        try:
            _copy_database(src, staged)  # a private copy: the backup may change or vanish meanwhile
        except (sqlite3.Error, OSError) as exc:
            raise OutputError(f"cannot stage the restore beside {db_path}: {exc}.",
                              zh=f"无法在 {db_path} 旁准备恢复用的副本: {exc}。") from None
        finally:
            src.close()
        verify_backup(staged)
        os.chmod(staged, 0o600)
        if not db_path.exists():
            os.replace(staged, db_path)
            _fsync_dir(db_path.parent)
            return None
        aside = aside_path(db_path, now)
        if _healthy(db_path):
            _restore_in_place(staged, db_path, aside)
        else:
            _restore_by_rename(staged, db_path, aside)
    return aside


def _healthy(db_path: Path) -> bool:
    if not has_sqlite_header(db_path):
        return False
    try:
        conn = open_sqlite_file(db_path)
        try:
            return [r[0] for r in conn.execute("PRAGMA quick_check")] == ["ok"]
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _restore_in_place(staged: Path, db_path: Path, aside: Path) -> None:
    """Copy the current database aside and put the staged backup in its place, under one write lock.

    `BEGIN IMMEDIATE` on the live database is taken before the aside copy and held until the
    backup's content is committed in its place: a writer elsewhere waits (its busy timeout) instead
    of committing between the copy and the replacement, where its row would be in neither file.
    The copy aside is read through a second connection (WAL readers are not blocked by the lock we
    hold, and see exactly the last commit). SQLite's backup API cannot write into a database its
    own connection holds locked, so the content is replaced in SQL within the same transaction:
    every table, index, view and trigger dropped and recreated from the backup, rows copied. A
    failure or kill midway rolls back; connections already open see the restored data.
    """
    live = open_sqlite_file(db_path)
    live.isolation_level = None  # our own BEGIN IMMEDIATE / COMMIT
    try:
        live.execute("ATTACH DATABASE ? AS restored", (str(staged),))
        try:
            live.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise DatabaseError(f"cannot restore into {db_path}: {exc} (another tracker is writing); "
                                "nothing was restored; try again.",
                                zh=f"无法恢复到 {db_path}: {exc} (另一个 tracker 程序正在写入); "
                                   "没有恢复任何内容, 请稍后重试。") from None
        try:
            _keep_aside(db_path, aside)
            try:
                _replace_content(live)
                live.execute("COMMIT")
            except sqlite3.Error as exc:
                raise DatabaseError(f"cannot restore into {db_path}: {exc}; the database was left as it "
                                    f"was (a copy is at {aside}).",
                                    zh=f"无法恢复到 {db_path}: {exc}; 数据库保持原样 (副本在 {aside})。") from None
        finally:
            if live.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    live.execute("ROLLBACK")
        with contextlib.suppress(sqlite3.Error):
            live.execute("DETACH DATABASE restored")
    finally:
        live.close()


def _keep_aside(db_path: Path, aside: Path) -> None:
    """Copy the database (its last commit) whole to `aside`, through a connection of its own."""
    reader = open_sqlite_file(db_path)
    try:
        with _temp_file(db_path.parent, ".tracker-aside-", _CHECK_FOLDER) as tmp:
            try:
                _copy_database(reader, tmp)
            except (sqlite3.Error, OSError) as exc:
                raise OutputError(f"cannot keep a copy of the current database beside {db_path}: "
                                  f"{exc}; nothing was restored.",
                                  zh=f"无法在 {db_path} 旁另存当前数据库的副本: {exc}; 没有恢复任何内容。") from None
            os.replace(tmp, aside)
            _fsync_dir(db_path.parent)
    finally:
        reader.close()


def _replace_content(live: sqlite3.Connection) -> None:
    """In `live`'s open transaction: make `main` hold exactly what the attached `restored` holds."""
    old = live.execute("SELECT type, name FROM main.sqlite_master WHERE type IN ('view', 'table') "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table'").fetchall()
    for kind, name in old:  # views first; a table takes its indexes and triggers with it
        live.execute(f'DROP {kind.upper()} main."{_quoted(name)}"')
    new = live.execute("SELECT type, name, sql FROM restored.sqlite_master WHERE sql IS NOT NULL "
                       "AND name NOT LIKE 'sqlite_%'").fetchall()
    for kind, name, sql in new:
        if kind == "table":
            live.execute(sql)  # unqualified CREATE: the main database
            live.execute(f'INSERT INTO main."{_quoted(name)}" SELECT * FROM restored."{_quoted(name)}"')
    for kind, _name, sql in new:
        if kind != "table":  # indexes, views and triggers after the rows (no trigger fires on the copy)
            live.execute(sql)
    sequences = live.execute("SELECT count(*) FROM restored.sqlite_master WHERE name = 'sqlite_sequence'")
    if sequences.fetchone()[0] and live.execute(
            "SELECT count(*) FROM main.sqlite_master WHERE name = 'sqlite_sequence'").fetchone()[0]:
        live.execute("DELETE FROM main.sqlite_sequence")
        live.execute("INSERT INTO main.sqlite_sequence SELECT * FROM restored.sqlite_sequence")
    version = int(live.execute("PRAGMA restored.user_version").fetchone()[0])
    live.execute(f"PRAGMA main.user_version = {version}")


def _quoted(name: str) -> str:
    return name.replace('"', '""')


def _restore_by_rename(staged: Path, db_path: Path, aside: Path) -> None:
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm", "-journal"):
            current = Path(f"{db_path}{suffix}")
            if current.exists():
                target = Path(f"{aside}{suffix}")
                os.replace(current, target)
                moved.append((target, current))
        os.replace(staged, db_path)
        _fsync_dir(db_path.parent)
    except OSError as exc:
        for target, current in reversed(moved):  # put everything back as it was
            with contextlib.suppress(OSError):
                os.replace(target, current)
        raise OutputError(f"cannot replace {db_path}: {exc.strerror or exc}; it was left as it was.",
                          zh=f"无法替换 {db_path}: {exc.strerror or exc}; 数据库保持原样。") from None
