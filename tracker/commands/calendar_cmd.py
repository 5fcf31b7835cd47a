"""`tracker calendar show|set|import`: the working-day calendar and the user's overrides.

`show YEAR` lists statutory holidays and make-up workdays (package data, then overrides, marked),
and says so when the package has no data for the year. `set DATE holiday|workday` (or 放假/休息,
上班/调休) and `import FILE` store overrides (one transaction; an import is all-or-nothing) and
recompute the deadlines they move; an override already set is "unchanged", not an error.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tracker.commands import Context, print_json
from tracker.dates import parse_date
from tracker.errors import BadInputError, UsageError

MESSAGES: dict[str, tuple[str, str]] = {
    "head": ("{year}年 工作日历", "{year} working-day calendar"),
    "holidays": ("法定节假日 (放假):", "statutory holidays (days off):"),
    "workdays": ("调休上班日:", "make-up workdays:"),
    "none": ("  (无)", "  (none)"),
    "override": (" [自定义]", " [override]"),
    "no_data": ("注意: 日历包没有{year}年的节假日安排 (国务院办公厅每年11月公布); 该年按周末计算, 期限为暂定。"
                "可用 tracker calendar set 或 tracker calendar import 补充。",
                "note: the calendar package has no holiday data for {year} (the State Council publishes it each "
                "November); that year is counted on weekends only and its deadlines are provisional. Add the "
                "arrangement with `tracker calendar set` or `tracker calendar import`."),
    "source": ("来源: {source}", "source: {source}"),
    "set": ("已设置: {day} {kind}{name}", "set: {day} {kind}{name}"),
    "set_same": ("未变化: {day} 已是{kind}{name}", "unchanged: {day} is already a {kind}{name}"),
    "imported": ("已导入 {n} 条日历设置 (来自 {file})", "imported {n} calendar overrides (from {file})"),
    "imported_some": ("已导入 {n} 条日历设置 (来自 {file}); 另有{same}条已是如此, 未变化",
                      "imported {n} calendar overrides (from {file}); {same} were already set and are unchanged"),
    "import_same": ("未变化: {file} 的 {same} 条日历设置均已存在", "unchanged: all {same} calendar overrides in "
                    "{file} are already set"),
    "import_empty": ("{file} 中没有日历设置行 (格式: 2027-01-01,放假,元旦); 未做任何修改",
                     "{file} has no calendar lines (like 2027-01-01,holiday,元旦); nothing was changed"),
    "holiday": ("放假", "holiday"),
    "workday": ("上班", "workday"),
}

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def _msg(ctx: Context, key: str, **values: object) -> str:
    zh, en = MESSAGES[key]
    return (en if ctx.lang == "en" else zh).format(**values)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Dispatch `calendar show|set|import`."""
    if args.calendar_command == "show":
        return show(args, ctx)
    if args.calendar_command == "set":
        return set_day(args, ctx)
    return import_file(args, ctx)


def _overrides(ctx: Context) -> dict[date, tuple[str, str]]:
    """Stored overrides (day → (kind, name)); none when there is no database yet."""
    from tracker.store import open_store
    from tracker.store.engine import sqlite_path

    path = sqlite_path(ctx.db)
    if path is not None and not path.exists():
        return {}
    from sqlalchemy import text

    store = open_store(ctx.db, create=False)
    try:
        with store.transaction(who="", action="read") as session:
            rows = session.execute(text("SELECT day, kind, name FROM calendaroverride")).all()
    finally:
        store.close()
    return {date.fromisoformat(str(d)): (k, n) for d, k, n in rows}


