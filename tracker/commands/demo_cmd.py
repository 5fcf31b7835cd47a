"""`tracker demo [--force]`: a fresh database with the example plan and a few months of progress.

The Jining 2024 plan (plans/2024-jining-minzheng.txt) is imported, owners are assigned and a
plausible history is recorded — one audited action per step, dated on the day it happened — so
that every status shows at once, both as of 2024-07-01 and as of the real today:

| task | as of 2024-07-01 | as of today (any day after 2024) |
|---|---|---|
| 8 政策评价 (first of 2 due 06-30, not done) | overdue | overdue |
| 12 网站检查 (Q1 done 03-28, Q2 not done) | overdue | overdue |
| 6 政策解读 (文件发布 06-28 → due 07-03; 09-27 → 10-08; one the day before today) | due soon | due soon |
| 1 重点任务公开 (ongoing, a note this month) | on track | on track |
| 2, 3, 5, 7, 9, 10, 14 (ongoing, no note this month) | no update | no update |
| 13 听取汇报 (rule 1 done 2025-01-10, rule 2 waived as a duplicate) | on track | done late |
| 4 基础信息 (rule corrected to 3月底前, done 04-08) | done late | done late |
| 15 投稿 (one per unit, three units, all done in June) | done | done |
| 11 网站功能 (waived: done by the city's platform) | waived | waived |

An existing database is never replaced without --force.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.commands import Context
from tracker.errors import BadInputError, DatabaseError, UsageError

if TYPE_CHECKING:
    from tracker.model import PlanDraft
    from tracker.store.engine import Store

PLAN_FILE = Path(__file__).resolve().parents[2] / "plans" / "2024-jining-minzheng.txt"
"""The example plan, shipped in the repository's plans/ directory."""

OFFICE, POLICY, ELDER, AID, CHILD, NGO = "局办公室", "政策法规科", "养老服务科", "社会救助科", "儿童福利科", "社会组织管理科"

OWNERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "1": ((OFFICE,), ()), "2": ((OFFICE,), (ELDER, AID, CHILD)), "3": ((OFFICE,), (POLICY, NGO)),
    "4": ((OFFICE,), (POLICY,)), "5": ((OFFICE,), (POLICY,)), "6": ((OFFICE,), (POLICY,)),
    "7": ((POLICY,), (OFFICE,)), "8": ((POLICY,), (OFFICE,)), "9": ((OFFICE,), ()),
    "10": ((OFFICE,), (POLICY,)), "11": ((OFFICE,), ()), "12": ((OFFICE,), ()), "13": ((OFFICE,), ()),
    "14": ((OFFICE,), (ELDER, AID)), "15": ((OFFICE,), (POLICY, ELDER)),
}
"""Task number → (lead, support): the office leads most tasks; task 15 has three units."""

EMAILS = {OFFICE: "bgs@mzj.example.gov.cn", POLICY: "zcfg@mzj.example.gov.cn", ELDER: "ylfw@mzj.example.gov.cn"}

MESSAGE = ("演示数据库已建好: {db}\n"
           "  计划 1: {title} — {tasks}项任务, 已指定责任单位并记录了几个月的进展。\n"
           "  试试: tracker tasks --as-of 2024-07-01 · tracker show 8 · tracker tui")
MESSAGE_EN = ("demo database ready: {db}\n"
              "  plan 1: {title} — {tasks} tasks, owners assigned, a few months of progress recorded.\n"
              "  try: tracker tasks --as-of 2024-07-01 · tracker show 8 · tracker tui")


def _fresh_path(ctx: Context, force: bool) -> Path:
    from tracker.store.engine import sqlite_path

    path = sqlite_path(ctx.db)
    if path is None:
        raise UsageError(f"the demo needs a SQLite file; {ctx.db} is not one. Give --db demo.db.",
                         zh=f"演示需要一个 SQLite 数据库文件, {ctx.db} 不是; 请用 --db demo.db。")
    if path.is_dir():  # --force would otherwise try to unlink it: IsADirectoryError, exit 70
        # exit 5, as every other command given a directory for its database
        raise DatabaseError(f"{path} is a directory; give the demo a database file, e.g. --db {path / 'demo.db'}.",
                         zh=f"{path} 是目录; 请为演示指定一个数据库文件, 如 --db {path / 'demo.db'}。")
    if path.exists():
        if not force:
            raise UsageError(f"{path} already exists; the demo would replace it. Add --force to do so, "
                             "or give another file with --db.",
                             zh=f"{path} 已存在, 演示会替换它。要替换请加 --force, 或用 --db 指定另一个文件。")
        for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            extra.unlink(missing_ok=True)
    return path


