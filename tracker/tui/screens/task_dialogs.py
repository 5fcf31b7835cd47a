"""The dialogs of the daily actions on one task: done, event, note, assign, waive, correct a rule.

Each returns a small request dataclass (or None when cancelled); the app turns it into one call
of `tracker.store.actions` inside one transaction. They validate as you type (`FormDialog`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, Input, Select, Static

from tracker.model import PERIODS, ObligationView, Requirement, RuleView, Status, TaskView
from tracker.tui.labels import t
from tracker.tui.screens.dialogs import DateField, FormDialog, row

_CLOSED = frozenset({Status.DONE, Status.DONE_LATE, Status.WAIVED})
_UNIT_SPLIT = re.compile(r"[、,，;；\s]+")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_PERIOD_WORDS = {"year": ("每年", "year"), "half": ("每半年", "half-year"), "quarter": ("每季度", "quarter"),
                 "month": ("每月", "month"), "fortnight": ("每两周", "fortnight"), "week": ("每周", "week")}


def task_title(view: TaskView, verb: str) -> Text:
    """"完成 — 8. 深化重大决策公众参与": the task's title is document text, kept literal."""
    return Text(f"{verb} — {view.number}. ") + Text(view.title)


def open_obligations(view: TaskView, rule: RuleView) -> list[ObligationView]:
    """The rule's obligations not yet done or waived (as of the view's date), earliest first."""
    return [o for o in view.obligations if o.requirement_id == rule.requirement_id and o.status not in _CLOSED]


def rule_option(view: TaskView, rule: RuleView) -> Text:
    """"1. 每年2次 · 已完成0 — 2024-Y1 06-30" for a drop-down."""
    text = Text(f"{rule.index}. ") + Text(rule.summary)
    todo = open_obligations(view, rule)
    if todo and todo[0].due is not None:
        text.append(f" — {todo[0].key} {todo[0].due.isoformat()}", style="dim")
    return text


def split_units(text: str) -> list[str]:
    """Units typed as "局办公室、政策法规科" (or with , ; spaces) → names, each once, in order."""
    return list(dict.fromkeys(n for n in _UNIT_SPLIT.split(text) if n))


def _rule_select(view: TaskView, rules: Sequence[RuleView], value: int) -> Select[int]:
    return Select([(rule_option(view, r), r.index) for r in rules], value=value, allow_blank=False,
                  compact=True, id="rule")


# --- done ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoneRequest:
    """Mark the earliest open obligation of rule `rule` done on `on`.

    `owner`: on a per-owner rule with several units still open, the unit chosen (its earliest open
    obligation is the one completed); None lets the store take the earliest open one. `others`:
    how many other units of that rule were still open when the dialog was answered.
    """

    rule: int
    on: date
    evidence: str | None
    owner: str | None = None
    others: int = 0


def open_units(view: TaskView, rule: RuleView) -> list[tuple[str, ObligationView]]:
    """A per-owner rule's units with an open obligation, each with its earliest one, in the
    view's order (by due date, lead units first — the store's order); [] for another rule."""
    if not rule.requirement.per_owner:
        return []
    units: dict[str, ObligationView] = {}
    for ob in open_obligations(view, rule):
        if ob.owner and ob.owner not in units:
            units[ob.owner] = ob
    return list(units.items())


def _unit_option(unit: str, first: ObligationView) -> Text:
    """"养老服务科 — 2024-Y1#养老服务科 12-31" for a drop-down (the unit's name is data, kept literal)."""
    text = Text(unit)
    text.append(f" — {first.key}" + (f" {first.due.isoformat()}" if first.due else ""), style="dim")
    return text


