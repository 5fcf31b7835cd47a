"""Stored columns → what every read shows of them: a rule's `Requirement` and words, a task's units.

Three reads show the same facts: `tasks_as_of` (full views: --json, the TUI, the ledger),
`listing.task_lines` (the `tracker tasks` table) and `reminders.reminder_rows` (`tracker remind`).
Their tests require them to agree exactly, so the conversions they share live here, once: which
columns make a rule, how a rule is worded with its done count, and how a task's lead and
supporting units are read and ordered.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from tracker.model import Requirement, RequirementKind, UnitNames
from tracker.schedule import summarize
from tracker.store.obligations import REQ_FIELDS, to_requirement

RULE_COLUMNS = ("kind", "source", *REQ_FIELDS)
"""The requirement columns `requirement_of` takes, in this order."""


def rule_columns(alias: str = "") -> str:
    """`RULE_COLUMNS` for a SELECT list, each prefixed with `alias.` when an alias is given."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + name for name in RULE_COLUMNS)


@lru_cache(maxsize=4096)
def requirement_of(columns: tuple[Any, ...]) -> Requirement:
    """A stored rule's `RULE_COLUMNS` values → `Requirement`, as the store's writers read it
    (`tracker.store.obligations.to_requirement`; cached: a city repeats the same rules thousands
    of times)."""
    return to_requirement(dict(zip(RULE_COLUMNS, columns, strict=True)))


RULE_SHAPE = tuple(name for name in RULE_COLUMNS if name != "source")
"""The rule columns its words depend on: every one but `source` (the document's own words, which
`summarize` shows only for a rule of no known kind, which `to_requirement` refuses)."""


def shape_key(alias: str) -> str:
    """SQL for one text naming a rule's shape: its `RULE_SHAPE` values as a JSON array.

    Rules with equal keys are worded alike. A read that words many rules (the city's 3,345
    reminded obligations, its 4,996 listed rules) fetches this one value per rule instead of
    twelve, and hashes one string instead of a 12-tuple; `shapes` then reads the columns once
    per distinct key (measured on the city, cold, callgrind: `tracker remind` 617M → 574M
    instructions, `tracker tasks --status overdue` 513M → 482M). CAST keeps it text on
    PostgreSQL, where `json_array` becomes `json_build_array`."""
    return f"CAST(json_array({', '.join(f'{alias}.{name}' for name in RULE_SHAPE)}) AS TEXT)"


def shapes(conn: sqlite3.Connection, first: Mapping[str, int]) -> dict[str, Requirement]:
    """Shape keys (`shape_key`) → the rule they name, from `first`: each key → the id of one rule
    with that key. One query for all of them; the rules come back without their `source`.

    A key is missing from the answer when its rule is gone by the time this runs (an import
    undone between the caller's query and this one): callers treat it as a rule no longer there,
    as the next read will."""
    if not first:
        return {}
    ids = "[" + ",".join(map(str, first.values())) + "]"
    sql = (f"SELECT id, {', '.join(RULE_SHAPE)} FROM requirement "
           "WHERE id IN (SELECT value FROM json_each(:ids))")
    by_id = {row[0]: requirement_of((row[1], None, *row[2:])) for row in conn.execute(sql, {"ids": ids})}
    return {key: by_id[rule_id] for key, rule_id in first.items() if rule_id in by_id}


_DONE_LABEL = {"zh": "已完成{k}", "en": "done {k}"}


def rule_words(req: Requirement, done: int, lang: str) -> str:
    """A rule as the lists show it: "每月", and for a recurring rule how often it was done
    ("每月 · 已完成11"; `done` counts its obligations done as of the date, 0 when waived)."""
    words = summarize(req, lang)
    if req.kind is RequirementKind.RECURRING:
        words += " · " + _DONE_LABEL["en" if lang == "en" else "zh"].format(k=done)
    return words


OWNED_BY = "(SELECT tow.task_id FROM taskowner tow WHERE tow.owner_id IN (SELECT value FROM json_each(:owner_ids)))"
"""The ids of the tasks the units :owner_ids (a JSON list, `owner_ids`) lead or support (for
`… IN OWNED_BY` filters)."""


def unit_names(conn: sqlite3.Connection) -> UnitNames:
    """How this connection's lists name units (`tracker.model.UnitNames`), from the units it sees.

    On one office's database, and for an office coordinator under row-level security, names never
    collide and this costs one small query; a city admin's connection sees every office's units.
    """
    shared = [row[0] for row in conn.execute("SELECT name FROM owner GROUP BY name HAVING count(*) > 1")]
    return UnitNames(shared, dict(conn.execute("SELECT id, name FROM office")) if shared else {})


def units_named(conn: sqlite3.Connection, owner: str, names: UnitNames | None = None) -> list[tuple[int, str]]:
    """(id, shown name) of the units `owner` names: every office's unit of that name, or the one
    unit of that label ("办公室（A局）"). Empty when none does. `names`: the connection's
    `unit_names`, when the caller has it already."""
    names = names or unit_names(conn)
    wanted = owner.strip()
    return [(unit_id, names(name, office)) for unit_id, name, office in
            conn.execute("SELECT id, name, office_id FROM owner ORDER BY name, office_id")
            if name == wanted or names(name, office) == wanted]


def owner_ids(conn: sqlite3.Connection, owner: str, names: UnitNames | None = None) -> str:
    """The :owner_ids parameter of `OWNED_BY` for the units `owner` names (`units_named`)."""
    return "[" + ",".join(str(unit_id) for unit_id, _ in units_named(conn, owner, names)) + "]"


_UNITS = ("SELECT tow.task_id, tow.role, ow.name, ow.office_id FROM taskowner tow JOIN owner ow "
          "ON ow.id = tow.owner_id WHERE {roles}tow.task_id IN (SELECT value FROM json_each(:ids)) ORDER BY tow.id")

UNITS_SQL = _UNITS.format(roles="")
"""Rows (task_id, role, unit, its office) of the tasks in :ids (a JSON list), in assignment order:
for `units_by_task`."""

LEADS_SQL = _UNITS.format(roles="tow.role <> 'support' AND ")
"""`UNITS_SQL` for the lead units alone (what a reminder names; a third of a city's rows are support)."""

Units = tuple[tuple[str, ...], tuple[str, ...]]
"""A task's (lead units, supporting units)."""

NO_UNITS: Units = ((), ())


def units_by_task(rows: Iterable[tuple[int, str, str, int]], names: UnitNames) -> dict[int, Units]:
    """Rows of `UNITS_SQL` → each task's (lead, support) as `names` shows them, in assignment
    order, each unit once ("support" is the only role that is not a lead)."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    shared = names.shared
    for task_id, role, name, office in rows:
        if shared and name in shared:
            name = names(name, office)
        units = found.setdefault(task_id, ([], []))[1 if role == "support" else 0]
        if name not in units:
            units.append(name)
    return {task_id: (tuple(lead), tuple(support)) for task_id, (lead, support) in found.items()}
