"""TrackerApp: the coordinator's terminal UI — loads the plan as of a date, runs the daily actions.

Reads go through `tracker.query` (plain SQL): a read connection on the UI thread for one task,
and a fresh connection per load in a worker thread, so a city-sized database never freezes the
screen. A scope with more than `FIRST_PAGE` tasks is streamed: the first page of the outline
is shown at once, the full list (counts, sorting, filtering) follows. Writes go through
`tracker.store.actions`, one `Store.transaction` per user action. Another process's change is
noticed by polling `PRAGMA data_version` every `POLL_SECONDS` on the read connection.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen

from tracker import query
from tracker.calendar import WorkCalendar
from tracker.errors import ConflictError, TrackerError
from tracker.model import PlanInfo, Status, TaskDetail, TaskView
from tracker.tui.labels import conflict_text, t
from tracker.tui.messages import OpenTask
from tracker.tui.screens.main import MainScreen
from tracker.tui.screens.task import TaskScreen
from tracker.tui.view_model import count_statuses

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.store.engine import Store

R = TypeVar("R")

POLL_SECONDS = 1.5
"""How often the read connection asks SQLite whether another connection committed."""

FIRST_PAGE = 80
"""A scope with more tasks than this is shown in two steps: its first page (more than the table
shows first), then all of it. Measured on the city (bench/tui_bench.py): views of 60 tasks take ~20 ms,
of a 600-task plan ~160 ms, of all 7,800 tasks ~2 s — the screen must not wait for those."""

PREWARM_AFTER = 1.5
"""Seconds after the first full load before the write side (sqlmodel, ~335 ms) is imported in the
background: importing it at once competes with the first frame for the interpreter."""


@dataclass(frozen=True)
class Snapshot:
    """The tasks in scope as of a date; `complete` is False while only the first page is loaded."""

    as_of: date
    plan_id: int | None
    tasks: list[TaskView]
    calendar: WorkCalendar
    complete: bool = True
    counts: dict[Status, int] = field(default_factory=dict)
    owners: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


def make_snapshot(tasks: list[TaskView], *, as_of: date, plan_id: int | None, calendar: WorkCalendar,
                  complete: bool) -> Snapshot:
    """A snapshot with its counts and the units and sections its tasks name (for the filter bar)."""
    owners = sorted({name for v in tasks for name in (*v.lead, *v.support)})
    sections = list(dict.fromkeys(v.section for v in tasks if v.section))
    return Snapshot(as_of=as_of, plan_id=plan_id, tasks=tasks, calendar=calendar, complete=complete,
                    counts=count_statuses(tasks), owners=owners, sections=sections)


class TrackerApp(App[int]):
    """`tracker tui`: the plan as of a date, and every daily action two or three keys away."""

    CSS_PATH = "app.tcss"

    as_of: var[date] = var(date.min, init=False)
    """Every status is derived as of this date (t changes it); a change reloads."""
    plan_id: var[int | None] = var(None, init=False)
    """The plan in view; None = every plan (p changes it); a change reloads."""
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", show=False, priority=True)]

    def __init__(self, db: str, *, today: date, as_of: date | None = None, plan: str | None = None,
                 lang: str = "zh", who: str = "coordinator", poll_seconds: float = POLL_SECONDS) -> None:
        """Open the read connection and pick the plan; a bad database or plan raises `TrackerError`
        here, before any screen is drawn."""
        super().__init__()
        self.db = db
        self.today = today
        self.as_of = as_of or today
        self.lang = lang
        self.who = who
        self.poll_seconds = poll_seconds
        self.conn = query.connect(db)
        self.plans: list[PlanInfo] = query.list_plans(self.conn)
        # One plan by default (the named one, else the newest): a city database's all-plans view
        # is there under p, and its first page is streamed.
        self.plan_id = (query.resolve_plan(self.conn, plan).plan_id if plan else
                                    self.plans[0].plan_id if self.plans else None)
        self.snapshot: Snapshot | None = None
        self.calendar: WorkCalendar = query.load_calendar(self.conn)
        self._generation = 0
        self._data_version = self._read_data_version()
        self._store: Store | None = None
        self.title = t("app_title", lang)
        self.started_at = time.perf_counter()
        self.first_rows_drawn_at: float | None = None
        """perf_counter() when the first frame with table rows was drawn (for bench/tui_bench.py)."""

    # -- life cycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the main screen, start loading, start watching the database."""
        self.push_screen(MainScreen(self.lang))
        self.reload()
        self.set_interval(self.poll_seconds, self.poll)

    def on_unmount(self) -> None:
        """Close the connections."""
        self.conn.close()
        if self._store is not None:
            self._store.close()

    def plan_title(self) -> str:
        """The title of the plan in view, or "all plans"."""
        plan = next((p for p in self.plans if p.plan_id == self.plan_id), None)
        if plan is None:
            return t("all_plans", self.lang) if self.plans else t("no_plan", self.lang)
        return plan.title

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the tasks in scope again, in a worker thread; a newer reload supersedes this one."""
        self._generation += 1
        drawn = threading.Event()
        work = partial(self._load, self._generation, self.as_of, self.plan_id, drawn)
        self.run_worker(work, thread=True, group="load", exit_on_error=False)

    def _load(self, generation: int, as_of: date, plan_id: int | None, drawn: threading.Event) -> None:
        """(worker thread) Read with a connection of its own; post the first page, then the rest.

        After the first page it waits (up to a second) until that page is on screen: computing the
        rest holds the interpreter most of the time, and would otherwise delay the first frame.
        """
        try:
            conn = query.connect(self.db)
            try:
                with query.sql_errors():
                    calendar = query.load_calendar(conn)
                    sql = "SELECT id FROM task WHERE removed = 0" + ("" if plan_id is None else " AND plan_id = ?")
                    ids = [r[0] for r in conn.execute(sql + " ORDER BY plan_id, position, id",
                                                      () if plan_id is None else (plan_id,))]
                    if len(ids) > FIRST_PAGE:
                        first = query.tasks_by_ids(conn, ids[:FIRST_PAGE], as_of=as_of, lang=self.lang)
                        snap = make_snapshot(first, as_of=as_of, plan_id=plan_id, calendar=calendar,
                                             complete=False)
                        self.call_from_thread(self._apply, generation, snap, drawn)
                        drawn.wait(timeout=1.0)
                    tasks = query.tasks_as_of(conn, as_of=as_of, plan_id=plan_id, lang=self.lang)
            finally:
                conn.close()
        except TrackerError as exc:
            self.call_from_thread(self.notify, exc.text(self.lang), severity="error", timeout=10)
            return
        except Exception as exc:  # a bug: shown and logged, and the screen keeps what it had
            self.call_from_thread(self.report_bug, exc)
            return
        snap = make_snapshot(tasks, as_of=as_of, plan_id=plan_id, calendar=calendar, complete=True)
        self.call_from_thread(self._apply, generation, snap)

    def _apply(self, generation: int, snap: Snapshot, drawn: threading.Event | None = None) -> None:
        if drawn is not None:
            self.call_after_refresh(drawn.set)
        if generation != self._generation:
            return  # a newer load is on its way
        first = self.snapshot is None
        self.snapshot = snap
        self.calendar = snap.calendar
        main = self._main()
        if main is not None:
            main.reset_cache()
            main.refresh_view()
        if isinstance(self.screen, TaskScreen):
            self.screen.refresh_detail()
        if self.first_rows_drawn_at is None and snap.tasks:
            self.call_after_refresh(self._first_rows_drawn)
        if first and snap.complete:
            self.set_timer(PREWARM_AFTER, lambda: self.run_worker(_prewarm_store, thread=True, group="prewarm",
                                                                  exit_on_error=False))

    def report_bug(self, exc: BaseException) -> None:
        """An unexpected error (a bug): one line on screen, the traceback in tracker's log file.

        The screen stays as it was; nothing is swallowed silently.
        """
        from tracker.settings import log_unexpected

        where = log_unexpected(exc)
        self.notify(t("internal_error", self.lang, name=type(exc).__name__, error=exc,
                      where=where or t("no_log", self.lang)), severity="error", timeout=20)

    def _first_rows_drawn(self) -> None:
        if self.first_rows_drawn_at is None:
            self.first_rows_drawn_at = time.perf_counter()
            self.log(f"first rows drawn {self.first_rows_drawn_at - self.started_at:.3f} s after start")

    def _main(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _read_data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> None:
        """Reload when another connection committed since the last look (never raises)."""
        try:
            with query.sql_errors():  # sqlite3 errors become DatabaseError; PostgreSQL raises it itself
                version = self._read_data_version()
                if version != self._data_version:
                    self.plans = query.list_plans(self.conn)
        except TrackerError as exc:
            self.notify(t("kept_screen", self.lang, error=exc.text(self.lang)), severity="warning")
            return
        except sqlite3.Error as exc:  # not a read failure sql_errors knows (e.g. a closed connection)
            self.notify(t("db_unreadable", self.lang, error=exc), severity="warning")
            return
        if version != self._data_version:
            self._data_version = version
            self.reload()

    def detail(self, task_id: int) -> TaskDetail:
        """One task in full as of the app's date (for the task screen)."""
        with query.sql_errors():
            return query.task_detail(self.conn, task_id, as_of=self.as_of, lang=self.lang)

    # -- writing ----------------------------------------------------------------------------

    def store(self) -> Store:
        """The write side, opened on first use."""
        if self._store is None:
            # sqlmodel costs ~335 ms to import: paid here, on the first write (or earlier, in the
            # background by _prewarm_store once the first screen is up), never at start-up.
            from tracker.store import open_store

            self._store = open_store(self.db, create=False)
        return self._store

    def write(self, action: str, do: Callable[[Session], str],
              on_conflict: Callable[[ConflictError], None] | None = None) -> bool:
        """Run `do` in one transaction; notify its message or the error's sentence; reload on success.

        A `ConflictError` (the task changed elsewhere since the screen read it; nothing was written)
        is shown as an error, the data is reloaded, and `on_conflict` (if given) is called with it —
        the actions use it to reopen their dialog, with what was typed, on the fresh version.
        """
        try:
            with self.store().transaction(who=self.who, action=action) as session:
                message = do(session)
        except ConflictError as exc:
            self.notify(conflict_text(exc, self.lang), severity="error", timeout=10)
            self._data_version = self._read_data_version()
            self.plans = query.list_plans(self.conn)
            self.reload()
            if on_conflict is not None:
                on_conflict(exc)
            return False
        except TrackerError as exc:
            self.notify(exc.text(self.lang), severity="error", timeout=10)
            return False
        except Exception as exc:  # a bug: rolled back by the transaction, logged, shown in one line
            self.report_bug(exc)
            return False
        self.notify(message, timeout=6)
        self._data_version = self._read_data_version()
        self.plans = query.list_plans(self.conn)
        self.reload()
        return True

    # -- the current task -------------------------------------------------------------------

    def current_view(self) -> TaskView | None:
        """The task the action keys act on (the cursor's, or the open task's), read fresh."""
        task_id = getattr(self.screen, "task_id", None)
        if task_id is None:
            self.notify(t("no_task", self.lang), severity="warning")
            return None
        views = self.read(lambda: query.tasks_by_ids(self.conn, [task_id], as_of=self.as_of, lang=self.lang))
        return views[0] if views else None

    def read(self, fetch: Callable[[], R]) -> R | None:
        """`fetch()` on the read connection; a database error is one line on screen and None."""
        try:
            with query.sql_errors():
                return fetch()
        except TrackerError as exc:
            self.notify(exc.text(self.lang), severity="error", timeout=10)
            return None

    def on_open_task(self, message: OpenTask) -> None:
        """Enter on a row: the task screen."""
        self.push_screen(TaskScreen(message.task_id, self.lang))

    # -- actions ----------------------------------------------------------------------------

    def action_act(self, name: str) -> None:
        """Run the daily action `name` (a function of `tracker.tui.actions`: done, event, note, …)."""
        from tracker.tui import actions

        getattr(actions, name)(self)

    def watch_as_of(self) -> None:
        """A new as-of date: derive every status again."""
        if self.is_running:
            self.snapshot = None
            self.reload()

    def watch_plan_id(self) -> None:
        """Another plan (or all): clear the table and load it."""
        if self.is_running:
            self.snapshot = None
            main = self._main()
            if main is not None:
                main.refresh_view()
            self.reload()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) offers every action of the footer, in the user's language."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen | TaskScreen):
            from tracker.tui.keys import ACTION_BINDINGS

            for binding in ACTION_BINDINGS:
                name = binding.action.removeprefix("app.act('").removesuffix("')")
                yield SystemCommand(t(binding.description, self.lang), f"{binding.key_display or binding.key}",
                                    partial(self.action_act, name))


def _prewarm_store() -> None:
    """(worker thread) Import the write side now so the first action does not wait ~335 ms."""
    import tracker.store.actions  # noqa: F401

