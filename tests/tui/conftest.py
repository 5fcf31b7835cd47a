"""Fixtures of the TUI tests: the Jining plan as of 2024-07-01 in a real SQLite file, fresh per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_helpers import AS_OF, build_jining, copy_db

from tracker.tui.app import TrackerApp


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make screenshots differ from one run to the next."""
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(scope="session")
def jining_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per session through `tracker import` and `tracker assign`; tests get a copy."""
    path = tmp_path_factory.mktemp("tui-template") / "jining.db"
    build_jining(path)
    return path


@pytest.fixture
def jining_db(jining_template: Path, db_path: Path) -> Path:
    """A fresh copy of the Jining database at the test's `db_path` (also TRACKER_DB)."""
    return copy_db(jining_template, db_path)


@pytest.fixture
def make_app(jining_db: Path) -> Callable[..., TrackerApp]:
    """A TrackerApp on the test's database, today and as of 2024-07-01 unless told otherwise."""

    def make(**kwargs: object) -> TrackerApp:
        options: dict[str, object] = {"today": AS_OF, "as_of": AS_OF, "who": "tester", "poll_seconds": 60.0}
        options.update(kwargs)
        return TrackerApp(str(jining_db), **options)  # type: ignore[arg-type]

    return make
