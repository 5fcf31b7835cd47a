"""Every error a user can meet has its Chinese sentence, and the command line shows the user's language.

Chinese is the default language of every screen; an English sentence in the middle of them is a
message the coordinator cannot be sure of. `tracker.errors.TrackerError` carries both sentences
from where it is raised (`zh=`); this module checks, by reading the source, that no raise site
forgets the Chinese one, and that the command line and `--lang en` pick the right one.
"""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest

import tracker.errors as errors
from tracker.cli import main

TRACKER = Path(errors.__file__).resolve().parent
ERROR_CLASSES = {name for name, value in vars(errors).items()
                 if isinstance(value, type) and issubclass(value, errors.TrackerError)}


def _error_calls(tree: ast.AST) -> list[ast.Call]:
    """Calls that build a user-facing error: `UsageError(...)` and friends, and `type(exc)(...)`."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        rebuilt = (isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "type")
        if name in ERROR_CLASSES or rebuilt:
            found.append(node)
    return found


def test_every_error_raised_in_tracker_has_its_chinese_sentence() -> None:
    missing = []
    for path in sorted(TRACKER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _error_calls(tree):
            if not call.args and not call.keywords:
                continue  # a bare class reference being called with nothing: not a message
            if not any(keyword.arg == "zh" for keyword in call.keywords):
                missing.append(f"{path.relative_to(TRACKER.parent)}:{call.lineno}")
    assert not missing, "errors raised without zh= (their Chinese sentence):\n" + "\n".join(missing)


def test_the_chinese_sentence_is_chinese_and_the_english_one_english() -> None:
    error = errors.NotFoundError("there is no task “99”", zh="没有任务“99”")
    assert error.text() == error.text("zh") == "没有任务“99”"
    assert error.text("en") == str(error) == "there is no task “99”"
    assert errors.UsageError("only English").text("zh") == "only English"  # never an empty line
    assert errors.sentence(error, "zh") == "没有任务“99”"
    assert errors.sentence(OSError("disk full"), "zh") == "disk full"


def _run(*argv: str) -> tuple[int, str]:
    err = StringIO()
    code = main(list(argv), out=StringIO(), err=err)
    return code, err.getvalue()


@pytest.mark.parametrize(("lang_args", "env", "expect"), [
    ((), None, "zh"), (("--lang", "en"), None, "en"), ((), "en", "en"), (("--lang", "zh"), "en", "zh")])
def test_the_command_line_speaks_the_users_language(demo_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                     lang_args: tuple[str, ...], env: str | None,
                                                     expect: str) -> None:
    if env:
        monkeypatch.setenv("TRACKER_LANG", env)
    else:
        monkeypatch.delenv("TRACKER_LANG", raising=False)
    code, err = _run(*lang_args, "show", "99")
    assert code == 4
    assert err.startswith("tracker: ")
    has_chinese = any("\u4e00" <= char <= "\u9fff" for char in err.replace("济宁市民政局", ""))
    if expect == "zh":
        assert "99" in err, err  # what was asked
        assert "15" in err, err  # and what would have been valid
        assert has_chinese, err
        assert "there is no task" not in err, err
    else:
        assert "there is no task" in err, err
