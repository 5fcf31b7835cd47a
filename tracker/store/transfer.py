"""Copy one database into another (an office's SQLite file into the city's PostgreSQL), idempotently.

Rows are matched by natural keys, not ids (ids differ between databases): a plan by its office,
kind, title and year; a task by its plan, outline path, number and position (a plan whose
numbering repeats keeps its tasks apart); a rule by its task and
position; a completion by its rule, obligation key, date and record time; and so on (`SPECS`).
A row whose key the target already has is not copied again, its id is only mapped, so re-running
the copy writes only what is new since the last run. Everything happens in one transaction on the
target: a failure leaves it as it was. Obligations are derived rows: they are recomputed on the
target for the tasks that received anything. Audit entries are copied for reading (history), in the office their
plan or unit landed in, and a "migrate" line in each office that received rows stops `tracker undo`
there, so that it never replays another database's row ids.

What is not copied: offices' users and memberships (the city's admins grant those), and changes to
rows the target already has (a re-imported plan's new wording: re-import it on the target).

Event ids differ between the databases too: a completion of an after-event rule names its
obligation by "event:<id>", which is mapped to the target's id of the same event (`event_key`).
The obligations' own `event_id` is recomputed on the target; audit rows are history (their JSON
keeps the source's ids).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracker.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session


@dataclass(frozen=True)
class Spec:
    """How one table is copied: its natural key and which columns point at which table."""

    table: str
    key: tuple[str, ...]
    refs: tuple[tuple[str, str], ...] = ()
    """(column, table it points at): remapped from source ids to target ids."""


SPECS: tuple[Spec, ...] = (
    Spec("office", ("name",)),
    Spec("plan", ("office_id", "kind", "title", "year"), (("office_id", "office"),)),
    Spec("section", ("plan_id", "number"), (("plan_id", "plan"),)),
    Spec("owner", ("office_id", "name"), (("office_id", "office"),)),
    Spec("task", ("plan_id", "path", "number", "position"), (("plan_id", "plan"), ("section_id", "section"))),
    Spec("taskowner", ("task_id", "owner_id", "role"), (("task_id", "task"), ("owner_id", "owner"))),
    Spec("requirement", ("task_id", "position"), (("task_id", "task"),)),
    Spec("event", ("task_id", "on", "ref", "created_at"), (("task_id", "task"), ("requirement_id", "requirement"))),
    Spec("completion", ("requirement_id", "obligation_key", "done_on", "recorded_at"),
         (("requirement_id", "requirement"),)),
    Spec("waiver", ("requirement_id", "created_at"), (("requirement_id", "requirement"),)),
    Spec("progressnote", ("task_id", "on", "text", "created_at"), (("task_id", "task"),)),
    Spec("calendaroverride", ("day",)),
    Spec("sentreminder", ("day", "recipient", "digest", "at")),
    Spec("auditentry", ("action_id", "entity", "entity_id", "summary", "before", "after"),
         (("task_id", "task"), ("plan_id", "plan"), ("office_id", "office"))),
)
"""Tables in the order they are copied (parents first)."""

_TOUCHES_SCHEDULE = {"task": "id", "taskowner": "task_id", "requirement": "task_id", "event": "task_id"}



_UNSET = object()
"""No office set on the session before the migrate lines (`copy_database` restores that)."""

def _norm(value: object) -> object:
    """A key value comparable across engines (naive datetimes, ints for booleans)."""
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from datetime import UTC, datetime

        assert isinstance(value, datetime)
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _rows(conn: Connection | Session, name: str) -> list[dict[str, Any]]:
    from tracker.store.audit import table

    tbl = table(name)
    return [dict(r) for r in conn.execute(tbl.select().order_by(tbl.c[_pk(name)])).mappings()]


def _pk(name: str) -> str:
    return "key" if name == "meta" else "id"


def copy_database(source: Connection, target: Session, *, office: str | None = None,
                  create_office: bool = False) -> dict[str, int]:
    """Copy what `target` lacks from `source` (both at the current schema); return rows copied per table.

    `office` puts every copied plan in that office, which the target must have (`UsageError` naming
    the target's offices: a misspelt name would otherwise make an office nobody is granted) unless
    `create_office`; without it a plan keeps its source office's name ("default" for a
    single-office database). Zero everywhere means the target already had everything. Runs in
    `target`'s transaction (never commits).
    """
    from tracker.store.audit import table
    from tracker.store.obligations import recompute

    if office is not None and not office.strip():
        raise UsageError("--office needs a name, e.g. --office 民政局.", zh="--office 需要机关名称, 如 --office 民政局。")
    if office is not None and not create_office:
        _known_office(target, office.strip())
    ids: dict[str, dict[int, int]] = defaultdict(dict)
    counts: dict[str, int] = {}
    touched: set[int] = set()
    offices: set[int] = set()
    for spec in SPECS:
        rows = _rows(source, spec.table)
        if spec.table == "office" and office is not None:
            rows = _forced_office(rows, office.strip())
        if spec.table == "plan":
            _office_fallback(source, target, ids, office)
        new_rows, sources = _new_rows(spec, rows, ids, _rows(target, spec.table))
        counts[spec.table] = len(new_rows)
        if not new_rows:
            continue
        tbl = table(spec.table)
        stmt = tbl.insert().returning(tbl.c.id, sort_by_parameter_order=True)
        new_ids = [r[0] for r in target.execute(stmt, new_rows)]
        for src_ids, new_id in zip(sources, new_ids, strict=True):
            for src_id in src_ids:
                ids[spec.table][src_id] = new_id
        if spec.table in ("plan", "owner", "auditentry"):
            offices |= {int(r["office_id"]) for r in new_rows if r.get("office_id") is not None}
        column = _TOUCHES_SCHEDULE.get(spec.table)
        if column is not None:
            touched |= {int(r[column]) if column != "id" else int(i) for r, i in zip(new_rows, new_ids, strict=True)}
    if touched:
        recompute(target, sorted(touched))
    if any(counts.values()):
        from tracker.store.audit import entity_label, note

        line = "复制自另一数据库: " + ", ".join(f"{entity_label(k)} {v}" for k, v in counts.items() if v)
        writer_office = target.info.get("office_id", _UNSET)
        for office_id in sorted(offices) or [0]:  # one line in each office that received rows, so
            if office_id:                           # its coordinator's `undo` stops at the copy too
                target.info["office_id"] = office_id
            note(target, line, "migrate")
        if writer_office is _UNSET:  # later audited writes in this session are the writer's again
            target.info.pop("office_id", None)
        else:
            target.info["office_id"] = writer_office
    return counts


def _known_office(target: Session, name: str) -> None:
    """`UsageError` unless the target has an office called `name`."""
    from sqlalchemy import text

    names = [r[0] for r in target.execute(text("SELECT name FROM office ORDER BY id"))]
    if name not in names:
        # `tracker users` manages PostgreSQL roles: on a SQLite target --create-office is the way
        pg = target.get_bind().dialect.name == "postgresql"
        add = (f"add it first with `tracker users add-office {name}`, or pass --create-office"
               if pg else "or pass --create-office to create it")
        add_zh = (f"或先用 `tracker users add-office {name}` 添加它, 或加 --create-office"
                  if pg else "或加 --create-office 新建它")
        raise UsageError(f"the target has no office “{name}” (its offices: {'、'.join(names) or 'none'}); check the "
                         f"spelling, {add}.",
                         zh=f"目标数据库中没有机关“{name}” (已有的机关: {'、'.join(names) or '无'}); 请检查拼写, "
                            f"{add_zh}。")


def _office_fallback(source: Connection, target: Session, ids: dict[str, dict[int, int]],
                     office: str | None) -> None:
    """A plan whose office the source does not list (a database built by other means) goes to the
    office named by `office`, else the target's "default" office."""
    from sqlalchemy import text

    from tracker.store.offices import DEFAULT_OFFICE

    name = office.strip() if office else DEFAULT_OFFICE
    default = target.execute(text("SELECT id FROM office WHERE name = :n"), {"n": name}).scalar()
    if default is None:
        default = target.execute(text("INSERT INTO office (name) VALUES (:n) RETURNING id"), {"n": name}).scalar()
    for (office_id,) in source.execute(text("SELECT DISTINCT office_id FROM plan")):
        if office_id is not None and int(office_id) not in ids["office"] and default is not None:
            ids["office"][int(office_id)] = int(default)


