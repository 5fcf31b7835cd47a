"""`tracker import` through tracker.cli.main: first import, unchanged, revised plan, dry run, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from db_rows import rows

from tracker.cli import main

JINING = Path(__file__).resolve().parents[1] / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def count(db: Path | str, sql: str) -> int:
    """The single number a query returns, on a SQLite file or a PostgreSQL URL."""
    return int(rows(db, sql)[0][0])


def revised_text(tmp_path: Path) -> Path:
    """The Jining plan edited as a revision would be: task 6 reworded, task 14 dropped, task 16 added."""
    text = JINING.read_text(encoding="utf-8")
    text = text.replace("文件发布后,应于3个工作日内关联发布解读材料。", "文件发布后,应于5个工作日内关联发布解读材料。")
    lines = [line for line in text.splitlines() if not line.startswith("14.")]
    lines.append("16.加强政务公开队伍建设。年底前完成全员轮训。")
    path = tmp_path / "jining-revised.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")


def test_first_import_says_what_was_stored(db_url, today):
    code, out, _ = cli("import", str(JINING))
    assert code == 0
    rules = count(db_url, "SELECT count(*) FROM requirement")
    obligations = count(db_url, "SELECT count(*) FROM obligation")
    assert out == (f"已导入计划 1: 2024年济宁市民政局政务公开工作要点 — 15项任务, 5个板块, {rules}条规则 "
                   f"({obligations}项应办事项)\n")
    assert count(db_url, "SELECT count(*) FROM task") == 15


def test_same_file_again_is_unchanged(db_url, today):
    cli("import", str(JINING))
    audit = count(db_url, "SELECT count(*) FROM auditentry")
    code, out, _ = cli("--lang", "en", "import", str(JINING))
    assert code == 0
    assert out == ("unchanged: 2024年济宁市民政局政务公开工作要点 is already imported (plan 1); nothing to do\n")
    assert count(db_url, "SELECT count(*) FROM auditentry") == audit


def test_parser_warnings_are_said_at_the_first_import_and_counted_after(db_url, today):
    """The three 定期 warnings once, in full; an unchanged re-import (cron, habit) says only how many."""
    code, _, err = cli("import", str(JINING))
    assert code == 0
    assert err.count("注意: 任务") == 3
    assert "注意: 任务9: 任务正文写了“定期”, 但没有写明周期: 请用 `tracker rule` 设置周期。" in err
    code, _, err = cli("import", str(JINING))
    assert code == 0
    assert err == f"(首次导入时显示过的 3 条解析提示不再重复; 用 `tracker parse {JINING}` 查看)\n"


def test_json_report(db_url, today):
    code, out, _ = cli("import", str(JINING), "--json")
    report = json.loads(out)
    assert code == 0
    assert (report["plan_id"], report["created"], report["unchanged"], report["tasks"]) == (1, True, False, 15)
    assert report["added"][5] == "6 推进政策解读规范化"


def test_revised_plan_dry_run_then_apply(db_url, today, tmp_path):
    cli("import", str(JINING))
    cli("done", "12", "--on", "2024-03-28")
    revised = revised_text(tmp_path)
    before = count(db_url, "SELECT count(*) FROM auditentry")
    code, out, _ = cli("--lang", "en", "import", str(revised), "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "(dry run) plan 1: 2024年济宁市民政局政务公开工作要点 would get 1 added, 1 changed, 1 removed; nothing written",
        "  + 16 加强政务公开队伍建设", "  ~ 6 推进政策解读规范化", "  - 14 推进政务公开标准化建设"]
    assert count(db_url, "SELECT count(*) FROM auditentry") == before
    code, out, _ = cli("import", str(revised))
    assert code == 0
    assert out.startswith("已更新计划 1: 2024年济宁市民政局政务公开工作要点 — 新增1, 修改1, 移除1")
    assert count(db_url, "SELECT workdays FROM requirement r JOIN task t ON t.id = r.task_id WHERE t.number = '6'") == 5
    assert count(db_url, "SELECT count(*) FROM completion") == 1  # task 12's Q1 kept
    assert count(db_url, "SELECT removed FROM task WHERE number = '14'") == 1


def test_dry_run_on_no_database_creates_no_file(db_path, today):
    code, out, _ = cli("import", str(JINING), "--dry-run")
    assert code == 0
    assert "未写入任何内容" in out
    assert not db_path.exists()


def test_missing_and_empty_files_are_bad_input(db_path, today, tmp_path):
    code, _, err = cli("import", str(tmp_path / "nope.txt"))
    assert (code, err) == (3, f"tracker: 文件不存在: {tmp_path / 'nope.txt'}; 请给出计划文件的路径 "
                              "(.txt, .docx, .html 或 .xlsx)。\n")
    code, _, err = cli("--lang", "en", "import", str(tmp_path / "nope.txt"))
    assert (code, err) == (3, f"tracker: no file at {tmp_path / 'nope.txt'}; give the path of a plan "
                              "(.txt, .docx, .html or .xlsx).\n")
    empty = tmp_path / "notes.txt"
    empty.write_text("今天天气很好。\n没有任何编号的任务。\n", encoding="utf-8")
    code, _, err = cli("import", str(empty), "--year", "2024")
    assert (code, err) == (3, "tracker: notes.txt 中没有带编号的任务 (1. 2. … 或 (一) (二) …); "
                              "请确认它是一份工作要点。\n")
    code, _, err = cli("--lang", "en", "import", str(empty), "--year", "2024")
    assert code == 3
    assert "has no numbered tasks" in err
    assert not db_path.exists() or count(db_path, "SELECT count(*) FROM task") == 0


def test_no_numbered_tasks_is_said_before_a_missing_year(db_path, today, tmp_path):
    """QA: a file with neither a year nor numbered items was refused for its year, and only with
    --year for what is really wrong with it."""
    notes = tmp_path / "notes.txt"
    notes.write_text("某局政务公开工作要点\n请各单位认真执行。\n", encoding="utf-8")
    code, out, err = cli("import", str(notes))
    assert (code, out) == (3, "")
    assert err == ("tracker: notes.txt 中没有带编号的任务 (1. 2. … 或 (一) (二) …); "
                   "请确认它是一份工作要点。\n")
    code, _, err = cli("--lang", "en", "import", str(notes))
    assert code == 3
    assert "has no numbered tasks" in err
    assert "--year" not in err
    # a plan with tasks and no year is still asked for its year
    plan = tmp_path / "plan.txt"
    plan.write_text("某局政务公开工作要点\n一、公开\n1.做好文件公开工作。\n", encoding="utf-8")
    code, _, err = cli("import", str(plan))
    assert (code, err) == (3, "tracker: plan.txt 没有写明计划是哪一年的; 请用 --year 2024 指定。\n")
    assert not db_path.exists() or count(db_path, "SELECT count(*) FROM plan") == 0


def test_corrupt_database_is_refused(db_path, today):
    db_path.write_bytes(b"\x00garbage" * 500)
    code, out, err = cli("import", str(JINING))
    assert (code, out) == (5, "")
    assert err == f"tracker: {db_path} 不是 tracker 数据库 (文件已损坏, 或不是 SQLite 数据库)。\n"


@pytest.mark.parametrize("year", ["9999", "10000", "-5", "0", "1999", "2200"])
def test_a_year_no_plan_can_have_is_one_sentence_and_writes_nothing(db_path, today, year):
    code, out, err = cli("import", str(JINING), f"--year={year}")
    assert (code, out) == (2, "")
    assert err == f"tracker: --year {year} 不是有效的计划年度; 请给出 2000–2199 之间的年份, 如 --year 2024。\n"
    code, out, err = cli("--lang", "en", "import", str(JINING), f"--year={year}")
    assert (code, out) == (2, "")
    assert err == f"tracker: --year {year} is not a plan's year; give one in 2000–2199, e.g. --year 2024.\n"
    assert not db_path.exists()


def test_a_year_in_range_is_taken(db_path, today):
    code, _, err = cli("import", str(JINING), "--year", "2199")
    assert code == 0, err
    assert count(str(db_path), 'SELECT year FROM "plan"') == 2199


def test_a_report_without_commitments_says_so_and_writes_nothing(db_path, today):
    """The 2019 Hunjiang report lists problems but no numbered improvement commitments: `import`
    says that of a report, instead of asking whether it is a work-point plan."""
    report = JINING.parent / "annual_2019_hunjiang_minzheng.txt"
    code, out, err = cli("import", str(report))
    assert (code, out) == (3, "")
    assert err.startswith("tracker: annual_2019_hunjiang_minzheng.txt 是年度报告, 但没有列出带编号的改进措施")
    assert "工作要点" not in err
    assert err.count("\n") == 1
    code, out, err = cli("--lang", "en", "import", str(report))
    assert (code, out) == (3, "")
    assert "is an annual report (年度报告)" in err
    assert "is it a work-point plan" not in err
    assert not db_path.exists() or count(db_path, "SELECT count(*) FROM plan") == 0


REGULARLY_ZH = "任务正文写了“定期”, 但没有写明周期: 请用 `tracker rule` 设置周期。"
REGULARLY_EN = "task text says 定期 (regularly) without a period: set the period with `tracker rule`"


def test_warnings_are_in_chinese_by_default_and_in_english_with_lang_en(db_path, today, tmp_path):
    """What the reader and the parser could not read, after the import: 注意 lines in Chinese, the
    file's damage first, then the plan's (task 9, 12 and 13 say 定期 without a period)."""
    data = JINING.read_bytes()
    at = data.index("7.持续".encode()) + len("7.持续".encode())  # inside task 7's text
    damaged = tmp_path / "jining.txt"
    damaged.write_bytes(data[:at] + b"\xff" + data[at:])
    line = data[:at].count(b"\n") + 1
    code, out, err = cli("import", str(damaged), "--dry-run")
    assert code == 0
    assert out.startswith("(试运行) 将导入新计划: 2024年济宁市民政局政务公开工作要点 — 15项任务")
    assert err.splitlines() == ["注意: 有1处字节无法按 utf-8 解码, 已显示为 �。",
                                f"注意: 第{line}行有1个无法识别的字符, 已显示为 �; 请对照原文件核对这一段。",
                                f"注意: 任务9: {REGULARLY_ZH}",
                                f"注意: 任务12: {REGULARLY_ZH}",
                                f"注意: 任务13: {REGULARLY_ZH}"]
    code, out, err = cli("--lang", "en", "import", str(damaged), "--dry-run")
    assert code == 0
    assert err.splitlines() == ["warning: 1 byte sequence(s) could not be decoded as utf-8 and are shown as �.",
                                f"warning: Line {line} has 1 unreadable character(s), shown as �; check that "
                                "passage against the original document.",
                                f"warning: task 9: {REGULARLY_EN}",
                                f"warning: task 12: {REGULARLY_EN}",
                                f"warning: task 13: {REGULARLY_EN}"]
