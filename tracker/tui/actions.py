"""The daily actions: open the right dialog, then turn its answer into one store action.

Each function takes the running `TrackerApp`; writes go through `app.write`, i.e. one
`Store.transaction` and one `tracker.store.actions` call, exactly as the command line does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text

from tracker import query
from tracker.errors import ConflictError, TrackerError, UsageError
from tracker.store.audit import undo_summary
from tracker.tui.keys import ACTION_BINDINGS
from tracker.tui.labels import conflict_text, t
from tracker.tui.screens.dialogs import (
    AsOfDialog,
    ConfirmDialog,
    FormDialog,
    HelpScreen,
    PathDialog,
    PlanDialog,
)
from tracker.tui.screens.task_dialogs import (
    AssignDialog,
    AssignRequest,
    DoneDialog,
    DoneRequest,
    EventDialog,
    EventRequest,
    NoteDialog,
    NoteRequest,
    RuleDialog,
    RuleRequest,
    WaiveDialog,
    WaiveRequest,
    open_obligations,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

    from sqlmodel import Session

    from tracker.model import TaskView
    from tracker.store.actions import DoneResult
    from tracker.tui.app import TrackerApp

Q = TypeVar("Q")

PLAN_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".xlsx")


def ask_and_write(app: TrackerApp, action: str, view: TaskView,
                  dialog_for: Callable[[TaskView], FormDialog[Q] | None],
                  apply: Callable[[TaskView, Q], Callable[[Session], str]]) -> None:
    """Open `dialog_for(view)`; on OK run `apply(view, answer)` as one write checked against
    `view.version`.

    On a conflict (the task changed elsewhere since it was read; nothing written) the app shows
    the sentence and reloads, and the same dialog opens again on the fresh version with what the
    user had typed and the sentence under it: OK applies it to the fresh version, Esc drops it.
    When the fresh task no longer allows the action (`dialog_for` gives None), nothing reopens.
    """
    dialog = dialog_for(view)
    if dialog is None:
        return
    _push(app, action, view, dialog, dialog_for, apply)


def _push(app: TrackerApp, action: str, view: TaskView, dialog: FormDialog[Q],
          dialog_for: Callable[[TaskView], FormDialog[Q] | None],
          apply: Callable[[TaskView, Q], Callable[[Session], str]]) -> None:
    def save(answer: Q | None) -> None:
        if answer is None:
            return

        def again(exc: ConflictError) -> None:
            fresh = app.read(lambda: query.tasks_by_ids(app.conn, [view.task_id], as_of=app.as_of,
                                                        lang=app.lang))
            if not fresh:
                return
            retry = dialog_for(fresh[0])
            if retry is None:
                return
            retry.restore = dialog.typed
            retry.notice = conflict_text(exc, app.lang)
            _push(app, action, fresh[0], retry, dialog_for, apply)

        app.write(action, apply(view, answer), on_conflict=again)

    app.push_screen(dialog, save)


def _can_mark_done(view: TaskView) -> bool:
    return any(open_obligations(view, r) and r.waived_reason is None for r in view.rules)


def done(app: TrackerApp) -> None:
    """d: the done dialog for the current task; refused with a sentence when nothing is open."""
    view = app.current_view()
    if view is None:
        return
    if not _can_mark_done(view):
        app.notify(t("no_open", app.lang), severity="warning")
        return

    def dialog_for(v: TaskView) -> DoneDialog | None:
        return (DoneDialog(v, on=min(app.as_of, app.today), today=app.today, lang=app.lang)
                if _can_mark_done(v) else None)

    def apply(v: TaskView, req: DoneRequest) -> Callable[[Session], str]:
        def do(session: Session) -> str:
            from tracker.store.actions import get_task, mark_done

            res = mark_done(session=session, task=get_task(session=session, task_id=v.task_id), rule=req.rule,
                            on=req.on, evidence=req.evidence, expected_version=v.version, owner=req.owner)
            return done_message(res, req, app.lang)
        return do

    ask_and_write(app, "done", view, dialog_for, apply)


def done_message(res: DoneResult, req: DoneRequest, lang: str) -> str:
    """What `tracker done` prints, in the TUI's words: the completion; on a per-owner rule with
    other units still open, whose it was and how many others are open; a completion dated before
    its obligation's period begins, the warning on a second line."""
    text = t("done_msg", lang, task=res.task_number, rule=res.rule, key=res.key, on=res.done_on.isoformat(),
             late=t("late", lang) if res.late else "")
    if res.others_open:  # the store chose the unit (there was no choice in the dialog)
        text += t("credited_default", lang, owner=res.owner, others=res.others_open)
    elif req.owner is not None and req.others:
        text += t("credited", lang, owner=res.owner, others=req.others)
    if res.period_start is not None:
        text += "\n" + t("early", lang, key=res.key, start=res.period_start.isoformat(), on=res.done_on.isoformat())
    return text


