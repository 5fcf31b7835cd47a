"""The task screen (Enter): the whole text with each rule's source words highlighted, each rule
with its obligations, the events, the progress notes and the task's audit history."""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tracker.calendar import WorkCalendar
from tracker.i18n import note_text
from tracker.model import ObligationView, RuleView, TaskDetail
from tracker.store.audit import action_label, undo_summary
from tracker.tui.keys import ACTION_BINDINGS, localize
from tracker.tui.labels import t
from tracker.tui.widgets.cells import due_text, owners_text, status_text
from tracker.tui.widgets.keys_footer import KeysFooter

RULE_STYLES = ("black on yellow", "black on cyan", "black on green", "black on magenta", "black on red")
"""Rule K's source words and its number share the K-th style, so the eye links them."""

_ELLIPSIS = re.compile(r"…+|\.{3,}")


def highlight_sources(text: str, rules: tuple[RuleView, ...]) -> Text:
    """`text` as literal Text with each rule's source words styled where they occur.

    A source the parser shortened with "……" is highlighted part by part; a source not found in
    the text (a rule added by hand) highlights nothing.
    """
    out = Text(text)
    for rule in rules:
        style = RULE_STYLES[(rule.index - 1) % len(RULE_STYLES)]
        start = 0
        for part in _ELLIPSIS.split(rule.requirement.source):
            part = part.strip()
            if len(part) < 2:
                continue
            pos = text.find(part, start)
            if pos < 0:
                pos = text.find(part)
            if pos >= 0:
                out.stylize(style, pos, pos + len(part))
                start = pos + len(part)
    return out


def _heading(title: str) -> Text:
    return Text("\n" + title, style="bold underline")


def obligation_line(ob: ObligationView, as_of: date, calendar: WorkCalendar, lang: str) -> Text:
    """"  2024-Y1  06-30 逾期1天  ✖ 逾期  完成于 …  佐证 …" for one obligation."""
    line = Text("   ")
    line.append(f"{ob.key:<10} ")
    if ob.owner:
        line.append(Text(ob.owner + " "))
    due = due_text(ob.due, as_of, calendar, lang, short=False) if ob.due else Text("—")
    due.align("left", 24)
    line.append(due)
    line.append(status_text(ob.status, lang))
    if ob.done_on:
        line.append(f"  {t('done_on', lang)} {ob.done_on.isoformat()}")
    if ob.evidence:
        line.append(f"  {t('evidence', lang)}: ")
        line.append(Text(ob.evidence))
    note = note_text(ob.note, lang)
    if ob.provisional:  # why, and what to do: `tracker show` says it; the screen used to say only 暂定
        line.append(f"  ({t('provisional', lang)}{': ' + note if note else ''})", style="yellow")
    elif note:  # "no owner assigned", an event's reference
        line.append(Text(f"  {note}", style="dim"))
    return line


def rules_block(detail: TaskDetail, as_of: date, calendar: WorkCalendar, lang: str) -> Text:
    """Every rule: its number in its highlight colour, summary, source words, obligations."""
    task = detail.task
    out = _heading(t("rules", lang))
    if not task.rules:
        out.append("\n  " + t("none", lang), style="dim")
    for rule in task.rules:
        out.append("\n ")
        out.append(f" {rule.index} ", style=RULE_STYLES[(rule.index - 1) % len(RULE_STYLES)])
        out.append(" ")
        out.append(Text(rule.summary, style="bold"))
        if rule.waived_reason:
            out.append("  ")
            out.append(Text(t("waived_because", lang, reason=rule.waived_reason), style="dim"))
        out.append(f"\n    {t('source', lang)}: ", style="dim")
        out.append(Text(rule.requirement.source, style="dim"))
        for ob in task.obligations:
            if ob.requirement_id == rule.requirement_id:
                out.append("\n ")
                out.append(obligation_line(ob, as_of, calendar, lang))
    return out


def facts_block(detail: TaskDetail, lang: str) -> Text:
    """Events, progress notes and the audit history, each under its heading (all literal text)."""
    out = _heading(t("events", lang))
    for event in detail.events:
        out.append(f"\n  {event.on.isoformat()}  ")
        out.append(Text(event.ref or ""))
    if not detail.events:
        out.append("\n  " + t("none", lang), style="dim")
    out.append(_heading(t("notes", lang)))
    for note in detail.notes:
        out.append(f"\n  {note.on.isoformat()}  ")
        out.append(Text(note.text))
        if note.author:
            out.append(Text(f"  ({note.author})", style="dim"))
    if not detail.notes:
        out.append("\n  " + t("none", lang), style="dim")
    out.append(_heading(t("history", lang)))
    for entry in detail.history:
        line = Text(f"\n  {entry.at[:16].replace('T', ' ')}  ", style="dim" if entry.undone else "")
        summary = undo_summary(entry.summary, lang) if entry.action == "undo" else entry.summary
        line.append(Text(f"{entry.who}  {action_label(entry.action, lang)}  {summary}"))
        if entry.undone:
            line.append(" " + t("undone", lang))
            line.stylize("dim strike")
        out.append(line)
    if not detail.history:
        out.append("\n  " + t("none", lang), style="dim")
    return out


class TaskScreen(Screen[None]):
    """One task in full; the action keys act on it; Esc goes back to the list."""

    DEFAULT_CSS = """
    TaskScreen #task-head { background: $panel; padding: 0 1; height: auto; }
    TaskScreen VerticalScroll { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "k_back"), *ACTION_BINDINGS,
                Binding("o", "app.act('reopen')", "k_reopen", show=False),  # in ? help, not the footer
                Binding("q", "app.pop_screen", show=False)]

    def __init__(self, task_id: int, lang: str) -> None:
        super().__init__(id="task")
        self.task_id = task_id
        self.lang = lang
        localize(self, lang)

    def compose(self) -> ComposeResult:
        """Head, then one scrolling body."""
        yield Static(id="task-head")
        with VerticalScroll(id="task-body"):
            yield Static(id="task-text")
            yield Static(id="task-rules")
            yield Static(id="task-facts")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Show the task and let the arrows scroll it."""
        self.refresh_detail()
        self.query_one("#task-body").focus()

    def refresh_detail(self) -> None:
        """Read the task again (as of the app's date) and redraw; a removed task says so."""
        from tracker.errors import TrackerError
        from tracker.tui.app import TrackerApp

        app = self.app
        assert isinstance(app, TrackerApp)
        try:
            detail = app.detail(self.task_id)
        except TrackerError as exc:
            self.query_one("#task-head", Static).update(Text(exc.text(self.lang), style="red"))
            return
        task = detail.task
        head = Text(f"{task.number}. ", style="bold") + Text(task.title, style="bold") + Text("   ")
        head.append(status_text(task.status, self.lang))
        head.append(f"\n{t('plan', self.lang)}: ")
        head.append(Text(task.plan_title))
        head.append(" · ")
        head.append(Text(task.section))
        head.append(f" · {t('as_of', self.lang)} {app.as_of.isoformat()}")
        head.append(f"\n{t('owners', self.lang)}: ")
        head.append(owners_text(task, self.lang))
        self.query_one("#task-head", Static).update(head)
        self.query_one("#task-text", Static).update(highlight_sources(task.text, task.rules))
        self.query_one("#task-rules", Static).update(rules_block(detail, app.as_of, app.calendar, self.lang))
        self.query_one("#task-facts", Static).update(facts_block(detail, self.lang))
