"""The command line's help and usage errors are in Chinese by default, in English with `--lang en` or
TRACKER_LANG=en: the language is peeked in argv (as the command is) before the parser is built."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from tracker.cli import COMMANDS, _build_parser, _lang_in, _usage_error_zh, _wrap, main

TARGETS = [(), *((name,) for name in COMMANDS), ("calendar", "show"), ("calendar", "set"), ("calendar", "import")]
"""Every parser: the top level, each command, calendar's actions."""

VALUES = {"tracker", "cron", "Excel", "SQLite", "PostgreSQL", "docx", "html", "xlsx", "holiday", "workday",
          "overdue", "due_soon", "no_update", "on_track", "done", "done_late", "waived"}
"""Words the Chinese help may show: names, file types, and values typed as they are (--status, KIND)."""


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`tracker ARGV` → (exit code, stdout, stderr), argparse's own exits included."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def parser_of(target: tuple[str, ...], lang: str) -> argparse.ArgumentParser:
    parser = _build_parser(target[0] if target else None, lang)
    for name in target:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    return parser


def names_in(parser: argparse.ArgumentParser) -> set[str]:
    """Every dest, metavar and choice of `parser` and the parsers below it."""
    found: set[str] = set()
    for action in parser._actions:
        found |= {action.dest, str(action.metavar), *(action.choices or ())}
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= names_in(sub)
    return found


