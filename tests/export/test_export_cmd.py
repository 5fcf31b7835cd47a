"""`tracker export` on a real SQLite file with the Jining plan imported (parser + store)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from jining_db import jining_db
from openpyxl import load_workbook

from tracker.cli import main
from tracker.store import actions, open_store


@pytest.fixture
def jdb(db_path: Path) -> Path:
    return jining_db(db_path)


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, today: str = "2024-07-01") -> tuple[int, str, str]:
    monkeypatch.setenv("TRACKER_TODAY", today)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def numbers(ws, col: int = 1) -> list[str]:
    return [r[col] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] is not None]


def visible_values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    values = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "工作台账":  # the hidden ID carries the task's current version
            rows = [r[:-1] for r in rows]
        values[ws.title] = rows
    return values


def test_jining_as_of_july_first_shows_8_and_12_overdue(jdb, tmp_path, monkeypatch):
    out_path = tmp_path / "ledger.xlsx"
    code, out, err = run(["export", "--as-of", "2024-07-01", "--out", str(out_path)], monkeypatch)
    assert (code, err) == (0, "")
    assert out.strip() == f"已导出工作台账: {out_path} (15项任务, 截至2024年7月1日)"
    wb = load_workbook(out_path)
    assert numbers(wb["逾期事项"]) == ["8", "12"]
    assert wb["工作台账"]["A1"].value == "2024年济宁市民政局政务公开工作要点 工作台账"
    ledger = {r[0]: r for r in wb["工作台账"].iter_rows(min_row=4, values_only=True)}
    assert len(ledger) == 15
    assert ledger["8"][10] == "逾期"
    assert ledger["12"][4] == "每季度,已完成1次,6月30日到期未完成"
    assert ledger["12"][13] == "3月28日:一季度网站检查报告"
    assert ledger["8"][6] == "政策法规科"
    assert ledger["15"][6] == "养老服务科、社会救助科"


def test_default_path_and_month(jdb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["export", "--month", "2024-10"], monkeypatch, today="2024-12-15")
    assert code == 0
    path = tmp_path / "exports" / "1-2024-10-工作台账.xlsx"
    assert path.is_file()
    assert "截至2024年10月31日" in out
    assert load_workbook(path)["汇总"]["A2"].value == "截至2024年10月31日"


def test_october_made_in_december_shows_october(jdb, tmp_path, monkeypatch):
    before = tmp_path / "before.xlsx"
    assert run(["export", "--month", "2024-07", "--out", str(before)], monkeypatch, "2024-07-31")[0] == 0
    store = open_store(str(jdb))
    with store.transaction(who="t", action="later", now=datetime(2024, 8, 5, tzinfo=UTC)) as s:
        task8 = actions.find_task(session=s, ref="8")
        actions.mark_done(session=s, task=task8, rule=1, on=date(2024, 8, 5), evidence="评价报告")
        actions.add_note(session=s, task=task8, text="八月完成第一次评价", on=date(2024, 8, 5))
    store.close()
    after = tmp_path / "after.xlsx"
    assert run(["export", "--month", "2024-07", "--out", str(after)], monkeypatch, "2024-12-15")[0] == 0
    assert visible_values(after) == visible_values(before)
    august = tmp_path / "aug.xlsx"
    assert run(["export", "--month", "2024-08", "--out", str(august)], monkeypatch, "2024-12-15")[0] == 0
    wb = load_workbook(august)
    assert "8" in numbers(wb["本月完成"])
    row8 = next(r for r in wb["工作台账"].iter_rows(min_row=4, values_only=True) if r[0] == "8")
    assert row8[11] == "8月5日:八月完成第一次评价"


def test_owner_ledger_has_only_that_units_tasks(jdb, tmp_path, monkeypatch):
    path = tmp_path / "o.xlsx"
    code, _, _ = run(["export", "--owner", "政策法规科", "--out", str(path)], monkeypatch)
    assert code == 0
    wb = load_workbook(path)
    assert numbers(wb["工作台账"], 0) == ["8"]
    assert "责任单位:政策法规科" in wb["工作台账"]["A2"].value


def test_the_month_still_running_is_as_of_today_not_its_last_day(jdb, tmp_path, monkeypatch):
    """QA: `--month` of the current month wrote 截至<month end>: task 6's interpretation, due 07-05,
    was 逾期 with days late counted to 07-31 — a ledger dated in the future. As of today it is 临期,
    and the line says why the date is not the month's end."""
    store = open_store(str(jdb))
    with store.transaction(who="t", action="event", now=datetime(2024, 7, 2, tzinfo=UTC)) as s:
        actions.log_event(session=s, task=actions.find_task(session=s, ref="6"), on=date(2024, 7, 2),
                          ref="济民发〔2024〕9号", rule=None)
    store.close()
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["export", "--month", "2024-07"], monkeypatch, today="2024-07-03")
    path = tmp_path / "exports" / "1-2024-07-工作台账.xlsx"
    assert (code, err) == (0, "")
    assert out == f"已导出工作台账: {Path('exports') / path.name} (15项任务, 截至2024年7月3日, 即今天: 7月尚未结束)\n"
    wb = load_workbook(path)
    assert wb["汇总"]["A2"].value == "截至2024年7月3日"
    assert "6" not in numbers(wb["逾期事项"])
    assert "6" in numbers(wb["临期事项"])
    code, out, _ = run(["--lang", "en", "export", "--month", "2024-07"], monkeypatch, today="2024-07-03")
    assert out.endswith("(15 tasks, as of 2024-07-03, today: 2024-07 is not over yet)\n")
    # the same command once the month is over: as of its last day, said plainly
    code, out, _ = run(["export", "--month", "2024-07"], monkeypatch, today="2024-08-01")
    assert out.endswith("(15项任务, 截至2024年7月31日)\n")
    assert "6" in numbers(load_workbook(path)["逾期事项"])
    # and on the month's last day itself
    code, out, _ = run(["export", "--month", "2024-07"], monkeypatch, today="2024-07-31")
    assert out.endswith("(15项任务, 截至2024年7月31日)\n")