def reopen(app: TrackerApp) -> None:
    """o (task screen): take back the latest completion shown — one recorded by mistake that `u`
    cannot reach any more — after a question naming it; `tracker reopen` with its --rule and --key,
    checked against the version shown (a change made elsewhere meanwhile: nothing written)."""
    view = app.current_view()
    if view is None:
        return
    done = [(o.done_on, o) for o in view.obligations if o.done_on is not None]
    if not done:
        app.notify(t("nothing_done", app.lang), severity="warning")
        return
    day, last = max(done, key=lambda pair: pair[0])  # the latest done (as of the date in view)
    on = day.isoformat()

    def save(ok: bool | None) -> None:
        if not ok:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import get_task
            from tracker.store.actions import reopen as take_back

            res = take_back(session=session, task=get_task(session=session, task_id=view.task_id),
                            rule=last.rule_index, key=last.key, expected_version=view.version)
            return t("reopen_msg", app.lang, task=res.task_number, rule=res.rule, key=res.key,
                     on=res.done_on.isoformat())

        app.write("reopen", do)

    what = Text(t("reopen_what", app.lang, task=view.number, rule=last.rule_index, key=last.key, on=on))
    app.push_screen(ConfirmDialog(t("reopen_title", app.lang), what, app.lang), save)


def _has_event_rule(view: TaskView) -> bool:
    return any(r.requirement.kind == "after_event" for r in view.rules)


def event(app: TrackerApp) -> None:
    """e: log an event (文件发布); its deadline shows at once in the message and the table."""
    view = app.current_view()
    if view is None:
        return
    if not _has_event_rule(view):
        app.notify(t("no_event_rule", app.lang), severity="warning")
        return

    def dialog_for(v: TaskView) -> EventDialog | None:
        return EventDialog(v, on=app.as_of, today=app.today, lang=app.lang) if _has_event_rule(v) else None

    def apply(v: TaskView, req: EventRequest) -> Callable[[Session], str]:
        def do(session: Session) -> str:
            from tracker.store.actions import get_task, log_event

            res = log_event(session=session, task=get_task(session=session, task_id=v.task_id), on=req.on,
                            ref=req.ref, rule=req.rule, expected_version=v.version)
            dues = "; ".join(t("due_on", app.lang, rule=k, due=d.isoformat() if d else "—") for k, d, _ in res.dues)
            return t("event_msg", app.lang, task=res.task_number, on=res.on.isoformat(), dues=dues)
        return do

    ask_and_write(app, "event", view, dialog_for, apply)


