"""Who must hear what today: task views as of a date → a `Digest` of overdue and due-soon items per owner.

Pure: `collect` takes the task views the query layer built (or `collect_reminders` the rows of its
fast read, `tracker.query.reminders` — what `tracker remind` uses), the owners' addresses and a
working-day counter, and returns plain data; it never reads the clock, the database or the
network. The
renderers (`tracker.remind.render`) and the mailer (`tracker.remind.mail`) turn a `Digest` into
text, JSON or messages.

Routing rules (issue 6):
- an obligation that is overdue (逾期) or due soon (临期) as of the date is one item;
- it goes to each lead owner (牵头单位) of its task; a per-owner obligation ("各科室…各一篇") goes to
  its own owner only; a task with no owner puts its items under "未指定责任单位" (`owner=None`),
  which the mailer sends to the coordinator;
- an item overdue by more than `escalate_after` working days is also listed once in
  `Digest.escalated` (督办), for the leadership address.
"""

# No `from __future__ import annotations`: the NamedTuples below would then compile a
# ForwardRef per field at import (see the per-file-ignores in pyproject.toml).


from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, Protocol

from tracker.model import Requirement, Status, TaskView

if TYPE_CHECKING:
    from tracker.query.reminders import ReminderRow

REMINDED = (Status.OVERDUE, Status.DUE_SOON)
"""The statuses a reminder speaks about; everything else is quiet."""


class WorkdayCounter(Protocol):
    """What `collect` needs from `tracker.calendar.WorkCalendar` (and what a test may fake)."""

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        ...


class ReminderItem(NamedTuple):
    """One obligation someone must hear about: overdue or due soon, as of the digest's date."""

    plan_id: int
    plan: str
    """The plan's title."""
    task_id: int
    task: str
    """The task's number as printed ("8")."""
    title: str
    requirement_id: int
    rule_index: int
    rule: str
    """The rule in words ("每年2次"), in the digest's language."""
    key: str
    """The obligation's stable key ("2024-Y1", "2024-Q2#局办公室", "event:12", "deadline")."""
    due: date
    status: Status
    """`Status.OVERDUE` or `Status.DUE_SOON`."""
    owner: str | None
    """Who answers for it: the per-owner obligation's owner, else the lead owners joined by "、";
    None when the task has no owner."""
    days_late: int | None = None
    """Overdue items: calendar days since the due date (due yesterday → 1)."""
    workdays_late: int | None = None
    """Overdue items: working days after the due date up to and including the as-of date."""
    workdays_left: int | None = None
    """Due-soon items: working days after the as-of date up to and including the due date (0 = today)."""
    provisional: bool = False
    """The due date was counted without the year's holiday data."""
    note: str = ""
    """Plain-words context from the schedule (an event's reference, why it is provisional)."""


class OwnerDigest(NamedTuple):
    """One owner's items, overdue first (oldest due first), then due soon (nearest first)."""

    owner: str | None
    """The unit's name; None for items whose task has no owner (未指定责任单位)."""
    email: str | None
    items: tuple[ReminderItem, ...]

    @property
    def overdue(self) -> int:
        """How many of the items are overdue."""
        return sum(1 for item in self.items if item.status is Status.OVERDUE)

    @property
    def due_soon(self) -> int:
        """How many of the items are due soon."""
        return sum(1 for item in self.items if item.status is Status.DUE_SOON)


