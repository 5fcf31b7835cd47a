"""The write actions: each takes a session (keyword-only), never commits, audits every change.

One user command = one `Store.transaction()` = one call here. Every action that changes an input
of the schedule (rules, owners, events, calendar overrides) recomputes the affected obligation
rows in the same transaction, and bumps the task's row version.

No lost updates (issue 7, on both engines): every action that changes a task takes an optional
`expected_version` — the `Task.version` the caller showed the user (the TUI passes it; the CLI
passes `--expected-version N` when a script gives one, else None: act on the latest). The check
and the atomic bump are `tracker.store.versions`. `find_task` locks the task row (`SELECT … FOR
UPDATE` on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock), so an action's
read-then-write is never interleaved with another's on one task. Errors a user can cause are
`tracker.errors` subclasses with one sentence naming what would have been valid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import text as sql

from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.model import PERIODS, UnitNames, unit_label
from tracker.refs import PlanRef, TaskRef, pick_plan, pick_task, same_plan, split_ref
from tracker.store import audit
from tracker.store.importer import ImportReport, import_plan
from tracker.store.obligations import REQ_FIELDS, calendar_tasks, recompute, to_requirement
from tracker.store.tables import Task
from tracker.store.versions import bump, check_version

if TYPE_CHECKING:
    from sqlalchemy import RowMapping
    from sqlmodel import Session

__all__ = [
    "AssignResult",
    "DoneResult",
    "EventResult",
    "ImportReport",
    "Recredited",
    "ReopenResult",
    "RuleResult",
    "add_note",
    "assign_owners",
    "calendar_changes",
    "calendar_line",
    "calendar_summary",
    "check_version",
    "correct_rule",
    "find_task",
    "get_task",
    "import_plan",
    "lift_waiver",
    "log_event",
    "mark_done",
    "recompute_obligations",
    "reopen",
    "set_calendar_override",
    "set_owner_email",
    "undo_last",
    "unmatched_completions",
    "waive",
]


@dataclass(frozen=True)
class DoneResult:
    """The obligation a `done` completed."""

    task_number: str
    rule: int
    key: str
    due: date | None
    done_on: date
    owner: str | None = None
    others_open: int = 0
    """Other units' open obligations a per-owner rule had when neither `owner` nor `key` chose one:
    the earliest was taken, and the caller should say whose it was."""
    period_start: date | None = None
    """Set when the completion is dated before the period its obligation covers begins (a Q2
    obligation done on 03-20): accepted — a plan may be ahead — but worth a warning."""

    @property
    def late(self) -> bool:
        """True when done after its due date (逾期完成)."""
        return self.due is not None and self.done_on > self.due


@dataclass(frozen=True)
class EventResult:
    """A logged event and the obligations it started: (rule, due, provisional note)."""

    event_id: int
    task_number: str
    on: date
    dues: tuple[tuple[int, date | None, str], ...]
    before_year: int | None = None
    """The plan's year when the event is dated before it: recorded (a document published in late
    December can start one of the year's deadlines), but worth a warning — often a mistyped year."""


# --- finding things ---------------------------------------------------------------------------


def _plans(session: Session) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(sql('SELECT id, title, year FROM "plan" ORDER BY id')).mappings()]


def _resolve_plan(session: Session, plan: str | None) -> dict[str, Any]:
    """The plan `plan` names, matched by `tracker.refs.pick_plan` as the reads match it (the same
    refusals, the same exit codes)."""
    plans = _plans(session)
    hit = pick_plan([PlanRef(int(p["id"]), p["title"], int(p["year"])) for p in plans], plan)
    return next(p for p in plans if p["id"] == hit.plan_id)


def find_task(*, session: Session, ref: str, plan: str | None = None) -> Task:
    """The live task named "8" (the only plan, or `plan`), "1:8" (plan 1, task 8), "1:三/4" (path)
    or "1:三/4#2" (the second task numbered 4 in section 三), locked for the transaction.

    `plan` is an id, a year, or part of the title. The task is matched by `tracker.refs.pick_task`,
    as `tracker show` matches it: a number two tasks share is `UsageError` naming a reference for
    each — a write never takes the first of them. `NotFoundError` names the valid task numbers, or
    the stored plans when the plan is unclear.
    """
    plan_part, number = split_ref(ref)
    found = _resolve_plan(session, plan_part if plan_part is not None else plan)
    if plan_part is not None and plan is not None:
        same_plan(ref, int(found["id"]), int(_resolve_plan(session, plan)["id"]))
    tbl = audit.table("task")
    rows = [TaskRef(int(r["id"]), r["number"], r["path"] or "", r["title"] or "") for r in session.execute(
        tbl.select().where(tbl.c.plan_id == found["id"], tbl.c.removed.is_(False)).order_by(tbl.c.position)
    ).mappings()]
    hit = pick_task(rows, number, plan_id=int(found["id"]))
    task = session.get(Task, hit.task_id, populate_existing=True, with_for_update=True)
    assert task is not None
    return task


def get_task(*, session: Session, task_id: int) -> Task:
    """The live task with this id, locked for the transaction (like `find_task`), for callers that
    hold an id (the TUI). A missing or removed task is `NotFoundError`."""
    task = session.get(Task, task_id, populate_existing=True, with_for_update=True)
    if task is None or task.removed:
        raise NotFoundError("this task no longer exists (removed by a re-import); reload the list.",
                            zh="该任务已不存在 (重新导入时已删除); 请重新加载列表。")
    return task


def _rules(session: Session, task: Task) -> list[dict[str, Any]]:
    tbl = audit.table("requirement")
    return [dict(r) for r in session.execute(
        tbl.select().where(tbl.c.task_id == task.id, tbl.c.removed.is_(False)).order_by(tbl.c.position)).mappings()]


def rule_list(rules: Sequence[dict[str, Any]]) -> str:
    """ "1: 每年2次 (原文…), 2: 12月31日前 (…)" — what `--rule K` may name."""
    from tracker.schedule import summarize

    return ", ".join(f"{r['position']}: {summarize(to_requirement(r))} ({r['source'][:20]})" for r in rules)


_VERBS = {"": ("", "规则"), "done": ("to mark done ", "要登记完成的规则"), "waive": ("to waive ", "要设为不适用的规则"),
          "lift": ("to lift ", "要解除不适用的规则"), "correct": ("to correct ", "要修改的规则"),
          "reopen": ("to reopen ", "要撤回完成的规则")}
"""What `_pick_rule`'s choice is for, in its sentence: (English words before "—", Chinese object)."""


