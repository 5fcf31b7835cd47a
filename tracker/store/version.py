"""The schema version number alone, so the plain-SQL read path can check it without the ORM.

`tracker.store.tables` (which imports sqlmodel, ~335 ms) re-exports it; `tracker.query` may import
this module instead and stay light.
"""

from __future__ import annotations

SCHEMA_VERSION = 6
"""Bumped by every migration in `tracker.store.migrate`; a database with a higher one is refused.

1: the first schema. 2: `requirement.parsed_index` (which parsed rule a row stands for, so a
coordinator's correction survives a re-import) and the indexes the read path needs.
3: offices and users (`office`, `app_user`, `membership`, `plan.office_id`), and
`auditentry.task_id` / `auditentry.plan_id` (indexed: a task's history is an index lookup, and
row-level security on PostgreSQL can scope the audit trail).
4: `obligation.done_on`, the earliest completion's date, kept by triggers, and its index
(`tracker.store.triggers`): the read path finds open obligations without a probe per completion.
5: `owner.office_id`: a unit belongs to one office, unique by (office, name); a unit that tasks of
several offices shared is split into one per office, each with the old address.
6: `auditentry.office_id`: every audit row belongs to an office (its plan's, its unit's, else the
acting user's), so row-level security scopes the rows of no plan too and `undo` stays in the office.
"""
