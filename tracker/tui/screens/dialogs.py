"""Dialogs that validate as you type: the form base, the date field, and the general dialogs.

A `FormDialog` re-checks itself on every change: what is wrong is shown in plain words under the
fields, the OK button is disabled, and Enter is refused (with a bell) until it is right. Esc
cancels. The task dialogs (done, event, note, …) live in `task_dialogs.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets._select import InvalidSelectValueError
from textual.widgets.option_list import Option

from tracker.dates import parse_date, parse_past_date
from tracker.errors import UsageError
from tracker.model import PlanInfo
from tracker.tui.labels import t

R = TypeVar("R")

_WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def row(caption: str, *fields: Widget) -> Horizontal:
    """One form line: a caption, then the field (or fields: a number and its unit)."""
    return Horizontal(Label(caption, classes="caption"), *fields, classes="row")


class FormDialog(ModalScreen[R | None], Generic[R]):
    """A modal form: `fields()` to compose, `problem()` to validate, `result()` to return."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > #form { width: 76; max-width: 100%; height: auto; max-height: 100%;
                         border: round $primary; background: $surface; padding: 0 1; }
    FormDialog #form-title { text-style: bold; margin-bottom: 1; }
    FormDialog .row { height: 1; margin-bottom: 1; }
    FormDialog .caption { width: 14; color: $text-muted; }
    FormDialog .row > Input, FormDialog .row > Select { width: 1fr; }
    FormDialog OptionList { height: auto; max-height: 12; margin-bottom: 1; }
    FormDialog .hint { color: $text-muted; height: auto; margin-bottom: 1; }
    FormDialog #problem { color: $error; height: auto; }
    FormDialog #buttons { height: 1; align-horizontal: right; margin-top: 1; }
    FormDialog #buttons Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str | Text, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.lang = lang
        # After a conflict (the task changed elsewhere) the dialog is opened again on the fresh
        # version with what the user had typed (`restore`) and the conflict's sentence (`notice`).
        self.notice: str | None = None
        self.restore: list[object] | None = None
        self.typed: list[object] = []

    def compose(self) -> ComposeResult:
        """Title, the dialog's fields, the problem line, OK / Cancel."""
        with Vertical(id="form"):
            yield Static(self.title_text if isinstance(self.title_text, Text) else Text(self.title_text),
                         id="form-title")
            yield from self.fields()
            yield Static(id="problem")
            with Horizontal(id="buttons"):
                yield Button(t("ok", self.lang), id="ok", variant="primary", compact=True)
                yield Button(t("cancel", self.lang), id="cancel", compact=True)

    def fields(self) -> ComposeResult:
        """The form's fields (subclasses)."""
        yield from ()

    def problem(self) -> str | None:
        """What is wrong with the form now, in plain words; None when it can be submitted."""
        return None

    def result(self) -> R:
        """The value the dialog returns on OK (only called when `problem()` is None)."""
        raise NotImplementedError

    def unchanged(self) -> bool:
        """True when OK would store exactly what is stored already (an edit dialog left as it
        opened): OK then closes the dialog without a result, so nothing is written or logged."""
        return False

    def snapshot(self) -> list[object]:
        """Every input's text and drop-down's value, in screen order (what `restore` puts back)."""
        return [w.value for w in self.query("Input, Select, Checkbox").results()
                if isinstance(w, Input | Select | Checkbox)]

    def _restore(self, values: list[object]) -> None:
        widgets = [w for w in self.query("Input, Select, Checkbox").results()
                   if isinstance(w, Input | Select | Checkbox)]
        for widget, value in zip(widgets, values, strict=False):
            if isinstance(widget, Select):
                # A choice that is gone in the fresh version keeps the dialog's default.
                with suppress(InvalidSelectValueError):
                    widget.value = value
            elif isinstance(widget, Input | Checkbox) and isinstance(value, str | bool):
                widget.value = value  # same dialog class: same widget, same type of value

    def on_mount(self) -> None:
        """Validate once (a prefilled form may already be right) and focus the first field."""
        if self.restore is not None:
            self._restore(self.restore)
        self.check()
        self.focus_first()

    def focus_first(self) -> None:
        """Focus the first field one can see and type in.

        An Input first: Enter in it submits the form (Enter on a drop-down opens it instead).
        Never a field of a hidden row (`problem()` hides the fields a choice does not need): the
        first keystrokes would go where nobody sees them.
        """
        for selector in ("Input", "Select, OptionList, Checkbox"):
            for widget in self.query(selector).results():
                if widget.focusable and self.shown(widget):
                    widget.focus()
                    return

    def shown(self, widget: Widget) -> bool:
        """Whether `widget` and every container up to this screen are displayed."""
        node: DOMNode | None = widget
        while node is not None and node is not self:
            if not node.display:
                return False
            node = node.parent
        return True

    def check(self) -> bool:
        """Show the current problem (or none) and enable OK only when there is none."""
        problem = self.problem()
        if self.focused is not None and not self.shown(self.focused):
            self.focus_first()  # its row was just hidden (another kind of rule picked)
        self.query_one("#problem", Static).update(Text(problem or self.notice or ""))
        self.query_one("#ok", Button).disabled = problem is not None
        return problem is None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self.check()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_ok()

    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        """Return the result if the form is right; otherwise refuse (bell) and show why."""
        if self.check():
            self.typed = self.snapshot()
            if self.unchanged():
                self.app.notify(t("no_change", self.lang))
                self.dismiss(None)
                return
            self.dismiss(self.result())
        else:
            self.app.bell()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)


