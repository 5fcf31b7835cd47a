"""A dialog opened and confirmed without editing changes nothing, and the first focus is a field one sees.

QA found that OK in the rule dialog (r) turned a calendar-day rule ("收到申请后15日") into a
working-day one and recorded a change, and that the first keystrokes went into the hidden 次数
field of a rule that is not "每期N次". These tests hold every dialog to both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select
from tui_helpers import AS_OF, notifications, pressed_on, query_db, run_cli, settle, type_text

from tracker.tui.app import TrackerApp
from tracker.tui.screens.task_dialogs import AssignDialog, RuleDialog

CALENDAR_PLAN = "2024年某局政务公开工作要点\n一、依申请公开\n1.规范依申请公开办理。自收到申请之日起15日内予以答复。\n"
"""One task whose rule counts calendar days: 自收到申请之日起15日内 → "收到申请后15日"."""


def _rules(db: Path, number: str) -> list[tuple[object, ...]]:
    """Every stored field of the task's rules (the columns `correct_rule` can touch, and origin)."""
    return query_db(db, "SELECT r.position, r.kind, r.source, r.what, r.event, r.workdays, r.days, r.count, "
                        "r.period, r.per_owner, r.due_day, r.month, r.day, r.year_offset, r.origin, r.removed "
                        "FROM requirement r JOIN task t ON t.id = r.task_id WHERE t.number = ? "
                        "ORDER BY r.position", number)


def _trail(db: Path) -> tuple[object, ...]:
    """How many audit rows there are, and every task's version: a write changes one or the other."""
    audit = query_db(db, "SELECT count(*) FROM auditentry")[0][0]
    versions = tuple(query_db(db, "SELECT number, version FROM task ORDER BY id"))
    return audit, versions


def _shown(widget: DOMNode, screen: DOMNode) -> bool:
    """Whether the widget and every container up to the screen are displayed."""
    node: DOMNode | None = widget
    while node is not None and node is not screen:
        if not node.display:
            return False
        node = node.parent
    return True


def _visible_values(app: TrackerApp) -> dict[str, object]:
    screen = app.screen
    return {str(w.id): w.value for w in screen.query("Input, Select, Checkbox").results()
            if isinstance(w, Input | Select | Checkbox) and _shown(w, screen)}


@pytest.fixture
def calendar_db(db_path: Path, tmp_path: Path) -> Path:
    plan = tmp_path / "plan.txt"
    plan.write_text(CALENDAR_PLAN, encoding="utf-8")
    run_cli(db_path, "import", str(plan))
    return db_path


def _app(db: Path) -> TrackerApp:
    return TrackerApp(str(db), today=AS_OF, as_of=AS_OF, who="tester", poll_seconds=60.0)


# --- 1. the rule dialog: OK without an edit -----------------------------------------------------


async def test_rule_ok_keeps_a_calendar_day_rule(calendar_db: Path) -> None:
    before, trail = _rules(calendar_db, "1"), _trail(calendar_db)
    assert before[0][1:7] == ("after_event", "自收到申请之日起15日内予以答复", "予以答复", "收到申请", None, 15)
    app = _app(calendar_db)
    async with pressed_on(app, "1", "r") as pilot:
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        assert dialog.query_one("#allowance", Input).value == "15"
        assert dialog.query_one("#unit", Select).value == "days"  # calendar days, said so
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RuleDialog)
        assert any("没有改动" in m for m in notifications(app))
    assert _rules(calendar_db, "1") == before
    assert _trail(calendar_db) == trail  # no write, no audit row, no new version
    assert "收到申请后15日" in run_cli(calendar_db, "show", "1")
    assert "应于2024-10-12" in run_cli(calendar_db, "event", "1", "--on", "2024-09-27")


@pytest.mark.parametrize(("number", "rule", "kind"), [
    ("1", 1, "ongoing"),
    ("6", 1, "after_event"),  # 3 working days after 文件发布
    ("8", 1, "recurring"),
    ("8", 2, "deadline"),  # 年底前
    ("15", 1, "recurring"),  # per owner
])
async def test_rule_ok_without_an_edit_changes_nothing(make_app: Callable[..., TrackerApp], jining_db: Path,
                                                       number: str, rule: int, kind: str) -> None:
    before, trail = _rules(jining_db, number), _trail(jining_db)
    assert before[rule - 1][1] == kind
    app = make_app()
    async with pressed_on(app, number, "r") as pilot:
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        if rule != 1:
            dialog.query_one("#rule", Select).value = rule  # the focused 次数 row hides: focus moves on
            await settle(pilot)
        assert dialog.query_one("#kind", Select).value == kind
        assert isinstance(app.focused, Input)  # Enter in a field submits the form
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RuleDialog)
    assert _rules(jining_db, number) == before
    assert _trail(jining_db) == trail


