"""The main screen: header counts, filter bar, the task table, and the keys of the daily actions."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tracker.model import Status
from tracker.tui.keys import ACTION_BINDINGS, localize
from tracker.tui.labels import t
from tracker.tui.messages import FilterChanged, OpenTask, StatusPicked
from tracker.tui.view_model import STATUS_KEYS, Filter, apply_filter, next_sort_mode, sort_tasks
from tracker.tui.widgets.filter_bar import FilterBar
from tracker.tui.widgets.keys_footer import KeysFooter
from tracker.tui.widgets.status_counts import StatusCounts
from tracker.tui.widgets.task_table import TaskTable


class MainScreen(Screen[None]):
    """Every task of the plan (or of all plans) as of the app's date, filtered and sorted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *ACTION_BINDINGS,
        Binding("slash", "focus_filter", "k_filter", key_display="/"),
        Binding("s", "sort", "k_sort"),
        *[Binding(key, f"status('{status.value if status else ''}')", show=False)
          for key, status in STATUS_KEYS.items()],
        Binding("escape", "focus_table", show=False),
        Binding("q", "app.quit", "k_quit"),
    ]

    AUTO_FOCUS = "#tasks"  # the action keys work at once (and one focus change, not two, at start)

    sort_mode: reactive[str] = reactive("section", init=False)

    def __init__(self, lang: str) -> None:
        super().__init__(id="main")
        self.lang = lang
        self.filter = Filter()
        self._texts: dict[int, str] = {}
        localize(self, lang)

    def compose(self) -> ComposeResult:
        """Header, filter bar, table, a line of table facts, footer."""
        yield StatusCounts(lang=self.lang, id="counts")
        yield FilterBar(lang=self.lang, id="filters")
        yield TaskTable(lang=self.lang, id="tasks")
        yield Static(id="table-info")
        yield KeysFooter()

    # -- what the app calls -----------------------------------------------------------------

    @property
    def task_id(self) -> int | None:
        """The task under the cursor (None for an empty table): the target of the action keys."""
        return self.query_one(TaskTable).current_task_id()

    def refresh_view(self, *, keep: int | None = None) -> None:
        """Redraw header, choices and table from the app's loaded tasks (keeping the cursor's task)."""
        from tracker.tui.app import TrackerApp

        app = self.app
        assert isinstance(app, TrackerApp)
        snap = app.snapshot
        counts = self.query_one(StatusCounts)
        counts.set_title(app.plan_title(), app.as_of)
        if snap is None:
            counts.set_counts(None)
            return
        if keep is None:
            keep = self.task_id
        counts.set_counts(snap.counts if snap.complete else None)
        counts.set_active(self.filter.status)
        self.query_one(FilterBar).set_choices(snap.owners, snap.sections)
        rows = sort_tasks(apply_filter(snap.tasks, self.filter, self._texts), self.sort_mode)
        table = self.query_one(TaskTable)
        table.show(rows, as_of=snap.as_of, calendar=snap.calendar, keep=keep)
        self._show_info()

    def reset_cache(self) -> None:
        """Forget the free-text index (the tasks were reloaded)."""
        self._texts.clear()

    def _show_info(self) -> None:
        from tracker.tui.app import TrackerApp

        app = self.app
        assert isinstance(app, TrackerApp)
        table = self.query_one(TaskTable)
        line = Text(t("shown", self.lang, shown=table.shown, total=table.total), style="dim")
        if table.shown < table.total:
            line.append(" · " + t("more", self.lang), style="dim")
        line.append(" · " + t("sorted_by", self.lang, mode=t(f"sort_{self.sort_mode}", self.lang)), style="dim")
        if app.snapshot is not None and not app.snapshot.complete:
            line.append(" · " + t("loading", self.lang), style="yellow")
        if app.snapshot is not None and not app.snapshot.tasks:
            line = Text(t("no_plan", self.lang) if app.plan_id is None and not app.plans else
                        t("no_match", self.lang))
        elif table.total == 0:
            line = Text(t("no_match", self.lang), style="yellow")
        self.query_one("#table-info", Static).update(line)

    # -- handlers ---------------------------------------------------------------------------

    @on(FilterChanged)
    def _filter_changed(self, event: FilterChanged) -> None:
        self.filter = Filter(text=event.text, status=event.status, owner=event.owner, section=event.section)
        self.refresh_view()

    @on(StatusPicked)
    def _status_picked(self, event: StatusPicked) -> None:
        self.query_one(FilterBar).set_status(event.status)

    @on(DataTable.RowSelected, "#tasks")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenTask(int(event.row_key.value)))

    @on(DataTable.RowHighlighted, "#tasks")
    def _moved(self) -> None:
        self._show_info()

    def watch_sort_mode(self) -> None:
        """Re-sort at once when the sort key is pressed."""
        self.refresh_view()

    # -- actions ----------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        """/ : type to filter."""
        self.query_one(FilterBar).focus_text()

    def action_focus_table(self) -> None:
        """Esc: back to the table (from the filter)."""
        self.query_one(TaskTable).focus()

    def action_sort(self) -> None:
        """s: section → due date → owner → status → section."""
        self.sort_mode = next_sort_mode(self.sort_mode)

    def action_status(self, value: str) -> None:
        """1–5: filter to a header status; 0: every status."""
        self.query_one(FilterBar).set_status(Status(value) if value else None)


