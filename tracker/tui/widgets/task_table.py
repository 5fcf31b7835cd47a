"""The task table: one row per task, loaded a page at a time so the first frame stays fast.

Textual's DataTable measures every cell of every row it is given before it draws (measured
here: 0.24 s at 200 rows, 1.58 s at 10,000), so the table holds at most `PAGE` rows more than
the cursor has reached: moving or scrolling near the end appends the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual import on
from textual.widgets import DataTable

from tracker.calendar import WorkCalendar
from tracker.model import TaskView
from tracker.tui.labels import t
from tracker.tui.widgets.cells import due_text, owners_text, rules_text, status_text

PAGE = 30
"""Fewest rows added at a time; a page is at least the table's height + 10 so a tall terminal is
filled. Measured (bench/tui_bench.py): redrawing 60 rows after a keystroke cost ~1.5× 30 rows."""

COLUMNS: tuple[tuple[str, str], ...] = (("number", "number"), ("section", "section"), ("title", "task"),
                                        ("owners", "owners"), ("rule", "rule"), ("due", "next_due"),
                                        ("status", "status"))
"""(column key, label key) in display order."""


def column_widths(width: int) -> dict[str, int]:
    """Column widths (cells) for a table `width` cells wide: title and rule share what is left.

    At 80 columns everything fits (title 12 cells, rule 8); wider terminals give the rest to the
    title and the rule. A cell too long for its column ends in "…".
    """
    fixed = {"number": 4, "section": 4, "owners": 8 if width < 100 else 10 if width < 120 else 16,
             "due": 17, "status": 11 if width < 100 else 12}
    padding = 2 * len(COLUMNS) + 2  # one cell each side of every column, and the scroll bar
    spare = max(width - sum(fixed.values()) - padding, 20)
    title = max(spare * 3 // 5, 12)
    return fixed | {"title": title, "rule": max(spare - title, 8)}


class TaskTable(DataTable[Text]):
    """The plan's tasks as of a date; row keys are task ids (as strings)."""

    DEFAULT_CSS = """
    TaskTable { height: 1fr; }
    TaskTable > .datatable--header { text-style: bold; }
    """

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.lang = lang
        self._rows: list[TaskView] = []
        self._shown = 0
        self._as_of = date.min
        self._calendar: WorkCalendar | None = None
        self._width = 0

    @property
    def total(self) -> int:
        """How many tasks the table holds in all (shown or still to page in)."""
        return len(self._rows)

    @property
    def shown(self) -> int:
        """How many rows are in the DataTable now."""
        return self._shown

    def current_task_id(self) -> int | None:
        """The id of the task under the cursor; None for an empty table."""
        if not self._shown or not 0 <= self.cursor_row < self._shown:
            return None
        return self._rows[self.cursor_row].task_id

    def show(self, tasks: Sequence[TaskView], *, as_of: date, calendar: WorkCalendar,
             keep: int | None = None) -> None:
        """Replace the rows with `tasks` (first page only); keep the cursor on task `keep` if shown."""
        self._rows = list(tasks)
        self._as_of = as_of
        self._calendar = calendar
        self._setup_columns()
        self.clear()
        self._shown = 0
        index = next((i for i, v in enumerate(self._rows) if v.task_id == keep), 0) if keep else 0
        self._add_rows(max(self.page_size, index + 1))
        if self._shown:
            self.move_cursor(row=min(index, self._shown - 1), animate=False)

    def _setup_columns(self) -> None:
        width = self.size.width or self.app.size.width
        if width == self._width and self.columns:
            return
        self._width = width
        self.clear(columns=True)
        widths = column_widths(width)
        for key, label_key in COLUMNS:
            self.add_column(Text(t(label_key, self.lang), no_wrap=True), width=widths[key], key=key)

    def _add_rows(self, count: int) -> None:
        assert self._calendar is not None
        end = min(self._shown + count, len(self._rows))
        for view in self._rows[self._shown:end]:
            section = view.path[0] if view.path else ""
            cells = (Text(view.number), Text(section), Text(view.title), owners_text(view, self.lang),
                     rules_text(view), due_text(view.next_due, self._as_of, self._calendar, self.lang),
                     status_text(view.status, self.lang))
            for cell in cells:
                cell.no_wrap = True
                cell.overflow = "ellipsis"
            self.add_row(*cells, key=str(view.task_id))
        self._shown = end

    @property
    def page_size(self) -> int:
        """Rows per page: `PAGE`, or the visible height + 10 when the terminal is taller."""
        return max(PAGE, (self.size.height or self.app.size.height) + 10)

    def more(self) -> bool:
        """Append the next page if any is left; True when rows were added."""
        if self._shown >= len(self._rows):
            return False
        self._add_rows(self.page_size)
        return True

    @on(DataTable.RowHighlighted)
    def _page_on_cursor(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self._shown - max(1, min(5, PAGE // 2)):
            self.more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling (wheel, page down) near the end appends the next page."""
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - 2 and self._shown < len(self._rows):
            self.call_later(self.more)

    def on_resize(self) -> None:
        """Re-fit the columns to the new width, keeping the cursor's task."""
        if self._calendar is not None and self.size.width != self._width:
            self.show(self._rows, as_of=self._as_of, calendar=self._calendar, keep=self.current_task_id())
