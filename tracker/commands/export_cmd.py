"""`tracker export` (the monthly ledger) and `tracker import-progress` (the offices' ledgers back).

The entry-point edge of tracker.export: resolves the as-of date (from --month/--as-of or today),
the plan and the unit, prints one line about what was written, and for import-progress shows
every change before applying it in one transaction (asks unless --yes).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import query
from tracker.commands import Context
from tracker.dates import month_end, parse_date, parse_month
from tracker.errors import BadInputError, ConflictError, TrackerError, UsageError
from tracker.export import export_ledger

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tracker.export.data import PlanStamp
    from tracker.export.progress import Refusal, Returned
    from tracker.model import TaskView


def _day(day: date, lang: str) -> str:
    return day.isoformat() if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def _as_of(args: argparse.Namespace, ctx: Context) -> tuple[date, str | None]:
    """The ledger's date, and a note for the output line when it is not what was literally asked.

    The ledger records what has happened, so it is never dated after today: `--month` of a month
    still running is as of today (its month end would show a task due later this month as 逾期
    and age everything to a day not yet come), a month over is as of its last day, and a month
    not begun — or an `--as-of` after today — is refused (exit 2).
    """
    if args.month is not None and args.as_of is not None:
        raise UsageError("give either --month or --as-of, not both.", zh="--month 和 --as-of 只能给出一个。")
    today, en = ctx.today, ctx.lang == "en"
    if args.month is not None:
        year, month = parse_month(args.month)
        if date(year, month, 1) > today:
            raise UsageError(f"{year:04d}-{month:02d} has not begun (today is {today.isoformat()}); a ledger "
                             "records what has happened: export this month's (tracker export) or an earlier one.",
                             zh=f"{year}年{month}月还没有开始 (今天是{_day(today, 'zh')}); 台账只记录已经发生的事: "
                                "请导出本月 (tracker export) 或更早的月份。")
        end = month_end(year, month)
        if end <= today:
            return end, None
        return today, (f"today: {year:04d}-{month:02d} is not over yet" if en else f"即今天: {month}月尚未结束")
    if args.as_of is not None:  # an empty --as-of "" is refused by parse_date, not read as today
        day = parse_date(args.as_of, today=today)
        if day > today:
            raise UsageError(f"--as-of {day.isoformat()} is after today ({today.isoformat()}); a ledger records "
                             f"what has happened. To see what falls due by then: tracker tasks --as-of {day.isoformat()}.",
                             zh=f"--as-of {day.isoformat()} 在今天 ({_day(today, 'zh')}) 之后; 台账只记录已经发生的事。"
                                f"要查看届时到期的事项: tracker tasks --as-of {day.isoformat()}。")
        return day, None
    return today, None


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Write the ledger as of a date; print where it went (and why, if not where asked)."""
    as_of, why = _as_of(args, ctx)
    if args.owner and args.for_owner and args.owner != args.for_owner:
        raise UsageError("--owner and --for-owner name different units; give one of them.",
                         zh="--owner 和 --for-owner 指定了不同的单位; 请只给出其中一个。")
    with query.sql_errors():  # a value stored damaged is one sentence naming `tracker check`, not a crash
        result = export_ledger(ctx.db, as_of=as_of, plan=args.plan, owner=args.for_owner or args.owner,
                               for_owner=bool(args.for_owner), out=Path(args.out) if args.out else None)
    zh = ctx.lang != "en"
    if result.reason:
        note = (f"注意: {result.requested} 无法覆盖 ({result.why(ctx.lang)}), 已改写到 {result.path}" if zh
                else f"note: {result.requested} was not overwritten ({result.reason}); wrote {result.path}")
        print(note, file=ctx.err)
    day = _day(as_of, ctx.lang) + (f", {why}" if why else "")
    print(f"已导出工作台账: {result.path} ({result.rows}项任务, 截至{day})" if zh else
          f"ledger written: {result.path} ({result.rows} tasks, as of {day})", file=ctx.out)
    return 0


def _confirm(ctx: Context) -> bool:
    ctx.out.write("应用以上修改? [y/N] " if ctx.lang != "en" else "Apply these changes? [y/N] ")
    ctx.out.flush()
    answer = sys.stdin.readline()
    if not answer:  # end of input: end the prompt's line before what follows
        ctx.out.write("\n")
    return answer.strip().lower() in ("y", "yes", "是")


