"""Lost updates refused: a task changed by another process while a dialog is open is not overwritten.

The other process is a real `tracker note 8 …` run as a subprocess on the same SQLite file
(TRACKER_DB); the TUI's OK must then show the conflict, write nothing, reload, and reopen the
dialog with what was typed, so a second OK applies it to the fresh version.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, Static
from tui_helpers import notifications, pressed_on, query_db, settle, type_text

from tracker.tui.app import TrackerApp
from tracker.tui.screens.task_dialogs import DoneDialog, NoteDialog

TRACKER = Path(sys.executable).with_name("tracker")


def _other_process_notes(db: Path, text: str) -> None:
    """`tracker note 8 TEXT` in another process, on the same database file."""
    env = {**os.environ, "TRACKER_DB": str(db)}
    done = subprocess.run([str(TRACKER), "note", "8", text, "--on", "2024-06-30"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def _notes(db: Path) -> list[str]:
    return [r[0] for r in query_db(db, "SELECT n.text FROM progressnote n JOIN task t ON t.id = n.task_id "
                                       "WHERE t.number = '8' ORDER BY n.id")]


def _completions(db: Path) -> list[tuple[object, ...]]:
    return query_db(db, "SELECT c.obligation_key, c.done_on, c.evidence FROM completion c "
                        "JOIN requirement r ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id "
                        "WHERE t.number = '8' ORDER BY c.id")


def _conflicts(app: TrackerApp) -> list[str]:
    return [m for m in notifications(app) if "已被他人修改" in m or "changed by someone else" in m]


async def test_done_after_another_process_changed_the_task(make_app: Callable[..., TrackerApp],
                                                           jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "8", "d") as pilot:
        assert isinstance(app.screen, DoneDialog)
        await pilot.press("tab")
        await type_text(pilot, "评价报告")
        _other_process_notes(jining_db, "另一终端的进展")  # meanwhile, elsewhere
        await pilot.press("enter")
        await settle(pilot)
        # Refused: the other process's note is there, no completion, the sentence on screen.
        assert _notes(jining_db) == ["另一终端的进展"]
        assert _completions(jining_db) == []
        assert len(_conflicts(app)) == 1, notifications(app)
        assert _conflicts(app)[0].startswith("任务8在您打开后已被他人修改")  # in the TUI's language
        # The dialog is open again on the fresh version, with what was typed and the sentence under it.
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert dialog.query_one("#evidence", Input).value == "评价报告"
        assert _conflicts(app)[0] in str(dialog.query_one("#problem", Static).render())
        await pilot.press("enter")  # OK again: applied on the fresh version
        await settle(pilot)
        assert not isinstance(app.screen, DoneDialog)
        assert _completions(jining_db) == [("2024-Y1", "2024-07-01", "评价报告")]
        assert _notes(jining_db) == ["另一终端的进展"]
        assert len(_conflicts(app)) == 1


async def test_note_after_another_process_changed_the_task(make_app: Callable[..., TrackerApp],
                                                           jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "8", "n") as pilot:
        assert isinstance(app.screen, NoteDialog)  # the text box has the focus
        await type_text(pilot, "已起草评价报告")
        _other_process_notes(jining_db, "另一终端的进展")
        await pilot.press("enter")
        await settle(pilot)
        assert _notes(jining_db) == ["另一终端的进展"]  # ours is not written, theirs is kept
        assert len(_conflicts(app)) == 1, notifications(app)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert dialog.query_one("#text", Input).value == "已起草评价报告"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, NoteDialog)
        assert _notes(jining_db) == ["另一终端的进展", "已起草评价报告"]


async def test_cancelling_the_reopened_dialog_writes_nothing(make_app: Callable[..., TrackerApp],
                                                             jining_db: Path) -> None:
    app = make_app()
    async with pressed_on(app, "8", "d") as pilot:
        _other_process_notes(jining_db, "另一终端的进展")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DoneDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DoneDialog)
        assert _completions(jining_db) == []


async def test_rule_dialog_reopened_keeps_the_rule_and_the_typing(make_app: Callable[..., TrackerApp],
                                                                  jining_db: Path) -> None:
    from textual.widgets import Select

    from tracker.tui.screens.task_dialogs import RuleDialog

    deadline = ("SELECT r.month, r.day FROM requirement r JOIN task t ON t.id = r.task_id "
                "WHERE t.number = '8' AND r.position = 2")
    app = make_app()
    async with pressed_on(app, "8", "r") as pilot:
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        dialog.query_one("#rule", Select).value = 2  # 年底前
        await settle(pilot)
        dialog.query_one("#deadline", Input).value = "11-30"
        await pilot.pause()
        dialog.query_one("#deadline", Input).focus()
        _other_process_notes(jining_db, "另一终端的进展")
        await pilot.press("enter")
        await settle(pilot)
        assert len(_conflicts(app)) == 1, notifications(app)
        dialog = app.screen
        assert isinstance(dialog, RuleDialog)
        # Rule 2 is picked again, and picking it did not refill the form over what was typed.
        assert dialog.query_one("#rule", Select).value == 2
        assert dialog.query_one("#deadline", Input).value == "11-30"
        assert app.focused is dialog.query_one("#deadline", Input)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RuleDialog)
    assert query_db(jining_db, deadline) == [(11, 30)]
