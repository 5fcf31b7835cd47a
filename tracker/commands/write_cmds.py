"""The write commands: done, reopen, event, note, assign, waive, rule, owners, undo — one transaction each.

Each opens the database (it must exist: `tracker import` or `tracker demo` makes it), resolves the
task and the dates, calls one `tracker.store.actions` function inside `Store.transaction()`, and
prints one line saying what happened, in Chinese unless `--lang en`. Nothing is half-written: any
error rolls the whole action back. `--expected-version N` (the `version` that `tracker show --json`
printed) makes a script's write refuse, with exit 6, when the task changed in between — as the
TUI's dialogs do.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.commands import Context, print_json
from tracker.dates import parse_date, parse_past_date, shown, without_year

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.store.tables import Task

MESSAGES: dict[str, tuple[str, str]] = {
    "done": ("已记录完成: 任务{task} 规则{rule} ({key}{due}) 完成于{on} — {verdict}",
             "recorded done: task {task} rule {rule} ({key}{due}) on {on} — {verdict}"),
    "due": (", 应于{due}", ", due {due}"),
    "credited": ("; 计入{owner} (另有{others}个单位未完成, 可用 --owner 指定)",
                 "; credited to {owner} ({others} other units still open; choose one with --owner)"),
    "early": ("注意: {key} 所属期间自{start}开始, 完成日期{on}早于该期间; 如记错了对象, 用 tracker undo 撤销后以 --key 指定",
              "warning: {key} covers the period from {start}, and {on} is before it; if this completion "
              "belongs to another obligation, run tracker undo and name it with --key"),
    "year_read": ("注意: “{typed}”没有写年份, 按今年记为 {on}, 比应完成日期 {due} 晚一年以上; 如指的是 {year} 年, "
                  "请用 tracker undo 撤销后写上年份重新登记",
                  "warning: “{typed}” has no year and was recorded as {on}, over a year after the due date {due}; "
                  "if {year} was meant, run tracker undo and record it again with the year"),
    "reopen": ("已撤回完成: 任务{task} 规则{rule} ({key}{due}; 原完成于{on}{rows})",
               "reopened: task {task} rule {rule} ({key}{due}; was done {on}{rows})"),
    "reopen_rows": (", 共{n}条完成记录", ", {n} completion records"),
    "on_time": ("按期完成", "on time"),
    "late": ("逾期完成", "done late"),
    "event": ("已记录事件: 任务{task} {on}{ref}", "event logged: task {task} {on}{ref}"),
    "event_due": ("规则{rule} 应于{due}", "rule {rule} due {due}"),
    "event_undated": ("规则{rule} 无到期日", "rule {rule} has no due date"),
    "no_due": ("(无新的到期)", "(no new due date)"),
    "future_event": ("注意: 事件日期 {on} 晚于今天 ({today}); 已记录, 但在 {on} 之前的状态和提醒中不计入。"
                     "如果年份写错了, 可用 `tracker undo` 撤销。",
                     "warning: the event's date {on} is after today ({today}); it is recorded, but counts in no "
                     "status or reminder before {on}. If the year is wrong, `tracker undo` reverses it."),
    "early_event": ("注意: 事件日期 {on} 早于计划年度 {year}; 已记录 (年初前发布的文件也可起算本年度的期限), "
                    "如果年份写错了, 可用 `tracker undo` 撤销。",
                    "warning: the event's date {on} is before the plan's year {year}; it is recorded (a document "
                    "published just before the year can start one of its deadlines), but if the year is wrong, "
                    "`tracker undo` reverses it."),
    "provisional": ("暂定", "provisional"),
    "note": ("已添加进展: 任务{task} ({on})", "progress note added: task {task} ({on})"),
    "assign": ("已设置责任单位: 任务{task} 牵头 {lead}{support}", "owners set: task {task} lead {lead}{support}"),
    "assign_same": ("未变化: 任务{task} 已是 牵头 {lead}{support}", "unchanged: task {task} already has lead {lead}{support}"),
    "support": ("; 配合 {names}", "; support {names}"),
    "recredited": ("已将完成记录改计入: {moves} (原事项随责任单位变更已不存在); 如应计入其他单位: 先 `tracker undo`, "
                   "再 `tracker assign {task} --lead UNIT` 计入该单位, 然后重新指定全部责任单位",
                   "completion credited anew: {moves} (the obligation it was recorded for went with the change of "
                   "owners); to credit another unit: `tracker undo`, then `tracker assign {task} --lead UNIT` to "
                   "credit that one, then assign all the owners again"),
    "recredited_one": ("规则{rule} {old} (完成于{on}) → {unit}", "rule {rule} {old} (done {on}) → {unit}"),
    "waive": ("已设为不适用: 任务{task} 规则{rule} ({reason})", "waived: task {task} rule {rule} ({reason})"),
    "lift": ("已恢复适用: 任务{task} 规则{rule} (原不适用理由: {reason})",
             "waiver lifted: task {task} rule {rule} (it was: {reason})"),
    "rule_add": ("已新增规则: 任务{task} 规则{rule}", "rule added: task {task} rule {rule}"),
    "rule_remove": ("已删除规则: 任务{task} 规则{rule}", "rule removed: task {task} rule {rule}"),
    "rule_change": ("已修改规则: 任务{task} 规则{rule}", "rule changed: task {task} rule {rule}"),
    "rule_same": ("未变化: 任务{task} 规则{rule} 已是如此", "unchanged: task {task} rule {rule} is already so"),
    "orphaned": ("注意: 修改后有{n}条已记录的完成不再对应任何应办事项 (不再计入, tracker check 会报告); "
                 "tracker undo 可撤销这次修改",
                 "warning: {n} recorded completion(s) no longer match an obligation after this change (they count "
                 "for nothing, and tracker check reports them); tracker undo reverts the change"),
    "email": ("已设置邮箱: {unit} → {email}", "address set: {unit} → {email}"),
    "email_same": ("未变化: {unit} 的邮箱已是 {email}", "unchanged: {unit}'s address is already {email}"),
    "no_email": ("(未设置)", "(none)"),
    "undo": ("已撤销: {summary}", "undone: {summary}"),
    "owners_head": ("单位\t邮箱\t任务数", "unit\taddress\ttasks"),
    "no_owners": ("还没有单位; 用 tracker assign 指定责任单位。", "no units yet; assign owners with tracker assign."),
}
"""This module's labels (tracker.i18n has statuses and column heads, not these sentences)."""


