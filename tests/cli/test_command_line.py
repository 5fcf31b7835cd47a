"""The command line builds only the parser of the command being run, and says the same things.

`tracker.cli` skips the other 24 commands' parsers (~4 ms of every cron run); help, usage errors
and an unknown command must still show everything a user needs.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from tracker.cli import COMMANDS, _build_parser, _command_in, main


@pytest.fixture(autouse=True)
def _language_not_set(monkeypatch):
    monkeypatch.delenv("TRACKER_LANG", raising=False)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out=out, err=err)
    except SystemExit as exc:  # argparse's own exits (help, usage errors)
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("argv", "command"), [
    (["tasks", "--status", "overdue"], "tasks"),
    (["--db", "x.db", "show", "8"], "show"),
    (["--db", "tasks", "plans"], "plans"),  # a database file called "tasks"
    (["--lang", "en", "remind"], "remind"),
    (["--db=x.db", "log"], "log"),
    (["--help"], None), (["--version"], None), ([], None), (["bogus"], None), (["-h", "tasks"], None),
])
def test_the_command_is_found_before_parsing(argv, command):
    assert _command_in(argv) == command


def help_of(parser, argv: list[str]) -> str:
    buffer = io.StringIO()
    with pytest.raises(SystemExit), contextlib.redirect_stdout(buffer):
        parser.parse_args(argv)
    return buffer.getvalue()


@pytest.mark.parametrize(("lang", "usage"), [("zh", "用法"), ("en", "usage")])
@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_alone_has_the_help_and_defaults_of_the_whole_parser(name, lang, usage):
    whole, alone = _build_parser(lang=lang), _build_parser(name, lang)
    assert help_of(alone, [name, "--help"]) == help_of(whole, [name, "--help"])
    assert help_of(alone, [name, "--help"]).startswith(f"{usage}: tracker {name}")


def test_the_parsed_options_are_the_same():
    argv = ["--db", "x.db", "tasks", "--status", "overdue", "--within", "3", "--owner", "办公室"]
    assert vars(_build_parser("tasks").parse_args(argv)) == vars(_build_parser().parse_args(argv))


def test_an_unknown_command_lists_them_all(capsys):
    code, _, _ = run("bogus")
    assert code == 2
    err = capsys.readouterr().err
    assert "tracker: 命令行有误: 没有命令 'bogus' (可选: 'parse', " in err
    assert all(f"'{name}'" in err for name in COMMANDS)


def test_help_lists_every_command(capsys):
    code, _, _ = run("--help")
    assert code == 0
    text = capsys.readouterr().out
    assert all(name in text for name in COMMANDS)


def test_a_missing_argument_names_the_command(capsys):
    assert run("show")[0] == 2
    assert "tracker show: 命令行有误: 缺少必需的参数: task。" in capsys.readouterr().err
    assert run("--lang", "en", "show")[0] == 2
    assert "tracker show: error: the following arguments are required: task" in capsys.readouterr().err
