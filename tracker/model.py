"""The vocabulary of tracker as immutable records (`typing.NamedTuple`) and enums — no I/O, no ORM.

Everything that crosses a layer boundary is one of these: the parser returns a `PlanDraft`, the
schedule turns `Requirement`s into `Occurrence`s, the query layer hands `TaskView`s to the views.
Keeping them here (stdlib only) lets the pure core and the views agree without importing the
database or the UI. The Chinese term for each concept is given where the design's vocabulary has one.

Why NamedTuple and not frozen dataclasses: this module is on every cron and shell path
(`tracker remind`, `show`, `tasks`), and `dataclasses` costs ~11 ms to import (it loads inspect,
ast, dis, tokenize…) plus ~9 ms to build these 15 classes (a 20-class experiment: dataclasses
32 ms, NamedTuple 5 ms; cold `import tracker.model` went from 38 to 27 ms). The records stay immutable; change one with `x._replace(field=…)` (not
`dataclasses.replace`), and `x._asdict()` is shallow. Two things a tuple does that a dataclass did
not: it compares equal to any tuple of the same values (compare records of one type only), and
`Requirement.count` / `RuleView.index` are fields that hide `tuple.count` / `tuple.index`.
"""

# No `from __future__ import annotations`: the NamedTuples below would then compile a
# ForwardRef per field at import (see the per-file-ignores in pyproject.toml).


import enum
from collections.abc import Collection, Mapping
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

# ---------------------------------------------------------------------------------------------
# Parsing: what a plan document says
# ---------------------------------------------------------------------------------------------


class RequirementKind(enum.StrEnum):
    """The four shapes of obligation a plan's sentence can set."""

    RECURRING = "recurring"
    """每年至少2次 / 每季度 / 每月: a count per period."""
    AFTER_EVENT = "after_event"
    """文件发布后3个工作日内: due N (working) days after each logged event."""
    DEADLINE = "deadline"
    """年底前 / 6月底前 / 次年1月31日前: one fixed date in (or after) the plan's year."""
    ONGOING = "ongoing"
    """持续 / 常态化 / 及时: no date; a progress note is expected each month."""


PERIODS: tuple[str, ...] = ("year", "half", "quarter", "month", "fortnight", "week")
"""The periods a recurring rule may use, longest first (值 of `Requirement.period`)."""


class Requirement(NamedTuple):
    """One machine-readable rule (要求) of a task, with the words it came from.

    Only the fields of its `kind` are meaningful; the others stay at their defaults. The JSON
    form (`tracker.parse.contract`) lists every field, always, in this order.
    """

    kind: RequirementKind
    """Which shape of rule this is."""
    source: str
    """The words of the plan the rule came from, verbatim, so a person can check it (原文)."""
    what: str = ""
    """What must be done, a short phrase ("关联发布解读材料")."""
    event: str | None = None
    """after_event: the event that starts the clock ("文件发布")."""
    workdays: int | None = None
    """after_event: the allowance in working days (工作日)."""
    days: int | None = None
    """after_event: the allowance in calendar days, when the text says 日 without 工作."""
    count: int | None = None  # type: ignore[assignment]  # hides tuple.count, never called on a rule
    """recurring: how many times per period (次数)."""
    period: str | None = None
    """recurring: one of `PERIODS`."""
    per_owner: bool = False
    """recurring/deadline: one obligation per owner of the task ("各科室…至少一篇")."""
    due_day: int | None = None
    """recurring: day of the period's last month it is due on (每月10日前 → 10); None = last day."""
    month: int | None = None
    """deadline: month of the due date (年底前 → 12)."""
    day: int | None = None
    """deadline: day of the due date (年底前 → 31)."""
    year_offset: int = 0
    """deadline: 0 for the plan's year, 1 for 次年 (the next year)."""


class Owners(NamedTuple):
    """Who answers for a task: the lead unit(s) (牵头单位/责任单位) and the supporting ones (配合单位)."""

    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        """Lead then supporting units, each once, in order."""
        seen: dict[str, None] = dict.fromkeys(self.lead)
        seen.update(dict.fromkeys(self.support))
        return tuple(seen)