def english_words(text: str, parser: argparse.ArgumentParser) -> set[str]:
    """Words of 4+ ASCII letters in `text` that are not an option, a metavar, a name the parser knows,
    a `tracker …` command, a quoted value, a path or URL, an environment variable or a known value."""
    text = re.sub(r"`[^`]*`|'[^']*'|\{[^}]*\}|\S*[:/]\S+|\w+/|\$\w+|(?<![A-Za-z0-9_])--?[\w-]+|tracker( [a-z-]+)*",
                  " ", text)
    words = set(re.findall(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]{3,}(?![A-Za-z0-9_])", text))
    names = {part for name in names_in(parser) for part in name.split("-")}
    return {w for w in words if not w.isupper()} - names - VALUES


@pytest.mark.parametrize(("argv", "lang"), [
    (["--lang", "en", "tasks"], "en"),
    (["--lang=en", "--help"], "en"),
    (["--db", "x.db", "--lang", "zh", "plans"], "zh"),
    (["--db", "--lang", "plans"], None),  # a database file called "--lang"
    (["tasks", "--lang", "en"], None),  # after the command: not the top-level option (a usage error)
    (["--lang"], None), ([], None),
])
def test_the_language_is_found_before_parsing(argv, lang):
    assert _lang_in(argv) == lang


def test_help_is_in_chinese_by_default(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("用法: tracker [-h] [--version] [--db PATH_OR_URL] [--lang {zh,en}] COMMAND ...\n")
    for line in ("位置参数:", "    tasks           列出任务及其截至某日的状态", "选项:",
                 "  -h, --help        显示本帮助并退出", "  --version         显示版本号并退出"):
        assert line in out.splitlines()
    assert "退出码: 0 成功, 1 有逾期 (--fail-on-overdue), 2 命令行有误" in out


@pytest.mark.parametrize(("argv", "env"), [
    (["--lang", "en", "--help"], None),
    (["--lang=en", "--help"], "zh"),  # --lang before TRACKER_LANG
    (["--help"], "en"),
    (["--help"], "en_US.UTF-8"),
])
def test_help_in_english_with_lang_en_or_tracker_lang(capsys, monkeypatch, argv, env):
    if env:
        monkeypatch.setenv("TRACKER_LANG", env)
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out.startswith("usage: tracker [-h] [--version] [--db PATH_OR_URL] [--lang {zh,en}]")
    assert {"positional arguments:", "options:"} <= set(out.splitlines())
    for text in ("list tasks with their status as of a date", "show this help message and exit",
                 "show program's version number and exit"):
        assert text in out
    assert "Exit codes: 0 ok, 1 overdue (--fail-on-overdue), 2 usage" in out


def test_lang_zh_overrides_tracker_lang_en(capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_LANG", "en")
    assert run(capsys, "--lang", "zh", "tasks", "--help")[1].startswith("用法: tracker tasks")


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: " ".join(target) or "tracker")
def test_every_help_in_chinese_has_no_english_sentence(capsys, target):
    code, out, _ = run(capsys, *target, "--help")
    assert code == 0
    assert out.startswith(" ".join(("用法: tracker", *target)))
    assert "  -h, --help" in out
    assert "显示本帮助并退出" in out
    assert english_words(out, parser_of(target, "zh")) == set()


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: " ".join(target) or "tracker")
def test_every_help_in_english(capsys, target):
    code, out, _ = run(capsys, "--lang", "en", *target, "--help")
    assert code == 0
    assert out.startswith(" ".join(("usage: tracker", *target)))
    assert "show this help message and exit" in out
    assert "用法" not in out
    assert "选项" not in out


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: " ".join(target) or "tracker")
def test_each_help_text_is_given_in_both_languages(target):
    def texts(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
        actions = [*parser._actions, *(c for a in parser._actions if isinstance(a, argparse._SubParsersAction)
                                       for c in a._choices_actions)]
        return [("/".join(a.option_strings) or a.dest, a.help) for a in actions]

    zh, en = parser_of(target, "zh"), parser_of(target, "en")
    assert [(name, text is None) for name, text in texts(zh)] == [(name, text is None) for name, text in texts(en)]
    assert (zh.description is None, zh.epilog is None) == (en.description is None, en.epilog is None)
    chinese = [text for _, text in texts(zh) if text] + [zh.description or "", zh.epilog or ""]
    assert all(re.search("[\u4e00-\u9fff]", text) for text in chinese if text)


def arguments(parser: argparse.ArgumentParser, where: str = "tracker") -> Iterator[tuple[str, argparse.Action]]:
    """Every option and positional of `parser` and of the parsers below it but -h/--help, each named
    by where it is ("tracker done --evidence", "tracker calendar set date")."""
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        yield f"{where} {'/'.join(action.option_strings) or action.metavar or action.dest}", action
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from arguments(sub, f"{where} {name}")


def test_every_option_and_positional_has_a_help_text_in_both_languages():
    zh, en = (dict(arguments(_build_parser(lang=lang))) for lang in ("zh", "en"))
    assert zh.keys() == en.keys()
    assert {"tracker COMMAND", "tracker done --evidence", "tracker calendar ACTION", "tracker calendar set date",
            "tracker users ACTION"} <= zh.keys()  # every command's, calendar's actions' included
    assert [where for where, action in zh.items() if not action.help] == []
    assert [where for where, action in en.items() if not action.help] == []
    assert [where for where, action in zh.items() if not re.search("[\u4e00-\u9fff]", str(action.help))] == []
    assert [where for where in zh if zh[where].help == en[where].help] == []  # two texts, not one


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: " ".join(target) or "tracker")
def test_no_option_is_listed_bare_in_the_help(capsys, target, lang):
    """What a coordinator sees: each option's line has its text beside it or on the line below."""
    lines = run(capsys, "--lang", lang, *target, "--help")[1].splitlines()
    entries = [i for i, line in enumerate(lines) if re.match(r"  [^ ]", line)]
    assert entries
    bare = [lines[i] for i in entries if not re.match(r"  \S+( \S+)*  +\S", lines[i])
            and not (i + 1 < len(lines) and re.match(r" {6,}\S", lines[i + 1]))]
    assert bare == []


def test_each_date_option_says_how_a_date_may_be_written():
    for lang in ("zh", "en"):
        dated = [(where, action.help) for where, action in arguments(_build_parser(lang=lang))
                 if action.metavar == "DATE" or action.dest == "date"]
        assert len(dated) == 9  # tasks, show, remind, export, tui --as-of; done, event, note --on; calendar set
        for where, text in dated:
            assert all(form in str(text) for form in ("2024-10-08", "2024/10/8", "2024年10月8日", "10月8日",
                                                      "today/今天", "yesterday/昨天")), where


