"""The read commands — `tracker plans`, `tasks`, `show`, `log` — as plain text or stable JSON.

They read through `tracker.query` over a plain sqlite3 connection and print; they import no ORM,
no Textual, no openpyxl (`tracker tasks` must start cold within 60 ms on a city database;
`import sqlmodel` alone costs ~335 ms). Tables are plain text laid out in terminal cells
(`unicodedata.east_asian_width`: a CJK character takes two), so they line up in any terminal
and when piped to a file. Document text is printed as it is, never interpreted.
"""

from __future__ import annotations

import argparse
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import accumulate, takewhile

from tracker import query
from tracker.calendar import WorkCalendar
from tracker.commands import Context, no_cycle_collection, print_json
from tracker.dates import check_window, parse_date
from tracker.errors import UsageError
from tracker.i18n import STATUS_GLYPHS, STATUS_LABELS, label, note_text, status_label
from tracker.model import AuditView, ObligationView, PlanInfo, Status, TaskDetail, TaskView
from tracker.query.listing import TaskLine, task_lines

_TEXT: dict[str, tuple[str, str]] = {
    "no_plans": ("还没有导入计划; 请先运行 `tracker import FILE` 或 `tracker demo`。",
                 "No plan stored yet; run `tracker import FILE` or `tracker demo`."),
    "no_tasks": ("没有符合条件的任务。", "No matching tasks."),
    "no_log": ("还没有任何记录。", "Nothing recorded yet."),
    "tasks_count": ("{n}项任务", "{n} tasks"),
    "tasks_count1": ("1项任务", "1 task"),
    "rules": ("规则/时限", "Rules"),
    "events": ("事件", "Events"),
    "notes": ("进展情况", "Progress notes"),
    "history": ("历史记录", "History"),
    "none": ("无", "none"),
    "undone": ("已撤销", "undone"),
    "waived_because": ("不适用: {reason}", "waived: {reason}"),
    "source": ("原文: {text}", "source: {text}"),
    "due_on": ("应于{due}", "due {due}"),
    "done_on": ("完成于{day}", "done {day}"),
    "no_due": ("无固定期限", "no fixed date"),
}


def _t(key: str, lang: str, **values: object) -> str:
    if values.get("n") == 1 and f"{key}1" in _TEXT:  # English singular: "1 task"
        key = f"{key}1"
    zh, en = _TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


# ---------------------------------------------------------------------------------------------
# Plain-text tables in terminal cells
# ---------------------------------------------------------------------------------------------


class _Cells(dict[str, int]):
    """Terminal cells per character, each character looked up once per process (on first sight).

    A 2,500-row `tracker tasks` table has ~15k cells but only a few hundred distinct characters:
    mapping each character through this dict (C-level `map`, `sum`, `accumulate`) costs a few
    µs per long title, where two regexes over `\u4e00-\u9fff` classes cost more per cell and
    ~6 ms to compile at every start.
    """

    def __missing__(self, char: str) -> int:
        width = 0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        self[char] = width
        return width


_CELLS = _Cells()


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: 2 for wide/full-width (CJK) characters, 0 for combining marks."""
    return len(text) if text.isascii() else sum(map(_CELLS.__getitem__, text))


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` cells (ending in "…" when cut), then padded to exactly `width`."""
    text = " ".join(text.split())
    return _fit(text, cell_width(text), width)


def _fit(text: str, used: int, width: int) -> str:
    """`fit` for a text already on one line whose width (`used`) is known.

    A cut keeps the longest start that leaves a cell for "…": the prefix widths never decrease,
    so it is as many characters as there are prefixes of at most `width - 1` cells.
    """
    if used > width:
        room = width - 1
        if text.isascii():
            text = text[:max(room, 0)]
            used = len(text)
        else:
            prefixes = list(takewhile(room.__ge__, accumulate(map(_CELLS.__getitem__, text))))
            text = text[:len(prefixes)]
            used = prefixes[-1] if prefixes else 0
        text += "…"
        used += 1  # "…" is one cell
    return text + " " * (width - used)