def _pick_rule(session: Session, task: Task, rule: int | None, *, kinds: Sequence[str] = (),
               verb: str = "", skip: Collection[int] = ()) -> dict[str, Any]:
    """The rule `rule` names (K), or the task's only one of `kinds`; `skip` leaves requirement ids
    out (waived rules are not a `done`'s to choose). `verb` (a key of `_VERBS`) says what for."""
    rules = [r for r in _rules(session, task) if (not kinds or r["kind"] in kinds) and r["id"] not in skip]
    n = task.number
    if not rules:
        what, what_zh = (("rule that starts on an event", "由事件触发的规则") if "after_event" in kinds
                         else ("rule", "规则"))
        raise UsageError(f"task {n} has no {what}; add one with `tracker rule {n} --add …`.",
                         zh=f"任务{n}没有{what_zh}; 请用 `tracker rule {n} --add …` 添加。")
    if rule is None:
        if len(rules) == 1:
            return rules[0]
        for_what, for_what_zh = _VERBS[verb]
        raise UsageError(f"task {n} has {len(rules)} rules; choose one with --rule K {for_what}— "
                         f"{rule_list(rules)}.",
                         zh=f"任务{n}有 {len(rules)} 条规则; 请用 --rule K 选择{for_what_zh}: {rule_list(rules)}。")
    for r in rules:
        if r["position"] == rule:
            return r
    raise NotFoundError(f"task {n} has no rule {rule}; its rules are {rule_list(rules)}.",
                        zh=f"任务{n}没有规则{rule}; 该任务的规则有: {rule_list(rules)}。")


def _waivers(session: Session, task: Task) -> dict[int, str]:
    """The task's waived rules: requirement id → the waiver's reason."""
    return {int(r[0]): str(r[1]) for r in session.execute(sql(
        "SELECT w.requirement_id, w.reason FROM waiver w JOIN requirement r ON r.id = w.requirement_id "
        "WHERE r.task_id = :t"), {"t": task.id})}


def _open_rule(session: Session, task: Task, rule: int | None) -> dict[str, Any]:
    """The rule a `done` completes: never a waived one. A waived rule's obligations read 不适用 on
    every screen and in the ledger, so a completion of it would contradict them; without --rule
    the waived rules are not offered (a task whose other rule is the only one left needs none)."""
    waived = _waivers(session, task)
    if rule is not None:
        req = _pick_rule(session, task, rule, verb="done")
        if req["id"] in waived:
            raise UsageError(f"rule {rule} of task {task.number} is waived (不适用: {waived[req['id']][:30]}); "
                             f"lift the waiver first with `tracker waive {task.number} --rule {rule} --lift`.",
                             zh=f"任务{task.number}的规则{rule}已设为不适用 (理由: {waived[req['id']][:30]}); "
                                f"请先用 `tracker waive {task.number} --rule {rule} --lift` 解除不适用。")
        return req
    live = _rules(session, task)
    if live and all(r["id"] in waived for r in live):
        reasons = "; ".join(f"rule {r['position']}: {waived[r['id']][:30]}" for r in live)
        reasons_zh = "; ".join(f"规则{r['position']}: {waived[r['id']][:30]}" for r in live)
        raise UsageError(f"every rule of task {task.number} is waived ({reasons}); lift a waiver first with "
                         f"`tracker waive {task.number} --rule K --lift`.",
                         zh=f"任务{task.number}的规则都已设为不适用 ({reasons_zh}); 请先用 "
                            f"`tracker waive {task.number} --rule K --lift` 解除其中一条的不适用。")
    return _pick_rule(session, task, None, verb="done", skip=waived)


def _plan_year(session: Session, task: Task) -> int:
    return int(session.execute(sql('SELECT year FROM "plan" WHERE id = :p'), {"p": task.plan_id}).scalar_one())


def _day(value: object) -> date | None:
    return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value))


# --- the actions ------------------------------------------------------------------------------


def mark_done(*, session: Session, task: Task, rule: int | None, on: date, evidence: str | None,
              expected_version: int | None = None, owner: str | None = None,
              key: str | None = None) -> DoneResult:
    """Complete one open obligation of the task's rule (its only rule when `rule` is None).

    `key` names the obligation exactly (as `tracker show` prints it: 2024-Q1, event:3,
    2024-Y1#局办公室); `owner` takes that unit's earliest open obligation of a per-owner rule;
    otherwise the earliest open one is taken (for a per-owner rule `others_open` then says the
    other units had one too, so the caller can name whose was credited).
    `UsageError` for a date before the plan's year, a completion dated before the event that
    started its obligation, a task with several rules and no `rule` (the message lists them), a
    rule with nothing left open, or an `owner`/`key` that names nothing open (each naming the valid
    ones). A date before the obligation's period begins is accepted and reported in `period_start`.
    """
    check_version(session, task, expected_version)
    year = _plan_year(session, task)
    if on < date(year, 1, 1):
        raise UsageError(f"a completion dated {on} is before the plan's year {year}; check the completion date.",
                         zh=f"完成日期 {on} 早于计划年度 {year}; 请核对完成日期。")
    req = _open_rule(session, task, rule)
    done = {r[0] for r in session.execute(sql("SELECT obligation_key FROM completion WHERE requirement_id = :r"),
                                           {"r": req["id"]})}
    obligations = _in_order(session, task, list(session.execute(sql(
        "SELECT key, due, owner, event_id FROM obligation WHERE requirement_id = :r"), {"r": req["id"]}).mappings()))
    if not obligations:
        after_event = req["kind"] == "after_event"
        raise UsageError(f"rule {req['position']} of task {task.number} has no obligation yet"
                         f"{' (log the event first with `tracker event`)' if after_event else ''}.",
                         zh=f"任务{task.number}的规则{req['position']}还没有需要完成的事项"
                            f"{' (请先用 `tracker event` 登记起算事件)' if after_event else ''}。")
    todo = [o for o in obligations if o["key"] not in done]
    first = _chosen(task, req, obligations, todo, owner=owner, key=key)
    _check_after_event(session, task, req, first, on)
    audit.insert(session, audit.table("completion"),
                 {"requirement_id": req["id"], "obligation_key": first["key"], "done_on": on,
                  "evidence": evidence, "recorded_by": session.info["who"], "recorded_at": session.info["now"]},
                 f"任务{task.number}: 完成 规则{req['position']} {first['key']} 于{on}")
    bump(session, task, f"任务{task.number}: 版本+1", expected_version)
    others = 0
    if req["per_owner"] and owner is None and key is None:
        others = len({o["owner"] for o in todo if o["owner"] != first["owner"]})
    start = _period_start(req, year, str(first["key"]))
    return DoneResult(task.number, req["position"], first["key"], _day(first["due"]), on, first["owner"],
                      others, start if start is not None and on < start else None)


def _in_order(session: Session, task: Task, obligations: list[RowMapping]) -> list[RowMapping]:
    """Obligations by due date (undated last), then in the task's owner order — lead units first,
    as `tracker show` lists them — rather than by the units' names, then by key."""
    units = [r[0] for r in session.execute(sql(
        "SELECT w.name FROM taskowner o JOIN owner w ON w.id = o.owner_id WHERE o.task_id = :t "
        "ORDER BY o.role = 'support', o.id"), {"t": task.id})]
    rank = {name: i for i, name in reversed(list(enumerate(units)))}
    return sorted(obligations, key=lambda o: (o["due"] is None, str(o["due"] or ""), rank.get(o["owner"], len(rank)),
                                              o["key"]))


