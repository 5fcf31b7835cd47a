"""The app in a real terminal (tmux), outside the test harness: start, filter to overdue, open
task 8, mark its first evaluation done, quit — the database has the completion, the exit is 0."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_helpers import ROOT, query_db

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal run needs it")


class Terminal:
    """One detached tmux session on a private server socket (so no other tmux is touched)."""

    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def tmux(self, *args: str) -> str:
        """Run a tmux command on this server; its stdout."""
        assert TMUX is not None
        done = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return done.stdout

    def screen(self) -> str:
        """What the terminal shows now."""
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        """Send keys as typed (tmux key names: Enter, Escape, Down …)."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Wait until `text` is on the screen; fail with the screen when it does not come."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"“{text}” did not appear within {timeout} s; the screen was:\n{shown}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A tmux server of this test alone; killed (only it) afterwards."""
    term = Terminal(socket=f"tracker-test-{os.getpid()}-{tmp_path.name}", session="tui")
    yield term
    term.tmux("kill-server")


def test_tmux_filter_open_done_quit(terminal: Terminal, jining_db: Path, tmp_path: Path) -> None:
    exit_file = tmp_path / "exit-code"
    env = {"TRACKER_DB": str(jining_db), "TRACKER_LOG_DIR": str(tmp_path / "log"), "PYTHONPATH": str(ROOT),
           "TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8", "USER": "coordinator",
           "HOME": os.environ.get("HOME", str(tmp_path))}
    command = " ".join([
        "env", *(shlex.quote(f"{k}={v}") for k, v in env.items()),
        shlex.quote(sys.executable), "-m", "tracker", "tui", "--as-of", "2024-07-01",
        "; echo $? >", shlex.quote(str(exit_file)), "; sleep 30"])
    terminal.tmux("new-session", "-d", "-s", terminal.session, "-x", "100", "-y", "30", "-c", str(ROOT),
                  "sh", "-c", command)
    terminal.wait_for("显示 15/15 项", timeout=60)

    terminal.keys("1")  # filter to overdue: tasks 8 and 12, the cursor on 8
    terminal.wait_for("显示 2/2 项")
    terminal.keys("Enter")
    terminal.wait_for("原文: 原则上每年至少开展2次专题性政策评价工作")
    terminal.keys("d")
    terminal.wait_for("完成 — 8. 深化重大决策公众参与")
    terminal.keys("Enter")  # the first evaluation, done on the as-of date
    terminal.wait_for("每年2次 · 已完成1")
    terminal.keys("Escape")
    terminal.wait_for("显示")
    terminal.keys("q")

    deadline = time.monotonic() + 30
    while not exit_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert exit_file.read_text().strip() == "0", terminal.screen()
    assert query_db(jining_db, "SELECT c.obligation_key, c.done_on FROM completion c JOIN requirement r "
                               "ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id "
                               "WHERE t.number = '8'") == [("2024-Y1", "2024-07-01")]