def read_date(value: str, *, today: date, past: str | None) -> date:
    """The date typed, as the command line reads it: `parse_date`, or for something that has
    happened (`past`: "a completion", "a note") `parse_past_date`, which refuses a day after today."""
    if past is None:
        return parse_date(value, today=today)
    return parse_past_date(value, today=today, what=past)


class DateValidator(Validator):
    """A date as users type it (2024-07-01, 2024/7/1, 7月1日, 今天), via `read_date`."""

    def __init__(self, today: date, past: str | None = None, lang: str = "zh") -> None:
        super().__init__()
        self.today = today
        self.past = past
        self.lang = lang

    def validate(self, value: str) -> ValidationResult:
        """Success when `read_date` reads it; the failure carries its sentence."""
        try:
            read_date(value, today=self.today, past=self.past)
        except UsageError as exc:
            return self.failure(exc.text(self.lang))
        return self.success()


class DateField(Vertical):
    """A date input with a line under it: the date read ("2024-07-01 星期一") or why it is not one.

    `past` ("a completion", "a note") marks the date of something that has happened: a day after
    today is refused as the command line refuses it (`parse_past_date`), with the reason shown
    under the field and in `problem`, so OK stays disabled.
    """

    DEFAULT_CSS = """
    DateField { height: auto; }
    DateField .row { margin-bottom: 0; }
    DateField .date-hint { height: auto; margin-left: 14; color: $text-muted; margin-bottom: 1; }
    DateField .date-hint.-bad { color: $error; }
    """

    def __init__(self, caption: str, value: date, *, today: date, lang: str, id: str | None = None,
                 past: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = caption
        self.today = today
        self.lang = lang
        self.past = past
        self._initial = value

    def compose(self) -> ComposeResult:
        """The input (prefilled) and its hint line."""
        yield row(self.caption, Input(self._initial.isoformat(), validators=[DateValidator(self.today, self.past, self.lang)],
                                      compact=True, valid_empty=False))
        yield Static(classes="date-hint")

    @property
    def problem(self) -> str | None:
        """Why the text is not an acceptable date (not a date; after today), or None."""
        text = self.query_one(Input).value
        try:
            read_date(text, today=self.today, past=None)
        except UsageError:
            return t("bad_date", self.lang)
        try:
            read_date(text, today=self.today, past=self.past)
        except UsageError as exc:
            return t("after_today", self.lang, today=self.today.isoformat()) if self.lang != "en" else exc.text("en")
        return None

    def on_mount(self) -> None:
        """Show the hint of the prefilled value."""
        self._show()

    @property
    def value(self) -> date | None:
        """The date typed, or None while it is not a date."""
        try:
            return read_date(self.query_one(Input).value, today=self.today, past=self.past)
        except UsageError:
            return None

    @on(Input.Changed)
    def _show(self) -> None:
        hint = self.query_one(".date-hint", Static)
        day = self.value
        if day is None:
            text = self.query_one(Input).value
            hint.update(Text(f"✖ “{text}” " + (self.problem or t("bad_date", self.lang))))
        else:
            weekday = day.strftime("%a") if self.lang == "en" else "星期" + _WEEKDAYS[day.weekday()]
            hint.update(Text(f"→ {day.isoformat()} {weekday}"))
        hint.set_class(day is None, "-bad")


class AsOfDialog(FormDialog[date]):
    """t: look at the plan as of another date (the past month, or ahead)."""

    def __init__(self, current: date, *, today: date, lang: str) -> None:
        super().__init__(t("k_as_of", lang), lang)
        self.current = current
        self.today = today

    def fields(self) -> ComposeResult:
        """One date."""
        yield DateField(t("as_of", self.lang), self.current, today=self.today, lang=self.lang, id="as-of")

    def problem(self) -> str | None:
        """A date that does not read is the problem."""
        return None if self.query_one(DateField).value else t("bad_date", self.lang)

    def result(self) -> date:
        """The date read."""
        value = self.query_one(DateField).value
        assert value is not None
        return value


class ConfirmDialog(FormDialog[bool]):
    """A question with OK / Cancel (undo asks first, saying what it will reverse)."""

    def __init__(self, title: str, question: str | Text, lang: str) -> None:
        super().__init__(title, lang)
        self.question = question

    def fields(self) -> ComposeResult:
        """The question, shown literally."""
        yield Static(self.question if isinstance(self.question, Text) else Text(self.question), classes="hint")

    def on_mount(self) -> None:
        """OK has the focus: Enter confirms."""
        self.check()
        self.query_one("#ok", Button).focus()

    def result(self) -> bool:
        """True: go ahead."""
        return True


class PlanDialog(FormDialog[int]):
    """p: show one stored plan, or all of them (the value 0); Enter on a line picks it."""

    def __init__(self, plans: Sequence[PlanInfo], current: int | None, lang: str) -> None:
        super().__init__(t("k_plan", lang), lang)
        self.plans = plans
        self.current = current

    def fields(self) -> ComposeResult:
        """The plans (titles are document text: shown literally), then "all plans"."""
        options = [Option(Text(f"{p.plan_id}. ") + Text(p.title) + Text(f" ({p.task_count})", style="dim"),
                          id=str(p.plan_id)) for p in self.plans]
        options.append(Option(Text(t("all_plans", self.lang)), id="0"))
        listing = OptionList(*options, id="plan")
        ids = [p.plan_id for p in self.plans] + [0]
        listing.highlighted = ids.index(self.current or 0) if (self.current or 0) in ids else 0
        yield listing

    @on(OptionList.OptionSelected, "#plan")
    def _picked(self) -> None:
        self.action_ok()

    def result(self) -> int:
        """The plan id, or 0 for all plans."""
        listing = self.query_one("#plan", OptionList)
        option = listing.highlighted_option
        return int(option.id) if option is not None and option.id else 0


class PathDialog(FormDialog[Path]):
    """A file path, checked as you type by `check_path` (import: must exist; export: .xlsx)."""

    def __init__(self, title: str, value: str, check_path: Callable[[Path], str | None], lang: str,
                 hint: str | None = None) -> None:
        super().__init__(title, lang)
        self.value = value
        self.check_path = check_path
        self.hint = hint

    def fields(self) -> ComposeResult:
        """A line saying what will be written (if given), then one path input."""
        if self.hint:
            yield Static(Text(self.hint), classes="hint", id="path-about")
        yield row(t("path_hint", self.lang), Input(self.value, compact=True, id="path"))

    def problem(self) -> str | None:
        """An empty path, or what `check_path` says."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            return t("need_text", self.lang)
        return self.check_path(Path(text).expanduser())

    def result(self) -> Path:
        """The path typed."""
        return Path(self.query_one("#path", Input).value.strip()).expanduser()


class HelpScreen(ModalScreen[None]):
    """?: every key, in the user's language; any of Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 70; max-width: 100%; height: auto; max-height: 100%;
                                  border: round $primary; background: $surface; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss_help", show=False)]

    def __init__(self, keys: Sequence[tuple[str, str]], lang: str) -> None:
        super().__init__()
        self.keys = keys
        self.lang = lang

    def compose(self) -> ComposeResult:
        """A two-column list of keys and what they do."""
        text = Text(t("k_help", self.lang) + "\n\n", style="bold")
        for key, what in self.keys:
            text.append(f"{key:>10}  ", style="bold cyan")
            text.append(what + "\n")
        with VerticalScroll():
            yield Static(text, id="help-text")

    def action_dismiss_help(self) -> None:
        """Close the help."""
        self.dismiss(None)