def _chosen(task: Task, req: dict[str, Any], obligations: Sequence[RowMapping], todo: Sequence[RowMapping], *,
            owner: str | None, key: str | None) -> RowMapping:
    """The obligation a `done` completes: the one `key` names, else `owner`'s earliest open one,
    else the earliest open one. Each refusal names what would have been valid."""
    where = f"rule {req['position']} of task {task.number}"
    where_zh = f"任务{task.number}的规则{req['position']}"
    if key is not None:
        hit = next((o for o in obligations if o["key"] == key.strip()), None)
        if hit is None:
            keys = [str(o["key"]) for o in todo]
            shown = ", ".join(keys[:20])
            more, more_zh = ((f" … and {len(keys) - 20} more", f" … 另有 {len(keys) - 20} 个") if len(keys) > 20
                             else ("", ""))
            raise NotFoundError(f"{where} has no obligation “{key}”; its open ones are "
                                f"{shown + more or 'none (all are done)'}.",
                                zh=f"{where_zh}没有事项“{key}”; 未完成的事项: {shown + more_zh or '无 (都已完成)'}。")
        if owner is not None:
            _check_key_owner(str(hit["key"]), hit["owner"], owner, where, where_zh)
        if hit["key"] not in {o["key"] for o in todo}:
            raise UsageError(f"obligation {hit['key']} of {where} is already done.",
                             zh=f"{where_zh}的事项 {hit['key']} 已经完成。")
        return hit
    if owner is not None:
        unit = _rule_unit(req, obligations, owner, where, where_zh)
        mine = [o for o in todo if o["owner"] == unit]
        if not mine:
            raise UsageError(f"every obligation of {unit} under {where} is already done.",
                             zh=f"{unit}在{where_zh}下的事项都已完成。")
        return mine[0]
    if not todo:
        raise UsageError(f"all obligations of rule {req['position']} are already done.",
                         zh=f"规则{req['position']}的事项都已完成。")
    return todo[0]


@dataclass(frozen=True)
class ReopenResult:
    """The obligation `reopen` took its completion back from: open again, as if never done."""

    task_number: str
    rule: int
    key: str
    due: date | None
    done_on: date
    """When it had been done: its earliest completion, the date that counted."""
    removed: int = 1
    """How many completion rows were removed (an obligation recorded twice, by hand or by an older
    tracker, has several; all go, or it would still read as done)."""


def _completed(session: Session, task: Task) -> dict[int, dict[str, list[RowMapping]]]:
    """The task's completions on its live rules: requirement id → obligation key → its rows, keys in
    the order they were first done, rows earliest first."""
    out: dict[int, dict[str, list[RowMapping]]] = {}
    for row in session.execute(sql(
            "SELECT c.id, c.requirement_id, c.obligation_key, c.done_on FROM completion c "
            "JOIN requirement r ON r.id = c.requirement_id WHERE r.task_id = :t AND r.removed = FALSE "
            "ORDER BY c.done_on, c.id"), {"t": task.id}).mappings():
        out.setdefault(int(row["requirement_id"]), {}).setdefault(str(row["obligation_key"]), []).append(row)
    return out


def _done_keys(done: dict[str, list[RowMapping]]) -> tuple[str, str]:
    """ "2024-Q1 (done 2024-03-28), …" / "2024-Q1 (完成于2024-03-28), …": what a reopen may name."""
    keys = list(done)
    shown, more = keys[:10], len(keys) - 10
    en = ", ".join(f"{k} (done {_day(done[k][0]['done_on'])})" for k in shown) + (f" … and {more} more" if more > 0
                                                                                   else "")
    zh = ", ".join(f"{k} (完成于{_day(done[k][0]['done_on'])})" for k in shown) + (f" … 另有 {more} 个" if more > 0
                                                                                else "")
    return en, zh


def _done_on_rules(rules: Sequence[dict[str, Any]], completed: dict[int, dict[str, list[RowMapping]]],
                   skip: int | None = None) -> tuple[str, str]:
    """ "rule 2: 2024-Y1 (done 2024-12-20)" / "规则2: 2024-Y1 (完成于2024-12-20)", rule by rule (not `skip`)."""
    en: list[str] = []
    zh: list[str] = []
    for r in rules:
        if r["id"] != skip and completed.get(r["id"]):
            keys_en, keys_zh = _done_keys(completed[r["id"]])
            en.append(f"rule {r['position']}: {keys_en}")
            zh.append(f"规则{r['position']}: {keys_zh}")
    return "; ".join(en), "; ".join(zh)


def reopen(*, session: Session, task: Task, rule: int | None, owner: str | None = None, key: str | None = None,
           expected_version: int | None = None) -> ReopenResult:
    """Take back the completion of one obligation of the task's rule (its only rule when `rule` is
    None): a completion recorded by mistake (wrong task, rule or unit) after other changes
    followed, which `undo` (the last change only) cannot reach.

    `key` names the obligation (as `tracker show` prints it, or a completion's key a rule change
    left without obligation); `owner` takes that unit's latest-completed obligation of a per-owner
    rule; otherwise the rule's latest-completed obligation (by the date it was done, then by when it
    was recorded). Every completion row of the obligation is deleted (audited: `undo` puts them
    back with their ids, evidence and recorder); the database triggers reset `obligation.done_on`.
    A waived rule's completion may be taken back too (nothing is recorded on it by doing so).

    `UsageError` (naming what is done) for a task with several rules and no `rule`, or nothing done
    where asked; `NotFoundError` for an unknown rule, unit or key.
    """
    check_version(session, task, expected_version)
    n = task.number
    completed = _completed(session, task)
    rules = _rules(session, task)
    if rule is None and len(rules) > 1:
        if not completed:
            raise UsageError(f"nothing of task {n} is done; there is no completion to reopen.",
                             zh=f"任务{n}还没有已完成的事项, 无可撤回。")
        done_en, done_zh = _done_on_rules(rules, completed)
        raise UsageError(f"task {n} has {len(rules)} rules; choose one with --rule K to reopen — {rule_list(rules)}. "
                         f"Done: {done_en}.",
                         zh=f"任务{n}有 {len(rules)} 条规则; 请用 --rule K 选择要撤回完成的规则: {rule_list(rules)}。"
                            f"已完成的: {done_zh}。")
    req = _pick_rule(session, task, rule, verb="reopen")
    where, where_zh = f"rule {req['position']} of task {n}", f"任务{n}的规则{req['position']}"
    done = completed.get(req["id"], {})
    listing, listing_zh = _done_keys(done)
    obligations = {str(o["key"]): o for o in _in_order(session, task, list(session.execute(sql(
        "SELECT key, due, owner, event_id FROM obligation WHERE requirement_id = :r"), {"r": req["id"]}).mappings()))}
    if key is not None:
        chosen = key.strip()
        if chosen not in done:
            if chosen in obligations:
                raise UsageError(f"obligation {chosen} of {where} is not done; the done ones are {listing or 'none'}.",
                                 zh=f"{where_zh}的事项 {chosen} 尚未完成; 已完成的事项: {listing_zh or '无'}。")
            raise NotFoundError(f"{where} has no obligation “{key}”; the done ones are {listing or 'none'}.",
                                zh=f"{where_zh}没有事项“{key}”; 已完成的事项: {listing_zh or '无'}。")
        hit = obligations.get(chosen)
        whose = hit["owner"] if hit is not None else (chosen.partition("#")[2] or None)
        if owner is not None:
            _check_key_owner(chosen, whose, owner, where, where_zh)
    else:
        live = [k for k in done if k in obligations]
        if owner is not None:
            unit = _rule_unit(req, obligations.values(), owner, where, where_zh)
            live = [k for k in live if obligations[k]["owner"] == unit]
            if not live:
                raise UsageError(f"nothing of {unit} under {where} is done; the done ones are {listing or 'none'}.",
                                 zh=f"{unit}在{where_zh}下没有已完成的事项; 已完成的事项: {listing_zh or '无'}。")
        if not live:
            if done:  # only completions a rule change left without their obligation
                raise UsageError(f"no obligation of {where} is done; completions recorded for obligations it no "
                                 f"longer has: {listing} (name one with --key).",
                                 zh=f"{where_zh}没有已完成的事项; 记录的完成已不对应任何事项: {listing_zh} "
                                    "(可用 --key 指定)。")
            others_en, others_zh = _done_on_rules(rules, completed, skip=req["id"])
            raise UsageError(f"nothing of {where} is done; there is no completion to reopen"
                             f"{f'; done on its other rules: {others_en}' if others_en else ''}.",
                             zh=f"{where_zh}还没有已完成的事项, 无可撤回"
                                f"{f'; 该任务其他规则已完成的: {others_zh}' if others_zh else ''}。")
        chosen = max(live, key=lambda k: (str(done[k][0]["done_on"]), max(int(r["id"]) for r in done[k])))
    rows = done[chosen]
    was = _day(rows[0]["done_on"]) or date.min
    tbl = audit.table("completion")
    for row in rows:
        audit.delete(session, tbl, int(row["id"]), f"任务{n}: 撤回完成 规则{req['position']} {chosen} 原完成于{was}")
    bump(session, task, f"任务{n}: 版本+1", expected_version)
    hit = obligations.get(chosen)
    return ReopenResult(n, int(req["position"]), chosen, _day(hit["due"]) if hit is not None else None, was,
                        len(rows))


