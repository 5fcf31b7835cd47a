"""Chinese and English labels in one table: statuses, glyphs, column heads, messages.

Chinese is the users' language and the default; `--lang en` / `TRACKER_LANG=en` switches.
Views call `label(key, lang)`; a missing English label falls back to the Chinese one so a
screen never shows a raw key.
"""

from __future__ import annotations

from tracker.model import Status

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.OVERDUE: ("逾期", "overdue"),
    Status.DUE_SOON: ("临期", "due soon"),
    Status.NO_UPDATE: ("未报进展", "no update"),
    Status.ON_TRACK: ("进行中", "on track"),
    Status.DONE_LATE: ("逾期完成", "done late"),
    Status.DONE: ("已完成", "done"),
    Status.WAIVED: ("不适用", "waived"),
}

STATUS_GLYPHS: dict[Status, str] = {
    Status.OVERDUE: "✖",
    Status.DUE_SOON: "▲",
    Status.NO_UPDATE: "?",
    Status.ON_TRACK: "○",
    Status.DONE_LATE: "◐",
    Status.DONE: "✔",
    Status.WAIVED: "–",
}
"""A glyph per status so the table reads on a monochrome terminal and when printed."""

LABELS: dict[str, tuple[str, str]] = {
    "number": ("序号", "No."),
    "section": ("板块", "Section"),
    "task": ("工作任务", "Task"),
    "text": ("具体内容", "Details"),
    "rule": ("规则/时限", "Rule / deadline"),
    "lead": ("牵头单位", "Lead"),
    "support": ("配合单位", "Support"),
    "owner": ("责任单位", "Owner"),
    "owners": ("责任单位", "Owners"),
    "due": ("应完成", "Due"),
    "next_due": ("下次到期", "Next due"),
    "done_on": ("完成日期", "Done on"),
    "status": ("状态", "Status"),
    "progress": ("进展情况", "Progress"),
    "evidence": ("完成佐证", "Evidence"),
    "remarks": ("备注", "Remarks"),
    "plan": ("计划", "Plan"),
    "as_of": ("截至", "As of"),
    "days_late": ("逾期{n}天", "{n} days late"),
    "workdays_left": ("剩{n}个工作日", "{n} working days left"),
    "due_today": ("今日到期", "due today"),
    "no_owner": ("未指定", "unassigned"),
    "provisional": ("暂定", "provisional"),
}


def status_label(status: Status, lang: str = "zh") -> str:
    """The status's word in the user's language."""
    zh, en = STATUS_LABELS[status]
    return en if lang == "en" else zh


def label(key: str, lang: str = "zh", **values: object) -> str:
    """A label in the user's language, with `{placeholders}` filled from `values`."""
    zh, en = LABELS.get(key, (key, key))
    text = en if lang == "en" and en else zh
    return text.format(**values) if values else text