def _forced_office(rows: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """Every source office becomes the one named (so all plans land in it)."""
    return [{**r, "name": name} for r in rows]


def _new_rows(spec: Spec, rows: Sequence[dict[str, Any]], ids: dict[str, dict[int, int]],
              existing: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[list[int]]]:
    """The source rows (remapped) whose key the target lacks, with the source ids each stands for
    (rows sharing a key within the source are copied once); maps the others to the target's ids."""
    have = {tuple(_norm(r[k]) for k in spec.key): r["id"] for r in existing}
    pending: dict[tuple[object, ...], list[int]] = {}
    new_rows: list[dict[str, Any]] = []
    sources: list[list[int]] = []
    for row in rows:
        values = dict(row)
        src_id = int(values.pop("id"))
        for column, parent in spec.refs:
            if values.get(column) is not None:
                values[column] = ids[parent].get(int(values[column]))
        if spec.table == "auditentry":
            values = _audit_row(values, ids)
        if spec.table == "completion":
            values["obligation_key"] = event_key(values["obligation_key"], ids["event"])
        key = tuple(_norm(values[k]) for k in spec.key)
        if key in have:
            ids[spec.table][src_id] = have[key]
        elif key in pending:
            pending[key].append(src_id)
        else:
            pending[key] = [src_id]
            new_rows.append(values)
            sources.append(pending[key])
    return new_rows, sources


_EVENT_KEY = re.compile(r"^event:(\d+)(?=$|#)")
"""An after-event obligation's key: "event:<event id>", "event:<event id>#<unit>" per owner."""


def event_key(key: str, events: dict[int, int]) -> str:
    """An obligation key with the event id it names mapped to the target's ("event:1" → "event:4"),
    so a copied completion matches its event's obligation there; other keys are returned as they are."""
    found = _EVENT_KEY.match(key)
    if found is None or int(found.group(1)) not in events:
        return key
    return f"event:{events[int(found.group(1))]}" + key[found.end():]


def _audit_row(values: dict[str, Any], ids: dict[str, dict[int, int]]) -> dict[str, Any]:
    """An audit entry for reading on the target: its row id mapped where known."""
    entity_ids = ids.get(values["entity"], {})
    if values.get("entity_id") is not None:
        values["entity_id"] = entity_ids.get(int(values["entity_id"]), values["entity_id"])
    return values