class SectionDraft(NamedTuple):
    """A top-level section (板块) of the outline: 一、提高公开质量与发布质效."""

    number: str
    """As printed, without punctuation: "一"."""
    title: str


class TaskDraft(NamedTuple):
    """One numbered task (工作任务) as the parser read it."""

    number: str
    """As printed, without punctuation: "6", "(一)", "1"."""
    path: tuple[str, ...]
    """The outline path: section, subsection if any, item — ("二", "6")."""
    title: str
    """The lead phrase, up to the first 。."""
    text: str
    """The whole item."""
    owners: Owners = Owners()
    requirements: tuple[Requirement, ...] = ()


class PlanDraft(NamedTuple):
    """A parsed document: a work-point plan (工作要点) or an annual disclosure report (年度报告)."""

    kind: str
    """"workplan" or "annual_report"."""
    title: str
    issuer: str | None
    """发布机构, or the organisation named in the title; None where the text does not say."""
    year: int | None
    """The year the document is for: a plan's year; for an annual report, the year it reports on
    (its commitments fall in the next year, which is the year `tracker import` schedules them in)."""
    sections: tuple[SectionDraft, ...] = ()
    tasks: tuple[TaskDraft, ...] = ()
    commitments: tuple[str, ...] = ()
    """Annual reports: the texts of the 一是/二是… improvement commitments (also the tasks)."""
    statistics: Mapping[str, int] = MappingProxyType({})
    """Annual reports: headline figures as stated ({"主动公开信息": 213}). The default is one shared
    read-only mapping (a record's default is shared by every instance), never a mutable dict."""
    warnings: tuple[str, ...] = ()
    """What could not be read, in plain words."""
    date_written: str | None = None
    """成文日期/发文日期 as an ISO date, where the document gives one."""


# ---------------------------------------------------------------------------------------------
# Scheduling: obligations and their status as of a date
# ---------------------------------------------------------------------------------------------


class Status(enum.StrEnum):
    """A derived status (never stored): computed from facts as of a date.

    Members are listed from most to least urgent; a task's status is its most urgent obligation's.
    """

    OVERDUE = "overdue"
    """逾期: due before the as-of date and not done."""
    DUE_SOON = "due_soon"
    """临期: due within the warning window (default 5 working days), not done."""
    NO_UPDATE = "no_update"
    """未报进展: an ongoing task with no progress note this month."""
    ON_TRACK = "on_track"
    """进行中: not due yet, or ongoing with a note this month."""
    DONE_LATE = "done_late"
    """逾期完成: done, after its due date."""
    DONE = "done"
    """已完成: done on or before its due date."""
    WAIVED = "waived"
    """不适用: waived with a reason."""

    @property
    def urgency(self) -> int:
        """0 for the most urgent (overdue) upward; sort by it to put what is late first."""
        return _URGENCY[self]


_URGENCY = {status: rank for rank, status in enumerate(Status)}


class Occurrence(NamedTuple):
    """One obligation (一件一次): a rule's single instance with its due date.

    `key` is stable across recomputation (e.g. "2024-Q2", "2024-H1#局办公室", "event:12"), so
    completions recorded against it survive a change of calendar or a re-import.
    """

    key: str
    """Stable identity within its rule."""
    due: date | None
    """The due date; None for ongoing rules."""
    owner: str | None = None
    """For per-owner rules: the owner this instance belongs to."""
    provisional: bool = False
    """True when the due date was counted without the year's holiday data (weekends only)."""
    note: str = ""
    """Why it is provisional, or other plain-words context (e.g. the event's reference)."""
    event_id: int | None = None
    """For after-event rules: the event that started the clock."""
    period_start: date | None = None
    """Start of the period this obligation covers (recurring rules)."""


# ---------------------------------------------------------------------------------------------
# Views: what the query layer returns to the TUI, the ledger and the reminders
# ---------------------------------------------------------------------------------------------