def note(app: TrackerApp) -> None:
    """n: add a progress note dated the as-of date (editable)."""
    view = app.current_view()
    if view is None:
        return

    def dialog_for(v: TaskView) -> NoteDialog:
        return NoteDialog(v, on=min(app.as_of, app.today), today=app.today, lang=app.lang)

    def apply(v: TaskView, req: NoteRequest) -> Callable[[Session], str]:
        def do(session: Session) -> str:
            from tracker.store.actions import add_note, get_task

            add_note(session=session, task=get_task(session=session, task_id=v.task_id), text=req.text, on=req.on,
                     expected_version=v.version)
            return t("note_msg", app.lang, task=v.number)
        return do

    ask_and_write(app, "note", view, dialog_for, apply)


def assign(app: TrackerApp) -> None:
    """a: lead and supporting units, chosen from the known ones or new."""
    view = app.current_view()
    if view is None:
        return
    owners = app.read(lambda: query.list_owners(app.conn))
    if owners is None:
        return
    known = [o.name for o in owners]

    def dialog_for(v: TaskView) -> AssignDialog:
        return AssignDialog(v, known, app.lang)

    def apply(v: TaskView, req: AssignRequest) -> Callable[[Session], str]:
        def do(session: Session) -> str:
            from tracker.store.actions import assign_owners, get_task

            changed = assign_owners(session=session, task=get_task(session=session, task_id=v.task_id),
                                    lead=req.lead, support=req.support, expected_version=v.version)
            return t("assign_msg", app.lang, task=v.number) if changed else t("no_change", app.lang)
        return do

    ask_and_write(app, "assign", view, dialog_for, apply)


def _can_waive(view: TaskView) -> bool:
    return bool(view.rules)


def waive(app: TrackerApp) -> None:
    """w: set a rule aside (不适用) with a reason, or lift a rule's waiver (it counts again)."""
    view = app.current_view()
    if view is None:
        return
    if not _can_waive(view):
        app.notify(t("no_rule", app.lang), severity="warning")
        return

    def dialog_for(v: TaskView) -> WaiveDialog | None:
        return WaiveDialog(v, app.lang) if _can_waive(v) else None

    def apply(v: TaskView, req: WaiveRequest) -> Callable[[Session], str]:
        def do(session: Session) -> str:
            from tracker.store.actions import get_task, lift_waiver
            from tracker.store.actions import waive as store_waive

            task = get_task(session=session, task_id=v.task_id)
            if req.lift:
                k, reason = lift_waiver(session=session, task=task, rule=req.rule, expected_version=v.version)
                return t("lift_msg", app.lang, task=v.number, rule=k, reason=reason)
            # Dated the as-of day (never after today), like done and note: looking at 2024-07-01,
            # a waiver recorded now must count as of that screen's date.
            k = store_waive(session=session, task=task, rule=req.rule, reason=req.reason,
                            on=min(app.as_of, app.today), expected_version=v.version)
            return t("waive_msg", app.lang, task=v.number, rule=k)
        return do

    ask_and_write(app, "waive", view, dialog_for, apply)


def rule(app: TrackerApp) -> None:
    """r: correct a rule the parser got wrong, add one, or remove one."""
    view = app.current_view()
    if view is None:
        return

    def dialog_for(v: TaskView) -> RuleDialog:
        return RuleDialog(v, app.lang)

    def apply(v: TaskView, req: RuleRequest) -> Callable[[Session], str]:
        def do(session: Session) -> str:
            from tracker.store.actions import correct_rule, get_task

            res = correct_rule(session=session, task=get_task(session=session, task_id=v.task_id), rule=req.rule,
                               add=req.add, remove=req.remove, changes=dict(req.changes), expected_version=v.version)
            return t("rule_msg", app.lang, task=v.number, rule=res.rule) if res.changed else t("no_change", app.lang)
        return do

    ask_and_write(app, "rule", view, dialog_for, apply)


class _Rehearsed(Exception):
    """Raised inside `_what_undo_reverses`'s transaction so that it rolls back; carries what
    `undo_last` said it reversed."""

    def __init__(self, summary: str) -> None:
        super().__init__(summary)
        self.summary = summary