def render_table(heads: Sequence[str], rows: Sequence[Sequence[str]], limits: Sequence[int]) -> str:
    """Columns as wide as their widest cell (capped by `limits`), two spaces apart, no trailing blanks.

    Column by column, each distinct cell is put on one line, measured and fitted once: a city's
    overdue list has ~15k cells, but its units, rules, due dates and statuses repeat.
    """
    columns: list[tuple[int, list[str]]] = []  # (width, fitted cells)
    for column, limit in zip(zip(heads, *rows, strict=True), limits, strict=True):
        measured: dict[str, tuple[str, int]] = {}  # cell → (on one line, its width)
        for cell in dict.fromkeys(column):
            text = " ".join(cell.split())
            measured[cell] = (text, cell_width(text))
        width = min(limit, max(used for _, used in measured.values()))
        fitted = {cell: _fit(text, used, width) for cell, (text, used) in measured.items()}
        columns.append((width, list(map(fitted.__getitem__, column))))
    lines = ["  ".join(row).rstrip() for row in zip(*(cells for _, cells in columns), strict=True)]
    lines.insert(1, "  ".join("─" * width for width, _ in columns))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------


def parse_status(text: str | None) -> Status | None:
    """A status from its code (overdue, due_soon/due-soon), Chinese (逾期, 临期…) or English label.

    None (no --status) is None; anything else is a `UsageError` naming every valid value.
    """
    if text is None:
        return None
    wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
    for status, (zh, en) in STATUS_LABELS.items():
        if wanted in (status.value, zh, en.replace(" ", "_")):
            return status
    valid = ", ".join(f"{s.value} ({STATUS_LABELS[s][0]})" for s in Status)
    raise UsageError(f"“{text}” is not a status; valid: {valid}.", zh=f"“{text}”不是有效的状态; 可用的状态: {valid}。")


def _as_of(args: argparse.Namespace, ctx: Context) -> date:
    text = getattr(args, "as_of", None)
    return ctx.today if text is None else parse_date(text, today=ctx.today)  # "" is refused, not today


def _within(args: argparse.Namespace) -> int:
    return check_window(int(getattr(args, "within", 5)), "--within")


@contextmanager
def _reading(ctx: Context) -> Iterator[sqlite3.Connection]:
    conn = query.connect(ctx.db)
    try:
        with query.sql_errors():
            yield conn
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# tracker plans
# ---------------------------------------------------------------------------------------------


def plan_json(info: PlanInfo) -> dict[str, object]:
    """One plan in the stable JSON of `tracker plans --json`."""
    return {"id": info.plan_id, "title": info.title, "kind": info.kind, "issuer": info.issuer,
            "year": info.year, "tasks": info.task_count}