class DoneDialog(FormDialog[DoneRequest]):
    """d: which rule (the most urgent is preselected), which unit (a per-owner rule with several
    units open), the date done, evidence (text or link)."""

    def __init__(self, view: TaskView, *, on: date, today: date, lang: str) -> None:
        super().__init__(task_title(view, t("k_done", lang)), lang)
        self.view = view
        self.on = on
        self.today = today
        self.rules = [r for r in view.rules if open_obligations(view, r) and r.waived_reason is None]
        first = min(self.rules, key=lambda r: open_obligations(view, r)[0].due or date.max)
        self.default_rule = first.index
        self.units: list[str] = []
        """The units offered for the rule picked ([] when there is no choice to make)."""
        self.filled: int | None = None
        """The rule the unit choice was last filled from."""

    def fields(self) -> ComposeResult:
        """Rule, unit (shown only when there is a choice), date, evidence."""
        yield row(t("rule_k", self.lang), _rule_select(self.view, self.rules, self.default_rule))
        yield row(t("credit_unit", self.lang), Select([], allow_blank=True, compact=True, id="owner"))
        yield DateField(t("date", self.lang), self.on, today=self.today, lang=self.lang, id="on",
                        past="a completion")
        yield row(t("evidence", self.lang), Input(placeholder=t("evidence_hint", self.lang), compact=True,
                                                  id="evidence"))

    def on_mount(self) -> None:
        """Offer the units of the preselected rule."""
        self._fill(self.default_rule)
        super().on_mount()

    def _restore(self, values: list[object]) -> None:
        # The rule first, and its units offered at once, so the unit typed before is restored.
        if values and isinstance(values[0], int):
            self._fill(values[0])
        super()._restore(values)

    def _rule(self) -> RuleView:
        value = self.query_one("#rule", Select).value
        index = value if isinstance(value, int) else self.default_rule
        return next((r for r in self.rules if r.index == index), self.rules[0])

    def _fill(self, index: int) -> None:
        """The unit choice for rule `index`: its open units, the first chosen; hidden unless ≥ 2."""
        self.filled = index
        rule = next((r for r in self.rules if r.index == index), None)
        units = open_units(self.view, rule) if rule is not None else []
        self.units = [u for u, _ in units] if len(units) > 1 else []
        select = self.query_one("#owner", Select)
        if self.units:
            select.set_options([(_unit_option(u, ob), u) for u, ob in units])
            select.value = self.units[0]
        else:
            select.set_options([])
        self.query_one("#owner").parent.display = bool(self.units)  # type: ignore[union-attr]

    @on(Select.Changed, "#rule")
    def _rule_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.filled:
            self._fill(event.value)

    def problem(self) -> str | None:
        """Only the date can be wrong: not a date, or after today (as `tracker done` refuses it)."""
        return self.query_one("#on", DateField).problem

    def result(self) -> DoneRequest:
        """Rule, unit (None when there was no choice), date, evidence (None when left empty)."""
        on = self.query_one("#on", DateField).value
        assert on is not None
        evidence = self.query_one("#evidence", Input).value.strip()
        owner: str | None = None
        if self.units:
            value = self.query_one("#owner", Select).value
            owner = value if isinstance(value, str) and value in self.units else self.units[0]
        return DoneRequest(rule=self._rule().index, on=on, evidence=evidence or None, owner=owner,
                           others=len(self.units) - 1 if owner else 0)


# --- event ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRequest:
    """An event (文件发布) on `on`, with its reference; rule None = every after-event rule."""

    on: date
    ref: str | None
    rule: int | None


class EventDialog(FormDialog[EventRequest]):
    """e: the event's date and reference; which after-event rule when the task has several."""

    def __init__(self, view: TaskView, *, on: date, today: date, lang: str) -> None:
        super().__init__(task_title(view, t("k_event", lang)), lang)
        self.view = view
        self.on = on
        self.today = today
        self.rules = [r for r in view.rules if r.requirement.kind == "after_event"]

    def fields(self) -> ComposeResult:
        """Rule (if several), date, reference."""
        if len(self.rules) > 1:
            yield row(t("rule_k", self.lang), _rule_select(self.view, self.rules, self.rules[0].index))
        yield DateField(t("date", self.lang), self.on, today=self.today, lang=self.lang, id="on")
        yield row(t("ref", self.lang), Input(placeholder=t("ref_hint", self.lang), compact=True, id="ref"))

    def problem(self) -> str | None:
        """Only the date can be wrong."""
        return None if self.query_one("#on", DateField).value else t("bad_date", self.lang)

    def result(self) -> EventRequest:
        """Date, reference, rule."""
        on = self.query_one("#on", DateField).value
        assert on is not None
        ref = self.query_one("#ref", Input).value.strip() or None
        rule: int | None = None
        if len(self.rules) > 1:
            value = self.query_one("#rule", Select).value
            rule = value if isinstance(value, int) else None
        return EventRequest(on=on, ref=ref, rule=rule)


# --- note ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRequest:
    """A progress note dated `on`."""

    text: str
    on: date


