"""The filter bar: free text (Chinese works: words are substrings), status, unit and section.

Every change posts one `FilterChanged` with the whole filter; the text box waits `DEBOUNCE`
seconds after the last keystroke so typing 政策解读 filters once, not four times.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Select

from tracker.i18n import STATUS_GLYPHS, status_label
from tracker.model import Status
from tracker.tui.labels import t
from tracker.tui.messages import FilterChanged

DEBOUNCE = 0.15
"""Seconds after the last keystroke before the table is filtered (the brief allows ~150 ms)."""

FILTER_STATUSES = (Status.OVERDUE, Status.DUE_SOON, Status.NO_UPDATE, Status.ON_TRACK, Status.DONE,
                   Status.WAIVED)


class FilterBar(Horizontal):
    """One line: [text……] [status ▾] [unit ▾] [section ▾]."""

    DEFAULT_CSS = """
    FilterBar { height: 1; }
    FilterBar #filter-text { width: 2fr; padding: 0 1; }
    FilterBar Select { width: 1fr; margin-left: 1; }
    """

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self._timer: Timer | None = None
        self._choices: dict[str, tuple[str, ...]] = {}

    def compose(self) -> ComposeResult:
        """The text box and three compact drop-downs."""
        yield Input(placeholder=t("filter_placeholder", self.lang), id="filter-text", compact=True)
        statuses = [(Text(f"{STATUS_GLYPHS[s]} {status_label(s, self.lang)}"), s) for s in FILTER_STATUSES]
        yield Select(statuses, prompt=t("any_status", self.lang), id="filter-status", compact=True)
        yield Select([], prompt=t("any_owner", self.lang), id="filter-owner", compact=True)
        yield Select([], prompt=t("any_section", self.lang), id="filter-section", compact=True)

    def set_choices(self, owners: Sequence[str], sections: Sequence[str]) -> None:
        """Offer these units and sections (document text, shown literally); keep valid selections.

        Unchanged choices are left alone: resetting a drop-down posts a change, which would filter
        and reload again.
        """
        for select_id, values in (("#filter-owner", owners), ("#filter-section", sections)):
            if self._choices.get(select_id) == tuple(values):
                continue
            self._choices[select_id] = tuple(values)
            select: Select[str] = self.query_one(select_id, Select)
            current = select.value
            select.set_options([(Text(v), v) for v in values])
            if isinstance(current, str) and current in values:
                select.value = current

    def set_status(self, status: Status | None) -> None:
        """Set the status drop-down (from a header count or a number key); posts FilterChanged."""
        select: Select[Status] = self.query_one("#filter-status", Select)
        if status is None:
            select.clear()
        else:
            select.value = status

    def focus_text(self) -> None:
        """Put the cursor in the text box."""
        self.query_one("#filter-text", Input).focus()

    def current(self) -> FilterChanged:
        """The whole filter as it stands."""
        def value(select_id: str) -> object:
            v = self.query_one(select_id, Select).value
            return None if v is Select.NULL else v

        status = value("#filter-status")
        owner = value("#filter-owner")
        section = value("#filter-section")
        return FilterChanged(text=self.query_one("#filter-text", Input).value,
                             status=status if isinstance(status, Status) else None,
                             owner=owner if isinstance(owner, str) else None,
                             section=section if isinstance(section, str) else None)

    @on(Input.Changed, "#filter-text")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._post)

    @on(Input.Submitted, "#filter-text")
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._post()

    @on(Select.Changed)
    def _picked(self) -> None:
        self._post()

    def _post(self) -> None:
        self._timer = None
        self.post_message(self.current())
