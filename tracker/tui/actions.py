"""The daily actions: open the right dialog, then turn its answer into one store action.

Each function takes the running `TrackerApp`; writes go through `app.write`, i.e. one
`Store.transaction` and one `tracker.store.actions` call, exactly as the command line does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from tracker import query
from tracker.errors import TrackerError
from tracker.tui.keys import ACTION_BINDINGS
from tracker.tui.labels import t
from tracker.tui.screens.dialogs import (
    AsOfDialog,
    ConfirmDialog,
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
    from datetime import date

    from sqlmodel import Session

    from tracker.tui.app import TrackerApp

PLAN_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".xlsx")


def done(app: TrackerApp) -> None:
    """d: the done dialog for the current task; refused with a sentence when nothing is open."""
    view = app.current_view()
    if view is None:
        return
    if not any(open_obligations(view, r) and r.waived_reason is None for r in view.rules):
        app.notify(t("no_open", app.lang), severity="warning")
        return

    def save(req: DoneRequest | None) -> None:
        if req is None:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import mark_done

            res = mark_done(session=session, task=app.orm_task(session, view.task_id), rule=req.rule,
                            on=req.on, evidence=req.evidence)
            return t("done_msg", app.lang, task=res.task_number, rule=res.rule, key=res.key,
                     on=res.done_on.isoformat(), late=t("late", app.lang) if res.late else "")

        app.write("done", do)

    app.push_screen(DoneDialog(view, on=app.as_of, today=app.today, lang=app.lang), save)


def event(app: TrackerApp) -> None:
    """e: log an event (文件发布); its deadline shows at once in the message and the table."""
    view = app.current_view()
    if view is None:
        return
    if not any(r.requirement.kind == "after_event" for r in view.rules):
        app.notify(t("no_event_rule", app.lang), severity="warning")
        return

    def save(req: EventRequest | None) -> None:
        if req is None:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import log_event

            res = log_event(session=session, task=app.orm_task(session, view.task_id), on=req.on,
                            ref=req.ref, rule=req.rule)
            dues = "; ".join(t("due_on", app.lang, rule=k, due=d.isoformat() if d else "—") for k, d, _ in res.dues)
            return t("event_msg", app.lang, task=res.task_number, on=res.on.isoformat(), dues=dues)

        app.write("event", do)

    app.push_screen(EventDialog(view, on=app.as_of, today=app.today, lang=app.lang), save)


def note(app: TrackerApp) -> None:
    """n: add a progress note dated the as-of date (editable)."""
    view = app.current_view()
    if view is None:
        return

    def save(req: NoteRequest | None) -> None:
        if req is None:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import add_note

            task = app.orm_task(session, view.task_id)
            add_note(session=session, task=task, text=req.text, on=req.on)
            return t("note_msg", app.lang, task=view.number)

        app.write("note", do)

    app.push_screen(NoteDialog(view, on=app.as_of, today=app.today, lang=app.lang), save)


def assign(app: TrackerApp) -> None:
    """a: lead and supporting units, chosen from the known ones or new."""
    view = app.current_view()
    if view is None:
        return
    owners = app.read(lambda: query.list_owners(app.conn))
    if owners is None:
        return
    known = [o.name for o in owners]

    def save(req: AssignRequest | None) -> None:
        if req is None:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import assign_owners

            assign_owners(session=session, task=app.orm_task(session, view.task_id), lead=req.lead,
                          support=req.support)
            return t("assign_msg", app.lang, task=view.number)

        app.write("assign", do)

    app.push_screen(AssignDialog(view, known, app.lang), save)


def waive(app: TrackerApp) -> None:
    """w: set a rule aside (不适用) with a reason."""
    view = app.current_view()
    if view is None:
        return
    if not any(r.waived_reason is None for r in view.rules):
        app.notify(t("no_rule", app.lang), severity="warning")
        return

    def save(req: WaiveRequest | None) -> None:
        if req is None:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import waive as store_waive

            # Dated the as-of day (never after today), like done and note: looking at 2024-07-01,
            # a waiver recorded now must count as of that screen's date.
            k = store_waive(session=session, task=app.orm_task(session, view.task_id), rule=req.rule,
                            reason=req.reason, on=min(app.as_of, app.today))
            return t("waive_msg", app.lang, task=view.number, rule=k)

        app.write("waive", do)

    app.push_screen(WaiveDialog(view, app.lang), save)


def rule(app: TrackerApp) -> None:
    """r: correct a rule the parser got wrong, add one, or remove one."""
    view = app.current_view()
    if view is None:
        return

    def save(req: RuleRequest | None) -> None:
        if req is None:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import correct_rule

            k = correct_rule(session=session, task=app.orm_task(session, view.task_id), rule=req.rule,
                             add=req.add, remove=req.remove, changes=dict(req.changes))
            return t("rule_msg", app.lang, task=view.number, rule=k)

        app.write("rule", do)

    app.push_screen(RuleDialog(view, app.lang), save)


def undo(app: TrackerApp) -> None:
    """u: say what the last action was, and reverse it when confirmed."""
    log = app.read(lambda: query.audit_log(app.conn, limit=50))
    if log is None:
        return
    last = next((a for a in log if not a.undone and a.action != "undo"), None)
    if last is None:
        app.notify(t("nothing_to_undo", app.lang), severity="warning")
        return
    what = Text(t("undo_what", app.lang, what=f"{last.action} — {last.summary} ({last.who} {last.at[:16]})"))

    def save(ok: bool | None) -> None:
        if not ok:
            return

        def do(session: Session) -> str:
            from tracker.store.actions import undo_last

            return t("undo_msg", app.lang, summary=undo_last(session=session))

        app.write("undo", do)

    app.push_screen(ConfirmDialog(t("k_undo", app.lang), what, app.lang), save)


def export(app: TrackerApp) -> None:
    """x: write the ledger of the plan in view as of the as-of date; the path is editable."""
    from tracker.export import default_path

    path = default_path(plan=app.plan_title(), as_of=app.as_of)

    def check(p: Path) -> str | None:
        return None if p.suffix.lower() == ".xlsx" else t("not_xlsx", app.lang)

    def save(target: Path | None) -> None:
        if target is None:
            return
        from tracker.export import load_ledger, write_ledger

        try:
            with query.sql_errors():
                data = load_ledger(app.conn, as_of=app.as_of, title=app.plan_title(), plan_id=app.plan_id)
            result = write_ledger(data, target)
        except TrackerError as exc:
            app.notify(str(exc), severity="error", timeout=10)
            return
        except Exception as exc:  # a bug in the export: logged, one line on screen
            app.report_bug(exc)
            return
        if result.reason:
            app.notify(t("export_moved", app.lang, path=result.path, reason=result.reason), timeout=10)
        else:
            app.notify(t("export_done", app.lang, path=result.path), timeout=10)

    app.push_screen(PathDialog(t("k_export", app.lang), str(path), check, app.lang), save)


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
            from tracker.ingest import read_document
            from tracker.parse import parse

            draft = parse(read_document(path).text)
        except TrackerError as exc:
            app.notify(str(exc), severity="error", timeout=10)
            return
        except OSError as exc:
            app.notify(f"cannot read {path}: {exc.strerror or exc}.", severity="error", timeout=10)
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

    app.push_screen(PathDialog(t("k_import", app.lang), "", lambda p: check_plan_file(p, app.lang), app.lang),
                    save)


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
    keys += [("ctrl+p", "command palette" if lang == "en" else "命令面板"), ("q / ctrl+q", t("k_quit", lang))]
    app.push_screen(HelpScreen(keys, lang))
