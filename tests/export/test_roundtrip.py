"""Round trip: export → an office fills 进展情况/完成日期/完成佐证 → import-progress updates the DB."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from jining_db import jining_db
from openpyxl import Workbook, load_workbook
from roundtrip_helpers import db_rows, export_for_office, fill, run

from tracker.store import actions, open_store


@pytest.fixture
def jdb(db_path: Path) -> Path:
    return jining_db(db_path)


def test_filled_workbook_updates_the_database(jdb, tmp_path, monkeypatch):
    path = export_for_office(tmp_path, monkeypatch)
    wb = load_workbook(path)
    assert wb["工作台账"]["A2"].value.endswith("请在蓝色列填写进展情况、完成日期、完成佐证后交回")
    filled = fill(path, {
        "8": {"progress": "7月2日召开专题评价会", "done": datetime(2024, 7, 2), "evidence": "评价报告.pdf"},
        "12": {"progress": "=1+1 二季度检查已完成"},
    })
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert (code, err) == (0, "")
    assert "将更新 2 行:" in out
    assert "任务8 完成日期: “” → “2024-07-02” (规则1)" in out
    assert "任务12 进展情况: “” → “=1+1 二季度检查已完成”" in out
    assert "已导入 2 行: 进展 2 条, 完成 1 项。" in out
    notes = db_rows(jdb, 'SELECT t.number, n."on", n.text FROM progressnote n JOIN task t ON t.id = n.task_id '
                         "ORDER BY n.id")
    assert notes[-2:] == [("8", "2024-07-03", "7月2日召开专题评价会"), ("12", "2024-07-03", "=1+1 二季度检查已完成")]
    done = db_rows(jdb, "SELECT t.number, c.obligation_key, c.done_on, c.evidence FROM completion c "
                        "JOIN requirement r ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id "
                        "WHERE t.number = '8'")
    assert done == [("8", "2024-Y1", "2024-07-02", "评价报告.pdf")]
    # and the next ledger says so
    code, _, _ = run(["export", "--as-of", "2024-07-03", "--out", str(tmp_path / "next.xlsx")], monkeypatch)
    nxt = load_workbook(tmp_path / "next.xlsx")
    overdue = [r[1] for r in nxt["逾期事项"].iter_rows(min_row=4, values_only=True)]
    assert overdue == ["12"]


def test_appended_progress_adds_only_the_new_part(jdb, tmp_path, monkeypatch):
    store = open_store(str(jdb))
    with store.transaction(who="t", action="note", now=datetime(2024, 7, 1, tzinfo=UTC)) as s:
        actions.add_note(session=s, task=actions.find_task(session=s, ref="6"), text="起草解读", on=date(2024, 7, 1))
    store.close()
    path = export_for_office(tmp_path, monkeypatch)
    filled = fill(path, {"6": {"progress": "7月1日:起草解读\n7月3日:解读已发布"}})
    code, _, _ = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 0
    assert db_rows(jdb, "SELECT text FROM progressnote ORDER BY id DESC LIMIT 1") == [("7月3日:解读已发布",)]


def test_task_changed_since_export_is_refused_and_listed(jdb, tmp_path, monkeypatch):
    path = export_for_office(tmp_path, monkeypatch)
    store = open_store(str(jdb))  # meanwhile the coordinator records task 8's evaluation in tracker
    with store.transaction(who="coordinator", action="done", now=datetime(2024, 7, 2, tzinfo=UTC)) as s:
        actions.mark_done(session=s, task=actions.find_task(session=s, ref="8"), rule=1,
                          on=date(2024, 6, 28), evidence="协调员录入")
    store.close()
    filled = fill(path, {"8": {"done": datetime(2024, 7, 2), "evidence": "科室报来"},
                         "12": {"progress": "二季度检查已完成"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 6
    assert err == "tracker: filled.xlsx 有 1 行未应用 (见上); 请重新导出台账后重新填写这些行。\n"
    assert "未应用 1 行:" in out
    assert "任务8 [冲突]: 导出此工作簿后, 该任务已在 tracker 中被修改 (版本 " in out
    done = db_rows(jdb, "SELECT c.done_on, c.evidence FROM completion c JOIN requirement r ON r.id = c.requirement_id "
                        "JOIN task t ON t.id = r.task_id WHERE t.number = '8'")
    assert done == [("2024-06-28", "协调员录入")]  # the newer entry was not overwritten
    assert db_rows(jdb, "SELECT text FROM progressnote ORDER BY id DESC LIMIT 1") == [("二季度检查已完成",)]


def test_asks_before_applying(jdb, tmp_path, monkeypatch):
    filled = fill(export_for_office(tmp_path, monkeypatch), {"12": {"progress": "检查中"}})
    count = len(db_rows(jdb, "SELECT id FROM progressnote"))
    code, out, _ = run(["import-progress", str(filled)], monkeypatch, stdin="n\n", tty=True)
    assert code == 0  # the user's own no
    assert "应用以上修改? [y/N]" in out
    assert "未作任何修改。" in out
    assert len(db_rows(jdb, "SELECT id FROM progressnote")) == count
    code, out, _ = run(["import-progress", str(filled)], monkeypatch, stdin="y\n", tty=True)
    assert code == 0
    assert len(db_rows(jdb, "SELECT id FROM progressnote")) == count + 1


def test_unchanged_workbook_changes_nothing(jdb, tmp_path, monkeypatch):
    path = export_for_office(tmp_path, monkeypatch)
    code, out, _ = run(["import-progress", str(path), "--yes"], monkeypatch)
    assert code == 0
    assert "没有需要导入的修改。" in out
    assert "未改动 15 行。" in out


def test_a_typo_is_bad_input_to_correct_not_a_conflict_to_re_export(jdb, tmp_path, monkeypatch):
    """QA: one row with 完成日期 2024-13-01 — the others applied, but exit 6 (conflict) and the advice
    to export again, which does not fix a typo. Now exit 3 and "correct them and import again"."""
    path = export_for_office(tmp_path, monkeypatch)
    filled = fill(path, {"8": {"done": "2024-13-01"}, "12": {"progress": "二季度检查已完成"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    assert "任务8 [无效]: 完成日期“2024-13-01”不是有效日期 (请写成 2024-07-15)。" in out
    assert "已导入 1 行: 进展 1 条, 完成 0 项。" in out
    assert err == ("tracker: filled.xlsx 有 1 行填写有误, 未应用 (见上); 请按各行的说明改正这些行后再导入一次 "
                   "(本次已应用的行届时会计为已导入过, 不会重复写入)。\n")
    assert "重新导出" not in err
    code, out, err = run(["--lang", "en", "import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3  # the same workbook again: row 12 was applied (already imported), row 8 still wrong
    assert "1 row(s) already imported, not written again." in out
    assert err == ("tracker: 1 row(s) of filled.xlsx were not applied: they are filled in wrongly (listed above); "
                   "correct them as each line says and import the workbook again.\n")


def test_a_corrected_workbook_imported_again_applies_the_fix_and_enters_nothing_twice(jdb, tmp_path, monkeypatch):
    """QA: the typo corrected in the same workbook and imported again — the fixed row applied, but
    every row applied the first time came back [冲突] (their versions had moved: by our own writes)
    and exit 6. Now they are counted as already imported and the exit is 0."""
    notes = "SELECT count(*) FROM progressnote"
    done = "SELECT count(*) FROM completion"
    path = export_for_office(tmp_path, monkeypatch)
    filled = fill(path, {
        "8": {"progress": "7月2日召开专题评价会", "done": datetime(2024, 7, 2), "evidence": "评价报告.pdf"},
        "12": {"progress": "二季度检查已完成"},
        "13": {"done": "2024-13-01"},
    })
    before = db_rows(jdb, notes) + db_rows(jdb, done)
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    assert "任务13 [无效]" in out
    assert "已导入 2 行: 进展 2 条, 完成 1 项。" in out
    first = db_rows(jdb, notes) + db_rows(jdb, done)
    assert [a - b for (a,), (b,) in zip(first, before, strict=True)] == [2, 1]
    # the office's typo corrected in the very same file, which is imported again
    assert fill(filled, {"13": {"done": datetime(2024, 7, 2)}}, name="filled.xlsx") == filled
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch, today="2024-07-04")
    assert (code, err) == (0, "")
    assert "将更新 1 行:" in out
    assert "任务13 完成日期: “” → “2024-07-02”" in out
    assert "已导入过 2 行, 未重复写入。" in out
    assert "冲突" not in out
    assert "未应用" not in out
    assert "已导入 1 行: 进展 0 条, 完成 1 项。" in out
    assert db_rows(jdb, notes) + db_rows(jdb, done) == [first[0], (first[1][0] + 1,)]
    assert db_rows(jdb, "SELECT t.number, c.done_on, c.evidence FROM completion c JOIN requirement r "
                        "ON r.id = c.requirement_id JOIN task t ON t.id = r.task_id WHERE t.number IN ('8', '13') "
                        "AND c.done_on >= '2024-07-01' ORDER BY t.number") == [
        ("13", "2024-07-02", None), ("8", "2024-07-02", "评价报告.pdf")]
    # and once more: everything is in, nothing is written
    code, out, err = run(["--lang", "en", "import-progress", str(filled), "--yes"], monkeypatch, today="2024-07-05")
    assert (code, err) == (0, "")
    assert "3 row(s) already imported, not written again." in out
    assert "Nothing to import: no row was changed." in out
    assert db_rows(jdb, notes) + db_rows(jdb, done) == [first[0], (first[1][0] + 1,)]


def test_a_task_changed_otherwise_between_the_imports_is_still_a_conflict(jdb, tmp_path, monkeypatch):
    path = export_for_office(tmp_path, monkeypatch)
    filled = fill(path, {"8": {"done": datetime(2024, 7, 2)}, "12": {"progress": "二季度检查已完成"},
                         "13": {"done": "2024-13-01"}})
    code, _, _ = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3
    store = open_store(str(jdb))  # between the imports the coordinator writes a note on task 12 in tracker
    with store.transaction(who="coordinator", action="note", now=datetime(2024, 7, 3, tzinfo=UTC)) as s:
        actions.add_note(session=s, task=actions.find_task(session=s, ref="12"), text="协调员记录", on=date(2024, 7, 3))
    store.close()
    fixed = fill(filled, {"13": {"done": datetime(2024, 7, 2)}}, name="filled.xlsx")
    code, out, err = run(["import-progress", str(fixed), "--yes"], monkeypatch)
    assert code == 6
    assert "任务12 [冲突]: 导出此工作簿后, 该任务已在 tracker 中被修改" in out
    assert "已导入过 1 行, 未重复写入。" in out  # task 8: only our completion since the export
    assert "任务13 完成日期: “” → “2024-07-02”" in out
    assert err == "tracker: filled.xlsx 有 1 行未应用 (见上); 请重新导出台账后重新填写这些行。\n"
    assert db_rows(jdb, "SELECT count(*) FROM progressnote WHERE text = '二季度检查已完成'") == [(1,)]
    assert db_rows(jdb, "SELECT count(*) FROM completion c JOIN requirement r ON r.id = c.requirement_id "
                        "JOIN task t ON t.id = r.task_id WHERE t.number = '8' AND c.done_on = '2024-07-02'") == [(1,)]


def test_a_conflict_and_a_typo_together_say_both(jdb, tmp_path, monkeypatch):
    path = export_for_office(tmp_path, monkeypatch)
    store = open_store(str(jdb))  # meanwhile the coordinator writes a note on task 12 in tracker
    with store.transaction(who="coordinator", action="note", now=datetime(2024, 7, 2, tzinfo=UTC)) as s:
        actions.add_note(session=s, task=actions.find_task(session=s, ref="12"), text="协调员记录", on=date(2024, 7, 2))
    store.close()
    filled = fill(path, {"8": {"done": "2024-13-01"}, "12": {"progress": "二季度检查已完成"},
                         "6": {"progress": "解读已发布"}})
    code, out, err = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 6
    assert "任务8 [无效]" in out
    assert "任务12 [冲突]" in out
    assert "已导入 1 行: 进展 1 条, 完成 0 项。" in out
    assert err == ("tracker: filled.xlsx 有 2 行未应用 (见上): 1 行的任务在导出后已在 tracker 中被修改, 1 行填写有误; "
                   "请重新导出台账后重新填写这些行, 并按各行的说明改正填写有误的行。\n")


def test_bad_date_and_evidence_without_date_are_refused(jdb, tmp_path, monkeypatch):
    filled = fill(export_for_office(tmp_path, monkeypatch), {
        "8": {"done": "下周"}, "12": {"evidence": "报告"}, "13": {"done": "2024年7月2日"}})
    code, out, _ = run(["import-progress", str(filled), "--yes"], monkeypatch)
    assert code == 3  # rows filled in wrongly: bad input, not a conflict
    assert "任务8 [无效]: 完成日期“下周”不是有效日期 (请写成 2024-07-15)。" in out
    assert "任务12 [无效]: 填写了完成佐证, 但没有填写完成日期; 请同时填写完成日期。" in out
    assert "任务13 完成日期: “” → “2024-07-02”" in out  # a date typed as text is read


def test_a_workbook_that_is_not_ours_is_refused(jdb, tmp_path, monkeypatch):
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    code, _, err = run(["import-progress", str(plain)], monkeypatch)
    assert code == 3
    assert err == ("tracker: plain.xlsx 不是 tracker 导出的台账 (缺少“工作台账”工作表或 tracker 的隐藏标记); "
                   "请用 `tracker export` 导出台账。\n")
    code, _, err = run(["--lang", "en", "import-progress", str(plain)], monkeypatch)
    assert code == 3
    assert "is not a ledger exported by tracker" in err


def test_a_damaged_workbook_is_refused(jdb, tmp_path, monkeypatch):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    code, _, err = run(["import-progress", str(broken)], monkeypatch)
    assert code == 3
    assert "broken.xlsx 无法作为 .xlsx 工作簿读取 (已损坏, 或是其他格式)" in err
    good = export_for_office(tmp_path, monkeypatch)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    code, _, err = run(["import-progress", str(truncated)], monkeypatch)
    assert code == 3
    assert "tracker:" in err
    assert "Traceback" not in err


def test_id_column_removed_is_refused(jdb, tmp_path, monkeypatch):
    wb = load_workbook(export_for_office(tmp_path, monkeypatch))
    wb["工作台账"].delete_cols(16)
    cut = tmp_path / "cut.xlsx"
    wb.save(cut)
    code, _, err = run(["import-progress", str(cut)], monkeypatch)
    assert code == 3
    assert "cut.xlsx 的“工作台账”工作表没有 ID 列" in err


def test_missing_file_is_a_sentence(jdb, tmp_path, monkeypatch):
    code, _, err = run(["import-progress", str(tmp_path / "nope.xlsx")], monkeypatch)
    assert code == 3
    assert err == f"tracker: 文件不存在: {tmp_path / 'nope.xlsx'}。\n"
