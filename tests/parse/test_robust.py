"""Hostile input for the parser (issue 7): long numbering, stray pipes, huge tasks, a time budget.

No timed assertions here: the figures are printed by bench/parse_bench.py.
"""

from __future__ import annotations

import pytest

from tracker.ingest import clean_text
from tracker.model import RequirementKind
from tracker.parse import READ_LIMIT, parse

HEAD = "2024年测试局政务公开工作要点\n一、重点工作\n"
ITEM = "推进第{n}项公开工作。每季度至少公开1次相关信息。(牵头单位:局办公室)"


def numbered(numbers: list[int] | range) -> str:
    return HEAD + "\n".join(f"{n}." + ITEM.format(n=n) for n in numbers) + "\n"


# --- item numbers of four digits and more ------------------------------------------------------


def test_items_numbered_past_999_are_tasks_of_their_own():
    draft = parse(numbered(range(995, 1006)))
    assert [t.number for t in draft.tasks] == [str(n) for n in range(995, 1006)]
    assert draft.tasks[-1].path == ("一", "1005")
    assert draft.tasks[5].text.startswith("推进第1000项公开工作")
    assert not draft.warnings


def test_1200_items_are_1200_tasks_with_their_owners_and_rules():
    draft = parse(numbered(range(1, 1201)), budget_seconds=None)
    assert [t.number for t in draft.tasks] == [str(n) for n in range(1, 1201)]
    assert draft.tasks[-1].owners.lead == ("局办公室",)
    assert [r.period for r in draft.tasks[-1].requirements] == ["quarter"]


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("a year after a sentence end", "1.推进公开。2023、2024年连续开展评估,年底前完成。"),
        ("a year at a line start", "1.推进公开,年底前完成。\n2024.全面推进政务公开"),
        ("a long code number", "1.推进公开。12345、12346号文件年底前公开。"),
    ],
)
def test_a_number_of_four_digits_that_does_not_continue_the_items_is_text(name: str, line: str):
    draft = parse(HEAD + line + "\n")
    assert [t.number for t in draft.tasks] == ["1"], name


def test_a_run_of_thousands_of_digits_neither_crashes_nor_becomes_an_item():
    digits = "9" * 5000  # int() refuses more than 4,300 digits
    draft = parse(HEAD + f"1.推进公开。{digits}.年底前完成。\n{digits}、另一段\n")
    assert [t.number for t in draft.tasks] == ["1"]
    assert digits in draft.tasks[0].text


@pytest.mark.parametrize(
    "text",
    [
        "某市2023年政府信息公开工作年度报告\n一、总体情况\n主动公开信息{d}条。\n"
        "五、存在的主要问题及改进情况\n下一步,一是加强培训。\n",
        HEAD + "1.每年至少开展{d}次培训。\n",
        "序号 | 工作任务 | 具体要求\n{d} | 推进公开 | 年底前完成\n",
    ],
    ids=["a report's figure", "a count", "a table's number cell"],
)
def test_numbers_of_thousands_of_digits_are_no_figures_counts_or_numbers(text: str):
    draft = parse(text.format(d="9" * 5000))  # int() refuses more than 4,300 digits
    assert len(draft.tasks) == 1
    assert draft.statistics == {}
    assert draft.tasks[0].number == "1"
    assert all(r.count is None or r.count < 10 for r in draft.tasks[0].requirements)


def test_a_table_row_numbered_1000_is_read_with_its_number_printed_in_the_cell():
    rows = "\n".join(f"{n} | {n}.做好第{n}项工作 | 年底前完成 | 局办公室" for n in range(998, 1002))
    text = "2024年某局政务公开任务分工表\n序号 | 工作任务 | 具体要求 | 责任单位\n" + rows + "\n"
    draft = parse(text)
    assert [(t.number, t.title) for t in draft.tasks] == [(str(n), f"做好第{n}项工作") for n in range(998, 1002)]


def test_a_year_printed_at_the_start_of_a_table_cell_stays_in_the_title():
    text = "序号 | 工作任务 | 具体要求\n1 | 2024、2025年连续开展评估 | 年底前完成\n"
    assert [(t.number, t.title) for t in parse(text).tasks] == [("1", "2024、2025年连续开展评估")]


# --- pipes outside tables ----------------------------------------------------------------------


