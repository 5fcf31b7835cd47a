"""The done dialog credits the unit one picks on a per-owner rule, and says what `tracker done`
says (others still open, a completion before its period); the waive dialog lifts a waiver.

Task 15 of the Jining plan has one per-owner rule (每年1次, 各责任单位各1次) and three units:
局办公室 (lead), 政策法规科 and 养老服务科 (support).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, Static
from tui_helpers import notifications, pressed_on, query_db, row_of, run_cli, settle

from tracker.store.actions import DoneResult
from tracker.tui.actions import done_message
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dialogs import ConfirmDialog
from tracker.tui.screens.task_dialogs import DoneDialog, DoneRequest, WaiveDialog

COMPLETIONS = ("SELECT c.obligation_key, c.done_on FROM completion c JOIN requirement r ON r.id = c.requirement_id "
               "JOIN task t ON t.id = r.task_id WHERE t.number = ? ORDER BY c.id")
WAIVERS = ("SELECT r.position, w.reason, w.created_at FROM waiver w JOIN requirement r ON r.id = w.requirement_id "
           "JOIN task t ON t.id = r.task_id WHERE t.number = ? ORDER BY r.position")


def _unit_row_shown(dialog: DoneDialog) -> bool:
    return dialog.shown(dialog.query_one("#owner", Select))


def _unit_options(dialog: DoneDialog) -> list[str]:
    return list(dialog.units)


# --- done: the unit -----------------------------------------------------------------------------


async def test_done_credits_the_unit_chosen(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "15", "d") as pilot:
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert _unit_row_shown(dialog)
        assert _unit_options(dialog) == ["局办公室", "政策法规科", "养老服务科"]  # lead first, as the store orders
        assert dialog.query_one("#owner", Select).value == "局办公室"  # the first is preselected
        assert isinstance(app.focused, Input)  # the date: Enter there saves
        dialog.query_one("#owner", Select).value = "养老服务科"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, DoneDialog)
        assert query_db(jining_db, COMPLETIONS, "15") == [("2024-Y1#养老服务科", "2024-07-01")]
        said = notifications(app)[-1]
        assert "2024-Y1#养老服务科" in said
        assert "计入养老服务科 (另有2个单位未完成)" in said

        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert _unit_options(dialog) == ["局办公室", "政策法规科"]  # only the units still open
        await pilot.press("enter")  # the default: the lead unit
        await settle(pilot)
        assert query_db(jining_db, COMPLETIONS, "15")[-1] == ("2024-Y1#局办公室", "2024-07-01")
        assert "另有1个单位未完成" in notifications(app)[-1]

        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert not _unit_row_shown(dialog)  # one unit left: nothing to choose
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, COMPLETIONS, "15")[-1] == ("2024-Y1#政策法规科", "2024-07-01")
        assert "另有" not in notifications(app)[-1]
        assert row_of(app, "15")["status"].endswith("已完成")


async def test_done_on_a_rule_for_all_units_offers_no_unit(make_app: Callable[..., TrackerApp],
                                                           jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "8", "d") as pilot:  # two units, but one obligation for both
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert not _unit_row_shown(dialog)
        await pilot.press("enter")
        await settle(pilot)
    assert query_db(jining_db, COMPLETIONS, "8") == [("2024-Y1", "2024-07-01")]


async def test_the_reopened_done_dialog_keeps_the_unit(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "15", "d") as pilot:
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        dialog.query_one("#owner", Select).value = "政策法规科"
        await pilot.pause()
        dialog.query_one("#evidence", Input).value = "投稿链接"
        dialog.query_one("#evidence", Input).focus()
        run_cli(jining_db, "note", "15", "另一终端", "--on", "2024-06-30")  # meanwhile, elsewhere: version +1
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)  # reopened on the fresh version
        assert dialog.query_one("#owner", Select).value == "政策法规科"
        assert dialog.query_one("#evidence", Input).value == "投稿链接"
        await pilot.press("enter")
        await settle(pilot)
    assert query_db(jining_db, COMPLETIONS, "15") == [("2024-Y1#政策法规科", "2024-07-01")]


async def test_done_before_its_period_warns(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    run_cli(jining_db, "done", "12", "--on", "2024-03-20")
    run_cli(jining_db, "done", "12", "--on", "2024-06-20")
    app = make_app()
    async with pressed_on(app, "12", "d") as pilot:
        assert isinstance(app.screen, DoneDialog)
        app.screen.query_one("#on Input", Input).value = "2024-06-25"  # Q3 begins 07-01
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
    assert query_db(jining_db, COMPLETIONS, "12")[-1] == ("2024-Q3", "2024-06-25")
    said = notifications(app)[-1]
    assert "2024-Q3" in said
    assert "注意: 2024-Q3 所属期间自2024-07-01开始, 完成日期2024-06-25早于该期间" in said


def test_done_message_names_the_unit_the_store_chose() -> None:
    """When no unit was chosen (none offered) and the store took the earliest, it says whose."""
    res = DoneResult("15", 1, "2024-Y1#局办公室", date(2024, 12, 31), date(2024, 7, 1), "局办公室", 2)
    req = DoneRequest(rule=1, on=date(2024, 7, 1), evidence=None)
    assert done_message(res, req, "zh").endswith("; 计入局办公室 (另有2个单位未完成, 可在“计入单位”中选择)")
    assert done_message(res, req, "en").endswith("; credited to 局办公室 (2 other units still open; choose one under Unit)")


# --- waive: lift ----------------------------------------------------------------------------------


async def test_waive_dialog_lifts_a_waiver_and_undo_restores_it(make_app: Callable[..., TrackerApp],
                                                               jining_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "2024-06-01")  # the waiver counts as of the app's 2024-07-01
    run_cli(jining_db, "waive", "12", "--reason", "网站整合")
    waived = query_db(jining_db, WAIVERS, "12")
    assert [w[:2] for w in waived] == [(1, "网站整合")]
    app = make_app()
    async with pressed_on(app, "12", "w") as pilot:  # its only rule is waived: the dialog offers lifting it
        dialog = app.screen
        assert isinstance(dialog, WaiveDialog)
        assert "不适用: 网站整合" in str(dialog.query_one("#waived", Static).render())
        assert not dialog.shown(dialog.query_one("#reason", Input))  # no reason to type
        ok = dialog.query_one("#ok", Button)
        assert str(ok.label) == "解除不适用"
        assert not ok.disabled
        await pilot.press("tab")
        assert app.focused is ok
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, WaiveDialog)
        assert query_db(jining_db, WAIVERS, "12") == []
        assert "已恢复适用: 任务12 规则1 (原不适用理由: 网站整合)" in notifications(app)
        assert row_of(app, "12")["status"] != "– 不适用"

        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, WAIVERS, "12") == waived  # the same reason and date
        assert row_of(app, "12")["status"] == "– 不适用"


async def test_waive_dialog_switches_between_waive_and_lift(make_app: Callable[..., TrackerApp],
                                                            jining_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "2024-06-01")
    run_cli(jining_db, "waive", "8", "--rule", "2", "--reason", "已并入年度报告")
    app = make_app()
    async with pressed_on(app, "8", "w") as pilot:
        dialog = app.screen
        assert isinstance(dialog, WaiveDialog)
        rule = dialog.query_one("#rule", Select)
        ok = dialog.query_one("#ok", Button)
        assert rule.value == 1  # the rule not waived first
        assert dialog.shown(dialog.query_one("#reason", Input))
        assert str(ok.label) == "确定"
        assert ok.disabled  # a waiver needs a reason
        rule.value = 2
        await pilot.pause()
        assert not dialog.shown(dialog.query_one("#reason", Input))
        assert "已并入年度报告" in str(dialog.query_one("#waived", Static).render())
        assert str(ok.label) == "解除不适用"
        assert not ok.disabled
        rule.value = 1
        await pilot.pause()
        assert dialog.shown(dialog.query_one("#reason", Input))
        assert str(ok.label) == "确定"
        assert ok.disabled
        rule.value = 2
        await pilot.pause()
        ok.press()
        await settle(pilot)
    assert query_db(jining_db, WAIVERS, "8") == []