class Digest:
    """Everything `tracker remind` says on one day: per-owner items and the escalations (督办).

    Immutable, like the records it holds. A small class with `__slots__` rather than a NamedTuple
    because it remembers what it derives (`items`, `overdue`, `due_soon`: a pass over a city's
    thousands of items each), which a tuple cannot hold; and not a dataclass, whose import costs
    ~11 ms on the cron path. Equal digests have equal fields.
    """

    __slots__ = {
        "_counts": "(`overdue`, `due_soon`), once computed.",
        "_items": "`items`, once computed.",
        "as_of": "The date the digest speaks for.",
        "escalate_after": "Items overdue by more than this many working days are escalated.",
        "escalated": "Each escalated obligation once (even when several owners hear about it).",
        "owners": "Named owners by name, then the unassigned group (owner None) last.",
        "within": "The due-soon window the statuses were computed with, in working days.",
    }
    as_of: date
    within: int
    escalate_after: int
    owners: tuple[OwnerDigest, ...]
    escalated: tuple[ReminderItem, ...]
    _items: tuple[ReminderItem, ...] | None
    _counts: tuple[int, int] | None

    def __init__(self, as_of: date, within: int, escalate_after: int, owners: tuple[OwnerDigest, ...] = (),
                 escalated: tuple[ReminderItem, ...] = ()) -> None:
        for name, value in (("as_of", as_of), ("within", within), ("escalate_after", escalate_after),
                            ("owners", owners), ("escalated", escalated), ("_items", None),
                            ("_counts", None)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Digest is immutable: cannot set {name!r}")

    def _fields(self) -> tuple[object, ...]:
        return (self.as_of, self.within, self.escalate_after, self.owners, self.escalated)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Digest):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"Digest(as_of={self.as_of!r}, within={self.within!r}, escalate_after={self.escalate_after!r}, "
                f"owners={self.owners!r}, escalated={self.escalated!r})")

    @property
    def items(self) -> tuple[ReminderItem, ...]:
        """Each distinct item once, in owner order (an item of two lead owners is counted once)."""
        items = self._items
        if items is None:
            seen: dict[tuple[int, str], ReminderItem] = {}
            for group in self.owners:
                for item in group.items:
                    seen.setdefault((item.requirement_id, item.key), item)
            items = tuple(seen.values())
            object.__setattr__(self, "_items", items)
        return items

    @property
    def overdue(self) -> int:
        """Distinct overdue obligations."""
        return self._count()[0]

    @property
    def due_soon(self) -> int:
        """Distinct due-soon obligations."""
        return self._count()[1]

    def _count(self) -> tuple[int, int]:
        counts = self._counts
        if counts is None:
            counts = (sum(1 for item in self.items if item.status is Status.OVERDUE),
                      sum(1 for item in self.items if item.status is Status.DUE_SOON))
            object.__setattr__(self, "_counts", counts)
        return counts

    @property
    def empty(self) -> bool:
        """True when nobody has anything to hear (the command then prints nothing)."""
        return not self.owners


def collect(tasks: Iterable[TaskView], *, as_of: date, calendar: WorkdayCounter,
            emails: Mapping[str, str | None] | None = None, within: int = 5,
            escalate_after: int = 5, owner: str | Collection[str] | None = None, lang: str = "zh") -> Digest:
    """Route every overdue or due-soon obligation of `tasks` to the owners who must hear it.

    `tasks` are views as of `as_of` (their obligation statuses already derived with `within`);
    obligations without a due date (ongoing rules) are never reminded. `emails` maps unit names to
    addresses (a unit missing from it has none). `owner`, when given, keeps only that unit's group
    (or those units' groups: every office's "办公室" is its own unit, `tracker.model.unit_label`)
    and the escalations of its items. Zero items is not an error: the digest is `empty`.
    """
    build, words = _ItemBuilder(as_of=as_of, calendar=calendar), _RuleWords(lang)

    def entries() -> Iterator[tuple[ReminderItem, tuple[str, ...], str | None]]:
        for task in tasks:
            rules = {rule.requirement_id: rule.requirement for rule in task.rules}
            for ob in task.obligations:
                if ob.status not in REMINDED or ob.due is None:
                    continue
                item = build(task.plan_id, task.plan_title, task.task_id, task.number, task.title,
                             task.lead, ob.requirement_id, ob.rule_index,
                             words(ob.requirement_id, rules.get(ob.requirement_id)),
                             ob.key, ob.due, ob.status, ob.owner, ob.provisional, ob.note)
                yield item, task.lead, ob.owner

    return _route(entries(), as_of=as_of, emails=emails, within=within, escalate_after=escalate_after,
                  owner=owner)


def collect_reminders(rows: "Iterable[ReminderRow]", *, as_of: date, calendar: WorkdayCounter,
                      emails: Mapping[str, str | None] | None = None, within: int = 5,
                      escalate_after: int = 5, owner: str | Collection[str] | None = None) -> Digest:
    """`collect` for the fast read: the same digest from `tracker.query.reminders.reminder_rows`.

    `rows` are the open overdue and due-soon obligations as of `as_of` (derived with `within`), in
    the order `reminder_rows` gives them, their rules already worded in the digest's language;
    given the rows that the task views of the same database hold, the digest equals `collect`'s on
    those views (tests/query/test_reminders.py). Routing, `emails`, `owner` and the empty digest are
    as in `collect`.
    """
    build = _ItemBuilder(as_of=as_of, calendar=calendar)
    # rows unpacked positionally (ReminderRow's field order): a city digest has thousands of them
    entries = ((build(plan_id, plan_title, task_id, number, title, lead, requirement_id, rule_index,
                      rule, key, due, status, ob_owner, provisional, note), lead, ob_owner)
               for (plan_id, plan_title, task_id, number, title, lead, requirement_id, rule_index,
                    rule, key, due, status, ob_owner, provisional, note) in rows
               if status in REMINDED)
    return _route(entries, as_of=as_of, emails=emails, within=within, escalate_after=escalate_after,
                  owner=owner)


