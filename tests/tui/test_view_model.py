"""The main screen's rules without a screen: filter, sort, count, column widths."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.model import Status, TaskView
from tracker.tui.view_model import (
    Filter,
    apply_filter,
    count_statuses,
    next_sort_mode,
    pinyin_key,
    sort_tasks,
)
from tracker.tui.widgets.task_table import COLUMNS, column_widths


def view(number: str, title: str, status: Status, *, lead: tuple[str, ...] = (), support: tuple[str, ...] = (),
         due: date | None = None, section: str = "一、提高公开质量与发布质效") -> TaskView:
    return TaskView(task_id=int(number), plan_id=1, plan_title="计划", number=number, path=(section[0], number),
                    section=section, title=title, text=title + "。具体内容。", lead=lead, support=support,
                    status=status, next_due=due)


TASKS = [
    view("1", "推进政策解读", Status.OVERDUE, lead=("局办公室",), due=date(2024, 6, 30)),
    view("2", "规范依申请公开", Status.DONE_LATE, lead=("养老服务科",), support=("局办公室",)),
    view("3", "强化工作保障", Status.ON_TRACK, due=date(2024, 12, 31), section="五、强化组织领导和监督保障"),
    view("4", "[b]解读[/b]", Status.DUE_SOON, lead=("政策法规科",), due=date(2024, 7, 3)),
]


@pytest.mark.parametrize(("flt", "expected"), [
    (Filter(), ["1", "2", "3", "4"]),
    (Filter(text="解读"), ["1", "4"]),
    (Filter(text="解读 推进"), ["1"]),  # every word must occur
    (Filter(text="[b]"), ["4"]),  # brackets are plain text
    (Filter(status=Status.DONE), ["2"]),  # 已完成 covers 逾期完成
    (Filter(owner="局办公室"), ["1", "2"]),  # lead or supporting unit
    (Filter(section="五、强化组织领导和监督保障"), ["3"]),
    (Filter(text="保障", status=Status.OVERDUE), []),
], ids=["empty", "word", "two-words", "brackets", "done-covers-late", "owner", "section", "no-match"])
def test_apply_filter(flt: Filter, expected: list[str]) -> None:
    assert [t.number for t in apply_filter(TASKS, flt, {})] == expected


def test_sort_modes_and_cycle() -> None:
    assert [t.number for t in sort_tasks(TASKS, "section")] == ["1", "2", "3", "4"]
    assert [t.number for t in sort_tasks(TASKS, "due")] == ["1", "4", "3", "2"]  # no date last
    assert [t.number for t in sort_tasks(TASKS, "owner")] == ["1", "2", "4", "3"]  # 局 < 养 < 政, none last
    assert [t.number for t in sort_tasks(TASKS, "status")] == ["1", "4", "3", "2"]
    assert [next_sort_mode(m) for m in ("section", "due", "owner", "status")] == ["due", "owner", "status",
                                                                                  "section"]
    with pytest.raises(ValueError, match="unknown sort mode"):
        sort_tasks(TASKS, "colour")


def test_counts_and_pinyin_order() -> None:
    counts = count_statuses(TASKS)
    assert counts[Status.DONE] == 1
    assert counts[Status.OVERDUE] == 1
    assert counts[Status.NO_UPDATE] == 0
    assert sorted(["政策法规科", "养老服务科", "局办公室", "办公室"], key=pinyin_key) == [
        "办公室", "局办公室", "养老服务科", "政策法规科"]


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_columns_fit_the_terminal(width: int) -> None:
    widths = column_widths(width)
    assert set(widths) == {key for key, _ in COLUMNS}
    assert sum(widths.values()) + 2 * len(COLUMNS) + 2 <= width
    assert widths["due"] >= 17  # "12-31 剩127工作日"