class NoteDialog(FormDialog[NoteRequest]):
    """n: what was done (进展情况) and when."""

    def __init__(self, view: TaskView, *, on: date, today: date, lang: str) -> None:
        super().__init__(task_title(view, t("k_note", lang)), lang)
        self.on = on
        self.today = today

    def fields(self) -> ComposeResult:
        """Text, then date."""
        yield row(t("progress", self.lang), Input(placeholder=t("note_hint", self.lang), compact=True, id="text"))
        yield DateField(t("date", self.lang), self.on, today=self.today, lang=self.lang, id="on", past="a note")

    def problem(self) -> str | None:
        """An empty note, or a date that is not one or is after today (as `tracker note` refuses it)."""
        if not self.query_one("#text", Input).value.strip():
            return t("need_text", self.lang)
        return self.query_one("#on", DateField).problem

    def result(self) -> NoteRequest:
        """The note."""
        on = self.query_one("#on", DateField).value
        assert on is not None
        return NoteRequest(text=self.query_one("#text", Input).value.strip(), on=on)


# --- assign --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignRequest:
    """The task's new lead and supporting units (new names become new units)."""

    lead: tuple[str, ...]
    support: tuple[str, ...]


class AssignDialog(FormDialog[AssignRequest]):
    """a: lead and supporting units, prefilled; known units listed, new ones named before OK."""

    def __init__(self, view: TaskView, known: Sequence[str], lang: str) -> None:
        super().__init__(task_title(view, t("k_assign", lang)), lang)
        self.view = view
        self.known = list(known)

    def fields(self) -> ComposeResult:
        """Lead, support, and a hint line about the units."""
        from textual.suggester import SuggestFromList

        suggest = SuggestFromList(self.known)
        yield row(t("lead", self.lang), Input("、".join(self.view.lead), placeholder=t("lead_hint", self.lang),
                                              suggester=suggest, compact=True, id="lead"))
        yield row(t("support", self.lang), Input("、".join(self.view.support), suggester=suggest,
                                                 placeholder=t("support_hint", self.lang), compact=True,
                                                 id="support"))
        yield Static(classes="hint", id="units")

    def _values(self) -> tuple[list[str], list[str]]:
        lead = split_units(self.query_one("#lead", Input).value)
        support = [u for u in split_units(self.query_one("#support", Input).value) if u not in lead]
        return lead, support

    def problem(self) -> str | None:
        """No lead unit is the problem; the hint says which names are new."""
        lead, support = self._values()
        new = [u for u in lead + support if u not in self.known]
        hint = t("known_units", self.lang, names="、".join(self.known) or t("none", self.lang))
        if new:
            hint += "\n" + t("new_units", self.lang, names="、".join(new))
        self.query_one("#units", Static).update(Text(hint))
        return None if lead else t("need_lead", self.lang)

    def unchanged(self) -> bool:
        """The task's own units, in the same roles and order: nothing to write."""
        lead, support = self._values()
        return (lead, support) == (list(self.view.lead), list(self.view.support))

    def result(self) -> AssignRequest:
        """Lead and support."""
        lead, support = self._values()
        return AssignRequest(lead=tuple(lead), support=tuple(support))


# --- waive ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaiveRequest:
    """Waive rule `rule` (不适用) for `reason`; or, `lift`, lift its waiver (it counts again)."""

    rule: int
    reason: str
    lift: bool = False


def _waive_option(view: TaskView, rule: RuleView, lang: str) -> Text:
    """A rule for the waive drop-down; a waived one says so."""
    text = rule_option(view, rule)
    if rule.waived_reason is not None:
        text.append(f" · {t('waived_tag', lang)}", style="dim")
    return text


class WaiveDialog(FormDialog[WaiveRequest]):
    """w: which rule and why it does not apply; a rule already waived shows its reason, and OK
    (then labelled 解除不适用 / Lift waiver) lifts the waiver."""

    def __init__(self, view: TaskView, lang: str) -> None:
        super().__init__(task_title(view, t("k_waive", lang)), lang)
        self.view = view
        self.rules = list(view.rules)
        first = next((r for r in self.rules if r.waived_reason is None), self.rules[0])
        self.default_rule = first.index

    def fields(self) -> ComposeResult:
        """Rule, reason (a rule not waived) or the waiver's reason (a waived one)."""
        options = [(_waive_option(self.view, r, self.lang), r.index) for r in self.rules]
        yield row(t("rule_k", self.lang), Select(options, value=self.default_rule, allow_blank=False,
                                                 compact=True, id="rule"))
        yield row(t("remarks", self.lang), Input(placeholder=t("reason_hint", self.lang), compact=True,
                                                 id="reason"))
        yield Static(classes="hint", id="waived")

    def _rule(self) -> RuleView:
        value = self.query_one("#rule", Select).value
        index = value if isinstance(value, int) else self.default_rule
        return next((r for r in self.rules if r.index == index), self.rules[0])

    def problem(self) -> str | None:
        """A waiver needs a reason; lifting one needs nothing. Shows the mode the rule picked sets."""
        waived = self._rule().waived_reason
        self.query_one("#reason").parent.display = waived is None  # type: ignore[union-attr]
        hint = self.query_one("#waived", Static)
        hint.display = waived is not None
        hint.update(Text(t("waived_because", self.lang, reason=waived)) + Text("\n" + t("lift_hint", self.lang))
                    if waived is not None else Text(""))
        self.query_one("#ok", Button).label = t("lift" if waived is not None else "ok", self.lang)
        if waived is not None:
            return None
        return None if self.query_one("#reason", Input).value.strip() else t("need_reason", self.lang)

    def result(self) -> WaiveRequest:
        """Rule and reason, or the rule whose waiver to lift."""
        rule = self._rule()
        if rule.waived_reason is not None:
            return WaiveRequest(rule=rule.index, reason=rule.waived_reason, lift=True)
        return WaiveRequest(rule=rule.index, reason=self.query_one("#reason", Input).value.strip())