def test_a_month_not_begun_or_a_date_after_today_is_refused(jdb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["export", "--month", "2024-08"], monkeypatch, today="2024-07-31")
    assert (code, out) == (2, "")
    assert err == ("tracker: 2024年8月还没有开始 (今天是2024年7月31日); 台账只记录已经发生的事: "
                   "请导出本月 (tracker export) 或更早的月份。\n")
    code, out, err = run(["--lang", "en", "export", "--month", "2024-08"], monkeypatch, today="2024-07-31")
    assert (code, out) == (2, "")
    assert err == ("tracker: 2024-08 has not begun (today is 2024-07-31); a ledger records what has happened: "
                   "export this month's (tracker export) or an earlier one.\n")
    code, out, err = run(["export", "--as-of", "2024-08-01"], monkeypatch, today="2024-07-31")
    assert (code, out) == (2, "")
    assert err == ("tracker: --as-of 2024-08-01 在今天 (2024年7月31日) 之后; 台账只记录已经发生的事。"
                   "要查看届时到期的事项: tracker tasks --as-of 2024-08-01。\n")
    assert not (tmp_path / "exports").exists()


def test_unknown_owner_and_bad_month_are_sentences(jdb, monkeypatch):
    code, _, err = run(["export", "--owner", "不存在科"], monkeypatch)
    assert code == 4
    assert "“不存在科”" in err  # what was asked (the sentence is the query layer's, in the user's language)
    assert "养老服务科" in err  # and a unit that exists
    assert err.count("\n") == 1
    code, _, err = run(["export", "--month", "2024-13"], monkeypatch)
    assert code == 2
    assert "2024-13" in err
    code, _, err = run(["export", "--month", "2024-10", "--as-of", "2024-10-01"], monkeypatch)
    assert code == 2


def test_locked_target_falls_back_with_message(jdb, tmp_path, monkeypatch):
    target = tmp_path / "ledger.xlsx"
    target.write_bytes(b"open in WPS")
    (tmp_path / "~$ledger.xlsx").write_bytes(b"")
    code, out, err = run(["export", "--out", str(target)], monkeypatch)
    assert code == 0
    assert "ledger-1.xlsx" in out
    assert err == (f"注意: {target} 无法覆盖 (ledger.xlsx 已在其他程序中打开 (锁文件 ~$ledger.xlsx)), "
                   f"已改写到 {tmp_path / 'ledger-1.xlsx'}\n")
    assert target.read_bytes() == b"open in WPS"
    assert load_workbook(tmp_path / "ledger-1.xlsx").sheetnames[0] == "汇总"
    code, out, err = run(["--lang", "en", "export", "--out", str(target)], monkeypatch)
    assert code == 0
    assert err == (f"note: {target} was not overwritten (ledger.xlsx is open in another program "
                   f"(lock file ~$ledger.xlsx)); wrote {tmp_path / 'ledger-2.xlsx'}\n")


def test_no_database_is_a_sentence(db_path, monkeypatch):
    code, _, err = run(["export"], monkeypatch)
    assert code == 5
    assert str(db_path) in err
    assert err.count("\n") == 1


def test_leftovers_of_a_killed_export_are_swept_but_a_running_ones_are_not(jdb, tmp_path, monkeypatch):
    import os
    import time

    stale, fresh = tmp_path / ".~tracker-killed.tmp", tmp_path / ".~tracker-running.tmp"
    stale.write_bytes(b"PK half a workbook")
    fresh.write_bytes(b"PK being written")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    code, _, err = run(["export", "--as-of", "2024-07-01", "--out", str(tmp_path / "l.xlsx")], monkeypatch)
    assert (code, err) == (0, "")
    assert not stale.exists()
    assert fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in {".xlsx", ".tmp"}) == [
        ".~tracker-running.tmp", "l.xlsx"]


