"""`tracker users list|add-office NAME|add-user NAME [--admin]|grant USER OFFICE|revoke USER OFFICE`.

Offices and the people who may see them (`tracker.store.offices`). On PostgreSQL `add-user`
also creates the person's login role, and row-level security enforces the memberships; run these
as the schema's owner (the city's DBA account). On SQLite (one user) they are recorded but
nothing is enforced: every plan belongs to the "default" office.
"""

from __future__ import annotations

import argparse

from tracker.commands import Context, print_json
from tracker.errors import UsageError

_NEEDS = {"list": (0, ""), "add-office": (1, "NAME"), "add-user": (1, "NAME"), "grant": (2, "USER OFFICE"),
          "revoke": (2, "USER OFFICE")}


def _zh(ctx: Context, zh: str, en: str) -> str:
    return en if ctx.lang == "en" else zh


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run one users action in one transaction; print one line (or the listing). Returns 0.

    A wrong number of names is `UsageError` naming what the action needs; unknown users or offices
    are `NotFoundError` naming the known ones.
    """
    from tracker.store import offices, open_store

    count, shape = _NEEDS[args.action]
    if len(args.names) != count:
        raise UsageError(f"`tracker users {args.action}` takes {shape or 'no names'}; "
                         f"got {len(args.names)} name(s).",
                         zh=f"`tracker users {args.action}` {f'需要 {shape}' if shape else '不需要名称'}; "
                            f"实际给出了 {len(args.names)} 个名称。")
    if args.admin and args.action != "add-user":
        raise UsageError("--admin goes with add-user only.", zh="--admin 只能与 add-user 一起使用。")
    store = open_store(ctx.db)
    try:
        with store.transaction(who="admin", action="users") as session:
            if args.action == "list":
                office_names, users = offices.list_users(session=session)
            elif args.action == "add-office":
                offices.add_office(session=session, name=args.names[0])
                line = _zh(ctx, f"已添加单位: {args.names[0]}", f"office added: {args.names[0]}")
            elif args.action == "add-user":
                offices.add_user(session=session, name=args.names[0], admin=args.admin)
                kind = _zh(ctx, "管理员" if args.admin else "用户", "admin" if args.admin else "user")
                line = _zh(ctx, f"已添加{kind}: {args.names[0]}", f"{kind} added: {args.names[0]}")
            elif args.action == "grant":
                done = offices.grant(session=session, user=args.names[0], office=args.names[1])
                line = _zh(ctx, f"{args.names[0]} {'现可' if done else '已可'}访问 {args.names[1]}",
                           f"{args.names[0]} {'may now' if done else 'already may'} use {args.names[1]}")
            else:
                done = offices.revoke(session=session, user=args.names[0], office=args.names[1])
                line = _zh(ctx, f"{args.names[0]} {'已不能' if done else '本就不能'}访问 {args.names[1]}",
                           f"{args.names[0]} {'may no longer' if done else 'could not'} use {args.names[1]}")
    finally:
        store.close()
    if args.action != "list":
        print(line, file=ctx.out)
        return 0
    if args.json:
        print_json({"offices": office_names,
                    "users": [{"name": u.name, "admin": u.is_admin, "offices": list(u.offices)} for u in users]},
                   ctx.out)
        return 0
    print(_zh(ctx, "单位: ", "offices: ") + ("、".join(office_names) or "-"), file=ctx.out)
    for u in users:
        role = _zh(ctx, " (管理员, 可见全部)", " (admin, sees all)") if u.is_admin else ""
        print(f"{u.name}{role}: {'、'.join(u.offices) or '-'}", file=ctx.out)
    if not users:
        print(_zh(ctx, "还没有用户; 用 tracker users add-user NAME 添加。",
                  "no users yet; add one with tracker users add-user NAME."), file=ctx.out)
    return 0