def _at_terminal() -> bool:
    """True when someone can answer the y/N question (stdin is a terminal)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # stdin closed or replaced by something without isatty
        return False


def _not_confirmed(ctx: Context, rows: int, name: str) -> int:
    """Nothing applied because no one said yes: exit 0 at a terminal (the user's choice), else 6.

    Without a terminal (cron, a pipe, a script) the question reads end-of-input: the rows were
    not applied though nobody decided so, and exit 0 would let a script believe they were.
    """
    print("未作任何修改。" if ctx.lang != "en" else "Nothing was changed.", file=ctx.out)
    if _at_terminal():
        return 0
    raise ConflictError(f"{rows} row(s) of {name} were not applied: there is no terminal to confirm "
                        "them; run again with --yes to apply them.",
                        zh=f"{name} 的 {rows} 行未应用: 当前不在交互式终端中, 无法逐项确认; 请加 --yes 重新运行以应用。")


def _load_current(ctx: Context, returned: Returned) -> tuple[dict[int, TaskView], frozenset[int],
                                                              dict[int, PlanStamp],
                                                              dict[tuple[int, str], date], dict[int, int]]:
    """The database's side: the rows' tasks as they are now, the removed ones, the recorded plans,
    the date of the event that started each after-event obligation of those tasks
    ((requirement id, key) → date: a completion dated before it is refused, that row only), and
    each plan's year (id → year: so is a completion dated before it)."""
    from tracker.export.data import plan_stamps

    conn = query.connect(ctx.db)
    try:
        ids = sorted({r.row_id.task_id for r in returned.rows})
        current = {t.task_id: t for t in query.tasks_by_ids(conn, ids, as_of=ctx.today)}
        removed = frozenset(row[0] for row in conn.execute(
            "SELECT id FROM task WHERE removed = 1 AND id IN (SELECT value FROM json_each(?))",
            ("[" + ",".join(map(str, ids)) + "]",)))
        stored = plan_stamps(conn, {p.plan_id for p in returned.plans})
        started = {(int(rid), str(key)): date.fromisoformat(str(on)[:10])
                   for rid, key, on in conn.execute(
                       'SELECT o.requirement_id, o.key, e."on" FROM obligation o JOIN event e ON e.id = o.event_id '
                       "JOIN requirement r ON r.id = o.requirement_id "
                       "WHERE r.task_id IN (SELECT value FROM json_each(?))",
                       ("[" + ",".join(map(str, ids)) + "]",))}
        years = {int(plan_id): int(year) for plan_id, year in conn.execute("SELECT id, year FROM plan")}
    finally:
        conn.close()
    return current, removed, stored, started, years


def import_progress(args: argparse.Namespace, ctx: Context) -> int:
    """Show what a returned ledger changes, ask (unless --yes), apply in one transaction.

    A workbook exported from another database or plan is refused whole first (exit 3). Exit 0
    when every changed row was applied (or nothing changed, or was already applied by an earlier
    import of the same workbook, or the user said no at a terminal).
    Rows refused are listed and nothing of them is written; the others are applied: exit 3 when
    every refused row is filled in wrongly (to be corrected and imported again), exit 6 (conflict)
    when any refused row's task changed in tracker since the export (to be re-exported) — or when
    nothing was applied because stdin is not a terminal and --yes was not given.
    """
    from tracker.export.progress import (
        apply_plan,
        check_belongs,
        describe,
        plan_import,
        read_returned,
    )

    path = Path(args.file)
    returned = read_returned(path)
    current, removed, stored, started, years = _load_current(ctx, returned)
    check_belongs(returned, stored, current, path.name)
    plan = plan_import(returned, current, today=ctx.today, removed=removed, started=started,
                       plan_years=years)
    zh = ctx.lang != "en"
    for line in describe(plan, ctx.lang):
        print(line, file=ctx.out)
    if plan.changes:
        if not args.yes and not _confirm(ctx):
            return _not_confirmed(ctx, len(plan.changes), path.name)
        from tracker.store import open_store

        store = open_store(ctx.db, create=False)
        try:
            who = os.environ.get("USER") or "coordinator"
            with store.transaction(who=who, action="import-progress") as session:
                notes, done = apply_plan(session, plan, today=ctx.today)
        finally:
            store.close()
        print(f"已导入 {len(plan.changes)} 行: 进展 {notes} 条, 完成 {done} 项。" if zh else
              f"applied {len(plan.changes)} row(s): {notes} note(s), {done} completion(s).", file=ctx.out)
    elif not plan.refused:
        print("没有需要导入的修改。" if zh else "Nothing to import: no row was changed.", file=ctx.out)
    if plan.refused:
        raise _refused(plan.refused, path.name, applied=bool(plan.changes))
    return 0


def _refused(refused: Sequence[Refusal], name: str, *, applied: bool) -> TrackerError:
    """The closing sentence for rows not applied, by what kept them out (`Refusal.conflict`).

    A row filled in wrongly (a 完成日期 of 2024-13-01) is the office's typo: correct it and import
    again, exit 3 (bad input) — re-exporting would not help. A row whose task changed in tracker
    since the export is a conflict: export again and re-enter it, exit 6. Both kinds: both said,
    exit 6 (the re-export takes the corrections too).
    """
    conflicts = sum(1 for r in refused if r.conflict)
    invalid = len(refused) - conflicts
    if not conflicts:
        # importing the corrected workbook again: the rows applied now are counted then as already
        # imported (their content is what tracker holds), not entered twice nor refused
        again, again_zh = ((" (the rows applied now will then be counted as already imported, not entered "
                            "twice)", " (本次已应用的行届时会计为已导入过, 不会重复写入)") if applied else ("", ""))
        return BadInputError(f"{invalid} row(s) of {name} were not applied: they are filled in wrongly (listed "
                             f"above); correct them as each line says and import the workbook again{again}.",
                             zh=f"{name} 有 {invalid} 行填写有误, 未应用 (见上); "
                                f"请按各行的说明改正这些行后再导入一次{again_zh}。")
    if not invalid:
        return ConflictError(f"{conflicts} row(s) of {name} were not applied (listed above); export again "
                             "and re-enter them.",
                             zh=f"{name} 有 {conflicts} 行未应用 (见上); 请重新导出台账后重新填写这些行。")
    return ConflictError(f"{len(refused)} row(s) of {name} were not applied (listed above): {conflicts} because "
                         f"their tasks changed in tracker since the export, {invalid} filled in wrongly; export "
                         "again and re-enter them, correcting the wrong ones as each line says.",
                         zh=f"{name} 有 {len(refused)} 行未应用 (见上): {conflicts} 行的任务在导出后已在 tracker 中"
                            f"被修改, {invalid} 行填写有误; 请重新导出台账后重新填写这些行, "
                            "并按各行的说明改正填写有误的行。")