def msg(ctx: Context, name: str, **values: object) -> str:
    """A message in the user's language."""
    zh, en = MESSAGES[name]
    return (en if ctx.lang == "en" else zh).format(**values)


def who(args: argparse.Namespace) -> str:
    """Who is recording: --by, else $USER, else "coordinator"."""
    return getattr(args, "by", None) or os.environ.get("USER") or "coordinator"


@contextmanager
def action(ctx: Context, args: argparse.Namespace, name: str, *, create: bool = False) -> Iterator[Session]:
    """Open the database and run one transaction for one user action; always closes the store."""
    # sqlmodel costs ~335 ms to import: only the write commands pay it, inside this function.
    from tracker.store import open_store

    store = open_store(ctx.db, create=create)
    try:
        with store.transaction(who=who(args), action=name) as session:
            yield session
    finally:
        store.close()


def _task(session: Session, args: argparse.Namespace) -> Task:
    from tracker.store.actions import find_task

    return find_task(session=session, ref=args.task, plan=getattr(args, "plan", None))


def _past_date(ctx: Context, text: str | None, what: str) -> date:
    """--on DATE for something that has happened (a completion, an event, a note): not after today;
    today when not given (an empty --on "" is refused by parse_date, not today)."""
    return ctx.today if text is None else parse_past_date(text, today=ctx.today, what=what)