def show(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker calendar show YEAR [--json]`."""
    from tracker.calendar import WorkCalendar, source_notice

    if not 1900 <= args.year <= 2200:
        raise UsageError(f"{args.year} is not a plausible year; give one like 2027.",
                         zh=f"{args.year} 不是合理的年份; 请给出年份, 如 2027。")
    stored = _overrides(ctx)
    cal = WorkCalendar({d: k == "workday" for d, (k, _) in stored.items()})
    names = {d: n for d, (_, n) in stored.items()}

    def rows(items: list[tuple[date, str]]) -> list[dict[str, object]]:
        return [{"date": d.isoformat(), "weekday": d.isoweekday(), "name": names.get(d) or n,
                 "override": d in stored} for d, n in items]

    holidays, workdays = rows(cal.holidays(args.year)), rows(cal.makeup_workdays(args.year))
    has_data = cal.has_data(args.year)
    if args.json:
        print_json({"year": args.year, "has_data": has_data, "holidays": holidays, "makeup_workdays": workdays},
                   ctx.out)
        return 0
    print(_msg(ctx, "head", year=args.year), file=ctx.out)
    if not has_data:
        print(_msg(ctx, "no_data", year=args.year), file=ctx.out)
    else:
        print(_msg(ctx, "source", source=source_notice(args.year)), file=ctx.out)
    for title, items in (("holidays", holidays), ("workdays", workdays)):
        print(_msg(ctx, title), file=ctx.out)
        if not items:
            print(_msg(ctx, "none"), file=ctx.out)
        for item in items:
            day = date.fromisoformat(str(item["date"]))
            weekday = f"周{WEEKDAYS[day.weekday()]}" if ctx.lang != "en" else day.strftime("%a")
            mark = _msg(ctx, "override") if item["override"] else ""
            print(f"  {day} {weekday} {item['name']}{mark}", file=ctx.out)
    return 0


KINDS = {"holiday": "holiday", "放假": "holiday", "休息": "holiday", "休": "holiday",
         "workday": "workday", "上班": "workday", "调休": "workday", "班": "workday"}
"""The words a calendar override may be given in (the output says 放假 / 上班) → the stored kind.
调休 names the make-up working day, as the State Council's notices use it ("调休上班")."""


def _store_overrides(ctx: Context, args: argparse.Namespace, items: list[tuple[date, str, str]],
                     source: str = "") -> int:
    """Store the overrides in one transaction; return how many changed anything (the rest were
    already set, and wrote no audit row). Obligations are recomputed once, and only on a change.
    Several changes are one action whose audit line names them all (`undo` reverses them together)."""
    from tracker.commands.write_cmds import action
    from tracker.store.actions import (
        calendar_changes,
        calendar_summary,
        recompute_obligations,
        set_calendar_override,
    )
    from tracker.store.obligations import calendar_tasks

    with action(ctx, args, "calendar", create=True) as session:
        changes = calendar_changes(session, items)
        summary = calendar_summary(changes, source) if changes else None
        changed = sum(set_calendar_override(session=session, day=day, kind=kind, name=name, recompute_now=False,
                                            summary=summary)
                      for day, kind, name in items)
        if changed:
            recompute_obligations(session=session, task_ids=calendar_tasks(session))
    return changed


def kind_of(word: str) -> str:
    """holiday/workday or their Chinese words → the stored kind; `UsageError` naming the accepted words."""
    kind = KINDS.get(word.strip().lower())
    if kind is None:
        raise UsageError(f"“{word}” is not a kind of day; use holiday (放假, 休息) or workday (上班, 调休).",
                         zh=f"“{word}”不是有效的类型; 请用 holiday (放假, 休息) 或 workday (上班, 调休)。")
    return kind


def set_day(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker calendar set DATE holiday|workday|放假|休息|上班|调休 [--name 元旦]`; the same override
    again changes nothing and says so (exit 0)."""
    day = parse_date(args.date, today=ctx.today)
    kind = kind_of(args.kind)
    changed = _store_overrides(ctx, args, [(day, kind, args.name)])
    print(_msg(ctx, "set" if changed else "set_same", day=day, kind=_msg(ctx, kind),
               name=f" {args.name}" if args.name else ""), file=ctx.out)
    return 0


def parse_lines(text: str, source: str) -> list[tuple[date, str, str]]:
    """Lines "2027-01-01,holiday[,元旦]" → (day, kind, name); `BadInputError` names the first bad line.

    Blank lines and lines starting with # are skipped. Kinds: `KINDS` (holiday/workday, 放假/休息/休,
    上班/调休/班).
    """
    kinds = KINDS
    out: list[tuple[date, str, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        kind = kinds.get(parts[1].lower()) if len(parts) >= 2 else None
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            day = None
        if day is None or kind is None or len(parts) > 3:
            raise BadInputError(f"{source} line {number}: “{line}” is not DATE,holiday|workday[,name] "
                                "(e.g. 2027-01-01,holiday,元旦); nothing was imported.",
                                zh=f"{source} 第{number}行: “{line}”不符合 日期,放假|上班[,名称] 的格式 "
                                   "(如 2027-01-01,放假,元旦); 没有导入任何内容。")
        out.append((day, kind, parts[2] if len(parts) == 3 else ""))
    return out


def import_file(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker calendar import FILE`: all lines or none.

    The file's encoding is detected as a plan's is (`tracker.ingest.encoding`): a CSV saved by
    Excel or WPS on a Chinese system is GB18030. A file with no lines, or whose every line is
    already set, changes nothing, says so, and writes no audit row (exit 0).
    """
    from tracker.ingest.encoding import decode_bytes

    path = Path(args.file)
    if path.is_dir():
        raise BadInputError(f"{path} is a directory; give a file of lines like 2027-01-01,holiday,元旦.",
                            zh=f"{path} 是目录; 请给出每行形如 2027-01-01,放假,元旦 的文件。")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"no file at {path}; give a file of lines like 2027-01-01,holiday,元旦.",
                            zh=f"文件不存在: {path}; 请给出每行形如 2027-01-01,放假,元旦 的文件。") from None
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror or exc}.",
                            zh=f"无法读取 {path}: {exc.strerror or exc}。") from None
    items = parse_lines(decode_bytes(data, path.name).text, path.name)
    if not items:
        print(_msg(ctx, "import_empty", file=path.name), file=ctx.out)
        return 0
    changed = _store_overrides(ctx, args, items, path.name)
    same = len(items) - changed
    key = "imported" if not same else "imported_some" if changed else "import_same"
    print(_msg(ctx, key, n=changed, same=same, file=path.name), file=ctx.out)
    return 0
