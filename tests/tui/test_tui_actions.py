"""Every daily action driven by its key: what the database holds afterwards, what the screen shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, Static
from tui_helpers import notifications, pressed_on, query_db, row_of, select_task, settle, type_text

from tracker.calendar import WorkCalendar
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dialogs import ConfirmDialog, HelpScreen
from tracker.tui.screens.task_dialogs import (
    AssignDialog,
    DoneDialog,
    EventDialog,
    NoteDialog,
    RuleDialog,
    WaiveDialog,
)


def _completions(db: Path, number: str) -> list[tuple[object, ...]]:
    return query_db(db, "SELECT r.position, c.obligation_key, c.done_on, c.evidence FROM completion c "
                        "JOIN requirement r ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id "
                        "WHERE t.number = ? ORDER BY c.id", number)


async def test_done_marks_the_first_open_obligation(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "8", "d") as pilot:
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert dialog.query_one("#rule", Select).value == 1  # the overdue evaluation is preselected
        assert dialog.query_one("#on Input", Input).value == "2024-07-01"  # the as-of date
        await pilot.press("tab")  # from the date to the evidence box
        assert app.focused is not None
        assert app.focused.id == "evidence"
        await type_text(pilot, "评价报告")
        await pilot.press("enter")
        await settle(pilot)
        assert _completions(jining_db, "8") == [(1, "2024-Y1", "2024-07-01", "评价报告")]
        assert row_of(app, "8")["status"] == "○ 进行中"  # the second evaluation is not due yet
        assert any("已记录完成: 任务8 规则1 (2024-Y1) 完成于2024-07-01 — 逾期完成" in m for m in notifications(app))


async def test_done_dialog_refuses_a_date_that_does_not_exist(make_app: Callable[..., TrackerApp],
                                                             jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "8", "d") as pilot:
        await type_text(pilot, "2024-02-30")  # the prefilled date is selected: typing replaces it
        hint = str(app.screen.query_one(".date-hint", Static).render())
        assert "2024-02-30" in hint
        assert "不是有效日期" in hint
        assert app.screen.query_one("#ok", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DoneDialog)  # refused: still open, nothing written
        assert _completions(jining_db, "8") == []
        app.screen.query_one("#on Input", Input).value = "6月28日"
        await pilot.pause()
        assert "2024-06-28 星期五" in str(app.screen.query_one(".date-hint", Static).render())
        assert not app.screen.query_one("#ok", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
        assert _completions(jining_db, "8") == []  # cancelled


@pytest.mark.parametrize(("key", "dialog", "table"), [("d", DoneDialog, "completion"), ("n", NoteDialog, "progressnote")])
async def test_done_and_note_refuse_a_date_after_today(make_app: Callable[..., TrackerApp], jining_db: Path,
                                                       key: str, dialog: type, table: str) -> None:
    """QA: the dialogs took 2024-07-05 when today was 2024-07-01, which `tracker done`/`note` refuse."""
    app = make_app()
    async with pressed_on(app, "8", key) as pilot:
        assert isinstance(app.screen, dialog)
        if key == "n":
            app.screen.query_one("#text", Input).value = "已完成"
        app.screen.query_one("#on Input", Input).value = "2024-07-05"
        await pilot.pause()
        hint = str(app.screen.query_one(".date-hint", Static).render())
        assert "2024-07-05" in hint
        assert "晚于今天 (2024-07-01)" in hint
        assert "晚于今天 (2024-07-01)" in str(app.screen.query_one("#problem", Static).render())
        assert app.screen.query_one("#ok", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, dialog)  # refused: still open, nothing written
        assert query_db(jining_db, f"SELECT count(*) FROM {table}") == [(0,)]
        app.screen.query_one("#on Input", Input).value = "今天"
        await pilot.pause()
        assert not app.screen.query_one("#ok", Button).disabled


async def test_looking_ahead_the_dates_default_to_today(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app(as_of=date(2024, 9, 30))
    async with pressed_on(app, "8", "d") as pilot:
        assert app.screen.query_one("#on Input", Input).value == "2024-07-01"  # today, not the as-of date
        assert not app.screen.query_one("#ok", Button).disabled
        await pilot.press("escape")


async def test_event_starts_a_deadline_shown_at_once(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "6", "e") as pilot:
        assert isinstance(app.screen, EventDialog)
        await type_text(pilot, "2024-06-27")
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        assert app.focused.id == "ref"
        app.focused.insert_text_at_cursor("济民发〔2024〕12号")  # as an input method delivers it
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, 'SELECT e."on", e.ref FROM event e JOIN task t ON t.id = e.task_id '
                                   "WHERE t.number = '6'") == [("2024-06-27", "济民发〔2024〕12号")]
        six = row_of(app, "6")
        assert six["due"] == "07-02 剩1工作日"  # 06-27 + 3 working days: 06-28, 07-01, 07-02
        assert six["status"] == "▲ 临期"
        assert any("规则1 应于2024-07-02" in m for m in notifications(app))


async def test_event_on_a_task_without_an_event_rule_says_so(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with pressed_on(app, "12", "e"):
        assert not isinstance(app.screen, EventDialog)
        assert any("没有" in m for m in notifications(app))


async def test_note_records_progress_and_undo_takes_it_back(make_app: Callable[..., TrackerApp],
                                                           jining_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert row_of(app, "1")["status"] == "? 未报进展"
        await select_task(pilot, "1")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one("#ok", Button).disabled  # an empty note cannot be saved
        await type_text(pilot, "已更新重点任务公开专栏")
        await pilot.press("enter")
        await settle(pilot)
        notes = "SELECT n.\"on\", n.text, n.author FROM progressnote n JOIN task t ON t.id = n.task_id"
        assert query_db(jining_db, notes) == [("2024-07-01", "已更新重点任务公开专栏", "tester")]
        assert row_of(app, "1")["status"] == "○ 进行中"

        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "已更新重点任务公开专栏" in str(app.screen.query_one(".hint", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, notes) == []
        assert query_db(jining_db, "SELECT count(*) FROM auditentry WHERE action = 'note' AND undone = 0") == [(0,)]
        assert row_of(app, "1")["status"] == "? 未报进展"


async def test_assign_sets_lead_and_new_support_unit(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "1", "a") as pilot:
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        assert "局办公室" in str(dialog.query_one("#units", Static).render())  # known units are offered
        await type_text(pilot, "局办公室")
        await pilot.press("tab")
        await type_text(pilot, "新媒体中心")
        assert "将新建单位: 新媒体中心" in str(dialog.query_one("#units", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        owners = query_db(jining_db, "SELECT o.name, tow.role FROM taskowner tow JOIN owner o ON o.id = tow.owner_id "
                                     "JOIN task t ON t.id = tow.task_id WHERE t.number = '1' ORDER BY tow.id")
        assert owners == [("局办公室", "lead"), ("新媒体中心", "support")]
        assert row_of(app, "1")["owners"] == "局办公室、新媒体中心"


async def test_rule_adds_a_deadline_by_hand(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_task(pilot, "14")
        rules_before = query_db(jining_db, "SELECT count(*) FROM requirement r JOIN task t ON t.id = r.task_id "
                                           "WHERE t.number = '14' AND r.removed = 0")[0][0]
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        dialog.query_one("#rule", Select).value = 0  # (新增规则)
        await pilot.pause()
        dialog.query_one("#kind", Select).value = "recurring"
        dialog.query_one("#count", Input).value = ""
        await pilot.pause()
        assert "次数" in str(dialog.query_one("#problem", Static).render())  # a count is still missing
        assert dialog.query_one("#ok", Button).disabled
        dialog.query_one("#kind", Select).value = "deadline"
        await pilot.pause()
        dialog.query_one("#deadline", Input).value = "13-01"
        await pilot.pause()
        assert "12-31" in str(dialog.query_one("#problem", Static).render())  # explains the form
        dialog.query_one("#deadline", Input).value = "11-30"
        dialog.query_one("#what", Input).value = "更新标准目录"
        await pilot.pause()
        dialog.query_one("#what", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        rows = query_db(jining_db, "SELECT r.kind, r.month, r.day, r.what, r.origin FROM requirement r "
                                   "JOIN task t ON t.id = r.task_id WHERE t.number = '14' AND r.removed = 0 "
                                   "ORDER BY r.position")
        assert len(rows) == rules_before + 1
        assert rows[-1] == ("deadline", 11, 30, "更新标准目录", "manual")
        assert "11月30日前" in row_of(app, "14")["rule"]
        left = WorkCalendar().workdays_between(date(2024, 7, 1), date(2024, 11, 30))
        assert row_of(app, "14")["due"] == f"11-30 剩{left}工作日"


async def test_waive_with_a_reason(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "12", "w") as pilot:
        assert isinstance(app.screen, WaiveDialog)
        assert app.screen.query_one("#ok", Button).disabled  # a reason is required
        await type_text(pilot, "网站整合, 本年不单独检查")
        await pilot.press("enter")
        await settle(pilot)
        assert query_db(jining_db, "SELECT w.reason FROM waiver w JOIN requirement r ON r.id = w.requirement_id "
                                   "JOIN task t ON t.id = r.task_id WHERE t.number = '12'") == [
            ("网站整合, 本年不单独检查",)]
        assert row_of(app, "12")["status"] == "– 不适用"


async def test_as_of_date_changes_every_status(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "2024-03-01")
        await pilot.press("enter")
        await settle(pilot)
        assert "截至 2024-03-01" in str(app.screen.query_one("#title-line").render())
        assert row_of(app, "12")["status"] != "✖ 逾期"  # the Q1 check is due 03-31: not late yet
        left = WorkCalendar().workdays_between(date(2024, 3, 1), date(2024, 6, 30))
        assert row_of(app, "8")["due"] == f"06-30 剩{left}工作日"


async def test_help_lists_the_keys(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        for key, word in (("d", "完成"), ("e", "事件"), ("u", "撤销"), ("t", "截至日期"), ("/", "筛选")):
            assert f"{key}  {word}" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_runs_an_action(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    async with pressed_on(app, "8", "ctrl+p") as pilot:
        await type_text(pilot, "完成")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DoneDialog)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "内部错误 (RuntimeError: simulated bug); 详情见 {log}"),
    ("en", "internal error (RuntimeError: simulated bug); details in {log}")])
async def test_a_bug_in_an_action_is_one_line_and_logged(make_app: Callable[..., TrackerApp], jining_db: Path,
                                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                         lang: str, said: str) -> None:
    from tracker.store import actions

    def broken(**_: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(actions, "add_note", broken)
    app = make_app(lang=lang)
    async with pressed_on(app, "1", "n") as pilot:
        await type_text(pilot, "进展")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert said.format(log=tmp_path / "log" / "tracker.log") in notifications(app)
        assert "simulated bug" in (tmp_path / "log" / "tracker.log").read_text(encoding="utf-8")
        assert query_db(jining_db, "SELECT count(*) FROM progressnote") == [(0,)]
