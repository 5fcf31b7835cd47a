"""Store a parsed plan: first import, or a re-import that keeps the history of a revised plan.

Same draft again (same hash) → nothing written. A revised plan (same year, and the same title or
the same file name; next year's plan in a file of the same name is a new plan) is matched task by task (`tracker.store.reimport`); matched tasks keep their id, so
completions, notes, events, waivers and manual owner/rule corrections stay attached. Parsed rules
are updated by their index in the document (`requirement.parsed_index`); a rule whose origin is
"manual" (the coordinator's correction) is never replaced. Owners are replaced by the parsed ones
only when the task has no manual assignment. Tasks no longer in the plan get removed=True.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import BadInputError
from tracker.model import PlanDraft, Requirement, TaskDraft
from tracker.store import audit
from tracker.store.obligations import REQ_FIELDS, recompute
from tracker.store.reimport import OldTask, label, match

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.notes import Note


def read_plan(path: Path) -> tuple[PlanDraft, tuple[Note | str, ...]]:
    """Read and parse a plan file, and the warnings of both steps (each a `tracker.notes.Note`:
    English, with its Chinese as `.zh`); `BadInputError` for a missing or unreadable file.

    Here, not in a command, because `tracker import`, `tracker demo` and the TUI's import all
    read a plan this way and must show the same warnings."""
    from tracker.ingest import read_document
    from tracker.parse import parse

    if not path.exists():
        raise BadInputError(f"no file at {path}; give the path of a plan (.txt, .docx, .html or .xlsx).",
                            zh=f"文件不存在: {path}; 请给出计划文件的路径 (.txt, .docx, .html 或 .xlsx)。")
    if path.is_dir() or not path.is_file():
        raise BadInputError(f"{path} is not a file; give the path of a plan (.txt, .docx, .html or .xlsx).",
                            zh=f"{path} 不是文件; 请给出计划文件的路径 (.txt, .docx, .html 或 .xlsx)。")
    try:
        source = read_document(path)
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror or exc}.",
                            zh=f"无法读取 {path}: {exc.strerror or exc}。") from None
    draft = parse(source.text)
    return draft, (*source.warnings, *draft.warnings)


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    plan_id: int | None
    created: bool
    unchanged: bool
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    title: str = ""
    year: int = 0
    tasks: int = 0
    sections: int = 0
    rules: int = 0
    obligations: int = 0
    dry_run: bool = False


def draft_hash(draft: PlanDraft, year: int) -> str:
    """sha256 of the draft's content and the year it is stored for (same file → same hash).

    The dataclasses' repr lists every field in order (3× faster than asdict + JSON on a
    60-task plan); a change to the model's fields changes the hash, and a re-import then
    finds no task added, changed or removed.
    """
    return hashlib.sha256(f"{year}|{draft!r}".encode()).hexdigest()


def _counts(draft: PlanDraft) -> dict[str, int]:
    return {"tasks": len(draft.tasks), "sections": len(draft.sections),
            "rules": sum(len(t.requirements) for t in draft.tasks)}


def import_plan(*, session: Session, draft: PlanDraft, source_name: str, year: int | None = None,
                dry_run: bool = False) -> ImportReport:
    """Store `draft` in the session's transaction (never commits); report what changed.

    `year` overrides the draft's year (for documents that do not say). An annual report's
    commitments fall in the year after the one it reports on (`draft.year` + 1) unless `year` is
    given. A draft with no tasks is `BadInputError` (said first: the year does not help it), and so
    is one with no year. With `dry_run` nothing is written
    and the report says what would be.
    """
    if not draft.tasks:  # first: no --year can make a plan of a file without tasks
        # the parser's words for its own draft; imported only when needed
        from tracker.parse import no_tasks_reason

        reason = no_tasks_reason(draft, source_name)
        raise BadInputError(str(reason), zh=reason.zh)
    plan_year = year or (draft.year + 1 if draft.kind == "annual_report" and draft.year else draft.year)
    if plan_year is None:
        raise BadInputError(f"{source_name} does not say which year the plan is for; give it with --year 2024.",
                            zh=f"{source_name} 没有写明计划是哪一年的; 请用 --year 2024 指定。")
    digest = draft_hash(draft, plan_year)
    plan = audit.table("plan")
    same = session.execute(plan.select().where(plan.c.source_sha256 == digest)).mappings().first()
    base: dict[str, Any] = {"title": draft.title, "year": plan_year, "dry_run": dry_run, **_counts(draft)}
    if same is not None:
        return ImportReport(plan_id=same["id"], created=False, unchanged=True, **base)
    target = session.execute(
        plan.select().where((plan.c.year == plan_year)
                            & ((plan.c.title == draft.title) | (plan.c.source_name == source_name)))
        .order_by(plan.c.id.desc())
    ).mappings().first()
    if target is None:
        report = ImportReport(plan_id=None, created=True, unchanged=False,
                              added=[label(t.number, t.title) for t in draft.tasks], **base)
        if not dry_run:
            report.plan_id = _create(session, draft, plan_year, source_name, digest)
            report.obligations = _obligation_count(session, report.plan_id)
        return report
    return _revise(session, dict(target), draft, plan_year, source_name, digest, base)


def _obligation_count(session: Session, plan_id: int) -> int:
    from sqlalchemy import text

    return int(session.execute(text("SELECT count(*) FROM obligation WHERE plan_id = :p"),
                               {"p": plan_id}).scalar_one())


def _plan_values(session: Session, draft: PlanDraft, year: int, source_name: str, digest: str) -> dict[str, Any]:
    return {"kind": draft.kind, "title": draft.title, "issuer": draft.issuer, "year": year,
            "date_written": draft.date_written, "source_name": source_name, "source_sha256": digest,
            "imported_at": session.info["now"]}


def _create(session: Session, draft: PlanDraft, year: int, source_name: str, digest: str) -> int:
    from tracker.store.offices import office_for_new_plan

    values = _plan_values(session, draft, year, source_name, digest) | {"version": 1,
                                                                        "office_id": office_for_new_plan(session)}
    plan_id = audit.insert(session, audit.table("plan"), values, f"导入计划: {draft.title}")
    sections = _sync_sections(session, plan_id, draft)
    task_ids = _insert_tasks(session, plan_id, values["office_id"], sections, list(enumerate(draft.tasks, 1)))
    recompute(session, task_ids, fresh=True)
    return plan_id


def _sync_sections(session: Session, plan_id: int, draft: PlanDraft) -> dict[str, int]:
    """Sections by number (updated titles, new ones added); returns number → id."""
    tbl = audit.table("section")
    existing = {r["number"]: dict(r) for r in
                session.execute(tbl.select().where(tbl.c.plan_id == plan_id)).mappings()}
    new_rows = []
    for position, sec in enumerate(draft.sections, 1):
        old = existing.get(sec.number)
        if old is None:
            new_rows.append({"plan_id": plan_id, "number": sec.number, "title": sec.title, "position": position})
        else:
            audit.update(session, tbl, old["id"], {"title": sec.title, "position": position},
                         f"板块{sec.number}: {sec.title}")
    ids = audit.insert_many(session, tbl, new_rows, [f"板块{r['number']}: {r['title']}" for r in new_rows])
    result = {number: row["id"] for number, row in existing.items()}
    result.update({row["number"]: i for row, i in zip(new_rows, ids, strict=True)})
    return result


def _owner_ids(session: Session, names: set[str], office_id: int) -> dict[str, int]:
    """Ids of these units of the office, creating the missing ones (audited)."""
    tbl = audit.table("owner")
    found = {r["name"]: r["id"] for r in session.execute(tbl.select().where(tbl.c.office_id == office_id)).mappings()
             if r["name"] in names}
    missing = sorted(names - set(found))
    ids = audit.insert_many(session, tbl, [{"office_id": office_id, "name": n, "email": None} for n in missing],
                            [f"新单位: {n}" for n in missing])
    found.update(zip(missing, ids, strict=True))
    return found


def office_of_task(session: Session, task_id: int) -> int:
    """The office whose plan holds the task (its units are that office's)."""
    from sqlalchemy import text

    return int(session.execute(text("SELECT p.office_id FROM task t JOIN plan p ON p.id = t.plan_id "
                                     "WHERE t.id = :t"), {"t": task_id}).scalar_one())


def _task_values(plan_id: int, sections: dict[str, int], position: int, t: TaskDraft) -> dict[str, Any]:
    return {"plan_id": plan_id, "section_id": sections.get(t.path[0]) if t.path else None,
            "number": t.number, "path": "/".join(t.path), "title": t.title, "text": t.text,
            "position": position, "removed": False}


def _req_values(task_id: int, position: int, index: int, req: Requirement) -> dict[str, Any]:
    return {"task_id": task_id, "position": position, "kind": str(req.kind), "source": req.source,
            **{name: getattr(req, name) for name in REQ_FIELDS},
            "origin": "parsed", "removed": False, "parsed_index": index}


def _insert_tasks(session: Session, plan_id: int, office: int, sections: dict[str, int],
                  items: list[tuple[int, TaskDraft]]) -> list[int]:
    rows = [_task_values(plan_id, sections, pos, t) | {"version": 1} for pos, t in items]
    ids = audit.insert_many(session, audit.table("task"), rows,
                            [f"任务{t.number}: 新增 {t.title}" for _, t in items])
    owners = _owner_ids(session, {n for _, t in items for n in t.owners.all()}, office)
    links, reqs = [], []
    for task_id, (_, t) in zip(ids, items, strict=True):
        links += [{"task_id": task_id, "owner_id": owners[n], "role": role, "origin": "parsed"}
                  for role, names in (("lead", t.owners.lead), ("support", t.owners.support))
                  for n in names]
        reqs += [_req_values(task_id, i, i, r) for i, r in enumerate(t.requirements, 1)]
    audit.insert_many(session, audit.table("taskowner"), links, "责任单位 (文件)")
    audit.insert_many(session, audit.table("requirement"), reqs, "规则 (文件)")
    return ids


def _revise(session: Session, target: dict[str, Any], draft: PlanDraft, year: int, source_name: str,
            digest: str, base: dict[str, Any]) -> ImportReport:
    tasks = audit.table("task")
    old_rows = [OldTask(r["id"], r["number"], tuple(r["path"].split("/")) if r["path"] else (),
                        r["title"], r["text"], bool(r["removed"]))
                for r in session.execute(tasks.select().where(tasks.c.plan_id == target["id"])).mappings()]
    found = match(old_rows, draft.tasks)
    report = ImportReport(
        plan_id=target["id"], created=False, unchanged=False,
        added=[label(t.number, t.title) for t in found.added],
        changed=[label(t.number, t.title) for _, t in found.changed],
        removed=[label(o.number, o.title) for o in found.removed], **base)
    if base["dry_run"]:
        return report
    plan_id = target["id"]
    audit.update(session, audit.table("plan"), plan_id,
                 _plan_values(session, draft, year, source_name, digest) | {"version": target["version"] + 1},
                 f"重新导入计划: {draft.title}")
    sections = _sync_sections(session, plan_id, draft)
    position = {id(t): pos for pos, t in enumerate(draft.tasks, 1)}
    changed = {o.task_id for o, _ in found.changed}
    for old, t in found.pairs:
        values = _task_values(plan_id, sections, position[id(t)], t)
        current = audit.fetch(session, tasks, old.task_id) or {}
        rules_changed = _sync_rules(session, old.task_id, t)
        owners_changed = _sync_owners(session, old.task_id, t, target["office_id"])
        if old.task_id in changed or rules_changed or owners_changed:
            values["version"] = current.get("version", 1) + 1
        audit.update(session, tasks, old.task_id, values, f"任务{t.number}: 随计划更新")
    for old in found.removed:
        audit.update(session, tasks, old.task_id, {"removed": True, "version": _version(session, old.task_id) + 1},
                     f"任务{old.number}: 已不在计划中 (保留历史)")
    _insert_tasks(session, plan_id, target["office_id"], sections, [(position[id(t)], t) for t in found.added])
    recompute(session, [o.task_id for o in old_rows] + _task_ids(session, plan_id))
    report.obligations = _obligation_count(session, plan_id)
    return report


def _version(session: Session, task_id: int) -> int:
    row = audit.fetch(session, audit.table("task"), task_id)
    return int(row["version"]) if row else 1


def _task_ids(session: Session, plan_id: int) -> list[int]:
    tbl = audit.table("task")
    return [r[0] for r in session.execute(tbl.select().with_only_columns(tbl.c.id).where(tbl.c.plan_id == plan_id))]


def _sync_rules(session: Session, task_id: int, t: TaskDraft) -> bool:
    """Parsed rules follow the document by index; manual ones stay. True if anything changed."""
    tbl = audit.table("requirement")
    rows = [dict(r) for r in session.execute(tbl.select().where(tbl.c.task_id == task_id)).mappings()]
    by_index = {r["parsed_index"]: r for r in rows if r["parsed_index"] is not None}
    top = max((r["position"] for r in rows), default=0)
    changed = False
    for index, req in enumerate(t.requirements, 1):
        old = by_index.get(index)
        if old is None:
            top += 1
            audit.insert(session, tbl, _req_values(task_id, top, index, req), f"任务{t.number}: 新规则{top} (文件)")
            changed = True
        elif old["origin"] != "manual":
            values = _req_values(task_id, old["position"], index, req)
            after = audit.update(session, tbl, old["id"], values, f"任务{t.number}: 规则{old['position']}随文件更新")
            changed |= after != old
    for row in rows:
        if row["origin"] == "parsed" and not row["removed"] and (row["parsed_index"] or 0) > len(t.requirements):
            audit.update(session, tbl, row["id"], {"removed": True}, f"任务{t.number}: 规则{row['position']}已不在文件中")
            changed = True
    return changed


def _sync_owners(session: Session, task_id: int, t: TaskDraft, office: int) -> bool:
    """Parsed owners follow the document unless the coordinator assigned owners by hand (units of
    the plan's `office`)."""
    links = audit.table("taskowner")
    rows = [dict(r) for r in session.execute(links.select().where(links.c.task_id == task_id)).mappings()]
    if any(r["origin"] == "manual" for r in rows):
        return False
    ids = _owner_ids(session, set(t.owners.all()), office)
    wanted = [(ids[n], role) for role, names in (("lead", t.owners.lead), ("support", t.owners.support))
              for n in names]
    have = [(r["owner_id"], r["role"]) for r in rows]
    if have == wanted:
        return False
    for r in rows:
        audit.delete(session, links, r["id"], f"任务{t.number}: 责任单位随文件更新")
    audit.insert_many(session, links, [{"task_id": task_id, "owner_id": o, "role": role, "origin": "parsed"}
                                       for o, role in wanted], f"任务{t.number}: 责任单位 (文件)")
    return True