def _what_undo_reverses(app: TrackerApp) -> str | None:
    """The summary of the action `u` would reverse now, or None (the reason shown) when none.

    Found by `undo_last` itself — the function `tracker undo` calls — in a transaction rolled
    back at once: the question then names exactly what OK reverses (the last action by audit
    order, passing over undo and repair lines; on PostgreSQL only the user's offices'), not the
    latest by time, which a clock or an entry stamped ahead (an old `tracker demo`) can make
    another one. Nothing is written; a refusal (nothing to undo, a migrate) is said now.
    """
    from tracker.store.actions import undo_last

    try:
        with app.store().transaction(who=app.who, action="undo") as session:
            raise _Rehearsed(undo_last(session=session))
    except _Rehearsed as rehearsed:
        return rehearsed.summary
    except TrackerError as exc:
        app.notify(exc.text(app.lang), severity="warning" if isinstance(exc, UsageError) else "error", timeout=10)
    except Exception as exc:  # a bug: rolled back by the transaction, logged, shown in one line
        app.report_bug(exc)
    return None


def undo(app: TrackerApp) -> None:
    """u: say what the last action was, and reverse it when confirmed (only it: if another action
    came in between, nothing is undone and the question is to be asked again)."""
    asked = _what_undo_reverses(app)
    if asked is None:
        return

    def save(ok: bool | None) -> None:
        if not ok:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import undo_last

            summary = undo_last(session=session)
            if summary != asked:  # rolled back by the transaction: nothing undone
                raise ConflictError(f"the last action is now {summary}, not the one you confirmed ({asked}); "
                                    "nothing was undone: press u again.",
                                    zh=f"最近一步已变为 {undo_summary(summary)}, 不是刚才确认的 "
                                       f"{undo_summary(asked)}; 没有撤销任何内容: 请重新按 u。")
            return t("undo_msg", app.lang, summary=undo_summary(summary, app.lang))

        app.write("undo", do)

    what = Text(t("undo_what", app.lang, what=undo_summary(asked, app.lang)))
    app.push_screen(ConfirmDialog(t("k_undo", app.lang), what, app.lang), save)


def export(app: TrackerApp) -> None:
    """x: write the ledger of the plan in view as of the as-of date — today when looking ahead: a
    ledger records what has happened (as `tracker export` refuses a date after today) — to the
    file `tracker export` would write (editable); the dialog says which date it is as of."""
    from tracker.export import ledger_path

    as_of = min(app.as_of, app.today)
    path = ledger_path(plan_id=app.plan_id, as_of=as_of)
    about = t("export_as_of" if as_of == app.as_of else "export_as_of_today", app.lang, day=as_of.isoformat())

    def check(p: Path) -> str | None:
        return None if p.suffix.lower() == ".xlsx" else t("not_xlsx", app.lang)

    def save(target: Path | None) -> None:
        if target is None:
            return
        from tracker.export import load_ledger, write_ledger

        try:
            with query.sql_errors():
                data = load_ledger(app.conn, as_of=as_of, title=app.plan_title(), plan_id=app.plan_id)
            result = write_ledger(data, target)
        except TrackerError as exc:
            app.notify(exc.text(app.lang), severity="error", timeout=10)
            return
        except Exception as exc:  # a bug in the export: logged, one line on screen
            app.report_bug(exc)
            return
        if result.reason:
            app.notify(t("export_moved", app.lang, path=result.path, reason=result.why(app.lang)), timeout=10)
        else:
            app.notify(t("export_done", app.lang, path=result.path), timeout=10)

    app.push_screen(PathDialog(t("k_export", app.lang), str(path), check, app.lang, hint=about), save)


def switch_plan(app: TrackerApp) -> None:
    """p: one plan, or all of them."""
    plans = app.read(lambda: query.list_plans(app.conn))
    if plans is None:
        return
    app.plans = plans

    def save(plan_id: int | None) -> None:
        if plan_id is not None:
            app.plan_id = plan_id or None

    app.push_screen(PlanDialog(app.plans, app.plan_id, app.lang), save)