class ObligationView(NamedTuple):
    """An obligation with its status as of a date, as every view shows it."""

    requirement_id: int
    rule_index: int
    """1-based position of the rule within its task (what `--rule K` takes)."""
    key: str
    due: date | None
    status: Status
    owner: str | None = None
    done_on: date | None = None
    evidence: str | None = None
    provisional: bool = False
    note: str = ""


class RuleView(NamedTuple):
    """A stored rule with its plain-words summary ("每年2次 · 已完成1")."""

    requirement_id: int
    index: int  # type: ignore[assignment]  # hides tuple.index, never called on a rule view
    """1-based position within the task."""
    requirement: Requirement
    summary: str
    waived_reason: str | None = None


class TaskView(NamedTuple):
    """A task with everything a list view needs, as of a date."""

    task_id: int
    plan_id: int
    plan_title: str
    number: str
    path: tuple[str, ...]
    section: str
    """The section's number and title, "二、深化政策公开与解读回应"."""
    title: str
    text: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    status: Status
    next_due: date | None
    rules: tuple[RuleView, ...] = ()
    obligations: tuple[ObligationView, ...] = ()
    last_note: str | None = None
    """The latest progress note up to the as-of date."""
    version: int = 1
    """Row version of the task, for conflict detection on write."""

    @property
    def key(self) -> str:
        """How the command line names this task: "PLAN:NUMBER"."""
        return f"{self.plan_id}:{self.number}"


class PlanInfo(NamedTuple):
    """A stored plan, as listed by `tracker plans`."""

    plan_id: int
    title: str
    kind: str
    issuer: str | None
    year: int
    task_count: int = 0
    version: int = 1


class OwnerInfo(NamedTuple):
    """A unit with its reminder address and how many (live) tasks it holds."""

    owner_id: int
    name: str
    """As the lists name it: "办公室", or `unit_label`'s "办公室（A局）" when another office has one."""
    email: str | None
    task_count: int = 0
    office: str = ""
    """The office the unit belongs to ("default" on one machine)."""


def unit_label(name: str, office: str) -> str:
    """How every list names a unit whose name a unit of another office shares: "办公室（A局）".

    Units belong to one office (two offices' "办公室" are two units, with their own addresses); a
    name alone is enough wherever one office is in view, which is always the case on one office's
    own database and for an office coordinator on a shared one.
    """
    return f"{name}（{office}）"


class UnitNames:
    """How lists name units (`unit_label`): a name several offices' units share is shown with the
    unit's office, any other name as it is.

    The one mechanism every list uses, the read path's (`tracker.query.stored.unit_names` builds it
    from the units a connection sees) and the store's alike (`tracker owners UNIT --email`).
    """

    __slots__ = ("offices", "shared")

    def __init__(self, shared: Collection[str], offices: Mapping[int, str]) -> None:
        self.shared = frozenset(shared)
        """The names more than one office's units have."""
        self.offices = offices
        """Office id → its name (an office missing from it is shown by its id)."""

    def __call__(self, name: str, office_id: int) -> str:
        """The unit `name` of the office `office_id` as lists show it."""
        if name not in self.shared:
            return name
        return unit_label(name, self.offices.get(office_id, str(office_id)))


class EventView(NamedTuple):
    """A logged event (文件发布 on a date, with its reference)."""

    event_id: int
    on: date
    ref: str | None
    requirement_id: int | None = None


class NoteView(NamedTuple):
    """A progress note (进展情况)."""

    note_id: int
    on: date
    text: str
    author: str = ""


class AuditView(NamedTuple):
    """One line of a task's or the database's history."""

    at: str
    """ISO timestamp of the change."""
    who: str
    action: str
    summary: str
    undone: bool = False


class TaskDetail(NamedTuple):
    """Everything the task screen and `tracker show` display, as of a date."""

    task: TaskView
    events: tuple[EventView, ...] = ()
    notes: tuple[NoteView, ...] = ()
    history: tuple[AuditView, ...] = ()
