"""`tracker remind` as cron runs it: text, JSON, silent days, exit codes, and a light import path."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from remind_helpers import SMALL_TITLE

from tracker.cli import main
from tracker.remind.render import dump_json

T = SMALL_TITLE


def remind(*args: str, lang: str = "zh") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--lang", lang, "remind", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


EXPECTED = f"""\
政务公开提醒 2024-07-01: 逾期4项、临期0项

局办公室 (逾期2项、临期0项)
  [逾期92天] {T} 任务1 检查政府网站 — 每季度 (第1季度) 应于2024-03-31
  [逾期1天] {T} 任务1 检查政府网站 — 每季度 (第2季度) 应于2024-06-30

政策法规科 (逾期1项、临期0项)
  [逾期1天] {T} 任务2 开展政策评价 — 每年2次 (第1次) 应于2024-06-30

未指定责任单位 (逾期1项、临期0项)
  [逾期1天] {T} 任务3 公开年度报告 — 6月30日前 应于2024-06-30

督办: 逾期超过5个工作日 1项
  [逾期92天] {T} 任务1 检查政府网站 — 每季度 (第1季度) 应于2024-03-31 — 局办公室
"""


def test_text_grouped_by_owner_overdue_first(small_db):
    assert remind("--as-of", "2024-07-01") == (0, EXPECTED, "")


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_as_of_is_refused_not_today(small_db, monkeypatch, empty):
    """QA: `tracker remind --as-of ""` silently meant today, where every other command refuses it."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    code, out, err = remind("--as-of", empty)
    assert (code, out) == (2, "")
    assert err.startswith("tracker: ")
    assert err.count("\n") == 1


