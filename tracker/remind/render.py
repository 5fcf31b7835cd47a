"""A `Digest` → words: plain text, stable JSON, or an HTML table — one `Formatter` interface.

Each formatter renders the same three views of one digest: the whole digest (what `tracker remind`
prints and the coordinator receives), one owner's part (that owner's mail), and the escalations
(督办, the leadership's mail). Document text (titles, plan names, units) is data: the text formatter
prints it as is, the HTML formatter escapes every piece with `html.escape`, the JSON formatter
lets `json` quote it.

The JSON object is stable (documented in docs/remind.md; keys sorted; fields only ever added):
{"as_of", "within", "escalate_after", "workday", "owners": [{"owner", "email", "items": [ITEM]}],
"escalated": [ITEM]} with ITEM = {"plan_id", "plan", "task", "title", "rule", "rule_no", "key",
"due", "status", "days_late", "workdays_late", "workdays_left", "owner", "provisional"}.

Two rules of one task can read alike ("每年1次" twice, both keyed "2024-Y1"): where items of the same
task share rule words and key, text and HTML put the rule's number first ("规则2 每年1次 (第1次)",
the K of `tracker done --rule K`); each formatter finds those items once per view (`ambiguous`).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any

from tracker.model import Status
from tracker.remind import Digest, OwnerDigest, ReminderItem

_LABELS: dict[str, tuple[str, str]] = {
    "brand": ("政务公开提醒", "Disclosure plan reminder"),
    "counts": ("逾期{overdue}项、临期{due_soon}项", "{overdue} overdue, {due_soon} due soon"),
    "late": ("逾期{n}天", "{n} days late"),
    "late1": ("逾期1天", "1 day late"),
    "left": ("剩{n}个工作日", "{n} working days left"),
    "left1": ("剩1个工作日", "1 working day left"),
    "today": ("今日到期", "due today"),
    "task": ("任务{n}", "task {n}"),
    "due": ("应于{d}", "due {d}"),
    "provisional": ("(暂定)", "(provisional)"),
    "unassigned": ("未指定责任单位", "no owner assigned"),
    "escalated": ("督办: 逾期超过{n}个工作日 {count}项",
                  "Escalated: overdue by more than {n} working days, {count} item(s)"),
    "no_holiday_data": ("提醒:{year}年尚无节假日数据,{d} 是否为工作日仅按周末判断; 请用 `tracker calendar set` 或 "
                        "`tracker calendar import` 录入国务院办公厅的{year}年节假日安排。",
                        "warning: there is no holiday data for {year} yet, so whether {d} is a working day "
                        "is counted on weekends only; add the State Council's arrangement for {year} with "
                        "`tracker calendar set` or `tracker calendar import`."),
    "rule_no": ("规则{n}", "rule {n}"),
    "ask": ("请及时办理,并在台账中登记完成情况。", "Please act on these and record what was done."),
    "h_status": ("状态", "Status"),
    "h_plan": ("计划", "Plan"),
    "h_task": ("任务", "Task"),
    "h_rule": ("规则", "Rule"),
    "h_due": ("应完成", "Due"),
    "h_owner": ("责任单位", "Owner"),
    "subject": ("【政务公开提醒】逾期{overdue}项、临期{due_soon}项 — {d}",
                "[Disclosure reminder] {overdue} overdue, {due_soon} due soon — {d}"),
    "subject_digest": ("【政务公开提醒·汇总】逾期{overdue}项、临期{due_soon}项 — {d}",
                       "[Disclosure reminder: digest] {overdue} overdue, {due_soon} due soon — {d}"),
    "subject_escalated": ("【政务公开督办】逾期超过{n}个工作日{count}项 — {d}",
                          "[Disclosure escalation] {count} item(s) overdue by more than {n} working days — {d}"),
}

_PERIOD_WORDS: dict[str, tuple[str, str]] = {
    "Y": ("第{n}次", "no. {n}"),
    "Q": ("第{n}季度", "Q{n}"),
    "H": ("{half}", "H{n}"),
    "M": ("{n}月", "month {n}"),
    "W": ("第{n}周", "week {n}"),
    "F": ("第{n}个双周", "fortnight {n}"),
}
_KEY = re.compile(r"^\d{4}-([YQHMWF])(\d+)$")


def text(key: str, lang: str, **values: object) -> str:
    """A reminder label in `lang` ("zh" or "en"), with `{placeholders}` filled from `values`."""
    zh, en = _LABELS[key]
    return (en if lang == "en" else zh).format(**values)


@lru_cache(maxsize=4096)
def occurrence_words(key: str, lang: str = "zh") -> str:
    """Which instance of a rule an obligation key names: "2024-Y1" → "第1次", "2024-Q2" → "第2季度".

    The per-owner suffix ("#局办公室") is dropped (the owner is shown elsewhere); keys without a
    period ("deadline", "event:12", "ongoing") give "".
    """
    match = _KEY.match(key.split("#", 1)[0])
    if not match:
        return ""
    letter, n = match.group(1), int(match.group(2))
    zh, en = _PERIOD_WORDS[letter]
    half = "上半年" if n == 1 else "下半年"
    return (en if lang == "en" else zh).format(n=n, half=half)


def status_tag(item: ReminderItem, lang: str = "zh") -> str:
    """"逾期3天" / "剩2个工作日" / "今日到期" (without brackets)."""
    overdue = item.status is Status.OVERDUE
    return _tag(overdue, (item.days_late if overdue else item.workdays_left) or 0, lang)


@lru_cache(maxsize=4096)
def _tag(overdue: bool, n: int, lang: str) -> str:
    if overdue:
        return text("late1", lang) if n == 1 else text("late", lang, n=n)
    if n == 0:
        return text("today", lang)
    return text("left1", lang) if n == 1 else text("left", lang, n=n)


@lru_cache(maxsize=4096)
def _rule_and_due(rule: str, key: str, due: date, provisional: bool, lang: str) -> str:
    """"每年2次 (第1次) 应于2024-06-30": the part of an item's line after the dash (cached: a
    city's thousands of items share a few dozen rules and due dates)."""
    which = occurrence_words(key, lang)
    if which:
        rule = f"{rule} ({which})" if rule else which
    words = text("due", lang, d=due.isoformat())
    if provisional:
        words += " " + text("provisional", lang)
    return f"{rule} {words}" if rule else words


