"""The header: plan title, as-of date, and one clickable count per status (逾期 N · 临期 N · …)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Click
from textual.reactive import reactive
from textual.widgets import Static

from tracker.i18n import STATUS_GLYPHS, status_label
from tracker.model import Status
from tracker.tui.labels import t
from tracker.tui.messages import StatusPicked
from tracker.tui.view_model import HEADER_STATUSES, STATUS_KEYS
from tracker.tui.widgets.cells import STATUS_STYLES

_KEY_OF = {status: key for key, status in STATUS_KEYS.items()}


class CountChip(Static):
    """One status count ("1 ✖逾期 2"); a click filters the table to that status (again: clears it)."""

    DEFAULT_CSS = """
    CountChip { width: auto; padding: 0 1; }
    CountChip:hover { background: $boost; }
    CountChip.-active { background: $accent 40%; text-style: bold; }
    """

    count: reactive[int | None] = reactive(None)

    def __init__(self, status: Status, lang: str) -> None:
        super().__init__(id=f"count-{status.value}")
        self.status = status
        self.lang = lang

    def render(self) -> Text:
        """Key, glyph and word in the status colour, then the count ("…" while loading)."""
        value = "…" if self.count is None else str(self.count)
        text = Text(f"{_KEY_OF[self.status]} ", style="dim")
        text.append(f"{STATUS_GLYPHS[self.status]}{status_label(self.status, self.lang)} {value}",
                    style=STATUS_STYLES[self.status])
        return text

    def on_click(self, event: Click) -> None:
        """Filter to this status, or back to all when it is the active one."""
        event.stop()
        self.post_message(StatusPicked(None if self.has_class("-active") else self.status))


class StatusCounts(Vertical):
    """Two lines: "plan title · 截至 2024-07-01", then the counts; the active filter is highlighted."""

    DEFAULT_CSS = """
    StatusCounts { height: 2; background: $panel; }
    StatusCounts #title-line { height: 1; padding: 0 1; text-style: bold; }
    StatusCounts Horizontal { height: 1; }
    """

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang

    def compose(self) -> ComposeResult:
        """The title line, then one chip per header status."""
        yield Static(id="title-line")
        with Horizontal():
            for status in HEADER_STATUSES:
                yield CountChip(status, self.lang)

    def set_title(self, title: str, as_of: date) -> None:
        """Show the plan title (document text: shown literally) and the as-of date."""
        line = Text(title, no_wrap=True, overflow="ellipsis")
        line.append(f"  ·  {t('as_of', self.lang)} {as_of.isoformat()}", style="not bold")
        self.query_one("#title-line", Static).update(line)

    def set_counts(self, counts: dict[Status, int] | None) -> None:
        """Show the counts; None shows "…" (still loading)."""
        for chip in self.query(CountChip):
            chip.count = None if counts is None else counts.get(chip.status, 0)

    def set_active(self, status: Status | None) -> None:
        """Highlight the chip of the status the table is filtered to (none for None)."""
        for chip in self.query(CountChip):
            chip.set_class(chip.status is status, "-active")