def done(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker done TASK [--rule K] [--owner UNIT | --key KEY] [--on DATE] [--evidence TEXT]`.

    A per-owner rule has one obligation per unit: without --owner or --key the earliest open one
    is taken, and the line says whose it was. A completion dated before its obligation's period
    begins is recorded with a warning on stderr (a plan may be ahead of itself; more often it
    was meant for the period before).
    """
    from tracker.store.actions import mark_done

    on = _past_date(ctx, args.on, "a completion")
    with action(ctx, args, "done") as session:
        result = mark_done(session=session, task=_task(session, args), rule=args.rule, on=on,
                           evidence=args.evidence, expected_version=args.expected_version,
                           owner=args.owner, key=args.key)
    due = msg(ctx, "due", due=result.due) if result.due else ""
    credited = msg(ctx, "credited", owner=result.owner, others=result.others_open) if result.others_open else ""
    print(msg(ctx, "done", task=result.task_number, rule=result.rule, key=result.key, due=due, on=result.done_on,
              verdict=msg(ctx, "late" if result.late else "on_time")) + credited, file=ctx.out)
    if result.period_start is not None:
        print(msg(ctx, "early", key=result.key, start=result.period_start, on=result.done_on), file=ctx.err)
    if args.on is not None and without_year(args.on) and result.due and (result.done_on - result.due).days > 365:
        # "10月8日" is read in this year; against an obligation of a year long past, the year was
        # most likely meant to be the obligation's own
        print(msg(ctx, "year_read", typed=shown(args.on), on=result.done_on, due=result.due,
                  year=result.due.year), file=ctx.err)
    return 0


def reopen(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker reopen TASK [--rule K] [--owner UNIT | --key KEY]`: take back one obligation's
    completion — the rule's latest-completed one unless --owner or --key chooses — when other
    changes followed and `tracker undo` (the last change only) cannot reach it. One audited
    action: `tracker undo` right after puts the completion back."""
    from tracker.store.actions import reopen as take_back

    with action(ctx, args, "reopen") as session:
        result = take_back(session=session, task=_task(session, args), rule=args.rule, owner=args.owner,
                           key=args.key, expected_version=args.expected_version)
    due = msg(ctx, "due", due=result.due) if result.due else ""
    rows = msg(ctx, "reopen_rows", n=result.removed) if result.removed > 1 else ""
    print(msg(ctx, "reopen", task=result.task_number, rule=result.rule, key=result.key, due=due, on=result.done_on,
              rows=rows), file=ctx.out)
    return 0


def event(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker event TASK --on DATE [--ref 文号] [--rule K]`."""
    from tracker.i18n import note_text
    from tracker.schedule import MOVED_NOTE, NO_OWNER_NOTE
    from tracker.store.actions import log_event

    on = ctx.today if args.on is None else parse_date(args.on, today=ctx.today)
    with action(ctx, args, "event") as session:
        result = log_event(session=session, task=_task(session, args), on=on, ref=args.ref, rule=args.rule,
                           expected_version=args.expected_version)

    def extra(due: object, note: str) -> str:
        # the schedule's note: "[ref; ][moved off a rest day; ][provisional reason | no allowance]
        # [; no owner assigned]". This
        # line names the reference already; beside a due date, the reason says why it is provisional
        rest = "" if note == args.ref else note.removeprefix(f"{args.ref}; ") if args.ref else note
        unowned = rest == NO_OWNER_NOTE or rest.endswith(f"; {NO_OWNER_NOTE}")
        if unowned:
            rest = rest.removesuffix(NO_OWNER_NOTE).removesuffix("; ")
        words = []
        moved = re.match(MOVED_NOTE, rest)  # calendar days ending on a rest day: a fact, not why it is provisional
        if moved:
            words.append(note_text(moved.group(0), ctx.lang))
            rest = rest[moved.end():].removeprefix("; ")
        if rest:
            words.append(f"{msg(ctx, 'provisional')}: {note_text(rest, ctx.lang)}" if due else note_text(rest, ctx.lang))
        if unowned:
            words.append(note_text(NO_OWNER_NOTE, ctx.lang))
        return f" ({'; '.join(words)})" if words else ""

    # a per-owner rule starts one obligation per unit, alike but for the unit: said once
    dues = "; ".join(dict.fromkeys((msg(ctx, "event_due", rule=r, due=d) if d else msg(ctx, "event_undated", rule=r))
                                   + extra(d, n) for r, d, n in result.dues))
    print(msg(ctx, "event", task=result.task_number, on=on, ref=f" {args.ref}" if args.ref else "")
          + " — " + (dues or msg(ctx, "no_due")), file=ctx.out)
    if on > ctx.today:  # allowed (a date announced ahead), but most often a mistyped year: say so
        print(msg(ctx, "future_event", on=on, today=ctx.today), file=ctx.err)
    if result.before_year is not None:  # allowed (late December can start this year's deadline): said
        print(msg(ctx, "early_event", on=on, year=result.before_year), file=ctx.err)
    return 0


def note(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker note TASK TEXT [--on DATE]` (not after today: a note says what has happened)."""
    from tracker.store.actions import add_note

    on = _past_date(ctx, args.on, "a note")
    with action(ctx, args, "note") as session:
        task = _task(session, args)
        add_note(session=session, task=task, text=args.text, on=on, expected_version=args.expected_version)
    print(msg(ctx, "note", task=task.number, on=on), file=ctx.out)
    return 0


def assign(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker assign TASK --lead UNIT [--support UNIT…]` (replaces the task's owners)."""
    from tracker.store.actions import assign_owners

    lead = _split_units(args.lead)
    support = _split_units(args.support)
    with action(ctx, args, "assign") as session:
        task = _task(session, args)
        result = assign_owners(session=session, task=task, lead=lead, support=support,
                               expected_version=args.expected_version)
    extra = msg(ctx, "support", names="、".join(support)) if support else ""
    print(msg(ctx, "assign" if result.changed else "assign_same", task=task.number, lead="、".join(lead),
              support=extra), file=ctx.out)
    if result.recredited:  # nothing recorded is lost: the line says where each completion went
        moves = "; ".join(msg(ctx, "recredited_one", rule=m.rule, old=m.old_key, on=m.done_on, unit=m.unit)
                          for m in result.recredited)
        print(msg(ctx, "recredited", moves=moves, task=args.task), file=ctx.out)
    return 0


def _split_units(values: list[str]) -> list[str]:
    """--lead A --lead B, or --lead "A、B" / "A,B": each unit once, in order."""
    out: list[str] = []
    for value in values:
        for part in value.replace("，", ",").replace("、", ",").split(","):
            if part.strip() and part.strip() not in out:
                out.append(part.strip())
    return out


def waive(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker waive TASK [--rule K] --reason TEXT`, or `--lift` to make a waived rule count again."""
    from tracker.errors import UsageError
    from tracker.store import actions

    if args.lift and args.reason is not None:
        raise UsageError("choose --reason (waive) or --lift (lift a waiver), not both.",
                         zh="--reason (设为不适用) 和 --lift (解除不适用) 只能选一个。")
    if not args.lift and args.reason is None:
        raise UsageError("a waiver needs a reason (--reason), e.g. --reason \"本年度无此类文件\"; "
                         "--lift lifts one instead.",
                         zh="设为不适用需要写明理由 (--reason), 如 --reason \"本年度无此类文件\"; "
                            "要解除不适用请用 --lift。")
    with action(ctx, args, "waive") as session:
        task = _task(session, args)
        if args.lift:
            rule, reason = actions.lift_waiver(session=session, task=task, rule=args.rule,
                                               expected_version=args.expected_version)
        else:
            reason = args.reason
            rule = actions.waive(session=session, task=task, rule=args.rule, reason=reason, on=ctx.today,
                                 expected_version=args.expected_version)
    print(msg(ctx, "lift" if args.lift else "waive", task=task.number, rule=rule, reason=reason), file=ctx.out)
    return 0


def rule_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The rule fields given on the command line (--deadline MM-DD → month, day)."""
    from tracker.errors import UsageError

    changes: dict[str, Any] = {}
    for name in ("kind", "count", "period", "workdays", "days", "event", "year_offset", "due_day", "what"):
        value = getattr(args, name, None)
        if value is not None:
            changes[name] = value
    if args.per_owner is not None:
        changes["per_owner"] = args.per_owner == "yes"
    if args.deadline:
        parts = args.deadline.replace("/", "-").replace("月", "-").rstrip("日").split("-")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise UsageError(f"--deadline “{args.deadline}” is not MM-DD; e.g. --deadline 12-31.",
                             zh=f"--deadline “{args.deadline}”不是 MM-DD 格式; 请写成如 --deadline 12-31。")
        changes["month"], changes["day"] = (int(p) for p in parts)
    return changes


def rule(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker rule TASK [--rule K] [--add | --remove] [--kind … --count … …]`."""
    from tracker.errors import UsageError
    from tracker.store.actions import correct_rule, unmatched_completions

    if args.add and args.remove:
        raise UsageError("choose --add or --remove, not both.", zh="--add 和 --remove 只能选一个。")
    changes = rule_changes(args)
    with action(ctx, args, "rule") as session:
        task = _task(session, args)
        before = unmatched_completions(session=session, task=task)
        result = correct_rule(session=session, task=task, rule=args.rule, add=args.add, remove=args.remove,
                              changes=changes, expected_version=args.expected_version)
        orphaned = unmatched_completions(session=session, task=task) - before
    key = ("rule_add" if args.add else "rule_remove" if args.remove else "rule_change" if result.changed
           else "rule_same")
    print(msg(ctx, key, task=task.number, rule=result.rule), file=ctx.out)
    if orphaned > 0:  # the change is kept (it may be right), but what it cost is said
        print(msg(ctx, "orphaned", n=orphaned), file=ctx.err)
    return 0


def owners(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker owners` lists units (read path, no ORM); `tracker owners UNIT --email ADDR` sets an address."""
    if args.email is not None and not args.unit:  # it listed the units and dropped the address unsaid
        from tracker.errors import UsageError

        raise UsageError(f"--email needs the unit whose address it is: tracker owners UNIT --email {args.email}.",
                         zh=f"--email 需要指定是哪个单位的邮箱: `tracker owners UNIT --email {args.email}`。")
    if args.unit and args.email is not None:
        from tracker.store.actions import set_owner_email

        with action(ctx, args, "owners") as session:
            changed = set_owner_email(session=session, name=args.unit, email=args.email or None)
        print(msg(ctx, "email" if changed else "email_same", unit=args.unit,
                  email=args.email.strip() or msg(ctx, "no_email")), file=ctx.out)
        return 0
    from tracker import query
    from tracker.query.stored import units_named

    conn = query.connect(ctx.db)
    try:
        if args.unit:
            query.check_owner(conn, args.unit)
            named = {unit_id for unit_id, _ in units_named(conn, args.unit)}  # every office's, or one
        units = [o for o in query.list_owners(conn) if not args.unit or o.owner_id in named]
    finally:
        conn.close()
    if args.json:
        print_json([{"name": o.name, "email": o.email, "tasks": o.task_count, "office": o.office} for o in units],
                   ctx.out)
    elif not units:
        print(msg(ctx, "no_owners"), file=ctx.out)
    else:
        print(msg(ctx, "owners_head"), file=ctx.out)
        for o in units:
            print(f"{o.name}\t{o.email or '-'}\t{o.task_count}", file=ctx.out)
    return 0


def undo(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker undo`: reverse the last change exactly; the line names the change in the user's
    language ("已撤销: 进展 (任务8: 进展 …)")."""
    from tracker.store.actions import undo_last
    from tracker.store.audit import undo_summary

    with action(ctx, args, "undo") as session:
        summary = undo_last(session=session)
    print(msg(ctx, "undo", summary=undo_summary(summary, ctx.lang)), file=ctx.out)
    return 0
