"""PlanDraft ↔ the parse contract: the JSON object `tracker parse --json` prints (DESIGN.md).

Field order is fixed and the contract only grows: a field is never renamed or removed. The one
field beyond DESIGN.md's sketch is "date_written", right after "year". Every Requirement field
is always present (null/false/0 where its kind does not use it), in the order of DESIGN.md
with "days" beside "workdays". "warnings" are the English sentences, whatever the user's language:
a warning's Chinese (`tracker.notes.Note.zh`, what `tracker parse` and `tracker import` show) is
not part of the contract, and `from_json` gives the warnings back as plain strings.
"""

from __future__ import annotations

from typing import Any

from tracker.errors import BadInputError
from tracker.model import Owners, PlanDraft, Requirement, RequirementKind, SectionDraft, TaskDraft

_REQUIREMENT_FIELDS = ("kind", "event", "workdays", "days", "count", "period", "per_owner",
                       "due_day", "month", "day", "year_offset", "what", "source")


def requirement_json(rule: Requirement) -> dict[str, Any]:
    """One rule as its contract object, every field present, in contract order."""
    data: dict[str, Any] = {name: getattr(rule, name) for name in _REQUIREMENT_FIELDS}
    data["kind"] = str(rule.kind.value)
    return data


def to_json(draft: PlanDraft) -> dict[str, Any]:
    """The draft as the parse contract (a plain dict of JSON types, keys in contract order)."""
    return {
        "kind": draft.kind,
        "title": draft.title,
        "issuer": draft.issuer,
        "year": draft.year,
        "date_written": draft.date_written,
        "sections": [{"number": s.number, "title": s.title} for s in draft.sections],
        "tasks": [_task_json(task) for task in draft.tasks],
        "commitments": list(draft.commitments),
        "statistics": dict(draft.statistics),
        "warnings": [str(w) for w in draft.warnings],  # plain English strings (a Note is a str subclass)
    }


def _task_json(task: TaskDraft) -> dict[str, Any]:
    return {
        "number": task.number,
        "path": list(task.path),
        "title": task.title,
        "text": task.text,
        "owners": {"lead": list(task.owners.lead), "support": list(task.owners.support)},
        "requirements": [requirement_json(rule) for rule in task.requirements],
    }


def from_json(data: dict[str, Any]) -> PlanDraft:
    """Read a parse-contract object back into a PlanDraft: `from_json(to_json(d)) == d`.

    Fields added to the contract later may be absent (they take their defaults); a missing
    required field or a wrong type raises BadInputError with one sentence.
    """
    try:
        return PlanDraft(
            kind=str(data["kind"]),
            title=str(data["title"]),
            issuer=data.get("issuer"),
            year=data.get("year"),
            sections=tuple(SectionDraft(str(s["number"]), str(s["title"]))
                           for s in data.get("sections", [])),
            tasks=tuple(_task(task) for task in data.get("tasks", [])),
            commitments=tuple(str(c) for c in data.get("commitments", [])),
            statistics={str(k): int(v) for k, v in data.get("statistics", {}).items()},
            warnings=tuple(str(w) for w in data.get("warnings", [])),
            date_written=data.get("date_written"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadInputError(f"The JSON is not a tracker parse result ({type(exc).__name__}: "
                            f"{exc}); it should be what `tracker parse FILE --json` prints.",
                            zh=f"这段 JSON 不是 tracker 的解析结果 ({type(exc).__name__}: {exc}); "
                               "应为 `tracker parse FILE --json` 输出的内容。") from exc


def _task(data: dict[str, Any]) -> TaskDraft:
    owners = data.get("owners") or {}
    return TaskDraft(
        number=str(data["number"]),
        path=tuple(str(p) for p in data["path"]),
        title=str(data["title"]),
        text=str(data["text"]),
        owners=Owners(tuple(owners.get("lead", ())), tuple(owners.get("support", ()))),
        requirements=tuple(_requirement(rule) for rule in data.get("requirements", [])),
    )


def _requirement(data: dict[str, Any]) -> Requirement:
    values = {name: data[name] for name in _REQUIREMENT_FIELDS if name in data}
    values["kind"] = RequirementKind(values["kind"])
    return Requirement(**values)
