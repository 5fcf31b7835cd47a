"""Task references as a coordinator types them: "8", "1:8", "1:三/4", "1:三/4#2" — one resolver.

The read commands (`tracker.query.find_task_id`, plain SQL) and the write commands
(`tracker.store.actions.find_task`, the ORM session) fetch a plan's live tasks their own way and
both hand them here, so `tracker show 4` and `tracker done 4` refuse the same ambiguity with the
same sentence: a write must never pick the first of two tasks numbered alike.

Real plans number tasks twice: per section ("一、…1. 2. 二、…1. 2.") and, by mistake, twice in one
section ("4.做好庚工作… 4.做好辛工作…"). A reference is the task's number or its outline path
(section/number), optionally followed by `#N`: the N-th task, in plan order, that the rest of the
reference matches. Every task has a reference naming it alone (`unique_ref`), and the ambiguity
error lists them with the start of each title, so the coordinator can pick one.
"""

# No `from __future__ import annotations`: `TaskRef` is on `tracker show`'s and `remind`'s cold path, and a
# NamedTuple compiles each string annotation at import (tests/test_cold_imports.py).
from collections.abc import Sequence
from typing import NamedTuple

from tracker.errors import NotFoundError, UsageError

_SAME = str.maketrans({"（": "(", "）": ")", "：": ":", "＃": "#", "／": "/"})


class TaskRef(NamedTuple):
    """What a reference is matched against: one live task of a plan (rows come in plan order)."""

    task_id: int
    number: str
    path: str
    title: str


def _norm(value: str) -> str:
    """ "（4）、" → "(4)": the forms a number is written in, and typed in, compare equal."""
    return "/".join(part.strip().rstrip(".、") for part in value.strip().translate(_SAME).split("/"))


def split_ref(ref: str) -> tuple[str | None, str]:
    """ "1:三/4#2" → ("1", "三/4#2"); "8" → (None, "8"). A full-width "：" counts (Chinese input)."""
    plan, sep, rest = ref.strip().translate(_SAME).rpartition(":")
    return (plan if sep else None), rest


class PlanRef(NamedTuple):
    """What a plan's name (`--plan P`, the PLAN of PLAN:NUMBER) is matched against: one stored plan."""

    plan_id: int
    title: str
    year: int


def pick_plan(plans: Sequence[PlanRef], plan: str | None) -> PlanRef:
    """The one plan of `plans` that `plan` names (by id, four-digit year or part of the title), or
    the only one when `plan` is None — for reads (`tracker.query.resolve_plan`) and writes
    (`tracker.store.actions.find_task`) alike, so both refuse the same way with the same sentence.

    A number is an id, or a four-digit year, and never part of a title: every title holds its
    year's digits ("2024年…" contains 2 and 4), so `tracker show 2:1` with plan 2 missing would
    otherwise read, and a write name, plan 1. `NotFoundError` (exit 4) when none is stored or none
    matches; `UsageError` (exit 2) when several are stored and none is named, or the name fits
    several. Each sentence lists the plans to choose from, newest first ("2 (title); 1 (title)").
    """
    if not plans:
        raise NotFoundError("no plan is stored yet; run `tracker import FILE` or `tracker demo` first.",
                            zh="还没有导入计划; 请先运行 `tracker import FILE` 或 `tracker demo`。")
    if plan is None:
        if len(plans) == 1:
            return plans[0]
        raise UsageError(f"{len(plans)} plans are stored; choose one with --plan or PLAN:NUMBER: "
                         f"{_plan_names(plans)}.",
                         zh=f"已有 {len(plans)} 个计划; 请用 --plan 或 PLAN:NUMBER 选择一个: {_plan_names(plans)}。")
    wanted = plan.strip()
    if wanted.isdecimal():  # full-width digits (２０２４) too: int() reads them
        matches = ([p for p in plans if p.plan_id == int(wanted)]
                   or [p for p in plans if len(wanted) == 4 and p.year == int(wanted)])
    else:
        matches = [p for p in plans if wanted and wanted in p.title]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"“{plan}” matches {len(matches)} plans; use the id: {_plan_names(matches)}.",
                         zh=f"“{plan}”对应 {len(matches)} 个计划; 请用计划的 ID: {_plan_names(matches)}。")
    raise NotFoundError(f"there is no plan “{plan}”; stored plans: {_plan_names(plans)}.",
                        zh=f"找不到计划“{plan}”; 已有的计划: {_plan_names(plans)}。")