def _rule_unit(req: dict[str, Any], obligations: Iterable[RowMapping], owner: str, where: str,
               where_zh: str) -> str:
    """The unit `--owner` names among a per-owner rule's obligations (`done` and `reopen` alike);
    `UsageError` for a rule that is one obligation for all its units, `NotFoundError` for a unit
    that is not one of the rule's."""
    units = list(dict.fromkeys(o["owner"] for o in obligations if o["owner"]))
    if not req["per_owner"] or not units:
        raise UsageError(f"{where} is one obligation for all its units, not one per unit; drop --owner.",
                         zh=f"{where_zh}是各单位共同的一个事项, 不是每个单位各一个; 请去掉 --owner。")
    unit = _unit_in(owner, units)
    if unit is None:
        raise NotFoundError(f"“{owner}” is not a unit of {where}; its units are {'、'.join(units)}.",
                            zh=f"“{owner}”不是{where_zh}的单位; 该规则的单位有: {'、'.join(units)}。")
    return unit


def _check_key_owner(key: str, whose: str | None, owner: str, where: str, where_zh: str) -> None:
    """--key and --owner both given: `UsageError` unless the obligation `key` is that unit's."""
    if whose != _unit_in(owner, [whose]):
        belongs_zh = f"属于{whose}, 不属于{owner}" if whose else "不属于任何单位"
        raise UsageError(f"obligation {key} of {where} belongs to {whose or 'no unit'}, "
                         f"not {owner}; give --key or --owner, not both.",
                         zh=f"{where_zh}的事项 {key} {belongs_zh}; 请只给 --key 或 --owner 其中之一。")


def _unit_in(name: str, units: Sequence[str | None]) -> str | None:
    """The unit of `units` that `name` names: as typed, or as lists label a name several offices
    share ("办公室（A局）" → "办公室"); None when it names none of them."""
    name = name.strip()
    bare = name.rsplit("（", 1)[0] if name.endswith("）") else name
    return name if name in units else bare if bare in units else None


def _check_after_event(session: Session, task: Task, req: dict[str, Any], obligation: RowMapping,
                       on: date) -> None:
    """An after-event obligation cannot be met before its event (the document was not out yet)."""
    if obligation["event_id"] is None:
        return
    started = _day(session.execute(sql('SELECT "on" FROM event WHERE id = :e'),
                                   {"e": obligation["event_id"]}).scalar())
    if started is not None and on < started:
        raise UsageError(f"a completion dated {on} is before the event that started {obligation['key']} of "
                         f"rule {req['position']} of task {task.number} ({started}); check the completion date.",
                         zh=f"完成日期 {on} 早于任务{task.number}规则{req['position']}事项 "
                            f"{obligation['key']} 的起算事件日期 ({started}); 请检查完成日期。")


def _period_start(req: dict[str, Any], year: int, key: str) -> date | None:
    """The first day of the period a recurring obligation covers (None for other kinds)."""
    if req["kind"] != "recurring":
        return None
    from tracker.calendar import WorkCalendar
    from tracker.schedule import occurrences

    base = to_requirement(req)._replace(per_owner=False)  # keys without "#unit"
    wanted = key.split("#", 1)[0]
    for occ in occurrences(base, year=year, calendar=WorkCalendar({})):
        if occ.key == wanted:
            return occ.period_start
    return None


def log_event(*, session: Session, task: Task, on: date, ref: str | None, rule: int | None,
              expected_version: int | None = None) -> EventResult:
    """Log an event (文件发布) that starts the task's after-event rule(s); returns the new due dates.

    Without `rule` the event starts every after-event rule of the task. A task with no such rule
    is `UsageError`. A date before the plan's year is recorded and reported in `before_year`.
    """
    check_version(session, task, expected_version)
    starters = [r for r in _rules(session, task) if r["kind"] == "after_event"]
    # an explicit rule, or no after-event rule at all, goes through _pick_rule (which explains)
    req = _pick_rule(session, task, rule, kinds=("after_event",)) if rule is not None or not starters else None
    event_id = audit.insert(session, audit.table("event"),
                            {"task_id": task.id, "requirement_id": req["id"] if req else None, "on": on,
                             "ref": ref, "created_by": session.info["who"], "created_at": session.info["now"]},
                            f"任务{task.number}: 事件 {on}{' ' + ref if ref else ''}")
    bump(session, task, f"任务{task.number}: 版本+1", expected_version)
    recompute(session, [int(task.id or 0)])
    rows = session.execute(sql(
        "SELECT r.position, o.due, o.note FROM obligation o JOIN requirement r ON r.id = o.requirement_id "
        "WHERE o.event_id = :e ORDER BY r.position"), {"e": event_id}).all()
    year = _plan_year(session, task)
    return EventResult(event_id, task.number, on, tuple((p, _day(d), n or "") for p, d, n in rows),
                       year if on < date(year, 1, 1) else None)


def add_note(*, session: Session, task: Task, text: str, on: date, expected_version: int | None = None) -> None:
    """Add a dated progress note (进展情况); an empty note is `UsageError`."""
    check_version(session, task, expected_version)
    if not text.strip():
        raise UsageError("the note is empty; write what was done, e.g. tracker note 8 \"已完成第一次评价\".",
                         zh="进展内容为空; 请写明做了什么, 如 `tracker note 8 \"已完成第一次评价\"`。")
    audit.insert(session, audit.table("progressnote"),
                 {"task_id": task.id, "on": on, "text": text.strip(), "author": session.info["who"],
                  "created_at": session.info["now"]}, f"任务{task.number}: 进展 {text.strip()[:30]}")
    bump(session, task, f"任务{task.number}: 版本+1", expected_version)


