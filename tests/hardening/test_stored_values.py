"""A value edited by hand into something tracker cannot read is one sentence on the read path.

Before: `tracker show` / `tasks` / `remind` stopped with "internal error (ValueError …)", exit 70,
while `tracker check` said all was well. Now the read path says the database holds a value it
cannot read and to run `tracker check` (exit 5), the traceback still in the log file; `check`
names the row (tests/store/test_check_values.py).
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.query.connection import stored_value_error


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def damage(db: Path, statement: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute(statement)
    conn.commit()
    conn.close()


BAD_DUE = "UPDATE obligation SET due = 'notadate' WHERE requirement_id = 13 AND key = '2024-Q3'"
BAD_KIND = "UPDATE requirement SET kind = 'bogus' WHERE id = 13"
# ISO in shape but not on the calendar: date.fromisoformat says so in other words
NO_SUCH_MONTH = "UPDATE obligation SET due = '2024-13-45' WHERE requirement_id = 3 AND key = 'ongoing'"
NO_SUCH_DAY = "UPDATE obligation SET due = '2024-02-30' WHERE requirement_id = 3 AND key = 'ongoing'"
CASES = [
    (BAD_DUE, ("show", "1:12"), "Invalid isoformat string: 'notadate'"),
    (NO_SUCH_MONTH, ("tasks", "--as-of", "2024-10-09"), "month must be in 1..12"),
    (NO_SUCH_MONTH, ("show", "1:3"), "month must be in 1..12"),
    (NO_SUCH_DAY, ("tasks", "--as-of", "2024-10-09"), "day is out of range for month"),
    (BAD_KIND, ("show", "1:12"), "'bogus' is not a valid RequirementKind"),
    (BAD_KIND, ("tasks", "--plan", "1", "--as-of", "2024-10-09"), "'bogus' is not a valid RequirementKind"),
    (BAD_KIND, ("tasks", "--json", "--as-of", "2024-10-09"), "'bogus' is not a valid RequirementKind"),
    (BAD_KIND, ("remind", "--as-of", "2024-10-09"), "'bogus' is not a valid RequirementKind"),
]


@pytest.mark.parametrize(("statement", "argv", "words"), CASES,
                         ids=["due-show", "month-tasks", "month-show", "day-tasks", "kind-show", "kind-tasks", "kind-tasks-json", "kind-remind"])
def test_an_unreadable_stored_value_is_one_sentence_and_the_traceback_is_logged(
        demo_db: Path, db_path: Path, statement: str, argv: tuple[str, ...], words: str):
    damage(demo_db, statement)
    code, _out, err = run(*argv)
    assert code == 5, err
    assert "Traceback" not in err
    assert err.count("\n") == 1
    log = db_path.parent / "log" / "tracker.log"
    assert err == f"tracker: 数据库里有 tracker 无法读取的值 ({words}); 请运行 `tracker check` (详情见 {log})。\n"
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert run("check")[0] == 5
    code, _out, err = run("--lang", "en", *argv)
    assert code == 5, err
    assert err == (f"tracker: the database holds a value tracker cannot read ({words}); run `tracker check` "
                   f"(details in {log}).\n")


def test_a_dropped_table_is_one_sentence_and_check_says_so(demo_db: Path):
    damage(demo_db, "DROP TABLE waiver")
    code, _, err = run("tasks", "--as-of", "2024-10-09")
    assert code == 5
    assert err == "tracker: 无法读取数据库 (no such table: waiver)。\n"
    code, out, _ = run("check")
    assert code == 5
    assert "问题: 缺少 tracker 需要的 1 个表或列 (waiver) — 处理: 恢复备份 (`tracker restore FILE`)" in out
    code, out, _ = run("--lang", "en", "check")
    assert code == 5
    assert "problem: 1 table(s) or column(s) tracker needs are missing (waiver)" in out


def test_a_value_error_that_is_not_a_stored_value_stays_a_bug(demo_db: Path, monkeypatch):
    """Only a decode of a stored row is the database's fault: any other ValueError is exit 70."""
    import tracker.commands.read_cmds as read_cmds

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("Invalid isoformat string: 'x'")  # a decode message, but not raised reading a row

    monkeypatch.setattr(read_cmds, "task_lines", broken)
    code, _, err = run("tasks", "--as-of", "2024-10-09")
    assert code == 70
    assert "内部错误" in err
    assert "details" not in err


def _raise_in_tests() -> None:
    from datetime import date

    date.fromisoformat("notadate")


def test_a_date_that_fails_to_parse_outside_the_read_path_is_not_called_a_stored_value():
    with pytest.raises(ValueError, match="Invalid isoformat") as caught:
        _raise_in_tests()
    assert not stored_value_error(caught.value)


def test_export_of_an_unreadable_value_is_one_sentence_and_writes_no_workbook(demo_db: Path, db_path: Path):
    damage(demo_db, BAD_KIND)
    out = db_path.parent / "ledger.xlsx"
    code, _out, err = run("export", "--month", "2024-07", "--out", str(out))
    assert code == 5, err
    assert err.startswith("tracker: 数据库里有 tracker 无法读取的值 ('bogus' is not a valid RequirementKind); "
                          "请运行 `tracker check`")
    assert not out.exists()