def same_plan(ref: str, named: int, option: int) -> None:
    """`UsageError` when a task reference's plan part ("1:8") and --plan name different plans: a
    write would otherwise land on the one the reference names while the user believed --plan."""
    if named != option:
        raise UsageError(f"“{ref}” names plan {named}, but --plan names plan {option}; give one of them, "
                         "or make them agree.",
                         zh=f"“{ref}”指的是计划 {named}, 而 --plan 指的是计划 {option}; 请只给其中之一, 或让二者一致。")


def _plan_names(plans: Sequence[PlanRef]) -> str:
    """ "2 (2025年…); 1 (2024年…)": newest first, as `tracker plans` lists them."""
    newest = sorted(plans, key=lambda p: (p.year, p.plan_id), reverse=True)
    return "; ".join(f"{p.plan_id} ({p.title})" for p in newest)


def _ordinal(ref: str) -> tuple[str, int | None]:
    """ "三/4#2" → ("三/4", 2); without a "#N" suffix, (ref, None)."""
    base, sep, nth = ref.rpartition("#")
    return (base, int(nth)) if sep and nth.isdigit() else (ref, None)


def _matches(rows: Sequence[TaskRef], base: str) -> list[TaskRef]:
    wanted = _norm(base)
    return [r for r in rows if wanted and wanted in (_norm(r.number), _norm(r.path))]


def unique_ref(rows: Sequence[TaskRef], row: TaskRef) -> str:
    """The shortest reference that names `row` alone in its plan: its number, else its path, else
    its path and "#N" (two tasks numbered alike in one section share a path)."""
    for base in (row.number, row.path):
        if base and _matches(rows, base) == [row]:
            return base
    base = row.path or row.number
    return f"{base}#{_matches(rows, base).index(row) + 1}"


def pick_task(rows: Sequence[TaskRef], ref: str, *, plan_id: int) -> TaskRef:
    """The one task of `rows` that `ref` (without its plan part) names.

    No match is `NotFoundError` naming the valid numbers; several (and no "#N") is `UsageError`
    naming a reference for each with its title's start; a "#N" beyond the matches is
    `NotFoundError` naming the valid ones.
    """
    base, nth = _ordinal(ref.strip().translate(_SAME))
    hits = _matches(rows, base)
    if hits and nth is not None:
        if 1 <= nth <= len(hits):
            return hits[nth - 1]
        raise NotFoundError(f"task “{ref}” does not exist in plan {plan_id}: “{base}” names {len(hits)} "
                            f"tasks; use {_choices(rows, hits, plan_id)}.",
                            zh=f"计划 {plan_id} 中没有任务“{ref}”: “{base}”只对应 {len(hits)} 项任务; "
                               f"请用 {_choices(rows, hits, plan_id, 'zh')}。")
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UsageError(f"task “{ref}” is ambiguous in plan {plan_id}: it names {len(hits)} tasks; "
                         f"use {_choices(rows, hits, plan_id)}.",
                         zh=f"任务“{ref}”在计划 {plan_id} 中不唯一: 它对应 {len(hits)} 项任务; "
                            f"请用 {_choices(rows, hits, plan_id, 'zh')}。")
    numbers = ", ".join(dict.fromkeys(r.number for r in rows))
    raise NotFoundError(f"there is no task “{ref}” in plan {plan_id}; valid numbers: "
                        f"{numbers or 'none (the plan has no tasks)'}.",
                        zh=f"计划 {plan_id} 中没有任务“{ref}”; 有效的编号: {numbers or '无 (该计划没有任务)'}。")


def _choices(rows: Sequence[TaskRef], hits: Sequence[TaskRef], plan_id: int, lang: str = "en") -> str:
    """ "1:三/4#1 (做好庚工作…) or 1:三/4#2 (做好辛工作…)" — what to type instead ("或" in Chinese)."""
    shown = [f"{plan_id}:{unique_ref(rows, r)} ({_start(r.title)})" for r in hits]
    last = " 或 " if lang == "zh" else " or "
    return ", ".join(shown[:-1]) + last + shown[-1] if len(shown) > 1 else shown[0]


def _start(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= 12 else title[:12] + "…"
