"""Chinese and English labels in one table: statuses, glyphs, column heads, messages.

Chinese is the users' language and the default; `--lang en` / `TRACKER_LANG=en` switches.
Views call `label(key, lang)`; a missing English label falls back to the Chinese one so a
screen never shows a raw key.
"""

from __future__ import annotations

from typing import Any

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
    "days_late1": ("逾期1天", "1 day late"),
    "workdays_left": ("剩{n}个工作日", "{n} working days left"),
    "workdays_left1": ("剩1个工作日", "1 working day left"),
    "due_today": ("今日到期", "due today"),
    "no_owner": ("未指定", "unassigned"),
    "provisional": ("暂定", "provisional"),
}


def status_label(status: Status, lang: str = "zh") -> str:
    """The status's word in the user's language."""
    zh, en = STATUS_LABELS[status]
    return en if lang == "en" else zh


def label(key: str, lang: str = "zh", **values: object) -> str:
    """A label in the user's language, with `{placeholders}` filled from `values`; with `n=1`, the
    key's singular ("days_late1": "1 day late") where English needs one."""
    if values.get("n") == 1 and f"{key}1" in LABELS:
        key = f"{key}1"
    zh, en = LABELS.get(key, (key, key))
    text = en if lang == "en" and en else zh
    return text.format(**values) if values else text


# --- obligation notes ------------------------------------------------------------------------
# The schedule stores an obligation's note in English (tracker.schedule / tracker.calendar write
# it; `tracker check` compares stored notes with recomputed ones, so the stored text never
# changes). Screens word it here. tests/test_notes_language.py builds each note the way the
# schedule does and checks it is worded: rewording a note there without updating this fails.

_NOTES: dict[str, str] = {
    "no owner assigned": "未指定责任单位",  # tracker.schedule.NO_OWNER_NOTE (per-owner rule, no unit yet)
    "the rule gives no allowance in days; set one with `tracker rule`":
        "规则未给出期限天数, 请用 `tracker rule` 设定",
}
"""Notes with fixed words: the English stored → the Chinese shown."""

_PUBLISHED = r"\(the State Council publishes it each November\): "
_YEARS = r"(?P<years>\d{4}(?:(?:, | and )\d{4})*)"
_NOTE_PATTERNS: tuple[tuple[str, str], ...] = (
    # WorkCalendar.provisional_reason with overrides entered for a missing year
    (rf"no holiday data for {_YEARS} in the calendar package {_PUBLISHED}counted on weekends and your "
     r"(?P<n>\d+) calendar override\(s\) only; check them with `tracker calendar show (?P<year>\d{4})`",
     "日历包没有{years}年的节假日安排 (国务院办公厅每年11月公布): 仅按周末和已录入的{n}条日历调整计算; "
     "请用 `tracker calendar show {year}` 核对"),
    # WorkCalendar.provisional_reason without any
    (rf"no holiday data for {_YEARS} {_PUBLISHED}counted on weekends only; add the arrangement with "
     r"`tracker calendar set`",
     "日历包没有{years}年的节假日安排 (国务院办公厅每年11月公布): 仅按周末计算; "
     "请用 `tracker calendar set` 补充"),
    # tracker.schedule._after_event: N calendar days ending on a rest day
    (r"(?P<n>\d+) days end on (?P<d>\d{4}-\d\d-\d\d), a rest day: moved to the next working day",
     "{n}日期满的 {d} 为休息日, 顺延至其后第一个工作日"),
)
"""Notes carrying values (years, a count): a regular expression of the English → the Chinese."""

_NOTE_MARKERS = ("no owner assigned", "no allowance in days", "no holiday data for ", "a rest day: moved")
"""A note holding none of these words has nothing to word (the regex is then never compiled)."""

_compiled_notes: tuple[tuple[Any, str], ...] = ()
"""_NOTES and _NOTE_PATTERNS compiled, on first need (`note_text`)."""


def note_text(note: str, lang: str = "zh") -> str:
    """An obligation's stored note as a screen shows it: each part the schedule writes in English
    ("no owner assigned", the provisional reason "no holiday data for 2027 (…)", a rule without an
    allowance) in Chinese unless `lang` is "en"; anything else (an event's reference, a note this
    table does not know) as it is. A note joins its parts with "; ", and so does the result.

    For screens only: JSON for scripts (`--json`, `remind --format json`) keeps the stored text,
    which scripts match and `tracker check` compares. The regular expressions are compiled on the
    first note that needs them, so a read command's cold start pays nothing for them."""
    if lang == "en" or not note:
        return note
    fixed = _NOTES.get(note)
    if fixed is not None:
        return fixed
    if not any(marker in note for marker in _NOTE_MARKERS):
        return note
    global _compiled_notes
    if not _compiled_notes:
        import re

        _compiled_notes = (*((re.compile(re.escape(english)), chinese) for english, chinese in _NOTES.items()),
                           *((re.compile(pattern), chinese) for pattern, chinese in _NOTE_PATTERNS))
    for regex, chinese in _compiled_notes:
        note = regex.sub(lambda found, words=chinese: _fill(words, found.groupdict()), note)
    return note


def _fill(chinese: str, values: dict[str, str]) -> str:
    if "years" in values:  # "2027, 2028 and 2029" → "2027、2028、2029"
        values["years"] = "、".join(values["years"].replace(" and ", ", ").split(", "))
    return chinese.format(**values) if values else chinese
