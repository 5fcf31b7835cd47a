"""The command line: argv → one command, loaded on demand; errors → one sentence and an exit code.

This is the only module that knows every command. Each command is a "module:function" string
in `COMMANDS`, imported only when that command runs, so `tracker remind` from cron pays for
argparse and sqlite3 and nothing else (textual costs ~181 ms, sqlmodel ~335 ms, openpyxl ~96 ms
to import here). It is also the only place that reads the clock: "today" is resolved once and
passed down. Help and argparse's usage errors are in the user's language, Chinese unless `--lang en`
or TRACKER_LANG=en: peeked in argv, as the command is, before the one parser is built (`h(zh, en)`).

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
from typing import Any, NoReturn, TextIO

from tracker import __version__
from tracker.commands import Context, terminal_text
from tracker.errors import INTERNAL_ERROR_EXIT, TrackerError

_Chooser = Callable[[str, str], str]
"""Picks the text of the language being shown: `h(zh, en)`."""

COMMANDS: dict[str, str] = {
    "parse": "tracker.commands.parse_cmd:run",
    "import": "tracker.commands.import_cmd:run",
    "plans": "tracker.commands.read_cmds:plans",
    "tasks": "tracker.commands.read_cmds:tasks",
    "show": "tracker.commands.read_cmds:show",
    "done": "tracker.commands.write_cmds:done",
    "reopen": "tracker.commands.write_cmds:reopen",
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


class _ChineseHelpFormatter(_HelpFormatter):
    """`_HelpFormatter` saying "用法: " and wrapping by terminal columns, a Chinese character taking two."""

    def _format_usage(self, usage: str | None, actions: Any, groups: Any,  # noqa: ANN401 - argparse's own
                      prefix: str | None) -> str:
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        # "用法: " takes 6 columns in 4 characters: laid out with 6, so that continued lines line up
        return "用法: " + super()._format_usage(usage, actions, groups, "usage ").removeprefix("usage ")

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = _wrap(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)


_WIDE = "\u2e80"
"""From here on (CJK, full-width forms) a character takes two terminal columns; close enough for help."""


def _columns(text: str) -> int:
    return sum(2 if ch >= _WIDE else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken at a space or beside a Chinese character,
    never inside an option name or a value (2024年10月8日 and today/今天 included), before "," ")" "。"
    "…" nor after "("."""
    words: list[str] = []
    spaced: list[bool] = []  # whether a space comes before the word
    space = False
    for ch in text:
        if ch == " ":
            space = True
            continue
        word = words[-1] if words and not space else ""
        last = word[-1:]
        # a value begun in ASCII letters or digits goes on whole: 2024年10月8日, today/今天, all/全部
        if last and (ch in ",;:.)。、…" or last in "(“" or (ch < _WIDE and last < _WIDE)
                     or (word[0].isascii() and word[0].isalnum())):
            words[-1] += ch
        else:
            words.append(ch)
            spaced.append(space)
        space = False
    lines: list[str] = []
    line, used = "", 0
    for word, space_before in zip(words, spaced, strict=True):
        gap = 1 if space_before and line else 0
        if line and used + gap + _columns(word) > width:
            lines.append(line)
            line, used = word, _columns(word)
        else:
            line, used = line + " " * gap + word, used + gap + _columns(word)
    return [*lines, line] if line else lines


