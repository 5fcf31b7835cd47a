"""`tracker backup`, `tracker restore` and `tracker check`: keep the year's evidence safe.

Plain sqlite3 through `tracker.store.backup` (no ORM, no UI), so `tracker backup --auto` from cron
starts in tens of milliseconds. The clock is read here, at the entry point, only for the time of
day in a backup's name; the date comes from `ctx.today` (TRACKER_TODAY in tests).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from tracker.commands import Context, print_json
from tracker.errors import DatabaseError
from tracker.store import backup as bk
from tracker.store.check import check as check_database

PROBLEM_EXIT = DatabaseError.EXIT_CODE
"""`tracker check` exits 5 when it finds a problem (0 when clean)."""


def _now(ctx: Context) -> datetime:
    """ctx.today with the current time of day (the date stays reproducible in tests)."""
    return datetime.combine(ctx.today, datetime.now().time().replace(microsecond=0))


def backup(args: argparse.Namespace, ctx: Context) -> int:
    """Copy the database to `--out` or `<db dir>/backups/tracker-YYYYMMDD-HHMMSS.db` (mode 0600).

    `--out` naming a directory (a USB stick's mount point) puts the dated file in it, as the
    default does in `backups/`, rather than trying to replace the directory.

    With `--auto`: nothing is written when a dated backup of today already exists (a message says
    so, exit 0); dated backups older than `--keep` days (default 30) are pruned either way.
    """
    db_path = bk.existing_database(ctx.db)
    zh = ctx.lang != "en"
    into = Path(args.out) if args.out and Path(args.out).is_dir() else None  # --out /mnt/usb: dated name there
    directory = into or (Path(args.out).parent if args.out else bk.default_backup_dir(db_path))
    keep = bk.DEFAULT_KEEP_DAYS if args.keep is None else args.keep
    if args.keep is not None and args.keep < 0:
        from tracker.errors import UsageError

        raise UsageError(f"--keep must be 0 or more days, not {args.keep}.",
                         zh=f"--keep 应为 0 或更大的天数, 不能是 {args.keep}。")
    if args.auto and (into or not args.out):
        existing = bk.has_backup_on(directory, ctx.today)
        if existing is not None:
            print(f"今天已有备份: {existing}; 本次跳过。" if zh else
                  f"today's backup already exists: {existing}; skipped.", file=ctx.out)
            _prune(directory, keep, ctx)
            return 0
    out = Path(args.out) if args.out and not into else bk.unique_path(directory, bk.backup_name(_now(ctx)))
    bk.backup(db_path, out)
    print(f"已备份: {out}" if zh else f"backup written: {out}", file=ctx.out)
    if args.auto or args.keep is not None:
        _prune(directory, keep, ctx)
    return 0


def _prune(directory: Path, keep: int, ctx: Context) -> None:
    for path in bk.prune(directory, keep_days=keep, today=ctx.today):
        print(f"已删除过期备份: {path}" if ctx.lang != "en" else f"removed old backup: {path}", file=ctx.out)


def _confirm(ctx: Context, info: bk.BackupInfo, db_path: Path) -> bool:
    zh = ctx.lang != "en"
    ctx.out.write(
        f"用备份 {info.path} ({info.plans}个计划, {info.tasks}项任务) 替换 {db_path}? "
        "当前数据库会另存一份。[y/N] " if zh else
        f"Replace {db_path} with the backup {info.path} ({info.plans} plans, {info.tasks} tasks)? "
        "The current database is kept aside. [y/N] ")
    ctx.out.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes", "是")


def restore(args: argparse.Namespace, ctx: Context) -> int:
    """Check FILE, ask (unless --yes), keep the current database aside, put the backup in place.

    A file that fails a check raises `BadInputError` (exit 3) before anything is touched; "no" at
    the prompt (or end of input) changes nothing and exits 0.
    """
    db_path = bk.database_file(ctx.db)
    zh = ctx.lang != "en"
    info = bk.verify_backup(Path(args.file))
    if not args.yes and not _confirm(ctx, info, db_path):
        print("未作任何修改。" if zh else "Nothing was changed.", file=ctx.out)
        return 0
    aside = bk.restore(Path(args.file), db_path, now=_now(ctx))
    if aside is None:
        print(f"已恢复: {db_path} ({info.tasks}项任务)" if zh else
              f"restored: {db_path} ({info.tasks} tasks)", file=ctx.out)
    else:
        print(f"已恢复: {db_path} ({info.tasks}项任务); 原数据库另存为 {aside}" if zh else
              f"restored: {db_path} ({info.tasks} tasks); the previous database is kept at {aside}",
              file=ctx.out)
    return 0


def check(args: argparse.Namespace, ctx: Context) -> int:
    """Run the integrity and consistency checks; print "正常: …" / "问题: … — 处理: …" lines
    ("ok: …" / "problem: … — do: …" with --lang en).

    Exit 0 when every check passes, 5 when any finds a problem. `--json` prints
    {"ok": bool, "database": path, "checks": [{"name", "ok", "count", "problem", "do"}]}: "name"
    is the check's stable English name, "problem" and "do" are in the user's language.
    `--repair` first recomputes the due dates (`_repair`), then checks as usual.
    """
    db_path = bk.database_file(ctx.db, refusal=(
        "tracker check reads SQLite files; on PostgreSQL the server keeps integrity (constraints, "
        "row-level security) — give a SQLite file with --db to check one.",
        "tracker check 只检查 SQLite 文件; PostgreSQL 由服务器自己保证完整性 (约束、行级安全) — "
        "要检查 SQLite 文件, 请用 --db 指定。"))
    if getattr(args, "repair", False):
        _repair(args, ctx, db_path)
    findings = check_database(db_path)
    clean = all(f.ok for f in findings)
    if args.json:
        print_json({"ok": clean, "database": str(db_path),
                    "checks": [{"name": f.name, "ok": f.ok, "count": f.count, "problem": f.problem_in(ctx.lang),
                                "do": f.do_in(ctx.lang)} for f in findings]}, ctx.out)
    elif ctx.lang == "en":
        for f in findings:
            print(f"ok: {f.name}" if f.ok else f"problem: {f.problem} — do: {f.do}", file=ctx.out)
    else:
        for f in findings:
            print(f"正常: {f.name_in('zh')}" if f.ok else f"问题: {f.problem_in('zh')} — 处理: {f.do_in('zh')}",
                  file=ctx.out)
    return 0 if clean else PROBLEM_EXIT


def _repair(args: argparse.Namespace, ctx: Context, db_path: Path) -> None:
    """Recompute every due date from the rules in one audited transaction (`tracker undo` knows it).

    Refused (`DatabaseError`, nothing written) while a problem the schedule cannot be recomputed over
    remains (damage, missing tables, unreadable dates or rules): the sentence names it and what to do.
    Prints one line saying what changed ("nothing to repair" when nothing did: no audit row then).
    """
    from tracker.commands.write_cmds import action
    from tracker.store.check import REFUSE_REPAIR, repair

    blocking = [f for f in check_database(db_path) if not f.ok and f.name in REFUSE_REPAIR]
    if blocking:
        first = blocking[0]
        raise DatabaseError(f"--repair cannot recompute the due dates while {first.problem}; first {first.do}.",
                            zh=f"{first.problem_in('zh')}, 因此 --repair 无法重算到期日; 请先处理: {first.do_in('zh')}。")
    with action(ctx, args, "repair") as session:
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        done = repair(session, raw)  # type: ignore[arg-type]  # the SQLite driver's own connection
        if done.total == 0:
            session.rollback()  # nothing changed: no audit line, so undo still undoes the last real change
    zh = ctx.lang != "en"
    stream = ctx.err if args.json else ctx.out  # --json keeps stdout one JSON document
    if done.total == 0:
        print("到期日与规则一致, 无需修复。" if zh else "the due dates already match the rules; nothing to repair.",
              file=stream)
    else:
        print(f"已按规则重算到期日: 补 {done.added}, 删 {done.removed}, 改 {done.changed}, 完成日期 {done.done_on}" if zh else
              f"due dates recomputed from the rules: {done.added} added, {done.removed} removed, "
              f"{done.changed} corrected, {done.done_on} first-completion dates reset", file=stream)
