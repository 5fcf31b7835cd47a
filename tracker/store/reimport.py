"""Match a revised plan's tasks to the stored ones: added, changed, removed — pure, no database.

A revised plan (same title and year, or the same file name) usually keeps most tasks, renumbers
a few, rewords some. Matching, in order of confidence:
  1. same outline path and same title;
  2. same title (the task moved or was renumbered) — reported as changed;
  3. same outline path (the task was retitled) — reported as changed;
each stored task matched at most once. A matched task whose number, path, title or text differs
is "changed"; a draft task left over is "added"; a stored live task left over is "removed".
Stored tasks already removed by an earlier import can be matched again (they come back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tracker.model import TaskDraft


@dataclass(frozen=True)
class OldTask:
    """A stored task as the matcher needs it."""

    task_id: int
    number: str
    path: tuple[str, ...]
    title: str
    text: str
    removed: bool = False


@dataclass
class Match:
    """The outcome: which stored task each draft task continues, and what is new or gone."""

    pairs: list[tuple[OldTask, TaskDraft]] = field(default_factory=list)
    added: list[TaskDraft] = field(default_factory=list)
    removed: list[OldTask] = field(default_factory=list)
    changed: list[tuple[OldTask, TaskDraft]] = field(default_factory=list)
    """The pairs whose number, path, title or text differ (a subset of `pairs`)."""


def _same(old: OldTask, new: TaskDraft) -> bool:
    return (old.number, old.path, old.title, old.text) == (new.number, new.path, new.title, new.text)


def match(old_rows: Sequence[OldTask], tasks: Sequence[TaskDraft]) -> Match:
    """Pair stored tasks with the draft's tasks by path + title, then title, then path.

    Live stored tasks are preferred over ones an earlier import removed. An empty draft removes
    every live task (the caller refuses an empty draft before this).
    """
    pool = sorted(old_rows, key=lambda o: (o.removed, o.task_id))
    used: set[int] = set()
    chosen: dict[int, OldTask] = {}
    keys = (lambda t: (t.path, t.title), lambda t: t.title, lambda t: t.path)
    for key in keys:
        for index, draft in enumerate(tasks):
            if index in chosen:
                continue
            for old in pool:
                if old.task_id not in used and key(old) == key(draft):
                    chosen[index] = old
                    used.add(old.task_id)
                    break
    result = Match()
    for index, draft in enumerate(tasks):
        found = chosen.get(index)
        if found is None:
            result.added.append(draft)
            continue
        result.pairs.append((found, draft))
        if not _same(found, draft) or found.removed:
            result.changed.append((found, draft))
    result.removed = [o for o in old_rows if o.task_id not in used and not o.removed]
    return result


def label(number: str, title: str) -> str:
    """How a task is named in import reports: "8 深化重大决策公众参与"."""
    return f"{number} {title}"