def _usage_error_zh(message: str) -> str:
    """argparse's usage error in Chinese, one sentence ("argument --as-of: expected one argument" →
    "--as-of 缺少参数值。"); a message of another shape is left as it is."""
    name, rest = "", message
    if message.startswith("argument ") and ": " in message:
        name, _, rest = message.removeprefix("argument ").partition(": ")
    head, choose, choices = rest.rpartition(" (choose from ")
    if rest.startswith("invalid choice: ") and choose:
        value = head.removeprefix("invalid choice: ")
        listing = f"(可选: {choices.removesuffix(')')})"
        if name == "COMMAND":
            return f"没有命令 {value} {listing}。"
        return f"{name} 的取值 {value} 无效 {listing}。"
    if rest.startswith("invalid int value: "):
        return f"{name} 应为整数, 不能是 {rest.removeprefix('invalid int value: ')}。"
    if rest.startswith("ambiguous option: ") and " could match " in rest:
        option, _, matches = rest.removeprefix("ambiguous option: ").partition(" could match ")
        *some, last = matches.split(", ")
        return f"选项 {option} 有歧义, 可能是 {'、'.join(some)} 或 {last}。" if some else \
            f"选项 {option} 有歧义, 可能是 {last}。"
    for en, zh in (("the following arguments are required: ", "缺少必需的参数: "),
                   ("unrecognized arguments: ", "无法识别的参数: ")):
        if rest.startswith(en):
            return f"{zh}{rest.removeprefix(en)}。"
    if rest == "expected one argument":
        return f"{name} 缺少参数值。"
    if rest.startswith("ignored explicit argument "):
        return f"{name} 不接受取值: {rest.removeprefix('ignored explicit argument ')}。"
    return f"{name} {rest}" if name else rest


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that formats with `_HelpFormatter`; its subcommands' parsers are `_Parser`s
    too (argparse makes them of the parent's class). In English: argparse's own wording."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _HelpFormatter(prog=self.prog)


class _ChineseParser(_Parser):
    """`_Parser` in Chinese: section headings, usage, -h/--help and usage errors (still exit 2)."""

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401 - argparse's own keywords
        super().__init__(add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "位置参数", "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _ChineseHelpFormatter(prog=self.prog)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 命令行有误: {_usage_error_zh(message)}\n")


def _add_expected_version(p: argparse.ArgumentParser, h: _Chooser) -> None:
    p.add_argument("--expected-version", type=int, metavar="N",
                   help=h("仅当任务仍是此版本时写入 (见 `tracker show --json`); 否则退出码为 6, 不做修改",
                          "write only if the task is still at this version (`tracker show --json` prints it); "
                          "else exit 6 and change nothing"))


def _add_common(p: argparse.ArgumentParser, h: _Chooser, *, plan: str, as_of: bool = True,
                json: bool = True) -> None:
    """--as-of, --plan (its help `plan`: the plans differ by command) and --json."""
    if as_of:
        p.add_argument("--as-of", metavar="DATE", help=_dated(h, "按此日期计算状态 (默认今天)",
                                                              "evaluate as of this date (default today)"))
    p.add_argument("--plan", metavar="P", help=plan)
    if json:
        p.add_argument("--json", action="store_true", help=h("以 JSON 输出 (格式固定, 供脚本使用)",
                                                             "print stable JSON for scripts"))


_DATE_FORMS = "2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, today/今天, yesterday/昨天"
"""How a DATE may be written (`tracker.dates.parse_date`), said in the help of each DATE option."""


def _dated(h: _Chooser, zh: str, en: str) -> str:
    """The help of an option taking a DATE: what it is, then the forms a date may be written in."""
    return h(f"{zh}; DATE 可写作 {_DATE_FORMS}", f"{en}; DATE as {_DATE_FORMS}")


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


def _lang_in(argv: Sequence[str]) -> str | None:
    """The value of the top-level `--lang` in `argv`, if given before the command (peeked, as the
    command is, so that the parser is built in the user's language)."""
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--lang":
            return argv[i + 1] if i + 1 < len(argv) else None
        elif arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        elif arg == "--db":
            skip = True
        elif not arg.startswith("-"):
            return None
    return None


def _build_parser(only: str | None = None, lang: str = "zh") -> argparse.ArgumentParser:
    """The whole command line, its help in `lang` ("zh" or "en"); with `only`, the parser of that
    one command (the rest skipped)."""

    def h(zh: str, en: str) -> str:
        return en if lang == "en" else zh

    parser = (_Parser if lang == "en" else _ChineseParser)(
        prog="tracker",
        description=h("tracker: 政务公开工作要点跟踪 — 解析工作要点, 按工作日历排定期限, 记录进展, "
                      "提醒责任单位, 导出月度工作台账。",
                      "政务公开工作要点 tracker: parse the plan, schedule it on the Chinese working-day "
                      "calendar, record progress, remind owners, export the monthly ledger."),
        epilog=h("退出码: 0 成功, 1 有逾期 (--fail-on-overdue), 2 命令行有误, 3 输入文件有误, 4 未找到, "
                 "5 数据库出错, 6 冲突, 7 邮件发送失败, 8 输出文件出错, 70 内部错误。",
                 "Exit codes: 0 ok, 1 overdue (--fail-on-overdue), 2 usage, 3 bad input, 4 not found, "
                 "5 database, 6 conflict, 7 mail, 8 output file, 70 internal error."),
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}",
                        help=h("显示版本号并退出", "show program's version number and exit"))
    parser.add_argument("--db", metavar="PATH_OR_URL", help=h("数据库 (默认: $TRACKER_DB 或用户数据目录)",
                                                              "database (default: $TRACKER_DB or the "
                                                              "per-user data dir)"))
    parser.add_argument("--lang", choices=["zh", "en"], help=h("输出语言 (默认: $TRACKER_LANG 或 zh)",
                                                               "language of output (default: $TRACKER_LANG "
                                                               "or zh)"))
    # prog given, as argparse would compute it (the parser's prog and its positionals, none here):
    # computing it formats a usage line, which would ask for the terminal width (`_HelpFormatter`)
    sub: Any = _OnlySome(parser.add_subparsers(dest="command", metavar="COMMAND", prog="tracker",
                                               help=h("要运行的命令", "the command to run")), only)
    # texts several commands share (choosing one costs nothing: no formatting until --help)
    task = h("任务编号 (如 8; 数据库中只有一个计划或给了 --plan 时), 或 PLAN:NUMBER (如 1:8)",
             "the task's number (e.g. 8; when one plan is stored, or with --plan), or PLAN:NUMBER (e.g. 1:8)")
    plan_of_task = h("任务所属的计划: ID、年度或标题中的文字; 存有多个计划且任务未写成 PLAN:NUMBER 时需要",
                     "the plan the task is in: id, year, or part of its title; needed when several plans "
                     "are stored and the task is not given as PLAN:NUMBER")
    json = h("以 JSON 输出 (格式固定, 供脚本使用)", "print stable JSON for scripts")
    within = h("到期前多少个工作日内算临期 (默认 5)", "due-soon window in working days (default 5)")

    p = sub.add_parser("parse", help=h("读取工作要点或年度报告, 显示识别结果",
                                       "read a plan or annual report and print what was found"))
    p.add_argument("file", help=h(".txt (UTF-8/GB18030/Big5), .docx, .html 或 .xlsx",
                                  ".txt (UTF-8/GB18030/Big5), .docx, .html or .xlsx"))
    p.add_argument("--json", action="store_true", help=h("以 JSON 输出解析结果", "print the parse contract as JSON"))

    p = sub.add_parser("import", help=h("将计划存入数据库 (再次导入即更新)",
                                        "store a plan in the database (re-import updates it)"))
    p.add_argument("file", help=h("工作要点或年度报告: .txt, .docx, .html 或 .xlsx (同 `tracker parse`)",
                                  "a plan or annual report: .txt, .docx, .html or .xlsx (as for `tracker parse`)"))
    p.add_argument("--year", type=int, help=h("计划的年度, 文件中未写明时用", "the plan's year, when the document "
                                                                           "does not say"))
    p.add_argument("--dry-run", action="store_true", help=h("只显示会有哪些改动, 不做修改",
                                                            "show what would change; change nothing"))
    p.add_argument("--json", action="store_true", help=h("以 JSON 输出导入结果 (新增、修改、删除的任务)",
                                                         "print the import report (tasks added, changed, removed) "
                                                         "as JSON"))

    p = sub.add_parser("plans", help=h("列出已存的计划", "list stored plans"))
    p.add_argument("--json", action="store_true", help=json)

    p = sub.add_parser("tasks", help=h("列出任务及其截至某日的状态", "list tasks with their status as of a date"))
    _add_common(p, h, plan=h("只列此计划的任务: ID、年度或标题中的文字 (默认所有计划; 数字不按标题查找)",
                             "only this plan's tasks: id, year, or part of its title (default every plan; "
                             "a number is never part of a title)"))
    p.add_argument("--status", help=h("overdue, due_soon, no_update, on_track, done, done_late, waived (或 逾期…)",
                                      "overdue, due_soon, no_update, on_track, done, done_late, waived (or 逾期…)"))
    p.add_argument("--owner", help=h("只列此责任单位 (牵头或配合) 的任务", "only tasks this unit leads or supports"))
    p.add_argument("--within", type=int, default=5, metavar="N", help=within)

    p = sub.add_parser("show", help=h("查看一项任务: 原文、规则、事项、进展、历史",
                                      "one task: text, rules, obligations, notes, history"))
    p.add_argument("task", help=task)
    _add_common(p, h, plan=plan_of_task)
    p.add_argument("--within", type=int, default=5, metavar="N", help=within)

    key = h("指定某一事项, 用 `tracker show` 显示的事项标识 (如 2024-Q1, event:3)",
            "one obligation, by its key as `tracker show` prints it (2024-Q1, event:3)")
    p = sub.add_parser("done", help=h("登记事项已完成", "record that an obligation was done"))
    p.add_argument("task", help=task)
    p.add_argument("--rule", type=int, metavar="K", help=h("哪条规则 (见 `tracker show`; 只有一条未设为不适用的规则时可省略)",
                                                           "which rule (see `tracker show`; may be omitted when "
                                                           "only one rule is not waived)"))
    p.add_argument("--owner", metavar="UNIT", help=h("规则按责任单位各计一项时: 登记此单位的事项 "
                                                     "(不给则登记最早到期的未完成事项, 不论哪个单位)",
                                                     "a per-owner rule: the open obligation of this unit "
                                                     "(without it: the earliest open one, whoever's)"))
    p.add_argument("--key", metavar="KEY", help=key)
    p.add_argument("--on", metavar="DATE", help=_dated(h, "完成日期 (默认今天; 不能晚于今天)",
                                                       "date done (default today; not after today)"))
    p.add_argument("--evidence", metavar="TEXT_OR_URL", help=h("完成佐证: 文字或网址 (如发布页面的链接)",
                                                               "evidence: text or a URL (e.g. the published page)"))
    p.add_argument("--by", metavar="WHO", help=h("登记人 (默认 $USER)", "who recorded it (default $USER)"))
    p.add_argument("--plan", help=plan_of_task)
    _add_expected_version(p, h)

    p = sub.add_parser("reopen", help=h("撤回一项误登记的完成 (该事项重新计为未完成; 之后的修改不受影响)",
                                        "take back a completion recorded by mistake (the obligation is open "
                                        "again; later changes stay)"))
    p.add_argument("task", help=task)
    p.add_argument("--rule", type=int, metavar="K", help=h("哪条规则 (见 `tracker show`; 任务只有一条规则时可省略)",
                                                           "which rule (see `tracker show`; may be omitted when "
                                                           "the task has one)"))
    p.add_argument("--owner", metavar="UNIT", help=h("规则按责任单位各计一项时: 撤回此单位最近完成的事项 "
                                                     "(不给则撤回该规则最近完成的事项, 不论哪个单位)",
                                                     "a per-owner rule: this unit's latest-completed obligation "
                                                     "(without it: the rule's latest-completed one, whoever's)"))
    p.add_argument("--key", metavar="KEY", help=key)
    p.add_argument("--plan", help=plan_of_task)
    _add_expected_version(p, h)

    p = sub.add_parser("event", help=h("登记起算期限的事件 (如某文件已印发)",
                                       "log an event that starts a deadline (a document was published)"))
    p.add_argument("task", help=task)
    p.add_argument("--on", metavar="DATE", required=True, help=_dated(h, "事件发生的日期 (必填)",
                                                                      "the day it happened (required)"))
    p.add_argument("--ref", help=h("文号, 如 济民发〔2024〕12号", "document reference, e.g. 济民发〔2024〕12号"))
    p.add_argument("--rule", type=int, metavar="K", help=h("由此事件起算的规则 (默认: 该任务所有由事件触发的规则)",
                                                           "the rule the event starts (default: every rule of "
                                                           "the task that starts on an event)"))
    p.add_argument("--plan", help=plan_of_task)
    _add_expected_version(p, h)

    p = sub.add_parser("note", help=h("添加一条进展 (进展情况)", "add a progress note (进展情况)"))
    p.add_argument("task", help=task)
    p.add_argument("text", help=h("进展内容 (含空格时加引号)", "what was done (in quotes if it has spaces)"))
    p.add_argument("--on", metavar="DATE", help=_dated(h, "进展日期 (默认今天; 不能晚于今天)",
                                                       "date of the note (default today; not after today)"))
    p.add_argument("--plan", help=plan_of_task)
    _add_expected_version(p, h)

    p = sub.add_parser("assign", help=h("设置任务的牵头单位和配合单位", "set a task's lead and supporting units"))
    p.add_argument("task", help=task)
    p.add_argument("--lead", action="append", required=True, metavar="UNIT",
                   help=h("牵头单位 (必填); 多个单位可重复此项, 或用 、 或 , 分隔",
                          "lead unit (required); for several, repeat it or separate them with 、 or ,"))
    p.add_argument("--support", action="append", default=[], metavar="UNIT",
                   help=h("配合单位, 写法同 --lead; 不给则任务不再有配合单位 (原有的责任单位整体替换)",
                          "supporting unit, as for --lead; without it the task has none (the task's owners "
                          "are replaced as a whole)"))
    p.add_argument("--plan", help=plan_of_task)
    _add_expected_version(p, h)

    p = sub.add_parser("waive", help=h("将规则设为不适用 (须说明理由), 或用 --lift 解除不适用",
                                       "waive a rule (不适用) with a reason, or --lift a waiver"))
    p.add_argument("task", help=task)
    p.add_argument("--rule", type=int, metavar="K", help=h("哪条规则 (见 `tracker show`; 任务只有一条规则时, "
                                                           "或用 --lift 且只有一条规则设为不适用时, 可省略)",
                                                           "which rule (see `tracker show`; may be omitted when "
                                                           "the task has one, or with --lift one waived)"))
    p.add_argument("--reason", help=h("不适用的理由 (除 --lift 外必填)",
                                      "why the rule does not apply (required unless --lift)"))
    p.add_argument("--lift", action="store_true", help=h("解除不适用: 该规则重新计入",
                                                         "lift the rule's waiver: it counts again"))
    p.add_argument("--plan", help=plan_of_task)
    _add_expected_version(p, h)

    p = sub.add_parser("rule", help=h("修正解析有误的规则, 或添加/删除规则",
                                      "correct a rule the parser got wrong, or add/remove one"))
    p.add_argument("task", help=task)
    p.add_argument("--rule", type=int, metavar="K", help=h("要修改的规则 (用 --add 时省略)",
                                                           "rule to change (omit with --add)"))
    p.add_argument("--add", action="store_true", help=h("添加一条规则", "add a new rule"))
    p.add_argument("--remove", action="store_true", help=h("删除该规则", "remove the rule"))
    p.add_argument("--kind", choices=["recurring", "after_event", "deadline", "ongoing"],
                   help=h("规则类型: recurring 按期重复, after_event 事件后若干日内, deadline 截止日期, "
                          "ongoing 持续 (每月报进展)",
                          "kind of rule: recurring (a count per period), after_event (within days of an "
                          "event), deadline (a fixed date), ongoing (a progress note each month)"))
    p.add_argument("--count", type=int, help=h("recurring: 每期次数", "recurring: how many times per period"))
    p.add_argument("--period", choices=["year", "half", "quarter", "month", "fortnight", "week"],
                   help=h("recurring: 周期 (year 年、half 半年、quarter 季度、month 月、fortnight 两周、week 周)", "recurring: the period"))
    p.add_argument("--workdays", type=int, help=h("after_event: 期限, 事件后的工作日数",
                                                  "after_event: the allowance in working days"))
    p.add_argument("--days", type=int, help=h("after_event: 期限, 事件后的自然日数 (原文写“日”而非“工作日”时)",
                                              "after_event: the allowance in calendar days (the text says 日, "
                                              "not 工作日)"))
    p.add_argument("--event", help=h("after_event: 起算的事件, 如 文件发布",
                                     "after_event: the event that starts the clock, e.g. 文件发布"))
    p.add_argument("--deadline", metavar="MM-DD", help=h("deadline: 截止月日, 如 12-31 (或 12/31, 12月31日)",
                                                         "deadline: the month-day, e.g. 12-31 (or 12/31, 12月31日)"))
    p.add_argument("--year-offset", type=int, help=h("deadline: 0 为计划当年, 1 为次年",
                                                     "deadline: 0 for the plan's year, 1 for the next year"))
    p.add_argument("--due-day", type=int, help=h("recurring: 每期最后一个月的到期日 (每月10日前 即 10; 未设则为月末)",
                                                 "recurring: the day of the period's last month it is due "
                                                 "(每月10日前 → 10; unset: the month's last day)"))
    p.add_argument("--per-owner", choices=["yes", "no"], help=h("yes: 每个责任单位各有一项事项; no: 整个任务共一项",
                                                                "yes: one obligation per owner of the task; "
                                                                "no: one for the whole task"))
    p.add_argument("--what", help=h("要做什么, 一个短语 (如 关联发布解读材料)",
                                    "what must be done, a short phrase (e.g. 关联发布解读材料)"))
    p.add_argument("--plan", help=plan_of_task)
    _add_expected_version(p, h)

    p = sub.add_parser("owners", help=h("列出责任单位; 设置单位的邮箱", "list units; set a unit's mail address"))
    p.add_argument("unit", nargs="?", help=h("单位名称: 只列此单位; 与 --email 一起用时设置它的邮箱",
                                             "a unit's name: list only it; with --email, set its address"))
    p.add_argument("--email", help=h("接收提醒的邮箱地址 (\"\" 清除); 须同时给出单位名称",
                                     "address reminders go to (\"\" clears it); needs the unit's name"))
    p.add_argument("--json", action="store_true", help=json)

    sub.add_parser("undo", help=h("撤销上一次修改", "reverse the last change"))

    p = sub.add_parser("log", help=h("操作记录", "the audit trail"))
    p.add_argument("--limit", type=int, default=30, help=h("显示最近几次操作, 最新的在前 (默认 30)",
                                                           "how many of the last actions, newest first "
                                                           "(default 30)"))
    p.add_argument("--json", action="store_true", help=json)

    p = sub.add_parser("calendar", help=h("工作日历: 查看某年, 添加调整",
                                          "working-day calendar: show a year, add overrides"))
    csub = p.add_subparsers(dest="calendar_command", metavar="ACTION", required=True, prog="tracker calendar",
                            help=h("要做的操作", "what to do"))
    c = csub.add_parser("show", help=h("某年的节假日和调休上班日", "holidays and make-up workdays of a year"))
    c.add_argument("year", type=int, help=h("年份, 如 2027", "the year, e.g. 2027"))
    c.add_argument("--json", action="store_true", help=json)
    c = csub.add_parser("set", help=h("将某日设为放假或上班", "mark a date as holiday or workday"))
    c.add_argument("date", help=_dated(h, "要调整的日期", "the date to mark"))
    c.add_argument("kind", metavar="KIND", help=h("holiday (放假, 休息) 或 workday (上班, 调休)",
                                                  "holiday (放假, 休息) or workday (上班, 调休)"))
    c.add_argument("--name", default="", help=h("名称, 如 元旦 (可省略)", "its name, e.g. 元旦 (optional)"))
    c = csub.add_parser("import", help=h("从文件导入日历调整 (每行: 日期,类型[,名称]; 类型 = holiday|workday|放假|上班…; "
                                         "UTF-8 或 GB18030)",
                                         "read date,kind[,name] lines (kind = holiday|workday|放假|上班…; "
                                         "UTF-8 or GB18030)"))
    c.add_argument("file", help=h("每行一日, 如 2027-01-01,放假,元旦 (日期只能写成 2027-01-01; # 开头的行忽略); "
                                  "全部导入或全不导入",
                                  "one day a line, e.g. 2027-01-01,holiday,元旦 (the date as 2027-01-01 only; "
                                  "lines starting with # are skipped); all lines or none"))

    p = sub.add_parser("demo", help=h("新建演示数据库: 示例计划和部分进展",
                                      "a fresh database with the example plan and some progress"))
    p.add_argument("--force", action="store_true", help=h("替换已有的数据库", "replace an existing database"))

    p = sub.add_parser("remind", help=h("按责任单位列出逾期和临近到期的事项 (供 cron 使用)",
                                        "what is overdue or due soon, per owner (for cron)"))
    _add_common(p, h, json=False, plan=h("只提醒此计划的事项: ID、年度或标题中的文字 (默认所有计划)",
                                         "only this plan's items: id, year, or part of its title (default every plan)"))
    p.add_argument("--within", type=int, default=5, metavar="N", help=h("提前的工作日数 (默认 5)",
                                                                        "working days ahead (default 5)"))
    p.add_argument("--owner", help=h("只提醒此责任单位", "only this unit's reminders"))
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help=h("输出格式 (默认 text); json 在休息日和无事项时也输出; 与 --mail, --dry-run 同用时不起作用",
                          "output format (default text); json is printed on days off and when nothing is due "
                          "too; ignored with --mail or --dry-run"))
    p.add_argument("--mail", action="store_true", help=h("给每个责任单位发一封邮件, 另发一份汇总",
                                                         "send one mail per owner and a digest"))
    p.add_argument("--dry-run", action="store_true", help=h("显示 --mail 将要发送的邮件, 但不发送 (不必另加 --mail)",
                                                            "show the mails --mail would send, sending none "
                                                            "(--mail not needed)"))
    p.add_argument("--force", action="store_true", help=h("今天已发送过也重新发送", "send again even if sent today"))
    p.add_argument("--fail-on-overdue", action="store_true", help=h("有逾期时退出码为 1",
                                                                    "exit 1 when anything is overdue"))
    p.add_argument("--every-day", action="store_true", help=h("周末和节假日也提醒",
                                                              "also speak on weekends and holidays"))
    p.add_argument("--escalate-after", type=int, default=5, metavar="N",
                   help=h("逾期几个工作日后报告领导 (默认 5)",
                          "working days overdue before leadership is told (default 5)"))

    p = sub.add_parser("export", help=h("导出月度 Excel 工作台账", "write the monthly Excel ledger (工作台账)"))
    p.add_argument("--month", metavar="YYYY-MM", help=h("截至该月最后一天 (本月尚未结束时截至今天), 如 2024-07 或 "
                                                        "2024年7月 (不能与 --as-of 同用)",
                                                        "as of the month's last day (today, for the month still "
                                                        "running), e.g. 2024-07 or 2024年7月 (not with --as-of)"))
    p.add_argument("--as-of", metavar="DATE", help=_dated(h, "截至此日期, 不晚于今天 (默认今天)",
                                                          "as of this date, not after today (default today)"))
    p.add_argument("--plan", help=h("计划: ID、年度或标题中的文字, 或 all/全部 (所有计划); 数据库中只有一个计划时可省略",
                                    "the plan: id, year, or part of its title, or all/全部 (every plan); "
                                    "may be omitted when one plan is stored"))
    p.add_argument("--owner", help=h("只含此单位 (牵头或配合) 的任务", "only the tasks this unit leads or supports"))
    p.add_argument("--for-owner", metavar="O", help=h("生成供某单位填写后交回的工作台账",
                                                      "a workbook for one office to fill and return"))
    p.add_argument("--out", metavar="PATH", help=h("输出文件, 或目录 (其中按默认方式命名); 默认: exports/ 目录中, "
                                                   "按计划 ID、年月 (及单位) 命名的 .xlsx, 如 1-2024-07-工作台账.xlsx",
                                                   "output file, or a folder (the default name in it); default "
                                                   "exports/<plan id>-<YYYY-MM>-工作台账.xlsx, with the unit's name "
                                                   "when one is given"))

    p = sub.add_parser("import-progress", help=h("导入各单位填写后交回的工作台账",
                                                 "read back a ledger the offices filled in"))
    p.add_argument("file", help=h("单位填好交回的 .xlsx (由 `tracker export --for-owner` 生成)",
                                  "the .xlsx an office filled in (made by `tracker export --for-owner`)"))
    p.add_argument("--yes", action="store_true", help=h("不询问, 直接应用", "apply without asking"))

    p = sub.add_parser("backup", help=h("备份数据库 (使用中也可安全备份)", "copy the database safely while it is in use"))
    p.add_argument("--out", metavar="PATH", help=h("备份文件, 或目录 (其中按日期命名); 默认为数据库所在目录下的 "
                                                   "backups/tracker-YYYYMMDD-HHMMSS.db",
                                                   "backup file, or a folder (a dated name in it); default "
                                                   "backups/tracker-YYYYMMDD-HHMMSS.db beside the database"))
    p.add_argument("--keep", type=int, metavar="N", help=h("保留 N 天内的带日期备份 (默认 30; 最新一份总保留); "
                                                           "给出即清理更早的, 不必加 --auto",
                                                           "keep N days of dated backups (default 30; the newest "
                                                           "is always kept); giving it prunes older ones, even "
                                                           "without --auto"))
    p.add_argument("--auto", action="store_true", help=h("每天至多一次 (供 cron 使用; --out 为文件时不检查); "
                                                         "并清理旧备份",
                                                         "once a day at most (for cron; not checked when --out "
                                                         "names a file); prunes old ones"))

    p = sub.add_parser("restore", help=h("用检查过的备份替换数据库 (当前数据库另行保留)",
                                         "replace the database with a checked backup (the current one is kept aside)"))
    p.add_argument("file", help=h("备份文件 (替换前先检查)", "the backup file (checked before anything is replaced)"))
    p.add_argument("--yes", action="store_true", help=h("不询问", "do not ask"))

    p = sub.add_parser("check", help=h("检查完整性和一致性, 并说明如何处理",
                                       "integrity and consistency checks, with what to do"))
    p.add_argument("--json", action="store_true", help=json)
    p.add_argument("--repair", action="store_true",
                   help=h("按规则重算到期日 (一次修改, 记入操作记录; 撤销时跳过它)",
                          "recompute the due dates from the rules (one audited change; undo passes over it)"))

    p = sub.add_parser("migrate", help=h("将本地 SQLite 数据库复制到共享数据库 (PostgreSQL); 再次运行只复制新增部分",
                                         "copy a local SQLite database into a shared one (PostgreSQL); "
                                         "re-runs copy only what is new"))
    p.add_argument("source", metavar="SOURCE_URL", help=h("源数据库, 如 sqlite:///path/tracker.db",
                                                          "e.g. sqlite:///path/tracker.db"))
    p.add_argument("target", metavar="TARGET_URL", help=h("目标数据库, 如 postgresql+psycopg://user@host/tracker",
                                                          "e.g. postgresql+psycopg://user@host/tracker"))
    p.add_argument("--office", help=h("复制的计划所属的机关 (默认: 源数据库中的机关, 或 'default')",
                                      "office the copied plans belong to (default: the source's, or 'default')"))
    p.add_argument("--create-office", action="store_true",
                   help=h("目标数据库没有该机关时, 新建 --office 指定的机关",
                          "create --office on the target if it has no office of that name"))

    p = sub.add_parser("users", help=h("机关及其协调人 (PostgreSQL 访问控制)",
                                       "offices and their coordinators (PostgreSQL access control)"))
    p.add_argument("action", choices=["list", "add-office", "add-user", "grant", "revoke"], metavar="ACTION",
                   help=h("list 列出机关和用户; add-office NAME 添加机关; add-user NAME 添加用户; "
                          "grant/revoke USER OFFICE 准许/取消用户访问某机关",
                          "list offices and users; add-office NAME; add-user NAME; grant/revoke USER OFFICE: "
                          "let a user use an office, or no longer"))
    p.add_argument("names", nargs="*", help=h("机关名和/或用户名, 视操作而定",
                                              "office and/or user names, as the action needs"))
    p.add_argument("--admin", action="store_true", help=h("用于 add-user: 可查看所有机关的市级协调人",
                                                          "with add-user: a city coordinator who sees every office"))
    p.add_argument("--json", action="store_true", help=h("用于 list: 以 JSON 输出 (格式固定, 供脚本使用)", "with list: print stable JSON"))

    p = sub.add_parser("tui", help=h("协调人的终端界面", "the coordinator's terminal UI"))
    p.add_argument("--plan", help=h("先打开的计划: ID、年度或标题中的文字 (默认最新的计划; 界面中按 p 切换)",
                                    "the plan shown first: id, year, or part of its title (default the newest; "
                                    "p switches)"))
    p.add_argument("--as-of", metavar="DATE", help=_dated(h, "按此日期显示状态 (默认今天; 界面中按 t 更改)",
                                                          "show the status as of this date (default today; "
                                                          "t changes it)"))
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
    from tracker.settings import resolve_db, resolve_lang

    parser = _build_parser(_command_in(argv), resolve_lang(_lang_in(argv)))  # help in the user's language
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(out)
        return 0
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

