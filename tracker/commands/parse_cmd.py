"""`tracker parse FILE [--json]`: read a plan or annual report and show what the parser found.

Two renderings of one value (STYLE rule 4): a readable outline — title, issuer and year; each
section with its tasks, owners and rules in words; warnings at the end — or, with --json, exactly
the parse contract of DESIGN.md (tracker.parse.contract). Nothing is stored.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from tracker.commands import Context, print_json
from tracker.errors import BadInputError
from tracker.model import PlanDraft, Requirement, RequirementKind, TaskDraft
from tracker.notes import shown

_PERIOD_WORDS = {
    "year": ("每年", "per year"), "half": ("每半年", "per half-year"),
    "quarter": ("每季度", "per quarter"), "month": ("每月", "per month"),
    "fortnight": ("每两周", "per fortnight"), "week": ("每周", "per week"),
}


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Parse the file and print the outline (or the JSON contract); exit 0.

    A file that cannot be read, or that reads but has no numbered items, raises BadInputError
    (exit 3). An annual report whose sections were found is printed even with no commitments.
    """
    from tracker.ingest import read_document
    from tracker.parse import parse

    source = read_document(args.file)
    draft = parse(source.text)
    if source.warnings:
        draft = draft._replace(warnings=(*source.warnings, *draft.warnings))
    if not draft.tasks and not (draft.kind == "annual_report" and draft.sections):
        raise BadInputError(f"{args.file} has no numbered items (一、 / (一) / 1. …); is it a "
                            "work-point plan or an annual report?",
                            zh=f"{args.file} 中没有带编号的任务 (一、 / (一) / 1. …); "
                               "请确认它是一份工作要点或年度报告。")
    if args.json:
        from tracker.parse.contract import to_json

        print_json(to_json(draft), ctx.out)
    else:
        write_outline(draft, ctx.out, lang=ctx.lang)
    return 0


def write_outline(draft: PlanDraft, out: TextIO, *, lang: str = "zh") -> None:
    """The readable outline: header, sections with their tasks, owners and rules, warnings."""
    en = lang == "en"
    kind = {"workplan": ("工作要点", "work-point plan"),
            "annual_report": ("年度报告", "annual report")}.get(draft.kind, (draft.kind, draft.kind))
    out.write(f"{draft.title or ('(无标题)' if not en else '(no title)')}\n")
    facts = [kind[1] if en else kind[0],
             f"{'issuer' if en else '发布机构'}: {draft.issuer or '—'}",
             f"{'year' if en else '年度'}: {draft.year or '—'}"]
    if draft.date_written:
        facts.append(f"{'written' if en else '成文日期'}: {draft.date_written}")
    out.write(" · ".join(facts) + "\n")
    count = (f"{len(draft.tasks)} tasks in {len(draft.sections)} sections" if en
             else f"共{len(draft.sections)}个板块、{len(draft.tasks)}项任务")
    out.write(count + "\n")
    titles = {section.number: section.title for section in draft.sections}
    current: str | None = None
    for task in draft.tasks:
        section = task.path[0] if len(task.path) > 1 else ""
        if section != current:
            current = section
            if section:
                out.write(f"\n{section}、{titles.get(section, '')}\n")
        _write_task(task, out, en=en)
    if draft.statistics:
        out.write(f"\n{'statistics' if en else '统计数据'}:\n")
        for label, value in draft.statistics.items():
            out.write(f"  {label}: {value}\n")
    if draft.warnings:
        out.write(f"\n{'warnings' if en else '提示'}:\n")
        for warning in draft.warnings:
            out.write(f"  - {shown(warning, lang)}\n")


def _write_task(task: TaskDraft, out: TextIO, *, en: bool) -> None:
    if task.number.startswith(("(", "\uff08")):
        number = task.number
    else:
        number = f"{task.number}." if task.number.isdigit() else f"{task.number}、"
    out.write(f"  {number} {task.title}\n")
    lead = "、".join(task.owners.lead) or "—"
    support = "、".join(task.owners.support) or "—"
    if en:
        owners = f"lead: {lead}  support: {support}" if task.owners.all() else "owners: none found"
    else:
        owners = f"牵头: {lead}  配合: {support}" if task.owners.all() else "责任单位: 未注明"
    out.write(f"      {owners}\n")
    if not task.requirements:
        out.write(f"      {'no dated rule' if en else '无时限要求'}\n")
    for rule in task.requirements:
        out.write(f"      {rule_words(rule, en=en)} ({rule.source})\n")


def rule_words(rule: Requirement, *, en: bool = False) -> str:
    """A rule in a few words: "每年2次", "文件发布后3个工作日内", "12月31日前", "持续推进"."""
    if rule.kind is RequirementKind.RECURRING:
        zh_per, en_per = _PERIOD_WORDS.get(rule.period or "", (rule.period or "?", rule.period or "?"))
        count = rule.count or 1
        words = f"{count} {en_per}" if en else f"{zh_per}{count}次"
        if rule.due_day:
            words += f", by day {rule.due_day}" if en else f"({rule.due_day}日前)"
        if rule.per_owner:
            words += ", each owner" if en else ",每个责任单位各一"
        return words
    if rule.kind is RequirementKind.AFTER_EVENT:
        event = rule.event or ("the event" if en else "事件")
        if rule.workdays is not None:
            return (f"within {rule.workdays} working days after {event}" if en
                    else f"{event}后{rule.workdays}个工作日内")
        return f"within {rule.days} days after {event}" if en else f"{event}后{rule.days}日内"
    if rule.kind is RequirementKind.DEADLINE:
        next_year = rule.year_offset > 0
        if en:
            return f"by {rule.month}-{rule.day}" + (" of the next year" if next_year else "")
        return f"{'次年' if next_year else ''}{rule.month}月{rule.day}日前"
    return "ongoing, no fixed date" if en else "持续推进,无固定时限"
