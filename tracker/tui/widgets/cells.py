"""How one value looks in a cell: status with glyph and colour, due date with days, units.

Everything returns `rich.text.Text`, never a markup string: document text is data, and a task
titled "[b]x[/b]" must show those brackets literally.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from tracker.calendar import WorkCalendar
from tracker.i18n import STATUS_GLYPHS, status_label
from tracker.model import Status, TaskView
from tracker.tui.labels import t

STATUS_STYLES: dict[Status, str] = {
    Status.OVERDUE: "bold red",
    Status.DUE_SOON: "bold yellow",
    Status.NO_UPDATE: "magenta",
    Status.ON_TRACK: "",
    Status.DONE_LATE: "green",
    Status.DONE: "bold green",
    Status.WAIVED: "dim",
}
"""Red overdue, yellow due soon, green done, grey waived — and a glyph, for monochrome terminals."""

_SHORT = {"late": ("逾期{n}天", "{n}d late"), "left": ("剩{n}工作日", "{n} wd left"),
          "today": ("今日到期", "due today")}


def status_text(status: Status, lang: str) -> Text:
    """"✖ 逾期" in the status's colour."""
    return Text(f"{STATUS_GLYPHS[status]} {status_label(status, lang)}", style=STATUS_STYLES[status])


def due_text(due: date | None, as_of: date, calendar: WorkCalendar, lang: str, *,
             short: bool = True) -> Text:
    """"06-30 逾期1天" (calendar days late), "… 今日到期", "12-31 剩127工作日", or empty without a date.

    The year is left out when it is the as-of date's year (`short`); late dates are red, due today yellow.
    """
    if due is None:
        return Text("")
    day = due.strftime("%m-%d") if short and due.year == as_of.year else due.isoformat()
    pick = 1 if lang == "en" else 0
    if due < as_of:
        return Text(f"{day} " + _SHORT["late"][pick].format(n=(as_of - due).days), style="red")
    if due == as_of:
        return Text(f"{day} " + _SHORT["today"][pick], style="yellow")
    left = calendar.workdays_between(as_of, due)
    return Text(f"{day} " + _SHORT["left"][pick].format(n=left))


def owners_text(task: TaskView, lang: str) -> Text:
    """Lead units, then supporting ones in dim; "未指定" when nobody answers for the task."""
    if not task.lead and not task.support:
        return Text(t("no_owner", lang), style="dim italic")
    out = Text("、".join(task.lead))
    if task.support:
        out.append(("、" if task.lead else "") + "、".join(task.support), style="dim")
    return out


def rules_text(task: TaskView) -> Text:
    """The rule summaries joined with "; " ("每年2次 · 已完成0; 12月31日前")."""
    return Text("; ".join(r.summary for r in task.rules))
