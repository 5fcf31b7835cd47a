"""`tracker import FILE [--year N] [--dry-run] [--json]`: read, parse and store a plan in one transaction.

Importing the same file again changes nothing and says so; a revised plan reports the tasks added,
changed and removed (and with --dry-run only reports them, writing nothing — not even a new
database file).
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.commands import Context, print_json
from tracker.errors import UsageError
from tracker.notes import shown

if TYPE_CHECKING:
    from tracker.store.importer import ImportReport

MESSAGES: dict[str, tuple[str, str]] = {
    "created": ("已导入计划 {id}: {title} — {tasks}项任务, {sections}个板块, {rules}条规则 ({obligations}项应办事项)",
                "imported plan {id}: {title} — {tasks} tasks, {sections} sections, {rules} rules "
                "({obligations} obligations)"),
    "would_create": ("(试运行) 将导入新计划: {title} — {tasks}项任务, {sections}个板块, {rules}条规则; 未写入任何内容",
                     "(dry run) would import a new plan: {title} — {tasks} tasks, {sections} sections, "
                     "{rules} rules; nothing written"),
    "unchanged": ("未变化: {title} 已导入 (计划 {id}); 无需操作", "unchanged: {title} is already imported (plan {id}); "
                  "nothing to do"),
    "updated": ("已更新计划 {id}: {title} — 新增{added}, 修改{changed}, 移除{removed} (完成记录、进展和手工修正均保留)",
                "updated plan {id}: {title} — {added} added, {changed} changed, {removed} removed "
                "(completions, notes and manual corrections kept)"),
    "would_update": ("(试运行) 计划 {id}: {title} 将新增{added}, 修改{changed}, 移除{removed}; 未写入任何内容",
                     "(dry run) plan {id}: {title} would get {added} added, {changed} changed, {removed} removed; "
                     "nothing written"),
    "warning": ("注意: {text}", "warning: {text}"),
    "warnings_kept": ("(首次导入时显示过的 {n} 条解析提示不再重复; 用 `tracker parse {file}` 查看)",
                      "({n} parser warning(s) shown at the first import are not repeated; "
                      "`tracker parse {file}` shows them)"),
}


def _msg(ctx: Context, name: str, **values: object) -> str:
    zh, en = MESSAGES[name]
    return (en if ctx.lang == "en" else zh).format(**values)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Import (or with --dry-run preview) the plan in FILE."""
    # sqlmodel ~335 ms: imported here, not at module level.
    from tracker.commands.write_cmds import who
    from tracker.store import open_store
    from tracker.store.actions import import_plan
    from tracker.store.engine import sqlite_path
    from tracker.store.importer import read_plan

    _check_year(args.year)
    path = Path(args.file)
    draft, warnings = read_plan(path)
    target = ctx.db
    db_file = sqlite_path(ctx.db)
    if args.dry_run and db_file is not None and not db_file.exists():
        target = "sqlite://"  # nothing stored yet: preview against an empty in-memory database
    store = open_store(target, create=True)
    try:
        with store.transaction(who=who(args), action="import") as session:
            report = import_plan(session=session, draft=draft, source_name=path.name, year=args.year,
                                 dry_run=args.dry_run)
            if args.dry_run:
                session.rollback()
    finally:
        store.close()
    if report.unchanged and warnings:
        # said at the first import; again on every unchanged re-import (a cron line, a habit) they
        # are noise, and a rule corrected since with `tracker rule` would still be warned about
        print(_msg(ctx, "warnings_kept", n=len(warnings), file=path), file=ctx.err)
    else:
        for text in warnings:  # after the import: a failed import shows only its error
            print(_msg(ctx, "warning", text=shown(text, ctx.lang)), file=ctx.err)
    if args.json:
        print_json(dataclasses.asdict(report), ctx.out)
    else:
        _print(ctx, report)
    return 0


FIRST_PLAN_YEAR, LAST_PLAN_YEAR = 2000, 2199
"""The years `--year` may give: 政务公开 plans start in the 2000s, and tracker's dates end in 2199
(`tracker.dates.LAST_YEAR`); --year 9999 once overflowed the schedule (exit 70)."""


def _check_year(year: int | None) -> None:
    """--year, when given, is a plan's year (0 is refused, not read as "not given")."""
    if year is not None and not FIRST_PLAN_YEAR <= year <= LAST_PLAN_YEAR:
        raise UsageError(f"--year {year} is not a plan's year; give one in {FIRST_PLAN_YEAR}–{LAST_PLAN_YEAR}, "
                         "e.g. --year 2024.",
                         zh=f"--year {year} 不是有效的计划年度; 请给出 {FIRST_PLAN_YEAR}–{LAST_PLAN_YEAR} "
                            "之间的年份, 如 --year 2024。")


def _print(ctx: Context, r: ImportReport) -> None:
    values = {"id": r.plan_id, "title": r.title, "tasks": r.tasks, "sections": r.sections, "rules": r.rules,
              "obligations": r.obligations, "added": len(r.added), "changed": len(r.changed),
              "removed": len(r.removed)}
    if r.unchanged:
        print(_msg(ctx, "unchanged", **values), file=ctx.out)
        return
    if r.created:
        print(_msg(ctx, "would_create" if r.dry_run else "created", **values), file=ctx.out)
        return
    print(_msg(ctx, "would_update" if r.dry_run else "updated", **values), file=ctx.out)
    for sign, names in (("+", r.added), ("~", r.changed), ("-", r.removed)):
        for name in names:
            print(f"  {sign} {name}", file=ctx.out)