# --- correct a rule ------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRequest:
    """Change rule `rule`, add a new one (`add`), or remove it; `changes` uses model field names."""

    rule: int | None
    add: bool
    remove: bool
    changes: dict[str, object] = field(default_factory=dict)


_KIND_FIELDS = {"recurring": ("count", "period"), "after_event": ("allowance", "event"),
                "deadline": ("deadline",), "ongoing": ()}
_UNITS = ("workdays", "days")
"""An after-event allowance counts working days (3个工作日) or calendar days (15日): `Requirement.workdays`
or `Requirement.days`, the other None."""


class RuleDialog(FormDialog[RuleRequest]):
    """r: pick a rule (or "add"), then its kind and the numbers that kind needs; or remove it.

    The fields open on the stored rule, and OK sends `correct_rule` only the fields that differ
    from it: OK on an untouched rule writes nothing.
    """

    DEFAULT_CSS = """
    RuleDialog #unit { width: 18; margin-left: 1; }
    """

    def __init__(self, view: TaskView, lang: str) -> None:
        super().__init__(task_title(view, t("k_rule", lang)), lang)
        self.view = view
        self.filled: int | None = None
        """The rule the fields were last filled from (0: a new rule)."""

    def fields(self) -> ComposeResult:
        """Rule, kind, the kind's fields (only those shown), what, remove."""
        lang = self.lang
        options = [(Text(f"{r.index}. ") + Text(r.summary), r.index) for r in self.view.rules]
        options.append((Text(t("new_rule", lang)), 0))
        yield row(t("rule_k", lang), Select(options, value=options[0][1], allow_blank=False, compact=True,
                                            id="rule"))
        kinds = [(t(f"kind_{k}", lang), k) for k in _KIND_FIELDS]
        yield row(t("kind", lang), Select(kinds, value="recurring", allow_blank=False, compact=True, id="kind"))
        yield row(t("count", lang), Input(compact=True, id="count", restrict=r"\d*"))
        periods = [(_PERIOD_WORDS[p][1 if lang == "en" else 0], p) for p in PERIODS]
        yield row(t("period", lang), Select(periods, value="year", allow_blank=False, compact=True, id="period"))
        units = [(t(f"unit_{u}", lang), u) for u in _UNITS]
        yield row(t("allowance", lang), Input(compact=True, id="allowance", restrict=r"\d*"),
                  Select(units, value="workdays", allow_blank=False, compact=True, id="unit"))
        yield row(t("event", lang), Input(placeholder=t("event_name", lang), compact=True, id="event"))
        yield row(t("due", lang), Input(placeholder=t("deadline_hint", lang), compact=True, id="deadline"))
        yield row(t("what", lang), Input(compact=True, id="what"))
        yield Checkbox(t("remove_rule", lang), id="remove", compact=True)

    def on_mount(self) -> None:
        """Fill the fields from the first rule."""
        self._fill(self.view.rules[0] if self.view.rules else None)
        super().on_mount()

    def _restore(self, values: list[object]) -> None:
        # The rule first, and its fields filled at once: its Changed message, handled later, then
        # finds them filled and leaves the user's typing (restored next) alone.
        picked = self._rule_at(values[0]) if values else None
        if picked is not None or (values and values[0] == 0):
            self._fill(picked)
        super()._restore(values)

    def _rule_at(self, index: object) -> RuleView | None:
        return next((r for r in self.view.rules if r.index == index), None)

    def _fill(self, rule: RuleView | None) -> None:
        self.filled = rule.index if rule else 0
        req = rule.requirement if rule else None
        self.query_one("#rule", Select).value = self.filled
        self.query_one("#kind", Select).value = req.kind.value if req else "recurring"
        self.query_one("#count", Input).value = str(req.count) if req and req.count else ""
        self.query_one("#period", Select).value = req.period if req and req.period else "year"
        calendar_days = req is not None and req.workdays is None and req.days is not None
        allowance = (req.days if calendar_days else req.workdays) if req else None
        self.query_one("#allowance", Input).value = "" if allowance is None else str(allowance)
        self.query_one("#unit", Select).value = "days" if calendar_days else "workdays"
        self.query_one("#event", Input).value = req.event or "" if req else ""
        self.query_one("#deadline", Input).value = f"{req.month}-{req.day}" if req and req.month else ""
        self.query_one("#what", Input).value = req.what if req else ""
        self.query_one("#remove", Checkbox).value = False
        self.query_one("#remove", Checkbox).disabled = rule is None

    @on(Select.Changed, "#rule")
    def _rule_picked(self) -> None:
        # The drop-down's value now, not the message's: a message of the drop-down's first value
        # or of `_fill` setting it may arrive after the fields were filled from another rule.
        picked = self.query_one("#rule", Select).value
        if picked != self.filled:
            self._fill(self._rule_at(picked))

    def _kind(self) -> str:
        value = self.query_one("#kind", Select).value
        return value if isinstance(value, str) else "recurring"

    def problem(self) -> str | None:
        """What the chosen kind still needs, or a number / deadline that does not read."""
        kind = self._kind()
        needed = _KIND_FIELDS[kind]
        for name in ("count", "period", "allowance", "event", "deadline"):
            self.query_one(f"#{name}").parent.display = name in needed  # type: ignore[union-attr]
        if self.query_one("#remove", Checkbox).value:
            return None
        missing = [t(n, self.lang) for n in ("count", "allowance")
                   if n in needed and not self.query_one(f"#{n}", Input).value]
        if missing:
            return t("need_field", self.lang, names="、".join(missing))
        for name in ("count", "allowance"):
            value = self.query_one(f"#{name}", Input).value
            if name in needed and int(value) < 1:
                return t("bad_number", self.lang, name=t(name, self.lang))
        if "deadline" in needed and self._deadline() is None:
            return t("bad_deadline", self.lang)
        return None

    def _deadline(self) -> tuple[int, int] | None:
        match = _MONTH_DAY.match(self.query_one("#deadline", Input).value)
        if not match:
            return None
        month, day = int(match.group(1)), int(match.group(2))
        try:
            date(2024, month, day)  # a leap year: 02-29 is a valid yearly deadline
        except ValueError:
            return None
        return month, day

    def _picked(self) -> RuleView | None:
        return self._rule_at(self.query_one("#rule", Select).value)

    def _wanted(self) -> dict[str, object]:
        """The rule as the form has it: kind, what, and the fields of that kind."""
        kind = self._kind()
        wanted: dict[str, object] = {"kind": kind, "what": self.query_one("#what", Input).value.strip()}
        if kind == "recurring":
            wanted |= {"count": int(self.query_one("#count", Input).value),
                       "period": self.query_one("#period", Select).value}
        elif kind == "after_event":
            number = int(self.query_one("#allowance", Input).value)
            calendar_days = self.query_one("#unit", Select).value == "days"
            wanted |= {"workdays": None if calendar_days else number, "days": number if calendar_days else None,
                       "event": self.query_one("#event", Input).value.strip() or None}
        elif kind == "deadline":
            month_day = self._deadline()
            assert month_day is not None
            wanted |= {"month": month_day[0], "day": month_day[1]}
        return wanted

    def _changes(self, rule: RuleView) -> dict[str, object]:
        """The fields of the form that differ from the stored rule (`what` compared trimmed)."""
        req = rule.requirement
        stored = {name: getattr(req, name) for name in Requirement._fields}
        stored["kind"] = req.kind.value
        stored["what"] = req.what.strip()
        return {k: v for k, v in self._wanted().items() if stored[k] != v}

    def unchanged(self) -> bool:
        """An existing rule, not removed, whose form is what is stored: nothing to write."""
        rule = self._picked()
        return rule is not None and not self.query_one("#remove", Checkbox).value and not self._changes(rule)

    def result(self) -> RuleRequest:
        """The request: for a new rule every field of its kind; for a stored one only what changed."""
        rule = self._picked()
        if rule is None:
            return RuleRequest(rule=None, add=True, remove=False, changes=self._wanted())
        if self.query_one("#remove", Checkbox).value:
            return RuleRequest(rule=rule.index, add=False, remove=True)
        return RuleRequest(rule=rule.index, add=False, remove=False, changes=self._changes(rule))
