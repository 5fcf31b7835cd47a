"""The main screen: header counts, the task table, filtering by key, click and text, sorting, sizes."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.widgets import Input, Select
from tui_helpers import numbers, row_of, settle

from tracker.model import Status
from tracker.tui.app import TrackerApp
from tracker.tui.widgets.status_counts import CountChip, StatusCounts


def _counts(app: TrackerApp) -> dict[Status, int | None]:
    return {chip.status: chip.count for chip in app.screen.query(CountChip)}


async def test_header_shows_plan_date_and_counts(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        title = str(app.screen.query_one("#title-line").render())
        assert "2024年济宁市民政局政务公开工作要点" in title
        assert "截至 2024-07-01" in title
        counts = _counts(app)
        assert counts[Status.OVERDUE] == 2  # tasks 8 (first evaluation, due 06-30) and 12 (Q1 check)
        assert sum(c or 0 for c in counts.values()) == 15
        chip = str(app.screen.query_one("#count-overdue", CountChip).render())
        assert chip == "1 ✖逾期 2"


async def test_table_lists_every_task_with_status_glyph_and_due(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert numbers(app) == [str(n) for n in range(1, 16)]
        eight = row_of(app, "8")
        assert eight["status"] == "✖ 逾期"
        assert eight["due"] == "06-30 逾期1天"
        assert eight["owners"] == "局办公室、政策法规科"
        assert eight["rule"].startswith("每年2次 · 已完成0")
        assert eight["section"] == "三"
        assert row_of(app, "12")["due"] == "03-31 逾期92天"


async def test_number_key_filters_to_a_status_and_zero_clears(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert numbers(app) == ["8", "12"]
        assert app.screen.query_one("#count-overdue").has_class("-active")
        await pilot.press("0")
        await settle(pilot)
        assert len(numbers(app)) == 15


async def test_clicking_a_count_filters_and_clicking_again_clears(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click("#count-no_update")
        await settle(pilot)
        shown = numbers(app)
        assert shown
        assert all(row_of(app, n)["status"] == "? 未报进展" for n in shown)
        await pilot.click("#count-no_update")
        await settle(pilot)
        assert len(numbers(app)) == 15


async def test_typing_chinese_filters_as_you_type(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        app.focused.insert_text_at_cursor("解读")  # what an input method delivers: the composed words
        started = time.perf_counter()
        while numbers(app) == [str(n) for n in range(1, 16)] and time.perf_counter() - started < 2:
            await pilot.pause(0.02)
        assert app.snapshot is not None
        expected = [v.number for v in app.snapshot.tasks if "解读" in v.title + v.text]
        assert "6" in expected
        assert len(expected) < 15
        assert numbers(app) == expected
        await pilot.press("escape")  # back to the table; the filter stays
        assert numbers(app) == expected
        await pilot.press("slash")
        app.focused.insert_text_at_cursor(" 规范化")  # every word must occur
        await pilot.pause(0.3)
        assert numbers(app) == ["6"]


async def test_owner_and_section_filters(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        owner: Select[str] = app.screen.query_one("#filter-owner", Select)
        owner.value = "政策法规科"
        await settle(pilot)
        assert numbers(app) == ["8", "15"]
        owner.clear()
        section: Select[str] = app.screen.query_one("#filter-section", Select)
        section.value = "二、深化政策公开与解读回应"
        await settle(pilot)
        assert numbers(app) == ["5", "6", "7"]


async def test_sort_key_cycles_section_due_owner_status(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # by due date: the longest overdue first
        await settle(pilot)
        assert numbers(app)[:2] == ["12", "8"]
        assert "排序: 到期日" in str(app.screen.query_one("#table-info").render())
        await pilot.press("s")  # by owner: units by name, unassigned last
        await settle(pilot)
        assert numbers(app)[:3] == ["8", "15", "2"]  # 局办公室 ×2, then 养老服务科
        await pilot.press("s")  # by status: overdue first (the longest overdue first among them)
        await settle(pilot)
        assert numbers(app)[:2] == ["12", "8"]
        assert app.snapshot is not None
        urgency = {v.number: v.status.urgency for v in app.snapshot.tasks}
        ranks = [urgency[n] for n in numbers(app)]
        assert ranks == sorted(ranks)
        await pilot.press("s")  # and back to the outline
        await settle(pilot)
        assert numbers(app) == [str(n) for n in range(1, 16)]


async def test_small_terminal_and_english(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert row_of(app, "8")["status"] == "✖ overdue"
        assert row_of(app, "8")["due"] == "06-30 1d late"
        assert str(app.screen.query_one("#count-overdue").render()) == "1 ✖overdue 2"
        assert "As of 2024-07-01" in str(app.screen.query_one(StatusCounts).query_one("#title-line").render())
        assert app.screen.query_one("#tasks").region.height >= 10  # the table keeps most of 24 lines
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert row_of(app, "8")["title"] == "深化重大决策公众参与"