_NOTHING_AMBIGUOUS: frozenset[tuple[int, str, str]] = frozenset()


def ambiguous(items: tuple[ReminderItem, ...]) -> frozenset[tuple[int, str, str]]:
    """The (task id, rule words, key) that more than one of `items` share: two rules of one task
    worded alike, on the same key ("每年1次", "2024-Y1"), which only the rule's number tells apart.

    `items` must be distinct obligations (`Digest.items`, a group's items, the escalations), so a
    repeat is a different rule. Built in C (`attrgetter`, `set`): a city's 3,345 items have none,
    and finding that costs ~0.3 ms.
    """
    if len(set(map(_AMBIGUITY_KEY, items))) == len(items):
        return _NOTHING_AMBIGUOUS
    seen: set[tuple[int, str, str]] = set()
    clashes: set[tuple[int, str, str]] = set()
    for key in map(_AMBIGUITY_KEY, items):
        (clashes if key in seen else seen).add(key)
    return frozenset(clashes)


_AMBIGUITY_KEY = attrgetter("task_id", "rule", "key")


def rule_words(item: ReminderItem, lang: str, clashes: frozenset[tuple[int, str, str]]) -> str:
    """The item's rule in words, after its number ("规则2 每年1次") when it is among `clashes`."""
    if not clashes or (item.task_id, item.rule, item.key) not in clashes:
        return item.rule
    number = text("rule_no", lang, n=item.rule_index)
    return f"{number} {item.rule}" if item.rule else number


def item_line(item: ReminderItem, lang: str = "zh",
              clashes: frozenset[tuple[int, str, str]] = _NOTHING_AMBIGUOUS) -> str:
    """One item as a line: "[逾期1天] 计划 任务8 标题 — 每年2次 (第1次) 应于2024-06-30" — one
    f-string over cached parts (a city's digest prints 5,574 of these lines). An item among
    `clashes` (`ambiguous`) names its rule's number: "— 规则2 每年1次 (第1次) 应于…"."""
    overdue = item.status is Status.OVERDUE
    tag = _tag(overdue, (item.days_late if overdue else item.workdays_left) or 0, lang)
    head = f"[{tag}] {item.plan} {_TASK[lang == 'en'].format(n=item.task)}" if item.plan else \
        f"[{tag}] {_TASK[lang == 'en'].format(n=item.task)}"
    rule = rule_words(item, lang, clashes) if clashes else item.rule
    tail = _rule_and_due(rule, item.key, item.due, item.provisional, lang)
    return f"{head} {item.title} — {tail}" if item.title else f"{head} — {tail}"


_TASK = (_LABELS["task"][0], _LABELS["task"][1])
"""The task label ("任务{n}", "task {n}"), indexed by `lang == "en"`."""


def owner_name(group: OwnerDigest, lang: str = "zh") -> str:
    """The group's unit, or "未指定责任单位" for items whose task has no owner."""
    return group.owner or text("unassigned", lang)


def subject(kind: str, *, as_of: date, overdue: int = 0, due_soon: int = 0, count: int = 0,
            escalate_after: int = 5, lang: str = "zh") -> str:
    """A mail subject with the counts: kind "owner", "digest" (coordinator) or "escalated" (leadership)."""
    key = {"owner": "subject", "digest": "subject_digest", "escalated": "subject_escalated"}[kind]
    return text(key, lang, overdue=overdue, due_soon=due_soon, count=count, n=escalate_after,
                d=as_of.isoformat())