def test_today_comes_from_the_entry_point(small_db, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    assert remind() == (0, EXPECTED, "")


def test_due_soon_in_working_days_and_fail_on_overdue_only_when_overdue(small_db):
    code, out, _ = remind("--as-of", "2024-03-25", "--fail-on-overdue")
    assert code == 0
    assert out.splitlines()[0] == "政务公开提醒 2024-03-25: 逾期0项、临期1项"
    assert f"  [剩4个工作日] {T} 任务1 检查政府网站 — 每季度 (第1季度) 应于2024-03-31" in out
    assert remind("--as-of", "2024-03-25", "--within", "3")[1] == ""  # 4 working days > window 3
    code, out, _ = remind("--as-of", "2024-07-01", "--fail-on-overdue")
    assert code == 1
    assert out == EXPECTED


def test_nothing_due_prints_nothing(small_db):
    assert remind("--as-of", "2024-01-02", "--fail-on-overdue") == (0, "", "")


@pytest.mark.parametrize(("day", "why"), [
    ("2024-07-06", "Saturday"), ("2024-07-07", "Sunday"), ("2024-10-03", "National Day holiday"),
    ("2024-10-07", "holiday Monday")])
def test_silent_on_days_off(small_db, day, why):
    assert remind("--as-of", day, "--fail-on-overdue") == (0, "", ""), why


def test_speaks_on_a_make_up_sunday_and_on_days_off_with_every_day(small_db):
    code, out, _ = remind("--as-of", "2024-09-29")     # 调休上班日
    assert code == 0
    assert out.startswith("政务公开提醒 2024-09-29: 逾期4项、临期1项")
    assert f"  [剩1个工作日] {T} 任务1 检查政府网站 — 每季度 (第3季度) 应于2024-09-30" in out
    code, out, _ = remind("--as-of", "2024-07-06", "--every-day")
    assert code == 0
    assert out.startswith("政务公开提醒 2024-07-06: 逾期4项")


def test_calendar_overrides_decide_too(small_db):
    from tracker.store import open_store
    from tracker.store.actions import set_calendar_override

    store = open_store(str(small_db))
    with store.transaction(who="test", action="calendar") as session:
        set_calendar_override(session=session, day=date(2024, 7, 8), kind="holiday", name="停电")
        set_calendar_override(session=session, day=date(2024, 7, 13), kind="workday", name="补班")
    store.close()
    assert remind("--as-of", "2024-07-08") == (0, "", "")
    assert remind("--as-of", "2024-07-13")[1].startswith("政务公开提醒 2024-07-13")


def test_json_is_the_stable_object(small_db):
    code, out, _ = remind("--as-of", "2024-07-01", "--format", "json")
    assert code == 0
    obj = json.loads(out)
    assert json.loads(out) == obj
    assert out == dump_json(obj)  # the frame indented, one item per line (tests/remind/test_json_layout.py)
    assert {k: obj[k] for k in ("as_of", "within", "escalate_after", "workday")} == {
        "as_of": "2024-07-01", "within": 5, "escalate_after": 5, "workday": True}
    assert [(o["owner"], o["email"], len(o["items"])) for o in obj["owners"]] == [
        ("局办公室", "office@example.gov.cn", 2), ("政策法规科", None, 1), (None, None, 1)]
    assert obj["owners"][2]["items"] == [{
        "days_late": 1, "due": "2024-06-30", "key": "deadline", "owner": None, "plan": T,
        "plan_id": 1, "provisional": False, "rule": "6月30日前", "rule_no": 1, "status": "overdue", "task": "3",
        "title": "公开年度报告", "workdays_late": 1, "workdays_left": None}]
    assert [(e["task"], e["key"], e["workdays_late"]) for e in obj["escalated"]] == [("1", "2024-Q1", 63)]


def test_json_on_a_day_off_is_still_an_object(small_db):
    code, out, _ = remind("--as-of", "2024-07-06", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"as_of": "2024-07-06", "escalate_after": 5, "escalated": [],
                               "owners": [], "within": 5, "workday": False}


def test_english(small_db):
    code, out, _ = remind("--as-of", "2024-07-01", lang="en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Disclosure plan reminder 2024-07-01: 4 overdue, 0 due soon"
    assert f"  [92 days late] {T} task 1 检查政府网站 — quarterly (Q1) due 2024-03-31" in lines
    assert "no owner assigned (1 overdue, 0 due soon)" in lines


def test_owner_and_plan_filters(small_db):
    code, out, _ = remind("--as-of", "2024-07-01", "--owner", "政策法规科")
    assert code == 0
    assert out.splitlines()[2:] == ["政策法规科 (逾期1项、临期0项)",
                                    f"  [逾期1天] {T} 任务2 开展政策评价 — 每年2次 (第1次) 应于2024-06-30"]
    code, _, err = remind("--as-of", "2024-07-01", "--owner", "财务科", lang="en")
    assert code == 4
    assert "there is no unit “财务科”" in err
    assert "局办公室" in err
    code, _, err = remind("--as-of", "2024-07-01", "--owner", "财务科")  # Chinese by default
    assert code == 4
    assert "“财务科”" in err
    assert "局办公室" in err
    assert "there is no" not in err
    code, _, err = remind("--as-of", "2024-07-01", "--plan", "99", lang="en")
    assert code == 4
    assert "there is no plan “99”" in err
    assert remind("--as-of", "2024-07-01", "--plan", "测试局")[1] == EXPECTED


@pytest.mark.parametrize("day", ["2024-07-06", "2024-10-03"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_owner_and_plan_typos_are_errors_on_days_off_too(small_db, day, fmt):
    """They were only checked on working days: on a Saturday or a holiday a typo exited 0 in silence."""
    code, _, err = remind("--as-of", day, "--format", fmt, "--owner", "财务科", lang="en")
    assert code == 4
    assert "there is no unit “财务科”" in err
    code, _, err = remind("--as-of", day, "--format", fmt, "--plan", "99", lang="en")
    assert code == 4
    assert "there is no plan “99”" in err
    code, out, err = remind("--as-of", day, "--format", fmt, "--plan", "99")
    assert (code, out) == (4, "")
    assert "“99”" in err
    assert remind("--as-of", day, "--owner", "政策法规科", "--plan", "测试局") == (0, "", "")


def test_escalate_after(small_db):
    out = remind("--as-of", "2024-07-01", "--escalate-after", "100")[1]
    assert "督办" not in out
    out = remind("--as-of", "2024-07-01", "--escalate-after", "0")[1]
    assert "督办: 逾期超过0个工作日 4项" in out


@pytest.mark.parametrize("args", [["--within", "-1"], ["--escalate-after", "-2"], ["--as-of", "2024-02-30"],
                                  ["--as-of", "9999-12-31"], ["--within", "10000000"],
                                  ["--escalate-after", "400"]])
def test_bad_options_are_one_sentence(small_db, args):
    code, out, err = remind(*args)
    assert code == 2
    assert out == ""
    assert err.startswith("tracker: ")
    assert err.count("\n") == 1


def test_no_database_is_one_sentence(db_path):
    code, _, err = remind("--as-of", "2024-07-01", lang="en")
    assert code == 5
    assert err == f"tracker: no database at {db_path}; run `tracker import FILE` or `tracker demo` first.\n"
    code, _, err = remind("--as-of", "2024-07-01")  # Chinese by default: the same facts
    assert code == 5
    assert err.startswith("tracker: ")
    assert err.count("\n") == 1
    for fact in (str(db_path), "`tracker import FILE`", "`tracker demo`"):
        assert fact in err
    assert "no database" not in err


def test_a_bad_window_is_one_sentence_in_the_users_language(small_db):
    code, out, err = remind("--as-of", "2024-07-01", "--within", "400")
    assert (code, out) == (2, "")
    assert err == "tracker: --within 应为 0 到 366 之间的工作日数, 不能是 400。\n"
    code, out, err = remind("--as-of", "2024-07-01", "--escalate-after", "-1", lang="en")
    assert (code, out) == (2, "")
    assert err == "tracker: --escalate-after takes a number of working days from 0 to 366, not -1.\n"


HEAVY = {"sqlmodel", "sqlalchemy", "textual", "openpyxl", "rich", "docx", "pydantic"}


@pytest.mark.parametrize("args", [
    ["remind", "--as-of", "2024-07-01"],
    ["remind", "--as-of", "2024-07-01", "--format", "json"],
    ["remind", "--as-of", "2024-07-06"],
    ["remind", "--as-of", "2024-07-01", "--mail", "--dry-run"],
])
def test_cron_path_imports_no_orm_ui_or_spreadsheet(small_db, args):
    probe = ("import io, sys\nfrom tracker.cli import main\n"
             f"code = main({args!r}, out=io.StringIO(), err=io.StringIO())\n"
             "print(code)\nprint('\\n'.join(sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, "TRACKER_DB": str(small_db)})
    code, *modules = result.stdout.split()
    assert code == "0"
    assert "tracker.remind" in modules  # the probe did run the command
    assert not {m.split(".")[0] for m in modules} & HEAVY


def test_cron_mail_path_imports_no_orm_ui_or_spreadsheet(small_db, smtp):
    probe = ("import io, sys\nfrom tracker.cli import main\n"
             "code = main(['remind', '--as-of', '2024-07-01', '--mail'], out=io.StringIO(), err=io.StringIO())\n"
             "print(code)\nprint('\\n'.join(sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, "TRACKER_DB": str(small_db)})
    code, *modules = result.stdout.split()
    assert code == "0"
    assert len(smtp.inbox.received) == 3
    assert "smtplib" in modules
    assert not {m.split(".")[0] for m in modules} & HEAVY


def test_reads_while_a_writer_holds_the_lock(small_db):
    """The TUI is in the middle of a write transaction: the reminder reads (WAL) without waiting or failing."""
    import sqlite3
    import time

    writer = sqlite3.connect(small_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE owner SET email = 'changed@example.gov.cn' WHERE name = '局办公室'")
    try:
        start = time.perf_counter()
        assert remind("--as-of", "2024-07-01") == (0, EXPECTED, "")
        assert time.perf_counter() - start < 2.5
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_year_without_holiday_data_says_so_on_stderr(small_db, fmt):
    """2027-01-01 is New Year's Day, but chinesecalendar has no 2027 yet: the day counts as a
    Friday, as the calendar documents — now with one line saying so, until overrides exist."""
    code, out, err = remind("--as-of", "2027-01-01", "--format", fmt)
    assert code == 0
    assert out  # spoken as on a working day (the behaviour is kept)
    assert err == ("提醒:2027年尚无节假日数据,2027-01-01 是否为工作日仅按周末判断; "
                   "请用 `tracker calendar set` 或 `tracker calendar import` 录入国务院办公厅的2027年节假日安排。\n")
    code, _, err = remind("--as-of", "2027-01-04", "--format", fmt, lang="en")
    assert code == 0
    assert err == ("warning: there is no holiday data for 2027 yet, so whether 2027-01-04 is a working "
                   "day is counted on weekends only; add the State Council's arrangement for 2027 with "
                   "`tracker calendar set` or `tracker calendar import`.\n")
    assert main(["calendar", "set", "2027-01-01", "holiday"], out=io.StringIO(), err=io.StringIO()) == 0
    code, out, err = remind("--as-of", "2027-01-01", "--format", fmt)
    assert (code, err) == (0, "")
    if fmt == "text":
        assert out == ""  # the override makes it a day off: silent
    else:
        assert json.loads(out)["workday"] is False
    assert remind("--as-of", "2024-07-01", "--format", fmt)[2] == ""  # a year the package knows
