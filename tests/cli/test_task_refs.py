"""Tasks numbered alike: every task has a reference of its own, and reads and writes refuse the same
ambiguity with the same sentence (QA: `tracker done 4` wrote to the first of two tasks numbered 4,
and `show 1:三/4` could not reach the second)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from db_rows import rows

from tracker.cli import main

DUPLICATES = """2024年某局政务公开工作要点
一、政策解读
1.做好甲工作。6月底前完成。
2.做好乙工作。年底前完成。
二、依申请公开
1.做好丙工作。年底前完成。
三、平台建设
4.做好庚工作。年底前完成。
4.做好辛工作。年底前完成。
"""
"""A section-number duplicate (一/1 and 二/1) and a same-section one (三/4 twice: one path)."""

SAME = ("tracker: 任务“{ref}”在计划 1 中不唯一: 它对应 2 项任务; "
        "请用 1:三/4#1 (做好庚工作) 或 1:三/4#2 (做好辛工作)。\n")
ACROSS = "tracker: 任务“1”在计划 1 中不唯一: 它对应 2 项任务; 请用 1:一/1 (做好甲工作) 或 1:二/1 (做好丙工作)。\n"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def dup_db(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    plan = tmp_path / "dup.txt"
    plan.write_text(DUPLICATES, encoding="utf-8")
    code, _, err = cli("import", str(plan))
    assert code == 0, err
    return db_path


def _writes(db: Path) -> tuple[object, ...]:
    return tuple(rows(db, "SELECT count(*) FROM auditentry")[0]) + tuple(rows(db, "SELECT version FROM task"))


@pytest.mark.parametrize(("ref", "message"), [
    ("4", SAME.format(ref="4")), ("三/4", SAME.format(ref="三/4")), ("1:三/4", SAME.format(ref="三/4")),
    ("1", ACROSS)])
@pytest.mark.parametrize("argv", [("show", "{ref}"), ("done", "{ref}", "--on", "2024-07-01"),
                                  ("note", "{ref}", "测试"), ("waive", "{ref}", "--reason", "重复"),
                                  ("assign", "{ref}", "--lead", "局办公室")])
def test_an_ambiguous_number_is_refused_by_reads_and_writes_alike(dup_db, argv, ref, message):
    before = _writes(dup_db)
    assert cli(*(a.format(ref=ref) for a in argv)) == (2, "", message)
    assert _writes(dup_db) == before


@pytest.mark.parametrize("argv", [("show", "4"), ("done", "4", "--on", "2024-07-01")])
def test_an_ambiguous_number_in_english(dup_db, argv):
    assert cli("--lang", "en", *argv) == (2, "", "tracker: task “4” is ambiguous in plan 1: it names 2 tasks; "
                                                 "use 1:三/4#1 (做好庚工作) or 1:三/4#2 (做好辛工作).\n")


@pytest.mark.parametrize(("ref", "title"), [
    ("三/4#1", "做好庚工作"), ("三/4#2", "做好辛工作"), ("1:三/4#2", "做好辛工作"), ("4#2", "做好辛工作"),
    ("一/1", "做好甲工作"), ("1:二/1", "做好丙工作"), ("2", "做好乙工作"), ("1：三／4＃2", "做好辛工作")])
def test_every_task_has_a_reference_of_its_own(dup_db, ref, title):
    code, out, err = cli("show", ref)
    assert (code, err) == (0, "")
    assert title in out.splitlines()[0]


def test_writes_reach_the_task_the_reference_names(dup_db):
    assert cli("done", "三/4#2", "--on", "2024-07-01")[0] == 0
    assert cli("note", "二/1", "测试")[0] == 0
    assert rows(dup_db, "SELECT t.title FROM completion c JOIN requirement r ON r.id = c.requirement_id "
                        "JOIN task t ON t.id = r.task_id") == [("做好辛工作",)]
    assert rows(dup_db, "SELECT t.title FROM progressnote n JOIN task t ON t.id = n.task_id") == [("做好丙工作",)]


def test_a_suffix_beyond_the_duplicates_names_the_valid_ones(dup_db):
    assert cli("done", "4#3") == (4, "", "tracker: 计划 1 中没有任务“4#3”: “4”只对应 2 项任务; "
                                         "请用 1:三/4#1 (做好庚工作) 或 1:三/4#2 (做好辛工作)。\n")
    assert cli("--lang", "en", "done", "4#3") == (4, "", "tracker: task “4#3” does not exist in plan 1: “4” names "
                                                         "2 tasks; use 1:三/4#1 (做好庚工作) or 1:三/4#2 (做好辛工作).\n")


def test_an_unknown_number_lists_each_number_once(dup_db):
    assert cli("done", "9") == (4, "", "tracker: 计划 1 中没有任务“9”; 有效的编号: 1, 2, 4。\n")
    assert cli("--lang", "en", "done", "9") == (4, "", "tracker: there is no task “9” in plan 1; valid numbers: "
                                                       "1, 2, 4.\n")