class Formatter(ABC):
    """Renders the three views of a digest; subclasses choose the notation (todoman's shape)."""

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang

    @abstractmethod
    def digest(self, digest: Digest) -> str:
        """The whole digest: every owner, then the escalations. "" when the digest is empty."""

    @abstractmethod
    def owner(self, digest: Digest, group: OwnerDigest) -> str:
        """One owner's part, as mailed to that owner."""

    @abstractmethod
    def escalation(self, digest: Digest) -> str:
        """The escalated items (督办) alone, as mailed to the leadership address."""


class TextFormatter(Formatter):
    """Plain text for the terminal, cron's mail and the text part of a message."""

    def digest(self, digest: Digest) -> str:
        if digest.empty:
            return ""
        lines = [self._headline(digest, digest.overdue, digest.due_soon)]
        made: dict[int, str] = {}
        clashes = ambiguous(digest.items)  # the escalations are among these items
        for group in digest.owners:
            lines += ["", self._heading(group), *self._items(group, clashes, made)]
        if digest.escalated:
            lines += ["", *self._escalation_lines(digest, clashes, made)]
        return "\n".join(lines) + "\n"

    def owner(self, digest: Digest, group: OwnerDigest) -> str:
        lines = [self._headline(digest, group.overdue, group.due_soon), "", self._heading(group),
                 *self._items(group, ambiguous(group.items)), "", text("ask", self.lang)]
        return "\n".join(lines) + "\n"

    def escalation(self, digest: Digest) -> str:
        lines = [f"{text('brand', self.lang)} {digest.as_of.isoformat()}", "",
                 *self._escalation_lines(digest, ambiguous(digest.escalated))]
        return "\n".join(lines) + "\n"

    def _headline(self, digest: Digest, overdue: int, due_soon: int) -> str:
        counts = text("counts", self.lang, overdue=overdue, due_soon=due_soon)
        return f"{text('brand', self.lang)} {digest.as_of.isoformat()}: {counts}"

    def _heading(self, group: OwnerDigest) -> str:
        counts = text("counts", self.lang, overdue=group.overdue, due_soon=group.due_soon)
        return f"{owner_name(group, self.lang)} ({counts})"

    def _items(self, group: OwnerDigest, clashes: frozenset[tuple[int, str, str]],
               lines: dict[int, str] | None = None) -> list[str]:
        """The group's item lines, indented; `lines` (by item id) remembers them for the escalations."""
        lang, out = self.lang, []
        for item in group.items:
            line = "  " + item_line(item, lang, clashes)
            if lines is not None:
                lines[id(item)] = line
            out.append(line)
        return out

    def _escalation_lines(self, digest: Digest, clashes: frozenset[tuple[int, str, str]],
                          lines: dict[int, str] | None = None) -> list[str]:
        """The 督办 heading and its items with their owners (each line reused from `lines` when
        the owner groups already made it: escalated items are the groups' own objects)."""
        head = text("escalated", self.lang, n=digest.escalate_after, count=len(digest.escalated))
        known = lines or {}
        unassigned = text("unassigned", self.lang)
        return [head, *((known.get(id(item)) or "  " + item_line(item, self.lang, clashes)) + " — "
                        + (item.owner or unassigned) for item in digest.escalated)]


class JsonFormatter(Formatter):
    """The stable JSON object for scripts (sorted keys, dates as ISO strings, UTF-8 text)."""

    def digest(self, digest: Digest) -> str:
        return dump_json(digest_object(digest))

    def owner(self, digest: Digest, group: OwnerDigest) -> str:
        obj = digest_object(digest)
        obj["owners"] = [_group_object(group)]
        obj["escalated"] = []
        return dump_json(obj)

    def escalation(self, digest: Digest) -> str:
        obj = digest_object(digest)
        obj["owners"] = []
        return dump_json(obj)


_ITEM_TOKEN = re.compile(r'"\\u0000(\d+)\\u0000"')


def dump_json(obj: dict[str, Any]) -> str:
    """The JSON text of a digest object: sorted keys, UTF-8 characters as they are; the digest's
    frame indented, each item on one line.

    json's C encoder only runs without `indent`: indenting a city's 3,345 items in pure Python
    cost ~70 ms. So each item is encoded compactly (C) and stands in the indented frame as a
    token ("\\u0000N\\u0000", which no real string is) that is then replaced by it.
    """
    import json  # ~2 ms: only --format json pays for it

    items: list[str] = []

    def token(item: dict[str, Any]) -> str:
        items.append(json.dumps(item, ensure_ascii=False, sort_keys=True))
        return f"\x00{len(items) - 1}\x00"

    frame = dict(obj)
    frame["owners"] = [{**group, "items": [token(i) for i in group.get("items", [])]}
                       for group in obj.get("owners", [])]
    frame["escalated"] = [token(i) for i in obj.get("escalated", [])]
    text = json.dumps(frame, ensure_ascii=False, indent=2, sort_keys=True)
    return _ITEM_TOKEN.sub(lambda m: items[int(m.group(1))], text) + "\n"


