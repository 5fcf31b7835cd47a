"""How the main screen and the task screen look (100×30, Jining as of 2024-07-01): a change of
look is a reviewed change. Update with `./test tests/tui/test_snapshots.py --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from tui_helpers import select_task, settle

from tracker.tui.app import TrackerApp

SnapCompare = Callable[..., bool]


def test_main_screen(snap_compare: SnapCompare, make_app: Callable[..., TrackerApp]) -> None:
    """The whole plan: header counts, filter bar, every task with its status, the footer keys."""

    async def loaded(pilot: Pilot[int]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=loaded)


def test_main_screen_filtered_to_overdue(snap_compare: SnapCompare, make_app: Callable[..., TrackerApp]) -> None:
    """Key 1: only the overdue tasks, the 逾期 count highlighted."""

    async def overdue(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=overdue)


def test_task_screen_task_8(snap_compare: SnapCompare, make_app: Callable[..., TrackerApp]) -> None:
    """Task 8: its text with the two rules' source words highlighted, obligations, history."""

    async def open_task(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await select_task(pilot, "8")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=open_task)


def test_done_dialog_with_a_bad_date(snap_compare: SnapCompare, make_app: Callable[..., TrackerApp]) -> None:
    """The done dialog says a date that does not exist is not a date, before Enter."""

    async def bad_date(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await select_task(pilot, "8")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press(*"2024", "minus", *"02", "minus", *"30")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=bad_date)


def test_main_screen_80x24_english(snap_compare: SnapCompare, make_app: Callable[..., TrackerApp]) -> None:
    """The smallest terminal, in English."""

    async def loaded(pilot: Pilot[int]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=loaded)


def test_readme_screenshot(make_app: Callable[..., TrackerApp], tmp_path: Path) -> None:
    """docs/tui-main.svg is the main screen as these tests see it (regenerate: TRACKER_SCREENSHOT=1)."""
    import asyncio
    import os

    target = Path(__file__).resolve().parents[2] / "docs" / "tui-main.svg"

    async def shoot() -> str:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await select_task(pilot, "8")
            return app.export_screenshot(title="tracker tui")

    svg = asyncio.run(shoot())
    if os.environ.get("TRACKER_SCREENSHOT"):
        target.write_text(svg, encoding="utf-8")
    assert target.exists(), "run once with TRACKER_SCREENSHOT=1 to write docs/tui-main.svg"
    assert "济宁市民政局" in target.read_text(encoding="utf-8").replace("&#160;", " ")
