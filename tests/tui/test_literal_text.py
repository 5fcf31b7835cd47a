"""Document text is data: brackets and markup-like sequences in a plan never change the rendering."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from tui_helpers import AS_OF, row_of, run_cli, select_task, settle

from tracker.tui.app import TrackerApp
from tracker.tui.screens.task import TaskScreen

MARKUP_PLAN = """2024年[b]测试[/b]局政务公开工作要点

一、[red]测试[/red]板块

1. [b]x[/b]与[@click=app.quit]退出[/]测试。每季度开展一次[i]检查[/i]。

2. 普通任务。年底前完成目录更新。
"""


async def test_markup_in_a_plan_shows_literally(tmp_path: Path, db_path: Path) -> None:
    plan = tmp_path / "markup.txt"
    plan.write_text(MARKUP_PLAN, encoding="utf-8")
    run_cli(db_path, "import", str(plan))
    app = TrackerApp(str(db_path), today=AS_OF, poll_seconds=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert row_of(app, "1")["title"] == "[b]x[/b]与[@click=app.quit]退出[/]测试"
        assert "2024年[b]测试[/b]局政务公开工作要点" in str(app.screen.query_one("#title-line").render())
        screen_text = app.export_screenshot()
        assert "[b]x[/b]" in screen_text.replace("&#160;", " ")
        await select_task(pilot, "1")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        body = str(app.screen.query_one("#task-text", Static).render())
        assert "每季度开展一次[i]检查[/i]" in body
        assert "一、[red]测试[/red]板块" in str(app.screen.query_one("#task-head", Static).render())