def item_object(item: ReminderItem) -> dict[str, Any]:
    """One item as its JSON object (the ITEM of the module docstring)."""
    return {
        "plan_id": item.plan_id, "plan": item.plan, "task": item.task, "title": item.title,
        "rule": item.rule, "rule_no": item.rule_index, "key": item.key, "due": item.due.isoformat(),
        "status": item.status.value, "days_late": item.days_late,
        "workdays_late": item.workdays_late, "workdays_left": item.workdays_left,
        "owner": item.owner, "provisional": item.provisional,
    }


def _group_object(group: OwnerDigest) -> dict[str, Any]:
    return {"owner": group.owner, "email": group.email,
            "items": [item_object(item) for item in group.items]}


def digest_object(digest: Digest, *, workday: bool = True) -> dict[str, Any]:
    """The whole digest as the stable JSON object; `workday` False marks a skipped (silent) day."""
    return {
        "as_of": digest.as_of.isoformat(), "within": digest.within,
        "escalate_after": digest.escalate_after, "workday": workday,
        "owners": [_group_object(group) for group in digest.owners],
        "escalated": [item_object(item) for item in digest.escalated],
    }


class HtmlFormatter(Formatter):
    """A simple HTML table for the HTML part of a message; every text is escaped."""

    def digest(self, digest: Digest) -> str:
        if digest.empty:
            return ""
        parts = [self._title(digest, digest.overdue, digest.due_soon)]
        clashes = ambiguous(digest.items)
        for group in digest.owners:
            parts += [f"<h3>{_e(owner_name(group, self.lang))}</h3>", self._table(group.items, clashes)]
        if digest.escalated:
            parts += self._escalation_parts(digest, clashes)
        return self._page(parts)

    def owner(self, digest: Digest, group: OwnerDigest) -> str:
        parts = [self._title(digest, group.overdue, group.due_soon),
                 f"<h3>{_e(owner_name(group, self.lang))}</h3>",
                 self._table(group.items, ambiguous(group.items)), f"<p>{_e(text('ask', self.lang))}</p>"]
        return self._page(parts)

    def escalation(self, digest: Digest) -> str:
        title = f"{text('brand', self.lang)} {digest.as_of.isoformat()}"
        return self._page([f"<h2>{_e(title)}</h2>",
                           *self._escalation_parts(digest, ambiguous(digest.escalated))])

    def _title(self, digest: Digest, overdue: int, due_soon: int) -> str:
        counts = text("counts", self.lang, overdue=overdue, due_soon=due_soon)
        return f"<h2>{_e(text('brand', self.lang))} {_e(digest.as_of.isoformat())}: {_e(counts)}</h2>"

    def _escalation_parts(self, digest: Digest, clashes: frozenset[tuple[int, str, str]]) -> list[str]:
        head = text("escalated", self.lang, n=digest.escalate_after, count=len(digest.escalated))
        return [f"<h3>{_e(head)}</h3>", self._table(digest.escalated, clashes)]

    def _table(self, items: tuple[ReminderItem, ...], clashes: frozenset[tuple[int, str, str]]) -> str:
        heads = ("h_status", "h_plan", "h_task", "h_rule", "h_due", "h_owner")
        rows = ["<tr>" + "".join(f"<th>{_e(text(h, self.lang))}</th>" for h in heads) + "</tr>"]
        for item in items:
            which = occurrence_words(item.key, self.lang)
            words = rule_words(item, self.lang, clashes)
            rule = f"{words} ({which})" if which else words
            cells = (status_tag(item, self.lang), item.plan, f"{item.task} {item.title}", rule,
                     item.due.isoformat() + (" " + text("provisional", self.lang) if item.provisional else ""),
                     item.owner or text("unassigned", self.lang))
            rows.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
        return '<table border="1" cellpadding="4" cellspacing="0">' + "".join(rows) + "</table>"

    @staticmethod
    def _page(parts: list[str]) -> str:
        return "<!DOCTYPE html>\n<html><body>\n" + "\n".join(parts) + "\n</body></html>\n"


def _e(value: str) -> str:
    import html  # ~2 ms with its entity table: only the HTML part of a mail needs it

    return html.escape(value, quote=True)


FORMATTERS: dict[str, type[Formatter]] = {"text": TextFormatter, "json": JsonFormatter,
                                          "html": HtmlFormatter}
"""By name, as `--format` and the mailer choose them."""