@dataclass(frozen=True)
class Recredited:
    """A completion an assign moved to another unit's obligation of the same period (`AssignResult`)."""

    rule: int
    old_key: str
    new_key: str
    unit: str
    done_on: date


@dataclass(frozen=True)
class AssignResult:
    """What `assign_owners` did: `changed` (also the result's truth value: False = nothing written)
    and the completions it credited to another unit's obligation, so that none is lost."""

    changed: bool
    recredited: tuple[Recredited, ...] = ()

    def __bool__(self) -> bool:
        return self.changed


def assign_owners(*, session: Session, task: Task, lead: Sequence[str], support: Sequence[str],
                  expected_version: int | None = None) -> AssignResult:
    """Replace the task's owners (origin "manual": kept over the document's on re-import).

    Units are created when new. At least one lead unit is required (`UsageError`). Returns a false
    result, writing nothing, when the task already has exactly these owners in these roles: an
    audit row and a new version for no change would make `undo` undo nothing and a TUI's open
    dialog stale.

    A per-owner rule has one obligation per unit (2024-Y1#局办公室), or one (2024-Y1) while the task
    has no unit; so new owners re-key its obligations. A completion whose obligation the new owners
    no longer have — recorded before any unit was assigned, or by a unit no longer an owner — is
    credited to the first owner (lead units first) whose obligation of the same period has no
    completion (`AssignResult.recredited`; the audited update is reverted by `undo` with the rest).
    When every owner's obligation of that period is done already, the assign is refused
    (`UsageError`, nothing written): the completion would count for nothing.
    """
    check_version(session, task, expected_version)
    from tracker.store.importer import _owner_ids, office_of_task

    office = office_of_task(session, int(task.id or 0))
    offices = dict(session.execute(sql("SELECT id, name FROM office")).all())
    own = unit_label("", str(offices.get(office, "")))  # a unit may be named as lists label it: "办公室（A局）"
    lead_names = list(dict.fromkeys(n.strip().removesuffix(own) for n in lead if n.strip()))
    support_names = [n for n in dict.fromkeys(n.strip().removesuffix(own) for n in support if n.strip())
                     if n not in lead_names]
    if not lead_names:
        raise UsageError("give at least one lead unit with --lead, e.g. --lead 局办公室.",
                         zh="请用 --lead 至少指定一个牵头单位, 如 --lead 局办公室。")
    for name in lead_names + support_names:
        other = next((o for i, o in offices.items() if i != office and name.endswith(unit_label("", str(o)))), None)
        if other is not None:
            mine = offices.get(office, office)
            raise UsageError(f"“{name}” is a unit of {other}; task {task.number} belongs to "
                             f"{mine}, whose units it can have.",
                             zh=f"“{name}”是{other}的单位; 任务{task.number}属于{mine}, 只能由{mine}的单位负责。")
    links = audit.table("taskowner")
    old = list(session.execute(links.select().where(links.c.task_id == task.id).order_by(links.c.id)).mappings())
    if _owners_now(session, old) == [(n, office, "lead") for n in lead_names] + [
            (n, office, "support") for n in support_names]:
        return AssignResult(False)
    ids = _owner_ids(session, set(lead_names) | set(support_names), office)
    after = _owners_words(lead_names, support_names)
    if old:  # the log shows an action by its first row's summary: say what replaced what, not "removed"
        names = dict(session.execute(sql("SELECT id, name FROM owner")).all())
        before = _owners_words([names[r["owner_id"]] for r in old if r["role"] == "lead"],
                               [names[r["owner_id"]] for r in old if r["role"] != "lead"])
        for row in old:
            audit.delete(session, links, row["id"], f"任务{task.number}: 更换责任单位 {before} → {after}")
    audit.insert_many(session, links, [{"task_id": task.id, "owner_id": ids[n], "role": role, "origin": "manual"}
                                       for role, names in (("lead", lead_names), ("support", support_names))
                                       for n in dict.fromkeys(names)],
                      f"任务{task.number}: {after}")
    bump(session, task, f"任务{task.number}: 版本+1", expected_version)
    orphaned = {int(c["id"]) for c in _unmatched(session, task)}  # a rule change's, kept as they were
    recompute(session, [int(task.id or 0)])
    return AssignResult(True, _recredit(session, task, skip=orphaned))


def _unmatched(session: Session, task: Task) -> list[RowMapping]:
    """The completions of the task's live rules whose obligation (requirement, key) does not exist."""
    return list(session.execute(sql(
        "SELECT c.id, c.requirement_id, c.obligation_key, c.done_on, r.position FROM completion c "
        "JOIN requirement r ON r.id = c.requirement_id WHERE r.task_id = :t AND r.removed = FALSE "
        "AND NOT EXISTS (SELECT 1 FROM obligation o WHERE o.requirement_id = c.requirement_id "
        "AND o.key = c.obligation_key) ORDER BY c.done_on, c.id"), {"t": task.id}).mappings())


def _recredit(session: Session, task: Task, *, skip: Collection[int]) -> tuple[Recredited, ...]:
    """Move each completion the new owners left without its obligation (not those in `skip`) to
    the first open obligation of the same period (the key before "#"), in the task's owner order."""
    tbl = audit.table("completion")
    moved: list[Recredited] = []
    for c in _unmatched(session, task):
        if int(c["id"]) in skip:
            continue
        period, _, unit = str(c["obligation_key"]).partition("#")
        done = {r[0] for r in session.execute(sql(
            "SELECT obligation_key FROM completion WHERE requirement_id = :r"), {"r": c["requirement_id"]})}
        same = _in_order(session, task, [o for o in session.execute(sql(
            "SELECT key, due, owner FROM obligation WHERE requirement_id = :r"), {"r": c["requirement_id"]}
        ).mappings() if str(o["key"]).partition("#")[0] == period])
        target = next((o for o in same if o["key"] not in done), None)
        on = _day(c["done_on"])
        rule, n = c["position"], task.number
        if target is None:
            whose, whose_zh = ((f"{unit} is no longer an owner of task {n}", f"{unit}不再是任务{n}的责任单位")
                               if unit else (f"it was recorded before task {n} had units",
                                             f"该记录是任务{n}指定责任单位之前登记的"))
            keep, keep_zh = (f" (keep {unit} among the owners)", f" (请保留{unit}为责任单位)") if unit else ("", "")
            raise UsageError(f"the completion of {c['obligation_key']} (rule {rule}, {on}) would count for nothing: "
                             f"{whose}, and every owner's {period} is done already; nothing was changed{keep}.",
                             zh=f"规则{rule}的 {c['obligation_key']} 完成记录 ({on}) 将无处计入: {whose_zh}, "
                                f"而各责任单位的 {period} 都已完成; 未做任何修改{keep_zh}。")
        audit.update(session, tbl, int(c["id"]), {"obligation_key": target["key"]},
                     f"任务{n}: 完成记录 规则{rule} {c['obligation_key']} 改计入 {target['owner']} ({target['key']})")
        moved.append(Recredited(int(rule), str(c["obligation_key"]), str(target["key"]), str(target["owner"]),
                                on or date.min))
    return tuple(moved)


