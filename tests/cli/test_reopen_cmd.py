"""`tracker reopen`: one completion recorded by mistake is taken back after other changes followed,
on a SQLite file and a PostgreSQL database (`db_url`); one line, errors one sentence, undo exact."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from db_rows import rows, tables

from tracker.cli import main

JINING = Path(__file__).resolve().parents[1] / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def dump(db: Path | str) -> dict[str, list[tuple]]:
    return {n: sorted(rows(db, f'SELECT * FROM "{n}"'), key=repr) for n in tables(db) if n != "auditentry"}


@pytest.fixture
def plan(db_url, monkeypatch):
    """The Jining plan imported through the CLI, on each engine (TRACKER_DB points at it)."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    monkeypatch.setenv("USER", "zhang")
    code, _, err = cli("import", str(JINING))
    assert code == 0, err
    return db_url


def obligation(task: str, key: str) -> dict:
    shown = json.loads(cli("show", task, "--json", "--as-of", "2024-07-01")[1])
    return next(o for o in shown["obligations"] if o["key"] == key)


def overdue() -> list[str]:
    return [t["number"] for t in json.loads(cli("tasks", "--status", "overdue", "--as-of", "2024-07-01",
                                                "--json")[1])]


def test_qa_a_completion_two_changes_back_is_taken_back_and_undo_restores_it(plan):
    """QA: done 8 by mistake, then two other changes; `undo` would have to undo all three."""
    assert cli("done", "8", "--rule", "1")[0] == 0
    assert cli("note", "12", "本季度检查已完成")[0] == 0
    assert cli("done", "12", "--on", "2024-03-28", "--evidence", "检查记录")[0] == 0
    assert "8" not in overdue()
    before = dump(plan)
    assert cli("reopen", "8", "--rule", "1") == (
        0, "已撤回完成: 任务8 规则1 (2024-Y1, 应于2024-06-30; 原完成于2024-07-01)\n", "")
    assert (obligation("8", "2024-Y1")["status"], obligation("8", "2024-Y1")["done_on"]) == ("overdue", None)
    assert "8" in overdue()  # overdue again as of 2024-07-01
    assert obligation("12", "2024-Q1")["done_on"] == "2024-03-28"  # the other changes intact
    assert rows(plan, "SELECT text FROM progressnote") == [("本季度检查已完成",)]
    log = cli("log", "--limit", "1")[1]
    assert log.rstrip().endswith("zhang  撤回完成  任务8: 撤回完成 规则1 2024-Y1 原完成于2024-07-01")
    assert "  zhang  reopen  任务8: 撤回完成" in cli("--lang", "en", "log", "--limit", "1")[1]
    assert "撤回完成  任务8: 撤回完成 规则1 2024-Y1" in cli("show", "8")[1]  # the task's history too
    code, out, _ = cli("undo")
    assert (code, out.startswith("已撤销: 撤回完成 (任务8: 撤回完成 规则1 2024-Y1 原完成于2024-07-01; zhang ")) == (0, True)
    assert dump(plan) == before
    assert obligation("8", "2024-Y1")["done_on"] == "2024-07-01"
    assert "8" not in overdue()


def test_reopen_in_english_and_the_latest_completed_by_default(plan):
    for on in ("2024-03-28", "2024-06-20"):
        assert cli("done", "12", "--on", on)[0] == 0
    assert cli("--lang", "en", "reopen", "12") == (
        0, "reopened: task 12 rule 1 (2024-Q2, due 2024-06-30; was done 2024-06-20)\n", "")
    assert cli("reopen", "12", "--key", "2024-Q1") == (
        0, "已撤回完成: 任务12 规则1 (2024-Q1, 应于2024-03-31; 原完成于2024-03-28)\n", "")
    assert rows(plan, "SELECT count(*) FROM completion") == [(0,)]


def test_a_per_owner_rule_takes_the_units_obligation(plan):
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科、养老服务科")[0] == 0
    assert cli("done", "15", "--owner", "养老服务科", "--on", "2024-06-10")[0] == 0
    assert cli("done", "15", "--owner", "局办公室", "--on", "2024-06-20")[0] == 0
    assert cli("reopen", "15", "--owner", "养老服务科") == (
        0, "已撤回完成: 任务15 规则1 (2024-Y1#养老服务科, 应于2024-12-31; 原完成于2024-06-10)\n", "")
    assert cli("reopen", "15", "--owner", "养老服务科") == (
        2, "", "tracker: 养老服务科在任务15的规则1下没有已完成的事项; 已完成的事项: 2024-Y1#局办公室 (完成于2024-06-20)。\n")


