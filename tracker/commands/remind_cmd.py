"""`tracker remind`: what is overdue or due soon, per owner — printed as text or JSON, or mailed.

Made for cron: it prints nothing (exit 0) when nothing is due and on non-working days (weekends
and statutory holidays; make-up workdays speak), so cron's own mail fires only when there is
something to say. Its path imports argparse, sqlite3 and the pure core only — no ORM, UI or
spreadsheet library (a subprocess test checks `sys.modules`). Exit codes: 0 ok (or nothing to
say), 1 something is overdue and `--fail-on-overdue` was given, 7 a mail could not be sent (it is
retried on the next run), 2/4/5 bad option / unknown plan or owner / database trouble.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime

from tracker.commands import Context, no_cycle_collection
from tracker.errors import DeliveryError
from tracker.remind import Digest, collect_reminders
from tracker.remind.render import FORMATTERS, digest_object, dump_json, text


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Build today's digest and print or mail it; the exit code says whether anything is overdue."""
    with no_cycle_collection():
        return _run(args, ctx)


def _run(args: argparse.Namespace, ctx: Context) -> int:
    from tracker.dates import check_window, parse_date

    # `is not None`: an empty --as-of "" is refused by parse_date, never read as today
    as_of = parse_date(args.as_of, today=ctx.today) if args.as_of is not None else ctx.today
    check_window(args.within, "--within")
    check_window(args.escalate_after, "--escalate-after")
    digest, workday = _digest(args, ctx, as_of)
    if args.format == "json" and not (args.mail or args.dry_run):
        ctx.out.write(dump_json(digest_object(digest, workday=workday)))
    elif not workday or digest.empty:
        return 0
    elif args.mail or args.dry_run:
        _mail(args, ctx, digest)
    else:
        ctx.out.write(FORMATTERS[args.format](ctx.lang).digest(digest))
    return 1 if args.fail_on_overdue and digest.overdue else 0


def _digest(args: argparse.Namespace, ctx: Context, as_of: date) -> tuple[Digest, bool]:
    """Read the database (plain sqlite3 through tracker.query) → (digest, whether as_of is a workday)."""
    from tracker import query
    from tracker.query.reminders import owner_emails, reminder_rows
    from tracker.query.stored import unit_names, units_named

    conn = query.connect(ctx.db)
    with query.sql_errors():
        try:
            # a typo in --plan or --owner is an error on any day, not only on working days
            plan_id = query.resolve_plan(conn, args.plan).plan_id if args.plan else None
            owner = query.check_owner(conn, args.owner) if args.owner is not None else None
            calendar = query.load_calendar(conn)
            if not calendar.has_data(as_of.year) and not calendar.has_overrides(as_of.year):
                # kept as documented (weekends alone), but said: 2027-01-01 would speak as a Friday
                print(text("no_holiday_data", ctx.lang, year=as_of.year, d=as_of.isoformat()), file=ctx.err)
            empty = Digest(as_of=as_of, within=args.within, escalate_after=args.escalate_after)
            if not args.every_day and not calendar.is_workday(as_of):
                return empty, False
            names = unit_names(conn)  # how units are named, read once for all that follows
            # the groups it keeps: every office's unit of that name (or the one its label names)
            units = {shown for _, shown in units_named(conn, owner, names)} if owner is not None else None
            emails = owner_emails(conn, names)
            # Only the open overdue and due-soon obligations, in one indexed query: no task views
            # (a city has ~100k obligations; building views for the tasks holding them cost ~1 s).
            rows = reminder_rows(conn, as_of=as_of, calendar=calendar, within=args.within,
                                 plan_id=plan_id, owner=owner, lang=ctx.lang, names=names)
        finally:
            conn.close()
    digest = collect_reminders(rows, as_of=as_of, calendar=calendar, emails=emails, within=args.within,
                               escalate_after=args.escalate_after, owner=units)
    return digest, True


def _mail(args: argparse.Namespace, ctx: Context, digest: Digest) -> None:
    """Send (or with --dry-run, show) the owners', coordinator's and leadership's messages."""
    from tracker.remind.config import load_settings
    from tracker.remind.mail import check_sendable, deliver, plan_messages, preview

    settings = load_settings()
    mails, notes = plan_messages(digest, settings, lang=ctx.lang)
    if mails and not args.dry_run:
        check_sendable(settings)  # a run that cannot send says only that, not the notes too
    for note in notes:  # stderr: cron's `--mail >/dev/null` mails only what goes there
        print(note, file=ctx.err)
    if args.dry_run:
        if mails:
            ctx.out.write(preview(mails, db=ctx.db, day=digest.as_of, force=args.force,
                                  lang=ctx.lang))
        return
    if not mails:
        return
    report = deliver(mails, settings, db=ctx.db, day=digest.as_of, now=datetime.now(UTC),
                     force=args.force, lang=ctx.lang,
                     say=lambda line: print(line, file=ctx.out),
                     warn=lambda line: print(line, file=ctx.err))
    if report.failed:
        first = report.failed[0][1]
        raise DeliveryError(f"{len(report.failed)} of {len(mails)} reminder mail(s) could not be "
                            f"sent ({first}); they will be tried again on the next run.",
                            zh=f"{len(mails)} 封提醒邮件中有 {len(report.failed)} 封未能发送 ({first}); "
                               "下次运行时会重试。")
