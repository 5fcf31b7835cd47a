"""import-progress refuses what does not belong: another database's workbook, rows that no longer
name their task, damaged IDs, a date for ongoing work, and unconfirmed changes without a terminal."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from jining_db import jining_db
from openpyxl import load_workbook
from roundtrip_helpers import COL, db_rows, edit, export_for_office, fill, plan_a_db, run

NOTES = "SELECT count(*) FROM progressnote"
DONE = "SELECT count(*) FROM completion"


@pytest.fixture
def jdb(db_path: Path) -> Path:
    return jining_db(db_path)


def counts(db: Path) -> tuple[int, int]:
    return db_rows(db, NOTES)[0][0], db_rows(db, DONE)[0][0]


def plan_a_workbook(tmp_path: Path, monkeypatch, db_name: str = "c.db") -> Path:
    """Plan A exported from its own database and filled: a note on task 2, task 3 done."""
    other = plan_a_db(tmp_path / db_name)
    monkeypatch.setenv("TRACKER_DB", str(other))
    path = tmp_path / "c.xlsx"
    code, _, err = run(["export", "--as-of", "2024-07-01", "--out", str(path)], monkeypatch, today="2024-07-01")
    assert (code, err) == (0, "")
    return fill(path, {"2": {"progress": "普法清单已起草"}, "3": {"done": datetime(2024, 7, 2)}})


def without_plan_record(wb) -> None:
    """What a workbook of the previous version looked like: no plan rows in _tracker."""
    ws = wb["_tracker"]
    for row in reversed(range(1, ws.max_row + 1)):
        if ws.cell(row, 1).value == "plan":
            ws.delete_rows(row)


def test_the_hidden_sheet_records_the_plan_and_its_origin(jdb, tmp_path, monkeypatch):
    wb = load_workbook(export_for_office(tmp_path, monkeypatch))
    plans = [r for r in wb["_tracker"].iter_rows(values_only=True) if r[0] == "plan"]
    assert len(plans) == 1
    assert plans[0][1] == 1
    assert re.fullmatch(r"[0-9a-f]{32}", plans[0][2])
    assert plans[0][3] == "2024年济宁市民政局政务公开工作要点"


def test_a_workbook_of_another_database_is_refused_whole(jdb, tmp_path, monkeypatch):
    """QA: plan A's workbook applied to Jining tasks 2 and 3 (same ids), exit 0."""
    filled = plan_a_workbook(tmp_path, monkeypatch)
    monkeypatch.setenv("TRACKER_DB", str(jdb))
    before = counts(jdb)
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    assert err == ("tracker: filled.xlsx 是从另一个计划或数据库导出的: 它属于计划 1 “2024年某某区司法局政务公开工作要点”, "
                   "而本数据库中 ID 1 对应的是计划“2024年济宁市民政局政务公开工作要点”; 未应用任何内容, "
                   "请从本数据库重新导出台账, 在新台账上填写。\n")
    assert "已导入" not in out
    assert counts(jdb) == before
    code, out, err = run(["--lang", "en", "import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    assert err.startswith("tracker: filled.xlsx was exported from another plan/database: it is for plan 1 "
                          "“2024年某某区司法局政务公开工作要点” and this database has plan 1 “2024年济宁市民政局")
    assert err.count("\n") == 1
    assert counts(jdb) == before


def test_the_same_document_imported_into_another_database_is_refused(tmp_path, monkeypatch):
    """Same plan id, title, task numbers and titles: only the plan's origin tells them apart."""
    filled = plan_a_workbook(tmp_path, monkeypatch)
    twin = plan_a_db(tmp_path / "twin.db")
    monkeypatch.setenv("TRACKER_DB", str(twin))
    code, _, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    assert "而本数据库有自己的同名计划 1 (另行导入); 未应用任何内容" in err
    assert counts(twin) == (0, 0)


def test_a_copy_of_the_database_takes_its_workbooks(tmp_path, monkeypatch):
    filled = plan_a_workbook(tmp_path, monkeypatch)
    copy = tmp_path / "restored.db"
    shutil.copyfile(tmp_path / "c.db", copy)
    monkeypatch.setenv("TRACKER_DB", str(copy))
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert (code, err) == (0, "")
    assert "已导入 2 行: 进展 1 条, 完成 1 项。" in out


def test_a_previous_version_workbook_imports_where_its_rows_match(jdb, tmp_path, monkeypatch):
    old = edit(fill(export_for_office(tmp_path, monkeypatch), {"12": {"progress": "检查中"}}),
               without_plan_record, "old.xlsx")
    code, out, err = run(["import-progress", str(old), "--yes"], monkeypatch)
    assert (code, err) == (0, "")
    assert "已导入 1 行: 进展 1 条, 完成 0 项。" in out


def test_a_previous_version_workbook_of_another_database_is_refused(jdb, tmp_path, monkeypatch):
    old = edit(plan_a_workbook(tmp_path, monkeypatch), without_plan_record, "old.xlsx")
    monkeypatch.setenv("TRACKER_DB", str(jdb))
    before = counts(jdb)
    code, _, err = run(["import-progress", str(old), "--yes"], monkeypatch)
    assert code == 3
    assert ("old.xlsx 是从另一个计划或数据库导出的: 其第4行显示任务1“推进行政执法公示”, "
            "但本数据库中该 ID 的任务是任务1:1“加强重点任务落实信息公开”; 未应用任何内容") in err
    assert counts(jdb) == before


def test_a_row_whose_id_names_another_task_is_a_conflict_listed_by_title(jdb, tmp_path, monkeypatch):
    def swap_ids_of_8_and_12(wb) -> None:
        ws = wb["工作台账"]
        rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
        a, b = ws.cell(rows["8"], COL["id"]), ws.cell(rows["12"], COL["id"])
        a.value, b.value = b.value, a.value

    swapped = edit(export_for_office(tmp_path, monkeypatch), swap_ids_of_8_and_12, "swapped.xlsx")
    filled = fill(swapped, {"8": {"progress": "评价会已开"}, "6": {"progress": "解读已发布"}})
    code, out, _ = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 6
    assert ("任务8 [冲突]: 此行显示“深化重大决策公众参与”, 但其 ID 对应的任务现在是任务1:12"
            "“推进政府网站和政务新媒体管理”; 此行未应用任何内容") in out
    assert db_rows(jdb, "SELECT t.number, n.text FROM progressnote n JOIN task t ON t.id = n.task_id "
                        "WHERE n.\"on\" = '2024-07-03'") == [("6", "解读已发布")]


def test_a_filled_row_with_a_damaged_id_is_listed_not_dropped(jdb, tmp_path, monkeypatch):
    filled = fill(export_for_office(tmp_path, monkeypatch),
                  {"8": {"id": "abc|x|y", "progress": "评价会已开"}, "9": {"id": "garbage"},
                   "12": {"progress": "检查中"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3  # invalid, not a conflict
    line = next(x for x in out.splitlines() if "任务8" in x)
    assert re.fullmatch(r"  第\d+行 任务8 \[无效\]: 隐藏的 ID “abc\|x\|y” 已损坏, 无法把“深化重大决策公众参与”"
                        r"对应到任务; 此行未应用任何内容: .*。", line)
    assert "任务9" not in out  # a damaged ID on an empty row is nothing to apply
    assert "filled.xlsx 有 1 行填写有误, 未应用 (见上)" in err
    assert "已导入 1 行" in out


def test_a_done_date_for_ongoing_work_is_refused(jdb, tmp_path, monkeypatch):
    """Task 1's only rule is 持续: marking it done would show the whole task 已完成."""
    filled = fill(export_for_office(tmp_path, monkeypatch), {"1": {"done": datetime(2024, 7, 2),
                                                                    "progress": "规划已公开"}})
    before = counts(jdb)
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    assert err == "tracker: filled.xlsx 有 1 行填写有误, 未应用 (见上); 请按各行的说明改正这些行后再导入一次。\n"
    assert ("任务1 [无效]: 该任务的规则1是持续推进的工作 (持续), 没有单一的完成日期, 因此未应用完成日期: "
            "请改在进展情况中填写所做的工作。") in out
    assert counts(jdb) == before
    code, out, err = run(["--lang", "en", "import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    assert err == ("tracker: 1 row(s) of filled.xlsx were not applied: they are filled in wrongly (listed above); "
                   "correct them as each line says and import the workbook again.\n")
    assert ("task 1 [invalid]: rule 1 of the task is ongoing work (持续), which is not finished on a date, so "
            "完成日期 was not applied: write what was done in 进展情况 instead.") in out
    assert counts(jdb) == before
    code, out, _ = run(["show", "1"], monkeypatch)
    assert "已完成" not in out


def test_without_a_terminal_and_without_yes_nothing_is_applied_and_it_says_so(jdb, tmp_path, monkeypatch):
    filled = fill(export_for_office(tmp_path, monkeypatch), {"12": {"progress": "检查中"}})
    before = counts(jdb)
    code, out, err = run(["import-progress", str(filled)], monkeypatch, stdin="")
    assert code == 6
    assert "应用以上修改? [y/N] \n未作任何修改。" in out
    assert err == "tracker: filled.xlsx 的 1 行未应用: 当前不在交互式终端中, 无法逐项确认; 请加 --yes 重新运行以应用。\n"
    assert counts(jdb) == before
    code, out, err = run(["--lang", "en", "import-progress", str(filled)], monkeypatch, stdin="")
    assert code == 6
    assert "Apply these changes? [y/N] \nNothing was changed." in out
    assert err == ("tracker: 1 row(s) of filled.xlsx were not applied: there is no terminal to confirm them; "
                   "run again with --yes to apply them.\n")
    assert counts(jdb) == before
    code, _, _ = run(["import-progress", str(filled)], monkeypatch, stdin="y\n")  # `echo y |` still works
    assert code == 0
    assert counts(jdb) == (before[0] + 1, before[1])