def _previous_workday(day: date) -> date:
    from tracker.calendar import WorkCalendar

    cal = WorkCalendar()
    day -= timedelta(days=1)
    while not cal.is_workday(day):
        day -= timedelta(days=1)
    return day


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Build the demo database at ctx.db (refusing to replace one without --force)."""
    from tracker.store import open_store
    from tracker.store.importer import read_plan

    if not PLAN_FILE.exists():
        raise BadInputError(f"the example plan is missing ({PLAN_FILE}); run the demo from a tracker checkout.",
                            zh=f"示例计划文件不存在 ({PLAN_FILE}); 请在 tracker 的源代码目录中运行演示。")
    path = _fresh_path(ctx, args.force)
    draft, _ = read_plan(PLAN_FILE)
    store = open_store(str(path))
    try:
        _build(store, draft, ctx.today)
    except BaseException:
        store.close()
        path.unlink(missing_ok=True)
        raise
    store.close()
    text = MESSAGE_EN if ctx.lang == "en" else MESSAGE
    print(text.format(db=path, title=draft.title, tasks=len(draft.tasks)), file=ctx.out)
    return 0


def _now() -> datetime:
    """The real clock (UTC), which every later change is stamped by."""
    return datetime.now(UTC)


def _step(store: Store, day: date, action: str, fn: Callable[..., object], task: str | None = None,
          **kw: object) -> object:
    """One audited action, recorded as done by "demo" on `day` at 09:00 Beijing time (01:00 UTC) —
    or now, when that is earlier: today's note, made before 09:00, would otherwise be stamped in
    the future, after the changes the user makes next, and `tracker log` (newest first by time)
    would list it above them."""
    from tracker.store.actions import find_task

    when = min(datetime.combine(day, time(1, 0), tzinfo=UTC), _now())
    with store.transaction(who="demo", action=action, now=when) as session:
        if task is not None:
            kw["task"] = find_task(session=session, ref=task)
        return fn(session=session, **kw)


def _build(store: Store, draft: PlanDraft, today: date) -> None:
    from tracker.store import actions as a

    d = date
    _step(store, d(2024, 2, 20), "import", a.import_plan, draft=draft, source_name=PLAN_FILE.name)
    for number, (lead, support) in OWNERS.items():
        _step(store, d(2024, 2, 21), "assign", a.assign_owners, number, lead=lead, support=support)
    for unit, email in EMAILS.items():
        _step(store, d(2024, 2, 21), "owners", a.set_owner_email, name=unit, email=email)
    _step(store, d(2024, 2, 22), "rule", a.correct_rule, "4", rule=1, add=False, remove=False,
          changes={"kind": "deadline", "month": 3, "day": 31, "what": "调整并公开权责清单和机构职能信息"})
    _step(store, d(2024, 3, 15), "note", a.add_note, "2", text="已在网站推送老年助餐、孤儿助学政策解读6篇", on=d(2024, 3, 15))
    _step(store, d(2024, 3, 28), "done", a.mark_done, "12", rule=1, on=d(2024, 3, 28),
          evidence="一季度网站内容检索检查记录 (检查栏目42个, 整改3处)")
    _step(store, d(2024, 4, 8), "done", a.mark_done, "4", rule=1, on=d(2024, 4, 8),
          evidence="http://mzj.jining.gov.cn/col/qzqd (权责清单已更新)")
    _step(store, d(2024, 4, 15), "waive", a.waive, "11", rule=1, on=d(2024, 4, 15),
          reason="网站适老化改造由市大数据局统一实施, 本局无需单独开展")
    _step(store, d(2024, 5, 6), "waive", a.waive, "13", rule=2, on=d(2024, 5, 6),
          reason="与规则1重复 (同一句话解析出两条)")
    _step(store, d(2024, 5, 20), "note", a.add_note, "5", text="清理失效文件12件, 已更新有效性标注", on=d(2024, 5, 20))
    _step(store, d(2024, 5, 31), "note", a.add_note, "8", text="已选定养老服务补贴政策作为第一次评价对象, 正在组织问卷",
          on=d(2024, 5, 31))
    for day, unit in ((d(2024, 6, 10), OFFICE), (d(2024, 6, 15), POLICY), (d(2024, 6, 20), ELDER)):
        _step(store, day, "done", a.mark_done, "15", rule=1, on=day, owner=unit, evidence=f"{unit}投稿《政务公开看山东》")
    _step(store, d(2024, 6, 28), "event", a.log_event, "6", on=d(2024, 6, 28), ref="济民发〔2024〕8号", rule=None)
    _step(store, d(2024, 7, 1), "note", a.add_note, "1", text="7月公开民生实事进展2条", on=d(2024, 7, 1))
    _step(store, d(2024, 7, 2), "done", a.mark_done, "6", rule=1, on=d(2024, 7, 2), evidence="解读材料已关联发布")
    _step(store, d(2024, 9, 27), "event", a.log_event, "6", on=d(2024, 9, 27), ref="济民发〔2024〕12号", rule=None)
    _step(store, d(2024, 10, 8), "done", a.mark_done, "6", rule=1, on=d(2024, 10, 8), evidence="图文解读已发布")
    _step(store, d(2025, 1, 10), "done", a.mark_done, "13", rule=1, on=d(2025, 1, 10),
          evidence="局长办公会议纪要 (2025年第1次) — 补听2024年度汇报")
    if today > d(2025, 1, 10):
        recent = _previous_workday(today)
        _step(store, recent, "event", a.log_event, "6", on=recent, ref=f"济民发〔{recent.year}〕3号", rule=None)
        _step(store, today, "note", a.add_note, "1", text=f"{today.month}月公开重点工作进展1条", on=today)
