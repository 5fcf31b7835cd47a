"""`tracker migrate SOURCE_URL TARGET_URL [--office NAME]`: copy an office's database into the shared one.

An office can start alone on SQLite and join the city's PostgreSQL later: this copies what the
target lacks (`tracker.store.transfer`), in one transaction, and prints how many rows of each
table it copied. Re-running copies only what is new; a second run right after the first copies
nothing. Both databases are brought to the current schema first. `--office` must name an office
the target has (`tracker users add-office NAME` adds one): a misspelt name is refused, naming the
target's offices, instead of creating an office nobody is granted.
"""

from __future__ import annotations

import argparse

from tracker.commands import Context
from tracker.errors import UsageError

TABLES_ZH = {"office": "机关", "plan": "计划", "section": "板块", "owner": "单位", "task": "任务",
             "taskowner": "责任单位分配", "requirement": "规则", "event": "事件", "completion": "完成记录",
             "waiver": "不适用记录", "progressnote": "进展", "calendaroverride": "日历调整",
             "sentreminder": "提醒发送记录", "auditentry": "操作记录"}
"""The copied tables as a Chinese user names what they hold (the English line keeps the table names)."""


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Copy SOURCE into TARGET and print one line naming each table that received rows and how many
    (or "nothing new").

    The same database on both sides is `UsageError`; a missing source file is `DatabaseError`.
    """
    from tracker.store import open_store
    from tracker.store.transfer import copy_database

    if args.source.strip() == args.target.strip():
        raise UsageError("the source and the target are the same database; name two different ones.",
                         zh="源数据库和目标数据库是同一个; 请指定两个不同的数据库。")
    source = open_store(args.source, create=False)
    try:
        target = open_store(args.target)
        try:
            with source.engine.connect() as src, \
                    target.transaction(who="migrate", action="migrate") as session:
                counts = copy_database(src, session, office=args.office,
                                       create_office=bool(getattr(args, "create_office", False)))
            if any(counts.values()) and target.engine.dialect.name == "postgresql":
                # fresh statistics for the planner after a bulk copy (autovacuum would take a while)
                with target.engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
        finally:
            target.close()
    finally:
        source.close()
    copied = {name: n for name, n in counts.items() if n}
    zh = ctx.lang != "en"
    if not copied:
        print("没有需要复制的新数据。" if zh else "nothing new to copy.", file=ctx.out)
        return 0
    if zh:
        print("已复制: " + ", ".join(f"{TABLES_ZH.get(name, name)} {n}" for name, n in copied.items()), file=ctx.out)
    else:
        print("copied: " + ", ".join(f"{name} {n}" for name, n in copied.items()), file=ctx.out)
    return 0