def _route(entries: Iterable[tuple[ReminderItem, tuple[str, ...], str | None]], *, as_of: date,
           emails: Mapping[str, str | None] | None, within: int, escalate_after: int,
           owner: str | Collection[str] | None) -> Digest:
    """Items (with their task's lead units and the obligation's own unit) → the digest's groups."""
    addresses = emails or {}
    wanted = None if owner is None else {owner} if isinstance(owner, str) else set(owner)
    groups: dict[str | None, list[tuple[tuple[object, ...], ReminderItem]]] = {}
    natural: dict[str, tuple[int, str]] = {}  # task number → its reading order, once per number
    escalated: list[tuple[tuple[object, ...], ReminderItem]] = []
    seen: set[tuple[int, str]] = set()
    no_owner: tuple[str | None, ...] = (None,)
    for item, lead, ob_owner in entries:
        task_order = natural.get(item.task)
        if task_order is None:
            task_order = natural[item.task] = _natural(item.task)
        due, plan_id, rule_index, key = item.due, item.plan_id, item.rule_index, item.key
        sort_key = (_URGENCY[item.status], due, plan_id, task_order, rule_index, key)
        routed = False
        for name in (ob_owner,) if ob_owner else (lead or no_owner):
            if wanted is None or name in wanted:
                groups.setdefault(name, []).append((sort_key, item))
                routed = True
        # each obligation escalated once, even when several owners hear about it
        if routed and item.workdays_late is not None and item.workdays_late > escalate_after \
                and (item.requirement_id, key) not in seen:
            seen.add((item.requirement_id, key))
            escalated.append(((due, plan_id, task_order, rule_index, key), item))
    owners = tuple(
        OwnerDigest(owner=name, email=addresses.get(name) if name else None,
                    items=tuple(item for _, item in sorted(rows, key=_first)))
        for name, rows in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    )
    escalated.sort(key=_first)
    return Digest(as_of=as_of, within=within, escalate_after=escalate_after, owners=owners,
                  escalated=tuple(item for _, item in escalated))


def _first(pair: tuple[tuple[object, ...], ReminderItem]) -> tuple[object, ...]:
    return pair[0]


_URGENCY = {status: status.urgency for status in Status}
"""Status → its urgency rank, without the property call (a city digest sorts thousands of items)."""


def _natural(number: str) -> tuple[int, str]:
    """Task numbers in reading order: "2" before "12"; non-numeric ones ("(一)") after, by text."""
    return (int(number), "") if number.isdigit() else (1 << 30, number)


class _ItemBuilder:
    """Makes `ReminderItem`s, remembering what many items share: a city's ~17k overdue items have
    a few dozen distinct due dates (measured: collect 450 → 120 ms)."""

    def __init__(self, *, as_of: date, calendar: WorkdayCounter) -> None:
        self.as_of, self.calendar = as_of, calendar
        self._late: dict[date, int] = {}
        self._left: dict[date, int] = {}

    def __call__(self, plan_id: int, plan: str, task_id: int, number: str, title: str,
                 lead: tuple[str, ...], requirement_id: int, rule_index: int,
                 rule: str, key: str, due: date, status: Status,
                 ob_owner: str | None, provisional: bool, note: str) -> ReminderItem:
        overdue = status is Status.OVERDUE
        # positional, in field order: 3× faster than keywords (measured on the frozen dataclass
        # this was: 3,354 items 21 → 7 ms), and a city's digest has thousands of items
        return ReminderItem(
            plan_id, plan, task_id, number, title, requirement_id, rule_index, rule, key, due, status,
            ob_owner or ("、".join(lead) if lead else None),
            (self.as_of - due).days if overdue else None,
            self._workdays_late(due) if overdue else None,
            None if overdue else self._workdays_left(due),
            provisional, note,
        )

    def _workdays_late(self, due: date) -> int:
        n = self._late.get(due)
        if n is None:
            n = self._late[due] = self.calendar.workdays_between(due, self.as_of)
        return n

    def _workdays_left(self, due: date) -> int:
        n = self._left.get(due)
        if n is None:
            n = self._left[due] = max(0, self.calendar.workdays_between(self.as_of, due))
        return n


class _RuleWords:
    """A task view's rules in words, each worded once by id (the fast read's rows come worded)."""

    def __init__(self, lang: str) -> None:
        # tracker.schedule is pure (stdlib + chinese_calendar, ~15 ms); deferred so that building
        # a digest from hand-made views in a test needs nothing else.
        from tracker.schedule import summarize

        self._summarize, self.lang = summarize, lang
        self._words: dict[int, str] = {}  # by rule id: cheaper than hashing the Requirement again

    def __call__(self, requirement_id: int, requirement: Requirement | None) -> str:
        """The rule in the digest's language; "" when the view has none."""
        if requirement is None:
            return ""
        words = self._words.get(requirement_id)
        if words is None:  # summarize is cached: the same rule text in many tasks is worded once
            words = self._words[requirement_id] = self._summarize(requirement, self.lang)
        return words