async def test_rule_unit_can_be_switched_both_ways(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "6", "r") as pilot:
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        assert dialog.query_one("#unit", Select).value == "workdays"
        dialog.query_one("#unit", Select).value = "days"
        await pilot.pause()
        dialog.query_one("#allowance", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
    assert _rules(jining_db, "6")[0][5:7] == (None, 3)  # 3 calendar days now
    assert "文件发布后3日" in run_cli(jining_db, "show", "6")


async def test_rule_switched_to_working_days(calendar_db: Path) -> None:
    app = _app(calendar_db)
    async with pressed_on(app, "1", "r") as pilot:
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        dialog.query_one("#unit", Select).value = "workdays"
        await pilot.pause()
        dialog.query_one("#allowance", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
    assert _rules(calendar_db, "1")[0][5:7] == (15, None)
    assert query_db(calendar_db, "SELECT count(DISTINCT action_id) FROM auditentry WHERE action = 'rule'") == [(1,)]


async def test_rule_edit_sends_only_what_changed(make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    before = _rules(jining_db, "8")[0]
    app = make_app()
    async with pressed_on(app, "8", "r") as pilot:
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        assert app.focused is dialog.query_one("#count", Input)
        await type_text(pilot, "3")  # the prefilled 2 is selected: typing replaces it
        await pilot.press("enter")
        await settle(pilot)
    after = _rules(jining_db, "8")[0]
    assert after[7] == 3
    assert after[:7] + after[8:14] == before[:7] + before[8:14]  # every other field as it was
    assert after[14] == "manual"


# --- 2. the first focus is on a field one sees ---------------------------------------------------


@pytest.mark.parametrize(("number", "first"), [("1", "what"), ("6", "allowance"), ("8", "count"),
                                                ("14", "count")])  # 14 has no rule: a new one, 每期N次
async def test_rule_dialog_focuses_a_visible_field(make_app: Callable[..., TrackerApp],
                                                   number: str, first: str) -> None:
    app = make_app()
    async with pressed_on(app, number, "r") as pilot:
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        focused = app.focused
        assert isinstance(focused, Widget)
        assert focused.id == first
        assert _shown(focused, dialog)
        shown = _visible_values(app)
        await type_text(pilot, "9")
        assert _visible_values(app) != shown  # the keystroke landed in a field one sees
        assert dialog.query_one("#count", Input).value == ("9" if first == "count" else "")


@pytest.mark.parametrize(("number", "key"), [("8", "d"), ("6", "e"), ("1", "n"), ("8", "a"), ("12", "w"),
                                              ("6", "r"), ("1", "r")])
async def test_every_dialog_focuses_a_visible_field(make_app: Callable[..., TrackerApp],
                                                    number: str, key: str) -> None:
    app = make_app()
    async with pressed_on(app, number, key) as pilot:
        focused = app.focused
        assert isinstance(focused, Input)
        assert _shown(focused, app.screen)
        shown = _visible_values(app)
        await type_text(pilot, "7")
        assert _visible_values(app) != shown


# --- 3. the other dialogs -----------------------------------------------------------------------


async def test_assign_ok_without_an_edit_changes_nothing(make_app: Callable[..., TrackerApp],
                                                         jining_db: Path) -> None:
    owners = "SELECT tow.owner_id, tow.role, tow.origin FROM taskowner tow JOIN task t ON t.id = tow.task_id " \
             "WHERE t.number = '8' ORDER BY tow.id"
    before, trail = query_db(jining_db, owners), _trail(jining_db)
    app = make_app()
    async with pressed_on(app, "8", "a") as pilot:
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        assert not dialog.query_one("#ok", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AssignDialog)
        assert any("没有改动" in m for m in notifications(app))
    assert query_db(jining_db, owners) == before
    assert _trail(jining_db) == trail


async def test_assign_same_units_retyped_changes_nothing(make_app: Callable[..., TrackerApp],
                                                         jining_db: Path) -> None:
    trail = _trail(jining_db)
    app = make_app()
    async with pressed_on(app, "8", "a") as pilot:
        app.screen.query_one("#lead", Input).value = " 局办公室 "
        app.screen.query_one("#support", Input).value = "政策法规科,局办公室"  # the lead again is dropped
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
    assert _trail(jining_db) == trail