def check_plan_file(path: Path, lang: str) -> str | None:
    """Why `path` cannot be imported (missing, a directory, an unknown kind), or None."""
    if not path.is_file():
        return t("no_such_file", lang)
    if path.suffix.lower() not in PLAN_SUFFIXES:
        return t("bad_plan_file", lang)
    return None


def import_plan(app: TrackerApp) -> None:
    """i: read, parse and import a plan file (a revised plan updates the stored one); show it."""

    def save(path: Path | None) -> None:
        if path is None:
            return
        try:
            from tracker.store.importer import read_plan

            draft, warnings = read_plan(path)
        except TrackerError as exc:
            app.notify(exc.text(app.lang), severity="error", timeout=10)
            return
        except OSError as exc:
            app.notify(t("cannot_read", app.lang, path=path, error=exc.strerror or exc), severity="error",
                       timeout=10)
            return
        imported: list[int] = []

        def do(session: Session) -> str:
            from tracker.store.actions import import_plan as store_import

            r = store_import(session=session, draft=draft, source_name=path.name)
            if r.plan_id is not None:
                imported.append(r.plan_id)
            if r.unchanged:
                return t("unchanged", app.lang, title=r.title)
            if r.created:
                return t("imported", app.lang, id=r.plan_id, title=r.title, tasks=r.tasks)
            return t("reimported", app.lang, id=r.plan_id, added=len(r.added), changed=len(r.changed),
                     removed=len(r.removed))

        if app.write("import", do) and imported:
            app.plan_id = imported[0]
            if warnings:  # what `tracker import` prints after 注意: — a rule to set, a table not read
                app.notify(import_warnings(warnings, app.lang), severity="warning", timeout=20)

    app.push_screen(PathDialog(t("k_import", app.lang), "", lambda p: check_plan_file(p, app.lang), app.lang),
                    save)


WARNINGS_SHOWN = 5
"""Warnings listed in the import notification; the rest are counted (`tracker parse FILE` lists all)."""


def import_warnings(warnings: Sequence[str], lang: str) -> str:
    """The parser's and reader's warnings of an import, as one notification in the TUI's language."""
    from tracker.notes import shown

    lines = [f"• {shown(w, lang)}" for w in warnings[:WARNINGS_SHOWN]]
    if len(warnings) > WARNINGS_SHOWN:
        lines.append(t("more_warnings", lang, n=len(warnings) - WARNINGS_SHOWN))
    return t("import_warnings", lang, n=len(warnings)) + "\n" + "\n".join(lines)


def change_as_of(app: TrackerApp) -> None:
    """t: look at the plan as of another date."""

    def save(day: date | None) -> None:
        if day is not None:
            app.as_of = day
            app.notify(t("as_of_msg", app.lang, day=day.isoformat()))

    app.push_screen(AsOfDialog(app.as_of, today=app.today, lang=app.lang), save)


def show_help(app: TrackerApp) -> None:
    """?: every key and what it does."""
    lang = app.lang
    keys = [("Enter", t("k_open", lang)), ("Esc", t("k_back", lang)), ("/", t("k_filter", lang)),
            ("s", t("k_sort", lang) + " (" + " → ".join(t(f"sort_{m}", lang) for m in
                                                     ("section", "due", "owner", "status")) + ")"),
            ("1 … 5", " · ".join(t(k, lang) for k in ("count_1", "count_2", "count_3", "count_4", "count_5"))),
            ("0", t("k_all", lang))]
    keys += [(b.key_display or b.key, t(b.description, lang)) for b in ACTION_BINDINGS]
    keys += [("o", t("k_reopen", lang))]
    keys += [("ctrl+p", "command palette" if lang == "en" else "命令面板"), ("q / ctrl+q", t("k_quit", lang))]
    app.push_screen(HelpScreen(keys, lang))