def test_an_item_with_a_pipe_in_its_text_is_still_an_item():
    text = clean_text(HEAD + "1.推进公开 | 加强解读。年底前完成。\n2.普通任务。年底前完成。\n")
    draft = parse(text)
    assert [t.number for t in draft.tasks] == ["1", "2"]
    assert "加强解读" in draft.tasks[0].text
    assert [r.kind for r in draft.tasks[0].requirements] == [RequirementKind.DEADLINE]


def test_consecutive_pipe_lines_are_still_a_table():
    text = (HEAD + "1.做好统计工作。年底前完成。\n指标 | 数量\n主动公开 | 213\n依申请公开 | 5\n"
            "2.做好解读工作。\n")
    draft = parse(text)
    assert [t.number for t in draft.tasks] == ["1", "2"]
    assert "主动公开 | 213" in draft.tasks[0].text


def test_a_line_of_300000_cells_is_text_of_its_item_not_a_table():
    cells = " | ".join(["工作任务", "责任单位", *(["x"] * 300_000)])
    draft = parse(HEAD + "1.推进公开。年底前完成。\n" + cells + "\n")
    assert [t.number for t in draft.tasks] == ["1"]
    assert draft.tasks[0].text.endswith("x | x")
    assert [r.kind for r in draft.tasks[0].requirements] == [RequirementKind.DEADLINE]


# --- a task too long to read whole -------------------------------------------------------------


def test_a_task_of_400000_characters_keeps_its_text_and_says_rules_were_read_from_its_head():
    line = ("每季度至少公开1次相关信息,文件发布后3个工作日内发布解读材料。" * 13_000)[:400_000]
    draft = parse(HEAD + f"1.{line}(责任单位:局办公室)\n")
    (task,) = draft.tasks
    assert len(task.text) > 400_000
    assert 0 < len(task.requirements) < 2 * READ_LIMIT // 30
    assert {r.kind for r in task.requirements} == {RequirementKind.RECURRING, RequirementKind.AFTER_EVENT}
    assert any(w.startswith("task 1: its text is 400,") and "first 20,000 characters" in w
               for w in draft.warnings)


def test_a_task_under_the_read_limit_gets_no_such_warning():
    draft = parse(numbered([1, 2]))
    assert not any("characters long" in w for w in draft.warnings)


# --- the time budget ---------------------------------------------------------------------------


def test_a_spent_budget_keeps_every_task_but_reads_no_more_rules_and_says_so():
    draft = parse(numbered(range(1, 6)), budget_seconds=0.0)
    assert [t.number for t in draft.tasks] == ["1", "2", "3", "4", "5"]
    assert all(t.requirements == () and t.owners.all() == () for t in draft.tasks)
    assert all(t.title == f"推进第{t.number}项公开工作" for t in draft.tasks)
    (warning,) = draft.warnings
    assert warning.startswith("parsing stopped after 0 s at task 1 (1 of 5): the document is too large")
    assert "the last 5 tasks were kept without owners or rules" in warning


def test_no_budget_and_the_default_budget_read_every_rule():
    text = numbered(range(1, 6))
    unlimited, default = parse(text, budget_seconds=None), parse(text)
    assert unlimited == default
    assert all(len(t.requirements) == 1 for t in default.tasks)
    assert not default.warnings


# --- task tables with short rows ---------------------------------------------------------------


def test_a_row_whose_empty_trailing_cells_were_dropped_reads_without_a_warning():
    text = ("序号 | 工作任务 | 具体要求 | 责任单位 | 配合单位 | 完成时限\n"
            "1 | 推进政策解读 | 文件发布后3个工作日内发布解读材料 | 局办公室\n"
            "2 | 加强网站检查 | 每季度开展一次内容检查 | 信息中心 | 办公室 | 2024年6月底前\n")
    draft = parse(text)
    assert [t.number for t in draft.tasks] == ["1", "2"]
    assert draft.tasks[0].owners.lead == ("局办公室",)
    assert not [w for w in draft.warnings if "table row" in w]


def test_a_row_with_nothing_in_its_task_columns_is_named_in_a_warning():
    text = ("序号 | 工作任务 | 具体要求 | 责任单位\n"
            "1 | 推进政策解读 | 文件发布后3个工作日内发布解读材料 | 局办公室\n"
            "2 | | | 信息中心\n")
    draft = parse(text)
    assert [t.number for t in draft.tasks] == ["1"]
    assert any("no task text" in w and "信息中心" in w for w in draft.warnings)