def _owners_now(session: Session, links: Sequence[RowMapping]) -> list[tuple[str, int | None, str]]:
    """The task's owner links as (unit name, its office, role), in their order."""
    units = {r[0]: (str(r[1]), r[2]) for r in session.execute(sql("SELECT id, name, office_id FROM owner"))}
    return [(*units[r["owner_id"]], "lead" if r["role"] == "lead" else "support") for r in links]


def _owners_words(lead: Sequence[str], support: Sequence[str]) -> str:
    """ "牵头 A、B 配合 C" — a task's owners as the audit log words them."""
    return f"牵头 {'、'.join(lead) or '(无)'}" + (f" 配合 {'、'.join(support)}" if support else "")


def waive(*, session: Session, task: Task, rule: int | None, reason: str, on: date | None = None,
          expected_version: int | None = None) -> int:
    """Set a rule aside (不适用) with a reason; returns the rule's number (K).

    Already waived, or an empty reason, is `UsageError`.

    `on` dates the waiver (it counts from that day as of any date); default: the record time.
    """
    check_version(session, task, expected_version)
    if not reason.strip():
        raise UsageError("a waiver needs a reason (--reason), e.g. --reason \"本年度无此类文件\".",
                         zh="设为不适用需要写明理由 (--reason), 如 --reason \"本年度无此类文件\"。")
    req = _pick_rule(session, task, rule, verb="waive")
    if session.execute(sql("SELECT 1 FROM waiver WHERE requirement_id = :r"), {"r": req["id"]}).first():
        raise UsageError(f"rule {req['position']} of task {task.number} is already waived.",
                         zh=f"任务{task.number}的规则{req['position']}已经设为不适用。")
    at = datetime.combine(on, datetime.min.time(), tzinfo=UTC) if on else session.info["now"]
    audit.insert(session, audit.table("waiver"),
                 {"requirement_id": req["id"], "reason": reason.strip(), "created_by": session.info["who"],
                  "created_at": at}, f"任务{task.number}: 规则{req['position']}不适用 ({reason.strip()[:30]})")
    bump(session, task, f"任务{task.number}: 版本+1", expected_version)
    return int(req["position"])


def lift_waiver(*, session: Session, task: Task, rule: int | None,
                expected_version: int | None = None) -> tuple[int, str]:
    """Lift a rule's waiver (it counts again, as if never waived); returns (K, the waiver's reason).

    Without `rule` the task's only waived rule. Nothing waived, or several waived and no `rule`,
    or `rule` not waived, is `UsageError` naming the waived ones. The waiver row is deleted with
    an audit row, so `undo` restores it exactly (its reason and date).
    """
    check_version(session, task, expected_version)
    waived = _waivers(session, task)
    rules = [r for r in _rules(session, task) if r["id"] in waived]
    listing = ", ".join(f"{r['position']} ({waived[r['id']][:30]})" for r in rules)
    listing_zh = ", ".join(f"规则{r['position']} ({waived[r['id']][:30]})" for r in rules)
    if not rules:
        raise UsageError(f"no rule of task {task.number} is waived; there is no waiver to lift.",
                         zh=f"任务{task.number}没有设为不适用的规则, 无需解除。")
    if rule is None and len(rules) > 1:
        raise UsageError(f"task {task.number} has {len(rules)} waived rules; choose one with --rule K: {listing}.",
                         zh=f"任务{task.number}有 {len(rules)} 条规则设为不适用; 请用 --rule K 选择一条: {listing_zh}。")
    req = rules[0] if rule is None else _pick_rule(session, task, rule, verb="lift")
    if req["id"] not in waived:
        raise UsageError(f"rule {rule} of task {task.number} is not waived; the waived ones are {listing}.",
                         zh=f"任务{task.number}的规则{rule}没有设为不适用; 设为不适用的是: {listing_zh}。")
    tbl = audit.table("waiver")
    for row in session.execute(tbl.select().where(tbl.c.requirement_id == req["id"])).mappings():
        audit.delete(session, tbl, row["id"], f"任务{task.number}: 规则{req['position']}恢复适用 "
                                              f"(原因: {waived[req['id']][:30]})")
    bump(session, task, f"任务{task.number}: 版本+1", expected_version)
    return int(req["position"]), waived[req["id"]]


_RULE_NEEDS = {"recurring": ("count", "period"), "after_event": (), "deadline": ("month", "day"), "ongoing": ()}


_OPTION = {"month": "--deadline MM-DD", "day": "--deadline MM-DD", "workdays or days": "--workdays N or --days N"}
"""The command-line option that gives a missing field: a deadline's month and day are one option."""


def _check_rule(values: dict[str, Any]) -> None:
    kind = values.get("kind")
    if kind not in _RULE_NEEDS:
        raise UsageError(f"a rule needs --kind, one of {', '.join(_RULE_NEEDS)}.",
                         zh=f"规则需要 --kind, 取值为 {', '.join(_RULE_NEEDS)} 之一。")
    missing = [k for k in _RULE_NEEDS[kind] if values.get(k) is None]
    if kind == "after_event" and values.get("workdays") is None and values.get("days") is None:
        missing.append("workdays or days")
    if missing:
        options = ", ".join(dict.fromkeys(_OPTION.get(m, "--" + m.replace("_", "-")) for m in missing))
        raise UsageError(f"{'an' if kind == 'after_event' else 'a'} {kind} rule needs {options}.",
                         zh=f"{kind} 规则需要 {options.replace(' or ', ' 或 ')}。")
    if kind == "recurring" and (values["period"] not in PERIODS or values["count"] < 1):
        raise UsageError(f"a recurring rule needs --count ≥ 1 and --period one of {', '.join(PERIODS)}.",
                         zh=f"recurring 规则需要 --count ≥ 1, 且 --period 为 {', '.join(PERIODS)} 之一。")
    if kind == "deadline" and not (1 <= values["month"] <= 12 and 1 <= values["day"] <= 31):
        raise UsageError("a deadline is MM-DD with month 1–12 and day 1–31, e.g. --deadline 12-31.",
                         zh="期限应写成 MM-DD, 月为 1–12, 日为 1–31, 如 --deadline 12-31。")
    if kind == "deadline":
        import calendar

        month, day = values["month"], values["day"]
        last = calendar.monthrange(2024, month)[1]  # a leap year: 02-29 is a day some years have
        if day > last:
            raise UsageError(f"--deadline {month:02d}-{day:02d} is not a day of the year: month {month} has "
                             f"{last} days at most; e.g. --deadline {month:02d}-{last:02d}.",
                             zh=f"--deadline {month:02d}-{day:02d} 不是存在的日期: {month}月最多{last}天; "
                                f"如 --deadline {month:02d}-{last:02d}。")
    # 0 calendar days is the event's own day (as the schedule reads it); 0 working days is none
    workdays, days, due_day = values.get("workdays"), values.get("days"), values.get("due_day")
    if workdays is not None and workdays < 1:
        raise UsageError(f"--workdays {workdays} is not an allowance; count at least 1 working day after the event.",
                         zh=f"--workdays {workdays} 不是有效的期限: 事件后的期限至少为 1 个工作日。")
    if days is not None and days < 0:
        raise UsageError(f"--days {days} is not an allowance; use 0 or more days after the event.",
                         zh=f"--days {days} 不是有效的期限: 事件后的期限应为 0 天或以上。")
    if due_day is not None and due_day < 1:
        raise UsageError(f"--due-day must be 1 or more, not {due_day}.",
                         zh=f"--due-day 应为 1 或更大的数, 不能是 {due_day}。")


