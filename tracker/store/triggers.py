"""`obligation.done_on`: the date of an obligation's earliest completion, kept by the database itself.

Why it exists: every read asks "which obligations are open as of D?" — no completion on or before
D. Answered from the completion table, that is one index probe per obligation already due: on a
city database (100,800 obligations, half of them due by mid-2025) the raw overdue query took
48 ms. With the earliest completion's date on the obligation row, "open as of D" is
`done_on IS NULL OR done_on > D`, and the index on `obligation(done_on, due, …)` reaches the few
thousand open obligations directly (see `tracker.query.tasks`).

It is a copy of a fact (the first completion's date), not a status: status is still derived as of
a date by `tracker.schedule`. Because completions are written by many paths — `tracker done`, undo
(which replays the audit trail generically), the ledger round trip, the PostgreSQL transfer, a
coordinator's hand-written SQL — the copy is kept by triggers, so no path can forget it:

- a completion inserted, deleted or changed → its obligation's `done_on` is recomputed;
- an obligation inserted, or its (requirement_id, key) changed (a re-import recomputes obligation
  rows; completions refer to that pair) → its `done_on` is read from the completions.

`tracker check` verifies the copy (`tracker.store.check`). SQLite and PostgreSQL get the same
behaviour in each one's own trigger language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_EARLIEST = ("(SELECT min(c.done_on) FROM completion c "
             "WHERE c.requirement_id = {row}.requirement_id AND c.obligation_key = {row}.{key})")

def _recompute(row: str) -> str:
    """Set the `done_on` of the obligation a completion row (NEW or OLD) refers to."""
    return (f"UPDATE obligation SET done_on = {_EARLIEST.format(row=row, key='obligation_key')} "
            f"WHERE requirement_id = {row}.requirement_id AND key = {row}.obligation_key;")


_SQLITE = [
    # a completion written or removed: recompute its obligation (OLD and NEW may differ on update)
    "CREATE TRIGGER IF NOT EXISTS completion_insert_done_on AFTER INSERT ON completion "
    f"BEGIN {_recompute('NEW')} END",
    "CREATE TRIGGER IF NOT EXISTS completion_delete_done_on AFTER DELETE ON completion "
    f"BEGIN {_recompute('OLD')} END",
    "CREATE TRIGGER IF NOT EXISTS completion_update_done_on AFTER UPDATE ON completion "
    f"BEGIN {_recompute('OLD')} {_recompute('NEW')} END",
    # an obligation created (only when it has completions: a fresh import of a city inserts 100k
    # obligations with none) or re-keyed: read its completions
    "CREATE TRIGGER IF NOT EXISTS obligation_insert_done_on AFTER INSERT ON obligation "
    "WHEN EXISTS (SELECT 1 FROM completion c WHERE c.requirement_id = NEW.requirement_id "
    "AND c.obligation_key = NEW.key) "
    f"BEGIN UPDATE obligation SET done_on = {_EARLIEST.format(row='NEW', key='key')} WHERE id = NEW.id; END",
    "CREATE TRIGGER IF NOT EXISTS obligation_rekey_done_on AFTER UPDATE OF requirement_id, key ON obligation "
    f"BEGIN UPDATE obligation SET done_on = {_EARLIEST.format(row='NEW', key='key')} WHERE id = NEW.id; END",
]

_POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION tracker_completion_done_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE obligation SET done_on = {_EARLIEST.format(row='OLD', key='obligation_key')}
    WHERE requirement_id = OLD.requirement_id AND key = OLD.obligation_key;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    UPDATE obligation SET done_on = {_EARLIEST.format(row='NEW', key='obligation_key')}
    WHERE requirement_id = NEW.requirement_id AND key = NEW.obligation_key;
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION tracker_obligation_done_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.done_on := {_EARLIEST.format(row='NEW', key='key')};
  RETURN NEW;
END $$""",
    "DROP TRIGGER IF EXISTS completion_done_on ON completion",
    "CREATE TRIGGER completion_done_on AFTER INSERT OR UPDATE OR DELETE ON completion "
    "FOR EACH ROW EXECUTE FUNCTION tracker_completion_done_on()",
    "DROP TRIGGER IF EXISTS obligation_done_on ON obligation",
    "CREATE TRIGGER obligation_done_on BEFORE INSERT OR UPDATE OF requirement_id, key ON obligation "
    "FOR EACH ROW EXECUTE FUNCTION tracker_obligation_done_on()",
]

REFRESH_ALL = f"UPDATE obligation SET done_on = {_EARLIEST.format(row='obligation', key='key')}"
"""Recompute every obligation's `done_on` from the completions (the v3 → v4 migration's backfill)."""

STALE_COUNT = ("SELECT count(*) FROM obligation o WHERE o.done_on IS DISTINCT FROM "
               + _EARLIEST.format(row="o", key="key"))
"""How many obligations' `done_on` disagrees with their completions (`tracker check`; 0 while the
triggers are in place)."""
"""Recompute every obligation's `done_on` from the completions (the v3 → v4 migration's backfill)."""


def install_done_on_triggers(conn: Connection) -> None:
    """Create the triggers that keep `obligation.done_on` (idempotent; SQLite or PostgreSQL)."""
    for statement in _POSTGRES if conn.dialect.name == "postgresql" else _SQLITE:
        conn.exec_driver_sql(statement)
