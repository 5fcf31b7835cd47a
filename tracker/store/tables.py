"""The database tables (SQLModel), one class per table; the schema is the contract of the store.

The read path of cron-facing commands (`tracker.query`) runs plain SQL over these same table and
column names through the DB-API, so a rename here is a rename there. Status is never stored:
`obligation` rows hold due dates only (recomputed in the same transaction as any change to their
inputs); whether one is overdue is computed at read time from completions, waivers and the date.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tracker.store.version import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION"]


class Meta(SQLModel, table=True):
    """Key/value facts about the database itself (schema_version)."""

    key: str = Field(primary_key=True)
    value: str


class Office(SQLModel, table=True):
    """An office (单位) of a city whose coordinator keeps its own plans; "default" on one machine."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class AppUser(SQLModel, table=True):
    """A person who uses tracker on a shared database: an office coordinator, or a city admin.

    On PostgreSQL the name is also the database role an office's coordinator may log in as.
    """

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    is_admin: bool = False
    """A city coordinator (市政务公开办): sees and changes every office's plans."""


class Membership(SQLModel, table=True):
    """A user's access to one office's plans (a coordinator may serve several offices)."""

    __table_args__ = (Index("ix_membership_user_office", "user_id", "office_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    office_id: int = Field(foreign_key="office.id", index=True)


class Plan(SQLModel, table=True):
    """An imported document: a work-point plan (工作要点) or an annual report (年度报告)."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(default=1, index=True, sa_column_kwargs={"server_default": "1"})
    """The office the plan belongs to (1 = "default", the only office of a single-machine database;
    schema 3). Row-level security on PostgreSQL keys every plan-owned row to it."""
    kind: str = "workplan"
    """"workplan" or "annual_report"."""
    title: str
    issuer: str | None = None
    """发布机构."""
    year: int
    """The year the plan's obligations fall in."""
    date_written: str | None = None
    """成文日期 as ISO text, where the document gives one."""
    source_name: str = ""
    """File name it was imported from."""
    source_sha256: str = ""
    """Hash of the parsed draft, so re-importing the same file changes nothing."""
    imported_at: datetime
    version: int = 1
    """Row version: bumped on every update, checked on write to refuse lost updates."""


class Section(SQLModel, table=True):
    """A section (板块) of a plan's outline."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: str
    title: str
    position: int


class Task(SQLModel, table=True):
    """A numbered task (工作任务). Removed tasks are kept (removed=True) with their history."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    section_id: int | None = Field(default=None, foreign_key="section.id")
    number: str
    path: str
    """The outline path joined with "/": "二/6"."""
    title: str
    text: str
    position: int
    removed: bool = False
    """True when a re-import no longer had this task; it keeps its completions and notes."""
    version: int = 1


class Owner(SQLModel, table=True):
    """A unit (单位/科室) of one office that can own tasks, with the address its reminders go to.

    Unique per office (schema 5): every office of a city has its own "办公室", with its own address,
    which only that office's coordinator sees and changes (row-level security on PostgreSQL).
    """

    __table_args__ = (Index("uq_owner_office_name", "office_id", "name", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(default=1, index=True, sa_column_kwargs={"server_default": "1"})
    """The office whose unit this is ("default", id 1, on one machine), as `Plan.office_id`."""
    name: str
    email: str | None = None


class TaskOwner(SQLModel, table=True):
    """A unit's role on a task: lead (牵头/责任) or support (配合)."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    role: str = "lead"
    """"lead" or "support"."""
    origin: str = "parsed"
    """"parsed" (from the document) or "manual" (the coordinator's correction; survives re-import)."""


class Requirement(SQLModel, table=True):
    """A rule (要求) of a task; the columns mirror `tracker.model.Requirement`."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    position: int
    """1-based order within the task (what `--rule K` names)."""
    kind: str
    source: str = ""
    what: str = ""
    event: str | None = None
    workdays: int | None = None
    days: int | None = None
    count: int | None = None
    period: str | None = None
    per_owner: bool = False
    due_day: int | None = None
    month: int | None = None
    day: int | None = None
    year_offset: int = 0
    origin: str = "parsed"
    """"parsed" or "manual" (a correction by the coordinator; survives re-import)."""
    removed: bool = False
    """True when removed by the coordinator or a re-import; kept for history."""
    parsed_index: int | None = None
    """1-based index of the parsed rule (in the document's task) this row stands for; None for a
    rule the coordinator added. A re-import updates the parsed row with the same index, and leaves
    it alone when its origin is "manual" (schema 2)."""


class Event(SQLModel, table=True):
    """Something that starts a deadline (文件发布): after_event rules get one obligation each."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    requirement_id: int | None = Field(default=None, foreign_key="requirement.id")
    on: date
    ref: str | None = None
    """The document's reference (文号), e.g. 济民发〔2024〕12号."""
    created_by: str = ""
    created_at: datetime


class Completion(SQLModel, table=True):
    """An obligation done: which one (requirement + stable key), when, with what evidence."""

    __table_args__ = (Index("ix_completion_req_key", "requirement_id", "obligation_key", "done_on"),)

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id", index=True)
    obligation_key: str
    done_on: date
    evidence: str | None = None
    """Text or link proving it (完成佐证)."""
    recorded_by: str = ""
    recorded_at: datetime


class Waiver(SQLModel, table=True):
    """A rule set aside (不适用) with a reason."""

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id", index=True)
    reason: str
    created_by: str = ""
    created_at: datetime


class ProgressNote(SQLModel, table=True):
    """A progress note (进展情况) on a task, dated."""

    __table_args__ = (Index("ix_progressnote_task_on", "task_id", "on"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    on: date
    text: str
    author: str = ""
    created_at: datetime


class CalendarOverride(SQLModel, table=True):
    """A user's correction to the working-day calendar (e.g. next year's arrangement)."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    kind: str
    """"holiday" or "workday"."""
    name: str = ""


class Obligation(SQLModel, table=True):
    """A materialized occurrence: one due date of one rule (recomputed, never edited by hand).

    Unique on (requirement_id, key): completions refer to that pair, so they survive recomputation.
    """

    __table_args__ = (
        Index("ix_obligation_req_key", "requirement_id", "key", unique=True),
        # "open as of D" = done_on IS NULL OR done_on > D: the read path reaches the open
        # obligations through this index without a probe per completed one (schema 4)
        Index("ix_obligation_open", "done_on", "due", "task_id", "requirement_id", "event_id"),
        # how many of a rule's obligations were done as of D, read from the index alone
        Index("ix_obligation_req_done", "requirement_id", "done_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id", index=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    key: str
    """Stable within the rule ("2024-Q2", "2024-Y#局办公室", "event:12")."""
    owner: str | None = None
    due: date | None = None
    """(Indexed in ix_obligation_open after done_on: an index on due alone tempted SQLite to walk
    every obligation already due instead of the open ones.)"""
    provisional: bool = False
    note: str = ""
    event_id: int | None = None
    done_on: date | None = None
    """The earliest completion's date (None: none recorded), kept by database triggers
    (`tracker.store.triggers`); never written by tracker's code (schema 4)."""


class AuditEntry(SQLModel, table=True):
    """One change: who, when, what, before → after (JSON). Entries of one action share action_id."""

    id: int | None = Field(default=None, primary_key=True)
    action_id: str = Field(index=True)
    at: datetime
    who: str = ""
    action: str
    """"import", "done", "event", "note", "assign", "waive", "rule", "calendar", "undo", …"""
    entity: str
    """Table name of the row changed."""
    entity_id: int | None = None
    before: str | None = None
    """The row as JSON before the change (None for an insert)."""
    after: str | None = None
    """The row as JSON after the change (None for a delete)."""
    summary: str = ""
    """One line for `tracker log`."""
    undone: bool = False
    task_id: int | None = Field(default=None, index=True)
    """The task the changed row belongs to (the task itself, its rules, owners, events, notes,
    completions, waivers), so a task's history is an index lookup; None otherwise (schema 3)."""
    plan_id: int | None = Field(default=None, index=True)
    """The plan the changed row belongs to, so row-level security can scope the audit trail; None
    for rows of no plan (units, calendar overrides, undo notes) (schema 3)."""
    office_id: int | None = Field(default=None, index=True)
    """The office the entry belongs to (schema 6): its plan's, its unit's, else the office of the user
    who acted (an undo note: the office of the change it undid). Row-level security on PostgreSQL
    scopes every audit row by it, and `tracker undo` considers only the current user's offices'."""


class SentReminder(SQLModel, table=True):
    """A reminder mail, so the same one is not sent twice a day and a failure is retried."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    recipient: str
    owner: str = ""
    digest: str = ""
    """Hash of the message's items."""
    status: str = "sent"
    """"sending" (taken by a run, not yet settled), "sent" or "failed"."""
    error: str = ""
    at: datetime