@dataclass(frozen=True)
class RuleResult:
    """The rule `correct_rule` added, removed or changed (K), and whether anything was written."""

    rule: int
    changed: bool = True


def correct_rule(*, session: Session, task: Task, rule: int | None, add: bool, remove: bool,
                 changes: dict[str, object], expected_version: int | None = None) -> RuleResult:
    """Add, remove or change a rule by hand (origin "manual": a re-import never overwrites it).

    A change to values the rule already has writes nothing (`changed` False): no audit row that
    `undo` would spend on nothing, no new version, and the rule is not pinned against a re-import.

    `changes` holds model field names (kind, count, period, workdays, days, event, month, day,
    year_offset, due_day, per_owner, what). An incomplete rule is `UsageError` naming what is missing.
    """
    check_version(session, task, expected_version)
    tbl = audit.table("requirement")
    unknown = set(changes) - set(REQ_FIELDS) - {"kind", "source"}
    if unknown:
        raise UsageError(f"unknown rule fields {', '.join(sorted(unknown))}.",
                         zh=f"未知的规则字段: {', '.join(sorted(unknown))}。")
    if add:
        values: dict[str, Any] = dict.fromkeys(REQ_FIELDS) | {"per_owner": False, "year_offset": 0,
                                                                        "what": "", "source": "(手工添加)"}
        values.update(changes)
        _check_rule(values)
        top = max((r["position"] for r in _rules_all(session, task)), default=0) + 1
        audit.insert(session, tbl, values | {"task_id": task.id, "position": top, "origin": "manual",
                                             "removed": False, "parsed_index": None},
                     f"任务{task.number}: 新增规则{top}")
        position = top
    else:
        req = _pick_rule(session, task, rule, verb="correct")
        position = int(req["position"])
        if remove:
            audit.update(session, tbl, req["id"], {"removed": True, "origin": "manual"},
                         f"任务{task.number}: 删除规则{req['position']}")
        else:
            if not changes:
                raise UsageError("say what to change, e.g. --count 2 --period year, or use --add / --remove.",
                                 zh="请说明要修改什么, 如 --count 2 --period year, 或用 --add / --remove。")
            if all(req.get(k) == v for k, v in changes.items()):
                return RuleResult(position, changed=False)
            merged = req | changes
            _check_rule(merged)
            audit.update(session, tbl, req["id"], dict(changes) | {"origin": "manual"},
                         f"任务{task.number}: 修改规则{req['position']}")
    bump(session, task, f"任务{task.number}: 版本+1", expected_version)
    recompute(session, [int(task.id or 0)])
    return RuleResult(position)


def unmatched_completions(*, session: Session, task: Task) -> int:
    """How many completions of the task's live rules record an obligation key the rule no longer has.

    A rule correction (`--count 2` on a quarterly rule) recomputes the obligations, and completions
    recorded against vanished keys then count for nothing (`tracker check` reports them). They are
    not moved to another obligation by date: which of the new obligations a 03-28 completion was
    meant for is the coordinator's call, and `tracker undo` restores the old rule with them intact.
    So `tracker rule` compares this count before and after the change and warns when it grew.
    """
    return int(session.execute(sql(
        "SELECT count(*) FROM completion c JOIN requirement r ON r.id = c.requirement_id "
        "WHERE r.task_id = :t AND r.removed = FALSE AND NOT EXISTS (SELECT 1 FROM obligation o "
        "WHERE o.requirement_id = c.requirement_id AND o.key = c.obligation_key)"), {"t": task.id}).scalar_one())


def _rules_all(session: Session, task: Task) -> list[Any]:
    tbl = audit.table("requirement")
    return list(session.execute(tbl.select().where(tbl.c.task_id == task.id)).mappings())


def set_owner_email(*, session: Session, name: str, email: str | None) -> bool:
    """Set (or with None clear) the address a unit's reminders go to; False, writing nothing, when
    the unit already has this address (or none, to clear): "unchanged", and `undo` stays exact.

    `name` is the unit's name, or its label "办公室（A局）" when units of several offices share the
    name (`tracker.model.unit_label`; a bare shared name is `UsageError` listing the labels). The
    units are the ones this connection sees: on PostgreSQL an office coordinator's own office's.
    Unknown unit → `NotFoundError`.
    """
    tbl = audit.table("owner")
    rows = list(session.execute(tbl.select().order_by(tbl.c.name, tbl.c.office_id)).mappings())
    labels = UnitNames([n for n, k in Counter(r["name"] for r in rows).items() if k > 1],
                       dict(session.execute(sql("SELECT id, name FROM office")).all()))

    def shown(r: RowMapping) -> str:
        return labels(r["name"], r["office_id"])

    wanted = name.strip()
    hits = [r for r in rows if wanted in (r["name"], shown(r))]
    if not hits:
        names = "、".join(shown(r) for r in rows)
        raise NotFoundError(f"no unit named “{name}”; the units are {names or 'none yet (assign owners first)'}.",
                            zh=f"没有名为“{name}”的单位; 已有的单位: {names or '暂无 (请先指定责任单位)'}。")
    if len(hits) > 1:
        labelled = "、".join(shown(r) for r in hits)
        raise UsageError(f"“{wanted}” is a unit of several offices; name one: {labelled}.",
                         zh=f"“{wanted}”是多个机关都有的单位; 请指定其中一个: {labelled}。")
    if email is not None and (email.count("@") != 1 or " " in email.strip() or email.strip().endswith("@")):
        raise UsageError(f"“{email}” is not a mail address; use name@example.gov.cn.",
                         zh=f"“{email}”不是邮件地址; 请写成 name@example.gov.cn 的形式。")
    address = email.strip() if email and email.strip() else None
    if hits[0]["email"] == address:
        return False
    audit.update(session, tbl, hits[0]["id"], {"email": address}, f"单位{shown(hits[0])}: 邮箱 {address or '(无)'}")
    return True


def calendar_line(day: date, kind: str, name: str = "") -> str:
    """ "2027-02-07 上班 春节" — one calendar override as the audit log words it."""
    return f"{day} {'放假' if kind == 'holiday' else '上班'}{' ' + name if name else ''}"


def calendar_changes(session: Session, items: Sequence[tuple[date, str, str]]) -> list[tuple[date, str, str]]:
    """The overrides of `items` (day, kind, name) that would change something (`set_calendar_override`
    writes nothing for the others)."""
    stored = {_day(d): (k, n) for d, k, n in session.execute(sql("SELECT day, kind, name FROM calendaroverride"))}
    out: list[tuple[date, str, str]] = []
    for day, kind, name in items:
        if stored.get(day) != (kind, name):
            out.append((day, kind, name))
            stored[day] = (kind, name)
    return out