def plans(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker plans [--json]`: every stored plan, newest first; none is a note, exit 0."""
    with _reading(ctx) as conn:
        infos = query.list_plans(conn)
    if args.json:
        print_json([plan_json(i) for i in infos], ctx.out)
        return 0
    if not infos:
        print(_t("no_plans", ctx.lang), file=ctx.out)
        return 0
    rows = [[str(i.plan_id), str(i.year), i.title, i.issuer or "", _t("tasks_count", ctx.lang, n=i.task_count)]
            for i in infos]
    heads = ["ID", "年度" if ctx.lang == "zh" else "Year", label("plan", ctx.lang),
             "发布机构" if ctx.lang == "zh" else "Issuer", label("task", ctx.lang)]
    print(render_table(heads, rows, [6, 6, 60, 24, 12]), file=ctx.out)
    return 0


# ---------------------------------------------------------------------------------------------
# tracker tasks
# ---------------------------------------------------------------------------------------------


def task_json(view: TaskView) -> dict[str, object]:
    """One task in the stable JSON of `tracker tasks --json` (documented in docs/query.md)."""
    return {
        "plan": view.plan_id,
        "number": view.number,
        "key": view.key,
        "title": view.title,
        "section": view.section,
        "owners": {"lead": list(view.lead), "support": list(view.support)},
        "status": view.status.value,
        "next_due": view.next_due.isoformat() if view.next_due else None,
        "rules": [{"rule": r.index, "kind": r.requirement.kind.value, "summary": r.summary,
                   "source": r.requirement.source, "waived": r.waived_reason}
                  for r in view.rules],
        "obligations": [obligation_json(o) for o in view.obligations],
        "last_note": view.last_note,
        "version": view.version,
    }


def obligation_json(ob: ObligationView) -> dict[str, object]:
    """One obligation in the stable JSON of `tracker tasks --json`. (Its note is not in it; JSON for
    scripts would carry the stored text, never `note_text`'s wording for screens.)"""
    return {"rule": ob.rule_index, "key": ob.key, "owner": ob.owner,
            "due": ob.due.isoformat() if ob.due else None, "status": ob.status.value,
            "done_on": ob.done_on.isoformat() if ob.done_on else None,
            "provisional": ob.provisional}


def status_cell(status: Status, lang: str) -> str:
    """"✖ 逾期": the glyph first, so the column reads on a monochrome terminal or on paper."""
    return f"{STATUS_GLYPHS[status]} {status_label(status, lang)}"


def due_cell(due: date | None, as_of: date, calendar: WorkCalendar, lang: str) -> str:
    """"2024-06-30 逾期1天" (calendar days late), "… 今日到期", "… 剩3个工作日", or "" without a date."""
    if due is None:
        return ""
    if due < as_of:
        return f"{due.isoformat()} {label('days_late', lang, n=(as_of - due).days)}"
    if due == as_of:
        return f"{due.isoformat()} {label('due_today', lang)}"
    left = calendar.workdays_between(as_of, due)
    return f"{due.isoformat()} {label('workdays_left', lang, n=left)}"


def _owners_cell(line: TaskLine, lang: str) -> str:
    if not line.lead and not line.support:
        return label("no_owner", lang)
    support = f" / {'、'.join(line.support)}" if line.support else ""
    return "、".join(line.lead) + support


def tasks(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker tasks`: live tasks with their status as of a date, as a table or stable JSON.

    The table is read line by line (`tracker.query.listing`), without building each task's full
    view; JSON (every obligation of every task) needs the views. No matching task
    prints a note (or `[]`) and exits 0. An unknown plan, owner or status is a one-line error
    naming the valid ones.
    """
    with no_cycle_collection():
        return _tasks(args, ctx)


def _tasks(args: argparse.Namespace, ctx: Context) -> int:
    as_of, within, status = _as_of(args, ctx), _within(args), parse_status(args.status)
    with _reading(ctx) as conn:
        plan_id = query.resolve_plan(conn, args.plan).plan_id if args.plan else None
        owner = query.check_owner(conn, args.owner) if args.owner else None
        calendar = query.load_calendar(conn)
        if args.json:
            views = query.tasks_as_of(conn, as_of=as_of, plan_id=plan_id, owner=owner, status=status,
                                      within=within, lang=ctx.lang)
            print_json([task_json(v) for v in views], ctx.out)
            return 0
        lines = task_lines(conn, as_of=as_of, status=status, calendar=calendar, plan_id=plan_id,
                           owner=owner, within=within, lang=ctx.lang)
        empty = not lines and not query.list_plans(conn)
    if not lines:
        print(_t("no_plans" if empty else "no_tasks", ctx.lang), file=ctx.out)
        return 0
    heads = [label(k, ctx.lang) for k in ("number", "task", "owners", "rule", "next_due", "status")]
    ctx.out.write(f"{label('as_of', ctx.lang)} {as_of.isoformat()}\n"
                  f"{render_table(heads, _task_rows(lines, as_of, calendar, ctx.lang), [8, 30, 24, 30, 28, 14])}\n"
                  f"{_summary_line(lines, ctx.lang)}\n")
    return 0


def _task_rows(lines: Sequence[TaskLine], as_of: date, calendar: WorkCalendar, lang: str) -> list[list[str]]:
    """The table's cells, one row per line. Units, due dates and statuses repeat across a list
    (the city's 2,498 overdue tasks have 160 unit pairs and 18 due dates): each distinct one is
    worded once."""
    several = len({line.plan_id for line in lines}) > 1
    owners: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
    dues: dict[date | None, str] = {}
    statuses = {status: status_cell(status, lang) for status in Status}
    rows = []
    for line in lines:
        units = line.lead, line.support
        owners_text = owners.get(units)
        if owners_text is None:
            owners_text = owners[units] = _owners_cell(line, lang)
        due_text = dues.get(line.next_due)
        if due_text is None:
            due_text = dues[line.next_due] = due_cell(line.next_due, as_of, calendar, lang)
        rows.append([line.key if several else line.number, line.title, owners_text, "; ".join(line.rules),
                     due_text, statuses[line.status]])
    return rows


def _summary_line(lines: Sequence[TaskLine], lang: str) -> str:
    found = [line.status for line in lines]
    counts = {s: found.count(s) for s in Status}
    parts = [f"{status_cell(s, lang)} {n}" for s, n in counts.items() if n]
    return _t("tasks_count", lang, n=len(lines)) + " · " + " · ".join(parts)


# ---------------------------------------------------------------------------------------------
# tracker show
# ---------------------------------------------------------------------------------------------


def show(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker show TASK`: text, owners, each rule with its obligations, events, notes, history."""
    as_of, within = _as_of(args, ctx), _within(args)
    with _reading(ctx) as conn:
        task_id = query.find_task_id(conn, args.task, plan=args.plan)
        detail = query.task_detail(conn, task_id, as_of=as_of, within=within, lang=ctx.lang)
        calendar = query.load_calendar(conn)
    if args.json:
        print_json(detail_json(detail), ctx.out)
        return 0
    ctx.out.write("\n".join(_detail_lines(detail, as_of, calendar, ctx.lang)) + "\n")
    return 0


def detail_json(detail: TaskDetail) -> dict[str, object]:
    """`tracker show --json`: the task's JSON plus text, events, notes and history."""
    value = task_json(detail.task)
    value["text"] = detail.task.text
    value["events"] = [{"id": e.event_id, "on": e.on.isoformat(), "ref": e.ref} for e in detail.events]
    value["notes"] = [{"on": n.on.isoformat(), "text": n.text, "author": n.author} for n in detail.notes]
    value["history"] = [audit_json(a) for a in detail.history]
    return value


def _detail_lines(detail: TaskDetail, as_of: date, calendar: WorkCalendar, lang: str) -> list[str]:
    v = detail.task
    lines = [f"{v.key}  {v.title}  [{status_cell(v.status, lang)}]",
             f"{label('plan', lang)}: {v.plan_title}" + (f" · {v.section}" if v.section else ""),
             f"{label('lead', lang)}: {'、'.join(v.lead) or label('no_owner', lang)}"
             + (f"   {label('support', lang)}: {'、'.join(v.support)}" if v.support else ""),
             f"{label('as_of', lang)}: {as_of.isoformat()}", "",
             f"{label('text', lang)}:", f"  {v.text}", "", f"{_t('rules', lang)}:"]
    for rule in v.rules:
        lines.append(f"  {rule.index}. {rule.summary}")
        if rule.requirement.source:
            lines.append(f"     {_t('source', lang, text=rule.requirement.source)}")
        if rule.waived_reason is not None:
            lines.append(f"     {_t('waived_because', lang, reason=rule.waived_reason)}")
        for ob in (o for o in v.obligations if o.requirement_id == rule.requirement_id):
            lines.append("     " + _obligation_line(ob, as_of, calendar, lang))
    if not v.rules:
        lines.append(f"  {_t('none', lang)}")
    lines += ["", f"{_t('events', lang)}:"]
    lines += [f"  {e.on.isoformat()}  {e.ref or ''}".rstrip() for e in detail.events] or [f"  {_t('none', lang)}"]
    lines += ["", f"{_t('notes', lang)}:"]
    lines += [f"  {n.on.isoformat()}  {_hanging(n.text, 14)}" + (f"  ({n.author})" if n.author else "")
              for n in detail.notes] or [f"  {_t('none', lang)}"]
    lines += ["", f"{_t('history', lang)}:"]
    lines += [_audit_line(a, lang) for a in detail.history] or [f"  {_t('none', lang)}"]
    return lines


def _hanging(text: str, indent: int) -> str:
    """A text of several lines (a note typed with line breaks) with every line after the first
    indented to `indent` columns, so it stays under its date instead of breaking the layout."""
    return text if "\n" not in text else ("\n" + " " * indent).join(text.splitlines())


def _obligation_line(ob: ObligationView, as_of: date, calendar: WorkCalendar, lang: str) -> str:
    parts = [ob.key + (f" ({ob.owner})" if ob.owner else ""),
             _t("due_on", lang, due=ob.due.isoformat()) if ob.due else _t("no_due", lang),
             status_cell(ob.status, lang)]
    if ob.done_on:
        parts.append(_t("done_on", lang, day=ob.done_on.isoformat()))
    elif ob.status in (Status.OVERDUE, Status.DUE_SOON):
        parts.append(due_cell(ob.due, as_of, calendar, lang).partition(" ")[2])
    if ob.evidence:
        parts.append(f"{label('evidence', lang)}: {ob.evidence}")
    if ob.provisional:
        parts.append(f"[{label('provisional', lang)}] {note_text(ob.note, lang)}".rstrip())
    elif ob.note:
        parts.append(note_text(ob.note, lang))
    return "  ".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------------
# tracker log
# ---------------------------------------------------------------------------------------------


def audit_json(entry: AuditView) -> dict[str, object]:
    """One action of the audit trail in stable JSON."""
    return {"at": entry.at, "who": entry.who, "action": entry.action, "summary": entry.summary,
            "undone": entry.undone}


def _audit_line(entry: AuditView, lang: str) -> str:
    """One action of the log: its stored action and an undo's summary worded in `lang` ("进展",
    "撤销: 进展 (…)"); the stored summaries are Chinese already. (`tracker.store.audit` imports only
    the standard library: no ORM on `tracker log`'s path.)"""
    from tracker.store.audit import action_label, undo_summary

    undone = f"  [{_t('undone', lang)}]" if entry.undone else ""
    summary = undo_summary(entry.summary, lang) if entry.action == "undo" else entry.summary
    summary = " ↵ ".join(summary.splitlines()) if "\n" in summary else summary
    return f"  {entry.at[:16]}  {entry.who}  {action_label(entry.action, lang)}  {summary}{undone}"


def log(args: argparse.Namespace, ctx: Context) -> int:
    """`tracker log [--limit N] [--json]`: the latest actions, newest first; none is a note."""
    if args.limit < 1:
        raise UsageError(f"--limit must be 1 or more, not {args.limit}.", zh=f"--limit 应为 1 或更大的数, 不能是 {args.limit}。")
    with _reading(ctx) as conn:
        entries = query.audit_log(conn, limit=args.limit)
    if args.json:
        print_json([audit_json(e) for e in entries], ctx.out)
        return 0
    if not entries:
        print(_t("no_log", ctx.lang), file=ctx.out)
        return 0
    ctx.out.write("\n".join(_audit_line(e, ctx.lang).strip() for e in entries) + "\n")
    return 0