def test_the_help_of_task_and_plan_says_what_they_take():
    parser = _build_parser("done")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["done"]
    helps = {a.dest: str(a.help) for a in sub._actions}
    assert "PLAN:NUMBER" in helps["task"]
    assert "任务编号" in helps["task"]
    assert "年度" in helps["plan"]
    assert "PLAN:NUMBER" in helps["plan"]


@pytest.mark.parametrize(("argv", "line"), [
    (["tasks", "--as-of"], "tracker tasks: 命令行有误: --as-of 缺少参数值。"),
    (["tasks", "--within", "x"], "tracker tasks: 命令行有误: --within 应为整数, 不能是 'x'。"),
    (["rule", "8", "--kind", "bogus"], "tracker rule: 命令行有误: --kind 的取值 'bogus' 无效 (可选: 'recurring', "
                                       "'after_event', 'deadline', 'ongoing')。"),
    (["--lang", "fr", "plans"], "tracker: 命令行有误: --lang 的取值 'fr' 无效 (可选: 'zh', 'en')。"),
    (["calendar", "frob"], "tracker calendar: 命令行有误: ACTION 的取值 'frob' 无效 (可选: 'show', 'set', 'import')。"),
    (["show"], "tracker show: 命令行有误: 缺少必需的参数: task。"),
    (["assign", "8"], "tracker assign: 命令行有误: 缺少必需的参数: --lead。"),
    (["calendar"], "tracker calendar: 命令行有误: 缺少必需的参数: ACTION。"),
    (["plans", "--bogus", "x"], "tracker: 命令行有误: 无法识别的参数: --bogus x。"),
    (["plans", "--json=1"], "tracker plans: 命令行有误: --json 不接受取值: '1'。"),
    (["remind", "--f"], "tracker remind: 命令行有误: 选项 --f 有歧义, 可能是 --format、--force 或 --fail-on-overdue。"),
    (["done", "8", "--o"], "tracker done: 命令行有误: 选项 --o 有歧义, 可能是 --owner 或 --on。"),
])
def test_a_usage_error_is_one_chinese_line_after_the_usage_and_exits_2(capsys, argv, line):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    usage, *_, last = err.splitlines()
    assert usage.startswith("用法: tracker")
    assert last == line
    assert "error" not in err


@pytest.mark.parametrize("env", [None, "en"])
def test_a_usage_error_in_english_is_argparse_s_own(capsys, monkeypatch, env):
    argv = ["tasks", "--as-of"] if env else ["--lang", "en", "tasks", "--as-of"]
    if env:
        monkeypatch.setenv("TRACKER_LANG", env)
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("usage: tracker tasks")
    assert err.endswith("\ntracker tasks: error: argument --as-of: expected one argument\n")


def test_a_usage_error_of_another_shape_keeps_argparse_s_words():
    assert _usage_error_zh("argument --x: not allowed with argument --y") == "--x not allowed with argument --y"
    assert _usage_error_zh("one of the arguments --a --b is required") == "one of the arguments --a --b is required"


def test_chinese_is_wrapped_by_terminal_columns_never_inside_an_option():
    text = "仅当任务仍是此版本时写入 (见 `tracker show --json`); 否则退出码为 6, 不做修改"
    lines = _wrap(text, 20)
    assert all(sum(2 if ch >= "\u2e80" else 1 for ch in line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line.startswith((",", ";", ")", "。")) or line.endswith("(") for line in lines)
    assert any("--json`);" in line for line in lines)
    assert _wrap("a bb ccc", 4) == ["a bb", "ccc"]
    text = "DATE 可写作 2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, today/今天, yesterday/昨天"
    for width in range(12, 80):
        words = {word for line in _wrap(text, width) for word in line.split(" ")}
        assert {"2024年10月8日,", "10月8日,", "today/今天,", "yesterday/昨天"} <= words, width
    assert _wrap("", 10) == []


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: " ".join(target) or "tracker")
def test_chinese_help_fits_a_narrow_terminal(capsys, monkeypatch, target):
    monkeypatch.setenv("COLUMNS", "50")
    out = run(capsys, *target, "--help")[1]
    wide = [line for line in out.splitlines() if re.search("[\u4e00-\u9fff]", line)]
    assert wide
    assert all(sum(2 if ch >= "\u2e80" else 1 for ch in line) <= 48 for line in wide), out