def test_rows_with_long_text_are_tall_enough_to_show_it(jdb, tmp_path, monkeypatch):
    """Spreadsheet programs keep a written row at one line unless told: 具体内容 would be cut."""
    out_path = tmp_path / "ledger.xlsx"
    assert run(["export", "--as-of", "2024-07-01", "--out", str(out_path)], monkeypatch)[0] == 0
    ws = load_workbook(out_path)["工作台账"]
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=4) if r[0].value}
    task8 = ws.row_dimensions[rows["8"]].height
    width = ws.column_dimensions["D"].width
    text = ws.cell(rows["8"], 4).value
    assert len(text) * 2 > width * 3  # task 8's text needs several lines in its column
    assert task8 is not None
    assert task8 >= 3 * 13.5


def our_temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~tracker-"))


@pytest.mark.parametrize("name", ["月报", "台账.xlsx"])
def test_out_naming_a_directory_writes_the_default_name_in_it(jdb, tmp_path, monkeypatch, name):
    """As `tracker backup --out DIR` does. Before: a directory was refused as "does not end in .xlsx"
    (the directory sentence fired only for a directory named *.xlsx), and earlier still exit 70
    (IsADirectoryError from the final rename) after the whole workbook was written."""
    folder = tmp_path / name
    folder.mkdir()
    code, out, err = run(["export", "--month", "2024-07", "--out", str(folder)], monkeypatch, "2024-08-05")
    written = folder / "1-2024-07-工作台账.xlsx"
    assert (code, err) == (0, "")
    assert out == f"已导出工作台账: {written} (15项任务, 截至2024年7月31日)\n"
    assert load_workbook(written)["汇总"]["A2"].value == "截至2024年7月31日"
    assert our_temporaries(folder) == []
    code, out, err = run(["--lang", "en", "export", "--month", "2024-07", "--for-owner", "政策法规科",
                          "--out", str(folder)], monkeypatch, "2024-08-05")
    assert (code, err) == (0, "")
    assert out == f"ledger written: {folder / '1-2024-07-政策法规科-工作台账.xlsx'} (1 tasks, as of 2024-07-31)\n"
    assert sorted(p.name for p in folder.iterdir()) == ["1-2024-07-工作台账.xlsx", "1-2024-07-政策法规科-工作台账.xlsx"]


def test_out_naming_neither_a_directory_nor_an_xlsx_file_is_a_sentence(jdb, tmp_path, monkeypatch):
    target = tmp_path / "ledger.csv"
    code, out, err = run(["export", "--month", "2024-07", "--out", str(target)], monkeypatch)
    assert (code, out, err) == (8, "", f"tracker: {target} 的扩展名不是 .xlsx; 工作台账只能保存为 .xlsx 文件。\n")
    code, out, err = run(["--lang", "en", "export", "--month", "2024-07", "--out", str(target)], monkeypatch)
    assert (code, out, err) == (8, "", f"tracker: {target} does not end in .xlsx; the ledger is an .xlsx workbook.\n")
    assert not target.exists()


def test_an_unwritable_place_is_one_sentence_before_the_workbook_is_built(jdb, tmp_path, monkeypatch):
    """Before, the workbook was built first; its half-open sheet writers then printed
    "Exception ignored … LxmlSyntaxError" tracebacks when collected."""
    import gc
    import sys
    import tempfile

    import tracker.export as export

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    built = []
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(export, "build_workbook", lambda data: built.append(data))
    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    code, _, err = run(["export", "--month", "2024-07", "--out", str(tmp_path / "x.xlsx")], monkeypatch)
    gc.collect()
    assert code == 8
    assert err == f"tracker: 无法在 {tmp_path} 中写入 (Permission denied); 请用 --out 另选位置。\n"
    assert (built, seen) == ([], [])


def test_a_failed_save_leaves_no_file_no_temporary_and_no_noise(jdb, tmp_path, monkeypatch):
    import gc
    import sys

    from openpyxl import Workbook
    from openpyxl.worksheet import _writer

    def disk_full(self, filename):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", disk_full)
    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    known = set(_writer.ALL_TEMP_FILES)
    target = tmp_path / "l.xlsx"
    code, _, err = run(["export", "--month", "2024-07", "--out", str(target)], monkeypatch)
    gc.collect()
    assert code == 8
    assert err == (f"tracker: 无法在 {tmp_path} 中写入工作簿 (No space left on device); 请检查磁盘是否已满。"
                   "未作任何修改。\n")
    assert seen == []
    assert not target.exists()
    assert our_temporaries(tmp_path) == []
    # the sheets' own temporary files (openpyxl writes each sheet to the system temp directory first)
    assert [f for f in set(_writer.ALL_TEMP_FILES) - known if Path(f).exists()] == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_out_under_proc_is_one_line_on_stderr(jdb, tmp_path):
    """QA: `--out /proc/x.xlsx` printed the right sentence and ~8 tracebacks after it."""
    import os
    import subprocess
    import sys

    from conftest_paths import ROOT

    env = {**os.environ, "TRACKER_DB": str(jdb), "TRACKER_TODAY": "2024-07-31",
           "TRACKER_LOG_DIR": str(tmp_path / "log")}
    done = subprocess.run([sys.executable, "-m", "tracker", "export", "--month", "2024-07", "--out",
                           "/proc/x.xlsx"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 8
    assert done.stderr.startswith("tracker: 无法在 /proc 中写入 (")
    assert done.stderr.count("\n") == 1
