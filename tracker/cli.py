"""The command line: argv → one command, loaded on demand; errors → one sentence and an exit code.

This is the only module that knows every command. Each command is a "module:function" string
in `COMMANDS`, imported only when that command runs, so `tracker remind` from cron pays for
argparse and sqlite3 and nothing else (textual costs ~181 ms, sqlmodel ~335 ms, openpyxl ~96 ms
to import here). It is also the only place that reads the clock: "today" is resolved once and
passed down.

Exit codes: 0 ok · 1 overdue items (with --fail-on-overdue) · 2 usage · 3 bad input file ·
4 not found · 5 database · 6 conflict · 7 delivery (mail) · 8 output file · 70 internal error ·
130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TextIO

from tracker import __version__
from tracker.commands import Context, terminal_text
from tracker.errors import INTERNAL_ERROR_EXIT, TrackerError

COMMANDS: dict[str, str] = {
    "parse": "tracker.commands.parse_cmd:run",
    "import": "tracker.commands.import_cmd:run",
    "plans": "tracker.commands.read_cmds:plans",
    "tasks": "tracker.commands.read_cmds:tasks",
    "show": "tracker.commands.read_cmds:show",
    "done": "tracker.commands.write_cmds:done",
    "event": "tracker.commands.write_cmds:event",
    "note": "tracker.commands.write_cmds:note",
    "assign": "tracker.commands.write_cmds:assign",
    "waive": "tracker.commands.write_cmds:waive",
    "rule": "tracker.commands.write_cmds:rule",
    "owners": "tracker.commands.write_cmds:owners",
    "undo": "tracker.commands.write_cmds:undo",
    "log": "tracker.commands.read_cmds:log",
    "calendar": "tracker.commands.calendar_cmd:run",
    "demo": "tracker.commands.demo_cmd:run",
    "remind": "tracker.commands.remind_cmd:run",
    "export": "tracker.commands.export_cmd:run",
    "import-progress": "tracker.commands.export_cmd:import_progress",
    "tui": "tracker.commands.tui_cmd:run",
    "backup": "tracker.commands.maintenance_cmd:backup",
    "restore": "tracker.commands.maintenance_cmd:restore",
    "check": "tracker.commands.maintenance_cmd:check",
    "migrate": "tracker.commands.migrate_cmd:run",
    "users": "tracker.commands.users_cmd:run",
}


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, asking for the terminal width only when it really formats help.

    argparse builds a formatter for every `add_argument` (to check the metavar), and the stock
    one asks `shutil.get_terminal_size()` in `__init__`, so merely building the parser loaded
    `shutil` (~3 ms) on every run. Here the width is looked up in `format_help`, which runs only
    for --help, --version, a usage error, or `tracker` alone; the layout is computed there too.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        self._measure = width is None
        self._wanted_help_position = max_help_position
        super().__init__(prog, indent_increment, max_help_position, width if width is not None else 80)

    def format_help(self) -> str:
        """The help text, laid out for the terminal's width (as argparse's own formatter does)."""
        if self._measure:
            import shutil

            self._width = shutil.get_terminal_size().columns - 2
            self._max_help_position = min(self._wanted_help_position,
                                          max(self._width - 20, self._indent_increment * 2))
            self._measure = False
        return super().format_help()


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that formats with `_HelpFormatter`; its subcommands' parsers are `_Parser`s
    too (argparse makes them of the parent's class)."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _HelpFormatter(prog=self.prog)


def _add_expected_version(p: argparse.ArgumentParser) -> None:
    p.add_argument("--expected-version", type=int, metavar="N",
                   help="write only if the task is still at this version (`tracker show --json` prints it); "
                        "else exit 6 and change nothing")


def _add_common(p: argparse.ArgumentParser, *, as_of: bool = True, plan: bool = True,
                json: bool = True) -> None:
    if as_of:
        p.add_argument("--as-of", metavar="DATE", help="evaluate as of this date (default today)")
    if plan:
        p.add_argument("--plan", metavar="P", help="plan id, year, or part of its title (a number is never part of a title)")
    if json:
        p.add_argument("--json", action="store_true", help="print stable JSON for scripts")


class _Skipped:
    """Stands in for the parser of a command that is not being run: takes its arguments, keeps none."""

    def __getattr__(self, _name: str) -> Callable[..., _Skipped]:
        return lambda *_args, **_kwargs: self


class _OnlySome:
    """`add_subparsers()`'s result, building only the parsers of `wanted` (all when None).

    Building all 25 commands' parsers took ~4 ms of every run; a run needs one.
    """

    def __init__(self, sub: Any, wanted: str | None) -> None:  # noqa: ANN401 - argparse's private action type
        self._sub, self._wanted = sub, wanted

    def add_parser(self, name: str, **kwargs: Any) -> Any:  # noqa: ANN401 - argparse's own signature
        if self._wanted is None or name == self._wanted:
            return self._sub.add_parser(name, **kwargs)
        return _Skipped()


def _command_in(argv: Sequence[str]) -> str | None:
    """The command `argv` names, if it names a known one plainly (else None: build every parser,
    so help, usage errors and "invalid choice" messages list them all)."""
    takes_value = {"--db", "--lang"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
        elif arg in ("-h", "--help", "--version"):
            return None
    return None


def _build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only`, the parser of that one command (the rest skipped)."""
    parser = _Parser(
        prog="tracker",
        description="政务公开工作要点 tracker: parse the plan, schedule it on the Chinese working-day "
        "calendar, record progress, remind owners, export the monthly ledger.",
        epilog="Exit codes: 0 ok, 1 overdue (--fail-on-overdue), 2 usage, 3 bad input, 4 not found, "
        "5 database, 6 conflict, 7 mail, 8 output file, 70 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help="database (default: $TRACKER_DB or the per-user data dir)")
    parser.add_argument("--lang", choices=["zh", "en"], help="language of output (default: $TRACKER_LANG or zh)")
    # prog given, as argparse would compute it (the parser's prog and its positionals, none here):
    # computing it formats a usage line, which would ask for the terminal width (`_HelpFormatter`)
    sub: Any = _OnlySome(parser.add_subparsers(dest="command", metavar="COMMAND", prog="tracker"), only)

    p = sub.add_parser("parse", help="read a plan or annual report and print what was found")
    p.add_argument("file", help=".txt (UTF-8/GB18030/Big5), .docx, .html or .xlsx")
    p.add_argument("--json", action="store_true", help="print the parse contract as JSON")

    p = sub.add_parser("import", help="store a plan in the database (re-import updates it)")
    p.add_argument("file")
    p.add_argument("--year", type=int, help="the plan's year, when the document does not say")
    p.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("plans", help="list stored plans")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tasks", help="list tasks with their status as of a date")
    _add_common(p)
    p.add_argument("--status", help="overdue, due_soon, no_update, on_track, done, done_late, waived (or 逾期…)")
    p.add_argument("--owner", help="only tasks of this unit")
    p.add_argument("--within", type=int, default=5, metavar="N", help="due-soon window in working days (default 5)")

    p = sub.add_parser("show", help="one task: text, rules, obligations, notes, history")
    p.add_argument("task", help="task number, or PLAN:NUMBER")
    _add_common(p)
    p.add_argument("--within", type=int, default=5, metavar="N")

    p = sub.add_parser("done", help="record that an obligation was done")
    p.add_argument("task")
    p.add_argument("--rule", type=int, metavar="K", help="which rule (see `tracker show`)")
    p.add_argument("--owner", metavar="UNIT", help="a per-owner rule: the open obligation of this unit")
    p.add_argument("--key", metavar="KEY", help="one obligation, by its key as `tracker show` prints it "
                                                "(2024-Q1, event:3)")
    p.add_argument("--on", metavar="DATE", help="date done (default today; not after today)")
    p.add_argument("--evidence", metavar="TEXT_OR_URL")
    p.add_argument("--by", metavar="WHO", help="who recorded it (default $USER)")
    p.add_argument("--plan")
    _add_expected_version(p)

    p = sub.add_parser("event", help="log an event that starts a deadline (a document was published)")
    p.add_argument("task")
    p.add_argument("--on", metavar="DATE", required=True)
    p.add_argument("--ref", help="document reference, e.g. 济民发〔2024〕12号")
    p.add_argument("--rule", type=int, metavar="K")
    p.add_argument("--plan")
    _add_expected_version(p)

    p = sub.add_parser("note", help="add a progress note (进展情况)")
    p.add_argument("task")
    p.add_argument("text")
    p.add_argument("--on", metavar="DATE")
    p.add_argument("--plan")
    _add_expected_version(p)

    p = sub.add_parser("assign", help="set a task's lead and supporting units")
    p.add_argument("task")
    p.add_argument("--lead", action="append", required=True, metavar="UNIT")
    p.add_argument("--support", action="append", default=[], metavar="UNIT")
    p.add_argument("--plan")
    _add_expected_version(p)

    p = sub.add_parser("waive", help="waive a rule (不适用) with a reason, or --lift a waiver")
    p.add_argument("task")
    p.add_argument("--rule", type=int, metavar="K")
    p.add_argument("--reason", help="why the rule does not apply (required unless --lift)")
    p.add_argument("--lift", action="store_true", help="lift the rule's waiver: it counts again")
    p.add_argument("--plan")
    _add_expected_version(p)

    p = sub.add_parser("rule", help="correct a rule the parser got wrong, or add/remove one")
    p.add_argument("task")
    p.add_argument("--rule", type=int, metavar="K", help="rule to change (omit with --add)")
    p.add_argument("--add", action="store_true", help="add a new rule")
    p.add_argument("--remove", action="store_true", help="remove the rule")
    p.add_argument("--kind", choices=["recurring", "after_event", "deadline", "ongoing"])
    p.add_argument("--count", type=int)
    p.add_argument("--period", choices=["year", "half", "quarter", "month", "fortnight", "week"])
    p.add_argument("--workdays", type=int)
    p.add_argument("--days", type=int)
    p.add_argument("--event")
    p.add_argument("--deadline", metavar="MM-DD", help="deadline month-day, e.g. 12-31")
    p.add_argument("--year-offset", type=int)
    p.add_argument("--due-day", type=int)
    p.add_argument("--per-owner", choices=["yes", "no"])
    p.add_argument("--what")
    p.add_argument("--plan")
    _add_expected_version(p)

    p = sub.add_parser("owners", help="list units; set a unit's mail address")
    p.add_argument("unit", nargs="?")
    p.add_argument("--email", help="address reminders go to")
    p.add_argument("--json", action="store_true")

    sub.add_parser("undo", help="reverse the last change")

    p = sub.add_parser("log", help="the audit trail")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("calendar", help="working-day calendar: show a year, add overrides")
    csub = p.add_subparsers(dest="calendar_command", metavar="ACTION", required=True, prog="tracker calendar")
    c = csub.add_parser("show", help="holidays and make-up workdays of a year")
    c.add_argument("year", type=int)
    c.add_argument("--json", action="store_true")
    c = csub.add_parser("set", help="mark a date as holiday or workday")
    c.add_argument("date")
    c.add_argument("kind", metavar="KIND", help="holiday (放假, 休息) or workday (上班, 调休)")
    c.add_argument("--name", default="")
    c = csub.add_parser("import", help="read date,kind[,name] lines (kind = holiday|workday|放假|上班…; UTF-8 or GB18030)")
    c.add_argument("file")

    p = sub.add_parser("demo", help="a fresh database with the example plan and some progress")
    p.add_argument("--force", action="store_true", help="replace an existing database")

    p = sub.add_parser("remind", help="what is overdue or due soon, per owner (for cron)")
    _add_common(p, json=False)
    p.add_argument("--within", type=int, default=5, metavar="N", help="working days ahead (default 5)")
    p.add_argument("--owner")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--mail", action="store_true", help="send one mail per owner and a digest")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--force", action="store_true", help="send again even if sent today")
    p.add_argument("--fail-on-overdue", action="store_true", help="exit 1 when anything is overdue")
    p.add_argument("--every-day", action="store_true", help="also speak on weekends and holidays")
    p.add_argument("--escalate-after", type=int, default=5, metavar="N",
                   help="working days overdue before leadership is told (default 5)")

    p = sub.add_parser("export", help="write the monthly Excel ledger (工作台账)")
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--as-of", metavar="DATE")
    p.add_argument("--plan")
    p.add_argument("--owner")
    p.add_argument("--for-owner", metavar="O", help="a workbook for one office to fill and return")
    p.add_argument("--out", metavar="PATH")

    p = sub.add_parser("import-progress", help="read back a ledger the offices filled in")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="apply without asking")

    p = sub.add_parser("backup", help="copy the database safely while it is in use")
    p.add_argument("--out", metavar="PATH", help="backup file (default: the backups dir, dated)")
    p.add_argument("--keep", type=int, metavar="N", help="keep N days of automatic backups (default 30)")
    p.add_argument("--auto", action="store_true", help="once a day at most (for cron); prunes old ones")

    p = sub.add_parser("restore", help="replace the database with a checked backup (the current one is kept aside)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="do not ask")

    p = sub.add_parser("check", help="integrity and consistency checks, with what to do")
    p.add_argument("--json", action="store_true")
    p.add_argument("--repair", action="store_true",
                   help="recompute the due dates from the rules (one audited change; undo passes over it)")

    p = sub.add_parser("migrate", help="copy a local SQLite database into a shared one (PostgreSQL); re-runs copy only what is new")
    p.add_argument("source", metavar="SOURCE_URL", help="e.g. sqlite:///path/tracker.db")
    p.add_argument("target", metavar="TARGET_URL", help="e.g. postgresql+psycopg://user@host/tracker")
    p.add_argument("--office", help="office the copied plans belong to (default: the source's, or 'default')")
    p.add_argument("--create-office", action="store_true",
                   help="create --office on the target if it has no office of that name")

    p = sub.add_parser("users", help="offices and their coordinators (PostgreSQL access control)")
    p.add_argument("action", choices=["list", "add-office", "add-user", "grant", "revoke"])
    p.add_argument("names", nargs="*", help="office and/or user names, as the action needs")
    p.add_argument("--admin", action="store_true", help="with add-user: a city coordinator who sees every office")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tui", help="the coordinator's terminal UI")
    p.add_argument("--plan")
    p.add_argument("--as-of", metavar="DATE")
    return parser


def _today(environ: os._Environ[str] | dict[str, str]) -> date:
    fixed = environ.get("TRACKER_TODAY")
    if not fixed:
        return date.today()
    from tracker.dates import parse_today

    return parse_today(fixed)


def load_command(name: str) -> Callable[[argparse.Namespace, Context], int]:
    """Import the module of one command and return its function (deferred import)."""
    module_name, _, func = COMMANDS[name].partition(":")
    module = importlib.import_module(module_name)
    handler: Callable[[argparse.Namespace, Context], int] = getattr(module, func)
    return handler


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run one command; return its exit code. Never lets a traceback reach the user."""
    out = terminal_text(out or sys.stdout)  # on a terminal, control characters in data are shown, not obeyed
    err = terminal_text(err or sys.stderr)
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(out)
        return 0
    from tracker.settings import resolve_db, resolve_lang

    lang = resolve_lang(args.lang)  # first: every message below is shown in it
    try:
        ctx = Context(today=_today(os.environ), db=resolve_db(args.db), lang=lang, out=out, err=err)
        return load_command(args.command)(args, ctx)
    except TrackerError as exc:
        print(f"tracker: {exc.text(lang)}", file=err)
        return exc.EXIT_CODE
    except KeyboardInterrupt:
        print("tracker: interrupted; nothing was half-written." if lang == "en" else
              "tracker: 已中断; 没有写入一半的数据。", file=err)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place a bug is caught: logged, not shown as a traceback
        from tracker.settings import log_unexpected

        where = log_unexpected(exc)
        if lang == "en":
            print(f"tracker: internal error ({type(exc).__name__}: {exc}); details in "
                  f"{where or '(the log could not be written)'}", file=err)
        else:
            print(f"tracker: 内部错误 ({type(exc).__name__}: {exc}); 详情见 {where or '(日志无法写入)'}",
                  file=err)
        return INTERNAL_ERROR_EXIT