@pytest.mark.parametrize(("argv", "code", "zh", "en"), [
    (("reopen", "13"), 2, "任务13还没有已完成的事项, 无可撤回。", "nothing of task 13 is done; there is no completion "
                                                              "to reopen."),
    (("reopen", "8"), 2, "任务8有 2 条规则; 请用 --rule K 选择要撤回完成的规则: 1: 每年2次 (原则上每年至少开展2次专题性政策评价工作), "
                         "2: 12月31日前 (年底前将评价结果和运用情况向社会公开)。已完成的: 规则1: 2024-Y1 (完成于2024-07-01)。",
     "task 8 has 2 rules; choose one with --rule K to reopen — 1: 每年2次 (原则上每年至少开展2次专题性政策评价工作), "
     "2: 12月31日前 (年底前将评价结果和运用情况向社会公开). Done: rule 1: 2024-Y1 (done 2024-07-01)."),
    (("reopen", "8", "--rule", "2"), 2, "任务8的规则2还没有已完成的事项, 无可撤回; 该任务其他规则已完成的: "
                                        "规则1: 2024-Y1 (完成于2024-07-01)。",
     "nothing of rule 2 of task 8 is done; there is no completion to reopen; done on its other rules: "
     "rule 1: 2024-Y1 (done 2024-07-01)."),
    (("reopen", "12", "--key", "2024-Q2"), 2, "任务12的规则1的事项 2024-Q2 尚未完成; 已完成的事项: 2024-Q1 (完成于2024-03-28)。",
     "obligation 2024-Q2 of rule 1 of task 12 is not done; the done ones are 2024-Q1 (done 2024-03-28)."),
    (("reopen", "12", "--key", "2024-Q9"), 4, "任务12的规则1没有事项“2024-Q9”; 已完成的事项: 2024-Q1 (完成于2024-03-28)。",
     "rule 1 of task 12 has no obligation “2024-Q9”; the done ones are 2024-Q1 (done 2024-03-28)."),
    (("reopen", "8", "--rule", "3"), 4, "任务8没有规则3; 该任务的规则有: 1: 每年2次", "task 8 has no rule 3; its rules are 1: "),
    (("reopen", "99"), 4, "计划 1 中没有任务“99”", "there is no task “99” in plan 1"),
    (("reopen", "12", "--owner", "局办公室"), 2, "任务12的规则1是各单位共同的一个事项, 不是每个单位各一个; 请去掉 --owner。",
     "rule 1 of task 12 is one obligation for all its units, not one per unit; drop --owner."),
])
def test_nothing_to_reopen_is_one_sentence_naming_what_is_done_and_writes_nothing(plan, argv, code, zh, en):
    assert cli("done", "8", "--rule", "1")[0] == 0
    assert cli("done", "12", "--on", "2024-03-28")[0] == 0
    before = dump(plan)
    got, out, err = cli(*argv)
    assert (got, out) == (code, "")
    assert err.startswith(f"tracker: {zh}"), err
    assert err.count("\n") == 1
    got, out, err = cli("--lang", "en", *argv)
    assert (got, out) == (code, "")
    assert err.startswith(f"tracker: {en}"), err
    assert dump(plan) == before


def test_expected_version_refuses_a_stale_reopen_and_writes_nothing(plan):
    assert cli("done", "8", "--rule", "1")[0] == 0
    version = json.loads(cli("show", "8", "--json")[1])["version"]
    cli("note", "8", "别人先写了一条")  # someone else, in between
    before = dump(plan)
    code, out, err = cli("reopen", "8", "--rule", "1", "--expected-version", str(version))
    assert (code, out) == (6, "")
    assert f"任务8在你打开后已被他人修改 (版本 {version} → {version + 1}); 请重新加载后再试。" in err
    assert dump(plan) == before
    assert cli("reopen", "8", "--rule", "1", "--expected-version", str(version + 1))[0] == 0
    assert json.loads(cli("show", "8", "--json")[1])["version"] == version + 2
