"""x: the ledger the TUI writes has the name `tracker export` gives it and is never dated after today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static
from tui_helpers import AS_OF, run_cli, settle

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dialogs import PathDialog


async def _open_export(app: TrackerApp, pilot) -> PathDialog:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, PathDialog)
    return app.screen


async def test_x_proposes_the_file_tracker_export_writes(make_app: Callable[..., TrackerApp], jining_db: Path,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: x proposed exports/2024年济宁市民政局政务公开工作要点-2024-07-工作台账.xlsx while the CLI (and the
    README) write exports/1-2024-07-工作台账.xlsx: one ledger, two names."""
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_export(app, pilot)
        assert dialog.query_one("#path", Input).value == str(Path("exports") / "1-2024-07-工作台账.xlsx")
        assert str(dialog.query_one("#path-about", Static).render()) == "台账截至 2024-07-01"
        await pilot.press("enter")
        await settle(pilot)
    monkeypatch.setenv("TRACKER_TODAY", AS_OF.isoformat())
    tui_written = (tmp_path / "exports" / "1-2024-07-工作台账.xlsx").read_bytes()
    out = run_cli(jining_db, "export", "--as-of", AS_OF.isoformat())
    assert out.startswith(f"已导出工作台账: {Path('exports') / '1-2024-07-工作台账.xlsx'} ")
    assert len(list((tmp_path / "exports").iterdir())) == 1  # the CLI replaced the TUI's file: the same one
    assert tui_written


async def test_x_on_every_plan_proposes_the_all_name(make_app: Callable[..., TrackerApp], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.plan_id = None
        dialog = await _open_export(app, pilot)
        assert dialog.query_one("#path", Input).value == str(Path("exports") / "all-2024-07-工作台账.xlsx")


async def test_x_while_looking_ahead_writes_the_ledger_as_of_today(make_app: Callable[..., TrackerApp],
                                                                   tmp_path: Path) -> None:
    """As `tracker export` refuses a date after today, x with the view moved ahead (t) exports as of
    today and says so before anything is written; the file is named for today's month."""
    from openpyxl import load_workbook

    app = make_app(as_of=date(2024, 12, 31))
    target = tmp_path / "ahead.xlsx"
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_export(app, pilot)
        assert dialog.query_one("#path", Input).value.endswith("1-2024-07-工作台账.xlsx")
        assert str(dialog.query_one("#path-about", Static).render()).startswith("台账截至今天 2024-07-01: ")
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.as_of == date(2024, 12, 31)  # the view stays where it was
    book = load_workbook(target)
    assert book["汇总"]["A2"].value == "截至2024年7月1日"
    overdue = [r[1] for r in book["逾期事项"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert set(overdue) == {"8", "12"}  # the H1 and Q1/Q2 checks: not what falls due by 12-31
