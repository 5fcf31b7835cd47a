"""The task screen: the whole text with each rule's source words highlighted, rules with their
obligations, events, notes and history; actions from it; Esc back to the list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.widgets import Static
from tui_helpers import run_cli, select_task, settle

from tracker.tui.app import TrackerApp
from tracker.tui.screens.main import MainScreen
from tracker.tui.screens.task import RULE_STYLES, TaskScreen, highlight_sources
from tracker.tui.widgets.task_table import TaskTable

EVALUATIONS = "原则上每年至少开展2次专题性政策评价工作"
RESULTS = "年底前将评价结果和运用情况向社会公开"


def _styled(text: Text, style: str) -> list[str]:
    """The substrings of `text` carrying `style` (spans in order)."""
    return [text.plain[s.start:s.end] for s in text.spans if str(s.style) == style]


async def _open_task_8(app: TrackerApp, pilot: object) -> TaskScreen:
    await select_task(pilot, "8")  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, TaskScreen)
    return screen


async def test_enter_opens_the_task_with_its_rule_sources_highlighted(
        make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    run_cli(jining_db, "note", "8", "已开展第一次专题评价的准备工作", "--on", "2024-06-20")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await _open_task_8(app, pilot)
        shown = screen.query_one("#task-text", Static).render()
        plain = str(shown)
        assert plain == app.detail(screen.task_id).task.text  # the whole text, as written
        ranges = {(span.start, span.end) for span in shown.spans}  # type: ignore[attr-defined]
        for source in (EVALUATIONS, RESULTS):
            start = plain.find(source)
            assert start >= 0
            assert (start, start + len(source)) in ranges

        rules = str(screen.query_one("#task-rules", Static).render())
        assert "每年2次 · 已完成0" in rules
        assert "12月31日前" in rules
        assert "2024-Y1" in rules
        assert "2024-06-30 逾期1天" in rules
        assert "✖ 逾期" in rules
        assert f"原文: {EVALUATIONS}" in rules
        facts = str(screen.query_one("#task-facts", Static).render())
        assert "2024-06-20  已开展第一次专题评价的准备工作" in facts
        assert "coordinator  导入计划  导入计划: " in facts  # the stored action "import", worded
        assert "coordinator  责任单位  任务8: 牵头 局办公室" in facts  # "assign"
        assert "import" not in facts
        assert "assign" not in facts
        head = str(screen.query_one("#task-head", Static).render())
        assert "8. 深化重大决策公众参与" in head
        assert "局办公室、政策法规科" in head


async def test_done_from_the_task_screen_updates_it_and_escape_goes_back(
        make_app: Callable[..., TrackerApp], jining_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await _open_task_8(app, pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")  # the first evaluation, done on the as-of date
        await settle(pilot)
        assert app.screen is screen
        rules = str(screen.query_one("#task-rules", Static).render())
        assert "每年2次 · 已完成1" in rules
        assert "完成日期 2024-07-01" in rules
        assert "◐ 逾期完成" in rules
        assert "完成" in str(screen.query_one("#task-facts", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        table = app.screen.query_one(TaskTable)
        assert table.get_row_at(table.cursor_row)[0].plain == "8"  # the cursor stayed on task 8


def test_highlight_sources_styles_each_rule_and_its_shortened_parts(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()
    task = app.detail(_task_id(app, "8")).task
    text = highlight_sources(task.text, task.rules)
    assert _styled(text, RULE_STYLES[0]) == [EVALUATIONS]
    assert _styled(text, RULE_STYLES[1]) == [RESULTS]
    rule = task.rules[0]
    shortened = rule._replace(requirement=rule.requirement._replace(source="原则上每年……专题性政策评价工作"))
    parts = _styled(highlight_sources(task.text, (shortened,)), RULE_STYLES[0])
    assert parts == ["原则上每年", "专题性政策评价工作"]
    missing = rule._replace(requirement=rule.requirement._replace(source="(手工添加)"))
    assert highlight_sources(task.text, (missing,)).spans == []
    app.conn.close()


def _task_id(app: TrackerApp, number: str) -> int:
    return int(app.conn.execute("SELECT id FROM task WHERE number = ?", (number,)).fetchone()[0])