def calendar_summary(items: Sequence[tuple[date, str, str]], source: str = "") -> str:
    """The audit line of several overrides set by one action (a calendar import): every row of the
    action carries it, so the log's line and `undo`'s sentence name all of them, not the first."""
    if len(items) == 1:
        return f"日历: {calendar_line(*items[0])}"
    shown = ", ".join(calendar_line(*i) for i in items[:5])
    more = " 等" if len(items) > 5 else ""
    return f"日历: {len(items)}个日历调整{f' (来自 {source})' if source else ''} — {shown}{more}"


def set_calendar_override(*, session: Session, day: date, kind: str, name: str = "",
                          recompute_now: bool = True, summary: str | None = None) -> bool:
    """Mark a day as holiday or workday (it wins over the package data); recomputes the deadlines it moves.

    Returns False, writing nothing, when the day already has this override: re-importing the same
    arrangement file must succeed, and no audit row means `undo` keeps undoing the last real change.
    `recompute_now=False` leaves the recomputation to the caller (an import of many lines does it once).
    `summary` is the audit line (default "日历: 2027-02-07 上班 春节"): an import of several lines
    gives each row the line naming all of them (`calendar_summary`).
    """
    if kind not in ("holiday", "workday"):
        raise UsageError(f"a calendar override is holiday or workday, not “{kind}”.",
                         zh=f"日历调整应为 holiday (放假) 或 workday (上班), 不能是“{kind}”。")
    tbl = audit.table("calendaroverride")
    row = session.execute(tbl.select().where(tbl.c.day == day)).mappings().first()
    summary = summary or f"日历: {calendar_line(day, kind, name)}"
    if row is None:
        audit.insert(session, tbl, {"day": day, "kind": kind, "name": name}, summary)
    elif (row["kind"], row["name"]) == (kind, name):  # nothing would change: record nothing (undo stays exact)
        return False
    else:
        audit.update(session, tbl, row["id"], {"kind": kind, "name": name}, summary)
    if recompute_now:
        recompute(session, calendar_tasks(session))
    return True


_PRIMARY = {"done": "completion", "reopen": "completion", "event": "event", "note": "progressnote", "assign": "taskowner",
            "waive": "waiver", "rule": "requirement", "calendar": "calendaroverride", "owners": "owner",
            "import": "plan"}
"""The table whose row best names each action, for undo's summary."""


def undo_last(*, session: Session) -> str:
    """Reverse exactly the last action not yet undone (all its audit rows); return its summary.

    Only the current user's offices' changes are considered (`auditentry.office_id`, schema 6; on
    PostgreSQL also what row-level security lets them see): a coordinator never undoes another
    office's change, and a user with no office has nothing to undo (`UsageError`). Every row must
    actually be reverted before the action is marked undone: a row that is gone or not the user's
    to change is `ConflictError` and nothing is written. Undo entries themselves are never undone
    (there is no redo). Nothing to undo → `UsageError`; so is a last action that was `tracker
    migrate` (undo never reaches past a copy).
    """
    pg = session.connection().dialect.name == "postgresql"
    mine = ""
    if pg:
        user, admin, offices = session.execute(sql(
            "SELECT tracker_user(), tracker_is_admin(), EXISTS (SELECT tracker_office_ids())")).one()
        if not admin and not offices:
            raise UsageError(f"“{user}” belongs to no office, so there is nothing they may undo; a city admin "
                             f"can grant one with `tracker users grant {user} OFFICE`.",
                             zh=f"“{user}”不属于任何机关, 因此没有可撤销的修改; 市级协调人可用 "
                                f"`tracker users grant {user} OFFICE` 为其指定机关。")
        mine = " AND ((SELECT tracker_is_admin()) OR office_id IN (SELECT tracker_office_ids()))"
    last = session.execute(sql(
        # a repair (`tracker check --repair`) recomputed derived rows and has nothing to revert:
        # undo passes over it to the last change someone made (its own line stays in the log)
        f"SELECT action_id, office_id FROM auditentry WHERE undone = FALSE AND action NOT IN ('undo', 'repair'){mine} "
        "ORDER BY id DESC LIMIT 1")).first()
    if last is None:
        raise UsageError("there is nothing to undo.", zh="没有可撤销的修改。")
    if session.execute(sql("SELECT 1 FROM auditentry WHERE action_id = :a AND entity = 'migrate'"),
                       {"a": last[0]}).first():
        raise UsageError("the last change copied another database in (tracker migrate); it cannot be undone.",
                         zh="最近一次修改是从另一个数据库复制数据 (`tracker migrate`), 无法撤销。")
    entries = [dict(r) for r in session.execute(
        sql(f"SELECT * FROM auditentry WHERE action_id = :a AND undone = FALSE{mine} ORDER BY id"),
        {"a": last[0]}).mappings()]
    main = _PRIMARY.get(entries[0]["action"])
    lines = list(dict.fromkeys(e["summary"] for e in entries if e["entity"] == main and e["after"] is not None))
    first = lines[-1] if lines else entries[0]["summary"]
    if len(lines) > 1:  # several rows, each its own line (no aggregate line was stored): name how many
        first = f"{lines[0]} 等{len(lines)}个{audit.entity_label(main or '')}"
    at = str(entries[0]["at"])[:16]
    summary = f"{entries[0]['action']} ({first}; {entries[0]['who']} {at})"
    try:
        touched = audit.reverse(session, entries)
    except audit.NotRevertedError as exc:
        entity, row_id = exc.entry["entity"], exc.entry["entity_id"]
        raise ConflictError(f"the last change, {summary}, cannot be undone: its {entity} row "
                            f"{row_id} is gone or not yours to change, so nothing was undone.",
                            zh=f"最近一次修改无法撤销: {audit.undo_summary(summary)}; 其中一条"
                               f"{audit.entity_label(entity)} (ID {row_id}) 已不存在, 或你无权修改; "
                               "没有撤销任何内容。") from None
    if pg:
        marked = session.execute(sql("SELECT tracker_mark_undone(:a)"), {"a": last[0]}).scalar()
    else:
        marked = getattr(session.execute(sql("UPDATE auditentry SET undone = TRUE WHERE action_id = :a "
                                             "AND undone = FALSE"), {"a": last[0]}), "rowcount", len(entries))
    if marked != len(entries):
        raise ConflictError(f"the last change, {summary}, was changed by someone else while it was being undone; "
                            "nothing was undone, try again.",
                            zh=f"撤销过程中相关记录被他人改动: {audit.undo_summary(summary)}; "
                               "没有撤销任何内容, 请重试。")
    if last[1] is not None:
        session.info["office_id"] = int(last[1])  # the undo note belongs to the undone change's office
    audit.note(session, f"撤销: {summary}")
    calendar = any(e["entity"] == "calendaroverride" for e in entries)
    recompute(session, touched | set(calendar_tasks(session)) if calendar else touched)
    return summary


def recompute_obligations(*, session: Session, task_ids: Iterable[int] | None = None) -> None:
    """Rebuild the obligation rows of these tasks (all when None) from their rules, owners, events."""
    recompute(session, task_ids)
